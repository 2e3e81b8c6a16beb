"""Interpolation (F.interpolate's nearest, nearest-exact, linear, bilinear, trilinear and
bicubic modes) as torch 2.13's CPU kernels (UpSampleKernel.cpp, UpSampleMoreKernel.cpp,
AVX2 build; UpSampleBicubic2d.cpp's backward, built without FMA) round them.

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
- Bicubic (A = -0.75): the separable kernel with 4 taps (fma(t0, w0, t1·w1), then + t2·w2,
  + t3·w3 fused), the coefficients' polynomials fused but for their last step; the backward
  in plain arithmetic (coordinates, coefficients and `cell += g·wy·wx`), x taps outer.
- Nearest: a gather; its backward adds each output's gradient into its cell in output
  order (plain adds).

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


def _source_scale(in_size: int, out_size: int, scale: Any, align_corners: bool, t: Any) -> Any:
    """The step between output positions in input coordinates, in float type t
    (area_pixel_compute_scale: align_corners' corner-to-corner ratio, else 1/scale when
    the caller gave a scale, else in/out)."""
    if align_corners:
        return t(in_size - 1) / t(out_size - 1) if out_size > 1 else t(0)
    if scale is not None and scale > 0:
        return t(1.0 / scale)
    return t(in_size) / t(out_size)


def linear_taps(in_size: int, out_size: int, scale: Any, align_corners: bool,
                t: Any) -> Taps:
    """(index0, index1, λ0, λ1) of each output position along one dim, in float type t."""
    s = _source_scale(in_size, out_size, scale, align_corners, t)
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
    its outputs' contributions in output order, corner by corner, `cell += w · g` fused."""
    g = np.ascontiguousarray(g)
    out = list(g.shape[2:])
    probe = np.empty((1, 1, *in_shape[2:]), g.dtype)
    corners = _corners(_taps(probe, out, scales, align_corners))
    targets = [np.ravel_multi_index(tuple(np.broadcast_to(i, out) for i in index),
                                    in_shape[2:]).ravel() for index, _ in corners]
    weights = [np.broadcast_to(w, out).astype(g.dtype).ravel() for _, w in corners]
    return _scatter(g, in_shape, targets, [None] * len(corners), weights)


def _scatter(g: ndarray, in_shape: tuple[int, ...], targets: list[ndarray],
             first: list[ndarray | None], second: list[ndarray], fused: bool = True
             ) -> ndarray:
    """Σ over each output position (row-major), then over the terms k in order, of
    `cell[targets[k]] += (g · first[k]) · second[k]` (g alone where first[k] is None), the
    last product and the add one fma if fused, else each rounded. Vectorised by rounds:
    the r-th contribution of every cell."""
    dt = g.dtype
    spatial_in = int(np.prod(in_shape[2:]))
    spatial_out = int(np.prod(g.shape[2:]))
    k = len(targets)
    tgt = np.stack(targets, axis=1).ravel()
    pre = np.stack([np.ones(spatial_out, dt) if f is None else f for f in first],
                   axis=1).ravel()
    post = np.stack(second, axis=1).ravel()
    src = np.repeat(np.arange(spatial_out), k)
    order = np.argsort(tgt, kind="stable")
    tgt, pre, post, src = tgt[order], pre[order], post[order], src[order]
    rank = np.arange(tgt.size) - np.searchsorted(tgt, np.arange(spatial_in))[tgt]
    scaled = all(f is None for f in first)
    flat_g = g.reshape(-1, spatial_out)
    acc = np.zeros((flat_g.shape[0], spatial_in), dt)
    for r in range(int(rank.max()) + 1 if rank.size else 0):
        sel = rank == r
        cells = tgt[sel]
        gs = flat_g[:, src[sel]]
        if not scaled:
            gs = gs * pre[sel]
        if fused:
            acc[:, cells] = fma(gs, np.broadcast_to(post[sel], gs.shape), acc[:, cells])
        else:
            acc[:, cells] = acc[:, cells] + gs * post[sel]
    return np.ascontiguousarray(acc.reshape(in_shape))


