"""torch.distributions for gd programs: the base class, Normal, Bernoulli, Categorical,
Uniform (the other kinds are in distributions_extra.py) and kl_divergence between two of a
kind, as PyTorch 2.13 computes them.

A distribution is a gd value (GdObject) holding its parameters as tensors; every method is
PyTorch's formula written in gd's differentiable ops (so `rsample` and `log_prob` carry
gradients), and every sample draws from the one generator in PyTorch's order (Normal.sample
is torch.normal, Categorical.sample torch.multinomial, ...), so a seeded program draws
PyTorch's numbers. Arguments are validated as PyTorch validates them by default
(`validate_args=True`), with its messages. Only the attributes in the tables below reach a
program: no host object behind them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad import dtypes, ops
from gradcli.ad.ops.surface import SURFACE
from gradcli.ad.tensor import Tensor, no_grad
from gradcli.errors import GdRuntimeError
from gradcli.interp.exceptions import CLASSES, ExceptionValue
from gradcli.interp.values import (
    BoundMethod,
    Builtin,
    GdObject,
    Namespace,
    Size,
    private_name_error,
    type_name,
)


def _value_error(message: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type="ValueError")


def _not_implemented(kind: str, what: str) -> GdRuntimeError:
    """PyTorch's bare `raise NotImplementedError` (an exception with no args)."""
    err = GdRuntimeError(f"NotImplementedError ({kind} has no {what})",
                         py_type="NotImplementedError")
    err.exception = ExceptionValue(CLASSES["NotImplementedError"], (), err)  # type: ignore[attr-defined]
    return err


def _fmt(v: Any) -> str:
    """f"{v}" in PyTorch: a 0-d tensor formats as its Python number, a 0-d Parameter (a
    learned loc) as str() prints it."""
    from gradcli.interp.pytext import format_value

    return format_value(v)


