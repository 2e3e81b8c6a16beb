"""Size limits on Python values a gd program builds (strings, lists, big integers).

Tensors are capped per allocation (max_elements) and in total (max_memory);
these caps keep the plain Python values from growing without bound in a single
call that no step or memory check would interrupt: `"a".ljust(10**9)`,
`list(range(10**9))`, `f"{x:>999999999}"`, `"".join(huge)`, `sum(range(10**12))`,
`math.factorial(10**8)`. Each raises GdLimitError (exit 4) before the work starts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from gradcli.ad.tensor import Tensor, note_allocation
from gradcli.errors import GdLimitError
from gradcli.limits import MAX_INT_BITS, MAX_SEQUENCE, MAX_TENSOR_ITEMS


def check_length(n: int, what: str = "sequence") -> None:
    """Refuse a string, list or tuple of n items; count it toward the memory check."""
    if n > MAX_SEQUENCE:
        unit = "characters" if what == "string" else "items"
        raise GdLimitError(f"{what} of {n:,} {unit} exceeds the limit of {MAX_SEQUENCE:,}",
                           hint="gd caps Python strings, lists and tuples; use tensors for "
                           "bulk data")
    note_allocation(8 * n)


def length_of(x: Any) -> int | None:
    """len(x) for what gd iterates (sequences, ranges, tensors), or None if not sized."""
    try:
        return len(x)
    except OverflowError:  # range(10**20)
        return MAX_SEQUENCE + 1
    except Exception:  # a 0-d tensor (GdRuntimeError) or an unsized value
        return None


def bounded(x: Any, what: str) -> Any:
    """x, after checking that iterating it builds at most MAX_SEQUENCE items
    (MAX_TENSOR_ITEMS for a tensor's rows)."""
    n = length_of(x)
    if n is None:
        return x
    if type(x) is Tensor:
        if n > MAX_TENSOR_ITEMS:
            raise GdLimitError(
                f"{what} of a tensor with {n:,} rows would make {n:,} tensors, more than the "
                f"limit of {MAX_TENSOR_ITEMS:,}",
                hint="use tensor operations (sum, max, indexing) instead of a Python loop")
        note_allocation(400 * n)
        return x
    check_length(n, what)
    return x


def check_int(v: Any) -> Any:
    """v, unless it is an int of more than MAX_INT_BITS bits."""
    if type(v) is int and v.bit_length() > MAX_INT_BITS:
        raise GdLimitError(f"integer too large ({v.bit_length():,} bits; the limit is "
                           f"{MAX_INT_BITS:,})")
    return v


# -- formatting -------------------------------------------------------------------------

_DIGITS = re.compile(r"\d+")


def check_format_spec(spec: str) -> None:
    """Refuse a format spec whose width or precision would build a huge string."""
    for m in _DIGITS.finditer(spec):
        if len(m.group()) > 8 or int(m.group()) > MAX_SEQUENCE:
            raise GdLimitError(f"format width or precision {m.group()} exceeds the limit of "
                               f"{MAX_SEQUENCE:,}")


_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def check_percent_format(fmt: str, args: Any) -> None:
    """The same for printf-style `fmt % args` (widths may come from args via `*`)."""
    stars = iter(args if isinstance(args, tuple) else (args,))
    for m in _PERCENT.finditer(fmt):
        for part in m.groups():
            if part is None:
                continue
            if part == "*":
                value = next(stars, 0)
                if isinstance(value, int) and abs(value) > MAX_SEQUENCE:
                    raise GdLimitError(f"format width {value:,} exceeds the limit of "
                                       f"{MAX_SEQUENCE:,}")
            else:
                check_format_spec(part)


# -- str and list methods with sizes checked first ---------------------------------------

def _width_method(name: str) -> Callable[..., str]:
    method = getattr(str, name)

    def call(s: str, width: Any, *rest: Any) -> str:
        if isinstance(width, int):
            check_length(width, "string")
        return method(s, width, *rest)

    call.__name__ = name
    return call


def _join(sep: str, items: Any) -> str:
    items = bounded(items, "join")
    if type(items) is Tensor:  # its rows, as Tensor.__iter__ gives them (no str among them)
        from gradcli.interp.operators import iterate

        items = iterate(items)
    items = list(items)
    total = len(sep) * max(len(items) - 1, 0)
    for s in items:
        if isinstance(s, str):
            total += len(s)
    check_length(total, "string")
    return sep.join(items)


def _replace(s: str, old: Any, new: Any, count: Any = -1) -> str:
    if isinstance(old, str) and isinstance(new, str) and len(new) > len(old):
        n = s.count(old) if old else len(s) + 1
        if isinstance(count, int) and count >= 0:
            n = min(n, count)
        check_length(len(s) + n * (len(new) - len(old)), "string")
    return s.replace(old, new, count)


def _expandtabs(s: str, tabsize: Any = 8) -> str:
    if isinstance(tabsize, int):
        check_length(len(s) * max(tabsize, 1), "string")
    return s.expandtabs(tabsize)


STR_METHOD_GUARDS: dict[str, Callable[..., Any]] = {
    "ljust": _width_method("ljust"),
    "rjust": _width_method("rjust"),
    "center": _width_method("center"),
    "zfill": _width_method("zfill"),
    "join": _join,
    "replace": _replace,
    "expandtabs": _expandtabs,
}


def _extend(lst: list[Any], items: Any) -> None:
    items = bounded(items, "extend")
    n = length_of(items)
    if n is not None:
        check_length(len(lst) + n, "list")
    lst.extend(items)


def _insert(lst: list[Any], index: Any, item: Any) -> None:
    check_length(len(lst) + 1, "list")
    lst.insert(index, item)


def _append(lst: list[Any], item: Any) -> None:
    if len(lst) >= MAX_SEQUENCE:
        check_length(len(lst) + 1, "list")
    lst.append(item)


LIST_METHOD_GUARDS: dict[str, Callable[..., Any]] = {
    "extend": _extend,
    "insert": _insert,
    "append": _append,
}


# -- math functions with huge integer results ----------------------------------------------

def _bits_of_factorial(n: int) -> float:
    return math.lgamma(n + 1) / math.log(2) if n > 1 else 1.0


def check_math_call(name: str, args: tuple[Any, ...]) -> None:
    """Refuse math.factorial/comb/perm calls whose exact result would be a huge integer."""
    ints = [a for a in args if type(a) is int]
    if len(ints) != len(args) or not ints:
        return
    bits = 0.0
    if name == "factorial" and ints[0] > 0:
        bits = _bits_of_factorial(ints[0])
    elif name in ("comb", "perm") and ints[0] > 0:
        n = ints[0]
        k = ints[1] if len(ints) > 1 else n
        if 0 <= k <= n:
            bits = _bits_of_factorial(n) - _bits_of_factorial(n - k)
            if name == "comb":
                bits -= _bits_of_factorial(k)
    elif name == "lcm":  # at most the product of its arguments
        bits = sum(i.bit_length() for i in ints)
    if bits > MAX_INT_BITS:
        shown = ", ".join(str(i) for i in ints)
        raise GdLimitError(f"math.{name}({shown}) is an integer of about {bits:,.0f} bits, "
                           f"more than the limit of {MAX_INT_BITS:,}")
