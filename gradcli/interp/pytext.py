"""Text in gd as in Python: format(), str.format / format_map, the str methods, and the
character built-ins (chr, ord, ascii, hex, bin, oct).

Formatting reaches values only through `format_value`: fields name arguments (never
`{0.__class__}` or `{0[0]}`), widths and precisions are capped, a tensor formats as
PyTorch's Tensor.__format__ does (a 0-d tensor its item), a value Python's
object.__format__ would refuse a spec for is refused with Python's message.
"""

from __future__ import annotations

import _string
import builtins as py
import string
from collections.abc import Callable
from typing import Any

from gradcli.ad import dtypes
from gradcli.ad.graph import is_parameter
from gradcli.ad.tensor import Tensor
from gradcli.ad.tensor_str import format_tensor_spec
from gradcli.errors import GdRuntimeError
from gradcli.interp import limits, pybytes
from gradcli.interp.arrays import ArrayValue
from gradcli.interp.dunders import Protocols
from gradcli.interp.values import GdObject, to_repr, to_str, type_name

# Values whose own __format__ takes a spec (bool is an int; complex takes "f", "e", "g").
_FORMATS_ITSELF = (int, float, complex, str, ArrayValue)
#: Python values of the library modules that format themselves (datetime's: `{d:%Y}`).
FORMATTED_HOST: set[type] = set()


def _type_error(message: str) -> GdRuntimeError:
    err = GdRuntimeError(message)
    err.py_type = "TypeError"  # the class `except` sees
    return err


def arity(name: str, low: int, high: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A built-in taking `low` to `high` positional arguments and no keywords, with
    Python's messages when called otherwise ("chr() takes exactly one argument (0 given)",
    "getattr expected at least 2 arguments, got 1")."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if kwargs:
                raise TypeError(f"{name}() takes no keyword arguments")
            n = len(args)
            if not low <= n <= high:
                if low == high == 1:
                    raise TypeError(f"{name}() takes exactly one argument ({n} given)")
                bound = low if n < low else high
                which = "" if low == high else "at least " if n < low else "at most "
                raise TypeError(f"{name} expected {which}{bound} argument"
                                f"{'' if bound == 1 else 's'}, got {n}")
            return fn(*args)

        call.__doc__ = fn.__doc__
        return call

    return wrap


def format_value(v: Any, spec: str = "") -> str:
    """format(v, spec) as Python + PyTorch: a number or string by its spec, a tensor as
    Tensor.__format__, anything else as str(v) (with no spec only)."""
    limits.check_format_spec(spec)
    if type(v) is Tensor:
        if not spec and (v.ndim != 0 or is_parameter(v)):
            return to_str(v)
        if is_parameter(v):  # Tensor.__format__ formats the item of a plain tensor only
            raise _type_error("unsupported format string passed to Parameter.__format__")
        return format_tensor_spec(v.array, dtypes.name_of(v.dtype), spec)
    if isinstance(v, (*_FORMATS_ITSELF, Protocols)) or type(v) in FORMATTED_HOST:
        return py.format(v, spec)
    if spec:
        raise _type_error(f"unsupported format string passed to {type_name(v)}.__format__")
    return to_str(v)


def ascii_of(v: Any) -> str:
    """ascii(v): repr(v) with non-ASCII characters escaped, as in Python."""
    return to_repr(v).encode("ascii", "backslashreplace").decode("ascii")


@arity("format", 1, 2)
def _format(value: Any, format_spec: Any = "") -> str:
    """format(value, format_spec='') as in Python (a 0-d tensor formats its item)."""
    if type(format_spec) is not str:
        raise _type_error(f"format() argument 2 must be str, not {type_name(format_spec)}")
    return format_value(value, format_spec)


