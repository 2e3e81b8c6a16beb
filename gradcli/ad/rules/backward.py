"""PyTorch's backward primitives (threshold_backward, tanh_backward, ...): the
derivatives PyTorch computes through a function of its own, with that function's derivatives."""

from __future__ import annotations

from typing import Any

from gradcli.ad import kernels as K
from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.ops import backward as B
from gradcli.ad.registry import Rule
from gradcli.ad.rules.base import (
    arr,
    count,
    need,
    register,
    tan2,
    tan3,
    wrap,
)

# ---------------------------------------------------------------------------------------
# PyTorch's backward primitives: the derivatives above that PyTorch computes through a
# function of its own, with that function's derivatives (derivatives.yaml), so that a
# derivative taken with create_graph=True prints PyTorch's node and differentiates again
# like PyTorch's. They run only in backward passes. Kernels: gradcli.ad.ops.backward.
# ---------------------------------------------------------------------------------------

register(Rule(
    "threshold_backward", "ThresholdBackwardBackward0", B.k_threshold_backward,
    lambda gg, out, g, x, threshold: (
        B.threshold_backward(gg, x, threshold) if need(g) else None,
        ops.zeros_like(gg) if need(x) else None),
    lambda ts, out, g, x, threshold:
        None if ts[0] is None else B.threshold_backward(ts[0], x, threshold),
    kind="binary", doc="grad where x > threshold, else 0 (relu's derivative)",
    formula=("threshold_backward(grad, x, threshold)", "0"))).with_array_vjp(
    lambda gg, out, g, x, threshold: (
        wrap(B.k_threshold_backward(gg.array, x.array, threshold=threshold))
        if need(g) else None,
        ops.zeros_like(gg) if need(x) else None))
register(Rule(
    "tanh_backward", "TanhBackwardBackward0", B.k_tanh_backward,
    lambda gg, out, g, o: (B.tanh_backward(gg, o) if need(g) else None,
                           gg * (-2 * o * g) if need(o) else None),
    lambda ts, out, g, o: tan2(ts, lambda t: B.tanh_backward(t, o),
                                lambda t: t * (-2 * o * g)),
    kind="binary", doc="grad · (1 - out²) (tanh's derivative)",
    formula=("tanh_backward(grad, out)", "grad · (-2 · out · g)"))).with_array_vjp(
    lambda gg, out, g, o: (
        wrap(B.k_tanh_backward(gg.array, o.array)) if need(g) else None,
        wrap(K.mul(gg.array, K.mul(K.mul(o.array, -2), g.array))) if need(o) else None))
register(Rule(
    "sigmoid_backward", "SigmoidBackwardBackward0", B.k_sigmoid_backward,
    lambda gg, out, g, o: (B.sigmoid_backward(gg, o) if need(g) else None,
                           gg * g * (-2 * o + 1) if need(o) else None),
    lambda ts, out, g, o: tan2(ts, lambda t: B.sigmoid_backward(t, o),
                                lambda t: t * g * (-2 * o + 1)),
    kind="binary", doc="grad · out · (1 - out) (sigmoid's derivative)",
    formula=("sigmoid_backward(grad, out)", "grad · g · (1 - 2 · out)"))).with_array_vjp(
    lambda gg, out, g, o: (
        wrap(B.k_sigmoid_backward(gg.array, o.array)) if need(g) else None,
        wrap(K.mul(K.mul(gg.array, g.array), K.add(K.mul(o.array, -2), 1)))
        if need(o) else None))
register(Rule(
    "masked_fill", "MaskedFillBackward0", B.k_masked_fill,
    lambda g, out, x, mask, value: (B.masked_fill(g, mask, 0),),
    lambda ts, out, x, mask, value: B.masked_fill(ts[0], mask, 0),
    kind="linear", doc="x with a number where mask", saves_inputs=False, batchable=True,
    torch_keeps=True,  # MaskedFillBackward0 keeps the mask
    formula=("grad with 0 where mask",))).with_array_vjp(
    lambda g, out, x, mask, value: (wrap(B.k_masked_fill(g.array, mask=arr(mask), value=0)),))

register(Rule(
    "masked_fill_value", "MaskedFillBackward1", B.k_masked_fill_value,
    lambda g, out, x, value, mask: (
        B.masked_fill(g, mask, 0) if need(x) else None,
        ops.sum(B.masked_fill(g, ~mask, 0)) if need(value) else None),
    lambda ts, out, x, value, mask: tan2(
        ts, lambda t: B.masked_fill(t, mask, 0),
        lambda t: B.masked_fill_value(ops.zeros_like(out), mask, t)),
    kind="general", doc="x with a 0-dim tensor's value where mask", saves_inputs=False,
    torch_keeps=True,  # MaskedFillBackward1 keeps the mask
    batchable=False,
    formula=("grad with 0 where mask", "Σ grad where mask")))
