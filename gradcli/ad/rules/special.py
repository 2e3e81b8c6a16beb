"""Special-function rules: lgamma, digamma and polygamma (each derivative the next
polygamma, so every order works), entr, log_ndtr, the modified Bessel functions i0, i0e,
i1, i1e (a closed family under differentiation), the incomplete gamma functions igamma and
igammac and Hurwitz zeta (differentiable in their second argument only, as in PyTorch),
erfcx, ndtri, and add_scalar (PyTorch's add.Scalar,
AddBackward1, which ndtr's composite records). VJPs are PyTorch's derivatives.yaml
formulas in our differentiable ops."""

from __future__ import annotations

import math
from typing import Any

from gradcli.ad import kernels as K
from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import special as KS
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES, Rule
from gradcli.ad.rules.base import elementwise, is_tensor, need, no_forward_ad, register
from gradcli.errors import GdRuntimeError

_SQRT_2PI = math.sqrt(2 * math.pi)


def _polygamma(n: int, x: Tensor) -> Tensor:
    return apply(RULES["polygamma"], (x,), {"n": n})


def _special(name: str, x: Tensor) -> Tensor:
    return apply(RULES[name], (x,))


elementwise("lgamma", "LgammaBackward0", KS.lgamma, lambda x, o: _special("digamma", x),
            "log |Γ(x)|", formula=("grad · ψ(x)",))
elementwise("digamma", "DigammaBackward0", KS.digamma, lambda x, o: _polygamma(1, x),
            "ψ(x) = Γ'(x)/Γ(x)", formula=("grad · polygamma(1, x)",))
elementwise("polygamma", lambda i, p: "PolygammaBackward1" if p.get("inplace")
            else "PolygammaBackward0", lambda x, n, inplace=False: KS.polygamma(x, n),
            lambda x, o, n, inplace=False: _polygamma(n + 1, x), "the n-th derivative of ψ",
            formula=("grad · polygamma(n + 1, x)",))
elementwise("entr", "SpecialEntrBackward0", KS.entr, lambda x, o: -(1 + ops.log(x)),
            "-x · log(x) (0 at 0, -inf below)", formula=("grad · -(1 + log(x))",))
elementwise("log_ndtr", "SpecialLogNdtrBackward0", KS.log_ndtr,
            lambda x, o: ops.exp(-(_special("log_ndtr", x) + ops.pow(x, 2) / 2)) / _SQRT_2PI,
            "log Φ(x)",
            grad=lambda g, x, o: g / _SQRT_2PI * ops.exp(-(_special("log_ndtr", x)
                                                            + ops.pow(x, 2) / 2)),
            formula=("grad / √(2π) · exp(-(out + x²/2))",))


def _eps(x: Tensor) -> float:
    return 1.1920928955078125e-07 if x.array.dtype.itemsize == 4 else 2.220446049250313e-16


def _i1_deriv(x: Tensor, scaled: bool) -> Tensor:
    # PyTorch's i1_backward / i1e_backward: 0.5 where |x| <= eps (the limit at 0).
    eps = _eps(x)
    tiny = ops.abs(x) <= eps
    safe = ops.where(tiny, eps, x)
    if scaled:
        d = _special("i0e", safe) - _special("i1e", safe) * (ops.sign(safe) + 1 / safe)
    else:
        d = _special("i0", safe) - _special("i1", safe) / safe
    return ops.where(tiny, 0.5, d)


elementwise("i0", "I0Backward0", KS.i0, lambda x, o: _special("i1", x),
            "the modified Bessel function I₀", formula=("grad · i1(x)",))
elementwise("i0e", "SpecialI0EBackward0", KS.i0e,
            lambda x, o: _special("i1e", x) - ops.sign(x) * _special("i0e", x),
            "e^-|x| I₀(x)", formula=("grad · (i1e(x) - sgn(x) · i0e(x))",))
elementwise("i1", "SpecialI1Backward0", KS.i1, lambda x, o: _i1_deriv(x, False),
            "the modified Bessel function I₁", formula=("grad · (i0(x) - i1(x)/x)",))
