"""PyTorch's CPU arithmetic where numpy's differs, vectorised: the fused multiply-add
of its kernels (`add(b, alpha=)`, `addcmul`, `lerp`) and the square root it takes from
Intel MKL (`vsSqrt`: a hardware estimate refined by Newton steps, not numpy's correctly
rounded sqrt). Both bit for bit, on whole arrays (no per-element Python).
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

ndarray = np.ndarray
_F32 = np.dtype(np.float32)


def _two_sum(a: ndarray, b: ndarray) -> tuple[ndarray, ndarray]:
    """s = a + b rounded, and the exact error: a + b == s + e."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _sum_to_odd(a: ndarray, b: ndarray) -> ndarray:
    """a + b rounded to odd (an inexact sum keeps its last bit set): rounding that again
    to a narrower format is correct rounding of the exact sum (Boldo and Melquiond)."""
    s, e = _two_sum(a, b)
    fix = (e != 0) & ((s.view(np.int64) & 1) == 0)
    if fix.any():
        s = np.where(fix, np.nextafter(s, np.where(e > 0, np.inf, -np.inf)), s)
    return s


def _split(a: ndarray) -> tuple[ndarray, ndarray]:
    """Veltkamp's split of a double into two 26-bit halves: a == hi + lo."""
    t = 134217729.0 * a
    hi = t - (t - a)
    return hi, a - hi


def fma(a: Any, b: Any, c: Any) -> ndarray:
    """a·b + c rounded once, in the dtype of a (float32 or float64; broadcast). Arrays and
    scalars broadcast in the arithmetic itself (np.broadcast_arrays cost more than the
    sum on the small arrays of the elementwise kernels' hot paths)."""
    a, b, c = np.asarray(a), np.asarray(b), np.asarray(c)
    with np.errstate(all="ignore"):
        if a.dtype == _F32:
            # The product is exact in double and the double sum d rounds to the float
            # nearest the exact value unless d falls on a float midpoint (its 29 bits
            # under float precision 1000…) or in float's subnormal range: those elements
            # are summed to odd and rounded to float (exact).
            p = np.asarray(a.astype(np.float64) * b.astype(np.float64))
            c64 = c.astype(np.float64)
            d = np.asarray(p + c64)
            out = d.astype(_F32)
            low = d.view(np.int64) & ((1 << 29) - 1)
            risky = (low == 1 << 28) | ((np.abs(d) < 2.0 ** -126) & (d != 0))
            if risky.any():
                p, c64 = np.broadcast_to(p, d.shape), np.broadcast_to(c64, d.shape)
                fix = risky & np.isfinite(p) & np.isfinite(c64)
                out[fix] = _sum_to_odd(p[fix], c64[fix]).astype(_F32)
            return out
        # a·b == p + e exactly (Dekker), then p + e + c rounded once
        p = a * b
        ah, al = _split(a)
        bh, bl = _split(b)
        e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
        th, tl = _two_sum(c, p)
        out = th + _sum_to_odd(np.asarray(tl), np.asarray(e))
        plain = p + c
        exact = np.isfinite(out) & np.isfinite(p) & np.isfinite(c)
    return np.where(exact, out, plain)


# -- 1 - y² rounded once, for tanh's derivative ----------------------------------------

_SPLIT = np.float64(134217729.0)  # 2^27 + 1: Veltkamp's split of a double
_ONE64 = np.float64(1)
#: Up to this length, BLAS computes a float64 vector's 1 - y² (see one_minus_square).
GEMM_MAX = 128
#: Per length n, the 2×n rows [1, y] and [1, -y] BLAS multiplies (rows 0 set once).
_GEMM_ROWS: dict[int, tuple[ndarray, ndarray, ndarray, ndarray]] = {}
_gemm_exact: bool | None = None  # whether this BLAS's gemm passed the probe


