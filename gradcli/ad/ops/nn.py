"""torch.nn.functional: losses and layers' functions as PyTorch computes and records them
(activations: gradcli.ad.ops.activations)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, _torch_scalar_name, bump_version, tensor_from_array
from gradcli.ad.inplace import record_inplace
from gradcli.ad.kernels import nn as KN
from gradcli.ad.kernels import normalization as KNorm
from gradcli.ad.kernels import reductions as KR
from gradcli.ad.ops import activations  # noqa: F401  (the activations' spellings)
from gradcli.ad.ops import backward as B
from gradcli.ad.ops.creation import _as_tensor, torch_error
from gradcli.ad.ops.elementwise import (
    abs,
    add,
    clamp_min,
    clone,
    div,
    exp,
    mul,
    neg,
    pow,
    sub,
    to_dtype,
)
from gradcli.ad.ops.indexing import getitem, getitem_raw
from gradcli.ad.ops.joins import broadcast_tensors
from gradcli.ad.ops.linalg import matmul
from gradcli.ad.ops.math import xlogy
from gradcli.ad.ops.reductions import log_softmax, mean, norm, sum
from gradcli.ad.ops.shape import expand_as, permute, reshape, t, view
from gradcli.ad.ops.surface import SURFACE, expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.ad.state import State, no_grad, warn
from gradcli.errors import GdRuntimeError

_REDUCTIONS = ("mean", "sum", "none")


def _reduction(size_average: Any, reduce: Any, reduction: str) -> str:
    """The reduction, from PyTorch's legacy size_average/reduce when either is given."""
    if size_average is not None or reduce is not None:
        sa = True if size_average is None else size_average
        rd = True if reduce is None else reduce
        reduction = ("mean" if sa else "sum") if rd else "none"
        warn(f"size_average and reduce args will be deprecated, please use "
             f"reduction='{reduction}' instead.")
    if reduction not in _REDUCTIONS:
        raise torch_error(f"{reduction} is not a valid value for reduction", "ValueError")
    return reduction


def _size_warning(input: Tensor, target: Tensor) -> None:
    if target.shape != input.shape:
        warn(f"Using a target size (torch.Size({list(target.shape)})) that is different to the "
             f"input size (torch.Size({list(input.shape)})). This will likely lead to incorrect "
             "results due to broadcasting. Please ensure they have the same size.")


def constant_arguments(function: str, **tensors: Any) -> None:
    """PyTorch's check_no_requires_grad: arguments its derivative formulas do not cover
    (a loss's weight) may not require grad while grad mode is on."""
    if not State.grad_enabled:
        return
    for name, arg in tensors.items():
        if isinstance(arg, Tensor) and arg.requires_grad:
            raise GdRuntimeError(f"The function '{function}' is not differentiable with "
                                 f"respect to argument '{name}'. This input cannot have "
                                 "requires_grad True.")


def _float_target(input: Tensor, target: Tensor) -> Tensor:
    """An integer or bool target of a floating input, in the input's dtype: PyTorch's type
    promotion computes such a loss in the input's dtype, not numpy's float64."""
    if target.array.dtype.kind in "iub" and input.array.dtype.kind == "f":
        return tensor_from_array(target.array.astype(input.array.dtype))
    return target


def _arr(x: Any) -> Any:
    return None if x is None else _as_tensor(x).array


def _weighted_loss(l: Tensor, input: Tensor, weight: Any, reduction: str,
                   by_weight: bool) -> Tensor:
    """PyTorch's weighted mse/l1/huber: l · weight, a mean divided by Σ weight (mse, l1)
    or by the count (huber)."""
    weight = _as_tensor(weight)
    if weight.shape != input.shape:
        raise GdRuntimeError("Weights and input must have the same size.")
    l = mul(l, weight)
    if reduction == "mean" and by_weight:
        return div(sum(l), sum(weight))
    return _reduce(l, reduction)


