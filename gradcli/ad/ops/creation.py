"""Creation and random ops: tensor(), zeros, full, …, and PyTorch's CPU generator
(rand, randn, normal, randint), plus the helpers every family uses to take
arguments (_as_tensor, _arr, dtypes_resolve, _shape_args). The ranges (arange, linspace,
logspace, range) are in ops/ranges.py.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor, is_meta, mark_meta, tensor_from_array
from gradcli.ad.kernels.elementwise import checked_int
from gradcli.ad.kernels.iteration import reorder_dimensions
from gradcli.ad.kernels.messages import TorchError
from gradcli.ad.ops.devices import check_device, on_meta, torch_error
from gradcli.ad.ops.surface import expose
from gradcli.ad.rng import Generator
from gradcli.ad.state import COPY_CONSTRUCT, check_size, warn
from gradcli.errors import GdRuntimeError


def _as_tensor(x: Any) -> Tensor:
    if type(x) is Tensor:
        return x
    return tensor(x)


def _arr(x: Any) -> Any:
    return x.array if type(x) is Tensor else x


def as_index(v: Any) -> int | None:
    """v's __index__ (a program's class that defines one, a NumPy integer): the int Python
    reads it as, or None when v has none (or refuses, as a NumPy float's does)."""
    if getattr(type(v), "__index__", None) is None or isinstance(v, float):
        return None
    try:
        return operator.index(v)
    except TypeError:
        return None



# -- shape ------------------------------------------------------------------------------

def _shape_args(args: Sequence[Any]) -> tuple[int, ...]:
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    out = []
    for a in args:
        if isinstance(a, Tensor):
            a = int(a.item())
        elif not isinstance(a, (int, np.integer)) and (i := as_index(a)) is not None:
            a = i  # a program's object with __index__
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)):
            raise GdRuntimeError(
                f"expected a sequence of ints for the size, got {type(a).__name__}")
        out.append(int(a))
    return tuple(out)


def _new_shape(args: Sequence[Any], op: str = "") -> tuple[int, ...]:
    """The size of a new tensor, refusing negative dims with PyTorch's words."""
    shape = _shape_args(args)
    if any(d < 0 for d in shape):
        if op == "zeros":
            raise GdRuntimeError("zeros: Dimension size must be non-negative.")
        d = next(d for d in shape if d < 0)
        raise GdRuntimeError(f"Trying to create tensor with negative dimension {d}: "
                             f"{list(shape)}")
    return shape


def _unwrap_list(v: Any) -> Any:
    if isinstance(v, list):
        return [_unwrap_list(x) for x in v]
    if type(v) is Tensor:
        return v.array
    return v


# -- conversion and copies --------------------------------------------------------------

def dtypes_resolve(d: Any) -> np.dtype:
    """A dtype from our dtype objects, numpy dtypes or names like 'float64'."""
    if isinstance(d, np.dtype):
        return d
    np_attr = getattr(d, "np", None)
    if np_attr is not None:
        return np_attr
    if isinstance(d, str) and d.removeprefix("torch.") in dtypes.ALIASES:
        return dtypes.DTYPES[dtypes.ALIASES[d.removeprefix("torch.")]]
    if d is float:
        return dtypes.float64
    if d is int:
        return dtypes.int64
    if d is bool:
        return dtypes.boolean
    raise GdRuntimeError(f"unknown dtype {d!r}")


def set_default_dtype(d: Any) -> None:
    """torch.set_default_dtype: the dtype of tensors made from Python floats (float32 or
    float64). It lasts until the command ends (the Session restores the previous one)."""
    if not isinstance(d, np.dtype) and getattr(d, "np", None) is None:  # a torch.dtype only
        raise GdRuntimeError("invalid dtype object: only floating-point types are supported "
                             "as the default type", py_type="TypeError")
    dt = dtypes_resolve(d)
    if dt.kind != "f":
        raise GdRuntimeError("only floating-point types are supported as the default type",
                             py_type="TypeError")
    dtypes.set_default_dtype(dtypes.name_of(dt))


def _like(x: Any, dtype: Any) -> tuple[tuple[int, ...], np.dtype]:
    a = _arr(x)
    return np.shape(a), (np.asarray(a).dtype if dtype is None else dtypes_resolve(dtype))


