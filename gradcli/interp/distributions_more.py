"""torch.distributions kinds that PyTorch builds as a TransformedDistribution of a kind gd
has (Gumbel, Weibull, Pareto of a Uniform or an Exponential; HalfCauchy of a Cauchy), and
Multinomial (a Categorical's draws counted) with Binomial.

The transformed kinds follow PyTorch 2.13's TransformedDistribution op for op: a sample is
the base's sample pushed through each transform (`loc + scale * x`, `x.log()`,
`x.pow(exponent)`...), log_prob inverts them in reverse order subtracting each
log|det J|, cdf/icdf invert through the base and flip by the transforms' sign
(`sign * (value - 0.5) + 0.5`, whose rounding PyTorch's numbers carry). The transforms are
gd's own objects, not exposed to programs.
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
    SIMPLEX,
    Categorical,
    Constraint,
    Distribution,
    Uniform,
    _bound,
    _broadcast_all,
    _is_number,
    _not_implemented,
    _sample_shape,
    _value_error,
    binary_derive,
)
from gradcli.interp.distributions_extra import (
    NONNEGATIVE,
    Cauchy,
    Exponential,
    Folded,
    _shape_of,
    _sum_rightmost,
)
from gradcli.interp.distributions_transforms import (
    AbsTransform,
    AffineTransform,
    ExpTransform,
    PowerTransform,
    Transform,
)
from gradcli.interp.values import Size

T = SURFACE  # torch.<name> and Tensor.<name> as gd programs call them

EULER = 0.57721566490153286060  # PyTorch's euler_constant


def _forward_shape(shape: tuple[int, ...], transforms: list[Any]) -> tuple[int, ...]:
    """The batch shape after the transforms (an affine one broadcasts with loc and scale)."""
    for t in transforms:
        if isinstance(t, AffineTransform):
            shape = tuple(np.broadcast_shapes(shape, _shape_of(t.loc), _shape_of(t.scale)))
    return shape


class _TransformedChain(Distribution):
    """A base distribution pushed through transforms, as PyTorch's TransformedDistribution
    (of scalar events: every kind here has event_dim 0)."""

    __slots__ = ("base", "transforms")

    def init_chain(self, params: dict[str, Tensor], base: Distribution,
                   transforms: list[Any], validate_args: Any) -> None:
        self.base, self.transforms = base, transforms
        shape = _forward_shape(tuple(base.batch_shape), transforms)
        Distribution.__init__(self, params, shape, validate_args)

    @property
    def has_rsample(self) -> bool:  # type: ignore[override]
        return self.base.has_rsample

    def sample(self, sample_shape: Any = ()) -> Tensor:
        with no_grad():
            x = self.base.sample(sample_shape)
            for t in self.transforms:
                x = t.forward(x)
            return x

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        x = self.base.rsample(sample_shape)
        for t in self.transforms:
            x = t.forward(x)
        return x

    def log_prob_of(self, value: Any) -> Tensor:
        log_prob: Any = 0.0
        y = value
        event_dim = len(self.event_shape)
        for t in reversed(self.transforms):
            x = t.inv().forward(y)
            log_prob = log_prob - _sum_rightmost(t.log_abs_det_jacobian(x, y), event_dim)
            y = x
        return log_prob + self.base.log_prob(y)

    def _monotonize(self, value: Tensor) -> Tensor:
        sign: Any = 1
        for t in self.transforms:
            sign = sign * t.sign_of()
        if _is_number(sign) and sign == 1:
            return value
        return sign * (value - 0.5) + 0.5

    def cdf(self, value: Any) -> Tensor:
        for t in reversed(self.transforms):
            value = t.inv().forward(value)
        if self.validate:
            self.base.validate_sample(value)
        return self._monotonize(self.base.cdf(value))

    def icdf(self, value: Any) -> Tensor:
        value = self.base.icdf(self._monotonize(value))
        for t in self.transforms:
            value = t.forward(value)
        return value


class TransformedDistribution(_TransformedChain):
    """TransformedDistribution(base_distribution, transforms): the base's samples pushed
    through each (elementwise) transform in order."""

    __slots__ = ()
    kind, module = "TransformedDistribution", "transformed_distribution"

    def __init__(self, base_distribution: Any, transforms: Any,
                 validate_args: Any = None) -> None:
        if isinstance(transforms, Transform):
            transforms = [transforms]
        elif isinstance(transforms, list):
            if not all(isinstance(t, Transform) for t in transforms):
                raise _value_error("transforms must be a Transform or a list of Transforms")
        else:
            raise _value_error(f"transforms must be a Transform or list, but was {transforms}")
        if not isinstance(base_distribution, Distribution):
            raise GdRuntimeError("TransformedDistribution's base_distribution must be a "
                                 "torch.distributions distribution", py_type="TypeError")
        base = base_distribution
        shape = tuple(base.batch_shape) + tuple(base.event_shape)
        if _forward_shape(shape, transforms) != shape:
            raise GdRuntimeError("TransformedDistribution whose transforms broadcast the base "
                                 "distribution's shape is not supported by gradcli")
        self.base, self.transforms = base, list(transforms)
        Distribution.__init__(self, {}, tuple(base.batch_shape), validate_args)
        self.event_shape = base.event_shape

    def gd_repr(self) -> str:
        return "TransformedDistribution()"

    def get_attr(self, name: str) -> Any:
        if name == "base_dist":
            return self.base
        if name == "transforms":
            return list(self.transforms)
        return super().get_attr(name)

    def support(self) -> Constraint:
        if not self.transforms:
            return self.base.support()
        codomain = self.transforms[-1].codomain
        n = len(self.event_shape)
        if not n:
            return codomain
        return Constraint(f"IndependentConstraint({codomain.text}, {n})",
                          lambda v: T["torch.all"](codomain.check(v).reshape(
                              *v.shape[:v.ndim - n], -1), dim=-1))


class Gumbel(_TransformedChain):
    """Gumbel(loc, scale): -log(-log(U)) scaled, U uniform on [tiny, 1 - eps)."""

    __slots__ = ()
    kind, module, arg_names = "Gumbel", "gumbel", ("loc", "scale")

    def __init__(self, loc: Any, scale: Any, validate_args: Any = None) -> None:
        loc_t, scale_t = _broadcast_all(loc, scale)
        info = np.finfo(loc_t.dtype)
        tiny, top = float(info.tiny), float(1 - info.eps)
        if _is_number(loc) and _is_number(scale):
            base = Uniform(tiny, top, validate_args=validate_args)
        else:
            base = Uniform(ops.full_like(loc_t, tiny), ops.full_like(loc_t, top),
                           validate_args=validate_args)
        transforms = [ExpTransform().inv(), AffineTransform(0, -ops.ones_like(scale_t)),
                      ExpTransform().inv(), AffineTransform(loc_t, -scale_t)]
        self.init_chain({"loc": loc_t, "scale": scale_t}, base, transforms, validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"loc": REAL, "scale": POSITIVE}

    def support(self) -> Constraint:
        return REAL

    def log_prob_of(self, value: Any) -> Tensor:
        loc, scale = self.params["loc"], self.params["scale"]
        y = (loc - value) / scale
        return (y - y.exp()) - scale.log()

    def mean(self) -> Tensor:
        return self.params["loc"] + self.params["scale"] * EULER

    def mode(self) -> Tensor:
        return self.params["loc"]

    def stddev(self) -> Tensor:
        return (math.pi / math.sqrt(6)) * self.params["scale"]

    def variance(self) -> Tensor:
        return self.stddev().pow(2)

    def entropy(self) -> Tensor:
        return self.params["scale"].log() + (1 + EULER)


class Weibull(_TransformedChain):
    """Weibull(scale, concentration): scale * E ** (1 / concentration), E ~ Exponential(1)."""

    __slots__ = ()
    kind, module, arg_names = "Weibull", "weibull", ("scale", "concentration")

    def __init__(self, scale: Any, concentration: Any, validate_args: Any = None) -> None:
        scale_t, conc = _broadcast_all(scale, concentration)
        recip = conc.reciprocal()
        base = Exponential(ops.ones_like(scale_t), validate_args=validate_args)
        self.init_chain({"scale": scale_t, "concentration": conc,
                         "concentration_reciprocal": recip},
                        base, [PowerTransform(recip), AffineTransform(0, scale_t)],
                        validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"scale": POSITIVE, "concentration": POSITIVE}

    def support(self) -> Constraint:
        return POSITIVE

    def mean(self) -> Tensor:
        p = self.params
        return p["scale"] * ops.exp(T["torch.lgamma"](1 + p["concentration_reciprocal"]))

    def mode(self) -> Tensor:
        scale, conc = self.params["scale"], self.params["concentration"]
        return scale * ((conc - 1) / conc) ** conc.reciprocal()

    def variance(self) -> Tensor:
        p = self.params
        lgamma = T["torch.lgamma"]
        return p["scale"].pow(2) * (
            ops.exp(lgamma(1 + 2 * p["concentration_reciprocal"]))
            - ops.exp(2 * lgamma(1 + p["concentration_reciprocal"])))

    def entropy(self) -> Tensor:
        recip = self.params["concentration_reciprocal"]
        return EULER * (1 - recip) + ops.log(self.params["scale"] * recip) + 1


class Pareto(_TransformedChain):
    """Pareto(scale, alpha): scale * exp(E), E ~ Exponential(alpha)."""

    __slots__ = ()
    kind, module, arg_names = "Pareto", "pareto", ("alpha", "scale")

    def __init__(self, scale: Any, alpha: Any, validate_args: Any = None) -> None:
        scale_t, alpha_t = _broadcast_all(scale, alpha)
        base = Exponential(alpha_t, validate_args=validate_args)
        self.init_chain({"scale": scale_t, "alpha": alpha_t}, base,
                        [ExpTransform(), AffineTransform(0, scale_t)], validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"alpha": POSITIVE, "scale": POSITIVE}

    def support(self) -> Constraint:
        low = self.params["scale"]
        return Constraint(f"GreaterThanEq(lower_bound={_bound(low)})", lambda v: v >= low)

    def mean(self) -> Tensor:
        a = self.params["alpha"].clamp(min=1)
        return a * self.params["scale"] / (a - 1)

    def mode(self) -> Tensor:
        return self.params["scale"]

    def variance(self) -> Tensor:
        a = self.params["alpha"].clamp(min=2)
        return self.params["scale"].pow(2) * a / ((a - 1).pow(2) * (a - 2))

    def entropy(self) -> Tensor:
        alpha = self.params["alpha"]
        return (self.params["scale"] / alpha).log() + (1 + alpha.reciprocal())


class InverseGamma(_TransformedChain):
    """InverseGamma(concentration, rate): 1 / X, X ~ Gamma(concentration, rate)."""

    __slots__ = ()
    kind, module, arg_names = "InverseGamma", "inverse_gamma", ("concentration", "rate")

    def __init__(self, concentration: Any, rate: Any, validate_args: Any = None) -> None:
        from gradcli.interp.distributions_gamma import Gamma

        base = Gamma(concentration, rate, validate_args=validate_args)
        conc, rate_t = base.params["concentration"], base.params["rate"]
        neg_one = -T["Tensor.new_ones"](rate_t, ())
        self.init_chain({"concentration": conc, "rate": rate_t}, base,
                        [PowerTransform(neg_one)], validate_args)

    def gd_repr(self) -> str:
        return "InverseGamma()"  # its parameters are properties of PyTorch's, not listed

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"concentration": POSITIVE, "rate": POSITIVE}

    def support(self) -> Constraint:
        return POSITIVE

    def mean(self) -> Tensor:
        conc, rate = self.params["concentration"], self.params["rate"]
        return T["torch.where"](conc > 1, rate / (conc - 1), math.inf)

    def mode(self) -> Tensor:
        return self.params["rate"] / (self.params["concentration"] + 1)

    def variance(self) -> Tensor:
        conc, rate = self.params["concentration"], self.params["rate"]
        result = rate.square() / ((conc - 1).square() * (conc - 2))
        return T["torch.where"](conc > 2, result, math.inf)

    def entropy(self) -> Tensor:
        conc, rate = self.params["concentration"], self.params["rate"]
        return (conc + rate.log() + T["torch.lgamma"](conc)
                - (1 + conc) * T["torch.digamma"](conc))


class HalfCauchy(Folded, _TransformedChain):
    """HalfCauchy(scale): |Cauchy(0, scale)|."""

    __slots__ = ()
    kind, module, arg_names = "HalfCauchy", "half_cauchy", ("scale",)

    def __init__(self, scale: Any, validate_args: Any = None) -> None:
        base = Cauchy(0, scale, validate_args=False)
        self.init_chain({"scale": base.params["scale"]}, base, [AbsTransform()],
                        validate_args)

    def gd_repr(self) -> str:
        return "HalfCauchy()"  # scale is a property of PyTorch's, not a listed parameter

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"scale": POSITIVE}

    def support(self) -> Constraint:
        return NONNEGATIVE

    def mean(self) -> Tensor:
        return ops.full(self.extended_shape(), math.inf, dtype=self.params["scale"].dtype)

    def mode(self) -> Tensor:
        return ops.zeros_like(self.params["scale"])

    def variance(self) -> Tensor:
        return self.base.variance()



# -- Binomial and Multinomial -----------------------------------------------------------------
def _nonneg_int_le(total: Any) -> Constraint:
    return Constraint(f"IntegerInterval(lower_bound=0, upper_bound={_bound(total)})",
                      lambda v: (v % 1 == 0) & (v >= 0) & (v <= total))


class Binomial(Distribution):
    """Binomial(total_count=1, probs=None, logits=None)."""

    __slots__ = ()
    kind, module, arg_names = "Binomial", "binomial", ("total_count", "probs", "logits")
    has_enumerate_support = True

    def __init__(self, total_count: Any = 1, probs: Any = None, logits: Any = None,
                 validate_args: Any = None) -> None:
        if (probs is None) == (logits is None):
            raise _value_error("Either `probs` or `logits` must be specified, but not both.")
        name, value = ("probs", probs) if probs is not None else ("logits", logits)
        total, param = _broadcast_all(total_count, value)
        total = total.type_as(param)
        shape = () if _is_number(value) else param.shape
        super().__init__({"total_count": total, name: param}, shape, validate_args)

    def checked_param(self, name: str) -> Tensor | None:
        return self.params.get(name)

    def arg_constraints(self) -> dict[str, Constraint]:
        from gradcli.interp.distributions_extra import NONNEGATIVE_INTEGER
        return {"total_count": NONNEGATIVE_INTEGER,
                "probs": Constraint("Interval(lower_bound=0.0, upper_bound=1.0)",
                                    lambda v: (v >= 0.0) & (v <= 1.0)),
                "logits": REAL}

    def support(self) -> Constraint:
        return _nonneg_int_le(self.params["total_count"])

    def derive(self, name: str) -> Tensor:
        return binary_derive(self.params, name)

    def mean(self) -> Tensor:
        return self.params["total_count"] * self.param("probs")

    def mode(self) -> Tensor:
        n = self.params["total_count"]
        return ((n + 1) * self.param("probs")).floor().clamp(max=n)

    def variance(self) -> Tensor:
        probs = self.param("probs")
        return self.params["total_count"] * probs * (1 - probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = self.extended_shape(sample_shape)
        with no_grad():
            return T["torch.binomial"](self.params["total_count"].expand(shape),
                                       self.param("probs").expand(shape))

    def log_prob_of(self, value: Any) -> Tensor:
        n, logits = self.params["total_count"], self.param("logits")
        lgamma = T["torch.lgamma"]
        log_factorial_n = lgamma(n + 1)
        log_factorial_k = lgamma(value + 1)
        log_factorial_nmk = lgamma(n - value + 1)
        normalize_term = (n * _clamp_by_zero(logits) + n * ops.log1p(
            ops.exp(-T["torch.abs"](logits))) - log_factorial_n)
        return value * logits - log_factorial_k - log_factorial_nmk - normalize_term

    def entropy(self) -> Tensor:
        total = self.params["total_count"]
        count = int(total.max().item())
        if not bool(T["torch.all"](total == count)):
            raise GdRuntimeError("Inhomogeneous total count not supported by `entropy`.",
                                 py_type="NotImplementedError")
        log_prob = self.log_prob(self.enumerate_support(False))
        return -(ops.exp(log_prob) * log_prob).sum(0)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        total = self.params["total_count"]
        count = int(total.max().item())
        if not bool(T["torch.all"](total == count)):
            raise GdRuntimeError("Inhomogeneous total count not supported by "
                                 "`enumerate_support`.", py_type="NotImplementedError")
        return self.support_values(ops.arange(1 + count, dtype=total.dtype), expand)


def _clamp_by_zero(x: Tensor) -> Tensor:
    return (x.clamp(min=0) + x - x.clamp(max=0)) / 2


class OverCategorical(Distribution):
    """A distribution whose parameters are a Categorical's (probs or logits, kept in
    self.categorical) and one attribute of its own, `own` (Multinomial's total_count,
    ExpRelaxedCategorical's temperature)."""

    __slots__ = ()
    own = ""

    def param(self, name: str) -> Tensor:
        return self.categorical.param(name)

    def checked_param(self, name: str) -> Tensor | None:
        return self.categorical.params.get(name)

    def get_attr(self, name: str) -> Any:
        if name in self.arg_names:
            return self.param(name)
        if name == self.own:
            return getattr(self, name)
        return super().get_attr(name)


class Multinomial(OverCategorical):
    """Multinomial(total_count=1, probs=None, logits=None): counts of total_count
    Categorical draws."""

    __slots__ = ("categorical", "total_count")
    kind, module, arg_names = "Multinomial", "multinomial", ("probs", "logits")
    own = "total_count"

    def __init__(self, total_count: Any = 1, probs: Any = None, logits: Any = None,
                 validate_args: Any = None) -> None:
        if type(total_count) is not int:
            raise GdRuntimeError("inhomogeneous total_count is not supported",
                                 py_type="NotImplementedError")
        self.total_count = total_count
        self.categorical = Categorical(probs, logits)
        super().__init__({}, self.categorical.batch_shape, validate_args)
        self.event_shape = Size((self.categorical.num_events,))

    def gd_repr(self) -> str:
        return "Multinomial()"

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"probs": SIMPLEX, "logits": REAL_VECTOR}

    def support(self) -> Constraint:
        n = self.total_count
        return Constraint("Multinomial()",
                          lambda v: T["torch.all"](v >= 0, dim=-1) & (v.sum(-1) <= n))

    def mean(self) -> Tensor:
        return self.param("probs") * self.total_count

    def variance(self) -> Tensor:
        probs = self.param("probs")
        return self.total_count * probs * (1 - probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = _sample_shape(sample_shape)
        samples = self.categorical.sample(Size((self.total_count, *shape)))
        order = list(range(samples.ndim))
        order.append(order.pop(0))
        samples = samples.permute(*order)
        counts = ops.zeros(tuple(self.extended_shape(shape)), dtype=samples.dtype)
        T["Tensor.scatter_add_"](counts, -1, samples, ops.ones_like(samples))
        return counts.type_as(self.param("probs"))

    def log_prob_of(self, value: Any) -> Tensor:
        logits, value = _broadcast_all(self.param("logits"), value)
        logits = logits.clone()
        lgamma = T["torch.lgamma"]
        log_factorial_n = lgamma(value.sum(-1) + 1)
        log_factorial_xs = lgamma(value + 1).sum(-1)
        T["Tensor.masked_fill_"](logits, (value == 0) & (logits == -math.inf), 0)
        log_powers = (logits * value).sum(-1)
        return log_factorial_n - log_factorial_xs + log_powers

    def entropy(self) -> Tensor:
        raise _not_implemented(self.kind, "entropy")


# -- kl_divergence -----------------------------------------------------------------------------
def _kl_gumbel(p: Any, q: Any) -> Tensor:
    pl, ps, ql, qs = (p.params["loc"], p.params["scale"], q.params["loc"], q.params["scale"])
    ct1, ct2, ct3 = ps / qs, ql / qs, pl / qs
    t1 = -ct1.log() - ct2 + ct3
    t2 = ct1 * EULER
    t3 = ops.exp(ct2 + T["torch.lgamma"](1 + ct1) - ct3)
    return t1 + t2 + t3 - (1 + EULER)


def _kl_pareto(p: Any, q: Any) -> Tensor:
    scale_ratio = p.params["scale"] / q.params["scale"]
    alpha_ratio = q.params["alpha"] / p.params["alpha"]
    t1 = q.params["alpha"] * scale_ratio.log()
    t2 = -alpha_ratio.log()
    result = t1 + t2 + alpha_ratio - 1
    T["Tensor.masked_fill_"](result, p.params["scale"] < q.params["scale"], math.inf)
    return result


KL.update({Gumbel: _kl_gumbel, Pareto: _kl_pareto})

KINDS: tuple[type[Distribution], ...] = (TransformedDistribution, Gumbel, Weibull, Pareto,
                                         InverseGamma, HalfCauchy, Binomial, Multinomial)
