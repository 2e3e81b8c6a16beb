"""PyTorch's nll_loss_out_frame sums (aten/src/ATen/native/LossNLL.cpp): the batch's
loss and weight totals by a cascade of 8 partial sums, in the input's dtype."""

from __future__ import annotations

from typing import Any

import numpy as np

ndarray = np.ndarray
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)


def nll_cascade(loss: ndarray, w: ndarray, keep: ndarray, weighted: bool) -> tuple[Any, Any]:
    """The batch's loss and weight sums as PyTorch's nll_loss adds them: a cascade of 8
    partial sums, level j flushed into level j + 1 at every row whose index has its j-th
    group of bits all zero, the levels then added in order. Rows run in order, in the
    input's dtype (numpy scalars of it round as PyTorch's do)."""
    n = loss.shape[0]
    power = max(4, (max(n, 1) - 1).bit_length() // 8)
    if n and loss.dtype in (_F32, _F64) and w.dtype == loss.dtype and keep.all():
        total = _cascade_levels(loss, power)
        if not weighted:
            return total, loss.dtype.type(n)
        return total, _cascade_levels(w, power)
    return cascade_loop(loss, w, keep, weighted)


def cascade_loop(loss: ndarray, w: ndarray, keep: ndarray, weighted: bool) -> tuple[Any, Any]:
    """nll_cascade row by row (ignored rows, other dtypes; the tests' reference)."""
    n = loss.shape[0]
    power = max(4, (max(n, 1) - 1).bit_length() // 8)
    mask = (1 << power) - 1
    zero = loss.dtype.type(0)
    sums, weights = [zero] * 8, [zero] * 8
    ignored = 0
    rows, ws, kept = loss.tolist(), w.tolist(), keep.tolist()
    cast = loss.dtype.type
    for b in range(n):
        if not kept[b]:
            ignored += 1
            continue
        sums[0] = cast(sums[0] + cast(rows[b]))
        weights[0] = cast(weights[0] + cast(ws[b]))
        for j in range(7):
            if b & (mask << (j * power)):
                break
            sums[j + 1] = cast(sums[j + 1] + sums[j])
            weights[j + 1] = cast(weights[j + 1] + weights[j])
            sums[j] = weights[j] = zero
    total = zero
    for v in sums:
        total = cast(total + v)
    if not weighted:
        return total, cast(n - ignored)
    weight_total = zero
    for v in weights:
        weight_total = cast(weight_total + v)
    return total, weight_total


def _cascade_levels(x: ndarray, power: int) -> Any:
    """nll_cascade's total of x (every row kept) on whole arrays. Level 0 flushes at rows
    0, 2^power, 2·2^power, ...: its flushed values are the in-order sums of the chunks
    [x0], [x1..x_step], [x_step+1..x_2step], ... and the values level 1 receives, which
    flushes them by the same rule on their own index; each level keeps the sum of what
    followed its last flush, and the eight kept sums are added in order. In-order sums
    are np.add.accumulate's (a loop in the dtype, no pairwise blocks), from +0 as the
    loop's (x + 0 makes a -0 +0)."""
    step = 1 << power
    cast = x.dtype.type
    zero = cast(0)
    x = np.add(x, zero)
    kept = []
    for level in range(8):
        m = x.shape[0]
        if level == 7 or m <= 1:  # one value: flushed up to level 7, which keeps it
            kept.append(np.add.accumulate(x)[-1] if m else zero)
            break
        chunks = (m - 1) // step
        tail = x[1 + chunks * step:]
        kept.append(np.add.accumulate(tail)[-1] if tail.shape[0] else zero)
        flushed = np.empty(chunks + 1, x.dtype)
        flushed[0] = x[0]
        if chunks:
            flushed[1:] = np.add.accumulate(x[1:1 + chunks * step].reshape(chunks, step),
                                            axis=1)[:, -1]
        x = flushed
    total = zero
    for v in kept:
        total = cast(total + v)
    return total
