"""torch.nn.functional rules: losses and activations as PyTorch records them."""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Node, Tensor, tensor_from_array
from gradcli.ad.kernels import ctc as KC
from gradcli.ad.kernels import linalg as KL
from gradcli.ad.kernels import nn as KN
from gradcli.ad.kernels import normalization as KNorm
from gradcli.ad.ops import backward as B
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES, Rule
from gradcli.ad.rules import activations  # noqa: F401  (the activation rules)
from gradcli.ad.rules.base import (
    arr,
    count,
    linear,
    need,
    no_derivative,
    no_forward_ad,
    register,
    tan2,
    tan3,
    wrap,
)
from gradcli.ad.state import State

# ---------------------------------------------------------------------------------------
# Losses: primitives so grad_fn names match PyTorch's and the forward is stable.
# ---------------------------------------------------------------------------------------

def _loss_reduce(l: Tensor, reduction: str) -> Tensor:
    if reduction == "none":
        return l
    return ops.mean(l) if reduction == "mean" else ops.sum(l)


register(Rule(
    "mse_loss", "MseLossBackward0", KN.mse_loss,
    lambda g, out, a, b, reduction="mean": (
        B.mse_loss_backward(g, a, b, reduction) if need(a) else None,
        B.mse_loss_backward(g, b, a, reduction) if need(b) else None),
    lambda ts, out, a, b, reduction="mean": _loss_reduce(
        2 * (a - b) * tan2(ts, lambda t: t, lambda t: -t), reduction),
    kind="loss", doc="mean squared error",
    formula=("grad · 2(a - b)/n", "-grad · 2(a - b)/n"))).with_array_vjp(
    lambda g, out, a, b, reduction="mean": (
        wrap(B.k_mse_loss_backward(g.array, arr(a), arr(b), reduction=reduction))
        if need(a) else None,
        wrap(B.k_mse_loss_backward(g.array, arr(b), arr(a), reduction=reduction))
        if need(b) else None))
def _const(a: Any) -> Any:
    return None if a is None else Tensor(a)


def _mean_scale(t: Tensor, like: Any, reduction: str) -> Tensor:
    # PyTorch's loss backward functions divide by the numel (of `like`, else of the
    # broadcast t) for a mean.
    n = count((t if like is None else like).shape, None)
    return B.div_scalar(t, n) if reduction == "mean" else t


def _weighted(t: Tensor, weight: Any) -> Tensor:
    return t if weight is None else t * _const(weight)


def _bcel_dz(z: Tensor, y: Tensor, pos_weight: Any) -> Tensor:
    if pos_weight is None:
        return ops.sigmoid(z) - y
    t = _const(pos_weight) * y
    return (t + 1 - y) * ops.sigmoid(z) - t


def _bcel_dy(z: Tensor, pos_weight: Any) -> Tensor:
    if pos_weight is None:
        return -z
    return _log_sigmoid(-z) - _const(pos_weight) * _log_sigmoid(z)


def _log_sigmoid(x: Tensor) -> Tensor:
    return apply(RULES["log_sigmoid"], (x,))


register(Rule(
    "bce_with_logits", "BinaryCrossEntropyWithLogitsBackward0", KN.bce_with_logits,
    lambda g, out, z, y, weight=None, pos_weight=None, reduction="mean": (
        _mean_scale(_weighted(_bcel_dz(z, y, pos_weight) * g, weight), z, reduction)
        if need(z) else None,
        _mean_scale(_weighted(_bcel_dy(z, pos_weight) * g, weight), z, reduction)
        if need(y) else None),
    lambda ts, out, z, y, weight=None, pos_weight=None, reduction="mean": _loss_reduce(
        _weighted(tan2(ts, lambda t: _bcel_dz(z, y, pos_weight) * t,
                       lambda t: _bcel_dy(z, pos_weight) * t), weight), reduction),
    kind="loss", doc="binary cross-entropy on logits (stable; weight, pos_weight)",
    formula=("grad · w · ((pw·y + 1 - y)σ(z) - pw·y)/n", "grad · w · (log σ(-z) - pw log σ(z))/n")))


def _bce_dx(x: Tensor, y: Tensor) -> Tensor:
    # PyTorch's binary_cross_entropy_backward: (x - y) / max((1 - x) x, EPS), EPS the
    # float 1e-12 (kernels/nn._BCE_EPSILON)
    return (x - y) / ops.clamp((1 - x) * x, min=9.999999960041972e-13)


