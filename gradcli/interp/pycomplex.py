"""`cmath` in gd: Python's complex-number functions and constants on Python's complex
values (the `1j` literal and `complex(...)` make them; their arithmetic, printing and
formatting are Python's own). Arguments are numbers, as Python's cmath takes them; a
one-element tensor goes through complex(), as Tensor.__complex__ does.
"""

from __future__ import annotations

import cmath as host_cmath
from collections.abc import Callable
from typing import Any

from gradcli.ad.tensor import Tensor
from gradcli.interp.pybuiltins import complex_of
from gradcli.interp.values import Builtin, Namespace

_FUNCTIONS = ("sqrt", "exp", "log", "log10", "sin", "cos", "tan", "asin", "acos", "atan",
              "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "phase", "polar", "rect",
              "isclose", "isnan", "isinf", "isfinite")
_CONSTANTS = ("pi", "e", "tau", "inf", "infj", "nan", "nanj")


def _cmath_fn(fn: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return fn(*(complex_of(a) if type(a) is Tensor else a for a in args), **kwargs)

    call.__doc__ = fn.__doc__
    return call


def namespaces() -> dict[str, Namespace]:
    """cmath."""
    members: dict[str, Any] = {name: getattr(host_cmath, name) for name in _CONSTANTS}
    members.update({name: Builtin(f"cmath.{name}", _cmath_fn(getattr(host_cmath, name)))
                    for name in _FUNCTIONS})
    return {"cmath": Namespace("cmath", members)}
