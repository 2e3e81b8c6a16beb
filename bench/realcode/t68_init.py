# parameter initialisation: nn.init.*, model.apply(init_weights), calculate_gain
import torch
import torch.nn as nn
torch.manual_seed(7)
def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.xavier_uniform_(m.weight)
        m.bias.data.fill_(0.01)
    elif isinstance(m, nn.Conv2d):
        nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
        nn.init.zeros_(m.bias)
net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(8, 3), nn.ReLU(), nn.Linear(3, 1))
net.apply(init_weights)
print(net[2].weight, net[2].bias, net[0].weight.std())
w = torch.empty(3, 5)
print(nn.init.uniform_(w, -0.1, 0.1))
print(nn.init.normal_(w, mean=0.0, std=0.02))
print(nn.init.constant_(w, 0.3)[0])
print(nn.init.ones_(torch.empty(2)), nn.init.eye_(torch.empty(2, 3)))
print(nn.init.kaiming_uniform_(torch.empty(2, 4), a=5 ** 0.5))
print(nn.init.xavier_normal_(torch.empty(2, 4), gain=nn.init.calculate_gain('tanh')))
print(nn.init.trunc_normal_(torch.empty(6), std=0.02, a=-0.04, b=0.04))
print(nn.init.orthogonal_(torch.empty(3, 3)))
print(nn.init.sparse_(torch.empty(4, 2), sparsity=0.5))
print(nn.init.calculate_gain('leaky_relu', 0.2), nn.init.calculate_gain('relu'), nn.init.calculate_gain('selu'))
print(nn.init.dirac_(torch.empty(2, 2, 3)))
def custom(m):
    classname = m.__class__.__name__
    if classname.find('Linear') != -1:
        print('init', classname)
        m.weight.data.normal_(0.0, 0.02)
net.apply(custom)
print(net[4].weight)