def _bce_dy(x: Tensor) -> Tensor:
    # PyTorch's binary_cross_entropy_target_backward: logit(x).neg_() (its last bits and
    # its -0.0 at x = 0.5, which log1p(-x) - log(x) gives as +0.0)
    return -apply(RULES["logit"], (x,))


def _loss_backward(name: str, g: Tensor, x: Tensor, y: Tensor, **p: Any) -> Tensor:
    return apply(RULES[name + "_backward"], (g, x, y), p)


register(Rule(
    "binary_cross_entropy", "BinaryCrossEntropyBackward0", KN.binary_cross_entropy,
    lambda g, out, x, y, weight=None, reduction="mean": (
        _loss_backward("binary_cross_entropy", g, x, y, weight=weight, reduction=reduction)
        if need(x) else None,
        _mean_scale(_weighted(_bce_dy(x) * g, weight), x, reduction) if need(y) else None),
    lambda ts, out, x, y, weight=None, reduction="mean": _loss_reduce(_weighted(
        tan2(ts, lambda t: _bce_dx(x, y) * t, lambda t: _bce_dy(x) * t), weight), reduction),
    kind="loss", doc="binary cross-entropy of probabilities (logs clamped at -100)",
    formula=("binary_cross_entropy_backward(grad, x, y)", "-grad · w · logit(x)/n")))


def _smooth_d(x: Tensor, y: Tensor, beta: float) -> Tensor:
    return ops.clamp((x - y) / beta, -1.0, 1.0)


def _huber_d(x: Tensor, y: Tensor, delta: float) -> Tensor:
    return ops.clamp(x - y, -delta, delta)


def _smooth_dd(x: Tensor, y: Tensor, beta: float) -> Tensor:
    return ops.to_dtype(ops.abs(x - y) < beta, x.dtype) / beta


def _huber_dd(x: Tensor, y: Tensor, delta: float) -> Tensor:
    return ops.to_dtype(ops.abs(x - y) < delta, x.dtype)


def _bce_ddx(x: Tensor, y: Tensor) -> Tensor:
    # d/dx of (x - y)/((1 - x)x): PyTorch's binary_cross_entropy_double_backward.
    eps = 1e-12
    return (x * x - 2 * x * y + y) / ((x + eps) * (x + eps) * (1 - x + eps) * (1 - x + eps))


def _bce_ddy(x: Tensor, y: Tensor) -> Tensor:
    return -1 / ops.clamp((1 - x) * x, min=1e-12)


def _reduced_like(t: Tensor, reduction: str) -> Tensor:
    # The grad_output side of a loss's backward: reduced as the loss was.
    if reduction == "none":
        return t
    total = ops.sum(t)
    return B.div_scalar(total, count(t.shape, None)) if reduction == "mean" else total


def _param(p: dict[str, Any], param: str | None) -> Any:
    return None if param is None else p[param]


def _loss_backward_rules(name: str, torch_name: str, kernel: Any, backward_kernel: Any,
                         d: Any, ddx: Any, ddy: Any, param: str | None, doc: str,
                         symmetric: bool = False) -> None:
    """A loss ℓ(x, y) whose VJP in x is PyTorch's `<name>_backward(grad, x, y, ...)`, a node
    of its own (`<Name>BackwardBackward0`) with PyTorch's double-backward formulas. `param`
    names the loss's parameter d, ddx and ddy take (None: the loss has none). The loss is a
    function of x - y, or (symmetric) of x·y, whose derivative in y is d(y, x)."""

    def d_y(x: Tensor, y: Tensor, p: dict[str, Any]) -> Tensor:
        return d(y, x, _param(p, param)) if symmetric else -d(x, y, _param(p, param))

    register(Rule(
        name, torch_name, kernel,
        lambda g, out, x, y, reduction="mean", **p: (
            _loss_backward(name, g, x, y, reduction=reduction, **p) if need(x) else None,
            _loss_backward(name, g, y, x, reduction=reduction, **p) if need(y) else None),
        lambda ts, out, x, y, reduction="mean", **p: _loss_reduce(tan2(
            ts, lambda t: d(x, y, _param(p, param)) * t, lambda t: d_y(x, y, p) * t),
            reduction),
        kind="loss", doc=doc, formula=(f"{name}_backward(grad, x, y)",
                                       f"{name}_backward(grad, y, x)")))
    register(Rule(
        name + "_backward", torch_name.replace("Backward0", "BackwardBackward0"),
        backward_kernel,
        lambda gg, out, g, x, y, reduction="mean", **p: (
            _reduced_like(gg * d(x, y, _param(p, param)), reduction) if need(g) else None,
            _mean_scale(gg * g * ddx(x, y, _param(p, param)), None, reduction)
            if need(x) else None,
            _mean_scale(gg * g * ddy(x, y, _param(p, param)), None, reduction)
            if need(y) else None),
        lambda ts, out, g, x, y, reduction="mean", **p: tan3(
            ts, lambda t: _mean_scale(t * d(x, y, _param(p, param)), None, reduction),
            lambda t: _mean_scale(t * g * ddx(x, y, _param(p, param)), None, reduction),
            lambda t: _mean_scale(t * g * ddy(x, y, _param(p, param)), None, reduction)),
        kind="loss", doc=f"grad · {name}'(x, y) (PyTorch's {name}_backward)",
        batchable=False, formula=("gg · d(x, y)", "gg · g · d'(x, y)", "-gg · g · d'(x, y)")))


