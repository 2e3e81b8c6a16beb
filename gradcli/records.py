"""Records: the part of dataclasses gradcli uses, at a fraction of its start-up cost.

`@record` (or `@record(frozen=True, slots=True, eq=False)`) makes a class of its annotated
fields as `@dataclass` does: an __init__ taking them in order (defaults and
`field(default_factory=...)`, keyword-only fields after a `*`), repr() of the fields,
== comparing the class and then the compared fields, hash() of the same tuple when frozen
(None, unhashable, when mutable), assignment refused when frozen, slots on request;
`fields()` and `replace()` as dataclasses'. Methods the class defines itself are kept.

Why not dataclasses: importing it imports `inspect` (~6 ms), and it generates and
compiles five methods per class (~0.3 ms each class), ~20 ms of every command's start for
gradcli's ~80 record classes. Here ==, hash() and repr() are shared functions reading the
class's fields, and a class compiles its __init__ when it first builds an object.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record (dataclasses' error of that name)."""


class Field:
    """A record field: its name, annotation (a string), default, default factory, and
    whether it is compared, shown by repr() and keyword-only."""

    __slots__ = ("compare", "default", "default_factory", "kw_only", "name", "repr", "type")

    def __init__(self, default: Any = MISSING, default_factory: Any = MISSING,
                 compare: bool = True, repr: bool = True, kw_only: bool = False) -> None:
        self.name, self.type = "", ""
        self.default, self.default_factory = default, default_factory
        self.compare, self.repr, self.kw_only = compare, repr, kw_only

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, type={self.type!r})"


def field(*, default: Any = MISSING, default_factory: Callable[[], Any] | Any = MISSING,
          compare: bool = True, repr: bool = True, kw_only: bool = False) -> Any:
    """A field's options, as dataclasses.field's."""
    return Field(default, default_factory, compare, repr, kw_only)


def fields(record_or_class: Any) -> tuple[Field, ...]:
    """A record's fields (or a record class's), in order."""
    cls = record_or_class if isinstance(record_or_class, type) else type(record_or_class)
    found: tuple[Field, ...] = cls._record_fields
    return found


def replace(obj: T, **changes: Any) -> T:
    """A copy of a record with some fields changed (dataclasses.replace)."""
    values = {f.name: getattr(obj, f.name) for f in fields(obj)}
    values.update(changes)
    return type(obj)(**values)


def record(cls: type[T] | None = None, /, *, frozen: bool = False, slots: bool = False,
           eq: bool = True) -> Any:
    """Make a record class of `cls` (see the module's docstring)."""

    def make(cls: type[T]) -> type[T]:
        return _make(cls, frozen, slots, eq)

    return make if cls is None else make(cls)


def _make(cls: Any, frozen: bool, slots: bool, eq: bool) -> Any:
    body = dict(vars(cls))
    # Fields come from the class's own annotations (read from its namespace: `inspect`
    # is slow to import), after those of record base classes.
    specs = {f.name: f for base in reversed(cls.__mro__[1:])
             for f in vars(base).get("_record_fields", ())}
    own = [name for name, kind in body.get("__annotations__", {}).items()
           if not str(kind).startswith(("ClassVar", "typing.ClassVar"))]
    for name in own:
        value = body.pop(name, MISSING)
        spec = value if isinstance(value, Field) else Field(default=value)
        spec.name, spec.type = name, body["__annotations__"][name]
        specs[name] = spec
        if not slots and spec.default is not MISSING:
            body[name] = spec.default  # the class attribute, as dataclasses leave it
    if slots:
        body["__slots__"] = tuple(own)
        body.pop("__dict__", None)
        body.pop("__weakref__", None)
        cls = type(cls)(cls.__name__, cls.__bases__, body)
    else:
        for name in own:
            if name in vars(cls) and isinstance(vars(cls)[name], Field):
                delattr(cls, name)
            if name in body:
                setattr(cls, name, body[name])
    cls._record_fields = tuple(specs.values())
    cls.__match_args__ = tuple(f.name for f in cls._record_fields if not f.kw_only)
    _add(cls, body, "__init__", _first_init)
    _add(cls, body, "__repr__", _repr)
    if eq:
        compared = [f.name for f in cls._record_fields if f.compare]
        if len(compared) > 1:
            key: Any = attrgetter(*compared)  # a tuple, as dataclasses' == and hash() build
        elif compared:
            one = attrgetter(*compared)
            key = lambda obj: (one(obj),)  # noqa: E731
        else:
            key = lambda obj: ()  # noqa: E731
        cls._record_key = staticmethod(key)
        _add(cls, body, "__eq__", _eq)
        # A class that defines __eq__ alone has __hash__ None in its body: not its own.
        if "__hash__" not in body or (body["__hash__"] is None and "__eq__" in body):
            cls.__hash__ = _hash if frozen else None
    if frozen:
        _add(cls, body, "__setattr__", _frozen_setattr)
        _add(cls, body, "__delattr__", _frozen_delattr)
        _add(cls, body, "__setstate__", _frozen_setstate)
    cls._record_frozen = frozen
    return cls


