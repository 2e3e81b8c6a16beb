"""float32 SLEEF log and log1p (vecmath.vlog, vecmath.vlog1p) with their fused multiply-adds
deferred: each of the chain's nine FMAs in double (fused.Fma32Deferred: the product exact,
one rounding to double, then to float), the midpoint/subnormal check once at the end. That
is the fused result unless a double sum fell on a float midpoint or in float's subnormal
range; then None, and vecmath redoes the call with fused.fma's exact steps. Only for inputs
where the kernel takes no special branch (vlog: normal positive floats below 1e38; vlog1p:
-1 < d <= 1e23, d != 0), so no step raises a floating-point exception (no errstate is
needed, on any thread) and none of vecmath's np.where fix-ups applies. The same operations
in the same order as vecmath's (doubleword.py's helpers with the fma passed in);
tests/test_r25_loops.py sweeps both against vecmath's exact path."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.kernels.doubleword import add2, add_wv, add_ww
from gradcli.ad.kernels.fused import Fma32Deferred

ndarray = np.ndarray
_F32 = np.dtype(np.float32)
_ONE, _TWO, _M_ONE = np.float32(1), np.float32(2), np.float32(-1)
_LN2H, _LN2L = np.float32(0.69314718246459960938), np.float32(-1.904654323148236017e-09)
_P0, _P1, _P2 = (np.float32(c) for c in (0.3027294874e+0, 0.3996108174e+0, 0.6666694880e+0))
_TINY = np.float32(np.finfo(np.float32).tiny)
_LOG_MAX = np.float32(1e38)  # d · (1/0.75) stays finite
_LOG1P_MAX = np.float32(1e23)  # above it SLEEF's log1pf takes logf's branch
_INV075 = np.float32(1 / 0.75)


def _exact(a: Any, b: Any, c: Any) -> ndarray:
    """fma(a, b, c) where the double sum a·b + c is exact (the error of a float product
    s = a·b rounded: a·b - s; a residual 1 - d·(1/d rounded)): its one rounding to float
    is the fused one, subnormal or not, so no check is recorded."""
    return np.add(np.multiply(a, b, dtype=np.float64), c).astype(_F32)


def _mul_wv(xh: Any, xl: Any, y: ndarray, f: Any) -> tuple[ndarray, ndarray]:
    s = xh * y  # dfmul_vf2_vf2_vf
    return s, f(xl, y, _exact(xh, y, -s))


def _div_ww(nh: ndarray, nl: Any, dh: ndarray, dl: ndarray, f: Any
            ) -> tuple[ndarray, ndarray]:  # dfdiv_vf2_vf2_vf2
    t = _ONE / dh
    q = nh * t
    u = _exact(t, nh, -q)
    v = f(-dl, t, _exact(-dh, t, _ONE))
    return q, f(q, v, u if nl is None else f(nl, t, u))


def _tail(e: ndarray, xh: ndarray, xl: ndarray, f: Any) -> ndarray:
    """vecmath._log_tail for float32: e·ln 2 + 2x + x³·P(x²)."""
    sh, sl = _mul_wv(_LN2H, _LN2L, e.astype(_F32), f)
    x2 = xh * xh
    t = f(f(_P0, x2, _P1), x2, _P2)
    sh, sl = add_ww(sh, sl, xh * _TWO, xl * _TWO)
    sh, sl = add_wv(sh, sl, x2 * xh * t)
    return sh + sl


def _exponent(d: ndarray) -> ndarray:
    """vecmath._exponent of a positive normal float32 (no sign bit to mask)."""
    return (((d * _INV075).view(np.int32) >> 23) - 0x7F).astype(np.int32)


def _scale(d: Any, e: ndarray) -> ndarray:
    """vecmath._scale_bits for float32."""
    return (np.asarray(d, _F32).view(np.int32) + (e << 23)).astype(np.int32).view(_F32)


def vlog(d: ndarray) -> ndarray | None:
    """SLEEF's logf_u1 of a float32 array, or None (vecmath's own path then)."""
    if not ((d >= _TINY) & (d < _LOG_MAX)).all():
        return None
    e = _exponent(d)
    m = _scale(d, -e)
    steps = Fma32Deferred()
    r = _tail(e, *_div_ww(*add2(_M_ONE, m), *add2(_ONE, m), steps), steps)
    return r if steps.exact() else None


def vlog1p(d: ndarray) -> ndarray | None:
    """SLEEF's log1pf_u10 of a float32 array, or None (vecmath's own path then)."""
    if not ((d > _M_ONE) & (d <= _LOG1P_MAX) & (d != 0)).all():
        return None
    e = _exponent(d + _ONE)
    t = _scale(_ONE, -e)
    steps = Fma32Deferred()
    m = steps(d, t, t - _ONE)
    den = _TWO + m
    # the numerator's low word is 0: fma(0, t, u) is u
    r = _tail(e, *_div_ww(m, None, den, (_TWO - den) + m, steps), steps)
    return r if steps.exact() else None
