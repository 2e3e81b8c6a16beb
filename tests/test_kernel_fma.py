"""The 2-norm's exact FMA tail (kernels.reductions._fma_double) against exact rational
arithmetic, and the norm of vectors with inf and nan against PyTorch."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np
import pytest

from gradcli.ad.kernels.reductions import _fma_double, _norm_two_rows, norm


def _exact(p: float, q: float, r: float) -> float:
    return float(Fraction(p) * Fraction(q) + Fraction(r))


def test_fma_is_the_once_rounded_exact_value() -> None:
    rng = random.Random(0)
    values = [0.0, 1.0, -1.0, 5e-324, 2.2250738585072014e-308, 1e-300, 1e300, 0.1, 3.0]
    values += [rng.uniform(-1e3, 1e3) for _ in range(300)]
    values += [math.ldexp(rng.random(), rng.randint(-1074, 1000)) for _ in range(300)]
    for _ in range(20000):
        p, q, r = rng.choice(values), rng.choice(values), rng.choice(values)
        if rng.random() < 0.3:
            q = p  # the norm's case: squares
        if rng.random() < 0.1:
            r = -(p * q)  # cancellation
        if not math.isfinite(p * q):
            continue
        want = _exact(p, q, r)
        assert _fma_double(p, q, r) == want, (p, q, r)


def test_fma_split_path_at_its_edges() -> None:
    """The Veltkamp split + fsum path (factors between 1e-140 and 1e150) and the integer
    path meet: values at both edges, sums that overflow inside fsum, subnormal sums."""
    rng = random.Random(7)
    edges = [1e-140, 1.0000000000000002e-140, 9.999999999999999e149, 1e150, 3e-141, 2e150]
    rs = [0.0, -0.0, 1.7976931348623157e308, -1.7976931348623157e308, 5e-324, -1e-300,
          math.inf, -math.inf]
    for _ in range(4000):
        p = rng.choice(edges) * rng.choice([1, -1, 1 + rng.random()])
        q = rng.choice([*edges, rng.uniform(-4, 4)]) * rng.choice([1, -1])
        r = rng.choice([*rs, rng.uniform(-1, 1) * 10.0 ** rng.randint(-300, 300)])
        want = (math.inf if r == math.inf else -math.inf if r == -math.inf else None)
        if want is None:
            try:
                want = _exact(p, q, r)
            except OverflowError:
                want = math.copysign(math.inf, p * q + r)
        got = _fma_double(p, q, r)
        assert got == want and math.copysign(1, got) == math.copysign(1, want), (p, q, r)


def test_fma_differs_from_the_twice_rounded_sum() -> None:
    # 1 + 2⁻³⁰ squared is 1 + 2⁻²⁹ + 2⁻⁶⁰: the product rounds the 2⁻⁶⁰ away, the FMA keeps
    # it until the sum with -(1 + 2⁻²⁹) makes it the whole answer.
    p = 1 + 2 ** -30
    assert p * p - (1 + 2 ** -29) == 0.0
    assert _fma_double(p, p, -(1 + 2 ** -29)) == 2 ** -60


def test_fma_signed_zero_and_non_finite() -> None:
    assert math.copysign(1, _fma_double(-0.0, 1.0, -0.0)) == -1  # -0 + -0 is -0
    assert math.copysign(1, _fma_double(1.0, 1.0, -1.0)) == 1
    assert _fma_double(1e300, 1e300, -math.inf) == -math.inf  # the product stays finite
    assert _fma_double(math.inf, 2.0, 1.0) == math.inf
    assert math.isnan(_fma_double(math.nan, 2.0, 1.0))
    assert math.isnan(_fma_double(1.0, 2.0, math.nan))
    assert _fma_double(1e200, 1e200, 1.0) == math.inf  # the rounded sum overflows


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_norm_with_inf_and_nan_in_the_tail_as_pytorch(dtype: str) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    for n in (1, 3, 5, 7, 11):
        for bad in (np.inf, -np.inf, np.nan):
            x = rng.standard_normal(n).astype(dtype)
            x[-1] = bad
            want = torch.linalg.vector_norm(torch.from_numpy(x)).numpy()
            got = norm(x)
            assert got.dtype == want.dtype
            np.testing.assert_array_equal(got, want)


def test_short_float64_row_equals_the_vectorised_rows() -> None:
    # One short float64 row takes a Python-float path; two copies of it take numpy's.
    rng = np.random.default_rng(2)
    for n in range(1, 40):
        for scale in (1e-160, 1.0, 1e150):
            x = rng.standard_normal(n) * scale
            if n % 5 == 0:
                x[n // 2] = np.inf if n % 2 else np.nan
            both = _norm_two_rows(np.stack([x, x]))
            one = norm(x)
            assert one.dtype == np.float64
            np.testing.assert_array_equal(one, both[0])


def test_short_float64_tensors_over_all_dims_as_pytorch() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    for shape in [(1,), (3,), (4,), (5,), (2, 3), (4, 8), (33,), (2, 2, 2)]:
        x = rng.standard_normal(shape)
        for keepdim in (False, True):
            want = torch.linalg.vector_norm(torch.from_numpy(x), keepdim=keepdim).numpy()
            got = norm(x, keepdim=keepdim)
            assert got.shape == want.shape and got.dtype == want.dtype
            np.testing.assert_array_equal(got, want)
    y = rng.standard_normal(8)[::2]  # not contiguous: PyTorch's other path
    np.testing.assert_array_equal(norm(y), torch.linalg.vector_norm(torch.from_numpy(y)).numpy())
