"""functools.singledispatch and functools.singledispatchmethod in gd: a generic function
whose implementation is chosen by the class of its first argument (of the first after
self, for the method). `@f.register` takes the class from the first annotated parameter
(`def _(x: int)`), `@f.register(float)` and `f.register(list, fn)` name it. Of the
registered classes the argument is an instance of, the most derived wins, `object` (the
default function) last, as Python's dispatch over the class's method resolution order.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad.identity import at
from gradcli.errors import GdError, GdRuntimeError
from gradcli.interp import pyfuncattrs
from gradcli.interp.values import (
    Builtin,
    Decorator,
    FunctionBase,
    GdObject,
    private_name_error,
    to_repr,
)


def _error(message: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type="TypeError")


def _is_object(cls: Any) -> bool:
    return isinstance(cls, Builtin) and cls.name == "object"


def _subclass(a: Any, b: Any) -> bool:
    from gradcli.interp.pyreflect import _issubclass

    try:
        return a is b or _issubclass(a, b)
    except GdError:
        return False


def _most_derived(found: list[Any]) -> Any:
    """Of the classes an argument is an instance of, the one deriving from the most
    others (the earliest in the argument's method resolution order)."""
    return max(reversed(found), key=lambda c: sum(_subclass(c, d) for d in found))


class SingleDispatch(GdObject, Builtin):
    """What @functools.singledispatch makes of a function (printed as the function; a
    Builtin, so gd calls it; its attributes are its own, GdObject's)."""

    __slots__ = ("default", "registry")

    def __init__(self, default: Any) -> None:
        if not callable(default):
            raise _error("singledispatch() requires a callable")
        self.default = default
        self.registry: dict[Any, Any] = {}  # class -> implementation, `object` excluded
        Builtin.__init__(self, getattr(default, "name", "function"), self._call_first,
                         "a generic function, by its first argument's class")

    def dispatch(self, cls_or_value: Any, instance: bool = False) -> Any:
        """The implementation for a class (or, `instance`, for a value's class)."""
        from gradcli.interp.pybuiltins import _isinstance

        test = _isinstance if instance else _subclass
        found = [c for c in self.registry if test(cls_or_value, c)]
        return self.registry[_most_derived(found)] if found else self.default

    def register(self, cls: Any = None, func: Any = None) -> Any:
        """f.register(cls, func), @f.register(cls), or @f.register on an annotated def."""
        if func is not None:
            self._add(cls, func)
            return func
        if isinstance(cls, FunctionBase):  # @f.register: the first annotation names it
            first = getattr(cls, "first_annotation", lambda: None)()
            if first is None:
                raise _error(f"Invalid first argument to `register()`: {cls!r}. Use either "
                             "`@register(some_class)` or plain `@register` on an annotated "
                             "function.")
            self._add(first[1], cls)
            return cls
        return Decorator("register", lambda fn: self.register(cls, fn))

    def _add(self, cls: Any, func: Any) -> None:
        from gradcli.interp.pyreflect import _is_class

        if not _is_class(cls):
            raise _error(f"Invalid first argument to `register()`. {to_repr(cls)} is not a "
                         "class or union type.")
        if _is_object(cls):
            self.default = func
        else:
            self.registry[cls] = func

    def _call_first(self, *args: Any, **kwargs: Any) -> Any:
        if not args:
            raise _error(f"{self._name()} requires at least 1 positional argument")
        return self.dispatch(args[0], instance=True)(*args, **kwargs)

    def _name(self) -> str:
        return str(pyfuncattrs.get(self.default, "__name__")) \
            if hasattr(self.default, "attrs") else "singledispatch function"

    def get_attr(self, name: str) -> Any:
        if name == "register":
            return Decorator(f"{self._name()}.register", self.register)
        if name == "dispatch":
            return Builtin(f"{self._name()}.dispatch", self.dispatch)
        if name == "registry":
            from gradcli.interp.builtins import registry

            return {registry().bare["object"]: self.default, **self.registry}
        if name in pyfuncattrs.READABLE and hasattr(self.default, "attrs"):
            return self.default if name == "__wrapped__" else pyfuncattrs.get(
                self.default, name)
        return super().get_attr(name)

    def set_attr(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            raise private_name_error(name)
        raise GdRuntimeError("setting an attribute of a singledispatch function is not "
                             "supported by gradcli")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        qualname = pyfuncattrs.get(self.default, "__qualname__") \
            if hasattr(self.default, "attrs") else "singledispatch"
        return f"<function {qualname}{at(self)}>"

    def type_label(self) -> str:
        return "function"


class SingleDispatchMethod(SingleDispatch):
    """@functools.singledispatchmethod in a class body: dispatch on the argument after
    self (a class attribute that binds as a method does)."""

    __slots__ = ()

    def gd_bind(self, obj: Any, cls: Any) -> Any:
        """instance.name: the method bound to the instance."""
        return Builtin(self._name(), lambda *args, **kwargs: self._call(obj, args, kwargs))

    def _call(self, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if not args:
            raise _error(f"{self._name()} requires at least 1 positional argument")
        return self.dispatch(args[0], instance=True)(obj, *args, **kwargs)

    def gd_repr(self) -> str:
        return f"<functools.singledispatchmethod object{at(self)}>"

    def type_label(self) -> str:
        return "singledispatchmethod"
