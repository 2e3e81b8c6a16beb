"""`x ** k` of a float32 tensor and a Python number k, as PyTorch's CPU pow kernel computes
it (pow_tensor_scalar_optimized_kernel): SLEEF's powf8_u10 with the exponent float32(k) on
the vector pairs, std::pow(float, double) -- the double pow of float64(x) and k, rounded
to float -- on the scalar tail (kernels/vecmath.kernel_loop decides which is which).
The same path with an exponent per element is tensor ** tensor's vector function in
float32 (vec_pow, registered as VEC.pow).

vecpow.vpow writes SLEEF's algorithm with the double-word helpers; every FMA there costs
a dozen numpy calls. Here the same algorithm runs for one float32 exponent with the float
operations as numpy's float32 ones and the FMAs in float64: a product of two floats is
exact in double, so an FMA's error term (x·y - RN(x·y)) is exact there, and a general FMA
is the double sum rounded to float -- correct unless that sum was inexact and fell on a
float midpoint (double rounding). logk's sums never do (they depend on the significand
alone, all 2^23 tried); the exponential's are checked and the few elements where it
happens, and any input outside the plain range (subnormal x, results past float's
range), are left to vpow. Facts of the exponent (integral, odd) are Python-level
branches. Same bytes as vpow (tests/test_pow_bits_round15.py)."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.kernels.doubleword import mul_wv
from gradcli.ad.kernels.vecmath import VEC
from gradcli.ad.kernels.vecpow import _ldexpf, vpow

ndarray = np.ndarray
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)
_I32 = np.dtype(np.int32)
_I64 = np.dtype(np.int64)
_U32 = np.dtype(np.uint32)


def _c32(v: float) -> ndarray:  # 0-d constants: numpy scalars cost more per call
    return np.array(v, _F32)


def _c64(v: float) -> ndarray:
    return np.array(v, _F64)


_ONE = _c32(1)
_ONE64 = _c64(1)
_R075 = _c32(1 / 0.75)
_BIAS = np.array(127 << 23, _I32)
_EXP_MASK = np.array(0x7F800000, _I32)
_S23 = np.array(23, _I32)
_LOGKF = tuple(_c64(np.float32(c)) for c in (0.240320354700088500976562,
                                             0.285112679004669189453125,
                                             0.400007992982864379882812))
_CH, _CL = _c32(0.66666662693023681640625), _c32(3.69183861259614332084311e-09)
_R_LN2F = _c32(1.442695040888963407359924681001892137426645954152985934135449406931)
_NL2UF, _NL2LF = _c32(-0.693145751953125), _c32(-1.428606765330187045e-06)
_EXPKF = tuple(_c64(np.float32(c)) for c in (0.00136324646882712841033936,
                                             0.00836596917361021041870117,
                                             0.0416710823774337768554688,
                                             0.166665524244308471679688,
                                             0.499999850988388061523438))
_LOW, _HIGH = _c32(-104), _c32(88)
_ZERO = _c32(0)
_MID_MASK = np.array((1 << 29) - 1, _I64)
_MID = np.array(1 << 28, _I64)
_NORMAL_LO, _NORMAL_SPAN = np.array(0x00800000, _U32), np.array(0x7F000000, _U32)
_ABS = np.array(0x7FFFFFFF, _U32)
_ONE_BIT, _FINITE_SPAN = np.array(1, _U32), np.array(0x7F7FFFFF, _U32)  # 0 < |y| < inf
_TWO, _TWO24 = _c32(2), _c32(1 << 24)
CHUNK = 8192  # elements per pass: the ~150 temporaries of a pass stay in the CPU's cache


def _ln2_table() -> tuple[ndarray, ndarray]:
    """logkf's dfmul((ln 2 as a float pair), e) for every biased exponent b (e = b - 127),
    computed once SLEEF's way."""
    e = (np.arange(256) - 127).astype(_F32)
    h, lo = mul_wv(np.full_like(e, np.float32(0.69314718246459960938)),
                   np.full_like(e, np.float32(-1.904654323148236017e-09)), e)
    return h.astype(_F32), lo.astype(_F32)


_LN2_TABLE: list[tuple[ndarray, ndarray]] = []


