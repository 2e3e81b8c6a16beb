"""nn.RMSNorm, nn.Softmax2d, nn.ChannelShuffle, the margin losses (CosineEmbeddingLoss,
SoftMarginLoss, MultiLabelMarginLoss, MultiLabelSoftMarginLoss, MultiMarginLoss,
TripletMarginWithDistanceLoss), CTCLoss, EmbeddingBag and AdaptiveLogSoftmaxWithLoss, as
torch/nn/modules builds them: PyTorch's __init__
arguments and attributes, extra_repr, and a forward calling the torch.nn.functional op."""

from __future__ import annotations

import itertools
from typing import Any

from gradcli.ad import ops
from gradcli.ad.ops.indexing import getitem, setitem
from gradcli.ad.state import grad_mode
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import nn_init
from gradcli.interp.classattrs import StaticMethod
from gradcli.interp.nn_layers import LAYERS, _check_device, _get, _layer, _loss, _set
from gradcli.interp.nn_module import ModuleInstance, make_parameter
from gradcli.interp.pynamedtuple import NamedTupleClass
from gradcli.interp.values import Builtin, Size, to_repr

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
_loss("CTCLoss", "ctc_loss", (("blank", 0), ("reduction", "mean"), ("zero_infinity", False)),
      ("log_probs", "targets", "input_lengths", "target_lengths"))


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


EMBEDDING_BAG = _layer("EmbeddingBag", "sparse", {
    "__init__": _bag_init, "forward": _bag_forward, "extra_repr": _bag_extra})


def _bag_from_pretrained(embeddings: Any, freeze: bool = True, max_norm: Any = None,
                         norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                         mode: str = "mean", sparse: bool = False,
                         include_last_offset: bool = False,
                         padding_idx: Any = None) -> ModuleInstance:
    """nn.EmbeddingBag.from_pretrained: an EmbeddingBag whose weight is the given rows
    (frozen unless freeze=False), as PyTorch's classmethod makes it."""
    if type(embeddings) is not Tensor or embeddings.ndim != 2:
        raise GdRuntimeError("Embeddings parameter is expected to be 2-dimensional",
                             py_type="AssertionError")
    rows, cols = embeddings.shape
    bag = EMBEDDING_BAG(num_embeddings=rows, embedding_dim=cols, _weight=embeddings,
                        max_norm=max_norm, norm_type=norm_type,
                        scale_grad_by_freq=scale_grad_by_freq, mode=mode, sparse=sparse,
                        include_last_offset=include_last_offset, padding_idx=padding_idx)
    bag.get_attr("weight").requires_grad_(not freeze)
    return bag


EMBEDDING_BAG.attrs["from_pretrained"] = StaticMethod(Builtin(
    "torch.nn.EmbeddingBag.from_pretrained", _bag_from_pretrained,
    "nn.EmbeddingBag.from_pretrained(embeddings, freeze=True, ...): a bag of these rows"))


# -- AdaptiveLogSoftmaxWithLoss -----------------------------------------------------------
# torch/nn/modules/adaptive.py, step for step: a head over the shortlist and one token a
# cluster, a two-layer projection a cluster.

_ASM_OUTPUT = NamedTupleClass("_ASMoutput", ("output", "loss"), {})
T = ops.members("Tensor")
TORCH = ops.members("torch")


