"""nn.TransformerEncoderLayer / TransformerEncoder, TransformerDecoderLayer /
TransformerDecoder and nn.Transformer, as torch/nn/modules/transformer.py builds and runs them.

Submodules are registered in PyTorch's order (so they print and draw from the generator in
that order), the stacks are deep copies of the given layer (copy.deepcopy, as _get_clones),
nn.Transformer draws xavier_uniform_ over every parameter of two or more dims afterwards, and
forward is PyTorch's Python code step for step (post-norm or norm_first, the causal-mask
detection, the masks' canonical form). PyTorch's eval-mode fused fast paths give the same
values; the one visible trace of them is kept: an encoder that runs its nested-tensor path
(eval, no grad, a left-aligned src_key_padding_mask) gives 0 at the padded positions before
its final norm.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.ops.attention import canonical_mask
from gradcli.ad.state import is_grad_enabled, warn
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import nn_copy, nn_init
from gradcli.interp.classes import StaticMethod
from gradcli.interp.nn_attention import MULTIHEAD_ATTENTION
from gradcli.interp.nn_layers import LAYERS, _get, _layer, _set
from gradcli.interp.nn_module import ModuleInstance, parameters_of
from gradcli.interp.values import Builtin

T = ops.members("Tensor")
TORCH = ops.members("torch")


def _functional(name: str) -> Any:
    """The gd value of torch.nn.functional.<name> (what `activation is F.relu` compares)."""
    from gradcli.interp.builtins import registry

    return registry().nn_functional.members[name]


def _activation_fn(activation: Any) -> Any:
    if isinstance(activation, str):
        if activation in ("relu", "gelu"):
            return _functional(activation)
        raise GdRuntimeError(f"activation should be relu/gelu, not {activation}")
    return activation


def _relu_or_gelu(activation: Any) -> int:
    if activation is _functional("relu") or (
            isinstance(activation, ModuleInstance) and activation.cls.name == "ReLU"):
        return 1
    if activation is _functional("gelu") or (
            isinstance(activation, ModuleInstance) and activation.cls.name == "GELU"):
        return 2
    return 0


def _mask(mask: Any, name: str, other: Any, other_name: str, like: Tensor,
          check: bool = True) -> Any:
    return canonical_mask(mask, name, None if other is None else other.dtype, other_name,
                          like.dtype, check)


def square_subsequent_mask(sz: int, device: Any = None, dtype: Any = None) -> Tensor:
    """-inf above the diagonal, 0 on and below it: (sz, sz)."""
    full = TORCH["full"]((sz, sz), float("-inf"), dtype=dtype, device=device)
    return TORCH["triu"](full, diagonal=1)


def _seq_len(src: Tensor, batch_first: bool) -> int:
    if src.ndim == 2:
        return src.shape[0]
    return src.shape[1 if batch_first else 0]


def _detect_is_causal(mask: Any, is_causal: Any, size: Any) -> bool:
    make_causal = is_causal is True
    if is_causal is None and mask is not None:
        sz = size if size is not None else mask.shape[-2]
        causal = square_subsequent_mask(sz, dtype=mask.dtype)
        make_causal = tuple(mask.shape) == tuple(causal.shape) and \
            bool(TORCH["all"](TORCH["eq"](mask, causal)).item())
    return make_causal


# -- the layers ----------------------------------------------------------------------------

def _layer_init(self: ModuleInstance, d_model: int, nhead: int, dim_feedforward: int,
                dropout: float, activation: Any, layer_norm_eps: float, batch_first: bool,
                norm_first: bool, bias: bool, device: Any, dtype: Any,
                decoder: bool) -> None:
    _set(self)
    attn = {"dropout": dropout, "bias": bias, "batch_first": batch_first, "device": device,
            "dtype": dtype}
    self.set_attr("self_attn", MULTIHEAD_ATTENTION(d_model, nhead, **attn))
    if decoder:
        self.set_attr("multihead_attn", MULTIHEAD_ATTENTION(d_model, nhead, **attn))
    factory = {"device": device, "dtype": dtype}
    linear, norm, drop = LAYERS["Linear"], LAYERS["LayerNorm"], LAYERS["Dropout"]
    self.set_attr("linear1", linear(d_model, dim_feedforward, bias=bias, **factory))
    self.set_attr("dropout", drop(dropout))
    self.set_attr("linear2", linear(dim_feedforward, d_model, bias=bias, **factory))
    self.set_attr("norm_first", norm_first)
    for i in range(1, 4 if decoder else 3):
        self.set_attr(f"norm{i}", norm(d_model, eps=layer_norm_eps, bias=bias, **factory))
    for i in range(1, 4 if decoder else 3):
        self.set_attr(f"dropout{i}", drop(dropout))
    activation = _activation_fn(activation)
    if not decoder:
        self.set_attr("activation_relu_or_gelu", _relu_or_gelu(activation))
    self.set_attr("activation", activation)


def _encoder_layer_init(self: ModuleInstance, d_model: int, nhead: int,
                        dim_feedforward: int = 2048, dropout: float = 0.1,
                        activation: Any = "relu", layer_norm_eps: float = 1e-05,
                        batch_first: bool = False, norm_first: bool = False, bias: bool = True,
                        device: Any = None, dtype: Any = None) -> None:
    _layer_init(self, d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                batch_first, norm_first, bias, device, dtype, False)


def _decoder_layer_init(self: ModuleInstance, d_model: int, nhead: int,
                        dim_feedforward: int = 2048, dropout: float = 0.1,
                        activation: Any = "relu", layer_norm_eps: float = 1e-05,
                        batch_first: bool = False, norm_first: bool = False, bias: bool = True,
                        device: Any = None, dtype: Any = None) -> None:
    _layer_init(self, d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                batch_first, norm_first, bias, device, dtype, True)


def _attend(self: ModuleInstance, attn: str, drop: str, x: Tensor, mem: Tensor,
            attn_mask: Any, key_padding_mask: Any, is_causal: bool) -> Tensor:
    out = _get(self, attn)(x, mem, mem, attn_mask=attn_mask,
                           key_padding_mask=key_padding_mask, need_weights=False,
                           is_causal=is_causal)[0]
    return _get(self, drop)(out)


def _ff_block(self: ModuleInstance, x: Tensor, drop: str) -> Tensor:
    hidden = _get(self, "dropout")(_get(self, "activation")(_get(self, "linear1")(x)))
    return _get(self, drop)(_get(self, "linear2")(hidden))


def _sa_block(self: ModuleInstance, x: Tensor, attn_mask: Any, key_padding_mask: Any,
              is_causal: bool = False) -> Tensor:
    return _attend(self, "self_attn", "dropout1", x, x, attn_mask, key_padding_mask,
                   is_causal)


def _mha_block(self: ModuleInstance, x: Tensor, mem: Tensor, attn_mask: Any,
               key_padding_mask: Any, is_causal: bool = False) -> Tensor:
    return _attend(self, "multihead_attn", "dropout2", x, mem, attn_mask, key_padding_mask,
                   is_causal)


def _encoder_ff_block(self: ModuleInstance, x: Tensor) -> Tensor:
    return _ff_block(self, x, "dropout2")


def _decoder_ff_block(self: ModuleInstance, x: Tensor) -> Tensor:
    return _ff_block(self, x, "dropout3")


def _encoder_layer_forward(self: ModuleInstance, src: Tensor, src_mask: Any = None,
                           src_key_padding_mask: Any = None,
                           is_causal: bool = False) -> Tensor:
    """PyTorch's layer through its _sa_block and _ff_block (a subclass may override them)."""
    src_key_padding_mask = _mask(src_key_padding_mask, "src_key_padding_mask", src_mask,
                                 "src_mask", src)
    src_mask = _mask(src_mask, "src_mask", None, "", src, False)
    add, n1, n2 = T["add"], _get(self, "norm1"), _get(self, "norm2")
    sa, ff = self.method("_sa_block"), self.method("_ff_block")
    x = src
    if _get(self, "norm_first"):
        x = add(x, sa(n1(x), src_mask, src_key_padding_mask, is_causal=is_causal))
        return add(x, ff(n2(x)))
    x = n1(add(x, sa(x, src_mask, src_key_padding_mask, is_causal=is_causal)))
    return n2(add(x, ff(x)))


