"""torch.finfo / torch.iinfo: the numeric limits of a dtype, printed as PyTorch prints them."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.errors import GdRuntimeError
from gradcli.interp.values import DType, type_name


def _type_error(message: str) -> GdRuntimeError:
    err = GdRuntimeError(message)
    err.py_type = "TypeError"  # type: ignore[attr-defined]  # the class `except` sees
    return err


def _g(v: float | int) -> str:
    return f"{float(v):.6g}"


class FInfo:
    """torch.finfo(dtype): eps, max, min, tiny, smallest_normal, resolution, bits, dtype."""

    __slots__ = ("bits", "dtype", "eps", "max", "min", "resolution", "smallest_normal",
                 "tiny")

    def __init__(self, np_dtype: np.dtype) -> None:
        info = np.finfo(np_dtype)
        self.bits = int(info.bits)
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = float(info.tiny)
        self.smallest_normal = float(info.smallest_normal)
        self.resolution = float(10.0 ** -int(info.precision))
        self.dtype = dtypes.name_of(np_dtype)

    def __repr__(self) -> str:
        return (f"finfo(resolution={_g(self.resolution)}, min={_g(self.min)}, "
                f"max={_g(self.max)}, eps={_g(self.eps)}, "
                f"smallest_normal={_g(self.smallest_normal)}, tiny={_g(self.tiny)}, "
                f"dtype={self.dtype})")


class IInfo:
    """torch.iinfo(dtype): max, min, bits, dtype."""

    __slots__ = ("bits", "dtype", "max", "min")

    def __init__(self, np_dtype: np.dtype) -> None:
        info = np.iinfo(np_dtype)
        self.bits = int(info.bits)
        self.max = int(info.max)
        self.min = int(info.min)
        self.dtype = dtypes.name_of(np_dtype)

    def __repr__(self) -> str:
        return f"iinfo(min={_g(self.min)}, max={_g(self.max)}, dtype={self.dtype})"


ATTRIBUTES = {FInfo: frozenset(FInfo.__slots__), IInfo: frozenset(IInfo.__slots__)}


def finfo(type: Any = None) -> FInfo:
    """torch.finfo(dtype=default dtype): the limits of a floating dtype."""
    if type is None:
        return FInfo(dtypes.default_dtype())
    if not isinstance(type, DType):
        raise _type_error(f"finfo(): argument 'type' (position 1) must be torch.dtype, not "
                          f"{type_name(type)}")
    if type.np.kind != "f":
        raise _type_error("torch.finfo() requires a floating point input type. Use "
                          "torch.iinfo to handle 'torch.finfo'")
    return FInfo(type.np)


def iinfo(type: Any) -> IInfo:
    """torch.iinfo(dtype): the limits of an integer dtype."""
    if not isinstance(type, DType):
        raise _type_error(f"iinfo(): argument 'type' (position 1) must be torch.dtype, not "
                          f"{type_name(type)}")
    if type.np.kind == "b":
        raise _type_error("torch.bool is not supported by torch.iinfo")
    if type.np.kind not in "iu":
        raise _type_error("torch.iinfo() requires an integer input type. Use torch.finfo to "
                          "handle 'torch.iinfo'")
    return IInfo(type.np)
