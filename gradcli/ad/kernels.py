"""Forward kernels: numpy in, numpy out, PyTorch's dtype rules.

Every function here is the forward half of one primitive in `rules.py`. They know
nothing of autograd. Arguments are numpy arrays or Python numbers (constants).
"""

from __future__ import annotations

import math
import os
import re
from typing import Any

import numpy as np

from gradcli.ad import dtypes

ndarray = np.ndarray


class TorchError(Exception):
    """A kernel failure already worded as PyTorch words it (shown to the user as is)."""


_f32 = dtypes.float32
_f64 = dtypes.float64


def _array_out() -> Any:
    """`out=...` makes a ufunc return a 0-d array instead of a numpy scalar (numpy ≥ 2.3),
    saving the np.asarray that would wrap the scalar again; older numpy: out=None."""
    try:
        np.negative(np.zeros(()), out=...)  # type: ignore[call-overload]
    except TypeError:
        return None
    return ...


ARRAY_OUT = _array_out()


def result_type(a: Any, b: Any) -> np.dtype:
    """PyTorch's result dtype of a binary op on arrays and/or Python numbers."""
    ta = type(a) is ndarray
    tb = type(b) is ndarray
    if ta and tb:
        da = a.dtype
        db = b.dtype
        if da == db:
            return da
    elif ta:
        da = a.dtype
        if da.kind == "f" or (da.kind == "i" and type(b) is int) or type(b) is bool:
            return da
    elif tb:
        db = b.dtype
        if db.kind == "f" or (db.kind == "i" and type(a) is int) or type(a) is bool:
            return db
    dims: list[np.dtype] = []
    zero: list[np.dtype] = []
    scalars: list[object] = []
    for x in (a, b):
        if type(x) is ndarray:
            (dims if x.ndim else zero).append(dtypes.canonical(x.dtype))
        else:
            scalars.append(x)
    return dtypes.promote(dims, zero, scalars)


def _same_type(a: Any, b: Any) -> bool:
    """Whether result_type(a, b) is simply the array operand's dtype (the fast paths of
    result_type): two arrays of one dtype, or an array with a Python number that keeps it."""
    if type(a) is ndarray:
        if type(b) is ndarray:
            return b.dtype == a.dtype
        k = a.dtype.kind
        return k == "f" or (k == "i" and type(b) is int) or type(b) is bool
    if type(b) is ndarray:
        k = b.dtype.kind
        return k == "f" or (k == "i" and type(a) is int) or type(a) is bool
    return False


def _cast(x: Any, dtype: np.dtype) -> Any:
    if type(x) is ndarray and x.dtype != dtype:
        return x.astype(dtype)
    return x


def _binary(ufunc: np.ufunc):
    def kernel(a: Any, b: Any) -> Any:
        # Fast paths (the common cases of result_type, inlined): same-dtype arrays, and an
        # array with a Python number that does not change its dtype. Per-op overhead is
        # what scalar and small-tensor programs pay (bench W1, W2).
        if type(a) is ndarray:
            rt = a.dtype
            if type(b) is ndarray:
                if b.dtype == rt:
                    out = ufunc(a, b, out=ARRAY_OUT)
                    return out if type(out) is ndarray and out.dtype == rt else _fix(out, rt)
            else:
                k = rt.kind
                if k == "f" or (k == "i" and type(b) is int) or type(b) is bool:
                    out = ufunc(a, b, out=ARRAY_OUT)
                    return out if type(out) is ndarray and out.dtype == rt else _fix(out, rt)
        elif type(b) is ndarray:
            rt = b.dtype
            k = rt.kind
            if k == "f" or (k == "i" and type(a) is int) or type(a) is bool:
                out = ufunc(a, b, out=ARRAY_OUT)
                return out if type(out) is ndarray and out.dtype == rt else _fix(out, rt)
        rt = result_type(a, b)
        return _fix(ufunc(_cast(a, rt), _cast(b, rt)), rt)

    kernel.__name__ = ufunc.__name__
    return kernel


def _fix(out: Any, rt: np.dtype) -> Any:
    if type(out) is ndarray:
        return out if out.dtype == rt else out.astype(rt)
    return np.asarray(out, dtype=rt)


add = _binary(np.add)
_sub = _binary(np.subtract)
mul = _binary(np.multiply)
maximum = _binary(np.maximum)
minimum = _binary(np.minimum)
_floordiv = _binary(np.floor_divide)
_mod = _binary(np.remainder)

_BOOL = np.dtype(np.bool_)


def _is_bool(x: Any) -> bool:
    return type(x) is bool or (type(x) is ndarray and x.dtype == _BOOL)


def not_implemented(kernel: str, dtype: np.dtype) -> TorchError:
    """PyTorch's error for a kernel that has no implementation for a dtype."""
    return TorchError(f'"{kernel}" not implemented for \'{scalar_name(dtype)}\'')


def sub(a: Any, b: Any) -> Any:
    """a - b; PyTorch refuses bool operands (numpy's words would differ)."""
    if (type(a) is ndarray and a.dtype == _BOOL) or (type(b) is ndarray and b.dtype == _BOOL):
        if _is_bool(a) and _is_bool(b):
            raise TorchError("Subtraction, the `-` operator, with two bool tensors is not "
                             "supported. Use the `^` or `logical_xor()` operator instead.")
        raise TorchError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                         "If you are trying to invert a mask, use the `~` or `logical_not()` "
                         "operator instead.")
    return _sub(a, b)


