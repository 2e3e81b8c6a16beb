"""Shape kernels: reshape, expand, transposes, squeeze, cat/stack, indexing and diagonals."""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from gradcli.ad.kernels.elementwise import _cast, result_type
from gradcli.ad.kernels.messages import (
    TorchError,
    expand_message,
    failure_message,
    scalar_name,
)
from gradcli.ad.kernels.reductions import _sum, torch_sum

ndarray = np.ndarray


# -- shape ops ------------------------------------------------------------------------

def reshape(x: ndarray, shape: tuple[int, ...]) -> Any:
    """Reshape (a view when possible)."""
    return x.reshape(shape)


def expand(x: ndarray, shape: tuple[int, ...]) -> Any:
    """Broadcast to shape as PyTorch's expand: a view of x with stride 0 on every broadcast
    dim (so not contiguous: view() refuses it, reshape() copies, and a write through it is
    refused where elements overlap, see overlaps)."""
    lead = len(shape) - x.ndim
    strides = [0] * lead
    for n, have, st in zip(shape[lead:], x.shape, x.strides, strict=False):
        if n == have:
            strides.append(st)
        elif have == 1:
            strides.append(0)
        else:
            raise TorchError(expand_message(x.shape, shape) or "expand: bad shape")
    if lead < 0 or min(shape, default=0) < 0:
        out = np.empty(shape, x.dtype)  # numpy's error for a negative size, as before
        np.copyto(out, x)
        return out
    try:
        return ndarray(shape, x.dtype, x, 0, tuple(strides))  # 0.3 us
    except ValueError:  # x is not contiguous: no plain buffer to lay the view on
        return np.lib.stride_tricks.as_strided(x, shape, strides)


def overlaps(a: ndarray) -> bool:
    """Whether two elements of a share one memory location (a stride 0 on a dim of size
    more than 1: an expanded tensor). PyTorch refuses to write into such a tensor, and its
    clone() of one is contiguous. An empty array has no element to share (numpy gives
    it zero strides: torch.zeros(3, 0, 2).clamp_(min=1) is fine in PyTorch)."""
    return 0 in a.strides and a.size > 0 and any(
        s == 0 and n > 1 for s, n in zip(a.strides, a.shape, strict=True))


#: The read-only broadcast views that stand for PyTorch's grad.expand(sizes) in a light
#: backward pass (sum's, sum_to's and expand's VJPs), by id: owned_copy keeps their layout.
#: Other read-only spreads (a mean's gradient, grad / n) are values PyTorch computes anew.
_EXPANDED: weakref.WeakValueDictionary[int, ndarray] = weakref.WeakValueDictionary()


def expanded_view(x: ndarray, shape: tuple[int, ...]) -> ndarray:
    """expand(x, shape) as a read-only view, remembered as an expanded tensor."""
    v = expand(x, shape)
    v.flags.writeable = False
    _EXPANDED[id(v)] = v
    return v


def owned_copy(a: ndarray) -> Any:
    """A writable copy of a read-only broadcast view a light backward pass hands on. Of an
    expanded_view, with its layout: PyTorch hands a hook, grad() and a custom backward the
    expanded tensor itself, whose stride-0 dims show as 0 in stride() and refuse an in-place
    write (OVERLAP_MESSAGE); the values it spreads are copied once."""
    if _EXPANDED.get(id(a)) is not a or 0 not in a.strides:
        return a.copy()
    idx = tuple(slice(0, 1) if st == 0 else slice(None) for st in a.strides)
    core = a[idx].copy(order="K")
    strides = tuple(0 if st == 0 else cs for st, cs in zip(a.strides, core.strides,
                                                          strict=True))
    return np.lib.stride_tricks.as_strided(core, a.shape, strides)


OVERLAP_MESSAGE = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation.")


