# nn.Module idioms: named_modules, named_children, apply, register_buffer (persistent False), state_dict keys, load_state_dict strict=False
import torch
import torch.nn as nn
class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.lin = nn.Linear(d, d)
        self.norm = nn.LayerNorm(d)
        self.register_buffer('scale', torch.tensor(2.0))
        self.register_buffer('cache', torch.zeros(d), persistent=False)
    def forward(self, x):
        return self.norm(self.lin(x)) * self.scale
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([Block(4) for _ in range(2)])
        self.head = nn.Linear(4, 1)
    def forward(self, x):
        for b in self.blocks:
            x = b(x)
        return self.head(x)
torch.manual_seed(0)
net = Net()
print([n for n, _ in net.named_modules()])
print([n for n, _ in net.named_children()])
print(list(net.state_dict().keys()))
print([n for n, _ in net.named_buffers()])
print(sum(p.numel() for p in net.parameters()), sum(p.numel() for p in net.parameters() if p.requires_grad))
counts = {}
def count(m):
    counts[type(m).__name__] = counts.get(type(m).__name__, 0) + 1
net.apply(count)
print(counts)
sd = net.state_dict()
sd.pop('head.bias')
res = Net().load_state_dict(sd, strict=False)
print(res.missing_keys, res.unexpected_keys)
print(res)
x = torch.randn(3, 4)
print(net(x).shape, net.blocks[0].scale, net.training)
net2 = Net()
net2.load_state_dict(net.state_dict())
print(torch.equal(net2(x), net(x)))
