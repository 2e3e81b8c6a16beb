# Model summaries: print(model), named_modules, named_children, parameter table, state_dict shapes, repr of containers
import torch
import torch.nn as nn
torch.manual_seed(30)
class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layers = nn.ModuleDict({'conv': nn.Conv2d(c, c, 3, padding=1, bias=False), 'bn': nn.BatchNorm2d(c), 'act': nn.LeakyReLU(0.2)})
        self.scale = nn.Parameter(torch.ones(1))
    def forward(self, x):
        return x + self.scale * self.layers['act'](self.layers['bn'](self.layers['conv'](x)))
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 4, 3, stride=2)
        self.blocks = nn.Sequential(*[Block(4) for _ in range(2)])
        self.heads = nn.ModuleList([nn.Linear(4, 2), nn.Linear(4, 3)])
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.extra = nn.ParameterList([nn.Parameter(torch.zeros(2)), nn.Parameter(torch.zeros(3))])
    def forward(self, x):
        x = self.pool(self.blocks(self.stem(x))).flatten(1)
        return [h(x) + e for h, e in zip(self.heads, self.extra)]
net = Net()
print(net)
for name, m in net.named_modules():
    print(repr(name), type(m).__name__)
for name, ch in net.named_children():
    print(name, ch.__class__.__name__)
for k, v in net.state_dict().items():
    print(f"{k:35s} {tuple(v.shape)}")
print(sum(p.numel() for p in net.parameters()), sum(b.numel() for b in net.buffers()))
outs = net(torch.randn(2, 3, 7, 7))
print([o.shape for o in outs])
print(net.extra)
