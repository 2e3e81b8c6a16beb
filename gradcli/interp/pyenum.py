"""`enum` in gd: Enum, IntEnum, StrEnum, Flag, IntFlag, auto, unique, as CPython 3.11 has
them, and the functional API (`Enum("Color", "RED GREEN")`).

`class Color(Enum):` makes an EnumClass: a gd class whose plain class attributes (not
functions, properties, static or class methods, nor dunder names) become its members,
instances of the class with `name` and `value` (`auto()` numbers them as Python does; a
repeated value makes an alias). The class iterates over its members, has a len, takes
`Color(value)` and `Color["NAME"]`, and prints as `<enum 'Color'>`; a member prints as
`Color.RED` (str) and `<Color.RED: 1>` (repr). A mixin (`class Mode(str, Enum)`,
IntEnum, StrEnum) makes members compare and hash as their values; IntEnum's also compute
as their integer (`Level.HIGH + 1`, `xs[Level.LOW]`) and print as it (str and format),
as Python 3.11's ReprEnum does. A Flag's members combine with | & ^ ~ into members made
once per value (`Perm.R|W`), test with `in` and iterate over their single-bit members.
Methods, properties and class methods of the body work on members as on any gd instance.
The members' methods are NativeFunctions (host callables a gd program sees only as
functions); nothing of the host is reachable."""

from __future__ import annotations

import operator
from typing import Any

from gradcli.errors import GdError, GdRuntimeError
from gradcli.interp import exceptions, operators
from gradcli.interp.attributes import get_attribute
from gradcli.interp.classes import _MISSING as _MISSING_CLASS_ATTR
from gradcli.interp.classes import (
    ClassMethod,
    ClassValue,
    InstanceValue,
    Property,
    StaticMethod,
    _is_dunder,
    key_error,
)
from gradcli.interp.pydataclasses import NativeFunction
from gradcli.interp.values import (
    Builtin,
    Decorator,
    FunctionBase,
    Namespace,
    to_repr,
    to_str,
    type_name,
)
from gradcli.source import Span

_MISSING = object()


def _error(message: str, py_type: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type=py_type)


