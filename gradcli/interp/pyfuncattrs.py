"""A gd function's attributes, as Python's function objects have them: `fn.__doc__` (the
docstring), `fn.__wrapped__` (what functools.wraps wrapped), `__qualname__`, `__module__`,
`__defaults__`, `__kwdefaults__`, `__annotations__` (a dict of gd values, or of source
texts under `from __future__ import annotations`) and the program's own attributes
(`fn.calls = 0`).

Each value is a gd value (a string, a tuple of the defaults, the wrapped gd function);
nothing of the host function object is reachable: `__globals__`, `__code__`, `__closure__`
and `__dict__` stay refused as every private name is.
"""

from __future__ import annotations

from typing import Any

from gradcli.errors import GdRuntimeError
from gradcli.interp.values import private_name_error

# The private names a program may read on a gd function (and, the first five, set).
WRITABLE = frozenset(("__doc__", "__wrapped__", "__qualname__", "__module__", "__name__"))
READABLE = WRITABLE | {"__defaults__", "__kwdefaults__", "__annotations__"}


def _defaults(fn: Any) -> tuple[Any, ...] | None:
    from gradcli.interp.runstate import REQUIRED

    given = tuple(v for _, v in fn.defaults if v is not REQUIRED)
    return given or None


def _kwdefaults(fn: Any) -> dict[str, Any] | None:
    from gradcli.interp.runstate import REQUIRED

    if fn.extra is None:
        return None
    given = {n: v for n, v in fn.extra[1] if v is not REQUIRED}
    return given or None


def get(fn: Any, name: str) -> Any:
    """fn.name for a gd function (a def or a lambda)."""
    attrs = fn.attrs
    if attrs is not None and name in attrs:
        return attrs[name]
    if name == "__doc__":
        return None
    if name == "__name__":
        return fn.name.rsplit(".", 1)[-1]
    if name == "__qualname__":
        return fn.name
    if name == "__module__":
        return "__main__"
    if name == "__defaults__":
        return _defaults(fn)
    if name == "__kwdefaults__":
        return _kwdefaults(fn)
    if name == "__annotations__":  # evaluated once, then the function's own dict
        if fn.attrs is None:
            fn.attrs = {}
        of = getattr(fn, "annotation_dict", None)
        found = fn.attrs["__annotations__"] = {} if of is None else of()
        return found
    if name.startswith("_"):
        raise private_name_error(name)
    raise GdRuntimeError(f"'function' object has no attribute '{name}'",
                         py_type="AttributeError")


def set_(fn: Any, name: str, value: Any) -> None:
    """fn.name = value for a gd function: its own attributes, and the names in WRITABLE."""
    if name.startswith("_") and name not in WRITABLE:
        raise private_name_error(name)
    if name in ("__name__", "__qualname__") and type(value) is not str:
        raise GdRuntimeError(f"{name} must be set to a string object", py_type="TypeError")
    if fn.attrs is None:
        fn.attrs = {}
    if name == "__name__":  # fn.name is the qualified name messages use
        fn.attrs.setdefault("__qualname__", fn.name)
        fn.name = value
        return
    fn.attrs[name] = value


def copy_wrapped(wrapper: Any, wrapped: Any) -> None:
    """functools.wraps(wrapped)(wrapper): Python's WRAPPER_ASSIGNMENTS copied from a gd
    function (its name, qualified name, docstring, module), its own attributes merged
    (WRAPPER_UPDATES), then wrapper.__wrapped__ = wrapped."""
    from gradcli.interp.runstate import GdFunction

    if type(wrapper) is not GdFunction:
        return
    if type(wrapped) is GdFunction:
        own = dict(wrapped.attrs or {})
        own.pop("__wrapped__", None)
        wrapper.attrs = {**(wrapper.attrs or {}), **own,
                         "__qualname__": get(wrapped, "__qualname__"),
                         "__doc__": get(wrapped, "__doc__"),
                         "__annotations__": get(wrapped, "__annotations__")}
        wrapper.name = wrapped.name
    else:
        name = getattr(wrapped, "name", None)
        if type(name) is str:
            wrapper.name = name
    if wrapper.attrs is None:
        wrapper.attrs = {}
    wrapper.attrs["__wrapped__"] = wrapped
