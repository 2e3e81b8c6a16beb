"""THE derivative table: every primitive's forward, VJP and JVP, side by side.

Each entry names the numpy kernel that computes the op, the reverse-mode rule (VJP:
given the cotangent `g` of the output, the cotangent of each input) and the
forward-mode rule (JVP: given the inputs' tangents, the output's tangent).

Rules are written only in our own differentiable ops (`ops.*` and Tensor operators),
never in numpy, so differentiating a rule is just running it with grad mode on:
that is what makes `create_graph=True`, derivatives of any order and forward-over-reverse work
for every op at every order. (This module must not import numpy: a test checks.)

Conventions: `g` is the output cotangent, `out` the output (saved only when a rule
asks for it), `t` a tangent; a rule returns None for "no gradient" (a symbolic
zero). Broadcasting is not handled here: the engine sums cotangents back to each
input's shape centrally.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.ad import kernels as K
from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.ops import backward as B
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES, Rule
from gradcli.errors import GdRuntimeError

__all__ = ["RULES", "Rule", "elementwise", "linear", "need"]


def _add(rule: Rule) -> Rule:
    assert rule.name not in RULES, rule.name
    RULES[rule.name] = rule
    return rule


def need(x: Any) -> bool:
    """Whether an input needs a cotangent (a tensor that requires grad)."""
    return type(x) is Tensor and x.requires_grad


def _is_tensor(x: Any) -> bool:
    return type(x) is Tensor


# ---------------------------------------------------------------------------------------
# Elementwise unary: give the local derivative d(x, out) once; VJP is g·d, JVP is t·d.
# ---------------------------------------------------------------------------------------

def elementwise(
    name: str,
    torch_name: str,
    kernel: Callable[..., Any],
    deriv: Callable[..., Any],
    doc: str,
    *,
    uses_out: bool = False,
    formula: tuple[str, ...] = (),
    grad: Callable[..., Any] | None = None,
) -> Rule:
    """An elementwise unary op from its local derivative d(x, out, **params).

    `grad(g, x, out, **params)`, when given, is the VJP exactly as PyTorch writes it
    (grad / x rather than grad · (1/x), tanh_backward(grad, out), ...): a derivative
    taken with create_graph=True then has PyTorch's nodes, names and higher derivatives."""

    if grad is None:
        def vjp(g: Tensor, out: Tensor, x: Tensor, **p: Any) -> tuple[Any, ...]:
            return (g * deriv(x, out, **p),)
    else:
        def vjp(g: Tensor, out: Tensor, x: Tensor, **p: Any) -> tuple[Any, ...]:
            return (grad(g, x, out, **p),)

    def jvp(ts: list[Any], out: Tensor, x: Tensor, **p: Any) -> Any:
        return ts[0] * deriv(x, out, **p)

    return _add(Rule(name, torch_name, kernel, vjp, jvp, kind="elementwise", doc=doc,
                     saves_inputs=not uses_out, saves_out=uses_out, formula=formula))


elementwise("exp", "ExpBackward0", K.exp, lambda x, o: o, "e^x", uses_out=True,
            formula=("grad · out",))
elementwise("log", "LogBackward0", K.log, lambda x, o: 1 / x, "natural logarithm",
            formula=("grad / x",), grad=lambda g, x, o: g / x)
elementwise("log1p", "Log1PBackward0", K.log1p, lambda x, o: 1 / (x + 1), "log(1 + x)",
            formula=("grad / (1 + x)",), grad=lambda g, x, o: g / (x + 1))
elementwise("sqrt", "SqrtBackward0", K.sqrt, lambda x, o: 0.5 / o, "square root", uses_out=True,
            formula=("grad / (2 · out)",), grad=lambda g, x, o: g / (2 * o))
elementwise("sin", "SinBackward0", K.sin, lambda x, o: ops.cos(x), "sine",
            formula=("grad · cos(x)",))
elementwise("cos", "CosBackward0", K.cos, lambda x, o: -ops.sin(x), "cosine",
            formula=("-grad · sin(x)",))
elementwise("tan", "TanBackward0", K.tan, lambda x, o: 1 + o * o, "tangent", uses_out=True,
            formula=("grad · (1 + out²)",), grad=lambda g, x, o: g * (1 + ops.pow(o, 2)))
elementwise("tanh", "TanhBackward0", K.tanh, lambda x, o: 1 - o * o, "hyperbolic tangent",
            uses_out=True,
            formula=("grad · (1 - out²)",), grad=lambda g, x, o: B.tanh_backward(g, o))
elementwise("sigmoid", "SigmoidBackward0", K.sigmoid, lambda x, o: o * (1 - o),
            "logistic function 1/(1+e^-x)", uses_out=True,
            formula=("grad · out · (1 - out)",), grad=lambda g, x, o: B.sigmoid_backward(g, o))
elementwise("reciprocal", "ReciprocalBackward0", K.reciprocal, lambda x, o: -(o * o),
            "1/x", uses_out=True,
            formula=("-grad · out²",), grad=lambda g, x, o: -g * (o * o))
elementwise("relu", "ReluBackward0", K.relu, lambda x, o: ops.to_dtype(o > 0, o.dtype),
            "max(x, 0)", uses_out=True,
            formula=("grad · (out > 0)",), grad=lambda g, x, o: B.threshold_backward(g, o, 0))
elementwise("abs", "AbsBackward0", K.abs, lambda x, o: _sgn(x), "absolute value",
            formula=("grad · sgn(x)",), grad=lambda g, x, o: g * _sgn(x))
# PyTorch's abs derivative is grad * self.sgn(): SgnBackward0, whose derivative for real
# inputs is an efficient zero tensor (adding it changes nothing, not even -0.).
_add(Rule("sgn", "SgnBackward0", K.sign,
          lambda g, out, x: (B.zero_tensor(g),),
          lambda ts, out, x: ops.zeros_like(ts[0]),
          kind="elementwise", doc="sign of x (sgn: abs's derivative)", saves_inputs=False,
          formula=("0 (a zero tensor)",)))


def _sgn(x: Tensor) -> Tensor:
    return apply(RULES["sgn"], (x,))
elementwise(
    "clamp", lambda i, p: "ClampBackward1" if _number_bounds(p) else "ClampBackward0", K.clamp,
    lambda x, o, min=None, max=None: ops.to_dtype(_in_range(x, min, max), x.dtype),
    "clip into [min, max]",
    formula=("grad · (min ≤ x ≤ max)",),
    grad=lambda g, x, o, min=None, max=None: ops.where(_in_range(x, min, max), g, 0.0))


def _number_bounds(params: dict[str, Any]) -> bool:
    # clamp(x, 0.5) is ClampBackward1 in PyTorch; tensor bounds make it ClampBackward0.
    return all(v is None or isinstance(v, (int, float))
               for v in (params.get("min"), params.get("max")))


def _in_range(x: Tensor, lo: Any, hi: Any) -> Tensor:
    mask = None
    if lo is not None:
        mask = x >= lo
    if hi is not None:
        m = x <= hi
        mask = m if mask is None else ops.logical_and(mask, m)
    assert mask is not None
    return mask