def zeros_like(input: Any, dtype: Any = None, requires_grad: bool = False, **_: Any) -> Tensor:
    """Zeros shaped like input."""
    shape, dt = _like(input, dtype)
    return _leaf(np.zeros(shape, dtype=dt), requires_grad)


def ones_like(input: Any, dtype: Any = None, requires_grad: bool = False, **_: Any) -> Tensor:
    """Ones shaped like input."""
    shape, dt = _like(input, dtype)
    return _leaf(np.ones(shape, dtype=dt), requires_grad)


def empty_like(input: Any, dtype: Any = None, requires_grad: bool = False,
               **_: Any) -> Tensor:
    """An uninitialised tensor shaped like input (zeros here)."""
    return zeros_like(input, dtype, requires_grad)


def full_like(input: Any, fill_value: Any, dtype: Any = None, requires_grad: bool = False,
              **_: Any) -> Tensor:
    """fill_value everywhere, shaped like input."""
    shape, dt = _like(input, dtype)
    return _leaf(np.full(shape, _num(fill_value), dtype=dt), requires_grad)


def _kept_order(input: Any) -> list[int] | None:
    """The dims, slowest first, of the layout a *_like of input has (PyTorch's
    preserve_format: a transposed input gives a transposed result), or None for C order."""
    a = input.array if type(input) is Tensor else None
    if a is None or a.ndim < 2 or a.flags.c_contiguous:
        return None
    order = reorder_dimensions(a.shape, [a.strides])[::-1]
    return None if order == list(range(a.ndim)) else order


def rand_like(input: Tensor, dtype: Any = None, requires_grad: bool = False,
              **_: Any) -> Tensor:
    """Uniform [0, 1) shaped and laid out like input (its draws in memory order)."""
    if is_meta(input):  # no values: nothing drawn
        return mark_meta(_leaf(np.zeros(input.shape, dtype or input.dtype), requires_grad))
    order = _kept_order(input)
    if order is None:
        return rand(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)
    t = rand(tuple(input.shape[d] for d in order), dtype=dtype or input.dtype)
    return _leaf(t.array.transpose(np.argsort(order)), requires_grad)


def randn_like(input: Tensor, dtype: Any = None, requires_grad: bool = False,
               **_: Any) -> Tensor:
    """Standard normal shaped and laid out like input: a layout that is not contiguous
    takes the serial kernel's draws, in memory order (as its normal_ does)."""
    if is_meta(input):  # no values: nothing drawn
        return mark_meta(_leaf(np.zeros(input.shape, dtype or input.dtype), requires_grad))
    order = _kept_order(input)
    if order is None:
        return randn(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)
    dt = _float_creation(dtype or input.dtype, "normal_kernel_cpu")
    vals = gen_of(None).normal(0.0, 1.0, tuple(input.shape[d] for d in order), dt,
                               serial=True)
    return _leaf(vals.transpose(np.argsort(order)), requires_grad)


def new_tensor(self: Tensor, data: Any, dtype: Any = None, requires_grad: bool = False,
               **_: Any) -> Tensor:
    """A new tensor from data, of self's dtype unless dtype is given."""
    return tensor(data, dtype=self.dtype if dtype is None else dtype,
                  requires_grad=requires_grad)


def _new_sized(fill: Callable[..., Tensor]) -> Callable[..., Tensor]:
    def method(self: Tensor, *size: Any, dtype: Any = None, requires_grad: bool = False,
               **kwargs: Any) -> Tensor:
        if not size and "size" in kwargs:  # x.new_zeros(size=(2, 3))
            size = (kwargs.pop("size"),)
        _new_shape(size)  # x.new_zeros(-1): the generic message, not torch.zeros' own
        return fill(*size, dtype=self.dtype if dtype is None else dtype,
                    requires_grad=requires_grad, **kwargs)

    method.__doc__ = f"x.new_{fill.__name__}(size): torch.{fill.__name__} of x's dtype."
    return method


