"""PyTorch's vectorised CPU math where it is not MKL's: SLEEF's exp (Vectorized<float>::exp,
`Sleef_expf16_u10` or `Sleef_expf8_u10`, and the double one) and the lane order of
`vec::reduce_all`, in the kernels PyTorch dispatches to on this machine: AVX-512's (16
float or 8 double lanes) where the CPU has it, else AVX2's (8 or 4). Softmax, log_softmax
and sigmoid are written with them in PyTorch's kernels, so their float results agree bit
for bit (tests/test_kernel_bits.py). Whole arrays, no per-element Python.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np

from gradcli.ad.kernels import clib as C
from gradcli.ad.kernels import log32 as _log32
from gradcli.ad.kernels.doubleword import (
    add2,
    add2_wv,
    add2_ww,
    add_vw,
    add_wv,
    add_ww,
    div_ww,
    mul_vv,
    mul_wv,
    mul_ww,
    poly,
    rec_w,
    squ,
    sub_ww,
)
from gradcli.ad.kernels.fused import Fma32Deferred, fma
from gradcli.ad.kernels.iteration import reorder_dimensions
from gradcli.ad.kernels.mkl_path import cpuinfo

ndarray = np.ndarray
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)

# SLEEF's xexpf (sleefsimdsp.c): q = rint(d / ln 2), s = d - q·ln 2 (two FMAs), a degree-6
# polynomial by Horner's rule with FMAs, then 2^q.
_R_LN2F = np.float32(1.442695040888963407359924681001892137426645954152985934135449406931)
_L2UF, _L2LF = np.float32(0.693145751953125), np.float32(1.428606765330187045e-06)
_EXPF_POLY = tuple(np.float32(c) for c in (
    0.000198527617612853646278381, 0.00139304355252534151077271,
    0.00833336077630519866943359, 0.0416664853692054748535156,
    0.166666671633720397949219, 0.5))

# SLEEF's xexp (sleefsimddp.c, the FMA build): the same reduction in double, a degree-10
# polynomial by Estrin's scheme (POLY10), then u·s + 0.5, u·s + 1, u·s + 1.
_R_LN2 = 1.442695040888963407359924681001892137426645954152985934135449406931
_L2U = 0.69314718055966295651160180568695068359375
_L2L = 0.28235290563031577122588448175013436025525412068e-12
_EXP_POLY = (0.2081276378237164457e-8, 0.2511210703042288022e-7, 0.2755762628169491192e-6,
             0.2755723402025388239e-5, 0.2480158687479686264e-4, 0.1984126989855865850e-3,
             0.1388888888914497797e-2, 0.8333333333314938210e-2, 0.4166666666666602598e-1,
             0.1666666666666669072e+0)


def _pow2(u: ndarray, q: ndarray) -> ndarray:
    """SLEEF's vldexp2: u · 2^(q >> 1) · 2^(q - (q >> 1))."""
    h = q >> 1
    one = u.dtype.type(1)
    return u * np.ldexp(one, h).astype(u.dtype) * np.ldexp(one, q - h).astype(u.dtype)


def _expf_fmas(d: ndarray, q: ndarray, fma: Any) -> ndarray:
    """_expf's fused multiply-adds (fused.fma, or a Fma32Deferred)."""
    qf = q.astype(_F32)
    s = fma(qf, -_L2UF, d)
    s = fma(qf, -_L2LF, s)
    u = np.full(d.shape, _EXPF_POLY[0], _F32)
    for c in _EXPF_POLY[1:]:
        u = fma(u, s, c)
    return np.float32(1) + fma(s * s, u, s)


def _expf(d: ndarray) -> ndarray:
    q = np.rint(d * _R_LN2F).astype(np.int32)
    u = _expf_fmas(d, q, steps := Fma32Deferred())
    if not steps.exact():
        u = _expf_fmas(d, q, fma)
    if d.size and d.ndim and q.min() >= -125 and q.max() <= 127:
        # 2^q, u·2^q normal: one exact scaling; d in [-104, 100], no NaN (q: int32's least)
        return np.ldexp(u, q)
    u = _pow2(u, q)
    u = np.where(d < np.float32(-104), np.float32(0), u)
    return np.where(np.float32(100) < d, np.float32(np.inf), u).astype(_F32)


def _exp(d: ndarray) -> ndarray:
    with np.errstate(all="ignore"):
        u = np.rint(d * _R_LN2)
        q = u.astype(np.int32)
        s = fma(u, -_L2U, d)
        s = fma(u, -_L2L, s)
        s2 = s * s
        s4 = s2 * s2
        s8 = s4 * s4
        c = _EXP_POLY

        def p2(c1: float, c0: float) -> ndarray:
            return fma(s, np.float64(c1), np.float64(c0))

        def p4(c3: float, c2: float, c1: float, c0: float) -> ndarray:
            return fma(s2, p2(c3, c2), p2(c1, c0))

        p8 = fma(s4, p4(c[2], c[3], c[4], c[5]), p4(c[6], c[7], c[8], c[9]))
        u = fma(s8, p2(c[0], c[1]), p8)
        u = fma(u, s, 0.5)
        u = fma(u, s, 1.0)
        u = fma(u, s, 1.0)
        u = _pow2(u, q)
        u = np.where(d < -1000.0, 0.0, u)
        return np.where(d > 709.78271114955742909217217426, np.inf, u)


