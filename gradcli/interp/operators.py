"""What gd's operators do to values: safe Python arithmetic (no int or string grows past
the caps in one step), comparisons, iteration, truth, indexing, and how a Python error
inside an operation becomes a gd error at the expression's span."""

from __future__ import annotations

import operator
import re
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad import ops
from gradcli.ad.registry import RULES, Rule
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdError, GdLimitError, GdRuntimeError
from gradcli.interp import arrays, limits
from gradcli.interp.arrays import ArrayValue
from gradcli.interp.classes import InstanceValue
from gradcli.interp.values import (
    BoundMethod,
    Builtin,
    GdObject,
    IteratorValue,
    Namespace,
    type_name,
)
from gradcli.limits import MAX_INT_BITS
from gradcli.source import Span
from gradcli.syntax import ast as A


def runtime_error(e: Exception, span: Span) -> GdError:
    if isinstance(e, GdError):
        return e.at(span)
    if isinstance(e, RecursionError):
        return GdLimitError("maximum recursion depth exceeded", span,
                            hint="deep recursion or a very deeply nested value")
    if isinstance(e, MemoryError):
        return GdLimitError("out of memory", span)
    text = str(e) or type(e).__name__
    err = GdRuntimeError(text, span)
    # the class `except` sees: Python's own (a host subclass of TypeError is a TypeError)
    err.py_type = next(c.__name__ for c in type(e).__mro__ if c.__module__ == "builtins")
    if type(e) is KeyError and len(e.args) == 1:
        err.key = e.args[0]  # the program's own key: e.args is (key,), str(e) its repr
    return err


# Python's own words for operands an operator refuses, which name the operands' types.
_PY_OPERAND = re.compile(r"unsupported operand type|can only concatenate|"
                         r"can't multiply sequence|only integer tensors of a single element")


def operand_message(e: TypeError, a: Any, b: Any, symbol: str) -> str:
    """What Python says when `a symbol b` fails with e (its own message, with gd's names
    for the operands' types), or the generic "unsupported operand type(s)" line."""
    text = str(e)
    if _PY_OPERAND.match(text) or (symbol == "%" and isinstance(a, (str, *_BYTES))):
        # printf-style formatting's own words ("%d format: a real number is required...")
        return python_type_names(text, (a, b))
    return f"unsupported operand type(s) for {symbol}: '{type_name(a)}' and '{type_name(b)}'"


_PY_CALLEE = re.compile(r"^[\w.<>]+\(\)")
# Python's own conversion messages, which numpy's scalar types and PyTorch show as they
# are (np.float32(1j): "float() argument must be a string or a real number, not 'complex'").
_PY_CONVERSION = re.compile(r"^(float|int|complex)\(\) argument must be ")


def call_type_error(e: TypeError, fn: Any, span: Span, args: Any = ()) -> GdError:
    """A TypeError from calling a built-in, with its gd name instead of Python's
    (`sin() takes 1 positional argument…`, not `_u.<locals>.op() takes…`), and the
    arguments' types named as Python names them (`object of type 'SumBackward0' has no
    len()`, not the implementation's class)."""
    if isinstance(e, GdError) or not isinstance(fn, (Builtin, BoundMethod)):
        return runtime_error(e, span)
    text = python_type_names(str(e), args)
    if _PY_CALLEE.match(text) and not _PY_CONVERSION.match(text):
        name = fn.name
        if name.startswith("torch."):  # Python's __qualname__ of PyTorch's function
            name = name.rsplit(".", 1)[-1]
        elif isinstance(fn, BoundMethod) and isinstance(fn.obj, Tensor):
            name = f"Tensor.{name}"
        text = _PY_CALLEE.sub(f"{name}()", text, count=1)
        if isinstance(fn, BoundMethod) and " takes " in text:  # don't count self
            head, _, tail = text.partition(" takes ")
            tail = re.sub(r"\d+", lambda m: str(int(m.group()) - 1), tail)
            tail = re.sub(r"^(\d+) positional arguments?",
                          lambda m: m.group(1) + " positional argument" +
                          ("" if m.group(1) == "1" else "s"), tail)
            text = head + " takes " + re.sub(r"\b1 were given", "1 was given", tail)
        doc = getattr(fn, "doc", "")
        err = GdRuntimeError(text, span, hint=f"usage: {doc}" if doc.startswith(
            fn.name.rsplit(".", 1)[-1] + "(") else None)
    else:
        err = GdRuntimeError(text, span)
    err.py_type = "TypeError"  # the class `except` sees
    return err