def new_full(self: Tensor, size: Any, fill_value: Any, dtype: Any = None,
             requires_grad: bool = False, **kwargs: Any) -> Tensor:
    """fill_value everywhere, of self's dtype unless dtype is given."""
    return full(size, fill_value, dtype=self.dtype if dtype is None else dtype,
                requires_grad=requires_grad, **kwargs)


# -- creation ---------------------------------------------------------------------------

def _leaf(a: np.ndarray, requires_grad: bool = False) -> Tensor:
    check_size(a.size)
    t = tensor_from_array(a)
    if requires_grad:
        if a.dtype.kind == "c":
            raise GdRuntimeError("complex tensors that require grad are not supported "
                                 "by gradcli (it records no complex derivatives)")
        if a.dtype.kind != "f":
            # A constructor's wording differs from requires_grad_()'s, as in PyTorch.
            raise GdRuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients")
        t.requires_grad = True
    return t


def _infer_dtype(data: Any) -> np.dtype:
    """PyTorch's infer_scalar_type of a sequence: its items' types promoted together (a
    tensor's dtype, bool, int64 for an int, the default dtype for a float)."""
    found: list[np.dtype] = []

    def walk(v: Any) -> None:
        if isinstance(v, (list, tuple)):
            for e in v:
                walk(e)
        elif type(v) is Tensor:
            found.append(v.array.dtype)
        elif type(v) is np.ndarray:  # a numpy array inside the list: its dtype
            found.append(v.dtype)
        elif isinstance(v, bool):
            found.append(dtypes.boolean)
        elif isinstance(v, int):
            found.append(dtypes.int64)
        elif isinstance(v, float):
            found.append(dtypes.default_dtype())
        elif isinstance(v, complex):  # 1j: the default dtype's complex one
            found.append(dtypes.default_complex())
        elif isinstance(v, str):
            raise GdRuntimeError(f"new(): invalid data type '{type(v).__name__}'",
                                 py_type="TypeError")
        else:
            raise GdRuntimeError(f"Could not infer dtype of {type(v).__name__}")

    walk(data)
    if not found:
        return dtypes.default_dtype()
    out = found[0]
    for d in found[1:]:
        out = dtypes.promote_pair(out, d)
    return out


def _items(v: Any) -> Any:
    """Nested lists and tuples as lists, a tensor inside them as its one value (PyTorch
    stores it as a scalar, through item(): a tensor of more or fewer elements is an
    error)."""
    if isinstance(v, (list, tuple)):
        return [_items(x) for x in v]
    if type(v) is Tensor:
        if v.array.size != 1:
            raise GdRuntimeError("only one element tensors can be converted to Python "
                                 "scalars", py_type="ValueError")
        return v.array.reshape(())
    return v


def _has_negative_int(v: Any) -> bool:
    if isinstance(v, (list, tuple)):
        return any(_has_negative_int(e) for e in v)
    return type(v) is int and v < 0


def _check_scalars(data: Any, dt: np.dtype) -> None:
    # PyTorch's words where numpy's conversion would fail: a list where a number belongs,
    # integers beyond int64, a non-finite float into an integer dtype.
    def walk(v: Any, depth: int) -> None:
        if isinstance(v, (list, tuple)):
            if depth == 0:
                raise GdRuntimeError("must be real number, not list" if dt.kind == "f" else
                                     "'list' object cannot be interpreted as an integer")
            for e in v:
                walk(e, depth - 1)
        elif isinstance(v, int) and not isinstance(v, bool) and not -2**63 <= v < 2**63:
            if dt.kind != "f":
                raise GdRuntimeError("Overflow when unpacking long long", py_type="ValueError")
        elif isinstance(v, float) and dt.kind in "iu" and not math.isfinite(v):
            raise GdRuntimeError("value cannot be converted to type int64 without overflow")
        elif type(v) is int and dt.kind in "iu" and dt.itemsize < 8:
            info = np.iinfo(dt)  # checked_convert: an unsigned dtype's negatives wrap
            if v > info.max or v < (-int(info.max) if info.min == 0 else info.min):
                raise GdRuntimeError(f"value cannot be converted to type {dt.name} without "
                                     "overflow")
        else:
            _check_element(v, dt)

    depth, first = 0, data
    while isinstance(first, (list, tuple)):
        depth += 1
        if not first:
            break
        first = first[0]
    walk(data, depth)


