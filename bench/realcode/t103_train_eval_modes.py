# model.train()/eval() effects: Dropout, BatchNorm running stats; modules(), children(), named_modules()
import torch
import torch.nn as nn
torch.manual_seed(35)
net = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), nn.Dropout(0.5), nn.Linear(4, 1))
x = torch.randn(6, 4)
net.train()
a = net(x); b = net(x)
print(torch.equal(a, b), net.training, net[2].training)
net.eval()
c = net(x); d = net(x)
print(torch.equal(c, d), net[1].training)
print(net[1].running_mean, net[1].running_var, net[1].num_batches_tracked)
print([type(m).__name__ for m in net.modules()])
print([n for n, _ in net.named_modules()])
print(len(list(net.children())), net[1:3])
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(2)])
        self.extra = nn.ModuleDict({'act': nn.ReLU(), 'out': nn.Linear(2, 1)})
        self.scale = nn.Parameter(torch.ones(1))
        self.register_buffer('steps', torch.zeros(1))
    def forward(self, x):
        for l in self.layers:
            x = self.extra['act'](l(x))
        self.steps += 1
        return self.extra['out'](x) * self.scale
blk = Block()
print(blk)
print(blk(torch.ones(3, 2)).shape, blk.steps, [n for n, _ in blk.named_parameters()])
print(blk.extra.keys(), len(blk.layers), blk.layers[0].weight.dtype)
blk.double()
print(blk.scale.dtype, blk.steps.dtype)
blk.zero_grad(set_to_none=True)
print(blk.scale.grad)
