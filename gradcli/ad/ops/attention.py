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

import numpy as np

from gradcli.ad.graph import Tensor
from gradcli.ad.kernels.flash import flash_forward
from gradcli.ad.kernels.messages import c_type_name
from gradcli.ad.ops.conv import recorded_as
from gradcli.ad.ops.creation import _as_tensor, dtypes_resolve, torch_error
from gradcli.ad.ops.surface import SURFACE, expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES
from gradcli.ad.state import no_grad, warn

#: The backends torch.nn.attention.sdpa_kernel allows ("MATH", "FLASH_ATTENTION", ...), or
#: None outside it: every one.
BACKENDS: list[frozenset[str] | None] = [None]


def _op(spelling: str) -> Any:
    return SURFACE[spelling]


def _c(t: Tensor) -> str:
    return c_type_name(t.array.dtype)


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
    out = (e v) / Σe (a row masked everywhere gives zeros), recorded for the gradient;
    its values those the kernel rounds (kernels/flash.py)."""
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
    name = "ScaledDotProductFlashAttentionForCpuBackward0"
    dt = q.array.dtype
    if dt not in (np.float32, np.float64) or not (k.array.dtype == v.array.dtype == dt) \
            or (mask is not None and mask.array.dtype != dt):
        return recorded_as(out, name)
    # the values as the kernel rounds them (kernels/flash.py), the formula's gradient
    value = flash_forward(q.array, k.array, v.array, None if mask is None else mask.array,
                          factor)
    return apply(RULES["exact_value"], (out,), {"value": value, "base": out.array,
                                                 "name": name})


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
    enabled = BACKENDS[0]
    if enabled is not None:  # inside torch.nn.attention.sdpa_kernel(...)
        flash = flash and "FLASH_ATTENTION" in enabled
        if not flash and "MATH" not in enabled:
            raise torch_error("No available kernel.  Aborting execution."
                              if "FLASH_ATTENTION" in enabled else
                              "No viable backend for scaled_dot_product_attention was found. "
                              "This is likely due to turning off both the math kernel and the "
                              "fused kernels.", "RuntimeError")
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


# -- multi_head_attention_forward (torch/nn/functional.py) ------------------------------

def _size(shape: Any) -> str:
    return f"torch.Size({list(shape)})"


def _assert(ok: bool, message: str) -> None:
    if not ok:
        raise torch_error(message, "AssertionError")


def canonical_mask(mask: Any, mask_name: str, other_type: Any, other_name: str,
                   target_type: Any, check_other: bool = True) -> Any:
    """F._canonical_mask: a bool mask becomes -inf where True, 0 elsewhere."""
    if mask is None:
        return None
    mask = _as_tensor(mask)
    _assert(mask.array.dtype.kind in "bf", f"only bool and floating types of {mask_name} "
            "are supported")
    if check_other and other_type is not None and mask.dtype != other_type:
        warn(f"Support for mismatched {mask_name} and {other_name} is deprecated. Use same "
             "type for both instead.")
    if mask.array.dtype.kind == "b":
        zeros = _op("torch.zeros_like")(mask, dtype=target_type)
        mask = _op("Tensor.masked_fill_")(zeros, mask, float("-inf"))
    return mask


def _mha_shape_check(query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Any,
                     attn_mask: Any, num_heads: int) -> bool:
    if query.ndim == 3:
        _assert(key.ndim == 3 and value.ndim == 3,
                "For batched (3-D) `query`, expected `key` and `value` to be 3-D but found "
                f"{key.ndim}-D and {value.ndim}-D tensors respectively")
        _assert(key_padding_mask is None or key_padding_mask.ndim == 2,
                "For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D "
                f"but found {getattr(key_padding_mask, 'ndim', 0)}-D tensor instead")
        _assert(attn_mask is None or attn_mask.ndim in (2, 3),
                "For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D "
                f"but found {getattr(attn_mask, 'ndim', 0)}-D tensor instead")
        return True
    _assert(query.ndim == 2, "query should be unbatched 2D or batched 3D tensor but received "
            f"{query.ndim}-D query tensor")
    _assert(key.ndim == 2 and value.ndim == 2,
            "For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found "
            f"{key.ndim}-D and {value.ndim}-D tensors respectively")
    _assert(key_padding_mask is None or key_padding_mask.ndim == 1,
            "For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D "
            f"but found {getattr(key_padding_mask, 'ndim', 0)}-D tensor instead")
    if attn_mask is not None:
        _assert(attn_mask.ndim in (2, 3),
                "For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D "
                f"but found {attn_mask.ndim}-D tensor instead")
        expected = (num_heads, query.shape[0], key.shape[0])
        _assert(attn_mask.ndim == 2 or tuple(attn_mask.shape) == expected,
                f"Expected `attn_mask` shape to be {expected} but got "
                f"{_size(attn_mask.shape)}")
    return False


def _in_projection_packed(q: Tensor, k: Tensor, v: Tensor, w: Tensor,
                          b: Any) -> tuple[Tensor, Tensor, Tensor]:
    linear, E = _op("torch.nn.functional.linear"), q.shape[-1]

    def unpack(proj: Tensor, n: int) -> Tensor:
        proj = _op("Tensor.unsqueeze")(_op("Tensor.unflatten")(proj, -1, (n, E)), 0)
        return _op("Tensor.contiguous")(_op("Tensor.squeeze")(
            _op("Tensor.transpose")(proj, 0, -2), -2))

    if k is v:
        if q is k:
            proj = unpack(linear(q, w, b), 3)
            return proj[0], proj[1], proj[2]
        w_q, w_kv = _op("Tensor.split")(w, [E, E * 2])
        b_q, b_kv = (None, None) if b is None else _op("Tensor.split")(b, [E, E * 2])
        kv = unpack(linear(k, w_kv, b_kv), 2)
        return linear(q, w_q, b_q), kv[0], kv[1]
    w_q, w_k, w_v = _op("Tensor.chunk")(w, 3)
    b_q, b_k, b_v = (None, None, None) if b is None else _op("Tensor.chunk")(b, 3)
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


def _in_projection(q: Tensor, k: Tensor, v: Tensor, ws: tuple[Tensor, Tensor, Tensor],
                   bs: tuple[Any, Any, Any]) -> tuple[Tensor, Tensor, Tensor]:
    Eq = q.shape[-1]
    for name, x, w, b in zip(("query", "key", "value"), (q, k, v), ws, bs, strict=True):
        _assert(tuple(w.shape) == (Eq, x.shape[-1]), f"expecting {name} weights shape of "
                f"{(Eq, x.shape[-1])}, but got {_size(w.shape)}")
        if b is not None:
            _assert(tuple(b.shape) == (Eq,),
                    f"expecting {name} bias shape of {(Eq,)}, but got {_size(b.shape)}")
    linear = _op("torch.nn.functional.linear")
    return linear(q, ws[0], bs[0]), linear(k, ws[1], bs[1]), linear(v, ws[2], bs[2])


def multi_head_attention_forward(
        query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: int, num_heads: int,
        in_proj_weight: Any, in_proj_bias: Any, bias_k: Any, bias_v: Any, add_zero_attn: bool,
        dropout_p: float, out_proj_weight: Tensor, out_proj_bias: Any, training: bool = True,
        key_padding_mask: Any = None, need_weights: bool = True, attn_mask: Any = None,
        use_separate_proj_weight: bool = False, q_proj_weight: Any = None,
        k_proj_weight: Any = None, v_proj_weight: Any = None, static_k: Any = None,
        static_v: Any = None, average_attn_weights: bool = True,
        is_causal: bool = False) -> tuple[Tensor, Any]:
    """PyTorch's multi-head attention, step for step (inputs (L, N, E) or (L, E))."""
    T = {n: _op("Tensor." + n) for n in ("unsqueeze", "view", "transpose", "reshape",
                                         "expand", "repeat", "squeeze", "mean", "permute")}
    pad, cat = _op("torch.nn.functional.pad"), _op("torch.cat")
    key_padding_mask = None if key_padding_mask is None else _as_tensor(key_padding_mask)
    attn_mask = None if attn_mask is None else _as_tensor(attn_mask)
    is_batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not is_batched:
        query, key, value = T["unsqueeze"](query, 1), T["unsqueeze"](key, 1), \
            T["unsqueeze"](value, 1)
        if key_padding_mask is not None:
            key_padding_mask = T["unsqueeze"](key_padding_mask, 0)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    key_padding_mask = canonical_mask(key_padding_mask, "key_padding_mask",
                                      None if attn_mask is None else attn_mask.dtype,
                                      "attn_mask", query.dtype)
    if is_causal and attn_mask is None:
        raise torch_error("Need attn_mask if specifying the is_causal hint. You may use the "
                          "Transformer module method `generate_square_subsequent_mask` to "
                          "create this mask.", "RuntimeError")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None
    else:
        attn_mask = canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, False)
        if key_padding_mask is not None:
            is_causal = False
    _assert(embed_dim == embed_dim_to_check, f"was expecting embedding dimension of "
            f"{embed_dim_to_check}, but got {embed_dim}")
    head_dim = embed_dim // num_heads
    _assert(head_dim * num_heads == embed_dim,
            f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        _assert(tuple(key.shape[:2]) == tuple(value.shape[:2]),
                f"key's sequence and batch dims {_size(key.shape[:2])} do not match value's "
                f"{_size(value.shape[:2])}")
        for name, w in (("q", q_proj_weight), ("k", k_proj_weight), ("v", v_proj_weight)):
            _assert(w is not None,
                    f"use_separate_proj_weight is True but {name}_proj_weight is None")
        bs = (None, None, None) if in_proj_bias is None else \
            tuple(_op("Tensor.chunk")(in_proj_bias, 3))
        q, k, v = _in_projection(query, key, value,
                                 (q_proj_weight, k_proj_weight, v_proj_weight), bs)
    else:
        _assert(tuple(key.shape) == tuple(value.shape), f"key shape {_size(key.shape)} does "
                f"not match value shape {_size(value.shape)}")
        _assert(in_proj_weight is not None,
                "use_separate_proj_weight is False but in_proj_weight is None")
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)
    if attn_mask is not None:
        if attn_mask.ndim == 2:
            if tuple(attn_mask.shape) != (tgt_len, src_len):
                raise torch_error(f"The shape of the 2D attn_mask is {_size(attn_mask.shape)}"
                                  f", but should be {(tgt_len, src_len)}.", "RuntimeError")
            attn_mask = T["unsqueeze"](attn_mask, 0)
        elif tuple(attn_mask.shape) != (bsz * num_heads, tgt_len, src_len):
            raise torch_error(f"The shape of the 3D attn_mask is {_size(attn_mask.shape)}, "
                              f"but should be {(bsz * num_heads, tgt_len, src_len)}.",
                              "RuntimeError")
    if bias_k is not None and bias_v is not None:
        _assert(static_k is None, "bias cannot be added to static key.")
        _assert(static_v is None, "bias cannot be added to static value.")
        k = cat([k, T["repeat"](bias_k, 1, bsz, 1)])
        v = cat([v, T["repeat"](bias_v, 1, bsz, 1)])
        if attn_mask is not None:
            attn_mask = pad(attn_mask, (0, 1))
        if key_padding_mask is not None:
            key_padding_mask = pad(key_padding_mask, (0, 1))
    else:
        _assert(bias_k is None, "bias_k is set but bias_v is None")
        _assert(bias_v is None, "bias_v is set but bias_k is None")
    q = T["transpose"](T["view"](q, tgt_len, bsz * num_heads, head_dim), 0, 1)
    k = T["transpose"](T["view"](k, k.shape[0], bsz * num_heads, head_dim), 0, 1) \
        if static_k is None else _static(static_k, "static_k", bsz * num_heads, head_dim)
    v = T["transpose"](T["view"](v, v.shape[0], bsz * num_heads, head_dim), 0, 1) \
        if static_v is None else _static(static_v, "static_v", bsz * num_heads, head_dim)
    if add_zero_attn:
        zeros = _op("torch.zeros")
        k = cat([k, zeros((bsz * num_heads, 1, head_dim), dtype=k.dtype)], 1)
        v = cat([v, zeros((bsz * num_heads, 1, head_dim), dtype=v.dtype)], 1)
        if attn_mask is not None:
            attn_mask = pad(attn_mask, (0, 1))
        if key_padding_mask is not None:
            key_padding_mask = pad(key_padding_mask, (0, 1))
    src_len = k.shape[1]
    if key_padding_mask is not None:
        _assert(key_padding_mask.shape[0] == bsz, "Expected key_padded_mask.shape[0] to be "
                f"{bsz}, but got {key_padding_mask.shape[0]}")
        _assert(key_padding_mask.shape[1] == src_len, "Expected key_padded_mask.shape[1] to "
                f"be {src_len}, but got {key_padding_mask.shape[1]}")
        key_padding_mask = T["reshape"](T["expand"](
            T["view"](key_padding_mask, bsz, 1, 1, src_len), -1, num_heads, -1, -1),
            bsz * num_heads, 1, src_len)
        attn_mask = key_padding_mask if attn_mask is None else \
            _op("torch.add")(attn_mask, key_padding_mask)
    if not training:
        dropout_p = 0.0
    linear = _op("torch.nn.functional.linear")
    if need_weights:
        _assert(not (is_causal and attn_mask is None),
                "FIXME: is_causal not implemented for need_weights")
        q_scaled = _op("torch.mul")(q, math.sqrt(1.0 / float(q.shape[2])))
        kt = T["transpose"](k, -2, -1)
        weights = _op("torch.bmm")(q_scaled, kt) if attn_mask is None else \
            _op("torch.baddbmm")(attn_mask, q_scaled, kt)
        weights = _op("torch.nn.functional.softmax")(weights, dim=-1)
        if dropout_p > 0.0:
            weights = _op("torch.nn.functional.dropout")(weights, p=dropout_p)
        out = _op("torch.bmm")(weights, v)
        out = T["reshape"](T["transpose"](out, 0, 1), tgt_len * bsz, embed_dim)
        out = linear(out, out_proj_weight, out_proj_bias)
        out = T["view"](out, tgt_len, bsz, out.shape[1])
        weights = T["view"](weights, bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = T["mean"](weights, dim=1)
        if not is_batched:
            out, weights = T["squeeze"](out, 1), T["squeeze"](weights, 0)
        return out, weights
    if attn_mask is not None:
        attn_mask = T["unsqueeze"](attn_mask, 0) if attn_mask.shape[0] == 1 and \
            attn_mask.ndim == 3 else T["view"](attn_mask, bsz, num_heads, -1, src_len)
    q = T["view"](q, bsz, num_heads, tgt_len, head_dim)
    k = T["view"](k, bsz, num_heads, src_len, head_dim)
    v = T["view"](v, bsz, num_heads, src_len, head_dim)
    out = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)
    out = T["reshape"](T["permute"](out, 2, 0, 1, 3), bsz * tgt_len, embed_dim)
    out = linear(out, out_proj_weight, out_proj_bias)
    out = T["view"](out, tgt_len, bsz, out.shape[1])
    return (T["squeeze"](out, 1) if not is_batched else out), None


def _static(t: Tensor, name: str, heads: int, head_dim: int) -> Tensor:
    _assert(t.shape[0] == heads, f"expecting {name}.size(0) of {heads}, but got {t.shape[0]}")
    _assert(t.shape[2] == head_dim,
            f"expecting {name}.size(2) of {head_dim}, but got {t.shape[2]}")
    return t


expose(multi_head_attention_forward, "torch.nn.functional.multi_head_attention_forward",
       family="nn")
