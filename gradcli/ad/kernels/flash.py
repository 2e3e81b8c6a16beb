"""PyTorch's CPU flash attention forward (ATen's FlashAttentionKernel.cpp, cpu_flash_attention)
as it rounds, float32 and float64: per batch, head and block of query rows (32 rows, 64 from
a query length of 192, 256 from 768) and per block of up to 512 keys, the BLAS product q kᵀ,
scaled (or scaled and the mask added in one fused multiply-add), the row max, exp(s - max)
by Vectorized::exp_u20 over whole vectors (on the tail the double exp, rounded), their sum
in vec_reduce_all's lane order and then the tail in order, the running sum and output
rescaled, the BLAS product e v, and the output times the reciprocal of the sum. Its AVX-512
build is registered, so vectors are AVX-512's where ATen's capability is (16 floats or 8
doubles). Measured bit for bit up to two blocks of keys (1024); past them the running
rescale of a third block is an ulp off in places (an open question: MKL's beta = 1 sum).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.kernels import clib
from gradcli.ad.kernels import linalg as KL
from gradcli.ad.kernels import vecmath as VM
from gradcli.ad.kernels.fused import fma

ndarray = np.ndarray
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)


def _bits(x: int) -> np.float32:
    return np.array([x], np.uint32).view(np.float32)[0]


# Vectorized<float>::exp_u20 (vec512_float.h / vec256_float.h): x clamped to
# [ln FLT_MIN, ln FLT_MAX], n = floor(x·log2 e + 0.5), r = x - n·ln 2 (FMAs), a degree-5
# polynomial by Horner's rule with FMAs, times 2^(n-1) built in the exponent, times 2.
_LOG2EF, _LN2F = _bits(0x3FB8AA3B), _bits(0x3F317218)
_LN_FLT_MIN, _LN_FLT_MAX = _bits(0xC2AEAC50), _bits(0x42B17218)
_U20_POLY = tuple(np.float32(c) for c in (
    0.00828929059, 0.0418978221, 0.166676521, 0.499991506, 0.999999701, 1.0))


def exp_u20(x: ndarray) -> ndarray:
    """Vectorized<float>::exp_u20 of a float32 array (Vectorized<double>'s is its exp)."""
    if x.dtype != _F32:
        return VM.vexp(x)
    with np.errstate(all="ignore"):
        small = x < _LN_FLT_MIN
        src = np.where(x < _LN_FLT_MAX, x, _LN_FLT_MAX)  # _mm512_min_ps, then max_ps
        src = np.where(src > _LN_FLT_MIN, src, _LN_FLT_MIN).astype(_F32)
        fx = np.floor(fma(src, _LOG2EF, np.float32(0.5))).astype(_F32)
        r = fma(-fx, _LN2F, src)
        res = fma(r, _U20_POLY[0], _U20_POLY[1])
        for c in _U20_POLY[2:]:
            res = fma(r, res, c)
        n = (fx - np.float32(1)).astype(np.int32)
        pow2 = ((n + np.int32(127)) << np.int32(23)).astype(np.int32).view(_F32)
        pow2 = np.where(small, np.float32(0), pow2)
        return ((res * pow2) * np.float32(2)).astype(_F32)


def _exp_and_sum(s: ndarray, top: ndarray) -> tuple[ndarray, ndarray]:
    """_exp_reduce_sum_fusion_kernel on rows of s: e = exp(s - top), exp_u20 over whole
    vectors and on the tail the double exp, rounded; the vectors' lane sums folded by
    vec_reduce_all, then the tail added one after another."""
    d = s - top
    n = s.shape[-1]
    width = VM.lanes(s.dtype, avx512=True)
    full = n - n % width
    e = np.empty_like(d)
    if full:
        e[..., :full] = exp_u20(d[..., :full])
        total = VM.reduce_sum_lastdim(e[..., :full], avx512=True)
    else:
        total = np.zeros(s.shape[:-1], s.dtype)
    if full < n:  # the scalar tail: the double exp, rounded (measured: not expf's)
        e[..., full:] = clib.call("exp", d[..., full:].astype(_F64), dtype=_F64).astype(s.dtype)
        for j in range(full, n):
            total = total + e[..., j]
    return e, total


def _scale_and_mask(s: ndarray, factor: Any, mask: Any) -> ndarray:
    """s · scale (_mul_reduce_max_fusion_kernel), or s · scale + mask
    (_scale_attn_mask_fusion_kernel: one fused multiply-add, as the compiler contracts
    its vector product and sum, and its scalar tail's)."""
    if mask is None:
        return s * factor
    return fma(s, factor, mask)


def _block_rows(q_len: int) -> int:
    return 256 if q_len >= 768 else 64 if q_len >= 192 else 32


def flash_forward(q: ndarray, k: ndarray, v: ndarray, mask: Any, scale: float) -> ndarray:
    """Softmax(q kᵀ · scale + mask) v of 4-D (batch, heads, length, head size) arrays as
    cpu_flash_attention rounds it (mask: None or an additive float mask broadcastable to
    (batch, heads, query length, key length); is_causal's comes as such a mask)."""
    dt = q.dtype
    batch, heads, q_len = q.shape[:3]
    kv_len = k.shape[2]
    factor = dt.type(scale)
    masks = None if mask is None else np.broadcast_to(
        np.asarray(mask).astype(dt, copy=False), (batch, heads, q_len, kv_len))
    out = np.empty((batch, heads, q_len, v.shape[3]), dt)
    rows, cols = _block_rows(q_len), 512
    neg = dt.type(-np.inf)
    for b in range(batch):
        for h in range(heads):
            for m in range(0, q_len, rows):
                qb = q[b, h, m:m + rows]
                top = np.full(qb.shape[0], neg, dt)
                total = np.zeros(qb.shape[0], dt)
                dst: Any = None
                for n in range(0, kv_len, cols):
                    s = KL.product(qb, k[b, h, n:n + cols].T)
                    with np.errstate(invalid="ignore", over="ignore"):
                        s = _scale_and_mask(s, factor, None if masks is None
                                            else masks[b, h, m:m + rows, n:n + cols])
                    block_max = np.maximum(top, s.max(axis=1, initial=neg))
                    live = block_max != neg
                    safe = np.where(live, block_max, dt.type(0))
                    e, block_sum = _exp_and_sum(s, safe[:, None])
                    e[~live] = 0
                    with np.errstate(invalid="ignore"):
                        rescale = clib.call("exp", top - safe, dtype=dt)
                    rescale = np.where(live, rescale, dt.type(1))
                    total = np.where(live, fma(rescale, total, block_sum) if n else block_sum,
                                     total)
                    top = np.where(live, block_max, top)
                    ev = KL.product(np.ascontiguousarray(e), v[b, h, n:n + cols])
                    dst = ev if dst is None else ev + dst * rescale[:, None]
                total = np.where(total == 0, dt.type(1), total)
                out[b, h, m:m + rows] = dst * (dt.type(1) / total)[:, None]
    return out
