"""torch.optim.swa_utils: AveragedModel (SWA and EMA, avg_fn / multi_avg_fn / use_buffers),
the get_*_avg_fn functions and SWALR print what PyTorch prints."""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

_SETUP = """\
import torch
import torch.nn as nn
from torch.optim import swa_utils
from torch.optim.swa_utils import AveragedModel, SWALR, get_ema_avg_fn, get_swa_multi_avg_fn
torch.manual_seed(0)
"""

PROGRAMS = [
    ("swa_loop", _SETUP + """\
model = nn.Linear(3, 1)
swa = AveragedModel(model)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
sched = SWALR(opt, swa_lr=0.05, anneal_epochs=2)
x = torch.randn(8, 3); y = torch.randn(8, 1)
for i in range(4):
    opt.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    opt.step()
    swa.update_parameters(model)
    sched.step()
    print(opt.param_groups[0]['lr'], sched.get_last_lr())
print(swa.module.weight, swa.n_averaged)
print(swa(x)[:2])
"""),
    ("ema_kinds_and_buffers", _SETUP + """\
model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1))
ema = AveragedModel(model, multi_avg_fn=swa_utils.get_ema_multi_avg_fn(0.99),
                    use_buffers=True)
ema2 = AveragedModel(model, avg_fn=get_ema_avg_fn(0.9))
swa = AveragedModel(model, multi_avg_fn=get_swa_multi_avg_fn())
custom = AveragedModel(model, avg_fn=lambda avg, cur, n: 0.5 * avg + 0.5 * cur)
print(ema)
print(list(ema.state_dict().keys()))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
sched = SWALR(opt, swa_lr=[0.01], anneal_epochs=3, anneal_strategy='linear')
x = torch.randn(8, 3); y = torch.randn(8, 1)
for i in range(5):
    opt.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    opt.step()
    for m in (ema, ema2, swa, custom):
        m.update_parameters(model)
    sched.step()
    print(sched.get_last_lr())
for m in (ema, ema2, swa, custom):
    print(m.module[0].weight.data[0], m.module[1].running_mean, m.n_averaged)
ema.eval()
with torch.no_grad():
    print(ema(x)[:3])
print(isinstance(sched, torch.optim.lr_scheduler.LRScheduler), type(ema).__name__)
"""),
    # update_bn: BatchNorm statistics reset and recomputed by one pass in train mode (the
    # cumulative average), a (x, y) batch's first item fed, momenta and mode restored.
    ("update_bn", _SETUP + """\
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4, momentum=0.3), nn.ReLU())
        self.bn2 = nn.BatchNorm1d(4)
    def forward(self, x):
        return self.bn2(self.body(x))
model = Net()
swa = AveragedModel(model)
swa_utils.update_bn([torch.randn(8, 2) for _ in range(3)], swa)
print(swa.module.body[1].running_mean, swa.module.bn2.running_var, swa.module.body[1].momentum)
print(swa.module.bn2.num_batches_tracked, swa.training, swa.module.bn2.momentum)
data = torch.utils.data.TensorDataset(torch.randn(10, 2), torch.randn(10))
model.eval()
swa_utils.update_bn(torch.utils.data.DataLoader(data, batch_size=4), model)
print(model.bn2.running_mean, model.training, model.body[1].training)
print(swa_utils.update_bn([torch.randn(3, 2)], nn.Linear(2, 2)))
"""),
]


@pytest.mark.parametrize("text", [t for _, t in PROGRAMS], ids=[n for n, _ in PROGRAMS])
def test_swa_utils_prints_what_pytorch_prints(text: str) -> None:
    assert gd_output(text) == torch_output(text)


@pytest.mark.parametrize("code", [
    "AveragedModel(nn.Linear(2, 2), avg_fn=get_ema_avg_fn(), "
    "multi_avg_fn=get_swa_multi_avg_fn())",
    "get_ema_avg_fn(1.5)",
    "swa_utils.get_ema_multi_avg_fn(-0.1)",
    "SWALR(torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1), 0.01, "
    "anneal_strategy='exp')",
    "SWALR(torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1), 0.01, anneal_epochs=-1)",
])
def test_swa_utils_errors_are_pytorchs(code: str) -> None:
    text = _SETUP + f"try:\n    {code}\nexcept Exception as e:\n    print(type(e).__name__, e)\n"
    assert gd_output(text) == torch_output(text)
