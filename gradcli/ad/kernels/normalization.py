"""Normalization kernels as PyTorch's CPU kernels compute them: layer_norm's row-wise
moments (Welford in vectors and chunks) and batch_norm's statistics, running averages and
backward (per-thread chunks, double accumulators, fused multiply-adds). Split from nn.py."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.nn import _as
from gradcli.ad.kernels.vecmath import lanes, reduce_sum_lastdim, threads

ndarray = np.ndarray


_MOMENT_CHUNK = 16  # vectors a Welford chunk (ATen's kChunkSize)


def _add_moments(n0: int, m1: Any, m2: Any, k0: int, k1: Any, k2: Any,
                 fused: bool) -> tuple[int, Any, Any]:
    """ATen's AddMoments(Vec): the moments (n0, m1, m2) merged into (k0, k1, k2); `fused`
    for the scalar merge, its multiply-adds contracted into FMAs as compiled; the vector
    merge (AddMomentsVec) as compiled rounds m2 + k2 first and adds (delta·c)·(delta·k0) to
    it in one FMA (measured against torch 2.13 on 2 to 16 chunks, and on chunk counts that
    are not powers of two, where c is not a power of two either)."""
    dt = k1.dtype.type
    n = n0 + k0
    c = dt(0) if n == 0 else dt(n0) / dt(n)
    delta = m1 - k1
    if not fused:
        return n, k1 + c * delta, fma(delta * c, delta * dt(k0), m2 + k2)
    return n, fma(c, delta, k1), k2 + fma(delta * delta * c, dt(k0), m2)


def rowwise_moments(rows: ndarray) -> tuple[ndarray, ndarray]:
    """(mean, biased variance) of each row of a float32/float64 matrix as PyTorch's CPU
    RowwiseMoments computes them (layer_norm's statistics): Welford over vectors of 8
    floats (4 doubles) in chunks of 16, the chunks merged by a cascade, then the scalar
    tail and the lanes merged one by one; the vector updates and the lanes' mean merge
    contracted into FMAs as compiled (measured against torch 2.13)."""
    m_rows, width = rows.shape
    dt = rows.dtype.type
    lanes = 8 if rows.dtype == np.float32 else 4
    nvec = width // lanes
    chunks = -(-nvec // _MOMENT_CHUNK)
    depth = 1 if chunks <= 2 else (chunks - 1).bit_length()
    zero = np.zeros((m_rows, lanes), rows.dtype)
    stack = [[0, zero, zero] for _ in range(depth)]
    vecs = rows[:, :nvec * lanes].reshape(m_rows, nvec, lanes)
    for i in range(chunks):
        m1 = m2 = zero
        count = min(_MOMENT_CHUNK, nvec - i * _MOMENT_CHUNK)
        for j in range(count):
            xv = vecs[:, i * _MOMENT_CHUNK + j]
            delta = xv - m1
            m1 = fma(delta, dt(1) / dt(j + 1), m1)
            m2 = fma(delta, xv - m1, m2)
        stack[0] = list(_add_moments(count, m1, m2, *stack[0], fused=False))
        mask, j = i + 1, 1
        while j < depth and mask & 1 == 0:
            stack[j] = list(_add_moments(*stack[j - 1], *stack[j], fused=False))
            stack[j - 1] = [0, zero, zero]
            mask >>= 1
            j += 1
    for j in range(1, depth):
        stack[0] = list(_add_moments(*stack[j], *stack[0], fused=False))
    k0, k1, k2 = 0, np.zeros(m_rows, rows.dtype), np.zeros(m_rows, rows.dtype)
    for i in range(nvec * lanes, width):
        xs = rows[:, i]
        delta = xs - k1
        k0 += 1
        k1 = k1 + delta / dt(k0)
        k2 = k2 + delta * (xs - k1)
    for lane in range(lanes):
        k0, k1, k2 = _add_moments(nvec, stack[0][1][:, lane], stack[0][2][:, lane],
                                  k0, k1, k2, fused=True)
    return k1, k2 / dt(width)


def layer_norm(x: Any, w: Any, b: Any, dims: tuple[int, ...], eps: float) -> ndarray:
    """(x - mean)·rstd · w + b over the trailing `dims` (biased variance), as PyTorch's
    CPU kernel: RowwiseMoments' statistics, the affine step one FMA."""
    x = np.asarray(x)
    k = x.ndim - len(dims)
    rows = x.reshape(int(np.prod(x.shape[:k], dtype=np.int64)), math.prod(x.shape[k:]))
    if x.dtype.kind != "f" or x.dtype == np.float16 or not rows.shape[1]:
        mu = rows.mean(axis=1) if rows.shape[1] else np.zeros(rows.shape[0], x.dtype)
        var = rows.var(axis=1) if rows.shape[1] else np.zeros(rows.shape[0], x.dtype)
    else:
        mu, var = rowwise_moments(rows)
    shape = x.shape[:k] + (1,) * len(dims)
    rstd = 1 / np.sqrt(var.reshape(shape) + x.dtype.type(eps))
    y = (x - mu.reshape(shape)) * rstd
    if w is not None:
        y = fma(y, np.asarray(w, x.dtype), np.zeros((), x.dtype) if b is None
                else np.asarray(b, x.dtype))
    elif b is not None:
        y = y + b
    return _as(y, x)


def batch_stats(x: Any) -> tuple[ndarray, ndarray, int]:
    """Per-channel (dim 1) mean, sum of squared deviations and count, as PyTorch's
    batch_norm_cpu_collect_stats sums them. An (N, C) input (one value per channel and
    sample: its channels-last path) is split by rows into one chunk per thread (parallel_for
    with grain 1), each chunk summed in the dtype (the squared deviations by fused
    multiply-adds), the chunks' sums added in double; other inputs are summed channel by
    channel in double, in order (the squares rounded to the dtype first; float64 planes of
    odd length fuse their last square into the sum, _odd_plane_squares). The mean is
    rounded to the dtype before the deviations are taken."""
    x = np.asarray(x)
    c = x.shape[1]
    count = x.size // c if c else 0
    dt = x.dtype
    if (dt != np.float32 and dt != np.float64) or not count:
        rows = np.moveaxis(x, 1, 0).reshape(c, count)
        if not c or not count:  # no channels, or no values: 0/0 statistics
            return np.full(c, np.nan, dt), np.full(c, np.nan, dt), count
        mean = np.cumsum(rows, axis=1)[:, -1] / rows.shape[1]
        dev = rows - mean[:, None]
        return mean, np.cumsum(dev * dev, axis=1)[:, -1], rows.shape[1]
    if not x.flags.c_contiguous and not _channels_last(x):
        return _strided_stats(x, count)
    if count == x.shape[0] or not x.flags.c_contiguous:  # (N, C), or channels-last: (NHW, C)
        if count <= threads():
            return _few_rows_stats(np.moveaxis(x, 1, -1).reshape(count, c))
        rows = np.moveaxis(x, 1, -1).reshape(count, c)
        size = -(-count // min(threads(), count))
        chunks = [rows[b:b + size] for b in range(0, count, size)]
        total = np.zeros(c, np.float64)
        for part in chunks:
            total += np.cumsum(part, axis=0)[-1]
        mean = (total / count).astype(dt)
        total = np.zeros(c, np.float64)
        for part in chunks:
            acc = np.zeros(c, dt)
            for row in part - mean:
                acc = fma(row, row, acc)
            total += acc
        return mean, total.astype(dt), count
    rows = np.moveaxis(x, 1, 0).reshape(c, count)
    mean = (np.cumsum(rows, axis=1, dtype=np.float64)[:, -1] / count).astype(dt)
    dev = rows - mean[:, None]
    plane = count // x.shape[0]
    if dt == np.float64 and plane % 2:
        return mean, _odd_plane_squares(dev.reshape(c, x.shape[0], plane)), count
    return mean, np.cumsum(dev * dev, axis=1, dtype=np.float64)[:, -1].astype(dt), count


def _channels_last(x: ndarray) -> bool:
    """Whether x (4 or 5 dims) is laid out channels-last, which ATen counts as contiguous."""
    return x.ndim in (4, 5) and np.moveaxis(x, 1, -1).flags.c_contiguous


def _strided_stats(x: ndarray, count: int) -> tuple[ndarray, ndarray, int]:
    """batch_stats of an input ATen does not count as contiguous (a permuted view): the mean
    is at::mean's (PyTorch's sum over the other dims, reductions.torch_sum, divided in the
    dtype), the squared deviations from it summed in double, each channel's elements in
    memory order (cpu_serial_kernel); the sum stays double (float64 returned)."""
    from gradcli.ad.kernels.reductions import torch_sum

    c = x.shape[1]
    mean = (torch_sum(x, tuple(d for d in range(x.ndim) if d != 1))
            / x.dtype.type(count)).astype(x.dtype)
    sl = np.moveaxis(x, 1, 0)
    order = sorted(range(1, sl.ndim), key=lambda a: -sl.strides[a])
    flat = np.transpose(sl, [0, *order]).reshape(c, count).astype(np.float64)
    dev = flat - mean.astype(np.float64)[:, None]
    return mean, np.cumsum(dev * dev, axis=1)[:, -1], count


def _few_rows_stats(rows: ndarray) -> tuple[ndarray, ndarray, int]:
    """batch_stats of an (N, C) input with no more rows than threads: with at most 16
    channels (or more than 2048, or one thread) ATen sums the rows in the dtype, divides by
    N there and fuses each squared deviation into its sum; else (Method 1) it sums each
    channel in double, then the squared deviations (rounded to the dtype) in double."""
    n, c = rows.shape
    dt = rows.dtype.type
    if threads() == 1 or c <= 16 or c > 2048:
        total = np.zeros(c, rows.dtype)
        for row in rows:
            total = total + row
        mean = total / dt(n)
        acc = np.zeros(c, rows.dtype)
        for row in rows - mean:
            acc = fma(row, row, acc)
        return mean, acc, n
    mean = (np.cumsum(rows, axis=0, dtype=np.float64)[-1] / n).astype(rows.dtype)
    dev = rows - mean
    return mean, np.cumsum(dev * dev, axis=0, dtype=np.float64)[-1].astype(rows.dtype), n


def _odd_plane_squares(dev: ndarray) -> ndarray:
    """Σ dev² over each channel's (sample, plane) deviations as the compiled double loop of
    batch_norm_cpu_collect_stats_contiguous_impl adds them: the plane's loop runs two
    elements a step, each square rounded and added; an odd plane's last square is fused
    into the sum (one FMA)."""
    c, n = dev.shape[:2]
    squares = dev[..., :-1] * dev[..., :-1]
    total = np.zeros(c, dev.dtype)
    for i in range(n):
        total = np.cumsum(np.concatenate([total[:, None], squares[:, i]], axis=1), axis=1)[:, -1]
        total = fma(dev[:, i, -1], dev[:, i, -1], total)
    return total


def _batch_invstd(m2: ndarray, n: int, eps: float, dtype: Any = None) -> ndarray:
    """1/√(var + eps) of batch statistics as PyTorch's InvStd takes it: var = var_sum / n in
    var_sum's dtype (double for a strided input's, batch_stats), the rest in double,
    rounded to the dtype (`dtype`, else var_sum's)."""
    var = m2 / n
    if m2.dtype.kind != "f":
        return 1 / np.sqrt(var + eps)
    return (1 / np.sqrt(np.asarray(var, np.float64) + eps)).astype(dtype or m2.dtype)


def _backward_stats(x: ndarray, mean: Any, var: Any, training: bool, eps: float
                    ) -> tuple[ndarray, ndarray]:
    """The per-channel mean and 1/std batch_norm's backward kernels use: the batch's own
    in training, else the running ones (invstd computed in float64, rounded once)."""
    if training:
        m, m2, n = batch_stats(x)
        return m, _batch_invstd(m2, n, eps, m.dtype)
    dt = x.dtype
    return (np.asarray(mean, dt),
            (1 / np.sqrt(np.asarray(var, np.float64) + eps)).astype(dt))


def batch_norm_backward(g: Any, x: Any, w: Any, mean: Any, var: Any, training: bool,
                        eps: float) -> tuple[ndarray, ndarray, ndarray] | None:
    """(dx, dw, db) of batch_norm as PyTorch's CPU kernel computes them for an (N, C) input
    of float32 or float64 (its channels-last path: one value per channel and sample), else
    None. Σg and Σ(x - mean)·g are summed per thread's chunk of rows in the dtype (the
    products by fused multiply-adds), the chunks added in double; dx = (g - Σg/N - (x -
    mean)·k)·invstd·w with k = Σ(x - mean)g·invstd²/N, the subtraction of (x - mean)·k fused
    on whole vectors' channels (not on the remaining ones); dw = Σ(x - mean)g·invstd,
    db = Σg. In eval mode the running statistics stand for the batch's."""
    x = np.asarray(x)
    dt = x.dtype
    if (dt != np.float32 and dt != np.float64) or x.ndim < 2 or not x.shape[1]:
        return None
    c = x.shape[1]
    count = x.size // c
    if count and not x.flags.c_contiguous and not _channels_last(x):
        return _strided_backward(np.ascontiguousarray(g, dt), x, w, mean, var, training, eps)
    if count and count != x.shape[0]:
        return _batch_norm_backward_planes(g, x, w, mean, var, training, eps)
    if not count:
        return None
    rows = x.reshape(count, c)
    dy = np.asarray(g, dt).reshape(count, c)
    m, invstd = _backward_stats(x, mean, var, training, eps)
    size = -(-count // min(threads(), count))
    total = np.zeros(c, np.float64)
    dotp = np.zeros(c, np.float64)
    for b in range(0, count, size):
        part = dy[b:b + size]
        total += np.cumsum(part, axis=0)[-1]
        acc = np.zeros(c, dt)
        for xi, gi in zip(rows[b:b + size] - m, part, strict=True):
            acc = fma(xi, gi, acc)
        dotp += acc
    total = total.astype(dt)
    dotp = dotp.astype(dt)
    wv = np.ones(c, dt) if w is None else np.asarray(w, dt)
    if training:
        k = dotp * invstd * invstd / dt.type(count)
        xm = rows - m
        base = dy - total / dt.type(count)
        t = base - xm * k
        v = c // lanes(dt) * lanes(dt)
        if v:
            t[:, :v] = fma(-xm[:, :v], k[:v], base[:, :v])
        dx = t * invstd * wv
    else:
        dx = dy * invstd * wv
    return dx.reshape(x.shape), dotp * invstd, total


def _batch_norm_backward_planes(g: Any, x: ndarray, w: Any, mean: Any, var: Any,
                                training: bool, eps: float
                                ) -> tuple[ndarray, ndarray, ndarray]:
    """batch_norm_cpu_backward_contiguous_impl (an (N, C, *) input with planes of more than
    one value): per channel, over the samples in order, sum += reduce_all(dy plane) and
    dotp += map2_reduce_all((x - mean)·dy) (each plane's in the dtype, the sums over the
    samples in double); dx = (dy - sum/N - (x - mean)·k)
    · invstd · w on whole planes as vectors (the (x - mean)·k fused into the subtraction),
    k = dotp·invstd·invstd/N; dw = dotp·invstd, db = sum. float32 bit for bit; float64's
    dotp (so dx and dw) still differs in 2% of the last bits (its vector sums' contraction
    differs from float32's: not yet measured)."""
    dt = x.dtype
    n, c = x.shape[0], x.shape[1]
    planes = x.reshape(n, c, -1)
    count = dt.type(planes.shape[0] * planes.shape[2])
    dy = np.asarray(g, dt).reshape(planes.shape)
    m, invstd = _backward_stats(x, mean, var, training, eps)
    xm = (planes - m[:, None]).astype(dt)
    sums = reduce_sum_lastdim(dy).astype(np.float64)
    dots = product_sum(xm, dy).astype(np.float64)
    total = sums[0].copy()
    dotp = dots[0].copy()
    for i in range(1, n):
        total += sums[i]
        dotp += dots[i]
    wv = np.ones(c, dt) if w is None else np.asarray(w, dt)
    if training:
        k = (dotp.astype(dt) * invstd * invstd / count).astype(dt)
        grad_mean = (total / float(count)).astype(dt)
        base = dy - grad_mean[:, None]
        dx = fma(-xm, np.broadcast_to(k[:, None], xm.shape), base)
        dx = dx * invstd[:, None] * wv[:, None]
    else:
        dx = dy * invstd[:, None] * wv[:, None]
    return (dx.astype(dt).reshape(x.shape), (dotp * invstd.astype(np.float64)).astype(dt),
            total.astype(dt))


def product_sum(p: ndarray, q: ndarray) -> ndarray:
    """Σ p·q over the last dim as vec::map2_reduce_all(x·y, +) runs compiled: the products of
    whole vectors added in their lanes, the tail's product and sum one FMA into the first
    lanes, the lanes folded as reduce_all folds them (a row shorter than a vector: its
    products summed left to right)."""
    n = p.shape[-1]
    width = lanes(p.dtype)
    full = n - n % width
    if not full or full == n:
        return reduce_sum_lastdim(p * q)
    blocks = (p[..., :full] * q[..., :full]).reshape(*p.shape[:-1], full // width, width)
    acc = blocks[..., 0, :].copy()
    for i in range(1, full // width):
        acc += blocks[..., i, :]
    acc[..., :n - full] = fma(p[..., full:], q[..., full:], acc[..., :n - full])
    return reduce_sum_lastdim(acc)


def layer_norm_backward(g: Any, x: Any, w: Any, dims: tuple[int, ...],
                        eps: float) -> tuple[ndarray, ndarray, ndarray] | None:
    """(dx, dw, db) of layer_norm over the trailing `dims` as PyTorch's CPU kernel
    (layer_norm_backward_frame) computes them for float32/float64, else None, its
    multiply-adds contracted into FMAs as compiled (measured against torch 2.13). Per row:
    ds = Σ g·x·w and db = Σ g·w (product_sum); a = rstd,
    b = (db·mean - ds)·a³/N, c = -b·mean - db·a/N; dx = a·g·w + b·x + c. dw (terms
    g·(a·x - a·mean)) and db are summed row by row into one buffer per thread's chunk of
    rows, the buffers then added."""
    x = np.asarray(x)
    dt = x.dtype
    if (dt != np.float32 and dt != np.float64) or not x.size:
        return None
    k = x.ndim - len(dims)
    m = int(np.prod(x.shape[:k], dtype=np.int64))
    rows = x.reshape(m, math.prod(x.shape[k:]))
    n = rows.shape[1]
    dy = np.asarray(g, dt).reshape(m, n)
    mean, var = rowwise_moments(rows)
    a = (1 / np.sqrt(var + dt.type(eps))).astype(dt)
    wv = None if w is None else np.asarray(w, dt).reshape(n)
    if wv is None:
        ds, db = product_sum(dy, rows), reduce_sum_lastdim(dy)
    else:
        wb = np.broadcast_to(wv, dy.shape)
        ds, db = product_sum(dy * rows, wb), product_sum(dy, wb)
    scale = dt.type(1) / dt.type(n)
    b = fma(db, mean, -ds) * a * a * a * scale
    c = fma(-b, mean, -(db * a * scale))
    agw = a[:, None] * dy if wv is None else a[:, None] * dy * wv
    dx = fma(b[:, None], rows, agw) + c[:, None]
    terms = fma(np.broadcast_to(a[:, None], rows.shape), rows, (-a * mean)[:, None])
    size = -(-m // min(threads(), m))
    dw = np.zeros(n, dt)
    dbias = np.zeros(n, dt)
    for start in range(0, m, size):
        acc = np.zeros(n, dt)
        for i in range(start, min(m, start + size)):
            acc = fma(dy[i], terms[i], acc)
        dw = dw + acc
        dbias = dbias + np.cumsum(dy[start:start + size], axis=0)[-1]
    return dx.reshape(x.shape), dw.reshape(x.shape[k:]), dbias.reshape(x.shape[k:])


def exact_value(x: Any, value: Any, base: Any, name: str) -> Any:
    """value where x is base (what a VJP computed value's formula from), else x moved by
    as much (so the rule's derivative is x's)."""
    if x is base or np.array_equal(x, base, equal_nan=True):
        return value
    return (x + (value - base)).astype(x.dtype)


def running_mean(rm: ndarray, mean: ndarray, momentum: float) -> ndarray:
    """BatchNorm's new running mean as PyTorch's CPU update computes it, in the dtype:
    momentum · mean + (1 - momentum) · running_mean, 1 - momentum taken in the dtype."""
    dt = rm.dtype
    mom = np.asarray(momentum, dt)
    return (mom * mean.astype(dt) + (np.asarray(1, dt) - mom) * rm).astype(dt)


def running_var(rv: ndarray, m2: ndarray, n: int, momentum: float) -> ndarray:
    """BatchNorm's new running variance as PyTorch's CPU update computes it: the unbiased
    variance (var_sum / (n - 1) in the dtype) times the momentum in double, plus
    (1 - momentum) · running_var in the dtype."""
    dt = rv.dtype
    unbiased = (m2 / max(n - 1, 1)).astype(dt)
    mom = np.asarray(momentum, dt)
    kept = ((np.asarray(1, dt) - mom) * rv).astype(dt)
    if dt.kind == "f":
        return (mom.astype(np.float64) * unbiased + kept).astype(dt)
    return (mom * unbiased + kept).astype(dt)


def batch_norm(x: Any, w: Any, b: Any, mean: Any, var: Any, training: bool,
               eps: float) -> ndarray:
    """Per-channel (dim 1) normalization: batch statistics when training, else the given
    running mean and variance; x · α + β as PyTorch computes it (1/√(var + eps) in double
    for batch statistics, in the dtype for running ones; α = invstd · w, β = b - mean · α
    and the output each one fused multiply-add)."""
    x = np.asarray(x)
    if x.dtype.kind == "f" and x.size and not x.flags.c_contiguous and not _channels_last(x):
        if training:
            mean, m2, n = batch_stats(x)
            return _strided_batch_norm(x, w, b, mean, _batch_invstd(m2, n, eps, x.dtype))
        return _strided_batch_norm(x, w, b, np.asarray(mean, x.dtype),
                                   np.asarray(1 / np.sqrt(np.asarray(var) + eps), x.dtype))
    if training:
        mean, m2, n = batch_stats(x)
        invstd = _batch_invstd(m2, n, eps, mean.dtype)
    else:
        invstd = 1 / np.sqrt(np.asarray(var) + eps)
    alpha = invstd if w is None else invstd * w
    mean = np.asarray(mean)
    shape = [1] * x.ndim
    shape[1] = x.shape[1]
    if x.dtype == np.float32 or x.dtype == np.float64:
        alpha = np.asarray(alpha, x.dtype)
        beta = fma(-mean.astype(x.dtype), alpha,
                   np.zeros((), x.dtype) if b is None else np.asarray(b, x.dtype))
        return fma(x, alpha.reshape(shape), beta.reshape(shape))
    beta = -mean * alpha if b is None else b - mean * alpha
    return _as(x * alpha.reshape(shape) + beta.reshape(shape), x)


def _strided_batch_norm(x: ndarray, w: Any, b: Any, mean: ndarray, invstd: ndarray
                        ) -> ndarray:
    """batch_norm of an input ATen does not count as contiguous, given the statistics (in
    training the batch's, _strided_stats; else the running ones, 1/√(var + eps) in the
    dtype): element by element in the dtype, ((x - mean)·invstd)·w + b (Normalization.cpp's
    generic loop, compiled without fused multiply-adds)."""
    shape = [1] * x.ndim
    shape[1] = x.shape[1]
    y = (x - mean.reshape(shape)) * invstd.reshape(shape)
    if w is not None:
        y = y * np.asarray(w, x.dtype).reshape(shape)
    if b is not None:
        y = y + np.asarray(b, x.dtype).reshape(shape)
    return np.ascontiguousarray(y)  # empty_like(input, suggest_memory_format): contiguous


def _strided_backward(g: ndarray, x: ndarray, w: Any, mean: Any, var: Any, training: bool,
                      eps: float) -> tuple[ndarray, ndarray, ndarray]:
    """batch_norm_backward where ATen does not count the input as contiguous (gd's gradient
    arrays may be broadcast views where PyTorch's are fresh tensors: only x's layout
    counts): Normalization.cpp's generic loops, compiled without fused multiply-adds. Σg is
    PyTorch's sum over the other dims (reductions.torch_sum); Σ(x - mean)·g each product in
    the dtype, summed in double in the walk's order (the input's strides); training:
    k = Σ(x - mean)g·invstd·invstd/N and dx = ((g - Σg/N) - (x - mean)·k)·invstd·w, else
    dx = g·invstd·w, all in the dtype; dw = Σ(x - mean)g·invstd rounded once."""
    from gradcli.ad.kernels.reductions import torch_sum

    dt, c = x.dtype, x.shape[1]
    count = x.size // c
    m, invstd = _backward_stats(x, mean, var, training, eps)
    total = np.asarray(torch_sum(g, tuple(d for d in range(x.ndim) if d != 1)), dt)
    sx, sg = np.moveaxis(x, 1, 0), np.moveaxis(g, 1, 0)
    order = [0, *sorted(range(1, sx.ndim), key=lambda a: (-sx.strides[a], -sg.strides[a]))]
    fx = np.transpose(sx, order).reshape(c, count)
    fg = np.transpose(sg, order).reshape(c, count)
    dotp = np.cumsum(((fx - m[:, None]) * fg).astype(np.float64), axis=1)[:, -1]
    shape = [1] * x.ndim
    shape[1] = c
    wv = np.ones(c, dt) if w is None else np.asarray(w, dt)
    inv = invstd.reshape(shape)
    if training:
        k = dotp.astype(dt) * invstd * invstd / dt.type(count)
        gi = (x - m.reshape(shape)) * k.reshape(shape)
        dx = (g - (total / dt.type(count)).reshape(shape) - gi) * inv * wv.reshape(shape)
    else:
        dx = g * inv * wv.reshape(shape)
    dw = (dotp * invstd.astype(np.float64)).astype(dt)
    return np.ascontiguousarray(dx, dt), dw, total
