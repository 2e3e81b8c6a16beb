# d2l dropout from scratch and weight decay (L2 penalty by hand and via optimizer param groups)
import torch
from torch import nn
torch.manual_seed(23)
def dropout_layer(X, dropout):
    assert 0 <= dropout <= 1
    if dropout == 1:
        return torch.zeros_like(X)
    if dropout == 0:
        return X
    mask = (torch.rand(X.shape) > dropout).float()
    return mask * X / (1.0 - dropout)
X = torch.arange(16, dtype=torch.float32).reshape((2, 8))
print(X)
print(dropout_layer(X, 0.))
print(dropout_layer(X, 0.5))
print(dropout_layer(X, 1.))
def l2_penalty(w):
    return torch.sum(w.pow(2)) / 2
w = torch.normal(0, 1, size=(5, 1), requires_grad=True)
b = torch.zeros(1, requires_grad=True)
Xd = torch.randn(20, 5); yd = torch.randn(20, 1)
for epoch in range(10):
    l = ((Xd @ w + b - yd) ** 2 / 2).mean() + 3 * l2_penalty(w)
    l.backward()
    with torch.no_grad():
        for p in [w, b]:
            p -= 0.01 * p.grad
            p.grad.zero_()
print('w的L2范数是：', torch.norm(w).item())
net = nn.Sequential(nn.Linear(5, 1))
for param in net.parameters():
    param.data.normal_()
trainer = torch.optim.SGD([{"params": net[0].weight, 'weight_decay': 3}, {"params": net[0].bias}], lr=0.01)
for epoch in range(10):
    trainer.zero_grad()
    l = nn.MSELoss(reduction='none')(net(Xd), yd)
    l.mean().backward()
    trainer.step()
print('w的L2范数：', net[0].weight.norm().item())
print(trainer)