# Piecewise-constant ops: derivative zero almost everywhere (PyTorch gives zeros too).
for _name, _torch, _kernel, _doc in (
    ("sign", "SignBackward0", K.sign, "sign of x: -1, 0 or 1"),
    ("floor", "FloorBackward0", K.floor, "round down"),
    ("ceil", "CeilBackward0", K.ceil, "round up"),
    ("round", "RoundBackward0", K.round, "round half to even"),
):
    _add(Rule(_name, _torch, _kernel,
              lambda g, out, x, **p: (ops.zeros_like(g),),
              lambda ts, out, x, **p: ops.zeros_like(ts[0]),
              kind="elementwise", doc=_doc, saves_inputs=False))


# ---------------------------------------------------------------------------------------
# Elementwise binary (broadcasting; Python numbers are constants with no gradient).
# ---------------------------------------------------------------------------------------

def _sub_name(inputs: Any, params: dict[str, Any]) -> str:
    return "RsubBackward1" if inputs is not None and not _is_tensor(inputs[0]) else "SubBackward0"


def _div_name(inputs: Any, params: dict[str, Any]) -> str:
    return "MulBackward0" if inputs is not None and not _is_tensor(inputs[0]) else "DivBackward0"


def _pow_name(inputs: Any, params: dict[str, Any]) -> str:
    if inputs is None:
        return "PowBackward0"
    a, b = inputs
    if not _is_tensor(b):
        return "PowBackward0"
    return "PowBackward1" if _is_tensor(a) else "PowBackward2"


def _tan2(ts: list[Any], fa: Callable[[Any], Any], fb: Callable[[Any], Any]) -> Any:
    ta, tb = ts
    if ta is None:
        return None if tb is None else fb(tb)
    return fa(ta) if tb is None else fa(ta) + fb(tb)


_add(Rule(
    "add", "AddBackward0", K.add,
    lambda g, out, a, b: (g, g),
    lambda ts, out, a, b: _tan2(ts, lambda t: t, lambda t: t),
    kind="binary", doc="a + b", saves_inputs=False,
    formula=("grad", "grad")))
_add(Rule(
    "sub", _sub_name, K.sub,
    lambda g, out, a, b: (g, -g),
    lambda ts, out, a, b: _tan2(ts, lambda t: t, lambda t: -t),
    kind="binary", doc="a - b", saves_inputs=False,
    edges=lambda name: (1,) if name == "RsubBackward1" else (0, 1),
    formula=("grad", "-grad")))
_add(Rule(
    "mul", "MulBackward0", K.mul,
    lambda g, out, a, b: (g * b if need(a) else None, g * a if need(b) else None),
    lambda ts, out, a, b: _tan2(ts, lambda t: t * b, lambda t: a * t),
    saved_for_partner=(0, 1), kind="binary", doc="a * b (elementwise)",
    formula=("grad · b", "grad · a")))
_add(Rule(
    "div", _div_name, K.div,
    # PyTorch's div_tensor_self_backward / div_tensor_other_backward, op for op.
    lambda g, out, a, b: (g / b if need(a) else None, -g * ((a / b) / b) if need(b) else None),
    lambda ts, out, a, b: _tan2(ts, lambda t: t / b, lambda t: -t * a / (b * b)),
    saved_for_partner=(0,),  # DivBackward0 keeps self only for the divisor
    kind="binary", doc="a / b (true division)",
    formula=("grad / b", "-grad · a / b²")))


def _pow_vjp(g: Tensor, out: Tensor, a: Any, b: Any) -> tuple[Any, ...]:
    # PyTorch's pow_backward / pow_backward_self / pow_backward_exponent, op for op.
    if need(a):
        if not _is_tensor(b):
            ga = ops.zeros_like(a) if b == 0 else g * B.mul_scalar(ops.pow(a, b - 1), b)
        else:
            ga = ops.where(b == 0, 0.0, g * (b * ops.pow(a, b - 1)))
    else:
        ga = None
    if need(b):
        if not _is_tensor(a):
            gb = g * (ops.where(b >= 0, 0.0, out * ops.log_of_number(a)) if a == 0
                      else out * ops.log_of_number(a))
        else:
            gb = g * ops.where(ops.logical_and(a == 0, b >= 0), 0.0, out * ops.log(a))
    else:
        gb = None
    return ga, gb


def _dpow_da(a: Any, b: Any) -> Any:
    if not _is_tensor(b):
        if b == 0:
            return ops.zeros_like(a)
        return b * ops.pow(a, b - 1)
    # d/da a^b = b·a^(b-1); PyTorch masks it to 0 where b == 0.
    return ops.where(b == 0, 0.0, b * a ** (b - 1))


def _dpow_db(out: Any, a: Any) -> Any:
    # d/db a^b = a^b·log(a); PyTorch masks it to 0 where a == 0 and b >= 0.
    if not _is_tensor(a):
        return out * ops.log_of_number(a)
    return ops.where(a == 0, 0.0, out * ops.log(a))


_add(Rule(
    "pow", _pow_name, K.pow, _pow_vjp,
    lambda ts, out, a, b: _tan2(ts, lambda t: t * _dpow_da(a, b), lambda t: t * _dpow_db(out, a)),
    kind="binary", doc="a ** b", saves_out=True,
    edges=lambda name: {"PowBackward0": (0,), "PowBackward2": (1,)}.get(name, (0, 1)),
    formula=("grad · b · a^(b-1)", "grad · out · log(a)")))


def _max_weight(a: Any, b: Any, wins: Callable[[Any, Any], Any]) -> Tensor:
    # Ties split the gradient in half, as PyTorch does.
    return ops.where(a == b, 0.5, ops.to_dtype(wins(a, b), _float_dtype(a, b)))


def _float_dtype(a: Any, b: Any) -> Any:
    return a.dtype if _is_tensor(a) else b.dtype


def _extremum_rule(name: str, torch_name: str, kernel: Any,
                   wins: Callable[[Any, Any], Any], doc: str,
                   formula: tuple[str, ...]) -> None:
    def vjp(g: Tensor, out: Tensor, a: Any, b: Any) -> tuple[Any, ...]:
        # PyTorch: at::where(a == b, grad / 2, grad).masked_fill_(the other wins, 0).
        tie = ops.where(a == b, g / 2, g) if need(a) or need(b) else None
        return (B.masked_fill(tie, wins(b, a), 0) if need(a) else None,
                B.masked_fill(tie, wins(a, b), 0) if need(b) else None)

    def jvp(ts: list[Any], out: Tensor, a: Any, b: Any) -> Any:
        wa = _max_weight(a, b, wins)
        return _tan2(ts, lambda t: t * wa, lambda t: t * (1 - wa))

    _add(Rule(name, torch_name, kernel, vjp, jvp, kind="binary", doc=doc, formula=formula))


_extremum_rule("maximum", "MaximumBackward0", K.maximum, lambda a, b: a > b,
               "elementwise max(a, b)",
               formula=("grad where a > b (½ at ties)", "grad where b > a (½ at ties)"))
