"""PyTorch's CPU arithmetic where numpy's differs, vectorised: the fused multiply-add
of its kernels (`add(b, alpha=)`, `addcmul`, `lerp`) and the square root it takes from
Intel MKL (`vsSqrt`: a hardware estimate refined by Newton steps, not numpy's correctly
rounded sqrt). Both bit for bit, on whole arrays (no per-element Python).
"""

from __future__ import annotations

import bisect
import functools
from typing import Any

import numpy as np

ndarray = np.ndarray
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)


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


# -- the fused multiply-add of BLAS's gemm, for small arrays ---------------------------------
#
# gemm of a 2×n and a 2×n operand computes each entry C_ij = L_0i·R_0j + L_1i·R_1j with the
# kernel's FMAs, from zero and in order: fma(L_1i, R_1j, fma(L_0i, R_0j, 0)). With the rows
# L = [1, a] and R = [c, b], the diagonal is fma(a_i, b_i, c_i), each rounded once: one BLAS
# call where the splits below take about twenty numpy calls (small arrays pay per call).
# That the kernel works so is this machine's BLAS, not a promise: a probe compares it with
# the splits once, and a BLAS that rounds otherwise is never used. A single element would
# be ddot's (which rounds twice), so 2 elements at least; past GEMM_MAX, the n² entries of
# the product cost more than the splits.

GEMM_MAX = 128
#: Per (dtype, shape): the rows BLAS multiplies (row 0 of L stays 1), and views of them.
_ROWS: dict[tuple[Any, tuple[int, ...]], tuple[ndarray, ...]] = {}
_gemm_ok: bool | None = None  # the probe's verdict (None: not run yet)


def _gemm_diagonal(a: Any, b: Any, c: Any, dt: Any, shape: tuple[int, ...], n: int) -> ndarray:
    """The diagonal of [1, a]ᵀ·[c, b] (a, b, c copied into rows of `shape`), as a
    writable strided view of a fresh array."""
    rows = _ROWS.get((dt, shape))
    if rows is None:
        left = np.ones((2, n), dt)
        right = np.ones((2, n), dt)
        rows = (left.T, right, left[1].reshape(shape), right[0].reshape(shape),
                right[1].reshape(shape))
        if len(_ROWS) < 256:  # bounded: a program's small shapes are few
            _ROWS[(dt, shape)] = rows
    lt, right, a_row, c_row, b_row = rows
    np.copyto(a_row, a)
    np.copyto(c_row, c)
    np.copyto(b_row, b)
    return np.dot(lt, right).ravel()[:: n + 1]


def _fits(x: ndarray, dt: Any, shape: tuple[int, ...]) -> bool:
    """Whether x goes into a `dt` array of `shape` without changing fma's value: of that
    shape or 0-d, and of dtype dt (or a 0-d float exactly representable in it)."""
    if x.dtype is dt or x.dtype == dt:
        return x.shape == shape or not x.ndim
    return not x.ndim and x.dtype.kind == "f" and dt.type(x) == x


def _fma_gemm(a: ndarray, b: ndarray, c: ndarray) -> ndarray | None:
    """fma(a, b, c) of 2..GEMM_MAX float32 or float64 elements by BLAS, or None. A zero
    result may have lost its sign (-0 + +0 is +0 where the kernel starts from +0): any
    zero sends the call to the splits. NaN payloads may differ (they print alike)."""
    dt = a.dtype
    if dt is not _F32 and dt is not _F64:
        return None
    shape = a.shape if a.ndim else b.shape if b.ndim else c.shape
    n = 1
    for k in shape:
        n *= k
    if not 2 <= n <= GEMM_MAX or not (_fits(a, dt, shape) and _fits(b, dt, shape)
                                      and _fits(c, dt, shape)):
        return None
    if not (_gemm_ok or (_gemm_ok is None and _check_gemm())):
        return None
    d = _gemm_diagonal(a, b, c, dt, shape, n)
    if np.count_nonzero(d) != n:
        return None
    # A fresh C-contiguous array, as the other paths give (a strided result would change
    # what a later reshape or view of it records).
    return d.copy().reshape(shape)


def _check_gemm() -> bool:
    """The probe: whether this machine's gemm gives the splits' bits, on products that
    round, sums that cancel, huge and tiny values, both dtypes and several lengths."""
    global _gemm_ok
    _gemm_ok = False  # fma below takes the splits
    rng = np.random.default_rng(20261206)
    ok = True
    for dt in (_F32, _F64):
        for n in (2, 3, 8, 31, 64, GEMM_MAX):
            a = (rng.standard_normal(n) * 10.0 ** rng.integers(-30, 30, n)).astype(dt)
            b = (rng.standard_normal(n) * 10.0 ** rng.integers(-30, 30, n)).astype(dt)
            y = np.tanh(rng.standard_normal(n) * 3).astype(dt)
            for x, u, c in ((a, b, (-(a.astype(np.float64) * b)).astype(dt)),
                            (a, b, rng.standard_normal(n).astype(dt)), (y, -y, np.ones(n, dt))):
                got = _gemm_diagonal(x, u, c, dt, (n,), n)
                ok = ok and np.array_equal(got, fma(x, u, c), equal_nan=True)
    _gemm_ok = ok
    return ok


