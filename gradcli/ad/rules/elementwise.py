"""Elementwise rules: unary math, binary arithmetic with broadcasting, comparisons."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from gradcli.ad import kernels as K
from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import elementwise as KE
from gradcli.ad.ops import backward as B
from gradcli.ad.ops import elementwise as E
from gradcli.ad.registry import RULES, Rule
from gradcli.ad.rules.base import (
    arr,
    elementwise,
    is_tensor,
    need,
    register,
    sgn,
    tan2,
    wrap,
)
from gradcli.errors import GdRuntimeError

# ---------------------------------------------------------------------------------------
# Elementwise unary: give the local derivative d(x, out) once; VJP is g·d, JVP is t·d.
# ---------------------------------------------------------------------------------------


elementwise("exp", "ExpBackward0", K.exp, lambda x, o: o, "e^x", uses_out=True,
            formula=("grad · out",), fast=lambda g, x, o: K.mul(g, o),
            scalar=lambda g, x, o: g * o)
elementwise("log", "LogBackward0", K.log, lambda x, o: 1 / x, "natural logarithm",
            formula=("grad / x",), grad=lambda g, x, o: g / x,
            fast=lambda g, x, o: K.div(g, x), scalar=lambda g, x, o: g / x)
elementwise("log1p", "Log1PBackward0", K.log1p, lambda x, o: 1 / (x + 1), "log(1 + x)",
            formula=("grad / (1 + x)",), grad=lambda g, x, o: g / (x + 1),
            fast=lambda g, x, o: K.div(g, K.add(x, 1)), scalar=lambda g, x, o: g / (x + 1))
elementwise("sqrt", "SqrtBackward0", K.sqrt, lambda x, o: 0.5 / o, "square root", uses_out=True,
            formula=("grad / (2 · out)",), grad=lambda g, x, o: g / (2 * o),
            fast=lambda g, x, o: K.div(g, K.mul(o, 2)), scalar=lambda g, x, o: g / (o * 2))
elementwise("sin", "SinBackward0", K.sin, lambda x, o: ops.cos(x), "sine",
            formula=("grad · cos(x)",), fast=lambda g, x, o: K.mul_temporary(g, K.cos(x)),
            scalar=lambda g, x, o: g * KE.scalar_cos(x))
elementwise("cos", "CosBackward0", K.cos, lambda x, o: -ops.sin(x), "cosine",
            formula=("-grad · sin(x)",), fast=lambda g, x, o: K.mul_temporary(g, K.neg(K.sin(x))),
            scalar=lambda g, x, o: g * -KE.scalar_sin(x))
elementwise("tan", "TanBackward0", K.tan, lambda x, o: 1 + o * o, "tangent", uses_out=True,
            formula=("grad · (1 + out²)",), grad=lambda g, x, o: g * (1 + ops.pow(o, 2)),
            fast=lambda g, x, o: K.mul_temporary(g, K.add(K.pow(o, 2), 1)))
elementwise("tanh", "TanhBackward0", K.tanh, lambda x, o: 1 - o * o, "hyperbolic tangent",
            uses_out=True,
            formula=("grad · (1 - out²)",), grad=lambda g, x, o: B.tanh_backward(g, o),
            fast=lambda g, x, o: B.k_tanh_backward(g, o),
            scalar=lambda g, x, o: KE.scalar_tanh_backward(g, o)).with_nd_vjp(
    lambda g, out, xs: (B.k_tanh_backward(g, out.array),))  # (two calls less: bench W2)
elementwise("sigmoid", "SigmoidBackward0", K.sigmoid, lambda x, o: o * (1 - o),
            "logistic function 1/(1+e^-x)", uses_out=True,
            formula=("grad · out · (1 - out)",), grad=lambda g, x, o: B.sigmoid_backward(g, o),
            fast=lambda g, x, o: B.k_sigmoid_backward(g, o),
            scalar=lambda g, x, o: g * (1 - o) * o)
elementwise("reciprocal", "ReciprocalBackward0", K.reciprocal, lambda x, o: -(o * o),
            "1/x", uses_out=True,
            formula=("-grad · out²",), grad=lambda g, x, o: -g * (o * o),
            fast=lambda g, x, o: K.mul(K.neg(g), K.mul(o, o)), scalar=lambda g, x, o: -g * (o * o))
elementwise("relu", "ReluBackward0", K.relu, lambda x, o: ops.to_dtype(o > 0, o.dtype),
            "max(x, 0)", uses_out=True,
            formula=("grad · (out > 0)",), grad=lambda g, x, o: B.threshold_backward(g, o, 0),
            fast=lambda g, x, o: B.k_threshold_backward(g, o, threshold=0))
elementwise("abs", "AbsBackward0", K.abs, lambda x, o: sgn(x), "absolute value",
            formula=("grad · sgn(x)",), grad=lambda g, x, o: g * sgn(x),
            fast=lambda g, x, o: K.mul_temporary(g, K.sign(x)))
# PyTorch's abs derivative is grad * self.sgn(): SgnBackward0, whose derivative for real
# inputs is an efficient zero tensor (adding it changes nothing, not even -0.).
register(Rule("sgn", "SgnBackward0", K.sign,
              lambda g, out, x: (B.zero_tensor(g),),
              lambda ts, out, x: ops.zeros_like(ts[0]),
              kind="elementwise", doc="sign of x (sgn: abs's derivative)", saves_inputs=False,
              formula=("0 (a zero tensor)",)))


elementwise(
    "clamp", lambda i, p: "ClampBackward1" if _number_bounds(p) else "ClampBackward0", K.clamp,
    lambda x, o, min=None, max=None: ops.to_dtype(_in_range(x, min, max), x.dtype),
    "clip into [min, max]",
    formula=("grad · (min ≤ x ≤ max)",),
    grad=lambda g, x, o, min=None, max=None: ops.where(_in_range(x, min, max), g, 0.0),
    fast=lambda g, x, o, min=None, max=None: K.where(_in_range_array(x, min, max), g, 0.0))


for _side, _torch in (("min", "ClampMinBackward0"), ("max", "ClampMaxBackward0")):
    elementwise(
        f"clamp_{_side}", _torch,
        (lambda side: lambda x, bound: K.clamp(x, **{side: bound}))(_side),
        (lambda side: lambda x, o, bound: ops.to_dtype(
            _in_range(x, *((bound, None) if side == "min" else (None, bound))), x.dtype))(_side),
        f"x.clamp_{_side}(bound)",
        formula=(f"grad · (x {'≥' if _side == 'min' else '≤'} bound)",),
        grad=(lambda side: lambda g, x, o, bound: ops.where(
            _in_range(x, *((bound, None) if side == "min" else (None, bound))), g, 0.0))(_side),
        fast=(lambda side: lambda g, x, o, bound: K.where(
            _in_range_array(x, *((bound, None) if side == "min" else (None, bound))), g,
            0.0))(_side))


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


def _in_range_array(x: Any, lo: Any, hi: Any) -> Any:
    """_in_range on arrays (its kernels, in its order)."""
    mask = None
    if lo is not None:
        mask = K.ge(x, arr(lo))
    if hi is not None:
        m = K.le(x, arr(hi))
        mask = m if mask is None else K.logical_and(mask, m)
    return mask


# clamp with tensor bounds (PyTorch's clamp.Tensor, ClampBackward0, and clamp_min/clamp_max
# with a tensor: ClampMinBackward1/ClampMaxBackward1): the bounds are inputs, and edges of
# the node whether or not they need a gradient. Each bound gets the gradient where x is
# clipped to it, as PyTorch's clamp_backward_min_max: with both bounds, min only where
# min < max, max where x > max or max < min (so x clipped to min == max sends to neither).
def _clamp_bounds(xs: tuple[Any, ...], side: str) -> tuple[Any, Any, Any]:
    x, b = xs[0], xs[1:]
    return (x, *b) if side == "both" else (x, b[0], None) if side == "min" else (x, None, b[0])


def _clamp_tensor_vjp(side: str) -> Callable[..., tuple[Any, ...]]:
    def vjp(g: Tensor, out: Tensor, *xs: Any, **p: Any) -> tuple[Any, ...]:
        x, lo, hi = _clamp_bounds(xs, side)
        glo = ghi = None  # the bounds' gradients first ("min, max" sorts before "self")
        if lo is not None and need(lo):
            m = x < lo
            glo = ops.where(ops.logical_and(m, lo < hi) if hi is not None else m, g, 0.0)
        if hi is not None and need(hi):
            m = x > hi
            ghi = ops.where(ops.logical_or(m, hi < lo) if lo is not None else m, g, 0.0)
        gx = ops.where(_in_range(x, lo, hi), g, 0.0) if need(x) else None
        return (gx, *((glo, ghi) if side == "both" else (glo,) if side == "min" else (ghi,)))
    return vjp


def _clamp_tensor_jvp(side: str) -> Callable[..., Any]:
    def jvp(ts: list[Any], out: Tensor, *xs: Any, **p: Any) -> Any:
        x, lo, hi = _clamp_bounds(xs, side)
        zero = ops.zeros_like(out)
        tx, tlo, thi = _clamp_bounds(tuple(zero if t is None else t for t in ts), side)
        if lo is not None and hi is not None:
            return ops.where(lo > hi, thi, ops.where(x < lo, tlo, ops.where(x > hi, thi, tx)))
        if lo is not None:
            return ops.where(x > lo, tx, tlo)
        return ops.where(x < hi, tx, thi)
    return jvp


def _clamp_tensor_forward(side: str) -> Callable[..., Any]:
    def forward(*xs: Any, **p: Any) -> Any:
        x, lo, hi = _clamp_bounds(xs, side)
        return K.clamp(x, min=lo, max=hi)
    return forward


for _side, _edges in (("both", (0, 1, 2)), ("min", (0, 1, None)), ("max", (0, None, 1))):
    register(Rule(
        f"clamp_tensor_{_side}",
        (lambda side: lambda i, p: f"Clamp{side.capitalize()}Backward1" if p.get("method")
         else "ClampBackward0")(_side),
        _clamp_tensor_forward(_side), _clamp_tensor_vjp(_side), _clamp_tensor_jvp(_side),
        kind="general", doc="clip into [min, max], the bounds tensors",
        edges=(lambda e: lambda name: e if name == "ClampBackward0" else (0, 1))(_edges),
        formula=("grad · (min ≤ x ≤ max)",
                 *(("grad · (x < min)",) if _side != "max" else ()),
                 *(("grad · (x > max)",) if _side != "min" else ()))))


# Piecewise-constant ops: derivative zero almost everywhere (PyTorch gives zeros too).
for _name, _torch, _kernel, _doc in (
    ("sign", "SignBackward0", K.sign, "sign of x: -1, 0 or 1"),
    ("floor", "FloorBackward0", K.floor, "round down"),
    ("ceil", "CeilBackward0", K.ceil, "round up"),
    ("round", lambda i, p: "RoundBackward1" if "decimals" in p else "RoundBackward0", K.round,
     "round half to even"),
):
    register(Rule(_name, _torch, _kernel,
                  lambda g, out, x, **p: (ops.zeros_like(g),),
                  lambda ts, out, x, **p: ops.zeros_like(ts[0]),
                  kind="elementwise", doc=_doc, saves_inputs=False))


# ---------------------------------------------------------------------------------------
# Elementwise binary (broadcasting; Python numbers are constants with no gradient).
# ---------------------------------------------------------------------------------------

def _sub_name(inputs: Any, params: dict[str, Any]) -> str:
    return "RsubBackward1" if inputs is not None and not is_tensor(inputs[0]) else "SubBackward0"


def _div_name(inputs: Any, params: dict[str, Any]) -> str:
    return "MulBackward0" if inputs is not None and not is_tensor(inputs[0]) else "DivBackward0"


def _pow_name(inputs: Any, params: dict[str, Any]) -> str:
    if inputs is None:
        return "PowBackward0"
    a, b = inputs
    if not is_tensor(b):
        return "PowBackward0"
    return "PowBackward1" if is_tensor(a) else "PowBackward2"


# Scalar VJPs of the binary rules (Rule.with_scalar_vjp): the array VJP's kernels on
# numpy scalars, written out (they run once per node of a scalar tape). None where they do
# not apply: a tensor input of another dtype than the cotangent's (the engine must cast a
# cotangent), or a constant that is not a Python number (a numpy scalar takes part in
# numpy's promotion).

_NUMBERS = KE.WEAK_NUMBERS


def _add_vjp_scalar(g: Any, out: Any, xs: tuple[Any, ...]) -> tuple[Any, ...] | None:
    a, b = xs
    dt = g.dtype
    if type(a) is Tensor:
        if a.array.dtype is not dt:
            return None
    elif type(a) not in _NUMBERS:
        return None
    if type(b) is Tensor:
        if b.array.dtype is not dt:
            return None
    elif type(b) not in _NUMBERS:
        return None
    return (g, g)


def _sub_vjp_scalar(g: Any, out: Any, xs: tuple[Any, ...]) -> tuple[Any, ...] | None:
    c = _add_vjp_scalar(g, out, xs)
    return None if c is None else (g, -g)


def _mul_vjp(g: Tensor, out: Tensor, a: Any, b: Any) -> tuple[Any, ...]:
    # PyTorch's generated MulBackward0 computes `other`'s gradient before `self`'s (the
    # formulas in derivatives.yaml's key order, sorted): with create_graph=True its nodes
    # are made in that order, which orders the next backward pass.
    gb = g * a if need(b) else None
    return (g * b if need(a) else None, gb)


def _mul_vjp_scalar(g: Any, out: Any, xs: tuple[Any, ...]) -> tuple[Any, ...] | None:
    a, b = xs
    dt = g.dtype
    if type(a) is Tensor:
        aa = a.array
        if aa.dtype is not dt:
            return None
        if type(b) is Tensor:
            ba = b.array
            if ba.dtype is not dt:
                return None
            return (g * ba[()] if a.requires_grad else None,
                    g * aa[()] if b.requires_grad else None)
        if type(b) not in _NUMBERS:
            return None
        return (g * b if a.requires_grad else None, None)
    # A number times a tensor (b: the tensor, since the node was recorded).
    if b.array.dtype is not dt or type(a) not in _NUMBERS:
        return None
    return (None, g * a if b.requires_grad else None)


register(Rule(
    "add", "AddBackward0", K.add,
    lambda g, out, a, b: (g, g),
    lambda ts, out, a, b: tan2(ts, lambda t: t, lambda t: t),
    kind="binary", doc="a + b", saves_inputs=False,
    formula=("grad", "grad"))).with_scalar_vjp(_add_vjp_scalar).with_nd_vjp(
    lambda g, out, xs: (g, g))
register(Rule(
    "sub", _sub_name, K.sub,
    lambda g, out, a, b: (g, -g),
    lambda ts, out, a, b: tan2(ts, lambda t: t, lambda t: -t),
    kind="binary", doc="a - b", saves_inputs=False,
    edges=lambda name: (1,) if name == "RsubBackward1" else (0, 1),
    formula=("grad", "-grad"))).with_array_vjp(
    lambda g, out, a, b: (g, wrap(K.neg(g.array)))).with_scalar_vjp(_sub_vjp_scalar).with_nd_vjp(
    lambda g, out, xs: (g, K.neg(g)))
register(Rule(
    "mul", "MulBackward0", K.mul, _mul_vjp,
    lambda ts, out, a, b: tan2(ts, lambda t: t * b, lambda t: a * t),
    saved_for_partner=(0, 1), kind="binary", doc="a * b (elementwise)",
    formula=("grad · b", "grad · a"))).with_array_vjp(
    lambda g, out, a, b: (wrap(K.mul(g.array, arr(b))) if need(a) else None,
                          wrap(K.mul(g.array, arr(a))) if need(b) else None)).with_scalar_vjp(
    _mul_vjp_scalar).with_nd_vjp(
    lambda g, out, xs: (K.mul(g, arr(xs[1])) if need(xs[0]) else None,
                        K.mul(g, arr(xs[0])) if need(xs[1]) else None))


def _div_vjp(g: Tensor, out: Tensor, a: Any, b: Any) -> tuple[Any, ...]:
    # PyTorch's div_tensor_self_backward / div_tensor_other_backward, op for op.
    # `other` first, as _mul_vjp.
    gb = -g * ((a / b) / b) if need(b) else None
    return (g / b if need(a) else None, gb)


def _div_vjp_array(g: Tensor, out: Tensor, a: Any, b: Any) -> tuple[Any, ...]:
    if not is_tensor(a):  # number / tensor: true_divide's reciprocal form, left to the ops
        return _div_vjp(g, out, a, b)
    ga = g.array
    ba = arr(b)
    return (wrap(K.div(ga, ba)) if need(a) else None,
            wrap(K.mul(K.neg(ga), K.div(K.div(a.array, ba), ba))) if need(b) else None)


def _div_vjp_scalar(g: Any, out: Any, xs: tuple[Any, ...]) -> tuple[Any, ...] | None:
    a, b = xs
    if type(a) is not Tensor:  # number / tensor: the array VJP leaves it to the ops
        return None
    dt = g.dtype
    aa = a.array
    if aa.dtype is not dt:
        return None
    if type(b) is Tensor:
        bs = b.array
        if bs.dtype is not dt:
            return None
        bs = bs[()]
        return (g / bs if a.requires_grad else None,
                -g * ((aa[()] / bs) / bs) if b.requires_grad else None)
    if type(b) not in _NUMBERS:
        return None
    return (g / b if a.requires_grad else None, None)


register(Rule(
    "div", _div_name, K.div,
    _div_vjp,
    lambda ts, out, a, b: tan2(ts, lambda t: t / b, lambda t: -t * a / (b * b)),
    saved_for_partner=(0,),  # DivBackward0 keeps self only for the divisor
    kind="binary", doc="a / b (true division)",
    formula=("grad / b", "-grad · a / b²"))).with_array_vjp(_div_vjp_array).with_scalar_vjp(
    _div_vjp_scalar)


def _pow_vjp_array(g: Tensor, out: Tensor, a: Any, b: Any) -> tuple[Any, ...]:
    if is_tensor(b) or not need(a) or b == 0:
        return _pow_vjp(g, out, a, b)
    # g · mul_scalar(a ** (b - 1), b); ops.pow gives a itself for the power 1 here.
    e = b - 1
    p = a.array if e == 1 else K.pow(a.array, e)
    return (wrap(K.mul_temporary(g.array, B.k_mul_scalar(p, b))), None)


def _pow_vjp(g: Tensor, out: Tensor, a: Any, b: Any) -> tuple[Any, ...]:
    # PyTorch's pow_backward / pow_backward_self / pow_backward_exponent, op for op; the
    # exponent's first, as _mul_vjp.
    gb = _pow_vjp_exponent(g, out, a, b) if need(b) else None
    if need(a):
        if not is_tensor(b):
            ga = ops.zeros_like(a) if b == 0 else g * B.mul_scalar(ops.pow(a, b - 1), b)
        else:
            ga = ops.where(b == 0, 0.0, g * (b * ops.pow(a, b - 1)))
    else:
        ga = None
    return ga, gb


def _pow_vjp_exponent(g: Tensor, out: Tensor, a: Any, b: Tensor) -> Tensor:
    if not is_tensor(a):
        return g * (ops.where(b >= 0, 0.0, out * ops.log_of_number(a)) if a == 0
                    else out * ops.log_of_number(a))
    return g * ops.where(ops.logical_and(a == 0, b >= 0), 0.0, out * ops.log(_as_out(a, out)))


def _as_out(a: Tensor, out: Tensor) -> Tensor:
    """The base in the result's dtype (pow_backward_exponent takes the log of self
    converted to the promoted dtype: an integer base's log in float64 for a float64
    exponent, not in the default dtype)."""
    return a if a.dtype == out.dtype else ops.to_dtype(a, out.dtype)


def _dpow_da(a: Any, b: Any) -> Any:
    if not is_tensor(b):
        if b == 0:
            return ops.zeros_like(a)
        return b * ops.pow(a, b - 1)
    # d/da a^b = b·a^(b-1); PyTorch masks it to 0 where b == 0.
    return ops.where(b == 0, 0.0, b * a ** (b - 1))


def _dpow_db(out: Any, a: Any) -> Any:
    # d/db a^b = a^b·log(a); PyTorch masks it to 0 where a == 0 and b >= 0.
    if not is_tensor(a):
        return out * ops.log_of_number(a)
    return ops.where(a == 0, 0.0, out * ops.log(_as_out(a, out)))


register(Rule(
    "pow", _pow_name, K.pow, _pow_vjp,
    lambda ts, out, a, b: tan2(ts, lambda t: t * _dpow_da(a, b), lambda t: t * _dpow_db(out, a)),
    kind="binary", doc="a ** b", saves_out=True,
    edges=lambda name: {"PowBackward0": (0,), "PowBackward2": (1,)}.get(name, (0, 1)),
    formula=("grad · b · a^(b-1)", "grad · out · log(a)"))).with_array_vjp(_pow_vjp_array)


def _max_weight(a: Any, b: Any, wins: Callable[[Any, Any], Any]) -> Tensor:
    # Ties split the gradient in half, as PyTorch does.
    return ops.where(a == b, 0.5, ops.to_dtype(wins(a, b), _float_dtype(a, b)))


def _float_dtype(a: Any, b: Any) -> Any:
    return a.dtype if is_tensor(a) else b.dtype


def _extremum_rule(name: str, torch_name: str, kernel: Any,
                   wins: Callable[[Any, Any], Any], wins_array: Callable[[Any, Any], Any],
                   doc: str, formula: tuple[str, ...]) -> None:
    def vjp(g: Tensor, out: Tensor, a: Any, b: Any) -> tuple[Any, ...]:
        # PyTorch: at::where(a == b, grad / 2, grad).masked_fill_(the other wins, 0).
        tie = ops.where(a == b, g / 2, g) if need(a) or need(b) else None
        gb = B.masked_fill(tie, wins(a, b), 0) if need(b) else None  # `other` first
        return (B.masked_fill(tie, wins(b, a), 0) if need(a) else None, gb)

    def jvp(ts: list[Any], out: Tensor, a: Any, b: Any) -> Any:
        wa = _max_weight(a, b, wins)
        return tan2(ts, lambda t: t * wa, lambda t: t * (1 - wa))

    def vjp_array(g: Tensor, out: Tensor, a: Any, b: Any) -> tuple[Any, ...]:
        if not (is_tensor(a) and is_tensor(b)) or not (need(a) or need(b)):
            return vjp(g, out, a, b)
        aa, ba, ga = a.array, b.array, g.array
        tie = K.where(K.eq(aa, ba), K.div(ga, 2), ga)
        return (wrap(B.k_masked_fill(tie, mask=wins_array(ba, aa), value=0))
                if need(a) else None,
                wrap(B.k_masked_fill(tie, mask=wins_array(aa, ba), value=0))
                if need(b) else None)

    register(Rule(name, torch_name, kernel, vjp, jvp, kind="binary", doc=doc,
                  formula=formula)).with_array_vjp(vjp_array)


_extremum_rule("maximum", "MaximumBackward0", K.maximum, lambda a, b: a > b, K.gt,
               "elementwise max(a, b)",
               formula=("grad where a > b (½ at ties)", "grad where b > a (½ at ties)"))
_extremum_rule("minimum", "MinimumBackward0", K.minimum, lambda a, b: a < b, K.lt,
               "elementwise min(a, b)",
               formula=("grad where a < b (½ at ties)", "grad where b < a (½ at ties)"))
register(Rule(
    "where", "WhereBackward0", K.where,
    lambda g, out, c, a, b: (None,
                             ops.where(c, g, 0.0) if need(a) else None,
                             ops.where(c, 0.0, g) if need(b) else None),
    lambda ts, out, c, a, b: tan2(ts[1:], lambda t: ops.where(c, t, 0.0),
                                   lambda t: ops.where(c, 0.0, t)),
    kind="binary", doc="where(cond, a, b): a where cond else b", edges=lambda name: (1, 2),
    formula=("—", "grad where cond", "grad where not cond"))).with_array_vjp(
    lambda g, out, c, a, b: (None,
                             wrap(K.where(c.array, g.array, 0.0)) if need(a) else None,
                             wrap(K.where(c.array, 0.0, g.array)) if need(b) else None))
register(Rule(
    "neg", "NegBackward0", K.neg,
    lambda g, out, x: (-g,), lambda ts, out, x: -ts[0],
    kind="linear", doc="-x", saves_inputs=False, batchable=True,
    formula=("-grad",))).with_array_vjp(lambda g, out, x: (wrap(K.neg(g.array)),)).with_scalar_vjp(
    lambda g, out, xs: (-g,) if xs[0].array.dtype is g.dtype else None)

# The kernels' scalar path, for apply to take itself (Rule.scalar_forward).
for _name, _op in (("add", operator.add), ("sub", operator.sub), ("mul", operator.mul),
                   ("div", operator.truediv)):
    RULES[_name].scalar_forward = _op

# Non-differentiable elementwise ops: comparisons, logic. Never recorded.
for _name, _kernel, _doc in (
    ("lt", K.lt, "a < b"), ("le", K.le, "a <= b"), ("gt", K.gt, "a > b"),
    ("ge", K.ge, "a >= b"), ("eq", K.eq, "a == b"), ("ne", K.ne, "a != b"),
    ("logical_and", K.logical_and, "a and b, elementwise"),
    ("logical_or", K.logical_or, "a or b, elementwise"),
    ("logical_not", K.logical_not, "not x, elementwise"),
    ("bitwise_not", K.bitwise_not, "~x"),
    ("isnan", K.isnan, "x is NaN"), ("isfinite", K.isfinite, "x is finite"),
    ("argmax", K.argmax, "index of the maximum"), ("argmin", K.argmin, "index of the minimum"),
):
    register(Rule(_name, _name, _kernel, None, None, kind="nondifferentiable", doc=_doc))


def _mod_name(inputs: Any, params: dict[str, Any]) -> str:
    if inputs is None or is_tensor(inputs[0]):
        return "RemainderBackward1" if inputs is not None and is_tensor(inputs[1]) \
            else "RemainderBackward0"
    return "NotImplemented"  # number % tensor: PyTorch has no derivative for it


def _mod_vjp(g: Tensor, out: Tensor, a: Any, b: Any) -> tuple[Any, ...]:
    if not is_tensor(a):
        raise GdRuntimeError("derivative for aten::remainder is not implemented")
    # PyTorch: self: grad; other: -grad * self.div(other, rounding_mode="floor").
    # The rounded division, not floor(a / b): a / b rounds first (1 / 0.1 is 10.0, where
    # the floor division of 1 by the double nearest 0.1 is 9), and its derivative is 0.
    return (g if need(a) else None, -g * E.div_mode(a, b, "floor") if need(b) else None)


register(Rule(
    "mod", _mod_name, K.mod, _mod_vjp,
    lambda ts, out, a, b: tan2(ts, lambda t: t, lambda t: -t * E.div_mode(a, b, "floor")),
    kind="binary", doc="a % b (Python's remainder: the sign of b)",
    edges=lambda name: (0, 1) if name == "RemainderBackward1" else
    ((1,) if name == "NotImplemented" else (0,)),
    formula=("grad", "-grad · div(a, b, rounding_mode='floor')")))