elementwise("i1e", "SpecialI1EBackward0", KS.i1e, lambda x, o: _i1_deriv(x, True),
            "e^-|x| I₁(x)", formula=("grad · (i0e(x) - i1e(x)(sgn(x) + 1/x))",))


def _add_scalar_vjp(g: Tensor, out: Tensor, a: Tensor, b: Any) -> tuple[Any, ...]:
    return (g, None)


register(Rule(
    "add_scalar", "AddBackward1", K.add, _add_scalar_vjp, lambda ts, out, a, b: ts[0],
    kind="binary", doc="a + number (PyTorch's add.Scalar)", saves_inputs=False,
    edges=lambda name: (0,), formula=("grad", "—")))


def _igamma_rule(name: str, torch_name: str, kernel: Any, sign: int, doc: str) -> None:
    # PyTorch: self (a): not_implemented; other (x): ±grad · exp((a-1)·log(x) - x - lgamma(a)).
    def no_input(*_: Any) -> Any:
        raise GdRuntimeError(f"the derivative for '{name}: input' is not implemented.",
                             py_type="NotImplementedError")

    def deriv(a: Tensor, x: Tensor) -> Tensor:
        d = ops.exp((a - 1) * ops.log(x) - x - _special("lgamma", a))
        return d if sign > 0 else -d

    def vjp(g: Tensor, out: Tensor, a: Tensor, x: Tensor) -> tuple[Any, ...]:
        if need(a):
            no_input()
        return (None, g * deriv(a, x) if need(x) else None)

    register(Rule(
        name, torch_name, kernel, vjp,
        no_forward_ad(name),  # PyTorch has no forward-mode formula for either
        kind="binary", doc=doc,
        formula=("not implemented", ("" if sign > 0 else "-")
                 + "grad · exp((a - 1) · log(x) - x - lgamma(a))")))


_igamma_rule("igamma", "IgammaBackward0", KS.igamma, 1,
             "P(a, x), the regularized lower incomplete gamma function")
_igamma_rule("igammac", "IgammacBackward0", KS.igammac, -1,
             "Q(a, x) = 1 - P(a, x), the regularized upper incomplete gamma function")


def _zeta_name(inputs: Any, params: dict[str, Any]) -> str:
    if inputs is None or (is_tensor(inputs[0]) and is_tensor(inputs[1])):
        return "SpecialZetaBackward0"
    return "SpecialZetaBackward1" if not is_tensor(inputs[0]) else "SpecialZetaBackward2"


def _zeta_vjp(g: Tensor, out: Tensor, x: Any, q: Any) -> tuple[Any, ...]:
    # PyTorch: self: not_implemented("zeta"); other: grad * -self * special_zeta(self + 1., other).
    if need(x):
        raise GdRuntimeError("the derivative for 'zeta' is not implemented.",
                             py_type="NotImplementedError")
    return (None, g * -x * apply(RULES["zeta"], (x + 1.0, q)) if need(q) else None)


register(Rule(
    "zeta", _zeta_name, KS.zeta, _zeta_vjp, no_forward_ad("special_zeta"),
    kind="binary", doc="the Hurwitz zeta function ζ(x, q)",
    edges=lambda name: {"SpecialZetaBackward1": (1,),
                        "SpecialZetaBackward2": (0,)}.get(name, (0, 1)),
    formula=("not implemented", "grad · -x · ζ(x + 1, q)")))

elementwise("erfcx", "SpecialErfcxBackward0", KS.erfcx,
            lambda x, o: 2.0 * x * _special("erfcx", x) - 2.0 / math.sqrt(math.pi),
            "exp(x²) · erfc(x)", formula=("grad · (2x · out - 2/√π)",))
elementwise("ndtri", "SpecialNdtriBackward0", KS.ndtri,
            lambda x, o: math.sqrt(2 * math.pi) * ops.exp(ops.pow(o, 2) / 2),
            "Φ⁻¹(x), the probit function", uses_out=True,
            grad=lambda g, x, o: g * math.sqrt(2 * math.pi) * ops.exp(ops.pow(o, 2) / 2),
            formula=("grad · √(2π) · exp(out² / 2)",))

