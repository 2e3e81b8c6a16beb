# module registration API: register_module, register_parameter(None), get_parameter/get_buffer, setattr of Parameter, delattr, named_parameters(recurse=False), requires_grad_(False) freezing
import torch
import torch.nn as nn
torch.manual_seed(0)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_module('enc', nn.Linear(3, 4))
        self.register_parameter('alpha', nn.Parameter(torch.tensor(0.5)))
        self.register_parameter('unused', None)
        self.register_buffer('steps', torch.tensor(0))
        self.dec = nn.Linear(4, 3)
    def forward(self, x):
        self.steps += 1
        return self.dec(torch.relu(self.enc(x))) * self.alpha
net = Net()
print([n for n, _ in net.named_parameters()], [n for n, _ in net.named_parameters(recurse=False)])
print(net.get_parameter('enc.bias').shape, net.get_buffer('steps'), net.unused)
net(torch.ones(2, 3)); net(torch.ones(2, 3))
print(net.steps, net.state_dict()['steps'])
net.enc.requires_grad_(False)
print([n for n, p in net.named_parameters() if p.requires_grad])
net.beta = nn.Parameter(torch.ones(1))
print('beta' in dict(net.named_parameters()), len(list(net.parameters())))
del net.beta
print('beta' in dict(net.named_parameters()), hasattr(net, 'beta'))
frozen = sum(p.numel() for p in net.parameters() if not p.requires_grad)
print(f"frozen {frozen} / total {sum(p.numel() for p in net.parameters())}")
print(net.enc.weight.grad is None, net.training, net.eval().training, net.dec.training)
