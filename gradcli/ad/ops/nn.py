"""torch.nn.functional: activations and losses as PyTorch computes and records them."""

from __future__ import annotations

from typing import Any

from gradcli.ad.graph import Tensor
from gradcli.ad.ops import activations  # noqa: F401  (the activations' spellings)
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.elementwise import abs, exp, log1p, mul, neg, relu
from gradcli.ad.ops.reductions import log_softmax, mean, sum
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.ad.state import warn

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


# -- PyTorch spellings ------------------------------------------------------------------

for _name in ("mse_loss", "cross_entropy", "nll_loss", "binary_cross_entropy_with_logits"):
    expose(globals()[_name], f"torch.nn.functional.{_name}", family="nn")
