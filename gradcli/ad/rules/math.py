"""Elementwise math rules: inverse trigonometric and hyperbolic functions, logarithms and
exponentials in other bases, the error function family, sinc, logit, rounding parts, and
the binary atan2, hypot, logaddexp(2), fmod, copysign, xlogy, lerp, div with a rounding
mode, floor_divide and copy_. Every VJP is PyTorch's derivatives.yaml formula, op for op,
so a derivative taken with create_graph=True has PyTorch's nodes."""

from __future__ import annotations

import math
from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import elementwise as KE
from gradcli.ad.kernels import math as KM
from gradcli.ad.ops import backward as B
from gradcli.ad.ops import elementwise as E
from gradcli.ad.ops import math as M
from gradcli.ad.registry import Rule
from gradcli.ad.rules.base import (
    elementwise,
    is_tensor,
    need,
    no_derivative,
    register,
    second_first,
    tan2,
)
from gradcli.errors import GdRuntimeError

_2_SQRTPI = 2.0 / math.sqrt(math.pi)
_LN2 = math.log(2.0)
_180_PI = 57.295779513082320876798154814105170332405472466564
_PI_180 = 0.017453292519943295769236907684886127134428718885417

# -- unary: local derivative d(x, out) for the JVP, PyTorch's formula for the VJP ---------

elementwise("atan", "AtanBackward0", KM.atan, lambda x, o: 1 / (x * x + 1), "arctangent",
            formula=("grad / (x² + 1)",), grad=lambda g, x, o: g / (x * x + 1),
            fast=lambda g, x, o: KE.div(g, KE.add(KE.mul(x, x), 1)))
elementwise("asin", "AsinBackward0", KM.asin, lambda x, o: M.rsqrt(-x * x + 1), "arcsine",
            formula=("grad · rsqrt(1 - x²)",), grad=lambda g, x, o: g * M.rsqrt(-x * x + 1),
            fast=lambda g, x, o: KE.mul(g, KM.rsqrt(KE.add(KE.mul(KE.neg(x), x), 1))))
elementwise("acos", "AcosBackward0", KM.acos, lambda x, o: -M.rsqrt(-x * x + 1), "arccosine",
            formula=("-grad · rsqrt(1 - x²)",),
            grad=lambda g, x, o: g * -M.rsqrt(-x * x + 1),
            fast=lambda g, x, o: KE.mul(g, KE.neg(KM.rsqrt(KE.add(KE.mul(KE.neg(x), x), 1)))))
elementwise("sinh", "SinhBackward0", KM.sinh, lambda x, o: M.cosh(x), "hyperbolic sine",
            formula=("grad · cosh(x)",), grad=lambda g, x, o: g * M.cosh(x),
            fast=lambda g, x, o: KE.mul(g, KM.cosh(x)))
elementwise("cosh", "CoshBackward0", KM.cosh, lambda x, o: M.sinh(x), "hyperbolic cosine",
            formula=("grad · sinh(x)",), grad=lambda g, x, o: g * M.sinh(x),
            fast=lambda g, x, o: KE.mul(g, KM.sinh(x)))
elementwise("asinh", "AsinhBackward0", KM.asinh, lambda x, o: M.rsqrt(ops.pow(x, 2) + 1),
            "inverse hyperbolic sine", formula=("grad · rsqrt(x² + 1)",),
            grad=lambda g, x, o: g * M.rsqrt(ops.pow(x, 2) + 1))
elementwise("acosh", "AcoshBackward0", KM.acosh, lambda x, o: M.rsqrt(x * x - 1),
            "inverse hyperbolic cosine", formula=("grad · rsqrt(x² - 1)",),
            grad=lambda g, x, o: g * M.rsqrt(x * x - 1))
elementwise("atanh", "AtanhBackward0", KM.atanh, lambda x, o: 1 / (1 - ops.pow(x, 2)),
            "inverse hyperbolic tangent", formula=("grad / (1 - x²)",),
            grad=lambda g, x, o: B.mul_scalar(g, 1) / (_one(x) - ops.pow(x, 2)))
def _one(x: Tensor) -> Tensor:
    # C++'s `1 - t` subtracts a wrapped number: SubBackward0, not RsubBackward1.
    return ops.tensor(1.0, dtype=x.dtype)