def python_type_names(text: str, args: Any) -> str:
    """Python's message about these arguments (or the items of a list or tuple among
    them: sorted(), max()) with each one's type named as a program sees it: the host
    class's name replaced where Python's words put a type's name."""
    for a in _with_items(args):
        host = type(a).__name__
        forms = (f"'{host}'", f'"{host}"', f"type {host} ")
        last = f"not {host}"  # "list indices must be integers or slices, not Node"
        if not any(form in text for form in forms) and not text.endswith(last):
            continue
        shown = type_name(a)
        if shown != host:
            for form in forms:
                text = text.replace(form, form.replace(host, shown))
            if text.endswith(last):
                text = text[:-len(host)] + shown
    return text


def _with_items(args: Any) -> Any:
    for a in args:
        yield a
        if type(a) in (list, tuple):
            yield from a[:2]  # the pair a comparison failed on comes first


# GdError too: an op's own error (a shape mismatch in `x + y`) gets the span of the
# expression that raised it, as numpy's errors do.
# RuntimeError: Python's "dictionary changed size during iteration" and the like.
CAUGHT = (GdError, TypeError, ValueError, ZeroDivisionError, OverflowError, IndexError, KeyError,
           RecursionError, MemoryError, ArithmeticError, AttributeError, RuntimeError)


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


def _lshift(a: Any, b: Any) -> Any:
    if (type(a) is int and type(b) is int and b > 0 and a
            and a.bit_length() + b > MAX_INT_BITS):
        raise GdLimitError(f"integer too large: {a} << {b} has more than "
                           f"{MAX_INT_BITS:,} bits")
    return operator.lshift(a, b)


_BYTES = (bytes, bytearray)
_SEQUENCES = (str, list, tuple, bytes, bytearray)


def _mul(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is Tensor or tb is Tensor:
        seq, t = (a, b) if tb is Tensor else (b, a)
        if isinstance(seq, (list, tuple, str)):
            # Python repeats the sequence by the tensor's __index__, as with PyTorch.
            if type(t) is not Tensor or t.array.dtype.kind not in "iu" or t.array.size != 1:
                raise TypeError("only integer tensors of a single element can be converted "
                                "to an index")
            a, b = seq, int(t.array.reshape(()))
            ta, tb = type(a), int
        else:
            return a * b  # the tensor's operator, which refuses what PyTorch refuses
    if (ta in _SEQUENCES and tb is int) or (tb in _SEQUENCES and ta is int):
        seq, n = (a, b) if ta is not int else (b, a)
        limits.check_length(len(seq) * n)
    return check_int(a * b)


def _add(a: Any, b: Any) -> Any:
    ta = type(a)
    if (ta is str or ta is list or ta is tuple or ta in _BYTES) and (
            type(b) is ta or type(b) in _BYTES):
        limits.check_length(len(a) + len(b))  # s = s + s in a loop doubles
    return check_int(a + b)


def _remainder(a: Any, b: Any) -> Any:
    if type(a) is str:
        limits.check_percent_format(a, b)  # "%999999999d" % 1
    elif type(a) in _BYTES:
        limits.check_percent_format(a.decode("latin-1"), b)  # b"%999999999d" % 1
    return operator.mod(a, b)


def _matmul_operator(a: Any, b: Any) -> Any:
    """`a @ b`: of two tensors (PyTorch's @ gives way to a number, and Python refuses)."""
    if type(a) is not Tensor or type(b) is not Tensor:
        raise TypeError(f"unsupported operand type(s) for @: '{type_name(a)}' and "
                        f"'{type_name(b)}'")
    return ops.matmul(a, b)


# What `a op b` ends up calling when a tensor meets a tensor or a Python number (through
# Tensor's operator methods): binop calls it directly, one dispatch layer less per op.
TENSOR_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "add": ops.add, "sub": ops.sub, "mul": ops.mul, "div": ops.true_divide,
    "floor_divide": ops.floor_divide, "remainder": ops.remainder, "pow": ops.pow,
    "matmul": _matmul_operator,
    "bitwise_or": ops.bitwise_or,
    "bitwise_xor": ops.bitwise_xor,
    "bitwise_and": ops.bitwise_and,
    "lshift": ops.bitwise_left_shift,
    "rshift": ops.bitwise_right_shift,
}
# The four arithmetic operators of a tensor with a tensor or a Python number record their
# rule directly: what ops.add/sub/mul/true_divide do for exactly these operands (no alpha,
# no reciprocal), without their call layers. REFLECTED_FIRST: for `number op tensor`,
# whether the tensor goes first (x.__radd__, x.__rmul__; 2 - x is rsub(x, 2), recorded as
# sub(2, x)); `number / tensor` is not direct (reciprocal(x) · number).
TENSOR_RULES: dict[str, Rule] = {name: RULES[rule] for name, rule in (
    ("add", "add"), ("sub", "sub"), ("mul", "mul"), ("div", "div"))}