def vexp(d: ndarray) -> ndarray:
    """Vectorized<T>::exp of a float32 or float64 array (SLEEF's u10 exp)."""
    return _expf(d) if d.dtype == _F32 else _exp(d)


def _vector_bytes() -> int:
    """The width of PyTorch's Vectorized<T> here: 64 bytes where ATen's CPU capability is
    AVX512, else 32 (AVX2; the DEFAULT build's vectors are 32 bytes too). The capability
    is ATEN_CPU_CAPABILITY's where it names one exactly as ATen spells it ("avx512",
    "avx2", "default": ATen takes it at its word, even "avx512" on a CPU without AVX-512,
    and ignores any other spelling, "AVX2" included), else the CPU's: AVX512 where it has
    AVX-512 VL, BW and DQ and FMA (its features as numpy detected them)."""
    wanted = os.environ.get("ATEN_CPU_CAPABILITY", "")
    if wanted in ("avx2", "default"):
        return 32
    if wanted == "avx512":
        return 64
    avx512 = cpu_has("avx512vl", "avx512bw", "avx512dq", "fma")
    return 64 if avx512 else 32


_NUMPY_NAMES = {"avx512f": "AVX512F", "avx512vl": "AVX512VL", "avx512bw": "AVX512BW",
                "avx512dq": "AVX512DQ", "fma": "FMA3"}


def cpu_has(*flags: str) -> bool:
    """Whether the CPU has all of `flags` (as /proc/cpuinfo spells them: "avx512f",
    "fma"): its own word where the kernel gives it, else numpy's detection (whose flags
    NPY_DISABLE_CPU_FEATURES turns off, gradcli/__init__.py)."""
    if _CPU_FLAGS:
        return all(f in _CPU_FLAGS for f in flags)
    has = _numpy_features()
    return all(has.get(_NUMPY_NAMES.get(f, f.upper()), False) for f in flags)


_CPU_FLAGS = cpuinfo()[1]


def _numpy_features() -> dict[str, bool]:
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as has
    except ImportError:  # pragma: no cover - numpy < 2
        from numpy.core._multiarray_umath import __cpu_features__ as has
    return dict(has)


def numpy_is_libm() -> bool:
    """Whether numpy's float64 exp, log, log1p, sinh, asinh, ... are the C library's (its
    loops for a CPU without AVX-512, as gradcli/__init__.py asks for): False when numpy
    was imported before gradcli on an AVX-512 CPU and runs its own AVX-512 loops."""
    has = _numpy_features()
    if "X86_V4" in has:  # numpy 2.4 on
        return not has["X86_V4"]
    return not (has.get("AVX512F", False) or has.get("AVX512_SKX", False))


_VECTOR_BYTES = _vector_bytes()


def lanes(dtype: np.dtype, avx512: bool = False) -> int:
    """Elements per Vectorized<T> (float32 or float64) in a PyTorch kernel here. ATen
    builds every kernel of native/cpu once per capability, but its AVX512 build registers
    only the kernels named with ALSO_REGISTER_AVX512_DISPATCH (softmax's and
    log_softmax's, forward and backward, among the ones gradcli models: `avx512`); its
    REGISTER_DISPATCH registers none there, so on an AVX-512 CPU the stub falls back to
    the AVX2 build (32-byte vectors): LayerNorm, GroupNorm, batch_norm, sum, prod, the
    elementwise loops (measured on an Intel Xeon, round 20). Complex: 32-byte vectors
    whatever the capability (measured on AVX-512: neg's vector loop takes whole pairs of 4
    complex64 or 2 complex128)."""
    if dtype.kind == "c":
        return 32 // dtype.itemsize
    size = _VECTOR_BYTES if avx512 else min(_VECTOR_BYTES, 32)
    return size // (4 if dtype == _F32 else 8)


