"""More torch.distributions kinds for gd programs, beside distributions.py's four:
Exponential, Laplace, Cauchy, HalfNormal, LogNormal, Poisson, Geometric, OneHotCategorical,
Independent, MultivariateNormal, Gamma, Chi2, StudentT, Beta, Dirichlet and
MixtureSameFamily, and their kl_divergence.

Each is PyTorch 2.13's formula in gd's differentiable ops, drawing from the one generator
in PyTorch's order (Gamma, Beta and Dirichlet through ATen's gamma sampler, rng.py's
standard_gamma; their samples differentiable in the concentration as PyTorch's
StandardGammaBackward0 and _DirichletBackward, by ATen's implicit reparameterization
gradients, kernels/reparam.py), with PyTorch's validation messages. What PyTorch computes
and gd does not (the Gamma cdf) is an error that says so, never a wrong number.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad import ops
from gradcli.ad.ops.surface import SURFACE
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES
from gradcli.ad.tensor import Tensor, no_grad, tensor_from_array
from gradcli.errors import GdRuntimeError
from gradcli.interp.distributions import (
    KL,
    POSITIVE,
    REAL,
    REAL_VECTOR,
    SIMPLEX,
    UNIT_INTERVAL,
    Categorical,
    Constraint,
    Distribution,
    Normal,
    _bce_with_logits,
    _broadcast_all,
    _clamp_probs,
    _fmt,
    _is_number,
    _not_implemented,
    _probs_or_logits,
    _sample_shape,
    _value_error,
    kl_divergence,
)
from gradcli.interp.values import Size

T = SURFACE  # torch.<name> and Tensor.<name> as gd programs call them

NONNEGATIVE = Constraint("GreaterThanEq(lower_bound=0.0)", lambda v: v >= 0.0)
NONNEGATIVE_INTEGER = Constraint("IntegerGreaterThan(lower_bound=0)",
                                 lambda v: (v % 1 == 0) & (v >= 0))
ONE_HOT = Constraint("OneHot()", lambda v: T["torch.all"]((v == 0) | (v == 1), dim=-1)
                     & (v.sum(-1) == 1))
POSITIVE_VECTOR = Constraint("IndependentConstraint(GreaterThan(lower_bound=0.0), 1)",
                             lambda v: T["torch.all"](v > 0.0, dim=-1))


def _lower_cholesky(v: Tensor) -> Tensor:
    lower = (v.tril() == v).reshape(*v.shape[:-2], -1).min(-1)[0]
    return lower & (v.diagonal(dim1=-2, dim2=-1) > 0).min(-1)[0]


def _positive_definite(v: Tensor) -> Tensor:
    symmetric = T["torch.all"](T["torch.all"](T["torch.isclose"](v, v.transpose(-2, -1), atol=1e-6),
                                              dim=-2), dim=-1)
    if not bool(T["torch.all"](symmetric)):
        return symmetric
    return T["torch.linalg.cholesky_ex"](v)[1] == 0


LOWER_CHOLESKY = Constraint("LowerCholesky()", _lower_cholesky)
POSITIVE_DEFINITE = Constraint("PositiveDefinite()", _positive_definite)


def _empty(shape: Any, like: Tensor) -> Tensor:
    """like.new(shape): a fresh tensor of like's dtype, for an in-place sampler."""
    return ops.empty(tuple(shape), dtype=like.dtype)


def _sum_rightmost(value: Tensor, dim: int) -> Tensor:
    if dim == 0:
        return value
    return value.reshape(*value.shape[:-dim], -1).sum(-1)


def _shape_of(value: Any) -> tuple[int, ...]:
    return () if _is_number(value) else tuple(value.shape)


class Exponential(Distribution):
    """Exponential(rate)."""

    __slots__ = ()
    kind, module, has_rsample, arg_names = "Exponential", "exponential", True, ("rate",)

    def __init__(self, rate: Any, validate_args: Any = None) -> None:
        (t,) = _broadcast_all(rate)
        super().__init__({"rate": t}, _shape_of(rate), validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"rate": POSITIVE}

    def support(self) -> Constraint:
        return NONNEGATIVE

    def mean(self) -> Tensor:
        return self.params["rate"].reciprocal()

    stddev = mean

    def mode(self) -> Tensor:
        return ops.zeros_like(self.params["rate"])

    def variance(self) -> Tensor:
        return self.params["rate"].pow(-2)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        rate = self.params["rate"]
        return T["Tensor.exponential_"](_empty(self.extended_shape(sample_shape), rate)) / rate

    def log_prob_of(self, value: Any) -> Tensor:
        rate = self.params["rate"]
        return rate.log() - rate * value

    def cdf(self, value: Any) -> Tensor:
        if self.validate:
            self.validate_sample(value)
        return 1 - ops.exp(-self.params["rate"] * value)

    def icdf(self, value: Any) -> Tensor:
        return -ops.log1p(-value) / self.params["rate"]

    def entropy(self) -> Tensor:
        return 1.0 - ops.log(self.params["rate"])


class _LocScale(Distribution):
    """A distribution of loc and scale (Laplace, Cauchy)."""

    __slots__ = ()
    has_rsample, arg_names = True, ("loc", "scale")

    def __init__(self, loc: Any, scale: Any, validate_args: Any = None) -> None:
        self.init_pair(loc, scale, validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"loc": REAL, "scale": POSITIVE}

    def support(self) -> Constraint:
        return REAL

    def mode(self) -> Tensor:
        return self.params["loc"]


