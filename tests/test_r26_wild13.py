"""Round 26, Chinese-language PyTorch tutorials and study notes (autograd basics, tensor
operations, losses explained with printed values, small training loops): the classes the
sample found, each as a small program of our own compared with what PyTorch prints."""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output

# A scheduler's own settings are public attributes in PyTorch: LambdaLR's and
# MultiplicativeLR's lr_lambdas (the list of the functions, one per parameter group) and
# MultiStepLR's milestones (a collections.Counter of the epochs), beside StepLR's step_size
# and every scheduler's gamma, base_lrs and last_epoch.
_SCHEDULER_SETTINGS = """
import torch
from torch.optim import lr_scheduler
w = torch.zeros(3, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.2)
def halve(epoch):
    return 0.5 ** epoch
lam = lr_scheduler.LambdaLR(opt, lr_lambda=halve)
print(len(lam.lr_lambdas), lam.lr_lambdas[0] is halve, lam.lr_lambdas[0](3))
mul = lr_scheduler.MultiplicativeLR(opt, lambda e: 0.9)
print(type(mul.lr_lambdas).__name__, len(mul.lr_lambdas), mul.lr_lambdas[0](7))
ms = lr_scheduler.MultiStepLR(opt, milestones=[6, 2, 6], gamma=0.1)
print(ms.milestones, ms.milestones[6], ms.milestones[4], sorted(ms.milestones))
print(type(ms.milestones).__name__, ms.gamma, ms.base_lrs, ms.last_epoch)
two = torch.optim.SGD([{"params": [w]}, {"params": [torch.ones(1, requires_grad=True)]}],
                      lr=1.0)
per_group = lr_scheduler.LambdaLR(two, [lambda e: 1.0, lambda e: 0.1 * (e + 1)])
print([f(2) for f in per_group.lr_lambdas])
for _ in range(3):
    two.step()
    per_group.step()
print(per_group.get_last_lr())
"""


@pytest.mark.parametrize("program", [_SCHEDULER_SETTINGS])
def test_scheduler_settings_are_attributes(program: str) -> None:
    assert masked(gd_output(program)) == masked(torch_output(program))


# Module.to(dtype) takes a complex dtype as PyTorch does (with its UserWarning): floating
# and complex parameters and buffers take the dtype, integer buffers (BatchNorm's
# num_batches_tracked) keep theirs; back to a real dtype they drop the imaginary part.
# (Complex autograd is gradcli's documented limit, so no forward pass with grad here.)
_MODULE_TO_COMPLEX = """
import torch
import torch.nn as nn
torch.manual_seed(0)
lin = nn.Linear(2, 2, bias=None).to(torch.cdouble)
print(lin.weight)
m = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2)).to(torch.complex64)
print([(n, t.dtype) for n, t in m.state_dict().items()])
with torch.no_grad():
    m[0].bias.add_(1j)
    print(m[0].bias)
m.to(torch.float32)
print([(n, t.dtype) for n, t in m.state_dict().items()], m[0].bias)
m.to(dtype=torch.complex128)
print(m[0].weight.dtype, m[1].num_batches_tracked.dtype, m[1].running_var)
m.double()
print(m[0].weight.dtype)
with torch.no_grad():
    print(lin(torch.ones(3, 2, dtype=torch.cdouble)))
for bad in (torch.int32, torch.bool):
    try:
        nn.Linear(2, 2).to(bad)
    except TypeError as e:
        print(e)
"""


@pytest.mark.parametrize("program", [_MODULE_TO_COMPLEX])
def test_module_to_complex_dtype(program: str) -> None:
    assert masked(gd_output(program)) == masked(torch_output(program))
