# OneCycleLR schedule: printing lr and momentum each step, cos and linear anneal strategies, three_phase
import torch
model = torch.nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10)
for i in range(10):
    opt.step()
    print(i, f"{sched.get_last_lr()[0]:.6f}", f"{opt.param_groups[0]['momentum']:.4f}")
    sched.step()
opt2 = torch.optim.Adam(model.parameters(), lr=0.1)
s2 = torch.optim.lr_scheduler.OneCycleLR(opt2, max_lr=0.5, epochs=2, steps_per_epoch=4, anneal_strategy='linear', three_phase=True)
lrs = []
for _ in range(8):
    opt2.step()
    lrs.append(round(s2.get_last_lr()[0], 6))
    s2.step()
print(lrs)
print(opt2.param_groups[0]['betas'])
