"""torch.nn.functional.scaled_dot_product_attention and multi_head_attention_forward, as
PyTorch's CPU computes them, written in our differentiable ops (every order works).

scaled_dot_product_attention follows ATen's choice of kernel: 4-D inputs of one head
size without dropout take the fused CPU flash kernel (the output is recorded as
ScaledDotProductFlashAttentionForCpuBackward0; an explicit mask and is_causal both apply);
every other call runs _scaled_dot_product_attention_math (q and kᵀ each scaled by
sqrt(scale), a bool mask turned into -inf / 0, the mask added, _safe_softmax (rows masked
everywhere give 0), dropout, then a matmul with v). multi_head_attention_forward is
torch/nn/functional.py's, step for step.
"""

from __future__ import annotations

import math
from typing import Any

from gradcli.ad.graph import Tensor
from gradcli.ad.ops.conv import recorded_as
from gradcli.ad.ops.creation import _as_tensor, dtypes_resolve, torch_error
from gradcli.ad.ops.surface import SURFACE, expose
from gradcli.ad.state import no_grad

_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half",
            "bfloat16": "c10::BFloat16", "int64": "long int", "int32": "int",
            "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
            "bool": "bool"}


def _op(spelling: str) -> Any:
    return SURFACE[spelling]


def _c(t: Tensor) -> str:
    return _C_NAMES.get(str(t.array.dtype), str(t.array.dtype))


def _is_float(t: Tensor) -> bool:
    return t.array.dtype.kind == "f"


def _bool_to_float(mask: Tensor, like: Tensor) -> Tensor:
    """True takes part (0), False is masked out (-inf), in like's dtype."""
    zeros = _op("torch.zeros_like")(mask, dtype=like.dtype)
    return _op("Tensor.masked_fill")(zeros, _op("Tensor.logical_not")(mask), float("-inf"))


def _safe_softmax(x: Tensor) -> Tensor:
    """softmax over the last dim; a row that is -inf everywhere gives zeros (and no NaN
    in the gradient: such rows are replaced before the softmax)."""
    where, zeros_like = _op("torch.where"), _op("torch.zeros_like")
    masked = _op("torch.all")(_op("torch.eq")(x, float("-inf")), -1, True)
    out = _op("torch.nn.functional.softmax")(where(masked, zeros_like(x), x), -1)
    return where(masked, zeros_like(out), out)


def _flash(q: Tensor, k: Tensor, v: Tensor, mask: Any, factor: float) -> Tensor:
    """The CPU flash kernel's arithmetic: s = q kᵀ · scale + mask, e = exp(s - rowmax),
    out = (e v) / Σe (a row masked everywhere gives zeros)."""
    where, zeros_like = _op("torch.where"), _op("torch.zeros_like")
    s = _op("torch.mul")(_op("torch.matmul")(q, _op("Tensor.transpose")(k, -2, -1)), factor)
    if mask is not None:
        s = _op("torch.add")(s, mask)
    with no_grad():
        top = _op("torch.amax")(s, -1, True)
        top = where(_op("torch.eq")(top, float("-inf")), zeros_like(top), top)
    e = _op("torch.exp")(_op("torch.sub")(s, top))
    total = _op("torch.sum")(e, -1, True)
    with no_grad():
        empty = _op("torch.eq")(total, 0)
    total = where(empty, _op("torch.ones_like")(total), total)
    out = _op("torch.div")(_op("torch.matmul")(e, v), total)
    return recorded_as(out, "ScaledDotProductFlashAttentionForCpuBackward0")


def _check_sdpa(q: Tensor, k: Tensor, v: Tensor, mask: Any) -> None:
    if not q.dtype == k.dtype == v.dtype:
        raise torch_error("Expected query, key, and value to have the same dtype, but got "
                          f"query.dtype: {_c(q)} key.dtype: {_c(k)} and value.dtype: {_c(v)}"
                          " instead.", "RuntimeError")
    if min(q.ndim, k.ndim, v.ndim) < 2:
        raise torch_error("Expected query, key, and value to all be  at least 2 dimensional, "
                          f"but got query.dim: {q.ndim} key.dim: {k.ndim} and value.dim: "
                          f"{v.ndim} instead.", "RuntimeError")
    if mask is not None and mask.array.dtype.kind != "b" and not _is_float(mask) \
            and mask.dtype != q.dtype:
        raise torch_error("Expected attn_mask dtype to be bool or float or to match query "
                          f"dtype, but got attn_mask.dtype: {_c(mask)} and  query.dtype: "
                          f"{_c(q)} instead.", "RuntimeError")


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor,
                                 attn_mask: Any = None, dropout_p: float = 0.0,
                                 is_causal: bool = False, scale: Any = None,
                                 enable_gqa: bool = False) -> Tensor:
    """softmax(q kᵀ · scale + mask) v, with PyTorch's CPU kernel choice and node names."""
    q, k, v = _as_tensor(query), _as_tensor(key), _as_tensor(value)
    mask = None if attn_mask is None else _as_tensor(attn_mask)
    _check_sdpa(q, k, v, mask)
    flash = (q.ndim == k.ndim == v.ndim == 4 and dropout_p == 0.0
             and q.shape[-1] == k.shape[-1] == v.shape[-1]
             and (q.shape[1] == k.shape[1] == v.shape[1] or enable_gqa))
    if is_causal and mask is not None and not flash:
        raise torch_error("_scaled_dot_product_attention: Explicit attn_mask should not be "
                          "set when is_causal=True", "RuntimeError")
    factor = scale if scale is not None else 1.0 / math.sqrt(q.shape[-1])
    if mask is not None and mask.array.dtype.kind == "b":
        mask = _bool_to_float(mask, q)
    if is_causal:
        ones = _op("torch.ones")(q.shape[-2], k.shape[-2], dtype=dtypes_resolve("bool"))
        causal = _bool_to_float(_op("torch.tril")(ones), q)
        mask = causal if mask is None else _op("torch.add")(mask, causal)
    if enable_gqa and k.ndim >= 3 and q.shape[-3] != k.shape[-3]:
        if q.shape[-3] % k.shape[-3] or q.shape[-3] % v.shape[-3]:
            raise torch_error("Number of heads in key and value must divide the number of "
                              "heads in query", "RuntimeError")
        k = _op("Tensor.repeat_interleave")(k, q.shape[-3] // k.shape[-3], -3)
        v = _op("Tensor.repeat_interleave")(v, q.shape[-3] // v.shape[-3], -3)
    if flash:
        return _flash(q, k, v, mask, factor)
    root = math.sqrt(abs(factor))
    mul = _op("torch.mul")
    q = mul(q, -root if factor < 0 else root)
    attn = _op("torch.matmul")(q, mul(_op("Tensor.transpose")(k, -2, -1), root))
    if mask is not None:
        attn = _op("torch.add")(attn, mask)
    attn = _safe_softmax(attn)
    if dropout_p > 0.0:
        attn = _op("torch.nn.functional.dropout")(attn, dropout_p, True)
    return _op("torch.matmul")(attn, v)


expose(scaled_dot_product_attention, "torch.nn.functional.scaled_dot_product_attention",
       family="nn")