def _integer_division(kernel: Any, cpu_name: str):
    def checked(a: Any, b: Any) -> Any:
        # Integer division by zero is an error in PyTorch (floats give inf/nan); bools
        # have no floor-division or remainder kernel.
        if _same_type(a, b):
            rt = a.dtype if type(a) is ndarray else b.dtype
        else:
            rt = result_type(a, b)
        if rt.kind != "f":
            if rt == _BOOL:
                raise not_implemented(cpu_name, rt)
            if not np.all(b):
                raise TorchError("ZeroDivisionError")
        return kernel(a, b)

    checked.__name__ = kernel.__name__
    return checked


floordiv = _integer_division(_floordiv, "div_floor_cpu")
mod = _integer_division(_mod, "remainder_cpu")


def div(a: Any, b: Any) -> Any:
    """True division; integers divide to the default float dtype."""
    rt = result_type(a, b)
    if rt.kind != "f":
        rt = dtypes.default_dtype()
    return np.asarray(np.true_divide(_cast(a, rt), _cast(b, rt)), dtype=rt)


def pow(a: Any, b: Any) -> Any:
    """Power with PyTorch's promotion. An integer tensor to a negative Python integer is
    an error; to a negative integer *tensor* exponent PyTorch computes 1/b^|e| in integers
    (1 for base 1, ±1 for base -1, 0 otherwise), where numpy would raise."""
    rt = result_type(a, b)
    if rt.kind in "iub":
        if rt == _BOOL:
            raise not_implemented("pow", rt)
        if type(b) is not ndarray:
            if b < 0:
                raise TorchError("Integers to negative integer powers are not allowed.")
        elif (b < 0).any():
            base = np.asarray(_cast(a, rt))
            e = _cast(b, rt)
            neg = e < 0
            out = np.power(base, np.where(neg, 0, e))
            odd = (e % 2) != 0
            inv = np.where(base == 1, 1, np.where(base == -1, np.where(odd, -1, 1), 0))
            return np.asarray(np.where(neg, inv, out), dtype=rt)
    return np.asarray(np.power(_cast(a, rt), _cast(b, rt)), dtype=rt)


def _float_unary(f: Any):
    def kernel(x: ndarray) -> Any:
        if x.dtype.kind != "f":
            x = x.astype(dtypes.default_dtype())
        return f(x, out=ARRAY_OUT)

    kernel.__name__ = getattr(f, "__name__", "kernel")
    return kernel


exp = _float_unary(np.exp)
log = _float_unary(np.log)
log1p = _float_unary(np.log1p)
sqrt = _float_unary(np.sqrt)
sin = _float_unary(np.sin)
cos = _float_unary(np.cos)
tan = _float_unary(np.tan)
tanh = _float_unary(np.tanh)
reciprocal = _float_unary(np.reciprocal)


def _sigmoid(x: ndarray) -> Any:
    # Split by sign so neither branch overflows.
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1.0 + ex)
    return out


def sigmoid(x: ndarray) -> Any:
    """Logistic function, overflow-free."""
    if x.dtype.kind != "f":
        x = x.astype(dtypes.default_dtype())
    if x.ndim == 0:
        return _sigmoid(x.reshape(1)).reshape(())
    return _sigmoid(x)


def neg(x: ndarray) -> Any:
    """-x."""
    if x.dtype == dtypes.boolean:
        raise TorchError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
            "to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    return np.negative(x)


def relu(x: ndarray) -> Any:
    """max(x, 0), keeping the dtype."""
    if x.dtype == _BOOL:
        raise TorchError("Boolean inputs not supported for relu")
    return np.maximum(x, np.zeros((), x.dtype))


def abs(x: ndarray) -> Any:
    """|x|."""
    if x.dtype == _BOOL:
        raise not_implemented("abs_cpu", x.dtype)
    return np.abs(x)


def sign(x: ndarray) -> Any:
    """Sign of x (bool stays bool)."""
    return x.copy() if x.dtype == dtypes.boolean else np.sign(x)


def floor(x: ndarray) -> Any:
    """Round down."""
    if x.dtype == _BOOL:
        raise not_implemented("floor_vml_cpu", x.dtype)
    return np.floor(x) if x.dtype.kind == "f" else x.copy()


def ceil(x: ndarray) -> Any:
    """Round up."""
    if x.dtype == _BOOL:
        raise not_implemented("ceil_vml_cpu", x.dtype)
    return np.ceil(x) if x.dtype.kind == "f" else x.copy()


def round(x: ndarray, decimals: int = 0) -> Any:
    """Round half to even, as PyTorch does."""
    if x.dtype == _BOOL:
        raise not_implemented("round_vml_cpu", x.dtype)
    return np.round(x, decimals) if x.dtype.kind == "f" else x.copy()


def clamp(x: ndarray, min: Any = None, max: Any = None) -> Any:
    """Clip into [min, max]; either bound may be None."""
    if min is None and max is None:
        raise TorchError("torch.clamp: At least one of 'min' or 'max' must not be None")
    out = x
    try:
        if min is not None:
            out = np.maximum(out, min)
        if max is not None:
            out = np.minimum(out, max)
    except ValueError:
        bounds = [b for b in (min, max) if b is not None]
        raise TorchError(broadcast_message_all([x, *bounds]) or "clamp: bad shapes") from None
    if out is x:
        out = x.copy()
    return out.astype(result_type(x, min if min is not None else max), copy=False)


def where(cond: ndarray, a: Any, b: Any) -> Any:
    """Elementwise select."""
    if _same_type(a, b):
        rt = a.dtype if type(a) is ndarray else b.dtype
        return np.where(cond, a, b).astype(rt, copy=False)
    rt = result_type(a, b)
    return np.where(cond, _cast(a, rt), _cast(b, rt)).astype(rt, copy=False)


