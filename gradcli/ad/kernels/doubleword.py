"""SLEEF's double-word arithmetic (its df.h and dd.h, as FMA builds compile them): a value is
a pair (hi, lo) of arrays of one dtype with hi + lo the number. Each helper keeps SLEEF's
operation order (its SLEEF name in a comment), so the functions of kernels/vecmath.py and
kernels/vecgamma.py written with them round as PyTorch's vectorised kernels do."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.kernels.fused import fma

ndarray = np.ndarray


def add2(x: ndarray, y: ndarray) -> tuple[ndarray, ndarray]:  # dfadd2_vf2_vf_vf
    s = x + y
    v = s - x
    return s, (x - (s - v)) + (y - v)


def add2_wv(xh: ndarray, xl: ndarray, y: Any) -> tuple[ndarray, ndarray]:  # dfadd2_vf2_vf2_vf
    s = xh + y
    v = s - xh
    return s, ((xh - (s - v)) + (y - v)) + xl


def add2_ww(xh: ndarray, xl: ndarray, yh: ndarray, yl: ndarray
            ) -> tuple[ndarray, ndarray]:  # dfadd2_vf2_vf2_vf2
    s = xh + yh
    v = s - xh
    return s, ((xh - (s - v)) + (yh - v)) + (xl + yl)


def add_vw(x: Any, yh: ndarray, yl: ndarray) -> tuple[ndarray, ndarray]:  # dfadd_vf2_vf_vf2
    s = x + yh
    return s, ((x - s) + yh) + yl


def add_wv(xh: ndarray, xl: ndarray, y: Any) -> tuple[ndarray, ndarray]:  # dfadd_vf2_vf2_vf
    s = xh + y
    return s, ((xh - s) + y) + xl


def add_ww(xh: ndarray, xl: ndarray, yh: ndarray, yl: ndarray
           ) -> tuple[ndarray, ndarray]:  # dfadd_vf2_vf2_vf2
    s = xh + yh
    return s, (((xh - s) + yh) + xl) + yl


def sub_ww(xh: ndarray, xl: ndarray, yh: ndarray, yl: ndarray
           ) -> tuple[ndarray, ndarray]:  # dfsub_vf2_vf2_vf2
    s = xh - yh
    return s, (((xh - s) - yh) + xl) - yl


def mul_vv(x: ndarray, y: Any) -> tuple[ndarray, ndarray]:  # dfmul_vf2_vf_vf
    s = x * y
    return s, fma(x, y, -s)


def mul_wv(xh: ndarray, xl: ndarray, y: Any) -> tuple[ndarray, ndarray]:  # dfmul_vf2_vf2_vf
    s = xh * y
    return s, fma(xl, y, fma(xh, y, -s))


def mul_ww(xh: ndarray, xl: ndarray, yh: ndarray, yl: ndarray
           ) -> tuple[ndarray, ndarray]:  # dfmul_vf2_vf2_vf2
    s = xh * yh
    return s, fma(xh, yl, fma(xl, yh, fma(xh, yh, -s)))


def squ(xh: ndarray, xl: ndarray) -> tuple[ndarray, ndarray]:  # dfsqu_vf2_vf2
    s = xh * xh
    return s, fma(xh + xh, xl, fma(xh, xh, -s))


def rec_w(dh: ndarray, dl: ndarray) -> tuple[ndarray, ndarray]:  # dfrec_vf2_vf2
    one = dh.dtype.type(1)
    q = one / dh
    return q, q * fma(-dl, q, fma(-dh, q, one))


def div_ww(nh: ndarray, nl: Any, dh: ndarray, dl: ndarray
           ) -> tuple[ndarray, ndarray]:  # dfdiv_vf2_vf2_vf2
    one = dh.dtype.type(1)
    t = one / dh
    q = nh * t
    u = fma(t, nh, -q)
    v = fma(-dl, t, fma(-dh, t, one))
    return q, fma(q, v, fma(np.broadcast_to(nl, q.shape).astype(q.dtype), t, u))


def poly(x: tuple[ndarray, ...], coeffs: tuple[Any, ...]) -> Any:
    """SLEEF's POLYn (estrin.h): x = (x, x², x⁴, x⁸), coefficients (of x's dtype) from
    the highest degree down: the top ones times the largest power of x below n, plus the
    rest, each part the same way."""
    n = len(coeffs)
    if n == 1:
        return coeffs[0]
    m = 1 << ((n - 1).bit_length() - 1)
    return fma(x[m.bit_length() - 1], poly(x, coeffs[:n - m]), poly(x, coeffs[n - m:]))