class Laplace(_LocScale):
    """Laplace(loc, scale)."""

    __slots__ = ()
    kind, module = "Laplace", "laplace"

    def mean(self) -> Tensor:
        return self.params["loc"]

    def variance(self) -> Tensor:
        return 2 * self.params["scale"].pow(2)

    def stddev(self) -> Tensor:
        return (2 ** 0.5) * self.params["scale"]

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        loc, scale = self.params["loc"], self.params["scale"]
        eps = float(np.finfo(loc.dtype).eps)
        u = T["Tensor.uniform_"](_empty(self.extended_shape(sample_shape), loc), eps - 1, 1)
        return loc - scale * u.sign() * ops.log1p(-u.abs())

    def log_prob_of(self, value: Any) -> Tensor:
        loc, scale = self.params["loc"], self.params["scale"]
        return -ops.log(2 * scale) - T["torch.abs"](value - loc) / scale

    def cdf(self, value: Any) -> Tensor:
        if self.validate:
            self.validate_sample(value)
        loc, scale = self.params["loc"], self.params["scale"]
        return 0.5 - 0.5 * (value - loc).sign() * T["torch.expm1"](-(value - loc).abs() / scale)

    def icdf(self, value: Any) -> Tensor:
        term = value - 0.5
        loc, scale = self.params["loc"], self.params["scale"]
        return loc - scale * term.sign() * ops.log1p(-2 * term.abs())

    def entropy(self) -> Tensor:
        return 1 + ops.log(2 * self.params["scale"])


class Cauchy(_LocScale):
    """Cauchy(loc, scale)."""

    __slots__ = ()
    kind, module = "Cauchy", "cauchy"

    def _full(self, value: float) -> Tensor:
        return ops.full(self.extended_shape(), value, dtype=self.params["loc"].dtype)

    def mean(self) -> Tensor:
        return self._full(math.nan)

    def variance(self) -> Tensor:
        return self._full(math.inf)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        loc = self.params["loc"]
        eps = T["Tensor.cauchy_"](_empty(self.extended_shape(sample_shape), loc))
        return loc + eps * self.params["scale"]

    def log_prob_of(self, value: Any) -> Tensor:
        loc, scale = self.params["loc"], self.params["scale"]
        return -math.log(math.pi) - scale.log() - ops.log1p(((value - loc) / scale) ** 2)

    def cdf(self, value: Any) -> Tensor:
        if self.validate:
            self.validate_sample(value)
        loc, scale = self.params["loc"], self.params["scale"]
        return T["torch.atan"]((value - loc) / scale) / math.pi + 0.5

    def icdf(self, value: Any) -> Tensor:
        loc, scale = self.params["loc"], self.params["scale"]
        return T["torch.tan"](math.pi * (value - 0.5)) * scale + loc

    def entropy(self) -> Tensor:
        return math.log(4 * math.pi) + self.params["scale"].log()


class _Transformed(Distribution):
    """A Normal pushed through a transform (HalfNormal: abs, LogNormal: exp): PyTorch's
    TransformedDistribution, whose repr lists no parameters (they are properties there)."""

    __slots__ = ("base",)
    has_rsample = True

    def transform(self, x: Tensor) -> Tensor:
        raise NotImplementedError

    def gd_repr(self) -> str:
        return f"{self.kind}()"

    def sample(self, sample_shape: Any = ()) -> Tensor:
        with no_grad():
            return self.transform(self.base.sample(sample_shape))

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        return self.transform(self.base.rsample(sample_shape))


class HalfNormal(_Transformed):
    """HalfNormal(scale): |Normal(0, scale)|."""

    __slots__ = ()
    kind, module, arg_names = "HalfNormal", "half_normal", ("scale",)

    def __init__(self, scale: Any, validate_args: Any = None) -> None:
        self.base = Normal(0, scale, validate_args=False)
        super().__init__({"scale": self.base.params["scale"]}, self.base.batch_shape,
                         validate_args)

    def transform(self, x: Tensor) -> Tensor:
        return x.abs()

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"scale": POSITIVE}

    def support(self) -> Constraint:
        return NONNEGATIVE

    def mean(self) -> Tensor:
        return self.params["scale"] * math.sqrt(2 / math.pi)

    def mode(self) -> Tensor:
        return ops.zeros_like(self.params["scale"])

    def variance(self) -> Tensor:
        return self.params["scale"].pow(2) * (1 - 2 / math.pi)

    def log_prob_of(self, value: Any) -> Tensor:
        log_prob = self.base.log_prob(value) + math.log(2)
        return T["torch.where"](value >= 0, log_prob, -math.inf)

    def cdf(self, value: Any) -> Tensor:
        if self.validate:
            self.validate_sample(value)
        return 2 * self.base.cdf(value) - 1

    def icdf(self, value: Any) -> Tensor:
        return self.base.icdf((value + 1) / 2)

    def entropy(self) -> Tensor:
        return self.base.entropy() - math.log(2)