elementwise("log2", "Log2Backward0", KM.log2, lambda x, o: 1 / (x * _LN2), "base-2 logarithm",
            formula=("grad / (x · ln 2)",),
            grad=lambda g, x, o: g / B.mul_scalar(x, 0.6931471805599453),
            fast=lambda g, x, o: KE.div(g, B.k_mul_scalar(x, 0.6931471805599453)))
elementwise("log10", "Log10Backward0", KM.log10, lambda x, o: 1 / (x * math.log(10.0)),
            "base-10 logarithm", formula=("grad / (x · ln 10)",),
            grad=lambda g, x, o: g / B.mul_scalar(x, 2.3025850929940456),
            fast=lambda g, x, o: KE.div(g, B.k_mul_scalar(x, 2.3025850929940456)))
elementwise("expm1", "Expm1Backward0", KM.expm1, lambda x, o: o + 1, "e^x - 1", uses_out=True,
            formula=("grad · (out + 1)",), grad=lambda g, x, o: g * (o + 1),
            fast=lambda g, x, o: KE.mul(g, KE.add(o, 1)))
elementwise("exp2", "Exp2Backward0", KM.exp2, lambda x, o: o * _LN2, "2^x", uses_out=True,
            formula=("grad · out · ln 2",), grad=lambda g, x, o: B.mul_scalar(g * o, _LN2),
            fast=lambda g, x, o: B.k_mul_scalar(KE.mul(g, o), _LN2))
elementwise("rsqrt", "RsqrtBackward0", KM.rsqrt, lambda x, o: -0.5 * ops.pow(o, 3),
            "1 / sqrt(x)", uses_out=True, formula=("-grad · out³ / 2",),
            grad=lambda g, x, o: B.mul_scalar(g, -0.5) * ops.pow(o, 3),
            fast=lambda g, x, o: KE.mul(B.k_mul_scalar(g, -0.5), KE.pow(o, 3)))
elementwise("erf", "ErfBackward0", KM.erf, lambda x, o: _2_SQRTPI * ops.exp(-ops.pow(x, 2)),
            "the error function", formula=("grad · 2/√π · exp(-x²)",),
            grad=lambda g, x, o: B.mul_scalar(ops.exp(-ops.pow(x, 2)), _2_SQRTPI) * g,
            fast=lambda g, x, o: KE.mul(
                B.k_mul_scalar(KE.exp(KE.neg(KE.pow(x, 2))), _2_SQRTPI), g))
elementwise("erfc", "ErfcBackward0", KM.erfc,
            lambda x, o: -_2_SQRTPI * ops.exp(-ops.pow(x, 2)),
            "1 - erf(x)", formula=("-grad · 2/√π · exp(-x²)",),
            grad=lambda g, x, o: B.mul_scalar(ops.exp(-ops.pow(x, 2)), -_2_SQRTPI) * g)
elementwise("erfinv", "ErfinvBackward0", KM.erfinv,
            lambda x, o: 0.5 * math.sqrt(math.pi) * ops.exp(ops.pow(M.erfinv(x), 2)),
            "inverse of erf", formula=("grad · √π/2 · exp(erfinv(x)²)",),
            grad=lambda g, x, o: B.mul_scalar(ops.exp(ops.pow(M.erfinv(x), 2)),
                                              0.5 * math.sqrt(math.pi)) * g)


def _sinc_backward(g: Tensor, x: Tensor) -> Tensor:
    # PyTorch's sinc_backward: 0 where x == 0 (sinc is flat there).
    x_pi = x * math.pi
    x_sq_pi = x * x * math.pi
    # C++ (GCC) evaluates an operator's right operand first: sin, then cos, as PyTorch.
    sin = ops.sin(x_pi)
    out = g * (((x_pi * ops.cos(x_pi)) - sin) / x_sq_pi)  # grad times the quotient
    return ops.where(x_sq_pi == 0.0, 0.0, out)


elementwise("sinc", "SincBackward0", KM.sinc, lambda x, o: _sinc_backward(ops.ones_like(x), x),
            "sin(πx) / (πx)", formula=("grad · (πx·cos(πx) - sin(πx)) / (πx²)",),
            grad=lambda g, x, o: _sinc_backward(g, x))


def _logit_backward(g: Tensor, x: Tensor, eps: float | None = None) -> Tensor:
    # PyTorch's infinitely_differentiable_logit_backward: 0 outside [eps, 1 - eps], NaN
    # outside [0, 1] without eps.
    lo, hi = (0.0, 1.0) if eps is None else (eps, 1.0 - eps)
    inside = ops.logical_and(x >= lo, x <= hi)
    return ops.where(inside, g / (x * (1.0 - x)), math.nan if eps is None else 0.0)


