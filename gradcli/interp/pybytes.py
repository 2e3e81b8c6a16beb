"""bytes and bytearray in gd: b'...' literals, bytes(...)/bytearray(...), str.encode and
their methods (decode, hex, split, join, ...), Python's own values behind an allow-list
(pymethods.METHODS), every result that could grow checked against the size caps first.
They print, compare, hash, index, slice and iterate as Python's (items are ints)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.errors import GdRuntimeError
from gradcli.interp import limits

BYTES_TYPES = (bytes, bytearray)

# The methods both have, called as Python's (nothing they return can be large).
_PLAIN = ("hex", "count", "find", "rfind", "index", "rindex", "startswith",
          "endswith", "split", "rsplit", "strip", "lstrip", "rstrip", "upper", "lower",
          "capitalize", "title", "swapcase", "isdigit", "isalpha", "isalnum", "isspace",
          "islower", "isupper", "isascii", "partition", "rpartition", "splitlines",
          "removeprefix", "removesuffix")
_MUTATORS = ("append", "pop", "clear", "copy", "reverse", "insert", "remove")


def _type_error(message: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type="TypeError")


def _sized(n: int) -> None:
    limits.check_length(n, "bytes")


def _width(name: str) -> Callable[..., Any]:
    def call(b: Any, width: Any, *rest: Any) -> Any:
        if isinstance(width, int):
            _sized(width)
        return getattr(type(b), name)(b, width, *rest)

    return call


def _replace(b: Any, old: Any, new: Any, count: Any = -1) -> Any:
    if isinstance(old, BYTES_TYPES) and isinstance(new, BYTES_TYPES) and len(new) > len(old):
        n = b.count(old) if old else len(b) + 1
        if isinstance(count, int) and count >= 0:
            n = min(n, count)
        _sized(len(b) + n * (len(new) - len(old)))
    return type(b).replace(b, old, new, count)


def _join(sep: Any, items: Any) -> Any:
    items = list(limits.bounded(items, "join"))
    _sized(len(sep) * max(len(items) - 1, 0)
           + sum(len(s) for s in items if isinstance(s, BYTES_TYPES)))
    return type(sep).join(sep, items)


def _extend(b: bytearray, items: Any) -> None:
    items = limits.bounded(items, "bytearray.extend()")
    if isinstance(items, BYTES_TYPES) or type(items) in (list, tuple, range):
        _sized(len(b) + len(items))
    b.extend(items)


def _fromhex(_cls: Any, s: Any) -> bytes:
    if type(s) is not str:
        raise _type_error(f"fromhex() argument must be str, not {type(s).__name__}")
    return bytes.fromhex(s)


def _methods(t: type) -> dict[str, Callable[..., Any]]:
    out: dict[str, Callable[..., Any]] = {name: getattr(t, name) for name in _PLAIN}
    out.update({name: _width(name) for name in ("ljust", "rjust", "center", "zfill")})
    out.update({"replace": _replace, "join": _join, "fromhex": _fromhex, "decode": _decode})
    if t is bytearray:
        out.update({name: getattr(bytearray, name) for name in _MUTATORS})
        out["extend"] = _extend
    return out




def _make(t: type) -> Callable[..., Any]:
    """bytes(...) / bytearray(...): of an int (that many zeros), an iterable of ints, a
    bytes-like value, or a str with an encoding; sizes checked first."""

    def make(source: Any = b"", encoding: Any = None, errors: Any = None) -> Any:
        if type(source) is int:
            if source < 0:
                raise GdRuntimeError("negative count", py_type="ValueError")
            _sized(source)
        elif type(source) is str:
            if encoding is None:
                raise _type_error("string argument without an encoding")
            return t(source, encoding, *(() if errors is None else (errors,)))
        elif not isinstance(source, BYTES_TYPES):
            from gradcli.interp.pybuiltins import _items

            source = list(_items(source, f"{t.__name__}()"))
        if encoding is not None:
            raise _type_error("encoding without a string argument")
        return t(source)

    make.__name__ = t.__name__
    make.__doc__ = (f"{t.__name__}(source=b'', encoding=None): of an int (zeros), ints, "
                    "bytes, or a str and its encoding")
    return make


BYTES = _make(bytes)
BYTEARRAY = _make(bytearray)


# The text encodings gd has (Python's codec registry also holds bytes-to-bytes codecs and
# ones that import modules: not a program's).
_ENCODINGS = frozenset(("utf-8", "utf8", "utf_8", "ascii", "latin-1", "latin1", "latin_1",
                        "iso-8859-1", "iso8859-1", "utf-16", "utf-32", "cp1252"))
_ERRORS = frozenset(("strict", "ignore", "replace", "backslashreplace", "xmlcharrefreplace",
                     "surrogateescape"))


def _codec(encoding: Any, errors: Any, what: str) -> None:
    if type(encoding) is not str or type(errors) is not str:
        raise _type_error(f"{what}() argument must be str")
    if encoding.lower() not in _ENCODINGS:
        raise GdRuntimeError(f"unknown encoding: {encoding}", py_type="LookupError")
    if errors not in _ERRORS:
        raise GdRuntimeError(f"unknown error handler name '{errors}'", py_type="LookupError")


def encode(s: str, encoding: Any = "utf-8", errors: Any = "strict") -> bytes:
    """str.encode(encoding='utf-8', errors='strict')."""
    _codec(encoding, errors, "encode")
    _sized(4 * len(s))
    try:
        return s.encode(encoding, errors)
    except UnicodeError as e:
        raise GdRuntimeError(str(e), py_type=type(e).__name__) from None


def _decode(b: Any, encoding: Any = "utf-8", errors: Any = "strict") -> str:
    """bytes.decode(encoding='utf-8', errors='strict')."""
    _codec(encoding, errors, "decode")
    _sized(len(b))
    try:
        return type(b).decode(b, encoding, errors)
    except UnicodeError as e:
        raise GdRuntimeError(str(e), py_type=type(e).__name__) from None


def to_bytes(n: int, length: Any = 1, byteorder: Any = "big", *, signed: Any = False) -> bytes:
    """int.to_bytes(length=1, byteorder='big', *, signed=False)."""
    if type(length) is int:
        _sized(length)
    try:
        return n.to_bytes(length, byteorder, signed=signed)
    except OverflowError as e:
        raise GdRuntimeError(str(e), py_type="OverflowError") from None


def from_bytes(_cls: Any, data: Any, byteorder: Any = "big", *, signed: Any = False) -> int:
    """int.from_bytes(bytes, byteorder='big', *, signed=False)."""
    if not isinstance(data, BYTES_TYPES):
        data = BYTES(data)
    return limits.check_int(int.from_bytes(data, byteorder, signed=signed))  # type: ignore[no-any-return]


METHODS: dict[type, dict[str, Callable[..., Any]]] = {t: _methods(t) for t in BYTES_TYPES}
CLASS_LEVEL = frozenset(((bytes, "fromhex"), (bytearray, "fromhex")))
