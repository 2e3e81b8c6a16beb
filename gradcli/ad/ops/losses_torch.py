"""The losses PyTorch also has in the torch namespace (torch.kl_div, ...): the functional
losses with ATen's signature, where `reduction` is an int (0 none, 1 mean, 2 sum; the
default, and any other value, keeps every element)."""

from __future__ import annotations

from typing import Any

from gradcli.ad.graph import Tensor
from gradcli.ad.ops.surface import SURFACE, expose
from gradcli.errors import GdRuntimeError


def _reduction(value: Any, fn: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise GdRuntimeError(f"{fn}(): argument 'reduction' must be int, not "
                             f"{type(value).__name__}", py_type="TypeError")
    return {1: "mean", 2: "sum"}.get(value, "none")


def _f(name: str) -> Any:
    return SURFACE[f"torch.nn.functional.{name}"]


def kl_div(input: Tensor, target: Tensor, reduction: int = 0, *,
           log_target: bool = False) -> Tensor:
    """F.kl_div with an int reduction."""
    return _f("kl_div")(input, target, reduction=_reduction(reduction, "kl_div"),
                        log_target=log_target)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Any = None,
                                     pos_weight: Any = None, reduction: int = 0) -> Tensor:
    """F.binary_cross_entropy_with_logits with an int reduction."""
    return _f("binary_cross_entropy_with_logits")(
        input, target, weight=weight, pos_weight=pos_weight,
        reduction=_reduction(reduction, "binary_cross_entropy_with_logits"))


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                        reduction: int = 0) -> Tensor:
    """F.margin_ranking_loss with an int reduction."""
    return _f("margin_ranking_loss")(input1, input2, target, margin=margin,
                                     reduction=_reduction(reduction, "margin_ranking_loss"))


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0,
                         reduction: int = 0) -> Tensor:
    """F.hinge_embedding_loss with an int reduction."""
    return _f("hinge_embedding_loss")(input, target, margin=margin,
                                      reduction=_reduction(reduction, "hinge_embedding_loss"))


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool, full: bool, eps: float,
                     reduction: int) -> Tensor:
    """F.poisson_nll_loss with every argument given, the reduction an int."""
    return _f("poisson_nll_loss")(input, target, log_input=log_input, full=full, eps=eps,
                                  reduction=_reduction(reduction, "poisson_nll_loss"))


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor,
                        margin: float = 1.0, p: float = 2, eps: float = 1e-6,
                        swap: bool = False, reduction: int = 0) -> Tensor:
    """F.triplet_margin_loss with an int reduction."""
    return _f("triplet_margin_loss")(anchor, positive, negative, margin=margin, p=p, eps=eps,
                                     swap=swap,
                                     reduction=_reduction(reduction, "triplet_margin_loss"))


for _fn in (kl_div, binary_cross_entropy_with_logits, margin_ranking_loss,
            hinge_embedding_loss, poisson_nll_loss, triplet_margin_loss):
    expose(_fn, f"torch.{_fn.__name__}", family="losses")
