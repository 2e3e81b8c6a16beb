"""nn.RMSNorm, nn.Softmax2d, nn.ChannelShuffle and the margin losses (CosineEmbeddingLoss,
SoftMarginLoss, MultiLabelMarginLoss, MultiLabelSoftMarginLoss, MultiMarginLoss,
TripletMarginWithDistanceLoss), as torch/nn/modules builds them: PyTorch's __init__
arguments and attributes, extra_repr, and a forward calling the torch.nn.functional op."""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.state import grad_mode
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import nn_init
from gradcli.interp.nn_layers import LAYERS, _check_device, _get, _layer, _loss, _set
from gradcli.interp.nn_module import ModuleInstance, make_parameter
from gradcli.interp.values import to_repr

F = ops.members("torch.nn.functional")


def _rmsnorm_init(self: ModuleInstance, normalized_shape: Any, eps: Any = None,
                  elementwise_affine: bool = True, device: Any = None,
                  dtype: Any = None) -> None:
    _check_device(device)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else \
        tuple(normalized_shape)
    _set(self, normalized_shape=shape, eps=eps, elementwise_affine=elementwise_affine)
    if elementwise_affine:
        weight = make_parameter(ops.members("torch")["empty"](shape, dtype=dtype))
        self.set_attr("weight", weight)
    else:
        self.method("register_parameter")("weight", None)
    self.method("reset_parameters")()


def _rmsnorm_reset(self: ModuleInstance) -> None:
    if _get(self, "elementwise_affine"):
        nn_init.ones_(_get(self, "weight"))


_layer("RMSNorm", "normalization", {
    "__init__": _rmsnorm_init, "reset_parameters": _rmsnorm_reset,
    "forward": lambda self, x: F["rms_norm"](x, _get(self, "normalized_shape"),
                                             _get(self, "weight"), _get(self, "eps")),
    "extra_repr": lambda s: f"{_get(s, 'normalized_shape')}, eps={_get(s, 'eps')}, "
                            f"elementwise_affine={_get(s, 'elementwise_affine')}"})


def _softmax2d_forward(self: ModuleInstance, input: Tensor) -> Tensor:
    if input.ndim not in (3, 4):
        raise GdRuntimeError(f"Softmax2d: expected input to be 3D or 4D, got {input.ndim}D "
                             "instead", py_type="ValueError")
    return F["softmax"](input, -3)


_layer("Softmax2d", "activation", {"__init__": lambda self: _set(self),
                                   "forward": _softmax2d_forward})
_layer("ChannelShuffle", "channelshuffle", {
    "__init__": lambda self, groups: _set(self, groups=groups),
    "forward": lambda self, input: F["channel_shuffle"](input, _get(self, "groups")),
    "extra_repr": lambda s: f"groups={_get(s, 'groups')}"})

_SIZE = (("size_average", None), ("reduce", None), ("reduction", "mean"))
_loss("CosineEmbeddingLoss", "cosine_embedding_loss", (("margin", 0.0), *_SIZE),
      ("input1", "input2", "target"))
_loss("SoftMarginLoss", "soft_margin_loss", _SIZE)
_loss("MultiLabelMarginLoss", "multilabel_margin_loss", _SIZE)
_loss("MultiLabelSoftMarginLoss", "multilabel_soft_margin_loss", (("weight", None), *_SIZE))
_loss("MultiMarginLoss", "multi_margin_loss",
      (("p", 1), ("margin", 1.0), ("weight", None), *_SIZE))


def _triplet_init(self: ModuleInstance, *, distance_function: Any = None, margin: float = 1.0,
                  swap: bool = False, reduction: str = "mean") -> None:
    _set(self, reduction=reduction)
    if margin <= 0:
        raise GdRuntimeError("TripletMarginWithDistanceLoss: expected margin to be greater "
                             f"than 0, got {margin} instead", py_type="ValueError")
    self.set_attr("distance_function", distance_function if distance_function is not None
                  else LAYERS["PairwiseDistance"]())
    _set(self, margin=margin, swap=swap)


_layer("TripletMarginWithDistanceLoss", "loss", {
    "__init__": _triplet_init,
    "forward": lambda self, anchor, positive, negative: F["triplet_margin_with_distance_loss"](
        anchor, positive, negative, distance_function=_get(self, "distance_function"),
        margin=_get(self, "margin"), swap=_get(self, "swap"),
        reduction=_get(self, "reduction"))})


# -- EmbeddingBag ---------------------------------------------------------------------------

def _bag_init(self: ModuleInstance, num_embeddings: int, embedding_dim: int,
              max_norm: Any = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
              mode: str = "mean", sparse: bool = False, _weight: Any = None,
              include_last_offset: bool = False, padding_idx: Any = None, device: Any = None,
              dtype: Any = None) -> None:
    _check_device(device)
    if padding_idx is not None:
        if not -num_embeddings <= padding_idx < num_embeddings:
            raise GdRuntimeError("padding_idx must be within num_embeddings",
                                 py_type="AssertionError")
        padding_idx %= num_embeddings
    _set(self, num_embeddings=num_embeddings, embedding_dim=embedding_dim, max_norm=max_norm,
         norm_type=norm_type, scale_grad_by_freq=scale_grad_by_freq)
    if _weight is None:
        weight = ops.members("torch")["empty"](num_embeddings, embedding_dim, dtype=dtype)
        self.set_attr("weight", make_parameter(weight))
        nn_init.normal_(weight)
        if padding_idx is not None:
            with grad_mode(False):
                ops.members("Tensor")["fill_"](weight[padding_idx], 0)
    else:
        self.set_attr("weight", make_parameter(_weight))
    _set(self, mode=mode, sparse=sparse, include_last_offset=include_last_offset,
         padding_idx=padding_idx)


def _bag_forward(self: ModuleInstance, input: Tensor, offsets: Any = None,
                 per_sample_weights: Any = None) -> Tensor:
    return F["embedding_bag"](input, _get(self, "weight"), offsets, _get(self, "max_norm"),
                              _get(self, "norm_type"), _get(self, "scale_grad_by_freq"),
                              _get(self, "mode"), _get(self, "sparse"), per_sample_weights,
                              _get(self, "include_last_offset"), _get(self, "padding_idx"))


def _bag_extra(self: ModuleInstance) -> str:
    s = f"{_get(self, 'num_embeddings')}, {_get(self, 'embedding_dim')}"
    if _get(self, "max_norm") is not None:
        s += f", max_norm={_get(self, 'max_norm')}"
    if _get(self, "norm_type") != 2:
        s += f", norm_type={_get(self, 'norm_type')}"
    if _get(self, "scale_grad_by_freq") is not False:
        s += ", scale_grad_by_freq=True"
    s += f", mode={to_repr(_get(self, 'mode'))}"
    if _get(self, "padding_idx") is not None:
        s += f", padding_idx={_get(self, 'padding_idx')}"
    return s


_layer("EmbeddingBag", "sparse", {
    "__init__": _bag_init, "forward": _bag_forward, "extra_repr": _bag_extra})