# -- constraints --------------------------------------------------------------------------
class Constraint(GdObject):
    """A constraint on a parameter or the support: prints as PyTorch's (GreaterThan(...))."""

    __slots__ = ("check_fn", "text")

    def __init__(self, text: str, check_fn: Callable[[Tensor], Tensor]) -> None:
        self.text = text
        self.check_fn = check_fn

    def check(self, value: Any) -> Tensor:
        """A bool tensor: where value satisfies the constraint."""
        return self.check_fn(value)

    def get_attr(self, name: str) -> Any:
        if name.startswith("_"):
            raise private_name_error(name)
        if name == "check":
            return BoundMethod(self, name, Constraint.check)
        raise GdRuntimeError(f"'{self.type_label()}' object has no attribute '{name}'",
                             py_type="AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"cannot set attribute '{name}' of a '{self.type_label()}' value")

    def del_attr(self, name: str) -> None:
        raise GdRuntimeError(f"cannot delete attribute '{name}' of a "
                             f"'{self.type_label()}' value")

    def gd_repr(self) -> str:
        return self.text

    def type_label(self) -> str:
        return self.text.partition("(")[0]


def _bound(v: Any) -> str:
    return _fmt(v) if type(v) is Tensor else repr(v)


REAL = Constraint("Real()", lambda v: v == v)
POSITIVE = Constraint("GreaterThan(lower_bound=0.0)", lambda v: v > 0.0)
UNIT_INTERVAL = Constraint("Interval(lower_bound=0.0, upper_bound=1.0)",
                           lambda v: (v >= 0.0) & (v <= 1.0))
BOOLEAN = Constraint("Boolean()", lambda v: (v == 0) | (v == 1))
SIMPLEX = Constraint("Simplex()", lambda v: SURFACE["torch.all"](v >= 0, dim=-1)
                     & ((v.sum(-1) - 1).abs() < 1e-6))
REAL_VECTOR = Constraint("IndependentConstraint(Real(), 1)",
                         lambda v: SURFACE["torch.all"](v == v, dim=-1))


def _interval(low: Any, high: Any) -> Constraint:
    return Constraint(f"Interval(lower_bound={_bound(low)}, upper_bound={_bound(high)})",
                      lambda v: (low <= v) & (v <= high))


def _integer_interval(low: int, high: int) -> Constraint:
    return Constraint(f"IntegerInterval(lower_bound={low}, upper_bound={high})",
                      lambda v: (v % 1 == 0) & (low <= v) & (v <= high))


def _less_than(high: Any) -> Constraint:
    return Constraint(f"LessThan(upper_bound={_bound(high)})", lambda v: v < high)


def _greater_than(low: Any) -> Constraint:
    return Constraint(f"GreaterThan(lower_bound={_bound(low)})", lambda v: v > low)


# -- helpers ------------------------------------------------------------------------------
def _is_number(v: Any) -> bool:
    return type(v) in (int, float, bool)


def _broadcast_all(*values: Any) -> tuple[Tensor, ...]:
    """torch.distributions.utils.broadcast_all: numbers become tensors of the first
    tensor's dtype (the default dtype if there is none), then all are broadcast."""
    if not all(type(v) is Tensor or _is_number(v) for v in values):
        raise _value_error("Input arguments must all be instances of Number, torch.Tensor "
                           "or objects implementing __torch_function__.")
    dtype = next((v.dtype for v in values if type(v) is Tensor), dtypes.default_dtype())
    tensors = [v if type(v) is Tensor else ops.tensor(v, dtype=dtype) for v in values]
    return tuple(SURFACE["torch.broadcast_tensors"](*tensors))


def _sample_shape(sample_shape: Any) -> Size:
    if isinstance(sample_shape, (tuple, list)):
        shape = tuple(sample_shape)
        if all(type(n) is int for n in shape):
            return Size(shape)
    if type(sample_shape) is Tensor or not isinstance(sample_shape, (tuple, list)):
        raise GdRuntimeError(f"'{type_name(sample_shape)}' object is not iterable",
                             py_type="TypeError")
    raise GdRuntimeError("torch.Size() takes an iterable of 'int'", py_type="TypeError")


def _eps(t: Tensor) -> float:
    return float(np.finfo(t.dtype).eps)


def _clamp_probs(probs: Tensor) -> Tensor:
    eps = _eps(probs)
    return probs.clamp(min=eps, max=1 - eps)


# -- the distributions --------------------------------------------------------------------
class Distribution(GdObject):
    """A torch.distributions distribution: its kind's parameters (lazily derived ones are
    added on first reading, as PyTorch's lazy_property does), batch and event shapes."""

    __slots__ = ("batch_shape", "event_shape", "params", "validate")
    kind = "Distribution"
    module = "distribution"
    has_rsample = False
    has_enumerate_support = False
    #: PyTorch's arg_constraints, in order (the repr lists the ones present).
    arg_names: tuple[str, ...] = ()

    def __init__(self, params: dict[str, Tensor], batch_shape: tuple[int, ...],
                 validate_args: Any) -> None:
        self.params = params
        self.batch_shape = Size(batch_shape)
        self.event_shape = Size(())
        self.validate = True if validate_args is None else bool(validate_args)
        if self.validate:
            for name, constraint in self.arg_constraints().items():
                value = self.checked_param(name)
                if value is not None and not bool(SURFACE["torch.all"](
                        constraint.check(value))):
                    raise _value_error(
                        f"Expected parameter {name} (Tensor of shape "
                        f"{tuple(value.shape)}) of distribution {self.gd_repr()} to "
                        f"satisfy the constraint {constraint.text}, but found invalid "
                        f"values:\n{_fmt(value)}")

    def checked_param(self, name: str) -> Tensor | None:
        """The value PyTorch's validation reads for a constrained parameter (None: not
        given, as a lazily derived one)."""
        return self.params.get(name)

    def init_pair(self, first: Any, second: Any, validate_args: Any,
                  names: tuple[str, str] | None = None) -> None:
        """__init__ of a kind with two broadcast parameters, named by `names` (default
        arg_names: loc and scale, ...): batch shape () when both are numbers, else theirs."""
        a, b = _broadcast_all(first, second)
        shape = () if _is_number(first) and _is_number(second) else a.shape
        Distribution.__init__(self, dict(zip(names or self.arg_names, (a, b), strict=True)),
                              shape, validate_args)

    # -- PyTorch's interface --------------------------------------------------------------
    def arg_constraints(self) -> dict[str, Constraint]:
        return {}

    def support(self) -> Constraint:
        raise _not_implemented(self.kind, "support")

    def param(self, name: str) -> Tensor:
        """A parameter, derived from the other one on first reading (probs from logits)."""
        value = self.params.get(name)
        if value is None:
            value = self.params[name] = self.derive(name)
        return value

    def derive(self, name: str) -> Tensor:
        raise _not_implemented(self.kind, name)

    def extended_shape(self, sample_shape: Any = ()) -> Size:
        return Size(_sample_shape(sample_shape) + self.batch_shape + self.event_shape)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """A sample (no gradient), of shape sample_shape + batch_shape + event_shape."""
        with no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """A reparameterized sample (gradients flow to the parameters)."""
        raise _not_implemented(self.kind, "rsample")

    def sample_n(self, n: int) -> Tensor:
        """n samples."""
        return self.sample((n,))

    def validate_sample(self, value: Any) -> None:
        if type(value) is not Tensor:
            raise _value_error("The value argument to log_prob must be a Tensor")
        actual = Size(value.shape)
        expected = self.batch_shape + self.event_shape
        for i, j in zip(reversed(actual), reversed(expected), strict=False):
            if i != 1 and j != 1 and i != j:
                raise _value_error("Value is not broadcastable with batch_shape+event_shape: "
                                   f"{actual} vs {expected}.")
        support = self.support()
        if not bool(SURFACE["torch.all"](support.check(value))):
            raise _value_error(
                f"Expected value argument (Tensor of shape {tuple(value.shape)}) to be within "
                f"the support ({support.text}) of the distribution {self.gd_repr()}, but found "
                f"invalid values:\n{_fmt(value)}")

    def log_prob(self, value: Any) -> Tensor:
        """The log of the density (or mass) at value."""
        if self.validate:
            self.validate_sample(value)
        return self.log_prob_of(value)

    def log_prob_of(self, value: Any) -> Tensor:
        raise _not_implemented(self.kind, "log_prob")

    def cdf(self, value: Any) -> Tensor:
        """The cumulative distribution function at value."""
        raise _not_implemented(self.kind, "cdf")

    def icdf(self, value: Any) -> Tensor:
        """The inverse cumulative distribution function at value."""
        raise _not_implemented(self.kind, "icdf")

    def entropy(self) -> Tensor:
        """The entropy, batched over batch_shape."""
        raise _not_implemented(self.kind, "entropy")

    def perplexity(self) -> Tensor:
        """exp(entropy)."""
        return ops.exp(self.entropy())

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """Every value of a discrete kind's support along a new leading dim."""
        raise _not_implemented(self.kind, "enumerate_support")

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """A copy whose parameters are expanded (views) to a new batch shape."""
        slots = {s for c in type(self).__mro__ for s in getattr(c, "__slots__", ())}
        if slots - _EXPANDABLE:
            raise GdRuntimeError(f"{self.kind}.expand is not supported by gradcli")
        shape = tuple(_sample_shape(batch_shape))
        new = object.__new__(type(self))
        for slot in slots:
            object.__setattr__(new, slot, getattr(self, slot))
        n = len(self.batch_shape)
        new.params = {k: v.expand(*shape, *v.shape[n:]) for k, v in self.params.items()}
        new.batch_shape = Size(shape)
        return new

    def support_values(self, values: Tensor, expand: bool) -> Tensor:
        """enumerate_support's values (one per leading index) viewed, or expanded, over the
        batch shape: PyTorch's values.view((-1,) + (1,) * len(batch_shape) + event)."""
        event = tuple(values.shape[1:])
        values = values.reshape(-1, *([1] * len(self.batch_shape)), *event)
        return values.expand(-1, *self.batch_shape, *event) if expand else values

    def stddev(self) -> Tensor:
        return self.variance().sqrt()

    def mean(self) -> Tensor:
        raise _not_implemented(self.kind, "mean")

    def mode(self) -> Tensor:
        raise GdRuntimeError(f"{self.torch_type} does not implement mode",
                             py_type="NotImplementedError")

    def variance(self) -> Tensor:
        raise _not_implemented(self.kind, "variance")

    # -- gd's view of it ------------------------------------------------------------------
    def get_attr(self, name: str) -> Any:
        if name.startswith("_"):
            raise private_name_error(name)
        if name in self.params or name in self.arg_names:
            return self.param(name)
        if name in ("batch_shape", "event_shape", "has_rsample", "has_enumerate_support"):
            return getattr(self, name)
        if name in _PROPERTIES:
            return getattr(self, name)()
        if name in _METHODS:
            return BoundMethod(self, name, getattr(type(self), name))
        raise GdRuntimeError(f"'{self.kind}' object has no attribute '{name}'",
                             py_type="AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"cannot set attribute '{name}' of a '{self.kind}' value")

    def del_attr(self, name: str) -> None:
        raise GdRuntimeError(f"cannot delete attribute '{name}' of a '{self.kind}' value")

    def gd_repr(self) -> str:
        args = ", ".join(
            f"{p}: {_fmt(v) if v.numel() == 1 else Size(v.shape)}"
            for p in self.arg_names if (v := self.params.get(p)) is not None)
        return f"{self.kind}({args})"

    def type_label(self) -> str:
        return self.kind

    @property
    def torch_type(self) -> str:
        """PyTorch's class, as type(d) prints: torch.distributions.normal.Normal."""
        return f"torch.distributions.{self.module}.{self.kind}"


#: The state of the kinds expand() copies (their parameters are all in `params`).
_EXPANDABLE = frozenset(("batch_shape", "event_shape", "params", "validate", "num_events",
                         "lims", "temperature"))

#: What a program reads as a property (PyTorch's @property) and calls as a method.
_PROPERTIES = frozenset(("mean", "mode", "stddev", "variance", "support", "arg_constraints"))
_METHODS = frozenset(("sample", "rsample", "sample_n", "log_prob", "cdf", "icdf", "entropy",
                      "perplexity", "enumerate_support", "expand"))


class Normal(Distribution):
    """Normal(loc, scale)."""

    __slots__ = ()
    kind, module, has_rsample, arg_names = "Normal", "normal", True, ("loc", "scale")

    def __init__(self, loc: Any, scale: Any, validate_args: Any = None) -> None:
        self.init_pair(loc, scale, validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"loc": REAL, "scale": POSITIVE}

    def support(self) -> Constraint:
        return REAL

    def mean(self) -> Tensor:
        return self.params["loc"]

    mode = mean

    def stddev(self) -> Tensor:
        return self.params["scale"]

    def variance(self) -> Tensor:
        return self.params["scale"].pow(2)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = self.extended_shape(sample_shape)
        with no_grad():
            return ops.normal(self.params["loc"].expand(shape),
                              self.params["scale"].expand(shape))

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = self.extended_shape(sample_shape)
        loc = self.params["loc"]
        eps = SURFACE["Tensor.normal_"](ops.empty(shape, dtype=loc.dtype))
        return loc + eps * self.params["scale"]

    def log_prob_of(self, value: Any) -> Tensor:
        loc, scale = self.params["loc"], self.params["scale"]
        var = scale ** 2
        return -((value - loc) ** 2) / (2 * var) - scale.log() - math.log(
            math.sqrt(2 * math.pi))

    def cdf(self, value: Any) -> Tensor:
        if self.validate:
            self.validate_sample(value)
        loc, scale = self.params["loc"], self.params["scale"]
        return 0.5 * (1 + SURFACE["torch.erf"]((value - loc) * scale.reciprocal()
                                               / math.sqrt(2)))

    def icdf(self, value: Any) -> Tensor:
        loc, scale = self.params["loc"], self.params["scale"]
        return loc + scale * SURFACE["torch.erfinv"](2 * value - 1) * math.sqrt(2)

    def entropy(self) -> Tensor:
        return 0.5 + 0.5 * math.log(2 * math.pi) + ops.log(self.params["scale"])


class Uniform(Distribution):
    """Uniform(low, high): the half-open interval [low, high)."""

    __slots__ = ()
    kind, module, has_rsample, arg_names = "Uniform", "uniform", True, ("low", "high")

    def __init__(self, low: Any, high: Any, validate_args: Any = None) -> None:
        self.init_pair(low, high, validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"low": _less_than(self.params["high"]),
                "high": _greater_than(self.params["low"])}

    def support(self) -> Constraint:
        return _interval(self.params["low"], self.params["high"])

    def width(self) -> Tensor:
        return self.params["high"] - self.params["low"]

    def mean(self) -> Tensor:
        return (self.params["high"] + self.params["low"]) / 2

    def mode(self) -> Tensor:
        return math.nan * self.params["high"]

    def stddev(self) -> Tensor:
        return self.width() / 12 ** 0.5

    def variance(self) -> Tensor:
        return self.width().pow(2) / 12

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = self.extended_shape(sample_shape)
        low = self.params["low"]
        return low + ops.rand(shape, dtype=low.dtype) * self.width()

    def log_prob_of(self, value: Any) -> Tensor:
        low = self.params["low"]
        lb = low.le(value).type_as(low)
        ub = self.params["high"].gt(value).type_as(low)
        return ops.log(lb.mul(ub)) - ops.log(self.width())

    def cdf(self, value: Any) -> Tensor:
        if self.validate:
            self.validate_sample(value)
        return ((value - self.params["low"]) / self.width()).clamp(min=0, max=1)

    def icdf(self, value: Any) -> Tensor:
        return value * self.width() + self.params["low"]

    def entropy(self) -> Tensor:
        return ops.log(self.width())


def binary_derive(params: dict[str, Tensor], name: str) -> Tensor:
    """probs from logits or logits from probs of a binary event (PyTorch's
    logits_to_probs / probs_to_logits with is_binary=True): Bernoulli's, Geometric's."""
    if name == "probs":
        return SURFACE["torch.sigmoid"](params["logits"])
    clamped = _clamp_probs(params["probs"])
    return ops.log(clamped) - ops.log1p(-clamped)


def _probs_or_logits(kind: str, probs: Any, logits: Any) -> None:
    if (probs is None) == (logits is None):
        raise _value_error("Either `probs` or `logits` must be specified, but not both.")


class Bernoulli(Distribution):
    """Bernoulli(probs=None, logits=None)."""

    __slots__ = ()
    kind, module, arg_names = "Bernoulli", "bernoulli", ("probs", "logits")
    has_enumerate_support = True

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: Any = None) -> None:
        _probs_or_logits(self.kind, probs, logits)
        name, value = ("probs", probs) if probs is not None else ("logits", logits)
        (t,) = _broadcast_all(value)
        super().__init__({name: t}, () if _is_number(value) else t.shape, validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"probs": UNIT_INTERVAL, "logits": REAL}

    def support(self) -> Constraint:
        return BOOLEAN

    def derive(self, name: str) -> Tensor:
        return binary_derive(self.params, name)

    def mean(self) -> Tensor:
        return self.param("probs")

    def enumerate_support(self, expand: bool = True) -> Tensor:
        dtype = next(iter(self.params.values())).dtype
        return self.support_values(ops.arange(2, dtype=dtype), expand)

    def mode(self) -> Tensor:
        probs = self.param("probs")
        mode = (probs >= 0.5).type_as(probs)
        mode[probs == 0.5] = math.nan
        return mode

    def variance(self) -> Tensor:
        probs = self.param("probs")
        return probs * (1 - probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = self.extended_shape(sample_shape)
        with no_grad():
            return SURFACE["torch.bernoulli"](self.param("probs").expand(shape))

    def log_prob_of(self, value: Any) -> Tensor:
        logits, value = _broadcast_all(self.param("logits"), value)
        return -_bce_with_logits(logits, value)

    def entropy(self) -> Tensor:
        return _bce_with_logits(self.param("logits"), self.param("probs"))


def _bce_with_logits(logits: Tensor, target: Tensor) -> Tensor:
    return SURFACE["torch.nn.functional.binary_cross_entropy_with_logits"](
        logits, target, reduction="none")


class Categorical(Distribution):
    """Categorical(probs=None, logits=None): events 0..K-1 over the last dim."""

    __slots__ = ("num_events",)
    kind, module, arg_names = "Categorical", "categorical", ("probs", "logits")
    has_enumerate_support = True

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: Any = None) -> None:
        _probs_or_logits(self.kind, probs, logits)
        name, value = ("probs", probs) if probs is not None else ("logits", logits)
        if type(value) is not Tensor:
            raise GdRuntimeError(f"'{type_name(value)}' object has no attribute 'dim'",
                                 py_type="AttributeError")
        if value.ndim < 1:
            raise _value_error(f"`{name}` parameter must be at least one-dimensional.")
        if name == "probs":
            value = value / value.sum(-1, keepdim=True)
        else:
            value = value - value.logsumexp(dim=-1, keepdim=True)
        self.num_events = value.shape[-1]
        super().__init__({name: value}, value.shape[:-1] if value.ndim > 1 else (),
                         validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"probs": SIMPLEX, "logits": REAL_VECTOR}

    def support(self) -> Constraint:
        return _integer_interval(0, self.num_events - 1)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        return self.support_values(ops.arange(self.num_events), expand)

    def derive(self, name: str) -> Tensor:
        if name == "probs":
            return SURFACE["torch.nn.functional.softmax"](self.params["logits"], dim=-1)
        return ops.log(_clamp_probs(self.params["probs"]))

    def nans(self) -> Tensor:
        return ops.full(self.extended_shape(), math.nan, dtype=self.param("probs").dtype)

    mean = variance = nans

    def mode(self) -> Tensor:
        return self.param("probs").argmax(dim=-1)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = _sample_shape(sample_shape)
        probs_2d = self.param("probs").reshape(-1, self.num_events)
        samples_2d = ops.T(SURFACE["torch.multinomial"](probs_2d, shape.numel(), True))
        return samples_2d.reshape(self.extended_shape(shape))

    def log_prob_of(self, value: Any) -> Tensor:
        value = value.long().unsqueeze(-1)
        value, log_pmf = SURFACE["torch.broadcast_tensors"](value, self.param("logits"))
        value = value[..., :1]
        return log_pmf.gather(-1, value).squeeze(-1)

    def entropy(self) -> Tensor:
        logits = self.param("logits")
        logits = ops.clamp(logits, min=float(np.finfo(logits.dtype).min))
        return -(logits * self.param("probs")).sum(-1)


# -- kl_divergence ------------------------------------------------------------------------
def _kl_normal(p: Any, q: Any) -> Tensor:
    var_ratio = (p.params["scale"] / q.params["scale"]).pow(2)
    t1 = ((p.params["loc"] - q.params["loc"]) / q.params["scale"]).pow(2)
    return 0.5 * (var_ratio + t1 - 1 - var_ratio.log())


def _kl_bernoulli(p: Any, q: Any) -> Tensor:
    softplus = SURFACE["torch.nn.functional.softplus"]
    pp, qp, pl, ql = p.param("probs"), q.param("probs"), p.param("logits"), q.param("logits")
    t1 = pp * (softplus(-ql) - softplus(-pl))
    t1[qp == 0] = math.inf
    t1[pp == 0] = 0
    t2 = (1 - pp) * (softplus(ql) - softplus(pl))
    t2[qp == 1] = math.inf
    t2[pp == 1] = 0
    return t1 + t2


def _kl_categorical(p: Any, q: Any) -> Tensor:
    t = p.param("probs") * (p.param("logits") - q.param("logits"))
    t[(q.param("probs") == 0).expand_as(t)] = math.inf
    t[(p.param("probs") == 0).expand_as(t)] = 0
    return t.sum(-1)


def _kl_uniform(p: Any, q: Any) -> Tensor:
    result = (q.width() / p.width()).log()
    result[(q.params["low"] > p.params["low"]) | (q.params["high"] < p.params["high"])] = (
        math.inf)
    return result


#: kl_divergence's formulas by kind (distributions_extra.py adds its kinds').
KL: dict[type, Callable[[Any, Any], Tensor]] = {
    Normal: _kl_normal, Bernoulli: _kl_bernoulli, Categorical: _kl_categorical,
    Uniform: _kl_uniform}


def kl_divergence(p: Any, q: Any) -> Tensor:
    """KL(p || q) for two distributions of one kind (or a pair register_kl names)."""
    from gradcli.interp.distributions_subclass import registered_kl, unwrap
    own = registered_kl(p, q)
    if own is not None:
        return own(p, q)
    p, q = unwrap(p), unwrap(q)
    fn = KL.get(type(p)) if type(p) is type(q) else None
    if fn is None:
        names = [x.kind if isinstance(x, Distribution) else type_name(x) for x in (p, q)]
        raise GdRuntimeError(f"No KL(p || q) is implemented for p type {names[0]} and "
                             f"q type {names[1]}",
                             py_type="NotImplementedError")
    return fn(p, q)


# -- the namespaces -----------------------------------------------------------------------
class DistributionClass(Builtin):
    """torch.distributions.<Kind>: called, it makes the distribution; prints as PyTorch's
    class; isinstance(d, Normal) works."""

    __slots__ = ("cls",)
    is_class = True

    def __init__(self, cls: type[Distribution]) -> None:
        super().__init__(f"torch.distributions.{cls.kind}", cls,
                         f"torch.distributions.{cls.kind}(...): the {cls.kind} distribution, "
                         "as PyTorch's")
        self.cls = cls

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.cls is Distribution:
            raise GdRuntimeError("'torch.distributions.Distribution()' is not supported by "
                                 "gradcli", hint="its kinds are: " + ", ".join(
                                     k for k in _CLASSES if k != "Distribution"))
        from gradcli.interp.distributions_subclass import unwrap
        try:
            return self.cls(*map(unwrap, args), **{k: unwrap(v) for k, v in kwargs.items()})
        except TypeError as e:
            raise GdRuntimeError(str(e), py_type="TypeError") from None

    def instance_check(self, value: Any) -> bool:
        """isinstance(value, this class)."""
        if self.cls.kind == "TransformedDistribution" and isinstance(value, Distribution):
            return type(value).kind in TRANSFORMED_KINDS
        from gradcli.interp.distributions_subclass import is_instance
        return isinstance(value, self.cls) or is_instance(value, self.cls)

    @staticmethod
    def gd_attribute(obj: DistributionClass, name: str) -> Any:
        """Normal.has_rsample, Normal.log_prob (distributions_subclass)."""
        from gradcli.interp.distributions_subclass import class_attribute
        return class_attribute(obj, name)

    @staticmethod
    def gd_set_attribute(obj: DistributionClass, name: str, value: Any) -> None:
        from gradcli.interp.distributions_subclass import set_class_attribute
        set_class_attribute(obj, name, value)

    def subclass_check(self, c: Any) -> bool:
        """issubclass(c, this class) of another distribution class."""
        if self.cls.kind == "TransformedDistribution" and type(c) is DistributionClass:
            return c.cls.kind in TRANSFORMED_KINDS
        return type(c) is DistributionClass and issubclass(c.cls, self.cls)

    def __repr__(self) -> str:
        return f"<class 'torch.distributions.{self.cls.module}.{self.cls.kind}'>"


def _kinds() -> tuple[type[Distribution], ...]:
    from gradcli.interp.distributions_extra import KINDS
    from gradcli.interp.distributions_gamma import KINDS as GAMMA_KINDS
    from gradcli.interp.distributions_more import KINDS as MORE_KINDS
    from gradcli.interp.distributions_relaxed import KINDS as RELAXED_KINDS
    return (Normal, Bernoulli, Categorical, Uniform, *KINDS, *GAMMA_KINDS, *MORE_KINDS,
            *RELAXED_KINDS)


#: The kinds PyTorch derives from TransformedDistribution (gd builds them its own ways).
TRANSFORMED_KINDS = frozenset(("TransformedDistribution", "Gumbel", "Weibull", "Pareto",
                               "HalfCauchy", "HalfNormal", "LogNormal", "InverseGamma",
                               "RelaxedBernoulli", "RelaxedOneHotCategorical",
                               "LogisticNormal", "Kumaraswamy"))


class ExponentialFamilyClass(DistributionClass):
    """torch.distributions.ExponentialFamily: the base of the kinds PyTorch derives from it,
    for isinstance (not made by a program)."""

    __slots__ = ()
    KINDS = frozenset(("Bernoulli", "Beta", "Chi2", "ContinuousBernoulli", "Dirichlet",
                       "Exponential", "Gamma", "Normal", "Poisson", "Wishart"))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise GdRuntimeError("'torch.distributions.ExponentialFamily()' is not supported by "
                             "gradcli")

    def instance_check(self, value: Any) -> bool:
        return isinstance(value, Distribution) and type(value).kind in self.KINDS

    def subclass_check(self, c: Any) -> bool:
        return type(c) is DistributionClass and c.cls.kind in self.KINDS

    def __repr__(self) -> str:
        return "<class 'torch.distributions.exp_family.ExponentialFamily'>"


_CLASSES = {cls.kind: DistributionClass(cls) for cls in _kinds()}
_CLASSES["Distribution"] = DistributionClass(Distribution)
for _dc in _CLASSES.values():  # type(d) is d's class: `type(d) is Normal`, issubclass
    _dc.cls.gd_class = _dc  # type: ignore[attr-defined]
_KL_FN = Builtin("torch.distributions.kl_divergence", kl_divergence,
                 "torch.distributions.kl_divergence(p, q): KL(p || q)")


def namespaces() -> dict[str, Namespace]:
    """torch.distributions and its submodules (torch.distributions.normal, ...)."""
    from gradcli.interp.distributions_subclass import REGISTER_KL
    kl = Namespace("torch.distributions.kl", {"kl_divergence": _KL_FN, "register_kl": REGISTER_KL})
    subs: dict[str, Namespace] = {}
    for name, cls in _CLASSES.items():  # a module may hold several kinds
        if name != "Distribution":
            module = f"torch.distributions.{cls.cls.module}"
            subs.setdefault(module, Namespace(module, {})).members[name] = cls
    top = Namespace("torch.distributions", {
        **_CLASSES, "kl_divergence": _KL_FN, "kl": kl, "register_kl": REGISTER_KL,
        **{name.rpartition(".")[2]: ns for name, ns in subs.items()}})
    from gradcli.interp.distributions_transforms import KINDS as TRANSFORMS
    transforms = {cls.kind: DistributionClass(cls) for cls in TRANSFORMS}  # type: ignore[arg-type]
    for dc in transforms.values():
        dc.cls.gd_class = dc  # type: ignore[attr-defined]
    subs["torch.distributions.transforms"] = Namespace("torch.distributions.transforms",
                                                       transforms)
    top.members.update(transforms, transforms=subs["torch.distributions.transforms"])
    subs["torch.distributions.distribution"] = Namespace(
        "torch.distributions.distribution", {"Distribution": _CLASSES["Distribution"]})
    top.members["distribution"] = subs["torch.distributions.distribution"]
    from gradcli.interp.distributions_constraints import namespace as constraints

    subs["torch.distributions.constraints"] = top.members["constraints"] = constraints()
    family = ExponentialFamilyClass(Distribution)
    subs["torch.distributions.exp_family"] = Namespace(
        "torch.distributions.exp_family", {"ExponentialFamily": family})
    top.members.update(ExponentialFamily=family, exp_family=subs["torch.distributions.exp_family"])
    return {"torch.distributions": top, "torch.distributions.kl": kl, **subs}
