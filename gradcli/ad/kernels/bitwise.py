"""Bitwise kernels (&, |, ^, <<, >> and their torch.bitwise_* names): integer and bool
tensors only (shifts: integer only), with PyTorch's result dtypes; a floating result is
PyTorch's NotImplementedError."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.kernels.messages import TorchError, scalar_name

ndarray = np.ndarray


def not_implemented(name: str, dtype: np.dtype) -> TorchError:
    """PyTorch's error for a bitwise kernel of a floating dtype."""
    return TorchError(f'"{name}_cpu" not implemented for \'{scalar_name(dtype)}\'',
                      py_type="NotImplementedError")


def _result_dtype(a: Any, b: Any) -> np.dtype:
    dims, zero_dims, scalars = [], [], []
    for v in (a, b):
        if isinstance(v, ndarray):
            (dims if v.ndim else zero_dims).append(v.dtype)
        else:
            scalars.append(v)
    return dtypes.promote(dims, zero_dims, scalars)


def _binary(name: str, fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def kernel(a: Any, b: Any) -> Any:
        dt = _result_dtype(a, b)
        if dt.kind not in "biu":
            raise not_implemented(name, dt)
        if dt.kind in "iu" and dt.itemsize < 8:  # a Python int meets it wrapped (300 → 44)
            a, b = (np.asarray(v, np.int64).astype(dt) if type(v) is int else v
                    for v in (a, b))
        return np.asarray(fn(a, b)).astype(dt, copy=False)

    kernel.__name__ = name
    return kernel


bitwise_and = _binary("bitwise_and", np.bitwise_and)
bitwise_or = _binary("bitwise_or", np.bitwise_or)
bitwise_xor = _binary("bitwise_xor", np.bitwise_xor)


def _shift(name: str, left: bool) -> Callable[[Any, Any], Any]:
    """a << b or a >> b as PyTorch's CPU kernel: in the promoted integer dtype, a shift by
    a negative count or by the dtype's width or more gives 0 (<<) or the sign (>>)."""
    def kernel(a: Any, b: Any) -> Any:
        dt = _result_dtype(a, b)
        if dt.kind not in "iu":
            raise not_implemented(name, dt)
        a = np.asarray(a).astype(dt, copy=False)
        b = np.asarray(b).astype(dt, copy=False)
        width = dt.itemsize * 8
        wide = (b < 0) | (b >= width)
        count = np.where(wide, width - 1, b).astype(dt, copy=False)
        if left:
            return np.where(wide, np.zeros((), dt), np.left_shift(a, count)).astype(dt)
        return np.right_shift(a, count).astype(dt, copy=False)

    kernel.__name__ = name
    return kernel


bitwise_left_shift = _shift("lshift", left=True)
bitwise_right_shift = _shift("rshift", left=False)


def bitwise_not(a: ndarray) -> Any:
    """~x: logical not for bools, bitwise not for integers."""
    if a.dtype.kind not in "biu":
        raise not_implemented("bitwise_not", a.dtype)
    return np.invert(a)