def _logk(d: ndarray, sums: list[Any] | None = None) -> tuple[ndarray, ndarray]:
    """SLEEF's logkf of positive normal float32 d, as a float pair. Its FMAs' double sums
    are never inexact on a float midpoint: they depend on d's significand m alone, and all
    2^23 of them were tried (tests/test_pow_bits_round15.py, which passes `sums` to get
    them as (sum, term, term)), so no check is needed."""

    def fsum(a: ndarray, b: ndarray) -> ndarray:
        s = a + b
        if sums is not None:
            sums.append((s, a, b))
        return s

    if not _LN2_TABLE:
        _LN2_TABLE.append(_ln2_table())
    ln2h, ln2l = _LN2_TABLE[0]
    # logkf: d = m · 2^e with m in [0.75, 1.5)
    eh = (d * _R075).view(_I32) & _EXP_MASK
    m = ((d.view(_I32) + _BIAS) - eh).view(_F32)
    eb = eh >> _S23
    # x = dfdiv(dfadd2(-1, m), dfadd2(1, m)); m - 1 is exact (Sterbenz), its low part +0
    nh = m - _ONE
    S = m.astype(_F64) + _ONE64  # 1 + m, exact
    dh = S.astype(_F32)
    t = _ONE / dh
    q = nh * t
    t64, q64, dh64 = t.astype(_F64), q.astype(_F64), dh.astype(_F64)
    u = t64 * nh.astype(_F64) - q64  # fma(t, nh, -q): exact
    w = (_ONE64 - dh64 * t64).astype(_F32).astype(_F64)  # fma(-dh, t, 1): 1 - dh·t exact
    # fma(-dl, t, w), dl = S - dh: a sum of multiples of 2^-50 below 2^-21, exact
    v = (w - (S - dh64) * t64).astype(_F32).astype(_F64)
    xl = fsum(q64 * v, u).astype(_F32)  # fma(q, v, fma(0, t, u))
    xh, xh64, xl64 = q, q64, xl.astype(_F64)
    # x2 = dfsqu(x)
    P = xh64 * xh64
    x2h = P.astype(_F32)
    x2h64 = x2h.astype(_F64)
    x2l64 = fsum((xh64 + xh64) * xl64, P - x2h64).astype(_F32).astype(_F64)
    # t = c0·x2 + c1, ·x2 + c2 (FMAs)
    tt = fsum(_LOGKF[0] * x2h64, _LOGKF[1]).astype(_F32).astype(_F64)
    tt = fsum(tt * x2h64, _LOGKF[2]).astype(_F32).astype(_F64)
    # c = dfadd2(dfmul(x2, t), (CH, CL)); |x2·t| < CH, so Fast2Sum's error is TwoSum's
    P = x2h64 * tt
    ch = P.astype(_F32)
    cl = fsum(x2l64 * tt, P - ch).astype(_F32)
    s = ch + _CH
    cl = (ch - (s - _CH)) + (cl + _CL)
    ch = s
    # s = dfadd(dfmul(ln2, e), dfscale(x, 2))
    sh, sl = ln2h.take(eb), ln2l.take(eb)
    yh, yl = xh + xh, xl + xl
    s = sh + yh
    sl = (((sh - s) + yh) + sl) + yl
    sh = s
    # a = dfmul(x2, x)
    P = x2h64 * xh64
    ah = P.astype(_F32)
    al = fsum(x2h64 * xl64, fsum(x2l64 * xh64, P - ah).astype(_F32)).astype(_F32)
    # b = dfmul(a, c)
    ah64, ch64 = ah.astype(_F64), ch.astype(_F64)
    P = ah64 * ch64
    bh = P.astype(_F32)
    bl = fsum(al.astype(_F64) * ch64, P - bh).astype(_F32)
    bl = fsum(ah64 * cl.astype(_F64), bl).astype(_F32)
    # logk = dfadd(s, b)
    s = sh + bh
    sl = (((sh - s) + bh) + sl) + bl
    sh = s
    return sh, sl


