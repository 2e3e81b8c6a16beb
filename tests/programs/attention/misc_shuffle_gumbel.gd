import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
xi = torch.randn(1, 4, 2, 2, requires_grad=True)
for o in (F.channel_shuffle(xi, 2), torch.channel_shuffle(xi, 4), nn.ChannelShuffle(2)(xi), nn.Softmax2d()(xi)):
    print(o, o.grad_fn.name())
    (o * torch.arange(16.).view(1, 4, 2, 2)).sum().backward()
    print(xi.grad)
    xi.grad = None
x = torch.randn(3, 4, requires_grad=True)
print(F.gumbel_softmax(x, tau=0.5), F.gumbel_softmax(x, hard=True))
o = F.gumbel_softmax(x, hard=True, dim=0)
print(o, o.grad_fn.name())
(o * torch.arange(12.).view(3, 4)).sum().backward()
print(x.grad)
