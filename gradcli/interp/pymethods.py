"""The methods and data attributes of Python's own values in gd (list, tuple, str, dict,
set, frozenset, int, float, bool, range, slice), and those of their types (`str.upper`,
`dict.fromkeys`, `float.fromhex`): allow-lists, as every attribute in gd is.

A method that could build a huge value checks the size caps first (limits.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.errors import GdRuntimeError
from gradcli.interp import limits, pybytes
from gradcli.interp.builtin_reprs import builtin_repr, method_repr
from gradcli.interp.pybuiltins import CONTAINER_METHODS
from gradcli.interp.pytext import STR_METHODS
from gradcli.interp.values import CLASS_NAMES, BoundMethod, Builtin, type_name

MISSING = object()


def _type_error(message: str) -> GdRuntimeError:
    err = GdRuntimeError(message)
    err.py_type = "TypeError"  # the class `except` sees
    return err


def _sort(lst: list[Any], *args: Any, key: Any = None, reverse: Any = False) -> None:
    """list.sort(*, key=None, reverse=False): stable, in place, as in Python."""
    if args:
        raise _type_error("sort() takes no positional arguments")
    lst.sort(key=key, reverse=reverse)


def _fromkeys(_cls_or_obj: Any, iterable: Any, value: Any = None) -> dict[Any, Any]:
    """dict.fromkeys(iterable, value=None): a dict of the keys, each mapped to value."""
    return dict.fromkeys(limits.bounded(iterable, "dict.fromkeys()"), value)


_INT_METHODS = ("as_integer_ratio", "bit_count", "bit_length", "conjugate")
_FLOAT_METHODS = ("as_integer_ratio", "conjugate", "hex", "is_integer", "fromhex")

# type → method name → function(self, *args); the self of a classmethod is ignored.
METHODS: dict[type, dict[str, Callable[..., Any]]] = {
    list: {**{name: getattr(list, name) for name in (
        "pop", "index", "count", "reverse", "copy", "clear", "remove")},
        **limits.LIST_METHOD_GUARDS, "sort": _sort},
    tuple: {"index": tuple.index, "count": tuple.count},
    str: STR_METHODS,
    int: {**{name: getattr(int, name) for name in _INT_METHODS},
          "to_bytes": pybytes.to_bytes, "from_bytes": pybytes.from_bytes},
    float: {**{name: getattr(float, name) for name in _FLOAT_METHODS},
            "fromhex": lambda _self, s: float.fromhex(s)},
    complex: {"conjugate": complex.conjugate},
    range: {"count": range.count, "index": range.index},
    slice: {"indices": slice.indices},
    dict: {**CONTAINER_METHODS[dict], "fromkeys": _fromkeys},
    set: CONTAINER_METHODS[set],
    frozenset: CONTAINER_METHODS[frozenset],
    **pybytes.METHODS,
}
METHODS[bool] = METHODS[int]

# type → its data attributes (read from the value itself).
DATA: dict[type, frozenset[str]] = {
    int: frozenset(("real", "imag", "numerator", "denominator")),
    float: frozenset(("real", "imag")),
    complex: frozenset(("real", "imag")),
    range: frozenset(("start", "stop", "step")),
    slice: frozenset(("start", "stop", "step")),
}
DATA[bool] = DATA[int]

# Methods called on the type with no instance (str.maketrans, dict.fromkeys).
_CLASS_LEVEL = frozenset(((str, "maketrans"), (dict, "fromkeys"), (float, "fromhex"),
                          (int, "from_bytes"), *pybytes.CLASS_LEVEL))

_TYPES_BY_NAME: dict[str, type] = {t.__name__: t for t in METHODS}


def attribute(obj: Any, name: str) -> Any:
    """obj.name for a Python value (its type in METHODS), or MISSING."""
    t = type(obj)
    fn = METHODS[t].get(name)
    if fn is not None:
        return BoundMethod(obj, name, fn)
    if name in DATA.get(t, ()):
        return getattr(obj, name)
    return MISSING


def type_attribute(type_name_: str, name: str) -> Any:
    """T.name for a Python type T (str.upper, dict.fromkeys), or MISSING: a method as a
    function of its instance, a class-level method as a function of its arguments."""
    t = _TYPES_BY_NAME.get(type_name_)
    if t is None:
        return MISSING
    fn = METHODS[t].get(name)
    if fn is None:
        return MISSING
    spelled = f"{type_name_}.{name}"
    if (t, name) in _CLASS_LEVEL:
        return TypeMethod(spelled, lambda *a, **k: fn(None, *a, **k), type_name_, True,
                          fn.__doc__ or "")
    return TypeMethod(spelled, _unbound(t, name, fn, type_name_), type_name_,
                      doc=fn.__doc__ or "")


def tensor_method(name: str, fn: Callable[..., Any]) -> TypeMethod:
    """torch.Tensor.name: the tensor method as a function of its tensor."""
    from gradcli.ad.tensor import Tensor

    owner = "torch._C.TensorBase"
    return TypeMethod(f"torch.Tensor.{name}", _unbound(Tensor, name, fn, owner), owner,
                      doc=fn.__doc__ or "")


def _unbound(t: type, name: str, fn: Callable[..., Any], shown: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        if not args:
            # Python names the type by its own name here (TensorBase), by its module path
            # in the descriptor message below (torch._C.TensorBase)
            raise _type_error(f"unbound method {shown.rpartition('.')[2]}.{name}() needs an "
                              "argument")
        if not isinstance(args[0], t):
            raise _type_error(f"descriptor '{name}' for '{shown}' objects doesn't apply "
                              f"to a '{type_name(args[0])}' object")
        return fn(*args, **kwargs)

    return call


class TypeMethod(Builtin):
    """A type's method read from the type (`str.upper`, `dict.fromkeys`,
    `torch.Tensor.add`): a function of its instance (or, class-level, of its arguments),
    printing as Python's (builtin_reprs)."""

    __slots__ = ("class_level", "owner")

    def __init__(self, name: str, fn: Callable[..., Any], owner: str,
                 class_level: bool = False, doc: str = "") -> None:
        super().__init__(name, fn, doc)
        self.owner = owner
        self.class_level = class_level

    def __repr__(self) -> str:
        return builtin_repr(self.name, self) or method_repr(
            self.name.rpartition(".")[2], self.owner, self, self.class_level)