def _exp_part(sh: ndarray, sl: ndarray, y: Any, sums: list[Any],
              rows: ndarray | None = None) -> tuple[ndarray, ndarray, ndarray]:
    """expkf(dfmul((sh, sl), y)) (y a float32 number, or an array of sh's shape) before
    its scaling by 2^q: (the float, q, dh: the
    product's high part). Each FMA's double sum goes to row k of `rows` (for the midpoint
    check), or with rows None to `sums` as (sum, term, term)."""

    def fsum(a: ndarray, b: ndarray) -> ndarray:
        if rows is None:
            s = a + b
            sums.append((s, a, b))
            return s
        k = len(sums)
        sums.append(None)
        return np.add(a, b, out=rows[k])

    # d = dfmul(logk, y)
    y64 = _c64(y)
    P = sh.astype(_F64) * y64
    dh = P.astype(_F32)
    dl = fsum(sl.astype(_F64) * y64, P - dh).astype(_F32)
    # expkf(dh, dl), for -104 <= dh <= 88 (|q| <= 150)
    qf = np.rint((dh + dl) * _R_LN2F)
    # dfadd2(d, q·-L2U): q·L2U is exact and the sum too (Sterbenz: |dh| within a factor
    # 2 of it when q != 0), so the pair is (dh + q·-L2U, dl)
    sh = dh + qf * _NL2UF
    sl = dl
    yv = qf * _NL2LF
    s = sh + yv
    vv = s - sh
    sl = ((sh - (s - vv)) + (yv - vv)) + sl
    sh = s + sl  # dfnormalize
    sl = (s - sh) + sl
    sh64 = sh.astype(_F64)
    uu = fsum(_EXPKF[0] * sh64, _EXPKF[1])
    for c in _EXPKF[2:]:
        uu = fsum(uu.astype(_F32).astype(_F64) * sh64, c)
    uu = uu.astype(_F32).astype(_F64)
    # dfsqu(s)
    P = sh64 * sh64
    s2h = P.astype(_F32)
    s2h64 = s2h.astype(_F64)
    s2l = fsum((sh64 + sh64) * sl.astype(_F64), P - s2h64).astype(_F32)
    # dfmul(s2, u)
    P = s2h64 * uu
    mh = P.astype(_F32)
    ml = fsum(s2l.astype(_F64) * uu, P - mh).astype(_F32)
    th = sh + mh
    tl = (((sh - th) + mh) + sl) + ml
    s = _ONE + th
    tl = ((_ONE - s) + th) + tl
    return s + tl, qf.astype(_I32), dh


_ROWS = 7  # the FMAs of _exp_part
_BUFFER: list[ndarray] = []


def _rows(n: int, k: int = 0) -> ndarray:
    """A (7, n) view of a buffer kept for the module's life: the FMA sums of a pass go
    there instead of into fresh arrays (megabytes allocated and freed on every call
    would make the allocator hand pages back to the system and fault them in again)."""
    if not _BUFFER:
        _BUFFER.extend(np.empty(_ROWS * CHUNK, _F64) for _ in range(3))
    return _BUFFER[k][:_ROWS * n].reshape(_ROWS, n)


def _risky(sh: ndarray, sl: ndarray, y: Any, rows: ndarray) -> Any:
    """Elements where some FMA's double sum fell on a float midpoint and was inexact (its
    rounding to float may differ from the FMA's): False, or a boolean array. The few
    elements on a midpoint (most are exact sums of few bits) are computed again keeping
    the terms, whose TwoSum error tells."""
    low = np.bitwise_and(rows.view(_I64), _MID_MASK, out=_rows(rows.shape[1], 1).view(_I64))
    mid = np.equal(low, _MID, out=_rows(rows.shape[1], 2).view(bool)[:, :rows.shape[1]]
                   ).any(axis=0)
    if not mid.any():
        return False
    at = np.flatnonzero(mid)
    sums: list[Any] = []
    _exp_part(sh[at], sl[at], y[at] if isinstance(y, ndarray) else y, sums)
    bad = np.zeros(at.size, bool)
    for s, a, b in sums:
        on = (s.view(_I64) & _MID_MASK) == _MID
        bv = s - a
        bad |= on & (((a - (s - bv)) + (b - bv)) != 0)  # TwoSum's error
    out = np.zeros(sh.size, bool)
    out[at[bad]] = True
    return out


def _edge(x: ndarray, y: float) -> ndarray:
    """SLEEF's pow where x is ±0, ±inf or NaN (y finite, nonzero)."""
    odd = _odd(y)
    one = np.where(np.signbit(x), np.float32(-1), np.float32(1)) if odd else np.float32(1)
    inf = np.isinf(x)
    big = (inf & (y > 0)) | (~inf & (y < 0))
    out = (one * np.where(big, np.float32(np.inf), np.float32(0))).astype(_F32)
    return np.where(np.isnan(x), np.array(-1, _I32).view(_F32), out)


def _odd(y: float) -> bool:
    return float(y).is_integer() and abs(y) < 2 ** 24 and int(y) % 2 == 1


