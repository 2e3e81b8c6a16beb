"""The C library's math, as PyTorch's scalar loops call it: for float32, the float
functions (expf, log1pf, powf, ...), whose results are not always the double ones rounded;
for float64, the double ones (Python's math module is the same C library). Loaded with
ctypes from the platform's libm; where a float function cannot be loaded, the double one
rounded to float stands in. Element by element: these serve scalar tails and samplers'
small arrays, never a whole hot-path tensor."""

from __future__ import annotations

import ctypes
import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

ndarray = np.ndarray
_F32 = np.dtype(np.float32)


@functools.cache
def _libm() -> Any:
    import ctypes.util  # here: it imports shutil, subprocess, tempfile, ... (~9 ms)

    try:
        return ctypes.CDLL(ctypes.util.find_library("m"))
    except (OSError, TypeError):
        return None


@functools.cache
def float_function(name: str, nargs: int = 1) -> Callable[..., float] | None:
    """The C library's float function `name` + "f" (expf for "exp"), or None."""
    lib = _libm()
    fn = getattr(lib, name + "f", None) if lib is not None else None
    if fn is None:
        return None
    fn.restype = ctypes.c_float
    fn.argtypes = [ctypes.c_float] * nargs
    return fn


def call(name: str, *arrays: Any, dtype: Any) -> ndarray:
    """The C function `name` elementwise over arrays broadcast together, in `dtype`
    (float32: the float function; float64: the double one). Overflow gives inf and a
    domain error nan, as C's functions do."""
    nargs = len(arrays)
    fn = float_function(name, nargs) if np.dtype(dtype) == _F32 else None
    if fn is None:
        fn = getattr(math, name)
    parts = np.broadcast_arrays(*(np.asarray(a, np.float64) for a in arrays))
    out = np.empty(parts[0].size, np.float64)
    for i, args in enumerate(zip(*(p.reshape(-1).tolist() for p in parts), strict=True)):
        try:
            out[i] = fn(*args)
        except OverflowError:
            out[i] = math.inf
        except ValueError:
            out[i] = math.nan
    return out.astype(dtype).reshape(parts[0].shape)