def to_dtype(x: ndarray, dtype: np.dtype) -> Any:
    """Convert to another dtype (always a copy)."""
    return x.astype(dtype)


def clone(x: ndarray) -> Any:
    """A copy."""
    return x.copy()


def fill(x: ndarray, value: Any) -> Any:
    """A tensor like x, full of value."""
    return np.full_like(x, value)


# -- comparisons and logic (never differentiable) -------------------------------------

def _compare(ufunc: np.ufunc):
    def kernel(a: Any, b: Any) -> Any:
        if _same_type(a, b):  # result_type would change nothing: skip it and the casts
            out = ufunc(a, b, out=ARRAY_OUT)
            return out if type(out) is ndarray else np.asarray(out)
        rt = result_type(a, b)
        return np.asarray(ufunc(_cast(a, rt), _cast(b, rt)))

    kernel.__name__ = ufunc.__name__
    return kernel


lt = _compare(np.less)
le = _compare(np.less_equal)
gt = _compare(np.greater)
ge = _compare(np.greater_equal)
eq = _compare(np.equal)
ne = _compare(np.not_equal)


def logical_and(a: Any, b: Any) -> Any:
    """Elementwise and (on bools: &)."""
    return np.logical_and(a, b)


def logical_or(a: Any, b: Any) -> Any:
    """Elementwise or."""
    return np.logical_or(a, b)


def logical_not(a: Any) -> Any:
    """Elementwise not."""
    return np.logical_not(a)


def bitwise_not(a: ndarray) -> Any:
    """~x: logical not for bools, bitwise not for integers."""
    if a.dtype.kind == "f":
        raise TorchError("bitwise_not is only supported for integer and boolean tensors")
    return np.invert(a)


def isnan(x: ndarray) -> Any:
    """Elementwise isnan."""
    return np.isnan(x)


def isfinite(x: ndarray) -> Any:
    """Elementwise isfinite."""
    return np.isfinite(x)


