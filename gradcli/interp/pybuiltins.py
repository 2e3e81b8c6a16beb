"""Python's built-in functions in gd, with Python's meaning.

A bare name that is a Python built-in does what Python's does with PyTorch tensors:
sum(M) adds M's rows to 0, max(t) compares t's elements with `>`, round(t) fails
(Tensor has no __round__). torch.sum / torch.max / x.sum() keep torch's meaning.
map, filter, zip, enumerate, reversed and iter return lazy iterators, as in Python 3.
"""

from __future__ import annotations

import builtins as py
import collections
import math
import operator
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from gradcli.ad import ops
from gradcli.ad.graph import is_parameter
from gradcli.ad.ops.memory_format import MemoryFormat
from gradcli.ad.state import SCALAR_OF_REQUIRES_GRAD, grad_mode, inference_mode, warn
from gradcli.ad.tensor import Node, Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import arrays, classes, exceptions, limits, operators, pybytes
from gradcli.interp.arrays import ArrayValue
from gradcli.interp.builtin_reprs import builtin_type
from gradcli.interp.pytext import arity
from gradcli.interp.values import (
    BoundMethod,
    Builtin,
    DType,
    FunctionBase,
    IteratorValue,
    Layout,
    Namespace,
    Size,
    TypeValue,
    type_name,
)


def _items(x: Any, what: str) -> Any:
    """What Python's iter(x) walks, checked against the size caps: a tensor's rows (as
    tensors), a numpy array's rows, a sequence's items."""
    if type(x) is Tensor:
        if x.ndim == 0:
            raise GdRuntimeError("iteration over a 0-d tensor")
        limits.bounded(x, what)
        return py.list(ops.unbind(x, 0))  # Tensor.__iter__: iter(x.unbind(0))
    if type(x) is ArrayValue:
        it = operators.iterate(x)
        limits.check_length(py.len(x), what)  # a row per item, as for a list
        return py.list(it)
    if isinstance(x, (list, tuple, str, range, dict, set, frozenset, bytes, bytearray)):
        return limits.bounded(x, what)
    return operators.iterate(x)  # lazy ones (generators) as they are; else the error


def _abs(x: Any) -> Any:
    """abs(x): |x|; a tensor's __abs__ (x.abs(), AbsBackward0)."""
    return py.abs(x)


def _minmax(name: str) -> Callable[..., Any]:
    pyfn = py.max if name == "max" else py.min

    def fn(*args: Any, **kwargs: Any) -> Any:
        if len(args) == 1:
            return pyfn(_items(args[0], f"{name}()"), **kwargs)
        return pyfn(*args, **kwargs)

    fn.__doc__ = (f"{name}(iterable) / {name}(a, b, …) as in Python: a tensor is iterated over "
                  f"dim 0, its items compared with {'>' if name == 'max' else '<'} "
                  f"(torch.{name} reduces)")
    return fn


def _round(x: Any, ndigits: Any = None) -> Any:
    """round(x[, ndigits]) as in Python (a tensor has no __round__: use torch.round)."""
    if type(x) is Tensor:
        raise GdRuntimeError(f"type {type_name(x)} doesn't define __round__ method",
                             hint="torch.round(x) or x.round() rounds a tensor")
    return py.round(x) if ndigits is None else py.round(x, ndigits)


def _sum(iterable: Any, /, start: Any = 0) -> Any:
    """sum(iterable, start=0) as in Python: start + item + item …; a tensor's items are its
    rows along dim 0 (torch.sum / x.sum() reduce the whole tensor)."""
    if type(start) is str:
        raise GdRuntimeError("sum() can't sum strings [use ''.join(seq) instead]")
    if type(start) in (list, tuple):
        # Python's sum(lists, []) copies the growing list at every item (quadratic): the
        # same result, built once.
        kind = type(start)
        out = list(start)
        for item in _items(iterable, "sum()"):
            if type(item) is not kind:
                raise GdRuntimeError(f'can only concatenate {kind.__name__} (not '
                                     f'"{type_name(item)}") to {kind.__name__}',
                                     py_type="TypeError")
            out.extend(item)
            limits.check_length(len(out))
        return out if kind is list else tuple(out)
    if type(iterable) is Tensor and (type(start) in (int, float) or type(start) is Tensor) \
            and (iterable.array.dtype.kind in "fc" or iterable.array.dtype == np.int64):
        # (torch.sum promotes bool and the small integer dtypes to int64, where adding the
        # rows one by one keeps theirs: those take Python's loop below)
        return _sum_rows(iterable, start)
    return py.sum(_items(iterable, "sum()"), start)


