"""More torch.nn.functional, as PyTorch composes them in our differentiable ops: rms_norm,
pdist, channel_shuffle, gumbel_softmax, the margin losses (cosine_embedding_loss,
soft_margin_loss, multilabel_margin_loss, multilabel_soft_margin_loss, multi_margin_loss,
triplet_margin_with_distance_loss) and ctc_loss. Where PyTorch runs a fused kernel the output is
recorded under its node's name (PdistBackward0, SoftMarginLossBackward0, ...)."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.kernels.messages import scalar_name
from gradcli.ad.ops.creation import _as_tensor, torch_error
from gradcli.ad.ops.indexing import getitem_raw
from gradcli.ad.ops.nn import _reduce, _reduction, constant_arguments
from gradcli.ad.ops.surface import SURFACE, expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES
from gradcli.ad.state import warn


def _op(spelling: str) -> Any:
    return SURFACE[spelling]


def _named(y: Tensor, name: str) -> Tensor:
    """y, recorded as PyTorch's fused op of that name (a copy whose VJP passes g back)."""
    return getitem_raw(y, (Ellipsis,), name)


def _tensors(op: str, **args: Any) -> None:
    """The type check of the ATen op PyTorch's F.<loss> calls."""
    for i, (name, v) in enumerate(args.items(), start=1):
        if type(v) is not Tensor:
            raise torch_error(f"{op}(): argument '{name}' (position {i}) must be Tensor, not "
                              f"{type(v).__name__}", "TypeError")


def _loss_out(l: Tensor, reduction: str, name: str) -> Tensor:
    return _named(_reduce(l, reduction), name)


# -- rms_norm --------------------------------------------------------------------------

def rms_norm(input: Tensor, normalized_shape: Any, weight: Any = None,
             eps: Any = None) -> Tensor:
    """input · rsqrt(mean(input², trailing dims) + eps) · weight (eps: the dtype's epsilon)."""
    x = _as_tensor(input)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else \
        tuple(normalized_shape)
    k = len(shape)
    if k == 0 or x.ndim < k or tuple(x.shape[x.ndim - k:]) != shape:
        raise torch_error(f"Given normalized_shape={list(shape)}, expected input with shape "
                          f"[*{', '.join(map(str, shape))}], but got input of size"
                          f"{list(x.shape)}", "RuntimeError")
    if weight is not None and tuple(_as_tensor(weight).shape) != shape:
        raise torch_error("Expected weight to be of same shape as normalized_shape, but got "
                          f"weight of shape {list(_as_tensor(weight).shape)} and "
                          f"normalized_shape = {list(shape)}", "RuntimeError")
    if eps is None:
        eps = float(np.finfo(x.array.dtype).eps) if x.array.dtype.kind == "f" else \
            float(np.finfo(np.float32).eps)
    dims = tuple(range(x.ndim - k, x.ndim))
    ms = _op("torch.mean")(_op("torch.pow")(x, 2), dims, True)
    out = _op("torch.mul")(x, _op("torch.rsqrt")(_op("torch.add")(ms, eps)))
    return out if weight is None else _op("torch.mul")(out, weight)


# -- pdist and channel_shuffle ---------------------------------------------------------

