# CosineAnnealingWarmRestarts with T_mult, fractional epoch stepping inside the batch loop, CosineAnnealingLR eta_min
import torch
from torch.optim.lr_scheduler import CosineAnnealingWarmRestarts, CosineAnnealingLR
p = torch.nn.Parameter(torch.zeros(1))
opt = torch.optim.SGD([p], lr=0.1)
sched = CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2, eta_min=0.001)
out = []
for epoch in range(10):
    out.append(round(opt.param_groups[0]['lr'], 6))
    opt.step()
    sched.step()
print(out)
opt2 = torch.optim.SGD([p], lr=0.1)
s2 = CosineAnnealingWarmRestarts(opt2, T_0=2)
iters = 4
for epoch in range(2):
    for i in range(iters):
        opt2.step()
        s2.step(epoch + i / iters)
        print(epoch, i, f"{s2.get_last_lr()[0]:.6f}")
opt3 = torch.optim.SGD([p], lr=1.0)
s3 = CosineAnnealingLR(opt3, T_max=5, eta_min=0.1)
vals = []
for _ in range(7):
    opt3.step()
    s3.step()
    vals.append(f"{s3.get_last_lr()[0]:.4f}")
print(vals, s3.last_epoch, s3.T_max)