_loss_backward_rules("smooth_l1_loss", "SmoothL1LossBackward0", KN.smooth_l1_loss,
                     KN.smooth_l1_loss_backward, _smooth_d, _smooth_dd,
                     lambda x, y, beta: -_smooth_dd(x, y, beta), "beta",
                     "0.5 d²/β where |d| < β, else |d| - β/2")
_loss_backward_rules("huber_loss", "HuberLossBackward0", KN.huber_loss,
                     KN.huber_loss_backward, _huber_d, _huber_dd,
                     lambda x, y, delta: -_huber_dd(x, y, delta), "delta",
                     "0.5 d² where |d| < δ, else δ(|d| - δ/2)")


def _soft_margin_d(x: Tensor, y: Tensor, _: Any) -> Tensor:
    z = ops.exp(-y * x)
    return y * z * -1.0 / (z + 1)


def _soft_margin_dd(x: Tensor, y: Tensor, _: Any) -> Tensor:
    # PyTorch's soft_margin_loss_double_backward: target² z / (z + 1)²
    z = ops.exp(x * -y)
    zplus1 = z + 1
    return y * y * z / (zplus1 * zplus1)


def _soft_margin_ddy(x: Tensor, y: Tensor, _: Any) -> Tensor:
    # d/dy of d(x, y) = -y z / (z + 1): (x y z - z - z²) / (z + 1)²
    z = ops.exp(x * -y)
    zplus1 = z + 1
    return (x * y * z - z * zplus1) / (zplus1 * zplus1)


# (PyTorch refuses a target that requires grad: ops/nn_extra.soft_margin_loss)
_loss_backward_rules("soft_margin_loss", "SoftMarginLossBackward0", KN.soft_margin_loss,
                     KN.soft_margin_loss_backward, _soft_margin_d, _soft_margin_dd,
                     _soft_margin_ddy, None, "log(1 + exp(-y·x))", symmetric=True)


register(Rule(
    "binary_cross_entropy_backward", "BinaryCrossEntropyBackwardBackward0",
    KN.binary_cross_entropy_backward,
    lambda gg, out, g, x, y, weight=None, reduction="mean": (
        _reduced_like(_weighted(gg * _bce_dx(x, y), weight), reduction) if need(g) else None,
        _mean_scale(_weighted(gg * g * _bce_ddx(x, y), weight), None, reduction)
        if need(x) else None,
        _mean_scale(_weighted(gg * g * _bce_ddy(x, y), weight), None, reduction)
        if need(y) else None),
    lambda ts, out, g, x, y, weight=None, reduction="mean": tan3(
        ts, lambda t: _mean_scale(_weighted(t * _bce_dx(x, y), weight), None, reduction),
        lambda t: _mean_scale(_weighted(t * g * _bce_ddx(x, y), weight), None, reduction),
        lambda t: _mean_scale(_weighted(t * g * _bce_ddy(x, y), weight), None, reduction)),
    kind="loss", doc="grad · (x - y)/((1 - x)x) (PyTorch's binary_cross_entropy_backward)",
    batchable=False, formula=("gg · (x - y)/((1 - x)x)", "gg · g · d'", "-gg · g/((1 - x)x)")))


def _nll_vjp(g: Tensor, out: Tensor, logp: Tensor, target: Tensor, weight: Any = None,
             reduction: str = "mean", ignore_index: int = -100) -> tuple[Any, ...]:
    # PyTorch's nll_loss_backward (a node of its own).
    return (apply(RULES["nll_loss_backward"], (g, logp, target),
                  {"weight": weight, "reduction": reduction, "ignore_index": ignore_index}),
            None)


