"""float16 kernels as PyTorch's CPU computes them: in float32 (its opmath type), the
result rounded to float16 once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

_F16 = np.dtype(np.float16)
_F32 = np.dtype(np.float32)


def _down(out: Any) -> Any:
    if type(out) is np.ndarray and out.dtype == _F32:
        return out.astype(_F16)
    if type(out) is tuple:
        return tuple(_down(o) for o in out)
    return out


def via_float32(kernel: Callable[..., Any]) -> Callable[..., Any]:
    """The kernel, but when its first argument is float16, every float16 array argument is
    computed on in float32 and the float results rounded back to float16."""
    @functools.wraps(kernel)
    def wrapped(x: Any, *args: Any, **kwargs: Any) -> Any:
        if type(x) is np.ndarray and x.dtype is _F16:
            up = [a.astype(_F32) if type(a) is np.ndarray and a.dtype is _F16 else a
                  for a in args]
            return _down(kernel(x.astype(_F32), *up, **kwargs))
        return kernel(x, *args, **kwargs)

    return wrapped