def _check_element(v: Any, dt: np.dtype) -> None:
    # An element PyTorch's conversion to the dtype refuses (numpy would parse a string,
    # make None a nan, or take a complex number's truth into a bool).
    if dt.kind in "iub" and type(v) is Tensor and (v.array.dtype.kind in "fc"
                                                   or v.array.size != 1):
        raise GdRuntimeError("only integer tensors of a single element can be converted to "
                             "an index", py_type="TypeError")
    bad = v is None or isinstance(v, str) or (isinstance(v, complex) and dt.kind in "fiu")
    if not bad:
        return
    name = "NoneType" if v is None else type(v).__name__
    if dt.kind in "fc":
        raise GdRuntimeError(f"must be real number, not {name}", py_type="TypeError")
    raise GdRuntimeError(f"'{name}' object cannot be interpreted as an integer",
                         py_type="TypeError")


def _check_ragged(data: Any, dim: int = 0) -> None:
    if isinstance(data, (list, tuple)) and data and isinstance(data[0], (list, tuple)):
        n = len(data[0])
        for e in data:
            if not isinstance(e, (list, tuple)):
                raise GdRuntimeError("not a sequence", py_type="TypeError")
            if len(e) != n:
                raise GdRuntimeError(
                    f"expected sequence of length {n} at dim {dim + 1} (got {len(e)})",
                    py_type="ValueError")
        for e in data:
            _check_ragged(e, dim + 1)


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None,
           **_: Any) -> Tensor:
    """A new leaf tensor from numbers, (nested) lists or another tensor (copied; PyTorch
    warns that clone().detach() is the way to copy a tensor)."""
    meta = on_meta(device)
    if not meta:
        check_device(device)
    if type(data) is Tensor:
        warn(COPY_CONSTRUCT)
        out = _copy(data, dtype, requires_grad)
    else:
        out = _new(data, dtype, requires_grad)
    return mark_meta(out) if meta or (type(data) is Tensor and is_meta(data)) else out


def _copy(data: Tensor, dtype: Any, requires_grad: bool) -> Tensor:
    a = data.array.copy()
    if dtype is not None:
        a = a.astype(dtypes_resolve(dtype))
    return _leaf(a, requires_grad)


def _new(data: Any, dtype: Any, requires_grad: bool) -> Tensor:
    if isinstance(data, (np.ndarray, np.generic)):
        dt = dtypes_resolve(dtype) if dtype is not None else dtypes.canonical(data.dtype)
        return _leaf(np.asarray(data).astype(dt), requires_grad)
    if type(data) is range:  # a sequence to PyTorch, as a list is
        check_size(len(data))
        data = list(data)
    n, first = 1, data  # the element count, from the first item at each depth
    while isinstance(first, (list, tuple)) and first:
        n *= len(first)
        first = first[0]
    check_size(n * first.array.size if type(first) is Tensor else n)
    if isinstance(data, str):  # whatever the dtype: PyTorch never parses text
        raise GdRuntimeError("new(): invalid data type 'str'", py_type="TypeError")
    if isinstance(data, (list, tuple)) and isinstance(first, str):
        # PyTorch infers the shape from the first items, and a string is a sequence.
        raise GdRuntimeError("too many dimensions 'str'", py_type="ValueError")
    _check_ragged(data)
    dt = dtypes_resolve(dtype) if dtype is not None else _infer_dtype(data)
    _check_scalars(data, dt)
    try:
        items = _items(data) if isinstance(data, (list, tuple)) else data
        if dt.kind in "iu" and dt.itemsize < 8 and _has_negative_int(items):
            a = np.array(items, dtype=np.int64).astype(dt)  # (uint8's -2: 254, a C cast)
        else:
            a = np.array(items, dtype=dt)
    except (ValueError, TypeError, OverflowError) as e:
        raise GdRuntimeError(f"could not make a tensor: {e}") from None
    return _leaf(a, requires_grad)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """A tensor from data (the same tensor when it already is one with this dtype)."""
    check_device(device)
    if type(data) is Tensor:
        if dtype is None or data.array.dtype == dtypes_resolve(dtype):
            return data
        return _copy(data, dtype, False)
    return _new(data, dtype, False)