def _one_minus_square_split(y: ndarray) -> ndarray:
    """fma(-y, y, 1) for float64 y with |y| <= 1, without an FMA: y² = p + e exactly
    (Veltkamp/Dekker), 1 - p = s + t exactly (Fast2Sum), so s + (t - e) is 1 - y²
    rounded once (0 differences from fma in 22M draws). inf and NaN take fma's way."""
    p = y * y
    hi = _SPLIT * y
    hi -= hi - y
    lo = y - hi
    e = hi * hi
    e -= p
    hl = hi * lo
    hl += hl
    e += hl
    lo *= lo
    e += lo
    s = _ONE64 - p
    t = _ONE64 - s
    t -= p
    t -= e
    s += t
    if not np.isfinite(s).all():
        return fma(-y, y, _ONE64)
    return s


def _one_minus_square_gemm(y: ndarray) -> ndarray:
    """fma(-y, y, 1) for a float64 vector, by BLAS: the diagonal of [1, y]ᵀ·[1, -y], whose
    gemm kernel sums each entry's two products with FMAs from zero (1·1, then
    fma(y_i, -y_j, 1)). Only where the probe (_check_gemm) found it so."""
    n = y.shape[0]
    rows = _GEMM_ROWS.get(n)
    if rows is None:
        left = np.ones((2, n))
        right = np.ones((2, n))
        rows = _GEMM_ROWS[n] = (left.T, right, left[1], right[1])
    lt, right, ys, negs = rows
    ys[...] = y
    np.negative(y, out=negs)
    return np.dot(lt, right).diagonal()


def _check_gemm() -> bool:
    """Whether this machine's gemm gives 1 - y² rounded once (an FMA kernel summing k in
    order): tried on values whose plain 1 - y·y rounds twice, at a few lengths."""
    global _gemm_exact
    y = np.tanh(np.linspace(-3.0, 3.0, 997)) * np.float64(0.999999999)
    y[:5] = (1.0, -1.0, 0.0, -0.0, 2.0 ** -30)
    ok = True
    for n in (2, 3, 8, 31, 64, GEMM_MAX):
        for start in range(0, y.size - n, max(n, 61)):
            part = y[start:start + n]
            if not np.array_equal(_one_minus_square_gemm(part), _one_minus_square_split(part)):
                ok = False
    _gemm_exact = ok
    return ok


def one_minus_square(y: ndarray) -> ndarray:
    """1 - y² rounded once (fma(-y, y, 1)) for a float64 array y with |y| <= 1 (tanh's
    output): what PyTorch's tanh_backward kernel computes before multiplying by grad.
    Short vectors go through BLAS (one call instead of the split's seventeen; the result
    is then a read-only view); a single element would be ddot's, which rounds twice."""
    if y.ndim == 1 and 2 <= y.shape[0] <= GEMM_MAX and (
            _gemm_exact or (_gemm_exact is None and _check_gemm())):
        return _one_minus_square_gemm(y)
    return _one_minus_square_split(y)


def _fma32_reference(a: ndarray, b: ndarray, c: ndarray) -> ndarray:
    """The float32 fma summed to odd on every element (tests compare fma with it)."""
    with np.errstate(all="ignore"):
        p = a.astype(np.float64) * b.astype(np.float64)
        c64 = c.astype(np.float64)
        exact = np.isfinite(p) & np.isfinite(c64)
        return np.where(exact, _sum_to_odd(p, c64).astype(_F32), (p + c64).astype(_F32))


