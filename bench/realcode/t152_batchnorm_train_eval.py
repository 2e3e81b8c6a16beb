# BatchNorm running stats: momentum update, eval uses running stats, track_running_stats False, num_batches_tracked, momentum None cumulative
import torch
import torch.nn as nn
torch.manual_seed(0)
bn = nn.BatchNorm1d(3)
x = torch.randn(8, 3) * 2 + 1
y = bn(x)
print(bn.running_mean, bn.running_var, bn.num_batches_tracked)
print(y.mean(0).abs().max() < 1e-6, y.var(0, unbiased=False))
bn.eval()
print(bn(x)[:2])
bn2 = nn.BatchNorm1d(3, momentum=None)
for _ in range(3):
    bn2(torch.randn(4, 3))
print(bn2.running_mean, bn2.num_batches_tracked)
bn3 = nn.BatchNorm1d(3, track_running_stats=False)
bn3.eval()
print(bn3.running_mean, bn3(x).mean(0).abs().max() < 1e-6)
bn4 = nn.BatchNorm2d(2, affine=False)
print(bn4(torch.randn(2, 2, 3, 3)).shape, list(bn4.state_dict().keys()))