def _check_arg_reduction(x: ndarray, dim: int | None, name: str) -> None:
    if x.size:
        return
    if dim is None:
        raise TorchError(
            f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
    if x.ndim and x.shape[dim] == 0:
        raise TorchError(f"{name}(): Expected reduction dim {dim} to have non-zero size.")


def argmax(x: ndarray, dim: int | None = None, keepdim: bool = False) -> Any:
    """Index of the maximum (flattened when dim is None)."""
    _check_arg_reduction(x, dim, "argmax")
    if dim is None:
        return np.asarray(np.argmax(x), dtype=np.int64)
    return np.argmax(x, axis=dim, keepdims=keepdim).astype(np.int64)


def argmin(x: ndarray, dim: int | None = None, keepdim: bool = False) -> Any:
    """Index of the minimum (flattened when dim is None)."""
    _check_arg_reduction(x, dim, "argmin")
    if dim is None:
        return np.asarray(np.argmin(x), dtype=np.int64)
    return np.argmin(x, axis=dim, keepdims=keepdim).astype(np.int64)


# -- reductions -------------------------------------------------------------------------

# The ufuncs' reduce methods: what np.sum/np.prod/np.amax/np.amin call for an ndarray,
# without their Python wrapper (1.8 against 0.6 us for a small sum).
_sum = np.add.reduce
_prod = np.multiply.reduce
_max = np.maximum.reduce
_min = np.minimum.reduce


def _axis(dim: Any) -> Any:
    if dim is None or type(dim) is int:
        return dim
    return tuple(dim)


# -- PyTorch's float summation order --------------------------------------------------
# PyTorch's CPU sum (aten/src/ATen/native/cpu/SumKernel.cpp, cascade_sum, as compiled for
# AVX2) adds a contiguous row as vectors of 8 floats (4 doubles): four vector accumulators
# (ILP), each a cascade of 4 levels that flush every 2^p rows (p = max(4, log2(rows)/4)),
# then the lanes one by one; a whole-tensor sum of at least 32768 elements is split in one
# chunk per thread whose partial sums are added in thread order. numpy's pairwise sum
# rounds differently (PyTorch's printed digits differ in 60-95% of float32 sums of
# randn(N), N = 10..10^6); the same order, computed with numpy's sequential accumulate on
# whole blocks (no per-element Python), gives PyTorch's bits for whole-tensor sums and
# sums over the last, contiguous dim. Other dims keep numpy's order (see README, Numerics).

_SUM_GRAIN = 32768


def _seq(s: ndarray) -> Any:
    """The sequential float sum along axis 0, from 0 (PyTorch's += loop). Axis 0 is at
    most a cascade step long (16 or 32) but for the last level: a loop of whole-slice adds."""
    k = s.shape[0]
    if k == 0:
        return np.zeros(s.shape[1:], s.dtype)
    if k > 64:
        return np.add.accumulate(s, axis=0, dtype=s.dtype)[-1]
    acc = s[0].copy()
    for i in range(1, k):
        acc += s[i]
    return acc


def _blocks(s: ndarray, step: int) -> tuple[ndarray, ndarray]:
    g = s.shape[0] // step
    return s[:g * step].reshape(g, step, *s.shape[1:]).swapaxes(0, 1), s[g * step:]


def _multi_row_sum(r: ndarray) -> Any:
    size = r.shape[0]
    step = 1 << max(4, (size - 1).bit_length() // 4 if size > 1 else 0)
    if size < step:
        return _seq(r)
    full, tail = _blocks(r, step)
    s = _seq(full)  # one sum per block of `step` rows (level 0)
    partial = []
    for _ in range(2):  # levels 1 and 2 flush to the next every `step` sums
        full, rest = _blocks(s, step)
        partial.append(_seq(rest))
        s = _seq(full)
    acc = _seq(tail)
    for a in (partial[0], partial[1], _seq(s)):
        acc = acc + a
    return acc


def _row_sum(x: ndarray) -> Any:
    m = x.shape[0]
    k = m // 4
    p = _multi_row_sum(x[:k * 4].reshape(k, 4, *x.shape[1:]))
    acc = p[0]
    for i in range(k * 4, m):
        acc = acc + x[i]
    for j in (1, 2, 3):
        acc = acc + p[j]
    return acc


def _torch_sum0(a: ndarray) -> Any:
    """PyTorch's sum over axis 0 of a float array (each trailing position a row)."""
    n = a.shape[0]
    zero = np.zeros(a.shape[1:], a.dtype) if a.ndim > 1 else a.dtype.type(0)
    lanes = 8 if a.dtype == _f32 else 4
    if n < lanes:
        return zero + _row_sum(a)
    nv = n // lanes
    acc = _row_sum(a[:nv * lanes].reshape(nv, lanes, *a.shape[1:]))
    total = zero
    for k in range(nv * lanes, n):
        total = total + a[k]
    for k in range(lanes):
        total = total + acc[k]
    return zero + total


def _outer_sum(x: ndarray, lanes: int) -> Any:
    """PyTorch's vectorized_outer_sum (lanes 8 or 4) or scalar_outer_sum (lanes 1) of x
    (batch, rows, cols) over rows: blocks of four vectors (or four columns) through the
    cascade, the remaining columns by row_sum."""
    cols = x.shape[2]
    wide = cols // (4 * lanes) * (4 * lanes)
    out = np.zeros((x.shape[0], cols), x.dtype)
    r = x.swapaxes(0, 1)  # rows first: (rows, batch, cols)
    if wide:
        out[:, :wide] += _multi_row_sum(r[:, :, :wide])
    if wide < cols:
        out[:, wide:] += _row_sum(r[:, :, wide:])
    return out


def _threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def torch_sum(x: ndarray, dim: Any = None, keepdim: bool = False) -> Any:
    """Sum of a float array in PyTorch's order where it is mirrored (all elements, or the
    last dim of a C-contiguous array), numpy's pairwise order elsewhere."""
    n = x.ndim
    if dim is None or (type(dim) is tuple and len(dim) == n and n
                       and all(type(d) is int and -n <= d < n for d in dim)
                       and len({d % n for d in dim}) == n):
        if x.size < 4:
            return _sum(x, axis=_axis(dim), keepdims=keepdim, dtype=x.dtype, out=ARRAY_OUT)
        flat = x.ravel(order="K")  # memory order, as PyTorch's iterator walks it
        threads = _threads()
        if flat.size < _SUM_GRAIN or threads == 1:
            out = _torch_sum0(flat)
        else:
            chunk = -(-flat.size // threads)
            parts = [_torch_sum0(flat[b:b + chunk]) for b in range(0, flat.size, chunk)]
            parts += [np.zeros((), x.dtype)] * (threads - len(parts))
            out = np.zeros((), x.dtype) + _torch_sum0(np.array(parts, x.dtype))
        return np.asarray(out).reshape((1,) * n if keepdim else ())
    d = dim[0] if type(dim) is tuple and len(dim) == 1 else dim
    if type(d) is int and -n <= d < n and x.flags.c_contiguous and x.size:
        d %= n
        keep = (*x.shape[:d], 1, *x.shape[d + 1:])
        if x.size == x.shape[d]:  # one output: the whole-tensor order
            out = torch_sum(x)
            return out.reshape(keep) if keepdim else out.reshape(keep[:d] + keep[d + 1:])
        lanes = 8 if x.dtype == _f32 else 4
        m = x.shape[d]
        cols = x.size // (m * math.prod(x.shape[:d]))
        if d == n - 1:  # a contiguous inner reduction, row by row
            out = np.asarray(_torch_sum0(x.reshape(-1, m).T))
        else:  # an outer reduction: column blocks (vectors, or scalars when few columns)
            out = _outer_sum(x.reshape(-1, m, cols), lanes if cols >= lanes else 1)
        return out.reshape(keep) if keepdim else out.reshape(keep[:d] + keep[d + 1:])
    return _sum(x, axis=_axis(dim), keepdims=keepdim, dtype=x.dtype, out=ARRAY_OUT)


def sum(x: ndarray, dim: Any = None, keepdim: bool = False) -> Any:
    """Sum over dims (all when None); bools and ints sum to int64; floats in PyTorch's
    order (torch_sum)."""
    if x.dtype.kind == "f":
        return torch_sum(x, dim, keepdim)
    return _sum(x, axis=_axis(dim), keepdims=keepdim, dtype=np.dtype(np.int64), out=ARRAY_OUT)


def mean(x: ndarray, dim: Any = None, keepdim: bool = False) -> Any:
    """Mean over dims (floating tensors only, as in PyTorch)."""
    if x.dtype.kind != "f":
        raise TorchError(
            "mean(): could not infer output dtype. Input dtype must be either a floating "
            f"point or complex dtype. Got: {scalar_name(x.dtype)}"
        )
    if x.size == 0:  # 0/0 for each output element, as PyTorch (numpy would warn)
        total = _sum(x, axis=_axis(dim), keepdims=keepdim, dtype=x.dtype)
        return np.full(np.shape(total), np.nan, dtype=x.dtype)
    total = torch_sum(x, dim, keepdim)  # PyTorch's CPU mean: the sum, divided by the count
    count = x.size // max(1, np.size(total))
    return np.true_divide(total, x.dtype.type(count), dtype=x.dtype)


def prod(x: ndarray, dim: Any = None, keepdim: bool = False) -> Any:
    """Product over a dim (all when None)."""
    dt = x.dtype if x.dtype.kind == "f" else np.dtype(np.int64)
    return _prod(x, axis=_axis(dim), keepdims=keepdim, dtype=dt, out=ARRAY_OUT)


def _check_reduced_sizes(x: ndarray, dim: Any, name: str) -> None:
    # An empty tensor can only be reduced along dims of non-zero size (other dims may be 0).
    if x.size:
        return
    if dim is None:
        raise TorchError(empty_reduction_message(name))
    for d in (dim,) if type(dim) is int else dim:
        if x.ndim and x.shape[d] == 0:
            raise TorchError(f"a{name}(): Expected reduction dim {d} to have non-zero size.")


def empty_reduction_message(name: str) -> str:
    """PyTorch's error for max()/min()/amax()/amin() of an empty tensor without a dim."""
    return (f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
            "Specify the reduction dim with the 'dim' argument.")


def amax(x: ndarray, dim: Any = None, keepdim: bool = False) -> Any:
    """Maximum over dims."""
    _check_reduced_sizes(x, dim, "max")
    return _max(x, axis=_axis(dim), keepdims=keepdim, out=ARRAY_OUT)


def amin(x: ndarray, dim: Any = None, keepdim: bool = False) -> Any:
    """Minimum over dims."""
    _check_reduced_sizes(x, dim, "min")
    return _min(x, axis=_axis(dim), keepdims=keepdim, out=ARRAY_OUT)


def norm(x: ndarray, p: float = 2.0, dim: Any = None, keepdim: bool = False) -> Any:
    """Vector p-norm over dims (all when None)."""
    if x.dtype.kind != "f":
        raise TorchError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. "
            f"Got {scalar_name(x.dtype)}"
        )
    ax = _axis(dim)
    if p == 2:
        return np.sqrt(_sum(x * x, axis=ax, keepdims=keepdim), out=ARRAY_OUT)
    a = np.abs(x)
    if p == float("inf"):
        return _max(a, axis=ax, keepdims=keepdim)
    if p == float("-inf"):
        return _min(a, axis=ax, keepdims=keepdim)
    if p == 0:
        return np.asarray(_sum(a != 0, axis=ax, keepdims=keepdim)).astype(x.dtype)
    if p == 1:
        return _sum(a, axis=ax, keepdims=keepdim)
    return np.power(np.sum(np.power(a, p), axis=ax, keepdims=keepdim), 1.0 / p).astype(x.dtype)


def take_along(x: ndarray, index: ndarray, dim: int, keepdim: bool) -> Any:
    """Values of x at `index` (shaped like x with dim reduced to 1) along dim."""
    out = np.take_along_axis(x, index, axis=dim)
    return out if keepdim else np.squeeze(out, axis=dim)


def scatter_along(g: ndarray, shape: tuple[int, ...], index: ndarray, dim: int,
                  keepdim: bool) -> Any:
    """zeros(shape) with g placed at `index` along dim (the transpose of take_along)."""
    out = np.zeros(shape, dtype=g.dtype)
    np.put_along_axis(out, index, g if keepdim else np.expand_dims(g, dim), axis=dim)
    return out


def logsumexp(x: ndarray, dim: Any, keepdim: bool = False) -> Any:
    """log(sum(exp(x))) over dims, stable."""
    if x.dtype.kind != "f":
        x = x.astype(dtypes.default_dtype())
    ax = _axis(dim)
    if x.size == 0:  # the sum of no exponentials: log 0
        return np.log(_sum(np.exp(x), axis=ax, keepdims=keepdim))
    m = np.amax(x, axis=ax, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    out = np.log(np.sum(np.exp(x - m), axis=ax, keepdims=True)) + m
    return out if keepdim else np.squeeze(out, axis=ax)


def softmax(x: ndarray, dim: int) -> Any:
    """Softmax along dim, stable."""
    if x.dtype.kind != "f":
        x = x.astype(dtypes.default_dtype())
    if x.size == 0:
        return x.copy()
    e = np.exp(x - np.amax(x, axis=dim, keepdims=True))
    return e / np.sum(e, axis=dim, keepdims=True)


def log_softmax(x: ndarray, dim: int) -> Any:
    """log(softmax(x)) along dim, stable."""
    if x.dtype.kind != "f":
        x = x.astype(dtypes.default_dtype())
    if x.size == 0:
        return x.copy()
    s = x - np.amax(x, axis=dim, keepdims=True)
    return s - np.log(np.sum(np.exp(s), axis=dim, keepdims=True))


# -- shape ops ------------------------------------------------------------------------

def reshape(x: ndarray, shape: tuple[int, ...]) -> Any:
    """Reshape (a view when possible)."""
    return x.reshape(shape)


def expand(x: ndarray, shape: tuple[int, ...]) -> Any:
    """Broadcast to shape (a new array, so in-place ops stay safe)."""
    out = np.empty(shape, x.dtype)
    try:
        np.copyto(out, x)  # 0.4 us against 2.3 for np.broadcast_to(x, shape).copy()
    except ValueError:
        raise TorchError(expand_message(x.shape, shape) or "expand: bad shape") from None
    return out


def expand_message(have: tuple[int, ...], target: tuple[int, ...]) -> str | None:
    """PyTorch's message when a tensor of shape `have` cannot be expanded to `target`."""
    lead = len(target) - len(have)
    for i, (t, h) in enumerate(zip(target[lead:], have, strict=False)):
        if t != h and h != 1:
            return (f"The expanded size of the tensor ({t}) must match the existing size ({h}) "
                    f"at non-singleton dimension {i + lead}.  Target sizes: {list(target)}.  "
                    f"Tensor sizes: {list(have)}")
    return None


def sum_to(x: ndarray, shape: tuple[int, ...]) -> Any:
    """Sum a broadcast array back down to shape."""
    lead = x.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        i + lead for i, n in enumerate(shape) if n == 1 and x.shape[i + lead] != 1
    )
    out = _sum(x, axis=axes, keepdims=True) if axes else x
    if lead:
        out = out.reshape(out.shape[lead:])
    return out.reshape(shape)


def transpose(x: ndarray, dim0: int, dim1: int) -> Any:
    """Swap two dims (a view)."""
    return x.swapaxes(dim0, dim1)  # the method: np.swapaxes adds a Python layer


def permute(x: ndarray, dims: tuple[int, ...]) -> Any:
    """Reorder dims (a view)."""
    return np.transpose(x, dims)


def squeeze(x: ndarray, dim: Any = None) -> Any:
    """Drop size-1 dims (only those named, when dims are given)."""
    if dim is None:
        return np.squeeze(x)
    dims = (dim,) if type(dim) is int else tuple(dim)
    n = x.ndim
    for d in dims:
        if not (-n <= d < n if n else d in (-1, 0)):
            lo, hi = (-1, 0) if n == 0 else (-n, n - 1)
            raise TorchError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], "
                             f"but got {d})")
    dims = tuple(d for d in dims if x.ndim and x.shape[d] == 1)
    return np.squeeze(x, axis=dims) if dims else x.view()


