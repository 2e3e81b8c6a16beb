"""The hidden built-ins a `match` statement's tests call (gradcli/syntax/patterns.py).

Each checks the subject as Python's match does and returns the values the sub-patterns
are matched against, in order, or None when the subject does not match. Their names
(`match$seq`, ...) contain `$`, which no gd name can, so only the compiled tests reach
them. Attributes are read through gd's own allow-lists (get_attribute), as `x.name` is."""

from __future__ import annotations

from collections import deque
from typing import Any

from gradcli.errors import GdError, GdRuntimeError
from gradcli.interp import classes, exceptions, limits
from gradcli.interp.attributes import get_attribute
from gradcli.interp.pybuiltins import _is_type, _isinstance
from gradcli.interp.values import Builtin

# Python's classes whose one positional sub-pattern matches the subject itself (int(n)).
_SELF_MATCHING = frozenset({"bool", "bytearray", "bytes", "dict", "float", "frozenset",
                            "int", "list", "set", "str", "tuple"})


def _type_error(message: str) -> GdRuntimeError:
    err = GdRuntimeError(message)
    err.py_type = "TypeError"
    return err


def match_sequence(subject: Any, n: int, star: int) -> list[Any] | None:
    """A sequence pattern of n parts (the star part at index `star`, -1 for none): the
    items, the star's as a list; None unless the subject is a list, tuple, range or deque
    of a fitting length (a str, a dict, a tensor or an array is not a sequence here, as
    in Python)."""
    if not isinstance(subject, (list, tuple, range, deque)):
        return None
    size = len(subject)
    if star < 0:
        return list(subject) if size == n else None
    if size < n - 1:
        return None
    after = n - 1 - star
    middle = subject[star:size - after] if type(subject) is not deque \
        else list(subject)[star:size - after]
    limits.bounded(middle, "a star pattern")
    items = list(subject[:star]) if type(subject) is not deque else list(subject)[:star]
    items.append(list(middle))
    items += list(subject)[size - after:] if after else []
    return items


def match_mapping(subject: Any, keys: tuple[Any, ...], rest: bool) -> list[Any] | None:
    """A mapping pattern: the values of `keys` (and, with `**rest`, a dict of the other
    items), or None unless the subject is a dict holding every key."""
    if not isinstance(subject, dict):
        return None
    seen: list[Any] = []
    for key in keys:
        if key in seen:
            err = GdRuntimeError(f"mapping pattern checks duplicate key ({key!r})")
            err.py_type = "ValueError"
            raise err
        seen.append(key)
    missing = object()
    values = []
    for key in keys:
        v = dict.get(subject, key, missing)  # as Python: get, no defaultdict factory
        if v is missing:
            return None
        values.append(v)
    if rest:
        values.append({k: v for k, v in subject.items() if k not in seen})
    return values


def _class_name(cls: Any) -> str:
    return str(getattr(cls, "name", "") or type(cls).__name__).rsplit(".", 1)[-1]


def _match_args(cls: Any, n: int) -> tuple[str, ...] | None:
    """The attributes n positional sub-patterns name (None: the subject itself)."""
    names: Any = ()
    if isinstance(cls, classes.ClassValue):
        found = cls.find("__match_args__")
        if found is not classes._MISSING:
            names = found
        else:
            fields = cls.find("__dataclass_fields__")  # @dataclass makes __match_args__
            if fields is not classes._MISSING:
                names = tuple(f[0] for f in fields)
        if type(names) is not tuple or not all(type(x) is str for x in names):
            raise _type_error(f"{cls.name}.__match_args__ must be a tuple (got "
                              f"{type(names).__name__})")
    elif isinstance(cls, Builtin) and cls.name in _SELF_MATCHING:
        if n > 1:
            raise _type_error(f"{cls.name}() accepts 1 positional sub-pattern ({n} given)")
        return None
    if n > len(names):
        s = "" if len(names) == 1 else "s"
        raise _type_error(f"{_class_name(cls)}() accepts {len(names)} positional "
                          f"sub-pattern{s} ({n} given)")
    return tuple(names[:n])


def match_class(subject: Any, cls: Any, n: int, keywords: tuple[str, ...]) -> list[Any] | None:
    """A class pattern `cls(p1, ..., k=p, ...)`: the attributes its n positional and its
    keyword sub-patterns name, or None unless the subject is an instance of cls having
    them all."""
    if not (_is_type(cls) or isinstance(cls, exceptions.ExceptionClass)
            or callable(getattr(cls, "instance_check", None))):
        raise _type_error("called match pattern must be a type")
    if not _isinstance(subject, cls):
        return None
    if not n and not keywords:
        return []
    positional = _match_args(cls, n) if n else ()
    names: list[str | None] = [None] if positional is None else list(positional)
    for k in keywords:
        if k in names:
            raise _type_error(f"{_class_name(cls)}() got multiple sub-patterns for "
                              f"attribute '{k}'")
        names.append(k)
    values = []
    for name in names:
        if name is None:
            values.append(subject)
            continue
        try:
            values.append(get_attribute(subject, name))
        except GdError as e:
            if exceptions.is_error(e, "AttributeError"):
                return None
            raise
    return values


MATCH_BUILTINS = {"match$seq": match_sequence, "match$map": match_mapping,
                  "match$cls": match_class}