def _reduce(l: Tensor, reduction: str) -> Tensor:
    return l if reduction == "none" else (mean(l) if reduction == "mean" else sum(l))


# -- regression losses ------------------------------------------------------------------

def mse_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
             reduction: str = "mean", weight: Any = None) -> Tensor:
    """Mean squared error (shapes that differ broadcast, with PyTorch's warning)."""
    target = _float_target(input, _as_tensor(target))
    reduction = _reduction(size_average, reduce, reduction)
    _size_warning(input, target)
    if weight is not None:
        return _weighted_loss(pow(sub(input, target), 2), input, weight, reduction, True)
    if target.shape != input.shape:  # PyTorch's F.mse_loss broadcasts first: the mean's n
        # is the broadcast size, and each side's gradient sums back through an expand
        input, target = broadcast_tensors(input, target)
    return apply(_RULES["mse_loss"], (input, target), {"reduction": reduction})


def l1_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
            reduction: str = "mean", weight: Any = None) -> Tensor:
    """Mean absolute error (PyTorch's composite: |input - target|, reduced)."""
    target = _as_tensor(target)
    reduction = _reduction(size_average, reduce, reduction)
    _size_warning(input, target)
    l = abs(sub(input, target))
    if weight is not None:
        return _weighted_loss(l, input, weight, reduction, True)
    return _reduce(l, reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """0.5 d²/β where |d| < β, else |d| - β/2 (β = 0: l1_loss)."""
    target = _float_target(input, _as_tensor(target))
    reduction = _reduction(size_average, reduce, reduction)
    if beta < 0:
        raise GdRuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0.0:
        return l1_loss(input, target, reduction=reduction)
    _size_warning(input, target)
    return apply(_RULES["smooth_l1_loss"], (input, target), {"reduction": reduction,
                                                              "beta": float(beta)})


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Any = None) -> Tensor:
    """0.5 d² where |d| < δ, else δ(|d| - δ/2)."""
    target = _as_tensor(target)
    reduction = _reduction(None, None, reduction)
    _size_warning(input, target)
    if weight is not None:
        return _weighted_loss(apply(_RULES["huber_loss"], (input, target),
                                    {"reduction": "none", "delta": float(delta)}),
                              input, weight, reduction, False)
    return apply(_RULES["huber_loss"], (input, target), {"reduction": reduction,
                                                          "delta": float(delta)})


# -- classification losses --------------------------------------------------------------

def binary_cross_entropy(input: Tensor, target: Tensor, weight: Any = None,
                         size_average: Any = None, reduce: Any = None,
                         reduction: str = "mean") -> Tensor:
    """-(y log x + (1 - y) log(1 - x)) of probabilities x (logs clamped at -100)."""
    target = _as_tensor(target)
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise torch_error(
            f"Using a target size (torch.Size({list(target.shape)})) that is different to the "
            f"input size (torch.Size({list(input.shape)})) is deprecated. Please ensure they "
            "have the same size.", "ValueError")
    if target.dtype != input.dtype:
        raise GdRuntimeError(f"Found dtype {_torch_scalar_name(target.array.dtype)} but "
                             f"expected {_torch_scalar_name(input.array.dtype)}")
    constant_arguments("binary_cross_entropy", weight=weight)
    return apply(_RULES["binary_cross_entropy"], (input, target),
                 {"weight": _arr(weight), "reduction": reduction})


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Any = None,
                                     size_average: Any = None, reduce: Any = None,
                                     reduction: str = "mean", pos_weight: Any = None) -> Tensor:
    """Binary cross-entropy on logits (stable; weight per element, pos_weight per class)."""
    reduction = _reduction(size_average, reduce, reduction)
    target = _as_tensor(target)
    if tuple(target.shape) != tuple(input.shape):  # F's own check, before ATen's
        raise GdRuntimeError(f"Target size (torch.Size({list(target.shape)})) must be the "
                             f"same as input size (torch.Size({list(input.shape)}))",
                             py_type="ValueError")
    constant_arguments("binary_cross_entropy_with_logits", weight=weight, pos_weight=pos_weight)
    return apply(_RULES["bce_with_logits"], (input, target),
                 {"weight": _arr(weight), "pos_weight": _arr(pos_weight),
                  "reduction": reduction})


