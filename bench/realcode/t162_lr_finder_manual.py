# manual LR range test: exponentially increasing lr via param_groups, smoothed loss, stop on divergence, StepLR/MultiStepLR/ExponentialLR get_last_lr
import math
import torch
import torch.nn as nn
torch.manual_seed(0)
X = torch.randn(32, 4)
y = X @ torch.tensor([1.0, -1.0, 2.0, 0.5]) + 0.1 * torch.randn(32)
model = nn.Linear(4, 1)
opt = torch.optim.SGD(model.parameters(), lr=1e-4)
lr, mult = 1e-4, (1.0 / 1e-4) ** (1 / 20)
avg, best, beta = 0.0, float('inf'), 0.98
for i in range(1, 21):
    opt.param_groups[0]['lr'] = lr
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(X).squeeze(1), y)
    avg = beta * avg + (1 - beta) * loss.item()
    smoothed = avg / (1 - beta ** i)
    if smoothed > 4 * best:
        print('diverged at', i, f"{lr:.2e}")
        break
    best = min(best, smoothed)
    loss.backward()
    opt.step()
    lr *= mult
print(f"{best:.4f}", f"{math.log10(lr):.3f}")
for cls, kw in [(torch.optim.lr_scheduler.StepLR, {'step_size': 2, 'gamma': 0.5}),
                (torch.optim.lr_scheduler.MultiStepLR, {'milestones': [1, 3], 'gamma': 0.1}),
                (torch.optim.lr_scheduler.ExponentialLR, {'gamma': 0.9})]:
    o = torch.optim.SGD(model.parameters(), lr=1.0)
    s = cls(o, **kw)
    seq = []
    for _ in range(5):
        o.step()
        s.step()
        seq.append(round(s.get_last_lr()[0], 5))
    print(cls.__name__, seq)
