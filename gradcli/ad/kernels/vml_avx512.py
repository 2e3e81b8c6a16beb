"""Intel MKL's vector math (VML, high-accuracy mode) as its AVX-512 code computes it, the
path MKL takes on Intel processors with AVX-512 (kernels/mkl_path.py); on other CPUs
PyTorch's results are the ones the models in fused.py, vmltrig.py, … give.

What the code computes was recovered from its outputs against PyTorch's (tests/
test_r20_vml.py); MKL's sources are closed.

sqrt (vsSqrt, float32): the hardware's reciprocal square root estimate VRSQRT14 (Intel
publishes its exact algorithm: below), y; s = x·y and h = y/2 rounded to float; then
fma(fma(-s, s, x), h, s), each FMA rounded once. Exhaustively equal to PyTorch on [1, 4)
(every float32 there, 2²⁴ of them), which covers every normal x (both steps scale by
powers of four exactly); below 2⁻⁶⁴ (subnormals, where s² would lose bits) the same on
x·2⁶⁴, the root scaled back by 2⁻³² (every float32 below 2⁻¹²² checked).

sqrt (vdSqrt, float64): VRSQRT14PD, one Goldschmidt step on s and h, then the same last
correction (sqrt64 below); equal to PyTorch on 10 million values of every binade,
subnormals and the extremes included. PyTorch's float64 sqrt is not correctly rounded
there: 0.4-0.7% of values are a unit away from numpy's.

The other VML functions of that path (tanh, exp, log, tan, asin, acos, float64 tanh, sin,
cos) are not recovered: their errors are not a function of the reduced argument in double
arithmetic (a linear-programming fit of exp's over 16-128 table entries finds none), so
their float arithmetic would have to be found exactly. README, "Last bits and your CPU".
"""

from __future__ import annotations

import functools
import math
import struct

import numpy as np

from gradcli.ad.kernels.fused import _sum_to_odd, fma, vml_sqrt_avx2
from gradcli.ad.kernels.mkl_path import mkl_avx512

ndarray = np.ndarray
_F32 = np.dtype(np.float32)

def vml_sqrt(x: ndarray) -> ndarray:
    """sqrt as PyTorch's CPU kernel computes it (MKL's vsSqrt / vdSqrt) on the path MKL
    takes on this CPU: its AVX-512 one (Intel with AVX-512) sqrt32 / sqrt64 below, else
    fused.vml_sqrt_avx2 (float32; float64 there: numpy's correctly rounded sqrt)."""
    x = np.asarray(x)
    if x.size and mkl_avx512():
        if x.dtype == _F32:
            return sqrt32_filtered(x)
        if x.dtype == np.float64:
            return sqrt64(x)
    return vml_sqrt_avx2(x)


# -- VRSQRT14 ---------------------------------------------------------------------------
#
# Intel's reference algorithm for VRSQRT14PS (the instruction's result to the bit): x
# scaled into [1, 4) by an even power of two, its significand cut to 16 fraction bits, a
# linear piece c - d·(x - y) on 32 segments of [1, 2) and 32 of [2, 4), computed exactly
# and cut to 16 fraction bits. The constants: c in units of 2⁻¹⁹, d of 2⁻¹¹ on [1, 2)
# and 2⁻¹² on [2, 4), per segment.

_C_LOW = (
    520261, 512437, 504953, 497790, 490922, 484331, 478001, 471909, 466046, 460397, 454947,
    449688, 444606, 439694, 434939, 430335, 425875, 421551, 417355, 413284, 409329, 405487,
    401748, 398111, 394571, 391127, 387770, 384498, 381307, 378194, 375155, 372190)
_D_LOW = (
    1001, 955, 915, 877, 841, 807, 775, 747, 719, 693, 669, 647, 625, 603, 585, 567, 549, 533,
    517, 501, 487, 473, 461, 449, 437, 425, 415, 403, 393, 385, 375, 367)
_C_HIGH = (
    367881, 362349, 357056, 351992, 347136, 342475, 337997, 333693, 329545, 325551, 321697,
    317977, 314385, 310910, 307549, 304295, 301139, 298079, 295115, 292237, 289439, 286722,
    284080, 281508, 279006, 276569, 274195, 271882, 269625, 267425, 265276, 263178)
_D_HIGH = (
    707, 675, 647, 619, 595, 571, 549, 527, 509, 491, 473, 457, 441, 427, 413, 401, 389, 377,
    365, 355, 345, 335, 325, 317, 309, 301, 293, 285, 279, 271, 265, 259)


@functools.cache
def _rsqrt14_pieces() -> tuple[ndarray, ndarray, ndarray]:
    """Per segment (64: [1, 2) then [2, 4), by the top five fraction bits): c + d·y, its
    midpoint y taken in, and d·2⁸ on [1, 2), d·2⁷ on [2, 4): the piece is c0 - d·x."""
    i = np.arange(32)
    y = np.concatenate([1 + 1 / 64 + i / 32, 2 + 1 / 32 + i / 16])
    c = np.array(_C_LOW + _C_HIGH, np.float64)
    d = np.concatenate([256.0 * np.array(_D_LOW), 128.0 * np.array(_D_HIGH)])
    return c + d * y, d, y  # c + d·y: at most 20 bits, exact


