"""Rules of addcmul/addcdiv and the shrink family: hardshrink, softshrink and threshold
(PyTorch's *_backward primitives, as the activations), prelu (PreluKernelBackward0) and
glu. VJPs are PyTorch's derivatives.yaml formulas in our differentiable ops."""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import pointwise as KP
from gradcli.ad.ops import backward as B
from gradcli.ad.ops.joins import narrow
from gradcli.ad.registry import Rule
from gradcli.ad.rules.activations import activation
from gradcli.ad.rules.base import is_tensor, need, register, tan2, tan3


def _addcmul_vjp(g: Tensor, out: Tensor, x: Any, t1: Any, t2: Any,
                 value: Any = 1) -> tuple[Any, ...]:
    return (g if need(x) else None,
            g * (t2 * value) if need(t1) else None,
            g * (t1 * value) if need(t2) else None)


def _addcdiv_vjp(g: Tensor, out: Tensor, x: Any, t1: Any, t2: Any,
                 value: Any = 1) -> tuple[Any, ...]:
    return (g if need(x) else None,
            g * (value / t2) if need(t1) else None,
            -g * (value * t1 / (t2 * t2)) if need(t2) else None)


register(Rule(
    "add_alpha", "AddBackward0", KP.add_alpha,
    # maybe_multiply(grad, alpha): a mul by a Scalar (MulBackward1 under create_graph)
    lambda g, out, a, b, alpha: (g if need(a) else None,
                                 B.mul_scalar(g, alpha) if need(b) else None),
    lambda ts, out, a, b, alpha: tan2(ts, lambda t: t, lambda t: B.mul_scalar(t, alpha)),
    kind="binary", doc="a + alpha · b (fused: one rounding)", saves_inputs=False,
    formula=("grad", "grad · alpha")))
register(Rule(
    "sub_alpha", "SubBackward0", lambda a, b, alpha: KP.add_alpha(a, b, -alpha),
    lambda g, out, a, b, alpha: (g if need(a) else None,
                                 B.mul_scalar(-g, alpha) if need(b) else None),
    lambda ts, out, a, b, alpha: tan2(ts, lambda t: t, lambda t: -B.mul_scalar(t, alpha)),
    kind="binary", doc="a - alpha · b (fused: one rounding)", saves_inputs=False,
    formula=("grad", "-grad · alpha")))
register(Rule(
    "rsub", lambda i, p: "RsubBackward1" if i is not None and not is_tensor(i[1])
    else "RsubBackward0", lambda a, b, alpha=1: KP.add_alpha(b, a, -alpha),
    # torch.rsub(input, other, alpha): other - alpha · input, one node (RsubBackward1 for a
    # number `other`, whose one edge is input)
    lambda g, out, a, b, alpha=1: (B.mul_scalar(-g, alpha) if need(a) else None,
                                   g if need(b) else None),
    lambda ts, out, a, b, alpha=1: tan2(ts, lambda t: -B.mul_scalar(t, alpha), lambda t: t),
    kind="binary", doc="other - alpha · input (fused: one rounding)", saves_inputs=False,
    edges=lambda name: (0,) if name == "RsubBackward1" else (0, 1),
    formula=("-grad · alpha", "grad")))
register(Rule(
    "addcmul", "AddcmulBackward0", KP.addcmul, _addcmul_vjp,
    lambda ts, out, x, t1, t2, value=1: tan3(
        ts, lambda t: t, lambda t: value * (t * t2), lambda t: value * (t * t1)),
    kind="general", doc="x + value · t1 · t2",
    formula=("grad", "grad · t2 · value", "grad · t1 · value")))
register(Rule(
    "addcdiv", "AddcdivBackward0", KP.addcdiv, _addcdiv_vjp,
    lambda ts, out, x, t1, t2, value=1: tan3(
        ts, lambda t: t, lambda t: value * (t / t2),
        lambda t: -value * (t1 * t / (t2 * t2))),
    kind="general", doc="x + value · t1 / t2",
    formula=("grad", "grad · value / t2", "-grad · value · t1 / t2²")))


def _zeros(t: Tensor, g: Tensor, x: Tensor, **p: Any) -> Tensor:
    return ops.zeros_like(t)


activation("hardshrink", "HardshrinkBackward0", KP.hardshrink, KP.hardshrink_backward,
           "HardshrinkBackwardBackward0", _zeros, "x where |x| > λ, else 0", "0")
activation("softshrink", "SoftshrinkBackward0", KP.softshrink, KP.softshrink_backward,
           "SoftshrinkBackwardBackward0", _zeros, "x ∓ λ where |x| > λ, else 0", "0")
# threshold's VJP is the threshold_backward primitive relu's rule uses too.
register(Rule(
    "threshold", lambda i, p: "ThresholdBackward1" if p.get("inplace") else "ThresholdBackward0",
    lambda x, threshold, value, inplace=False: KP.threshold(x, threshold, value),
    lambda g, out, x, threshold, value, inplace=False: (
        B.threshold_backward(g, x, threshold),),
    lambda ts, out, x, threshold, value, inplace=False: B.threshold_backward(
        ts[0], x, threshold),
    kind="elementwise", doc="x where x > threshold, else value",
    formula=("threshold_backward(grad, x, threshold)",)))


register(Rule(
    "prelu", "PreluKernelBackward0", KP.prelu,
    lambda g, out, x, w: (ops.where(x > 0, g, w * g) if need(x) else None,
                          ops.where(x > 0, 0.0, x * g) if need(w) else None),
    lambda ts, out, x, w: tan2(ts, lambda t: ops.where(x >= 0, t, w * t),
                               lambda t: ops.where(x >= 0, 0.0, t * x)),
    kind="binary", doc="x where x > 0, else w · x",
    formula=("grad where x > 0, else w · grad", "x · grad where x ≤ 0")))


def _halves(x: Tensor, dim: int) -> tuple[Tensor, Tensor]:
    n = x.shape[dim] // 2
    return narrow(x, dim, 0, n), narrow(x, dim, n, n)


def _glu_vjp(g: Tensor, out: Tensor, x: Tensor, dim: int) -> tuple[Any, ...]:
    a, b = _halves(x, dim)
    s = ops.sigmoid(b)  # glu_backward: σ(b)·grad, and (1 - σ(b))·σ(b)·a·grad in that order
    return (ops.cat([s * g, (1 - s) * s * a * g], dim),)


def _glu_jvp(ts: list[Any], out: Tensor, x: Tensor, dim: int) -> Tensor:
    a, b = _halves(x, dim)
    ta, tb = _halves(ts[0], dim)
    s = ops.sigmoid(b)
    return ta * s + a * s * (1 - s) * tb


register(Rule("glu", "GluBackward0", KP.glu, _glu_vjp, _glu_jvp, kind="general",
              doc="a · σ(b), a and b the halves of x along dim",
              formula=("cat(grad · σ(b), grad · a · σ(b)(1 - σ(b)))",)))
