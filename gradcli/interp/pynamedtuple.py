"""`collections.namedtuple` and `typing.NamedTuple` in gd.

`Transition = namedtuple("Transition", ("state", "action", "reward"))` (or a class
deriving from typing.NamedTuple with annotated fields) makes a NamedTupleClass; its
instances are tuples (a host tuple subclass per class, holding gd values only), so they
index, unpack, compare, hash and go into torch.tensor as tuples do, and print as Python's
(`Transition(state=..., action=1, reward=0.5)`). Fields read as attributes; `_asdict`,
`_replace`, `_fields`, `_make`, `count` and `index` are there. Nothing else of the host
tuple is reachable: attribute access goes through `gd_attribute` only."""

from __future__ import annotations

import keyword
from typing import Any

from gradcli.errors import GdRuntimeError
from gradcli.interp.values import BoundMethod, Builtin, FunctionBase, GdObject, type_name
from gradcli.source import Span

_MISSING = object()


def _error(message: str, py_type: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type=py_type)


class NamedTupleValue(tuple):  # type: ignore[type-arg]
    """Base of the host classes of named tuples (one per NamedTupleClass)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    gd_class: NamedTupleClass
    gd_private_names = frozenset({"_fields", "_asdict", "_replace", "_field_defaults"})

    @staticmethod
    def gd_attribute(obj: NamedTupleValue, name: str) -> Any:
        cls = type(obj).gd_class
        if name in cls.fields:
            return obj[cls.fields.index(name)]
        if name == "_fields":
            return cls.fields
        if name == "_field_defaults":
            return dict(cls.defaults)
        if name == "_asdict":
            return BoundMethod(obj, name, lambda o: dict(zip(cls.fields, o, strict=True)))
        if name == "_replace":
            return BoundMethod(obj, name, _replace)
        if name in ("count", "index"):
            return BoundMethod(obj, name, getattr(tuple, name))
        if name in cls.methods:  # the class body's methods, properties and attributes
            from gradcli.interp.classes import _bind

            return _bind(cls.methods[name], obj, cls)
        raise _error(f"'{cls.name}' object has no attribute '{name}'", "AttributeError")


def _replace(obj: NamedTupleValue, **changes: Any) -> NamedTupleValue:
    cls = type(obj).gd_class
    unknown = [k for k in changes if k not in cls.fields]
    if unknown:
        raise _error(f"Got unexpected field names: {unknown!r}", "ValueError")
    return cls.host(tuple(changes.get(f, v) for f, v in zip(cls.fields, obj, strict=True)))


class NamedTupleClass(Builtin, GdObject):
    """A named tuple class: called with its fields, it makes an instance (a Builtin, so
    gd calls it as it calls any built-in; a GdObject, so its attributes are its own)."""

    __slots__ = ("defaults", "fields", "host", "methods", "module")
    is_class = True

    def __init__(self, name: str, fields: tuple[str, ...], defaults: dict[str, Any],
                 methods: dict[str, Any] | None = None, module: Any = "__main__") -> None:
        super().__init__(name, self._make_instance, f"{name}({', '.join(fields)})")
        self.fields = fields
        self.defaults = defaults
        # The class body's own names besides the fields: methods, @property,
        # @staticmethod, @classmethod, class attributes (instances reach them).
        self.methods = methods or {}
        self.module = module  # __module__: where the class says it was made
        self.host = type(name, (NamedTupleValue,), {"__slots__": (), "_fields": fields,
                                                    "gd_class": self})

    def gd_repr(self) -> str:
        if type(self.module) is not str:  # Python's type repr then leaves it out
            return f"<class '{self.name}'>"
        return f"<class '{self.module}.{self.name}'>"

    def __repr__(self) -> str:
        return self.gd_repr()

    def type_label(self) -> str:
        return "type"

    def get_attr(self, name: str) -> Any:
        if name in ("__name__", "__qualname__"):
            return self.name
        if name == "__module__":
            return self.module
        if name == "_fields":
            return self.fields
        if name == "_field_defaults":
            return dict(self.defaults)
        if name == "_make":
            return Builtin(f"{self.name}._make", lambda iterable: self.host(tuple(iterable)))
        if name in self.methods and not name.startswith("__"):
            from gradcli.interp.classes import ClassMethod, StaticMethod

            raw = self.methods[name]
            if type(raw) is StaticMethod:
                return raw.fn
            if type(raw) is ClassMethod:
                return BoundMethod(self, name, raw.fn)
            return raw
        raise _error(f"type object '{self.name}' has no attribute '{name}'", "AttributeError")

    def instance_check(self, x: Any) -> bool:
        return isinstance(x, self.host)

    def subclass(self, name: str, bases: list[Any], attrs: dict[str, Any], span: Span,
                 annotated: tuple[str, ...]) -> NamedTupleClass:
        """`class Point(namedtuple('Point', 'x y')): ...`: the same fields, the body's
        methods (and the base's) added."""
        if len(bases) != 1:
            raise GdRuntimeError("a class deriving from a named tuple class has no other "
                                 "base in gd", span)
        methods = _methods_of(attrs, (), span)
        made = NamedTupleClass(name, self.fields, self.defaults, {**self.methods, **methods})
        return made

    def _make_instance(self, *args: Any, **kwargs: Any) -> NamedTupleValue:
        fields = self.fields
        where = f"{self.name}.__new__()"
        if len(args) > len(fields):
            raise _error(f"{where} takes {len(fields) + 1} positional arguments but "
                         f"{len(args) + 1} were given", "TypeError")
        values = dict(zip(fields, args, strict=False))
        for k, v in kwargs.items():
            if k not in fields:
                raise _error(f"{where} got an unexpected keyword argument '{k}'", "TypeError")
            if k in values:
                raise _error(f"{where} got multiple values for argument '{k}'", "TypeError")
            values[k] = v
        missing = [f for f in fields if f not in values and f not in self.defaults]
        if missing:
            s = "s" if len(missing) > 1 else ""
            shown = " and ".join(f"'{m}'" for m in missing) if len(missing) <= 2 else \
                ", ".join(f"'{m}'" for m in missing[:-1]) + f", and '{missing[-1]}'"
            raise _error(f"{where} missing {len(missing)} required positional argument{s}: "
                         f"{shown}", "TypeError")
        return self.host(tuple(values.get(f, self.defaults.get(f)) for f in fields))


def _field_names(names: Any) -> tuple[str, ...]:
    if type(names) is str:
        names = names.replace(",", " ").split()
    if type(names) not in (list, tuple) or not all(type(n) is str for n in names):
        raise _error("namedtuple field names must be strings in gd", "TypeError")
    return tuple(names)


def _check_names(typename: str, fields: tuple[str, ...]) -> None:
    for name in (typename, *fields):
        if not name.isidentifier() or keyword.iskeyword(name):
            raise _error(f"Type names and field names must be valid identifiers: {name!r}"
                         if not keyword.iskeyword(name) else
                         f"Type names and field names cannot be a keyword: {name!r}",
                         "ValueError")
    seen: set[str] = set()
    for name in fields:
        if name.startswith("_"):
            raise _error(f"Field names cannot start with an underscore: {name!r}",
                         "ValueError")
        if name in seen:
            raise _error(f"Encountered duplicate field name: {name!r}", "ValueError")
        seen.add(name)


def namedtuple(typename: Any, field_names: Any, *, rename: Any = False, defaults: Any = None,
               module: Any = None) -> NamedTupleClass:
    """collections.namedtuple(typename, field_names, *, defaults=None)."""
    if type(typename) is not str:
        raise _error(f"namedtuple() typename must be a string, not {type_name(typename)}",
                     "TypeError")
    fields = _field_names(field_names)
    _check_names(typename, fields)
    given = tuple(defaults) if defaults is not None else ()
    if len(given) > len(fields):
        raise _error("Got more default values than field names", "TypeError")
    return NamedTupleClass(typename, fields,
                           dict(zip(fields[len(fields) - len(given):], given, strict=True)),
                           module="__main__" if module is None else module)


class NamedTupleBase(Builtin):
    """typing.NamedTuple: a base whose class statement makes a named tuple class of the
    body's annotated names (`x: int`, `y: float = 0.0`)."""

    __slots__ = ()

    def subclass(self, name: str, bases: list[Any], attrs: dict[str, Any], span: Span,
                 annotated: tuple[str, ...]) -> NamedTupleClass:
        if len(bases) != 1:
            raise GdRuntimeError("a NamedTuple class derives from NamedTuple only in gd", span)
        methods = _methods_of(attrs, annotated, span)
        defaults: dict[str, Any] = {}
        for field in annotated:
            v = attrs.get(field, _MISSING)
            if v is not _MISSING:
                defaults[field] = v
            elif defaults:
                raise GdRuntimeError(f"Non-default namedtuple field {field} cannot follow "
                                     f"default field{'s' if len(defaults) > 1 else ''} "
                                     + " ".join(defaults), span, py_type="TypeError")
        _check_names(name, annotated)
        return NamedTupleClass(name, annotated, defaults, methods)


def _methods_of(attrs: dict[str, Any], fields: tuple[str, ...], span: Span) -> dict[str, Any]:
    """A named tuple class body's names that are not fields: its methods and attributes
    (Python's protocol methods of a tuple are its own in gd: defining one is refused)."""
    out = {}
    for key, v in attrs.items():
        if key in fields:
            continue
        if key.startswith("__") and key.endswith("__"):
            if isinstance(v, FunctionBase):
                raise GdRuntimeError(f"defining '{key}' in a named tuple class is not "
                                     "supported in gd", span)
            continue  # __doc__, __slots__ and the like
        out[key] = v
    return out


def _functional_named_tuple(*args: Any, **kwargs: Any) -> Any:
    raise _error("NamedTuple('Name', [...]) (the functional form) is not supported in gd: "
                 "use collections.namedtuple", "TypeError")


NAMED_TUPLE = NamedTupleBase("typing.NamedTuple", _functional_named_tuple,
                             "typing.NamedTuple: a base for a named tuple class")
NAMEDTUPLE = Builtin("collections.namedtuple", namedtuple,
                     "collections.namedtuple(typename, field_names, *, defaults=None)")
