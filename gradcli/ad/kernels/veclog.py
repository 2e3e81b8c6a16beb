"""Vectorized<T>::log of PyTorch's CPU kernels: SLEEF's logf8_u10 / logd4_u10 (xlogf_u1,
xlog_u1): the exponent e taken out so the mantissa m is in [0.75, 1.5), then
e·ln 2 + 2x + x³·P(x²) for x = (m - 1)/(m + 1) in double-words (vecmath._log_tail, which
log1p shares). Subnormal inputs are scaled by 2^64 first. Whole arrays, no per-element
Python; registered as VEC.log (the scalar loop's LIBM.log is the C library's log)."""

from __future__ import annotations

import numpy as np

from gradcli.ad.kernels import vecmath as VM
from gradcli.ad.kernels.doubleword import add2, div_ww

ndarray = np.ndarray


def vlog(d: ndarray) -> ndarray:
    """Vectorized<T>::log of a float32 or float64 array."""
    t_ = d.dtype.type
    with np.errstate(all="ignore"):
        tiny = d < t_(np.finfo(d.dtype).tiny)
        s = np.where(tiny, d * t_(2.0 ** 64), d)
        e = VM._exponent(s)
        m = VM._scale_bits(s, -e)
        r = VM._log_tail(np.where(tiny, e - 64, e),
                         *div_ww(*add2(t_(-1), m), *add2(t_(1), m)))
        r = np.where(d == np.inf, t_(np.inf), r)
        r = np.where((d < 0) | np.isnan(d), VM._nan(d.dtype), r)
        return np.where(d == 0, t_(-np.inf), r)


VM.VEC.log = staticmethod(vlog)
VM.LIBM.log = VM._scalar("log")
