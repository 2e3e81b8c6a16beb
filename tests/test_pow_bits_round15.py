"""`x ** k` of a float32 tensor and a Python number k that is not one of PyTorch's special
cases (0, 1, 2, 3, -2, 0.5, -0.5, -1) gives PyTorch's bits: SLEEF's powf8_u10 with the
exponent float32(k) on the vector loop's elements, std::pow(float, double) on the tail
(kernels/powscalar.py, which runs vecpow.vpow's algorithm faster for one exponent and
must give its bytes). The backward (grad · k · x ** (k - 1)) goes through the same
kernel."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from pyrun import gd_output, torch_output

from gradcli.ad import ops
from gradcli.ad.kernels import powscalar, vecpow

EXPONENTS = [4, 5, 7, 6, 8, 1.5, 0.3, -1.5, 0.25, 1 / 3, 10.1, -7.3, 30.5, -3, -4, -5, 2.5,
             0.1, -0.7, 1e-3, 100, -100, 2.0000001, 1 + 2 ** -23, 1e10, -1e10, 1e39, 1e-50,
             float("inf"), float("-inf"), float("nan")]
SPECIAL = np.array([0, -0.0, 1, -1, np.inf, -np.inf, np.nan, 0.5, 2, 3, -3, 1e-40, -1e-40,
                    1.5e-45, 1e30, -1e30, 3e38, -3e38, 1.1754944e-38, -2.5, 7.0, 65, 9743,
                    1 + 2 ** -23, 1 - 2 ** -24], np.float32)


def _inputs(seed: int, n: int) -> np.ndarray:
    """Uniform values, a wide range of magnitudes of both signs (subnormal to huge),
    values next to 1 and small integers (whose powers are exact or float midpoints)."""
    rng = np.random.default_rng(seed)
    k = n // 5
    parts = [rng.uniform(-4, 4, k), np.exp(rng.uniform(-95, 95, k)),
             -np.exp(rng.uniform(-95, 95, k)), rng.uniform(0.999, 1.001, k),
             rng.integers(-300, 300, n - 4 * k)]
    return np.concatenate([SPECIAL, *parts]).astype(np.float32)


def _same_bytes(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.tobytes() == b.tobytes()


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal bytes where b is a number; NaN where b is NaN (they print alike)."""
    nan = np.isnan(b)
    return a.dtype == b.dtype and bool(np.isnan(a[nan]).all()) and \
        a[~nan].tobytes() == b[~nan].tobytes()


@pytest.mark.parametrize("k", EXPONENTS, ids=str)
def test_fast_scalar_pow_gives_vpows_bytes(k: float) -> None:
    """The scalar-exponent path against SLEEF's algorithm written with the double-word
    helpers (vecpow.vpow), NaN payloads included, on every kind of input."""
    x = _inputs(zlib.crc32(str(k).encode()), 60000)
    y = np.float32(k)
    with np.errstate(all="ignore"):
        assert _same_bytes(powscalar.powf(x, y, vecpow.vpow), vecpow.vpow(x, y))


def test_fast_scalar_pow_in_several_passes() -> None:
    """Past CHUNK elements the path runs pass by pass, each with its own checks."""
    x = _inputs(1, 3 * powscalar.CHUNK + 77)
    with np.errstate(all="ignore"):
        assert _same_bytes(powscalar.powf(x, np.float32(5), vecpow.vpow),
                           vecpow.vpow(x, np.float32(5)))


def test_fast_tensor_pow_gives_vpows_bytes() -> None:
    """tensor ** tensor's vector function (powscalar.vec_pow: the same path with an
    exponent per element) against vecpow.vpow: every pair of edge values, integral and
    fractional exponents of negative bases, 0-d bases and exponents."""
    rng = np.random.default_rng(3)
    bx, by = np.meshgrid(SPECIAL, np.array([*SPECIAL, 4, -4, 5, 1e10, 2 ** 24 + 2, 2 ** 25 + 1],
                                           np.float32))
    n = 40000
    x = np.concatenate([bx.ravel(), rng.uniform(-5, 5, n), np.exp(rng.uniform(-90, 90, n)),
                        -np.exp(rng.uniform(-90, 90, n)), rng.integers(-50, 50, n)])
    y = np.concatenate([by.ravel(), rng.integers(-6, 7, n), rng.uniform(-3, 3, n),
                        rng.uniform(-30, 30, n), rng.uniform(-8, 8, n)])
    x, y = x.astype(np.float32), y.astype(np.float32)
    with np.errstate(all="ignore"):
        assert _same_bytes(powscalar.vec_pow(x, y), vecpow.vpow(x, y))
        zero_d = np.array(np.float32(10000))
        assert _same_bytes(powscalar.vec_pow(zero_d, y), vecpow.vpow(zero_d, y))
        assert _same_bytes(powscalar.vec_pow(x, np.array(np.float32(2.7))),
                           vecpow.vpow(x, np.float32(2.7)))


