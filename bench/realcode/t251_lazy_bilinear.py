# LazyLinear / LazyConv2d materialize on first call, nn.Bilinear, nn.Identity, module.to(dtype), half/double
import torch
import torch.nn as nn
torch.manual_seed(57)
net = nn.Sequential(nn.LazyConv2d(4, 3), nn.ReLU(), nn.Flatten(), nn.LazyLinear(2))
print(net)
x = torch.randn(2, 3, 5, 5)
y = net(x)
print(net)
print(y.shape, net[3].weight.shape, net[0].weight.shape)
bl = nn.Bilinear(3, 4, 2)
print(bl, bl(torch.randn(5, 3), torch.randn(5, 4)).shape)
idn = nn.Identity(54, unused='x')
print(idn, idn(torch.ones(2)))
m = nn.Linear(2, 2).to(torch.float64)
print(m.weight.dtype, m.double().weight.dtype, m.float().weight.dtype)
print(m.to('cpu').weight.device, next(m.parameters()).is_leaf)
print(net[3].in_features)
