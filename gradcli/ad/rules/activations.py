"""Activation rules (torch.nn.functional): each activation a primitive with its own node
(SoftplusBackward0, GeluBackward0, ...) whose derivative is PyTorch's backward function
(softplus_backward, gelu_backward, ...), itself a primitive with PyTorch's node name
(SoftplusBackwardBackward0) and PyTorch's double-backward formula."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import nn as KN
from gradcli.ad.ops import backward as B
from gradcli.ad.registry import Rule
from gradcli.ad.rules.base import elementwise, need, register, tan2, wrap
from gradcli.ad.state import State
from gradcli.errors import GdRuntimeError


def activation(name: str, torch_name: str | Callable[..., str], kernel: Callable[..., Any],
               backward_kernel: Callable[..., Any], backward_torch_name: str,
               double: Callable[..., Any], doc: str, formula: str, *,
               result_node: bool = False) -> None:
    """An activation y = f(x, **p) whose VJP is PyTorch's `<name>_backward(grad, x, **p)`.

    `double(t, g, x, **p)`: the `self` derivative of that backward function applied to
    the cotangent t of its output (g: its grad_output), PyTorch's `*_double_backward`.
    `result_node`: the in-place form (param inplace=True) records PyTorch's node that
    saves the result (EluBackward1, ...)."""
    bw = name + "_backward"
    named = torch_name if callable(torch_name) else (lambda i, p: torch_name)

    def node_name(inputs: Any, params: dict[str, Any]) -> str:
        n = named(inputs, params)
        return n[:-1] + "1" if result_node and params.get("inplace") else n

    register(Rule(
        name, node_name, lambda x, inplace=False, **p: kernel(x, **p),
        lambda g, out, x, inplace=False, **p: (B.activation_backward(name, g, x, **p),),
        lambda ts, out, x, inplace=False, **p: B.activation_backward(name, ts[0], x, **p),
        kind="elementwise", doc=doc, formula=(f"{bw}(grad, x)",))).with_array_vjp(
        lambda g, out, x, inplace=False, **p: (wrap(backward_kernel(g.array, x.array, **p)),))
    register(Rule(
        bw, backward_torch_name, backward_kernel,
        lambda gg, out, g, x, **p: (
            B.activation_backward(name, gg, x, **p) if need(g) else None,
            double(gg, g, x, **p) if need(x) else None),
        lambda ts, out, g, x, **p: tan2(
            ts, lambda t: B.activation_backward(name, t, x, **p),
            lambda t: double(t, g, x, **p)),
        kind="binary", doc=f"grad · {name}'(x) (PyTorch's {bw})",
        formula=(f"{bw}(grad, x)", formula)))


def _zeros(t: Tensor, g: Tensor, x: Tensor, **p: Any) -> Tensor:
    return ops.zeros_like(t)


def _softplus_double(t: Tensor, g: Tensor, x: Tensor, beta: float,
                     threshold: float) -> Tensor:
    # PyTorch's softplus_double_backward(grad * grad_output, self, beta, threshold).
    bx = x * beta
    return B.sigmoid_backward(t * g, ops.sigmoid(bx)) * ops.to_dtype(bx < threshold, g.dtype) \
        * beta


_K_BETA = 1 / math.sqrt(2 * math.pi)
_K_TANH = math.sqrt(2 / math.pi)
_KAPPA = 0.044715


def _gelu_double(t: Tensor, g: Tensor, x: Tensor, approximate: str = "none") -> Tensor:
    # PyTorch's gelu_double_backward: grad · grad_output · gelu''(x).
    if approximate == "tanh":
        x2 = x * x
        th = ops.tanh(_K_TANH * (x + _KAPPA * x2 * x))
        sech2 = 1 - th * th
        inner_d = _K_TANH * (1 + 3 * _KAPPA * x2)
        second = sech2 * (inner_d + 0.5 * x * (6 * _K_TANH * _KAPPA * x - 2 * th * inner_d
                                                * inner_d))
        return t * g * second
    x2 = x * x
    pdf = ops.exp(-0.5 * x2) * _K_BETA
    # C++ (GCC) evaluates an operator's right operand first: x² · pdf, then 2 · pdf.
    right = x2 * pdf
    return t * g * (2 * pdf - right)


def _elu_double(t: Tensor, g: Tensor, x: Tensor, alpha: float, scale: float,
                input_scale: float) -> Tensor:
    # PyTorch's elu_double_backward (is_result false): zero from x = 0 on (the first
    # derivative takes the negative branch at 0, its derivative does not).
    return ops.where(x >= 0, 0.0, t * g * (input_scale * input_scale * alpha * scale)
                     * ops.exp(x * input_scale))


def _log_sigmoid_double(t: Tensor, g: Tensor, x: Tensor) -> Tensor:
    # PyTorch's log_sigmoid_double_backward(grad * grad_output, self).
    z = ops.sigmoid(x)
    return t * g * (z - 1) * z


def _hardswish_double(t: Tensor, g: Tensor, x: Tensor) -> Tensor:
    return ops.where(ops.logical_and(x > -3.0, x < 3.0), t * g / 3.0, 0.0)


def _not_implemented(t: Tensor, g: Tensor, x: Tensor) -> Tensor:
    raise GdRuntimeError("derivative for aten::hardsigmoid_backward is not implemented")


activation("softplus", "SoftplusBackward0", KN.softplus, KN.softplus_backward,
           "SoftplusBackwardBackward0", _softplus_double,
           "log(1 + e^(βx))/β (x where βx > threshold)", "gg · g · β · σ'(βx)")
activation("gelu", "GeluBackward0", KN.gelu, KN.gelu_backward, "GeluBackwardBackward0",
           _gelu_double, "x · Φ(x) (or its tanh approximation)", "gg · g · gelu''(x)")
activation("leaky_relu", "LeakyReluBackward0", KN.leaky_relu, KN.leaky_relu_backward,
           "LeakyReluBackwardBackward0", _zeros, "x where x > 0, else slope · x", "0",
           result_node=True)
# elu, selu (EluBackward0) and celu (CeluBackward0) share PyTorch's elu_backward.
activation("elu", lambda i, p: "CeluBackward0" if p.get("celu") else "EluBackward0",
           lambda x, alpha, scale, input_scale, celu=False: KN.elu(x, alpha, scale,
                                                                    input_scale),
           lambda g, x, alpha, scale, input_scale, celu=False: KN.elu_backward(
               g, x, alpha, scale, input_scale),
           "EluBackwardBackward0",
           lambda t, g, x, alpha, scale, input_scale, celu=False: _elu_double(
               t, g, x, alpha, scale, input_scale),
           "scale · (x where x > 0, else α(e^(x · input_scale) - 1))",
           "gg · g · α · scale · input_scale² · e^(x · input_scale) where x ≤ 0",
           result_node=True)
activation("log_sigmoid", "LogSigmoidBackward0", KN.log_sigmoid, KN.log_sigmoid_backward,
           "LogSigmoidBackwardBackward0", _log_sigmoid_double, "log σ(x)",
           "gg · g · (σ(x) - 1) · σ(x)")
activation("hardtanh", "HardtanhBackward0", KN.hardtanh, KN.hardtanh_backward,
           "HardtanhBackwardBackward0", _zeros, "x clipped into [min_val, max_val]", "0")
activation("hardsigmoid", "HardsigmoidBackward0", KN.hardsigmoid, KN.hardsigmoid_backward,
           "NotImplemented", _not_implemented, "clip(x/6 + 1/2, 0, 1)",
           "not implemented (PyTorch)")
activation("hardswish", "HardswishBackward0", KN.hardswish, KN.hardswish_backward,
           "HardswishBackwardBackward0", _hardswish_double, "x · clip(x + 3, 0, 6)/6",
           "gg · g / 3 where -3 < x < 3")


def _array(g: Any) -> Any:
    return g.array if isinstance(g, Tensor) else g


def _silu_grad(g: Tensor, x: Tensor, o: Tensor) -> Tensor:
    # PyTorch's infinitely_differentiable_silu_backward where grad mode records (create_graph),
    # else its silu_backward kernel.
    if not State.grad_enabled:
        return wrap(KN.silu_backward(_array(g), x.array))
    s = ops.sigmoid(x)
    # C++ (GCC) evaluates an operator's right operand first: the nodes are made in its order.
    right = 1.0 + x * (1.0 - s)
    return g * s * right


def _mish_grad(g: Tensor, x: Tensor, o: Tensor) -> Tensor:
    # PyTorch's infinitely_differentiable_mish_backward where grad mode records, else its
    # mish_backward kernel.
    if not State.grad_enabled:
        return wrap(KN.mish_backward(_array(g), x.array))
    s = ops.sigmoid(x)
    ts = ops.tanh(ops.log1p(ops.exp(x)))
    return g * (ts + x * s * (1.0 - ts * ts))


elementwise("silu", "SiluBackward0", KN.silu, lambda x, o: _silu_grad(1.0, x, o),
            "x · σ(x)", formula=("grad · σ(x)(1 + x(1 - σ(x)))",), grad=_silu_grad,
            fast=lambda g, x, o: KN.silu_backward(g, x))
elementwise("mish", "MishBackward0", KN.mish, lambda x, o: _mish_grad(1.0, x, o),
            "x · tanh(softplus(x))", formula=("grad · (tanh(sp) + x σ(x)(1 - tanh²(sp)))",),
            grad=_mish_grad, fast=lambda g, x, o: KN.mish_backward(g, x))


# rrelu (RreluWithNoiseBackward0): x · noise, the noise 1 where x > 0 (training: x ≤ 0), else
# the slope drawn for the element (training) or (lower + upper)/2; the backward grad · noise
# (PyTorch's rrelu_with_noise_backward: leaky_relu_backward out of training).
register(Rule(
    "rrelu", lambda i, p: "RreluWithNoiseBackward1" if p.get("inplace") else
    "RreluWithNoiseBackward0", lambda x, noise, inplace=False: KN.rrelu(x, noise),
    lambda g, out, x, noise, inplace=False: (g * Tensor(noise),),
    lambda ts, out, x, noise, inplace=False: ts[0] * Tensor(noise),
    kind="elementwise", doc="x · noise (rrelu's slopes where x ≤ 0, 1 elsewhere)",
    formula=("grad · noise",)))