_extremum_rule("minimum", "MinimumBackward0", K.minimum, lambda a, b: a < b,
               "elementwise min(a, b)",
               formula=("grad where a < b (½ at ties)", "grad where b < a (½ at ties)"))
_add(Rule(
    "where", "WhereBackward0", K.where,
    lambda g, out, c, a, b: (None,
                             ops.where(c, g, 0.0) if need(a) else None,
                             ops.where(c, 0.0, g) if need(b) else None),
    lambda ts, out, c, a, b: _tan2(ts[1:], lambda t: ops.where(c, t, 0.0),
                                   lambda t: ops.where(c, 0.0, t)),
    kind="binary", doc="where(cond, a, b): a where cond else b", edges=lambda name: (1, 2),
    formula=("—", "grad where cond", "grad where not cond")))
_add(Rule(
    "neg", "NegBackward0", K.neg,
    lambda g, out, x: (-g,), lambda ts, out, x: -ts[0],
    kind="linear", doc="-x", saves_inputs=False, batchable=True,
    formula=("-grad",)))

# Non-differentiable elementwise ops: comparisons, logic. Never recorded.
for _name, _kernel, _doc in (
    ("lt", K.lt, "a < b"), ("le", K.le, "a <= b"), ("gt", K.gt, "a > b"),
    ("ge", K.ge, "a >= b"), ("eq", K.eq, "a == b"), ("ne", K.ne, "a != b"),
    ("logical_and", K.logical_and, "a and b, elementwise"),
    ("logical_or", K.logical_or, "a or b, elementwise"),
    ("logical_not", K.logical_not, "not x, elementwise"),
    ("bitwise_not", K.bitwise_not, "~x"),
    ("isnan", K.isnan, "x is NaN"), ("isfinite", K.isfinite, "x is finite"),
    ("floordiv", K.floordiv, "a // b (piecewise constant: no gradient)"),
    ("argmax", K.argmax, "index of the maximum"), ("argmin", K.argmin, "index of the minimum"),
):
    _add(Rule(_name, _name, _kernel, None, None, kind="nondifferentiable", doc=_doc))



def _mod_name(inputs: Any, params: dict[str, Any]) -> str:
    if inputs is None or _is_tensor(inputs[0]):
        return "RemainderBackward1" if inputs is not None and _is_tensor(inputs[1]) \
            else "RemainderBackward0"
    return "NotImplemented"  # number % tensor: PyTorch has no derivative for it


def _mod_vjp(g: Tensor, out: Tensor, a: Any, b: Any) -> tuple[Any, ...]:
    if not _is_tensor(a):
        raise GdRuntimeError("derivative for aten::remainder is not implemented")
    # PyTorch: self: grad; other: -grad * self.div(other, rounding_mode="floor").
    return (g if need(a) else None, -g * ops.floor(a / b) if need(b) else None)


_add(Rule(
    "mod", _mod_name, K.mod, _mod_vjp,
    lambda ts, out, a, b: _tan2(ts, lambda t: t, lambda t: -t * ops.floor(a / b)),
    kind="binary", doc="a % b (Python's remainder: the sign of b)",
    edges=lambda name: (0, 1) if name == "RemainderBackward1" else
    ((1,) if name == "NotImplemented" else (0,)),
    formula=("grad", "-grad · floor(a / b)")))

# ---------------------------------------------------------------------------------------
# Reductions. The transpose of a reduction broadcasts g back over the reduced dims.
# ---------------------------------------------------------------------------------------

def _by_dim(name0: str, name1: str) -> Callable[[Any, dict[str, Any]], str]:
    return lambda inputs, params: name0 if params.get("dim") is None else name1


def _unreduce(g: Tensor, shape: tuple[int, ...], dim: Any, keepdim: bool) -> Tensor:
    """Broadcast a reduced cotangent back to the input's shape."""
    if dim is not None and not keepdim and len(shape) > 0:
        for d in sorted(_dims(dim, len(shape))):
            g = ops.unsqueeze(g, d)
    return _expand(g, shape)


def _expand(g: Tensor, shape: tuple[int, ...]) -> Tensor:
    """PyTorch's grad.expand(sizes) in a derivative formula: an ExpandBackward0 node even
    when the shape is already g's (sum_backward of a 0-dim input or over size-1 dims)."""
    if g.shape == tuple(shape) and g.requires_grad:
        return apply(RULES["expand"], (g,), {"shape": tuple(shape)})
    return ops.expand(g, shape)


def _dims(dim: Any, ndim: int) -> list[int]:
    dims = [dim] if type(dim) is int else list(dim)
    return [d % ndim if ndim else 0 for d in dims]


def _count(shape: tuple[int, ...], dim: Any) -> int:
    if dim is None:
        n = 1
        for s in shape:
            n *= s
        return n
    n = 1
    for d in _dims(dim, len(shape)):
        n *= shape[d] if shape else 1
    return n


_add(Rule(
    "sum", _by_dim("SumBackward0", "SumBackward1"), K.sum,
    lambda g, out, x, dim=None, keepdim=False: (_unreduce(g, x.shape, dim, keepdim),),
    lambda ts, out, x, dim=None, keepdim=False: ops.sum(ts[0], dim, keepdim),
    kind="linear", doc="sum over dims (all by default)", saves_inputs=False,
    formula=("grad broadcast to x's shape",)))
_add(Rule(
    "mean", _by_dim("MeanBackward0", "MeanBackward1"), K.mean,
    lambda g, out, x, dim=None, keepdim=False:
        (B.div_scalar(_unreduce(g, x.shape, dim, keepdim), _count(x.shape, dim)),),
    lambda ts, out, x, dim=None, keepdim=False: ops.mean(ts[0], dim, keepdim),
    kind="linear", doc="mean over dims (all by default)", saves_inputs=False,
    formula=("grad broadcast / n",)))


def _prod_others(x: Tensor, out: Tensor, dim: Any, keepdim: bool) -> Tensor:
    """∂prod/∂xᵢ = product of the other elements, exact even where x has zeros."""
    o = _unreduce(out, x.shape, dim, keepdim)
    zero = x == 0
    safe = ops.where(zero, 1.0, x)
    nonzero_prod = _unreduce(ops.prod(safe, dim, keepdim), x.shape, dim, keepdim)
    nzeros = _unreduce(ops.sum(zero, dim, keepdim), x.shape, dim, keepdim)
    only_zero = ops.logical_and(zero, nzeros == 1)
    return ops.where(only_zero, nonzero_prod, ops.where(zero, 0.0, o / safe))


def _prod_vjp(g: Tensor, out: Tensor, x: Tensor, dim: Any = None,
              keepdim: bool = False) -> tuple[Any, ...]:
    # PyTorch's prod_backward: grad itself for a 0-dim input, grad · (result / input)
    # when the input has no zero, the exact product of the others otherwise.
    if x.ndim == 0:
        return (g,)
    if not (x.array == 0).any():
        return (_unreduce(g, x.shape, dim, keepdim)
                * (_unreduce(out, x.shape, dim, keepdim) / x),)
    return (_unreduce(g, x.shape, dim, keepdim) * _prod_others(x, out, dim, keepdim),)