elementwise("logit", "LogitBackward0", KM.logit,
            lambda x, o, eps=None: _logit_backward(ops.ones_like(x), x, eps),
            "log(x / (1 - x))", formula=("grad / (x · (1 - x))",),
            grad=lambda g, x, o, eps=None: _logit_backward(g, x, eps))
elementwise("nan_to_num", "NanToNumBackward0", KM.nan_to_num,
            lambda x, o, **p: ops.isfinite(x), "NaN and ±inf replaced by numbers",
            formula=("grad where x is finite",),
            grad=lambda g, x, o, **p: g * ops.isfinite(x))

register(Rule("frac", "FracBackward0", KM.frac, lambda g, out, x: (g,),
              lambda ts, out, x: ts[0], kind="elementwise", doc="x - trunc(x)",
              saves_inputs=False, formula=("grad",)))
register(Rule("trunc", "TruncBackward0", KM.trunc,
              lambda g, out, x: (ops.zeros_like(g),),
              lambda ts, out, x: ops.zeros_like(ts[0]),
              kind="elementwise", doc="round toward zero", saves_inputs=False,
              formula=("0",)))
for _name, _torch, _kernel, _c in (("rad2deg", "Rad2DegBackward0", KM.rad2deg, _180_PI),
                                   ("deg2rad", "Deg2RadBackward0", KM.deg2rad, _PI_180)):
    register(Rule(_name, _torch, _kernel,
                  (lambda c: lambda g, out, x: (B.mul_scalar(g, c),))(_c),
                  (lambda c: lambda ts, out, x: B.mul_scalar(ts[0], c))(_c),
                  kind="elementwise", doc=f"{_name.replace('2', ' to ')}",
                  saves_inputs=False, formula=(f"grad · {_c:.6g}",)))


# -- binary ---------------------------------------------------------------------------------

def _atan2_vjp(g: Tensor, out: Tensor, a: Tensor, b: Tensor) -> tuple[Any, ...]:
    # PyTorch's atan2_backward: 1 / (a² + b²) with 0 where a² + b² is 0 (at the origin, or
    # where the squares underflow), so both gradients there are ±0, not nan or ±inf; the
    # JVP keeps the plain quotient (nan at the origin), as PyTorch's does.
    denom = a * a + b * b
    recip = B.masked_fill(ops.reciprocal(denom), denom.array == 0, 0)
    return (g * b * recip if need(a) else None, g * -a * recip if need(b) else None)


register(Rule(
    "atan2", "Atan2Backward0", KM.atan2, _atan2_vjp,
    lambda ts, out, a, b: tan2(ts, lambda t: b * t, lambda t: -a * t)
    / (ops.pow(a, 2) + ops.pow(b, 2)),
    kind="binary", doc="atan(a / b) in the right quadrant",
    formula=("grad · b / (a² + b²) (0 where a² + b² = 0)",
             "-grad · a / (a² + b²) (0 where a² + b² = 0)")))
register(Rule(
    "hypot", "HypotBackward0", KM.hypot,
    lambda g, out, a, b: second_first(g * b / out if need(b) else None,
                                      lambda: g * a / out if need(a) else None),
    lambda ts, out, a, b: tan2(ts, lambda t: t * a / out, lambda t: t * b / out),
    kind="binary", doc="sqrt(a² + b²)", saves_out=True,
    formula=("grad · a / out", "grad · b / out")))
register(Rule(
    "logaddexp", "LogaddexpBackward0", KM.logaddexp,
    lambda g, out, a, b: second_first(g / (1 + ops.exp(a - b)) if need(b) else None,
                                      lambda: g / (1 + ops.exp(b - a)) if need(a) else None),
    lambda ts, out, a, b: tan2(ts, lambda t: t / (1 + ops.exp(b - a)),
                               lambda t: t / (1 + ops.exp(a - b))),
    kind="binary", doc="log(e^a + e^b)",
    formula=("grad / (1 + e^(b-a))", "grad / (1 + e^(a-b))")))
