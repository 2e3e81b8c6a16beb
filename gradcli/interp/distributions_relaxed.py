"""torch.distributions kinds of variational and count models: the Gumbel-softmax relaxations
(RelaxedBernoulli, RelaxedOneHotCategorical and their bases LogitRelaxedBernoulli and
ExpRelaxedCategorical), OneHotCategoricalStraightThrough, ContinuousBernoulli (the VAE
likelihood of pixels in [0, 1]) and NegativeBinomial (a Poisson of a Gamma rate), op for op
as PyTorch 2.13 writes them so samples, log_prob and gradients carry the same rounding."""

from __future__ import annotations

import math
from typing import Any

from gradcli.ad import ops
from gradcli.ad.tensor import Tensor, no_grad
from gradcli.interp.distributions import (
    KL,
    REAL,
    REAL_VECTOR,
    SIMPLEX,
    UNIT_INTERVAL,
    Categorical,
    Constraint,
    Distribution,
    _bce_with_logits,
    _broadcast_all,
    _clamp_probs,
    _is_number,
    _probs_or_logits,
    _value_error,
    binary_derive,
)
from gradcli.interp.distributions_extra import NONNEGATIVE_INTEGER, OneHotCategorical, T
from gradcli.interp.distributions_gamma import Gamma
from gradcli.interp.distributions_more import OverCategorical, _TransformedChain
from gradcli.interp.distributions_transforms import ExpTransform, SigmoidTransform
from gradcli.interp.values import Size

_SIGMOID, _LOGSIGMOID = "torch.sigmoid", "torch.nn.functional.logsigmoid"


def _binary_param(probs: Any, logits: Any) -> tuple[str, Tensor, bool]:
    """(name, broadcast tensor, given as a number) of a binary kind's probs or logits."""
    _probs_or_logits("", probs, logits)
    name, value = ("probs", probs) if probs is not None else ("logits", logits)
    (t,) = _broadcast_all(value)
    return name, t, _is_number(value)


def _rand_like(shape: Any, like: Tensor) -> Tensor:
    return ops.rand(*shape, dtype=like.dtype)


class LogitRelaxedBernoulli(Distribution):
    """LogitRelaxedBernoulli(temperature, probs=None, logits=None): the logit of a relaxed
    Bernoulli sample."""

    __slots__ = ("temperature",)
    kind, module, arg_names = "LogitRelaxedBernoulli", "relaxed_bernoulli", ("probs", "logits")
    has_rsample = True

    def __init__(self, temperature: Any, probs: Any = None, logits: Any = None,
                 validate_args: Any = None) -> None:
        self.temperature = temperature
        name, t, scalar = _binary_param(probs, logits)
        super().__init__({name: t}, () if scalar else t.shape, validate_args)

    def get_attr(self, name: str) -> Any:
        if name == "temperature":
            return self.temperature
        return super().get_attr(name)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"probs": UNIT_INTERVAL, "logits": REAL}

    def support(self) -> Constraint:
        return REAL

    def derive(self, name: str) -> Tensor:
        return binary_derive(self.params, name)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = self.extended_shape(sample_shape)
        probs = _clamp_probs(self.param("probs").expand(*shape))
        uniforms = _clamp_probs(_rand_like(shape, probs))
        return (uniforms.log() - ops.log1p(-uniforms) + probs.log()
                - ops.log1p(-probs)) / self.temperature

    def log_prob_of(self, value: Any) -> Tensor:
        logits, value = _broadcast_all(self.param("logits"), value)
        diff = logits - value.mul(self.temperature)
        return self.temperature.log() + diff - 2 * ops.log1p(diff.exp())


