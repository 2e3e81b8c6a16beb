"""Rules of round 9's tensor surface: angle of a real tensor (a step: derivative zero),
the *_copy ops (a view's values in fresh memory, the view's node name with `_copy`), gcd
and lcm (integers: never recorded), mvlgamma (Σ digamma)."""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import linalg_tri as KT
from gradcli.ad.kernels import tensor_extras as KX
from gradcli.ad.ops import linalg as OL
from gradcli.ad.ops import linalg_more as OM
from gradcli.ad.registry import Rule
from gradcli.ad.rules.base import linear, register

register(Rule("angle", "AngleBackward0", KX.angle,
              lambda g, out, x, **p: (ops.zeros_like(g),),
              lambda ts, out, x, **p: ops.zeros_like(ts[0]),
              kind="elementwise", doc="argument of a real x: π below 0, else 0",
              saves_inputs=False, formula=("0 (real input)",)))

linear("copy_of", lambda inputs, p: p["name"], KX.copy_of, lambda g, x, **p: g,
       "a view's values in fresh memory (the *_copy ops; name: the node's)",
       formula=("grad",))

for _name, _kernel in (("gcd", KX.gcd), ("lcm", KX.lcm)):
    register(Rule(_name, _name, _kernel, None, None, kind="nondifferentiable",
                  doc=f"{_name} of integers"))


def _mvlgamma_deriv(x: Tensor, p: int) -> Tensor:
    total: Any = None
    for j in range(p):
        d = ops.special.digamma(x - j / 2)
        total = d if total is None else total + d
    return total


register(Rule(
    "mvlgamma", "MvlgammaBackward0", KX.mvlgamma,
    lambda g, out, x, p: (g * _mvlgamma_deriv(x, p),),
    lambda ts, out, x, p: ts[0] * _mvlgamma_deriv(x, p),
    kind="elementwise", doc="multivariate log-gamma of dimension p",
    formula=("grad · Σ_j digamma(x - j/2)",)))


def _compare_name(inputs: Any, p: dict[str, Any]) -> str:
    return f"{p['op'].capitalize()}Backward{1 if inputs is not None and len(inputs) > 1 else 0}"


def _compare_vjp(g: Tensor, out: Tensor, *xs: Tensor, **p: Any) -> tuple[Any, ...]:
    return tuple(ops.zeros_like(x) for x in xs)


register(Rule("compare_into", _compare_name, KX.compare_into, _compare_vjp,
              lambda ts, out, *xs, **p: ops.zeros_like(out),
              kind="general", doc="x.eq_(other) & co.: the comparison as 0/1 in x's dtype",
              saves_inputs=False, formula=("0", "0")))


# -- solve_triangular -------------------------------------------------------------------------

def _tri(x: Tensor, upper: bool, unit: bool) -> Tensor:
    t = OL.triu(x, 1 if unit else 0) if upper else OL.tril(x, -1 if unit else 0)
    return t


def _solve_tri_vjp(g: Tensor, out: Tensor, a: Tensor, b: Tensor, upper: bool, left: bool = True,
                   unitriangular: bool = False) -> tuple[Any, ...]:
    gb = OM.solve_triangular(ops.transpose(a, -2, -1), g, upper=not upper, left=left,
                              unitriangular=unitriangular)
    if left:
        ga = -ops.matmul(gb, ops.transpose(out, -2, -1))
    else:
        ga = -ops.matmul(ops.transpose(out, -2, -1), gb)
    return (_tri(ga, upper, unitriangular), gb)


def _solve_tri_jvp(ts: list[Any], out: Tensor, a: Tensor, b: Tensor, upper: bool,
                   left: bool = True, unitriangular: bool = False) -> Any:
    ta, tb = ts
    rhs = tb
    if ta is not None:
        t = _tri(ta, upper, unitriangular)
        prod = ops.matmul(t, out) if left else ops.matmul(out, t)
        rhs = -prod if rhs is None else rhs - prod
    return OM.solve_triangular(a, rhs, upper=upper, left=left, unitriangular=unitriangular)


register(Rule(
    "solve_triangular", "LinalgSolveTriangularBackward0", KT.solve_triangular,
    _solve_tri_vjp, _solve_tri_jvp, kind="general",
    doc="X with AX = B (or XA = B) for a triangular A", saves_out=True,
    formula=("−tri(A⁻ᵀ grad Xᵀ)", "A⁻ᵀ grad")))