def _asm_init(self: ModuleInstance, in_features: int, n_classes: int, cutoffs: Any,
              div_value: float = 4.0, head_bias: bool = False, device: Any = None,
              dtype: Any = None) -> None:
    _check_device(device)
    cutoffs = list(cutoffs)
    if len(cutoffs) == 0:
        raise GdRuntimeError("cutoffs should be a sequence of length larger than 0",
                             py_type="ValueError")
    if (cutoffs != sorted(cutoffs) or min(cutoffs) <= 0 or max(cutoffs) > n_classes - 1
            or len(set(cutoffs)) != len(cutoffs) or any(int(c) != c for c in cutoffs)):
        raise GdRuntimeError("cutoffs should be a sequence of unique, positive integers "
                             "sorted in an increasing order, where each value is between 1 "
                             "and n_classes-1", py_type="ValueError")
    cutoffs = [*cutoffs, n_classes]
    _set(self, in_features=in_features, n_classes=n_classes, cutoffs=cutoffs,
         div_value=div_value, head_bias=head_bias, shortlist_size=cutoffs[0],
         n_clusters=len(cutoffs) - 1, head_size=cutoffs[0] + len(cutoffs) - 1)
    linear, seq = LAYERS["Linear"], LAYERS["Sequential"]
    self.set_attr("head", linear(in_features, cutoffs[0] + len(cutoffs) - 1, bias=head_bias,
                                 dtype=dtype))
    tail = LAYERS["ModuleList"]()
    for i in range(len(cutoffs) - 1):
        hsz = int(in_features // (div_value ** (i + 1)))
        osz = cutoffs[i + 1] - cutoffs[i]
        tail.method("append")(seq(linear(in_features, hsz, bias=False, dtype=dtype),
                                  linear(hsz, osz, bias=False, dtype=dtype)))
    self.set_attr("tail", tail)


def _asm_forward(self: ModuleInstance, input_: Tensor, target_: Tensor) -> Any:
    targ_dim = target_.ndim
    if targ_dim == 1:
        if input_.shape[0] != target_.shape[0]:
            raise GdRuntimeError("Input and target should have the same size in the batch "
                                 "dimension.")
        if input_.ndim != 2:
            raise GdRuntimeError(to_repr(("1D target tensor expects 2D input tensors, but "
                                          "found inputs with size", Size(input_.shape))))
    elif targ_dim == 0:
        if input_.ndim != 1:
            raise GdRuntimeError(to_repr(("0D target tensor expects 1D input tensors, but "
                                          "found inputs with size", Size(input_.shape))))
    else:
        raise GdRuntimeError("0D or 1D target tensor expected, multi-target not supported")
    batched = targ_dim > 0
    inp = input_ if batched else T["unsqueeze"](input_, 0)
    target = target_ if batched else T["unsqueeze"](target_, 0)
    used_rows = 0
    batch_size = target.shape[0]
    output = T["new_zeros"](inp, batch_size)
    gather_inds = T["new_empty"](target, batch_size)
    cutoffs = [0, *_get(self, "cutoffs")]
    tail = list((_get(self, "tail").mods or {}).values())
    shortlist = _get(self, "shortlist_size")
    for i in range(len(cutoffs) - 1):
        low, high = cutoffs[i], cutoffs[i + 1]
        mask = T["bitwise_and"](T["ge"](target, low), T["lt"](target, high))
        rows = T["squeeze"](T["nonzero"](mask))
        if rows.array.size == 0:
            continue
        if i == 0:
            T["index_copy_"](gather_inds, 0, rows, getitem(target, mask))
        else:
            relative = T["sub"](getitem(target, mask), low)
            subset = T["index_select"](inp, 0, rows)
            cluster_output = tail[i - 1](subset)
            T["index_fill_"](gather_inds, 0, rows, shortlist + i - 1)
            logprob = F["log_softmax"](cluster_output, dim=1)
            local = T["gather"](logprob, 1, T["unsqueeze"](relative, 1))
            T["index_copy_"](output, 0, rows, T["squeeze"](local, 1))
        used_rows += rows.array.size
    if used_rows != batch_size:
        raise GdRuntimeError(
            f"Target values should be in [0, {_get(self, 'n_classes') - 1}], but values in "
            f"range [{int(T['min'](target).array)}, {int(T['max'](target).array)}] were "
            "found. ")
    head_logprob = F["log_softmax"](_get(self, "head")(inp), dim=1)
    output = T["add_"](output, T["squeeze"](
        T["gather"](head_logprob, 1, T["unsqueeze"](gather_inds, 1))))
    loss = T["mean"](T["neg"](output))
    if not batched:
        output = T["squeeze"](output, 0)
    return _ASM_OUTPUT.host((output, loss))


def _full_log_prob(self: ModuleInstance, inp: Tensor, head_output: Tensor) -> Tensor:
    out = T["new_empty"](inp, (head_output.shape[0], _get(self, "n_classes")))
    head_logprob = F["log_softmax"](head_output, dim=1)
    shortlist = _get(self, "shortlist_size")
    setitem(out, (slice(None), slice(None, shortlist)),
                     getitem(head_logprob, (slice(None), slice(None, shortlist))))
    cutoffs = _get(self, "cutoffs")
    tail = list((_get(self, "tail").mods or {}).values())
    for i, (start, stop) in enumerate(itertools.pairwise(cutoffs)):
        logprob = F["log_softmax"](tail[i](inp), dim=1)
        column = T["unsqueeze"](getitem(head_logprob, (slice(None), shortlist + i)), 1)
        setitem(out, (slice(None), slice(start, stop)), T["add"](logprob, column))
    return out


def _asm_log_prob(self: ModuleInstance, input: Tensor) -> Tensor:
    batched = input.ndim > 1
    inp = input if batched else T["unsqueeze"](input, 0)
    out = _full_log_prob(self, inp, _get(self, "head")(inp))
    return out if batched else T["squeeze"](out, 0)


def _asm_predict(self: ModuleInstance, input: Tensor) -> Tensor:
    batched = input.ndim > 1
    inp = input if batched else T["unsqueeze"](input, 0)
    head_output = _get(self, "head")(inp)
    output = TORCH["argmax"](head_output, dim=1)
    outside = T["ge"](output, _get(self, "shortlist_size"))
    if not T["any"](outside).array:
        return output if batched else T["squeeze"](output, 0)
    if T["all"](outside).array:
        return TORCH["argmax"](_full_log_prob(self, inp, head_output), dim=1)
    log_prob = _full_log_prob(self, getitem(inp, outside),
                              getitem(head_output, outside))
    setitem(output, outside, TORCH["argmax"](log_prob, dim=1))
    return output if batched else T["squeeze"](output, 0)


def _asm_reset(self: ModuleInstance) -> None:
    _get(self, "head").method("reset_parameters")()
    for seq in (_get(self, "tail").mods or {}).values():
        for m in (seq.mods or {}).values():
            m.method("reset_parameters")()


_layer("AdaptiveLogSoftmaxWithLoss", "adaptive", {
    "__init__": _asm_init, "forward": _asm_forward, "log_prob": _asm_log_prob,
    "predict": _asm_predict, "reset_parameters": _asm_reset, "_get_full_log_prob":
    _full_log_prob})