TypeMethod.__name__ = "method_descriptor"  # as Python's own messages name it


def set_error(obj: Any, name: str) -> GdRuntimeError | None:
    """Python's error for `obj.name = v` on a Python value or built-in (its attributes are
    fixed), or None for any other value."""
    t = type(obj)
    if t in METHODS or obj is None:
        tn = type_name(obj)
        if name in DATA.get(t, ()):
            text = (f"attribute '{name}' of '{tn}' objects is not writable"
                    if t in (int, float, bool) else "readonly attribute")
        elif name in METHODS.get(t, ()):
            text = f"'{tn}' object attribute '{name}' is read-only"
        else:
            text = f"'{tn}' object has no attribute '{name}'"
    elif isinstance(obj, Builtin) and (obj.name in CLASS_NAMES or obj.is_class):
        return _type_error(f"cannot set '{name}' attribute of immutable type "
                           f"'{obj.name.rsplit('.', 1)[-1]}'")
    elif t is Builtin or t is BoundMethod:
        text = f"'builtin_function_or_method' object has no attribute '{name}'"
    else:
        return None
    err = GdRuntimeError(text)
    err.py_type = "AttributeError"
    return err


def names_of(obj: Any) -> list[str]:
    """The attribute names of a Python value (for did-you-mean)."""
    t = type(obj)
    return [*METHODS.get(t, ()), *DATA.get(t, ())]