class Auto:
    """What auto() gives: a member's value to be numbered when its class is made."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<enum.auto object>"


class EnumMember(InstanceValue):
    """A member: an instance of its enum class whose name and value cannot change."""

    __slots__ = ()
    has_vars = False  # its attrs are gd's bookkeeping (name, value)
    singleton = True  # copy.copy and copy.deepcopy give the member itself

    def get_attr(self, name: str) -> Any:
        try:
            return super().get_attr(name)
        except GdError as e:
            # A mixin's member has its value's methods (Mode.TRAIN.upper()).
            if self.cls.mixin is None or not exceptions.is_error(e, "AttributeError"):  # type: ignore
                raise
        return get_attribute(self.attrs["value"], name)

    def set_attr(self, name: str, value: Any) -> None:
        if name in ("name", "value"):
            raise _error(f"<enum 'Enum'> cannot set attribute '{name}'", "AttributeError")
        super().set_attr(name, value)

    def __index__(self) -> int:  # an IntEnum member indexes lists, as the int it is
        value = self.attrs["value"]
        if self.cls.mixin != "int":  # type: ignore[attr-defined]
            raise _error(f"'{self.cls.name}' object cannot be interpreted as an integer",
                         "TypeError")
        return operator.index(value)



class EnumClass(ClassValue):
    """A class deriving from Enum (see the module's doc)."""

    __slots__ = ("flag", "members", "mixin", "pseudo", "repr_enum")

    def __init__(self, name: str, bases: tuple[Any, ...], attrs: dict[str, Any],
                 mixin: str | None, repr_enum: bool, flag: bool = False) -> None:
        super().__init__(name, bases, attrs, False)
        base = bases[0] if bases else None
        root = base.instance_type if isinstance(base, ClassValue) else EnumMember
        self.instance_type = type(name, (root,), {"__slots__": ()})
        self.members: list[EnumMember] = []  # the canonical ones, in definition order
        self.mixin = mixin  # "int", "str", "float" or None
        self.repr_enum = repr_enum  # IntEnum, StrEnum: str() and format() are the value's
        self.flag = flag  # Flag, IntFlag: members combine with | & ^ ~
        self.pseudo: dict[int, EnumMember] = {}  # a flag's combinations, made once each

    def gd_repr(self) -> str:
        return f"<{'flag' if self.flag else 'enum'} '{self.name}'>"

    def get_attr(self, name: str) -> Any:
        if name == "__members__":  # name -> member, aliases included (a copy)
            return {k: v for k, v in self.attrs.items() if isinstance(v, EnumMember)}
        return super().get_attr(name)

    def subclass(self, name: str, bases: list[Any], attrs: dict[str, Any], span: Span,
                 annotated: tuple[str, ...]) -> EnumClass:
        """A class statement deriving from this one (classes.make_class asks)."""
        return _make(name, bases, attrs, span, annotated)

    def set_attr(self, name: str, value: Any) -> None:
        if isinstance(self.attrs.get(name), EnumMember):
            raise _error(f"cannot reassign member '{name}'", "AttributeError")
        super().set_attr(name, value)

    def del_attr(self, name: str) -> None:
        if isinstance(self.attrs.get(name), EnumMember):
            raise _error(f"cannot delete member '{name}'", "AttributeError")
        super().del_attr(name)

    def __iter__(self) -> Any:
        return iter(list(self.members))

    def __reversed__(self) -> Any:
        return reversed(list(self.members))

    def __len__(self) -> int:
        return len(self.members)

    def __contains__(self, item: Any) -> bool:
        return any(item is m for m in self.members)

    def __getitem__(self, name: Any) -> EnumMember:
        v = self.attrs.get(name, _MISSING) if type(name) is str else _MISSING
        if not isinstance(v, EnumMember):
            raise key_error(name)
        return v

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if len(args) != 1 or kwargs:
            raise _error(f"{self.name}() takes exactly one argument (a member's value) in gd",
                         "TypeError")
        value = args[0]
        if isinstance(value, EnumMember) and value.cls is self:
            return value
        for m in self.members:
            if _same(m.attrs["value"], value):
                return m
        if self.flag and type(value) is int:
            return _flag_value(self, value)
        raise _error(f"{to_repr(value)} is not a valid {self.name}", "ValueError")


_PLAIN = (int, float, str, bool, type(None))


def _same(a: Any, b: Any) -> bool:
    """Whether a looked-up value is a member's value: == for numbers, strings and tuples
    of them (1 == 1.0 == True, as in Python), identity for anything else."""
    if isinstance(a, _PLAIN) and isinstance(b, _PLAIN):
        return a == b
    if type(a) is tuple and type(b) is tuple and len(a) == len(b):
        return all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a is b


def _value(v: Any) -> Any:
    return v.attrs["value"] if isinstance(v, EnumMember) else v


def _is_member_value(key: str, v: Any) -> bool:
    if _is_dunder(key) or (key.startswith("_") and key.endswith("_") and len(key) > 2):
        return False
    return not isinstance(v, (FunctionBase, StaticMethod, ClassMethod, Property))


def _make(name: str, bases: list[Any], attrs: dict[str, Any], span: Span,
          annotated: tuple[str, ...]) -> EnumClass:
    mixin: str | None = None
    repr_enum = flag = False
    kept: list[Any] = []
    for base in bases:
        if isinstance(base, EnumBase):
            mixin = mixin or base.mixin
            repr_enum = repr_enum or base.repr_enum
            flag = flag or base.flag
        elif isinstance(base, EnumClass):
            if base.members:
                raise GdRuntimeError(f"<enum '{name}'> cannot extend {base.gd_repr()}", span,
                                     py_type="TypeError")
            mixin, repr_enum = mixin or base.mixin, repr_enum or base.repr_enum
            flag = flag or base.flag
            kept.append(base)
        elif isinstance(base, Builtin) and base.name in ("int", "str", "float"):
            mixin = base.name
        elif isinstance(base, Builtin) and base.name == "object":
            continue
        else:
            raise GdRuntimeError("an enum class can derive only from Enum, IntEnum, StrEnum, "
                                 "an enum class without members and int, str or float in gd",
                                 span)
    if len(kept) > 1:
        raise GdRuntimeError("multiple inheritance is not supported in gd", span)
    for key in attrs:
        if _is_dunder(key) and key not in _ENUM_DUNDERS:
            raise GdRuntimeError(f"defining '{key}' is not supported in gd enum classes", span)
    cls = EnumClass(name, tuple(kept), attrs, mixin, repr_enum, flag)
    cls.annotated = annotated
    ints: list[int] = []
    for key, v in list(attrs.items()):
        if not _is_member_value(key, v):
            continue
        if isinstance(v, Auto):
            if mixin == "str":
                v = key.lower()
            elif flag:  # the next power of two
                v = 1 << max((x.bit_length() for x in ints), default=0)
            else:
                last = next((x for x in reversed(ints)), 0)
                v = last + 1
        elif mixin is not None:
            v = _converted(v, mixin, key, span)
        if type(v) is int:
            ints.append(v)
        alias = next((m for m in cls.members if _same(m.attrs["value"], v)), None)
        if alias is not None:
            attrs[key] = alias
            continue
        member = cls.instance_type(cls)
        member.attrs.update(name=key, value=v)
        cls.members.append(member)
        attrs[key] = member
        init = cls.find("__init__")
        if isinstance(init, FunctionBase):  # Python calls it with the value (unpacked)
            init.invoke([member, *(v if type(v) is tuple else (v,))], None)  # type: ignore
    _install(cls)
    return cls


_ENUM_DUNDERS = frozenset({"__repr__", "__str__", "__format__", "__init__", "__hash__",
                           "__eq__", "__lt__", "__le__", "__gt__", "__ge__", "__bool__"})


def _converted(v: Any, mixin: str, key: str, span: Span) -> Any:
    convert = {"int": int, "str": str, "float": float}[mixin]
    if type(v) is convert:
        return v
    if mixin == "str" and type(v) is not str:
        raise GdRuntimeError(f"{to_repr(v)} is not a string", span, py_type="TypeError")
    try:
        return convert(v)
    except (TypeError, ValueError):
        raise GdRuntimeError(f"invalid literal for {mixin}() with base 10: {to_repr(v)}",
                             span, py_type="ValueError") from None


def _install(cls: EnumClass) -> None:
    """The members' methods Python's Enum (and its mixin) gives them."""
    qual = cls.name

    def put(name: str, fn: Any) -> None:
        found = cls.find(name)  # the body's own (or a base's) method stays
        if found is _MISSING_CLASS_ATTR or isinstance(found, NativeFunction):
            cls.attrs[name] = NativeFunction(f"{qual}.{name}", fn)

    def repr_fn(self: EnumMember) -> str:
        if self.attrs["name"] is None:  # a flag's empty combination
            return f"<{self.cls.name}: {to_repr(self.attrs['value'])}>"
        return f"<{self.cls.name}.{self.attrs['name']}: {to_repr(self.attrs['value'])}>"

    def str_fn(self: EnumMember) -> str:
        if self.cls.repr_enum:  # type: ignore[attr-defined]
            return to_str(self.attrs["value"])
        if self.attrs["name"] is None:
            return f"{self.cls.name}({to_repr(self.attrs['value'])})"
        return f"{self.cls.name}.{self.attrs['name']}"

    def format_fn(self: EnumMember, spec: str) -> str:
        if self.cls.repr_enum:  # type: ignore[attr-defined]
            return format(self.attrs["value"], spec)
        if not isinstance(self.cls.find("__str__"), NativeFunction):
            return format(to_str(self), spec)  # the class's own __str__, as Python's
        return format(str_fn(self), spec)

    put("__repr__", repr_fn)
    put("__str__", str_fn)
    put("__format__", format_fn)
    _install_mixin(cls, put)
    if cls.flag:
        _install_flag(cls, put)


def _install_mixin(cls: EnumClass, put: Any) -> None:
    if cls.mixin is None:
        put("__hash__", lambda self: hash(self.attrs["name"]))
        return
    put("__hash__", lambda self: hash(self.attrs["value"]))
    put("__eq__", lambda self, other: _value(self) == _value(other))
    put("__ne__", lambda self, other: _value(self) != _value(other))
    for op in ("lt", "le", "gt", "ge"):
        put(f"__{op}__", _compare(getattr(operator, op)))
    if cls.mixin in ("int", "float"):
        put("__int__", lambda self: int(self.attrs["value"]))
        put("__float__", lambda self: float(self.attrs["value"]))
        for op, key in (("add", "add"), ("sub", "sub"), ("mul", "mul"), ("truediv", "div"),
                        ("floordiv", "floor_divide"), ("mod", "remainder"), ("pow", "pow"),
                        ("and", "bitwise_and"), ("or", "bitwise_or"),
                        ("xor", "bitwise_xor")):
            fn = operators.BINARY[key]
            put(f"__{op}__", _binary(fn, reflected=False))
            put(f"__r{op}__", _binary(fn, reflected=True))
        put("__neg__", lambda self: -self.attrs["value"])
        put("__pos__", lambda self: +self.attrs["value"])
        put("__abs__", lambda self: abs(self.attrs["value"]))


def _flag_value(cls: EnumClass, value: int) -> EnumMember:
    """The member or combination of the flag class with this value (made once)."""
    for m in cls.members:
        if m.attrs["value"] == value:
            return m
    found = cls.pseudo.get(value)
    if found is not None:
        return found
    covered = 0
    names = []
    for m in cls.members:
        v = m.attrs["value"]
        if v and v & (v - 1) == 0 and value & v:  # a single-bit member in value
            names.append(m.attrs["name"])
            covered |= v
    rest = value & ~covered
    if rest or value < 0:
        if cls.mixin != "int":
            mask = _all_bits(cls)
            bits = max(value.bit_length(), mask.bit_length())
            raise _error(f"{cls.gd_repr()} invalid value {value}\n    given "
                         f"{_bin(value, bits)}\n  allowed {_bin(mask, bits)}", "ValueError")
        if value < 0:  # IntFlag: ~member inside the class's bits
            return _flag_value(cls, value & _all_bits(cls))
        names.append(str(rest))
    member = cls.instance_type(cls)
    member.attrs.update(name="|".join(names) if names else None, value=value)
    cls.pseudo[value] = member
    return member


def _bin(num: int, max_bits: int) -> str:
    """enum's own binary form of a flag value ('0b0 0111'), for its error messages."""
    ceiling = 2 ** num.bit_length()
    s = bin(num + ceiling).replace("1", "0", 1) if num >= 0 else bin(~num ^ (ceiling - 1)
                                                                   + ceiling)
    sign, digits = s[:3], s[3:]
    if len(digits) < max_bits:
        digits = (sign[-1] * max_bits + digits)[-max_bits:]
    return f"{sign} {digits}"


def _all_bits(cls: EnumClass) -> int:
    bits = 0
    for m in cls.members:
        bits |= m.attrs["value"]
    return bits


def _install_flag(cls: EnumClass, put: Any) -> None:
    """Flag and IntFlag: | & ^ ~, `in`, truth, iteration over the members set."""
    def operand(self: EnumMember, other: Any) -> Any:
        if isinstance(other, EnumMember) and other.cls is self.cls:
            return other.attrs["value"]
        if cls.mixin == "int" and type(other) in (int, bool):
            return int(other)
        return None

    def binary(op: Any) -> Any:
        def method(self: EnumMember, other: Any) -> Any:
            v = operand(self, other)
            if v is None:
                return NotImplemented
            return _flag_value(self.cls, op(self.attrs["value"], v))  # type: ignore[arg-type]
        return method

    for name, op in (("or", operator.or_), ("and", operator.and_), ("xor", operator.xor)):
        put(f"__{name}__", binary(op))
        put(f"__r{name}__", binary(op))
    put("__invert__", lambda self: _flag_value(
        self.cls, _all_bits(self.cls) & ~self.attrs["value"]))

    def contains(self: EnumMember, other: Any) -> bool:
        if not (isinstance(other, EnumMember) and other.cls is self.cls):
            raise _error(f"unsupported operand type(s) for 'in': '{type_name(other)}' and "
                         f"'{self.cls.name}'", "TypeError")
        return other.attrs["value"] & self.attrs["value"] == other.attrs["value"]

    def members(self: EnumMember) -> list[EnumMember]:
        v = self.attrs["value"]
        return [m for m in self.cls.members  # type: ignore[attr-defined]
                if m.attrs["value"] and m.attrs["value"] & (m.attrs["value"] - 1) == 0
                and v & m.attrs["value"]]

    put("__contains__", contains)
    put("__bool__", lambda self: bool(self.attrs["value"]))
    put("__iter__", lambda self: iter(members(self)))
    put("__len__", lambda self: len(members(self)))


def _functional(base: Any, value: Any, names: Any = None, *, module: Any = None,
                qualname: Any = None, start: Any = 1, boundary: Any = None,
                **options: Any) -> EnumClass:
    """Enum('Color', 'RED GREEN'), Enum('Color', ['RED', 'GREEN']),
    Enum('Color', [('RED', 1)]), Enum('Color', {'RED': 1}): a class, as a class statement
    with those members makes it."""
    if type(value) is not str:
        raise _error(f"{base.name.split('.')[1]}() (the functional API) takes the class "
                     "name as a string in gd", "TypeError")
    if type(start) is not int:
        raise _error("start must be an int", "TypeError")
    if type(names) is str:
        names = names.replace(",", " ").split()
    attrs: dict[str, Any] = {}
    if isinstance(names, dict):
        attrs.update(names)
    elif type(names) in (list, tuple):
        for i, item in enumerate(names):
            if type(item) is str:
                attrs[item] = (1 << i) if base.flag else start + i
            elif type(item) in (list, tuple) and len(item) == 2 and \
                    type(item[0]) is str:
                attrs[item[0]] = item[1]
            else:
                raise _error("names must be strings or (name, value) pairs", "TypeError")
    else:
        raise _error("names must be a string, a list, a tuple or a dict in gd", "TypeError")
    for k in attrs:
        if type(k) is not str or not k.isidentifier() or k.startswith("_"):
            raise _error(f"invalid enum member name: {to_repr(k)}", "ValueError")
    mixin = options.pop("type", None)
    if options:
        raise _error(f"unexpected keyword argument '{next(iter(options))}'", "TypeError")
    bases = [base] if mixin is None else [mixin, base]
    return _make(value, bases, attrs, None, ())  # type: ignore[arg-type]


def _compare(op: Any) -> Any:
    def fn(self: EnumMember, other: Any) -> Any:
        other = _value(other)
        if type(other) not in (int, float, str, bool):
            return NotImplemented
        try:
            return op(self.attrs["value"], other)
        except TypeError:
            return NotImplemented
    return fn


def _binary(fn: Any, reflected: bool) -> Any:
    def method(self: EnumMember, other: Any) -> Any:
        a, b = self.attrs["value"], _value(other)
        return fn(b, a) if reflected else fn(a, b)
    return method


class EnumBase(Builtin):
    """Enum, IntEnum, StrEnum: bases a class statement derives enum classes from."""

    __slots__ = ("flag", "mixin", "repr_enum")

    def __init__(self, name: str, mixin: str | None, repr_enum: bool,
                 flag: bool = False) -> None:
        super().__init__(f"enum.{name}", self._call, f"{name}: Python's enumerations")
        self.mixin = mixin
        self.repr_enum = repr_enum
        self.flag = flag

    def _call(self, *args: Any, **kwargs: Any) -> Any:
        return _functional(self, *args, **kwargs)

    def subclass(self, name: str, bases: list[Any], attrs: dict[str, Any], span: Span,
                 annotated: tuple[str, ...]) -> EnumClass:
        return _make(name, bases, attrs, span, annotated)

    def instance_check(self, x: Any) -> bool:
        if not isinstance(x, EnumMember):
            return False
        return self.mixin is None or x.cls.mixin == self.mixin  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"<enum '{self.name.split('.')[1]}'>"


def _unique(cls: Any) -> Any:
    """@unique: a ValueError if two names share a value."""
    if not isinstance(cls, EnumClass):
        raise _error("unique() should be called on an enum class", "TypeError")
    aliases = [(k, v.attrs["name"]) for k, v in cls.attrs.items()
               if isinstance(v, EnumMember) and v.attrs["name"] != k]
    if aliases:
        shown = ", ".join(f"{k} -> {n}" for k, n in aliases)
        raise _error(f"duplicate values found in {cls.gd_repr()}: {shown}", "ValueError")
    return cls


def namespaces() -> dict[str, Namespace]:
    members: dict[str, Any] = {
        "Enum": EnumBase("Enum", None, False),
        "IntEnum": EnumBase("IntEnum", "int", True),
        "StrEnum": EnumBase("StrEnum", "str", True),
        "Flag": EnumBase("Flag", None, False, flag=True),
        "IntFlag": EnumBase("IntFlag", "int", True, flag=True),
        "auto": Builtin("enum.auto", Auto, "auto(): the next value of an enum member"),
        "unique": Decorator("enum.unique", _unique, "@unique: no two members share a value"),
    }
    return {"enum": Namespace("enum", members)}