# RSQRTPS as this CPU computes it: a 12-bit estimate of 1/sqrt(x) from the top 12 bits of
# the significand and the exponent's parity, read off the instruction. Stored as the
# drops between neighbouring entries (0, 1 or 2 units of 2^-13), four to a byte.
_RSQRTPS_DROPS = (
    "VRVVlVUVVZVVFVVVVRVVlVUVVZVVFVVVVRVVVVUVVZVVFVVVVRVVVVUVVVVVFVVVVRVVVVUVVVVVFVUVVRVVVRVV"
    "FZUVVRVVFVUVlRVVFVUVVRVVFVUVVRVVFVUVVRVVFVUVVRVVFVUVVRVVFVUVVRVVFRUVVRVVFVUVFRVVFVVFFVVR"
    "RRVVkUUVVVFFFVVRRRVVUUUVVVFFFVVRRRVVUUUVVVFFFVURRRVVUUUVVVFFFVURRRVVUUUVVRFFFVVRRVFRUUVR"
    "UZFFUVFRRVFRUUVRUVFFUVFRRVFRUUVRUVFFUVFRRVFREUVRUVFFUVFRRVFREUVRUVFFUVERRVFRkRQVRVEUFUVR"
    "FBVFkRQVRVEUFUVRFBVFURQVRVEUFUVRFBVFURQVRVEUFUVRFBVFURQVRVEUFUURFBVFURQVRVFRFFEUURRRVFEU"
    "URRRFFFUURRRFFEUUVRRFFEUURRRFFEUURRRFFFUURRRFFEUURRRFFEUURRRFFEUURRRFFEUFBFFURQRRVEUEUVR"
    "FBFFURQRRREUEUVRFBFFURQRRREUEUVRFBFFERQRRVEUEUURFBFFURQRRREUEUURFBFFUUQUEUVEFBFFRBQRhUQU"
    "EUVEFBFFRBQRRUQUEUVEFBFFRBQRRUQUEUVEFBFFRBQRRUQUEQVEFBFFRBQRRUQUEQURERFRERERURERERERERFR"
    "EREREREREVERERERERERURERERERERFRERERERERERERERFRERERERERERERERFRRERERERERERERERERERERERE"
    "REREREREREREREREREREREREREREREREREREREREREREBEREREREREREREREREQEEVFEBBERRAQRUUQEEVFEBBER"
    "RAQRUUQEERFEBBFRRAQREUQEEVFEBBERRAQRUUQEERFEBBERRAQRUUQEERERREQQEUREEBFERBARRERQEUREEBFE"
    "RBARREQQEUREEBFERBARREQQEUREEBFERBARREQQEUREEBFERBARRERQBBFERAQRREQEEUQEBBFERAQRREQEEURE"
    "BBFERAQRRAQEEUREBBFERAQRRAQEEUREBBFERAQRRAQEEUREBBFEBEQQQVBEEEEQRBBBUEQQQRBEEEFQRBBBEEQQ"
    "QVBEEEEQRBBBEEQQQVBEEEEQRBBBEEQQQVBEEEEQRBBBEEQQQVAEEUQQBBFEEAQRRBAEEUQQBBFEEAQRRBAEEURQ"
    "BBFEEAQRRBAEEUQQBBFEEAQRRBAEEUQQBBFEEAQRRBAEEUQQEEQQRBBEEEQQRBBEEEQQRBBEEAQQRBBEEEQQRBBE"
    "EEQQRBBEEEQQBBBEEEQQRBBEEEQQRBBEEAQQRBBEEEQQBFEURVFRFEVRURRFkVEURVFRFEURURRFUVEURVFRFEVR"
    "URRFUVEURRFRFEVRURRFUVEURRFRFEVRURRFEVEURVEUURRFFFEURRRRFIUUURRFFFEURRRRFEUUURRFFFEURRRR"
    "FAUUURRFFFEURRRRFEUUURQFFFEURRRRFAUUURRFFBFFhBQRRUQUEUVEFBFFhBQRRUQUEUVEFBFFRBQRRUQUEUVE"
    "FBFFRBQRRUQUEUVEFBFFRBQRRUQUEUVEFBFFRBQREREUERFRFBERURQREREUERFRFBERERQREVEUERERFBERERQR"
    "EVEUERERFBERERQREVEUERERFBERERQRERFEREREREREREREREREREREREREREREREREREREREREREREREREREQE"
    "REREREREREREREQERERERERERAREREREQUREEEFERFBBREQQQUREUEFERBBBREQQQUREUEFERBBBREQQQUREEEFE"
    "RFBBREQQQUREEEFERBBBREQQQUREEEQQEUREEBFERBARREQQEUREEBFERBARREQQEUREEBEERBARREQQEUREEBFE"
    "RBARBEQQEUREEBFERBARBEQQEUREEEEERBBBREQQQQREEEFERBBBBEQQQUREEEEERBBBBEQQQUREEEEERBBBBEQQ"
    "QUREEEEERBBBBEQQQQREEEFEEEEQQRBBEEEQQRBBEEEQQRBBEEEQQRBBEEEQQRBBEEEQQRBBEEEQQRBBEEEQQRBB"
    "EEEQQRBBEEEQQRABEEEQQQRBEEQEQRBEBEEQBARBEEQEQRBEBEEQRARBEAQEQRBEBEEQBARBEEQEQRBEBEEQBARB"
    "EEQEQRAEBEEQRARBEAQEQRAEBEEQRARBEAQEQRBEBEEQBARBEAQEQRBEBEEQBARBEAQEQRBEBEEQBARBEAQEQRAE"
    "BEEQBARBEEQEQRAEQRAEBEEQBARBEAQEQRAEBEEQBARBEAQEQRAEBEEQBARBEAQEQRAEBEEQBARBEAQEQRAEBEEQ"
    "BARBEAQEQRAERBAEBAEQBARBEAQEQRAEBEEQBARBEAQEQRAEBAEQBARBEAQEQRAEBEEQBAQBEAQEQRAEBEEQBAQB"
    "EAQEQRAEBEEQBAQBEAQEQRAEBAEQBARBEAQEQRAEBAEQBARBEAQEARAEBEEQBAQBEAQEQRAEBAEQBARBEAQEARAE"
    "BAEQBARBBAQEBAQEBEQEBAQEBAQEBAQEBEQEBAQEBAQEBAQEBEQEBAQEBAQEBAQEBAQEBAREBAQEBAQEBAQEBAQE"
    "BAQERAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBEQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE"
    "BAQ="
)