_add(Rule(
    "prod", _by_dim("ProdBackward0", "ProdBackward1"), K.prod,
    _prod_vjp,
    lambda ts, out, x, dim=None, keepdim=False:
        ops.sum(ts[0] * _prod_others(x, out, dim, keepdim), dim, keepdim),
    kind="reduction", doc="product over a dim (all by default)", saves_out=True,
    formula=("grad · (product of the other elements)",)))


def _extreme_weights(x: Tensor, out: Tensor, dim: Any, keepdim: bool) -> Tensor:
    # Ties share the gradient evenly (PyTorch's evenly_distribute_backward / amax rule).
    hit = ops.to_dtype(x == _unreduce(out, x.shape, dim, keepdim), x.dtype)
    if dim is None:
        return hit / ops.sum(hit)
    return hit / _unreduce(ops.sum(hit, dim, True), x.shape, dim, True)


def _restore_reduced_dims(t: Tensor, dim: Any, keepdim: bool) -> Tensor:
    """PyTorch's restore_reduced_dims: t reshaped with a size-1 dim at each reduced dim."""
    if keepdim or dim is None:
        return t
    dims = [dim] if type(dim) is int else list(dim)
    total = t.ndim + len(dims)
    target = [0] * total
    for d in dims:
        target[d % total] = 1
    rest = iter(t.shape)
    target = [1 if n == 1 else next(rest, 1) for n in target]
    return ops.reshape(t, tuple(target))


def _evenly_distribute_vjp(g: Tensor, out: Tensor, x: Tensor) -> tuple[Any, ...]:
    # PyTorch's evenly_distribute_backward (max(x), min(x)):
    # zeros.masked_fill_(mask, grad / mask.sum()) with mask = x == out (NaN: isnan).
    mask = (x.array != x.array) if out.array != out.array else (x.array == out.array)
    return (B.masked_fill_value(ops.zeros_like(x), mask, g / int(mask.sum())),)


def _amax_vjp(g: Tensor, out: Tensor, x: Tensor, dim: Any = None,
              keepdim: bool = False) -> tuple[Any, ...]:
    # PyTorch's amax/amin backward: scale_grad_by_count(restore_reduced_dims(grad),
    # restore_reduced_dims(result) == self, dim) = (grad / mask.sum(dim, true)) * mask
    # (so a negative grad gives -0. where x is not an extremum, as in PyTorch).
    mask = _restore_reduced_dims(out, dim, keepdim) == x
    count = ops.sum(mask, dim, True)
    return ((_restore_reduced_dims(g, dim, keepdim) / count) * mask,)


def _extreme_rule(name: str, torch_name: str, kernel: Any, doc: str,
                  vjp: Callable[..., Any], formula: tuple[str, ...]) -> None:
    _add(Rule(
        name, torch_name, kernel, vjp,
        lambda ts, out, x, dim=None, keepdim=False:
            ops.sum(ts[0] * _extreme_weights(x, out, dim, keepdim), dim, keepdim),
        kind="reduction", doc=doc, saves_out=True, formula=formula))


_extreme_rule("amax", "AmaxBackward0", K.amax, "maximum over dims", _amax_vjp,
              formula=("grad to the maxima (shared at ties)",))
_extreme_rule("amin", "AminBackward0", K.amin, "minimum over dims", _amax_vjp,
              formula=("grad to the minima (shared at ties)",))
_extreme_rule("max_all", "MaxBackward1", K.amax, "max(x): the maximum of all elements",
              _evenly_distribute_vjp, formula=("grad to the maxima (shared at ties)",))
_extreme_rule("min_all", "MinBackward1", K.amin, "min(x): the minimum of all elements",
              _evenly_distribute_vjp, formula=("grad to the minima (shared at ties)",))


def _select_rule(name: str, torch_name: str, doc: str, formula: tuple[str, ...]) -> None:
    # max(x, dim) / min(x, dim): values at given indices; the gradient goes to that index only.
    _add(Rule(
        name, torch_name, _take_along,
        lambda g, out, x, index, dim, keepdim:
            (ops.scatter_along(g, x.shape, index, dim, keepdim),),
        lambda ts, out, x, index, dim, keepdim: ops.take_along(ts[0], index, dim, keepdim),
        kind="linear", doc=doc, saves_inputs=False, formula=formula,
        torch_keeps=True))  # MaxBackward0/MinBackward0 keep the argmax; our rule needs none


def _take_along(x: Any, index: Any, dim: int, keepdim: bool) -> Any:
    return x.copy() if x.ndim == 0 else K.take_along(x, index, dim, keepdim)


def _scatter_along(g: Any, shape: tuple[int, ...], index: Any, dim: int, keepdim: bool) -> Any:
    return g.copy() if not shape else K.scatter_along(g, shape, index, dim, keepdim)


_select_rule("max_dim", "MaxBackward0", "max(x, dim): values (and indices) along dim",
             formula=("grad to the argmax",))
_select_rule("min_dim", "MinBackward0", "min(x, dim): values (and indices) along dim",
             formula=("grad to the argmin",))
_add(Rule(
    "take_along", "GatherBackward0",
    _take_along,
    lambda g, out, x, index, dim, keepdim: (ops.scatter_along(g, x.shape, index, dim, keepdim),),
    lambda ts, out, x, index, dim, keepdim: ops.take_along(ts[0], index, dim, keepdim),
    kind="linear", doc="values at indices along a dim (gather)", saves_inputs=False))
_add(Rule(
    "scatter_along", "ScatterBackward0",
    _scatter_along,
    lambda gg, out, g, shape, index, dim, keepdim: (ops.take_along(gg, index, dim, keepdim),),
    lambda ts, out, g, shape, index, dim, keepdim:
        ops.scatter_along(ts[0], shape, index, dim, keepdim),
    kind="linear", doc="zeros with values placed at indices along a dim", saves_inputs=False))


def _norm_deriv(x: Tensor, out: Tensor, p: float, dim: Any, keepdim: bool) -> Tensor:
    if p == 0:
        return ops.zeros_like(x)  # the count of nonzeros is piecewise constant
    o = _unreduce(out, x.shape, dim, keepdim)
    if p == 2:
        # x/‖x‖, and 0 at the origin (PyTorch's subgradient).
        return ops.where(o == 0, 0.0, x / ops.where(o == 0, 1.0, o))
    if p == 1:
        return ops.sign(x)
    if p in (float("inf"), float("-inf")):
        return ops.sign(x) * _extreme_weights(ops.abs(x), out, dim, keepdim)
    a = ops.abs(x)
    return ops.where(o == 0, 0.0,
                   ops.sign(x) * a ** (p - 1) / ops.where(o == 0, 1.0, o) ** (p - 1))