def _check_nll_nd(shape: tuple[int, ...], tshape: tuple[int, ...]) -> None:
    """PyTorch's nll_loss_nd checks of the shapes (and nll_loss2d's for a 4-D input), in
    its words (its size-mismatch message has no closing parenthesis)."""
    if not shape:
        raise torch_error("Expected 1 or more dimensions (got 0)", "ValueError")
    if len(shape) != 1 and shape[0] != (tshape[0] if tshape else 0):
        raise torch_error(f"Expected input batch_size ({shape[0]}) to match target "
                          f"batch_size ({tshape[0] if tshape else 0}).", "ValueError")
    if len(shape) == 4:
        if len(tshape) != 3:
            raise GdRuntimeError("only batches of spatial targets supported (3D tensors) but "
                                 f"got targets of dimension: {len(tshape)}")
        if tshape != (shape[0], *shape[2:]):
            raise GdRuntimeError(f"size mismatch (got input: {list(shape)} , target: "
                                 f"{list(tshape)}")
    elif len(shape) > 2 and tshape[1:] != shape[2:]:
        raise GdRuntimeError(f"Expected target size {list((shape[0], *shape[2:]))}, got "
                             f"{list(tshape)}")


def nll_loss(input: Tensor, target: Tensor, weight: Any = None, size_average: Any = None,
             ignore_index: int = -100, reduce: Any = None, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of class indices (weighted; ignore_index counts nothing)."""
    reduction = _reduction(size_average, reduce, reduction)
    target = _as_tensor(target)
    _check_nll_nd(tuple(input.shape), tuple(target.shape))
    constant_arguments("nll_loss_forward" if input.ndim < 3 else "nll_loss2d_forward",
                       weight=weight)
    params = {"weight": _arr(weight), "reduction": reduction, "ignore_index": ignore_index}
    if input.ndim < 3 or input.ndim == 4:
        return apply(_RULES["nll_loss"], (input, target), params)
    # PyTorch's nll_loss_nd: (N, C, d1, ...) as nll_loss2d of (N, C, 1, -1), then a view.
    # (an empty input or target as (N, C, 0, 0) and (N, 0, 0): -1 has no size there)
    n, c = input.shape[:2]
    ishape = (n, c, 1, -1) if input.numel() else (n, c, 0, 0)
    tshape = (n, 1, -1) if target.numel() else (n, 0, 0)
    out = apply(_RULES["nll_loss"], (reshape(input, ishape), reshape(target, tshape)), params)
    return view(out, (n, *input.shape[2:])) if reduction == "none" else out


def cross_entropy(input: Tensor, target: Tensor, weight: Any = None, size_average: Any = None,
                  ignore_index: int = -100, reduce: Any = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """log_softmax then nll_loss (class indices) or the soft-target sum (probabilities),
    with PyTorch's label smoothing, in PyTorch's order of ops."""
    reduction = _reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise GdRuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                             f"{label_smoothing:g}")
    input, tgt = _as_tensor(input), _as_tensor(target)
    class_dim = 0 if input.ndim == 1 else 1
    n_classes = input.shape[class_dim]
    logp = log_softmax(input, class_dim)
    w = None if weight is None else _as_tensor(weight)
    w_view = None if w is None else reshape(
        w, tuple(n_classes if d == class_dim else 1 for d in range(input.ndim)))
    if tgt.shape == input.shape:
        if tgt.array.dtype.kind != "f":
            raise GdRuntimeError("Expected floating point type for target with class "
                                 "probabilities, got Long")
        if ignore_index >= 0:
            raise GdRuntimeError("ignore_index is not supported for floating point target")
        if label_smoothing > 0.0:
            tgt = add(B.mul_scalar(tgt, 1 - label_smoothing), label_smoothing / n_classes)
        prod = mul(logp, tgt) if w_view is None else mul(mul(logp, tgt), w_view)
        if reduction == "none":
            return neg(sum(prod, class_dim))
        if reduction == "mean" and not input.numel():  # PyTorch: -(sum).fill_(nan)
            return neg(SURFACE["Tensor.fill_"](sum(prod), float("nan")))
        total = neg(sum(prod))
        return B.div_scalar(total, input.array.size // n_classes) if reduction == "mean" \
            else total
    nll = nll_loss(logp, tgt, weight, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing == 0.0:
        return nll
    ignore = tgt.array == ignore_index
    smooth = neg(sum(logp if w_view is None else mul(logp, w_view), class_dim))
    smooth = B.masked_fill(smooth, ignore, 0.0)
    if reduction == "mean":
        if w is None:
            ret = div(sum(smooth), tensor_from_array((~ignore).sum()))
        else:
            ret = div(sum(smooth), sum(tensor_from_array(w.array[tgt.array[~ignore]])))
    else:
        ret = sum(smooth) if reduction == "sum" else smooth
    return add(B.mul_scalar(nll, 1 - label_smoothing),
               B.mul_scalar(ret, label_smoothing / n_classes))


def kl_div(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
           reduction: str = "mean", log_target: bool = False) -> Tensor:
    """Kullback-Leibler divergence of target from input (input: log-probabilities)."""
    if reduction != "batchmean":
        reduction = _reduction(size_average, reduce, reduction)
    if reduction == "mean":
        warn("reduction: 'mean' divides the total loss by both the batch size and the support "
             "size.'batchmean' divides only by the batch size, and aligns with the KL div math "
             "definition.'mean' will be changed to behave the same as 'batchmean' in the next "
             "major release.")
    target = _as_tensor(target)
    if any(t.array.dtype.kind in "iub" for t in (_as_tensor(input), target)):
        raise GdRuntimeError("kl_div: Integral inputs not supported.")
    if log_target:
        l = mul(exp(target), sub(target, input))
    else:
        # PyTorch's xlogy(target, target) - target · input (XlogyBackward0: a negative
        # target's nan, a zero target's 0 · log 0 = 0 and its gradient 0/0)
        # (ATen's compiler evaluates target · input first: its node runs last backward)
        ti = mul(target, input)
        l = sub(xlogy(target, target), ti)
    if reduction == "batchmean":
        total = sum(l)
        return div(total, input.shape[0]) if input.ndim else total
    return _reduce(l, reduction)


# -- layers' functions ------------------------------------------------------------------

def linear(input: Tensor, weight: Tensor, bias: Any = None) -> Tensor:
    """input @ weight.T + bias, recorded as PyTorch records it (addmm for a matrix input
    with a bias: AddmmBackward0)."""
    input, weight = _as_tensor(input), _as_tensor(weight)
    if bias is not None and input.ndim:
        bias = _as_tensor(bias)
        _addmm_dtypes(bias, input, weight)
    if bias is not None and input.ndim == 2:
        return apply(_RULES["linear"], (input, weight, bias))
    if bias is not None and input.ndim != 2 and input.array.flags.c_contiguous:
        # PyTorch's _flatten_nd_linear: addmm on the rows, then a view.
        out = apply(_RULES["linear"], (reshape(input, (-1, input.shape[-1])), weight,
                                       _as_tensor(bias)))
        return view(out, (*input.shape[:-1], out.shape[-1]))
    out = matmul(input, t(weight))
    return out if bias is None else add(out, bias)


def _addmm_dtypes(bias: Tensor, x: Tensor, w: Tensor) -> None:
    """addmm's dtype checks, in its order: the bias (self) against the weight, then the
    input (mat1) against it (nn.Linear given float64 data: PyTorch refuses)."""
    wt = w.array.dtype
    for name, arg in (("self", bias), ("mat1", x)):
        if arg.array.dtype != wt:
            raise GdRuntimeError(
                f"{name} and mat2 must have the same dtype, but got "
                f"{_torch_scalar_name(arg.array.dtype)} and {_torch_scalar_name(wt)}")


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Any = None) -> Tensor:
    """x1ᵀ A x2 + b for each output feature (weight: (out, in1, in2))."""
    x1 = reshape(input1, (-1, input1.shape[-1]))
    x2 = reshape(input2, (-1, input2.shape[-1]))
    # y[n, o] = Σ_ij x1[n, i] A[o, i, j] x2[n, j]
    left = matmul(x1, reshape(_permute_oij(weight), (weight.shape[1], -1)))
    left = reshape(left, (x1.shape[0], weight.shape[0], weight.shape[2]))
    y = sum(mul(left, reshape(x2, (x2.shape[0], 1, x2.shape[1]))), 2)
    y = reshape(y, (*input1.shape[:-1], weight.shape[0]))
    return y if bias is None else add(y, bias)


def _permute_oij(w: Tensor) -> Tensor:
    return permute(w, (1, 0, 2))


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12,
              out: Any = None) -> Tensor:
    """input / max(‖input‖_p along dim, eps)."""
    denom = expand_as(clamp_min(norm(input, p, dim, True), eps), input)
    return div(input, denom)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """Σ (x1/‖x1‖)(x2/‖x2‖) along dim (norms clamped at eps without a node, as PyTorch).
    As PyTorch's: the inputs' common dtype must be floating, and an integer (or bool)
    input is converted to it first (an int tensor and a float one work)."""
    from gradcli.ad.kernels.elementwise import result_type

    x1, x2 = _as_tensor(x1), _as_tensor(x2)
    common = result_type(x1.array, x2.array)
    if common.kind != "f":
        raise torch_error("expected common dtype to be floating point, yet common dtype is "
                          f"{_torch_scalar_name(common)}", "RuntimeError")
    if x1.array.dtype.kind in "biu":
        x1 = to_dtype(x1, common)
    if x2.array.dtype.kind in "biu":
        x2 = to_dtype(x2, common)
    n1 = clone(norm(x1, 2, dim, True))
    n2 = clone(norm(x2, 2, dim, True))
    with no_grad():
        record_inplace(n1, clamp_min(n1, eps))
        record_inplace(n2, clamp_min(n2, eps))
    return sum(mul(div(x1, n1), div(x2, n2)), dim)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6,
                      keepdim: bool = False) -> Tensor:
    """‖x1 - x2 + eps‖_p along the last dim."""
    x1, x2 = _as_tensor(x1), _as_tensor(x2)
    # PyTorch's C++: at::norm(x1 - x2 + eps, p, -1, keepdim) (AddBackward1, NormBackward1)
    diff = apply(_RULES["add_scalar"], (sub(x1, x2), eps))
    return apply(_RULES["norm"], (diff,), {"p": float(p), "dim": max(x1.ndim, x2.ndim) - 1,
                                           "keepdim": keepdim, "aten": True})


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 rows with a 1 at each class index."""
    try:
        return tensor_from_array(KN.one_hot(_as_tensor(tensor).array, num_classes))
    except KN.TorchError as e:
        raise GdRuntimeError(str(e), py_type=e.py_type) from None


def _embedding_renorm(weight: Tensor, idx: Any, max_norm: float, norm_type: float) -> None:
    """PyTorch's embedding_renorm_ (F.embedding's max_norm, under no_grad): each row the
    indices name (in sorted order) whose norm exceeds max_norm scaled by
    max_norm / (norm + 1e-7), in place (one in-place op on the weight)."""
    w = weight.array
    for k in np.unique(idx):
        norm = float(KR.norm(w[k], norm_type))
        if norm > max_norm:
            w[k] = w[k] * w.dtype.type(max_norm / (norm + 1e-7))
    bump_version(weight)


#: How embedding's index check names a dtype it refuses (PyTorch's words; a bool tensor's
#: is its backend's name).
_EMBEDDING_GOT = {"float32": "torch.FloatTensor", "float64": "torch.DoubleTensor",
                  "float16": "torch.HalfTensor", "int16": "torch.ShortTensor",
                  "int8": "torch.CharTensor", "uint8": "torch.ByteTensor",
                  "bool": "CPUBoolType"}


def embedding(input: Tensor, weight: Tensor, padding_idx: Any = None, max_norm: Any = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False,
              sparse: bool = False) -> Tensor:
    """The rows of weight at the indices in input."""
    idx = _as_tensor(input).array
    if idx.dtype != np.int64 and idx.dtype != np.int32:
        got = _EMBEDDING_GOT.get(idx.dtype.name, "torch.FloatTensor")
        raise GdRuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                             f"following scalar types: Long, Int; but got {got} instead (while "
                             "checking arguments for embedding)")
    if idx.size and (idx.min() < 0 or idx.max() >= weight.shape[0]):
        raise GdRuntimeError("index out of range in self", py_type="IndexError")
    if sparse:
        raise GdRuntimeError("embedding's sparse gradients are not supported by gradcli")
    if max_norm is not None:
        _embedding_renorm(weight, idx, float(max_norm), float(norm_type))
    n = weight.shape[0]
    if padding_idx is not None:
        if not -n <= padding_idx < n:
            raise GdRuntimeError("Padding_idx must be within num_embeddings")
        padding_idx = padding_idx % n
    return apply(_RULES["embedding"], (weight,), {"index": idx, "padding_idx": padding_idx,
                                                  "by_freq": bool(scale_grad_by_freq)})