def unsqueeze(x: ndarray, dim: int) -> Any:
    """Insert a size-1 dim."""
    if not -x.ndim - 1 <= dim <= x.ndim:
        raise TorchError(f"Dimension out of range (expected to be in range of [{-x.ndim - 1}, "
                         f"{x.ndim}], but got {dim})")
    if 0 <= dim <= x.ndim:
        # What np.expand_dims does (a view), without its axis normalisation (5x slower).
        return x.reshape((*x.shape[:dim], 1, *x.shape[dim:]))
    return np.expand_dims(x, dim)


def cat(*xs: ndarray, dim: int = 0) -> Any:
    """Concatenate along dim (checked in PyTorch's order, with its messages)."""
    for k, x in enumerate(xs):
        if x.ndim == 0:
            raise TorchError(f"zero-dimensional tensor (at position {k}) cannot be concatenated")
    rt = xs[0].dtype
    for x in xs[1:]:
        rt = result_type(np.empty((1,), rt), x) if x.dtype != rt else rt
    # PyTorch skips 1-D empty tensors (the legacy empty shape) when others are not.
    parts = [x for x in xs if not (x.ndim == 1 and x.shape[0] == 0)] or list(xs[:1])
    first = parts[0].shape
    for k, x in enumerate(parts[1:], 1):
        if x.ndim != len(first):
            raise TorchError("Tensors must have same number of dimensions: got "
                             f"{len(first)} and {x.ndim}")
        d = dim % x.ndim
        for i, (a, b) in enumerate(zip(first, x.shape, strict=True)):
            if i != d and a != b:
                raise TorchError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size "
                    f"{a} but got size {b} for tensor number {k} in "
                    "the list.")
    return np.concatenate([_cast(x, rt) for x in parts], axis=dim)