def _sum_rows(t: Tensor, start: Any) -> Any:
    """Python's sum over a tensor's rows, as one reduction and one add: grad_fn
    AddBackward0 and the dtype of `start + t[0] + t[1] …`, the value of adding the rows one
    at a time (in that order, rounding as each add does)."""
    if t.ndim == 0:
        raise GdRuntimeError("iteration over a 0-d tensor")
    n = t.shape[0]
    if n == 0:
        return start
    head = operator.add(start, ops.unbind_one(t, 0, 0))
    if n == 1:
        return head
    out = operator.add(head, ops.sum(ops.getitem(t, slice(1, None)), 0))
    dt, shape = out.array.dtype, out.array.shape  # a tensor start may broadcast the rows
    if out.array.size <= t.array[0].size:
        rows = np.concatenate([np.broadcast_to(head.array, shape)[None].astype(dt, copy=False),
                               np.broadcast_to(t.array[1:], (n - 1, *shape))
                               .astype(dt, copy=False)])
        out.array[...] = np.add.accumulate(rows, axis=0)[-1]
    else:  # rows broadcast against a bigger start: add them one by one, in place
        acc = np.array(np.broadcast_to(head.array, shape), dtype=dt)
        for row in t.array[1:]:
            np.add(acc, row.astype(dt, copy=False), out=acc)
        out.array[...] = acc
    return out


def _pow(base: Any, exp: Any, mod: Any = None) -> Any:
    """pow(base, exp[, mod]) as in Python: base ** exp (a tensor's __pow__)."""
    if mod is None:
        return operators.BINARY["pow"](base, exp)
    return py.pow(base, exp, mod)


def _divmod(a: Any, b: Any) -> Any:
    """divmod(a, b) of numbers (and numpy arrays) as in Python; a tensor has no __divmod__."""
    if type(a) is ArrayValue or type(b) is ArrayValue:
        return tuple(arrays.wrap(r) for r in np.divmod(arrays.plain(a), arrays.plain(b)))
    if type(a) is Tensor or type(b) is Tensor:
        raise GdRuntimeError(f"unsupported operand type(s) for divmod(): '{type_name(a)}' "
                             f"and '{type_name(b)}'")
    return py.divmod(a, b)


def scalar(x: Tensor) -> Any:
    """A one-element tensor's value for Python's float()/int() (PyTorch's wording)."""
    # Python's float()/int() of a tensor: PyTorch's wording, not item()'s.
    if x.numel() != 1:
        raise GdRuntimeError("only one element tensors can be converted to Python scalars")
    return x.item()


def float_of(x: Any = 0.0) -> float:
    """float(x) of a number, string or one-element tensor (Tensor.__float__, which warns
    once when the tensor requires grad, where int() and item() do not)."""
    if type(x) is Tensor:
        if x.requires_grad:
            warn(SCALAR_OF_REQUIRES_GRAD, once=True)
        scalar(x)
        return x.__float__()
    return py.float(x)


_NO_IMAG = object()


def complex_of(real: Any = 0, imag: Any = _NO_IMAG) -> complex:
    """complex(real, imag) of numbers, a string or a one-element tensor (Tensor.__complex__)."""
    if type(real) is Tensor:
        real = scalar(real)
    if type(imag) is Tensor:
        imag = scalar(imag)
    return py.complex(real) if imag is _NO_IMAG else py.complex(real, imag)


def _int(x: Any = 0, base: Any = None) -> int:
    """int(x[, base]) of a number, string or one-element tensor."""
    if base is not None:
        return py.int(x, base)
    if type(x) is Tensor:
        scalar(x)
        return x.__int__()
    return py.int(x)


def _len(x: Any) -> int:
    """len(x) of a list, tuple, string, array or tensor (its first dimension)."""
    return py.len(x)


def _range(*args: Any) -> range:
    """range(stop) / range(start, stop[, step]) of integers."""
    # A tensor bound goes through __index__, as in Python: one integer element only.
    return py.range(*(operator.index(a) if type(a) is Tensor else a for a in args))