class ExpRelaxedCategorical(OverCategorical):
    """ExpRelaxedCategorical(temperature, probs=None, logits=None): the log of a relaxed
    one-hot categorical sample (Gumbel-softmax in log space)."""

    __slots__ = ("categorical", "temperature")
    kind, module = "ExpRelaxedCategorical", "relaxed_categorical"
    arg_names = ("probs", "logits")
    own = "temperature"
    has_rsample = True

    def __init__(self, temperature: Any, probs: Any = None, logits: Any = None,
                 validate_args: Any = None) -> None:
        self.categorical = Categorical(probs, logits)
        self.temperature = temperature
        super().__init__({}, self.categorical.batch_shape, validate_args)
        self.event_shape = Size((self.categorical.num_events,))

    def gd_repr(self) -> str:
        return f"{self.kind}()"

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"probs": SIMPLEX, "logits": REAL_VECTOR}

    def support(self) -> Constraint:
        return REAL_VECTOR

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = self.extended_shape(sample_shape)
        logits = self.param("logits")
        uniforms = _clamp_probs(_rand_like(shape, logits))
        gumbels = -((-(uniforms.log())).log())
        scores = (logits + gumbels) / self.temperature
        return scores - scores.logsumexp(dim=-1, keepdim=True)

    def log_prob_of(self, value: Any) -> Tensor:
        k = self.categorical.num_events
        logits, value = _broadcast_all(self.param("logits"), value)
        temperature = self.temperature
        log_scale = (T["torch.full_like"](temperature, float(k)).lgamma()
                     - temperature.log().mul(-(k - 1)))
        score = logits - value.mul(temperature)
        score = (score - score.logsumexp(dim=-1, keepdim=True)).sum(-1)
        return score + log_scale


class _Relaxed(_TransformedChain):
    """A relaxed kind: its base pushed through one transform, its parameters the base's."""

    __slots__ = ()
    arg_names = ("probs", "logits")
    has_rsample = True

    def param(self, name: str) -> Tensor:
        return self.base.param(name)

    def checked_param(self, name: str) -> Tensor | None:
        return self.base.checked_param(name)

    def get_attr(self, name: str) -> Any:
        if name in self.arg_names:
            return self.param(name)
        if name == "temperature":
            return self.base.temperature
        if name == "base_dist":
            return self.base
        return super().get_attr(name)

    def gd_repr(self) -> str:
        return f"{self.kind}()"


class RelaxedBernoulli(_Relaxed):
    """RelaxedBernoulli(temperature, probs=None, logits=None): sigmoid of a
    LogitRelaxedBernoulli sample, in (0, 1)."""

    __slots__ = ()
    kind, module = "RelaxedBernoulli", "relaxed_bernoulli"

    def __init__(self, temperature: Any, probs: Any = None, logits: Any = None,
                 validate_args: Any = None) -> None:
        base = LogitRelaxedBernoulli(temperature, probs, logits)
        self.init_chain({}, base, [SigmoidTransform()], validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"probs": UNIT_INTERVAL, "logits": REAL}

    def support(self) -> Constraint:
        return UNIT_INTERVAL


class RelaxedOneHotCategorical(_Relaxed):
    """RelaxedOneHotCategorical(temperature, probs=None, logits=None): the Gumbel-softmax
    relaxation of a one-hot categorical (exp of an ExpRelaxedCategorical sample)."""

    __slots__ = ()
    kind, module = "RelaxedOneHotCategorical", "relaxed_categorical"

    def __init__(self, temperature: Any, probs: Any = None, logits: Any = None,
                 validate_args: Any = None) -> None:
        base = ExpRelaxedCategorical(temperature, probs, logits, validate_args=validate_args)
        self.init_chain({}, base, [ExpTransform()], validate_args)
        self.event_shape = base.event_shape

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"probs": SIMPLEX, "logits": REAL_VECTOR}

    def support(self) -> Constraint:
        return SIMPLEX


class OneHotCategoricalStraightThrough(OneHotCategorical):
    """OneHotCategoricalStraightThrough(probs=None, logits=None): one-hot samples whose
    rsample passes the probabilities' gradient straight through."""

    __slots__ = ()
    kind, module = "OneHotCategoricalStraightThrough", "one_hot_categorical"
    has_rsample = True

    def gd_repr(self) -> str:
        return f"{self.kind}()"

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        samples = self.sample(sample_shape)
        probs = self.categorical.param("probs")
        return samples + (probs - probs.detach())