def pdist(input: Tensor, p: float = 2) -> Tensor:
    """‖x_i - x_j‖_p for every pair of rows i < j (row-major order)."""
    x = _as_tensor(input)
    if x.ndim != 2:
        raise torch_error(f"pdist only supports 2D tensors, got: {x.ndim}D", "RuntimeError")
    if p < 0:
        raise torch_error("pdist only supports non-negative p values", "RuntimeError")
    i, j = np.triu_indices(x.shape[0], 1)
    rows_i = getitem_raw(x, (i,), "IndexBackward0")
    rows_j = getitem_raw(x, (j,), "IndexBackward0")
    diff = _op("torch.sub")(rows_i, rows_j)
    return _named(_op("torch.linalg.vector_norm")(diff, p, 1), "PdistBackward0")


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """(N, C, *) → channels regrouped: (N, g, C/g, *) transposed to (N, C/g, g, *)."""
    x = _as_tensor(input)
    if x.ndim <= 2:
        raise torch_error("channel_shuffle expects input with > 2 dims, but got input with "
                          f"sizes {list(x.shape)}", "RuntimeError")
    if groups <= 0:
        raise torch_error("Number of groups to divide channels in must be positive. Value "
                          f"of groups:{groups}", "RuntimeError")
    c = x.shape[1]
    if c % groups:
        raise torch_error(f"Number of channels must be divisible by groups. Got {c} channels "
                          f"and {groups} groups.", "RuntimeError")
    rest = tuple(x.shape[2:])
    y = _op("Tensor.reshape")(x, (x.shape[0], groups, c // groups, *rest))
    y = _op("Tensor.reshape")(_op("Tensor.transpose")(y, 1, 2), x.shape)
    return _named(y, "ChannelShuffleBackward0")


# -- gumbel_softmax --------------------------------------------------------------------

def gumbel_softmax(logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10,
                   dim: int = -1) -> Tensor:
    """softmax((logits + Gumbel noise) / tau); hard: the one-hot of its argmax, with the
    soft sample's gradient (straight-through)."""
    if eps != 1e-10:
        warn("`eps` parameter is deprecated and has no effect.")
    if type(logits) is not Tensor:  # PyTorch's first call on it is torch.empty_like
        raise torch_error("empty_like(): argument 'input' (position 1) must be Tensor, not "
                          f"{type(logits).__name__}", "TypeError")
    noise = _op("Tensor.exponential_")(_op("torch.empty_like")(logits))
    gumbels = _op("torch.neg")(_op("torch.log")(noise))
    y_soft = _op("torch.softmax")(_op("torch.div")(_op("torch.add")(logits, gumbels), tau),
                                  dim)
    if not hard:
        return y_soft
    index = _op("torch.max")(y_soft, dim, True)[1]
    y_hard = _op("Tensor.scatter_")(_op("torch.zeros_like")(logits), dim, index, 1.0)
    return _op("torch.add")(_op("torch.sub")(y_hard, y_soft.detach()), y_soft)


# -- margin losses ---------------------------------------------------------------------

def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                          size_average: Any = None, reduce: Any = None,
                          reduction: str = "mean") -> Tensor:
    """1 - cos(x1, x2) where target is 1, max(0, cos - margin) where it is -1."""
    reduction = _reduction(size_average, reduce, reduction)
    _tensors("cosine_embedding_loss", input1=input1, input2=input2, target=target)
    x1, x2, y = input1, input2, target
    d = y.ndim
    if d not in (0, 1):
        raise torch_error("0D or 1D target tensor expected, multi-target not supported",
                          "RuntimeError")
    if (d == 1) != (x1.ndim == 2 and x2.ndim == 2) or (d == 0 and (x1.ndim, x2.ndim) != (1, 1)):
        raise torch_error(f"{d}D target tensor expects {d + 1}D input tensors, but found "
                          f"inputs with sizes {list(x1.shape)} and {list(x2.shape)}.",
                          "RuntimeError")
    mul, add, tsum = _op("torch.mul"), _op("torch.add"), _op("torch.sum")
    prod = tsum(mul(x1, x2), d)
    mag1 = add(tsum(mul(x1, x1), d), 1e-12)
    mag2 = add(tsum(mul(x2, x2), d), 1e-12)
    cos = _op("torch.div")(prod, _op("torch.sqrt")(mul(mag1, mag2)))
    zeros = _op("torch.zeros_like")(cos)
    pos = _op("torch.add")(_op("torch.neg")(cos), 1)
    neg = _op("torch.clamp_min")(_op("torch.sub")(cos, margin), 0)
    where, eq = _op("torch.where"), _op("torch.eq")
    out = add(where(eq(y, 1), pos, zeros), where(eq(y, -1), neg, zeros))
    return _reduce(out, reduction)


def soft_margin_loss(input: Tensor, target: Tensor, size_average: Any = None,
                     reduce: Any = None, reduction: str = "mean") -> Tensor:
    """log(1 + exp(-target · input)), reduced."""
    reduction = _reduction(size_average, reduce, reduction)
    _tensors("soft_margin_loss", input=input, target=target)
    x, y = _as_tensor(input), _as_tensor(target)
    if y.requires_grad:
        raise torch_error("The function 'soft_margin_loss' is not differentiable with respect "
                          "to argument 'target'. This input cannot have requires_grad True.",
                          "RuntimeError")
    if x.shape != y.shape:  # the kernel's TensorIterator broadcasts as mul does
        x, y = _op("torch.broadcast_tensors")(x, y)
    # PyTorch's fused kernel and its soft_margin_loss_backward (rules/nn.py)
    return apply(RULES["soft_margin_loss"], (x, y), {"reduction": reduction})


def _classes(x: Tensor) -> tuple[int, int]:
    return (1, x.shape[0]) if x.ndim <= 1 else (x.shape[0], x.shape[1])


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average: Any = None,
                           reduce: Any = None, reduction: str = "mean") -> Tensor:
    """Σ over target classes j and other classes i of max(0, 1 - (x[j] - x[i])) / C (the
    targets of a row are its indices up to the first -1)."""
    reduction = _reduction(size_average, reduce, reduction)
    _tensors("multilabel_margin_loss", input=input, target=target)
    x, t = _as_tensor(input), _as_tensor(target)
    n, c = _classes(x)
    if tuple(t.shape) != tuple(x.shape) or x.ndim > 2:
        raise torch_error(f"inconsistent target size: {list(t.shape)} for input of size: "
                          f"{list(x.shape)}", "RuntimeError")
    rows = t.array.reshape(n, c)
    count = np.zeros((n, c), dtype=x.array.dtype)
    for r in range(n):
        for v in rows[r]:
            if v < 0:
                break
            if v >= c:
                raise torch_error("argument #2 'target' is out of range", "RuntimeError")
            count[r, v] += 1
    weight = count[:, :, None] * (count == 0)[:, None, :]  # [n, j, i]
    x2 = _op("Tensor.reshape")(x, (n, c))
    margins = _op("torch.sub")(_op("Tensor.unsqueeze")(x2, 1), _op("Tensor.unsqueeze")(x2, 2))
    hinge = _op("torch.clamp_min")(_op("torch.add")(margins, 1), 0)
    l = _op("torch.div")(_op("torch.sum")(_op("torch.mul")(hinge, tensor_from_array(weight)),
                                          (1, 2)), c)
    if x.ndim <= 1:
        l = _op("Tensor.reshape")(l, ())
    return _loss_out(l, reduction, "MultilabelMarginLossBackward0")


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1,
                      weight: Any = None, size_average: Any = None, reduce: Any = None,
                      reduction: str = "mean") -> Tensor:
    """Σ_{i ≠ y} max(0, margin - x[y] + x[i])^p · w[y] / C for each sample."""
    reduction = _reduction(size_average, reduce, reduction)
    _tensors("multi_margin_loss", input=input, target=target)
    if p not in (1, 2):
        raise torch_error("only p == 1 and p == 2 supported", "ValueError")
    constant_arguments("multi_margin_loss", weight=weight)
    x, t = _as_tensor(input), _as_tensor(target)
    n, c = _classes(x)
    if x.ndim > 2 or t.ndim > 1 or t.array.size != n:
        raise torch_error("multi_margin_loss: target tensor should be 1-D with size equal to "
                          "the number of input samples (batch size). Expected target size "
                          f"[{n}], but got {list(t.shape)}. Input has shape {list(x.shape)}.",
                          "RuntimeError")
    if weight is not None and _as_tensor(weight).array.size != c:
        raise torch_error(f"inconsistent weight size, expected {c} but got "
                          f"{list(_as_tensor(weight).shape)}", "RuntimeError")
    ys = t.array.reshape(n)
    if ys.size and (ys.min() < 0 or ys.max() >= c):
        raise torch_error("target out of range", "RuntimeError")
    if reduction not in ("none", "mean", "sum"):
        raise torch_error(f"{reduction} is not a valid value for reduction", "ValueError")
    w = None if weight is None else _as_tensor(weight).array.reshape(-1)
    return apply(RULES["multi_margin_loss"], (x, t),
                 {"p": int(p), "margin": float(margin), "weight": w, "reduction": reduction})


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Any = None,
                                size_average: Any = None, reduce: Any = None,
                                reduction: str = "mean") -> Tensor:
    """-(y · logσ(x) + (1 - y) · logσ(-x)), averaged over the classes, then reduced."""
    if size_average is not None or reduce is not None:
        reduction = _reduction(size_average, reduce, reduction)
    x, y = _as_tensor(input), _as_tensor(target)
    logsig, mul, neg = _op("torch.nn.functional.logsigmoid"), _op("torch.mul"), _op("torch.neg")
    loss = neg(_op("torch.add")(mul(y, logsig(x)),
                                mul(_op("torch.add")(neg(y), 1), logsig(neg(x)))))
    if weight is not None:
        loss = mul(loss, weight)
    class_dim = x.ndim - 1
    loss = _op("torch.div")(_op("torch.sum")(loss, class_dim), x.shape[class_dim])
    if reduction not in ("none", "mean", "sum"):
        raise torch_error(f"{reduction} is not valid", "ValueError")
    return _reduce(loss, reduction)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function: Any = None, margin: float = 1.0,
                                      swap: bool = False, reduction: str = "mean") -> Tensor:
    """max(0, margin + d(anchor, positive) - d(anchor, negative)), reduced (d: the given
    distance function, pairwise_distance by default)."""
    if margin <= 0:
        raise torch_error(f"margin must be greater than 0, got {margin}", "ValueError")
    a, p_, n = anchor.ndim, positive.ndim, negative.ndim
    if not a == p_ == n:
        raise torch_error("The anchor, positive, and negative tensors are expected to have the "
                          f"same number of dimensions, but got: anchor {a}D, positive {p_}D, "
                          f"and negative {n}D inputs", "RuntimeError")
    dist = distance_function if distance_function is not None else \
        _op("torch.nn.functional.pairwise_distance")
    d_pos, d_neg = dist(anchor, positive), dist(anchor, negative)
    if swap:
        d_neg = _op("torch.minimum")(d_neg, dist(positive, negative))
    loss = _op("torch.clamp_min")(_op("torch.sub")(_op("torch.add")(d_pos, margin), d_neg), 0)
    if reduction not in ("none", "mean", "sum"):
        raise torch_error(f"{reduction} is not a valid value for reduction", "ValueError")
    return _reduce(loss, reduction)


