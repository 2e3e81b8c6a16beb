"""nn.MultiheadAttention, as torch/nn/modules/activation.py builds and runs it.

__init__ registers in_proj_weight (or q/k/v_proj_weight when kdim/vdim differ), in_proj_bias,
out_proj (a NonDynamicallyQuantizableLinear: a Linear, built, and so drawn from the generator,
before the projections) and bias_k / bias_v in PyTorch's order; _reset_parameters then draws
xavier_uniform_ over the projections, zeroes the biases and draws xavier_normal_ over
bias_k / bias_v, so seeded weights are PyTorch's. forward runs
F.multi_head_attention_forward (PyTorch's eval-mode fused fast path gives the same values).
"""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.identity import object_repr
from gradcli.ad.ops.attention import canonical_mask
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import nn_init
from gradcli.interp.nn_layers import _PATH, LAYERS, _check_device, _get, _layer, _set
from gradcli.interp.nn_module import ModuleClass, ModuleInstance, make_parameter
from gradcli.interp.values import Builtin, GdObject, Namespace, type_name

F = ops.members("torch.nn.functional")
T = ops.members("Tensor")

#: torch.nn.modules.linear.NonDynamicallyQuantizableLinear: a Linear under its own name.
QUANT_LINEAR = ModuleClass("NonDynamicallyQuantizableLinear",
                           f"{_PATH}linear.NonDynamicallyQuantizableLinear", LAYERS["Linear"],
                           {})


