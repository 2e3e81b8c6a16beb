"""fused.Fma32Deferred: float32 fused multiply-adds in double with the midpoint and
subnormal check deferred to the end of a chain (SLEEF's expf polynomial takes it): where
exact() says so the results are fma()'s bit for bit, and exact() is False wherever a step
rounds otherwise."""

from __future__ import annotations

import numpy as np

from gradcli.ad.kernels import vecmath as V
from gradcli.ad.kernels.fused import Fma32Deferred, fma


def _slow_expf(d: np.ndarray) -> np.ndarray:
    q = np.rint(d * V._R_LN2F).astype(np.int32)
    u = V._pow2(V._expf_fmas(d, q, fma), q)
    u = np.where(d < np.float32(-104), np.float32(0), u)
    return np.where(np.float32(100) < d, np.float32(np.inf), u).astype(np.float32)


def test_expf_with_deferred_checks_is_the_fused_chains() -> None:
    """Bit patterns of every kind, a run near 0.5, subnormals (s·s underflows), specials."""
    rng = np.random.default_rng(24)
    parts = [rng.integers(-2**31, 2**31 - 1, 300_000, dtype=np.int64).astype(np.int32)
             .view(np.float32),
             (rng.standard_normal(300_000) * 30).astype(np.float32),
             np.arange(0x3F000000, 0x3F000000 + 200_000, dtype=np.int32).view(np.float32),
             np.arange(1, 200_000, dtype=np.int32).view(np.float32),
             np.array([0, -0.0, np.inf, -np.inf, np.nan, 88.7, -103.9, -104.1, 1e-30],
                      np.float32)]
    for x in parts:
        for part in (x, x[:5], x[:40]):
            got = V._expf(part)
            assert got.view(np.int32).tolist() == _slow_expf(part).view(np.int32).tolist()


def test_exact_is_false_where_a_step_would_round_twice() -> None:
    """(1 + 2⁻¹²)² + 2⁻⁸⁰ = 1 + 2⁻¹¹ + 2⁻²⁴ + 2⁻⁸⁰: double drops 2⁻⁸⁰ and lands on a
    float midpoint (float then rounds to even, down; the fused result is up); a product
    in float's subnormal range; and a plain step."""
    a = np.array([1 + 2.0**-12], np.float32)
    c = np.array([2.0**-80], np.float32)
    steps = Fma32Deferred()
    got = steps(a, a, c)
    assert got.tobytes() != fma(a, a, c).tobytes()
    assert fma(a, a, c)[0] == np.float32(1 + 2.0**-11 + 2.0**-23)
    assert not steps.exact()
    tiny = Fma32Deferred()
    tiny(np.array([2.0**-70], np.float32), np.array([2.0**-70], np.float32),
         np.zeros(1, np.float32))
    assert not tiny.exact()
    plain = Fma32Deferred()
    plain(np.array([1.5], np.float32), np.array([2.0], np.float32), np.float32(1))
    assert plain.exact()


def test_midpoint_sums_are_flagged() -> None:
    """Random a, b and c = -(a·b rounded) + a half-ulp-ish offset: many sums land on
    midpoints in double; exact() flags every chain where a result differs from fma."""
    rng = np.random.default_rng(5)
    flagged = differing = 0
    for _ in range(300):
        a = rng.standard_normal(8).astype(np.float32)
        b = rng.standard_normal(8).astype(np.float32)
        c = (-(a.astype(np.float64) * b)).astype(np.float32)
        steps = Fma32Deferred()
        got = steps(a, b, c)
        same = got.tobytes() == fma(a, b, c).tobytes()
        flagged += not steps.exact()
        differing += not same
        assert same or not steps.exact()
    assert differing == 0 or flagged >= differing
