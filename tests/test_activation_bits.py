"""Activations and special functions give PyTorch's CPU bits (float32 and float64).

PyTorch computes them in its vectorised kernels (aten/src/ATen/native/cpu/Activation.cpp)
with SLEEF's u10 functions; gd has those functions in kernels/vecmath.py (SLEEF's
algorithms with exact FMAs) and the kernels' formulas in kernels/nn.py. Here: the bits
against the installed torch on random inputs and edge values, a few values recorded from
torch 2.13 that run without it, and rrelu's draws.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyrun import gd_output, torch_output

from gradcli.ad import ops
from gradcli.ad.graph import tensor_from_array
from gradcli.ad.kernels import vecmath as VM

F = ops.members("torch.nn.functional")
T = ops.members("torch")
_RNG = np.random.default_rng(11)
_EDGES = [0.0, -0.0, 1e-30, -1e-30, 1e-8, -1e-8, 20.0, -20.0, 88.7, -88.7, 1e3, -1e3,
          math.inf, -math.inf, math.nan]


def _inputs(dtype: type, n: int = 8192) -> np.ndarray:
    x = np.concatenate([_RNG.uniform(-9, 9, n), _RNG.standard_normal(n // 2)
                        * 10.0 ** _RNG.uniform(-12, 2.5, n // 2), _EDGES])
    return x.astype(dtype)


def _bits(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    return a.view(np.uint32 if a.dtype == np.float32 else np.uint64)


def _same(got: np.ndarray, want: np.ndarray) -> int:
    """How many elements differ (NaNs of either sign count as equal)."""
    both_nan = np.isnan(got) & np.isnan(want)
    return int(((_bits(got) != _bits(want)) & ~both_nan).sum())


ACTIVATIONS = [
    ("softplus", {}), ("softplus", {"beta": 2.0}), ("elu", {}), ("elu", {"alpha": 0.5}),
    ("selu", {}), ("celu", {"alpha": 2.0}), ("gelu", {"approximate": "tanh"}), ("mish", {}),
    ("logsigmoid", {}), ("hardsigmoid", {}), ("silu", {}),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("name", "kw"), ACTIVATIONS, ids=[f"{a}{b or ''}" for a, b in ACTIVATIONS])
def test_activation_and_its_gradient_are_pytorchs_bits(name: str, kw: dict, dtype: str) -> None:
    torch = pytest.importorskip("torch")
    x = _inputs(np.dtype(dtype).type)
    g = _RNG.standard_normal(x.size).astype(x.dtype)
    tx = torch.from_numpy(x.copy()).requires_grad_()
    ty = getattr(torch.nn.functional, name)(tx, **kw)
    ty.backward(torch.from_numpy(g))
    gx = tensor_from_array(x.copy()).requires_grad_()
    gy = F[name](gx, **kw)
    gy.backward(tensor_from_array(g))
    assert _same(gy.array, ty.detach().numpy()) == 0
    assert _same(gx.grad.array, tx.grad.numpy()) == 0


def test_gelu_float32_is_onednns_bits() -> None:
    """PyTorch runs float32 gelu (contiguous, more than one element) in oneDNN's JIT
    eltwise: its AVX2 exp and Abramowitz-Stegun erf, or on an AVX-512 CPU its minimax
    polynomial (kernels/onednn_eltwise.py)."""
    torch = pytest.importorskip("torch")
    x = _inputs(np.float32)
    got = F["gelu"](tensor_from_array(x.copy())).array
    assert _same(got, torch.nn.functional.gelu(torch.from_numpy(x)).numpy()) == 0


def test_gelu_float64_is_pytorchs_bits() -> None:
    """The exact gelu in float64 (SLEEF's erf; the float32 one runs in oneDNN)."""
    torch = pytest.importorskip("torch")
    x = _RNG.uniform(-9, 9, 16384)
    got = F["gelu"](tensor_from_array(x.copy())).array
    want = torch.nn.functional.gelu(torch.from_numpy(x)).numpy()
    assert _same(got, want) == 0


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ["expm1", "log1p"])
def test_expm1_log1p_are_pytorchs_bits_on_every_element(name: str, dtype: str) -> None:
    """vec::map computes even the last partial vector with SLEEF: every length."""
    torch = pytest.importorskip("torch")
    for n in (1, 7, 33, 4099):
        x = _inputs(np.dtype(dtype).type)[:n]
        if name == "log1p":
            x = np.abs(x)
        got = T[name](tensor_from_array(x.copy())).array
        assert _same(got, getattr(torch, name)(torch.from_numpy(x)).numpy()) == 0


# SLEEF's bits in torch 2.13 (Sleef_*f8_u10) for float32 inputs where the correctly rounded
# value is the neighbouring float (input and result as bit patterns).
RECORDED = [
    ("expm1", 0x3FE84DC4, 0x40A47D51), ("log1p", 0x3E01D96B, 0x3DF48131),
    ("tanh", 0x3EE37F4B, 0x3ED59EDA),
]