def _add(cls: Any, body: dict[str, Any], name: str, value: Any) -> None:
    if name not in body:
        setattr(cls, name, value)


def _repr(self: Any) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in self._record_fields
                      if f.repr)
    return f"{self.__class__.__qualname__}({shown})"


def _eq(self: Any, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    key = self._record_key
    result: bool = key(self) == key(other)
    return result


def _hash(self: Any) -> int:
    return hash(self._record_key(self))


def _frozen_setattr(self: Any, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _frozen_setstate(self: Any, state: Any) -> None:
    """copy and pickle restore a frozen record's fields past its __setattr__ (the state
    is a __dict__, or (__dict__ or None, slots) for a slotted class)."""
    for values in state if isinstance(state, tuple) else (state,):
        for name, value in (values or {}).items():
            object.__setattr__(self, name, value)


# ------------------------------------------------------------------ the __init__s


def _first_init(self: Any, *args: Any, **kwargs: Any) -> None:
    """A record class's __init__ until its first use, which compiles and installs the
    real one (a run builds objects of a few of its classes)."""
    cls = type(self)
    cls.__init__ = _compile(cls, _init_source(cls))
    cls.__init__(self, *args, **kwargs)


def _init_source(cls: Any) -> str:
    """The source of a record class's __init__, as dataclasses write it."""
    params, keywords, lines = ["self"], [], []
    for i, f in enumerate(cls._record_fields):
        default = "" if f.default is MISSING and f.default_factory is MISSING \
            else f"=_specs[{i}].default" if f.default_factory is MISSING else "=_MISSING"
        (keywords if f.kw_only else params).append(f"{f.name}{default}")
        value = f.name if f.default_factory is MISSING else \
            f"_specs[{i}].default_factory() if {f.name} is _MISSING else {f.name}"
        if not cls._record_frozen:
            lines.append(f"    self.{f.name} = {value}\n")
        elif f.name in vars(cls).get("__slots__", ()):  # its slot's own setter: faster
            lines.append(f"    _slot_{f.name}(self, {value})\n")
        else:
            lines.append(f"    _set(self, {f.name!r}, {value})\n")
    head = ", ".join(params + (["*", *keywords] if keywords else []))
    body = "".join(lines) or "    pass\n"
    return f"def __init__({head}):\n{body}"


def _compile(cls: Any, source: str) -> Any:
    """The function `source` defines (built here from field names), as a method of cls."""
    namespace = {"_specs": cls._record_fields, "_MISSING": MISSING, "_cls": cls,
                 "_set": object.__setattr__}
    namespace.update({f"_slot_{name}": vars(cls)[name].__set__
                      for name in vars(cls).get("__slots__", ())})
    exec(source, namespace)
    function = namespace["__init__"]
    function.__qualname__ = f"{cls.__qualname__}.__init__"
    return function


def positional(cls: type[T]) -> Callable[..., T]:
    """A constructor of `cls` (a frozen slotted record: an AST node, a Span) taking every
    field positionally in declaration order, keyword-only ones included, that builds
    exactly what `cls(...)` builds, about 3x faster (the parser builds ~10^5 nodes).

    A frozen class's __init__ cannot simply store its fields; this is a twin class with
    the same base and the same slots, whose plain __init__ stores the fields and then
    makes the object a `cls` (same layout, so Python allows it)."""
    twin = _POSITIONAL.get(cls)
    if twin is None:
        names = [f.name for f in fields(cls)]
        twin = type(f"_{cls.__name__}Builder", (cls.__mro__[1],), {
            "__slots__": cls.__slots__, "__setattr__": object.__setattr__,
            "__module__": cls.__module__})
        body = "".join(f"    self.{name} = {name}\n" for name in names)
        twin.__init__ = _compile(cls, f"def __init__({', '.join(['self', *names])}):\n"
                                      f"{body}    self.__class__ = _cls\n")
        _POSITIONAL[cls] = twin
    return twin  # type: ignore[no-any-return]


_POSITIONAL: dict[type, Any] = {}
