"""PyTorch's lgamma: SLEEF's lgammad4_u10 / lgammaf8_u10 (Vectorized<double/float>::lgamma),
which PyTorch's CPU kernel gives for every element, the scalar tail included (measured:
tensors of 1 to 70 elements, strided ones too, all SLEEF's bits).

SLEEF's gammak reduces x to one of three ranges and keeps every intermediate as a
double-word (hi + lo): below 1/2 by the reflection Γ(x)Γ(1-x) = π/sin(πx), above 2.3 by
Stirling's series (after raising x past 7 by four factors), between by Taylor series at 1 or
2. All lanes compute every branch and select, as the vector code does; the helpers are the
FMA builds' double-word operations of kernels/vecmath (their SLEEF names alongside).
"""

from __future__ import annotations

import numpy as np

from gradcli.ad.kernels.doubleword import add2, add2_wv, add2_ww, div_ww, mul_vv, mul_wv, mul_ww
from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.vecmath import _logk2

ndarray = np.ndarray
Pair = tuple[ndarray, ndarray]

# gammak's polynomial in t, highest degree first: (x > 2.3, 0.5 <= x <= 1.1, otherwise)
_GAMMA_POLY = (
    (-156.801412704022726379848862, +0.2947916772827614196e+2, +0.7074816000864609279e-7),
    (+1.120804464289911606838558160000, +0.1281459691827820109e+3, +0.4009244333008730443e-6),
    (+13.39798545514258921833306020000, +0.2617544025784515043e+3, +0.1040114641628246946e-5),
    (-0.116546276599463200848033357000, +0.3287022855685790432e+3, +0.1508349150733329167e-5),
    (-1.391801093265337481495562410000, +0.2818145867730348186e+3, +0.1288143074933901020e-5),
    (+0.015056113040026424412918973400, +0.1728670414673559605e+3, +0.4744167749884993937e-6),
    (+0.179540117061234856098844714000, +0.7748735764030416817e+2, -0.6554816306542489902e-7),
    (-0.002481743600264997730942489280, +0.2512856643080930752e+2, -0.3189252471452599844e-6),
    (-0.029527880945699120504851034100, +0.5766792106140076868e+1, +0.1358883821470355377e-6),
    (+0.000540164767892604515196325186, +0.7270275473996180571e+0, -0.4343931277157336040e-6),
    (+0.006403362833808069794787256200, +0.8396709124579147809e-1, +0.9724785897406779555e-6),
    (-0.000162516262783915816896611252, -0.8211558669746804595e-1, -0.2036886057225966011e-5),
    (-0.001914438498565477526465972390, +0.6828831828341884458e-1, +0.4373363141819725815e-5),
    (+7.20489541602001055898311517e-05, -0.7712481339961671511e-1, -0.9439951268304008677e-5),
    (+0.000839498720672087279971000786, +0.8337492023017314957e-1, +0.2050727030376389804e-4),
    (-5.17179090826059219329394422e-05, -0.9094964931456242518e-1, -0.4492620183431184018e-4),
    (-0.000592166437353693882857342347, +0.1000996313575929358e+0, +0.9945751236071875931e-4),
    (+6.97281375836585777403743539e-05, -0.1113342861544207724e+0, -0.2231547599034983196e-3),
    (+0.000784039221720066627493314301, +0.1255096673213020875e+0, +0.5096695247101967622e-3),
    (-0.000229472093621399176949318732, -0.1440498967843054368e+0, -0.1192753911667886971e-2),
    (-0.002681327160493827160473958490, +0.1695571770041949811e+0, +0.2890510330742210310e-2),
    (+0.003472222222222222222175164840, -0.2073855510284092762e+0, -0.7385551028674461858e-2),
    (+0.083333333333333333335592087900, +0.2705808084277815939e+0, +0.2058080842778455335e-1),
)
# The Taylor series' last three coefficients (x near 1, x near 2), then constants as pairs
_TAYLOR = ((-0.4006856343865314862e+0, -0.6735230105319810201e-1),
           (+0.8224670334241132030e+0, +0.3224670334241132030e+0),
           (-0.5772156649015328655e+0, +0.4227843350984671345e+0))
_HALF_LOG_2PI = (0.91893853320467278056, -3.8782941580672414498e-17)
_LOG_PI = (1.1447298858494001639, 1.026595116270782638e-17)
_LOG_2_120 = (83.1776616671934334590333, 3.67103459631568507221878e-15)

# sinpik's polynomial (q's bit 1 set: cos-like, clear: sin-like), then its double-word
# coefficients
_SINPI_POLY = ((9.94480387626843774090208e-16, -2.02461120785182399295868e-14),
               (-3.89796226062932799164047e-13, 6.948218305801794613277840e-12),
               (1.150115825399960352669010e-10, -1.75724749952853179952664e-09),
               (-2.46113695010446974953590e-08, 3.133616889668683928784220e-07),
               (3.590860448590527540050620e-06, -3.65762041821615519203610e-05),
               (-0.000325991886927389905997954, 0.0024903945701927185027435600))