def _nll_jvp(ts: list[Any], out: Tensor, logp: Tensor, target: Tensor, weight: Any = None,
             reduction: str = "mean", ignore_index: int = -100) -> Any:
    t = ts[0]
    if t is None:
        return None
    tgt = target.array
    index = KN.nll_safe_index(logp.shape, tgt, ignore_index)
    w = _const(KN.nll_weights(logp.shape, tgt, weight, ignore_index, logp.dtype))
    picked = -ops.getitem_raw(t, index, "IndexBackward0") * w
    if reduction == "mean":
        return ops.sum(picked) / KN.nll_total_weight(logp.shape, tgt, weight, ignore_index)
    return _loss_reduce(picked, reduction)


register(Rule("nll_loss", lambda i, p: "NllLoss2DBackward0" if i is not None
              and i[0].ndim == 4 else "NllLossBackward0", KN.nll_loss, _nll_vjp, _nll_jvp,
              kind="loss", doc="negative log-likelihood of class indices (weight, ignore_index)",
              edges=lambda name: (0,),  # the target (class indices) is no edge of PyTorch's
              formula=("-grad · w/Σw at each target class", "—"))).with_array_vjp(
    lambda g, out, logp, target, weight=None, reduction="mean", ignore_index=-100: (
        wrap(KN.nll_loss_backward(g.array, logp.array, target.array, weight=weight,
                                  reduction=reduction, ignore_index=ignore_index)), None))


def _linear_vjp(g: Tensor, out: Tensor, x: Tensor, w: Tensor, b: Any) -> tuple[Any, ...]:
    # In PyTorch's order (create_graph=True makes nodes in it): addmm's mat1 (x), mat2 (wᵀ)
    # and self (b, summed to its shape), then wᵀ's own TBackward0 transposes w's.
    # (ATen's mm_mat1_backward / mm_mat2_backward: a column-major factor's gradient is
    # the transpose of the other product, kernels.linalg.mm_mat1_grad)
    gx = gwt = None
    if need(x):
        gx = (ops.t(ops.mm(ops.t(w), ops.t(g))) if KL.column_major(x.array)
              else ops.mm(g, w))
    if need(w):
        gwt = (ops.t(ops.mm(ops.t(g), x)) if KL.column_major(w.array.swapaxes(0, 1))
               else ops.mm(ops.t(x), g))
    # (recording, b's sum is made here, before wᵀ's transpose; else the engine sums g)
    gb = (ops.sum_to(g, b.shape) if State.grad_enabled else g) if need(b) else None
    return (gx, None if gwt is None else ops.t(gwt), gb)


def _linear_vjp_array(g: Tensor, out: Tensor, x: Tensor, w: Tensor, b: Any) -> tuple[Any, ...]:
    if w.ndim != 2:  # ops.t's other cases
        return _linear_vjp(g, out, x, w, b)
    ga, xa, wt = g.array, x.array, w.array.swapaxes(0, 1)
    return (wrap(KL.mm_mat1_grad(ga, xa, wt)) if need(x) else None,
            wrap(KL.mm_mat2_grad(ga, xa, wt).swapaxes(0, 1)) if need(w) else None,
            g if need(b) else None)


register(Rule(
    "linear", "AddmmBackward0", KN.linear,
    _linear_vjp,
    lambda ts, out, x, w, b: tan3(ts, lambda t: ops.mm(t, ops.t(w)), lambda t: ops.mm(x, ops.t(t)),
                                  lambda t: ops.expand(t, out.shape)),
    kind="general", doc="x @ wᵀ + b (F.linear of a matrix with a bias: PyTorch's addmm)",
    formula=("grad @ w", "(xᵀ @ grad)ᵀ", "Σ grad"),
    edges=lambda name: (2, 0, 1))).with_array_vjp(_linear_vjp_array)  # addmm(b, x, wᵀ)

# PyTorch's addmm reaches the weight through wᵀ's TBackward0 node, which our linear node
# fuses. A plain backward cannot tell (one cotangent per use either way), but one that
# records (create_graph: PINNs' u_x, Hessians) builds grad @ w on that wᵀ, so the
# weight's cotangents from the second backward meet at it first: the use's own and the
# recorded backward's are summed there, then the sum joins the weight's other uses'. The
# first such backward puts the node in (its cotangents are w's shape: the transposes
# are exact, only the order of the sums is PyTorch's), and each such backward its own
# transpose of it (a third-order PINN's u_xx sums there first); the tools that number a
# tape (graph, steps) keep the fused node.
register(Rule(
    "linear_weight_t", lambda i, p: "TBackward0", lambda w: w,
    lambda g, out, w: (g,), lambda ts, out, w: ts[0],
    kind="linear", doc="linear's wᵀ as PyTorch's addmm reaches it (a create_graph backward)",
    saves_inputs=False, torch_keeps=False, batchable=True, formula=("grad",)))


