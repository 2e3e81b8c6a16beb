"""A float's binary parts: ldexp, frexp, nextafter."""

from __future__ import annotations

import numpy as np
from numpy import ndarray

from gradcli.ad import dtypes


def ldexp(x: ndarray, e: ndarray) -> ndarray:
    """x · 2^e in x's float dtype (an integer x: the default float dtype)."""
    x = np.asarray(x)
    out = x.dtype if x.dtype.kind == "f" else dtypes.default_dtype()
    if np.asarray(e).dtype.kind == "f":
        out = np.result_type(out, np.asarray(e).dtype)
    return np.asarray(x.astype(out) * np.power(out.type(2), np.asarray(e).astype(out)), out)


def frexp(x: ndarray) -> tuple[ndarray, ndarray]:
    """(mantissa in [0.5, 1), int32 exponent) with x = mantissa · 2^exponent."""
    m, e = np.frexp(np.asarray(x))
    return m, e.astype(np.int32)


def nextafter(x: ndarray, y: ndarray) -> ndarray:
    """The next float after x towards y."""
    return np.nextafter(x, y)
