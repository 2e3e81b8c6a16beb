"""Kernels of the comparison family's newer members: isinf/isposinf/isneginf, signbit,
logical_xor, heaviside and the NaN-ignoring fmax/fmin, with PyTorch's dtypes."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.kernels.elementwise import _cast, result_type

ndarray = np.ndarray


def isinf(x: ndarray) -> Any:
    """x is ±inf (never for integers and bools)."""
    return np.isinf(x) if x.dtype.kind == "f" else np.zeros(x.shape, dtype=np.bool_)


def isposinf(x: ndarray) -> Any:
    """x is +inf."""
    return np.isposinf(x) if x.dtype.kind == "f" else np.zeros(x.shape, dtype=np.bool_)


def isneginf(x: ndarray) -> Any:
    """x is -inf."""
    return np.isneginf(x) if x.dtype.kind == "f" else np.zeros(x.shape, dtype=np.bool_)


def signbit(x: ndarray) -> Any:
    """The sign bit is set (-0.0 included; never for bools)."""
    if x.dtype.kind == "b":
        return np.zeros(x.shape, dtype=np.bool_)
    return np.signbit(x)


def logical_xor(a: ndarray, b: ndarray) -> Any:
    """Exactly one of a, b is nonzero."""
    return np.logical_xor(a, b)


def heaviside(x: ndarray, values: ndarray) -> Any:
    """0 where x < 0 (and NaN), values where x == 0, 1 where x > 0 (PyTorch's CPU kernel)."""
    with np.errstate(invalid="ignore"):
        out = np.where(x == 0, values, (x > 0).astype(x.dtype))
    return np.asarray(out, dtype=x.dtype)


def _nan_aware(pick: Any):
    def kernel(a: ndarray, b: ndarray) -> Any:
        rt = result_type(a, b)
        x, y = _cast(a, rt), _cast(b, rt)
        out = np.asarray(pick(x, y), dtype=rt)
        if rt.kind == "f":  # ATen's scalar loop (std::fmax / std::fmin: no vector one) keeps
            # a where a and b are zeros of opposite signs; numpy's gives b
            ties = (x == 0) & (y == 0) & (np.signbit(x) != np.signbit(y))
            if ties.any():
                out = np.where(ties, x, out).astype(rt, copy=False)
        return out

    kernel.__name__ = pick.__name__
    return kernel


fmax = _nan_aware(np.fmax)
fmin = _nan_aware(np.fmin)