_SINPI_2 = ((0.0158543442438155018914259, -1.04693272280631521908845e-18),
            (-0.0807455121882807852484731, 3.61852475067037104849987e-18))
_SINPI_1 = ((-0.308425137534042437259529, -1.95698492133633550338345e-17),
            (0.785398163397448278999491, 3.06287113727155002607105e-17))


def _where2(o: ndarray, a: Pair, b: Pair) -> Pair:
    """vsel_vd2: a where o, else b."""
    return np.where(o, a[0], b[0]), np.where(o, a[1], b[1])


def _const2(c: tuple[float, float], shape: tuple[int, ...]) -> Pair:
    return np.full(shape, c[0]), np.full(shape, c[1])


def _normalize(h: ndarray, l: ndarray) -> Pair:  # ddnormalize_vd2_vd2
    s = h + l
    return s, (h - s) + l


def _sign_flip(x: ndarray, o: ndarray) -> ndarray:
    """x with its sign bit flipped where o."""
    i = np.int32 if x.dtype == np.float32 else np.int64
    bits = 8 * x.dtype.itemsize - 1
    return (x.view(i) ^ np.where(o, i(-(1 << bits)), i(0))).view(x.dtype)


def _sinpik(d: ndarray) -> Pair:
    """sin(πd) as a double-word (SLEEF's sinpik)."""
    u = d * 4.0
    q = np.rint(u + 0.5).astype(np.int32) & ~1
    o = (q & 2) == 2
    t = u - q.astype(np.float64)
    s = t * t
    s2 = mul_vv(t, t)
    u = np.where(o, *_SINPI_POLY[0])
    for c in _SINPI_POLY[1:]:
        u = fma(u, s, np.where(o, *c))
    x = add2_ww(u * s, np.zeros_like(u), *_where2(o, _const2(_SINPI_2[0], u.shape),
                                                    _const2(_SINPI_2[1], u.shape)))
    x = add2_ww(*mul_ww(*s2, *x), *_where2(o, _const2(_SINPI_1[0], u.shape),
                                             _const2(_SINPI_1[1], u.shape)))
    x = mul_ww(*x, *_where2(o, s2, (t, np.zeros_like(t))))
    x = _where2(o, add2_wv(*x, 1.0), x)
    flip = (q & 4) == 4
    return _sign_flip(x[0], flip), _sign_flip(x[1], flip)


def _gammak(a: ndarray) -> tuple[Pair, Pair]:
    """SLEEF's gammak: (log-part, ratio) as double-words, Γ(a) = e^clc · clln/clld."""
    shape = a.shape
    zero = np.zeros(shape)
    one = np.ones(shape)
    otiny = np.abs(a) < 1e-306
    oref = a < 0.5
    x = _where2(otiny, (zero, zero), _where2(oref, add2(one, -a), (a, zero)))
    o0 = (x[0] >= 0.5) & (x[0] <= 1.1)
    o2 = x[0] >= 2.3
    y = _normalize(*mul_ww(*add2_wv(*x, 1.0), *x))
    for k in (2.0, 3.0, 4.0):
        y = _normalize(*mul_ww(*add2_wv(*x, k), *y))
    o = o2 & (x[0] <= 7)
    clln = _where2(o, y, (one, zero))
    x = _where2(o, add2_wv(*x, 5.0), x)
    with np.errstate(divide="ignore"):
        t = np.where(o2, 1.0 / x[0], _normalize(*add2_wv(*x, np.where(o0, -1.0, -2.0)))[0])
    u = np.where(o2, _GAMMA_POLY[0][0], np.where(o0, _GAMMA_POLY[0][1], _GAMMA_POLY[0][2]))
    for c2, c0, c in _GAMMA_POLY[1:]:
        u = fma(u, t, np.where(o2, c2, np.where(o0, c0, c)))
    y = mul_ww(*add2_wv(*x, -0.5), *_logk2(*x))
    y = add2_ww(*y, -x[0], -x[1])
    y = add2_ww(*y, *_const2(_HALF_LOG_2PI, shape))
    z = add2_wv(*mul_vv(u, t), np.where(o0, *_TAYLOR[0]))
    z = add2_wv(*mul_wv(*z, t), np.where(o0, *_TAYLOR[1]))
    z = add2_wv(*mul_wv(*z, t), np.where(o0, *_TAYLOR[2]))
    z = mul_wv(*z, t)
    clc = _where2(o2, y, z)
    clld = _where2(o2, add2_wv(*mul_vv(u, t), 1.0), (one, zero))
    y = clln
    reflected = add2_ww(*_const2(_LOG_PI, shape), -clc[0], -clc[1])
    clc = _where2(otiny, _const2(_LOG_2_120, shape), _where2(oref, reflected, clc))
    clln = _where2(otiny, (one, zero), _where2(oref, clln, clld))
    if oref.any():
        with np.errstate(invalid="ignore"):
            whole = np.trunc(a * (1.0 / (1 << 28)))
            whole = np.where(np.abs(whole) < 2.0 ** 31, whole, -2.0 ** 31)  # an int32's
        x = mul_ww(*clld, *_sinpik(a - (1 << 28) * whole))
    clld = _where2(otiny, (a * float((1 << 60) * (1 << 60)), zero), _where2(oref, x, y))
    return clc, div_ww(*clln, *clld)


