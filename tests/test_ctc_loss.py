"""nn.CTCLoss / F.ctc_loss: PyTorch's values, gradients (its exp(log_probs) - γ, the
logits' gradient through log_softmax), grad_fn names, reductions, zero_infinity,
concatenated and unbatched targets, and its errors."""

from __future__ import annotations

import pytest
from pyrun import gd_output, guarded_program, torch_output

_SETUP = """\
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
"""

PROGRAMS = [
    ("docs_example", _SETUP + """\
T, C, N, S, S_min = 50, 20, 16, 30, 10
input = torch.randn(T, N, C).log_softmax(2).detach().requires_grad_()
target = torch.randint(low=1, high=C, size=(N, S), dtype=torch.long)
input_lengths = torch.full(size=(N,), fill_value=T, dtype=torch.long)
target_lengths = torch.randint(low=S_min, high=S, size=(N,), dtype=torch.long)
ctc_loss = nn.CTCLoss()
loss = ctc_loss(input, target, input_lengths, target_lengths)
print(ctc_loss, loss)
loss.backward()
print(input.grad[0, :2], input.grad[-1, -1])
"""),
    ("concatenated_float64_reductions", _SETUP + """\
x = torch.randn(12, 3, 5, dtype=torch.float64, requires_grad=True)
lp = F.log_softmax(x, dim=-1)
il, tl = torch.tensor([12, 9, 7]), torch.tensor([3, 2, 0])
tg = torch.tensor([1, 2, 2, 3, 3])
for red in ['none', 'sum', 'mean']:
    print(red, F.ctc_loss(lp, tg, il, tl, reduction=red))
F.ctc_loss(lp, tg, (12, 9, 7), (3, 2, 0), reduction='sum').backward()
print(x.grad[:, 1], x.grad[8:, 2])
"""),
    ("zero_infinity_blank_unbatched", _SETUP + """\
lp = torch.randn(3, 2, 4).log_softmax(2).detach().requires_grad_()
tg = torch.tensor([[1, 1, 1], [1, 2, 3]])
print(F.ctc_loss(lp, tg, [3, 3], [3, 3], reduction='none'))
z = F.ctc_loss(lp, tg, [3, 3], [3, 3], reduction='none', zero_infinity=True)
print(z)
z.sum().backward()
print(lp.grad)
u = torch.randn(6, 4).log_softmax(1).detach().requires_grad_()
lu = F.ctc_loss(u, torch.tensor([1, 3]), (6,), (2,), reduction='none')
print(lu)
lu.backward()
print(u.grad)
print(nn.CTCLoss(blank=3, reduction='sum', zero_infinity=True))
print(F.ctc_loss(torch.randn(5, 1, 4).log_softmax(2), torch.tensor([[0, 1]]), [5], [2],
                 blank=3))
"""),
]


@pytest.mark.parametrize("text", [t for _, t in PROGRAMS], ids=[n for n, _ in PROGRAMS])
def test_ctc_loss_prints_what_pytorch_prints(text: str) -> None:
    assert gd_output(text) == torch_output(text)


@pytest.mark.parametrize("code", [
    "F.ctc_loss(lp, tg, [4, 3], [2, 2])",
    "F.ctc_loss(lp, tg, [3, 3], [3, 3])",
    "F.ctc_loss(lp, torch.tensor([1, 2, 3]), [3, 3], [2, 2])",
    "F.ctc_loss(lp, tg, [3], [2, 2])",
    "F.ctc_loss(lp, tg, [3, 3], [2])",
    "F.ctc_loss(lp.long(), tg, [3, 3], [2, 2])",
    "F.ctc_loss(lp, tg, [3, 3], [2, 2], reduction='avg')",
])
def test_ctc_loss_errors_are_pytorchs(code: str) -> None:
    text = guarded_program(code, _SETUP + "lp = torch.randn(3, 2, 4).log_softmax(2)\n"
                           "tg = torch.tensor([[1, 2], [1, 2]])\n")
    assert gd_output(text) == torch_output(text)


def test_ctc_gradient_of_the_logits_is_the_derivative() -> None:
    # Through log_softmax PyTorch's exp(log_probs) - γ is the true gradient of the logits:
    # central differences agree (float64).
    text = """\
import torch
import torch.nn.functional as F
torch.manual_seed(3)
x = torch.randn(7, 2, 4, dtype=torch.float64, requires_grad=True)
tg = torch.tensor([[1, 1, 2], [3, 2, 0]])
def f(x):
    return F.ctc_loss(F.log_softmax(x, -1), tg, [7, 6], [3, 2])
f(x).backward()
h = 1e-6
worst = 0.0
for i in range(7):
    for b in range(2):
        for c in range(4):
            e = torch.zeros_like(x)
            e[i, b, c] = h
            with torch.no_grad():
                fd = (f(x + e) - f(x - e)) / (2 * h)
            worst = max(worst, abs(fd.item() - x.grad[i, b, c].item()))
print(worst < 1e-7)
"""
    assert gd_output(text) == "True\n"


def test_ctc_double_backward_is_not_implemented() -> None:
    text = guarded_program(
        "g, = torch.autograd.grad(F.ctc_loss(lp, tg, [3, 3], [2, 2]), lp, create_graph=True)\n"
        "print(g.grad_fn is not None)\ng.sum().backward()",
        _SETUP + "lp = torch.randn(3, 2, 4).log_softmax(2).detach().requires_grad_()\n"
        "tg = torch.tensor([[1, 2], [1, 2]])\n")
    assert gd_output(text) == torch_output(text)