def stack(*xs: ndarray, dim: int = 0) -> Any:
    """Stack along a new dim."""
    for k, x in enumerate(xs[1:], 1):
        if x.shape != xs[0].shape:
            raise TorchError("stack expects each tensor to be equal size, but got "
                             f"{list(xs[0].shape)} at entry 0 and {list(x.shape)} at entry {k}")
    rt = xs[0].dtype
    for x in xs[1:]:
        rt = result_type(np.empty((1,), rt), x) if x.dtype != rt else rt
    return np.stack([_cast(x, rt) for x in xs], axis=dim)


def getitem(x: ndarray, index: Any) -> Any:
    """x[index] (basic indexing gives a view, as in PyTorch)."""
    out = x[index]
    if type(out) is not ndarray:
        # A single element: numpy gives a scalar copy, an Ellipsis a 0-d view (x[1] is a
        # view in PyTorch: x[1].zero_() changes x).
        out = x[(*index, Ellipsis) if type(index) is tuple else (index, Ellipsis)]
    return out


def index_add_into(g: ndarray, shape: tuple[int, ...], index: Any) -> Any:
    """zeros(shape) with g added at index (repeated indices accumulate)."""
    out = np.zeros(shape, dtype=g.dtype)
    np.add.at(out, index, g)
    return out


def index_put(x: ndarray, value: Any, index: Any) -> Any:
    """A copy of x with x[index] = value."""
    out = x.copy()
    assign(out, index, value)
    return out


def assign(x: ndarray, index: Any, value: Any) -> None:
    """x[index] = value in place, failing with PyTorch's words."""
    try:
        x[index] = value
    except ValueError:
        target = x[index].shape
        advanced = any(type(p) is ndarray for p in (index if type(index) is tuple else (index,)))
        raise TorchError(
            (None if advanced else expand_message(np.shape(value), target)) or
            f"shape mismatch: value tensor of shape {list(np.shape(value))} cannot be broadcast "
            f"to indexing result of shape {list(target)}") from None
    except IndexError as e:
        raise TorchError(failure_message("index_put", [x], {}, e)) from None