def lgamma_vec(a: ndarray) -> ndarray:
    """SLEEF's xlgamma_u1 (lgammad4_u10) on float64 a."""
    with np.errstate(all="ignore"):
        clc, (bh, bl) = _gammak(a)
        abs_b = (np.abs(bh), _sign_flip(bl, np.signbit(bh)))
        yh, yl = add2_ww(*clc, *_logk2(*abs_b))
        r = yh + yl
        pole = np.isinf(a) | ((a <= 0) & (np.trunc(a) == a)) | (np.isfinite(a) & np.isnan(r))
        return np.where(pole, np.inf, r)


# -- float32: SLEEF's gammafk and xlgammaf_u1 (sleefsimdsp.c), as the AVX2 build rounds ------

_F32 = np.float32
# gammafk's polynomial in t, highest degree first: (x >= 2.3, 0.5 <= x <= 1.2, otherwise)
_GAMMAF_POLY = tuple(tuple(_F32(c) for c in row) for row in (
    (+0.000839498720672087279971000786, +0.9435157776e+0, +0.1102489550e-3),
    (-5.17179090826059219329394422e-05, +0.8670063615e+0, +0.8160019934e-4),
    (-0.000592166437353693882857342347, +0.4826702476e+0, +0.1528468856e-3),
    (+6.97281375836585777403743539e-05, -0.8855129778e-1, -0.2355068718e-3),
    (+0.000784039221720066627493314301, +0.1013825238e+0, +0.4962242092e-3),
    (-0.000229472093621399176949318732, -0.1493408978e+0, -0.1193488017e-2),
    (-0.002681327160493827160473958490, +0.1697509140e+0, +0.2891599433e-2),
    (+0.003472222222222222222175164840, -0.2072454542e+0, -0.7385451812e-2),
    (+0.083333333333333333335592087900, +0.2705872357e+0, +0.2058077045e-1)))
_TAYLORF = tuple(tuple(_F32(c) for c in row) for row in (
    (-0.400686534596170958447352690395e+0, -0.673523028297382446749257758235e-1),
    (+0.822466960142643054450325495997e+0, +0.322467033928981157743538726901e+0),
    (-0.577215665946766039837398973297e+0, +0.422784335087484338986941629852e+0)))
# sinpifk's polynomial (cos-like, sin-like) and its double-word coefficients
_SINPIF_POLY = tuple(tuple(_F32(c) for c in row) for row in (
    (-0.2430611801e-7, +0.3093842054e-6), (+0.3590577080e-5, -0.3657307388e-4),
    (-0.3259917721e-3, +0.2490393585e-2)))
_SINPIF_2 = ((0.015854343771934509277, 4.4940051354032242811e-10),
             (-0.080745510756969451904, -1.3373665339076936258e-09))
_SINPIF_1 = ((-0.30842512845993041992, -9.0728339030733922277e-09),
             (0.78539818525314331055, -2.1857338617566484855e-08))


def _cast2(d: float, shape: tuple[int, ...]) -> Pair:
    """vcast_vf2_d: a double constant as a float double-word."""
    hi = _F32(d)
    return np.full(shape, hi), np.full(shape, _F32(d - float(hi)))


def _f32_pair(c: tuple[float, float], shape: tuple[int, ...]) -> Pair:
    return np.full(shape, _F32(c[0])), np.full(shape, _F32(c[1]))


def _truncate_i32(x: ndarray) -> ndarray:
    """vtruncate_vi2_vf: x toward zero as an int32 (cvttps: INT_MIN where out of range)."""
    with np.errstate(invalid="ignore"):
        whole = np.trunc(x)
        ok = np.abs(whole) < _F32(2.0 ** 31)
    return np.where(ok, whole, _F32(-2.0 ** 31)).astype(np.int64).astype(np.int32)