# -- normalization and padding ------------------------------------------------------------

def layer_norm(input: Tensor, normalized_shape: Any, weight: Any = None, bias: Any = None,
               eps: float = 1e-5) -> Tensor:
    """Normalize over the trailing normalized_shape dims, then scale and shift."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if k == 0 or input.ndim < k or tuple(input.shape[input.ndim - k:]) != shape:
        raise GdRuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape "
            f"[*, {', '.join(map(str, shape))}], but got input of size"
            f"{list(input.shape)}")
    for name, t_ in (("weight", weight), ("bias", bias)):
        if t_ is not None and tuple(_as_tensor(t_).shape) != shape:
            raise GdRuntimeError(f"Expected {name} to be of same shape as normalized_shape, "
                                 f"but got {name} of shape {list(_as_tensor(t_).shape)} and "
                                 f"normalized_shape = {list(shape)}")
    check_norm_dtypes("LayerNormKernelImpl", input, weight, bias, mixed=True)
    dims = tuple(range(input.ndim - k, input.ndim))
    return apply(_RULES["layer_norm"], (input, _opt(weight), _opt(bias)),
                 {"dims": dims, "eps": float(eps)})


def check_norm_dtypes(kernel: str, x: Tensor, *params: Any, mixed: bool = False) -> None:
    """A normalization layer's dtypes, as PyTorch's CPU kernels check them: with `mixed`
    (layer_norm, group_norm) a weight or bias of another dtype than the input must be float32
    and the input float16 or bfloat16; an integer or bool input has no kernel
    (NotImplementedError, naming the kernel)."""
    dt = x.array.dtype
    given = [_as_tensor(p).array.dtype for p in params if p is not None]
    if mixed and any(d != dt for d in given):
        if any(d != np.float32 for d in given):
            raise torch_error("mixed dtype (CPU): expect parameter to have scalar type of "
                              "Float", "RuntimeError")
        if dt.name not in ("float16", "bfloat16"):
            raise torch_error("mixed dtype (CPU): all inputs must share same datatype.",
                              "RuntimeError")
    if dt.kind not in "fc":
        raise torch_error(f'"{kernel}" not implemented for \'{_torch_scalar_name(dt)}\'',
                          "NotImplementedError")


def _opt(x: Any) -> Any:
    return None if x is None else _as_tensor(x)


def _verify_batch_size(input: Tensor) -> None:
    # PyTorch's _verify_batch_size: size(0) times the sizes past dim 1
    size = input.shape[0] * math.prod(input.shape[2:]) if input.ndim > 1 else 1
    if size == 1:  # (an empty batch passes: PyTorch's size_prods == 1)
        raise GdRuntimeError("Expected more than 1 value per channel when training, got "
                             f"input size torch.Size({list(input.shape)})",
                             py_type="ValueError")


def functional_batch_norm(input: Tensor, running_mean: Any, running_var: Any,
                          weight: Any = None, bias: Any = None, training: bool = False,
                          momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """F.batch_norm (and so the BatchNorm modules): batch_norm after the checks of
    PyTorch's Python function, eps positive when training and never negative (the
    torch.batch_norm op and instance_norm do not check it)."""
    if training:
        _verify_batch_size(input)
        if eps <= 0.0:
            raise GdRuntimeError(f"batch_norm eps must be positive during training, but got "
                                 f"{eps}", py_type="ValueError")
    elif eps < 0.0:
        raise GdRuntimeError(f"batch_norm eps must be non-negative, but got {eps}",
                             py_type="ValueError")
    return batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def batch_norm(input: Tensor, running_mean: Any, running_var: Any, weight: Any = None,
               bias: Any = None, training: bool = False, momentum: float = 0.1,
               eps: float = 1e-5) -> Tensor:
    """Per-channel normalization: batch statistics when training (updating the running
    statistics in place, as PyTorch), else the running statistics."""
    if training:
        _verify_batch_size(input)
    elif running_mean is None or running_var is None:
        which = "running_mean" if running_mean is None else "running_var"
        raise GdRuntimeError(f"{which} must be defined in evaluation mode")
    rm, rv = _opt(running_mean), _opt(running_var)
    for name, arg in (("running_mean", rm), ("running_var", rv), ("weight", _opt(weight)),
                      ("bias", _opt(bias))):  # PyTorch's check_dims_match_num_input_features
        if arg is not None and input.ndim > 1 and arg.array.size != input.shape[1]:
            raise GdRuntimeError(f"{name} should contain {input.shape[1]} elements not "
                                 f"{arg.array.size}")
    check_norm_dtypes("batch_norm", input)  # (an integer input: its kernel first)
    check_norm_dtypes("batch_norm", input, weight, bias, rm, rv, mixed=True)
    if not input.array.size:  # ATen's empty-input path: clone · weight[0] + bias[0], the
        out = clone(input)      # running statistics left as they are
        if weight is not None:
            out = mul(out, getitem(_opt(weight), 0))
        if bias is not None:
            out = add(out, getitem(_opt(bias), 0))
        return out
    out = apply(_RULES["batch_norm"], (input, _opt(weight), _opt(bias)),
                {"mean": None if rm is None else rm.array,
                 "var": None if rv is None else rv.array,
                 "training": bool(training), "eps": float(eps)})
    if training and rm is not None and rv is not None:
        mean_, m2, n = KNorm.batch_stats(input.array)
        with no_grad():
            record_inplace(rm, tensor_from_array(KNorm.running_mean(rm.array, mean_, momentum)))
            new = KNorm.running_var(rv.array, m2, n, momentum)
            record_inplace(rv, tensor_from_array(new))
    return out


_PAD_NAMES = {"reflect": "ReflectionPad{}DBackward0", "replicate": "ReplicationPad{}DBackward0"}


def pad(input: Tensor, pad: Any, mode: str = "constant", value: Any = None) -> Tensor:
    """Pad the last len(pad)//2 dims: (before, after) pairs from the last dim backwards."""
    pads = tuple(int(p) for p in pad)
    if len(pads) % 2:
        raise GdRuntimeError("Padding length must be divisible by 2")
    if len(pads) // 2 > input.ndim:
        raise GdRuntimeError("Padding length should be less than or equal to two times the "
                             "input dimension but got padding length "
                             f"{len(pads)} and input of dimension {input.ndim}")
    if mode == "constant":
        return apply(_RULES["constant_pad"], (_as_tensor(input),),
                     {"pad": pads, "value": 0.0 if value is None else float(value)})
    if mode not in ("reflect", "replicate", "circular"):
        raise GdRuntimeError(f"Unrecognised padding mode {mode}",
                             py_type="NotImplementedError")
    if value is not None and value != 0:
        raise GdRuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument.')
    k = len(pads) // 2
    if not (k <= 3 and k + 1 <= input.ndim <= k + 2):
        raise GdRuntimeError(
            f"Padding size {len(pads)} is not supported for {input.ndim}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)",
            py_type="NotImplementedError")
    for i in range(k):
        size = input.shape[input.ndim - 1 - i]
        before, after = pads[2 * i], pads[2 * i + 1]
        if mode == "reflect" and (before >= size or after >= size):
            raise GdRuntimeError(
                f"Argument #4: Padding size should be less than the corresponding input "
                f"dimension, but got: padding ({before}, {after}) at dimension "
                f"{input.ndim - 1 - i} of input {list(input.shape)}")
        if mode == "circular" and (before > size or after > size):
            raise GdRuntimeError("Padding value causes wrapping around more than once.")
    name = _PAD_NAMES[mode].format(k) if mode in _PAD_NAMES else "CopySlices"
    return getitem_raw(input, KN.pad_index(input.shape, pads, mode), name)


