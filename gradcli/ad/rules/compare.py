"""Comparison-family rules: isinf/isposinf/isneginf, signbit, logical_xor (no derivative,
never recorded), heaviside (PyTorch records a node without a derivative) and the
NaN-ignoring fmax/fmin with PyTorch's derivatives.yaml masks."""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import compare as KC
from gradcli.ad.registry import Rule
from gradcli.ad.rules.base import need, no_derivative, register, tan2

for _name, _kernel, _doc in (
    ("isinf", KC.isinf, "x is ±inf"), ("isposinf", KC.isposinf, "x is +inf"),
    ("isneginf", KC.isneginf, "x is -inf"), ("signbit", KC.signbit, "x's sign bit is set"),
    ("logical_xor", KC.logical_xor, "exactly one of a, b is nonzero"),
):
    register(Rule(_name, _name, _kernel, None, None, kind="nondifferentiable", doc=_doc))


register(Rule(
    "heaviside", "NotImplemented", KC.heaviside, *no_derivative("heaviside"),
    kind="binary", doc="0 where x < 0, values where x == 0, 1 where x > 0 (no derivative)",
    saves_inputs=False, formula=("not implemented", "not implemented")))


def _fextremum(name: str, torch_name: str, kernel: Any, wins: Any, beats: Any,
               doc: str) -> None:
    # PyTorch: self: grad.masked_fill(!(wins(self, other) | other.isnan()), 0);
    #          other: grad.masked_fill(wins(self, other) | other.isnan(), 0);
    #          result: other_t + (beats(self, other) | other.isnan()) * (self_t - other_t)
    # (fmax at ties: the VJP gives grad to self, the JVP takes other's tangent).
    def keep(a: Tensor, b: Tensor, test: Any = wins) -> Tensor:
        return ops.logical_or(test(a, b), ops.isnan(b))

    def vjp(g: Tensor, out: Tensor, a: Tensor, b: Tensor) -> tuple[Any, ...]:
        k = keep(a, b)
        gb = ops.where(k, 0.0, g) if need(b) else None  # `other` first, as PyTorch
        return (ops.where(k, g, 0.0) if need(a) else None, gb)

    def jvp(ts: list[Any], out: Tensor, a: Tensor, b: Tensor) -> Any:
        k = keep(a, b, beats)
        return tan2(ts, lambda t: ops.where(k, t, 0.0), lambda t: ops.where(k, 0.0, t))

    register(Rule(name, torch_name, kernel, vjp, jvp, kind="binary", doc=doc,
                  formula=("grad where a wins or b is NaN", "grad elsewhere")))


_fextremum("fmax", "FmaxBackward0", KC.fmax, lambda a, b: a >= b, lambda a, b: a > b,
           "elementwise max(a, b), the other where one is NaN")
_fextremum("fmin", "FminBackward0", KC.fmin, lambda a, b: a <= b, lambda a, b: a <= b,
           "elementwise min(a, b), the other where one is NaN")
