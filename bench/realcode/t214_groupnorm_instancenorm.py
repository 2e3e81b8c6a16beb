# GroupNorm, InstanceNorm2d (affine, track_running_stats), LayerNorm over [C,H,W]
import torch
import torch.nn as nn
torch.manual_seed(4)
x = torch.randn(2, 4, 3, 3, dtype=torch.float64, requires_grad=True)
gn = nn.GroupNorm(2, 4).double()
inn = nn.InstanceNorm2d(4, affine=True, track_running_stats=True).double()
ln = nn.LayerNorm([4, 3, 3]).double()
print(gn, inn, ln, sep="\n")
a = gn(x); b = inn(x); c = ln(x)
print(a[0, 0, 0], b[1, 2, 1], c[0, 3, 2])
(a.pow(2).sum() + (b * c).sum()).backward()
print(x.grad[0, 0])
print(inn.running_mean, inn.running_var)
inn.eval()
print(inn(x)[0, 0, 0])
print(gn.weight.grad, ln.weight.grad.shape)