def _sinpifk(d: ndarray) -> Pair:
    """sin(πd) as a float double-word (SLEEF's sinpifk)."""
    u = d * _F32(4)
    q = _truncate_i32(u)
    q = (q + np.where(q < 0, 0, 1).astype(np.int32)) & ~1
    o = (q & 2) == 2
    t = u - q.astype(_F32)
    s = t * t
    s2 = mul_vv(t, t)
    u = np.where(o, *_SINPIF_POLY[0])
    for c in _SINPIF_POLY[1:]:
        u = fma(u, s, np.where(o, *c))
    shape = u.shape
    x = add2_ww(u * s, np.zeros_like(u), *_where2(o, _f32_pair(_SINPIF_2[0], shape),
                                                    _f32_pair(_SINPIF_2[1], shape)))
    x = add2_ww(*mul_ww(*s2, *x), *_where2(o, _f32_pair(_SINPIF_1[0], shape),
                                             _f32_pair(_SINPIF_1[1], shape)))
    x = mul_ww(*x, *_where2(o, s2, (t, np.zeros_like(t))))
    x = _where2(o, add2_wv(*x, _F32(1)), x)
    flip = (q & 4) == 4
    return _sign_flip(x[0], flip), _sign_flip(x[1], flip)


def _gammafk(a: ndarray) -> tuple[Pair, Pair]:
    """SLEEF's gammafk: as _gammak in float, x raised past 7 by two factors (not four)."""
    shape = a.shape
    zero = np.zeros(shape, _F32)
    one = np.ones(shape, _F32)
    otiny = np.abs(a) < _F32(1e-30)
    oref = a < _F32(0.5)
    x = _where2(otiny, (zero, zero), _where2(oref, add2(one, -a), (a, zero)))
    o0 = (x[0] >= _F32(0.5)) & (x[0] <= _F32(1.2))
    o2 = x[0] >= _F32(2.3)
    y = _normalize(*mul_ww(*add2_wv(*x, _F32(1)), *x))
    y = _normalize(*mul_ww(*add2_wv(*x, _F32(2)), *y))
    o = o2 & (x[0] <= _F32(7))
    clln = _where2(o, y, (one, zero))
    x = _where2(o, add2_wv(*x, _F32(3)), x)
    with np.errstate(divide="ignore"):
        t = np.where(o2, _F32(1) / x[0],
                     _normalize(*add2_wv(*x, np.where(o0, _F32(-1), _F32(-2))))[0])
    u = np.where(o2, _GAMMAF_POLY[0][0], np.where(o0, _GAMMAF_POLY[0][1], _GAMMAF_POLY[0][2]))
    for c2, c0, c in _GAMMAF_POLY[1:]:
        u = fma(u, t, np.where(o2, c2, np.where(o0, c0, c)))
    y = mul_ww(*add2_wv(*x, _F32(-0.5)), *_logk2(*x))
    y = add2_ww(*y, -x[0], -x[1])
    y = add2_ww(*y, *_cast2(0.91893853320467278056, shape))
    z = add2_wv(*mul_vv(u, t), np.where(o0, *_TAYLORF[0]))
    z = add2_wv(*mul_wv(*z, t), np.where(o0, *_TAYLORF[1]))
    z = add2_wv(*mul_wv(*z, t), np.where(o0, *_TAYLORF[2]))
    z = mul_wv(*z, t)
    clc = _where2(o2, y, z)
    clld = _where2(o2, add2_wv(*mul_vv(u, t), _F32(1)), (one, zero))
    y = clln
    reflected = add2_ww(*_cast2(1.1447298858494001639, shape), -clc[0], -clc[1])
    clc = _where2(otiny, _cast2(41.58883083359671856503, shape),
                  _where2(oref, reflected, clc))
    clln = _where2(otiny, (one, zero), _where2(oref, clln, clld))
    if oref.any():
        whole = _truncate_i32(a * _F32(1.0 / (1 << 12))).astype(_F32)
        x = mul_ww(*clld, *_sinpifk(a - _F32(1 << 12) * whole))
    clld = _where2(otiny, (a * _F32(2.0 ** 60), zero), _where2(oref, x, y))
    return clc, div_ww(*clln, *clld)


def lgammaf_vec(a: ndarray) -> ndarray:
    """SLEEF's xlgammaf_u1 (lgammaf8_u10) on float32 a."""
    with np.errstate(all="ignore"):
        clc, (bh, bl) = _gammafk(a)
        abs_b = (np.abs(bh), _sign_flip(bl, np.signbit(bh)))
        yh, yl = add2_ww(*clc, *_logk2(*abs_b))
        r = yh + yl
        pole = np.isinf(a) | ((a <= 0) & (np.trunc(a) == a)) | (np.isfinite(a) & np.isnan(r))
        return np.where(pole, _F32(np.inf), r)