def _lengths(v: Any, name: str) -> tuple[int, ...]:
    if type(v) is Tensor:
        if v.array.dtype.kind not in "iu":
            raise torch_error(f"ctc_loss(): argument '{name}' must be a tensor of integers, "
                              f"not of {v.dtype}", "RuntimeError")
        return tuple(int(x) for x in v.array.reshape(-1).tolist())
    if type(v) not in (list, tuple) or any(type(x) is not int for x in v):
        raise torch_error(_CTC_SIGNATURES, "TypeError")
    return tuple(v)


_CTC_SIGNATURES = (
    "ctc_loss() received an invalid combination of arguments - got (Tensor, Tensor, ...), but "
    "expected one of:\n * (Tensor log_probs, Tensor targets, tuple of ints input_lengths, "
    "tuple of ints target_lengths, int blank = 0, int reduction = at::Reduction::Mean, bool "
    "zero_infinity = False)\n * (Tensor log_probs, Tensor targets, Tensor input_lengths, "
    "Tensor target_lengths, int blank = 0, int reduction = at::Reduction::Mean, bool "
    "zero_infinity = False)\n")


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths: Any, target_lengths: Any,
             blank: int = 0, reduction: str = "mean", zero_infinity: bool = False) -> Tensor:
    """The Connectionist Temporal Classification loss of log_probs [T, N, C] (or [T, C])
    against targets (padded [N, S] or concatenated), as PyTorch's ctc_loss composes it:
    _ctc_loss's per-sample loss (CtcLossBackward0), infinities zeroed by a where under
    zero_infinity, then divided by the target lengths and averaged ('mean'), summed, or
    returned ('none')."""
    reduction = _reduction(None, None, reduction)
    _tensors("ctc_loss", log_probs=log_probs, targets=targets)
    lp, tg = _as_tensor(log_probs), _as_tensor(targets)
    batched = lp.ndim == 3
    if not batched:
        lp = _op("Tensor.unsqueeze")(lp, 1)
        tg = _op("Tensor.unsqueeze")(tg, 0)
    il = _lengths(input_lengths, "input_lengths")
    tl = _lengths(target_lengths, "target_lengths")
    t_max, n = lp.shape[0], lp.shape[1]
    if lp.array.dtype.kind != "f":
        raise torch_error(f"\"ctc_loss_cpu\" not implemented for "
                          f"'{scalar_name(lp.array.dtype)}'",
                          "NotImplementedError")
    if len(il) != n:
        raise torch_error("input_lengths must be of size batch_size", "RuntimeError")
    if len(tl) != n:
        raise torch_error("target_lengths must be of size batch_size", "RuntimeError")
    for v in il:
        if v > t_max:
            raise torch_error(f"Expected input_lengths to have value at most {t_max}, but got "
                              f"value {v} (while checking arguments for "
                              "ctc_loss_allocate_outputs)",
                              "RuntimeError")
    if tg.ndim == 2:
        for v in tl:
            if v > tg.shape[1]:
                raise torch_error(f"Expected tensor to have size at least {v} at dimension 1, "
                                  f"but got size {tg.shape[1]} for argument #2 'targets' "
                                  "(while checking arguments for "
                                  "ctc_loss_allocate_outputs)", "RuntimeError")
    elif tg.ndim == 1 and sum(tl) != tg.shape[0]:
        raise torch_error(f"Expected tensor to have size {sum(tl)} at dimension 0, but got "
                          f"size {tg.shape[0]} for argument #2 'targets' (while checking "
                          "arguments for ctc_loss_allocate_outputs)", "RuntimeError")
    res = apply(RULES["ctc_loss"], (lp, tg), {
        "input_lengths": il, "target_lengths": tl, "blank": int(blank),
        "zero_infinity": bool(zero_infinity)})
    if zero_infinity:
        inf = tensor_from_array(res.array == np.inf)
        res = _op("torch.where")(inf, tensor_from_array(np.zeros((), res.array.dtype)), res)
    if reduction == "mean":
        lengths = np.maximum(np.asarray(tl, np.int64), 1).astype(res.array.dtype)
        return _op("torch.mean")(_op("torch.div")(res, tensor_from_array(lengths)))
    if reduction == "sum":
        return _op("torch.sum")(res)
    return res if batched else _op("Tensor.squeeze")(res, 0)


