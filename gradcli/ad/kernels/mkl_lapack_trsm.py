"""MKL's triangular solve (trsm) of small systems on its AVX-512 path (Intel hosts), bit for
bit: torch.linalg.solve_triangular, torch.triangular_solve and cholesky_solve (LAPACK's
potrs is the two trsm calls on the column-major factor: L's, then Lᵀ's, which is Lᵀ
row-major; PyTorch's cholesky_solve equals that chain of solve_triangular calls).

Read off PyTorch 2.13 (MKL 2024.2) on an Intel Xeon (round 22, bench/lapack_sweep.py): the
bits depend on B's column count k and, for k = 1, on A's layout:
- k >= 2: the rows are cut into blocks of powers of two, largest first from the top
  (12 = 8 + 4, 7 = 4 + 2 + 1). A row's sum over the blocks solved before its own is one
  dot product (x_0·y_0, then fma(x_q, y_q, s), indices ascending) subtracted from b;
  within its block the terms are subtracted one at a time, fma(-x_q, y_q, v), in solving
  order; then v·(1 / a_ii).
- k = 1, A column-major (or any layout PyTorch clones, not row-major): substitution,
  fma(-a_iq, x_q, v) in solving order, then v / a_ii.
- k = 1, A row-major: rows in pairs in solving order (from the top for a lower A, from
  the bottom for an upper one); a row's sum over the pairs solved before its own is a
  vector register's dot (the q-th term of the ascending indices in lane q mod W, W = 8 doubles or 16
  floats, an FMA chain per lane, the lanes halved to one sum) subtracted from b, within
  its pair one fma, then v / a_ii.
unitriangular skips the scaling. Matrices up to 16 rows (MAX_N); larger ones keep numpy.
"""

from __future__ import annotations

import numpy as np

from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.mkl_lapack_chol import _lanes
from gradcli.ad.kernels.mkl_path import mkl_avx512

ndarray = np.ndarray
MAX_N = 16


def applies(a: ndarray, b: ndarray) -> bool:
    """Whether the model stands in for MKL's trsm: a (..., n, n) and b (..., n, k) of one
    float32/float64 dtype, 1 <= n <= 16, finite, on MKL's AVX-512 path."""
    n = a.shape[-1]
    return (a.dtype == b.dtype and a.dtype.kind == "f" and a.dtype.itemsize in (4, 8)
            and 1 <= n <= MAX_N and b.shape[-1] >= 1 and mkl_avx512()
            and bool(np.isfinite(a).all()) and bool(np.isfinite(b).all()))


def _blocks(n: int) -> list[range]:
    """Rows cut into blocks of powers of two, largest first."""
    out, lo = [], 0
    while lo < n:
        size = 1 << ((n - lo).bit_length() - 1)
        out.append(range(lo, lo + size))
        lo += size
    return out


def _pairs(n: int, upper: bool) -> list[range]:
    """Rows cut into pairs in solving order: from the top (lower), from the bottom
    (upper; the last one single when n is odd)."""
    if upper:
        return [range(max(0, hi - 2), hi) for hi in range(n, 0, -2)]
    return [range(lo, min(n, lo + 2)) for lo in range(0, n, 2)]


def row_major(a: ndarray) -> bool:
    """Whether PyTorch hands MKL this matrix as it is, row by row (C-contiguous in its last
    two dims): a column-major one, or any other layout (cloned column-major), takes the
    column kernel of a one-column solve."""
    size = a.dtype.itemsize
    return a.strides[-1] == size and a.strides[-2] == size * a.shape[-1]


def solve(a: ndarray, b: ndarray, upper: bool, unit: bool = False,
          rows: bool = True, substitute: bool = False) -> ndarray:
    """X with A X = B for a triangular A (its other half ignored), a (..., n, n) and
    b (..., n, k) broadcast already; rows: A laid out row by row (row_major; it matters
    to one-column solves only); substitute: the column kernel for every k (getrs' own
    for n = 8, kernels/mkl_lapack_lu.py)."""
    n, k = a.shape[-1], b.shape[-1]
    single = a.dtype == np.float32
    width = 16 if single else 8
    x = np.zeros(b.shape, a.dtype)
    one = np.ones((), a.dtype)

    def coef(i: int, q: int) -> ndarray:
        return a[..., i, q, None]

    with np.errstate(all="ignore"):
        if (k == 1 and not rows) or substitute:
            order = range(n - 1, -1, -1) if upper else range(n)
            for i in order:
                v = b[..., i, :]
                for q in order[:order.index(i)]:
                    v = fma(-coef(i, q), x[..., q, :], v)
                x[..., i, :] = v if unit else v / a[..., i, i, None]
            return x
        blocks = _pairs(n, upper) if k == 1 else _blocks(n)
        if upper and k > 1:
            blocks = blocks[::-1]
        done: list[int] = []
        for block in blocks:
            rows = list(block)[::-1] if upper else list(block)
            for i in rows:
                v = b[..., i, :]
                if done:
                    terms = sorted(done)
                    s = _lanes([coef(i, q) for q in terms], [x[..., q, :] for q in terms],
                               width if k == 1 else 1)
                    v = v - s
                for q in rows[:rows.index(i)]:
                    v = fma(-coef(i, q), x[..., q, :], v)
                if not unit:
                    v = v / a[..., i, i, None] if k == 1 else v * (one / a[..., i, i, None])
                x[..., i, :] = v
            done.extend(block)
    return x
