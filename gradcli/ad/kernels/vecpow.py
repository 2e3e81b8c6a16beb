"""SLEEF's two-argument functions as ATen's vectorised CPU kernels run them: atan2, hypot
and pow on whole vector pairs (the C library's function on the scalar tail), registered
on vecmath's VEC and LIBM tables; kernel_loop decides which elements take which.
(Split from vecmath.py, which holds the one-argument functions and the loop.)"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.kernels import clib as C
from gradcli.ad.kernels.doubleword import (
    add2,
    add2_wv,
    add2_ww,
    add_vw,
    add_ww,
    div_ww,
    mul_vv,
    mul_wv,
    mul_ww,
    poly,
    rec_w,
    squ,
)
from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.vecmath import (
    _F32,
    _F64,
    _L2LF,
    _L2UF,
    _R_LN2F,
    LIBM,
    VEC,
    _expk,
    _f32,
    _mulsign,
    _nan,
)

ndarray = np.ndarray

# -- atan2: SLEEF's atan2f8_u10 / atan2d4_u10 (xatan2f_u1 / xatan2_u1) ---------------------

_ATAN2F_POLY = _f32(-0.00176397908944636583328247, 0.0107900900766253471374512,
                    -0.0309564601629972457885742, 0.0577365085482597351074219,
                    -0.0838950723409652709960938, 0.109463557600975036621094,
                    -0.142626821994781494140625, 0.199983194470405578613281)
_ATAN2_POLY = (1.06298484191448746607415e-05, -0.000125620649967286867384336,
               0.00070557664296393412389774, -0.00251865614498713360352999,
               0.00646262899036991172313504, -0.0128281333663399031014274,
               0.0208024799924145797902497, -0.0289002344784740315686289,
               0.0359785005035104590853656, -0.041848579703592507506027,
               0.0470843011653283988193763, -0.0524914210588448421068719,
               0.0587946590969581003860434, -0.0666620884778795497194182,
               0.0769225330296203768654095, -0.0909090442773387574781907)
_ATAN2_TAIL = (0.111111108376896236538123, -0.142857142756268568062339,
               0.199999999997977351284817, -0.333333333333317605173818)


def _atan2k_u1(y: ndarray, x: ndarray) -> tuple[ndarray, ndarray]:
    """SLEEF's atan2kf_u1/atan2k_u1 of (|y|, 0) and (x, 0): atan(|y|/x) plus the quadrant's
    multiple of π/2, as a double-word."""
    f32 = x.dtype == _F32
    t_ = x.dtype.type
    zero = np.zeros_like(x)
    q = np.where(x < 0 if f32 else np.signbit(x), -2, 0)
    neg = x < 0
    xh, xl = np.where(neg, -x, x), zero
    q = np.where(xh < y, q + 1, q)
    p = xh < y
    sh, sl = np.where(p, -xh, y), np.where(p, -xl, zero)
    th, tl = np.where(p, y, xh), np.where(p, zero, xl)
    sh, sl = div_ww(sh, sl, th, tl)
    th, tl = squ(sh, sl)
    th, tl = th + tl, (th - (th + tl)) + tl  # normalize
    if f32:
        u = np.full(x.shape, _ATAN2F_POLY[0], _F32)
        for c in _ATAN2F_POLY[1:]:
            u = fma(u, th, c)
        s = np.float32(-0.333332866430282592773438) + u * th  # dfadd_vf2_vf_vf
        th, tl = mul_ww(th, tl, s, (np.float32(-0.333332866430282592773438) - s) + u * th)
        th, tl = mul_ww(sh, sl, *add_vw(np.float32(1), th, tl))
        pih, pil = t_(1.5707963705062866211), t_(-4.3711388286737928865e-08)
    else:
        t2 = th * th
        t4 = t2 * t2
        u = poly((th, t2, t4, t4 * t4), _ATAN2_POLY)
        for c in _ATAN2_TAIL:
            u = fma(u, th, c)
        th, tl = add_ww(sh, sl, *mul_wv(*mul_ww(sh, sl, th, tl), u))
        pih, pil = 1.570796326794896557998982, 6.12323399573676603586882e-17
    qh, ql = mul_wv(np.full(x.shape, pih, x.dtype), np.full(x.shape, pil, x.dtype),
                     q.astype(x.dtype))
    return add_ww(qh, ql, th, tl)


def vatan2(y: ndarray, x: ndarray) -> ndarray:
    """Vectorized<T>::atan2: SLEEF's atan2f8_u10 / atan2d4_u10."""
    f32 = x.dtype == _F32
    t_ = x.dtype.type
    y, x = np.broadcast_arrays(np.asarray(y, x.dtype), x)
    with np.errstate(all="ignore"):
        tiny = np.abs(x) < t_(2.9387372783541830947e-39 if f32 else 5.5626846462680083984e-309)
        scale = t_(2.0 ** (24 if f32 else 53))
        x = np.where(tiny, x * scale, x)
        y = np.where(tiny, y * scale, y)
        dh, dl = _atan2k_u1(np.abs(y), x)
        r = _mulsign(dh + dl, x)
        half_pi, quarter_pi = t_(math.pi / 2), t_(math.pi / 4)

        def inf2(m: ndarray) -> ndarray:  # SLEEF's visinf2: ±m where x is ±inf, else 0
            return np.where(np.isinf(x), _mulsign(np.abs(m), x), t_(0))

        r = np.where(np.isinf(x) | (x == 0), half_pi - inf2(_mulsign(half_pi, x)), r)
        r = np.where(np.isinf(y), half_pi - inf2(_mulsign(quarter_pi, x)), r)
        r = np.where(y == 0, np.where(np.signbit(x), t_(math.pi), t_(0)), r)
        return np.where(np.isnan(x) | np.isnan(y), _nan(x.dtype), _mulsign(r, y))


