"""Python's operator protocols on gd instances: `a + b`, `a < b`, `hash(a)`, `x in a`,
`iter(a)`, `format(a, spec)`, ... call the gd class's own dunder methods.

InstanceValue (classes.py) inherits these host methods, so Python's own machinery gives
the semantics: a method the gd class does not define returns NotImplemented (as a gd
method may), and Python tries the other operand's reflected method, falls back to
identity for ==, or raises its TypeError naming the gd class ("unsupported operand
type(s) for +: 'Value' and 'str'"). Nothing here hands a host object to the program:
each method calls a gd function with gd values.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from gradcli.errors import GdError, GdRuntimeError
from gradcli.interp import exceptions
from gradcli.interp.values import type_name

# The binary operators a gd class may define, each with its reflected and in-place form.
BINARY_NAMES = ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and",
                "or", "xor", "lshift", "rshift")
UNARY_NAMES = ("neg", "pos", "abs", "invert")
COMPARE_NAMES = ("eq", "ne", "lt", "le", "gt", "ge")
# Every dunder a gd class may define (besides these, make_class refuses dunder names).
PROTOCOL_DUNDERS = frozenset(
    [f"__{p}{n}__" for n in BINARY_NAMES for p in ("", "r", "i")]
    + [f"__{n}__" for n in (*UNARY_NAMES, *COMPARE_NAMES)]
    + [f"__{n}__" for n in (
        "init", "call", "repr", "str", "format", "len", "getitem", "setitem", "delitem",
        "contains", "iter", "next", "bool", "hash", "enter", "exit", "float", "int",
        "index", "round", "reversed", "post_init", "getattr")])

# The descriptor protocol a gd class may define: its instances, as class attributes of
# another class, compute (__get__), store (__set__), delete (__delete__) that class's
# instances' attribute, and learn its name (__set_name__) when the class is made.
DESCRIPTOR_DUNDERS = ("__get__", "__set__", "__delete__", "__set_name__")


def descriptor_call(v: Any, name: str, *args: Any) -> bool:
    """Call v's gd class's method `name` (a descriptor dunder) if it defines one."""
    find = getattr(type(v), "_dunder", None)  # a gd instance's own method, or None
    fn = None if find is None else find(v, name)
    if fn is None:
        return False
    fn(v, *args)
    return True


def is_data_descriptor(v: Any) -> bool:
    """Whether v is a gd instance whose class defines __set__ or __delete__ (it then wins
    over an instance's own attribute of its name, as in Python)."""
    find = getattr(type(v), "_dunder", None)
    return find is not None and (find(v, "__set__") is not None
                                 or find(v, "__delete__") is not None)


# Identity hashes: numbers given in creation order, restarted every run (an address, as
# Python's object.__hash__ uses, would change the order sets iterate in from run to run).
_COUNTER = itertools.count(1)


def reset_hashes() -> None:
    """Number the instances of a new run from 1 again."""
    global _COUNTER
    _COUNTER = itertools.count(1)


def next_hash() -> int:
    """The identity hash of a new instance."""
    return next(_COUNTER)


def _error(message: str, py_type: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type=py_type)


def _is_stop_iteration(e: GdError) -> bool:
    exc = exceptions.exception_of(e)
    return exc is not None and exc.cls.is_subclass_of(exceptions.CLASSES["StopIteration"])


def _binary(name: str) -> Callable[..., Any]:
    def op(self: Any, other: Any) -> Any:
        fn = self._dunder(name)
        if fn is None:
            return NotImplemented
        return fn(self, other)

    op.__name__ = name
    return op


def _pow(name: str) -> Callable[..., Any]:
    def op(self: Any, other: Any, mod: Any = None) -> Any:
        fn = self._dunder(name)
        if fn is None:
            return NotImplemented
        return fn(self, other) if mod is None else fn(self, other, mod)

    op.__name__ = name
    return op


def _unary(name: str, symbol: str) -> Callable[..., Any]:
    def op(self: Any) -> Any:
        fn = self._dunder(name)
        if fn is None:
            raise _error(f"bad operand type for {symbol}: '{self.cls.name}'", "TypeError")
        return fn(self)

    op.__name__ = name
    return op


def _convert(name: str, message: str, result: type) -> Callable[..., Any]:
    """float(), int(): the gd method's value, of Python's type."""

    def op(self: Any) -> Any:
        fn = self._dunder(name)
        if fn is None and name in ("__int__", "__float__"):
            index = self._dunder("__index__")  # Python's int() and float() fall back to it
            if index is not None:
                return result(INDEX(self))
        if fn is None:
            raise _error(message.format(name=self.cls.name), "TypeError")
        r = fn(self)
        if not isinstance(r, result):
            raise _error(f"{name} returned non-{result.__name__} (type {type_name(r)})",
                         "TypeError")
        return r

    op.__name__ = name
    return op


class Protocols:
    """The host protocol methods of InstanceValue; `_dunder(name)` gives the gd method
    (or None), `cls` the gd class."""

    __slots__ = ()
    cls: Any

    def _dunder(self, name: str) -> Any:
        raise NotImplementedError

    def __eq__(self, other: object) -> Any:
        fn = self._dunder("__eq__")
        if fn is None:
            return NotImplemented
        return fn(self, other)

    def __ne__(self, other: object) -> Any:
        fn = self._dunder("__ne__")
        if fn is not None:
            return fn(self, other)
        r = self.__eq__(other)
        return r if r is NotImplemented else not r

    def __hash__(self) -> int:
        raw = self.cls.find("__hash__")
        if raw is None:
            raise _error(f"unhashable type: '{self.cls.name}'", "TypeError")
        fn = self._dunder("__hash__")
        if fn is None:
            return self.hash_id  # type: ignore[attr-defined,no-any-return]
        r = fn(self)
        if type(r) is not int and type(r) is not bool:
            raise _error("__hash__ method should return an integer", "TypeError")
        return hash(r)

    def __contains__(self, item: Any) -> bool:
        fn = self._dunder("__contains__")
        if fn is not None:
            return bool(fn(self, item))
        return any(x is item or x == item for x in self.__iter__())

    def __iter__(self) -> Any:
        fn = self._dunder("__iter__")
        if fn is None:
            if self._dunder("__getitem__") is None:
                raise _error(f"'{self.cls.name}' object is not iterable", "TypeError")
            return self._items()  # type: ignore[attr-defined]
        it = fn(self)
        if not hasattr(type(it), "__next__") or (
                isinstance(it, Protocols) and it._dunder("__next__") is None):
            raise _error(f"iter() returned non-iterator of type '{type_name(it)}'",
                         "TypeError")
        return it

    def __next__(self) -> Any:
        fn = self._dunder("__next__")
        if fn is None:
            raise _error(f"'{self.cls.name}' object is not an iterator", "TypeError")
        try:
            return fn(self)
        except GdError as e:
            if _is_stop_iteration(e):
                raise StopIteration from None
            raise

    def __format__(self, spec: str) -> str:
        fn = self._dunder("__format__")
        if fn is None:
            if spec:
                raise _error(f"unsupported format string passed to {self.cls.name}.__format__",
                             "TypeError")
            return str(self)
        r = fn(self, spec)
        if type(r) is not str:
            raise _error(f"__format__ must return a str, not {type_name(r)}", "TypeError")
        return r

    def __setitem__(self, index: Any, value: Any) -> None:
        fn = self._dunder("__setitem__")
        if fn is None:
            raise _error(f"'{self.cls.name}' object does not support item assignment",
                         "TypeError")
        fn(self, index, value)

    def __delitem__(self, index: Any) -> None:
        fn = self._dunder("__delitem__")
        if fn is None:
            raise _error(f"'{self.cls.name}' object doesn't support item deletion",
                         "TypeError")
        fn(self, index)

    def __round__(self, *ndigits: Any) -> Any:
        fn = self._dunder("__round__")
        if fn is None:
            raise _error(f"type {self.cls.name} doesn't define __round__ method", "TypeError")
        return fn(self, *ndigits)

    def enter(self) -> Any:
        """`with obj:`: the gd __enter__'s value."""
        fn = self._dunder("__enter__")
        return fn(self)

    def exit(self, exc: Any) -> bool:
        """Leave `with obj:` (exc the exception object or None); whether to swallow it."""
        fn = self._dunder("__exit__")
        if exc is None:
            r = fn(self, None, None, None)
        else:
            r = fn(self, exc.cls, exc, None)
        return bool(r)


for _n in BINARY_NAMES:
    for _p in ("", "r", "i"):
        _name = f"__{_p}{_n}__"
        setattr(Protocols, _name, (_pow if _n == "pow" else _binary)(_name))
for _n, _symbol in (("neg", "unary -"), ("pos", "unary +"), ("abs", "abs()"),
                    ("invert", "unary ~")):
    setattr(Protocols, f"__{_n}__", _unary(f"__{_n}__", _symbol))
for _n in ("lt", "le", "gt", "ge"):
    setattr(Protocols, f"__{_n}__", _binary(f"__{_n}__"))
Protocols.__float__ = _convert(  # type: ignore[attr-defined]
    "__float__", "float() argument must be a string or a real number, not '{name}'", float)
Protocols.__int__ = _convert(  # type: ignore[attr-defined]
    "__int__", "int() argument must be a string, a bytes-like object or a real number, "
    "not '{name}'", int)
# __index__ (an object usable as a list index, a range bound, a slice bound): only the
# instances of a class that defines it have it (ClassValue gives their host type this),
# so Python's own checks see other instances as no integers.
INDEX = _convert("__index__", "'{name}' object cannot be interpreted as an integer", int)
