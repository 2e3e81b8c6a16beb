"""Triangular solves: torch.linalg.solve_triangular's kernel (substitution, row by row;
MKL's trsm on its AVX-512 path: kernels/mkl_lapack_trsm.py)."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.kernels import mkl_lapack_trsm
from gradcli.ad.kernels.messages import TorchError

ndarray = np.ndarray


def _substitute(a: ndarray, b: ndarray, upper: bool, unit: bool) -> ndarray:
    """X with A X = B for a triangular A (batched), by forward/back substitution."""
    n = a.shape[-1]
    x = np.zeros(np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + b.shape[-2:],
                 dtype=np.result_type(a, b))
    order = range(n - 1, -1, -1) if upper else range(n)
    for i in order:
        lo, hi = (i + 1, n) if upper else (0, i)
        acc = b[..., i, :] - np.einsum("...k,...kj->...j", a[..., i, lo:hi], x[..., lo:hi, :])
        x[..., i, :] = acc if unit else acc / a[..., i, i, None]
    return x


def solve_triangular(a: ndarray, b: ndarray, upper: bool, left: bool = True,
                     unitriangular: bool = False) -> Any:
    """X with A X = B (left) or X A = B, A read as triangular (its other half ignored)."""
    if a.ndim < 2 or b.ndim < 2:
        raise TorchError("torch.linalg.solve_triangular: The input tensor B must have at least "
                         "2 dimensions." if b.ndim < 2 else
                         "torch.linalg.solve_triangular: The input tensor A must have at least "
                         "2 dimensions.")
    if a.shape[-1] != a.shape[-2]:
        raise TorchError("torch.linalg.solve_triangular: A must be batches of square matrices, "
                         f"but they are {a.shape[-2]} by {a.shape[-1]} matrices")
    if a.dtype != b.dtype:
        raise TorchError(f"linalg.solve_triangular: Expected A and B to have the same dtype, "
                         f"but found A of type {a.dtype.name.capitalize()} and B of type "
                         f"{b.dtype.name.capitalize()} instead")
    n = a.shape[-1]
    if (b.shape[-2] if left else b.shape[-1]) != n:
        raise TorchError("linalg.solve_triangular: Incompatible shapes of A and B for the "
                         f"equation {'AX = B' if left else 'XA = B'} ({a.shape[-2]}x"
                         f"{a.shape[-1]} and {b.shape[-2]}x{b.shape[-1]})")
    if mkl_lapack_trsm.applies(a, b):  # MKL's own rounding (Intel AVX-512 hosts)
        if not left:  # XA = B is AᵀXᵀ = Bᵀ
            a, b, upper = np.swapaxes(a, -1, -2), np.swapaxes(b, -1, -2), not upper
        batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        x = mkl_lapack_trsm.solve(np.broadcast_to(a, batch + a.shape[-2:]),
                                  np.broadcast_to(b, batch + b.shape[-2:]), upper,
                                  unitriangular, mkl_lapack_trsm.row_major(a))
        return x if left else np.ascontiguousarray(np.swapaxes(x, -1, -2))
    tri = np.triu(a) if upper else np.tril(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        if left:
            return _substitute(tri, b, upper, unitriangular)
        xt = _substitute(np.swapaxes(tri, -1, -2), np.swapaxes(b, -1, -2), not upper,
                         unitriangular)
        return np.ascontiguousarray(np.swapaxes(xt, -1, -2))