def fma(a: Any, b: Any, c: Any) -> ndarray:
    """a·b + c rounded once, in the dtype of a (float32 or float64; broadcast). Arrays and
    scalars broadcast in the arithmetic itself (np.broadcast_arrays cost more than the
    sum on the small arrays of the elementwise kernels' hot paths)."""
    a, b, c = np.asarray(a), np.asarray(b), np.asarray(c)
    if _gemm_ok is not False:
        out = _fma_gemm(a, b, c)
        if out is not None:
            return out
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
    # A zero sum is exact in plain arithmetic too, with IEEE's sign (-0·1 + -0 is -0,
    # which the split's +0 terms lose).
    exact = np.isfinite(out) & np.isfinite(p) & np.isfinite(c) & (out != 0)
    return np.where(exact, out, plain)


class Fma32Deferred:
    """float32 fused multiply-adds as fma() computes them when neither BLAS nor a check
    per call is wanted: each a·b + c in double (the product exact, one rounding), rounded
    to float. That is the fused result unless the double sum falls on a float midpoint or
    in float's subnormal range (fma's float32 note); the sums are kept, and exact() tells
    whether none did (else the caller redoes its steps with fma). A chain of steps (a
    polynomial) pays ~4 numpy calls a step instead of ~12."""

    def __init__(self) -> None:
        self.sums: list[ndarray] = []
        self.terms: list[tuple[ndarray, Any]] = []

    def __call__(self, a: Any, b: Any, c: Any) -> ndarray:
        p = np.multiply(a, b, dtype=np.float64)
        if type(p) is not ndarray:  # 0-d operands: numpy's scalar
            p = np.asarray(p)
        t = np.add(p, c, dtype=np.float64)
        if type(t) is not ndarray:
            t = np.asarray(t)
        self.sums.append(t)
        self.terms.append((p, c))
        return t.astype(_F32)

    def exact(self) -> bool:
        """Whether every step's float rounding was the fused one's. A double sum on a
        float midpoint is the fused rounding when the sum was exact (a true tie, which
        both round to even: error-free steps such as 1 - d·(1/d) make them often), so
        those elements' sums are checked by Knuth's TwoSum error."""
        if not self.sums:
            return True
        d = np.concatenate([t.reshape(-1) for t in self.sums])
        a = np.abs(d)
        if np.count_nonzero((a < _TINY32) & (a > 0)):
            return False
        idx = np.flatnonzero((d.view(np.int64) & _LOW29) == _MID29)
        if not idx.size:
            return True
        mid = idx.tolist()
        lo = 0
        for t, (p, c) in zip(self.sums, self.terms, strict=True):
            hi = lo + t.size
            i, j = bisect.bisect_left(mid, lo), bisect.bisect_left(mid, hi)
            at, lo = idx[i:j] - lo, hi
            if i < j:
                s = t.reshape(-1)[at]
                x = np.broadcast_to(p, t.shape).reshape(-1)[at]
                y = np.broadcast_to(np.asarray(c, np.float64), t.shape).reshape(-1)[at]
                v = s - x
                if np.count_nonzero((x - (s - v)) + (y - v)):
                    return False
        return True


_LOW29 = np.int64((1 << 29) - 1)
_MID29 = np.int64(1 << 28)
_TINY32 = np.float64(2.0**-126)


# -- 1 - y² rounded once, for tanh's derivative ----------------------------------------

_SPLIT = np.float64(134217729.0)  # 2^27 + 1: Veltkamp's split of a double
_ONE64 = np.float64(1)
#: Per length n, the rows [1, y] and [1, -y] of one_minus_square's gemm (rows 0 stay 1).
_SQUARE_ROWS: dict[int, tuple[ndarray, ndarray, ndarray, ndarray]] = {}
#: Per length n, the n × 2 rows of one_minus_square's vecdot.
_VECDOT_ROWS: dict[int, tuple[ndarray, ...]] = {}
_vecdot_ok: bool | None = None  # the vecdot probe's verdict (None: not run yet)


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


def _vecdot_rows(n: int) -> tuple[ndarray, ...]:
    """The rows [1, y_i] and [1, -y_i] (n × 2, the 1s in place) and views of their y columns."""
    rows = _VECDOT_ROWS.get(n)
    if rows is None:
        left = np.ones((n, 2))
        right = np.ones((n, 2))
        rows = (left, right, left[:, 1], right[:, 1])
        if len(_VECDOT_ROWS) < 256:  # bounded: a program's vector lengths are few
            _VECDOT_ROWS[n] = rows
    return rows


