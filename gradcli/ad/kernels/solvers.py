"""Least squares and the numerical rank (torch.linalg.lstsq, torch.linalg.matrix_rank)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy import ndarray

from gradcli.errors import GdRuntimeError


def _check(a: ndarray, fn: str) -> None:
    if a.ndim < 2:
        raise GdRuntimeError(f"{fn}: The input tensor A must have at least 2 dimensions.")


def is_vector_rhs(a: ndarray, b: ndarray) -> bool:
    """B has one dimension fewer than A: a (batch of) vector right-hand side(s), solved as
    one column and returned without it (PyTorch's dim_diff == 1 case)."""
    return b.ndim == a.ndim - 1


def _check_rhs(a: ndarray, b: ndarray) -> None:
    _check(a, "torch.linalg.lstsq")
    if b.ndim < 1:
        raise GdRuntimeError("torch.linalg.lstsq: other must have at least 1 dimension.")
    if not 0 <= a.ndim - b.ndim <= 1:
        raise GdRuntimeError("torch.linalg.lstsq: input.dim() must be greater or equal to "
                             "other.dim() and (input.dim() - other.dim()) <= 1")
    vector = is_vector_rhs(a, b)
    if (b.shape[-1] if vector else b.shape[-2]) != a.shape[-2]:
        raise GdRuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size"
                             f"({-1 if vector else -2})")


def lstsq(a: ndarray, b: ndarray, rcond: float | None = None) -> ndarray:
    """The least-squares solution X of A X = B, batched over leading dims; a vector B
    gives a vector X. rcond: singular values at most rcond·σ₁ count as zero (gelsd's)."""
    _check_rhs(a, b)
    if is_vector_rhs(a, b):
        return lstsq(a, b[..., None], rcond)[..., 0]
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    aa = np.broadcast_to(a, batch + a.shape[-2:]).reshape(-1, *a.shape[-2:])
    bb = np.broadcast_to(b, batch + b.shape[-2:]).reshape(-1, *b.shape[-2:])
    dtype = np.result_type(a, b)
    out = np.empty((aa.shape[0], a.shape[-1], b.shape[-1]), dtype)
    for i in range(aa.shape[0]):
        out[i] = np.linalg.lstsq(aa[i].astype(np.float64), bb[i].astype(np.float64),
                                 rcond=rcond)[0]
    return out.reshape((*batch, a.shape[-1], b.shape[-1]))


def matrix_rank(a: ndarray, atol: Any = None, rtol: Any = None,
                hermitian: bool = False) -> ndarray:
    """The number of singular values above max(atol, rtol·σ₁) (rtol: eps·max(m, n) when
    neither is given), as an int64 array over the batch. hermitian: the singular values are
    the eigenvalues' magnitudes of the Hermitian matrix of a's lower triangle (the upper
    one is not read, as LAPACK's eigvalsh)."""
    _check(a, "torch.linalg.matrix_rank")
    if not a.size:
        s = np.zeros((*a.shape[:-2], 0))
    elif hermitian:
        s = np.abs(np.linalg.eigvalsh(a, UPLO="L"))
    else:
        s = np.linalg.svd(a, compute_uv=False)
    if atol is None and rtol is None:
        rtol = np.finfo(a.dtype).eps * max(a.shape[-2:])
    top = s.max(axis=-1, initial=0.0)
    tol = np.maximum(float(atol or 0.0), float(rtol or 0.0) * top)
    return np.asarray(np.sum(s > tol[..., None], axis=-1), np.int64)


def residuals(a: ndarray, b: ndarray, full: bool) -> ndarray:
    """‖A X − B‖² down each column of the solution, or empty (lstsq's residuals)."""
    if not full:
        return np.zeros(0, np.result_type(a, b))
    if is_vector_rhs(a, b):  # the residual keeps the one column (PyTorch's shape)
        b = b[..., None]
    r = a @ lstsq(a, b) - b
    return (r * r).sum(-2)