def _decoder_layer_forward(self: ModuleInstance, tgt: Tensor, memory: Tensor,
                           tgt_mask: Any = None, memory_mask: Any = None,
                           tgt_key_padding_mask: Any = None,
                           memory_key_padding_mask: Any = None, tgt_is_causal: bool = False,
                           memory_is_causal: bool = False) -> Tensor:
    """PyTorch's layer through its _sa_block, _mha_block and _ff_block."""
    add = T["add"]
    n1, n2, n3 = (_get(self, f"norm{i}") for i in (1, 2, 3))
    sa, mha, ff = (self.method(m) for m in ("_sa_block", "_mha_block", "_ff_block"))
    x = tgt
    if _get(self, "norm_first"):
        x = add(x, sa(n1(x), tgt_mask, tgt_key_padding_mask, tgt_is_causal))
        x = add(x, mha(n2(x), memory, memory_mask, memory_key_padding_mask,
                       memory_is_causal))
        return add(x, ff(n3(x)))
    x = n1(add(x, sa(x, tgt_mask, tgt_key_padding_mask, tgt_is_causal)))
    x = n2(add(x, mha(x, memory, memory_mask, memory_key_padding_mask, memory_is_causal)))
    return n3(add(x, ff(x)))


ENCODER_LAYER = _layer("TransformerEncoderLayer", "transformer", {
    "__init__": _encoder_layer_init, "forward": _encoder_layer_forward,
    "_sa_block": _sa_block, "_ff_block": _encoder_ff_block})
