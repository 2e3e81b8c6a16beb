"""MKL's LU factorisation (getrf) of small square matrices on its AVX-512 path (Intel
hosts), bit for bit: lu_factor, linalg.lu and what PyTorch builds on them: det,
slogdet, linalg.solve and inv (getrs: its own substitution up to n = 8, two trsm calls
from n = 9).

Read off PyTorch 2.13 (MKL 2024.2) on an Intel Xeon element by element (round 22,
bench/lapack_sweep.py; n = 3..16, float32 and float64, 500 of 500 random matrices each):
right-looking elimination in the matrix's dtype; the pivot the first largest |entry| of
the column, whole rows swapped; the column below it scaled by the reciprocal 1/u_jj
(divided by u_jj instead for the last column but one when n <= 4, as kernels/lapack2.py's
2×2); the trailing block updated with one fma per step, a_ik = fma(-l_ij, u_jk, a_ik).
getrs for n <= 8 is a kernel of its own (solve below); the transposed getrs (AᵀX = B
from A's LU: solve's gradient and left=False) is two trsm calls from n = 9
(solve_adjoint). Not recovered (numpy's LAPACK there): getrs of n = 3 with more than one
column, the transposed getrs below n = 9.
linalg.det and slogdet factor Aᵀ: det = ±Π u_ii multiplied in order, log|det| the sum of
log|u_ii| through PyTorch's own log and sum (1000 of 1000 each, n = 3..16).
"""

from __future__ import annotations

import numpy as np

from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.mkl_path import mkl_avx512

ndarray = np.ndarray
MAX_N = 16


def applies(a: ndarray) -> bool:
    """Whether the model stands in for getrf: (a batch of) square 3..16 float32/float64
    finite matrices on MKL's AVX-512 path."""
    n = a.shape[-1]
    return (a.ndim >= 2 and a.shape[-2] == n and 3 <= n <= MAX_N and a.size > 0
            and a.dtype.kind == "f" and a.dtype.itemsize in (4, 8) and mkl_avx512()
            and bool(np.isfinite(a).all()))


def getrf(a: ndarray) -> tuple[ndarray, ndarray, ndarray]:
    """(packed LU, column-major as LAPACK leaves it; 1-based int32 pivots; int32 info) of
    (a batch of) square matrices. A zero pivot is recorded in info (its order, the first)
    and its column left unscaled, the elimination going on as LAPACK's does."""
    n = a.shape[-1]
    batch = a.shape[:-2]
    lu = a.reshape((-1, n, n)).copy()
    rows = np.arange(lu.shape[0])
    piv = np.zeros((lu.shape[0], n), np.int32)
    info = np.zeros(lu.shape[0], np.int32)
    one = np.ones((), a.dtype)
    with np.errstate(all="ignore"):
        for j in range(n):
            p = j + np.argmax(np.abs(lu[:, j:, j]), axis=1)
            piv[:, j] = p + 1
            top = lu[rows, j, :].copy()
            lu[rows, j, :] = lu[rows, p, :]
            lu[rows, p, :] = top
            d = lu[:, j, j]
            zero = d == 0
            info[(info == 0) & zero] = j + 1
            if j == n - 1:
                break
            col = lu[:, j + 1:, j]
            scaled = col / d[:, None] if n <= 4 and j == n - 2 else col * (one / d)[:, None]
            col = np.where(zero[:, None], col, scaled)
            lu[:, j + 1:, j] = col
            lu[:, j + 1:, j + 1:] = fma(-col[:, :, None], lu[:, j, None, j + 1:],
                                        lu[:, j + 1:, j + 1:])
    lu = np.swapaxes(np.ascontiguousarray(np.swapaxes(lu, -1, -2)), -1, -2)
    return lu.reshape(a.shape), piv.reshape((*batch, n)), info.reshape(batch)


def _swap_sign(piv: ndarray, dtype: np.dtype) -> ndarray:
    """(-1)^(number of row swaps) of 1-based pivots."""
    odd = ((piv - 1) != np.arange(piv.shape[-1])).sum(-1) % 2 == 1
    return np.where(odd, -1, 1).astype(dtype)


def det(a: ndarray) -> ndarray:
    """linalg.det: PyTorch factors Aᵀ (the row-major matrix handed to column-major LAPACK);
    ±u_00·u_11·…, multiplied in order (a zero pivot gives a signed zero)."""
    lu, piv, _ = getrf(np.swapaxes(a, -1, -2))
    diag = np.diagonal(lu, axis1=-2, axis2=-1)
    prod = diag[..., 0].copy()
    for i in range(1, a.shape[-1]):
        prod = prod * diag[..., i]
    return (_swap_sign(piv, a.dtype) * prod).astype(a.dtype, copy=False)