def diag(x: ndarray, diagonal: int = 0) -> Any:
    """1-D → a matrix with x on a diagonal; 2-D → that diagonal."""
    if x.ndim == 1:
        return np.diag(x, diagonal)
    if x.ndim == 2:
        return np.diagonal(x, diagonal).copy()
    raise TorchError("diag(): Supports 1D or 2D tensors. Got " + f"{x.ndim}D")


def diag_embed_like(v: ndarray, shape: tuple[int, int], diagonal: int = 0) -> Any:
    """zeros(shape) with v written on a diagonal (the transpose of taking a diagonal)."""
    out = np.zeros(shape, dtype=v.dtype)
    n = v.shape[0]
    if diagonal >= 0:
        out[np.arange(n), np.arange(n) + diagonal] = v
    else:
        out[np.arange(n) - diagonal, np.arange(n)] = v
    return out


# -- linear algebra -------------------------------------------------------------------

_C_NAMES = {"float32": "float", "float64": "double", "int64": "long int", "bool": "bool"}


def _check_mm_dtypes(a: ndarray, b: ndarray) -> None:
    if a.dtype != b.dtype:
        raise TorchError(
            "expected m1 and m2 to have the same dtype, but got: "
            f"{_C_NAMES[dtypes.name_of(a.dtype)]} != {_C_NAMES[dtypes.name_of(b.dtype)]}")


def _check_mv_dtypes(a: ndarray, v: ndarray) -> None:
    if a.dtype != v.dtype:
        raise TorchError(
            "addmv input tensors must have the same dtype, but got "
            f"{scalar_name(v.dtype)}, {scalar_name(a.dtype)}, and {scalar_name(v.dtype)}")


def _check_dot_dtypes(a: ndarray, b: ndarray) -> None:
    if a.dtype != b.dtype:
        raise TorchError("dot : expected both vectors to have same dtype, but found "
                         f"{scalar_name(a.dtype)} and {scalar_name(b.dtype)}")


def _check_matmul_dtypes(a: ndarray, b: ndarray) -> None:
    """PyTorch's message for mixed dtypes names the kernel matmul folds the shapes into."""
    if a.dtype == b.dtype:
        return
    if a.ndim == 1 and b.ndim == 1:
        _check_dot_dtypes(a, b)
    if b.ndim == 1:
        _check_mv_dtypes(a, b)
    if b.ndim == 2:
        _check_mm_dtypes(a, b)
    raise TorchError(f"expected scalar type {scalar_name(a.dtype)} but found "
                     f"{scalar_name(b.dtype)}")


def mm(a: ndarray, b: ndarray) -> Any:
    """Matrix product of two matrices."""
    if a.ndim != 2 or b.ndim != 2:
        raise TorchError("self must be a matrix" if a.ndim != 2 else "mat2 must be a matrix")
    _check_mm_dtypes(a, b)
    if a.shape[1] != b.shape[0]:
        raise TorchError(
            f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
            f"{b.shape[0]}x{b.shape[1]})"
        )
    if a.shape[1] == 1:
        # An outer product (mv's and dot's VJPs make these): a broadcast multiply gives the
        # same values (one product per element) without BLAS's k=1 gemm (1.8x slower).
        return np.multiply(a, b)
    return a @ b


def mv(a: ndarray, v: ndarray) -> Any:
    """Matrix-vector product."""
    if a.ndim != 2 or v.ndim != 1:
        raise TorchError("vector + matrix @ vector expected, got "
                         f"{v.ndim}, {a.ndim}, {v.ndim}")
    _check_mv_dtypes(a, v)
    if a.shape[1] != v.shape[0]:
        raise TorchError(
            f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), "
            f"vec ({v.shape[0]})"
        )
    return a @ v


def dot(a: ndarray, b: ndarray) -> Any:
    """Inner product of two vectors."""
    if a.ndim != 1 or b.ndim != 1:
        raise TorchError(
            f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors"
        )
    _check_dot_dtypes(a, b)
    if a.shape[0] != b.shape[0]:
        raise TorchError(
            f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
            f"to have the same number of elements, but got {a.shape[0]} and {b.shape[0]} "
            "elements respectively"
        )
    return np.dot(a, b)


def matmul(a: ndarray, b: ndarray) -> Any:
    """Batched matrix product with broadcasting of batch dims."""
    _check_matmul_dtypes(a, b)
    if a.shape[-1] != b.shape[-2 if b.ndim > 1 else -1]:
        raise TorchError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{a.shape[0] if a.ndim > 2 else 1}, {a.shape[-1]}] but got: "
            f"[{b.shape[0] if b.ndim > 2 else 1}, {b.shape[-2] if b.ndim > 1 else b.shape[-1]}]."
        )
    if a.ndim > 2 or b.ndim > 2:
        msg = broadcast_message(_Shape(a.shape[:-2]), _Shape(b.shape[:-2] if b.ndim > 1 else ()))
        if msg is not None:
            raise TorchError(msg)
    return np.matmul(a, b)


# -- losses ---------------------------------------------------------------------------

def _reduce(l: ndarray, reduction: str) -> Any:
    if reduction == "mean":
        return mean(l)
    if reduction == "sum":
        return torch_sum(l)
    if reduction == "none":
        return l
    raise TorchError(f"{reduction} is not a valid value for reduction")


def mse_loss(a: ndarray, b: ndarray, reduction: str = "mean") -> Any:
    """Mean (or sum) of squared differences."""
    d = a - b
    return _reduce(d * d, reduction)


