"""np.poly1d: numpy's one-variable polynomial class (`np.poly1d(np.polyfit(x, y, 2))`),
numpy's own object held inside a gd value. It is called on numbers, arrays and tensors
(numpy's polyval), combined with + - * ** and numbers, indexed by power, compared, and
printed as numpy prints it; its coefficients, order, roots, variable, deriv and integ are
what numpy gives. Nothing of numpy's object but these reaches the program."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad.state import check_size
from gradcli.errors import GdRuntimeError
from gradcli.interp.values import Builtin, GdObject

_ARRAYS = {"coeffs": "coeffs", "c": "coeffs", "coef": "coeffs", "coefficients": "coeffs",
           "roots": "roots", "r": "roots"}
_NUMBERS = {"order": "order", "o": "order", "variable": "variable"}


class Poly1d(GdObject):
    """A numpy poly1d value."""

    __slots__ = ("arg", "out", "poly")

    def __init__(self, poly: np.poly1d, arg: Callable[[Any], Any],
                 out: Callable[[Any], Any]) -> None:
        self.poly = poly
        self.arg = arg  # numpy_ns's conversions of gd values to numpy's and back
        self.out = out

    def _wrap(self, v: Any) -> Any:
        if isinstance(v, tuple):  # p / q: (quotient, remainder)
            return tuple(self._wrap(x) for x in v)
        if isinstance(v, np.poly1d):
            check_size(v.coeffs.size)
            return Poly1d(v, self.arg, self.out)
        return self.out(v)

    def _other(self, v: Any) -> Any:
        return v.poly if type(v) is Poly1d else self.arg(v)

    def get_attr(self, name: str) -> Any:
        if name in _ARRAYS:
            return self.out(getattr(self.poly, _ARRAYS[name]))
        if name in _NUMBERS:
            return getattr(self.poly, _NUMBERS[name])
        if name in ("deriv", "integ"):
            method = getattr(self.poly, name)

            def call(*args: Any, **kwargs: Any) -> Any:
                return self._wrap(method(*(self.arg(a) for a in args),
                                         **{k: self.arg(v) for k, v in kwargs.items()}))
            return Builtin(f"poly1d.{name}", call, f"numpy's poly1d.{name}")
        return super().get_attr(name)

    def set_attr(self, name: str, value: Any) -> None:
        if name in ("coeffs", "c", "coef", "coefficients"):
            raise GdRuntimeError("Cannot set attribute", py_type="AttributeError")
        raise GdRuntimeError(f"cannot set attribute '{name}' of a 'poly1d' value in gd",
                             py_type="AttributeError")

    def __call__(self, x: Any) -> Any:
        return self._wrap(self.poly(self._other(x)))

    def __getitem__(self, k: Any) -> Any:
        return self.out(self.poly[self.arg(k)])

    def __eq__(self, other: Any) -> Any:
        return type(other) is Poly1d and bool(self.poly == other.poly)

    def __ne__(self, other: Any) -> Any:
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]  # as numpy's poly1d

    def __neg__(self) -> Any:
        return self._wrap(-self.poly)

    def __pos__(self) -> Any:
        return self

    def __len__(self) -> int:
        return len(self.poly)

    def __pow__(self, n: Any) -> Any:
        n = self.arg(n)
        if isinstance(n, (int, np.integer)) and n > 0:
            check_size(self.poly.order * int(n) + 1)
        return self._wrap(self.poly ** n)

    def gd_repr(self) -> str:
        return repr(self.poly)

    def gd_str(self) -> str:
        return str(self.poly)

    def type_label(self) -> str:
        return "poly1d"


def _binary(name: str) -> Callable[[Poly1d, Any], Any]:
    def op(self: Poly1d, other: Any) -> Any:
        return self._wrap(getattr(self.poly, name)(self._other(other)))
    op.__name__ = name
    return op


for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
              "__truediv__", "__div__"):
    setattr(Poly1d, _name, _binary(_name))


def constructor(arg: Callable[[Any], Any], out: Callable[[Any], Any]) -> Builtin:
    """np.poly1d(c_or_r, r=False, variable=None) over numpy_ns's conversions."""
    def poly1d(c_or_r: Any, r: Any = False, variable: Any = None) -> Poly1d:
        c = c_or_r.poly if type(c_or_r) is Poly1d else arg(c_or_r)
        if r and np.ndim(c) == 1:
            check_size(np.size(c) + 1)
        p = np.poly1d(c, r=bool(arg(r)), variable=arg(variable))
        check_size(p.coeffs.size)
        return Poly1d(p, arg, out)
    return Builtin("numpy.poly1d", poly1d, "numpy.poly1d(c_or_r, r=False, variable=None)")
