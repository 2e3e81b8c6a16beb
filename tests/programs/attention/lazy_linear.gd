import torch
import torch.nn as nn
torch.manual_seed(0)
l = nn.LazyLinear(3)
print(l, l.weight, l.bias, type(l).__name__, l.in_features, type(l.weight))
print([n for n, p in l.named_parameters()], l.has_uninitialized_params())
print(l.weight.requires_grad, l.weight.grad, l.weight.dtype, l.weight.is_leaf)
try:
    print(l.weight.shape)
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    l.weight.numel()
except ValueError as e:
    print(type(e).__name__, e)
print(nn.LazyLinear(2).state_dict())
y = l(torch.randn(2, 5))
print(l, type(l).__name__, l.weight.shape, l.in_features, y.grad_fn.name())
print(l.weight, l.bias)
net = nn.Sequential(nn.LazyLinear(4), nn.ReLU(), nn.LazyLinear(1))
print(net)
opt = torch.optim.Adam(net.parameters(), lr=0.01)
x = torch.randn(8, 3)
t = x.sum(1, keepdim=True)
for i in range(3):
    opt.zero_grad()
    loss = ((net(x) - t) ** 2).mean()
    loss.backward()
    opt.step()
    print(loss.item())
print(net, net[0].weight, net[2].bias)
l2 = nn.LazyLinear(2, bias=False, dtype=torch.float64)
print(l2, l2.bias, l2(torch.ones(1, 3, dtype=torch.float64)))