# -- PyTorch spellings ------------------------------------------------------------------

for _name in ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
              "binary_cross_entropy_with_logits", "nll_loss", "cross_entropy", "kl_div",
              "linear", "bilinear", "normalize", "cosine_similarity", "pairwise_distance",
              "one_hot", "embedding", "layer_norm", "pad"):
    expose(globals()[_name], f"torch.nn.functional.{_name}", family="nn")
expose(functional_batch_norm, "torch.nn.functional.batch_norm", family="nn")
for _name in ("cosine_similarity", "pairwise_distance", "bilinear"):
    expose(globals()[_name], f"torch.{_name}", family="nn")


def _torch_batch_norm(input: Tensor, weight: Any, bias: Any, running_mean: Any,
                      running_var: Any, training: bool, momentum: float, eps: float,
                      cudnn_enabled: bool) -> Tensor:
    """torch.batch_norm: ATen's argument order, every argument given."""
    return batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def _torch_embedding(weight: Tensor, indices: Tensor, padding_idx: int = -1,
                     scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """torch.embedding: ATen's argument order (weight first; padding_idx -1 is none)."""
    return embedding(indices, weight, None if padding_idx == -1 else padding_idx, None, 2.0,
                     scale_grad_by_freq, sparse)


expose(_torch_batch_norm, "torch.batch_norm", family="nn")
expose(_torch_embedding, "torch.embedding", family="nn")


def _torch_layer_norm(input: Tensor, normalized_shape: Any, weight: Any = None,
                      bias: Any = None, eps: float = 1e-5, cudnn_enable: bool = True) -> Tensor:
    """torch.layer_norm: F.layer_norm with ATen's cudnn_enable flag (ignored on the CPU)."""
    return layer_norm(input, normalized_shape, weight, bias, eps)


expose(_torch_layer_norm, "torch.layer_norm", family="nn")