def bce_with_logits(z: ndarray, y: ndarray, reduction: str = "mean") -> Any:
    """Binary cross-entropy on logits, stable for any z."""
    if z.shape != y.shape:
        raise TorchError(
            f"Target size (torch.Size({list(y.shape)})) must be the same as input size "
            f"(torch.Size({list(z.shape)}))"
        )
    l = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return _reduce(l.astype(z.dtype, copy=False), reduction)


def nll_loss(logp: ndarray, target: ndarray, reduction: str = "mean") -> Any:
    """Negative log-likelihood of class indices, rows of logp (N, C) or (C,)."""
    if target.dtype.kind not in "iu":
        raise TorchError(
            f"expected scalar type Long but found {scalar_name(target.dtype)}"
        )
    picked = _pick(logp, target)
    return _reduce(-picked, reduction)


def _pick(logp: ndarray, target: ndarray) -> Any:
    if logp.ndim == 1:
        return logp[target]
    if target.shape[0] != logp.shape[0]:
        raise TorchError(
            f"Expected input batch_size ({logp.shape[0]}) to match target batch_size "
            f"({target.shape[0]})."
        )
    if target.size and (target.max() >= logp.shape[1] or target.min() < 0):
        raise TorchError(f"Target {int(target.max())} is out of bounds.")
    return logp[np.arange(logp.shape[0]), target]


def nll_index(logp_shape: tuple[int, ...], target: ndarray) -> Any:
    """The index that picks each row's target class (for the NLL rule)."""
    if len(logp_shape) == 1:
        return (target,)
    return (np.arange(logp_shape[0]), target)


def scalar_name(dtype: np.dtype) -> str:
    """PyTorch's scalar-type name of a dtype (Float, Double, Long, Bool)."""
    return {"float32": "Float", "float64": "Double", "int64": "Long", "bool": "Bool"}.get(
        dtypes.name_of(dtype), str(dtype)
    )


def broadcast_message_all(operands: list[Any]) -> str | None:
    """PyTorch's message when operands (in argument order) do not broadcast together: it
    folds the shapes left to right, so "tensor a" is the shape broadcast so far."""
    shape: tuple[int, ...] | None = None
    for x in operands:
        s = np.shape(x)
        if shape is None:
            shape = s
            continue
        msg = broadcast_message(_Shape(shape), _Shape(s))
        if msg is not None:
            return msg
        shape = np.broadcast_shapes(shape, s)
    return None


class _Shape:
    """Something np.shape reads a shape from, without allocating an array."""

    __slots__ = ("shape",)

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape


_NUMPY_INDEX = re.compile(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)")
_NUMPY_INDEX_SHAPES = re.compile(
    r"indexing arrays could not be broadcast together with shapes (.*)")
_NUMPY_MASK = re.compile(r"boolean index did not match indexed array along (?:axis|dimension) "
                         r"(\d+); size of (?:axis|dimension) is (\d+) but size of corresponding "
                         r"boolean (?:axis|dimension) is (\d+)")


def failure_message(name: str, arrays: list[Any], params: dict[str, Any], exc: Exception) -> str:
    """PyTorch's words for a numpy failure inside a kernel (numpy's never reach a user):
    broadcasting, indices out of range, masks of the wrong shape, repeated dims."""
    text = str(exc)
    if "broadcast" in text:
        mask = params.get("mask")  # masked_fill's mask is a parameter; torch names it first
        if type(mask) is ndarray:
            arrays = [mask, *arrays]
        msg = broadcast_message_all([a for a in arrays if type(a) is ndarray or
                                     isinstance(a, (int, float, bool))])
        if msg is not None:
            return msg
    m = _NUMPY_INDEX.search(text)
    if m:
        return f"index {m[1]} is out of bounds for dimension {m[2]} with size {m[3]}"
    m = _NUMPY_INDEX_SHAPES.search(text)
    if m:
        shapes = ", ".join(str(list(map(int, re.findall(r"\d+", t))))
                           for t in re.findall(r"\([^)]*\)", m[1]))
        return ("shape mismatch: indexing tensors could not be broadcast together with "
                f"shapes {shapes}")
    m = _NUMPY_MASK.search(text)
    if m:
        return (f"The shape of the mask [{m[3]}] at index {m[1]} does not match the shape of "
                f"the indexed tensor [{m[2]}] at index {m[1]}")
    if "duplicate value in 'axis'" in text or "repeated axis" in text:
        if name == "permute":
            return "permute(): duplicate dims are not allowed."
        dim = params.get("dim")
        ndim = arrays[0].ndim if arrays and type(arrays[0]) is ndarray else 0
        dims = [d % ndim if ndim else d for d in (dim if isinstance(dim, (tuple, list)) else ())]
        dup = next((d for i, d in enumerate(dims) if d in dims[:i]), None)
        if dup is not None:
            return f"dim {dup} appears multiple times in the list of dims"
    return f"{name}: {text}" if text else f"{name} failed ({type(exc).__name__})"


def broadcast_message(a: Any, b: Any) -> str | None:
    """PyTorch's message when two shapes do not broadcast, or None when they do."""
    sa = np.shape(a)
    sb = np.shape(b)
    n = max(len(sa), len(sb))
    for i in range(1, n + 1):
        x = sa[-i] if i <= len(sa) else 1
        y = sb[-i] if i <= len(sb) else 1
        if x != y and x != 1 and y != 1:
            return (
                f"The size of tensor a ({x}) must match the size of tensor b ({y}) at "
                f"non-singleton dimension {n - i}"
            )
    return None
