"""The wrappers a class body's decorators put around a function (@staticmethod,
@classmethod, @property, @functools.cached_property) and the helpers classes.py shares
with them: gd values whose attributes are allow-listed, as every attribute in gd is.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad.identity import object_repr
from gradcli.errors import GdRuntimeError
from gradcli.interp.values import Decorator, FunctionBase, GdObject


def _error(message: str, py_type: str) -> GdRuntimeError:
    err = GdRuntimeError(message)
    err.py_type = py_type  # the class `except` sees
    return err


def _is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def _refuse_dunder(name: str) -> None:
    if _is_dunder(name):
        raise GdRuntimeError(f"attribute '{name}' is not accessible in gd (dunder names "
                             "are Python's own)")


class StaticMethod:
    """@staticmethod around a gd function."""

    __slots__ = ("fn",)

    def __init__(self, fn: Any) -> None:
        self.fn = fn

    def __repr__(self) -> str:
        return f"<staticmethod({self.fn!r})>"


class ClassMethod:
    """@classmethod around a gd function."""

    __slots__ = ("fn",)

    def __init__(self, fn: Any) -> None:
        self.fn = fn

    def __repr__(self) -> str:
        return f"<classmethod({self.fn!r})>"


class Property(GdObject):
    """@property: a getter and (after @name.setter, @name.deleter) a setter and a
    deleter."""

    __slots__ = ("fdel", "fget", "fset")

    def __init__(self, fget: Any, fset: Any = None, fdel: Any = None) -> None:
        self.fget = fget
        self.fset = fset
        self.fdel = fdel

    def get_attr(self, name: str) -> Any:
        if name == "setter":
            return Decorator("property.setter", lambda fn: Property(self.fget, fn, self.fdel))
        if name == "deleter":
            return Decorator("property.deleter", lambda fn: Property(self.fget, self.fset, fn))
        if name == "getter":
            return Decorator("property.getter", lambda fn: Property(fn, self.fset, self.fdel))
        _refuse_dunder(name)
        raise _error(f"'property' object has no attribute '{name}'", "AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        raise _error(f"'property' object attribute '{name}' is read-only", "AttributeError")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        return object_repr("property", self)

    def type_label(self) -> str:
        return "property"


class CachedProperty(GdObject):
    """@functools.cached_property: computed on first read, then kept as the instance's own
    attribute of the function's name (which wins over the class's from then on)."""

    __slots__ = ("fn",)

    def __init__(self, fn: Any) -> None:
        if not isinstance(fn, FunctionBase):
            raise _error("cached_property needs a gd function", "TypeError")
        self.fn = fn

    def get_attr(self, name: str) -> Any:
        _refuse_dunder(name)
        if name == "func":
            return self.fn
        raise _error(f"'cached_property' object has no attribute '{name}'", "AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        _refuse_dunder(name)
        raise _error(f"'cached_property' object attribute '{name}' is read-only",
                     "AttributeError")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        return object_repr("functools.cached_property", self)

    def type_label(self) -> str:
        return "cached_property"