class ContinuousBernoulli(Distribution):
    """ContinuousBernoulli(probs=None, logits=None, lims=(0.499, 0.501)): the density on
    [0, 1] proportional to p**x (1-p)**(1-x), with PyTorch's Taylor expansions near 1/2."""

    __slots__ = ("lims",)
    kind, module, arg_names = "ContinuousBernoulli", "continuous_bernoulli", ("probs", "logits")
    has_rsample = True

    def __init__(self, probs: Any = None, logits: Any = None, lims: Any = (0.499, 0.501),
                 validate_args: Any = None) -> None:
        name, t, scalar = _binary_param(probs, logits)
        if name == "probs":
            if validate_args is not None and not bool(T["torch.all"](UNIT_INTERVAL.check(t))):
                raise _value_error("The parameter probs has invalid values")
            t = _clamp_probs(t)
        self.lims = tuple(lims)
        super().__init__({name: t}, () if scalar else t.shape, validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"probs": UNIT_INTERVAL, "logits": REAL}

    def support(self) -> Constraint:
        return UNIT_INTERVAL

    def derive(self, name: str) -> Tensor:
        if name == "probs":
            return _clamp_probs(T[_SIGMOID](self.params["logits"]))
        return binary_derive(self.params, name)

    def _outside(self) -> Tensor:
        probs = self.param("probs")
        return T["torch.max"](T["torch.le"](probs, self.lims[0]),
                              T["torch.gt"](probs, self.lims[1]))

    def _cut_probs(self) -> Tensor:
        probs = self.param("probs")
        return T["torch.where"](self._outside(), probs, self.lims[0] * ops.ones_like(probs))

    def _log_norm(self) -> Tensor:
        where, le, log = T["torch.where"], T["torch.le"], T["torch.log"]
        cut = self._cut_probs()
        below = where(le(cut, 0.5), cut, ops.zeros_like(cut))
        above = where(T["torch.ge"](cut, 0.5), cut, ops.ones_like(cut))
        log_norm = log(T["torch.abs"](ops.log1p(-cut) - log(cut))) - where(
            le(cut, 0.5), ops.log1p(-2.0 * below), log(2.0 * above - 1.0))
        x = T["torch.pow"](self.param("probs") - 0.5, 2)
        taylor = math.log(2.0) + (4.0 / 3.0 + 104.0 / 45.0 * x) * x
        return where(self._outside(), log_norm, taylor)

    def mean(self) -> Tensor:
        cut = self._cut_probs()
        mus = cut / (2.0 * cut - 1.0) + 1.0 / (ops.log1p(-cut) - T["torch.log"](cut))
        x = self.param("probs") - 0.5
        taylor = 0.5 + (1.0 / 3.0 + 16.0 / 45.0 * T["torch.pow"](x, 2)) * x
        return T["torch.where"](self._outside(), mus, taylor)

    def variance(self) -> Tensor:
        pow_ = T["torch.pow"]
        cut = self._cut_probs()
        var = cut * (cut - 1.0) / pow_(1.0 - 2.0 * cut, 2) + 1.0 / pow_(
            ops.log1p(-cut) - T["torch.log"](cut), 2)
        x = pow_(self.param("probs") - 0.5, 2)
        taylor = 1.0 / 12.0 - (1.0 / 15.0 - 128.0 / 945.0 * x) * x
        return T["torch.where"](self._outside(), var, taylor)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        u = _rand_like(self.extended_shape(sample_shape), self.param("probs"))
        with no_grad():
            return self.icdf(u)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        return self.icdf(_rand_like(self.extended_shape(sample_shape), self.param("probs")))

    def log_prob_of(self, value: Any) -> Tensor:
        logits, value = _broadcast_all(self.param("logits"), value)
        return -_bce_with_logits(logits, value) + self._log_norm()

    def cdf(self, value: Any) -> Tensor:
        if self.validate:
            self.validate_sample(value)
        where, pow_ = T["torch.where"], T["torch.pow"]
        cut = self._cut_probs()
        cdfs = (pow_(cut, value) * pow_(1.0 - cut, 1.0 - value) + cut - 1.0) / (2.0 * cut - 1.0)
        unbounded = where(self._outside(), cdfs, value)
        return where(T["torch.le"](value, 0.0), ops.zeros_like(value),
                     where(T["torch.ge"](value, 1.0), ops.ones_like(value), unbounded))

    def icdf(self, value: Any) -> Tensor:
        cut = self._cut_probs()
        log = T["torch.log"]
        return T["torch.where"](
            self._outside(),
            (ops.log1p(-cut + value * (2.0 * cut - 1.0)) - ops.log1p(-cut))
            / (log(cut) - ops.log1p(-cut)), value)

    def entropy(self) -> Tensor:
        probs = self.param("probs")
        log_probs0, log_probs1 = ops.log1p(-probs), T["torch.log"](probs)
        return self.mean() * (log_probs0 - log_probs1) - self._log_norm() - log_probs0