REFLECTED_FIRST: dict[str, bool] = {"add": True, "mul": True, "sub": False}
# `matrix @ vector` of two tensors: ops.matmul's mv case, its rule applied directly.
MV_RULE: Rule = RULES["mv"]
# `number op tensor`: 2 + x and 2 * x are x.add(2) and x.mul(2) in PyTorch (x.__radd__),
# the tensor first (next_functions order); the others keep their operand order. Only this
# path pays the extra call, never tensor-with-tensor or tensor-with-number.
REFLECTED_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    **TENSOR_BINARY,
    "add": lambda a, b: ops.add(b, a),
    "mul": lambda a, b: ops.mul(b, a),
}
def _or(a: Any, b: Any) -> Any:
    """a | b: Python's, and a union of classes (`int | None`) as Python 3.10's."""
    from gradcli.interp.pytyping import union

    if type(a) is not int and type(a) is not bool and (u := union(a, b)) is not None:
        return u
    return operator.or_(a, b)


# Python's operators on everything else (with the caps of safe arithmetic).
_PY_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "add": _add,
    "sub": operator.sub,
    "mul": _mul,
    "div": operator.truediv,
    "floor_divide": operator.floordiv,
    "remainder": _remainder,
    "pow": _pow,
    "matmul": operator.matmul,
    "bitwise_or": _or,
    "bitwise_xor": operator.xor,
    "bitwise_and": operator.and_,
    "lshift": _lshift,
    "rshift": operator.rshift,
}


def tensor_operand(v: Any) -> Any:
    """What a tensor operation sees of a numpy value (as PyTorch converts it): an array
    becomes a tensor, a numpy scalar a Python number."""
    a = v.value
    if isinstance(a, np.ndarray):
        return ops.tensor(a)
    return a.item()


def _with_arrays(name: str) -> Callable[[Any, Any], Any]:
    py_fn = _PY_BINARY[name]
    tensor_fn = TENSOR_BINARY[name]
    reflected_fn = REFLECTED_BINARY[name]
    symbol = A.BINARY_OPS[name]

    def fn(a: Any, b: Any) -> Any:
        ta, tb = type(a), type(b)
        if ta is ArrayValue or tb is ArrayValue:
            if ta is Tensor:
                return tensor_fn(a, tensor_operand(b))
            if tb is Tensor:
                if isinstance(a.value, np.generic):
                    return reflected_fn(a.value.item(), b)
                # numpy's operators give way to the tensor, whose reflected ones refuse.
                raise GdRuntimeError(f"unsupported operand type(s) for {symbol}: "
                                     f"'{type_name(a)}' and 'Tensor'")
        return py_fn(a, b)

    return fn


BINARY: dict[str, Callable[[Any, Any], Any]] = {name: _with_arrays(name) for name in _PY_BINARY}
# Statement forms of `x op= y`: tensors change in place (PyTorch's rules), others rebind.
INPLACE = {"add": "add_", "sub": "sub_", "mul": "mul_", "div": "div_", "pow": "pow_",
           "bitwise_and": "bitwise_and_", "bitwise_or": "bitwise_or_",
           "bitwise_xor": "bitwise_xor_", "lshift": "bitwise_left_shift_",
           "rshift": "bitwise_right_shift_"}

_NUMERIC = (Tensor, int, float, bool, complex)


