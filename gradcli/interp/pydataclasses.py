"""`from dataclasses import dataclass, field, asdict, astuple`: Python's dataclasses for
gd classes.

@dataclass reads the class body's annotated names (`lr: float = 0.1`, in order, a base
class's first) and gives the class what Python's generates: __init__ (with Python's
argument errors, `field(default_factory=...)` and __post_init__), __repr__
(`Config(lr=0.01, epochs=3)`), __eq__ (field by field, within the class; it leaves the
class unhashable unless frozen) and with order=True the four orderings. The methods are
NativeFunctions: host callables a gd program sees only as functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.ad.identity import at
from gradcli.errors import GdRuntimeError
from gradcli.interp import exceptions, pymethods
from gradcli.interp.classes import ClassValue, InstanceValue
from gradcli.interp.values import Builtin, Decorator, FunctionBase, Namespace, to_repr

_MISSING = object()
_FIELDS = "__dataclass_fields__"


class NativeFunction(FunctionBase):
    """A method made in Python (a dataclass's __init__, __repr__, ...), called as a gd
    function is."""

    __slots__ = ("fn", "name")

    def __init__(self, name: str, fn: Callable[..., Any]) -> None:
        self.name = name
        self.fn = fn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)

    def invoke(self, pos: list[Any], kw: dict[str, Any] | None) -> Any:
        """Call with a list of positional and a dict of keyword arguments."""
        return self.fn(*pos, **(kw or {}))

    def __repr__(self) -> str:
        return f"<function {self.name}{at(self)}>"


NativeFunction.__name__ = "function"


class Field:
    """What field(...) gives: a field's default or default factory, and whether the
    field shows in the repr, takes part in comparisons and is a parameter of __init__."""

    __slots__ = ("compare", "default", "factory", "init", "repr")

    def __init__(self, default: Any, factory: Any, repr: Any = True, compare: Any = True,
                 init: Any = True) -> None:
        self.default = default
        self.factory = factory
        self.repr = bool(repr)
        self.compare = bool(compare)
        self.init = bool(init)

    def __repr__(self) -> str:
        return "<dataclasses.Field object>"


def _type_error(text: str) -> GdRuntimeError:
    return GdRuntimeError(text, py_type="TypeError")


def _field(*, default: Any = _MISSING, default_factory: Any = _MISSING, init: Any = True,
           repr: Any = True, hash: Any = None, compare: Any = True,
           metadata: Any = None, kw_only: Any = _MISSING) -> Field:
    """field(*, default=..., default_factory=...): a dataclass field's default."""
    if default is not _MISSING and default_factory is not _MISSING:
        raise GdRuntimeError("cannot specify both default and default_factory",
                             py_type="ValueError")
    return Field(default, None if default_factory is _MISSING else default_factory, repr,
                 compare, init)


class FieldInfo:
    """What dataclasses.fields() lists: a field's name (its other parts stay gd's)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Field(name={self.name!r})"


FieldInfo.__name__ = "Field"
pymethods.METHODS[FieldInfo] = {}
pymethods.DATA[FieldInfo] = frozenset({"name"})
#: dataclasses.FrozenInstanceError, an AttributeError.
FROZEN_ERROR = exceptions.ExceptionClass("FrozenInstanceError",
                                         exceptions.CLASSES["AttributeError"])
_FLAGS = "__dataclass_flags__"  # name -> (in the repr, compared, an __init__ parameter)


def _fields_of(cls: ClassValue) -> list[tuple[str, Any, Any]]:
    """(name, default or _MISSING, factory or None) of each field, a base's first."""
    found: dict[str, tuple[Any, Any]] = {}
    flags: dict[str, tuple[bool, bool, bool]] = {}
    for c in reversed(cls.chain):
        known = c.attrs.get(_FIELDS)
        if known is not None:  # a dataclass: its fields as @dataclass found them
            found.update((n, (d, f)) for n, d, f in known)
            flags.update(c.attrs.get(_FLAGS, {}))
            continue
        for name in c.annotated:
            raw = c.attrs.get(name, _MISSING)
            if type(raw) is Field:
                found[name] = (raw.default, raw.factory)
                flags[name] = (raw.repr, raw.compare, raw.init)
            else:
                found[name] = (raw, None)
                flags[name] = (True, True, True)
    cls.attrs[_FLAGS] = flags
    fields = [(name, default, factory) for name, (default, factory) in found.items()]
    seen_default = False
    for name, default, factory in fields:
        if not flags[name][2]:
            pass  # not a parameter of __init__: no order to keep
        elif default is _MISSING and factory is None:
            if seen_default:
                raise _type_error(f"non-default argument '{name}' follows default argument")
        else:
            seen_default = True
        if type(default) in (list, dict, set):
            raise GdRuntimeError(f"mutable default <class '{type(default).__name__}'> for "
                                 f"field {name} is not allowed: use default_factory",
                                 py_type="ValueError")
    return fields


def _process(cls: Any, init: Any, repr_: Any, eq: Any, order: Any, frozen: Any) -> Any:
    if not isinstance(cls, ClassValue):
        raise _type_error("dataclass() should be called on a class")
    fields = _fields_of(cls)
    cls.attrs[_FIELDS] = fields  # a dunder name: out of the program's reach
    names = [n for n, _, _ in fields]
    for name, default, _ in fields:  # a field(...) leaves its default as the value
        if type(cls.attrs.get(name)) is Field:
            if default is _MISSING:
                del cls.attrs[name]
            else:
                cls.attrs[name] = default
    qual = cls.name

    flags = cls.attrs[_FLAGS]
    shown = [n for n in names if flags[n][0]]
    compared = [n for n in names if flags[n][1]]
    params = [f for f in fields if flags[f[0]][2]]  # __init__'s, in order
    param_names = [n for n, _, _ in params]

    def values(obj: Any) -> tuple[Any, ...]:
        return tuple(obj.get_attr(n) for n in compared)

    def init_fn(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(params):
            least = 1 + sum(1 for _, d, fac in params if d is _MISSING and fac is None)
            takes = str(least) if least == len(params) + 1 else \
                f"from {least} to {len(params) + 1}"
            raise _type_error(f"{qual}.__init__() takes {takes} positional "
                              f"argument{'s' if params else ''} but {len(args) + 1} were "
                              "given")
        given = dict(zip(param_names, args, strict=False))
        for k, v in kwargs.items():
            if k not in param_names:
                raise _type_error(f"{qual}.__init__() got an unexpected keyword argument "
                                  f"'{k}'")
            if k in given:
                raise _type_error(f"{qual}.__init__() got multiple values for argument '{k}'")
            given[k] = v
        missing = [f"'{n}'" for n, d, fac in params
                   if n not in given and d is _MISSING and fac is None]
        if missing:
            shown = missing[0] if len(missing) == 1 else (
                ", ".join(missing[:-1]) + (" and " if len(missing) == 2 else ", and ")
                + missing[-1])
            raise _type_error(f"{qual}.__init__() missing {len(missing)} required positional "
                              f"argument{'s' if len(missing) != 1 else ''}: {shown}")
        for n, d, fac in fields:
            if n in given:
                self.attrs[n] = given[n]
            elif fac is not None:
                self.attrs[n] = fac()
            elif d is not _MISSING:  # (a field out of __init__ with no default: unset)
                self.attrs[n] = d
        post = self._dunder("__post_init__")
        if post is not None:
            post(self)

    def repr_fn(self: Any) -> str:
        return f"{self.cls.name}(" + ", ".join(
            f"{n}={to_repr(self.get_attr(n))}" for n in shown) + ")"

    def compare(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        def fn(self: Any, other: Any) -> Any:
            if not isinstance(other, InstanceValue) or other.cls is not self.cls:
                return NotImplemented
            return op(values(self), values(other))

        return fn

    def set_method(name: str, fn: Callable[..., Any]) -> None:
        if name not in cls.attrs:
            cls.attrs[name] = NativeFunction(f"{qual}.{name}", fn)

    if init:
        set_method("__init__", init_fn)
    if repr_:
        set_method("__repr__", repr_fn)
    if eq:
        set_method("__eq__", compare(lambda a, b: a == b))
        if "__hash__" not in cls.attrs or cls.attrs["__hash__"] is None:
            if frozen:
                cls.attrs["__hash__"] = NativeFunction(f"{qual}.__hash__",
                                                       lambda self: hash(values(self)))
            else:
                cls.attrs["__hash__"] = None
    if order:
        for name, op in (("__lt__", lambda a, b: a < b), ("__le__", lambda a, b: a <= b),
                         ("__gt__", lambda a, b: a > b), ("__ge__", lambda a, b: a >= b)):
            set_method(name, compare(op))
    if frozen:  # assignments go through these hooks (attributes.set_attribute)
        def frozen_set(self: Any, name: Any, value: Any) -> None:
            raise exceptions.ExceptionValue(FROZEN_ERROR, (
                f"cannot assign to field {to_repr(name)}",)).raised(None)

        def frozen_del(self: Any, name: Any) -> None:
            raise exceptions.ExceptionValue(FROZEN_ERROR, (
                f"cannot delete field {to_repr(name)}",)).raised(None)

        cls.attrs["__setattr__"] = NativeFunction(f"{qual}.__setattr__", frozen_set)
        cls.attrs["__delattr__"] = NativeFunction(f"{qual}.__delattr__", frozen_del)
        cls.attr_hooks = True
    return cls


def _dataclass(cls: Any = None, *, init: Any = True, repr: Any = True,
               eq: Any = True, order: Any = False, unsafe_hash: Any = False,
               frozen: Any = False, **_more: Any) -> Any:
    """@dataclass or @dataclass(init=True, repr=True, eq=True, order=False, frozen=False)."""
    if cls is None:
        return Decorator("dataclass", lambda c: _process(c, init, repr, eq, order, frozen))
    return _process(cls, init, repr, eq, order, frozen)


def _instance(obj: Any, what: str) -> list[str]:
    fields = obj.cls.find(_FIELDS) if isinstance(obj, InstanceValue) else None
    if not isinstance(fields, list):
        raise _type_error(f"{what}() should be called on dataclass instances")
    return [n for n, _, _ in fields]


def _replace(obj: Any, /, **changes: Any) -> Any:
    """dataclasses.replace(instance, **changes): a new instance, its fields from obj
    except the changed ones (through the class's __init__ and __post_init__)."""
    names = _instance(obj, "replace")
    flags = obj.cls.find(_FLAGS)
    params = []
    for n in names:
        if flags[n][2]:
            params.append(n)
        elif n in changes:
            raise GdRuntimeError(f"field {n} is declared with init=False, it cannot be "
                                 "specified with replace()", py_type="ValueError")
    return obj.cls(**{n: changes.pop(n) if n in changes else obj.get_attr(n) for n in params},
                   **changes)


def _fields(obj: Any) -> tuple[FieldInfo, ...]:
    """dataclasses.fields(instance or class): its fields (each with its name)."""
    cls = obj if isinstance(obj, ClassValue) else getattr(obj, "cls", None)
    found = cls.find(_FIELDS) if isinstance(cls, ClassValue) else None
    if not isinstance(found, list):
        raise _type_error("must be called with a dataclass type or instance")
    return tuple(FieldInfo(n) for n, _, _ in found)


def _is_dataclass(obj: Any) -> bool:
    """dataclasses.is_dataclass(instance or class)."""
    cls = obj if isinstance(obj, ClassValue) else getattr(obj, "cls", None)
    return isinstance(cls, ClassValue) and isinstance(cls.find(_FIELDS), list)


def _asdict(obj: Any) -> dict[str, Any]:
    """asdict(instance): its fields as a dict (nested dataclasses too)."""
    return {n: _plain(obj.get_attr(n), _asdict) for n in _instance(obj, "asdict")}


def _astuple(obj: Any) -> tuple[Any, ...]:
    """astuple(instance): its fields as a tuple (nested dataclasses too)."""
    return tuple(_plain(obj.get_attr(n), _astuple) for n in _instance(obj, "astuple"))


def _plain(v: Any, convert: Callable[[Any], Any]) -> Any:
    if isinstance(v, InstanceValue) and isinstance(v.cls.find(_FIELDS), list):
        return convert(v)
    if type(v) in (list, tuple):
        return type(v)(_plain(x, convert) for x in v)
    if type(v) is dict:
        return {k: _plain(x, convert) for k, x in v.items()}
    return v


def namespace() -> Namespace:
    """The `dataclasses` module."""
    return Namespace("dataclasses", {
        "dataclass": Decorator("dataclasses.dataclass", _dataclass,
                               "@dataclass / @dataclass(...): Python's dataclass methods"),
        "field": Builtin("dataclasses.field", _field),
        "asdict": Builtin("dataclasses.asdict", _asdict),
        "astuple": Builtin("dataclasses.astuple", _astuple),
        "replace": Builtin("dataclasses.replace", _replace),
        "fields": Builtin("dataclasses.fields", _fields),
        "is_dataclass": Builtin("dataclasses.is_dataclass", _is_dataclass),
        "FrozenInstanceError": FROZEN_ERROR})
