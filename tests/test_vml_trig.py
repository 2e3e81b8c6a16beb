"""float32 sin and cos as PyTorch's x86 build computes them (MKL's vsSin/vsCos,
kernels/vmltrig.py): against PyTorch on a dense sweep of float32 numbers, in every
layout and in the backward pass, and on recorded values where MKL's result is not the
correctly rounded one (5% of values), so the test means something without PyTorch too."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from pyrun import gd_output, torch_output

from gradcli.ad.kernels import elementwise as KE
from gradcli.ad.kernels import vmltrig as V

# π as a double-double: math.pi + this, to ~1e-32.
_PI_TAIL = 1.2246467991473532e-16


def test_the_three_parts_of_pi() -> None:
    exact = Fraction(math.pi) + Fraction(_PI_TAIL)
    assert float(np.float32(V._PI1)) == V._PI1 and float(np.float32(V._PI2)) == V._PI2
    assert float(exact - Fraction(V._PI1) - Fraction(V._PI2)) == V._PI3


# (x, sin(x), cos(x)) as float32 bit patterns, from PyTorch 2.13 (MKL) on x86: values
# where float64's sin/cos rounded once gives the neighbouring float32.
RECORDED = {
    "sin": [(0x411AEDD0, 0xBE82C65E), (0x400B547F, 0x3F526163), (0xC0B521FE, 0x3F15532B),
            (0xC103C92A, 0xBF6D7CCF)],
    "cos": [(0x4034B2E3, 0xBF7326A1), (0xBF4D3AE2, 0x3F320C56), (0x4111E9CB, 0xBF742B63),
            (0x40B82546, 0x3F5D0E15)],
}


def _bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, np.float32).view(np.uint32)


def _sweep(step: int) -> np.ndarray:
    """Every step-th float32 from 2⁻¹² to MKL's reduction limit, with their negatives."""
    lo = np.float32(2.0**-12).view(np.int32)
    hi = np.float32(V.LIMIT).view(np.int32)
    x = np.arange(lo, hi + 1, step, dtype=np.int32).view(np.float32)
    return np.concatenate([x, -x])


@pytest.mark.parametrize("name", ["sin", "cos"])
def test_agrees_with_pytorch_on_a_dense_sweep(name: str) -> None:
    torch = pytest.importorskip("torch")
    x = _sweep(211)
    ours = getattr(V, name + "32")(x)
    theirs = getattr(torch, name)(torch.from_numpy(x)).numpy()
    assert np.array_equal(_bits(ours), _bits(theirs))
    # not the float64 function rounded once: the test would not tell them apart otherwise
    assert np.mean(ours != getattr(np, name)(x.astype(np.float64)).astype(np.float32)) > 0.01


@pytest.mark.parametrize("name", ["sin", "cos"])
def test_special_values_and_past_the_limit(name: str) -> None:
    torch = pytest.importorskip("torch")
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-30, -1e-30, 2.0**-149, 1.5707964,
                  3.1415927, 8192.0, -8192.0, 8192.001, 1e5, -3e7, 3.4e38], np.float32)
    ours = getattr(KE, name)(x)
    theirs = getattr(torch, name)(torch.from_numpy(x)).numpy()
    finite = np.abs(x) <= V.LIMIT
    assert np.array_equal(_bits(ours[finite]), _bits(theirs[finite]))
    assert np.array_equal(np.isnan(ours), np.isnan(theirs))
    np.testing.assert_allclose(ours[~finite & ~np.isnan(ours)],
                               theirs[~finite & ~np.isnan(theirs)], rtol=1e-6)


def test_layouts_and_the_scalar_path() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(-10, 10, (8, 8)).astype(np.float32)
    whole = V.sin32(x)
    assert np.array_equal(_bits(V.sin32(x.T)), _bits(whole.T))
    assert np.array_equal(_bits(V.sin32(x[:, ::2])), _bits(whole[:, ::2]))
    for v in x.ravel()[:16]:
        assert _bits(KE.scalar_sin(v)) == _bits(V.sin32(np.array(v)))
        assert _bits(KE.scalar_cos(v)) == _bits(V.cos32(np.array(v)))
        assert V.sin32(np.array(v)).shape == ()


@pytest.mark.parametrize("name", ["sin", "cos"])
def test_recorded_pytorch_values(name: str) -> None:
    for xb, yb in RECORDED[name]:
        x = np.array([xb], np.uint32).view(np.float32)
        assert _bits(getattr(V, name + "32")(x))[0] == yb
        assert _bits(getattr(np, name)(x.astype(np.float64)).astype(np.float32))[0] != yb


PROGRAM = """\
import torch, math
x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
p = 0.1 + 0.8 * x - 0.02 * x ** 2 - 0.09 * x ** 3
print((p - y).pow(2).sum().item(), y.sum().item(), torch.cos(x).sum().item())
t = torch.tensor([0.5, 1.0, 2.0, -3.0, 7.25], requires_grad=True)
(torch.sin(t) * torch.cos(t)).sum().backward()
print(t.grad.tolist(), torch.sin(t[2]).item(), t.detach().cos_().tolist())
"""


def test_the_tutorial_polynomial_fit_prints_what_pytorch_prints() -> None:
    assert gd_output(PROGRAM) == torch_output(PROGRAM)
