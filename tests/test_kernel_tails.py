"""The C library's scalar loop: PyTorch's vectorised kernels call C's pow, log1p, atanh,
hypot, ... on the elements their vector loop leaves (a short tensor has only those). C
returns a pole's infinity where Python's math module raises (gd printed nan for
tensor([0.]) ** tensor([-3.]) in float64), and Python's hypot is its own algorithm, not
C's (gd's float64 hypot differed in the last bit on some tail elements)."""

from __future__ import annotations

from pyrun import gd_output, torch_output

PROGRAM = """\
import torch
for dt in (torch.float32, torch.float64):
    a = torch.tensor([0.0, -0.0, 2.0], dtype=dt)
    print(a ** torch.tensor([-3.0, -3.0, -1.5], dtype=dt))
    print(torch.pow(a, torch.tensor(-2.5, dtype=dt)))
    print(torch.log1p(torch.tensor([-1.0, 0.5], dtype=dt)))
    print(a ** -3)
    print(a ** -2.5)
    print(torch.atanh(torch.tensor([1.0, -1.0], dtype=dt)))
    print(torch.log(a))
    print(torch.lgamma(a))
torch.manual_seed(0)
a = torch.randn(138, dtype=torch.float64)
b = torch.randn(138, dtype=torch.float64) * 2
print(torch.hypot(a, b)[-2:].tolist())
"""

EXPECTED = (
    'tensor([   inf,   -inf, 0.3536])\n'
    'tensor([   inf,    inf, 0.1768])\n'
    'tensor([  -inf, 0.4055])\n'
    'tensor([   inf,   -inf, 0.1250])\n'
    'tensor([   inf,    inf, 0.1768])\n'
    'tensor([inf, -inf])\n'
    'tensor([  -inf,   -inf, 0.6931])\n'
    'tensor([inf, inf, 0.])\n'
    'tensor([   inf,   -inf, 0.3536], dtype=torch.float64)\n'
    'tensor([   inf,    inf, 0.1768], dtype=torch.float64)\n'
    'tensor([  -inf, 0.4055], dtype=torch.float64)\n'
    'tensor([   inf,   -inf, 0.1250], dtype=torch.float64)\n'
    'tensor([   inf,    inf, 0.1768], dtype=torch.float64)\n'
    'tensor([inf, -inf], dtype=torch.float64)\n'
    'tensor([  -inf,   -inf, 0.6931], dtype=torch.float64)\n'
    'tensor([inf, inf, 0.], dtype=torch.float64)\n'
    '[2.1844562098345097, 2.0509241879974174]\n'
)


def test_gd_prints_the_c_librarys_results() -> None:
    assert gd_output(PROGRAM) == EXPECTED


def test_the_literal_is_what_pytorch_prints() -> None:
    assert torch_output(PROGRAM) == EXPECTED
