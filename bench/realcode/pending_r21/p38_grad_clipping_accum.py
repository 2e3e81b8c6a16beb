# gradient clipping by value and norm with norm_type inf, clip_grad_norm_ return value, get_total_norm, gradient accumulation with scaling
import torch
import torch.nn as nn
torch.manual_seed(0)
model = nn.Linear(4, 2)
x = torch.randn(6, 4) * 10
loss = model(x).pow(2).mean()
loss.backward()
print(model.weight.grad.abs().max())
n = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
print(n, torch.cat([p.grad.flatten() for p in model.parameters()]).norm())
model.zero_grad()
model(x).pow(2).mean().backward()
nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)
print(model.weight.grad.abs().max(), model.bias.grad)
model.zero_grad()
model(x).pow(2).mean().backward()
print(nn.utils.clip_grad_norm_(model.parameters(), 2.0, norm_type=float('inf')))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
opt.zero_grad()
accum = 3
for i in range(accum):
    xb = x[i * 2:(i + 1) * 2]
    (model(xb).pow(2).mean() / accum).backward()
print(model.bias.grad)
opt.step()
print(model.bias)
