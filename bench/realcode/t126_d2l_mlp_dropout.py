# d2l 5.x MLP: relu from scratch, dropout_layer from scratch (deterministic checks), weight decay l2_penalty, init functions with apply
import torch
from torch import nn
def relu(X):
    a = torch.zeros_like(X)
    return torch.max(X, a)
x = torch.arange(-3.0, 3.0, 1.0, requires_grad=True)
y = relu(x)
y.backward(torch.ones_like(x))
print(y, x.grad)
def dropout_layer(X, dropout):
    assert 0 <= dropout <= 1
    if dropout == 1:
        return torch.zeros_like(X)
    mask = (torch.rand(X.shape) > dropout).float()
    return mask * X / (1.0 - dropout)
torch.manual_seed(0)
X = torch.arange(16, dtype=torch.float32).reshape((2, 8))
print(dropout_layer(X, 0.))
print(dropout_layer(X, 0.5))
print(dropout_layer(X, 1.))
def l2_penalty(w):
    return torch.sum(w.pow(2)) / 2
w = torch.normal(0, 1, size=(5, 1), requires_grad=True)
print(l2_penalty(w))
net = nn.Sequential(nn.LazyLinear(8), nn.ReLU(), nn.LazyLinear(1))
X = torch.rand(size=(2, 4))
print(net(X).shape, net[0].weight.shape)
def init_normal(module):
    if type(module) == nn.Linear:
        nn.init.normal_(module.weight, mean=0, std=0.01)
        nn.init.zeros_(module.bias)
def init_constant(module):
    if type(module) == nn.Linear:
        nn.init.constant_(module.weight, 1)
        nn.init.zeros_(module.bias)
net.apply(init_normal)
print(net[0].weight.data[0], net[0].bias.data[0])
net.apply(init_constant)
print(net[0].weight.data[0], net[0].bias.data[0])
def my_init(module):
    if type(module) == nn.Linear:
        print("Init", *[(name, param.shape) for name, param in module.named_parameters()][0])
        nn.init.uniform_(module.weight, -10, 10)
        module.weight.data *= module.weight.data.abs() >= 5
net.apply(my_init)
print(net[0].weight[:2])
