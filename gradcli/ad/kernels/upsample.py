"""Linear interpolation (F.interpolate's linear, bilinear and trilinear modes) as torch
2.13's CPU kernels (UpSampleKernel.cpp, UpSampleMoreKernel.cpp, AVX2 build) round it.

- Source coordinates: `scale · (dst + 0.5) - 0.5` is one fused multiply-add (the compiler
  contracts it), clamped at 0; the index is `floorf` of it, which rounds a double to float
  first (a coordinate a hair under an integer takes that integer, with weight 0), then
  λ1 = clamp(src - index, 0, 1) and λ0 = 1 - λ1. Equal input and output sizes copy.
- Forward, 2-d and 3-d with a small output (out_h + out_w <= 128 for 2-d) or 3 channels on
  one thread: the channels-last kernel. Each output sums its corners' values times the
  products of their λs; over the channels that fill vectors of 8 floats (4 doubles) the sum
  nests from the last corner inwards, fused (fma(v00, w00, fma(v01, w01, fma(v11, w11,
  v10·w10))) in 2-d), over the rest it runs left to right, each product fused into the sum.
- Forward otherwise (1-d always): the generic separable kernel, the last dim first: along
  each dim fma(t0, λ0, t1·λ1).
- Backward: each output's gradient goes into its corners' cells in output order (corner by
  corner), `cell += (λ·λ…) · g` fused, in the dtype.

Measured against the installed torch on random shapes, both dtypes, both align_corners
(tests/test_r17_nn.py).
"""

from __future__ import annotations

from itertools import product
from typing import Any

import numpy as np
from numpy import ndarray

from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.vecmath import threads

Taps = tuple[ndarray, ndarray, ndarray, ndarray]


def linear_taps(in_size: int, out_size: int, scale: Any, align_corners: bool,
                t: Any) -> Taps:
    """(index0, index1, λ0, λ1) of each output position along one dim, in float type t."""
    if align_corners:
        s = t(in_size - 1) / t(out_size - 1) if out_size > 1 else t(0)
    elif scale is not None and scale > 0:
        s = t(1.0 / scale)
    else:
        s = t(in_size) / t(out_size)
    dst = np.arange(out_size).astype(t)
    if in_size == out_size:
        i0 = np.arange(out_size)
        return i0, i0, np.ones(out_size, t), np.zeros(out_size, t)
    if align_corners:
        src = (s * dst).astype(t)
    else:
        src = fma(np.full_like(dst, s), dst + t(0.5), np.full_like(dst, t(-0.5)))
        src = np.maximum(src, t(0))
    i0 = np.minimum(np.floor(src.astype(np.float32)).astype(np.int64), in_size - 1)
    l1 = np.clip(src - i0.astype(t), t(0), t(1)).astype(t)
    return i0, i0 + (i0 < in_size - 1), (t(1) - l1).astype(t), l1


def _taps(x: ndarray, out: list[int], scales: list[Any], align_corners: bool) -> list[Taps]:
    t = x.dtype.type
    return [linear_taps(x.shape[2 + i], out[i], scales[i], align_corners, t)
            for i in range(len(out))]


def _channels_last(x: ndarray, out: list[int]) -> bool:
    n = len(out)
    if n == 2:
        return sum(out) <= 128 or (threads() == 1 and x.shape[1] == 3)
    return False  # 3-d: only channels-last memory takes it (gd's tensors are contiguous)


def _corners(taps: list[Taps]) -> list[tuple[tuple[ndarray, ...], ndarray]]:
    """Per corner (0/1 per dim, the first dim outermost): the index grids and the λ product
    (λ_d · λ_h · λ_w, multiplied left to right)."""
    n = len(taps)
    result = []
    for bits in product((0, 1), repeat=n):
        index = []
        weight: Any = None
        for d, bit in enumerate(bits):
            shape = [1] * n
            shape[d] = -1
            i0, i1, l0, l1 = taps[d]
            index.append((i1 if bit else i0).reshape(shape))
            lam = (l1 if bit else l0).reshape(shape)
            weight = lam if weight is None else weight * lam
        result.append((tuple(index), weight))
    return result


