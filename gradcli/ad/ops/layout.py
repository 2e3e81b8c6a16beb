"""A tensor's memory layout as PyTorch reports it: strides in elements, the offset into
its storage, the element size. gd's views are NumPy views of their base's memory, so
NumPy's byte strides are PyTorch's strides (a transpose swaps them, an expand has 0,
a stepped slice multiplies them)."""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.kernels.iteration import dense
from gradcli.ad.kernels.messages import scalar_name
from gradcli.errors import GdRuntimeError


def strides(x: Tensor) -> tuple[int, ...]:
    """x.stride(): the step in elements along each dim."""
    a = x.array
    size = a.dtype.itemsize
    out = [s // size for s in a.strides]
    empty = a.size == 0
    for i in range(a.ndim - 1, -1, -1):
        # x[:, None]: unsqueeze's stride, not NumPy's 0; an empty result: the contiguous
        # strides PyTorch gives it (numpy leaves them 0), sizes of 0 counted as 1
        if out[i] == 0 and (a.shape[i] == 1 or empty):
            out[i] = max(a.shape[i + 1], 1) * out[i + 1] if i + 1 < a.ndim else 1
    return tuple(out)


def like_layout(a: np.ndarray, proto: np.ndarray) -> np.ndarray:
    """`a` laid out as `proto` is (AccumulateGrad's layout contract: a leaf's .grad has the
    leaf's strides when the leaf is dense, a transposed leaf a transposed grad), or
    C-contiguous when proto is not dense."""
    if proto.flags.c_contiguous:
        return a if a.flags.c_contiguous else np.ascontiguousarray(a)
    if not dense(proto):
        return np.ascontiguousarray(a)
    out = np.empty_like(proto, order="K")
    np.copyto(out, a)
    return out


def storage_offset(x: Tensor) -> int:
    """x.storage_offset(): where x's first element sits in the storage it views."""
    a = x.array
    root = a
    while isinstance(root.base, np.ndarray):
        root = root.base
    if a.size == 0 or root is a:
        return 0
    start = a.__array_interface__["data"][0]
    return (start - root.__array_interface__["data"][0]) // a.dtype.itemsize


def data_ptr(x: Tensor) -> int:
    """x.data_ptr(): where x's first element is, as a number equal for tensors sharing it (a
    view at offset 0, x.detach(), x.data) and apart by the bytes between two elements of
    one storage. Not the host's address, which would change from run to run and tell a
    program about the host: each storage gets a stand-in base, in the order the program
    first asks (the same numbers every run)."""
    a = x.array
    root = a
    while isinstance(root.base, np.ndarray):
        root = root.base
    entry = _BASES.get(id(root))
    if entry is None or entry[0]() is not root:  # (an id freed and reused: a new storage)
        global _next_base
        if len(_BASES) > 65536:  # bounded: forget the storages asked about long ago
            _BASES.clear()
        entry = _BASES[id(root)] = (weakref.ref(root), _next_base)
        _next_base += (root.nbytes + 127) // 64 * 64
    offset = a.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    return entry[1] + offset


#: data_ptr's storages: id of the owning array -> (a weak reference to it, its base).
_BASES: dict[int, tuple[Any, int]] = {}
_FIRST_BASE = 0x5F3A_0000_0040  # what a CPU allocation's address looks like
_next_base = _FIRST_BASE


def reset_data_ptrs() -> None:
    """Start data_ptr's stand-ins afresh (each run of a program: the same numbers)."""
    global _next_base
    _BASES.clear()
    _next_base = _FIRST_BASE


def element_size(x: Tensor) -> int:
    """x.element_size(): bytes per element."""
    return int(x.array.dtype.itemsize)


def view_dtype(x: Tensor, dtype: Any) -> Tensor:
    """x.view(dtype): the same bytes read as another dtype (a view; never differentiable).
    A different element size rescales the last dim, which must be contiguous."""
    a = x.array
    dt = getattr(dtype, "np", dtype)
    if dt != a.dtype and dt.itemsize != a.dtype.itemsize:
        what = (f"to view {scalar_name(a.dtype)} as {scalar_name(dt)} (different element "
                "sizes)")
        if a.ndim == 0:
            raise GdRuntimeError(f"self.dim() cannot be 0 {what}")
        if dt.itemsize > a.dtype.itemsize and (a.shape[-1] * a.dtype.itemsize) % dt.itemsize:
            raise GdRuntimeError(f"self.size(-1) must be divisible by "
                                 f"{dt.itemsize // a.dtype.itemsize} {what}, but got "
                                 f"{a.shape[-1]}")
        if strides(x)[-1] != 1 and a.shape[-1] != 1:
            raise GdRuntimeError(f"self.stride(-1) must be 1 {what}, but got {strides(x)[-1]}")
    t = tensor_from_array(a.view(dt))
    t._vc = x._vc  # the same storage: its in-place changes count as x's (no view, though)
    return t