# -- bicubic ------------------------------------------------------------------------------

def _cubic_weights(lam: ndarray, t: Any, fused: bool) -> list[ndarray]:
    """get_cubic_upsample_coefficients (A = -0.75); fused: with the AVX2 build's
    contractions (every step of each polynomial but the last one fused)."""
    a = t(-0.75)
    if not fused:
        y = (t(1) - lam).astype(t)
        return [(((a * x - t(5) * a) * x + t(8) * a) * x - t(4) * a).astype(t)
                if far else (((a + t(2)) * x - (a + t(3))) * x * x + t(1)).astype(t)
                for x, far in (((lam + t(1)).astype(t), True), (lam, False), (y, False),
                               ((y + t(1)).astype(t), True))]

    def full(v: Any) -> ndarray:
        return np.full(lam.shape, v, t)

    def near(x: ndarray) -> ndarray:  # |x| <= 1
        return (fma(full(a + t(2)), x, full(-(a + t(3)))) * x * x + t(1)).astype(t)

    def far(x: ndarray) -> ndarray:  # 1 < |x| < 2
        inner = fma(fma(full(a), x, full(-(t(5) * a))), x, full(t(8) * a))
        return (inner * x - t(4) * a).astype(t)

    x2 = (t(1) - lam).astype(t)
    return [far((lam + t(1)).astype(t)), near(lam), near(x2), far((x2 + t(1)).astype(t))]


def cubic_taps(in_size: int, out_size: int, scale: Any, align_corners: bool,
               t: Any, fused: bool = True) -> list[tuple[ndarray, ndarray]]:
    """(index, weight) of each of the 4 taps of each output position along one dim; the
    indices clamped into the input (the kernel reads the border for outside taps). fused:
    as the forward kernel (AVX2 build, contracted) computes them, else as the backward's
    (UpSampleBicubic2d.cpp, built without FMA)."""
    s = _source_scale(in_size, out_size, scale, align_corners, t)
    dst = np.arange(out_size).astype(t)
    if align_corners:
        src = (s * dst).astype(t)
    elif fused:
        src = fma(np.full_like(dst, s), dst + t(0.5), np.full_like(dst, t(-0.5)))
    else:
        src = (s * (dst + t(0.5)) - t(0.5)).astype(t)
    i0 = np.minimum(np.floor(src.astype(np.float32)).astype(np.int64), in_size - 1)
    lam = np.clip(src - i0.astype(t), t(0), t(1)).astype(t)
    weights = _cubic_weights(lam, t, fused)
    return [(np.clip(i0 - 1 + j, 0, in_size - 1), weights[j]) for j in range(4)]


def cubic_forward(x: ndarray, out: list[int], scales: list[Any],
                  align_corners: bool) -> ndarray:
    """F.interpolate(x, out, mode='bicubic') as torch's separable kernel rounds it: the
    last dim first, each dim's 4 taps summed as fma(t0, w0, t1·w1), then + t2·w2, + t3·w3
    fused."""
    x = np.ascontiguousarray(x)
    t = x.dtype.type
    y = x
    for d in reversed(range(len(out))):
        taps = cubic_taps(x.shape[2 + d], out[d], scales[d], align_corners, t)
        shape = (-1,) + (1,) * (len(out) - 1 - d)
        lead = (slice(None),) * (2 + d)
        vals = [y[(*lead, index)] for index, _ in taps]
        ws = [np.broadcast_to(w.reshape(shape), vals[0].shape) for _, w in taps]
        acc = fma(vals[0], ws[0], vals[1] * ws[1])
        acc = fma(vals[2], ws[2], acc)
        y = fma(vals[3], ws[3], acc)
    return np.ascontiguousarray(y)


