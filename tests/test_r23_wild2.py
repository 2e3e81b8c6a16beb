"""Round 23, a fresh sample of autograd / optimisation / training scripts from public
repositories: each class they showed, as a small program of our own compared with what
PyTorch prints."""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

# Loss modules built with the legacy size_average/reduce keywords (the Chinese course
# code's MSELoss(size_average=False)): PyTorch maps the pair to a reduction, whatever
# reduction= says, and only warns.
_LEGACY_LOSS_KEYWORDS = """
import torch
import torch.nn as nn
x = torch.tensor([[0.5], [1.5], [2.0]])
y = torch.tensor([[1.0], [1.0], [3.0]])
for sa, rd in ((False, None), (True, None), (None, False), (False, True), (True, False)):
    for cls in (nn.MSELoss, nn.L1Loss, nn.SmoothL1Loss):
        m = cls(size_average=sa, reduce=rd)
        print(cls.__name__, sa, rd, m.reduction, m(x, y))
p = torch.tensor([[0.2], [0.7], [0.9]])
t = torch.tensor([[0.0], [1.0], [1.0]])
print(nn.BCELoss(size_average=False)(p, t), nn.BCELoss(reduce=False)(p, t).shape)
logits = torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]])
labels = torch.tensor([1, 2])
print(nn.CrossEntropyLoss(size_average=False)(logits, labels))
print(nn.NLLLoss(None, False)(logits.log_softmax(1), labels))
print(nn.MSELoss(size_average=False, reduction='mean')(x, y))
print(nn.MSELoss(size_average=False), nn.KLDivLoss(reduce=False).reduction)
"""

_PROGRAMS = {
    "legacy_loss_keywords": _LEGACY_LOSS_KEYWORDS,
}


@pytest.mark.parametrize("name", sorted(_PROGRAMS))
def test_matches_pytorch(name: str) -> None:
    program = _PROGRAMS[name]
    assert gd_output(program) == torch_output(program)