class NegativeBinomial(Distribution):
    """NegativeBinomial(total_count, probs=None, logits=None): the number of successes
    before total_count failures (sampled as a Poisson of a Gamma rate)."""

    __slots__ = ()
    kind, module = "NegativeBinomial", "negative_binomial"
    arg_names = ("total_count", "probs", "logits")

    def __init__(self, total_count: Any, probs: Any = None, logits: Any = None,
                 validate_args: Any = None) -> None:
        _probs_or_logits(self.kind, probs, logits)
        name, value = ("probs", probs) if probs is not None else ("logits", logits)
        total, param = _broadcast_all(total_count, value)
        super().__init__({"total_count": total.type_as(param), name: param}, param.shape,
                         validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"total_count": Constraint("GreaterThanEq(lower_bound=0)", lambda v: v >= 0),
                "probs": Constraint("HalfOpenInterval(lower_bound=0.0, upper_bound=1.0)",
                                    lambda v: (v >= 0.0) & (v < 1.0)),
                "logits": REAL}

    def support(self) -> Constraint:
        return NONNEGATIVE_INTEGER

    def derive(self, name: str) -> Tensor:
        return binary_derive(self.params, name)

    def mean(self) -> Tensor:
        return self.params["total_count"] * ops.exp(self.param("logits"))

    def mode(self) -> Tensor:
        return ((self.params["total_count"] - 1) * self.param("logits").exp()).floor().clamp(
            min=0.0)

    def variance(self) -> Tensor:
        return self.mean() / T[_SIGMOID](-self.param("logits"))

    def sample(self, sample_shape: Any = ()) -> Tensor:
        with no_grad():
            gamma = Gamma(self.params["total_count"], ops.exp(-self.param("logits")),
                          validate_args=False)
            return T["torch.poisson"](gamma.sample(sample_shape))

    def log_prob_of(self, value: Any) -> Tensor:
        n, logits = self.params["total_count"], self.param("logits")
        logsigmoid, lgamma = T[_LOGSIGMOID], T["torch.lgamma"]
        log_unnormalized = n * logsigmoid(-logits) + value * logsigmoid(logits)
        log_normalization = (-lgamma(n + value) + lgamma(1.0 + value) + lgamma(n))
        log_normalization = log_normalization.masked_fill(n + value == 0.0, 0.0)
        return log_unnormalized - log_normalization


def _kl_continuous_bernoulli(p: Any, q: Any) -> Tensor:
    pp, qp = p.param("probs"), q.param("probs")
    t1 = p.mean() * (p.param("logits") - q.param("logits"))
    t2 = p._log_norm() + ops.log1p(-pp)
    t3 = -q._log_norm() - ops.log1p(-qp)
    return t1 + t2 + t3


KL.update({ContinuousBernoulli: _kl_continuous_bernoulli})

KINDS: tuple[type[Distribution], ...] = (
    LogitRelaxedBernoulli, RelaxedBernoulli, ExpRelaxedCategorical, RelaxedOneHotCategorical,
    OneHotCategoricalStraightThrough, ContinuousBernoulli, NegativeBinomial)
