# BatchNorm momentum=None cumulative average, affine=False, track_running_stats=False, eval, grouped ConvTranspose2d
import torch
import torch.nn as nn
torch.manual_seed(60)
bn = nn.BatchNorm1d(3, momentum=None)
for i in range(3):
    bn(torch.randn(5, 3) * (i + 1))
    print(bn.running_mean, bn.running_var, bn.num_batches_tracked)
bn2 = nn.BatchNorm2d(2, affine=False, track_running_stats=False)
print(bn2, bn2.running_mean)
bn2.eval()
x = torch.randn(2, 2, 3, 3)
print(bn2(x)[0, 0, 0])
bn3 = nn.BatchNorm1d(3, eps=1e-3, momentum=0.3)
bn3(torch.randn(4, 3, 2))
print(bn3, bn3.running_var)
ct = nn.ConvTranspose2d(4, 4, 3, stride=2, groups=2, dilation=1).double()
print(ct, ct.weight.shape, ct(torch.randn(1, 4, 2, 2, dtype=torch.float64)).shape)
bn.reset_running_stats()
print(bn.running_mean, bn.num_batches_tracked)
