# custom module printing: extra_repr, nested module repr, __repr__ of Parameter-holding modules, named_parameters with prefixes, module.get_submodule
import torch
import torch.nn as nn
class Scale(nn.Module):
    def __init__(self, dim, init=1.0):
        super().__init__()
        self.dim = dim
        self.g = nn.Parameter(torch.full((dim,), init))
    def forward(self, x):
        return x * self.g
    def extra_repr(self):
        return f'dim={self.dim}, init={self.g[0].item()}'
class Res(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn
    def forward(self, x):
        return x + self.fn(x)
net = nn.Sequential(Res(nn.Sequential(nn.Linear(4, 4), Scale(4, 0.5))), nn.GELU(approximate='tanh'), nn.Dropout(0.1))
print(net)
print([n for n, _ in net.named_parameters()])
print(net.get_submodule('0.fn.1'))
print(net[0].fn[1].g)
print(nn.Linear(2, 3, bias=False), nn.Conv2d(3, 8, (3, 5), stride=2, padding=(1, 2), bias=False), nn.LSTM(4, 8, num_layers=2, batch_first=True, dropout=0.2))
print(nn.BatchNorm2d(4, eps=1e-3, momentum=0.01), nn.LeakyReLU(0.1, inplace=True), nn.Embedding(10, 3, padding_idx=0), nn.LayerNorm([4, 5], elementwise_affine=False))
