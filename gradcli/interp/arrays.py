"""NumPy arrays as gd sees them: what `x.numpy()` returns, behind an allow-list.

An `ArrayValue` wraps a numpy ndarray (or a numpy scalar such as `a.sum()` gives) and
prints exactly as numpy prints it (`[1.  2.5]`, `array([1. , 2.5], dtype=float32)` in a
list, `np.float32(6.0)`). A program reaches only the attributes in ARRAY_PROPERTIES and
ARRAY_METHODS (no `tofile`, `ctypes`, `data`, `base`, `__array_interface__`, …), and only
plain values go into numpy (numbers, bools, None, slices, tuples and lists of them, other
arrays), so no call can hand numpy a gd object to call back into, or a file name.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.graph import VMAP_DATA
from gradcli.ad.state import State, check_broadcast, check_size
from gradcli.ad.tensor import Tensor, tensor_from_array
from gradcli.errors import GdRuntimeError
from gradcli.interp import limits

_SAFE_KINDS = frozenset("biufc")  # bool, ints, floats, complex: never object, string or void


class NumpyDType:
    """A numpy dtype: prints as float32, repr dtype('float32')."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"dtype('{self.name}')"

    def __str__(self) -> str:
        return self.name

    def __eq__(self, other: object) -> bool:
        """numpy's dtype equality: another dtype, a name ('float64', 'f8'), a numpy scalar
        type (np.float64) or Python's (float)."""
        if isinstance(other, NumpyDType):
            return other.name == self.name
        convert = NUMPY_TYPES.get(type(other))
        if not isinstance(other, str) and convert is None:
            return False
        try:
            return bool(np.dtype(self.name) == (other if convert is None else convert(other)))
        except (TypeError, ValueError, GdRuntimeError):
            return False

    def __hash__(self) -> int:
        return hash(self.name)


#: A numpy dtype's plain attributes a program may read (`a.dtype.name`, `.itemsize`,
#: `.kind`: numpy code tests `x.dtype.kind == 'f'`), each a str, int or bool.
DTYPE_ATTRIBUTES = frozenset(("name", "itemsize", "char", "str", "byteorder", "alignment",
                              "isbuiltin", "num", "kind"))


def dtype_attribute(d: NumpyDType, name: str) -> Any:
    """One of DTYPE_ATTRIBUTES of a dtype, numpy's own value (a str, int or bool)."""
    return getattr(np.dtype(d.name), name)


class ArrayValue:
    """A numpy array (or numpy scalar) a gd program holds."""

    __slots__ = ("_obj",)

    def __init__(self, obj: np.ndarray | np.generic) -> None:
        self._obj = obj

    @property
    def value(self) -> np.ndarray | np.generic:
        """The wrapped numpy object (for gd's own code, never reachable from a program)."""
        return self._obj

    def __repr__(self) -> str:
        return repr(self._obj)

    def __str__(self) -> str:
        return str(self._obj)

    def __format__(self, spec: str) -> str:
        return format(self._obj, spec)  # numpy's: a scalar takes .3f, an array no spec

    @property
    def type_name(self) -> str:
        """numpy's type name as Python's messages show it: numpy.ndarray, numpy.float32…"""
        return "numpy." + type(self._obj).__name__

    # -- Python protocols (what operators, len, iteration, float() use) ----------------
    def __len__(self) -> int:
        return len(self._obj)

    def __bool__(self) -> bool:
        return bool(self._obj)

    def __float__(self) -> float:
        return float(self._obj)

    def __int__(self) -> int:
        return int(self._obj)

    def __index__(self) -> int:
        return operator.index(self._obj)

    def __iter__(self) -> Any:
        if isinstance(self._obj, np.ndarray) and self._obj.ndim == 0:
            raise GdRuntimeError("iteration over a 0-d array")
        return (wrap(v) for v in self._obj)

    def __neg__(self) -> Any:
        return wrap(-self._obj)

    def __pos__(self) -> Any:
        return wrap(+self._obj)

    def __abs__(self) -> Any:
        return wrap(abs(self._obj))

    def __invert__(self) -> Any:
        return wrap(~self._obj)

    def __round__(self, ndigits: Any = None) -> Any:
        return wrap(round(self._obj, ndigits))

    def __hash__(self) -> int:
        if isinstance(self._obj, np.ndarray):
            raise GdRuntimeError("unhashable type: 'numpy.ndarray'")
        return hash(self._obj)


