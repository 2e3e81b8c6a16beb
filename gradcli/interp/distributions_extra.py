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
from gradcli.ad.tensor import Tensor, no_grad
from gradcli.errors import GdRuntimeError
from gradcli.interp.distributions import (
    KL,
    POSITIVE,
    REAL,
    REAL_VECTOR,
    UNIT_INTERVAL,
    Categorical,
    Constraint,
    Distribution,
    Normal,
    _bce_with_logits,
    _broadcast_all,
    _fmt,
    _is_number,
    _not_implemented,
    _probs_or_logits,
    _value_error,
    binary_derive,
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


class Folded:
    """What a distribution folded at 0 from a base symmetric about 0 computes from the base,
    as PyTorch's HalfNormal and HalfCauchy do (density doubled on x >= 0, ...)."""

    __slots__ = ()
    base: Any
    validate: Any
    validate_sample: Any

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


class HalfNormal(Folded, _Transformed):
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
        return binary_derive(self.params, name)

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

    def enumerate_support(self, expand: bool = True) -> Tensor:
        n = self.categorical.num_events
        return self.support_values(ops.eye(n, dtype=self.param("probs").dtype), expand)

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
    Poisson: _kl_poisson, Geometric: _kl_geometric,
    Independent: _kl_independent, MultivariateNormal: _kl_mvn,
    HalfNormal: lambda p, q: kl_divergence(p.base, q.base),
    LogNormal: lambda p, q: kl_divergence(p.base, q.base),
    OneHotCategorical: lambda p, q: kl_divergence(p.categorical, q.categorical),
})

KINDS: tuple[type[Distribution], ...] = (
    Exponential, Laplace, Cauchy, HalfNormal, LogNormal, Poisson, Geometric,
    OneHotCategorical, Independent, MultivariateNormal)
