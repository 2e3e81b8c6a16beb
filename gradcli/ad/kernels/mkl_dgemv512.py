"""The summation orders of torch 2.13's MKL 2024.2 float64 matrix-vector products (dgemv)
on its AVX-512 path (Intel processors with AVX-512: kernels/mkl_path.mkl_avx512),
emulated bit for bit with whole-array numpy.

Measured on round 22's Intel Xeon (Emerald Rapids) against torch with its default two
threads (cancellation probes: H and -H among ones lose every term added while ±H is in
the running sum; then random factors, tests/test_r22_mkl.py).

Row-major matrix by vector (dgemv 'T': torch.mv(W, x), X @ w of a float64 logistic
regression, the one-column product of nn.Linear(k, 1)): every row alike, whatever the
number of rows or threads (measured to 3000 rows and k = 5000). Products go in blocks
of four (256-bit vectors, product j in lane j % 4) into two accumulators A and B:
- k ≥ 32: while 16 or more products are left, four blocks into four accumulators A, B,
  C, D with fused multiply-adds from +0; then A += C and B += D (lane by lane);
- 16 ≤ k < 32: the first four blocks into A, B, A, B without fusing (each product
  rounded, then added);
- then the whole blocks left go into A, B, A, ... in turn with fused multiply-adds, and
  the part block (the last k % 4 products, lanes 0..) into the next in that turn;
- each accumulator is folded (l0 + l2) + (l1 + l3), and the two added.
So k = 2 is x0·w0 + x1·w1 rounded twice, no fused step (numpy's BLAS fuses it).

Column-major matrix by vector (dgemv 'N': Xᵀ @ g of a row-major X, mv's VJP for the
vector, the float64 weight gradient of a one-output model): each output one fused
multiply-add chain from +0 in k's order, or two such chains over k's halves (the first
⌈k/2⌉) added, where two threads split k (cols_split): from k = 128 when
(m + 64)·k ≥ 17600 for m ≤ 40 and 70 ≤ m ≤ 1000 (m outputs; measured to the element
of k for m = 2, 3, 8, 24, 32, 66, 70, 100). Between (41-58 outputs up to k = 416, and
from 1100 outputs up to k = 3000) it stays one chain; 59-69 and 1001-1099 outputs past
k = 127 and 41-58 past k = 416 are not modelled (None).
"""

from __future__ import annotations

import numpy as np

from gradcli.ad.kernels import mkl_gemv512
from gradcli.ad.kernels.fused import fma

ndarray = np.ndarray
_F64 = np.dtype(np.float64)

COLS_CHAIN_K = 127  # k up to which every column-major dgemv measured is one chain
_SPLIT_WORK = 17600  # (m + 64)·k from which two threads split k (m ≤ 40, 70 ≤ m ≤ 1000)


def _fold(acc: ndarray) -> ndarray:
    """A 4-lane accumulator (last axis) folded as (l0 + l2) + (l1 + l3)."""
    return (acc[..., 0] + acc[..., 2]) + (acc[..., 1] + acc[..., 3])


def mv_rows(a: ndarray, v: ndarray) -> ndarray:
    """a @ v for a float64 matrix (m×k, k ≥ 1, any layout) and a float64 vector, in dgemv
    'T''s order on this path (the module's note)."""
    m, k = a.shape
    pos = 0
    if k >= 32:
        quad = np.zeros((m, 4, 4), _F64)
        while k - pos >= 16:
            x = a[:, pos:pos + 16].reshape(m, 4, 4)
            quad = fma(x, np.broadcast_to(v[pos:pos + 16].reshape(4, 4), x.shape), quad)
            pos += 16
        acc = quad[:, 0:2] + quad[:, 2:4]  # A + C, B + D
    elif k >= 16:
        p = (a[:, :16] * v[:16]).reshape(m, 4, 4)
        acc = p[:, 0:2] + p[:, 2:4]  # blocks 0 and 2 into A, 1 and 3 into B, unfused
        pos = 16
    else:
        acc = np.zeros((m, 2, 4), _F64)
    turn = 0
    while pos < k:
        r = min(4, k - pos)
        x = a[:, pos:pos + r]
        acc[:, turn, :r] = fma(x, np.broadcast_to(v[pos:pos + r], x.shape), acc[:, turn, :r])
        pos += r
        turn ^= 1
    out = _fold(acc[:, 0]) + _fold(acc[:, 1])
    out += 0.0
    return out


def cols_split(m: int, k: int) -> bool | None:
    """Whether dgemv 'N' splits k between two threads for m outputs (the module's note):
    None where that is not measured."""
    if k <= COLS_CHAIN_K or m >= 1100 or (41 <= m <= 58 and k <= 416):
        return False
    if m <= 40 or 70 <= m <= 1000:
        return (m + 64) * k >= _SPLIT_WORK
    return None


def _chain(a: ndarray, v: ndarray) -> ndarray:
    m, k = a.shape
    acc = np.zeros(m, _F64)
    for j in range(k):
        acc = fma(a[:, j], np.broadcast_to(v[j], (m,)), acc)
    return acc


def mv_cols(a: ndarray, v: ndarray) -> ndarray | None:
    """a @ v for a float64 matrix read column-major (dgemv 'N') of at least two rows and
    a float64 vector: each output one fused multiply-add chain from +0, or two over k's
    halves where two threads split k (the module's note); None where not measured."""
    m, k = a.shape
    split = cols_split(m, k)
    if split is None or m < 2:
        return None
    if split:
        h = (k + 1) // 2
        out = _chain(a[:, :h], v[:h]) + _chain(a[:, h:], v[h:])
    else:
        out = _chain(a, v)
    out += 0.0
    return out


def gemv512(a: ndarray, v: ndarray) -> ndarray | None:
    """a @ v (float32 or float64, m, k ≥ 1) as MKL's sgemv / dgemv on its AVX-512 path
    computes it, or None where that is not modelled: a column-major a (strides one
    element and a column, as ATen tests it) takes 'N' (kernels/mkl_gemv512's mv_cols
    and mv_cols_wide, mv_cols here) where measured;
    else 'T' (mkl_gemv512.mv_rows, mv_rows)."""
    size = a.itemsize
    col = a.strides[0] == size and a.strides[1] >= max(1, a.shape[0]) * size
    if a.dtype is _F64:
        return mv_cols(a, v) if col else mv_rows(a, v)
    if col:
        if a.shape[0] < 16 or a.shape[1] <= 7:
            return mkl_gemv512.mv_cols(a, v)
        return mkl_gemv512.mv_cols_wide(a, v)
    return mkl_gemv512.mv_rows(a, v)
