"""float32 transcendental functions and powers give PyTorch's CPU bits.

PyTorch computes float32 exp, log, sin, tanh, … with MKL's vector math (high-accuracy
mode), SLEEF or glibc: all but always the correctly rounded value. gd computes them in
float64 and rounds once (kernels/elementwise.wide), and powers as PyTorch's pow kernel
does (x**3 is x·x·x, x**-2 is 1/(x·x), x**-0.5 is 1/sqrt(x)). numpy's own float32 loops
missed PyTorch's bits for 11–50% of inputs (exp 40%, tanh 32%, log10 50%, x**3 33%).
"""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from gradcli.ad import ops as F
from gradcli.ad.graph import tensor_from_array
from gradcli.interp import RunOptions, run_source

N = 20000
TORCH = F.members("torch")
_X = (np.random.default_rng(0).standard_normal(N) * 3).astype(np.float32)
_POS = np.abs(_X) + np.float32(1e-3)
_UNIT = np.clip(_X / 4, -0.999, 0.999).astype(np.float32)

# (op, input, the most elements allowed to differ from PyTorch's float32 bits, of N).
# Measured 2026-12-05 with torch 2.13 (CPU capability AVX512): about half these counts.
UNARY = [
    ("exp", _X, 400), ("log", _POS, 2400), ("log1p", _POS, 0), ("sin", _X, 1500),
    ("cos", _X, 1500), ("tan", _X, 4200), ("tanh", _X, 60), ("atan", _X, 2000),
    ("asin", _UNIT, 1400), ("acos", _UNIT, 2200), ("sinh", _X, 120), ("cosh", _X, 60),
    ("atanh", _UNIT, 40), ("log2", _POS, 40), ("log10", _POS, 40), ("expm1", _X, 0),
    ("exp2", _X, 1800), ("sigmoid", _X, 1200), ("rsqrt", _POS, 0), ("sqrt", _POS, 0),
]
POWERS = [(2, 0), (3, 0), (-1, 0), (-2, 0), (-0.5, 0), (0.5, 0), (4, 0), (2.5, 0), (1.5, 0),
          (0.3, 0)]  # the others: SLEEF's pow and std::pow as the kernel calls them


# torch.nn.functional activations built on exp/log1p/expm1/tanh, over 4,096 inputs: SLEEF's
# functions as PyTorch's vectorised kernels call them (kernels/vecmath.py).
ACTIVATIONS = [("softplus", 0), ("silu", 0), ("elu", 0), ("selu", 0), ("celu", 0),
               ("logsigmoid", 0), ("mish", 0), ("hardsigmoid", 0)]


def _differ(a: np.ndarray, b: np.ndarray) -> int:
    return int((np.asarray(a).view(np.int32) != np.asarray(b).view(np.int32)).sum())


@pytest.mark.parametrize(("name", "x", "most"), UNARY, ids=[u[0] for u in UNARY])
def test_float32_unary_bits_are_pytorchs(name: str, x: np.ndarray, most: int) -> None:
    torch = pytest.importorskip("torch")
    got = TORCH[name](tensor_from_array(x.copy())).array
    want = getattr(torch, name)(torch.from_numpy(x)).numpy()
    assert got.dtype == np.float32
    assert _differ(got, want) <= most


@pytest.mark.parametrize(("name", "most"), ACTIVATIONS, ids=[a[0] for a in ACTIVATIONS])
def test_float32_activation_bits_are_pytorchs(name: str, most: int) -> None:
    torch = pytest.importorskip("torch")
    x = _X[:4096]
    got = F.members("torch.nn.functional")[name](tensor_from_array(x.copy())).array
    want = getattr(torch.nn.functional, name)(torch.from_numpy(x)).numpy()
    assert _differ(got, want) <= most


@pytest.mark.parametrize(("e", "most"), POWERS, ids=[str(p[0]) for p in POWERS])
def test_float32_power_bits_are_pytorchs(e: float, most: int) -> None:
    torch = pytest.importorskip("torch")
    got = F.pow(tensor_from_array(_POS.copy()), e).array
    want = (torch.from_numpy(_POS) ** e).numpy()
    assert _differ(got, want) <= most


def test_powers_are_pytorchs_products() -> None:
    """x**3 is (x·x)·x and x**-2 is 1/(x·x), in float32 and float64, bit for bit."""
    for dt in (np.float32, np.float64):
        x = _POS.astype(dt)
        one = dt(1)
        assert F.pow(tensor_from_array(x), 3).array.tobytes() == ((x * x) * x).tobytes()
        assert F.pow(tensor_from_array(x), 3.0).array.tobytes() == ((x * x) * x).tobytes()
        assert F.pow(tensor_from_array(x), -2).array.tobytes() == (one / (x * x)).tobytes()
        assert (F.pow(tensor_from_array(x), -0.5).array.tobytes()
                == (one / np.sqrt(x)).tobytes())


def test_wide_is_float64_rounded_once() -> None:
    # (float32 sin and cos are MKL's polynomial instead: tests/test_vml_trig.py)
    for name in ("exp", "tanh"):
        got = TORCH[name](tensor_from_array(_POS.copy())).array
        want = getattr(np, name)(_POS.astype(np.float64)).astype(np.float32)
        assert got.tobytes() == want.tobytes()


# Values where numpy's float32 loop and PyTorch differ in the last bit: the program prints
# PyTorch's (torch 2.13, CPU).
PROGRAM = """
x = torch.tensor(2.2720930576324463)
print(torch.exp(x).item(), torch.tanh(x).item())
print(torch.sin(torch.tensor(3.269566059112549)).item())
print(torch.log1p(torch.tensor(0.4967232346534729)).item())
print(torch.sigmoid(torch.tensor(-1.5695607662200928)).item())
print((torch.tensor(2.6487178802490234) ** 3).item(),
      (torch.tensor(2.4666574001312256) ** 2.5).item())
"""
PRINTED = """\
9.699681282043457 0.9789659380912781
-0.12762437760829926
0.4032782018184662
0.1722790151834488
18.58262825012207 9.55591106414795
"""