def _norm_vjp(g: Tensor, out: Tensor, x: Tensor, p: float = 2.0, dim: Any = None,
              keepdim: bool = False) -> tuple[Any, ...]:
    # PyTorch's norm_backward, op for op (grad and norm get their reduced dims back).
    if x.ndim:
        g = _restore_reduced_dims(g, dim, keepdim)
        o = _restore_reduced_dims(out, dim, keepdim)
    else:
        o = out
    if p == 0:
        return (None,)  # no gradient at all (PyTorch: an undefined one)
    if p == 1:
        return (_sgn(x) * g,)
    if p == 2:
        return (g * B.masked_fill(x / o, o == 0, 0),)
    if p in (float("inf"), float("-inf")):
        a = ops.abs(x)
        mask = ops.logical_or(a == o, ops.isnan(a))
        return (_sgn(x) * ((g / ops.sum(mask, dim, True)) * mask),)
    if p < 1:
        scaled = _sgn(x) * B.masked_fill(ops.pow(ops.abs(x), p - 1), x == 0, 0)
        return (scaled * g * ops.pow(o, 1 - p),)
    scaled = (_sgn(x) * ops.pow(ops.abs(x), p - 1) if p < 2
              else x * ops.pow(ops.abs(x), p - 2))
    return (scaled * B.masked_fill(g / ops.pow(o, p - 1), o == 0, 0),)


_add(Rule(
    "norm", "LinalgVectorNormBackward0", K.norm,
    _norm_vjp,
    lambda ts, out, x, p=2.0, dim=None, keepdim=False:
        ops.sum(ts[0] * _norm_deriv(x, out, p, dim, keepdim), dim, keepdim),
    kind="reduction", doc="vector p-norm (a primitive: stable at 0)", saves_out=True,
    formula=("grad · x / ‖x‖",)))
_add(Rule(
    "logsumexp", "LogsumexpBackward0", K.logsumexp,
    lambda g, out, x, dim, keepdim=False:
        (_unreduce(g, x.shape, dim, keepdim) * ops.exp(x - _unreduce(out, x.shape, dim, keepdim)),),
    lambda ts, out, x, dim, keepdim=False:
        ops.sum(ts[0] * ops.exp(x - _unreduce(out, x.shape, dim, keepdim)), dim, keepdim),
    kind="reduction", doc="log Σ exp(x) over dims (stable)", saves_out=True,
    formula=("grad · exp(x - out)",)))
_add(Rule(
    "softmax", "SoftmaxBackward0", K.softmax,
    lambda g, out, x, dim: (B.softmax_backward_data(g, out, dim),),
    lambda ts, out, x, dim: out * (ts[0] - ops.sum(ts[0] * out, dim, True)),
    kind="general", doc="softmax along dim (stable)", saves_inputs=False, saves_out=True,
    formula=("out · (grad - Σ grad · out)",)))
_add(Rule(
    "log_softmax", "LogSoftmaxBackward0", K.log_softmax,
    lambda g, out, x, dim: (B.log_softmax_backward_data(g, out, dim),),
    lambda ts, out, x, dim: ts[0] - ops.sum(ops.exp(out) * ts[0], dim, True),
    kind="general", doc="log of softmax along dim (stable)", saves_inputs=False,
    saves_out=True,
    formula=("grad - exp(out) · Σ grad",)))



# ---------------------------------------------------------------------------------------
# PyTorch's backward primitives: the derivatives above that PyTorch computes through a
# function of its own, with that function's derivatives (derivatives.yaml), so that a
# derivative taken with create_graph=True prints PyTorch's node and differentiates again
# like PyTorch's. They run only in backward passes. Kernels: gradcli.ad.ops.backward.
# ---------------------------------------------------------------------------------------

_add(Rule(
    "threshold_backward", "ThresholdBackwardBackward0", B.k_threshold_backward,
    lambda gg, out, g, x, threshold: (
        B.threshold_backward(gg, x, threshold) if need(g) else None,
        ops.zeros_like(gg) if need(x) else None),
    lambda ts, out, g, x, threshold:
        None if ts[0] is None else B.threshold_backward(ts[0], x, threshold),
    kind="binary", doc="grad where x > threshold, else 0 (relu's derivative)",
    formula=("threshold_backward(grad, x, threshold)", "0")))
_add(Rule(
    "tanh_backward", "TanhBackwardBackward0", B.k_tanh_backward,
    lambda gg, out, g, o: (B.tanh_backward(gg, o) if need(g) else None,
                           gg * (-2 * o * g) if need(o) else None),
    lambda ts, out, g, o: _tan2(ts, lambda t: B.tanh_backward(t, o),
                                lambda t: t * (-2 * o * g)),
    kind="binary", doc="grad · (1 - out²) (tanh's derivative)",
    formula=("tanh_backward(grad, out)", "grad · (-2 · out · g)")))
_add(Rule(
    "sigmoid_backward", "SigmoidBackwardBackward0", B.k_sigmoid_backward,
    lambda gg, out, g, o: (B.sigmoid_backward(gg, o) if need(g) else None,
                           gg * g * (-2 * o + 1) if need(o) else None),
    lambda ts, out, g, o: _tan2(ts, lambda t: B.sigmoid_backward(t, o),
                                lambda t: t * g * (-2 * o + 1)),
    kind="binary", doc="grad · out · (1 - out) (sigmoid's derivative)",
    formula=("sigmoid_backward(grad, out)", "grad · g · (1 - 2 · out)")))
_add(Rule(
    "masked_fill", "MaskedFillBackward0", B.k_masked_fill,
    lambda g, out, x, mask, value: (B.masked_fill(g, mask, 0),),
    lambda ts, out, x, mask, value: B.masked_fill(ts[0], mask, 0),
    kind="linear", doc="x with a number where mask", saves_inputs=False, batchable=True,
    torch_keeps=True,  # MaskedFillBackward0 keeps the mask
    formula=("grad with 0 where mask",)))

_add(Rule(
    "masked_fill_value", "MaskedFillBackward1", B.k_masked_fill_value,
    lambda g, out, x, value, mask: (
        B.masked_fill(g, mask, 0) if need(x) else None,
        ops.sum(B.masked_fill(g, ~mask, 0)) if need(value) else None),
    lambda ts, out, x, value, mask: _tan2(
        ts, lambda t: B.masked_fill(t, mask, 0),
        lambda t: B.masked_fill_value(ops.zeros_like(out), mask, t)),
    kind="general", doc="x with a 0-dim tensor's value where mask", saves_inputs=False,
    torch_keeps=True,  # MaskedFillBackward1 keeps the mask
    batchable=False,
    formula=("grad with 0 where mask", "Σ grad where mask")))
_add(Rule(
    "mul_scalar", "MulBackward1", B.k_mul_scalar,
    lambda g, out, a, b: (B.mul_scalar(g, b), None),
    lambda ts, out, a, b: None if ts[0] is None else B.mul_scalar(ts[0], b),
    kind="binary", doc="a · number (PyTorch's mul.Scalar)", saves_inputs=False,
    edges=lambda name: (0,),
    formula=("grad · b", "—")))
_add(Rule(
    "div_scalar", "DivBackward1", B.k_div_scalar,
    lambda g, out, a, b: (B.div_scalar(g, b), None),
    lambda ts, out, a, b: None if ts[0] is None else B.div_scalar(ts[0], b),
    kind="binary", doc="a / number (PyTorch's div.Scalar)", saves_inputs=False,
    edges=lambda name: (0,),
    formula=("grad / b", "—")))


