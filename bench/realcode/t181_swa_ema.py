# exponential moving average of weights by hand (torch._foreach-free), AveragedModel with custom avg_fn, swa_utils.SWALR, update_bn
import torch
import torch.nn as nn
from torch.optim.swa_utils import AveragedModel, SWALR, get_ema_multi_avg_fn
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 1))
ema = {k: v.detach().clone() for k, v in model.state_dict().items()}
opt = torch.optim.SGD(model.parameters(), lr=0.1)
swa_model = AveragedModel(model)
ema_model = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.9))
sched = SWALR(opt, swa_lr=0.05, anneal_epochs=2)
x, y = torch.randn(16, 3), torch.randn(16, 1)
for step in range(4):
    opt.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    opt.step()
    sched.step()
    with torch.no_grad():
        for k, v in model.state_dict().items():
            if v.dtype.is_floating_point:
                ema[k].mul_(0.9).add_(v, alpha=0.1)
    swa_model.update_parameters(model)
    ema_model.update_parameters(model)
    print(step, round(opt.param_groups[0]['lr'], 5), swa_model.n_averaged.item())
print(ema['0.bias'], swa_model.module[0].bias, ema_model.module[0].bias)
torch.optim.swa_utils.update_bn([(x,)], swa_model)
print(swa_model.module[1].running_mean)