def _scalar2(name: str) -> Any:
    def g(y: Any, x: Any) -> ndarray:
        return C.call(name, y, x, dtype=np.asarray(x).dtype)

    return staticmethod(g)


VEC.atan2 = staticmethod(vatan2)
LIBM.atan2 = _scalar2("atan2")


def vhypot(x: ndarray, y: ndarray) -> ndarray:
    """Vectorized<double>::hypot: SLEEF's hypotd4_u05, max·√(1 + (min/max)²) in
    double-words (float32's, hypotf8_u05, gives numpy's bits and is left to numpy)."""
    if x.dtype == _F32:
        return np.hypot(x, y)
    x, y = np.broadcast_arrays(np.abs(x), np.abs(np.asarray(y, x.dtype)))
    with np.errstate(all="ignore"):
        lo, hi = np.minimum(x, y), np.maximum(x, y)
        small = hi < np.finfo(_F64).tiny
        n = np.where(small, lo * 2.0 ** 54, lo)
        d = np.where(small, hi * 2.0 ** 54, hi)
        zero = np.zeros_like(n)
        th, tl = div_ww(n, zero, d, zero)
        th, tl = add2_wv(*squ(th, tl), 1.0)
        r = np.sqrt(th + tl)  # ddsqrt: (d + t²)·(1/t)/2, t = √d
        rh, rl = mul_ww(*add2_ww(th, tl, *mul_vv(r, r)), *rec_w(r, zero))
        th, tl = mul_wv(rh * 0.5, rl * 0.5, hi)
        ret = th + tl
        ret = np.where(np.isnan(ret), np.inf, ret)
        ret = np.where(lo == 0, hi, ret)
        ret = np.where(np.isnan(x) | np.isnan(y), np.nan, ret)
        return np.where((x == np.inf) | (y == np.inf), np.inf, ret)


VEC.hypot = staticmethod(vhypot)
LIBM.hypot = _scalar2("hypot")


# -- pow: SLEEF's xpowf / xpow (powf8_u10, powd4_u10), e^(y·log|x|) in double-words --------

_LOGKF_POLY = _f32(0.240320354700088500976562, 0.285112679004669189453125,
                   0.400007992982864379882812)
_LOGK_POLY = (0.116255524079935043668677, 0.103239680901072952701192,
              0.117754809412463995466069, 0.13332981086846273921509,
              0.153846227114512262845736, 0.181818180850050775676507,
              0.222222222230083560345903, 0.285714285714249172087875,
              0.400000000000000077715612)
_EXPKF_POLY = _f32(0.00136324646882712841033936, 0.00836596917361021041870117,
                   0.0416710823774337768554688, 0.166665524244308471679688,
                   0.499999850988388061523438)


