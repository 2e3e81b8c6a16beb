"""torch.distributions.transforms (the elementwise ones: ExpTransform, AffineTransform,
PowerTransform, SigmoidTransform, TanhTransform, SoftplusTransform, AbsTransform,
ComposeTransform of them, and a transform's `.inv`) and TransformedDistribution, as
PyTorch 2.13 writes them.

A transform is called (`t(x)`), inverted (`t.inv(y)`) and gives log|det J|
(`t.log_abs_det_jacobian(x, y)`); with cache_size=1 it remembers its last pair, so the
inverse of the value it just made is the very input (SAC's TanhTransform(cache_size=1):
log_prob of an rsample never goes through atanh), as PyTorch's cache does by identity.
TransformedDistribution pushes a base distribution's samples through the list and scores a
value by inverting them (distributions_more._TransformedChain, which Gumbel, Weibull,
Pareto and HalfCauchy share). Transforms that change event shapes (StickBreaking, ...),
and transforms whose parameters would broadcast the base's batch shape up, are errors that
say so.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np

from gradcli.ad import ops
from gradcli.ad.ops.surface import SURFACE
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.distributions import (
    POSITIVE,
    REAL,
    UNIT_INTERVAL,
    Constraint,
    _is_number,
    _value_error,
)
from gradcli.interp.values import BoundMethod, Builtin, GdObject, private_name_error

T = SURFACE

_SOFTPLUS = "torch.nn.functional.softplus"


class Transform(Builtin, GdObject):
    """A torch.distributions transform: y = t(x), x = t.inv(y), log|dy/dx|."""

    __slots__ = ("cache_size", "cached", "inverse")
    kind, module = "Transform", "transforms"
    sign: Any = 1
    domain: Constraint = REAL
    codomain: Constraint = REAL

    def __init__(self, cache_size: Any = 0) -> None:
        if cache_size not in (0, 1):
            raise _value_error("cache_size must be 0 or 1")
        super().__init__(f"torch.distributions.transforms.{self.kind}", self.forward)
        self.cache_size = int(cache_size)
        self.cached: tuple[Any, Any] = (None, None)
        self.inverse: Transform | None = None

    # -- PyTorch's __call__ / _inv_call, with the cache of one pair ---------------------------
    def forward(self, x: Any) -> Any:
        if not self.cache_size:
            return self.call(x)
        x_old, y_old = self.cached
        if x is x_old:
            return y_old
        y = self.call(x)
        self.cached = (x, y)
        return y

    def backward(self, y: Any) -> Any:
        if not self.cache_size:
            return self.inverse_of(y)
        x_old, y_old = self.cached
        if y is y_old:
            return x_old
        x = self.inverse_of(y)
        self.cached = (x, y)
        return x

    def inv(self) -> Transform:
        if self.inverse is None:
            self.inverse = InverseTransform(self)
        return self.inverse

    def call(self, x: Any) -> Any:
        raise NotImplementedError

    def inverse_of(self, y: Any) -> Any:
        raise NotImplementedError

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        raise GdRuntimeError(f"{self.kind} has no log_abs_det_jacobian",
                             py_type="NotImplementedError")

    def sign_of(self) -> Any:
        return self.sign

    # -- gd's view of it ----------------------------------------------------------------------
    def get_attr(self, name: str) -> Any:
        if name.startswith("_"):
            raise private_name_error(name)
        if name == "inv":
            return self.inv()
        if name == "sign":
            return self.sign_of()
        if name in ("domain", "codomain"):
            return getattr(self, name)
        if name == "bijective":
            return type(self) is not AbsTransform
        if name == "event_dim":
            return 0
        if name == "log_abs_det_jacobian":
            return BoundMethod(self, name, type(self).log_abs_det_jacobian)
        raise GdRuntimeError(f"'{self.kind}' object has no attribute '{name}'",
                             py_type="AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"cannot set attribute '{name}' of a '{self.kind}' value")

    def del_attr(self, name: str) -> None:
        raise GdRuntimeError(f"cannot delete attribute '{name}' of a '{self.kind}' value")

    def gd_repr(self) -> str:
        return f"{self.kind}()"

    def __repr__(self) -> str:
        return self.gd_repr()

    def type_label(self) -> str:
        return self.kind

    @property
    def torch_type(self) -> str:
        return f"torch.distributions.transforms.{self.kind}"


class InverseTransform(Transform):
    """t.inv: calling it inverts t (through t's cache), its log|det J| is minus t's."""

    __slots__ = ("base", "codomain", "domain")
    kind = "_InverseTransform"

    def __init__(self, base: Transform) -> None:
        super().__init__(base.cache_size)
        self.base = base
        self.domain, self.codomain = base.codomain, base.domain  # type: ignore[misc]

    def forward(self, x: Any) -> Any:
        return self.base.backward(x)

    def backward(self, y: Any) -> Any:
        return self.base.forward(y)

    def inv(self) -> Transform:
        return self.base

    def sign_of(self) -> Any:
        return self.base.sign_of()

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        return -self.base.log_abs_det_jacobian(y, x)

    def gd_repr(self) -> str:
        return f"_InverseTransform({self.base.gd_repr()})"


class ExpTransform(Transform):
    __slots__ = ()
    kind = "ExpTransform"
    codomain = POSITIVE

    def call(self, x: Any) -> Any:
        return x.exp()

    def inverse_of(self, y: Any) -> Any:
        return y.log()

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        return x


class AffineTransform(Transform):
    """y = loc + scale * x (event_dim 0)."""

    __slots__ = ("loc", "scale")
    kind = "AffineTransform"

    def __init__(self, loc: Any, scale: Any, event_dim: Any = 0, cache_size: Any = 0) -> None:
        if event_dim != 0:
            raise GdRuntimeError("AffineTransform(event_dim=...) other than 0 is not "
                                 "supported by gradcli")
        super().__init__(cache_size)
        self.loc, self.scale = loc, scale

    def sign_of(self) -> Any:
        if _is_number(self.scale):
            return 1 if self.scale > 0 else -1 if self.scale < 0 else 0
        return self.scale.sign()

    def call(self, x: Any) -> Any:
        return self.loc + self.scale * x

    def inverse_of(self, y: Any) -> Any:
        return (y - self.loc) / self.scale

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        if _is_number(self.scale):
            return ops.full_like(x, math.log(abs(self.scale)))
        return T["torch.abs"](self.scale).log().expand(x.shape)

    def get_attr(self, name: str) -> Any:
        if name in ("loc", "scale"):
            return getattr(self, name)
        return super().get_attr(name)


class PowerTransform(Transform):
    """y = x ** exponent."""

    __slots__ = ("exponent",)
    kind = "PowerTransform"
    domain = codomain = POSITIVE

    def __init__(self, exponent: Any, cache_size: Any = 0) -> None:
        super().__init__(cache_size)
        self.exponent = exponent if type(exponent) is Tensor else ops.tensor(exponent)

    def sign_of(self) -> Any:
        return self.exponent.sign()

    def call(self, x: Any) -> Any:
        return x.pow(self.exponent)

    def inverse_of(self, y: Any) -> Any:
        return y.pow(1 / self.exponent)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        return T["torch.abs"](self.exponent * y / x).log()

    def get_attr(self, name: str) -> Any:
        if name == "exponent":
            return self.exponent
        return super().get_attr(name)


def _tiny_eps(t: Tensor) -> tuple[float, float]:
    info = np.finfo(t.dtype)
    return float(info.tiny), float(info.eps)


class SigmoidTransform(Transform):
    __slots__ = ()
    kind = "SigmoidTransform"
    codomain = UNIT_INTERVAL

    def call(self, x: Any) -> Any:
        tiny, eps = _tiny_eps(x)
        return T["torch.clamp"](T["torch.sigmoid"](x), min=tiny, max=1.0 - eps)

    def inverse_of(self, y: Any) -> Any:
        tiny, eps = _tiny_eps(y)
        y = y.clamp(min=tiny, max=1.0 - eps)
        return y.log() - ops.log1p(-y)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        return -T[_SOFTPLUS](-x) - T[_SOFTPLUS](x)


class TanhTransform(Transform):
    __slots__ = ()
    kind = "TanhTransform"
    codomain = Constraint("Interval(lower_bound=-1.0, upper_bound=1.0)",
                          lambda v: (v >= -1.0) & (v <= 1.0))

    def call(self, x: Any) -> Any:
        return x.tanh()

    def inverse_of(self, y: Any) -> Any:
        return T["torch.atanh"](y)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        return 2.0 * (math.log(2.0) - x - T[_SOFTPLUS](-2.0 * x))


class SoftplusTransform(Transform):
    __slots__ = ()
    kind = "SoftplusTransform"
    codomain = POSITIVE

    def call(self, x: Any) -> Any:
        return T[_SOFTPLUS](x)

    def inverse_of(self, y: Any) -> Any:
        return T["torch.expm1"](-y).neg().log() + y

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        return -T[_SOFTPLUS](-x)


class AbsTransform(Transform):
    """y = |x| (not bijective: its inverse is the identity, as PyTorch's)."""

    __slots__ = ()
    kind = "AbsTransform"
    codomain = Constraint("GreaterThanEq(lower_bound=0.0)", lambda v: v >= 0.0)

    def call(self, x: Any) -> Any:
        return x.abs()

    def inverse_of(self, y: Any) -> Any:
        return y


class ComposeTransform(Transform):
    """ComposeTransform(parts): the parts in order (each caches for itself); its inverse
    is the parts' inverses reversed, its log|det J| the sum of the parts' at the
    intermediate values (recomputed, free where the parts cache), as PyTorch's."""

    __slots__ = ("parts",)
    kind = "ComposeTransform"

    def __init__(self, parts: Any, cache_size: Any = 0) -> None:
        parts = list(parts)
        if not all(isinstance(p, Transform) for p in parts):
            raise GdRuntimeError("ComposeTransform's parts must be transforms",
                                 py_type="TypeError")
        super().__init__(cache_size)
        if self.cache_size:
            parts = [_with_cache(p, self.cache_size) for p in parts]
        self.parts: list[Transform] = parts

    @property  # type: ignore[override]
    def domain(self) -> Constraint:
        return self.parts[0].domain if self.parts else REAL

    @property  # type: ignore[override]
    def codomain(self) -> Constraint:
        return self.parts[-1].codomain if self.parts else REAL

    def forward(self, x: Any) -> Any:
        for part in self.parts:
            x = part.forward(x)
        return x

    def backward(self, y: Any) -> Any:
        for part in reversed(self.parts):
            y = part.backward(y)
        return y

    def inv(self) -> Transform:
        if self.inverse is None:
            inverse = ComposeTransform([p.inv() for p in reversed(self.parts)])
            inverse.inverse = self
            self.inverse = inverse
        return self.inverse

    def sign_of(self) -> Any:
        sign: Any = 1
        for p in self.parts:
            sign = sign * p.sign_of()
        return sign

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        if not self.parts:
            return T["torch.zeros_like"](x)
        xs = [x]
        for part in self.parts[:-1]:
            xs.append(part.forward(xs[-1]))
        xs.append(y)
        result: Any = None
        for part, a, b in zip(self.parts, xs[:-1], xs[1:], strict=True):
            term = part.log_abs_det_jacobian(a, b)
            result = term if result is None else result + term
        return result

    def get_attr(self, name: str) -> Any:
        if name == "parts":
            return list(self.parts)
        if name == "bijective":
            return all(p.get_attr("bijective") for p in self.parts)
        return super().get_attr(name)

    def gd_repr(self) -> str:
        return "ComposeTransform(\n    " + ",\n    ".join(p.gd_repr() for p in self.parts) + "\n)"


def _with_cache(t: Transform, cache_size: int) -> Transform:
    """PyTorch's Transform.with_cache: t itself if it caches so already, else a copy that
    does (a fresh cache, no inverse yet)."""
    if t.cache_size == cache_size:
        return t
    if isinstance(t, InverseTransform):
        return _with_cache(t.base, cache_size).inv()
    if isinstance(t, ComposeTransform):
        return ComposeTransform(t.parts, cache_size)
    clone = copy.copy(t)
    clone.cache_size, clone.cached, clone.inverse = cache_size, (None, None), None
    return clone


KINDS: tuple[type[Transform], ...] = (Transform, ExpTransform, AffineTransform, PowerTransform,
                                      SigmoidTransform, TanhTransform, SoftplusTransform,
                                      AbsTransform, ComposeTransform)
