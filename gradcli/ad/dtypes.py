"""Dtypes with PyTorch's names and PyTorch's type-promotion rules."""

from __future__ import annotations

import numpy as np

float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
int64 = np.dtype(np.int64)
int32 = np.dtype(np.int32)
boolean = np.dtype(np.bool_)

#: Every dtype a tensor may have, by its short name.
DTYPES: dict[str, np.dtype] = {
    "float32": float32,
    "float64": float64,
    "int64": int64,
    "int32": int32,
    "bool": boolean,
}

#: PyTorch's spellings (torch.float is float32, torch.double float64, torch.long int64,
#: torch.int int32).
ALIASES: dict[str, str] = {
    "float32": "float32",
    "float": "float32",
    "float64": "float64",
    "double": "float64",
    "int64": "int64",
    "long": "int64",
    "int32": "int32",
    "int": "int32",
    "bool": "bool",
}


_CATEGORY = {boolean: 0, int32: 1, int64: 1, float32: 2, float64: 2}
_RANK = {boolean: 0, int32: 1, int64: 2, float32: 3, float64: 4}


class DefaultDtype:
    """The dtype of float tensors made from Python floats (torch.get_default_dtype())."""

    value: np.dtype = float32


def set_default_dtype(name: str) -> None:
    """Set the default float dtype ("float32" or "float64")."""
    DefaultDtype.value = DTYPES[ALIASES[name]]


def default_dtype() -> np.dtype:
    """The current default float dtype."""
    return DefaultDtype.value


def name_of(dtype: np.dtype) -> str:
    """The short name of a dtype: float32, float64, int64, int32, bool."""
    return "bool" if dtype == boolean else dtype.name


def torch_name(dtype: np.dtype) -> str:
    """PyTorch's name of a dtype, e.g. torch.float64."""
    return "torch." + name_of(dtype)


def is_float(dtype: np.dtype) -> bool:
    """Whether the dtype is a floating type (can carry gradients)."""
    return dtype.kind == "f"


def canonical(dtype: np.dtype) -> np.dtype:
    """Map any numpy dtype onto one of ours (int16 → int64, float16 → float32, …)."""
    kind = dtype.kind
    if kind == "f":
        return float64 if dtype.itemsize >= 8 else float32
    if kind in "iu":
        return int32 if dtype == int32 else int64
    if kind == "b":
        return boolean
    raise TypeError(f"unsupported dtype {dtype}")


def _category_of_scalar(value: object) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return 1
    return 2


def promote(dims: list[np.dtype], zero_dims: list[np.dtype], scalars: list[object]) -> np.dtype:
    """PyTorch's result_type: dimensioned tensors beat 0-d tensors beat Python numbers.

    A lower priority operand only matters when its category (bool < int < float) is
    higher than every category above it; then it contributes its own dtype (a Python
    float contributes the default dtype, a Python int int64).
    """
    result: np.dtype | None = None
    for d in dims:
        if result is None or _RANK[d] > _RANK[result]:
            result = d
    cat = -1 if result is None else _CATEGORY[result]
    zresult: np.dtype | None = None
    for d in zero_dims:
        if _CATEGORY[d] > cat and (zresult is None or _RANK[d] > _RANK[zresult]):
            zresult = d
    if zresult is not None:
        result, cat = zresult, _CATEGORY[zresult]
    elif result is None:
        for d in zero_dims:
            if result is None or _RANK[d] > _RANK[result]:
                result = d
        cat = -1 if result is None else _CATEGORY[result]
    best = -1
    for s in scalars:
        best = max(best, _category_of_scalar(s))
    if best > cat:
        result = (boolean, int64, DefaultDtype.value)[best]
    assert result is not None
    return result
