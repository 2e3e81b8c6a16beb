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
