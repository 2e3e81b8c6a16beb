"""What gd's operators do to values: safe Python arithmetic (no int or string grows past
the caps in one step), comparisons, iteration, truth, indexing, and how a Python error
inside an operation becomes a gd error at the expression's span."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any

from gradcli.ad import ops
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdError, GdLimitError, GdRuntimeError
from gradcli.interp import limits
from gradcli.interp.values import BoundMethod, Builtin, Namespace, type_name
from gradcli.limits import MAX_INT_BITS
from gradcli.source import Span


def runtime_error(e: Exception, span: Span) -> GdError:
    if isinstance(e, GdError):
        return e.at(span)
    if isinstance(e, RecursionError):
        return GdLimitError("maximum recursion depth exceeded", span,
                            hint="deep recursion or a very deeply nested value")
    if isinstance(e, MemoryError):
        return GdLimitError("out of memory", span)
    text = str(e) or type(e).__name__
    return GdRuntimeError(text, span)


_PY_CALLEE = re.compile(r"^[\w.<>]+\(\)")


def call_type_error(e: TypeError, fn: Any, span: Span) -> GdError:
    """A TypeError from calling a built-in, with its gd name instead of Python's
    (`sin() takes 1 positional argument…`, not `_u.<locals>.op() takes…`)."""
    if isinstance(e, GdError) or not isinstance(fn, (Builtin, BoundMethod)):
        return runtime_error(e, span)
    text = str(e)
    if _PY_CALLEE.match(text):
        text = _PY_CALLEE.sub(f"{fn.name}()", text, count=1)
        if isinstance(fn, BoundMethod) and " takes " in text:  # don't count self
            head, _, tail = text.partition(" takes ")
            tail = re.sub(r"\d+", lambda m: str(int(m.group()) - 1), tail)
            tail = re.sub(r"^(\d+) positional arguments?",
                          lambda m: m.group(1) + " positional argument" +
                          ("" if m.group(1) == "1" else "s"), tail)
            text = head + " takes " + re.sub(r"\b1 were given", "1 was given", tail)
        doc = getattr(fn, "doc", "")
        return GdRuntimeError(text, span, hint=f"usage: {doc}" if doc.startswith(
            fn.name.rsplit(".", 1)[-1] + "(") else None)
    return GdRuntimeError(text, span)


# GdError too: an op's own error (a shape mismatch in `x + y`) gets the span of the
# expression that raised it, as numpy's errors do.
CAUGHT = (GdError, TypeError, ValueError, ZeroDivisionError, OverflowError, IndexError, KeyError,
           RecursionError, MemoryError, ArithmeticError, AttributeError)


# -- safe arithmetic on Python values -----------------------------------------------------

def check_int(v: Any, span: Span | None = None) -> Any:
    if type(v) is int and (v > 1 << 64 or v < -(1 << 64)) and v.bit_length() > MAX_INT_BITS:
        raise GdLimitError(f"integer too large ({v.bit_length():,} bits)", span)
    return v


def _pow(a: Any, b: Any) -> Any:
    if (type(a) is int and type(b) is int and b > 0 and a not in (0, 1, -1)
            and b * max(a.bit_length(), 1) > MAX_INT_BITS):
        raise GdLimitError(f"integer too large: {a}**{b} has more than "
                               f"{MAX_INT_BITS:,} bits")
    return check_int(operator.pow(a, b))


def _mul(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is Tensor or tb is Tensor:
        return ops.mul(a, b)
    if (ta in (str, list, tuple) and tb is int) or (tb in (str, list, tuple) and ta is int):
        seq, n = (a, b) if ta is not int else (b, a)
        limits.check_length(len(seq) * n)
    return check_int(a * b)


def _add(a: Any, b: Any) -> Any:
    ta = type(a)
    if (ta is str or ta is list or ta is tuple) and type(b) is ta:
        limits.check_length(len(a) + len(b))  # s = s + s in a loop doubles
    return check_int(a + b)


def _remainder(a: Any, b: Any) -> Any:
    if type(a) is str:
        limits.check_percent_format(a, b)  # "%999999999d" % 1
    return operator.mod(a, b)


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "add": _add,
    "sub": operator.sub,
    "mul": _mul,
    "div": operator.truediv,
    "floor_divide": operator.floordiv,
    "remainder": _remainder,
    "pow": _pow,
    "matmul": operator.matmul,
}
# What `a op b` ends up calling when a tensor meets a tensor or a Python number (through
# Tensor's operator methods): binop calls it directly, one dispatch layer less per op.
TENSOR_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    # 2 + x and 2 * x are x.add(2) and x.mul(2) in PyTorch (x.__radd__): the tensor first.
    "add": lambda a, b: ops.add(b, a) if type(a) is not Tensor else ops.add(a, b),
    "sub": ops.sub,
    "mul": lambda a, b: ops.mul(b, a) if type(a) is not Tensor else ops.mul(a, b),
    "div": ops.true_divide,
    "floor_divide": ops.floor_divide, "remainder": ops.remainder, "pow": ops.pow,
    "matmul": ops.matmul,
}
# Statement forms of `x op= y`: tensors change in place (PyTorch's rules), others rebind.
INPLACE = {"add": "add_", "sub": "sub_", "mul": "mul_", "div": "div_", "pow": "pow_"}

COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
    "eq": operator.eq, "ne": operator.ne, "is": operator.is_, "is_not": operator.is_not,
    "in": lambda a, b: _contains(b, a), "not_in": lambda a, b: not _contains(b, a),
}


def _contains(container: Any, item: Any) -> bool:
    if type(container) is Tensor:
        return bool(ops.eq(container, item).array.any())
    if isinstance(container, (list, tuple, str, range)):
        return item in container
    raise GdRuntimeError(f"argument of type '{type_name(container)}' is not iterable")


def iterate(v: Any) -> Any:
    """What `for x in v` walks over: sequences, ranges, and a tensor's first dimension."""
    if type(v) is Tensor:
        if v.ndim == 0:
            raise GdRuntimeError("iteration over a 0-d tensor")
        # Lazily: `for row in ones(50_000_000)` is bounded by the step limit, not by
        # materializing 50M tensors first.
        return (ops.getitem(v, i) for i in range(v.shape[0]))
    if isinstance(v, (list, tuple, range, str)):
        return v
    raise GdRuntimeError(f"'{type_name(v)}' object is not iterable")


def truth(v: Any) -> bool:
    """Python truthiness, with PyTorch's rule for tensors (one element only)."""
    return bool(v)


def get_item(obj: Any, idx: Any) -> Any:
    """obj[idx] for tensors, sequences and strings."""
    if type(obj) is Tensor:
        return ops.getitem(obj, idx)
    if isinstance(obj, (list, tuple, str, range)):
        if type(idx) is Tensor:
            idx = int(idx)
        return obj[idx]
    if isinstance(obj, Namespace):
        raise GdRuntimeError("'module' object is not subscriptable")
    raise GdRuntimeError(f"'{type_name(obj)}' object is not subscriptable")


def set_item(obj: Any, idx: Any, value: Any) -> None:
    """obj[idx] = value for tensors (in place, recorded) and lists."""
    if type(obj) is Tensor:
        ops.setitem(obj, idx, value)
        return
    if type(obj) is list:
        if type(idx) is Tensor:
            idx = int(idx)
        obj[idx] = value
        return
    raise GdRuntimeError(f"'{type_name(obj)}' object does not support item assignment")

