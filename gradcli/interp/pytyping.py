"""`import typing` and `from __future__ import annotations`: the names type hints use.

gd never evaluates annotations (as Python's interpreter ignores them when running), so
these names only have to exist: a typing name prints as Python prints it (typing.List,
typing.Optional[int]) and can be subscripted (a type alias `Pair = Tuple[float, float]`);
it has no attributes and cannot be called. Nothing of the host's typing module is
reachable: the values are TypingForm records holding their printed text.
"""

from __future__ import annotations

from typing import Any

from gradcli.errors import GdRuntimeError
from gradcli.interp import pybuiltins, pynamedtuple
from gradcli.interp.values import (
    Builtin,
    Decorator,
    GdObject,
    Namespace,
    class_name,
    to_repr,
)


class TypingForm(GdObject):
    """A typing name (List, Optional[int], ...): printable and subscriptable, nothing else."""

    __slots__ = ("members", "text")

    def __init__(self, text: str, members: tuple[Any, ...] = ()) -> None:
        self.text = text
        self.members = members  # a Union's or Optional's classes, for isinstance()

    def __getitem__(self, index: Any) -> TypingForm:
        args = index if type(index) is tuple else (index,)
        shown = [f"ForwardRef({a!r})" if type(a) is str and self.text != "typing.Literal"
                 else _shown(a) for a in args]  # List["Node"]: a forward reference
        members = args if self.text in ("typing.Union", "typing.Optional") else ()
        if self.text == "typing.Union" and len(shown) == 2 and "None" in shown:
            shown.remove("None")
            return TypingForm(f"typing.Optional[{shown[0]}]", members)
        if self.text == "typing.Optional":
            members = (*args, None)
        return TypingForm(f"{self.text}[{', '.join(shown)}]", members)

    def __eq__(self, other: object) -> bool:
        return type(other) is TypingForm and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"cannot set attribute '{name}' of a typing name in gd",
                             py_type="AttributeError")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        return self.text

    @property
    def ignored_base(self) -> bool:
        """Generic[T] and Protocol as class bases change nothing at run time: a class
        statement leaves them out (classes.make_class)."""
        return self.text.startswith(("typing.Generic", "typing.Protocol"))

    def type_label(self) -> str:
        return "_SpecialForm"

    def instance_check(self, x: Any) -> bool:
        """isinstance(x, typing.Sequence): as the class it stands for (collections.abc's,
        or a built-in type for List, Dict...); a subscripted form is Python's TypeError."""
        from gradcli.interp import pyabc, pybuiltins

        name = self.text.removeprefix("typing.")
        if self.members:  # Union[int, str], Optional[int]: any of its classes, in order
            return any(x is None if m is None else pybuiltins.isinstance_of(x, m)
                       for m in self.members)
        if name == "Any":
            raise GdRuntimeError("typing.Any cannot be used with isinstance()",
                                 py_type="TypeError")
        if "[" in name:
            raise GdRuntimeError("Subscripted generics cannot be used with class and "
                                 "instance checks", py_type="TypeError")
        if name in _BUILTIN_ALIASES:
            return pybuiltins.instance_check(_BUILTIN_ALIASES[name], x)
        abc = _ABC_ALIASES.get(name, name)
        if abc in pyabc.ABC_NAMES:
            return pyabc.abstract_class("collections.abc", abc).instance_check(x)
        raise GdRuntimeError(f"{self.text} cannot be used with isinstance() in gd",
                             py_type="TypeError")


def union(a: Any, b: Any) -> TypingForm | None:
    """`int | str`, `torch.Tensor | None` (types.UnionType): a form isinstance() checks
    against each member; None when a or b is no class (`|` is then Python's own)."""
    from gradcli.interp.pyreflect import is_class

    def member(v: Any) -> bool:
        return v is None or is_class(v) or (type(v) is TypingForm and bool(v.members))

    if not (member(a) and member(b)) or (a is None and b is None):
        return None
    parts = [m for v in (a, b) for m in (v.members if type(v) is TypingForm else (v,))]
    return TypingForm(" | ".join(_shown(m) for m in parts), tuple(parts))


def _shown(arg: Any) -> str:
    """How typing prints one argument of a subscript: classes by name, None as None."""
    if arg is None:
        return "None"
    if arg is Ellipsis:  # Tuple[int, ...]
        return "..."
    if type(arg) is TypingForm:
        return arg.text
    if type(arg) is list:  # Callable[[int], float]
        return "[" + ", ".join(_shown(a) for a in arg) + "]"
    if isinstance(arg, Builtin) and arg.name.startswith("torch."):
        return arg.name
    shown = to_repr(arg)  # a class by its module and qualified name, as typing prints it
    if shown.startswith("<class '") and shown.endswith("'>"):
        return shown[len("<class '"):-2]
    name = class_name(arg)
    return name if name is not None else repr(arg)


# typing's aliases of built-in classes and of collections.abc's under another name.
_BUILTIN_ALIASES = {"List": "list", "Dict": "dict", "Tuple": "tuple", "Set": "set",
                    "FrozenSet": "frozenset", "Type": "type", "Deque": "collections.deque",
                    "DefaultDict": "collections.defaultdict",
                    "OrderedDict": "collections.OrderedDict", "Counter": "collections.Counter"}