class LogNormal(_Transformed):
    """LogNormal(loc, scale): exp(Normal(loc, scale))."""

    __slots__ = ()
    kind, module, arg_names = "LogNormal", "log_normal", ("loc", "scale")

    def __init__(self, loc: Any, scale: Any, validate_args: Any = None) -> None:
        self.base = Normal(loc, scale, validate_args=validate_args)
        super().__init__(dict(self.base.params), self.base.batch_shape, False)
        self.validate = self.base.validate

    def transform(self, x: Tensor) -> Tensor:
        return x.exp()

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"loc": REAL, "scale": POSITIVE}

    def support(self) -> Constraint:
        return POSITIVE

    def mean(self) -> Tensor:
        return (self.params["loc"] + self.params["scale"].pow(2) / 2).exp()

    def mode(self) -> Tensor:
        return (self.params["loc"] - self.params["scale"].square()).exp()

    def variance(self) -> Tensor:
        scale2 = self.params["scale"].pow(2)
        return T["torch.expm1"](scale2) * (2 * self.params["loc"] + scale2).exp()

    def log_prob_of(self, value: Any) -> Tensor:
        x = value.log()
        return -x + self.base.log_prob(x)

    def cdf(self, value: Any) -> Tensor:
        return self.base.cdf(value.log())

    def icdf(self, value: Any) -> Tensor:
        return self.base.icdf(value).exp()

    def entropy(self) -> Tensor:
        return self.base.entropy() + self.params["loc"]


class Poisson(Distribution):
    """Poisson(rate)."""

    __slots__ = ()
    kind, module, arg_names = "Poisson", "poisson", ("rate",)

    def __init__(self, rate: Any, validate_args: Any = None) -> None:
        (t,) = _broadcast_all(rate)
        super().__init__({"rate": t}, _shape_of(rate), validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"rate": NONNEGATIVE}

    def support(self) -> Constraint:
        return NONNEGATIVE_INTEGER

    def mean(self) -> Tensor:
        return self.params["rate"]

    variance = mean

    def mode(self) -> Tensor:
        return self.params["rate"].floor()

    def sample(self, sample_shape: Any = ()) -> Tensor:
        with no_grad():
            return T["torch.poisson"](self.params["rate"].expand(
                self.extended_shape(sample_shape)))

    def log_prob_of(self, value: Any) -> Tensor:
        rate, value = _broadcast_all(self.params["rate"], value)
        return T["torch.xlogy"](value, rate) - rate - T["torch.lgamma"](value + 1)


class Geometric(Distribution):
    """Geometric(probs=None, logits=None): failures before the first success."""

    __slots__ = ()
    kind, module, arg_names = "Geometric", "geometric", ("probs", "logits")

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: Any = None) -> None:
        _probs_or_logits(self.kind, probs, logits)
        name, value = ("probs", probs) if probs is not None else ("logits", logits)
        (t,) = _broadcast_all(value)
        super().__init__({name: t}, _shape_of(value), validate_args)
        if self.validate and probs is not None:
            valid = t > 0
            if not bool(T["torch.all"](valid)):
                raise _value_error(
                    f"Expected parameter probs (Tensor of shape {tuple(t.shape)}) of "
                    f"distribution {self.gd_repr()} to be positive but found invalid "
                    f"values:\n{_fmt(t.detach()[~valid])}")

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"probs": UNIT_INTERVAL, "logits": REAL}

    def support(self) -> Constraint:
        return NONNEGATIVE_INTEGER

    def derive(self, name: str) -> Tensor:
        if name == "probs":
            return T["torch.sigmoid"](self.params["logits"])
        clamped = _clamp_probs(self.params["probs"])
        return ops.log(clamped) - ops.log1p(-clamped)

    def mean(self) -> Tensor:
        return 1.0 / self.param("probs") - 1.0

    def mode(self) -> Tensor:
        return ops.zeros_like(self.param("probs"))

    def variance(self) -> Tensor:
        probs = self.param("probs")
        return (1.0 / probs - 1.0) / probs

    def sample(self, sample_shape: Any = ()) -> Tensor:
        probs = self.param("probs")
        tiny = float(np.finfo(probs.dtype).tiny)
        with no_grad():
            u = T["Tensor.uniform_"](_empty(self.extended_shape(sample_shape), probs), tiny, 1)
            return (u.log() / ops.log1p(-probs)).floor()

    def log_prob_of(self, value: Any) -> Tensor:
        value, probs = _broadcast_all(value, self.param("probs"))
        probs = probs.clone()
        probs[(probs == 1) & (value == 0)] = 0
        return value * ops.log1p(-probs) + self.param("probs").log()

    def entropy(self) -> Tensor:
        return _bce_with_logits(self.param("logits"), self.param("probs")) / self.param("probs")