register(Rule(
    "logaddexp2", "Logaddexp2Backward0", KM.logaddexp2,
    lambda g, out, a, b: second_first(g / (1 + ops.pow(2, a - b)) if need(b) else None,
                                      lambda: g / (1 + ops.pow(2, b - a)) if need(a) else None),
    lambda ts, out, a, b: tan2(ts, lambda t: t / (1 + ops.pow(2, b - a)),
                               lambda t: t / (1 + ops.pow(2, a - b))),
    kind="binary", doc="log2(2^a + 2^b)",
    formula=("grad / (1 + 2^(b-a))", "grad / (1 + 2^(a-b))")))


def _by_other(scalar: str, tensor: str):
    return lambda inputs, params: tensor if inputs is None or is_tensor(inputs[1]) else scalar


def _first_only(name: str) -> tuple[int, ...]:
    return (0,) if name.endswith("Backward0") else (0, 1)


register(Rule(
    "fmod", _by_other("FmodBackward0", "FmodBackward1"), KM.fmod,
    lambda g, out, a, b: (g if need(a) else None,
                          -g * E.div_mode(a, b, "trunc") if need(b) else None),
    lambda ts, out, a, b: tan2(ts, lambda t: t, lambda t: -t * E.div_mode(a, b, "trunc")),
    kind="binary", doc="C's fmod: the remainder with the sign of a", edges=_first_only,
    formula=("grad", "-grad · trunc(a / b)")))


def _copysign_self(g: Tensor, a: Tensor, out: Tensor) -> Tensor:
    # PyTorch's copysign_tensor_self_backward: grad · (out / a), 0 where a == 0.
    return g * B.masked_fill(out / a, a == 0, 0)


register(Rule(
    "copysign", _by_other("CopysignBackward1", "CopysignBackward0"), KM.copysign,
    lambda g, out, a, b: (_copysign_self(g, a, out) if need(a) else None,
                          ops.zeros_like(b) if need(b) else None),
    lambda ts, out, a, b: None if ts[0] is None else _copysign_self(ts[0], a, out),
    kind="binary", doc="|a| with the sign of b", saves_out=True,
    edges=lambda name: (0,) if name == "CopysignBackward1" else (0, 1),
    formula=("grad · out / a (0 where a = 0)", "0")))


def _xlogy_name(inputs: Any, params: dict[str, Any]) -> str:
    if inputs is None or (is_tensor(inputs[0]) and is_tensor(inputs[1])):
        return "XlogyBackward0"
    return "XlogyBackward1" if not is_tensor(inputs[0]) else "XlogyBackward2"


def _xlogy_self(g: Tensor, a: Tensor, b: Any) -> Tensor:
    if is_tensor(b):
        return B.masked_fill(M.xlogy(g, b), ops.logical_and(a == 0.0, b <= 0.0), 0.0)
    return M.xlogy(g, b) if b > 0 else B.masked_fill(M.xlogy(g, b), a == 0.0, 0.0)


register(Rule(
    "xlogy", _xlogy_name, KM.xlogy,
    lambda g, out, a, b: second_first(g * a / b if need(b) else None,
                                      lambda: _xlogy_self(g, a, b) if need(a) else None),
    lambda ts, out, a, b: tan2(ts, lambda t: _xlogy_self(t, a, b), lambda t: t * a / b),
    kind="binary", doc="a · log(b), 0 where a = 0",
    edges=lambda name: {"XlogyBackward1": (1,), "XlogyBackward2": (0,)}.get(name, (0, 1)),
    formula=("grad · log(b)", "grad · a / b")))


def _xlog1py_name(inputs: Any, params: dict[str, Any]) -> str:
    return _xlogy_name(inputs, params).replace("Xlogy", "SpecialXlog1Py")


def _xlog1py_self(g: Tensor, a: Tensor, b: Any) -> Tensor:
    # PyTorch: xlog1py(grad, other), 0 where self is 0 and other <= -1 (other a number:
    # where self is 0 unless other > -1).
    if is_tensor(b):
        return B.masked_fill(M.xlog1py(g, b),
                             ops.logical_and(a == 0.0, b <= -1.0), 0.0)
    out = M.xlog1py(g, b)
    return out if b > -1 else B.masked_fill(out, a == 0.0, 0.0)


