"""The rule of group_norm (NativeGroupNormBackward0): layer_norm's statistics over each
group of channels of each sample, the affine part per channel; written in differentiable
ops (the VJP and JVP are layer_norm's on the (N, G, rest) view; d x̂ is self-adjoint)."""

from __future__ import annotations

import math
from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import group_norm as KG
from gradcli.ad.registry import Rule
from gradcli.ad.rules.base import need, register, tan3, wrap
from gradcli.ad.rules.nn import _stats, _with_exact
from gradcli.ad.state import State


def _channel(x: Any) -> tuple[int, ...]:
    return (1, x.shape[1]) + (1,) * (x.ndim - 2)


def _grouped(t: Tensor, groups: int) -> Tensor:
    return ops.reshape(t, (t.shape[0], groups, math.prod(t.shape[1:]) // groups))


def _xhat(x: Tensor, groups: int, eps: float) -> Tensor:
    return ops.reshape(_stats(_grouped(x, groups), (2,), eps)[0], x.shape)


def _dx(g: Tensor, x: Tensor, eps: float) -> Tensor:
    """d x̂ along the rows of x (self-adjoint: the VJP and the JVP alike)."""
    xhat, rstd = _stats(x, (2,), eps)
    return rstd * (g - ops.mean(g, (2,), True) - xhat * ops.mean(g * xhat, (2,), True))


def _vjp(g: Tensor, x: Tensor, w: Any, b: Any, groups: int, eps: float) -> tuple[Any, ...]:
    other = tuple(d for d in range(x.ndim) if d != 1)
    gw = g if w is None else g * ops.reshape(w, _channel(x))
    dx = None
    if need(x):
        dx = ops.reshape(_dx(_grouped(gw, groups), _grouped(x, groups), eps), x.shape)
    dw = ops.sum(g * _xhat(x, groups, eps), other) if need(w) else None
    db = ops.sum(g, other) if need(b) else None
    return dx, dw, db


def _jvp(ts: list[Any], x: Tensor, w: Any, b: Any, groups: int, eps: float) -> Any:
    shape = _channel(x)

    def d_x(t: Tensor) -> Tensor:
        d = ops.reshape(_dx(_grouped(t, groups), _grouped(x, groups), eps), x.shape)
        return d if w is None else d * ops.reshape(w, shape)

    return tan3(ts, d_x, lambda t: _xhat(x, groups, eps) * ops.reshape(t, shape),
                lambda t: ops.expand(ops.reshape(t, shape), x.shape))


def _gn_vjp(g: Tensor, out: Tensor, x: Tensor, w: Any, b: Any, groups: int,
            eps: float) -> tuple[Any, ...]:
    cots = _vjp(g, x, w, b, groups, eps)
    if State.grad_enabled:  # create_graph: PyTorch's composite, differentiable formula
        return cots
    return _with_exact(cots, KG.group_norm_backward(
        g.array, x.array, None if w is None else w.array, groups, eps),
        "NativeGroupNormBackwardBackward0")


def _gn_vjp_array(g: Tensor, out: Tensor, x: Tensor, w: Any, b: Any, groups: int,
                  eps: float) -> tuple[Any, ...]:
    exact = KG.group_norm_backward(g.array, x.array, None if w is None else w.array, groups,
                                   eps)
    if exact is None:
        return _gn_vjp(g, out, x, w, b, groups, eps)
    return tuple(wrap(e) if need(t) else None for t, e in zip((x, w, b), exact, strict=True))


# float32 gradients as PyTorch's kernel rounds them (group_norm_backward), except under
# create_graph, where PyTorch too runs the differentiable formula.
register(Rule(
    "group_norm", "NativeGroupNormBackward0", KG.group_norm, _gn_vjp,
    lambda ts, out, x, w, b, groups, eps: _jvp(ts, x, w, b, groups, eps),
    kind="general", doc="(x - mean)/sqrt(var + eps) per channel group, · w + b per channel",
    batchable=False, formula=("layer_norm's over (N, G, rest)", "Σ g · x̂", "Σ g"))
         ).with_array_vjp(_gn_vjp_array)