def slogdet(a: ndarray, part: str) -> ndarray:
    """linalg.slogdet from the LU of Aᵀ (n = 2: kernels/lapack2.py's, the caller checked
    lapack2.applies): the sign (±, times the diagonal's signs) or log|det| as PyTorch's
    ops take it, the sum of log|u_ii| (its log and sum kernels)."""
    from gradcli.ad import kernels as K
    from gradcli.ad.kernels import lapack2
    from gradcli.ad.kernels import reductions as KR

    at = np.swapaxes(a, -1, -2)
    lu, piv = lapack2.packed(at) if a.shape[-1] == 2 else getrf(at)[:2]
    diag = np.ascontiguousarray(np.diagonal(lu, axis1=-2, axis2=-1))
    if part == "sign":
        return _swap_sign(piv, a.dtype) * np.prod(np.sign(diag), axis=-1).astype(a.dtype)
    return np.asarray(KR.sum(K.log(np.abs(diag)), dim=-1)).astype(a.dtype, copy=False)


def _small(lu: ndarray, b: ndarray, upper: bool, divide: bool | None = None) -> ndarray:
    """getrs' own substitution for n = 3..7: row i's sum over the rows solved before it is
    a dot product over them in solving order with the first two swapped (1, 0, 2, 3, ...
    counted from the top for the unit-lower solve, from the bottom for the upper one), its
    first term a rounded product, subtracted from b (one term: one fma); the upper solve
    then scales by 1/u_ii (n = 3: divides, but for a pair of columns, divide False)."""
    n = lu.shape[-1]
    if divide is None:
        divide = n == 3
    x = np.zeros(b.shape, lu.dtype)
    one = np.ones((), lu.dtype)
    with np.errstate(all="ignore"):
        for step in range(n):
            i = n - 1 - step if upper else step
            terms = list(range(step))
            if len(terms) >= 2:
                terms[0], terms[1] = terms[1], terms[0]
            ks = [n - 1 - q for q in terms] if upper else terms
            v = b[..., i, :]
            if len(ks) == 1:
                v = fma(-lu[..., i, ks[0], None], x[..., ks[0], :], v)
            elif ks:
                s = lu[..., i, ks[0], None] * x[..., ks[0], :]
                for q in ks[1:]:
                    s = fma(lu[..., i, q, None], x[..., q, :], s)
                v = v - s
            if upper:
                v = v / lu[..., i, i, None] if divide else v * (one / lu[..., i, i, None])
            x[..., i, :] = v
    return x


def solve(a: ndarray, b: ndarray, force: bool = False) -> ndarray | None:
    """X with AX = B (a (..., n, n), b (..., n, k) broadcast already) as getrs does it: B's
    rows swapped by the pivots, then the unit-lower and the upper solve on the column-major
    LU: for n >= 9 or k >= 9 the two trsm calls (mkl_lapack_trsm), for n = 8 plain
    substitution (fma in order, then a division), for n = 4..7 _small, for n = 3 _small on
    the columns in pairs (scaled by reciprocals) and an odd last column on its own (scaled
    by divisions). None where a pivot is zero (force: kept for the callers' sake, every
    kernel is recovered)."""
    from gradcli.ad.kernels import mkl_lapack_trsm

    del force
    n, k = a.shape[-1], b.shape[-1]
    lu, piv, info = getrf(a)
    if (info != 0).any():
        return None
    x = np.array(b, dtype=a.dtype, copy=True).reshape((-1, *b.shape[-2:]))
    flat = piv.reshape((-1, n))
    rows = np.arange(x.shape[0])
    for j in range(n):
        p = flat[:, j] - 1
        top = x[rows, j, :].copy()
        x[rows, j, :] = x[rows, p, :]
        x[rows, p, :] = top
    x = x.reshape(b.shape)
    if n == 3 and k <= 8:
        even = k - k % 2
        out = np.empty(x.shape, a.dtype)
        if even:
            y = _small(lu, x[..., :even], upper=False)
            out[..., :even] = _small(lu, y, upper=True, divide=False)
        if k % 2:
            out[..., even:] = _small(lu, _small(lu, x[..., even:], upper=False), upper=True)
        return out
    if n < 8 and k <= 8:
        return _small(lu, _small(lu, x, upper=False), upper=True)
    sub = n == 8 and k <= 8
    y = mkl_lapack_trsm.solve(lu, x, upper=False, unit=True, rows=False, substitute=sub)
    return mkl_lapack_trsm.solve(lu, y, upper=True, unit=False, rows=False, substitute=sub)


