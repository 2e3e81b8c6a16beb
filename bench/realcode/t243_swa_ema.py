# torch.optim.swa_utils: AveragedModel (SWA and EMA via get_ema_multi_avg_fn), SWALR, update_bn
import torch
import torch.nn as nn
from torch.optim.swa_utils import AveragedModel, SWALR, update_bn, get_ema_multi_avg_fn
torch.manual_seed(49)
model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1)).double()
swa_model = AveragedModel(model)
ema_model = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.9))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
swa_sched = SWALR(opt, swa_lr=0.05, anneal_epochs=2)
X = torch.randn(16, 3, dtype=torch.float64); Y = torch.randn(16, 1, dtype=torch.float64)
loader = [(X[:8], Y[:8]), (X[8:], Y[8:])]
for epoch in range(4):
    for xb, yb in loader:
        opt.zero_grad()
        nn.functional.mse_loss(model(xb), yb).backward()
        opt.step()
        ema_model.update_parameters(model)
    if epoch >= 1:
        swa_model.update_parameters(model)
        swa_sched.step()
    print(epoch, opt.param_groups[0]['lr'])
print(swa_model.n_averaged)
update_bn([xb for xb, _ in loader], swa_model)
print(swa_model.module[1].running_mean)
swa_model.eval()
print(swa_model(X[:2]))
print(ema_model.module[0].bias)
