"""PyTorch's vectorised CPU math where it is not MKL's: SLEEF's exp (Vectorized<float>::exp,
`Sleef_expf16_u10` or `Sleef_expf8_u10`, and the double one) and the lane order of
`vec::reduce_all`, in the kernels PyTorch dispatches to on this machine: AVX-512's (16
float or 8 double lanes) where the CPU has it, else AVX2's (8 or 4). Softmax, log_softmax
and sigmoid are written with them in PyTorch's kernels, so their float results agree bit
for bit (tests/test_kernel_bits.py). Whole arrays, no per-element Python.
"""

from __future__ import annotations

import os

import numpy as np

from gradcli.ad.kernels.fused import fma

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


def _expf(d: ndarray) -> ndarray:
    with np.errstate(all="ignore"):
        q = np.rint(d * _R_LN2F).astype(np.int32)
        qf = q.astype(_F32)
        s = fma(qf, -_L2UF, d)
        s = fma(qf, -_L2LF, s)
        u = np.full(d.shape, _EXPF_POLY[0], _F32)
        for c in _EXPF_POLY[1:]:
            u = fma(u, s, c)
        u = np.float32(1) + fma(s * s, u, s)
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
    AVX512 (the CPU has AVX-512 VL, BW and DQ and FMA, and ATEN_CPU_CAPABILITY does not
    ask for less), else 32 (AVX2; the DEFAULT build's vectors are 32 bytes too). The CPU's
    features as numpy detected them."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as has
    except ImportError:  # pragma: no cover - numpy < 2
        from numpy.core._multiarray_umath import __cpu_features__ as has
    wanted = os.environ.get("ATEN_CPU_CAPABILITY", "").lower()
    if wanted in ("avx2", "default"):
        return 32
    avx512 = all(has.get(f, False) for f in ("AVX512VL", "AVX512BW", "AVX512DQ", "FMA3"))
    return 64 if avx512 else 32


_VECTOR_BYTES = _vector_bytes()


def lanes(dtype: np.dtype) -> int:
    """Elements per Vectorized<T> (float32 or float64) in PyTorch's kernels here."""
    return _VECTOR_BYTES // (4 if dtype == _F32 else 8)


def reduce_sum_lastdim(x: ndarray) -> ndarray:
    """vec::reduce_all(+) of each row of x (its last dim): lane-wise sums over whole
    vectors (the tail's lanes added to the first ones), then the lanes folded: by halves
    for float (AVX-512's and AVX2's shuffles), left to right for double; a row shorter than a vector
    is summed left to right."""
    n = x.shape[-1]
    width = lanes(x.dtype)
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