def _list(x: Any = ()) -> list[Any]:
    """list(iterable); a tensor gives its rows (or elements) as tensors."""
    return py.list(_items(x, "list()"))


def _tuple(x: Any = ()) -> tuple[Any, ...]:
    """tuple(iterable)."""
    return tuple(_list(x))


def _bool(x: Any = False) -> bool:
    """bool(x); a one-element tensor gives its truth value."""
    return operators.truth(x)


def _str(x: Any = "") -> str:
    """str(x) as print shows it."""
    from gradcli.interp.values import to_str

    return to_str(x)


def _repr(x: Any) -> str:
    """repr(x) as Python + PyTorch show it (a string in quotes, array(...) for an array)."""
    from gradcli.interp.values import to_repr

    return to_repr(x)


def _enumerate(x: Any, start: int = 0) -> IteratorValue:
    """enumerate(iterable, start=0): a lazy iterator of (index, item) pairs, as in Python."""
    return IteratorValue("enumerate", py.enumerate(_items(x, "enumerate()"), start))


def _zip(*xs: Any, strict: Any = False) -> IteratorValue:
    """zip(a, b, …): a lazy iterator of tuples, as in Python."""
    seqs = [_items(x, "zip()") for x in xs]
    return IteratorValue("zip", py.zip(*seqs, strict=bool(strict)))


def _sorted(x: Any, *, key: Any = None, reverse: Any = False) -> list[Any]:
    """sorted(iterable, key=None, reverse=False) as in Python (a tensor: its rows)."""
    return py.sorted(_items(x, "sorted()"), key=key, reverse=reverse)


def _reversed(x: Any) -> Any:
    """reversed(sequence): a lazy iterator, as in Python; of a tensor, x.flip(0) as
    PyTorch's Tensor.__reversed__."""
    if type(x) is Tensor:
        # Tensor.__reversed__: the tensor itself when 0-d, else x.flip(0) (a tensor).
        return x if x.ndim == 0 else ops.flip(x, 0)
    if type(x) is dict:
        return IteratorValue("dict_reversekeyiterator", py.reversed(x))
    if isinstance(x, classes.InstanceValue):
        return _reversed_instance(x)
    if not isinstance(x, (list, tuple, str, range, ArrayValue)):
        raise GdRuntimeError(f"'{type_name(x)}' object is not reversible")
    kind = type(py.reversed(x)).__name__ if type(x) in (list, range) else "reversed"
    return IteratorValue(kind, py.reversed(_items(x, "reversed()")))


def _reversed_instance(x: Any) -> Any:
    """reversed(obj) of a gd instance: its __reversed__, else __len__ and __getitem__."""
    fn = x._dunder("__reversed__")
    if fn is not None:
        return fn(x)
    if isinstance(x, (list, dict, tuple)):  # a container's subclass (pysubclass)
        it = py.reversed(x)
        return IteratorValue(type(it).__name__, it)
    if x._dunder("__len__") is None or x._dunder("__getitem__") is None:
        raise GdRuntimeError(f"'{type_name(x)}' object is not reversible", py_type="TypeError")
    n = py.len(x)
    return IteratorValue("reversed", (x[i] for i in py.range(n - 1, -1, -1)))


def _any(x: Any) -> bool:
    """any(iterable) as in Python: a tensor's rows each need a truth value."""
    return py.any(operators.truth(v) for v in _items(x, "any()"))


def _all(x: Any) -> bool:
    """all(iterable) as in Python: a tensor's rows each need a truth value."""
    return py.all(operators.truth(v) for v in _items(x, "all()"))


def _map(fn: Any, *xs: Any) -> IteratorValue:
    """map(function, iterable, …): a lazy iterator, as in Python."""
    if not xs:
        raise GdRuntimeError("map() must have at least two arguments.")
    return IteratorValue("map", py.map(fn, *(_items(x, "map()") for x in xs)))


def _filter(fn: Any, x: Any) -> IteratorValue:
    """filter(function or None, iterable): a lazy iterator, as in Python."""
    items = _items(x, "filter()")
    if fn is None:
        return IteratorValue("filter", (v for v in items if operators.truth(v)))
    return IteratorValue("filter", (v for v in items if operators.truth(fn(v))))