def test_a_program_prints_pytorchs_last_digits() -> None:
    out: list[str] = []
    run_source(textwrap.dedent(PROGRAM), "bits.gd", RunOptions(write=out.append))
    assert "".join(out) == PRINTED


GRADIENTS = """
torch.manual_seed(0)
x = torch.linspace(-3.0, 3.0, 2000)
y = x * 0.5 - 1.0
a = torch.randn((), requires_grad=True)
b = torch.randn((), requires_grad=True)
c = torch.randn((), requires_grad=True)
d = torch.randn((), requires_grad=True)
y_pred = a + b * x + c * x ** 2 + d * x ** 3
loss = (y_pred - y).pow(2).sum()
loss.backward()
print(loss.item(), a.grad.item(), b.grad.item(), c.grad.item(), d.grad.item())
"""


def test_broadcast_gradients_are_summed_in_pytorchs_order() -> None:
    """A 0-d parameter times a vector: its gradient is at::sum_to's sum(dims, keepdim),
    in PyTorch's summation order (numpy's pairwise sum missed the last bit)."""
    out: list[str] = []
    run_source(textwrap.dedent(GRADIENTS), "grads.gd", RunOptions(write=out.append))
    printed = "".join(out)
    # torch 2.13's output, CPU
    assert printed == ("142525.171875 -16007.646484375 27377.404296875 -110945.6875 "
                       "185986.296875\n")
    pytest.importorskip("torch")
    want: list[str] = []
    exec(compile("import torch\n" + GRADIENTS, "grads.py", "exec"),
         {"print": lambda *a: want.append(" ".join(map(str, a)) + "\n")})
    assert printed == "".join(want)


# Matrix products where PyTorch's CPU build sums each output's products one after another
# (kernels/linalg._sums_in_order): (m, k, n) and whether a/b are transposed views.
IN_ORDER = [((100, 2, 1), False, False), ((100, 3, 1), False, False), ((8, 3, 4), False, False),
            ((100, 3, 5), False, False), ((3, 100, 1), True, False), ((20, 7, 9), False, False),
            ((16, 12, 2), True, False), ((5, 3, 9), False, True), ((1, 300, 6), False, False),
            ((1, 8, 1), True, False), ((1, 30, 1), False, False), ((1, 9, 1), False, False)]


@pytest.mark.parametrize(("mkn", "a_t", "b_t"), IN_ORDER, ids=[str(c) for c in IN_ORDER])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_small_matrix_products_are_pytorchs(mkn: tuple[int, int, int], a_t: bool, b_t: bool,
                                            dtype: str) -> None:
    torch = pytest.importorskip("torch")
    from gradcli.ad.kernels import linalg as KL

    m, k, n = mkn
    rng = np.random.default_rng(m * 10007 + k * 101 + n)
    a0 = rng.standard_normal((k, m) if a_t else (m, k)).astype(dtype)
    b0 = rng.standard_normal((n, k) if b_t else (k, n)).astype(dtype)
    a, b = (a0.T if a_t else a0), (b0.T if b_t else b0)
    ta = torch.from_numpy(a0).T if a_t else torch.from_numpy(a0)
    tb = torch.from_numpy(b0).T if b_t else torch.from_numpy(b0)
    want = (ta @ tb).numpy()
    got = F.matmul(tensor_from_array(a), tensor_from_array(b)).array
    in_order = KL._sums_in_order(m, n, k, a_t, b_t, np.dtype(dtype))
    if in_order:
        assert got.tobytes() == np.ascontiguousarray(want).tobytes()
    if n == 1:  # the matrix-vector product and its vector gradient
        v = b[:, 0].copy()
        if KL._mv_in_order(m, k, a_t, np.dtype(dtype)):
            assert (F.matmul(tensor_from_array(a), tensor_from_array(v)).array.tobytes()
                    == (ta @ torch.from_numpy(v)).numpy().tobytes())
        g = rng.standard_normal(m).astype(dtype)
        tv = torch.from_numpy(v).requires_grad_(True)
        (ta @ tv).backward(torch.from_numpy(g))
        gv = tensor_from_array(v.copy()).requires_grad_(True)
        F.matmul(tensor_from_array(a), gv).backward(tensor_from_array(g))
        if KL._mv_in_order(k, m, not a_t, np.dtype(dtype)):
            assert gv.grad.array.tobytes() == tv.grad.numpy().tobytes()


def test_the_small_products_table_covers_tutorial_shapes() -> None:
    """X @ w for 100 samples of 2 or 3 features, and its gradient Xᵀ @ g, are in order."""
    from gradcli.ad.kernels import linalg as KL

    f32 = np.dtype(np.float32)
    assert KL._sums_in_order(100, 1, 3, False, False, f32)
    assert KL._sums_in_order(3, 1, 100, True, False, f32)
    assert not KL._mv_in_order(64, 64, True, f32)  # W2: BLAS's


def test_products_in_order_are_c_contiguous() -> None:
    """As BLAS's result: a reshape of it is a view (ViewBackward0), never an alias."""
    from gradcli.ad.kernels import linalg as KL

    a = np.ones((3, 100), np.float32).T  # a transposed view
    out = KL.product(a, np.ones((3, 2), np.float32))
    assert KL._sums_in_order(100, 2, 3, True, False, np.dtype(np.float32))
    assert out.flags.c_contiguous and out.shape == (100, 2)
