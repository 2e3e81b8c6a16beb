"""add / sub with alpha ≠ 1 as PyTorch computes them: one fused multiply-add (the product
and the sum rounded once), one AddBackward0 / SubBackward0 node whose edges go straight to
the operands, and alpha in the derivative. Found in round 9: gd multiplied, then added (two
roundings, and a MulBackward0 node in the graph), so `p.add_(g, alpha=-lr)` drifted from
PyTorch in the last bits of every step."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from pyrun import gd_output, torch_output

from gradcli.ad import ops as F
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdError


def _rounded_once(a: float, b: float, alpha: float, dtype: type) -> float:
    """a + alpha·b exactly, then rounded to dtype (ties to even), the FMA's value."""
    exact = Fraction(float(a)) + Fraction(float(dtype(alpha))) * Fraction(float(b))
    lo = dtype(float(exact))  # nearest double, then the dtype: fix double rounding below
    candidates = [np.nextafter(lo, dtype(-np.inf)), lo, np.nextafter(lo, dtype(np.inf))]
    return min(candidates, key=lambda c: (abs(Fraction(float(c)) - exact),
                                          int(np.array(c).view(np.int32 if dtype is np.float32
                                                                else np.int64)) & 1))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("alpha", [-0.1, 0.3, 3.0, -1e-3])
def test_add_and_sub_with_alpha_round_once(dtype: type, alpha: float) -> None:
    rng = np.random.default_rng(0)
    a = rng.standard_normal(400).astype(dtype)
    b = rng.standard_normal(400).astype(dtype)
    added = F.add(Tensor(a), Tensor(b), alpha=alpha).array
    subbed = F.sub(Tensor(a), Tensor(b), alpha=alpha).array
    assert added.dtype == subbed.dtype == np.dtype(dtype)
    for i in range(0, 400, 7):
        assert added[i] == _rounded_once(a[i], b[i], alpha, dtype)
        assert subbed[i] == _rounded_once(a[i], b[i], -alpha, dtype)
    if alpha == 0.3:  # mul then add (what gd did) differs in places: the test can tell
        assert not np.array_equal(a + dtype(alpha) * b, added)


PROGRAM = """\
x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([0.5, -1.5], requires_grad=True)
y = torch.add(x, w, alpha=3)
print(y, y.grad_fn.name(), [f.name() for f, _ in y.grad_fn.next_functions])
y.sum().backward()
print(x.grad, w.grad)
z = torch.sub(x, w, alpha=0.5)
print(z, z.grad_fn.name())
g, = torch.autograd.grad(torch.add(x * x, x, alpha=2).sum(), x, create_graph=True)
print(g, torch.autograd.grad(g.sum(), x))
a = torch.tensor([1, 2, 3])
print(torch.add(a, torch.tensor([4, 5, 6]), alpha=2), a.sub(1, alpha=2))
p = torch.tensor([0.1, 0.2], dtype=torch.float64)
p.add_(torch.tensor([0.3, 0.7], dtype=torch.float64), alpha=-0.01)
print(p.tolist())
"""
EXPECTED = """\
tensor([ 2.5000, -2.5000], grad_fn=<AddBackward0>) AddBackward0 \
['torch::autograd::AccumulateGrad', 'torch::autograd::AccumulateGrad']
tensor([1., 1.]) tensor([3., 3.])
tensor([0.7500, 2.7500], grad_fn=<SubBackward0>) SubBackward0
tensor([4., 6.], grad_fn=<AddBackward0>) (tensor([2., 2.]),)
tensor([ 9, 12, 15]) tensor([-1,  0,  1])
[0.097, 0.193]
"""


def test_alpha_graph_and_gradients_are_pytorchs() -> None:
    assert gd_output(PROGRAM) == EXPECTED


def test_alpha_program_prints_what_pytorch_prints() -> None:
    assert torch_output(PROGRAM) == EXPECTED


def test_a_float_alpha_on_integers_is_refused_as_pytorch_refuses_it() -> None:
    with pytest.raises(GdError, match="argument alpha must not be a floating point number"):
        F.add(Tensor(np.array([1, 2])), Tensor(np.array([1, 2])), alpha=0.5)