def _dict(*args: Any, **kwargs: Any) -> dict[Any, Any]:
    """dict(), dict(mapping or pairs, **kw) as in Python."""
    if len(args) > 1:
        raise GdRuntimeError(f"dict expected at most 1 argument, got {len(args)}")
    out: dict[Any, Any] = {}
    if args:
        src = args[0]
        if isinstance(src, (dict, Mapping)):  # dict, its subclasses, a ChainMap
            out.update(src)
        else:
            for i, pair in enumerate(_items(src, "dict()")):
                items = py.list(_items(pair, "dict()")) if not isinstance(pair, str) else pair
                if py.len(items) != 2:
                    raise GdRuntimeError(f"dictionary update sequence element #{i} has length "
                                         f"{py.len(items)}; 2 is required")
                out[items[0]] = items[1]
    out.update(kwargs)
    return out


def _set(x: Any = ()) -> set[Any]:
    """set(iterable) as in Python."""
    return py.set(_items(x, "set()"))


@arity("frozenset", 0, 1)
def _frozenset(x: Any = ()) -> frozenset[Any]:
    """frozenset(iterable): an immutable set, as in Python."""
    return frozenset(_items(x, "frozenset()"))


def _slice(*args: Any, **kwargs: Any) -> slice:
    """slice(stop) / slice(start, stop[, step]): a slice for subscripts, as in Python."""
    if kwargs:
        raise TypeError("slice() takes no keyword arguments")
    if not 1 <= len(args) <= 3:
        raise TypeError(f"slice expected {'at least 1' if not args else 'at most 3'} "
                        f"argument{'s' if args else ''}, got {len(args)}")
    return slice(*args)


def _iter(x: Any) -> Any:
    """iter(iterable): a lazy iterator over it."""
    if isinstance(x, classes.InstanceValue):  # its __iter__'s value, itself perhaps
        it = py.iter(x)
        return it if isinstance(it, (IteratorValue, classes.InstanceValue)) else \
            IteratorValue("iterator", it)  # the old protocol: obj[0], obj[1], ...
    items = _items(x, "iter()")
    if isinstance(items, IteratorValue):  # a generator, or what a DataLoader's __iter__ gives
        return items
    return IteratorValue(_iter_kind(x), py.iter(items))


# Python's containers, whose iterators' class names (list_iterator, dict_itemiterator,
# odict_iterator, str_ascii_iterator...) the host's own iterator gives.
_HOST_ITERABLES = (list, tuple, range, str, dict, set, frozenset, bytes, bytearray,
                   collections.deque, type({}.keys()), type({}.values()), type({}.items()))


def _iter_kind(x: Any) -> str:
    """type(iter(x)).__name__ in Python: a tensor iterates over its unbind()'s tuple."""
    if isinstance(x, _HOST_ITERABLES):
        return type(py.iter(x)).__name__
    return "tuple_iterator" if type(x) is Tensor else "iterator"


_NO_DEFAULT = object()


def _next(it: Any, default: Any = _NO_DEFAULT) -> Any:
    """next(iterator[, default]): its next item (StopIteration at the end, or default)."""
    if not isinstance(it, IteratorValue) and not (
            isinstance(it, classes.InstanceValue) and it._dunder("__next__") is not None):
        raise GdRuntimeError(f"'{type_name(it)}' object is not an iterator",
                             py_type="TypeError")
    try:
        return py.next(it)
    except StopIteration as stop:
        if default is not _NO_DEFAULT:
            return default
        raise exceptions.stop_iteration(stop) from None


def next_item(it: Any) -> Any:
    """it.__next__(): next(it) without a default."""
    return _next(it)


# -- types: type(x) and isinstance(x, T) -------------------------------------------------
# type(x) gives the gd value that names x's type: the built-in itself for Python's types
# and torch.Tensor (so `type(x) is torch.Tensor` and `type(x)(v)` work), a gd class, or a
# TypeValue that only prints and compares. None of them is a host type object.

_PY_TYPES: dict[type, str] = {bytes: "bytes", bytearray: "bytearray",
                              int: "int", float: "float", str: "str", bool: "bool", list: "list",
                              tuple: "tuple", dict: "dict", set: "set", range: "range",
                              frozenset: "frozenset", slice: "slice"}
