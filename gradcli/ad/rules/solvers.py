"""Rules of torch.linalg.lstsq's solution (LinalgLstsqBackward0: PyTorch's
linalg_lstsq_backward through pinv), ldexp (LdexpBackward0) and frexp's mantissa
(FrexpBackward0), written in differentiable ops."""

from __future__ import annotations

import math
from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import floatbits as KF
from gradcli.ad.kernels import solvers as KS
from gradcli.ad.ops.math import exp2
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES, Rule
from gradcli.ad.rules.base import need, register, tan3
from gradcli.ad.rules.decompositions import _mT, _pinv_jvp, _pinv_vjp


def _pinv(a: Tensor) -> Tensor:
    return apply(RULES["pinv"], (a,), {"rtol": None, "hermitian": False})


def _col(t: Tensor, vector: bool) -> Tensor:
    """A vector right-hand side (or its gradient) as one column."""
    return ops.unsqueeze(t, -1) if vector else t


def _uncol(t: Tensor, vector: bool) -> Tensor:
    return ops.squeeze(t, -1) if vector else t


def _lstsq_vjp(g: Tensor, a: Tensor, b: Tensor) -> tuple[Any, ...]:
    vector = KS.is_vector_rhs(a.array, b.array)
    need_b = need(b)
    g, b = _col(g, vector), _col(b, vector)
    p = _pinv(a)
    ga = _pinv_vjp(ops.matmul(g, _mT(b)), p, a)[0] if need(a) else None
    gb = _uncol(ops.matmul(_mT(p), g), vector) if need_b else None
    return ga, gb


def _lstsq_jvp(ts: list[Any], a: Tensor, b: Tensor) -> Any:
    vector = KS.is_vector_rhs(a.array, b.array)
    p = _pinv(a)
    return tan3(ts, lambda t: _uncol(ops.matmul(_pinv_jvp([t], p, a), _col(b, vector)),
                                     vector),
                lambda t: _uncol(ops.matmul(p, _col(t, vector)), vector))


register(Rule(
    "linalg_lstsq", "LinalgLstsqBackward0", KS.lstsq,
    lambda g, out, a, b, **_: _lstsq_vjp(g, a, b),
    lambda ts, out, a, b, **_: _lstsq_jvp(ts, a, b),
    kind="general", doc="the least-squares solution X of A X = B",
    formula=("pinv_backward(g Bᴴ)", "pinv(A)ᴴ g")))


def _two_to(e: Tensor, like: Tensor) -> Tensor:
    return exp2(e if e.dtype.kind == "f" else ops.to(e, like.dtype))


register(Rule(
    "ldexp", "LdexpBackward0", KF.ldexp,
    lambda g, out, x, e: (g * _two_to(e, g) if need(x) else None,
                          g * out * math.log(2.0) if need(e) else None),
    lambda ts, out, x, e: tan3(ts, lambda t: t * _two_to(e, out),
                               lambda t: t * out * math.log(2.0)),
    kind="general", doc="x · 2^e", saves_out=True,
    formula=("g · 2^e", "g · out · ln 2")))


def _mantissa(x: Any) -> Any:
    return KF.frexp(x)[0]


def _frexp_scale(x: Tensor) -> Tensor:
    """1 / 2^exponent, a constant."""
    e = KF.frexp(x.array)[1]
    return exp2(ops.neg(Tensor(e.astype(x.array.dtype))))


register(Rule(
    "frexp", "FrexpBackward0", _mantissa,
    lambda g, out, x: (g * _frexp_scale(x),),
    lambda ts, out, x: ts[0] * _frexp_scale(x),
    kind="general", doc="the mantissa of x = m · 2^e", formula=("g / 2^e",)))


def _residuals_vjp(g: Tensor, a: Tensor, b: Tensor, full: bool) -> tuple[Any, ...]:
    if not full:
        return None, None
    vector = KS.is_vector_rhs(a.array, b.array)
    need_b = need(b)
    b = _col(b, vector)  # the residual keeps the column: g is batch x (1,)
    x = apply(RULES["linalg_lstsq"], (a, b))
    r2 = (ops.matmul(a, x) - b) * ops.unsqueeze(g, -2) * 2  # X is optimal: no dX term
    return (ops.matmul(r2, _mT(x)) if need(a) else None,
            _uncol(-r2, vector) if need_b else None)


def _residuals_jvp(ts: list[Any], a: Tensor, b: Tensor, full: bool) -> Any:
    if not full:
        return None
    vector = KS.is_vector_rhs(a.array, b.array)
    b = _col(b, vector)
    x = apply(RULES["linalg_lstsq"], (a, b))
    r2 = (ops.matmul(a, x) - b) * 2
    return tan3(ts, lambda t: ops.sum(r2 * ops.matmul(t, x), -2),
                lambda t: ops.sum(-r2 * _col(t, vector), -2))


# The same PyTorch node as the solution (LinalgLstsqBackward0), for the residuals output.
register(Rule(
    "linalg_lstsq_residuals", "LinalgLstsqBackward0", KS.residuals,
    lambda g, out, a, b, full: _residuals_vjp(g, a, b, full),
    lambda ts, out, a, b, full: _residuals_jvp(ts, a, b, full),
    kind="general", doc="lstsq's squared residuals", formula=("2 r g Xᵀ", "−2 r g")))


# PyTorch's derivative of nextafter: the gradient passes to self where self != other (a
# +0 where they are equal, -0.0 == 0.0 included; NaN passes), other gets zeros.
def _unless_equal(t: Tensor, x: Tensor, y: Tensor) -> Tensor:
    return ops.where(ops.eq(x.detach(), y.detach()), 0.0, t)


register(Rule(
    "nextafter", "NextafterBackward0", KF.nextafter,
    lambda g, out, x, y: (_unless_equal(g, x, y) if need(x) else None,
                          ops.zeros_like(g) if need(y) else None),
    lambda ts, out, x, y: tan3(ts, lambda t: _unless_equal(t, x, y),
                               lambda t: ops.zeros_like(t)),
    kind="general", doc="the next float after x towards y",
    formula=("g·[x ≠ y]", "0")))
