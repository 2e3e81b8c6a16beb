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
rows past the last block of four otherwise (n ≥ 12 a multiple of 4, m ≥ 5, except the
small products that chain: leftover_chains).
"""

from __future__ import annotations

from typing import Any

import numpy as np

ndarray = np.ndarray


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


def lane_columns(a: ndarray, b: ndarray) -> ndarray:
    """a @ b (float32, b a transposed view, n < 12 not a multiple of 4): the blocks of four
    columns in 4 running sums, the columns past them in 8 (lane_rows)."""
    n = b.shape[1]
    n4 = n - n % 4
    if not n4:
        return lane_rows(a, b, 0, 8)
    out = np.empty((a.shape[0], n), a.dtype)
    out[:, :n4] = lane_rows(a, b[:, :n4], 0)
    out[:, n4:] = lane_rows(a, b[:, n4:], 0, 8)
    return out


def leftover_chains(m: int, n: int, k: int) -> bool:
    """Whether the rows past the last block of four chain in fused multiply-adds too
    (with n ≥ 12, m ≥ 5, k ≤ 192): from 12 rows on, or for products of at most 16 columns
    and 16 terms; else they sum as lane_rows (a @ bᵀ) or one product after another."""
    return m >= 12 or (n <= 16 and k <= 16)


def chain_then_leftover(a: ndarray, b: ndarray, b_t: bool, chain: Any, in_order: Any) -> ndarray:
    """a @ b (float32, n ≥ 12, m ≥ 5 not a multiple of 4): the blocks of four rows in
    `chain` (the fused multiply-add chains), the rows past them as MKL sums them."""
    m, k = a.shape
    n = b.shape[1]
    m4 = m - m % 4
    if leftover_chains(m, n, k):
        return chain(a, b)
    out = np.empty((m, n), a.dtype)
    out[:m4] = chain(a[:m4], b)
    out[m4:] = lane_rows(a[m4:], b, m4) if b_t else in_order(a[m4:], b)
    return out