_OTHER_TYPES: dict[type, str] = {
    type(None): "NoneType", DType: "torch.dtype", Layout: "torch.layout", Namespace: "module",
    Builtin: "builtin_function_or_method", BoundMethod: "builtin_function_or_method",
    type({}.keys()): "dict_keys", type({}.values()): "dict_values",
    type({}.items()): "dict_items", collections.Counter: "collections.Counter",
    collections.deque: "collections.deque", collections.defaultdict: "collections.defaultdict",
    classes.BoundGdMethod: "method", MemoryFormat: "torch.memory_format",
}


def _grad_mode_type(x: grad_mode) -> str:
    """type() of torch.no_grad(), enable_grad(), set_grad_enabled(b), inference_mode()."""
    if isinstance(x, inference_mode):
        kind = "inference_mode"
    elif type(x) is not grad_mode:
        kind = "set_grad_enabled"
    else:
        kind = "enable_grad" if x.enabled else "no_grad"
    return f"torch.autograd.grad_mode.{kind}"


def _type(*args: Any) -> Any:
    """type(x): the type of x (<class 'int'>, <class 'torch.Tensor'>, a gd class)."""
    if len(args) != 1:
        if len(args) == 3:
            raise GdRuntimeError("type() with three arguments (making a class) is not "
                                 "supported in gd", hint="use a class statement")
        raise GdRuntimeError("type() takes 1 or 3 arguments")
    return type_of(args[0])


def type_of(x: Any) -> Any:
    """The gd value naming x's type, for type(x) and x.__class__ alike: never a host type."""
    from gradcli.interp.builtins import registry

    t = type(x)
    reg = registry()
    if t is Tensor:
        return reg.nn.members["Parameter"] if is_parameter(x) else reg.torch.members["Tensor"]
    if t is Size:
        return reg.torch.members["Size"]
    name = _PY_TYPES.get(t)
    if name is not None:
        return reg.bare[name]
    if isinstance(x, classes.InstanceValue):
        return x.cls
    if isinstance(x, classes.ClassValue) and x.function_base:
        return TypeValue("torch.autograd.function.FunctionMeta")
    if isinstance(x, classes.ClassValue) and (x.abstract is not None or any(
            getattr(c, "abc_base", False) for c in x.chain)):
        return TypeValue("abc.ABCMeta")  # abc.ABC's subclasses, prune.BasePruningMethod's
    if isinstance(x, (classes.ClassValue, TypeValue, exceptions.ExceptionClass)):
        return reg.bare["type"]
    if isinstance(x, Builtin):
        shown = repr(x)  # a built-in that stands for a class prints as <class '...'>
        if shown.startswith("<class '"):
            meta = metaclass_name(shown[8:-2])
            return reg.bare["type"] if meta is None else TypeValue(meta)
    if t is exceptions.ExceptionValue:
        return x.cls
    if isinstance(x, FunctionBase):
        return TypeValue("function")
    gd_class = getattr(t, "gd_class", None)  # a named tuple's class (pynamedtuple)
    if gd_class is not None:
        return gd_class
    if t is Node:
        return TypeValue(x.name)
    qualname = getattr(t, "QUALNAME", None)  # torch.utils.data's values
    if qualname is not None:
        return TypeValue(qualname)
    if isinstance(x, IteratorValue):
        return TypeValue(x.kind)
    torch_type = getattr(x, "torch_type", None)  # a torch object's class, fully named
    if torch_type is not None:
        return TypeValue(torch_type)
    if t is ArrayValue:  # numpy.ndarray, numpy.float64, numpy.bool...
        return TypeValue(x.type_name)
    if isinstance(x, grad_mode):
        return TypeValue(_grad_mode_type(x))
    if isinstance(x, Builtin) and type(x).__repr__ is Builtin.__repr__:
        shown = builtin_type(x.name)  # F.relu is a function, torch.sin a built-in
        if shown is not None:
            return reg.bare["type"] if shown == "type" else TypeValue(shown)
    name = _OTHER_TYPES.get(t, type_name(x))
    return TORCH_TYPES.get(name) or TypeValue(name)


# torch.dtype, torch.layout and torch.memory_format: the values type() gives (one each,
# so `type(torch.float32) is torch.dtype`), for isinstance(d, torch.dtype).
TORCH_TYPES: dict[str, TypeValue] = {
    name: TypeValue(name) for name in ("torch.dtype", "torch.layout", "torch.memory_format")}


