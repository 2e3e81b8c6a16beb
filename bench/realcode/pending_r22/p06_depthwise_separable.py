# MobileNet-style depthwise separable conv with groups=in_channels, ReLU6, AdaptiveAvgPool2d
import torch
import torch.nn as nn
torch.manual_seed(5)
def dw_sep(cin, cout, stride):
    return nn.Sequential(
        nn.Conv2d(cin, cin, 3, stride, 1, groups=cin, bias=False),
        nn.BatchNorm2d(cin), nn.ReLU6(inplace=True),
        nn.Conv2d(cin, cout, 1, 1, 0, bias=False),
        nn.BatchNorm2d(cout), nn.ReLU6(inplace=True))
net = nn.Sequential(nn.Conv2d(3, 4, 3, 2, 1), dw_sep(4, 8, 1), dw_sep(8, 8, 2),
                    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2)).double()
print(net)
x = torch.randn(2, 3, 10, 10, dtype=torch.float64)
out = net(x)
print(out)
out.sum().backward()
print(net[1][0].weight.shape, net[1][0].weight.grad.abs().max().item())
print(sum(p.numel() for p in net.parameters()))
total = 0
for n, p in net.named_parameters():
    total += p.numel()
    print(f"{n:20s} {str(list(p.shape)):16s} {p.numel()}")
print(total)