_LOW36 = np.int64((1 << 36) - 1)
_FRAC = np.int64((1 << 52) - 1)


def rsqrt14(x: ndarray) -> ndarray:
    """VRSQRT14PS / VRSQRT14PD of positive finite x (float32 or float64; subnormals too,
    normalised as the reference does), in x's dtype."""
    xd = x.astype(np.float64).reshape(-1)  # (0-d arithmetic gives scalars)
    sub = xd < 2.0**-1022
    if sub.any():  # float64 subnormals: scaled by 2⁵⁴ (an even power), undone below
        xd = np.where(sub, xd * 2.0**54, xd)
    bits = xd.view(np.int64)
    e = (bits >> 52) - 1023
    odd = e & 1
    frac = bits & _FRAC
    seg = ((frac >> 47) + (odd << 5)).astype(np.intp)
    # the significand cut to 15 fraction bits, in [1, 4)
    cut = ((frac >> 37) | (1 << 15)).astype(np.float64) * np.where(odd == 1, 2.0**-14, 2.0**-15)
    c0, d, _ = _rsqrt14_pieces()
    r = c0[seg] - d[seg] * cut  # c - d·(cut - y), exact
    r = (r.view(np.int64) & ~_LOW36).view(np.float64)  # cut to 16 fraction bits
    r[(frac == 0) & (odd == 0)] = 2.0**19  # 4^n: 1 exactly
    # ·2⁻¹⁹ and the exponent's half, on the bits (r ≥ 2¹⁷: no underflow)
    shift = 19 + (e - odd) // 2
    if sub.any():
        shift = shift - np.where(sub, 27, 0)
    out = (r.view(np.int64) - (shift << 52)).view(np.float64).astype(x.dtype)
    return out.reshape(x.shape)


def sqrt32(x: ndarray) -> ndarray:
    """vsSqrt of a float32 array on MKL's AVX-512 path (zero, negative, inf and nan as
    the IEEE sqrt). Its float operations in double: products of floats and x - s² (s² is
    within a factor two of x) are exact there, so one rounding to float each; the last
    FMA's double sum is summed to odd where it could round twice."""
    if x.ndim != 1:
        return sqrt32(x.reshape(-1)).reshape(x.shape)
    bits = x.view(np.int32)
    finite = (bits > 0) & (bits < 0x7F800000)
    xd = np.where(finite, x, np.float32(1)).astype(np.float64)
    tiny = bits < 0x1F800000  # below 2⁻⁶⁴: scaled by 2⁶⁴ (exact), the root by 2⁻³²
    if tiny.any():
        xd = np.where(tiny, xd * 2.0**64, xd)
    y = rsqrt14(xd)  # a float (17 bits)
    s = (xd * y).astype(_F32).astype(np.float64)
    h = y * 0.5
    r = (xd - s * s).astype(_F32).astype(np.float64)  # fma(-s, s, x)
    p = r * h  # exact
    d = p + s
    out = d.astype(_F32)
    risky = (d.view(np.int64) & ((1 << 29) - 1)) == 1 << 28  # on a float midpoint
    if risky.any():
        out[risky] = _sum_to_odd(p[risky], s[risky]).astype(_F32)
    if tiny.any():
        out = np.where(tiny, out * np.float32(2.0**-32), out)
    return np.where(finite, out, np.sqrt(x))


# -- the filter: numpy's root where it is vsSqrt's ---------------------------------------
#
# sqrt32 differs from the correctly rounded root only where the exact root lies near a
# midpoint of two floats: on [1, 4) (every float32, so every normal and scaled-tiny x, as
# above) the farthest such root is 0.1202 half-ulp from its midpoint. The root in double
# (53 bits, correctly rounded) tells the distance by its 29 bits below float32's: within
# _NEAR (0.15 half-ulp, a margin far above the double's rounding) an element takes the
# emulation, the others np.sqrt's value (about 85% of them). A few risky elements go
# through a scalar copy of sqrt32 (the vector one costs ~50 numpy calls on any size).

_NEAR = int(0.15 * (1 << 28))
_LOW29 = np.int64((1 << 29) - 1)
_SHIFT = np.int64((1 << 28) - _NEAR)
_WIDTH = np.int64(2 * _NEAR)
_SCALAR_MAX = 24  # risky elements done one by one up to this many