# The classes of PyTorch's classes whose type is not `type` (torch.Tensor's metaclass...).
_METACLASSES = {
    "torch.Tensor": "torch._C._TensorMeta",
    "torch.nn.parameter.Parameter": "torch.nn.parameter._ParameterMeta",
    "torch.nn.parameter.Buffer": "torch.nn.parameter._BufferMeta",
    "torch._C.Generator": "torch._opaque_base.OpaqueBaseMeta",
    "torch.autograd.function.Function": "torch.autograd.function.FunctionMeta",
}


def metaclass_name(cls: str) -> str | None:
    """The dotted name of the type of the PyTorch class `cls` (fully named) when that is
    not `type`: torch.Tensor's _TensorMeta, the legacy torch.FloatTensor's tensortype."""
    if cls.startswith("torch.") and cls.count(".") == 1 and cls.endswith("Tensor") \
            and cls != "torch.Tensor":
        return "torch.tensortype"
    if cls.startswith(("collections.abc.", "numbers.")):
        return "abc.ABCMeta"
    return _METACLASSES.get(cls)


def _mixin(v: Any) -> str | None:
    """The value type an enum member derives from (IntEnum's int, `class M(str, Enum)`)."""
    return getattr(v.cls, "mixin", None) if isinstance(v, classes.InstanceValue) else None


_INSTANCE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "int": lambda v: type(v) is int or type(v) is bool or _mixin(v) == "int",
    # numpy.float64 is a float subclass (numpy's other scalars are not int or float ones)
    "float": lambda v: type(v) is float or _mixin(v) == "float" or (
        type(v) is ArrayValue and isinstance(v.value, float)),
    "str": lambda v: type(v) is str or _mixin(v) == "str",
    "bool": lambda v: type(v) is bool,
    "list": lambda v: type(v) is list or (isinstance(v, list)
                                          and isinstance(v, classes.InstanceValue)),
    "tuple": lambda v: isinstance(v, tuple),  # torch.Size is a tuple
    "dict": lambda v: isinstance(v, dict),  # state dicts (OrderedDict), opt.state
    "set": lambda v: type(v) is set or (isinstance(v, set)
                                        and isinstance(v, classes.InstanceValue)),
    "range": lambda v: type(v) is range,
    "frozenset": lambda v: type(v) is frozenset,
    "slice": lambda v: type(v) is slice,
    "complex": lambda v: type(v) is complex, "bytes": lambda v: type(v) is bytes,
    "bytearray": lambda v: type(v) is bytearray,
    "object": lambda v: True,
    "type": lambda v: isinstance(v, classes.ClassValue) or _is_type(v) or callable(
        getattr(type(v), "instance_check", None)),  # torch.autograd.Function
    "collections.OrderedDict": lambda v: isinstance(v, collections.OrderedDict),
    "collections.defaultdict": lambda v: isinstance(v, collections.defaultdict) or (
        isinstance(v, dict) and getattr(v, "torch_type", None) == "collections.defaultdict"),
    "collections.Counter": lambda v: isinstance(v, collections.Counter),
    "collections.deque": lambda v: type(v) is collections.deque,
    "torch.Tensor": lambda v: type(v) is Tensor,
    "torch.autograd.Variable": lambda v: type(v) is Tensor,  # every tensor is one
    "torch.Size": lambda v: type(v) is Size,
    "torch.nn.parameter.Parameter": lambda v: type(v) is Tensor and is_parameter(v),
}


def isinstance_of(x: Any, t: Any) -> bool:
    """isinstance(x, t), for typing's Union (its members one by one)."""
    return _isinstance(x, t)


def instance_check(type_name: str, x: Any) -> bool:
    """isinstance(x, T) for the built-in type named `type_name` ("list", "dict"...)."""
    return _INSTANCE_CHECKS[type_name](x)


def _is_type(t: Any) -> bool:
    return ((isinstance(t, Builtin) and (t.name in _INSTANCE_CHECKS
                                         or repr(t).startswith("<class '")))
            or isinstance(t, (TypeValue, classes.ClassValue, exceptions.ExceptionClass)))


def _tensor_type() -> Any:
    from gradcli.interp.builtins import registry

    return registry().torch.members.get("Tensor")


