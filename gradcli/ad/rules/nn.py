"""torch.nn.functional rules: losses and activations as PyTorch records them."""

from __future__ import annotations

from typing import Any

from gradcli.ad import kernels as K
from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.ops import backward as B
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES, Rule
from gradcli.ad.rules import activations  # noqa: F401  (the activation rules)
from gradcli.ad.rules.base import (
    count,
    need,
    register,
    tan2,
)

# ---------------------------------------------------------------------------------------
# Losses: primitives so grad_fn names match PyTorch's and the forward is stable.
# ---------------------------------------------------------------------------------------

def _loss_scale(g: Tensor, shape: tuple[int, ...], reduction: str) -> Any:
    if reduction == "none":
        return g
    n = count(shape, None)
    return ops.expand(g, shape) / n if reduction == "mean" else ops.expand(g, shape)


def _loss_reduce(l: Tensor, reduction: str) -> Tensor:
    if reduction == "none":
        return l
    return ops.mean(l) if reduction == "mean" else ops.sum(l)


def _bce_scale(t: Tensor, z: Tensor, reduction: str) -> Tensor:
    # PyTorch's binary_cross_entropy_with_logits_backward: grad_input /= numel for a mean.
    if reduction == "mean":
        return B.div_scalar(t, count(z.shape, None))
    return t


register(Rule(
    "mse_loss", "MseLossBackward0", K.mse_loss,
    lambda g, out, a, b, reduction="mean": (
        B.mse_loss_backward(g, a, b, reduction) if need(a) else None,
        B.mse_loss_backward(g, b, a, reduction) if need(b) else None),
    lambda ts, out, a, b, reduction="mean": _loss_reduce(
        2 * (a - b) * tan2(ts, lambda t: t, lambda t: -t), reduction),
    kind="loss", doc="mean squared error",
    formula=("grad · 2(a - b)/n", "-grad · 2(a - b)/n")))
register(Rule(
    "bce_with_logits", "BinaryCrossEntropyWithLogitsBackward0", K.bce_with_logits,
    lambda g, out, z, y, reduction="mean": (
        _bce_scale((ops.sigmoid(z) - y) * g, z, reduction) if need(z) else None,
        _bce_scale(-z * g, z, reduction) if need(y) else None),
    lambda ts, out, z, y, reduction="mean": _loss_reduce(
        tan2(ts, lambda t: (ops.sigmoid(z) - y) * t, lambda t: -z * t), reduction),
    kind="loss", doc="binary cross-entropy on logits (stable)",
    formula=("grad · (σ(z) - y)/n", "-grad · z/n")))


def _nll_vjp(g: Tensor, out: Tensor, logp: Tensor, target: Tensor,
             reduction: str = "mean") -> tuple[Any, ...]:
    n = 1 if logp.ndim == 1 else logp.shape[0]
    rows = g if reduction == "none" else ops.expand(g, (n,) if logp.ndim > 1 else ())
    if reduction == "mean":
        rows = rows / n
    index = K.nll_index(logp.shape, target.array)
    # PyTorch's nll_loss_backward (a node of its own).
    return (apply(RULES["index_add_into"], (-rows,),
                  {"shape": logp.shape, "index": index, "name": "NllLossBackwardBackward0"}),
            None)


def _nll_jvp(ts: list[Any], out: Tensor, logp: Tensor, target: Tensor,
             reduction: str = "mean") -> Any:
    t = ts[0]
    if t is None:
        return None
    index = K.nll_index(logp.shape, target.array)
    return _loss_reduce(-ops.getitem_raw(t, index, "IndexBackward0"), reduction)


register(Rule("nll_loss", "NllLossBackward0", K.nll_loss, _nll_vjp, _nll_jvp,
              kind="loss", doc="negative log-likelihood of class indices",
              formula=("-grad/n at each target class", "—")))
