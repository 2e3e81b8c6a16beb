# torch.utils.checkpoint.checkpoint and checkpoint_sequential (use_reentrant=False) gradients equal plain
import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint, checkpoint_sequential
torch.manual_seed(56)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 1)).double()
x = torch.randn(5, 4, dtype=torch.float64, requires_grad=True)
model(x).sum().backward()
g_plain = [p.grad.clone() for p in model.parameters()]
model.zero_grad(); x.grad = None
out = checkpoint_sequential(model, 2, x, use_reentrant=False)
out.sum().backward()
print(all(torch.allclose(a, p.grad) for a, p in zip(g_plain, model.parameters())))
model.zero_grad()
class Net(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m
    def forward(self, x):
        h = checkpoint(self.m[:2], x, use_reentrant=False)
        return self.m[2:](h)
y = Net(model)(x)
y.sum().backward()
print(torch.equal(g_plain[0], model[0].weight.grad), y.grad_fn)
print(x.grad.shape)