def _linear_on_create_graph(node: Any) -> tuple[Any, ...]:
    x, w, b = node.inputs
    parents = node.parents
    p = parents[1]
    if p is None or State.tape is not None:
        return node.inputs
    rule = RULES["linear_weight_t"]
    if type(p) is not Tensor and p.rule is rule:
        t = p
    else:
        t = Node(rule, (w,), {}, (p,), None)
        t.seq = node.seq - 0.5  # just before the linear node, as PyTorch makes it
        node.parents = (parents[0], t, parents[2])
    # This backward's own mat2.t() (ATen's mm_mat1_backward), made now, consumed by its
    # grad @ w: what later passes send back through it meets there before wᵀ's node.
    wt = tensor_from_array(w.array)
    wt.grad_fn = Node(rule, (w,), {}, (t,), None)
    wt.requires_grad = True
    wt._tangent = w._tangent  # forward mode over this backward sees w's tangent
    return (x, wt, b)


RULES["linear"].on_create_graph = _linear_on_create_graph


def _nll_loss(x: Tensor, target: Tensor, weight: Any = None, reduction: str = "mean",
              ignore_index: int = -100) -> Tensor:
    return apply(RULES["nll_loss"], (x, target), {"weight": weight, "reduction": reduction,
                                                   "ignore_index": ignore_index})


register(Rule(
    "nll_loss_backward", "NllLossBackwardBackward0", KN.nll_loss_backward,
    lambda gg, out, g, logp, target, **p: (
        _nll_loss(gg, target, **p) if need(g) else None,
        ops.zeros_like(gg) if need(logp) else None, None),
    lambda ts, out, g, logp, target, **p: (
        None if ts[0] is None else _nll_loss_jvp_of_backward(ts[0], out, logp, target, p)),
    kind="general", doc="-grad · w/Σw at each target class (nll_loss's derivative)",
    batchable=False, formula=("nll_loss(gg, target)", "0", "—")))


def _nll_loss_jvp_of_backward(t: Tensor, out: Tensor, logp: Tensor, target: Tensor,
                              p: dict[str, Any]) -> Tensor:
    return apply(RULES["nll_loss_backward"], (t, logp, target), p)


# ---------------------------------------------------------------------------------------
# Normalization: x̂ = (x - mean)·rstd over `dims`, y = x̂·w + b (w, b: per feature).
# ---------------------------------------------------------------------------------------

def _stats(x: Tensor, dims: tuple[int, ...], eps: float) -> tuple[Tensor, Tensor]:
    xc = x - ops.mean(x, dims, True)
    rstd = 1 / ops.sqrt(ops.mean(xc * xc, dims, True) + eps)
    return xc * rstd, rstd


def _affine_shape(x: Tensor, dims: tuple[int, ...], channel: bool) -> tuple[int, ...]:
    if channel:  # batch_norm: w and b are per channel (dim 1)
        return tuple(x.shape[1] if d == 1 else 1 for d in range(x.ndim))
    return tuple(x.shape[d] for d in range(x.ndim) if d in dims)


def _view(w: Any, shape: tuple[int, ...]) -> Any:
    return None if w is None else ops.reshape(w, shape)


def _sum_over(t: Tensor, dims: tuple[int, ...]) -> Tensor:
    return ops.sum(t, dims) if dims else t


def _norm_vjp(g: Tensor, x: Tensor, w: Any, b: Any, dims: tuple[int, ...], eps: float,
              channel: bool, stats: Any = None) -> tuple[Any, ...]:
    """The VJP of y = x̂·w + b; `stats` (x̂, rstd) when they are constants (batch_norm in
    eval mode), else x̂ is recomputed from x in differentiable ops."""
    xhat, rstd = _stats(x, dims, eps) if stats is None else stats(x)
    ws = _view(w, _affine_shape(x, dims, channel))
    gw = g if ws is None else g * ws
    if not need(x):
        dx = None
    elif stats is not None:
        dx = gw * rstd
    else:
        dx = rstd * (gw - ops.mean(gw, dims, True) - xhat * ops.mean(gw * xhat, dims, True))
    other = dims if channel else tuple(d for d in range(x.ndim) if d not in dims)
    return (dx, _sum_over(g * xhat, other) if need(w) else None,
            _sum_over(g, other) if need(b) else None)