DECODER_LAYER = _layer("TransformerDecoderLayer", "transformer", {
    "__init__": _decoder_layer_init, "forward": _decoder_layer_forward,
    "_sa_block": _sa_block, "_mha_block": _mha_block, "_ff_block": _decoder_ff_block})


# -- the stacks ----------------------------------------------------------------------------

def _clones(layer: Any, n: int) -> ModuleInstance:
    return LAYERS["ModuleList"]([nn_copy.deepcopy(layer) for _ in range(n)])


def _why_not_nested(layer: Any) -> str:
    name = "encoder_layer"
    if not (isinstance(layer, ModuleInstance) and layer.cls is ENCODER_LAYER):
        return f"{name} was not TransformerEncoderLayer"
    attn = _get(layer, "self_attn")
    if _get(layer, "norm_first"):
        return f"{name}.norm_first was True"
    if not _get(attn, "batch_first"):
        return (f"{name}.self_attn.batch_first was not True(use batch_first for better "
                "inference performance)")
    if not _get(attn, "_qkv_same_embed_dim"):
        return f"{name}.self_attn._qkv_same_embed_dim was not True"
    if _get(attn, "in_proj_bias") is None:
        return f"{name}.self_attn was passed bias=False"
    if not _get(layer, "activation_relu_or_gelu"):
        return f"{name}.activation_relu_or_gelu was not True"
    if _get(_get(layer, "norm1"), "eps") != _get(_get(layer, "norm2"), "eps"):
        return f"{name}.norm1.eps was not equal to {name}.norm2.eps"
    if _get(attn, "num_heads") % 2 == 1:
        return f"{name}.self_attn.num_heads is odd"
    return ""


def _encoder_init(self: ModuleInstance, encoder_layer: Any, num_layers: int,
                  norm: Any = None, enable_nested_tensor: bool = True,
                  mask_check: bool = True) -> None:
    _set(self)
    self.set_attr("layers", _clones(encoder_layer, num_layers))
    self.set_attr("num_layers", num_layers)
    self.set_attr("norm", norm)
    why = _why_not_nested(encoder_layer)
    if enable_nested_tensor and why:
        warn("enable_nested_tensor is True, but self.use_nested_tensor is False because "
             + why)
    _set(self, enable_nested_tensor=enable_nested_tensor,
         use_nested_tensor=enable_nested_tensor and not why, mask_check=mask_check)


def _nested_padding(self: ModuleInstance, first: ModuleInstance, src: Tensor, mask: Any,
                    padding: Any) -> Any:
    """The padding mask when PyTorch's encoder runs its nested-tensor path, else None."""
    if not _get(self, "use_nested_tensor") or _get(first, "training") or src.ndim != 3 \
            or padding is None or mask is not None:
        return None
    keep = padding.array == 0  # the canonical mask: 0 where a token is kept
    if _get(self, "mask_check") and (keep[:, 1:] > keep[:, :-1]).any():
        return None  # not left aligned
    if is_grad_enabled() and (src.requires_grad or any(
            p.requires_grad for p in parameters_of(first))):
        return None
    return padding


def _encoder_forward(self: ModuleInstance, src: Tensor, mask: Any = None,
                     src_key_padding_mask: Any = None, is_causal: Any = None) -> Tensor:
    padding = _mask(src_key_padding_mask, "src_key_padding_mask", mask, "mask", src)
    mask = _mask(mask, "mask", None, "", src, False)
    layers = list((_get(self, "layers").mods or {}).values())
    nested = _nested_padding(self, layers[0], src, mask, padding)
    batch_first = _get(_get(layers[0], "self_attn"), "batch_first")
    is_causal = _detect_is_causal(mask, is_causal, _seq_len(src, batch_first))
    output = src
    for mod in layers:
        output = mod(output, src_mask=mask, is_causal=is_causal, src_key_padding_mask=padding)
    if nested is not None:
        pad = T["unsqueeze"](TORCH["ne"](nested, 0), -1)
        output = TORCH["where"](pad, TORCH["zeros_like"](output), output)
    norm = _get(self, "norm")
    return output if norm is None else norm(output)


