# Python idioms in model code: super(Net, self), setattr/getattr layers, add_module, modules() isinstance, % and .format with tensors, extra_repr
import copy
import torch
import torch.nn as nn
torch.manual_seed(71)
class Net(nn.Module):
    def __init__(self, sizes):
        super(Net, self).__init__()
        for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
            setattr(self, f"layer{i}", nn.Linear(a, b))
        self.n = len(sizes) - 1
        self.add_module("act", nn.Tanh())
        self.register_buffer("steps", torch.zeros((), dtype=torch.long))
        self.register_buffer("maybe", None)
    def forward(self, x):
        for i in range(self.n):
            x = getattr(self, f"layer{i}")(x)
            if i < self.n - 1:
                x = self.act(x)
        self.steps += 1
        return x
    def extra_repr(self):
        return f"n={self.n}"
class Scale(nn.Module):
    def __init__(self, s):
        nn.Module.__init__(self)
        self.s = s
    def forward(self, x):
        return x * self.s
    def __repr__(self):
        return f"Scale({self.s})"
net = Net([3, 5, 4, 2])
net.scale = Scale(0.5)
print(net)
x = torch.randn(2, 3)
y = net(x)
loss = y.pow(2).mean()
print("loss: %.5f" % loss)
print("loss: {:.5f}".format(loss))
print("loss: {:.5f}".format(loss.item()), "%d steps" % net.steps)
print("%s" % net.steps, "{}".format(y.shape), "%r" % (loss.dtype,))
for m in net.modules():
    if isinstance(m, nn.Linear):
        nn.init.zeros_(m.bias)
print([hasattr(m, 'weight') for m in net.children()])
print(net.maybe, [n for n, _ in net.named_buffers()])
net2 = copy.deepcopy(net)
net2.layer0.weight.data.fill_(1.0)
print(net.layer0.weight[0, 0].item() != 1.0, net2.layer0.weight[0, 0].item())
print(getattr(net, 'layer2').out_features, sorted(dict(net.named_children()).keys()))
print(round(loss.item(), 4), f"{loss!r}")
print(str(net.layer1).upper())