@pytest.mark.parametrize(("name", "x", "y"), RECORDED, ids=[r[0] for r in RECORDED])
def test_recorded_sleef_values(name: str, x: int, y: int) -> None:
    arr = np.full(16, x, np.uint32).view(np.float32)
    assert getattr(VM.VEC, name)(arr).view(np.uint32).tolist() == [y] * 16


def test_hand_derived_values() -> None:
    f32 = np.float32
    for dt in (np.float32, np.float64):
        z = np.array([0.0, -0.0], dt)
        for f in (VM.vexpm1, VM.vlog1p, VM.vtanh, VM.verf):
            assert np.signbit(f(z)).tolist() == [False, True]  # signed zeros kept
        assert VM.vexpm1(np.array([-np.inf, np.inf, -1e3], dt)).tolist() == [-1, np.inf, -1]
        assert VM.vlog1p(np.array([-1, np.inf], dt)).tolist() == [-np.inf, np.inf]
        assert np.isnan(VM.vlog1p(np.array([-2.0], dt))).all()
        assert VM.vtanh(np.array([30.0, -30.0], dt)).tolist() == [1.0, -1.0]
        assert VM.verf(np.array([7.0, -7.0], dt)).tolist() == [1.0, -1.0]
    # tiny arguments: expm1(x) = x, log1p(x) = x, tanh(x) = x exactly
    tiny = np.array([1e-20, -3e-25], f32)
    for f in (VM.vexpm1, VM.vlog1p, VM.vtanh):
        assert f(tiny).tolist() == tiny.tolist()
    # hardsigmoid is clip(x + 3, 0, 6) / 6 in the dtype: (0.1 + 3)/6 rounds differently from
    # 0.1/6 + 0.5
    x = np.array([0.1], f32)
    got = F["hardsigmoid"](tensor_from_array(x)).array
    assert got.tolist() == [float((x[0] + f32(3)) / f32(6))]


RRELU = """
import torch
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(9, requires_grad=True)
print(F.rrelu(x))
y = F.rrelu(x, training=True)
y.sum().backward()
print(y, x.grad)
m = torch.nn.RReLU(0.1, 0.3)
print(m, m(x.double()))
m.eval()
print(m(x))
try:
    F.rrelu(x, 0.3, 0.1, training=True)
except Exception as e:
    print(type(e).__name__, e)
"""


def test_rrelu_draws_and_slopes_are_pytorchs() -> None:
    assert gd_output(RRELU) == torch_output(RRELU)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ["sinh", "cosh", "atanh", "exp2"])
def test_sleef_unary_functions_are_pytorchs_bits(name: str, dtype: str) -> None:
    """cpu_kernel_vec with SLEEF's functions: whole pairs of vectors exact (4096 elements)."""
    torch = pytest.importorskip("torch")
    x = _RNG.uniform(-9, 9, 4096).astype(dtype)
    if name == "atanh":
        x = x / 8
    got = T[name](tensor_from_array(x.copy())).array
    assert _same(got, getattr(torch, name)(torch.from_numpy(x)).numpy()) == 0


def test_float64_tanh_sleef_is_closest_to_pytorchs() -> None:
    """MKL's tanh (closed): SLEEF's (vecmath.vtanh) agrees on all but ~1% of float64
    inputs (numpy: 21%). torch.tanh keeps numpy's (vtanh's exact FMAs are ~1000x slower
    on small arrays); vtanh serves the kernels PyTorch runs it in (gelu's tanh form, mish)."""
    torch = pytest.importorskip("torch")
    from gradcli.ad.kernels.vecmath import vtanh
    x = _RNG.uniform(-6, 6, 4096)
    assert _same(vtanh(x.copy()), torch.tanh(torch.from_numpy(x)).numpy()) <= 80


def test_float32_fma_fast_path_is_exact() -> None:
    """fma's float32 double-sum shortcut equals summing to odd on every element, midpoints,
    subnormals, infinities and NaN included."""
    from gradcli.ad.kernels.fused import _fma32_reference, fma
    rng = np.random.default_rng(3)
    n = 200_000
    e = rng.integers(-140, 120, (3, n))
    a, b, c = ((rng.uniform(-2, 2, n) * 2.0 ** e[i]).astype(np.float32) for i in range(3))
    near = (-(a.astype(np.float64) * b)).astype(np.float32)  # a·b + c cancels: midpoints
    c[: n // 2] = near[: n // 2] * np.float32(1.0000001)
    special = np.array([0, -0.0, np.inf, -np.inf, np.nan, 1e-45, 3.4e38], np.float32)
    a[:7], b[7:14], c[14:21] = special, special, special
    assert _same(fma(a, b, c), _fma32_reference(a, b, c)) == 0
