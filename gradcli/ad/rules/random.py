"""Random draws into a tensor (x.uniform_(), x.normal_(), torch.bernoulli(p), ...): the
values do not depend on the input's values, so the derivative is zero, as PyTorch's
UniformBackward0, NormalBackward0, BernoulliBackward0/1/2, RandomBackward0/1/2 and
ExponentialBackward0 say. Dropout needs no rule: it is x * mask (MulBackward0)."""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import random as KR
from gradcli.ad.kernels import reparam as KP
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES, Rule
from gradcli.ad.rules.base import no_derivative, register
from gradcli.errors import GdRuntimeError


def _vjp(g: Tensor, out: Tensor, x: Tensor, values: Any, torch_name: str) -> tuple[Any]:
    if torch_name == "NotImplemented":  # torch.bernoulli(x, p) with a number p
        raise GdRuntimeError("derivative for aten::bernoulli is not implemented")
    return (ops.zeros_like(g),)


register(Rule(
    "random_fill", lambda inputs, params: params["torch_name"], KR.drawn, _vjp,
    lambda ts, out, x, values, torch_name: ops.zeros_like(ts[0]),
    kind="linear", doc="values drawn by the random generator (x.uniform_(), bernoulli(p))",
    saves_inputs=False))


register(Rule(
    "binomial", "NotImplemented", lambda count, prob, values: KR.drawn(count, values, ""),
    *no_derivative("binomial"), kind="binary",
    doc="torch.binomial(count, prob): draws the random generator made (not differentiable)"))


def _gamma_grad(alpha: Tensor, sample: Tensor) -> Tensor:
    """torch._standard_gamma_grad(alpha, sample): recorded, not differentiable further (as
    in PyTorch, whose derivatives.yaml has no formula for it)."""
    return apply(RULES["standard_gamma_grad"], (alpha, sample))


def _no_gamma_grad_derivative(*_: Any, **__: Any) -> Any:
    raise GdRuntimeError("the derivative for '_standard_gamma_grad' is not implemented.",
                         py_type="NotImplementedError")


register(Rule(
    "standard_gamma_grad", "StandardGammaGradBackward0", KP.standard_gamma_grad,
    _no_gamma_grad_derivative, no_derivative("_standard_gamma_grad")[1], kind="binary",
    doc="d sample / d alpha of a Gamma(alpha, 1) sample (ATen's approximations)"))
register(Rule(
    "standard_gamma", "StandardGammaBackward0",
    KR.drawn_values,
    lambda g, out, x, values: (g * _gamma_grad(x, out),),
    lambda ts, out, x, values: ts[0] * _gamma_grad(x, out),
    kind="elementwise", saves_out=True,
    doc="torch._standard_gamma(alpha): a Gamma(alpha, 1) draw (the values drawn by the op, "
        "ATen's sampler), differentiable in alpha by implicit reparameterization",
    formula=("grad · _standard_gamma_grad(alpha, result)",)))


def _dirichlet_vjp(g: Tensor, out: Tensor, concentration: Tensor, values: Any) -> tuple[Any]:
    """torch.distributions' _Dirichlet.backward: the grad of each share by
    torch._dirichlet_grad, projected onto the simplex's tangent space."""
    total = concentration.sum(-1, keepdim=True).expand_as(concentration)
    grad = apply(RULES["dirichlet_grad"], (out, concentration, total))
    return (grad * (g - (out * g).sum(-1, keepdim=True)),)


def _no_dirichlet_jvp(*_: Any, **__: Any) -> Any:
    raise GdRuntimeError("You must implement the jvp function for custom autograd.Function "
                         "to use it with forward mode AD.", py_type="NotImplementedError")


register(Rule(
    "dirichlet_grad", "DirichletGradBackward0", KP.dirichlet_grad,
    *no_derivative("_dirichlet_grad"), kind="general",
    doc="d share / d concentration of a Dirichlet sample (ATen's approximations)"))
register(Rule(
    "sample_dirichlet", "_DirichletBackward", KR.drawn_values, _dirichlet_vjp,
    _no_dirichlet_jvp, kind="general", saves_out=True, python_function=True,
    doc="torch._sample_dirichlet(concentration) as Dirichlet.rsample records it (the "
        "values drawn by the op), differentiable by implicit reparameterization",
    formula=("_dirichlet_grad(x, α, Σα) · (grad - Σ x·grad)",)))
