"""Dtypes with PyTorch's names and PyTorch's type-promotion rules."""

from __future__ import annotations

import numpy as np

float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
int64 = np.dtype(np.int64)
int32 = np.dtype(np.int32)
int16 = np.dtype(np.int16)
int8 = np.dtype(np.int8)
uint8 = np.dtype(np.uint8)
float16 = np.dtype(np.float16)
boolean = np.dtype(np.bool_)
complex64 = np.dtype(np.complex64)
complex128 = np.dtype(np.complex128)

#: Every dtype a tensor may have, by its short name.
DTYPES: dict[str, np.dtype] = {
    "float32": float32,
    "float64": float64,
    "int64": int64,
    "int32": int32,
    "int16": int16,
    "int8": int8,
    "uint8": uint8,
    "float16": float16,
    "bool": boolean,
    "complex64": complex64,
    "complex128": complex128,
}

#: PyTorch's spellings (torch.float is float32, torch.double float64, torch.long int64,
#: torch.int int32, torch.short int16, torch.half float16). bfloat16 is absent: numpy has
#: no such dtype, and emulating it would take a dtype tag on every tensor.
ALIASES: dict[str, str] = {
    "float32": "float32",
    "float": "float32",
    "float64": "float64",
    "double": "float64",
    "int64": "int64",
    "long": "int64",
    "int32": "int32",
    "int": "int32",
    "int16": "int16",
    "short": "int16",
    "int8": "int8",
    "uint8": "uint8",
    "float16": "float16",
    "half": "float16",
    "bool": "bool",
    "complex64": "complex64",
    "cfloat": "complex64",
    "complex128": "complex128",
    "cdouble": "complex128",
}


_CATEGORY = {boolean: 0, uint8: 1, int8: 1, int16: 1, int32: 1, int64: 1, float16: 2,
             float32: 2, float64: 2, complex64: 3, complex128: 3}
_RANK = {boolean: 0, uint8: 1, int8: 1, int16: 2, int32: 3, int64: 4, float16: 5,
         float32: 6, float64: 7, complex64: 8, complex128: 9}


def promote_pair(a: np.dtype, b: np.dtype) -> np.dtype:
    """torch.promote_types(a, b): the higher rank, except that uint8 with int8 meets in
    int16 (neither holds the other)."""
    if a == b:
        return a
    if {a, b} == {uint8, int8}:
        return int16
    if {a, b} == {complex64, float64}:  # complex of the wider float
        return complex128
    return a if _RANK[a] > _RANK[b] else b


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
    """Map any numpy dtype onto one of ours (uint16 → int64, longdouble → float64, …)."""
    kind = dtype.kind
    if kind == "f":
        return float64 if dtype.itemsize >= 8 else float16 if dtype.itemsize == 2 else float32
    if kind in "iu":
        if dtype in _RANK:
            return dtype
        return int64
    if kind == "b":
        return boolean
    if kind == "c":
        return complex128 if dtype.itemsize >= 16 else complex64
    raise TypeError(f"unsupported dtype {dtype}")


def is_complex(dtype: np.dtype) -> bool:
    """Whether the dtype is complex64 or complex128."""
    return dtype.kind == "c"


def as_default_float(x: np.ndarray) -> np.ndarray:
    """An integer or bool array as the default float dtype, the way PyTorch's float
    functions take them; a complex array is an error (gd has that op for real tensors
    only), never its real part taken silently."""
    if x.dtype.kind == "c":
        from gradcli.errors import GdRuntimeError

        raise GdRuntimeError("this operation on a complex tensor is not supported by gradcli "
                             "(complex tensors: arithmetic, sum, mean, prod, cumsum, exp, "
                             "log, sqrt, sin, cos, tanh, abs, angle, real, imag, conj, "
                             "matmul, torch.fft)")
    return x.astype(DefaultDtype.value)


def default_complex() -> np.dtype:
    """The complex dtype of the default float dtype (complex64 for float32)."""
    return complex128 if DefaultDtype.value == float64 else complex64


def to_complex(dtype: np.dtype) -> np.dtype:
    """The complex dtype holding a float dtype's values (float64 -> complex128)."""
    return complex128 if dtype in (float64, complex128) else complex64


def to_real(dtype: np.dtype) -> np.dtype:
    """The float dtype of a complex dtype's parts (complex64 -> float32)."""
    return {complex64: float32, complex128: float64}.get(dtype, dtype)


def _category_of_scalar(value: object) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return 1
    if isinstance(value, complex):
        return 3
    return 2


def promote(dims: list[np.dtype], zero_dims: list[np.dtype], scalars: list[object]) -> np.dtype:
    """PyTorch's result_type: dimensioned tensors beat 0-d tensors beat Python numbers.

    A lower priority operand only matters when its category (bool < int < float) is
    higher than every category above it; then it contributes its own dtype (a Python
    float contributes the default dtype, a Python int int64).
    """
    result: np.dtype | None = None
    for d in dims:
        result = d if result is None else promote_pair(result, d)
    cat = -1 if result is None else _CATEGORY[result]
    zresult: np.dtype | None = None
    for d in zero_dims:
        if _CATEGORY[d] > cat:
            zresult = d if zresult is None else promote_pair(zresult, d)
    if zresult is not None:
        result, cat = zresult, _CATEGORY[zresult]
    elif result is None:
        for d in zero_dims:
            result = d if result is None else promote_pair(result, d)
        cat = -1 if result is None else _CATEGORY[result]
    best = -1
    for s in scalars:
        best = max(best, _category_of_scalar(s))
    if best > cat:
        if best == 3 and result is not None and result.kind == "f":
            result = to_complex(result)  # a float tensor times 1j keeps its precision
        else:
            result = (boolean, int64, DefaultDtype.value, default_complex())[best]
    assert result is not None
    return result