class OneHotCategorical(Distribution):
    """OneHotCategorical(probs=None, logits=None): a Categorical's events as one-hot
    vectors."""

    __slots__ = ("categorical",)
    kind, module, arg_names = "OneHotCategorical", "one_hot_categorical", ("probs", "logits")
    has_enumerate_support = True

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: Any = None) -> None:
        self.categorical = Categorical(probs, logits, validate_args=validate_args)
        super().__init__({}, self.categorical.batch_shape, False)
        self.validate = self.categorical.validate
        self.event_shape = Size((self.categorical.num_events,))

    def param(self, name: str) -> Tensor:
        return self.categorical.param(name)

    def get_attr(self, name: str) -> Any:
        if name in self.arg_names:
            return self.param(name)
        return super().get_attr(name)

    def gd_repr(self) -> str:
        return "OneHotCategorical()"

    def support(self) -> Constraint:
        return ONE_HOT

    def mean(self) -> Tensor:
        return self.param("probs")

    def mode(self) -> Tensor:
        probs = self.param("probs")
        return T["torch.nn.functional.one_hot"](probs.argmax(dim=-1),
                                                probs.shape[-1]).to(probs.dtype)

    def variance(self) -> Tensor:
        probs = self.param("probs")
        return probs * (1 - probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        probs = self.param("probs")
        indices = self.categorical.sample(sample_shape)
        return T["torch.nn.functional.one_hot"](indices,
                                                self.categorical.num_events).to(probs.dtype)

    def log_prob_of(self, value: Any) -> Tensor:
        return self.categorical.log_prob(value.max(-1)[1])

    def entropy(self) -> Tensor:
        return self.categorical.entropy()


class Independent(Distribution):
    """Independent(base_distribution, reinterpreted_batch_ndims): the base's rightmost
    batch dims read as event dims."""

    __slots__ = ("base", "ndims")
    kind, module = "Independent", "independent"

    def __init__(self, base_distribution: Any, reinterpreted_batch_ndims: int,
                 validate_args: Any = None) -> None:
        if not isinstance(base_distribution, Distribution):
            raise GdRuntimeError("Independent() expects a distribution",
                                 py_type="TypeError")
        n = int(reinterpreted_batch_ndims)
        base = base_distribution
        if n > len(base.batch_shape):
            raise _value_error(
                "Expected reinterpreted_batch_ndims <= len(base_distribution.batch_shape), "
                f"actual {n} vs {len(base.batch_shape)}")
        self.base, self.ndims = base, n
        shape = tuple(base.batch_shape) + tuple(base.event_shape)
        cut = len(shape) - (n + len(base.event_shape))
        super().__init__({}, shape[:cut], validate_args)
        self.event_shape = Size(shape[cut:])

    def get_attr(self, name: str) -> Any:
        if name == "base_dist":
            return self.base
        if name == "reinterpreted_batch_ndims":
            return self.ndims
        if name == "has_rsample":
            return self.base.has_rsample
        return super().get_attr(name)

    def gd_repr(self) -> str:
        return f"Independent({self.base.gd_repr()}, {self.ndims})"

    def support(self) -> Constraint:
        inner = self.base.support()
        return Constraint(f"IndependentConstraint({inner.text}, {self.ndims})",
                          lambda v: _all_rightmost(inner.check(v), self.ndims))

    def mean(self) -> Tensor:
        return self.base.mean()

    def mode(self) -> Tensor:
        return self.base.mode()

    def variance(self) -> Tensor:
        return self.base.variance()

    def sample(self, sample_shape: Any = ()) -> Tensor:
        return self.base.sample(sample_shape)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        return self.base.rsample(sample_shape)

    def log_prob(self, value: Any) -> Tensor:
        return _sum_rightmost(self.base.log_prob(value), self.ndims)

    def entropy(self) -> Tensor:
        return _sum_rightmost(self.base.entropy(), self.ndims)


def _all_rightmost(value: Tensor, dim: int) -> Tensor:
    if dim == 0:
        return value
    return T["torch.all"](value.reshape(*value.shape[:-dim], -1), dim=-1)


def _batch_mahalanobis(bL: Tensor, bx: Tensor) -> Tensor:
    """xᵀ (L Lᵀ)⁻¹ x for a batch of x and of lower-triangular L, by PyTorch's steps (one
    triangular solve over all of x's batch, reshaped and permuted as it does)."""
    n = bx.shape[-1]
    bx_batch_shape = tuple(bx.shape[:-1])
    bx_batch_dims = len(bx_batch_shape)
    bl_batch_dims = bL.ndim - 2
    outer = bx_batch_dims - bl_batch_dims
    old = outer + bl_batch_dims
    new = outer + 2 * bl_batch_dims
    new_shape = tuple(bx.shape[:outer])
    for sL, sx in zip(bL.shape[:-2], bx.shape[outer:-1], strict=True):
        new_shape += (sx // sL, sL)
    bx = bx.reshape(*new_shape, n)
    dims = (list(range(outer)) + list(range(outer, new, 2)) + list(range(outer + 1, new, 2))
            + [new])
    bx = bx.permute(*dims)
    flat_l = bL.reshape(-1, n, n)
    flat_x = bx.reshape(-1, flat_l.shape[0], n)
    m_swap = T["torch.linalg.solve_triangular"](flat_l, flat_x.permute(1, 2, 0),
                                                upper=False).pow(2).sum(-2)
    permuted = m_swap.t().reshape(*bx.shape[:-1])
    inverse = list(range(outer))
    for i in range(bl_batch_dims):
        inverse += [outer + i, old + i]
    return permuted.permute(*inverse).reshape(*bx_batch_shape)


def _broadcast_shapes(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(np.broadcast_shapes(*shapes))


class MultivariateNormal(Distribution):
    """MultivariateNormal(loc, covariance_matrix=None, precision_matrix=None,
    scale_tril=None)."""

    __slots__ = ("tril",)
    kind, module, has_rsample = "MultivariateNormal", "multivariate_normal", True
    arg_names = ("loc", "covariance_matrix", "precision_matrix", "scale_tril")

    def __init__(self, loc: Any, covariance_matrix: Any = None, precision_matrix: Any = None,
                 scale_tril: Any = None, validate_args: Any = None) -> None:
        given = [(name, m) for name, m in (("covariance_matrix", covariance_matrix),
                                           ("precision_matrix", precision_matrix),
                                           ("scale_tril", scale_tril)) if m is not None]
        if len(given) != 1:
            raise _value_error("Exactly one of covariance_matrix or precision_matrix or "
                               "scale_tril may be specified.")
        if type(loc) is not Tensor or loc.ndim < 1:
            raise _value_error("loc must be at least one-dimensional.")
        name, matrix = given[0]
        if type(matrix) is not Tensor or matrix.ndim < 2:
            what = "scale_tril matrix" if name == "scale_tril" else name
            raise _value_error(f"{what} must be at least two-dimensional, with optional "
                               "leading batch dimensions")
        batch = _broadcast_shapes(tuple(matrix.shape[:-2]), tuple(loc.shape[:-1]))
        params = {"loc": loc.expand(*batch, -1), name: matrix.expand(*batch, -1, -1)}
        super().__init__(params, batch, validate_args)
        self.event_shape = Size(tuple(loc.shape[-1:]))
        if name == "scale_tril":
            self.tril = matrix
        elif name == "covariance_matrix":
            self.tril = T["torch.linalg.cholesky"](matrix)
        else:
            flipped = T["torch.linalg.cholesky"](T["torch.flip"](matrix, (-2, -1)))
            l_inv = T["torch.flip"](flipped, (-2, -1)).transpose(-2, -1)
            eye = ops.eye(matrix.shape[-1], dtype=matrix.dtype)
            self.tril = T["torch.linalg.solve_triangular"](l_inv, eye, upper=False)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"loc": REAL_VECTOR, "covariance_matrix": POSITIVE_DEFINITE,
                "precision_matrix": POSITIVE_DEFINITE, "scale_tril": LOWER_CHOLESKY}

    def support(self) -> Constraint:
        return REAL_VECTOR

    def derive(self, name: str) -> Tensor:
        shape = (*self.batch_shape, *self.event_shape, *self.event_shape)
        if name == "scale_tril":
            return self.tril.expand(*shape)
        if name == "covariance_matrix":
            return T["torch.matmul"](self.tril, self.tril.transpose(-2, -1)).expand(*shape)
        return T["torch.cholesky_inverse"](self.tril).expand(*shape)

    def mean(self) -> Tensor:
        return self.params["loc"]

    mode = mean

    def variance(self) -> Tensor:
        return self.tril.pow(2).sum(-1).expand(*self.batch_shape, *self.event_shape)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        loc = self.params["loc"]
        eps = T["Tensor.normal_"](_empty(self.extended_shape(sample_shape), loc))
        return loc + T["torch.matmul"](self.tril, eps.unsqueeze(-1)).squeeze(-1)

    def half_log_det(self) -> Tensor:
        return self.tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)

    def log_prob_of(self, value: Any) -> Tensor:
        m = _batch_mahalanobis(self.tril, value - self.params["loc"])
        return (-0.5 * (self.event_shape[0] * math.log(2 * math.pi) + m)
                - self.half_log_det())

    def entropy(self) -> Tensor:
        h = 0.5 * self.event_shape[0] * (1.0 + math.log(2 * math.pi)) + self.half_log_det()
        return h if not self.batch_shape else h.expand(*self.batch_shape)


def _standard_gamma(alpha: Tensor) -> Tensor:
    """torch._standard_gamma: ATen's gamma sampler on each element, in order, recorded as
    StandardGammaBackward0 (differentiable in alpha)."""
    values = ops.generator().standard_gamma(alpha.detach().array, alpha.dtype)
    return apply(RULES["standard_gamma"], (alpha,), {"values": values})


class Gamma(Distribution):
    """Gamma(concentration, rate)."""

    __slots__ = ()
    kind, module, has_rsample, arg_names = "Gamma", "gamma", True, ("concentration", "rate")

    def __init__(self, concentration: Any, rate: Any, validate_args: Any = None) -> None:
        self.init_pair(concentration, rate, validate_args, ("concentration", "rate"))

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"concentration": POSITIVE, "rate": POSITIVE}

    def support(self) -> Constraint:
        return NONNEGATIVE

    def mean(self) -> Tensor:
        return self.params["concentration"] / self.params["rate"]

    def mode(self) -> Tensor:
        return ((self.params["concentration"] - 1) / self.params["rate"]).clamp(min=0)

    def variance(self) -> Tensor:
        return self.params["concentration"] / self.params["rate"].pow(2)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = self.extended_shape(sample_shape)
        c = self.params["concentration"]
        value = _standard_gamma(c.expand(*shape)) / self.params["rate"].expand(*shape)
        value.detach().clamp_(min=float(np.finfo(value.dtype).tiny))
        return value

    def log_prob_of(self, value: Any) -> Tensor:
        c, r = self.params["concentration"], self.params["rate"]
        xlogy = T["torch.xlogy"]
        return xlogy(c, r) + xlogy(c - 1, value) - r * value - T["torch.lgamma"](c)

    def cdf(self, value: Any) -> Tensor:
        raise GdRuntimeError("Gamma.cdf (torch.special.gammainc) is not supported by gradcli")

    def entropy(self) -> Tensor:
        c, r = self.params["concentration"], self.params["rate"]
        return (c - ops.log(r) + T["torch.lgamma"](c)
                + (1.0 - c) * T["torch.digamma"](c))