def _isinstance(x: Any, types: Any) -> bool:
    """isinstance(x, T or (T1, T2, ...)) with Python's types, torch.Tensor and gd classes."""
    for t in (types if type(types) is tuple else (types,)):
        if type(t) is tuple:
            if _isinstance(x, t):
                return True
            continue
        check = getattr(t, "instance_check", None)  # a class of torch.utils.data
        if check is not None and check(x):
            return True
        if isinstance(t, exceptions.ExceptionClass):
            if type(x) is exceptions.ExceptionValue and x.cls.is_subclass_of(t):
                return True
        elif check is not None and not isinstance(t, classes.ClassValue):
            continue
        elif isinstance(t, Builtin) and t.name in _INSTANCE_CHECKS:
            if _INSTANCE_CHECKS[t.name](x):
                return True
        elif isinstance(t, classes.ClassValue):
            if isinstance(x, classes.InstanceValue) and x.cls.is_subclass(t):
                return True
        elif type(t) is TypeValue:
            if _type(x) == t:
                return True
        elif t is _tensor_type():  # torch.Tensor, whatever value the registry gives it
            if type(x) is Tensor:
                return True
        elif hasattr(t, "instance_check"):  # a torch class gd defines (torch.optim.SGD)
            if t.instance_check(x):
                return True
        else:
            raise GdRuntimeError("isinstance() arg 2 must be a type, a tuple of types, or a "
                                 "union")
    return False


PYTHON_BUILTINS: dict[str, Callable[..., Any]] = {
    "len": _len, "range": _range, "abs": _abs, "float": float_of, "int": _int,
    "min": _minmax("min"), "max": _minmax("max"), "round": _round, "sum": _sum,
    "pow": _pow, "divmod": _divmod, "list": _list, "tuple": _tuple, "bool": _bool,
    "str": _str, "repr": _repr, "enumerate": _enumerate, "zip": _zip, "sorted": _sorted,
    "reversed": _reversed, "any": _any, "all": _all, "map": _map, "filter": _filter,
    "dict": _dict, "set": _set, "frozenset": _frozenset, "slice": _slice, "iter": _iter,
    "next": _next, "complex": complex_of,
    "bytes": pybytes.BYTES, "bytearray": pybytes.BYTEARRAY,
    "isinstance": _isinstance, "type": _type, "object": classes.make_object,
    "super": classes.super_of, "staticmethod": classes.StaticMethod,
    "classmethod": classes.ClassMethod, "property": classes.Property,
}




def _math_prod(iterable: Any, /, *, start: Any = 1) -> Any:
    """math.prod(iterable, *, start=1): start * item * item ..., as `*` does in gd."""
    out = start
    for item in _items(iterable, "math.prod()"):
        out = limits.check_int(operators.BINARY["mul"](out, item))
    return out


def _math_fsum(iterable: Any, /) -> float:
    """math.fsum(iterable): an exactly rounded float sum (tensors through float())."""
    return math.fsum(py.float(scalar(v)) if type(v) is Tensor else v
                     for v in _items(iterable, "math.fsum()"))


# math's functions of an iterable (builtins.py adds them to the math namespace).
MATH_REDUCTIONS: dict[str, Callable[..., Any]] = {"prod": _math_prod, "fsum": _math_fsum}


def _container_method(t: type, name: str) -> Callable[..., Any]:
    """dict.X / set.X, with iterable arguments checked against the size caps first
    (`s.update(range(10**9))` is refused, not run)."""
    method = getattr(t, name)
    if name in ("keys", "values", "items", "get", "pop", "popitem", "setdefault", "copy",
                "clear", "add", "discard", "remove"):
        return method

    def call(obj: Any, *args: Any, **kwargs: Any) -> Any:
        for a in args:
            limits.bounded(a, f"{t.__name__}.{name}()")
        return method(obj, *args, **kwargs)

    return call


# The dict, set and frozenset methods a gd program may call (attributes.py hands them out).
CONTAINER_METHODS: dict[type, dict[str, Callable[..., Any]]] = {
    t: {name: _container_method(t, name) for name in names} for t, names in (
        (dict, ("keys", "values", "items", "get", "pop", "popitem", "update", "setdefault",
                "copy", "clear")),
        (set, ("add", "discard", "remove", "pop", "clear", "copy", "update", "union",
               "intersection", "difference", "symmetric_difference", "issubset",
               "issuperset", "isdisjoint", "intersection_update", "difference_update",
               "symmetric_difference_update")),
        (frozenset, ("copy", "union", "intersection", "difference", "symmetric_difference",
                     "issubset", "issuperset", "isdisjoint")))}