def _mse_norm(a: Tensor, b: Tensor, reduction: str) -> float:
    n = _count(a.shape, None)
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
    n = _count(x.shape, None)
    return t / n if reduction == "mean" and n else t


_add(Rule(
    "mse_loss_backward", "MseLossBackwardBackward0", B.k_mse_loss_backward,
    _mse_backward_vjp,
    lambda ts, out, g, a, b, reduction="mean": _tan3(
        ts, lambda t: B.mse_loss_backward(t, a, b, reduction),
        lambda t: _mse_norm(a, b, reduction) * t * g,
        lambda t: -_mse_norm(a, b, reduction) * t * g),
    kind="loss", doc="2 · (a - b) · grad (/ n for a mean): mse_loss's derivative",
    batchable=False,
    formula=("2 · (a - b) · gg", "2 · gg · g", "-2 · gg · g")))


def _tan3(ts: list[Any], *fs: Callable[[Any], Any]) -> Any:
    total = None
    for t, f in zip(ts, fs, strict=True):
        if t is not None:
            total = f(t) if total is None else total + f(t)
    return total


def _softmax_double(gg: Tensor, g: Tensor, o: Tensor, dim: int) -> Tensor:
    # PyTorch's softmax_double_backward(grad, grad_output, dim, output).
    return g * gg - ops.sum(o * g, dim, True) * gg - g * ops.sum(o * gg, dim, True)


_add(Rule(
    "softmax_backward_data", "SoftmaxBackwardDataBackward0", B.k_softmax_backward_data,
    lambda gg, out, g, o, dim: (B.softmax_backward_data(gg, o, dim) if need(g) else None,
                                _softmax_double(gg, g, o, dim) if need(o) else None),
    lambda ts, out, g, o, dim: _tan2(
        ts, lambda t: B.softmax_backward_data(t, o, dim),
        lambda t: t * (g - ops.sum(g * o, dim, True)) - o * ops.sum(g * t, dim, True)),
    kind="general", doc="out · (grad - Σ grad · out) (softmax's derivative)",
    batchable=False, sparse_tangents=True,
    formula=("softmax_backward_data(grad, out)", "softmax_double_backward")))
_add(Rule(
    "log_softmax_backward_data", "LogSoftmaxBackwardDataBackward0",
    B.k_log_softmax_backward_data,
    lambda gg, out, g, o, dim: (
        gg - ops.sum(gg * ops.exp(o), dim, True) if need(g) else None,
        -ops.sum(g, dim, True) * ops.exp(o) * gg if need(o) else None),
    lambda ts, out, g, o, dim: _tan2(
        ts, lambda t: t - ops.exp(o) * ops.sum(t, dim, True),
        lambda t: -ops.exp(o) * t * ops.sum(g, dim, True)),
    kind="general", doc="grad - exp(out) · Σ grad (log_softmax's derivative)",
    batchable=False,
    formula=("grad - Σ grad · exp(out)", "-Σ g · exp(out) · grad")))


# ---------------------------------------------------------------------------------------
# Shape ops: all linear; the JVP is the op itself on the tangent, the VJP its transpose.
# ---------------------------------------------------------------------------------------

def linear(name: str, torch_name: Any, kernel: Callable[..., Any],
           transpose: Callable[..., Any], doc: str, *, formula: tuple[str, ...] = (),
           views: bool = False, batchable: bool = False,
           torch_keeps: bool | frozenset[str] | None = None) -> Rule:
    """A unary linear op: VJP = transpose(g, x, **p); JVP = the op itself on the tangent.

    `views`: the output is a view of the input's storage whenever numpy can make one, so
    an in-place change of the output is a change of the input, as in PyTorch."""
    rule = Rule(name, torch_name, kernel,
                lambda g, out, x, **p: (transpose(g, x, **p),), None,
                kind="linear", doc=doc, saves_inputs=False, formula=formula, views=views,
                batchable=batchable, torch_keeps=torch_keeps)
    rule.jvp = lambda ts, out, x, **p: apply(rule, (ts[0],), p)
    return _add(rule)


def _reshape_name(inputs: Any, params: dict[str, Any]) -> str:
    # PyTorch's reshape: view (contiguous), _reshape_alias (strided but viewable) or
    # _unsafe_view of a contiguous clone (see ops.reshape).
    if params.get("copy"):
        return "UnsafeViewBackward0"
    return "ReshapeAliasBackward0" if params.get("alias") else "ViewBackward0"


linear("reshape", _reshape_name,
       lambda x, shape, copy=False, alias=False: K.reshape(x, shape),
       lambda g, x, shape, copy=False, alias=False: ops.reshape(g, x.shape), "reshape / view",
       formula=("reshape(grad, x.shape)",), views=True)
linear("expand", "ExpandBackward0", K.expand,
       lambda g, x, shape: ops.sum_to(g, x.shape), "broadcast to a shape",
       formula=("sum grad over broadcast dims",), views=True)
def _sum_to_name(inputs: Any, params: dict[str, Any]) -> str:
    # PyTorch's at::sum_to: sum() to a 0-dim shape (SumBackward0); otherwise
    # sum(dims, keepdim=True) (SumBackward1), then view() when leading dims go (ViewBackward0).
    shape = params["shape"]
    if not shape:
        return "SumBackward0"
    if inputs is not None and type(inputs[0]) is Tensor and inputs[0].ndim > len(shape):
        return "ViewBackward0"
    return "SumBackward1"


linear("sum_to", _sum_to_name, K.sum_to,
       lambda g, x, shape: ops.expand(g, x.shape),
       "sum a broadcast tensor back to a shape (the engine's unbroadcast)",
       formula=("expand(grad, x.shape)",))
linear("transpose", lambda i, p: "TBackward0" if p.get("short") else "TransposeBackward0",
       lambda x, dim0, dim1, short=False: K.transpose(x, dim0, dim1),
       lambda g, x, dim0, dim1, short=False: ops.transpose(g, dim0, dim1, short),
       "swap two dims (x.t() is the 2-D short form)",
       formula=("transpose(grad)",), views=True)
linear("permute", "PermuteBackward0", K.permute,
       lambda g, x, dims: ops.permute(g, _inverse_perm(dims)), "reorder dims",
       formula=("permute(grad, inverse)",), views=True)
def _unsqueeze_to(g: Tensor, x: Tensor, dim: Any = None, dims_variant: bool = False) -> Tensor:
    # PyTorch's squeeze backward, unsqueeze_to: g again with each squeezed size-1 dim.
    n = x.ndim
    dims = range(n) if dim is None else ([dim] if type(dim) is int else list(dim))
    for d in sorted({d % n for d in dims} if n else ()):
        if x.shape[d] == 1:
            g = ops.unsqueeze(g, d)
    return g