def cubic_backward(g: ndarray, in_shape: tuple[int, ...], scales: list[Any],
                   align_corners: bool) -> ndarray:
    """The gradient of cubic_forward as UpSampleBicubic2d.cpp's backward sums it: per
    output position, for each x tap i and then each y tap j, `cell += g · wy[j] · wx[i]`
    (the last product fused into the add); equal sizes copy."""
    g = np.ascontiguousarray(g)
    t = g.dtype.type
    (h_in, w_in), (h_out, w_out) = in_shape[2:], g.shape[2:]
    if (h_in, w_in) == (h_out, w_out):
        return g.copy()
    ys = cubic_taps(h_in, h_out, scales[0], align_corners, t, fused=False)
    xs = cubic_taps(w_in, w_out, scales[1], align_corners, t, fused=False)
    targets, first, second = [], [], []
    grid = (h_out, w_out)
    for xi, wx in xs:
        for yi, wy in ys:
            targets.append((yi[:, None] * w_in + xi[None, :]).ravel())
            first.append(np.broadcast_to(wy[:, None], grid).ravel())
            second.append(np.broadcast_to(wx[None, :], grid).ravel())
    return _scatter(g, in_shape, targets, first, second, fused=False)


# -- nearest ------------------------------------------------------------------------------

def nearest_index(in_size: int, out_size: int, scale: Any, exact: bool) -> ndarray:
    """The source index of each output position along one dim (nearest: floor(dst · s) in
    float32, 2x and 1x by shifts; nearest-exact: floor((dst + 0.5) · s))."""
    dst = np.arange(out_size)
    if not exact and out_size == in_size:
        return dst
    if not exact and out_size == 2 * in_size:
        return dst >> 1
    if scale is not None and scale > 0:
        s = np.float32(1.0 / scale)
    else:
        s = np.float32(in_size) / np.float32(out_size)
    src = (np.float32((dst + 0.5) * np.float64(s)) if exact
           else dst.astype(np.float32) * s)
    return np.minimum(np.floor(src).astype(np.int64), in_size - 1)


def _nearest_grid(in_shape: tuple[int, ...], out: list[int], scales: list[Any],
                  exact: bool) -> list[ndarray]:
    n = len(out)
    grid = []
    for d in range(n):
        shape = [1] * n
        shape[d] = -1
        grid.append(nearest_index(in_shape[2 + d], out[d], scales[d], exact).reshape(shape))
    return grid


def nearest_forward(x: ndarray, out: list[int], scales: list[Any], exact: bool) -> ndarray:
    """Each output takes its nearest input cell."""
    index = _nearest_grid(x.shape, out, scales, exact)
    return np.ascontiguousarray(x[(slice(None), slice(None), *index)])


def nearest_backward(g: ndarray, in_shape: tuple[int, ...], scales: list[Any],
                     exact: bool) -> ndarray:
    """cpu_upsample_nearest_backward: `cell += g` in output order, plain adds."""
    g = np.ascontiguousarray(g)
    out = list(g.shape[2:])
    index = _nearest_grid(in_shape, out, scales, exact)
    target = np.ravel_multi_index(tuple(np.broadcast_to(i, out) for i in index),
                                  in_shape[2:]).ravel()
    return _scatter(g, in_shape, [target], [None], [np.ones(target.size, g.dtype)],
                    fused=False)


def forward(x: ndarray, size: list[int], scales: list[Any], align_corners: bool,
            mode: str) -> ndarray:
    """Interpolation of x to size ('linear', 'cubic', 'nearest', 'nearest-exact'), as
    torch rounds it."""
    if mode.startswith("nearest"):
        return nearest_forward(x, size, scales, mode == "nearest-exact")
    return (cubic_forward if mode == "cubic" else linear_forward)(
        x, size, scales, align_corners)


def backward(g: ndarray, in_shape: tuple[int, ...], scales: list[Any], align_corners: bool,
             mode: str) -> ndarray:
    """Its gradient, as torch's backward kernels round it."""
    if mode.startswith("nearest"):
        return nearest_backward(g, in_shape, scales, mode == "nearest-exact")
    return (cubic_backward if mode == "cubic" else linear_backward)(
        g, in_shape, scales, align_corners)
