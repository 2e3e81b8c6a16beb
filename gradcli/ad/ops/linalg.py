"""Linear algebra (mm, mv, dot, matmul and its dispatch) and losses."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.elementwise import abs, exp, log1p, mul, neg, relu
from gradcli.ad.ops.reductions import log_softmax, mean, sum
from gradcli.ad.ops.shape import reshape, squeeze, t, unsqueeze
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.ad.state import check_size, warn
from gradcli.errors import GdRuntimeError

# -- linear algebra ---------------------------------------------------------------------

def mm(a: Tensor, b: Tensor) -> Tensor:
    """Matrix × matrix."""
    return apply(_RULES["mm"], (a, b))


def mv(a: Tensor, v: Tensor) -> Tensor:
    """Matrix × vector."""
    return apply(_RULES["mv"], (a, v))


def dot(a: Tensor, b: Tensor) -> Tensor:
    """Vector · vector."""
    return apply(_RULES["dot"], (a, b))


def inner(a: Tensor, b: Tensor) -> Tensor:
    """Inner product over the last dims (dot for vectors, a·bᵀ for matrices, ...)."""
    a, b = _as_tensor(a), _as_tensor(b)
    if a.ndim == 0 or b.ndim == 0:
        return mul(a, b)
    if a.shape[-1] != b.shape[-1]:
        raise GdRuntimeError("inner() the last dimension must match on both input tensors but "
                             f"got shapes {list(a.shape)} and {list(b.shape)}")
    if a.ndim == 1 and b.ndim == 1:
        return dot(a, b)
    k = a.shape[-1]
    out = mm(reshape(a, -1, k), t(reshape(b, -1, k)))
    return reshape(out, *a.shape[:-1], *b.shape[:-1])


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """The @ operator, dispatched as PyTorch does (dot, mv, mm, or batched)."""
    a, b = _as_tensor(a), _as_tensor(b)
    na, nb = a.ndim, b.ndim
    if na == 0 or nb == 0:
        raise GdRuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {na}D and {nb}D")
    if na == 1 and nb == 1:
        return dot(a, b)
    if na == 2 and nb == 1:
        return mv(a, b)
    if na == 1 and nb == 2:
        return squeeze(mm(unsqueeze(a, 0), b), 0, dims_variant=True)
    if na == 2 and nb == 2:
        return mm(a, b)
    # Batched, including a vector against a batch of matrices (UnsafeViewBackward0 as in
    # PyTorch, which folds these into one product).
    try:
        batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        batch = ()  # the kernel reports the mismatch
    check_size(math.prod(batch) * (a.shape[-2] if na > 1 else 1) * (b.shape[-1] if nb > 1 else 1))
    return apply(_RULES["matmul"], (a, b))


def outer(a: Tensor, b: Tensor) -> Tensor:
    """Outer product of two vectors."""
    for name, v in (("self", a), ("vec2", b)):
        if type(v) is Tensor and v.ndim != 1:
            raise GdRuntimeError(f"outer: Expected 1-D argument {name}, but got {v.ndim}-D")
    return mul(unsqueeze(a, 1), unsqueeze(b, 0))


# -- losses -----------------------------------------------------------------------------

def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean squared error (shapes that differ broadcast, with PyTorch's warning)."""
    target = _as_tensor(target)
    if target.shape != input.shape:
        warn(f"Using a target size (torch.Size({list(target.shape)})) that is different to the "
             f"input size (torch.Size({list(input.shape)})). This will likely lead to incorrect "
             "results due to broadcasting. Please ensure they have the same size.")
    return apply(_RULES["mse_loss"], (input, target), {"reduction": reduction})


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Any = None,
                                     reduction: str = "mean", pos_weight: Any = None) -> Tensor:
    """Binary cross-entropy on logits."""
    if weight is not None or pos_weight is not None:
        # Composite form: stable, differentiable, just a different grad_fn name.
        z, y = input, _as_tensor(target)
        lw = 1 if pos_weight is None else (pos_weight - 1) * y + 1
        l = (1 - y) * z + lw * (log1p(exp(-abs(z))) + relu(-z))
        if weight is not None:
            l = l * weight
        return l if reduction == "none" else (mean(l) if reduction == "mean" else sum(l))
    return apply(_RULES["bce_with_logits"], (input, _as_tensor(target)),
                 {"reduction": reduction})


def nll_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of class indices."""
    return apply(_RULES["nll_loss"], (input, _as_tensor(target)), {"reduction": reduction})


def cross_entropy(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """log_softmax then nll_loss (class indices), or soft targets (probabilities)."""
    tgt = _as_tensor(target)
    dim = 0 if input.ndim == 1 else 1
    logp = log_softmax(input, dim)
    if tgt.array.dtype.kind == "f":
        # PyTorch's order of ops: -(target · logp).sum(...), then / batch size for "mean".
        if reduction == "none":
            return neg(sum(mul(tgt, logp), dim))
        l = neg(sum(mul(tgt, logp)))
        return l / (input.shape[0] if input.ndim > 1 else 1) if reduction == "mean" else l
    return nll_loss(logp, tgt, reduction)
