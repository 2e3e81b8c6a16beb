import io
import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)
net = nn.Sequential(nn.LazyLinear(256), nn.ReLU(), nn.LazyLinear(10))
print(net[0].weight)
X = torch.rand(2, 20)
net(X)
print(net[0].weight.shape)
print(net)

x = torch.arange(4)
buf = io.BytesIO()
torch.save(x, buf)
buf.seek(0)
x2 = torch.load(buf)
print(x2)
y = torch.zeros(4)
buf = io.BytesIO()
torch.save([x, y], buf)
buf.seek(0)
x2, y2 = torch.load(buf)
print(x2, y2)
mydict = {'x': x, 'y': y}
buf = io.BytesIO()
torch.save(mydict, buf)
buf.seek(0)
mydict2 = torch.load(buf)
print(mydict2)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(20, 256)
        self.output = nn.Linear(256, 10)

    def forward(self, x):
        return self.output(F.relu(self.hidden(x)))


net = MLP()
X = torch.randn(size=(2, 20))
Y = net(X)
buf = io.BytesIO()
torch.save(net.state_dict(), buf)
buf.seek(0)
clone = MLP()
print(clone.load_state_dict(torch.load(buf)))
print(clone.eval())
Y_clone = clone(X)
print(Y_clone == Y)
print(torch.equal(Y_clone, Y))
sd = net.state_dict()
print(type(sd).__name__, list(sd.keys()))
res = clone.load_state_dict({k: v * 0 for k, v in sd.items()}, strict=True)
print(res.missing_keys, res.unexpected_keys)
print(clone(X))
opt = torch.optim.Adam(net.parameters(), lr=0.01)
net(X).sum().backward()
opt.step()
buf = io.BytesIO()
torch.save({'model': net.state_dict(), 'optim': opt.state_dict(), 'epoch': 3}, buf)
buf.seek(0)
ckpt = torch.load(buf, weights_only=True)
print(ckpt['epoch'], ckpt['optim']['param_groups'][0]['lr'], ckpt['optim']['state'][0]['step'])
opt2 = torch.optim.Adam(clone.parameters(), lr=0.5)
opt2.load_state_dict(ckpt['optim'])
print(opt2.param_groups[0]['lr'])