@pytest.mark.parametrize("k", EXPONENTS, ids=str)
def test_float32_pow_by_a_number_is_pytorchs(k: float) -> None:
    """Every length from 1 to 40 (tails of 0..15 elements after the vector pairs), longer
    ones, one past PyTorch's per-thread grain, and the edge values."""
    torch = pytest.importorskip("torch")
    x = _inputs(7, 40000)
    lengths = [*range(1, 41), 63, 64, 65, 79, 1000, 2001, x.size]
    for n in lengths:
        got = ops.pow(ops.tensor(x[:n].copy()), k).array
        want = (torch.from_numpy(x[:n]) ** k).numpy()
        assert _same(got, want), (k, n)


def test_float32_pow_on_views_is_pytorchs() -> None:
    """Transposed and strided tensors: which elements take the vector loop follows
    PyTorch's walk, and the result keeps the input's memory order (a later sum walks
    it)."""
    prog = """
torch.manual_seed(0)
y = torch.randn(3, 70)
z = torch.randn(5, 33, 4)
for k in (4, 5, 1.5, -2.5, 7):
    print((y.t() ** k).sum().item(), (y[:, ::2] ** k).tolist()[1][:5])
    print((z.permute(2, 0, 1) ** k).sum().item(), (z[..., 1] ** k).sum().item())
    print((y[0, 3] ** k).item(), torch.pow(y, k).nansum().item())
"""
    assert gd_output(prog) == torch_output(prog)


def test_float32_pow_gradients_are_pytorchs() -> None:
    """x.grad after (x ** k).sum().backward(): grad · k · x ** (k - 1) through the same
    kernel, and a small training loop with x ** 4 and x ** 5 (the tutorial's DynamicNet)."""
    prog = """
import math
torch.manual_seed(0)
w = torch.randn(77, requires_grad=True)
for k in (4, 5, 7, 2.5, -1.5, 0.3, 6, 1.0, 0.0):
    w.grad = None
    (w.abs() ** k).sum().backward()
    print(k, w.grad.sum().item(), w.grad[:4].tolist())
x = torch.linspace(-math.pi, math.pi, 2000)
print((x ** 4).sum().item(), (x ** 5).sum().item())
y = torch.sin(x)
a, b, e = (torch.randn((), requires_grad=True) for _ in range(3))
for t in range(60):
    pred = a + b * x + e * x ** 4 + e * x ** 5
    loss = (pred - y).pow(2).sum()
    if t % 20 == 19:
        print(t, loss.item())
    loss.backward()
    with torch.no_grad():
        for p in (a, b, e):
            p -= 1e-8 * p.grad
            p.grad = None
print(a.item(), b.item(), e.item())
"""
    assert gd_output(prog) == torch_output(prog)


@pytest.mark.slow
def test_logk_sums_are_never_inexact_on_a_float_midpoint() -> None:
    """powscalar._logk rounds its FMAs' double sums to float without the midpoint check:
    they depend on the significand m in [0.75, 1.5) alone, and for every one of its 2^23
    values none is an inexact sum on a float midpoint (where rounding twice could differ
    from the FMA's single rounding), and the pair is vecpow._logk's, bit for bit."""
    lo, hi = np.float32(0.75).view(np.int32), np.float32(1.5).view(np.int32)
    bits = np.arange(lo, hi, dtype=np.int32)
    sums: list = []
    with np.errstate(all="ignore"):
        for i in range(0, bits.size, 1 << 20):
            sums.clear()
            m = bits[i:i + (1 << 20)].view(np.float32)
            got = powscalar._logk(m, sums)
            want = vecpow._logk(m)
            assert got[0].tobytes() == want[0].tobytes() and got[1].tobytes() == want[1].tobytes()
            for s, a, b in sums:
                on = (s.view(np.int64) & ((1 << 29) - 1)) == 1 << 28
                bv = s - a
                assert not (on & (((a - (s - bv)) + (b - bv)) != 0)).any()


def test_vector_kernel_results_keep_pytorchs_memory_order() -> None:
    """cpu_kernel_vec's results (pow, atan2, hypot, logaddexp, sinh, cosh, exp2) are laid
    out as TensorIterator allocates them: in the walk's order (a transposed or permuted
    input's), which stride() shows and a later sum follows; pow(number, tensor) is
    contiguous."""
    prog = """
torch.manual_seed(0)
y = torch.randn(3, 70)
z = torch.randn(4, 5, 6).permute(2, 0, 1)
c = torch.randn(70, 1)
for t in (torch.pow(2.5, y.t()), torch.atan2(y.t(), y.t() + 1), y.t() ** y.t(),
          torch.sinh(y.t()), torch.hypot(y.t(), y.t()), torch.pow(y.t(), torch.tensor(2.5)),
          y.t() ** 4, z ** 4, z.abs() ** z, torch.atan2(z, z), y.t() ** c, c ** y.t(),
          torch.logaddexp(y.t(), y.t()), torch.atan2(y.t(), y.t().contiguous()),
          torch.atan2(y.t().contiguous(), y.t()), torch.pow(torch.tensor(2.5), y.t()),
          torch.cosh(z), torch.exp2(z)):
    print(t.stride(), t.sum().item())
"""
    assert gd_output(prog) == torch_output(prog)