register(Rule(
    "xlog1py", _xlog1py_name, KM.xlog1py,
    lambda g, out, a, b: second_first(g * a / (b + 1) if need(b) else None,
                                      lambda: _xlog1py_self(g, a, b) if need(a) else None),
    lambda ts, out, a, b: tan2(ts, lambda t: _xlog1py_self(t, a, b), lambda t: t * a / (b + 1)),
    kind="binary", doc="a · log1p(b), 0 where a = 0",
    edges=lambda name: {"SpecialXlog1PyBackward1": (1,),
                        "SpecialXlog1PyBackward2": (0,)}.get(name, (0, 1)),
    formula=("grad · log1p(b)", "grad · a / (b + 1)")))


def _lerp_vjp(g: Tensor, out: Tensor, a: Tensor, b: Tensor, w: Any) -> tuple[Any, ...]:
    # PyTorch's order: end, self, weight (derivatives.yaml's keys sorted).
    gb = g * w if need(b) else None
    ga = g * (1 - w) if need(a) else None
    return (ga, gb, g * (b - a) if is_tensor(w) and need(w) else None)


def _lerp_jvp(ts: list[Any], out: Tensor, a: Tensor, b: Tensor, w: Any) -> Any:
    if ts[0] is None and ts[1] is None:
        part = None
    else:
        part = M.lerp(ops.zeros_like(a) if ts[0] is None else ts[0],
                      ops.zeros_like(b) if ts[1] is None else ts[1], w)
    if ts[2] is None:
        return part
    return ts[2] * (b - a) if part is None else part + ts[2] * (b - a)


register(Rule(
    "lerp", lambda inputs, p: "LerpBackward1" if inputs is None or is_tensor(inputs[2])
    else "LerpBackward0", KM.lerp, _lerp_vjp, _lerp_jvp,
    kind="binary", doc="a + w · (b - a)",
    edges=lambda name: (0, 1) if name == "LerpBackward0" else (0, 1, 2),
    formula=("grad · (1 - w)", "grad · w", "grad · (b - a)")))


# -- rounding divisions: DivBackward2 (a zero derivative), floor_divide (none) -------------

register(Rule(
    "div_mode", "DivBackward2", KM.div_mode,
    lambda g, out, a, b, rounding_mode: (ops.zeros_like(g) if need(a) else None,
                                         ops.zeros_like(g) if need(b) else None),
    lambda ts, out, a, b, rounding_mode: ops.zeros_like(out),
    kind="binary", doc="a / b rounded (rounding_mode 'floor' or 'trunc')", saves_inputs=False,
    edges=lambda name: (0, 1), formula=("0", "0")))


register(Rule(
    "floordiv", "NotImplemented", KE.floordiv, *no_derivative("floor_divide"),
    kind="binary", doc="a // b (PyTorch has no derivative for it)", saves_inputs=False,
    formula=("not implemented", "not implemented")))
register(Rule(
    "floordiv_", "NotImplemented", KE.floordiv, *no_derivative("floor_divide_"),
    kind="binary", doc="a.floor_divide_(b) (aten::floor_divide_: no derivative either)",
    saves_inputs=False, formula=("not implemented", "not implemented")))


# -- copy_ ---------------------------------------------------------------------------------

register(Rule(
    "copy", "CopyBackwards", KM.copy_into,
    lambda g, out, x, src: (ops.zeros_like(g) if need(x) else None,
                            ops.to_dtype(g, src.dtype) if need(src) else None),
    lambda ts, out, x, src: None if ts[1] is None
    else ops.expand(ops.to_dtype(ts[1], out.dtype), out.shape),
    kind="binary", doc="x.copy_(src): src's values, broadcast to x's shape",
    saves_inputs=False, formula=("0", "grad (summed to src's shape)")))


# -- asinh_, acosh_, atanh_: PyTorch records a node without a derivative ----------------------

def _no_inplace_derivative(name: str):
    def vjp(*_: Any) -> Any:
        raise GdRuntimeError(f"the derivative for 'inplace version of {name}' is not "
                             "implemented.")

    def jvp(*_: Any) -> Any:
        raise GdRuntimeError(f"Trying to use forward AD with {name}_ that does not support "
                             "it because it has not been implemented yet.")

    return vjp, jvp


for _name, _kernel in (("asinh", KM.asinh), ("acosh", KM.acosh), ("atanh", KM.atanh)):
    _vjp, _jvp = _no_inplace_derivative(_name)
    register(Rule(f"{_name}_", f"{_name.capitalize()}Backward1", _kernel, _vjp, _jvp,
                  kind="elementwise", doc=f"x.{_name}_() (PyTorch has no derivative for it)",
                  saves_inputs=False, formula=("not implemented",)))