def _vecdot_one_minus_square(y: ndarray) -> ndarray:
    """Each row's [1, y_i]·[1, -y_i] by numpy's vecdot: BLAS's ddot of two elements, from
    +0 in fused multiply-adds where the probe found it so: fma(y_i, -y_i, fma(1, 1, 0))."""
    left, right, ys, negs = _vecdot_rows(y.shape[0])
    ys[...] = y
    np.negative(y, out=negs)
    return np.vecdot(left, right)


def _check_vecdot() -> bool:
    """The probe: whether numpy's vecdot of the rows above gives fma(-y, y, 1) here (BLAS's
    two-element ddot fuses its multiply-adds on FMA machines; a BLAS built without FMA
    rounds twice), on values where the two roundings differ, at several lengths."""
    global _vecdot_ok
    _vecdot_ok = False
    if not hasattr(np, "vecdot"):  # numpy < 2
        return False
    rng = np.random.default_rng(20261207)
    ok = True
    for n in (2, 3, 8, 31, 64, GEMM_MAX):
        y = np.tanh(rng.standard_normal(n) * 3)
        y[0] = 1.0
        ok = ok and np.array_equal(_vecdot_one_minus_square(y), _one_minus_square_split(y))
    _vecdot_ok = ok
    return ok


def one_minus_square(y: ndarray) -> ndarray:
    """1 - y² rounded once (fma(-y, y, 1)) for a float64 array y with |y| <= 1 (tanh's
    output): what PyTorch's tanh_backward kernel computes before multiplying by grad.
    A vector of 2..GEMM_MAX elements goes through BLAS as fma does: each element's
    two-element dot product (vecdot: cost linear in n) where the probe found it fused,
    else the diagonal of the gemm [1, y]ᵀ·[1, -y] (n² products; a read-only view);
    others through the split. W2's 64-vector: 2.50 → 1.91 µs (`thread_time` minima of 40
    runs, round 20's Intel host)."""
    n = y.shape[0] if y.ndim == 1 else 0
    if 2 <= n <= GEMM_MAX:
        if _vecdot_ok or (_vecdot_ok is None and _check_vecdot()):
            # _vecdot_one_minus_square, inlined (W2's backward runs this once a step)
            rows = _VECDOT_ROWS.get(n)
            left, right, ys, negs = _vecdot_rows(n) if rows is None else rows
            ys[...] = y
            np.negative(y, out=negs)
            return np.vecdot(left, right)
        if _gemm_ok or (_gemm_ok is None and _check_gemm()):
            rows = _SQUARE_ROWS.get(n)
            if rows is None:
                left = np.ones((2, n))
                right = np.ones((2, n))
                rows = _SQUARE_ROWS[n] = (left.T, right, left[1], right[1])
            lt, right, ys, negs = rows
            ys[...] = y
            np.negative(y, out=negs)
            return np.dot(lt, right).diagonal()
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


@functools.cache
def _rsqrtps_table() -> ndarray:
    """The table, unpacked on first use (not at every start: most runs never take a
    float32 square root)."""
    import base64

    packed = np.frombuffer(base64.b64decode("".join(_RSQRTPS_DROPS)), np.uint8)
    drops = np.stack([(packed >> (2 * k)) & 3 for k in range(4)], axis=1).reshape(2, 4096)
    drops = drops.astype(np.int64)
    first = np.array([[8191], [5792]])  # the 13-bit significands at 1.0 and 2.0
    sig = first - np.concatenate([np.zeros((2, 1), np.int64), np.cumsum(drops, axis=1)[:, :-1]],
                                 axis=1)
    return ((126 << 23) | ((sig - (1 << 12)) << 11)).astype(np.int32)


def rsqrtps(x: ndarray) -> ndarray:
    """RSQRTPS of positive normal float32 x: the table entry, its exponent scaled."""
    bits = x.view(np.int32).astype(np.int64)
    unbiased = ((bits >> 23) & 255) - 127
    odd = unbiased & 1
    entry = _rsqrtps_table()[odd, (bits >> 11) & 4095].astype(np.int64)
    return (entry - (((unbiased - odd) // 2) << 23)).astype(np.int32).view(np.float32)


def vml_sqrt_avx2(x: ndarray) -> ndarray:
    """sqrt as PyTorch's CPU kernel computes it: MKL's vsSqrt. float32 on MKL's AVX2 path
    (AMD processors, Intel ones without AVX-512): y = rsqrtps(x), s = x·y, h = y/2, one
    Newton step on both (e = 1/2 - s·h), then s + h·(x - s²), every operation rounded to
    float; zero, negative, subnormal,
    huge, inf and nan values exactly. float64 there: the correctly rounded sqrt. The
    kernels call vml_avx512.vml_sqrt, which takes MKL's path on this CPU."""
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