class Chi2(Gamma):
    """Chi2(df): Gamma(df / 2, 1 / 2)."""

    __slots__ = ()
    kind, module, arg_names = "Chi2", "chi2", ()

    def __init__(self, df: Any, validate_args: Any = None) -> None:
        super().__init__(0.5 * df, 0.5, validate_args=validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"df": POSITIVE}

    def checked_param(self, name: str) -> Tensor | None:
        return self.df() if name == "df" else None

    def df(self) -> Tensor:
        return self.params["concentration"] * 2

    def get_attr(self, name: str) -> Any:
        if name == "df":
            return self.df()
        if name in ("concentration", "rate"):
            return self.params[name]
        return super().get_attr(name)


class StudentT(Distribution):
    """StudentT(df, loc=0.0, scale=1.0)."""

    __slots__ = ("chi2",)
    kind, module, has_rsample, arg_names = "StudentT", "studentT", True, ("df", "loc", "scale")

    def __init__(self, df: Any, loc: Any = 0.0, scale: Any = 1.0,
                 validate_args: Any = None) -> None:
        d, m, s = _broadcast_all(df, loc, scale)
        self.chi2 = Chi2(d)
        super().__init__({"df": d, "loc": m, "scale": s}, d.shape, validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"df": POSITIVE, "loc": REAL, "scale": POSITIVE}

    def support(self) -> Constraint:
        return REAL

    def mean(self) -> Tensor:
        m = self.params["loc"].clone()
        m[self.params["df"] <= 1] = math.nan
        return m

    def mode(self) -> Tensor:
        return self.params["loc"]

    def variance(self) -> Tensor:
        df, scale = self.params["df"], self.params["scale"]
        m = df.clone()
        big = df > 2
        m[big] = scale[big].pow(2) * df[big] / (df[big] - 2)
        m[(df <= 2) & (df > 1)] = math.inf
        m[df <= 1] = math.nan
        return m

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        df = self.params["df"]
        x = T["Tensor.normal_"](_empty(self.extended_shape(sample_shape), df))
        z = self.chi2.rsample(sample_shape)
        y = x * T["torch.rsqrt"](z / df)
        return self.params["loc"] + self.params["scale"] * y

    def log_prob_of(self, value: Any) -> Tensor:
        df, loc, scale = self.params["df"], self.params["loc"], self.params["scale"]
        y = (value - loc) / scale
        lgamma = T["torch.lgamma"]
        z = (scale.log() + 0.5 * df.log() + 0.5 * math.log(math.pi) + lgamma(0.5 * df)
             - lgamma(0.5 * (df + 1.0)))
        return -0.5 * (df + 1.0) * ops.log1p(y ** 2.0 / df) - z

    def entropy(self) -> Tensor:
        df, scale = self.params["df"], self.params["scale"]
        lgamma, digamma = T["torch.lgamma"], T["torch.digamma"]
        lbeta = lgamma(0.5 * df) + math.lgamma(0.5) - lgamma(0.5 * (df + 1))
        return (scale.log() + 0.5 * (df + 1) * (digamma(0.5 * (df + 1)) - digamma(0.5 * df))
                + 0.5 * df.log() + lbeta)