def _binary(op: Callable[[Any, Any], Any], reflected: bool = False) -> Callable[..., Any]:
    def method(self: ArrayValue, other: Any) -> Any:
        if type(other) is Tensor:
            return NotImplemented
        o = plain(other)
        a = self.value
        check_broadcast([a, o] if type(o) is np.ndarray else [a])
        return wrap(op(o, a) if reflected else op(a, o))

    return method


for _name, _op in (("add", operator.add), ("sub", operator.sub), ("mul", operator.mul),
                   ("truediv", operator.truediv), ("floordiv", operator.floordiv),
                   ("mod", operator.mod), ("pow", operator.pow), ("matmul", operator.matmul),
                   ("and", operator.and_), ("or", operator.or_), ("xor", operator.xor)):
    setattr(ArrayValue, f"__{_name}__", _binary(_op))
    setattr(ArrayValue, f"__r{_name}__", _binary(_op, reflected=True))
for _name, _op in (("eq", operator.eq), ("ne", operator.ne), ("lt", operator.lt),
                   ("le", operator.le), ("gt", operator.gt), ("ge", operator.ge)):
    setattr(ArrayValue, f"__{_name}__", _binary(_op))


def wrap(v: Any) -> Any:
    """A numpy result as a gd value: arrays and numpy scalars wrapped, Python values as is."""
    if isinstance(v, np.ndarray):
        if v.dtype.kind not in _SAFE_KINDS:
            raise GdRuntimeError(f"numpy arrays of dtype {v.dtype} are not supported in gd")
        return ArrayValue(v)
    if isinstance(v, np.generic):
        if v.dtype.kind not in _SAFE_KINDS:
            raise GdRuntimeError(f"numpy values of dtype {v.dtype} are not supported in gd")
        return ArrayValue(v)
    if isinstance(v, np.dtype):
        return NumpyDType(str(v))
    if type(v) is tuple:
        return tuple(wrap(x) for x in v)
    return v


#: gd values that stand for numpy types (numpy_ns's np.float32), by their class: what numpy
#: gets for them (`x.astype(np.float32)`, `dtype=np.float32`).
NUMPY_TYPES: dict[type, Callable[[Any], Any]] = {}


def plain(v: Any) -> Any:
    """A gd value as numpy may see it: numbers, bools, None, slices, ellipsis, arrays,
    dtypes and tuples or lists of these. Anything else (a function, a namespace…) is
    refused."""
    t = type(v)
    if t in (int, float, complex, bool) or v is None or v is Ellipsis:
        return v
    if t is NumpyDType:
        return np.dtype(v.name)
    if t in NUMPY_TYPES:
        return NUMPY_TYPES[t](v)
    if t is ArrayValue:
        return v.value
    if t is Tensor:
        # As numpy reads a tensor (its __array__, which is x.numpy(): refused for a tensor
        # that requires grad), read-only: no numpy call may write into a tensor through a
        # positional `out` (a.round(1, x)), past autograd's checks.
        if v.requires_grad:
            tensor_numpy(v)
        view = v.array.view()
        view.flags.writeable = False
        return view
    if t is tuple or t is list:
        return t(plain(x) for x in v)
    if t is slice:
        return slice(plain(v.start), plain(v.stop), plain(v.step))
    raise GdRuntimeError(f"a numpy array cannot take a '{type_name_of(v)}' value")


def type_name_of(v: Any) -> str:
    from gradcli.interp.values import type_name

    return type_name(v)


# -- attributes ---------------------------------------------------------------------------

def _shape(a: Any) -> tuple[int, ...]:
    return tuple(np.shape(a))


