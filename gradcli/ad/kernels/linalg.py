"""Linear algebra (mm, mv, dot, matmul) and loss kernels."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.kernels.messages import TorchError, _Shape, broadcast_message, scalar_name
from gradcli.ad.kernels.reductions import mean, torch_sum

ndarray = np.ndarray


# -- linear algebra -------------------------------------------------------------------

_C_NAMES = {"float32": "float", "float64": "double", "int64": "long int", "int32": "int",
            "bool": "bool"}


def _check_mm_dtypes(a: ndarray, b: ndarray) -> None:
    if a.dtype != b.dtype:
        raise TorchError(
            "expected m1 and m2 to have the same dtype, but got: "
            f"{_C_NAMES[dtypes.name_of(a.dtype)]} != {_C_NAMES[dtypes.name_of(b.dtype)]}")


def _check_mv_dtypes(a: ndarray, v: ndarray) -> None:
    if a.dtype != v.dtype:
        raise TorchError(
            "addmv input tensors must have the same dtype, but got "
            f"{scalar_name(v.dtype)}, {scalar_name(a.dtype)}, and {scalar_name(v.dtype)}")


def _check_dot_dtypes(a: ndarray, b: ndarray) -> None:
    if a.dtype != b.dtype:
        raise TorchError("dot : expected both vectors to have same dtype, but found "
                         f"{scalar_name(a.dtype)} and {scalar_name(b.dtype)}")


def _check_matmul_dtypes(a: ndarray, b: ndarray) -> None:
    """PyTorch's message for mixed dtypes names the kernel matmul folds the shapes into."""
    if a.dtype == b.dtype:
        return
    if a.ndim == 1 and b.ndim == 1:
        _check_dot_dtypes(a, b)
    if b.ndim == 1:
        _check_mv_dtypes(a, b)
    if b.ndim == 2:
        _check_mm_dtypes(a, b)
    raise TorchError(f"expected scalar type {scalar_name(a.dtype)} but found "
                     f"{scalar_name(b.dtype)}")


def mm(a: ndarray, b: ndarray) -> Any:
    """Matrix product of two matrices."""
    if a.ndim != 2 or b.ndim != 2:
        raise TorchError("self must be a matrix" if a.ndim != 2 else "mat2 must be a matrix")
    _check_mm_dtypes(a, b)
    if a.shape[1] != b.shape[0]:
        raise TorchError(
            f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
            f"{b.shape[0]}x{b.shape[1]})"
        )
    if a.shape[1] == 1:
        # An outer product (mv's and dot's VJPs make these): a broadcast multiply gives the
        # same values (one product per element) without BLAS's k=1 gemm (1.8x slower).
        return np.multiply(a, b)
    return a @ b


def mv(a: ndarray, v: ndarray) -> Any:
    """Matrix-vector product."""
    if a.ndim != 2 or v.ndim != 1:
        raise TorchError("vector + matrix @ vector expected, got "
                         f"{v.ndim}, {a.ndim}, {v.ndim}")
    _check_mv_dtypes(a, v)
    if a.shape[1] != v.shape[0]:
        raise TorchError(
            f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), "
            f"vec ({v.shape[0]})"
        )
    return a @ v


def dot(a: ndarray, b: ndarray) -> Any:
    """Inner product of two vectors."""
    if a.ndim != 1 or b.ndim != 1:
        raise TorchError(
            f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors"
        )
    _check_dot_dtypes(a, b)
    if a.shape[0] != b.shape[0]:
        raise TorchError(
            f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
            f"to have the same number of elements, but got {a.shape[0]} and {b.shape[0]} "
            "elements respectively"
        )
    return np.dot(a, b)


def matmul(a: ndarray, b: ndarray) -> Any:
    """Batched matrix product with broadcasting of batch dims."""
    _check_matmul_dtypes(a, b)
    if a.shape[-1] != b.shape[-2 if b.ndim > 1 else -1]:
        raise TorchError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{a.shape[0] if a.ndim > 2 else 1}, {a.shape[-1]}] but got: "
            f"[{b.shape[0] if b.ndim > 2 else 1}, {b.shape[-2] if b.ndim > 1 else b.shape[-1]}]."
        )
    if a.ndim > 2 or b.ndim > 2:
        msg = broadcast_message(_Shape(a.shape[:-2]), _Shape(b.shape[:-2] if b.ndim > 1 else ()))
        if msg is not None:
            raise TorchError(msg)
    return np.matmul(a, b)


# -- losses ---------------------------------------------------------------------------

def _reduce(l: ndarray, reduction: str) -> Any:
    if reduction == "mean":
        return mean(l)
    if reduction == "sum":
        return torch_sum(l)
    if reduction == "none":
        return l
    raise TorchError(f"{reduction} is not a valid value for reduction")


def mse_loss(a: ndarray, b: ndarray, reduction: str = "mean") -> Any:
    """Mean (or sum) of squared differences."""
    d = a - b
    return _reduce(d * d, reduction)


def bce_with_logits(z: ndarray, y: ndarray, reduction: str = "mean") -> Any:
    """Binary cross-entropy on logits, stable for any z."""
    if z.shape != y.shape:
        raise TorchError(
            f"Target size (torch.Size({list(y.shape)})) must be the same as input size "
            f"(torch.Size({list(z.shape)}))"
        )
    l = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return _reduce(l.astype(z.dtype, copy=False), reduction)


def nll_loss(logp: ndarray, target: ndarray, reduction: str = "mean") -> Any:
    """Negative log-likelihood of class indices, rows of logp (N, C) or (C,)."""
    if target.dtype.kind not in "iu":
        raise TorchError(
            f"expected scalar type Long but found {scalar_name(target.dtype)}"
        )
    picked = _pick(logp, target)
    return _reduce(-picked, reduction)


def _pick(logp: ndarray, target: ndarray) -> Any:
    if logp.ndim == 1:
        return logp[target]
    if target.shape[0] != logp.shape[0]:
        raise TorchError(
            f"Expected input batch_size ({logp.shape[0]}) to match target batch_size "
            f"({target.shape[0]})."
        )
    if target.size and (target.max() >= logp.shape[1] or target.min() < 0):
        raise TorchError(f"Target {int(target.max())} is out of bounds.")
    return logp[np.arange(logp.shape[0]), target]


def nll_index(logp_shape: tuple[int, ...], target: ndarray) -> Any:
    """The index that picks each row's target class (for the NLL rule)."""
    if len(logp_shape) == 1:
        return (target,)
    return (np.arange(logp_shape[0]), target)
