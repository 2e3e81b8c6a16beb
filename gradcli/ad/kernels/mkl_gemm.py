"""The summation order of torch 2.13's MKL (AVX2 build) float32 sgemm where the rows are
not all in the fused multiply-add chains of kernels/linalg._fma_chain, emulated bit for
bit with whole-array numpy operations (measured against torch: bench/blas_sweep.py; the
orders were read off cancellation probes, as kernels/mkl_gemv's).

a @ bᵀ (a row-major, b a transposed view: nn.Linear's x @ Wᵀ), m ≥ 2: each output's
products, no fused multiply-add, a row's first products up to the next 16-byte boundary
of the row one after another (PyTorch's tensors start 64-byte aligned, so row r's first
(-r·k) mod 4), then 4 running sums (8 for the columns past the last block of four;
sum 0 starting from that first part) over whole blocks, halved ((s0 + s2) + (s1 + s3)),
then the rest one after another: every output when n < 12 or m ≤ 3 (lane_columns), the
rows past the last block of four otherwise (n ≥ 12, m ≥ 5, except the small products
that chain: leftover_chains).

a @ b (b row-major: X @ W, and the weight gradient xᵀ @ g of nn.Linear(k, n)), n < 12
(float32 and float64 alike), the rows past the last block of four and products of 1-3
rows: each output's products one after another, no fused multiply-add, whatever k
(in_order), except the columns a row of the result starts with up to its 16-byte
boundary when at least 16 bytes follow (float32: row r's first (-r·n) mod 4 columns;
float64: (-r·n) mod 2): there the products go in blocks of four, the even blocks into
the running sum one after another, each odd one summed apart and then added
(peeled_columns; measured exact for m up to 2048, n 2..11, k up to 5000).

Not modelled yet (bench/blas_sweep.py's float64 rows): float64 dgemm with n ≥ 12 chains
each output of the blocks of four rows and of 12 columns in fused multiply-adds from +0
(the other outputs as peeled_columns; measured on 9 shapes up to k = 300), and float64
a @ bᵀ sums columns in 2 lanes (its own pattern for the columns past a block of four).
"""

from __future__ import annotations

from typing import Any

import numpy as np

ndarray = np.ndarray


_CHUNK = 1 << 16  # products a block of in_order: the block's products stay in cache


def sum_outer(q: ndarray) -> ndarray:
    """q's sums along its first axis, one row after another (numpy's add reduction along
    an outer axis; a single column is a contiguous run, which it would sum pairwise)."""
    if q[0].size == 1:
        return np.add.accumulate(q, axis=0)[-1]
    return np.add.reduce(q, axis=0)


