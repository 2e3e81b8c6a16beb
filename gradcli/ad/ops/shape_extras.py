"""Shape ops written in other ops: Tensor.unfold (sliding windows), torch.diagflat and
torch.as_strided."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.ops import layout
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.inplace_views import _storage
from gradcli.ad.ops.shape import _wrap_dim, diag, flatten, reshape
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES
from gradcli.errors import GdRuntimeError


def unfold(input: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """Windows of `size` along `dimension`, `step` apart, in a new last dim."""
    x = input
    dim = _wrap_dim(dimension, max(x.ndim, 1))
    length = x.shape[dim] if x.ndim else 1
    if size > length:
        raise GdRuntimeError(f"maximum size for tensor at dimension {dim} is {length} but "
                             f"size is {size}")
    if step <= 0:
        raise GdRuntimeError(f"step is {step} but must be > 0")
    if size < 0:
        raise GdRuntimeError(f"size is {size} but must be >= 0")
    if x.ndim == 0:
        return reshape(x, (1,))
    return apply(RULES["unfold"], (x,), {"dimension": dim, "size": size, "step": step})


def diagflat(input: Any, offset: int = 0) -> Tensor:
    """A 2-D tensor with input's elements (flattened) on a diagonal."""
    return diag(flatten(_as_tensor(input)), offset)


expose(unfold, "Tensor.unfold", family="shape")
expose(diagflat, "torch.diagflat", "Tensor.diagflat", family="shape")


def as_strided(input: Tensor, size: Any, stride: Any, storage_offset: int | None = None
               ) -> Tensor:
    """The elements of input's storage at storage_offset + Σ i_k · stride_k, in the given
    size: a view sharing the storage (AsStridedBackward0 under autograd, where the input
    must be contiguous)."""
    size, stride = tuple(int(n) for n in size), tuple(int(n) for n in stride)
    if len(size) != len(stride):
        raise GdRuntimeError("mismatch in length of strides and shape")
    a = input.array
    flat = _storage(a)
    own = layout.storage_offset(input)
    if flat is None:
        flat, own = a.reshape(-1), 0
    start = own if storage_offset is None else int(storage_offset)
    need = start + sum((n - 1) * st for n, st in zip(size, stride, strict=True)) + 1 \
        if all(size) else 0
    if need > flat.size:
        item = a.dtype.itemsize
        raise GdRuntimeError(
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {start}, "
            f"and itemsize {item} requiring a storage size of {need * item} are out of bounds "
            f"for storage of size {flat.size * item}", py_type="RuntimeError")
    index = np.full(size, start - own, dtype=np.int64)
    for k, (n, st) in enumerate(zip(size, stride, strict=True)):
        index = index + (np.arange(n, dtype=np.int64) * st).reshape(
            (n,) + (1,) * (len(size) - k - 1))
    inside = not index.size or (index.min() >= 0 and index.max() < math.prod(a.shape))
    if a.flags.c_contiguous and inside:  # a view of the tensor (its base, under autograd)
        return apply(RULES["as_strided"], (input,), {"index": index, "size": size,
                                                     "stride": stride, "offset": start - own})
    if not input.requires_grad and input.tangent is None:  # a view of the storage
        view = np.lib.stride_tricks.as_strided(
            flat[start:], size, tuple(st * a.dtype.itemsize for st in stride))
        out = tensor_from_array(view)
        out._vc = input._vc
        return out
    if not a.flags.c_contiguous:
        raise GdRuntimeError("as_strided of a non-contiguous tensor that requires grad is not "
                             "supported by gradcli: call .contiguous() first")
    raise GdRuntimeError("as_strided outside the elements of a tensor that requires grad is "
                         "not supported by gradcli")


expose(as_strided, "torch.as_strided", "Tensor.as_strided", family="shape")