def _tensor_compare(name: str) -> Callable[[Any, Any], Any]:
    """A comparison as PyTorch makes it: a tensor is == to no None, string, list or tuple
    (False, != True) and cannot be ordered against them (TypeError, Python's wording);
    a numpy array meeting a tensor is compared as a tensor."""
    py_op = getattr(operator, name)
    symbol = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "==", "ne": "!="}[name]

    def op(a: Any, b: Any) -> Any:
        ta, tb = type(a), type(b)
        if ta is Tensor or tb is Tensor:
            other, tother = (b, tb) if ta is Tensor else (a, ta)
            if tother is ArrayValue:
                if (ta is ArrayValue and name not in ("eq", "ne")
                        and isinstance(a.value, np.ndarray)):
                    raise TypeError(f"'{symbol}' not supported between instances of "
                                    f"'{type_name(a)}' and 'Tensor'")
                o = tensor_operand(other)
                return py_op(a, o) if ta is Tensor else py_op(o, b)
            if isinstance(other, InstanceValue):
                return py_op(a, b)  # the tensor gives way: the gd class's own method
            if not isinstance(other, _NUMERIC):
                if name == "eq":
                    return False
                if name == "ne":
                    return True
                raise TypeError(f"'{symbol}' not supported between instances of "
                                f"'{type_name(a)}' and '{type_name(b)}'")
        return py_op(a, b)

    return op


#: The comparisons' rules, for a tensor compared with a tensor or a Python number (what
#: Tensor.__lt__ and the others apply).
COMPARE_RULES: dict[str, Rule] = {name: RULES[name]
                                  for name in ("lt", "le", "gt", "ge", "eq", "ne")}
COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "lt": _tensor_compare("lt"), "le": _tensor_compare("le"), "gt": _tensor_compare("gt"),
    "ge": _tensor_compare("ge"), "eq": _tensor_compare("eq"), "ne": _tensor_compare("ne"),
    "is": operator.is_, "is_not": operator.is_not,
    "in": lambda a, b: _contains(b, a), "not_in": lambda a, b: not _contains(b, a),
}


# Python containers gd programs build, iterated and searched as Python does.
_CONTAINERS = (list, tuple, str, range, dict, set, frozenset, IteratorValue, deque, bytes,
               bytearray,
               type({}.keys()), type({}.values()), type({}.items()),
               *(type(getattr(OrderedDict(), view)()) for view in ("keys", "values", "items")))


# What `item in obj` asks of a program's class, in Python's order.
_MEMBERSHIP = ("__contains__", "__iter__", "__getitem__")


def _contains(container: Any, item: Any) -> bool:
    if type(container) is Tensor:
        return bool(ops.eq(container, item).array.any())
    if isinstance(container, _CONTAINERS):
        return item in container
    if isinstance(container, InstanceValue) and any(
            container._dunder(d) is not None for d in _MEMBERSHIP):
        return item in container  # its __contains__, else its items (dunders.Protocols)
    if isinstance(container, GdObject) and hasattr(type(container), "__contains__"):
        return item in container
    if type(container) is ArrayValue and isinstance(container.value, np.ndarray):
        return item in container.value  # (a 0-d array compares; numpy's scalars refuse)
    raise GdRuntimeError(f"argument of type '{type_name(container)}' is not iterable")


def iterate(v: Any) -> Any:
    """What `for x in v` walks over: sequences, ranges, and a tensor's first dimension."""
    if type(v) is Tensor:
        if v.ndim == 0:
            raise GdRuntimeError("iteration over a 0-d tensor")
        # Lazily: `for row in ones(50_000_000)` is bounded by the step limit, not by
        # materializing 50M tensors first.
        # Tensor.__iter__ is iter(v.unbind(0)): items with grad_fn UnbindBackward0.
        return (ops.unbind_one(v, 0, i) for i in range(v.shape[0]))
    if isinstance(v, _CONTAINERS):
        return v
    if isinstance(v, InstanceValue):
        it = iter(v)  # the gd class's __iter__ (or its __getitem__ from 0)
        # A gd iterator is walked by its __next__ only: Python's list() would ask its
        # __len__ for a length hint.
        return _walk(it) if isinstance(it, InstanceValue) else it
    if isinstance(v, GdObject) and hasattr(type(v), "__iter__"):  # DataLoader
        return iter(v)
    if type(v) is ArrayValue:
        if not isinstance(v.value, np.ndarray):
            raise GdRuntimeError(f"'{type_name(v)}' object is not iterable")
        return iter(v)
    gd_iter = getattr(type(v), "gd_iter", None)  # a torch object gd iterates (prune's)
    if gd_iter is not None:
        return gd_iter(v)
    raise GdRuntimeError(f"'{type_name(v)}' object is not iterable")