def _creation_dtype(dtype: Any, default: np.dtype | None = None) -> np.dtype:
    if dtype is not None:
        return dtypes_resolve(dtype)
    return default if default is not None else dtypes.default_dtype()


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False, **_: Any) -> Tensor:
    """Zeros of a size."""
    shape = _new_shape(size, "zeros")
    check_size(math.prod(shape))
    return _leaf(np.zeros(shape, dtype=_creation_dtype(dtype)), requires_grad)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False, **_: Any) -> Tensor:
    """Ones of a size."""
    shape = _new_shape(size)
    check_size(math.prod(shape))
    return _leaf(np.ones(shape, dtype=_creation_dtype(dtype)), requires_grad)


def empty(*size: Any, dtype: Any = None, requires_grad: bool = False, **_: Any) -> Tensor:
    """An uninitialised tensor of a size (zeros here)."""
    shape = _new_shape(size)
    check_size(math.prod(shape))
    return _leaf(np.zeros(shape, dtype=_creation_dtype(dtype)), requires_grad)


# The C++ names PyTorch's conversion errors give a dtype.
_C_TYPES = {"float32": "float", "float64": "double", "int64": "int64_t", "int32": "int",
            "float16": "c10::Half", "bool": "bool", "int16": "short", "int8": "signed char",
            "uint8": "unsigned char"}


def complex_to_real_error(dt: np.dtype) -> GdRuntimeError:
    """PyTorch's error for a Python complex number where a real dtype's value belongs."""
    return GdRuntimeError(f"value cannot be converted to type {_C_TYPES.get(dt.name, dt.name)}"
                          " without overflow")


def full(size: Any, fill_value: Any, dtype: Any = None, requires_grad: bool = False,
         **_: Any) -> Tensor:
    """fill_value everywhere (dtype inferred from the value)."""
    shape = _new_shape((size,))
    check_size(math.prod(shape))
    if type(fill_value) is Tensor:
        fill_value = fill_value.item()
    default = (dtypes.boolean if isinstance(fill_value, bool) else
               dtypes.int64 if isinstance(fill_value, int) else
               dtypes.default_complex() if isinstance(fill_value, complex) else
               dtypes.default_dtype())
    dt = _creation_dtype(dtype, default)
    if isinstance(fill_value, complex) and dt.kind != "c":
        raise complex_to_real_error(dt)
    if dt == dtypes.int64 and isinstance(fill_value, (float, int)) and not (
            -2.0**63 <= fill_value < 2.0**63):
        raise GdRuntimeError("value cannot be converted to type int64_t without overflow")
    if type(fill_value) is int and dt.kind in "iu":  # checked_convert (uint8's -2: 254)
        try:
            fill_value = checked_int(fill_value, dt)
        except TorchError as e:
            raise GdRuntimeError(str(e)) from None
    return _leaf(np.full(shape, fill_value, dtype=dt), requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = None, requires_grad: bool = False,
        **_: Any) -> Tensor:
    """Identity matrix."""
    for name, v in (("n", n), ("m", m)):
        if v is not None and v < 0:
            raise GdRuntimeError(f"{name} must be greater or equal to 0, got {v}")
    check_size(n * (m if m is not None else n))
    return _leaf(np.eye(n, m, dtype=_creation_dtype(dtype)), requires_grad)


def _num(v: Any) -> Any:
    return v.item() if type(v) is Tensor else v


_STD_NAMES = {"int64": "int64_t", "int32": "int32_t", "int16": "int16_t", "int8": "int8_t",
              "uint8": "uint8_t", "float32": "float", "float64": "double",
              "float16": "c10::Half"}


