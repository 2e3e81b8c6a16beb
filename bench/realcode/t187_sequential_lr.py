# scheduler composition: SequentialLR warmup (LinearLR) then CosineAnnealingLR, ChainedScheduler, ConstantLR, PolynomialLR, scheduler state_dict
import torch
from torch.optim.lr_scheduler import SequentialLR, LinearLR, CosineAnnealingLR, ChainedScheduler, ConstantLR, ExponentialLR, PolynomialLR
p = torch.nn.Parameter(torch.zeros(1))
opt = torch.optim.SGD([p], lr=1.0)
warm = LinearLR(opt, start_factor=0.1, total_iters=3)
cos = CosineAnnealingLR(opt, T_max=5)
sched = SequentialLR(opt, schedulers=[warm, cos], milestones=[3])
out = []
for _ in range(9):
    opt.step()
    sched.step()
    out.append(round(sched.get_last_lr()[0], 5))
print(out)
opt2 = torch.optim.SGD([p], lr=1.0)
ch = ChainedScheduler([ConstantLR(opt2, factor=0.5, total_iters=2), ExponentialLR(opt2, gamma=0.9)])
vals = []
for _ in range(4):
    opt2.step()
    ch.step()
    vals.append(round(opt2.param_groups[0]['lr'], 5))
print(vals)
opt3 = torch.optim.SGD([p], lr=0.5)
poly = PolynomialLR(opt3, total_iters=4, power=2.0)
for _ in range(5):
    opt3.step()
    poly.step()
print(poly.get_last_lr(), sorted(poly.state_dict().keys()))
