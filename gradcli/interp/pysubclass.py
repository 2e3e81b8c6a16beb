"""gd classes deriving from Python's containers: `class Config(dict)`, `class History(list)`,
`class Tags(set)`, `class Pair(tuple)`.

An instance is a host dict (list, set, tuple) of a subclass made for it, so Python's own
machinery (len, iteration, `in`, indexing, ==, `{**cfg}`, json, the gd built-ins) sees the
container, and it is also an InstanceValue: its gd attributes and methods come first. A
protocol method the gd class defines wins over the container's (`__getitem__`,
`__setitem__`, `__len__`, ...); dict's `__missing__` is called for a missing key, as
Python's dict does; `super().__init__(...)`, `super().__getitem__(k)` and the container's
allow-listed methods (`append`, `get`, `update`, ...) reach the container. Nothing of the
host type is reachable: attribute lookup goes through InstanceValue.get_attr, which hands
out only pymethods' allow-listed methods and the protocol methods below.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from typing import Any

from gradcli.errors import GdRuntimeError
from gradcli.interp import limits, pymethods
from gradcli.interp.classes import InstanceValue
from gradcli.interp.nn_state import StateDict, ordered_dict
from gradcli.interp.values import BoundMethod

# A class statement's base (the Builtin's name) that makes its instances containers;
# collections' dicts too (an OrderedDict is gd's StateDict, state_dict()'s class).
HOST_BASES: dict[str, type] = {"dict": dict, "list": list, "set": set, "tuple": tuple,
                               "collections.OrderedDict": StateDict,
                               "collections.defaultdict": collections.defaultdict,
                               "collections.Counter": collections.Counter}

# The container protocol methods a gd class may override; where it does not, the
# container's own method runs (where the host type has it).
_HOST_DUNDERS = (
    "__getitem__", "__setitem__", "__delitem__", "__len__", "__iter__", "__contains__",
    "__reversed__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__",
    "__add__", "__radd__", "__iadd__", "__mul__", "__rmul__", "__imul__", "__or__",
    "__ror__", "__ior__", "__and__", "__rand__", "__iand__", "__sub__", "__rsub__",
    "__isub__", "__xor__", "__rxor__", "__ixor__")

# What `super().__name__` reaches on the container (the dunders above, and these).
_SUPER_DUNDERS = frozenset((*_HOST_DUNDERS, "__init__", "__repr__", "__str__", "__hash__"))


def _error(message: str, py_type: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type=py_type)


def _either(name: str, host: type) -> Callable[..., Any]:
    """The host method `name` of an instance: the gd class's own, else the container's."""
    gd = getattr(InstanceValue, name, None)
    native = getattr(host, name)

    def method(self: Any, *args: Any) -> Any:
        if gd is not None and self._dunder(name) is not None:
            return gd(self, *args)
        if name in _GROWING:  # within the size caps, as gd's own + and * are
            _check_size(name, self, args[0])
        return native(self, *args)

    method.__name__ = name
    return method


_GROWING = frozenset(("__add__", "__radd__", "__iadd__", "__mul__", "__rmul__", "__imul__"))


def _check_size(name: str, inst: Any, other: Any) -> None:
    n = len(inst)
    if name in ("__mul__", "__rmul__", "__imul__"):
        if type(other) is int:
            limits.check_length(n * other)
    elif isinstance(other, (list, tuple, str, dict, set)):
        limits.check_length(n + len(other))
    else:  # list += iterable: its length first (a lazy iterator runs step by step)
        limits.bounded(other, "list +=")


def _fill(host: type, inst: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """The container's __init__(*args, **kwargs) on inst, through gd's own dict()/list()/
    set() (their checks and size caps)."""
    from gradcli.interp import pybuiltins

    if host is dict:
        dict.update(inst, pybuiltins.PYTHON_BUILTINS["dict"](*args, **kwargs))
        return
    if host is StateDict:  # OrderedDict.__init__ sets each item through self[key] = value
        for key, value in ordered_dict(*args, **kwargs).items():
            inst[key] = value
        return
    if host is collections.defaultdict:
        factory, rest = (args[0], args[1:]) if args else (None, ())
        if factory is not None and not callable(factory):
            raise _error("first argument must be callable or None", "TypeError")
        inst.default_factory = factory  # type: ignore[attr-defined]
        dict.update(inst, pybuiltins.PYTHON_BUILTINS["dict"](*rest, **kwargs))
        return
    if host is collections.Counter:  # Counter.update: counts of an iterable, or a mapping
        if len(args) > 1:
            raise _error(f"expected at most 1 argument, got {len(args)}", "TypeError")
        collections.Counter.update(inst, *(limits.bounded(a, "Counter()") for a in args),
                                   **kwargs)
        return
    if kwargs:
        raise _error(f"{host.__name__}() takes no keyword arguments", "TypeError")
    if len(args) > 1:
        raise _error(f"{host.__name__} expected at most 1 argument, got {len(args)}",
                     "TypeError")
    if host is list:
        list.clear(inst)
        list.extend(inst, pybuiltins.PYTHON_BUILTINS["list"](*args))
    elif host is set:
        set.clear(inst)
        set.update(inst, pybuiltins.PYTHON_BUILTINS["set"](*args))
    # tuple: its items are fixed when the instance is made (make_instance)


class HostInstance(InstanceValue):
    """An instance of a gd class deriving from a container (the per-type subclasses below
    add the container as a base)."""

    host: type = object

    def __hash__(self) -> int:
        if self.cls.find("__hash__") is not _missing():
            return InstanceValue.__hash__(self)
        if self.host.__hash__ is None:  # type: ignore[comparison-overlap]
            raise _error(f"unhashable type: '{self.cls.name}'", "TypeError")
        return self.host.__hash__(self)

    def __bool__(self) -> bool:
        if self._dunder("__bool__") is not None or self._dunder("__len__") is not None:
            return InstanceValue.__bool__(self)
        return self.host.__len__(self) != 0

    def __missing__(self, key: Any) -> Any:
        fn = self._dunder("__missing__")
        if fn is None:
            native = getattr(self.host, "__missing__", None)  # defaultdict's, Counter's
            if native is None:
                raise KeyError(key)
            return native(self, key)
        return fn(self, key)

    def host_repr(self) -> str:
        """repr() of the container itself (a class without __repr__ prints as its base;
        collections' classes name the class, as Python 3.11's reprs do)."""
        from gradcli.interp.values import to_repr

        host, name = self.host, self.cls.name
        if host is StateDict:
            items = list(collections.OrderedDict.items(self))  # its own order (move_to_end)
            return f"{name}({to_repr(items)})" if items else f"{name}()"
        if host is collections.defaultdict:
            return (f"{name}({to_repr(self.default_factory)}, "  # type: ignore[attr-defined]
                    f"{to_repr(dict(dict.items(self)))})")
        if host is collections.Counter:
            counts = dict(collections.Counter.most_common(self))  # type: ignore[arg-type]
            return f"{name}({to_repr(counts)})" if counts else f"{name}()"
        return to_repr(self.host(self))

    def host_attribute(self, name: str) -> Any:
        """The container's method `name` bound to this instance (allow-listed), or None."""
        fn = pymethods.METHODS[self.host].get(name)
        if fn is not None:
            return BoundMethod(self, name, fn)
        return None

    def super_attribute(self, name: str) -> Any:
        """What `super().name` reaches at the end of the gd classes: the container's."""
        found = self.host_attribute(name)
        if found is not None or name not in _SUPER_DUNDERS:
            return found
        host, inst = self.host, self
        if name == "__init__":
            return BoundMethod(self, name, lambda _s, *a, **k: _fill(host, inst, a, k))
        if name in ("__repr__", "__str__"):
            return BoundMethod(self, name, lambda _s: HostInstance.host_repr(inst))
        native = getattr(host, name, None)
        if native is None:
            return None
        return BoundMethod(self, name, native)


