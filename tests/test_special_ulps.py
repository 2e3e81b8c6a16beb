"""The special functions' numpy kernels against PyTorch 2.13, in units in the last place.

The bounds are the measured maxima (on this grid) and say how far the numpy-only kernels
are from PyTorch's: i0e and i1e follow PyTorch's fused Clenshaw recurrence bit for bit;
i0/i1 differ by numpy's exp; digamma/trigamma/polygamma by numpy's log/sin and the
factorial; lgamma is SLEEF's, bit for bit in float32 and float64; erfcx, ndtri and
log_ndtr are ATen's formulas in the input's dtype, bit for bit."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from gradcli.ad.kernels import special as S

torch = pytest.importorskip("torch")

_RNG = np.random.default_rng(0)
_GRID = np.concatenate([_RNG.uniform(-20, 20, 1500), _RNG.uniform(0, 3, 1500),
                        _RNG.standard_normal(1500),
                        [0.0, -0.0, 1.0, 2.0, -1.0, -2.5, np.inf, -np.inf, np.nan, 1e-30]])


def _ulps(a: np.ndarray, b: np.ndarray) -> int:
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    assert not (np.isnan(a) != np.isnan(b)).any(), "NaN where torch has none, or the reverse"
    it = np.int64 if a.dtype == np.float64 else np.int32
    ia, ib = a.view(it).astype(np.int64), b.view(it).astype(np.int64)
    ia = np.where(ia < 0, np.iinfo(it).min - ia, ia)
    ib = np.where(ib < 0, np.iinfo(it).min - ib, ib)
    d = np.abs(ia - ib)
    d[same] = 0
    return int(d.max())


CASES: list[tuple[str, Callable, Callable, int, int]] = [
    # name, ours, torch's, max ulp float64, max ulp float32
    ("i0e", S.i0e, torch.special.i0e, 0, 0),
    ("i1e", S.i1e, torch.special.i1e, 0, 0),
    ("i0", S.i0, torch.special.i0, 4, 4),
    ("i1", S.i1, torch.special.i1, 4, 5),
    ("digamma", S.digamma, torch.digamma, 4, 1024),
    ("trigamma", lambda x: S.polygamma(x, 1), lambda x: torch.polygamma(1, x), 1, 8),
    ("polygamma3", lambda x: S.polygamma(x, 3), lambda x: torch.polygamma(3, x), 1, 4),
    ("entr", S.entr, torch.special.entr, 2, 4),
    ("log_ndtr", S.log_ndtr, torch.special.log_ndtr, 0, 0),  # ATen's formula, in dtype
    ("erfcx", S.erfcx, torch.special.erfcx, 0, 0),  # Faddeeva's erfcx, as ATen's
    ("ndtri", lambda x: S.ndtri(np.abs(x) / 20), lambda x: torch.special.ndtri(x.abs() / 20),
     0, 0),
    ("lgamma", S.lgamma, torch.lgamma, 0, 0),  # SLEEF's (kernels/vecgamma.py)
]


@pytest.mark.parametrize(("name", "ours", "theirs", "ulp64", "ulp32"), CASES,
                         ids=[c[0] for c in CASES])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_special_function_is_within_its_measured_ulps(
        name: str, ours: Callable, theirs: Callable, ulp64: int, ulp32: int,
        dtype: type) -> None:
    x = _GRID.astype(dtype)
    a, b = ours(x), theirs(torch.from_numpy(x)).numpy()
    assert a.dtype == b.dtype
    assert _ulps(a, b) <= (ulp64 if dtype == np.float64 else ulp32)


@pytest.mark.parametrize("n", [1, 3, 8, 9, 37, 4000])
def test_float64_lgamma_is_pytorchs_bit_for_bit(n: int) -> None:
    """float64 lgamma on each of gammak's ranges (reflection below 1/2, Taylor series near
    1 and 2, Stirling above 2.3, tiny and huge values, poles) and any length (PyTorch's
    kernel gives SLEEF's bits on its scalar tail too), and mvlgamma, PyTorch's composite."""
    rng = np.random.default_rng(n)
    x = np.concatenate([rng.uniform(lo, hi, n) for lo, hi in
                        [(-12, 0.5), (0.5, 1.1), (1.1, 2.3), (2.3, 7), (7, 300),
                         (1e-310, 1e-300), (300, 1e300)]])
    x = np.concatenate([[0.0, -0.0, -3.0, 1.0, 2.0, np.inf, -np.inf, np.nan, 0.5], x])
    _assert_lgamma_bits(x)
    from gradcli.ad.kernels.tensor_extras import mvlgamma

    y = rng.uniform(2.0, 30.0, n)
    for p in (1, 2, 3, 5, 9):
        assert mvlgamma(y, p).tobytes() == torch.mvlgamma(torch.from_numpy(y), p).numpy().tobytes()


def _assert_lgamma_bits(x: np.ndarray) -> None:
    for v in (x, x[::3]):
        a, b = S.lgamma(v), torch.lgamma(torch.from_numpy(v)).numpy()
        assert a.tobytes() == np.where(np.isnan(b), a, b).tobytes()
        assert np.isnan(a).tolist() == np.isnan(b).tolist()


@pytest.mark.parametrize("n", [1, 3, 7, 8, 9, 17, 70, 4000])
def test_float32_lgamma_is_pytorchs_bit_for_bit(n: int) -> None:
    """float32 lgamma is SLEEF's lgammaf8_u10 (gammafk's ranges: reflection below 1/2,
    Taylor series near 1 and 2, Stirling from 2.3, tiny values below 1e-30, huge ones),
    at any length and stride; float16 rounds it."""
    rng = np.random.default_rng(n)
    x = np.concatenate([rng.uniform(lo, hi, n) for lo, hi in
                        [(-12, 0.5), (0.5, 1.2), (1.2, 2.3), (2.3, 7), (7, 300),
                         (1e-38, 1e-30), (-1e-30, 1e-30), (300, 3e38), (-3e38, -1e5)]])
    x = np.concatenate([[0.0, -0.0, -3.0, 1.0, 2.0, np.inf, -np.inf, np.nan, 0.5], x])
    _assert_lgamma_bits(x.astype(np.float32))
    # a sweep of bit patterns over the whole float32 range
    sweep = np.arange(n, 2 ** 32, 2 ** 32 // 20000, dtype=np.uint64).astype(np.uint32)
    _assert_lgamma_bits(sweep.view(np.float32))
    half = rng.uniform(-10, 30, 500).astype(np.float16)
    assert S.lgamma(half).tobytes() == torch.lgamma(torch.from_numpy(half)).numpy().tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_erfcx_ndtri_log_ndtr_are_pytorchs_bit_for_bit(dtype: type) -> None:
    """ATen computes them in the input's dtype, with C++'s promotions (erfcx's polynomials
    in double, x² + 5 in float; ndtri's logs in double, its polynomials fused): each
    branch and its edges (erfcx: 50, 5e7, -6.1, -26.7; ndtri: exp(-2), the tails past
    exp(-32); log_ndtr: -1), signed zeros, infinities and NaN."""
    rng = np.random.default_rng(7)
    special = [0.0, -0.0, np.inf, -np.inf, np.nan, -1.0, 1.0, 50.0, -6.1, -26.7, 5e7, 6e7]
    cases = [
        (S.erfcx, torch.special.erfcx, [rng.uniform(-30, 80, 4000), rng.uniform(-1, 1, 500),
                                        rng.standard_normal(500) * 1e8]),
        (S.ndtri, torch.special.ndtri, [rng.uniform(-0.1, 1.1, 4000),
                                        10.0 ** -rng.uniform(0, 300, 500),
                                        1 - 10.0 ** -rng.uniform(1, 16, 500)]),
        (S.log_ndtr, torch.special.log_ndtr, [rng.uniform(-60, 10, 4000),
                                              rng.uniform(-1.5, -0.5, 500),
                                              -(10.0 ** rng.uniform(0, 40, 200))]),
    ]
    for ours, theirs, parts in cases:
        x = np.concatenate([*parts, special]).astype(dtype)
        a, b = ours(x), theirs(torch.from_numpy(x)).numpy()
        assert a.dtype == b.dtype
        assert a.tobytes() == np.where(np.isnan(b), a, b).tobytes()
        assert np.isnan(a).tolist() == np.isnan(b).tolist()
