"""PyTorch's CPU float sum loops (aten/src/ATen/native/cpu/SumKernel.cpp, as compiled for
AVX2: 8 float lanes, 4 double lanes): the cascade of multi_row_sum, row_sum's four
accumulators, the vectorised inner sum of a contiguous row and the outer sum of column
blocks. Each reduces axis 0 of an array, every trailing position independently, with
numpy's whole-slice adds (no per-element Python). Used by reductions.torch_sum (contiguous
layouts) and sum_walk (any other layout)."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad import dtypes

ndarray = np.ndarray

_f32 = dtypes.float32


def _seq(s: ndarray) -> Any:
    """The sequential float sum along axis 0, from 0 (PyTorch's += loop). Axis 0 is at
    most a cascade step long (16 or 32) but for the last level: a loop of whole-slice adds."""
    k = s.shape[0]
    if k == 0:
        return np.zeros(s.shape[1:], s.dtype)
    if k > 64:
        return np.add.accumulate(s, axis=0, dtype=s.dtype)[-1]
    acc = s[0].copy()
    for i in range(1, k):
        acc += s[i]
    return acc


def _blocks(s: ndarray, step: int) -> tuple[ndarray, ndarray]:
    g = s.shape[0] // step
    return s[:g * step].reshape(g, step, *s.shape[1:]).swapaxes(0, 1), s[g * step:]


def _multi_row_sum(r: ndarray) -> Any:
    size = r.shape[0]
    step = 1 << max(4, (size - 1).bit_length() // 4 if size > 1 else 0)
    if size < step:
        return _seq(r)
    full, tail = _blocks(r, step)
    s = _seq(full)  # one sum per block of `step` rows (level 0)
    partial = []
    for _ in range(2):  # levels 1 and 2 flush to the next every `step` sums
        full, rest = _blocks(s, step)
        partial.append(_seq(rest))
        s = _seq(full)
    acc = _seq(tail)
    for a in (partial[0], partial[1], _seq(s)):
        acc = acc + a
    return acc


def _row_sum(x: ndarray) -> Any:
    m = x.shape[0]
    k = m // 4
    p = _multi_row_sum(x[:k * 4].reshape(k, 4, *x.shape[1:]))
    acc = p[0]
    for i in range(k * 4, m):
        acc = acc + x[i]
    for j in (1, 2, 3):
        acc = acc + p[j]
    return acc


def _torch_sum0(a: ndarray) -> Any:
    """PyTorch's sum over axis 0 of a float array (each trailing position a row)."""
    n = a.shape[0]
    zero = np.zeros(a.shape[1:], a.dtype) if a.ndim > 1 else a.dtype.type(0)
    lanes = 8 if a.dtype == _f32 else 4
    if n < lanes:
        return zero + _row_sum(a)
    nv = n // lanes
    acc = _row_sum(a[:nv * lanes].reshape(nv, lanes, *a.shape[1:]))
    total = zero
    for k in range(nv * lanes, n):
        total = total + a[k]
    for k in range(lanes):
        total = total + acc[k]
    return zero + total


def _outer_sum(x: ndarray, lanes: int) -> Any:
    """PyTorch's vectorized_outer_sum (lanes 8 or 4) or scalar_outer_sum (lanes 1) of x
    (batch, rows, cols) over rows: blocks of four vectors (or four columns) through the
    cascade, the remaining columns by row_sum."""
    cols = x.shape[2]
    wide = cols // (4 * lanes) * (4 * lanes)
    out = np.zeros((x.shape[0], cols), x.dtype)
    r = x.swapaxes(0, 1)  # rows first: (rows, batch, cols)
    if wide:
        out[:, :wide] += _multi_row_sum(r[:, :, :wide])
    if wide < cols:
        out[:, wide:] += _row_sum(r[:, :, wide:])
    return out