def _missing() -> Any:
    from gradcli.interp.classes import _MISSING

    return _MISSING


def _instance_root(host: type) -> type:
    # (__hash__ again: a class body defining __eq__ would set it to None)
    body: dict[str, Any] = {"host": host, "__hash__": HostInstance.__hash__}
    for name in _HOST_DUNDERS:
        if hasattr(host, name):
            body[name] = _either(name, host)
    return type(host.__name__, (HostInstance, host), body)


# The instance root of each container type (a gd class's instance type derives from it).
ROOTS: dict[type, type] = {host: _instance_root(host) for host in HOST_BASES.values()}


def make_instance(cls: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """A new instance of a gd class deriving from a container (before its __init__): a
    tuple's items are the call's iterable, as tuple.__new__ takes them."""
    host = cls.host
    if host is tuple:
        from gradcli.interp import pybuiltins

        items = pybuiltins.PYTHON_BUILTINS["tuple"](*args[:1]) if args else ()
        inst = tuple.__new__(cls.instance_type, items)
    else:
        inst = host.__new__(cls.instance_type)
    InstanceValue.__init__(inst, cls)
    return inst


def copy_instance(x: Any, item: Callable[[Any], Any], memo: dict[int, Any] | None) -> Any:
    """copy.copy (item: the identity) or copy.deepcopy (item: deepcopy) of an instance of a
    container's subclass, as Python's copy module makes it: a new instance (no __init__),
    its attributes, then the container's items (a dict's set through obj[key] = value)."""
    cls = x.cls
    host = cls.host
    out = (tuple.__new__(cls.instance_type, [item(v) for v in x]) if host is tuple
           else host.__new__(cls.instance_type))
    InstanceValue.__init__(out, cls)
    if memo is not None:
        memo[id(x)] = out
    if x.attrs is x:  # self.__dict__ = self
        out.attrs = out
    else:
        out.attrs.update({k: item(v) for k, v in x.attrs.items()})
    if host is list:
        list.extend(out, [item(v) for v in list.__iter__(x)])
    elif host is set:
        set.update(out, [item(v) for v in set.__iter__(x)])
    elif issubclass(host, dict):
        if host is collections.defaultdict:
            out.default_factory = x.default_factory  # type: ignore[attr-defined]
        for k, v in dict.items(x):
            out[item(k)] = item(v)
    return out