linear("squeeze",
       lambda i, p: "SqueezeBackward4" if p.get("dims_variant") else
       ("SqueezeBackward0" if p.get("dim") is None else "SqueezeBackward1"),
       lambda x, dim=None, dims_variant=False: K.squeeze(x, dim),
       _unsqueeze_to,
       "drop size-1 dims",
       formula=("reshape(grad, x.shape)",), views=True)
linear("unsqueeze", "UnsqueezeBackward0", K.unsqueeze,
       lambda g, x, dim: ops.squeeze(g, dim), "insert a size-1 dim",
       formula=("squeeze(grad, dim)",), views=True)


def _index_backward_name(index: Any, kind: str) -> str:
    """PyTorch's node for the transpose of x[index]: x[index] is a chain of select/slice/
    unsqueeze ops (then one index op for tensor indices), so its derivative's last step is
    the backward of the FIRST of them (a full slice ':' or '...' is no op at all)."""
    for p in index if type(index) is tuple else (index,):
        if p is Ellipsis or (type(p) is slice and p == slice(None)):
            continue
        if p is None:
            return "SqueezeBackward1"
        if type(p) is slice:
            return "SliceBackwardBackward0"
        if type(p) is int or (hasattr(p, "ndim") and p.ndim == 0 and kind != "IndexBackward0"):
            return "SelectBackwardBackward0"
        # A tensor index: PyTorch applies it after all the select/slice steps.
    return "IndexPutImplBackward0"


def _getitem_transpose(g: Tensor, x: Tensor, index: Any, kind: str) -> Tensor:
    return apply(RULES["index_add_into"], (g,),
                 {"shape": x.shape, "index": index, "name": _index_backward_name(index, kind)})
def _getitem(x: Any, index: Any, kind: str) -> Any:
    out = K.getitem(x, index)
    if kind == "IndexBackward0" and not out.flags.c_contiguous:
        out = out.copy()  # PyTorch's index returns a contiguous tensor (numpy's may not be)
    return out


linear("getitem", lambda i, p: p["kind"], _getitem,
       _getitem_transpose,
       "x[index]: select, slice, mask or gather",
       formula=("grad placed at the index, 0 elsewhere",), views=True,
       torch_keeps=frozenset(("IndexBackward0",)),  # PyTorch keeps the indices
       )
linear("index_add_into", lambda i, p: p.get("name", "IndexPutImplBackward0"),
       lambda g, shape, index, name=None: K.index_add_into(g, shape, index),
       lambda gg, g, shape, index, name=None: ops.getitem_raw(gg, index, "IndexBackward0"),
       "zeros with g added at an index (the transpose of x[index])")
def _diag_name(inputs: Any, params: dict[str, Any]) -> str:
    # torch.diag(matrix) is DiagonalBackward0_copy in PyTorch; the transpose of
    # torch.diag(vector) (a diagonal() of the cotangent) is DiagonalBackward0.
    if params["embed"]:
        return "DiagEmbedBackward0"
    return "DiagonalBackward0" if params.get("backward") else "DiagonalBackward0_copy"


def _diag_transpose(g: Tensor, x: Tensor, diagonal: int = 0, embed: bool = True,
                    shape: Any = None, backward: bool = False) -> Tensor:
    if x.ndim == 1:
        return apply(RULES["diag"], (g,), {"diagonal": diagonal, "embed": False,
                                           "backward": True})
    return ops.diag_transpose(g, x.shape, diagonal)


linear("diag", _diag_name,
       lambda x, diagonal=0, embed=True, shape=None, backward=False: K.diag(x, diagonal),
       _diag_transpose,
       "diagonal matrix from a vector, or the diagonal of a matrix")
linear("diag_embed_like", "DiagonalBackwardBackward0",
       lambda v, shape, diagonal=0: K.diag_embed_like(v, shape, diagonal),
       lambda g, v, shape, diagonal=0: ops.diag(g, diagonal),
       "write a vector onto a diagonal of a zero matrix")
linear("to_dtype", "ToCopyBackward0", K.to_dtype,
       lambda g, x, dtype: ops.to_dtype(g, x.dtype), "convert dtype (a copy)",
       formula=("grad in x's dtype",), batchable=True)
linear("clone", "CloneBackward0",  # keeps the layout (made contiguous if it overlaps)
       lambda x: x.copy(order="C" if K.overlaps(x) else "K"),
       lambda g, x: g, "a copy that stays in the graph",
       formula=("grad",), batchable=True)
_add(Rule(
    "fill", lambda i, p: "ZeroBackward0" if p["value"] == 0 else "FillBackward2", K.fill,
    lambda g, out, x, value: (ops.zeros_like(g),),
    lambda ts, out, x, value: ops.zeros_like(ts[0]),
    kind="linear", doc="fill with a value (x.zero_(), x.fill_(v))", saves_inputs=False))


def _inverse_perm(dims: tuple[int, ...]) -> tuple[int, ...]:
    n = len(dims)
    inv = [0] * n
    for i, d in enumerate(dims):
        inv[d % n] = i
    return tuple(inv)


def _split(g: Tensor, xs: tuple[Tensor, ...], dim: int, stacked: bool) -> tuple[Any, ...]:
    res = []
    start = 0
    nd = g.ndim
    d = dim % nd
    for x in xs:
        if stacked:
            idx = (slice(None),) * d + (start,)
            start += 1
        else:
            n = x.shape[d]
            idx = (slice(None),) * d + (slice(start, start + n),)
            start += n
        res.append(ops.getitem_raw(g, idx, "SliceBackward0") if need(x) else None)
    return tuple(res)


def _cat_jvp(ts: list[Any], out: Tensor, *xs: Tensor, dim: int = 0) -> Tensor:
    return ops.cat(list(ts), dim)


def _stack_jvp(ts: list[Any], out: Tensor, *xs: Tensor, dim: int = 0) -> Tensor:
    return ops.stack(list(ts), dim)


_add(Rule("cat", "CatBackward0", K.cat,
          lambda g, out, *xs, dim=0: _split(g, xs, dim, False), _cat_jvp,
          torch_keeps=False,  # CatBackward0 keeps only sizes
          kind="linear", doc="concatenate along a dim", saves_inputs=True,
          sparse_tangents=False,
          formula=("slice of grad",)))
_add(Rule("stack", "StackBackward0", K.stack,
          lambda g, out, *xs, dim=0: _split(g, xs, dim, True), _stack_jvp,
          torch_keeps=False,  # StackBackward0 keeps only sizes
          kind="linear", doc="stack along a new dim", saves_inputs=True,
          sparse_tangents=False,
          formula=("slice of grad",)))


def _index_put_vjp(g: Tensor, out: Tensor, x: Tensor, v: Any, index: Any,
                   kind: str) -> tuple[Any, ...]:
    gx = ops.index_put(g, 0.0, index, kind) if need(x) else None
    gv = ops.getitem_raw(g, index, "IndexBackward0") if need(v) else None
    return gx, gv


_add(Rule(
    "index_put", lambda i, p: p["kind"],
    lambda x, v, index, kind: K.index_put(x, v, index), _index_put_vjp,
    lambda ts, out, x, v, index, kind: ops.index_put(
        ts[0] if ts[0] is not None else ops.zeros_like(out),
        ts[1] if ts[1] is not None else 0.0, index, kind),
    kind="linear", doc="x with x[index] = v (the functional form of item assignment)",
    saves_inputs=False,
    formula=("grad with the index zeroed", "grad[index]")))