def checked_scalar(value: Any, dt: np.dtype) -> Any:
    """A Python number as an op writing it into a tensor of dtype dt takes it (masked_fill,
    ...): PyTorch's overflow check (c10::checked_convert), then a C cast (toward zero;
    negatives wrap into an unsigned dtype)."""
    v = _num(value)
    if dt.kind == "b":
        return bool(v)
    if dt.kind in "iu":
        info = np.iinfo(dt)
        bad = not math.isfinite(v) if isinstance(v, float) else False
        if not bad:
            bad = (v > info.max or (v < 0 and -v > info.max)) if dt.kind == "u" else \
                not info.min <= v <= info.max
        if bad:
            raise GdRuntimeError(f"value cannot be converted to type "
                                 f"{_STD_NAMES[dt.name]} without overflow")
        n = math.trunc(v)
        return n % (1 << (8 * dt.itemsize)) if n < 0 and dt.kind == "u" else n
    v = float(v)
    if math.isfinite(v) and abs(v) > float(np.finfo(dt).max):
        raise GdRuntimeError(f"value cannot be converted to type {_STD_NAMES[dt.name]} "
                             "without overflow")
    return v


# -- random (PyTorch's CPU generator, reproduced) ----------------------------------------

class _Gen:
    gen: Any = None


def generator() -> Any:
    """The process's default generator (created on first use)."""
    if _Gen.gen is None:
        _Gen.gen = Generator()
    return _Gen.gen


def gen_of(g: Any) -> Generator:
    """The generator a `generator=` argument names (None: the default one)."""
    if g is None or getattr(g, "is_default_generator", False):
        return generator()  # torch.default_generator
    if not isinstance(g, Generator):
        raise GdRuntimeError(f"argument 'generator' must be torch.Generator, not "
                             f"{type(g).__name__}")
    return g


def manual_seed(seed: int) -> Any:
    """Seed the default generator."""
    g = generator()
    g.manual_seed(int(seed))
    return g


_KERNEL_TYPE = {"int64": "Long", "bool": "Bool"}


def _float_creation(dtype: Any, kernel: str) -> str:
    dt = _creation_dtype(dtype)
    if dt.kind not in "fc":  # complex: real draws over its (real, imag) pairs
        name = dtypes.name_of(dt)
        raise torch_error(f'"{kernel}" not implemented for \'{_KERNEL_TYPE.get(name, name)}\'',
                          "NotImplementedError")
    return dtypes.name_of(dt)


def rand(*size: Any, generator: Any = None, dtype: Any = None, requires_grad: bool = False,
         device: Any = None, **_: Any) -> Tensor:
    """Uniform [0, 1) values of a size."""
    shape = _new_shape(size)
    check_size(math.prod(shape))
    dt = _float_creation(dtype, "check_uniform_bounds")
    if on_meta(device):  # no values: nothing drawn from the generator
        return mark_meta(_leaf(np.zeros(shape, dt), requires_grad))
    check_device(device)
    return _leaf(gen_of(generator).rand(shape, dt), requires_grad)


def randn(*size: Any, generator: Any = None, dtype: Any = None, requires_grad: bool = False,
          device: Any = None, **_: Any) -> Tensor:
    """Standard normal values of a size."""
    shape = _new_shape(size)
    check_size(math.prod(shape))
    dt = _float_creation(dtype, "normal_kernel_cpu")
    if on_meta(device):  # no values: nothing drawn from the generator
        return mark_meta(_leaf(np.zeros(shape, dt), requires_grad))
    check_device(device)
    return _leaf(gen_of(generator).randn(shape, dt), requires_grad)


def normal(mean: Any = 0.0, std: Any = 1.0, size: Any = None, *, generator: Any = None,
           dtype: Any = None, requires_grad: bool = False, device: Any = None,
           **_: Any) -> Tensor:
    """Normal values with a mean and std (numbers) of a size."""
    check_device(device)
    g = gen_of(generator)
    if size is None:
        if type(mean) is Tensor or type(std) is Tensor:
            # ATen's normal(mean, std) of tensors: standard draws in the dtype of mean (of
            # std when mean is a number), then output.mul_(std).add_(mean), each in place
            # (computed in the promoted dtype, stored in the output's).
            m, sd = _arr(mean), _arr(std)
            shape = np.broadcast_shapes(np.shape(m), np.shape(sd))
            like = mean if type(mean) is Tensor else std
            if dtype is None and like.dtype.kind == "f":
                dt = like.dtype
            else:
                dt = _float_creation(dtype, "normal_kernel_cpu")
            z = g.randn(tuple(shape), str(dt))
            z = np.multiply(z, sd).astype(dt, copy=False)
            return _leaf(np.add(z, m).astype(dt, copy=False), requires_grad)
        raise GdRuntimeError("normal() needs a size when mean and std are numbers")
    shape = _new_shape((size,))
    check_size(math.prod(shape))
    return _leaf(g.normal(float(mean), float(std), shape,
                          _float_creation(dtype, "normal_kernel_cpu")), requires_grad)


