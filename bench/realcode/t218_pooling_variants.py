# Pooling variants: avg_pool2d count_include_pad, ceil_mode, max_pool with indices + unpool, LPPool, adaptive max
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(9)
x = torch.randn(1, 2, 5, 5, dtype=torch.float64, requires_grad=True)
print(F.avg_pool2d(x, 3, stride=2, padding=1))
print(F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False))
print(F.max_pool2d(x, 2, ceil_mode=True).shape)
out, idx = F.max_pool2d(x, 2, return_indices=True)
print(idx)
up = nn.MaxUnpool2d(2)(out, idx, output_size=x.size())
print(up[0, 0])
print(nn.LPPool2d(2, 2)(x).shape)
am, ai = F.adaptive_max_pool2d(x, (2, 3), return_indices=True)
print(am, ai)
(am.sum() + F.adaptive_avg_pool2d(x, (3, 2)).sum()).backward()
print(x.grad[0, 1])
print(F.avg_pool1d(torch.arange(8.).view(1, 1, 8), 3, 2))
print(nn.AvgPool2d(2, divisor_override=1)(torch.ones(1, 1, 4, 4)))