# ---------------------------------------------------------------------------------------
# Linear algebra (bilinear: each input's rule uses the other input).
# ---------------------------------------------------------------------------------------

def _mT(x: Tensor) -> Tensor:
    return ops.transpose(x, -1, -2)


_add(Rule(
    "mm", "MmBackward0", K.mm,
    lambda g, out, a, b: (ops.mm(g, ops.transpose(b, 0, 1)) if need(a) else None,
                          ops.mm(ops.transpose(a, 0, 1), g) if need(b) else None),
    lambda ts, out, a, b: _tan2(ts, lambda t: ops.mm(t, b), lambda t: ops.mm(a, t)),
    saved_for_partner=(0, 1), kind="bilinear", doc="matrix × matrix",
    formula=("grad @ bᵀ", "aᵀ @ grad")))
_add(Rule(
    "mv", "MvBackward0", K.mv,
    lambda g, out, a, v: (ops.mm(ops.unsqueeze(g, 1), ops.unsqueeze(v, 0)) if need(a) else None,
                          ops.mv(ops.transpose(a, 0, 1), g) if need(v) else None),
    lambda ts, out, a, v: _tan2(ts, lambda t: ops.mv(t, v), lambda t: ops.mv(a, t)),
    saved_for_partner=(0, 1), kind="bilinear", doc="matrix × vector",
    formula=("grad ⊗ v", "Aᵀ @ grad")))
_add(Rule(
    "dot", "DotBackward0", K.dot,
    lambda g, out, a, b: (g * b if need(a) else None, g * a if need(b) else None),
    lambda ts, out, a, b: _tan2(ts, lambda t: ops.dot(t, b), lambda t: ops.dot(a, t)),
    saved_for_partner=(0, 1), kind="bilinear", doc="vector · vector",
    formula=("grad · b", "grad · a")))
def _matmul_vjp(g: Tensor, out: Tensor, a: Tensor, b: Tensor) -> tuple[Any, ...]:
    # A 1-D operand is a row (a) or column (b) vector: give it, and g, that dim back.
    a2 = ops.unsqueeze(a, 0) if a.ndim == 1 else a
    b2 = ops.unsqueeze(b, 1) if b.ndim == 1 else b
    g2 = ops.unsqueeze(g, -2) if a.ndim == 1 else g
    g2 = ops.unsqueeze(g2, -1) if b.ndim == 1 else g2
    ga = ops.matmul(g2, _mT(b2)) if need(a) else None
    gb = ops.matmul(_mT(a2), g2) if need(b) else None
    return (ops.squeeze(ga, -2) if ga is not None and a.ndim == 1 else ga,
            ops.squeeze(gb, -1) if gb is not None and b.ndim == 1 else gb)


_add(Rule(
    "matmul", "UnsafeViewBackward0", K.matmul, _matmul_vjp,
    lambda ts, out, a, b: _tan2(ts, lambda t: ops.matmul(t, b), lambda t: ops.matmul(a, t)),
    saved_for_partner=(0, 1), kind="bilinear",
    doc="batched matrix product (batch dims broadcast; a 1-D side is a vector)",
    formula=("grad @ bᵀ", "aᵀ @ grad")))


# ---------------------------------------------------------------------------------------
# Losses: primitives so grad_fn names match PyTorch's and the forward is stable.
# ---------------------------------------------------------------------------------------

def _loss_scale(g: Tensor, shape: tuple[int, ...], reduction: str) -> Any:
    if reduction == "none":
        return g
    n = _count(shape, None)
    return ops.expand(g, shape) / n if reduction == "mean" else ops.expand(g, shape)


def _loss_reduce(l: Tensor, reduction: str) -> Tensor:
    if reduction == "none":
        return l
    return ops.mean(l) if reduction == "mean" else ops.sum(l)


def _bce_scale(t: Tensor, z: Tensor, reduction: str) -> Tensor:
    # PyTorch's binary_cross_entropy_with_logits_backward: grad_input /= numel for a mean.
    if reduction == "mean":
        return B.div_scalar(t, _count(z.shape, None))
    return t


_add(Rule(
    "mse_loss", "MseLossBackward0", K.mse_loss,
    lambda g, out, a, b, reduction="mean": (
        B.mse_loss_backward(g, a, b, reduction) if need(a) else None,
        B.mse_loss_backward(g, b, a, reduction) if need(b) else None),
    lambda ts, out, a, b, reduction="mean": _loss_reduce(
        2 * (a - b) * _tan2(ts, lambda t: t, lambda t: -t), reduction),
    kind="loss", doc="mean squared error",
    formula=("grad · 2(a - b)/n", "-grad · 2(a - b)/n")))
_add(Rule(
    "bce_with_logits", "BinaryCrossEntropyWithLogitsBackward0", K.bce_with_logits,
    lambda g, out, z, y, reduction="mean": (
        _bce_scale((ops.sigmoid(z) - y) * g, z, reduction) if need(z) else None,
        _bce_scale(-z * g, z, reduction) if need(y) else None),
    lambda ts, out, z, y, reduction="mean": _loss_reduce(
        _tan2(ts, lambda t: (ops.sigmoid(z) - y) * t, lambda t: -z * t), reduction),
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


_add(Rule("nll_loss", "NllLossBackward0", K.nll_loss, _nll_vjp, _nll_jvp,
          kind="loss", doc="negative log-likelihood of class indices",
          formula=("-grad/n at each target class", "—")))


# ---------------------------------------------------------------------------------------
# unbind: PyTorch's one node with n outputs is, here, one node per output (each named
# UnbindBackward0); output i's VJP is PyTorch's unbind_backward with the other
# cotangents None (zeros): stack([0, …, g, …, 0], dim), i.e. g placed at index i.
# ---------------------------------------------------------------------------------------

def _unbind_index(dim: int, index: int) -> tuple[Any, ...]:
    return (slice(None),) * dim + (index,)


linear("unbind", "UnbindBackward0",
       lambda x, dim, index: K.getitem(x, _unbind_index(dim, index)),
       lambda g, x, dim, index: apply(
           RULES["index_add_into"], (g,),
           {"shape": x.shape, "index": _unbind_index(dim, index), "name": "StackBackward0"}),
       "one slice of x.unbind(dim) (iterating a tensor)",
       formula=("stack of grads (zeros for the other outputs)",), views=True)


def _flip(x: Any, dims: tuple[int, ...]) -> Any:
    # A copy, as PyTorch's flip (numpy's flip is a view with negative strides).
    return x[tuple(slice(None, None, -1) if d in dims else slice(None)
                   for d in range(x.ndim))].copy()


linear("flip", "FlipBackward0", _flip,
       lambda g, x, dims: ops.flip(g, dims),
       "reverse the order of the elements along dims (reversed(x) is x.flip(0))",
       formula=("flip(grad, dims)",))