def _walk(it: InstanceValue) -> Any:
    yield from it


def truth(v: Any) -> bool:
    """Python truthiness, with PyTorch's rule for tensors (one element only)."""
    if type(v) is Tensor and v.array.size == 0:
        raise GdRuntimeError("Boolean value of Tensor with no values is ambiguous")
    return bool(v)


def _tensor_index(idx: Any) -> Any:
    """A tensor's index with numpy arrays in it made tensors (x[a] as PyTorch takes it)."""
    if type(idx) is ArrayValue:
        return tensor_operand(idx)
    if type(idx) is tuple and any(type(i) is ArrayValue for i in idx):
        return tuple(tensor_operand(i) if type(i) is ArrayValue else i for i in idx)
    return idx


def get_item(obj: Any, idx: Any) -> Any:
    """obj[idx] for tensors, sequences and strings."""
    if type(obj) is Tensor:
        return ops.getitem(obj, _tensor_index(idx))
    if isinstance(obj, (list, tuple, str, range, deque, bytes, bytearray)):
        try:
            return obj[idx]  # (a tensor index through its __index__)
        except TypeError as e:  # "list indices must be integers or slices, not Node"
            raise TypeError(python_type_names(str(e), (idx,))) from None
    if isinstance(obj, dict) or (
            isinstance(obj, GdObject) and hasattr(type(obj), "__getitem__")):
        return obj[idx]  # dicts (opt.state: a defaultdict), gd classes, TensorDataset
    if type(obj) is ArrayValue:
        return arrays.get_item(obj, idx)
    if isinstance(obj, Namespace):
        raise GdRuntimeError("'module' object is not subscriptable")
    if getattr(obj, "generic", False):  # Box[int] of a typing.Generic class: the class
        return obj
    if type(obj) is Builtin and obj.name in _GENERIC_BUILTINS:  # list[int] in a type hint
        from gradcli.interp.pytyping import TypingForm

        return TypingForm(obj.name)[idx]
    raise GdRuntimeError(f"'{type_name(obj)}' object is not subscriptable")


# Python's types that a subscript makes a generic alias of (PEP 585: `list[int]`).
_GENERIC_BUILTINS = frozenset(("list", "dict", "tuple", "set", "frozenset", "type"))


def set_item(obj: Any, idx: Any, value: Any) -> None:
    """obj[idx] = value for tensors (in place, recorded) and lists."""
    if type(obj) is Tensor:
        ops.setitem(obj, _tensor_index(idx),
                    tensor_operand(value) if type(value) is ArrayValue else value)
        return
    if type(obj) is list or type(obj) is bytearray:
        try:
            obj[idx] = value  # (a tensor index through its __index__)
        except TypeError as e:
            raise TypeError(python_type_names(str(e), (idx,))) from None
        return
    if isinstance(obj, (dict, deque)) or (
            isinstance(obj, GdObject) and hasattr(type(obj), "__setitem__")):
        obj[idx] = value  # dicts (OrderedDict, defaultdict, Counter), deques, ModuleDict, ...
        return
    if type(obj) is ArrayValue:
        arrays.set_item(obj, idx, value)
        return
    if isinstance(obj, InstanceValue):
        obj[idx] = value  # the gd class's __setitem__
        return
    raise GdRuntimeError(f"'{type_name(obj)}' object does not support item assignment",
                         py_type="TypeError")


def del_item(obj: Any, idx: Any) -> None:
    """del obj[idx] for lists and dicts."""
    if type(obj) is list:
        del obj[int(idx) if type(idx) is Tensor else idx]
        return
    if isinstance(obj, (dict, deque)) or (
            isinstance(obj, GdObject) and hasattr(type(obj), "__delitem__")):
        del obj[idx]  # dicts, deques, a ChainMap, a gd class's __delitem__
        return
    if isinstance(obj, InstanceValue):
        del obj[idx]  # the gd class's __delitem__
        return
    if type(obj) is Tensor:
        raise TypeError("Tensor does not support deleting items")
    raise TypeError(f"'{type_name(obj)}' object doesn't support item deletion")