register(Rule(
    "mul_scalar", "MulBackward1", B.k_mul_scalar,
    lambda g, out, a, b: (B.mul_scalar(g, b), None),
    lambda ts, out, a, b: None if ts[0] is None else B.mul_scalar(ts[0], b),
    kind="binary", doc="a · number (PyTorch's mul.Scalar)", saves_inputs=False,
    edges=lambda name: (0,),
    formula=("grad · b", "—"))).with_array_vjp(
    lambda g, out, a, b: (wrap(B.k_mul_scalar(g.array, b)), None))
register(Rule(
    "div_scalar", "DivBackward1", B.k_div_scalar,
    lambda g, out, a, b: (B.div_scalar(g, b), None),
    lambda ts, out, a, b: None if ts[0] is None else B.div_scalar(ts[0], b),
    kind="binary", doc="a / number (PyTorch's div.Scalar)", saves_inputs=False,
    edges=lambda name: (0,),
    formula=("grad / b", "—"))).with_array_vjp(
    lambda g, out, a, b: (wrap(B.k_spread(B.k_div_scalar, g.array, b)), None))


def _mse_norm(a: Tensor, b: Tensor, reduction: str) -> float:
    n = count(a.shape, None)
    return 2.0 / n if reduction == "mean" and n else 2.0


def _mse_backward_vjp(gg: Tensor, out: Tensor, g: Tensor, a: Tensor, b: Tensor,
                      reduction: str = "mean") -> tuple[Any, ...]:
    # PyTorch's mse_loss_double_backward_grad_output / mse_loss_double_backward.
    gg_g = gg * g if need(a) or need(b) else None
    if need(g):
        if reduction == "none":
            dg = B.mse_loss_backward(gg, a, b, "none")
        else:
            dg = ops.sum(B.mse_loss_backward(ops.ones_like(g), a, b, reduction) * gg)
    else:
        dg = None
    da = _mse_double(gg_g, a, reduction) if need(a) else None
    db = -_mse_double(gg_g, b, reduction) if need(b) else None
    return dg, da, db


def _mse_double(t: Any, x: Tensor, reduction: str) -> Tensor:
    # PyTorch's mse_loss_double_backward: 2 · t, divided by x's numel for a mean.
    t = 2 * t
    n = count(x.shape, None)
    return t / n if reduction == "mean" and n else t


register(Rule(
    "mse_loss_backward", "MseLossBackwardBackward0", B.k_mse_loss_backward,
    _mse_backward_vjp,
    lambda ts, out, g, a, b, reduction="mean": tan3(
        ts, lambda t: B.mse_loss_backward(t, a, b, reduction),
        lambda t: _mse_norm(a, b, reduction) * t * g,
        lambda t: -_mse_norm(a, b, reduction) * t * g),
    kind="loss", doc="2 · (a - b) · grad (/ n for a mean): mse_loss's derivative",
    batchable=False,
    formula=("2 · (a - b) · gg", "2 · gg · g", "-2 · gg · g")))


def _softmax_double(gg: Tensor, g: Tensor, o: Tensor, dim: int) -> Tensor:
    # PyTorch's softmax_double_backward(grad, grad_output, dim, output).
    return g * gg - ops.sum(o * g, dim, True) * gg - g * ops.sum(o * gg, dim, True)


register(Rule(
    "softmax_backward_data", "SoftmaxBackwardDataBackward0", B.k_softmax_backward_data,
    lambda gg, out, g, o, dim: (B.softmax_backward_data(gg, o, dim) if need(g) else None,
                                _softmax_double(gg, g, o, dim) if need(o) else None),
    lambda ts, out, g, o, dim: tan2(
        ts, lambda t: B.softmax_backward_data(t, o, dim),
        lambda t: t * (g - ops.sum(g * o, dim, True)) - o * ops.sum(g * t, dim, True)),
    kind="general", doc="out · (grad - Σ grad · out) (softmax's derivative)",
    batchable=False, sparse_tangents=True,
    formula=("softmax_backward_data(grad, out)", "softmax_double_backward")))
register(Rule(
    "log_softmax_backward_data", "LogSoftmaxBackwardDataBackward0",
    B.k_log_softmax_backward_data,
    lambda gg, out, g, o, dim: (
        gg - ops.sum(gg * ops.exp(o), dim, True) if need(g) else None,
        -ops.sum(g, dim, True) * ops.exp(o) * gg if need(o) else None),
    lambda ts, out, g, o, dim: tan2(
        ts, lambda t: t - ops.exp(o) * ops.sum(t, dim, True),
        lambda t: -ops.exp(o) * t * ops.sum(g, dim, True)),
    kind="general", doc="grad - exp(out) · Σ grad (log_softmax's derivative)",
    batchable=False,
    formula=("grad - Σ grad · exp(out)", "-Σ g · exp(out) · grad")))