def _mha_init(self: ModuleInstance, embed_dim: int, num_heads: int, dropout: float = 0.0,
              bias: bool = True, add_bias_kv: bool = False, add_zero_attn: bool = False,
              kdim: Any = None, vdim: Any = None, batch_first: bool = False,
              device: Any = None, dtype: Any = None) -> None:
    if embed_dim <= 0 or num_heads <= 0:
        raise GdRuntimeError("embed_dim and num_heads must be greater than 0, got embed_dim="
                             f"{embed_dim} and num_heads={num_heads} instead",
                             py_type="ValueError")
    _check_device(device)
    kdim = kdim if kdim is not None else embed_dim
    vdim = vdim if vdim is not None else embed_dim
    same = kdim == embed_dim and vdim == embed_dim
    _set(self, embed_dim=embed_dim, kdim=kdim, vdim=vdim, _qkv_same_embed_dim=same,
         num_heads=num_heads, dropout=dropout, batch_first=batch_first,
         head_dim=embed_dim // num_heads)
    if (embed_dim // num_heads) * num_heads != embed_dim:
        raise GdRuntimeError("embed_dim must be divisible by num_heads",
                             py_type="AssertionError")
    empty = ops.members("torch")["empty"]
    register = self.method("register_parameter")
    if not same:
        self.set_attr("q_proj_weight", make_parameter(empty((embed_dim, embed_dim),
                                                            dtype=dtype)))
        self.set_attr("k_proj_weight", make_parameter(empty((embed_dim, kdim), dtype=dtype)))
        self.set_attr("v_proj_weight", make_parameter(empty((embed_dim, vdim), dtype=dtype)))
        register("in_proj_weight", None)
    else:
        self.set_attr("in_proj_weight", make_parameter(empty((3 * embed_dim, embed_dim),
                                                             dtype=dtype)))
        for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
            register(name, None)
    if bias:
        self.set_attr("in_proj_bias", make_parameter(empty(3 * embed_dim, dtype=dtype)))
    else:
        register("in_proj_bias", None)
    self.set_attr("out_proj", QUANT_LINEAR(embed_dim, embed_dim, bias=bias, dtype=dtype))
    if add_bias_kv:
        self.set_attr("bias_k", make_parameter(empty((1, 1, embed_dim), dtype=dtype)))
        self.set_attr("bias_v", make_parameter(empty((1, 1, embed_dim), dtype=dtype)))
    else:
        self.set_attr("bias_k", None)
        self.set_attr("bias_v", None)
    self.set_attr("add_zero_attn", add_zero_attn)
    self.method("_reset_parameters")()


def _mha_reset(self: ModuleInstance) -> None:
    if _get(self, "_qkv_same_embed_dim"):
        nn_init.xavier_uniform_(_get(self, "in_proj_weight"))
    else:
        for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
            nn_init.xavier_uniform_(_get(self, name))
    if _get(self, "in_proj_bias") is not None:
        nn_init.constant_(_get(self, "in_proj_bias"), 0.0)
        nn_init.constant_(_get(_get(self, "out_proj"), "bias"), 0.0)
    for name in ("bias_k", "bias_v"):
        if _get(self, name) is not None:
            nn_init.xavier_normal_(_get(self, name))


def _mha_forward(self: ModuleInstance, query: Tensor, key: Tensor, value: Tensor,
                 key_padding_mask: Any = None, need_weights: bool = True,
                 attn_mask: Any = None, average_attn_weights: bool = True,
                 is_causal: bool = False) -> tuple[Tensor, Any]:
    is_batched = query.ndim == 3
    key_padding_mask = canonical_mask(key_padding_mask, "key_padding_mask",
                                      None if attn_mask is None else attn_mask.dtype,
                                      "attn_mask", query.dtype)
    attn_mask = canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, False)
    batch_first = _get(self, "batch_first")
    if batch_first and is_batched:
        if key is value:
            if query is key:
                query = key = value = T["transpose"](query, 1, 0)
            else:
                query, key = T["transpose"](query, 1, 0), T["transpose"](key, 1, 0)
                value = key
        else:
            query, key, value = (T["transpose"](x, 1, 0) for x in (query, key, value))
    out_proj = _get(self, "out_proj")
    separate = not _get(self, "_qkv_same_embed_dim")
    out, weights = F["multi_head_attention_forward"](
        query, key, value, _get(self, "embed_dim"), _get(self, "num_heads"),
        _get(self, "in_proj_weight"), _get(self, "in_proj_bias"), _get(self, "bias_k"),
        _get(self, "bias_v"), _get(self, "add_zero_attn"), _get(self, "dropout"),
        _get(out_proj, "weight"), _get(out_proj, "bias"), training=_get(self, "training"),
        key_padding_mask=key_padding_mask, need_weights=need_weights, attn_mask=attn_mask,
        use_separate_proj_weight=separate,
        q_proj_weight=_get(self, "q_proj_weight") if separate else None,
        k_proj_weight=_get(self, "k_proj_weight") if separate else None,
        v_proj_weight=_get(self, "v_proj_weight") if separate else None,
        average_attn_weights=average_attn_weights, is_causal=is_causal)
    if batch_first and is_batched:
        out = T["transpose"](out, 1, 0)
    return out, weights


def _mha_merge_masks(self: ModuleInstance, attn_mask: Any, key_padding_mask: Any,
                     query: Tensor) -> tuple[Any, Any]:
    """MultiheadAttention.merge_masks: the padding mask (type 1), the attention mask
    viewed as 4-D (type 2), or their sum over (batch, heads, length, length)."""
    merged, kind = key_padding_mask, None if key_padding_mask is None else 1
    if attn_mask is not None:
        batch, length = query.shape[0], query.shape[1]
        heads = _get(self, "num_heads")
        if attn_mask.ndim == 3:
            merged = T["view"](attn_mask, batch, -1, length, length)
        else:
            merged = T["expand"](T["view"](attn_mask, 1, 1, length, length),
                                 batch, heads, -1, -1)
        kind = 2
        if key_padding_mask is not None:
            padding = T["expand"](T["view"](key_padding_mask, batch, 1, 1, length),
                                  -1, heads, -1, -1)
            merged = T["add"](merged, padding)
    return merged, kind


MULTIHEAD_ATTENTION = _layer("MultiheadAttention", "activation", {
    "__init__": _mha_init, "_reset_parameters": _mha_reset, "forward": _mha_forward,
    "merge_masks": _mha_merge_masks})


# -- torch.nn.attention: SDPBackend and sdpa_kernel ------------------------------------

def _read_only(owner: str, name: str) -> GdRuntimeError:
    return GdRuntimeError(f"cannot set attribute '{name}' of '{owner}' in gd",
                          py_type="AttributeError")


class Backend(GdObject):
    """A member of torch.nn.attention.SDPBackend (SDPBackend.MATH, ...)."""

    __slots__ = ("name", "value")
    torch_type = "torch.nn.attention._SDPBackend"

    def __init__(self, name: str, value: int) -> None:
        self.name, self.value = name, value

    def get_attr(self, name: str) -> Any:
        if name in ("name", "value"):
            return getattr(self, name)
        raise GdRuntimeError(f"'torch.nn.attention._SDPBackend' object has no attribute "
                             f"'{name}'", py_type="AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        raise _read_only("SDPBackend", name)

    del_attr = set_attr  # type: ignore[assignment]

    def gd_repr(self) -> str:
        return f"<SDPBackend.{self.name}: {self.value}>"

    def gd_str(self) -> str:
        return f"SDPBackend.{self.name}"

    def type_label(self) -> str:
        return "_SDPBackend"


class BackendEnum(GdObject):
    """torch.nn.attention.SDPBackend: its members as attributes."""

    __slots__ = ("members",)
    torch_type = "type"

    def __init__(self) -> None:
        self.members = {n: Backend(n, v) for v, n in enumerate(
            ("ERROR", "MATH", "FLASH_ATTENTION", "EFFICIENT_ATTENTION", "CUDNN_ATTENTION",
             "OVERRIDEABLE"), start=-1)}

    def get_attr(self, name: str) -> Any:
        if name in self.members:
            return self.members[name]
        raise GdRuntimeError(f"type object 'torch.nn.attention._SDPBackend' has no attribute "
                             f"'{name}'", py_type="AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        raise _read_only("SDPBackend", name)

    del_attr = set_attr  # type: ignore[assignment]

    def gd_repr(self) -> str:
        return "<class 'torch.nn.attention._SDPBackend'>"

    def type_label(self) -> str:
        return "type"


class SdpaKernel:
    """The context manager sdpa_kernel(backends) returns: inside it only those backends run
    F.scaled_dot_product_attention; the previous choice comes back on exit."""

    __slots__ = ("backends", "saved")
    gd_context = True
    torch_type = "contextlib._GeneratorContextManager"

    def __init__(self, backends: Any) -> None:
        self.backends, self.saved = backends, None

    def __repr__(self) -> str:
        return object_repr("contextlib._GeneratorContextManager", self)

    def __enter__(self) -> dict[str, Any]:
        from gradcli.ad.ops.attention import BACKENDS

        chosen = self.backends
        if not isinstance(chosen, (list, Backend)):
            raise GdRuntimeError("Backend must be an instance of SDPBackend or a list of "
                                 f"SDPBackend instances, got {type_name(chosen)}",
                                 py_type="AssertionError")
        names = frozenset(b.name for b in (chosen if type(chosen) is list else [chosen])
                          if isinstance(b, Backend))
        self.saved = BACKENDS[0]
        BACKENDS[0] = names
        return {}

    def __exit__(self, *exc: Any) -> bool:
        from gradcli.ad.ops.attention import BACKENDS

        BACKENDS[0] = self.saved
        return False


def namespace() -> Namespace:
    """The importable module torch.nn.attention."""
    return Namespace("torch.nn.attention", {
        "SDPBackend": BackendEnum(),
        "sdpa_kernel": Builtin(
            "torch.nn.attention.sdpa_kernel",
            lambda backends, set_priority=False: SdpaKernel(backends),
            "sdpa_kernel(backends): a context in which only those attention backends run")})
