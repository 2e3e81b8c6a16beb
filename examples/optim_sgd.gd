# Fitting a line with torch.optim: the training loop of every PyTorch tutorial.
#
#   opt.zero_grad()   clear the gradients of the last step (set to None)
#   loss.backward()   fill .grad of every parameter
#   opt.step()        update the parameters in place (not recorded)
#
# gd runs PyTorch's own update arithmetic (the same roundings, in the same
# order), so the parameters after each step are PyTorch's.
import torch
from torch import optim

torch.manual_seed(0)
x = torch.linspace(-1, 1, 16)
y = 3 * x + 2 + 0.1 * torch.randn(16)      # a noisy line: slope 3, intercept 2

w = torch.zeros(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
opt = optim.SGD([w, b], lr=0.1, momentum=0.9)
sched = optim.lr_scheduler.StepLR(opt, step_size=20, gamma=0.5)
print(opt)

for epoch in range(60):
    opt.zero_grad()
    loss = ((w * x + b - y) ** 2).mean()
    loss.backward()
    opt.step()
    sched.step()
    if epoch % 10 == 0:
        print(f"epoch {epoch:2d}  loss {loss.item():.6f}  lr {sched.get_last_lr()[0]}")

print(f"w = {w.item():.5f}  b = {b.item():.5f}")
print("momentum buffer of w:", opt.state[w]["momentum_buffer"])

# The same fit with Adam, two parameter groups (the intercept learns faster).
w2 = torch.zeros(1, requires_grad=True)
b2 = torch.zeros(1, requires_grad=True)
adam = optim.Adam([{"params": [w2]}, {"params": [b2], "lr": 0.3}], lr=0.1)
for epoch in range(100):
    adam.zero_grad()
    loss = ((w2 * x + b2 - y) ** 2).mean()
    loss.backward()
    adam.step()
print(f"Adam: w = {w2.item():.5f}  b = {b2.item():.5f}  loss {loss.item():.6f}")
print(adam.param_groups[1]["lr"], adam.state[b2]["step"])