def _norm_jvp(ts: list[Any], x: Tensor, w: Any, b: Any, dims: tuple[int, ...], eps: float,
              channel: bool, stats: Any = None) -> Any:
    xhat, rstd = _stats(x, dims, eps) if stats is None else stats(x)
    shape = _affine_shape(x, dims, channel)
    ws = _view(w, shape)

    def d_x(t: Tensor) -> Tensor:
        if stats is not None:
            d = t * rstd
        else:
            d = rstd * (t - ops.mean(t, dims, True) - xhat * ops.mean(t * xhat, dims, True))
        return d if ws is None else d * ws

    return tan3(ts, d_x, lambda t: xhat * ops.reshape(t, shape),
                lambda t: ops.expand(ops.reshape(t, shape), x.shape))


def _bn_stats(mean: Any, var: Any, eps: float) -> Any:
    def stats(x: Tensor) -> tuple[Tensor, Tensor]:
        shape = tuple(x.shape[1] if d == 1 else 1 for d in range(x.ndim))
        rstd = 1 / ops.sqrt(ops.reshape(Tensor(var), shape) + eps)
        return (x - ops.reshape(Tensor(mean), shape)) * rstd, rstd
    return stats


def _bn_dims(x: Tensor) -> tuple[int, ...]:
    return tuple(d for d in range(x.ndim) if d != 1)


# x's values replaced by a kernel's exact ones: the gradients batch_norm's VJP computes as
# PyTorch's kernel rounds them, their derivatives those of the formula in our ops.
_EXACT = register(Rule(
    "exact_value", lambda inputs, p: p["name"], KNorm.exact_value,
    lambda g, out, x, value, base, name: (g,),
    lambda ts, out, x, value, base, name: ts[0],
    kind="linear", doc="x (computed as base) with a kernel's exact values (x's derivative)",
    saves_inputs=False, formula=("grad",)))


# oneDNN's convolution gradients (kernels/onednn_conv.py): the output's node keeps the
# output gradient in the convolution's `slot` on its way through; the nodes on the input,
# weight and bias (identities in the forward) then give the gradients the graph of
# ops/conv.py computes the values of oneDNN's backward (their derivatives the graph's).
def _conv_exact_grad(g: Tensor, slot: dict[str, Any], role: str) -> Tensor:
    from gradcli.ad.kernels import onednn_conv as KO

    gy = slot.get("gy")
    if gy is None or g.array.dtype.name != "float32":
        return g
    block = KO.weights_block(slot["x"].shape[1], slot["kernel"], slot["pads"],
                             slot["stride"], slot["dilation"])
    if role == "bias":
        value = KO.grad_bias(gy, block)
    elif role == "weight":
        value = KO.grad_weight(slot["x"], gy, slot["kernel"], slot["stride"],
                               slot["dilation"], block)
    else:
        value = KO.grad_input(gy, slot["w"], slot["stride"], slot["dilation"],
                              slot["x"].shape[2:])
        if value is not None:
            value = value[(slice(None), slice(None),
                           *(slice(a, a + n) for (a, _), n in zip(slot["pads"], g.shape[2:],
                                                                  strict=True)))]
    if value is None or value.shape != g.shape:
        return g
    return apply(_EXACT, (g,), {"value": value, "base": g.array,
                                "name": "ConvolutionBackward0"})


register(Rule(
    "conv_exact_input", "ConvolutionBackward0", lambda x, slot, role: x.copy(),
    lambda g, out, x, slot, role: (_conv_exact_grad(g, slot, role),),
    lambda ts, out, x, slot, role: ts[0],
    kind="linear", doc="x itself, whose gradient is oneDNN's convolution gradient",
    saves_inputs=False, formula=("grad",)))


def _keep_gy(g: Tensor, slot: dict[str, Any]) -> tuple[Tensor]:
    slot["gy"] = g.array
    return (g,)


register(Rule(
    "conv_exact_output", "ConvolutionBackward0", lambda y, slot: y.copy(),
    lambda g, out, y, slot: _keep_gy(g, slot),
    lambda ts, out, y, slot: ts[0],
    kind="linear", doc="a convolution's output, whose gradient the convolution keeps",
    saves_inputs=False, formula=("grad",)))


def _bn_exact(g: Tensor, x: Tensor, w: Any, mean: Any, var: Any, training: bool,
              eps: float) -> Any:
    return KNorm.batch_norm_backward(g.array, x.array, None if w is None else w.array, mean, var,
                                  training, eps)