class Dirichlet(Distribution):
    """Dirichlet(concentration): over the simplex of the last dim."""

    __slots__ = ()
    kind, module, has_rsample, arg_names = "Dirichlet", "dirichlet", True, ("concentration",)

    def __init__(self, concentration: Any, validate_args: Any = None) -> None:
        if type(concentration) is not Tensor or concentration.ndim < 1:
            raise _value_error("`concentration` parameter must be at least one-dimensional.")
        super().__init__({"concentration": concentration}, concentration.shape[:-1],
                         validate_args)
        self.event_shape = Size(concentration.shape[-1:])

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"concentration": POSITIVE_VECTOR}

    def support(self) -> Constraint:
        return SIMPLEX

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        c = self.params["concentration"]
        alpha = c.detach().expand(*self.extended_shape(sample_shape))
        # torch._sample_dirichlet: double gamma draws, normalized in double, rounded to
        # the dtype and kept inside (0, 1); recorded as _Dirichlet's node.
        gamma = tensor_from_array(ops.generator().standard_gamma(
            alpha.array.astype(np.float64), np.dtype(np.float64)))
        share = (gamma / gamma.sum(-1, keepdim=True)).array.astype(c.dtype)
        dt = np.dtype(c.dtype)
        top = np.nextafter(dt.type(1), dt.type(0))
        values = np.minimum(top, np.maximum(np.finfo(dt).tiny, share))
        return apply(RULES["sample_dirichlet"], (c.expand(*alpha.shape),), {"values": values})

    def log_prob_of(self, value: Any) -> Tensor:
        c = self.params["concentration"]
        return (T["torch.xlogy"](c - 1.0, value).sum(-1) + T["torch.lgamma"](c.sum(-1))
                - T["torch.lgamma"](c).sum(-1))

    def mean(self) -> Tensor:
        c = self.params["concentration"]
        return c / c.sum(-1, keepdim=True)

    def mode(self) -> Tensor:
        c = self.params["concentration"]
        concm1 = (c - 1).clamp(min=0.0)
        mode = concm1 / concm1.sum(-1, keepdim=True)
        mask = T["torch.all"](c < 1, dim=-1)
        if bool(T["torch.any"](mask)):
            mode[mask] = T["torch.nn.functional.one_hot"](
                mode[mask].argmax(dim=-1), concm1.shape[-1]).to(mode.dtype)
        return mode

    def variance(self) -> Tensor:
        c = self.params["concentration"]
        c0 = c.sum(-1, keepdim=True)
        return c * (c0 - c) / (c0.pow(2) * (c0 + 1))

    def entropy(self) -> Tensor:
        c = self.params["concentration"]
        k = c.shape[-1]
        a0 = c.sum(-1)
        lgamma, digamma = T["torch.lgamma"], T["torch.digamma"]
        return (lgamma(c).sum(-1) - lgamma(a0) - (k - a0) * digamma(a0)
                - ((c - 1.0) * digamma(c)).sum(-1))