ARRAY_PROPERTIES: dict[str, Callable[[Any], Any]] = {
    "shape": _shape,
    "ndim": lambda a: int(np.ndim(a)),
    "size": lambda a: int(np.size(a)),
    "dtype": lambda a: NumpyDType(str(a.dtype)),
    "T": lambda a: a.T,
    "real": lambda a: a.real,
    "imag": lambda a: a.imag,
    "itemsize": lambda a: int(a.itemsize),
    "nbytes": lambda a: int(a.nbytes),
}

# Methods that only compute from the array: results are new arrays, numpy scalars or
# Python values. (`fill`, `sort` change the array in place, as in numpy.)
ARRAY_METHODS = frozenset((
    "sum", "mean", "max", "min", "prod", "std", "var", "argmax", "argmin", "cumsum",
    "cumprod", "any", "all", "round", "clip", "reshape", "flatten", "ravel", "squeeze",
    "transpose", "swapaxes", "copy", "tolist", "item", "dot", "nonzero", "fill", "sort",
    "argsort", "trace", "diagonal", "conj", "ptp", "astype",
))


def out_arrays(out: Any) -> Any:
    """numpy's out= argument from a gd value: a gd-held numpy array (written in place, as
    numpy writes it: torch.from_numpy's tensor of it sees the change) or a tuple of them;
    anything else is numpy's own TypeError (a tensor too: gd hands numpy tensors
    read-only)."""
    if type(out) is ArrayValue and isinstance(out.value, np.ndarray):
        return out.value
    if type(out) is tuple and out and all(type(o) is ArrayValue and
                                          isinstance(o.value, np.ndarray) for o in out):
        return tuple(o.value for o in out)
    raise TypeError("return arrays must be of ArrayType")


def out_result(result: Any, out: Any, convert: Callable[[Any], Any] = wrap) -> Any:
    """The value of a numpy call given out=: the gd array(s) passed as out when numpy
    returned them (so `np.add(a, 1, out=a) is a`), else numpy's result converted."""
    if type(out) is ArrayValue and result is out.value:
        return out
    if type(out) is tuple and type(result) is tuple and len(result) == len(out) and all(
            r is o.value for r, o in zip(result, out, strict=True)):
        return out
    return convert(result)


# The words array methods take besides dtypes: memory orders, sort kinds, casting rules.
_METHOD_WORDS = frozenset(("C", "F", "A", "K", "quicksort", "mergesort", "heapsort",
                           "stable", "no", "equiv", "safe", "same_kind", "unsafe"))


def _method_arg(v: Any) -> Any:
    """An argument of an allow-listed array method: a plain value, or a string that names
    a bool, integer, float or complex dtype (`x.astype("float32")`) or is one of
    _METHOD_WORDS (an order, a sort kind); no object or text dtype ('O', 'U3') gets in."""
    if type(v) is not str:
        return plain(v)
    if v in _METHOD_WORDS:
        return v
    try:
        kind = np.dtype(v).kind
    except TypeError:
        return v  # no dtype at all: numpy's own TypeError ("data type ... not understood")
    if kind not in "biufc":
        raise GdRuntimeError("a numpy array cannot take a 'str' value")
    return v


def _call_method(name: str) -> Callable[..., Any]:
    def call(arr: ArrayValue, *args: Any, **kwargs: Any) -> Any:
        out = kwargs.pop("out", None)
        a = arr.value
        if name == "tolist":
            limits.check_length(int(np.size(a)), "tolist()")  # as a tensor's tolist()
        method = getattr(a, name) if name != "ptp" else (lambda *p, **k: np.ptp(a, *p, **k))
        kw = {k: _method_arg(v) for k, v in kwargs.items()}
        if out is not None:
            return out_result(method(*(_method_arg(x) for x in args), **kw,
                                     out=out_arrays(out)), out)
        result = method(*(_method_arg(x) for x in args), **kw)
        if isinstance(result, np.ndarray):
            check_size(result.size)
        return wrap(result)

    return call


