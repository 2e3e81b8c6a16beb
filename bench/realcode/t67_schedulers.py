# learning-rate schedulers: StepLR, ExponentialLR, CosineAnnealingLR, OneCycleLR, ReduceLROnPlateau, LambdaLR
import torch
from torch.optim import lr_scheduler
model = torch.nn.Linear(2, 1)
def lrs(sched_fn, n=8, opt_fn=lambda p: torch.optim.SGD(p, lr=0.1)):
    opt = opt_fn(model.parameters())
    sch = sched_fn(opt)
    out = []
    for _ in range(n):
        opt.step()
        sch.step()
        out.append(round(sch.get_last_lr()[0], 6))
    return out
print(lrs(lambda o: lr_scheduler.StepLR(o, step_size=3, gamma=0.5)))
print(lrs(lambda o: lr_scheduler.ExponentialLR(o, gamma=0.9)))
print(lrs(lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=0.01)))
print(lrs(lambda o: lr_scheduler.MultiStepLR(o, milestones=[2, 5], gamma=0.1)))
print(lrs(lambda o: lr_scheduler.LambdaLR(o, lambda e: 0.95 ** e)))
print(lrs(lambda o: lr_scheduler.OneCycleLR(o, max_lr=1.0, total_steps=10)))
print(lrs(lambda o: lr_scheduler.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2)))
print(lrs(lambda o: lr_scheduler.LinearLR(o, start_factor=0.25, total_iters=4)))
print(lrs(lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2)))
opt = torch.optim.Adam(model.parameters(), lr=0.01)
pl = lr_scheduler.ReduceLROnPlateau(opt, mode='min', factor=0.5, patience=1)
for v in [1.0, 0.9, 0.95, 0.96, 0.97, 0.5, 0.6, 0.7]:
    pl.step(v)
    print(opt.param_groups[0]['lr'], end=' ')
print()
seq = lr_scheduler.SequentialLR(opt, [lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=2), lr_scheduler.ExponentialLR(opt, gamma=0.5)], milestones=[2])
for _ in range(4):
    opt.step(); seq.step(); print(seq.get_last_lr())
print(lr_scheduler.StepLR(torch.optim.SGD(model.parameters(), lr=1.0), 2).state_dict())
