"""Rules of round 9's tensor surface: angle of a real tensor (a step: derivative zero),
the *_copy ops (a view's values in fresh memory, the view's node name with `_copy`), gcd
and lcm (integers: never recorded), mvlgamma (Σ digamma)."""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import tensor_extras as KX
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
