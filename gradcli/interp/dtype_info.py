"""torch.finfo / torch.iinfo: the numeric limits of a dtype, printed as PyTorch prints them."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.errors import GdRuntimeError
from gradcli.interp.values import DType, type_name


def _type_error(message: str) -> GdRuntimeError:
    err = GdRuntimeError(message)
    err.py_type = "TypeError"  # the class `except` sees
    return err


def _g(v: float | int) -> str:
    return f"{float(v):.6g}"


class FInfo:
    """torch.finfo(dtype): eps, max, min, tiny, smallest_normal, resolution, bits, dtype."""

    __slots__ = ("bits", "dtype", "eps", "max", "min", "resolution", "smallest_normal",
                 "tiny")
    torch_type = "torch.finfo"  # what type(x) prints

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
    torch_type = "torch.iinfo"

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


# -- dtype promotion: torch.result_type, torch.promote_types, torch.can_cast ---------------

def _dtype_arg(fname: str, what: str, pos: int, v: Any) -> np.dtype:
    if not isinstance(v, DType):
        raise _type_error(f"{fname}(): argument '{what}' (position {pos}) must be torch.dtype, "
                          f"not {type_name(v)}")
    return v.np


def result_type(tensor: Any, other: Any) -> DType:
    """The dtype PyTorch's arithmetic on these operands gives (tensors and numbers)."""
    from gradcli.ad.tensor import Tensor
    from gradcli.interp.values import dtype_value

    dims: list[np.dtype] = []
    zero: list[np.dtype] = []
    scalars: list[object] = []
    for v in (tensor, other):
        if isinstance(v, Tensor):
            (dims if v.ndim else zero).append(v.array.dtype)
        elif isinstance(v, (bool, int, float)):
            scalars.append(v)
        else:
            raise _type_error("result_type() received an invalid combination of arguments - "
                              f"got ({type_name(tensor)}, {type_name(other)})")
    if not dims and not zero:
        raise _type_error("result_type() received an invalid combination of arguments - got "
                          f"({type_name(tensor)}, {type_name(other)})")
    return dtype_value(dtypes.promote(dims, zero, scalars))


def promote_types(type1: Any, type2: Any) -> DType:
    """The smallest dtype both dtypes convert to without losing their category."""
    from gradcli.interp.values import dtype_value

    a = _dtype_arg("promote_types", "type1", 1, type1)
    b = _dtype_arg("promote_types", "type2", 2, type2)
    return dtype_value(dtypes.promote([a, b], [], []))


def can_cast(from_: Any, to: Any) -> bool:
    """PyTorch's casting rule: no float to integer or bool, no non-bool to bool."""
    a = _dtype_arg("can_cast", "from_", 1, from_)
    b = _dtype_arg("can_cast", "to", 2, to)
    if a.kind == "f" and b.kind in "biu":
        return False
    return not (a.kind != "b" and b.kind == "b")


FInfo.__name__ = "torch.finfo"  # as Python's messages name the C types
IInfo.__name__ = "torch.iinfo"
