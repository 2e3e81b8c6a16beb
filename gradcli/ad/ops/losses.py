"""More torch.nn.functional losses, as PyTorch composes them: margin_ranking_loss,
hinge_embedding_loss, poisson_nll_loss, gaussian_nll_loss and triplet_margin_loss
(their nodes are the primitives they are written in: MeanBackward0, ClampMinBackward0,
AddBackward0, ...)."""

from __future__ import annotations

import math
from typing import Any

from gradcli.ad.graph import Tensor
from gradcli.ad.ops import special  # noqa: F401  (add_scalar's rule is registered there)
from gradcli.ad.ops.creation import _as_tensor, ones_like, torch_error, zeros_like
from gradcli.ad.ops.elementwise import (
    add,
    clamp_min,
    clone,
    exp,
    log,
    minimum,
    mul,
    ne,
    neg,
    sub,
    where,
)
from gradcli.ad.ops.methods import INPLACE
from gradcli.ad.ops.nn import _reduce, _reduction, pairwise_distance
from gradcli.ad.ops.shape import unsqueeze
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.ad.state import no_grad
from gradcli.errors import GdRuntimeError


def _scalar_add(x: Tensor, number: float) -> Tensor:
    # C++'s `tensor + number` (add.Scalar): AddBackward1, as PyTorch's composites record it.
    return apply(_RULES["add_scalar"], (x, number))


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                        size_average: Any = None, reduce: Any = None,
                        reduction: str = "mean") -> Tensor:
    """max(0, -target · (input1 - input2) + margin), reduced."""
    reduction = _reduction(size_average, reduce, reduction)
    if input1.ndim != input2.ndim or input1.ndim != target.ndim:
        raise GdRuntimeError(
            "margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: torch.Size({list(input1.shape)}), input2: "
            f"torch.Size({list(input2.shape)}), target: torch.Size({list(target.shape)}) ")
    return _reduce(clamp_min(_scalar_add(mul(neg(target), sub(input1, input2)), margin), 0),
                   reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0,
                         size_average: Any = None, reduce: Any = None,
                         reduction: str = "mean") -> Tensor:
    """x where target is 1, max(0, margin - x) where it is -1 (both for other values)."""
    reduction = _reduction(size_average, reduce, reduction)
    target = _as_tensor(target)
    zeros = zeros_like(input)
    margin_clamp = clamp_min(add(neg(input), margin), 0)
    output_margin = where(ne(target, 1), margin_clamp, zeros)
    output_self = where(ne(target, -1), input, zeros)
    return _reduce(add(output_margin, output_self), reduction)


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average: Any = None, eps: float = 1e-8, reduce: Any = None,
                     reduction: str = "mean") -> Tensor:
    """exp(x) - target·x (log_input), else x - target·log(x + eps); full adds Stirling's
    term where target > 1."""
    reduction = _reduction(size_average, reduce, reduction)
    target = _as_tensor(target)
    if log_input:
        loss = sub(exp(input), mul(target, input))
    else:
        loss = sub(input, mul(target, log(_scalar_add(input, eps))))
    if full:
        stirling = add(sub(mul(target, log(target)), target),
                       mul(log(mul(target, 2 * math.pi)), 0.5))
        loss = add(loss, where(target <= 1, 0.0, stirling))
    return _reduce(loss, reduction)


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Any, full: bool = False,
                      eps: float = 1e-6, reduction: str = "mean") -> Tensor:
    """0.5 · (log(var) + (input - target)² / var), var clamped to eps without a
    derivative of the clamp (PyTorch's no_grad clamp_ of a clone)."""
    if isinstance(var, float):
        if var < 0:
            raise torch_error("var has negative entry/entries", "ValueError")
        var = mul(ones_like(input), var)
    elif bool((_as_tensor(var).array < 0).any()):
        raise torch_error("var has negative entry/entries", "ValueError")
    if var.shape != input.shape:
        if input.shape[:-1] == var.shape:
            var = unsqueeze(var, -1)
        elif not (input.ndim == var.ndim and sum(
                y for x, y in zip(input.shape, var.shape, strict=True) if x != y) == 1):
            raise torch_error("var is of incorrect size", "ValueError")
    if reduction not in ("none", "mean", "sum"):
        raise torch_error(f"{reduction} is not valid", "ValueError")
    var = clone(var)
    with no_grad():
        INPLACE["clamp_"](var, eps)
    loss = mul(add(log(var), sub(input, target) ** 2 / var), 0.5)
    if full:
        loss = INPLACE["add_"](loss, 0.5 * math.log(2 * math.pi))
    return _reduce(loss, reduction)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor,
                        margin: float = 1.0, p: float = 2, eps: float = 1e-6, swap: bool = False,
                        size_average: Any = None, reduce: Any = None,
                        reduction: str = "mean") -> Tensor:
    """max(0, margin + d(anchor, positive) - d(anchor, negative)), reduced."""
    reduction = _reduction(size_average, reduce, reduction)
    if margin <= 0:
        raise torch_error(f"margin must be greater than 0, got {float(margin)}", "ValueError")
    a, q, n = anchor.ndim, positive.ndim, negative.ndim
    if not a == q == n:
        raise GdRuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number "
            f"of dimensions, but got: anchor {a}D, positive {q}D, and negative {n}D inputs")
    dist_pos = pairwise_distance(anchor, positive, p, eps)
    dist_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        dist_neg = minimum(dist_neg, pairwise_distance(positive, negative, p, eps))
    return _reduce(clamp_min(sub(_scalar_add(dist_pos, margin), dist_neg), 0), reduction)


for _name in ("margin_ranking_loss", "hinge_embedding_loss", "poisson_nll_loss",
              "gaussian_nll_loss", "triplet_margin_loss"):
    expose(globals()[_name], f"torch.nn.functional.{_name}", family="nn")
