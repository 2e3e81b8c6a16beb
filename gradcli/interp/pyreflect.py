"""Python's reflective built-ins in gd: getattr, setattr, hasattr, delattr, callable,
issubclass, hash and id; dir and vars are refused.

getattr/setattr/hasattr/delattr go through the same allow-lists as `x.name` and
`x.name = v` (attributes.py): a private or host name fails exactly as it does after a
dot, and hasattr is True exactly when getattr succeeds. Only an AttributeError counts as
"no such attribute": a refusal or a limit error passes through hasattr and getattr's
default. hash() and id() print the same numbers every run: hash of numbers, strings and
tuples of them is Python's (the CLI fixes PYTHONHASHSEED=0); a hash Python derives from
an address (a tensor's, a function's, NaN's) is refused; id() numbers each object in the
order a run first asks for it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad.identity import IDENTITIES
from gradcli.errors import GdError, GdRuntimeError
from gradcli.interp import classes, exceptions, limits
from gradcli.interp import custom_function as CF
from gradcli.interp.arrays import ArrayValue
from gradcli.interp.attributes import delete_attribute, get_attribute, set_attribute
from gradcli.interp.nn_module import ModuleInstance
from gradcli.interp.numpy_poly import Poly1d
from gradcli.interp.pytext import arity
from gradcli.interp.values import (
    CLASS_NAMES,
    BoundMethod,
    Builtin,
    FunctionBase,
    GdObject,
    GradModeDecorator,
    Size,
    TypeValue,
    type_name,
)


def _error(message: str, py_type: str = "TypeError") -> GdRuntimeError:
    err = GdRuntimeError(message)
    err.py_type = py_type  # the class `except` sees
    return err


def _name(what: Any) -> str:
    if type(what) is not str:
        raise _error(f"attribute name must be string, not '{type_name(what)}'")
    return what


def _is_attribute_error(e: GdError) -> bool:
    return exceptions.is_error(e, "AttributeError")


@arity("getattr", 2, 3)
def _getattr(obj: Any, name: Any, *default: Any) -> Any:
    """getattr(object, name[, default]): object.name, as the dot reads it (default if
    there is no such attribute)."""
    name = _name(name)
    try:
        return get_attribute(obj, name)
    except GdError as e:
        if default and _is_attribute_error(e):
            return default[0]
        raise


@arity("hasattr", 2, 2)
def _hasattr(obj: Any, name: Any) -> bool:
    """hasattr(object, name): whether getattr(object, name) succeeds."""
    try:
        get_attribute(obj, _name(name))
    except GdError as e:
        if _is_attribute_error(e):
            return False
        raise
    return True


@arity("setattr", 3, 3)
def _setattr(obj: Any, name: Any, value: Any) -> None:
    """setattr(object, name, value): object.name = value, where gd allows it."""
    set_attribute(obj, _name(name), value)


@arity("delattr", 2, 2)
def _delattr(obj: Any, name: Any) -> None:
    """delattr(object, name): del object.name (attributes of gd objects)."""
    delete_attribute(obj, _name(name))


@arity("callable", 1, 1)
def _callable(obj: Any) -> bool:
    """callable(object): whether it can be called (functions, classes, methods)."""
    if isinstance(obj, classes.InstanceValue):
        return obj.cls.lookup("__call__") is not None or isinstance(obj, ModuleInstance)
    return isinstance(obj, (FunctionBase, Builtin, BoundMethod, GradModeDecorator, TypeValue,
                            classes.BoundGdMethod, classes.ClassValue, CF.FunctionBase,
                            Poly1d))


# issubclass among Python's built-in types (bool is an int, torch.Size a tuple).
_BUILTIN_BASES: dict[str, tuple[str, ...]] = {"bool": ("int",), "torch.Size": ("tuple",)}


def is_class(c: Any) -> bool:
    """Whether c is a class (a gd class, a built-in type, a class PyTorch defines)."""
    return _is_class(c)


def _is_class(c: Any) -> bool:
    return (isinstance(c, (classes.ClassValue, TypeValue, CF.FunctionBase))
            or (isinstance(c, Builtin) and (c.name in CLASS_NAMES or c.is_class)))


def _subclass(c: Any, base: Any) -> bool:
    if isinstance(base, Builtin) and base.name == "object":
        return True
    if isinstance(c, exceptions.ExceptionClass):
        return type(base) is exceptions.ExceptionClass and c.is_subclass_of(base)
    if isinstance(c, classes.ClassValue):
        if isinstance(base, classes.ClassValue):
            return c.is_subclass(base)
        return base is CF.FUNCTION_BASE and c.function_base
    check = getattr(type(base), "subclass_check", None)  # a torch class gd models
    if check is not None and c is not base:
        return bool(check(base, c))
    if isinstance(c, Builtin) and isinstance(base, Builtin):
        return c.name == base.name or base.name in _BUILTIN_BASES.get(c.name, ())
    return c is base or (type(c) is TypeValue and c == base)


@arity("issubclass", 2, 2)
def _issubclass(cls: Any, classinfo: Any) -> bool:
    """issubclass(class, classinfo): gd classes, exception classes and Python's types."""
    if not _is_class(cls):
        raise _error("issubclass() arg 1 must be a class")
    for base in (classinfo if type(classinfo) is tuple else (classinfo,)):
        if type(base) is tuple:
            if _issubclass(cls, base):
                return True
            continue
        if not _is_class(base):
            raise _error("issubclass() arg 2 must be a class, a tuple of classes, or a union")
        if _subclass(cls, base):
            return True
    return False