class Beta(Distribution):
    """Beta(concentration1, concentration0): a two-event Dirichlet's first share."""

    __slots__ = ("dirichlet",)
    kind, module, has_rsample = "Beta", "beta", True
    arg_names = ("concentration1", "concentration0")

    def __init__(self, concentration1: Any, concentration0: Any,
                 validate_args: Any = None) -> None:
        if _is_number(concentration1) and _is_number(concentration0):
            both = ops.tensor([float(concentration1), float(concentration0)])
        else:
            c1, c0 = _broadcast_all(concentration1, concentration0)
            both = T["torch.stack"]([c1, c0], -1)
        self.dirichlet = Dirichlet(both, validate_args=validate_args)
        super().__init__({}, self.dirichlet.batch_shape, False)
        self.validate = self.dirichlet.validate

    def param(self, name: str) -> Tensor:
        c = self.dirichlet.params["concentration"]
        return c[..., 0] if name == "concentration1" else c[..., 1]

    def get_attr(self, name: str) -> Any:
        if name in self.arg_names:
            return self.param(name)
        return super().get_attr(name)

    def gd_repr(self) -> str:
        return "Beta()"

    def support(self) -> Constraint:
        return UNIT_INTERVAL

    def mean(self) -> Tensor:
        c1, c0 = self.param("concentration1"), self.param("concentration0")
        return c1 / (c1 + c0)

    def mode(self) -> Tensor:
        return self.dirichlet.mode()[..., 0]

    def variance(self) -> Tensor:
        c1, c0 = self.param("concentration1"), self.param("concentration0")
        total = c1 + c0
        return c1 * c0 / (total.pow(2) * (total + 1))

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        return self.dirichlet.rsample(sample_shape).select(-1, 0)

    def log_prob_of(self, value: Any) -> Tensor:
        heads_tails = T["torch.stack"]([value, 1.0 - value], -1)
        return self.dirichlet.log_prob(heads_tails)

    def entropy(self) -> Tensor:
        return self.dirichlet.entropy()


class MixtureSameFamily(Distribution):
    """MixtureSameFamily(mixture_distribution, component_distribution): a Categorical
    over the components, which are the component distribution's rightmost batch dim."""

    __slots__ = ("component", "event_ndims", "mixture")
    kind, module = "MixtureSameFamily", "mixture_same_family"

    def __init__(self, mixture_distribution: Any, component_distribution: Any,
                 validate_args: Any = None) -> None:
        mix, comp = mixture_distribution, component_distribution
        if not isinstance(mix, Categorical):
            raise _value_error(" The Mixture distribution needs to be an  instance of "
                               "torch.distributions.Categorical")
        if not isinstance(comp, Distribution):
            raise _value_error("The Component distribution needs to be an instance of "
                               "torch.distributions.Distribution")
        mdbs, cdbs = mix.batch_shape, Size(tuple(comp.batch_shape)[:-1])
        for a, b in zip(reversed(mdbs), reversed(cdbs), strict=False):
            if a != 1 and b != 1 and a != b:
                raise _value_error(f"`mixture_distribution.batch_shape` ({mdbs}) is not "
                                   f"compatible with `component_distribution.batch_shape`"
                                   f"({cdbs})")
        km, kc = mix.param("logits").shape[-1], comp.batch_shape[-1]  # (derives logits)
        if km != kc:
            raise _value_error(f"`mixture_distribution component` ({km}) does not equal "
                               f"`component_distribution.batch_shape[-1]` ({kc})")
        self.mixture, self.component = mix, comp
        self.event_ndims = len(comp.event_shape)
        super().__init__({}, cdbs, validate_args)
        self.event_shape = comp.event_shape

    def get_attr(self, name: str) -> Any:
        if name == "mixture_distribution":
            return self.mixture
        if name == "component_distribution":
            return self.component
        return super().get_attr(name)

    def gd_repr(self) -> str:
        return (f"MixtureSameFamily(\n  {self.mixture.gd_repr()},\n"
                f"  {self.component.gd_repr()})")

    def support(self) -> Constraint:
        inner = self.component.support()
        return Constraint(f"MixtureSameFamilyConstraint({inner.text})",
                          lambda v: T["torch.all"](inner.check(self._pad(v)), dim=-1))

    def _pad(self, x: Tensor) -> Tensor:
        return x.unsqueeze(-1 - self.event_ndims)

    def _pad_mixture(self, x: Tensor) -> Tensor:
        cat_ndims = len(self.mixture.batch_shape)
        pad = 0 if cat_ndims == 1 else len(self.batch_shape) - cat_ndims
        xs = tuple(x.shape)
        return x.reshape(*xs[:-1], *([1] * pad), *xs[-1:], *([1] * self.event_ndims))

    def mean(self) -> Tensor:
        probs = self._pad_mixture(self.mixture.param("probs"))
        return T["torch.sum"](probs * self.component.mean(), dim=-1 - self.event_ndims)

    def variance(self) -> Tensor:
        probs = self._pad_mixture(self.mixture.param("probs"))
        dim = -1 - self.event_ndims
        mean_cond_var = T["torch.sum"](probs * self.component.variance(), dim=dim)
        var_cond_mean = T["torch.sum"](
            probs * (self.component.mean() - self._pad(self.mean())).pow(2.0), dim=dim)
        return mean_cond_var + var_cond_mean

    def cdf(self, value: Any) -> Tensor:
        cdf_x = self.component.cdf(self._pad(value))
        return T["torch.sum"](cdf_x * self.mixture.param("probs"), dim=-1)

    def log_prob_of(self, value: Any) -> Tensor:
        log_prob_x = self.component.log_prob(self._pad(value))
        log_mix = T["torch.log_softmax"](self.mixture.param("logits"), dim=-1)
        return T["torch.logsumexp"](log_prob_x + log_mix, dim=-1)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        with no_grad():
            shape = _sample_shape(sample_shape)
            gather_dim = len(shape) + len(self.batch_shape)
            es = tuple(self.event_shape)
            mix = self.mixture.sample(shape)
            comp = self.component.sample(shape)
            mix_shape = tuple(mix.shape)
            idx = mix.reshape(*mix_shape, *([1] * (len(es) + 1)))
            idx = idx.repeat(*([1] * len(mix_shape)), 1, *es)
            return T["torch.gather"](comp, gather_dim, idx).squeeze(gather_dim)