def _with_exact(cots: tuple[Any, ...], exact: Any, name: str) -> tuple[Any, ...]:
    """The VJP's cotangents (in our ops) with a kernel's exact values, when it has them."""
    if exact is None:
        return cots
    return tuple(None if c is None else apply(
        _EXACT, (c,), {"value": e.astype(c.array.dtype, copy=False), "base": c.array,
                       "name": name})
        for c, e in zip(cots, exact, strict=True))


def _bn_vjp(g: Tensor, out: Tensor, x: Tensor, w: Any, b: Any, mean: Any, var: Any,
            training: bool, eps: float) -> tuple[Any, ...]:
    cots = _norm_vjp(g, x, w, b, _bn_dims(x), eps, True,
                     None if training else _bn_stats(mean, var, eps))
    return _with_exact(cots, _bn_exact(g, x, w, mean, var, training, eps),
                       "NativeBatchNormBackwardBackward0")


def _bn_vjp_array(g: Tensor, out: Tensor, x: Tensor, w: Any, b: Any, mean: Any, var: Any,
                  training: bool, eps: float) -> tuple[Any, ...]:
    exact = _bn_exact(g, x, w, mean, var, training, eps)
    if exact is None:
        return _bn_vjp(g, out, x, w, b, mean, var, training, eps)
    return tuple(wrap(e) if need(t) else None for t, e in zip((x, w, b), exact, strict=True))


register(Rule(
    "batch_norm", "NativeBatchNormBackward0", KNorm.batch_norm,
    _bn_vjp,
    lambda ts, out, x, w, b, mean, var, training, eps: _norm_jvp(
        ts, x, w, b, _bn_dims(x), eps, True, None if training else _bn_stats(mean, var, eps)),
    kind="general", doc="per-channel normalization by batch (or running) statistics",
    batchable=False, formula=("rstd · (gw - mean(gw) - x̂ · mean(gw · x̂))", "Σ g · x̂", "Σ g"))
         ).with_array_vjp(_bn_vjp_array)


def _ln_exact(g: Tensor, x: Tensor, w: Any, dims: tuple[int, ...], eps: float) -> Any:
    return KNorm.layer_norm_backward(g.array, x.array, None if w is None else w.array, dims,
                                     eps)


def _ln_vjp(g: Tensor, out: Tensor, x: Tensor, w: Any, b: Any, dims: tuple[int, ...],
            eps: float) -> tuple[Any, ...]:
    return _with_exact(_norm_vjp(g, x, w, b, dims, eps, False),
                       _ln_exact(g, x, w, dims, eps), "NativeLayerNormBackwardBackward0")


def _ln_vjp_array(g: Tensor, out: Tensor, x: Tensor, w: Any, b: Any, dims: tuple[int, ...],
                  eps: float) -> tuple[Any, ...]:
    exact = _ln_exact(g, x, w, dims, eps)
    if exact is None:
        return _ln_vjp(g, out, x, w, b, dims, eps)
    return tuple(wrap(e) if need(t) else None for t, e in zip((x, w, b), exact, strict=True))


# PyTorch's kernel rounds as layer_norm_backward computes; the derivatives are the formula's.
register(Rule(
    "layer_norm", "NativeLayerNormBackward0", KNorm.layer_norm, _ln_vjp,
    lambda ts, out, x, w, b, dims, eps: _norm_jvp(ts, x, w, b, dims, eps, False),
    kind="general", doc="(x - mean)/sqrt(var + eps) · w + b over the last dims",
    batchable=False, formula=("rstd · (gw - mean(gw) - x̂ · mean(gw · x̂))", "Σ g · x̂", "Σ g"))
         ).with_array_vjp(_ln_vjp_array)


# ---------------------------------------------------------------------------------------
# Padding: constant_pad_nd's transpose is itself with the pads negated (a crop).
# ---------------------------------------------------------------------------------------

_pad = linear("constant_pad", "ConstantPadNdBackward0", KN.constant_pad,
       lambda g, x, pad, value=0.0: apply(RULES["constant_pad"], (g,),
                                          {"pad": tuple(-p for p in pad), "value": 0.0}),
       "x padded with a value (negative amounts crop)",
       formula=("grad cropped by the pads",))
# The tangent is padded with zeros, whatever the value.
_pad.jvp = lambda ts, out, x, pad, value=0.0: apply(_pad, (ts[0],), {"pad": pad, "value": 0.0})