def sum_to(x: ndarray, shape: tuple[int, ...]) -> Any:
    """Sum a broadcast array back down to shape."""
    lead = x.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        i + lead for i, n in enumerate(shape) if n == 1 and x.shape[i + lead] != 1
    )
    if not axes:
        out = x
    elif x.dtype.kind == "f":  # PyTorch's at::sum_to is sum(dims, keepdim=True): its order
        if overlaps(x) and _EXPANDED.get(id(x)) is not x:
            # a read-only spread standing for a value PyTorch computes anew (a mean's
            # gradient, grad / n): a dense tensor there, summed as one
            x = np.ascontiguousarray(x)
        out = torch_sum(x, axes, True)
    else:
        out = _sum(x, axis=axes, keepdims=True)
    if lead:
        out = out.reshape(out.shape[lead:])
    return out.reshape(shape)


def transpose(x: ndarray, dim0: int, dim1: int) -> Any:
    """Swap two dims (a view; a 0-d tensor's dims 0 and -1 are none: itself)."""
    if not x.ndim:
        return x.view()
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


def unfold(x: ndarray, dimension: int, size: int, step: int) -> Any:
    """Windows of `size` along `dimension`, `step` apart, in a new last dim: a view of x,
    as PyTorch's (writable where x is)."""
    w = np.lib.stride_tricks.sliding_window_view(x, size, axis=dimension,
                                                 writeable=x.flags.writeable)
    index = [slice(None)] * x.ndim
    index[dimension] = slice(None, None, step)
    return w[tuple(index)]


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
        # Each input is unsqueezed first (PyTorch's stack is cat of x.unsqueeze(dim)): 0-d
        # ones promote as dimensioned tensors (stack of a float32 and a float64 scalar
        # tensor is float64).
        rt = result_type(np.empty((1,), rt), np.empty((1,), x.dtype)) if x.dtype != rt else rt
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
    """zeros(shape) with g added at index (repeated indices accumulate). A basic index
    (ints, slices, None, ...) reaches each element once: g is copied there, as PyTorch's
    slice and select backward copy it (a -0. stays -0.; index_put_'s 0 + -0. is 0.)."""
    out = np.zeros(shape, dtype=g.dtype)
    if _basic(index):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


def _basic(index: Any) -> bool:
    for p in index if type(index) is tuple else (index,):
        if not (p is None or p is Ellipsis or type(p) is slice or (
                isinstance(p, (int, np.integer)) and not isinstance(p, (bool, np.bool_)))):
            return False
    return True


def index_put(x: ndarray, value: Any, index: Any, accumulate: bool = False) -> Any:
    """A copy of x with x[index] = value (value added there with accumulate)."""
    out = x.copy()
    if accumulate:
        target = out[index].shape
        try:
            v = np.broadcast_to(np.asarray(value, dtype=out.dtype), target)
        except ValueError:
            raise TorchError(
                f"shape mismatch: value tensor of shape {list(np.shape(value))} cannot be "
                f"broadcast to indexing result of shape {list(target)}") from None
        np.add.at(out, index, v)
        return out
    assign(out, index, value)
    return out


def assign(x: ndarray, index: Any, value: Any) -> None:
    """x[index] = value in place, failing with PyTorch's words. The value's leading
    dims of size 1 are dropped first (PyTorch's slicePrefix1sSize: x[0] = t[None] is fine)."""
    shape = np.shape(value)
    if shape and shape[0] == 1:
        lead = next((i for i, n in enumerate(shape) if n != 1), len(shape))
        value = np.reshape(value, shape[lead:])
    try:
        x[index] = value
    except ValueError:
        target = x[index].shape
        advanced = any(type(p) is ndarray for p in (index if type(index) is tuple else (index,)))
        if not advanced and np.ndim(value) > len(target):
            raise TorchError(
                f"expand(torch.{scalar_name(np.asarray(value).dtype)}Tensor"
                f"{{{list(np.shape(value))}}}, size={list(target)}): the number of sizes "
                f"provided ({len(target)}) must be greater or equal to the number of "
                f"dimensions in the tensor ({np.ndim(value)})") from None
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