def in_order(a: ndarray, b: ndarray) -> ndarray:
    """a @ b (2-D, one float dtype) with each output's products added one after another
    in k's order, from +0, no fused multiply-add. The products of a block of k are laid
    out (k, n, m) (or (k, m, n) when n > m, the longer axis inside) so that one add
    reduction along the outer axis sums them k after k (numpy's pairwise summation is
    for a contiguous inner axis only); the block before starts the next's first row."""
    m, k = a.shape
    n = b.shape[1]
    wide = n > m
    x = np.ascontiguousarray(a.T)[:, :, None] if wide else b[:, :, None]  # (k, ·, 1)
    y = b[:, None, :] if wide else np.ascontiguousarray(a.T)[:, None, :]  # (k, 1, ·)
    step = max(1, _CHUNK // max(1, m * n))
    buf = np.empty((min(step, k), *((m, n) if wide else (n, m))), a.dtype)
    acc = None
    for s in range(0, k, step):
        q = buf[:min(step, k - s)]
        np.multiply(x[s:s + step], y[s:s + step], out=q)
        if acc is not None:
            q[0] += acc
        acc = sum_outer(q)
    out = acc if wide else acc.T.copy()  # C-contiguous, as BLAS's result
    out += 0.0  # the sums start from +0: no output is -0
    return out


def alternate_blocks(p: ndarray) -> ndarray:
    """Sums of the rows of p (products, rows × k) in blocks of four: the even blocks (and
    the last part block) into the running sum one after another, each odd whole block
    summed apart and then added (MKL's kernel for a row's peeled columns)."""
    rows, k = p.shape
    blocks = k // 4
    whole = p[:, :4 * blocks].reshape(rows, blocks, 4)
    odd = whole[:, 1::2]
    odd_sums = ((odd[:, :, 0] + odd[:, :, 1]) + odd[:, :, 2]) + odd[:, :, 3]
    # the terms in order, an odd block as its sum and three zeros (adding +0 keeps a
    # nonzero sum; the result's zero sign is +0 anyway)
    terms = np.zeros((blocks, 4, rows), p.dtype)
    terms[0::2] = whole[:, 0::2].transpose(1, 2, 0)
    terms[1::2, 0] = odd_sums.T
    seq = np.concatenate([terms.reshape(4 * blocks, rows), p[:, 4 * blocks:].T])
    out = sum_outer(seq)
    out += 0.0
    return out


def peeled_columns(a: ndarray, b: ndarray, first: int = 0) -> ndarray:
    """a @ b (float32 or float64, b row-major; n < 12, or the rows past the last block of
    four) as the module's note: in_order, the columns a row of the result peels to its
    16-byte boundary (float64: 2 columns) in alternate_blocks (a's rows numbered from
    `first` in their matrix)."""
    m, k = a.shape
    n = b.shape[1]
    out = in_order(a, b)
    width = 16 // a.itemsize  # a 16-byte vector: 4 float32, 2 float64
    peel = (-np.arange(first, first + m) * n) % width
    peel[n - peel < width] = 0
    if k >= 8 and peel.any():  # below 8 products there is no odd whole block
        r, j = np.nonzero(np.arange(n) < peel[:, None])
        out[r, j] = alternate_blocks(a[r] * b[:, j].T)
    return out


def lane_rows(a: ndarray, b: ndarray, first: int, lanes: int = 4) -> ndarray:
    """a @ b (float32, a's rows numbered from `first` in their matrix) in the running
    sums of the module's note: 4 (8 for the columns past the last block of four)."""
    m, k = a.shape
    n = b.shape[1]
    out = np.empty((m, n), a.dtype)
    rows = np.arange(first, first + m)
    peels = (-rows * k) % 4
    for peel in np.unique(peels):
        sel = np.flatnonzero(peels == peel)
        ar = a[sel]
        peel = min(int(peel), k)
        s = np.zeros((len(sel), n), a.dtype)
        for j in range(peel):
            s = s + ar[:, j, None] * b[j]
        blocks = (k - peel) // lanes
        if blocks:
            body = ar[:, peel:peel + lanes * blocks].reshape(len(sel), blocks, lanes)
            bb = b[peel:peel + lanes * blocks].reshape(blocks, lanes, n)
            # products laid out (blocks, rows, 4, n): one reduction along the outer axis
            # adds them block after block (numpy's pairwise sums are for an inner axis)
            q = np.multiply(body.transpose(1, 0, 2)[:, :, :, None], bb[:, None, :, :],
                            order="C")
            q[0, :, 0] += s
            sums = np.add.reduce(q, axis=0)
            while sums.shape[1] > 1:  # halved: (s0 + s2) + (s1 + s3) for 4
                h = sums.shape[1] // 2
                sums = sums[:, :h] + sums[:, h:]
            s = sums[:, 0]
        for j in range(peel + lanes * blocks, k):
            s = s + ar[:, j, None] * b[j]
        out[sel] = s
    out += 0.0
    return out


def lane_columns(a: ndarray, b: ndarray, first: int = 0) -> ndarray:
    """a @ b (float32, b a transposed view; n < 12, or the rows past the last block of
    four): the blocks of four columns in 4 running sums, the columns past them in 8
    (lane_rows; a's rows numbered from `first` in their matrix)."""
    n = b.shape[1]
    n4 = n - n % 4
    if not n4:
        return lane_rows(a, b, first, 8)
    if n4 == n:
        return lane_rows(a, b, first)
    out = np.empty((a.shape[0], n), a.dtype)
    out[:, :n4] = lane_rows(a, b[:, :n4], first)
    out[:, n4:] = lane_rows(a, b[:, n4:], first, 8)
    return out


def leftover_chains(m: int, n: int, k: int) -> bool:
    """Whether the rows past the last block of four chain in fused multiply-adds too
    (with n ≥ 12, m ≥ 5): from 12 rows on, or for products of at most 16 columns
    and 16 terms, or 100 columns and 4 terms; else they sum as lane_rows (a @ bᵀ) or as
    peeled_columns (measured with PyTorch's default two threads; with one, they chain)."""
    return m >= 12 or (n <= 16 and k <= 16) or (n <= 100 and k <= 4)


def chain_then_leftover(a: ndarray, b: ndarray, b_t: bool, chain: Any) -> ndarray:
    """a @ b (float32, n ≥ 12, m ≥ 5 not a multiple of 4): the blocks of four rows in
    `chain` (the fused multiply-add chains), the rows past them as MKL sums them."""
    m, k = a.shape
    n = b.shape[1]
    m4 = m - m % 4
    if leftover_chains(m, n, k):
        return chain(a, b)
    out = np.empty((m, n), a.dtype)
    out[:m4] = chain(a[:m4], b)
    out[m4:] = lane_columns(a[m4:], b, m4) if b_t else peeled_columns(a[m4:], b, m4)
    return out
