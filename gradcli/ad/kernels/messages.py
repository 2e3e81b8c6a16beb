"""PyTorch's words for kernel failures: the error type, and the messages built from shapes,
dtypes and numpy's own failures. The bottom of the kernels package (it imports none of it).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from gradcli.ad import dtypes

ndarray = np.ndarray


class TorchError(Exception):
    """A kernel failure already worded as PyTorch words it (shown to the user as is);
    `py_type` names the Python class PyTorch raises when it is not RuntimeError."""

    def __init__(self, message: str, py_type: str | None = None) -> None:
        super().__init__(message)
        self.py_type = py_type


def not_implemented(kernel: str, dtype: np.dtype) -> TorchError:
    """PyTorch's error for a kernel that has no implementation for a dtype."""
    return TorchError(f'"{kernel}" not implemented for \'{scalar_name(dtype)}\'')


def scalar_name(dtype: np.dtype) -> str:
    """PyTorch's scalar-type name of a dtype (Float, Double, Long, Bool)."""
    return {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
            "bool": "Bool", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "float16": "Half", "complex64": "ComplexFloat",
            "complex128": "ComplexDouble"}.get(
        dtypes.name_of(dtype), str(dtype)
    )


_C_NAMES = {"float32": "float", "float64": "double", "int64": "long int", "int32": "int",
            "bool": "bool", "int16": "short int", "int8": "signed char",
            "uint8": "unsigned char", "float16": "c10::Half",
            "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}


def c_type_name(dtype: np.dtype) -> str:
    """The C++ type name PyTorch's messages give a dtype (long int, float, c10::Half)."""
    name = dtypes.name_of(dtype)
    return _C_NAMES.get(name, name)


def broadcast_message_all(operands: list[Any]) -> str | None:
    """PyTorch's message when operands (in argument order) do not broadcast together: it
    folds the shapes left to right, so "tensor a" is the shape broadcast so far."""
    shape: tuple[int, ...] | None = None
    for x in operands:
        s = np.shape(x)
        if shape is None:
            shape = s
            continue
        msg = broadcast_message(_Shape(shape), _Shape(s))
        if msg is not None:
            return msg
        shape = np.broadcast_shapes(shape, s)
    return None


class _Shape:
    """Something np.shape reads a shape from, without allocating an array."""

    __slots__ = ("shape",)

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape


# numpy's messages, as patterns `re` compiles when a failure first needs them (compiling
# them at import took ~3 ms of every start).
_NUMPY_INDEX = r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)"
_NUMPY_INDEX_SHAPES = r"indexing arrays could not be broadcast together with shapes (.*)"
_NUMPY_MASK = (r"boolean index did not match indexed array along (?:axis|dimension) "
               r"(\d+); size of (?:axis|dimension) is (\d+) but size of corresponding "
               r"boolean (?:axis|dimension) is (\d+)")


def failure_message(name: str, arrays: list[Any], params: dict[str, Any], exc: Exception) -> str:
    """PyTorch's words for a numpy failure inside a kernel (numpy's never reach a user):
    broadcasting, indices out of range, masks of the wrong shape, repeated dims."""
    text = str(exc)
    if "broadcast" in text:
        mask = params.get("mask")  # masked_fill's mask is a parameter; torch names it first
        if type(mask) is ndarray:
            arrays = [mask, *arrays]
        msg = broadcast_message_all([a for a in arrays if type(a) is ndarray or
                                     isinstance(a, (int, float, bool))])
        if msg is not None:
            return msg
    m = re.search(_NUMPY_INDEX, text)
    if m:
        return f"index {m[1]} is out of bounds for dimension {m[2]} with size {m[3]}"
    m = re.search(_NUMPY_INDEX_SHAPES, text)
    if m:
        shapes = ", ".join(str(list(map(int, re.findall(r"\d+", t))))
                           for t in re.findall(r"\([^)]*\)", m[1]))
        return ("shape mismatch: indexing tensors could not be broadcast together with "
                f"shapes {shapes}")
    m = re.search(_NUMPY_MASK, text)
    if m:
        return (f"The shape of the mask [{m[3]}] at index {m[1]} does not match the shape of "
                f"the indexed tensor [{m[2]}] at index {m[1]}")
    if "duplicate value in 'axis'" in text or "repeated axis" in text:
        if name == "permute":
            return "permute(): duplicate dims are not allowed."
        dim = params.get("dim")
        ndim = arrays[0].ndim if arrays and type(arrays[0]) is ndarray else 0
        dims = [d % ndim if ndim else d for d in (dim if isinstance(dim, (tuple, list)) else ())]
        dup = next((d for i, d in enumerate(dims) if d in dims[:i]), None)
        if dup is not None:
            return f"dim {dup} appears multiple times in the list of dims"
    return f"{name}: {text}" if text else f"{name} failed ({type(exc).__name__})"


def broadcast_message(a: Any, b: Any) -> str | None:
    """PyTorch's message when two shapes do not broadcast, or None when they do."""
    sa = np.shape(a)
    sb = np.shape(b)
    n = max(len(sa), len(sb))
    for i in range(1, n + 1):
        x = sa[-i] if i <= len(sa) else 1
        y = sb[-i] if i <= len(sb) else 1
        if x != y and x != 1 and y != 1:
            return (
                f"The size of tensor a ({x}) must match the size of tensor b ({y}) at "
                f"non-singleton dimension {n - i}"
            )
    return None


def empty_reduction_message(name: str) -> str:
    """PyTorch's error for max()/min()/amax()/amin() of an empty tensor without a dim."""
    return (f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
            "Specify the reduction dim with the 'dim' argument.")


def expand_message(have: tuple[int, ...], target: tuple[int, ...]) -> str | None:
    """PyTorch's message when a tensor of shape `have` cannot be expanded to `target`."""
    lead = len(target) - len(have)
    for i, (t, h) in enumerate(zip(target[lead:], have, strict=False)):
        if t != h and h != 1:
            return (f"The expanded size of the tensor ({t}) must match the existing size ({h}) "
                    f"at non-singleton dimension {i + lead}.  Target sizes: {list(target)}.  "
                    f"Tensor sizes: {list(have)}")
    return None