def powf(x: ndarray, y: Any, slow: Any) -> ndarray:
    """SLEEF's powf8_u10 of contiguous 1-D float32 x and the float32 number y; `slow(x,
    y)` (vecpow.vpow) computes the elements this path does not."""
    y = np.float32(y)
    n = x.size
    if not np.isfinite(y) or y == 0 or n == 0:
        return slow(x, y)
    if n > CHUNK:
        out = np.empty(n, _F32)
        for i in range(0, n, CHUNK):
            out[i:i + CHUNK] = powf(x[i:i + CHUNK], y, slow)
        return out
    yf = float(y)
    with np.errstate(all="ignore"):
        bits = x.view(_U32) & _ABS
        d = bits.view(_F32)
        plain = (bits - _NORMAL_LO) < _NORMAL_SPAN  # normal, nonzero, finite
        all_plain = bool(plain.all())
        if not all_plain:
            d = np.where(plain, d, _ONE)
        rows = _rows(n)
        sh, sl = _logk(d)
        r, q, dh = _exp_part(sh, sl, yf, [], rows)
        r, redo = _scaled(r, q, dh, _risky(sh, sl, yf, rows))
        if yf.is_integer() or abs(yf) >= 2 ** 24:
            if _odd(yf):
                r = np.copysign(r, x)
        else:
            r = np.where(x < _ZERO, np.float32(np.nan), r)
        if not all_plain:
            edge = (bits == 0) | (bits >= _EXP_MASK.view(_U32))
            r = np.where(edge, _edge(x, yf), r)
            redo = (~plain & ~edge) | redo  # subnormal x
        if redo is not False and redo.any():
            r[redo] = slow(x[redo], y)
    return r


def _scaled(r: ndarray, q: ndarray, dh: ndarray, redo: Any) -> tuple[ndarray, Any]:
    """expkf's last step, r · 2^q, and the elements to leave to vpow (dh past 88)."""
    ext = np.abs(dh) > _HIGH
    if ext.any():
        # subnormal results: SLEEF's vldexp scales in steps that may round twice;
        # beyond 88, q (and maybe the reduction) is out of the plain range: vpow
        tiny = dh < -_HIGH
        r = np.where(tiny, np.where(dh < _LOW, _ZERO, _ldexpf(r, q)), np.ldexp(r, q))
        return r, (dh > _HIGH) | redo
    return np.ldexp(r, q), redo  # SLEEF's steps are exact for |q| <= 127


def powf_pairs(x: ndarray, y: ndarray, slow: Any) -> ndarray:
    """SLEEF's powf8_u10 of contiguous 1-D float32 arrays x and y of one size (tensor **
    tensor): powf's path where x is plain and y finite and nonzero, with vpow's sign
    (-1 for odd integral y, NaN for other non-integral y where x < 0); the rest by
    `slow` (vecpow.vpow)."""
    n = x.size
    if n > CHUNK:
        out = np.empty(n, _F32)
        for i in range(0, n, CHUNK):
            out[i:i + CHUNK] = powf_pairs(x[i:i + CHUNK], y[i:i + CHUNK], slow)
        return out
    with np.errstate(all="ignore"):
        bits = x.view(_U32) & _ABS
        d = bits.view(_F32)
        ybits = y.view(_U32) & _ABS
        fast = ((bits - _NORMAL_LO) < _NORMAL_SPAN) & ((ybits - _ONE_BIT) < _FINITE_SPAN)
        all_fast = bool(fast.all())
        yy = y
        if not all_fast:
            d, yy = np.where(fast, d, _ONE), np.where(fast, y, _ONE)
        rows = _rows(n)
        sh, sl = _logk(d)
        r, q, dh = _exp_part(sh, sl, yy, [], rows)
        r, redo = _scaled(r, q, dh, _risky(sh, sl, yy, rows))
        ay = ybits.view(_F32)
        yisint = (np.trunc(y) == y) | (ay > _TWO24)
        yisodd = yisint & (ay < _TWO24) & (np.fmod(y, _TWO) != 0)
        r = r * np.where(x > _ZERO, _ONE, np.where(yisint, np.where(yisodd, -_ONE, _ONE),
                                                   np.float32(np.nan)))
        if not all_fast:
            redo = ~fast | redo
        if redo is not False and redo.any():
            r[redo] = slow(x[redo], y[redo])
    return r


def vec_pow(x: ndarray, y: Any) -> ndarray:
    """Vectorized<T>::pow (VEC.pow, kernel_loop's vector function): float32 by powf or
    powf_pairs (a 0-d exponent is one number), float64 by vecpow.vpow."""
    if x.dtype != _F32 or x.size == 0:
        return vpow(x, y)
    y = np.asarray(y, _F32)
    if not y.ndim:
        return powf(np.ascontiguousarray(x).reshape(-1), y[()], vpow).reshape(x.shape)
    x, y = np.broadcast_arrays(x, y)
    shape = x.shape
    return powf_pairs(np.ascontiguousarray(x).reshape(-1), np.ascontiguousarray(y).reshape(-1),
                      vpow).reshape(shape)


VEC.pow = staticmethod(vec_pow)
