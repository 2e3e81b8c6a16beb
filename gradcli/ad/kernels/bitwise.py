"""Bitwise kernels (&, |, ^ and their torch.bitwise_* names): integer and bool tensors
only, with PyTorch's result dtypes; a floating result is PyTorch's NotImplementedError."""

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
        return np.asarray(fn(a, b)).astype(dt, copy=False)

    kernel.__name__ = name
    return kernel


bitwise_and = _binary("bitwise_and", np.bitwise_and)
bitwise_or = _binary("bitwise_or", np.bitwise_or)
bitwise_xor = _binary("bitwise_xor", np.bitwise_xor)


def bitwise_not(a: ndarray) -> Any:
    """~x: logical not for bools, bitwise not for integers."""
    if a.dtype.kind not in "biu":
        raise not_implemented("bitwise_not", a.dtype)
    return np.invert(a)