def _logk(d: ndarray) -> tuple[ndarray, ndarray]:
    """SLEEF's logkf / logk: log of positive d as a double-word (the exponent from the
    bits, subnormals scaled by 2^64 first)."""
    f32 = d.dtype == _F32
    t_ = d.dtype.type
    ib, shift, bias, mask = (np.int32, 23, 0x7F, 0xFF) if f32 else (np.int64, 52, 0x3FF, 0x7FF)
    with np.errstate(all="ignore"):
        tiny = d < t_(np.finfo(d.dtype).tiny)
        d = np.where(tiny, d * t_(2.0 ** 64), d)
        e = ((((d * t_(1 / 0.75)).view(ib) >> shift) & mask) - bias).astype(ib)
        m = (d.view(ib) + (-e << shift).astype(ib)).view(d.dtype)  # vldexp3
        e = np.where(tiny, e - 64, e)
        xh, xl = div_ww(*add2(np.full_like(m, t_(-1)), m), *add2(np.full_like(m, t_(1)), m))
        x2h, x2l = squ(xh, xl)
        ln2 = (np.full_like(d, t_(0.69314718246459960938 if f32 else 0.693147180559945286226764)),
               np.full_like(d, t_(-1.904654323148236017e-09 if f32
                                  else 2.319046813846299558417771e-17)))
        sh, sl = mul_wv(*ln2, e.astype(d.dtype))
        sh, sl = add_ww(sh, sl, xh * t_(2), xl * t_(2))
        if f32:
            t = np.full_like(d, _LOGKF_POLY[0])
            for c in _LOGKF_POLY[1:]:
                t = fma(t, x2h, c)
            c2 = add2_ww(*mul_wv(x2h, x2l, t), np.full_like(d, t_(0.66666662693023681640625)),
                         np.full_like(d, t_(3.69183861259614332084311e-09)))
            return add_ww(sh, sl, *mul_ww(*mul_ww(x2h, x2l, xh, xl), *c2))
        x4 = x2h * x2h
        x8 = x4 * x4
        t = poly((x2h, x4, x8, x8 * x8), _LOGK_POLY)
        xh, xl = mul_ww(x2h, x2l, xh, xl)
        sh, sl = add_ww(sh, sl, *mul_ww(xh, xl, np.full_like(d, 0.666666666666666629659233),
                                        np.full_like(d, 3.80554962542412056336616e-17)))
        xh, xl = mul_ww(x2h, x2l, xh, xl)
        return add_ww(sh, sl, *mul_wv(xh, xl, t))


def _ldexpf(x: ndarray, q: ndarray) -> ndarray:
    """SLEEF's vldexp_vf_vf_vi2: x · 2^q in five multiplications (q split so none
    overflows)."""
    q = q.astype(np.int32)
    m = q >> 31
    m = (((m + q) >> 6) - m) << 4
    q = q - (m << 2)
    m = np.clip(m + 127, 0, 255)
    u = (m << 23).astype(np.int32).view(_F32)
    x = x * u * u * u * u
    return x * ((q + 127) << 23).astype(np.int32).view(_F32)


def _expkf(dh: ndarray, dl: ndarray) -> ndarray:
    """SLEEF's expkf: e^(dh + dl) rounded to one float."""
    with np.errstate(all="ignore"):
        q = np.rint((dh + dl) * _R_LN2F).astype(np.int32)
        qf = q.astype(_F32)
        sh, sl = add2_wv(dh, dl, qf * -_L2UF)
        sh, sl = add2_wv(sh, sl, qf * -_L2LF)
        sh, sl = sh + sl, (sh - (sh + sl)) + sl  # dfnormalize
        u = np.full_like(sh, _EXPKF_POLY[0])
        for c in _EXPKF_POLY[1:]:
            u = fma(u, sh, c)
        th, tl = add_ww(sh, sl, *mul_wv(*squ(sh, sl), u))
        th, tl = add_vw(np.float32(1), th, tl)
        return np.where(dh < np.float32(-104), np.float32(0), _ldexpf(th + tl, q))


def vpow(x: ndarray, y: ndarray) -> ndarray:
    """Vectorized<T>::pow: SLEEF's powf8_u10 / powd4_u10 (xpowf, xpow) on x and y of one
    float dtype, broadcast together."""
    f32 = x.dtype == _F32
    t_ = x.dtype.type
    x, y = np.broadcast_arrays(x, np.asarray(y, x.dtype))
    x, y = np.ascontiguousarray(x), np.ascontiguousarray(y)
    one = t_(1)
    with np.errstate(all="ignore"):
        ay = np.abs(y)
        big = t_(1 << 24) if f32 else t_(2.0 ** 53)
        yisint = (np.trunc(y) == y) | (ay > big)
        yisodd = yisint & (ay < big) & (np.fmod(y, t_(2)) != 0)
        dh, dl = mul_wv(*_logk(np.abs(x)), y)
        if f32:
            result = _expkf(dh, dl)
            result = np.where(np.isnan(result), t_(np.inf), result)
        else:
            result = np.where(dh > 709.78271114955742909217217426, np.inf, _expk(dh, dl))
        sign = np.where(x > 0, one, np.where(yisint, np.where(yisodd, -one, one), t_(np.nan)))
        result = result * sign
        efx = _mulsign(np.abs(x) - one, y)
        result = np.where(np.isinf(y), np.where(efx < 0, t_(0), np.where(efx == 0, one,
                                                                         t_(np.inf))), result)
        at_edge = np.isinf(x) | (x == 0)
        edge = (np.where(yisodd, _mulsign(np.ones_like(x), x), one)
                * np.where(np.where(x == 0, -y, y) < 0, t_(0), t_(np.inf)))
        result = np.where(at_edge, edge, result)
        result = np.where(np.isnan(x) | np.isnan(y), _nan(x.dtype), result)
        return np.where((y == 0) | (x == 1), one, result)


VEC.pow = staticmethod(vpow)  # powscalar.vec_pow takes its place: float32 faster, same bytes
LIBM.pow = _scalar2("pow")
