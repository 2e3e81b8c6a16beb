# gradient accumulation over micro-batches equals the full batch gradient; AMP-free loss scaling by hand
import torch
import torch.nn as nn
torch.manual_seed(38)
model = nn.Linear(4, 2)
X = torch.randn(16, 4); y = torch.randn(16, 2)
loss_fn = nn.MSELoss()
model.zero_grad()
loss_fn(model(X), y).backward()
full = model.weight.grad.clone()
model.zero_grad()
accum = 4
for i in range(accum):
    xb, yb = X[i * 4:(i + 1) * 4], y[i * 4:(i + 1) * 4]
    loss = loss_fn(model(xb), yb) / accum
    loss.backward()
print(torch.allclose(full, model.weight.grad, atol=1e-6))
print((full - model.weight.grad).abs().max() < 1e-6)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step, i in enumerate(range(0, 16, 4)):
    l = loss_fn(model(X[i:i + 4]), y[i:i + 4]) / 2
    l.backward()
    if (step + 1) % 2 == 0:
        opt.step()
        opt.zero_grad()
        print(step, model.bias.data)
scale = 1024.0
(loss_fn(model(X), y) * scale).backward()
for p in model.parameters():
    p.grad /= scale
print(model.weight.grad.norm().item() > 0, model.bias.grad.shape)