class _SafeFormatter(string.Formatter):
    """str.format with fields read through gd's attribute and index rules, at every
    nesting level ("{0.__class__}" and the nested "{0:{1.__class__}}" are refused as
    `x.__class__` is); widths and precisions are capped.
    """

    def __init__(self, positional: bool = True) -> None:
        self.positional = positional  # False for format_map

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        # "{0[1]}" and "{cfg.lr}" index and read attributes as gd's own `x[1]` and `x.lr`
        # do (through their allow-lists: "{0.__class__}" is refused as `x.__class__` is).
        from gradcli.interp.attributes import get_attribute
        from gradcli.interp.operators import get_item

        first, rest = _string.formatter_field_name_split(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attr, key in rest:
            obj = get_attribute(obj, key) if is_attr else get_item(obj, key)
        return obj, first

    def get_value(self, key: Any, args: Any, kwargs: Any) -> Any:
        if type(key) is int:
            if not self.positional:
                raise ValueError("Format string contains positional fields")
            if key >= len(args):
                raise IndexError(f"Replacement index {key} out of range for positional "
                                 "args tuple")
            return args[key]
        return kwargs[key]

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion is None:
            return value
        if conversion == "s":
            return to_str(value)
        if conversion == "r":
            return to_repr(value)
        if conversion == "a":
            return ascii_of(value)
        raise ValueError(f"Unknown conversion specifier {conversion}")

    def format_field(self, value: Any, format_spec: str) -> Any:
        return format_value(value, format_spec)


def str_format(s: str, *args: Any, **kwargs: Any) -> str:
    """str.format(*args, **kwargs), sandboxed (see _SafeFormatter)."""
    return _SafeFormatter().vformat(s, args, kwargs)


def str_format_map(s: str, mapping: Any) -> str:
    """str.format_map(mapping), sandboxed as str.format."""
    if not (type(mapping) is dict or isinstance(mapping, GdObject)):
        if isinstance(mapping, (list, tuple, str)):
            raise _type_error(f"{type_name(mapping)} indices must be integers or slices, "
                              "not str")
        raise _type_error(f"'{type_name(mapping)}' object is not subscriptable")
    return _SafeFormatter(positional=False).vformat(s, (), mapping)


def _translate(s: str, table: Any) -> str:
    """str.translate(table): each character through table[ord(c)] (a dict or sequence),
    the result's length checked first."""
    if type(table) is dict:
        longest = max((len(v) for v in table.values() if type(v) is str), default=1)
    elif isinstance(table, (list, tuple, str)):
        longest = max((len(v) for v in table if type(v) is str), default=1)
    else:
        raise _type_error(f"'{type_name(table)}' object is not subscriptable")
    limits.check_length(len(s) * max(longest, 1), "string")
    return s.translate(table)


def _maketrans(_s: Any, *args: Any) -> dict[int, Any]:
    """str.maketrans(x[, y[, z]]): a translation table for str.translate (called on str
    or on a string, which it ignores)."""
    for a in args:
        limits.bounded(a, "str.maketrans()")
    return str.maketrans(*args)


# The str methods a gd program may call: Python's, some with sizes checked first.
STR_METHODS: dict[str, Callable[..., Any]] = {
    **{name: getattr(str, name) for name in (
        "join", "upper", "lower", "strip", "split", "replace", "startswith", "endswith",
        "ljust", "rjust", "center", "title", "capitalize", "count", "find", "zfill",
        "lstrip", "rstrip", "splitlines", "isdigit", "isalpha", "casefold", "expandtabs",
        "index", "isalnum", "isascii", "isdecimal", "isidentifier", "islower", "isnumeric",
        "isprintable", "isspace", "istitle", "isupper", "partition", "removeprefix",
        "removesuffix", "rfind", "rindex", "rpartition", "rsplit", "swapcase")},
    **limits.STR_METHOD_GUARDS,
    "format": str_format, "format_map": str_format_map, "translate": _translate,
    "maketrans": _maketrans, "encode": pybytes.encode,
}


@arity("chr", 1, 1)
def _chr(i: Any) -> str:
    """chr(i): the character with code point i."""
    return py.chr(i)


@arity("ord", 1, 1)
def _ord(c: Any) -> int:
    """ord(c): the code point of a one-character string."""
    return py.ord(c)


@arity("hex", 1, 1)
def _hex(x: Any) -> str:
    """hex(x): an integer in hexadecimal, '0x…'."""
    return py.hex(x)


@arity("bin", 1, 1)
def _bin(x: Any) -> str:
    """bin(x): an integer in binary, '0b…'."""
    return py.bin(x)


@arity("oct", 1, 1)
def _oct(x: Any) -> str:
    """oct(x): an integer in octal, '0o…'."""
    return py.oct(x)


@arity("ascii", 1, 1)
def _ascii(x: Any) -> str:
    """ascii(x): repr(x) with non-ASCII characters escaped."""
    return ascii_of(x)


TEXT_BUILTINS: dict[str, Callable[..., Any]] = {
    "format": _format, "chr": _chr, "ord": _ord, "hex": _hex, "bin": _bin, "oct": _oct,
    "ascii": _ascii,
}
