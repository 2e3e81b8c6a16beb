"""The summation order of torch 2.13's MKL (AVX2 build) dot products and row-major
matrix-vector products, emulated bit for bit with whole-array numpy operations.

Measured against torch on this machine's MKL 2024.2 (bench/blas_sweep.py keeps the
sweep; /tmp probes reconstructed each order from cancellation: H and -H among ones
lose every term added while ±H is in the running sum, which names the terms the two
meet with first). No fused multiply-add in either kernel: each product is rounded, then
added. All sums start from +0 (no -0 result).

sdot / ddot (torch.dot): `W` running sums (16 for float32, 8 for float64), product i in
sum i % W over the whole blocks of W; the rest in sums 0.. as whole vectors (float32: a
block of 8, then of 4; float64: blocks of 2), then one at a time into sum 0; the W sums
folded as 4 (float64: 2) vectors added one after another, then halved:
(s0 + s2) + (s1 + s3) (float64: s0 + s1).

sgemv / dgemv 'T' (torch.mv of a row-major matrix, matrix @ vector): rows in blocks of
four, each row's first p = (k - 1) % V + 1 products added one after another (V = 4
float32, 2 float64), then V running sums over the rest, sum 0 starting from the first
part, halved as above. The rows past the last block of four: the first V products one
after another, then over the next multiple of 8 products running sums halved to one,
then the rest one after another: rows in pairs, the first in 2V sums, the second in V; a
row left alone (the last of 1 or 3) in 8 (float64: added as 4 pairs, in pairs).
"""

from __future__ import annotations

from typing import Any

import numpy as np

ndarray = np.ndarray
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)


def _halved(s: ndarray) -> Any:
    """The last axis's running sums folded as a vector's horizontal sum: halves added
    until one is left ((s0 + s2) + (s1 + s3) for 4)."""
    while s.shape[-1] > 1:
        h = s.shape[-1] // 2
        s = s[..., :h] + s[..., h:]
    return s[..., 0]


def _in_sums(a: ndarray, v: ndarray, lanes: int, start: ndarray) -> ndarray:
    """a's rows (rows × a multiple of `lanes`) times v, summed in `lanes` running sums,
    product j in sum j % lanes, sum 0 starting from `start` (one value a row): (rows,
    lanes). The products are copied block by block (blocks, rows, lanes), so that the
    sums are one reduction along the outer axis: numpy adds those one block after
    another (its pairwise summation is for a contiguous inner axis only)."""
    rows = a.shape[0]
    blocks = a.shape[1] // lanes
    q = np.ascontiguousarray(np.multiply(a, v).reshape(rows, blocks, lanes).transpose(1, 0, 2))
    q[0, :, 0] += start
    return np.add.reduce(q, axis=0)


def _in_order(p: ndarray) -> ndarray:
    """Each row's products added one after another."""
    return np.add.accumulate(p, axis=1)[:, -1]


def dot(a: ndarray, b: ndarray) -> Any:
    """a · b for two float32 or float64 vectors of one dtype, in sdot's / ddot's order."""
    k = a.shape[0]
    f32 = a.dtype == _F32
    width = 16 if f32 else 8
    p = np.multiply(a, b)
    whole = k - k % width
    if whole:
        s = np.add.reduce(p[:whole].reshape(-1, width), axis=0)  # block after block
    else:
        s = np.zeros(width, a.dtype)
    pos = whole
    for block in ((8, 4) if f32 else (2,) * 3):
        if k - pos >= block:
            s[:block] += p[pos:pos + block]
            pos += block
    for i in range(pos, k):
        s[0] += p[i]
    v = s.reshape(-1, 4 if f32 else 2)
    acc = v[0]
    for row in v[1:]:
        acc = acc + row
    out = _halved(acc)
    return out + a.dtype.type(0)


def mv_rows(a: ndarray, v: ndarray) -> ndarray:
    """a @ v for a row-major float32/float64 matrix (m×k, k ≥ 1) and a vector of its
    dtype, in MKL's gemv order (the module's note)."""
    m, k = a.shape
    vec = 4 if a.dtype == _F32 else 2
    out = np.empty(m, a.dtype)
    m4 = m - m % 4
    if m4:
        head = (k - 1) % vec + 1
        start = _in_order(np.multiply(a[:m4, :head], v[:head]))
        out[:m4] = start if head == k else _halved(_in_sums(a[:m4, head:], v[head:], vec,
                                                            start))
    if m4 < m:
        head = min(vec, k)
        body = (k - head) // 8 * 8
        for j, r in enumerate(range(m4, m)):
            row = a[r:r + 1]
            s = _in_order(np.multiply(row[:, :head], v[:head]))
            if body:
                single = j == 2 or m - m4 == 1
                lanes = 8 if single else vec * 2 if j == 0 else vec
                sums = _in_sums(row[:, head:head + body], v[head:head + body], lanes, s)
                if single and vec == 2:  # dgemv's one-row kernel: 4 pairs, added in pairs
                    q = sums.reshape(1, 4, 2)
                    sums = (q[:, 0] + q[:, 1]) + (q[:, 2] + q[:, 3])
                s = _halved(sums)
            if head + body < k:
                tail = np.multiply(row[:, head + body:], v[head + body:])
                s = _in_order(np.concatenate([s[:, None], tail], axis=1))
            out[r] = s[0]
    out += 0.0
    return out