@arity("hash", 1, 1)
def _hash(obj: Any) -> int:
    """hash(object): Python's hash of a number, string or a tuple/frozenset/range of
    those (the same every run); a tensor's or function's hash is its address: refused."""
    _check_hashable(obj)
    return hash(obj)


_BY_VALUE = (int, float, complex, str, bool, range, Size, tuple, frozenset, bytes)
_UNHASHABLE = (list, dict, set, slice, bytearray)


def _check_hashable(obj: Any) -> None:
    t = type(obj)
    if t in _UNHASHABLE or (t is ArrayValue and isinstance(obj.value, np.ndarray)) or (
            t.__hash__ is None and isinstance(obj, GdObject)):  # argparse's Namespace...
        raise _error(f"unhashable type: '{type_name(obj)}'")
    if (t is float and math.isnan(obj)) or (t is complex and (
            math.isnan(obj.real) or math.isnan(obj.imag))):
        raise _address_hash("NaN")
    if t is tuple or t is Size or t is frozenset or isinstance(obj, tuple):  # named tuples
        for item in obj:
            _check_hashable(item)
    elif isinstance(obj, classes.InstanceValue):
        hash(obj)  # its __hash__ (or unhashable), or its number in this run
    elif t not in _BY_VALUE and t is not ArrayValue and not isinstance(obj, tuple):
        raise _address_hash(f"a '{type_name(obj)}' value")


def _address_hash(what: str) -> GdRuntimeError:
    return GdRuntimeError(f"hash() of {what} is not supported by gradcli (Python derives it "
                          "from a memory address, which changes every run)",
                          hint="use the object itself as a dict key or set member")


def _id(obj: Any) -> int:
    """id(object): the object's address for this run (ad/identity: the same every run, as
    its default repr prints it)."""
    if id(obj) not in IDENTITIES.known:
        limits.check_length(len(IDENTITIES.known) + 1, "id() table")
    return IDENTITIES.address(obj)


def _vars(*args: Any) -> Any:
    """vars(obj): the attributes of a gd class's instance or an argparse.Namespace, as a
    dict (the object's own: setting a key sets the attribute)."""
    if len(args) == 1 and getattr(type(args[0]), "has_vars", False):
        return args[0].attrs
    shown = f" of a '{type_name(args[0])}' value" if len(args) == 1 else ""
    raise GdRuntimeError(f"'vars()'{shown} is not supported by gradcli",
                         hint="vars() takes an instance of a gd class or an argparse.Namespace; "
                         "getattr(x, name) reads one attribute")


def _refused(name: str, hint: str) -> Callable[..., Any]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise GdRuntimeError(f"'{name}()' is not supported by gradcli", hint=hint)

    refuse.__doc__ = f"{name}(): not supported by gradcli ({hint})"
    return refuse


REFLECT_BUILTINS: dict[str, Callable[..., Any]] = {
    "getattr": _getattr, "hasattr": _hasattr, "setattr": _setattr, "delattr": _delattr,
    "callable": _callable, "issubclass": _issubclass, "hash": _hash, "id": _id,
    "dir": _refused("dir", "hasattr(x, name) tells whether x has an attribute"),
    "vars": _vars,
}
