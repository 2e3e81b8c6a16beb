# LambdaLR warmup with lambda, MultiplicativeLR, ReduceLROnPlateau with patience/threshold/cooldown and its state
import torch
p = torch.nn.Parameter(torch.zeros(1))
opt = torch.optim.SGD([p], lr=0.5)
warmup = 3
sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=lambda e: min(1.0, (e + 1) / warmup) * 0.95 ** e)
for e in range(6):
    opt.step()
    sched.step()
    print(e, round(opt.param_groups[0]['lr'], 6))
opt2 = torch.optim.SGD([p], lr=1.0)
m = torch.optim.lr_scheduler.MultiplicativeLR(opt2, lr_lambda=lambda e: 0.9)
for e in range(3):
    opt2.step(); m.step()
print(m.get_last_lr())
opt3 = torch.optim.Adam([p], lr=0.01)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt3, mode='min', factor=0.5, patience=2, threshold=0.01, cooldown=1)
losses = [1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.5, 0.6, 0.7, 0.8, 0.9]
for i, l in enumerate(losses):
    plateau.step(l)
    print(i, opt3.param_groups[0]['lr'], plateau.num_bad_epochs, plateau.best)
print(plateau.get_last_lr(), plateau.cooldown_counter)