def reduce_sum_lastdim(x: ndarray, avx512: bool = False) -> ndarray:
    """vec::reduce_all(+) of each row of x (its last dim) in a kernel with lanes(x.dtype,
    avx512): lane-wise sums over whole vectors (the tail's lanes added to the first
    ones), then the lanes folded: by halves for float (AVX-512's and AVX2's shuffles),
    left to right for double; a row shorter than a vector is summed left to right."""
    n = x.shape[-1]
    width = lanes(x.dtype, avx512)
    if n == 0:  # empty rows sum to 0
        return np.zeros(x.shape[:-1], x.dtype)
    if n < width:
        acc = x[..., 0].copy()
        for i in range(1, n):
            acc += x[..., i]
        return acc
    full = n - n % width
    blocks = x[..., :full].reshape(*x.shape[:-1], full // width, width)
    acc = blocks[..., 0, :].copy()
    for i in range(1, full // width):
        acc += blocks[..., i, :]
    if n % width:
        acc[..., :n % width] += x[..., full:]
    if x.dtype != _F32:
        total = acc[..., 0].copy()
        for i in range(1, width):
            total += acc[..., i]
        return total
    while acc.shape[-1] > 1:
        half = acc.shape[-1] // 2
        acc = acc[..., :half] + acc[..., half:]
    return acc[..., 0]


def _bits_pow2(q: ndarray, dtype: np.dtype) -> ndarray:
    """SLEEF's vpow2i: 2^q built in the exponent field (q + bias, no range check)."""
    if dtype == _F32:
        return ((q.astype(np.int32) + 127) << 23).astype(np.int32).view(_F32)
    return ((q.astype(np.int64) + 1023) << 52).view(_F64)


def _ldexp2(d: ndarray, q: ndarray) -> ndarray:
    """SLEEF's vldexp2: d · 2^(q >> 1) · 2^(q - (q >> 1))."""
    h = q >> 1
    return d * _bits_pow2(h, d.dtype) * _bits_pow2(q - h, d.dtype)


def _ilogbk(d: ndarray) -> ndarray:
    """SLEEF's vilogbk: the exponent of positive d, tiny d scaled up first."""
    if d.dtype == _F32:
        tiny = d < np.float32(5.421010862427522e-20)
        d = np.where(tiny, np.float32(1.8446744073709552e19) * d, d)
        e = (d.view(np.int32) >> 23) & 0xFF
        return e - np.where(tiny, 64 + 0x7F, 0x7F)
    tiny = d < 4.9090934652977266e-91
    d = np.where(tiny, 2.037035976334486e90 * d, d)
    e = ((d.view(np.int64) >> 52) & 0xFFF).astype(np.int32)
    return e - np.where(tiny, 300 + 0x3FF, 0x3FF)


def _nan(dtype: np.dtype) -> Any:
    """The NaN SLEEF's masks give (every bit set)."""
    return np.array(-1, np.int32 if dtype == _F32 else np.int64).view(dtype)[()]


def _f32(*cs: float) -> tuple[Any, ...]:
    return tuple(np.float32(c) for c in cs)


_EXPK2F_POLY = _f32(0.1980960224e-3, 0.1394256484e-2, 0.8333456703e-2, 0.4166637361e-1)
_EXPK2_POLY = (0.1602472219709932072e-9, 0.2092255183563157007e-8, 0.2505230023782644465e-7,
               0.2755724800902135303e-6, 0.2755731892386044373e-5, 0.2480158735605815065e-4,
               0.1984126984148071858e-3, 0.1388888888886763255e-2, 0.8333333333333347095e-2,
               0.4166666666666669905e-1)


def _expk2(d: ndarray, dl: Any = 0) -> tuple[ndarray, ndarray]:
    """SLEEF's expk2f/expk2: e^(d + dl) as a double-word, for d >= -104 (float) / -1000."""
    f32 = d.dtype == _F32
    t_ = d.dtype.type
    with np.errstate(all="ignore"):
        if f32:
            q = np.rint((d + t_(dl)) * _R_LN2F).astype(np.int32)
            qf = q.astype(_F32)
        else:
            qf = np.rint((d + dl) * _R_LN2)
            q = qf.astype(np.int32)
        sh, sl = add2_wv(d, dl, qf * -(_L2UF if f32 else _L2U))
        sh, sl = add2_wv(sh, sl, qf * -(_L2LF if f32 else _L2L))
        if f32:
            u = np.full(d.shape, _EXPK2F_POLY[0], _F32)
            for c in _EXPK2F_POLY[1:]:
                u = fma(u, sh, c)
            th, tl = add2_wv(*mul_wv(sh, sl, u), np.float32(0.166666659414234244790680580464))
            th, tl = add2_wv(*mul_ww(sh, sl, th, tl), np.float32(0.5))
            th, tl = add2_ww(sh, sl, *mul_ww(*squ(sh, sl), th, tl))
            th, tl = add_vw(np.float32(1), th, tl)
        else:
            s2h, s2l = squ(sh, sl)
            s4h, s4l = squ(s2h, s2l)
            u = poly((sh, s2h, s4h, s4h * s4h), _EXPK2_POLY)
            th, tl = add_vw(0.5, *mul_wv(sh, sl, 0.1666666666666666574))
            th, tl = add_vw(1.0, *mul_ww(th, tl, sh, sl))
            th, tl = add_vw(1.0, *mul_ww(th, tl, sh, sl))
            th, tl = add_ww(th, tl, *mul_wv(s4h, s4l, u))
        th, tl = _ldexp2(th, q), _ldexp2(tl, q)
        low = d < t_(-104 if f32 else -1000)
        return np.where(low, t_(0), th), np.where(low, t_(0), tl)


def vexpm1(a: ndarray) -> ndarray:
    """Vectorized<T>::expm1: SLEEF's expm1f8_u10 / expm1d4_u10."""
    f32 = a.dtype == _F32
    t_ = a.dtype.type
    with np.errstate(all="ignore"):
        dh, dl = add2_wv(*_expk2(a), t_(-1))
        x = dh + dl
        x = np.where(a > t_(88.72283172607421875 if f32 else 709.782712893383996732223),
                     t_(np.inf), x)
        x = np.where(a < t_(-16.635532333438687426013570 if f32
                            else -36.736800569677101399113302437), t_(-1), x)
        return np.where((a == 0) & np.signbit(a), t_(-0.0), x)


def vtanh(x: ndarray) -> ndarray:
    """Vectorized<T>::tanh: SLEEF's tanhf8_u10 / tanhd4_u10."""
    f32 = x.dtype == _F32
    t_ = x.dtype.type
    with np.errstate(all="ignore"):
        y = np.abs(x)
        dh, dl = _expk2(y)
        eh, el = rec_w(dh, dl)
        dh, dl = div_ww(*add2_ww(dh, dl, -eh, -el), *add2_ww(dh, dl, eh, el))
        y = dh + dl
        y = np.where((np.abs(x) > t_(8.664339742 if f32 else 18.714973875)) | np.isnan(y),
                     t_(1), y)
        return np.where(np.isnan(x), _nan(x.dtype), np.copysign(y, x))


_LOG1PF_POLY = _f32(0.3027294874e+0, 0.3996108174e+0, 0.6666694880e+0)
_LOG1P_POLY = (0.1532076988502701353e+0, 0.1525629051003428716e+0, 0.1818605932937785996e+0,
               0.2222214519839380009e+0, 0.2857142932794299317e+0, 0.3999999999635251990e+0,
               0.6666666666667333541e+0)


def _log_tail(e: ndarray, xh: ndarray, xl: ndarray) -> ndarray:
    """log as SLEEF's log1pf/logf_u1 (and the double ones) finish it: e·ln 2 + 2x + x³·P(x²)
    for x = (m - 1)/(m + 1) given as a double-word."""
    f32 = xh.dtype == _F32
    t_ = xh.dtype.type
    sh, sl = mul_wv(np.full(xh.shape, t_(0.69314718246459960938 if f32 else
                                         0.693147180559945286226764)),
                     np.full(xh.shape, t_(-1.904654323148236017e-09 if f32 else
                                         2.319046813846299558417771e-17)), e.astype(xh.dtype))
    x2 = xh * xh
    if f32:
        t = np.full(xh.shape, _LOG1PF_POLY[0], _F32)
        for c in _LOG1PF_POLY[1:]:
            t = fma(t, x2, c)
    else:
        x4 = x2 * x2
        t = poly((x2, x4, x4 * x4), _LOG1P_POLY)
    sh, sl = add_ww(sh, sl, xh * t_(2), xl * t_(2))
    sh, sl = add_wv(sh, sl, x2 * xh * t)
    return sh + sl


def _exponent(d: ndarray) -> ndarray:
    """SLEEF's vilogb2k of d/0.75: the exponent that leaves a mantissa in [0.75, 1.5)."""
    ib, mant, bias = (np.int32, 23, 0x7F) if d.dtype == _F32 else (np.int64, 52, 0x3FF)
    return ((((d * d.dtype.type(1 / 0.75)).view(ib) >> mant) & (2 * bias + 1)) - bias
            ).astype(ib)


def _scale_bits(d: Any, e: ndarray) -> ndarray:
    """SLEEF's vldexp3: d · 2^e by adding e to the exponent field."""
    ib, mant = (np.int32, 23) if e.dtype == np.int32 else (np.int64, 52)
    d = np.asarray(d, _F32 if ib is np.int32 else _F64)
    return (d.view(ib) + (e << mant)).astype(ib).view(d.dtype)


def vlog1p(d: ndarray) -> ndarray:
    """Vectorized<T>::log1p: SLEEF's log1pf8_u10 / log1pd4_u10. The exponent of 1 + d is
    taken out (m = d·2^-e + (2^-e - 1)), then _log_tail of x = m/(2 + m); above 1e23
    (float) / 1e307 SLEEF's log_u1 of d itself."""
    f32 = d.dtype == _F32
    if f32 and (r := _log32.vlog1p(d)) is not None:
        return r
    t_ = d.dtype.type
    with np.errstate(all="ignore"):
        dp1 = d + t_(1)
        tiny = dp1 < t_(np.finfo(d.dtype).tiny)
        e = _exponent(np.where(tiny, dp1 * t_(2.0 ** 64), dp1))
        t = _scale_bits(t_(1), -e)
        m = fma(d, t, t - t_(1))
        den = t_(2) + m
        r = _log_tail(np.where(tiny, e - 64, e), *div_ww(m, t_(0), den, (t_(2) - den) + m))
        r = np.where(d < -1, _nan(d.dtype) if f32 else t_(np.nan), r)
        r = np.where(np.isnan(d), t_(np.nan), r)
        r = np.where(d == -1, t_(-np.inf), r)
        r = np.where((d == 0) & np.signbit(d), t_(-0.0), r)
        big = d > t_(1e23 if f32 else 1e307)
        if big.any():  # SLEEF's log_u1 (d is normal and its exponent the one of 1 + d)
            e = _exponent(d)
            m = _scale_bits(d, -e)
            big_r = _log_tail(e, *div_ww(*add2(t_(-1), m), *add2(t_(1), m)))
            r = np.where(big, np.where(d == np.inf, d, big_r), r)
        return r


def vlog(d: ndarray) -> ndarray:
    """Vectorized<T>::log: SLEEF's logf8_u10 / logd4_u10 (xlogf_u1, xlog_u1), the mantissa
    in [0.75, 1.5) then _log_tail; subnormals scaled by 2^64 first (logit's strided loop;
    log_softmax's logs of its sums: torch.log itself is MKL's)."""
    if d.dtype == _F32 and (r := _log32.vlog(d)) is not None:
        return r
    t_ = d.dtype.type
    with np.errstate(all="ignore"):
        tiny = d < t_(np.finfo(d.dtype).tiny)
        s = np.where(tiny, d * t_(2.0 ** 64), d)
        e = _exponent(s)
        m = _scale_bits(s, -e)
        r = _log_tail(np.where(tiny, e - 64, e), *div_ww(*add2(t_(-1), m), *add2(t_(1), m)))
        r = np.where(d == np.inf, t_(np.inf), r)
        r = np.where((d < 0) | np.isnan(d), _nan(d.dtype), r)
        return np.where(d == 0, t_(-np.inf), r)


_EXPK_POLY = (2.51069683420950419527139e-08, 2.76286166770270649116855e-07,
              2.75572496725023574143864e-06, 2.48014973989819794114153e-05,
              0.000198412698809069797676111, 0.0013888888939977128960529,
              0.00833333333332371417601081, 0.0416666666665409524128449,
              0.166666666666666740681535, 0.500000000000000999200722)


def _expk(dh: ndarray, dl: ndarray) -> ndarray:
    """SLEEF's expk (double): e^(dh + dl) rounded to one double."""
    with np.errstate(all="ignore"):
        dq = np.rint((dh + dl) * _R_LN2)
        q = dq.astype(np.int32)
        sh, sl = add2_wv(dh, dl, dq * -_L2U)
        sh, sl = add2_wv(sh, sl, dq * -_L2L)
        sh, sl = sh + sl, (sh - (sh + sl)) + sl  # ddnormalize
        s2 = sh * sh
        s4 = s2 * s2
        u = poly((sh, s2, s4, s4 * s4), _EXPK_POLY)
        th, tl = add_vw(1.0, sh, sl)
        th, tl = add_ww(th, tl, *mul_wv(*squ(sh, sl), u))
        return np.where(dh < -1000, 0.0, _ldexp2(th + tl, q))


# SLEEF's xerf_u1: |x| <= 2.5: 1 - (1 + x·P(x))^-16 (Abramowitz and Stegun), else
# 1 - e^(x·P(x)); P's 21 lowest terms by Estrin's scheme, its 3 top ones in double-words.
_ERF_POLY = ((-0.2083271002525222097e-14, -0.4024015130752621932e-18),
             (+0.7151909970790897009e-13, +0.3847193332817048172e-16),
             (-0.1162238220110999364e-11, -0.1749316241455644088e-14),
             (+0.1186474230821585259e-10, +0.5029618322872872715e-13),
             (-0.8499973178354613440e-10, -0.1025221466851463164e-11),
             (+0.4507647462598841629e-9, +0.1573695559331945583e-10),
             (-0.1808044474288848915e-8, -0.1884658558040203709e-9),
             (+0.5435081826716212389e-8, +0.1798167853032159309e-8),
             (-0.1143939895758628484e-7, -0.1380745342355033142e-7),
             (+0.1215442362680889243e-7, +0.8525705726469103499e-7),
             (+0.1669878756181250355e-7, -0.4160448058101303405e-6),
             (-0.9808074602255194288e-7, +0.1517272660008588485e-5),
             (+0.1389000557865837204e-6, -0.3341634127317201697e-5),
             (+0.2945514529987331866e-6, -0.2515023395879724513e-5),
             (-0.1842918273003998283e-5, +0.6539731269664907554e-4),
             (+0.3417987836115362136e-5, -0.3551065097428388658e-3),
             (+0.3860236356493129101e-5, +0.1210736097958368864e-2),
             (-0.3309403072749947546e-4, -0.2605566912579998680e-2),
             (+0.1060862922597579532e-3, +0.1252823202436093193e-2),
             (+0.2323253155213076174e-3, +0.1820191395263313222e-1),
             (+0.1490149719145544729e-3, -0.1021557155453465954e+0))
_ERF_DD = (((0.0092877958392275604405, 7.9287559463961107493e-19),
            (-0.63691044383641748361, -2.4249477526539431839e-17)),
           ((0.042275531758784692937, 1.3785226620501016138e-19),
            (-1.1282926061803961737, -6.2970338860410996505e-17)),
           ((0.07052369794346953491, 9.5846628070792092842e-19),
            (-1.2261313785184804967e-05, -5.5329707514490107044e-22)))


def _verf(a: ndarray) -> ndarray:
    """Vectorized<double>::erf: SLEEF's erfd4_u10."""
    with np.errstate(all="ignore"):
        x = np.abs(a)
        x2 = x * x
        x4 = x2 * x2
        x8 = x4 * x4
        near = x <= 2.5
        t = poly((x, x2, x4, x8, x8 * x8),
                  tuple(np.where(near, lo, hi) for lo, hi in _ERF_POLY))
        (c2h, c2l), (c1h, c1l), (c0h, c0l) = (
            (np.where(near, lo[0], hi[0]), np.where(near, lo[1], hi[1])) for lo, hi in _ERF_DD)
        # poly4dd: (c0 + c1·x) + (c2 + t·x)·x², each ddmla = z + y·x (dd.h's ddadd, which
        # takes |z| >= |y·x| for granted: not so past 2.5, and its bits show it)
        hh, hl = add_ww(c2h, c2l, *mul_wv(t, np.zeros_like(t), x))
        lh, ll = add_ww(c0h, c0l, *mul_wv(c1h, c1l, x))
        th, tl = add_ww(lh, ll, *mul_wv(hh, hl, x2))
        sh, sl = add_vw(1.0, *mul_wv(th, tl, x))
        for _ in range(4):
            sh, sl = squ(sh, sl)
        sh, sl = rec_w(sh, sl)
        th, tl = np.where(near, sh, _expk(th, tl)), np.where(near, sl, 0.0)
        th, tl = add2_wv(th, tl, -1.0)
        tiny = x < 1e-8
        th = np.where(tiny, x * -1.12837916709551262756245475959, th)
        tl = np.where(tiny, 0.0, tl)
        # past 6 erf(x) is 1 in double, and SLEEF's code gives 1 (its polynomial
        # written here in numpy would overflow past 2e21: x⁸·x⁸)
        r = np.where(a == 0, 0.0, np.where(x > 6.0, 1.0, -th - tl))
        return np.where(np.isnan(a), -a, np.copysign(r, a))


def _verff(x: ndarray) -> ndarray:
    """Vectorized<float>::erf: ATen's own Abramowitz-Stegun 7.1.26 with SLEEF's exp:
    sign(x)·(1 - t·P(t)·e^(-x²)), t = 1/(1 + 0.3275911|x|), FMAs as written there."""
    f = np.float32
    with np.errstate(all="ignore"):
        a = np.abs(x)
        t = f(1) / fma(np.full(x.shape, f(0.3275911)), a, f(1))
        r = fma(np.full(x.shape, f(1.061405429)), t, f(-1.453152027))
        for c in (1.421413741, -0.284496736, 0.254829592):
            r = fma(r, t, f(c))
        out = fma(-vexp(-(x * x)) * t, r, f(1))
        return np.where(np.signbit(x), -out, out)


def verf(x: ndarray) -> ndarray:
    """Vectorized<T>::erf: ATen's polynomial (float), SLEEF's erfd4_u10 (double)."""
    return _verff(x) if x.dtype == _F32 else _verf(x)


class VEC:
    """The vector functions of PyTorch's elementwise kernels (Vectorized<T>)."""
    exp = staticmethod(vexp)
    expm1 = staticmethod(vexpm1)
    log1p = staticmethod(vlog1p)
    tanh = staticmethod(vtanh)
    erf = staticmethod(verf)


def _scalar(name: str) -> Any:
    def g(x: ndarray) -> ndarray:
        return C.call(name, x, dtype=x.dtype)

    return staticmethod(g)


class LIBM:
    """The scalar functions of the same kernels' scalar loop (std::exp, ... from the C
    library: for float32 its float functions, expf, expm1f, ..., see kernels/clib.py)."""
    exp = _scalar("exp")
    expm1 = _scalar("expm1")
    log1p = _scalar("log1p")
    tanh = _scalar("tanh")
    erf = _scalar("erf")


GRAIN = 32768  # at::internal::GRAIN_SIZE: PyTorch's CPU loops this long split by thread


def threads() -> int:
    """The number of threads PyTorch's CPU kernels use by default (OpenMP's default: the
    CPUs this process may run on)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _iteration(shape: tuple[int, ...], strides: list[tuple[int, ...]]) -> tuple[ndarray, int, bool]:
    """How TensorIterator walks operands of these element strides (0 where broadcast) over
    `shape`: each element's position in its walk (as an array of `shape`), the length of
    its inner rows and whether those rows are vectorised (every input contiguous in them,
    or one of them a broadcast scalar). Dims are sorted innermost first by the inputs'
    strides (reorder_dimensions: a broadcast stride defers to the next operand, equal
    strides put the smaller dim inside), then merged where contiguous (coalesce)."""
    ndim = len(shape)
    perm = reorder_dimensions(shape, strides)
    inner, inner_strides = 1, [0] * len(strides)
    for k, d in enumerate(perm):
        if k == 0 or inner == 1:
            inner_strides = [st[d] for st in strides]
        elif shape[d] != 1 and not all(inner * s0 == st[d]
                                       for s0, st in zip(inner_strides, strides, strict=True)):
            break
        inner *= shape[d]
    contiguous = [s == 1 for s in inner_strides]
    vectorised = all(contiguous) or (inner_strides.count(0) == 1
                                     and contiguous.count(False) == 1)
    walk = np.arange(math.prod(shape)).reshape([shape[d] for d in reversed(perm)])
    order = list(reversed(perm))
    return walk.transpose([order.index(d) for d in range(ndim)]), inner, vectorised


def _walk(x: ndarray, others: tuple[Any, ...], shape: tuple[int, ...]
          ) -> tuple[ndarray | None, int, bool]:
    """_iteration of the operands (None for the walk when all are C-contiguous of
    `shape`: the plain order)."""
    arrays = [a for a in (x, *others) if isinstance(a, ndarray)]
    if all(a.shape == shape and a.flags.c_contiguous for a in arrays) or not shape:
        return None, math.prod(shape), True
    strides = [np.broadcast_to(a, shape).strides for a in arrays]
    return _iteration(shape, [tuple(s // x.itemsize for s in st) for st in strides])


def _vector_mask(x: ndarray, others: tuple[Any, ...], shape: tuple[int, ...],
                 walked: tuple[ndarray | None, int, bool] | None = None,
                 avx512: bool = True) -> Any:
    """Which elements (of the broadcast shape) a PyTorch elementwise kernel computes with
    its vector function: True for all, False for none, else a boolean array. Rows of the
    walk (clipped to each thread's chunk of at::parallel_for) take whole pairs of vectors,
    in order, and leave the rest to the scalar loop; unvectorised rows are all scalar."""
    n = math.prod(shape)
    pair = 2 * lanes(x.dtype, avx512)
    walk, inner, vectorised = walked or _walk(x, others, shape)
    if not vectorised or n < pair:
        return False
    tasks = max(1, min(threads(), -(-n // GRAIN))) if n >= GRAIN else 1
    chunk = -(-n // tasks)
    if inner == n and chunk % pair == 0 and (tasks == 1 or n % chunk % pair == 0):
        return True if n % pair == 0 else segment_mask(np.arange(n), n, chunk, pair, shape)
    f = np.arange(n) if walk is None else walk.reshape(-1)
    return segment_mask(f, inner, chunk, pair, shape)


def segment_mask(f: ndarray, inner: int, chunk: int, pair: int, shape: tuple[int, ...]
                  ) -> ndarray:
    """Elements at walk positions f in the whole pairs of vectors of their segment: a row
    of `inner` positions clipped to a chunk of `chunk`."""
    row, task = f // inner, f // chunk
    start = np.maximum(row * inner, task * chunk)
    end = np.minimum((row + 1) * inner, (task + 1) * chunk)
    length = end - start
    return ((f - start) < length - length % pair).reshape(shape)


def kernel_loop(f: Any, x: ndarray, *others: Any, avx512: bool = True) -> ndarray:
    """A PyTorch elementwise kernel (cpu_kernel_vec) on x and others (arrays broadcast
    together with x, or scalars), in x's dtype: f(VEC, ...) on the elements its vector
    loop takes (whole pairs of vectors of each row TensorIterator walks, see
    _vector_mask) and f(LIBM, ...) on the rest (the scalar loop). f is the formula written
    once on arrays, the special functions taken from its first argument. `avx512`: the
    kernel is one ATen registers for AVX-512 too (lanes): every kernel that comes here
    but softshrink's (the activations, sigmoid, logit, sinh, cosh, atanh, exp2, pow,
    atan2, hypot, logaddexp: ALSO_REGISTER_AVX512_DISPATCH in torch 2.x)."""
    arrays = [o for o in others if isinstance(o, ndarray) and o.ndim]
    shape = np.broadcast_shapes(x.shape, *(o.shape for o in arrays)) if arrays else x.shape
    walked = _walk(x, others, shape)
    wide = [i == 0 or (isinstance(a, ndarray) and a.ndim > 0) for i, a in enumerate((x, *others))]
    n, pair = walked[1], 2 * lanes(x.dtype, avx512)
    if walked[0] is None and pair < n < GRAIN and n % pair:
        # all C-contiguous, one task: the vectors take a prefix (_vector_mask's), by slices
        q = n - n % pair
        flat = [a.reshape(-1) if w else a for a, w in zip((x, *others), wide, strict=True)]
        out = np.empty(n, x.dtype)
        out[:q] = f(VEC, *(a[:q] if w else a for a, w in zip(flat, wide, strict=True)))
        out[q:] = f(LIBM, *(a[q:] if w else a for a, w in zip(flat, wide, strict=True)))
        return out.reshape(shape)
    mask = _vector_mask(x, others, shape, walked, avx512)
    args = [np.broadcast_to(a, shape) if w and a.shape != shape else a
            for a, w in zip((x, *others), wide, strict=True)]  # (a view costs ~10 µs)
    if mask is True or mask is False:
        flat = [np.ascontiguousarray(a).reshape(-1) if w else a
                for a, w in zip(args, wide, strict=True)]
        out = np.asarray(f(VEC if mask else LIBM, *flat), dtype=x.dtype).reshape(shape)
    else:
        out = np.empty(shape, x.dtype)
        for m, M in ((mask, VEC), (~mask, LIBM)):
            if m.any():
                out[m] = f(M, *(a[m] if w else a for a, w in zip(args, wide, strict=True)))
    return _laid_out(out, walked[0])


def _laid_out(out: ndarray, walk: ndarray | None) -> ndarray:
    """out in the memory order TensorIterator gives the kernel's output: the walk's (a
    transposed input's, say), which strides() shows and later reductions follow."""
    if walk is None or walk.flags.c_contiguous:
        return out
    strides = tuple(s // walk.itemsize * out.itemsize for s in walk.strides)
    laid = np.ndarray(out.shape, out.dtype, np.empty(out.size, out.dtype), 0, strides)
    laid[...] = out
    return laid


def vsinh(x: ndarray) -> ndarray:
    """Vectorized<T>::sinh: SLEEF's sinhf8_u10 / sinhd4_u10, (e^|x| - e^-|x|)/2."""
    return _sinh_cosh(x, True)


def vcosh(x: ndarray) -> ndarray:
    """Vectorized<T>::cosh: SLEEF's coshf8_u10 / coshd4_u10, (e^|x| + e^-|x|)/2."""
    return _sinh_cosh(x, False)


def _sinh_cosh(x: ndarray, odd: bool) -> ndarray:
    t_ = x.dtype.type
    with np.errstate(all="ignore"):
        y = np.abs(x)
        dh, dl = _expk2(y)
        eh, el = rec_w(dh, dl)
        dh, dl = sub_ww(dh, dl, eh, el) if odd else add_ww(dh, dl, eh, el)
        y = (dh + dl) * t_(0.5)
        y = np.where((np.abs(x) > t_(89 if x.dtype == _F32 else 710)) | np.isnan(y),
                     t_(np.inf), y)
        if odd:
            y = np.copysign(y, x)
        return np.where(np.isnan(x), _nan(x.dtype), y)


_LOGK2F_POLY = _f32(0.2392828464508056640625, 0.28518211841583251953125,
                    0.400005877017974853515625, 0.666666686534881591796875)
_LOGK2_POLY = (0.13860436390467167910856, 0.131699838841615374240845,
               0.153914168346271945653214, 0.181816523941564611721589,
               0.22222224632662035403996, 0.285714285511134091777308,
               0.400000000000914013309483)


def _logk2(dh: ndarray, dl: ndarray) -> tuple[ndarray, ndarray]:
    """SLEEF's logk2f/logk2: log of a positive double-word, as a double-word."""
    f32 = dh.dtype == _F32
    t_ = dh.dtype.type
    e = _ilogbk(dh * t_(1 / 0.75))
    if f32:
        p = _bits_pow2(-e, dh.dtype)
        mh, ml = dh * p, dl * p
    else:
        mh, ml = _ldexp2(dh, -e), _ldexp2(dl, -e)
    xh, xl = div_ww(*add2_wv(mh, ml, t_(-1)), *add2_wv(mh, ml, t_(1)))
    x2h, x2l = squ(xh, xl)
    if f32:
        t = np.full(dh.shape, _LOGK2F_POLY[0], _F32)
        for c in _LOGK2F_POLY[1:]:
            t = fma(t, x2h, c)
    else:
        x4 = x2h * x2h
        t = fma(poly((x2h, x4, x4 * x4), _LOGK2_POLY), x2h, 0.666666666666664853302393)
    ln2 = (0.69314718246459960938, -1.904654323148236017e-09) if f32 else (
        0.693147180559945286226764, 2.319046813846299558417771e-17)
    sh, sl = mul_wv(np.full(dh.shape, t_(ln2[0])), np.full(dh.shape, t_(ln2[1])),
                     e.astype(dh.dtype))
    sh, sl = add_ww(sh, sl, xh * t_(2), xl * t_(2))
    return add_ww(sh, sl, *mul_wv(*mul_ww(x2h, x2l, xh, xl), t))


def vatanh(x: ndarray) -> ndarray:
    """Vectorized<T>::atanh: SLEEF's atanhf8_u10 / atanhd4_u10, log((1 + |x|)/(1 - |x|))/2."""
    t_ = x.dtype.type
    with np.errstate(all="ignore"):
        y = np.abs(x)
        dh, dl = _logk2(*div_ww(*add2(t_(1), y), *add2(t_(1), -y)))
        y = np.where(y > 1, _nan(x.dtype), np.where(y == 1, t_(np.inf), (dh + dl) * t_(0.5)))
        if x.dtype == _F32:  # the float one sets NaNs before the sign, the double one after
            y = _mulsign(np.where(np.isinf(x) | np.isnan(y), _nan(x.dtype), y), x)
        else:
            y = _mulsign(y, x)
            y = np.where(np.isinf(x) | np.isnan(y), _nan(x.dtype), y)
        return np.where(np.isnan(x), _nan(x.dtype), y)


def _mulsign(y: ndarray, x: ndarray) -> ndarray:
    """SLEEF's vmulsign: y with its sign bit flipped where x's is set (NaNs too)."""
    ib = np.int32 if y.dtype == _F32 else np.int64
    sign = np.array(np.iinfo(ib).min, ib)
    return (np.asarray(y).view(ib) ^ (np.asarray(x).view(ib) & sign)).view(y.dtype)


_EXP2F_POLY = _f32(0.1535920892e-3, 0.1339262701e-2, 0.9618384764e-2, 0.5550347269e-1,
                   0.2402264476e+0, 0.6931471825e+0)
_EXP2_POLY = (0.4434359082926529454e-9, 0.7073164598085707425e-8, 0.1017819260921760451e-6,
              0.1321543872511327615e-5, 0.1525273353517584730e-4, 0.1540353045101147808e-3,
              0.1333355814670499073e-2, 0.9618129107597600536e-2, 0.5550410866482046596e-1,
              0.2402265069591012214e+0)


def vexp2(d: ndarray) -> ndarray:
    """Vectorized<T>::exp2: SLEEF's exp2f8_u10 / exp2d4_u10."""
    f32 = d.dtype == _F32
    t_ = d.dtype.type
    with np.errstate(all="ignore"):
        u = np.rint(d)
        q = np.nan_to_num(u, posinf=0, neginf=0).clip(-1e5, 1e5).astype(np.int32)
        s = d - u
        if f32:
            u = np.full(d.shape, _EXP2F_POLY[0], _F32)
            for c in _EXP2F_POLY[1:]:
                u = fma(u, s, c)
            u = fma(u, s, t_(1))
        else:
            s2 = s * s
            s4 = s2 * s2
            u = fma(poly((s, s2, s4, s4 * s4), _EXP2_POLY), s, 0.6931471805599452862e+0)
            ph, pl = mul_vv(u, s)
            uh, ul = add_vw(1.0, ph, pl)
            u = uh + ul
        u = _ldexp2(u, q)
        u = np.where(d >= t_(128 if f32 else 1024), t_(np.inf), u)
        return np.where(d < t_(-150 if f32 else -2000), t_(0), u)


for _name, _f in (("sinh", vsinh), ("cosh", vcosh), ("atanh", vatanh), ("exp2", vexp2),
                  ("log", vlog)):
    setattr(VEC, _name, staticmethod(_f))
    setattr(LIBM, _name, _scalar(_name))