# -- kl_divergence ------------------------------------------------------------------------
def _kl_exponential(p: Any, q: Any) -> Tensor:
    ratio = q.params["rate"] / p.params["rate"]
    return -ratio.log() + ratio - 1


def _kl_laplace(p: Any, q: Any) -> Tensor:
    scale_ratio = p.params["scale"] / q.params["scale"]
    diff = (p.params["loc"] - q.params["loc"]).abs()
    return (-scale_ratio.log() + diff / q.params["scale"]
            + scale_ratio * ops.exp(-diff / p.params["scale"]) - 1)


def _kl_cauchy(p: Any, q: Any) -> Tensor:
    t1 = ((p.params["scale"] + q.params["scale"]).pow(2)
          + (p.params["loc"] - q.params["loc"]).pow(2)).log()
    return t1 - (4 * p.params["scale"] * q.params["scale"]).log()


def _kl_poisson(p: Any, q: Any) -> Tensor:
    pr, qr = p.params["rate"], q.params["rate"]
    return pr * (pr.log() - qr.log()) - (pr - qr)


def _kl_geometric(p: Any, q: Any) -> Tensor:
    return -p.entropy() - ops.log1p(-q.param("probs")) / p.param("probs") - q.param("logits")


def _kl_gamma(p: Any, q: Any) -> Tensor:
    pc, pr = p.params["concentration"], p.params["rate"]
    qc, qr = q.params["concentration"], q.params["rate"]
    lgamma, digamma = T["torch.lgamma"], T["torch.digamma"]
    return (qc * (pr / qr).log() + (lgamma(qc) - lgamma(pc)) + (pc - qc) * digamma(pc)
            + (qr - pr) * (pc / pr))


def _kl_beta(p: Any, q: Any) -> Tensor:
    p1, p0 = p.param("concentration1"), p.param("concentration0")
    q1, q0 = q.param("concentration1"), q.param("concentration0")
    sp, sq = p1 + p0, q1 + q0
    lgamma, digamma = T["torch.lgamma"], T["torch.digamma"]
    t1 = lgamma(q1) + lgamma(q0) + lgamma(sp)
    t2 = lgamma(p1) + lgamma(p0) + lgamma(sq)
    return (t1 - t2 + (p1 - q1) * digamma(p1) + (p0 - q0) * digamma(p0)
            + (sq - sp) * digamma(sp))


def _kl_dirichlet(p: Any, q: Any) -> Tensor:
    pc, qc = p.params["concentration"], q.params["concentration"]
    sp, sq = pc.sum(-1), qc.sum(-1)
    lgamma, digamma = T["torch.lgamma"], T["torch.digamma"]
    t1 = lgamma(sp) - lgamma(sq)
    t2 = (lgamma(pc) - lgamma(qc)).sum(-1)
    return t1 - t2 + ((pc - qc) * (digamma(pc) - digamma(sp).unsqueeze(-1))).sum(-1)


def _kl_independent(p: Any, q: Any) -> Tensor:
    if p.ndims != q.ndims:
        raise _not_implemented("Independent", "KL for different reinterpreted_batch_ndims")
    return _sum_rightmost(kl_divergence(p.base, q.base), p.ndims)


def _kl_mvn(p: Any, q: Any) -> Tensor:
    if p.event_shape != q.event_shape:
        raise _value_error("KL-divergence between two Multivariate Normals with different "
                           "event shapes cannot be computed")
    half_term1 = q.half_log_det() - p.half_log_det()
    batch = _broadcast_shapes(tuple(q.tril.shape[:-2]), tuple(p.tril.shape[:-2]))
    n = p.event_shape[0]
    q_tril = q.tril.expand(*batch, n, n)
    p_tril = p.tril.expand(*batch, n, n)
    solved = T["torch.linalg.solve_triangular"](q_tril, p_tril, upper=False)
    term2 = solved.reshape(-1, n * n).pow(2).sum(-1).reshape(*solved.shape[:-2])
    term3 = _batch_mahalanobis(q.tril, q.params["loc"] - p.params["loc"])
    return half_term1 + 0.5 * (term2 + term3 - n)


KL.update({
    Exponential: _kl_exponential, Laplace: _kl_laplace, Cauchy: _kl_cauchy,
    Poisson: _kl_poisson, Geometric: _kl_geometric, Gamma: _kl_gamma, Chi2: _kl_gamma,
    Beta: _kl_beta,
    Dirichlet: _kl_dirichlet, Independent: _kl_independent, MultivariateNormal: _kl_mvn,
    HalfNormal: lambda p, q: kl_divergence(p.base, q.base),
    LogNormal: lambda p, q: kl_divergence(p.base, q.base),
    OneHotCategorical: lambda p, q: kl_divergence(p.categorical, q.categorical),
})

KINDS: tuple[type[Distribution], ...] = (
    Exponential, Laplace, Cauchy, HalfNormal, LogNormal, Poisson, Geometric,
    OneHotCategorical, Independent, MultivariateNormal, Gamma, Chi2, StudentT, Beta, Dirichlet,
    MixtureSameFamily)