def sqrt32_filtered(x: ndarray) -> ndarray:
    """sqrt32(x), bit for bit: np.sqrt where that is vsSqrt's value, the emulation on the
    elements whose exact root is near a rounding midpoint. (numpy's invalid-value warnings
    are off process-wide: ad/state.py.)"""
    flat = x.reshape(-1)  # 0-d too: the result is an array, as sqrt32's
    out = np.sqrt(flat)
    # the root's 29 bits below float32's, less the midpoint's (2²⁸), within ±_NEAR: one
    # unsigned window after a shift; zero, inf and nan have them all zero (never risky).
    # ufuncs with out= and numpy scalars: small arrays pay per call
    d = np.sqrt(flat, dtype=np.float64).view(np.int64)
    np.subtract(d, _SHIFT, out=d)
    np.bitwise_and(d, _LOW29, out=d)
    near = np.less(d, _WIDTH)
    if np.count_nonzero(near):
        _emulate(out, flat, np.flatnonzero(near))
    return out.reshape(x.shape)


def _emulate(out: ndarray, flat: ndarray, risky: ndarray) -> None:
    """out[risky] = sqrt32(flat[risky]): one by one when they are few."""
    if risky.size > _SCALAR_MAX:
        out[risky] = sqrt32(flat[risky])
    else:
        for i in risky.tolist():
            out[i] = _sqrt32_one(float(flat[i]))


_F32_PACK = struct.Struct("<f")
_D_PACK = struct.Struct("<d")
_Q_PACK = struct.Struct("<q")


def _f32(v: float) -> float:
    """v rounded to float32 (to nearest even)."""
    return _F32_PACK.unpack(_F32_PACK.pack(v))[0]


def _bits(v: float) -> int:
    return _Q_PACK.unpack(_D_PACK.pack(v))[0]


def _from_bits(b: int) -> float:
    return _D_PACK.unpack(_Q_PACK.pack(b))[0]


@functools.cache
def _rsqrt14_lists() -> tuple[list[float], list[float]]:
    c0, d, _ = _rsqrt14_pieces()
    return c0.tolist(), d.tolist()


_FRAC_INT = (1 << 52) - 1
_CUT_MASK = ~((1 << 36) - 1)
_LOW29_INT = (1 << 29) - 1


def _sqrt32_one(v: float) -> float:
    """sqrt32 of one positive finite float32 (given as a Python float): its steps, and
    rsqrt14's, on Python's doubles, each float rounding by struct's (to nearest even)."""
    tiny = v < 2.0**-64
    xd = v * 2.0**64 if tiny else v
    # rsqrt14(xd)
    bits = _bits(xd)
    e = (bits >> 52) - 1023
    odd = e & 1
    frac = bits & _FRAC_INT
    c0, dd = _rsqrt14_lists()
    seg = (frac >> 47) + (odd << 5)
    cut = ((frac >> 37) | (1 << 15)) * (2.0**-14 if odd else 2.0**-15)
    rb = (_bits(2.0**19) if frac == 0 and odd == 0
          else _bits(c0[seg] - dd[seg] * cut) & _CUT_MASK)
    y = _from_bits(rb - ((19 + (e - odd) // 2) << 52))
    # the two FMAs
    s = _f32(xd * y)
    p = _f32(xd - s * s) * (y * 0.5)
    d = p + s
    if _bits(d) & _LOW29_INT == 1 << 28:  # on a float midpoint: the sum rounded to odd
        bb = d - p
        err = (p - (d - bb)) + (s - bb)
        if err != 0 and not _bits(d) & 1:
            d = math.nextafter(d, math.inf if err > 0 else -math.inf)
    out = _f32(d)
    return out * 2.0**-32 if tiny else out


def sqrt64(x: ndarray) -> ndarray:
    """vdSqrt of a float64 array on MKL's AVX-512 path: y = VRSQRT14PD(x), s = x·y and
    h = y/2 rounded, one Goldschmidt step (e = fma(-s, h, ½), s = fma(s, e, s),
    h = fma(h, e, h)), then fma(fma(-s, s, x), h, s); zero, negative, inf and nan as the
    IEEE sqrt."""
    if x.ndim != 1:
        return sqrt64(x.reshape(-1)).reshape(x.shape)
    finite = (x > 0) & (x < np.inf)
    safe = np.where(finite, x, 1.0)
    # tiny and huge x scaled by 2⁹⁶⁰ or 2⁻⁶⁴ (exact), the root back by 2⁻⁴⁸⁰ or 2³²
    tiny, huge = safe < 2.0**-960, safe > 2.0**1000
    scaled = tiny | huge
    if scaled.any():
        safe = safe * np.where(tiny, 2.0**960, np.where(huge, 2.0**-64, 1.0))
    with np.errstate(all="ignore"):
        y = rsqrt14(safe)
        s = safe * y
        h = y * 0.5
        e = fma(-s, h, np.full_like(s, 0.5))
        s = fma(s, e, s)
        h = fma(h, e, h)
        out = fma(fma(-s, s, safe), h, s)
        if scaled.any():
            out = out * np.where(tiny, 2.0**-480, np.where(huge, 2.0**32, 1.0))
        return np.where(finite, out, np.sqrt(x))
