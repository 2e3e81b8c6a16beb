"""More PyTorch 2.13 spellings of ops gd has: the unsafe splits (torch.unsafe_split,
unsafe_chunk, unsafe_split_with_sizes and their methods), torch.alias_copy / slice_copy,
torch.fill, the deprecated norms torch.frobenius_norm / nuclear_norm, torch.constant_pad_nd,
the strided and permuted empties (torch.empty_strided, x.new_empty_strided,
torch.empty_permuted), torch.nonzero_static, x.share_memory_(), x.is_set_to(),
torch.is_distributed."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.ops import layout
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.surface import SURFACE, expose
from gradcli.ad.ops.tensor_extras import _copied
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError


def _renamed(out: Any, name: str) -> Any:
    """out (or each of a tuple of outputs) as a copy whose node is PyTorch's `name`."""
    if isinstance(out, (tuple, list)):
        return tuple(_renamed(o, name) for o in out)
    return apply(RULES["copy_of"], (out,), {"name": name}) if out.requires_grad else out


def unsafe_split(input: Tensor, split_size: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """torch.split without the views' in-place checks (UnsafeSplitBackward0)."""
    name = "UnsafeSplitWithSizesBackward0" if isinstance(split_size, (list, tuple)) \
        else "UnsafeSplitBackward0"
    return _renamed(SURFACE["torch.split"](input, split_size, dim), name)


def unsafe_split_with_sizes(input: Tensor, split_sizes: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """torch.split_with_sizes without the views' in-place checks."""
    return _renamed(SURFACE["torch.split"](input, list(split_sizes), dim),
                    "UnsafeSplitWithSizesBackward0")


def unsafe_chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """torch.chunk without the views' in-place checks (UnsafeSplitBackward0)."""
    return _renamed(SURFACE["torch.chunk"](input, chunks, dim), "UnsafeSplitBackward0")


def alias_copy(input: Tensor) -> Tensor:
    """A copy of x (AliasBackward0_copy)."""
    if input.requires_grad:
        return _renamed(input, "AliasBackward0_copy")
    return SURFACE["torch.clone"](input)


def slice_copy(input: Tensor, dim: int = 0, start: Any = None, end: Any = None,
               step: int = 1) -> Tensor:
    """x[start:end:step] along dim, copied out (SliceBackward0_copy)."""
    if isinstance(step, int) and step <= 0:
        raise GdRuntimeError("slice step must be positive")
    index = (slice(None),) * (dim % max(input.ndim, 1)) + (slice(start, end, step),)
    return _copied(input[index])


def fill(input: Tensor, value: Any) -> Tensor:
    """A new tensor like x, every element value (FillBackward0: no gradient to x)."""
    if type(value) is Tensor:
        if value.ndim:
            raise GdRuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor "
                                 f"with {value.ndim} dimensions.")
        value = value.item()
    return apply(RULES["fill_new"], (input,), {"value": value})


def frobenius_norm(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    """The deprecated at::frobenius_norm: the 2-norm over dim (NormBackward1)."""
    warn("at::frobenius_norm is deprecated and it is just left for JIT compatibility. It "
         "will be removed in a future PyTorch release. Please use `linalg.vector_norm(A, 2., "
         "dim, keepdim)` instead", once=True)
    return _renamed(SURFACE["torch.norm"](input, 2, dim, keepdim), "NormBackward1")


def nuclear_norm(input: Tensor, dim: Any = None, keepdim: Any = False) -> Tensor:
    """The deprecated at::nuclear_norm: linalg.matrix_norm(A, 'nuc', dim, keepdim)."""
    warn("at::nuclear_norm is deprecated and it is just left for JIT compatibility. It will "
         "be removed in a future PyTorch release. Please use `linalg.matrix_norm(A, 'nuc', "
         "dim, keepdim)` instead", once=True)
    if type(dim) is bool:
        dim, keepdim = None, dim
    dim = (-2, -1) if dim is None else tuple(dim)
    return SURFACE["torch.linalg.matrix_norm"](input, "nuc", dim, keepdim)


def constant_pad_nd(input: Tensor, pad: Any, value: Any = 0) -> Tensor:
    """torch.constant_pad_nd: F.pad(x, pad, 'constant', value)."""
    return SURFACE["torch.nn.functional.pad"](input, pad, "constant", value)


def _strided(shape: tuple[int, ...], stride: tuple[int, ...], dtype: Any,
             requires_grad: bool) -> Tensor:
    extent = 1 + sum((n - 1) * s for n, s in zip(shape, stride, strict=True)) \
        if all(shape) else 0
    base = SURFACE["torch.empty"](extent, dtype=dtype)
    out = SURFACE["torch.as_strided"](base, shape, stride)
    return out.requires_grad_(True) if requires_grad else out


def _ints(value: Any, what: str) -> tuple[int, ...]:
    if isinstance(value, int):
        return (value,)
    try:
        return tuple(int(v) for v in value)
    except TypeError:
        raise GdRuntimeError(f"{what} must be a tuple of ints", py_type="TypeError") from None


def empty_strided(size: Any, stride: Any, *, dtype: Any = None, layout: Any = None,
                  device: Any = None, requires_grad: bool = False, pin_memory: bool = False,
                  ) -> Tensor:
    """An uninitialised tensor (zeros here) of a size with the given strides."""
    shape, strides = _ints(size, "size"), _ints(stride, "stride")
    if len(shape) != len(strides):
        raise GdRuntimeError("mismatch in length of strides and shape")
    return _strided(shape, strides, dtype, requires_grad)


def new_empty_strided(self: Tensor, size: Any, stride: Any, *, dtype: Any = None,
                      device: Any = None, requires_grad: bool = False, **_: Any) -> Tensor:
    """x.new_empty_strided(size, stride): empty_strided with x's dtype by default."""
    return empty_strided(size, stride, dtype=dtype if dtype is not None else self.dtype,
                         requires_grad=requires_grad)


def empty_permuted(size: Any, physical_layout: Any, *, dtype: Any = None, device: Any = None,
                   requires_grad: bool = False, **_: Any) -> Tensor:
    """An uninitialised tensor of a size whose memory holds its dims in physical_layout's
    order (outermost first)."""
    shape, order = _ints(size, "size"), _ints(physical_layout, "physical_layout")
    if sorted(order) != list(range(len(shape))):
        raise GdRuntimeError("Number of dimensions in size does not match the length of the "
                             "physical_layout; i.e. len(size) = "
                             f"{len(shape)} is not equal to len(physical_layout) = {len(order)}")
    physical = SURFACE["torch.empty"](*[shape[d] for d in order], dtype=dtype)
    out = SURFACE["torch.permute"](physical, tuple(int(i) for i in np.argsort(order)))
    return out.requires_grad_(True) if requires_grad else out


def nonzero_static(input: Tensor, *, size: int, fill_value: int = -1) -> Tensor:
    """nonzero's (n, ndim) indices cut or padded with fill_value to exactly `size` rows."""
    if size < 0:
        raise GdRuntimeError(f"nonzero_static: 'size' must be an non-negative integer, but "
                             f"got size = {size}")
    idx = np.argwhere(_as_tensor(input).array).astype(np.int64)[:size]
    pad = np.full((size - len(idx), idx.shape[1]), fill_value, dtype=np.int64)
    return tensor_from_array(np.concatenate([idx, pad]))


def share_memory_(self: Tensor) -> Tensor:
    """x.share_memory_(): one process shares its memory with itself (x)."""
    return self


def is_set_to(self: Tensor, tensor: Tensor) -> bool:
    """Whether both tensors are the same memory, offset, sizes and strides."""
    if type(tensor) is not Tensor:
        raise GdRuntimeError(f"is_set_to(): argument 'tensor' (position 1) must be Tensor, not "
                             f"{type(tensor).__name__}", py_type="TypeError")
    ptr = layout.data_ptr
    return (self.shape == tensor.shape and layout.strides(self) == layout.strides(tensor)
            and ptr(self) == ptr(tensor) and self.dtype == tensor.dtype)


def is_distributed(input: Any) -> bool:
    """torch.is_distributed(x): False (one process)."""
    return False


def register() -> None:
    """Declare the spellings (after the families they alias are declared)."""
    if "torch.unsafe_split" in SURFACE:
        return
    expose(unsafe_split, "torch.unsafe_split", "Tensor.unsafe_split", family="shape")
    expose(unsafe_chunk, "torch.unsafe_chunk", "Tensor.unsafe_chunk", family="shape")
    expose(unsafe_split_with_sizes, "torch.unsafe_split_with_sizes",
           "Tensor.unsafe_split_with_sizes", family="shape")
    expose(alias_copy, "torch.alias_copy", family="shape")
    expose(slice_copy, "torch.slice_copy", family="shape")
    expose(fill, "torch.fill", family="creation")
    expose(frobenius_norm, "torch.frobenius_norm", family="reductions")
    expose(nuclear_norm, "torch.nuclear_norm", family="reductions")
    expose(constant_pad_nd, "torch.constant_pad_nd", family="shape")
    expose(empty_strided, "torch.empty_strided", family="creation")
    expose(new_empty_strided, "Tensor.new_empty_strided", family="creation")
    expose(empty_permuted, "torch.empty_permuted", family="creation")
    expose(nonzero_static, "torch.nonzero_static", "Tensor.nonzero_static", family="indexing")
    expose(share_memory_, "Tensor.share_memory_", family="creation")
    expose(is_set_to, "Tensor.is_set_to", family="creation")
    expose(is_distributed, "torch.is_distributed", family="creation")
