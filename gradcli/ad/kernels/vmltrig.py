"""float32 sin and cos as PyTorch's x86 build computes them: Intel MKL's VML (`vsSin`,
`vsCos`, high-accuracy mode), whose code is closed; and tan (`vsTan`) as a fitted model
of its error (below).

What it computes was recovered from its outputs (tests/test_vml_trig.py checks it against
PyTorch): the argument reduced modulo π in float64 (k = rint(x/π), for cos rint(x/π + ½);
π split in three), an odd polynomial of degree 9 in the reduced argument evaluated in
float64 by Horner's rule, the sign of (-1)^k, and one rounding to float32. The
coefficients are the ones linear programming finds consistent with every float32 in
[2⁻¹², π/2) (an exhaustive comparison: no difference) and with 12 million random values
of both functions below 4,000 (none). They are not the minimax polynomial's, so the
result is within 0.1 ulp of the float64 function's, not correctly rounded: 5% of values
differ from sin(float64(x)) rounded, and now match PyTorch's.

Past |x| = 8192 MKL reduces otherwise (not recovered): there, and for inf and NaN, the
float64 function rounded once, as before.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.kernels.mkl_path import mkl_avx512

_F32 = np.float32
_INV_PI = 1 / math.pi
# π = _PI1 + _PI2 + _PI3: the first two parts float32 numbers (k·_PI1 and k·_PI2 are exact
# in float64 for |k| < 2^29), the third the rest in float64.
_PI1 = float(np.float32(math.pi))
_PI2 = float(np.float32(math.pi - _PI1))
_PI3 = -3.4302489988857658e-15  # π - _PI1 - _PI2, rounded (tests check it exactly)
_C3, _C5, _C7, _C9 = (-0.16666659550426968, 0.008333066246119337, -0.0001980960290539317,
                      2.6057806450316347e-06)
LIMIT = 8192.0


def sin32(x: np.ndarray) -> np.ndarray:
    """sin of a float32 array, as MKL's vsSin gives it."""
    if not x.ndim:
        return np.asarray(scalar(float(x), 0.0, np.sin, x[()]))
    return _reduced(x, 0.0, np.sin)


def cos32(x: np.ndarray) -> np.ndarray:
    """cos of a float32 array, as MKL's vsCos gives it."""
    if not x.ndim:
        return np.asarray(scalar(float(x), 0.5, np.cos, x[()]))
    return _reduced(x, 0.5, np.cos)


def scalar(xd: float, half: float, f: Any, x: Any) -> np.float32:
    """_reduced's operations on one value, as Python floats (the same IEEE double
    operations; round() rounds half to even as np.rint): a 0-d tensor or a numpy scalar
    (the scalar backward pass) at a fraction of the array path's cost. x: the float32."""
    if not abs(xd) <= LIMIT:
        with np.errstate(invalid="ignore"):
            return _F32(f(np.float64(xd)))
    if xd == 0.0 and not half:
        return _F32(x)  # sin(±0) keeps the zero's sign
    k = float(round(xd * _INV_PI + half)) if half else float(round(xd * _INV_PI))
    kk = k - half if half else k
    r = xd - kk * _PI1
    r -= kk * _PI2
    r -= kk * _PI3
    z = r * r
    p = r + r * z * (_C3 + z * (_C5 + z * (_C7 + z * _C9)))
    return _F32(-p if k % 2.0 else p)


def _reduced(x: np.ndarray, half: float, f: np.ufunc) -> np.ndarray:
    shape = x.shape
    x = x.reshape(-1)  # (arithmetic on 0-d arrays gives scalars, which take no out=)
    xd = x.astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        k = xd * _INV_PI
        if half:
            k += half
        np.rint(k, out=k)
        kk = k - half if half else k
        r = xd - kk * _PI1
        r -= kk * _PI2
        r -= kk * _PI3
        z = r * r
        acc = _C7 + z * _C9
        acc = _C5 + z * acc
        acc = _C3 + z * acc
        p = r + r * z * acc
        # (-1)^k: k is an integer-valued float, exact; fmod keeps its sign, so |.|
        np.negative(p, out=p, where=np.abs(np.fmod(k, 2.0)) == 1.0)
        out = p.astype(_F32)
        odd = ~(np.abs(xd) <= LIMIT)  # also inf and NaN
        if odd.any():
            out[odd] = f(xd[odd]).astype(_F32)
        if not half:
            zero = xd == 0  # sin(±0) keeps the zero's sign
            if zero.any():
                out[zero] = x[zero]
    return out.reshape(shape)


# -- tan: a fitted model of MKL's vsTan (float32) ---------------------------------------
#
# What MKL computes is not recovered; its error is. Below |x| = 8192 its result is
# tan(x)·(1 + δ(r)) rounded once, r = x - kπ/2 (k = rint(2x/π)) the reduced argument and δ
# a smooth even function of r (a relative error up to 2.8e-8: zero at 0, ~6.8e-7·r² near
# it, two humps on [0, π/4]), with the sign of δ flipped for odd k (the cotangent side).
# δ below is a Chebyshev series in (4r/π)² fitted by linear programming to 200,000 random
# float32 in [2⁻⁸, π/4] (the largest margin to every sample's rounding bounds): on fresh
# samples it gives PyTorch's bits but for 0.007% of values in every range up to 8192 (the
# double tan rounded differs on 18%). Past 8192 (another reduction), inf and NaN: the
# double tan rounded, as sin/cos above (0.15% differ there).

_TAN_DELTA = (14.460167917790558, 0.2960668751638734, -0.024147886476194546,
              1.344227902102947, -14.040412644831365, -1.3274722129755532,
              -0.10017445499927803)  # ×1e-9, Chebyshev coefficients in 2(4r/π)² - 1


def tan32(x: np.ndarray) -> np.ndarray:
    """tan of a float32 array, as MKL's vsTan gives it (but for ~1 value in 14,000). On
    MKL's AVX-512 path (Intel CPUs: kernels/mkl_path.py) vsTan is another code, closer to
    the correctly rounded tan than the fit above: the double tan rounded once (0.6% of
    values differ from PyTorch's there, against 18% for the fit)."""
    if mkl_avx512():
        with np.errstate(invalid="ignore"):
            return np.tan(x.astype(np.float64)).astype(_F32)
    return tan32_fit(x)


def tan32_fit(x: np.ndarray) -> np.ndarray:
    """The fit above: vsTan on MKL's AVX2 path (any host)."""
    shape = x.shape
    xd = x.reshape(-1).astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        t = np.tan(xd)
        k = np.rint(xd * (2 / math.pi))
        r = xd - k * (math.pi / 2)
        u = 2.0 * np.square(r * (4 / math.pi)) - 1.0
        delta = np.polynomial.chebyshev.chebval(u, _TAN_DELTA) * 1e-9
        np.negative(delta, out=delta, where=np.abs(np.fmod(k, 2.0)) == 1.0)
        out = np.where(np.abs(xd) <= LIMIT, t * (1.0 + delta), t).astype(_F32)
    return out.reshape(shape)