# The transposed getrs' own kernel for n = 3..8 (fewer than 9 columns): Uᵀ's rows in
# groups, a row's sum over the groups before its own a vector register's dot (lanes),
# within its group fma in ascending order, then scaled (by 1/u_ii, n = 8 divides).
_ADJ_GROUPS: dict[int, tuple[int, ...]] = {3: (2, 1), 4: (2, 2), 5: (4, 1), 6: (4, 2),
                                           7: (2, 1, 1, 1, 1, 1), 8: (1,) * 8}


def _adjoint_small(lu: ndarray, b: ndarray) -> ndarray:
    """Uᵀ's and then Lᵀ's solves of the transposed getrs for n = 3..8 (_ADJ_GROUPS); Lᵀ's
    (unit upper, from the bottom): n = 8 a lane dot per row, else row n-2 one fma and the
    rows above a dot product over the rows below in ascending order with the first two
    swapped, subtracted once."""
    from gradcli.ad.kernels.mkl_lapack_chol import _lanes

    n = lu.shape[-1]
    width = 16 if lu.dtype == np.float32 else 8
    one = np.ones((), lu.dtype)
    z = np.zeros(b.shape, lu.dtype)
    with np.errstate(all="ignore"):
        lo = 0
        for size in _ADJ_GROUPS[n]:
            for i in range(lo, lo + size):
                v = b[..., i, :]
                if lo:
                    v = v + _lanes([-lu[..., q, i, None] for q in range(lo)],
                                   [z[..., q, :] for q in range(lo)], width)
                for q in range(lo, i):
                    v = fma(-lu[..., q, i, None], z[..., q, :], v)
                z[..., i, :] = v / lu[..., i, i, None] if n == 8 else \
                    v * (one / lu[..., i, i, None])
            lo += size
        w = z.copy()
        for i in range(n - 2, -1, -1):
            qs = list(range(i + 1, n))
            if n == 8:
                w[..., i, :] = z[..., i, :] + _lanes([-lu[..., q, i, None] for q in qs],
                                                     [w[..., q, :] for q in qs], width)
                continue
            if len(qs) == 1:
                w[..., i, :] = fma(-lu[..., qs[0], i, None], w[..., qs[0], :], z[..., i, :])
                continue
            qs[0], qs[1] = qs[1], qs[0]
            s = -lu[..., qs[0], i, None] * w[..., qs[0], :]
            for q in qs[1:]:
                s = fma(-lu[..., q, i, None], w[..., q, :], s)
            w[..., i, :] = z[..., i, :] + s
    return w


def solve_adjoint(a: ndarray, b: ndarray) -> ndarray | None:
    """X with AᵀX = B from A's LU (the transposed getrs: solve's gradient and left=False):
    for n >= 9 or k >= 9 Uᵀ's and then Lᵀ's triangular solves (Uᵀ row-major: the row
    kernel for one column), for n = 3..8 _adjoint_small; then the pivots' swaps undone in
    reverse. None where a pivot is zero."""
    from gradcli.ad.kernels import mkl_lapack_trsm

    n, k = a.shape[-1], b.shape[-1]
    lu, piv, info = getrf(a)
    if (info != 0).any():
        return None
    if n < 9 and k < 9:
        w = _adjoint_small(lu, b)
    else:
        ut = np.swapaxes(lu, -1, -2)
        z = mkl_lapack_trsm.solve(ut, b, upper=False, unit=False, rows=True)
        w = mkl_lapack_trsm.solve(ut, z, upper=True, unit=True, rows=True)
        if k > 1:
            w = w + 0  # a zero comes out +0 (measured: a zero column of B)
    x = np.array(w, dtype=a.dtype, copy=True).reshape((-1, *b.shape[-2:]))
    flat = piv.reshape((-1, n))
    rows = np.arange(x.shape[0])
    for j in range(n - 1, -1, -1):
        p = flat[:, j] - 1
        top = x[rows, j, :].copy()
        x[rows, j, :] = x[rows, p, :]
        x[rows, p, :] = top
    return x.reshape(b.shape)