# ---------------------------------------------------------------------------------------
# embedding: rows of the weight; padding_idx's row gets no gradient.
# ---------------------------------------------------------------------------------------

def _embedding_vjp(g: Tensor, out: Tensor, w: Tensor, index: Any,
                   padding_idx: Any = None, by_freq: bool = False) -> tuple[Any, ...]:
    if padding_idx is not None:
        g = B.masked_fill(g, KN.embedding_pad_mask(index, padding_idx), 0)
    if not by_freq:
        # PyTorch's embedding_dense_backward (a node of its own).
        return (apply(RULES["index_add_into"], (g,), {
            "shape": w.shape, "index": (index,), "name": "EmbeddingDenseBackwardBackward0"}),)
    # scale_grad_by_freq: each row's gradient over its index's count in the batch, as
    # PyTorch's kernel rounds the sum (exact_value), differentiable as the scaled sum
    counts = KN.np_bincount_rows(index, w.shape[0])
    scaled = g / ops.unsqueeze(wrap(counts.astype(g.array.dtype)), -1)
    cot = apply(RULES["index_add_into"], (scaled,), {
        "shape": w.shape, "index": (index,), "name": "EmbeddingDenseBackwardBackward0"})
    return _with_exact((cot,), (KN.embedding_backward_by_freq(g.array, index, w.shape[0]),),
                       "EmbeddingDenseBackwardBackward0")


register(Rule(
    "embedding", "EmbeddingBackward0", KN.embedding,
    _embedding_vjp,
    lambda ts, out, w, index, padding_idx=None, by_freq=False: ops.getitem_raw(
        ts[0], (index,), "IndexBackward0"),
    kind="linear", doc="the weight's rows at the indices", saves_inputs=False,
    torch_keeps=True, batchable=False, formula=("grad summed into the indexed rows",)))


# ---------------------------------------------------------------------------------------
# ctc_loss: the per-sample negative log-likelihood of a target under an alignment of
# log_probs [T, N, C] (PyTorch's _ctc_loss; F.ctc_loss reduces it around this node).
# ---------------------------------------------------------------------------------------

def _ctc_vjp(g: Tensor, out: Tensor, lp: Tensor, targets: Tensor, **p: Any) -> tuple[Any, ...]:
    # PyTorch's _ctc_loss_backward (a node of its own, which it cannot differentiate).
    return apply(RULES["ctc_loss_backward"], (g, lp, targets), p), None


register(Rule(
    "ctc_loss", "CtcLossBackward0", KC.ctc_loss, _ctc_vjp, no_derivative("_ctc_loss")[1],
    kind="loss", doc="CTC negative log-likelihood of each sample (alpha recursion)",
    edges=lambda name: (0,),  # the targets are no edge of PyTorch's
    batchable=False,
    formula=("grad · (exp(log_probs) - γ) (PyTorch's: the logits' gradient)", "—")))
register(Rule(
    "ctc_loss_backward", "CtcLossBackwardBackward0", KC.ctc_loss_backward,
    *no_derivative("_ctc_loss_backward"), kind="loss", batchable=False,
    doc="PyTorch's _ctc_loss_backward: exp(log_probs) - γ, times each sample's grad",
    formula=("not implemented", "not implemented", "—")))


# multi_margin_loss: ATen's loops (kernels/nn.py), its backward a node of its own that
# PyTorch cannot differentiate again; no forward-mode formula.


def _multi_margin_vjp(g: Tensor, out: Tensor, x: Tensor, target: Tensor, **p: Any
                      ) -> tuple[Any, ...]:
    return (apply(RULES["multi_margin_loss_backward"], (g, x, target), p), None)


register(Rule(
    "multi_margin_loss", "MultiMarginLossBackward0",
    lambda x, t, p=1, margin=1.0, weight=None, reduction="mean": KN.multi_margin_loss(
        x, t, p, margin, weight, reduction),
    _multi_margin_vjp, no_forward_ad("multi_margin_loss"), kind="loss",
    doc="multi-class hinge loss of (N, C) scores and class indices",
    edges=lambda name: (0,), formula=("ATen's multi_margin_loss_backward", "—")))
register(Rule(
    "multi_margin_loss_backward", "NotImplemented",
    lambda g, x, t, p=1, margin=1.0, weight=None, reduction="mean":
    KN.multi_margin_loss_backward(g, x, t, p, margin, weight, reduction),
    *no_derivative("multi_margin_loss_backward"), kind="loss", batchable=False,
    doc="multi_margin_loss's gradient", formula=("—", "—", "—")))