for _name in ("rms_norm", "pdist", "channel_shuffle", "gumbel_softmax",
              "cosine_embedding_loss", "soft_margin_loss", "multilabel_margin_loss",
              "multi_margin_loss", "multilabel_soft_margin_loss",
              "triplet_margin_with_distance_loss", "ctc_loss"):
    expose(globals()[_name], f"torch.nn.functional.{_name}", family="nn")
for _name in ("rms_norm", "pdist", "channel_shuffle"):
    expose(globals()[_name], f"torch.{_name}", family="nn")
# the native spelling: the same shuffle, the same checks and words
expose(channel_shuffle, "torch.native_channel_shuffle",
       "torch.nn.functional.native_channel_shuffle", family="nn")


def embedding_bag(input: Tensor, weight: Tensor, offsets: Any = None, max_norm: Any = None,
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean",
                  sparse: bool = False, per_sample_weights: Any = None,
                  include_last_offset: bool = False, padding_idx: Any = None) -> Tensor:
    """F.embedding_bag: the sums, means or maxima of bags of the weight's rows (a 2-D input
    is one bag a row; a 1-D one is cut at `offsets`). Sums add each bag's rows in order
    from zero, as PyTorch's CPU kernel; a mean divides by the bag's size (its entries that
    are not padding_idx); an empty bag is zeros."""
    idx = _as_tensor(input)
    if idx.ndim == 2:
        if offsets is not None:
            raise torch_error("if input is 2D, then offsets has to be None, as input is "
                              "treated is a mini-batch of fixed length sequences. However, "
                              "found offsets of type <class 'torch.Tensor'>",
                              "ValueError")
        nbags, length = idx.shape
        starts = np.arange(0, nbags * length, length, dtype=np.int64)
        flat = idx.array.reshape(-1)
    elif idx.ndim == 1:
        if offsets is None:
            raise torch_error("offsets has to be a 1D Tensor but got None", "ValueError")
        starts = np.asarray(_as_tensor(offsets).array, np.int64).reshape(-1)
        if include_last_offset:
            starts = starts[:-1]
        flat = idx.array
        nbags = len(starts)
    else:
        raise torch_error("input has to be 1D or 2D Tensor, but got Tensor of dimension "
                          f"{idx.ndim}", "ValueError")
    if mode not in ("sum", "mean", "max"):
        raise torch_error("mode has to be one of sum, mean or max", "ValueError")
    if per_sample_weights is not None and mode != "sum":
        raise torch_error("embedding_bag: per_sample_weights was not None. "
                          "per_sample_weights is only supported for mode='sum' (got "
                          f"mode='{mode}'). Please open a feature request on "
                          "GitHub.", "NotImplementedError")
    if max_norm is not None or scale_grad_by_freq or sparse:
        raise torch_error("embedding_bag's max_norm, scale_grad_by_freq and sparse are not "
                          "supported by gradcli", "RuntimeError")
    n = weight.shape[0]
    if padding_idx is not None:
        padding_idx %= n
    bag = np.searchsorted(starts, np.arange(flat.size), side="right") - 1
    keep = bag >= 0
    if padding_idx is not None:
        keep &= flat != padding_idx
    kept = tensor_from_array(np.ascontiguousarray(flat[keep]))
    rows = _op("torch.nn.functional.embedding")(kept, weight)
    if per_sample_weights is not None:
        psw = _op("torch.reshape")(_as_tensor(per_sample_weights), (-1, 1))
        rows = _op("torch.mul")(rows, getitem_raw(psw, (keep,), "IndexBackward0"))
    dim = weight.shape[1]
    bags = tensor_from_array(bag[keep])
    zeros = _op("torch.zeros")(nbags, dim, dtype=weight.dtype)
    if mode == "max":
        where = _op("Tensor.expand")(_op("torch.reshape")(bags, (-1, 1)), (-1, dim))
        out = _op("torch.scatter_reduce")(zeros, 0, where, rows, "amax", include_self=False)
    else:
        out = _op("torch.index_add")(zeros, 0, bags, rows)
        if mode == "mean":
            size = np.maximum(np.bincount(bag[keep], minlength=nbags), 1)
            out = _op("torch.div")(out, tensor_from_array(size.astype(weight.array.dtype)
                                                          .reshape(-1, 1)))
    return _named(out, "EmbeddingBagBackward0")


expose(embedding_bag, "torch.nn.functional.embedding_bag", family="nn")