_ABC_ALIASES = {"AbstractSet": "Set"}

_FORMS = ("Any", "Callable", "ClassVar", "Dict", "Final", "FrozenSet", "Generator",
          "Iterable", "Iterator", "List", "Literal", "Mapping", "MutableMapping", "Optional",
          "Sequence", "Set", "Tuple", "Type", "Union", "Generic", "Protocol", "Deque",
          "DefaultDict", "NoReturn", "Hashable", "Sized", "Collection", "Container",
          "AbstractSet", "MutableSequence", "Reversible", "Annotated", "TypeAlias",
          "Counter", "OrderedDict", "ChainMap", "Awaitable", "Coroutine", "AsyncIterator",
          "AsyncIterable", "AsyncGenerator", "SupportsInt", "SupportsFloat", "SupportsIndex",
          "SupportsAbs", "SupportsRound", "Concatenate", "Self", "Never", "LiteralString",
          "Required", "NotRequired", "Unpack", "TypeGuard", "ByteString", "AnyStr",
          "MutableSet", "KeysView", "ValuesView", "ItemsView", "ContextManager", "Pattern",
          "Match", "IO", "TextIO", "BinaryIO")


def _cast(typ: Any, value: Any) -> Any:
    """typing.cast(typ, value): value, unchanged."""
    return value


def _type_var(name: Any, *constraints: Any, **options: Any) -> TypingForm:
    """typing.TypeVar(name): a type variable, printed as ~name."""
    if type(name) is not str:
        raise GdRuntimeError("TypeVar name must be a string", py_type="TypeError")
    return TypingForm(f"~{name}")


def _unchanged(fn: Any) -> Any:
    """A typing decorator that changes nothing at run time (@overload, @final,
    @runtime_checkable, @no_type_check, @override): its argument."""
    return fn


def _get_type_hints(obj: Any, globalns: Any = None, localns: Any = None,
                    include_extras: bool = False) -> dict[str, Any]:
    """typing.get_type_hints(fn): a gd function's annotations evaluated (a string one read
    as the name it spells); a class's are not kept by gd."""
    fn = getattr(obj, "fn", obj)  # a bound method's function
    hints = getattr(fn, "type_hints", None)
    if hints is None:
        raise GdRuntimeError("typing.get_type_hints() of anything but a function is not "
                             "supported by gradcli")
    return hints()  # type: ignore[no-any-return]


def _new_type(name: Any, tp: Any) -> Builtin:
    """typing.NewType(name, tp): a callable giving its argument back."""
    if type(name) is not str:
        raise GdRuntimeError("NewType name must be a string", py_type="TypeError")
    return Builtin(name, lambda x: x, f"{name}(x): x (typing.NewType)")


def _param_spec(name: Any, **options: Any) -> TypingForm:
    """typing.ParamSpec(name): printed as ~name."""
    return _type_var(name)


class TypedDictBase(Builtin):
    """typing.TypedDict: a base whose class statement makes a callable that builds a
    plain dict (as a TypedDict class does at run time); the annotations are not checked."""

    __slots__ = ()

    def subclass(self, name: str, bases: list[Any], attrs: dict[str, Any], span: Any,
                 annotated: tuple[str, ...]) -> Builtin:
        for key in attrs:
            if not key.startswith("__") and key not in annotated:
                raise GdRuntimeError("a TypedDict class has only annotated keys", span,
                                     py_type="TypeError")
        return Builtin(name, lambda *args, **kwargs: dict(*args, **kwargs),
                       f"{name}(**keys): a dict (typing.TypedDict)")


def _typed_dict(*args: Any, **kwargs: Any) -> Any:
    raise GdRuntimeError("TypedDict('Name', {...}) (the functional form) is not supported in "
                         "gd: use a class statement", py_type="TypeError")


TYPING = Namespace("typing", {
    **{name: TypingForm(f"typing.{name}") for name in _FORMS},
    "cast": Builtin("typing.cast", _cast),
    "TypeVar": Builtin("typing.TypeVar", _type_var),
    "TYPE_CHECKING": False,
    "NamedTuple": pynamedtuple.NAMED_TUPLE,
    **{name: Decorator(f"typing.{name}", _unchanged) for name in (
        "overload", "final", "runtime_checkable", "no_type_check", "override")},
    "NewType": Builtin("typing.NewType", _new_type),
    "get_type_hints": Builtin("typing.get_type_hints", _get_type_hints),
    "Text": Builtin("str", pybuiltins.PYTHON_BUILTINS["str"]),  # typing.Text is str
    "ParamSpec": Builtin("typing.ParamSpec", _param_spec),
    "TypedDict": TypedDictBase("typing.TypedDict", _typed_dict,
                               "typing.TypedDict: a base for a class of dicts"),
})

# `from __future__ import annotations` (and the other features, all on in Python 3).
FUTURE = Namespace("__future__", {
    name: TypingForm(f"__future__.{name}")
    for name in ("annotations", "division", "absolute_import", "print_function",
                 "unicode_literals", "generator_stop", "nested_scopes", "generators",
                 "with_statement")
})