def _rsqrtps_table() -> ndarray:
    packed = np.frombuffer(base64.b64decode("".join(_RSQRTPS_DROPS)), np.uint8)
    drops = np.stack([(packed >> (2 * k)) & 3 for k in range(4)], axis=1).reshape(2, 4096)
    drops = drops.astype(np.int64)
    first = np.array([[8191], [5792]])  # the 13-bit significands at 1.0 and 2.0
    sig = first - np.concatenate([np.zeros((2, 1), np.int64), np.cumsum(drops, axis=1)[:, :-1]],
                                 axis=1)
    return ((126 << 23) | ((sig - (1 << 12)) << 11)).astype(np.int32)


_RSQRTPS = _rsqrtps_table()


def rsqrtps(x: ndarray) -> ndarray:
    """RSQRTPS of positive normal float32 x: the table entry, its exponent scaled."""
    bits = x.view(np.int32).astype(np.int64)
    unbiased = ((bits >> 23) & 255) - 127
    odd = unbiased & 1
    entry = _RSQRTPS[odd, (bits >> 11) & 4095].astype(np.int64)
    return (entry - (((unbiased - odd) // 2) << 23)).astype(np.int32).view(np.float32)


def vml_sqrt(x: ndarray) -> ndarray:
    """sqrt as PyTorch's CPU kernel computes it: MKL's vsSqrt on this CPU (its SSE path)
    for float32: y = rsqrtps(x), s = x·y, h = y/2, one Newton step on both (e = 1/2 - s·h),
    then s + h·(x - s²), every operation rounded to float; zero, negative, subnormal,
    huge, inf and nan values exactly. float64: the correctly rounded sqrt."""
    x = np.asarray(x)
    if x.dtype != _F32 or x.size == 0:
        return np.sqrt(x)
    bits = x.view(np.int32)
    normal = (bits >= 0x00800000) & (bits <= 0x7F7FF000)
    safe = np.where(normal, x, np.float32(1))
    half = np.float32(0.5)
    with np.errstate(all="ignore"):
        y = rsqrtps(safe)
        s = safe * y
        h = y * half
        e = half - s * h
        s = s * e + s
        h = h * e + h
        out = (safe - s * s) * h + s
        return np.where(normal, out, np.sqrt(x))
