"""A tensor's memory layout as PyTorch reports it: strides in elements, the offset into
its storage, the element size. gd's views are NumPy views of their base's memory, so
NumPy's byte strides are PyTorch's strides (a transpose swaps them, an expand has 0,
a stepped slice multiplies them)."""

from __future__ import annotations

import numpy as np

from gradcli.ad.tensor import Tensor


def strides(x: Tensor) -> tuple[int, ...]:
    """x.stride(): the step in elements along each dim."""
    a = x.array
    size = a.dtype.itemsize
    out = [s // size for s in a.strides]
    for i in range(a.ndim - 1, -1, -1):
        if out[i] == 0 and a.shape[i] == 1:  # x[:, None]: unsqueeze's stride, not NumPy's 0
            out[i] = a.shape[i + 1] * out[i + 1] if i + 1 < a.ndim else 1
    return tuple(out)


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


def element_size(x: Tensor) -> int:
    """x.element_size(): bytes per element."""
    return int(x.array.dtype.itemsize)
