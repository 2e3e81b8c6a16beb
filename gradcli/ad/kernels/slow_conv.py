"""The values of PyTorch's CPU float64 convolution (ATen's slow_conv2d: im2col and one
MKL dgemm a sample and group) on MKL's AVX-512 path, bit for bit.

oneDNN takes no float64, so a float64 1-d or 2-d convolution is ATen's slow_conv2d: per
sample and group, the weights (og × K, K = channels of the group × kernel cells, in
(channel, row, column) order) times im2col's columns (K × L output positions), by dgemm
with the bias as its C (beta = 1). Measured (round 23, against torch 2.13 on the Intel
Xeon; K up to 288, og 1-16, L 4-256, groups 1-8, strides 1-2): each output one fused
multiply-add chain in K's order; for one or two output channels a group the chain
starts from the bias (dgemm's n ≤ 2 kernels add into C), from three on it starts from +0
and the bias is added after. gradcli's convolution sums a group's products as a batched
matrix product (ATen's bmm order for small ones: products rounded one by one), which
printed other last bits (a MobileNet depthwise block: 1.1127718823893888 against gd's
...897). Past one dgemm k block (K + 1 > 384) not modelled (None).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.kernels import blas_chain, mkl_avx512
from gradcli.ad.kernels.mkl_path import mkl_avx512 as _on_mkl_avx512

ndarray = np.ndarray
_F64 = np.dtype(np.float64)
_FROM_BIAS_COLUMNS = 2  # output channels a group up to which the chain starts from the bias


def _window(cell: tuple[int, ...], stride: tuple[int, ...], dilation: tuple[int, ...],
            out: tuple[int, ...]) -> tuple[slice, ...]:
    return tuple(slice(c * d, c * d + s * (o - 1) + 1, s)
                 for c, s, d, o in zip(cell, stride, dilation, out, strict=True))


def values(x: ndarray, w: ndarray, bias: Any, stride: tuple[int, ...],
           dilation: tuple[int, ...], groups: int, out: tuple[int, ...]) -> ndarray | None:
    """slow_conv2d's (N, CO, *out) for the padded float64 input x (N, C, *spatial) and
    weight w (CO, C/groups, *kernel), 1-d or 2-d; None where not modelled (another dtype
    or path, K past one block, or numpy's BLAS not running the chains)."""
    if (x.dtype != _F64 or w.dtype != _F64 or len(out) > 2 or not _on_mkl_avx512()
            or (bias is not None and getattr(bias, "dtype", None) != _F64)):
        return None
    n, co, cg = x.shape[0], w.shape[0], w.shape[1]
    og = co // groups
    cells = list(np.ndindex(*w.shape[2:]))
    k = cg * len(cells)
    positions = math.prod(out)
    from_bias = bias is not None and og <= _FROM_BIAS_COLUMNS
    if k + from_bias > mkl_avx512.CHAIN_K or k == 0 or positions == 0 or not (
            blas_chain.padded_chains(_F64.type, mkl_avx512.emulated_chain64)):
        return None
    cols = np.stack([x[(slice(None), slice(None), *_window(cell, stride, dilation, out))]
                     for cell in cells], axis=2)  # (N, C, cells, *out)
    cols = cols.reshape(n, groups, k, positions).transpose(1, 2, 0, 3).reshape(
        groups, k, n * positions)
    weights = w.reshape(groups, og, k)
    result = np.empty((groups, og, n * positions), _F64)
    for g in range(groups):
        a, b = weights[g], cols[g]
        if from_bias:  # the bias as the chain's first product (1·bias from +0: the bias)
            a = np.concatenate([np.asarray(bias[g * og:(g + 1) * og])[:, None], a], axis=1)
            b = np.concatenate([np.ones((1, b.shape[1]), _F64), b], axis=0)
        part = blas_chain.padded(a, b, mkl_avx512.emulated_chain64)
        if part is None:
            return None
        if bias is not None and not from_bias:
            part = part + np.asarray(bias[g * og:(g + 1) * og])[:, None]
        result[g] = part
    return np.ascontiguousarray(result.reshape(co, n, positions).transpose(1, 0, 2)).reshape(
        n, co, *out)