_CALLS = {name: _call_method(name) for name in ARRAY_METHODS}


def get_attribute(arr: ArrayValue, name: str) -> tuple[bool, Any]:
    """(found, value) for arr.name on the allow-list."""
    from gradcli.interp.values import BoundMethod

    prop = ARRAY_PROPERTIES.get(name)
    if prop is not None:
        return True, wrap(prop(arr.value))
    if name in _CALLS:
        return True, BoundMethod(arr, name, _CALLS[name])
    return False, None


def names() -> list[str]:
    """Every attribute name a program may read (for did-you-mean)."""
    return [*ARRAY_PROPERTIES, *sorted(ARRAY_METHODS)]


# -- indexing ------------------------------------------------------------------------------

def get_item(arr: ArrayValue, idx: Any) -> Any:
    """arr[idx] as numpy indexes."""
    result = arr.value[plain(idx)]
    if isinstance(result, np.ndarray):
        check_size(result.size)
    return wrap(result)


def set_item(arr: ArrayValue, idx: Any, value: Any) -> None:
    """arr[idx] = value as numpy assigns (into the array, shared with its tensor)."""
    a = arr.value
    if not isinstance(a, np.ndarray):
        raise GdRuntimeError(f"'{arr.type_name}' object does not support item assignment",
                             py_type="TypeError")
    a[plain(idx)] = plain(value)


# -- between tensors and arrays ------------------------------------------------------------

def tensor_numpy(x: Tensor, force: bool = False) -> ArrayValue:
    """x.numpy(): the tensor's data as an array sharing its memory (as PyTorch)."""
    if State.vmapping and hasattr(x, "batched"):
        raise GdRuntimeError(VMAP_DATA)
    if x.requires_grad and not force:
        raise GdRuntimeError("Can't call numpy() on Tensor that requires grad. "
                             "Use tensor.detach().numpy() instead.")
    if hasattr(x, "zero") and not force:
        raise GdRuntimeError(" Cannot convert a ZeroTensor to numpy. Set force=True if you "
                             "need the zero array.")
    if getattr(x, "meta", False):
        raise GdRuntimeError("can't convert meta device type tensor to numpy. Use "
                             "Tensor.cpu() to copy the tensor to host memory first.",
                             py_type="TypeError")
    return ArrayValue(x.array)


def from_numpy(a: Any) -> Tensor:
    """torch.from_numpy(a): a tensor sharing the array's memory."""
    if type(a) is not ArrayValue or not isinstance(a.value, np.ndarray):
        raise GdRuntimeError(f"expected np.ndarray (got {type_name_of(a)})")
    arr = a.value
    if arr.dtype != dtypes.canonical(arr.dtype):
        raise GdRuntimeError(f"numpy arrays of dtype {arr.dtype} are not supported in gd")
    return tensor_from_array(arr)


def unwrap_for_tensor(data: Any) -> Any:
    """torch.tensor(data) of an array, or of lists holding arrays and numpy scalars (each
    keeps its dtype for the inference, as a tensor does)."""
    if type(data) is ArrayValue:
        return data.value
    return _unwrapped(data, {})


def _unwrapped(data: Any, done: dict[int, Any]) -> Any:
    """unwrap_for_tensor of a list or tuple (else data itself); `done`: the sequences
    already unwrapped, by id: `[[1.0] * 10**4] * 10**4` holds one row 10⁴ times, walked
    once (not 10⁸ element checks before the element cap is met)."""
    if type(data) not in (list, tuple):
        return data
    key = id(data)
    out = done.get(key)
    if out is not None:
        return out
    out = data
    if any(type(x) in (ArrayValue, list, tuple) for x in data):
        # a one-element array is a scalar of its dtype (a tensor, as item() takes it); a
        # longer one is a nested sequence PyTorch stacks (the array itself)
        out = type(data)(
            (tensor_from_array(np.asarray(x.value)) if np.size(x.value) == 1
             else np.asarray(x.value)) if type(x) is ArrayValue
            else _unwrapped(x, done) for x in data)
    done[key] = out
    return out