def _gather(x: ndarray, index: tuple[ndarray, ...]) -> ndarray:
    return x[(slice(None), slice(None), *index)]


def linear_forward(x: ndarray, out: list[int], scales: list[Any],
                   align_corners: bool) -> ndarray:
    """F.interpolate(x, out, mode='linear'/'bilinear'/'trilinear') as torch rounds it."""
    x = np.ascontiguousarray(x)
    taps = _taps(x, out, scales, align_corners)
    if _channels_last(x, out):
        corners = _corners(taps)
        vals = [_gather(x, index) for index, _ in corners]
        ws = [np.broadcast_to(w, vals[0].shape[2:]).astype(x.dtype) for _, w in corners]
        lanes = 8 if x.dtype == np.float32 else 4
        split = x.shape[1] - x.shape[1] % lanes
        res = np.empty(vals[0].shape, x.dtype)
        if split:  # vectors: nested from the last corner inwards (2-d: 00(01(11(10))))
            v = [a[:, :split] for a in vals]
            order = list(range(len(v)))
            order[-2], order[-1] = order[-1], order[-2]
            acc = v[order[-1]] * ws[order[-1]]
            for k in reversed(order[:-1]):
                acc = fma(v[k], np.broadcast_to(ws[k], v[k].shape), acc)
            res[:, :split] = acc
        if split < x.shape[1]:  # the scalar tail: left to right, each product fused
            v = [a[:, split:] for a in vals]
            acc = fma(v[0], np.broadcast_to(ws[0], v[0].shape), v[1] * ws[1])
            for k in range(2, len(v)):
                acc = fma(v[k], np.broadcast_to(ws[k], v[k].shape), acc)
            res[:, split:] = acc
        return np.ascontiguousarray(res)
    y = x
    for d in reversed(range(len(out))):
        i0, i1, l0, l1 = taps[d]
        shape = (-1,) + (1,) * (len(out) - 1 - d)
        lead = (slice(None),) * (2 + d)
        t0, t1 = y[(*lead, i0)], y[(*lead, i1)]
        y = fma(t0, np.broadcast_to(l0.reshape(shape), t0.shape), t1 * l1.reshape(shape))
    return np.ascontiguousarray(y)


def linear_backward(g: ndarray, in_shape: tuple[int, ...], scales: list[Any],
                    align_corners: bool) -> ndarray:
    """The gradient of linear_forward as torch's backward kernel sums it: per input cell,
    its outputs' contributions in output order, corner by corner, each fused."""
    g = np.ascontiguousarray(g)
    out = list(g.shape[2:])
    dt = g.dtype
    probe = np.empty((1, 1, *in_shape[2:]), dt)
    corners = _corners(_taps(probe, out, scales, align_corners))
    spatial_in = int(np.prod(in_shape[2:]))
    spatial_out = int(np.prod(out))
    # the contributions in the kernel's order: output position (row-major), then corner
    targets = np.stack([np.ravel_multi_index(
        tuple(np.broadcast_to(i, out) for i in index), in_shape[2:]).ravel()
        for index, _ in corners], axis=1).ravel()
    weights = np.stack([np.broadcast_to(w, out).astype(dt).ravel() for _, w in corners],
                       axis=1).ravel()
    sources = np.repeat(np.arange(spatial_out), len(corners))
    order = np.argsort(targets, kind="stable")
    targets, weights, sources = targets[order], weights[order], sources[order]
    starts = np.searchsorted(targets, np.arange(spatial_in))
    rank = np.arange(targets.size) - starts[targets]
    flat_g = g.reshape(g.shape[0] * g.shape[1], spatial_out)
    acc = np.zeros((flat_g.shape[0], spatial_in), dt)
    for r in range(int(rank.max()) + 1 if rank.size else 0):
        sel = rank == r
        cells = targets[sel]
        acc[:, cells] = fma(np.broadcast_to(weights[sel], (flat_g.shape[0], cells.size)),
                            flat_g[:, sources[sel]], acc[:, cells])
    return np.ascontiguousarray(acc.reshape(in_shape))