def _decoder_init(self: ModuleInstance, decoder_layer: Any, num_layers: int,
                  norm: Any = None) -> None:
    _set(self)
    self.set_attr("layers", _clones(decoder_layer, num_layers))
    self.set_attr("num_layers", num_layers)
    self.set_attr("norm", norm)


def _decoder_forward(self: ModuleInstance, tgt: Tensor, memory: Tensor, tgt_mask: Any = None,
                     memory_mask: Any = None, tgt_key_padding_mask: Any = None,
                     memory_key_padding_mask: Any = None, tgt_is_causal: Any = None,
                     memory_is_causal: bool = False) -> Tensor:
    layers = list((_get(self, "layers").mods or {}).values())
    seq_len = _seq_len(tgt, _get(_get(layers[0], "self_attn"), "batch_first"))
    tgt_is_causal = _detect_is_causal(tgt_mask, tgt_is_causal, seq_len)
    output = tgt
    for mod in layers:
        output = mod(output, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                     tgt_key_padding_mask=tgt_key_padding_mask,
                     memory_key_padding_mask=memory_key_padding_mask,
                     tgt_is_causal=tgt_is_causal, memory_is_causal=memory_is_causal)
    norm = _get(self, "norm")
    return output if norm is None else norm(output)


ENCODER = _layer("TransformerEncoder", "transformer", {
    "__init__": _encoder_init, "forward": _encoder_forward})
DECODER = _layer("TransformerDecoder", "transformer", {
    "__init__": _decoder_init, "forward": _decoder_forward})


# -- nn.Transformer ------------------------------------------------------------------------

def _transformer_init(self: ModuleInstance, d_model: int = 512, nhead: int = 8,
                      num_encoder_layers: int = 6, num_decoder_layers: int = 6,
                      dim_feedforward: int = 2048, dropout: float = 0.1,
                      activation: Any = "relu", custom_encoder: Any = None,
                      custom_decoder: Any = None, layer_norm_eps: float = 1e-05,
                      batch_first: bool = False, norm_first: bool = False, bias: bool = True,
                      device: Any = None, dtype: Any = None) -> None:
    _set(self)
    args = (d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
            batch_first, norm_first, bias)
    factory = {"device": device, "dtype": dtype}
    norm = LAYERS["LayerNorm"]
    if custom_encoder is not None:
        self.set_attr("encoder", custom_encoder)
    else:
        layer = ENCODER_LAYER(*args, **factory)
        self.set_attr("encoder", ENCODER(layer, num_encoder_layers,
                                         norm(d_model, eps=layer_norm_eps, bias=bias,
                                              **factory)))
    if custom_decoder is not None:
        self.set_attr("decoder", custom_decoder)
    else:
        layer = DECODER_LAYER(*args, **factory)
        self.set_attr("decoder", DECODER(layer, num_decoder_layers,
                                         norm(d_model, eps=layer_norm_eps, bias=bias,
                                              **factory)))
    for p in parameters_of(self):
        if p.ndim > 1:
            nn_init.xavier_uniform_(p)
    _set(self, d_model=d_model, nhead=nhead, batch_first=batch_first)


def _transformer_forward(self: ModuleInstance, src: Tensor, tgt: Tensor, src_mask: Any = None,
                         tgt_mask: Any = None, memory_mask: Any = None,
                         src_key_padding_mask: Any = None, tgt_key_padding_mask: Any = None,
                         memory_key_padding_mask: Any = None, src_is_causal: Any = None,
                         tgt_is_causal: Any = None, memory_is_causal: bool = False) -> Tensor:
    batch = 0 if _get(self, "batch_first") else 1
    if src.ndim == 3 and src.shape[batch] != tgt.shape[batch]:
        raise GdRuntimeError("the batch number of src and tgt must be equal")
    d_model = _get(self, "d_model")
    if src.shape[-1] != d_model or tgt.shape[-1] != d_model:
        raise GdRuntimeError("the feature number of src and tgt must be equal to d_model")
    memory = _get(self, "encoder")(src, mask=src_mask,
                                   src_key_padding_mask=src_key_padding_mask,
                                   is_causal=src_is_causal)
    return _get(self, "decoder")(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                                 tgt_key_padding_mask=tgt_key_padding_mask,
                                 memory_key_padding_mask=memory_key_padding_mask,
                                 tgt_is_causal=tgt_is_causal,
                                 memory_is_causal=memory_is_causal)


TRANSFORMER = _layer("Transformer", "transformer", {
    "__init__": _transformer_init, "forward": _transformer_forward})
TRANSFORMER.attrs["generate_square_subsequent_mask"] = StaticMethod(Builtin(
    "torch.nn.Transformer.generate_square_subsequent_mask", square_subsequent_mask,
    "nn.Transformer.generate_square_subsequent_mask(sz): the causal float mask"))