def randint_values(g: Generator, low: int, high: int, shape: tuple[int, ...],
                   dt: np.dtype) -> np.ndarray:
    """randint's draws in [low, high) (PyTorch's bounds check for bool)."""
    if dt.kind == "c":
        raise GdRuntimeError("check_random_bounds handles only integral, floating-point and "
                             "boolean types")
    if dt == dtypes.boolean and low < high:
        if low < 0:
            raise GdRuntimeError("from is out of bounds for bool")
        if high > 2:
            raise GdRuntimeError("to - 1 is out of bounds for bool")
    return g.randint(low, high, shape)


def randint(low: Any = None, high: Any = None, size: Any = None, *, generator: Any = None,
            dtype: Any = None, requires_grad: bool = False, device: Any = None,
            **_: Any) -> Tensor:
    """Random integers in [low, high): randint(high, size) or randint(low, high, size)."""
    check_device(device)
    if size is None and isinstance(high, (tuple, list)):
        low, high, size = 0, low, high
    elif high is None:
        low, high = 0, low
    elif low is None:
        low = 0
    if size is None or high is None:
        raise GdRuntimeError("randint() missing required argument 'size'")
    shape = _new_shape((size,))
    check_size(math.prod(shape))
    dt = _creation_dtype(dtype, dtypes.int64)
    a = randint_values(gen_of(generator), int(_num(low)), int(_num(high)), shape, dt)
    return _leaf(a.astype(dt), requires_grad)


def _sized(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Accept size= as well as positional sizes (torch.randn(size=(2, 3)))."""

    def wrapper(*args: Any, size: Any = None, **kwargs: Any) -> Any:
        if size is not None:
            if args:
                raise GdRuntimeError(f"{fn.__name__}() got sizes both positionally and as size=")
            args = (size,)
        return fn(*args, **kwargs)

    wrapper.__doc__ = fn.__doc__
    wrapper.__name__ = fn.__name__
    return wrapper


def _on_cpu(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Take PyTorch's device= keyword (only the CPU: CUDA is PyTorch's CPU-build error)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, device: Any = None, **kwargs: Any) -> Any:
        if device is None:  # torch.zeros_like(x): on x's device
            out = fn(*args, **kwargs)
            return mark_meta(out) if args and type(args[0]) is Tensor and is_meta(
                args[0]) else out
        if on_meta(device):
            return mark_meta(fn(*args, **kwargs))
        check_device(device)
        return fn(*args, **kwargs)

    return wrapper


# -- PyTorch spellings ------------------------------------------------------------------

expose(_on_cpu(_sized(zeros)), "torch.zeros", family="creation")
expose(_on_cpu(_sized(ones)), "torch.ones", family="creation")
expose(_on_cpu(_sized(empty)), "torch.empty", family="creation")
expose(_sized(rand), "torch.rand", family="random")
expose(_sized(randn), "torch.randn", family="random")
for _name in ("full", "eye", "zeros_like", "ones_like", "full_like", "empty_like"):
    expose(_on_cpu(globals()[_name]), f"torch.{_name}", family="creation")
expose(set_default_dtype, "torch.set_default_dtype", family="creation")
for _name in ("rand_like", "randn_like"):
    expose(_on_cpu(globals()[_name]), f"torch.{_name}", family="random")
for _name in ("normal", "randint"):
    expose(globals()[_name], f"torch.{_name}", family="random")
for _name in ("zeros", "ones", "empty"):
    expose(_on_cpu(_new_sized(globals()[_name])), f"Tensor.new_{_name}", family="creation")
expose(_on_cpu(new_full), "Tensor.new_full", family="creation")
expose(_on_cpu(new_tensor), "Tensor.new_tensor", family="creation")
