"""MKL's LU of 2×2 matrices on its AVX-512 path (Intel hosts): getrf, getrs and what
PyTorch builds on them (linalg.solve, inv, det, lu_factor), bit for bit.

Read off PyTorch 2.13 on an Intel Xeon (round 21; 100 of 100 random batches each, float32
and float64, where numpy's LAPACK matched 83 of 200 solves):
- getrf: the pivot is the first larger |entry| of the column (rows swapped if
  |a21| > |a11|), l = a21 / a11 (a division), u22 = fma(-l, u12, a22);
- getrs: forward y2 = fma(-l, b1, b2); backward x2 = y2 · (1 / u22), then
  x1 = fma(-u12, x2, b1) · (1 / u11) (reciprocals, as LAPACK's trsm scales);
- transposed getrs (Aᵀx = b from A's LU: PyTorch's solve backward and left=False):
  z1 = b1 · (1 / u11), z2 = fma(-u12, z1, b2) · (1 / u22), w1 = fma(-l, z2, z1), then
  the rows swapped back;
- linalg.inv is linalg.solve(A, I); linalg.det factors Aᵀ (PyTorch hands the row-major
  matrix to the column-major LAPACK), det = ±u11·u22.
Other sizes, and AMD hosts (MKL's AVX2 path, not measured), keep numpy's LAPACK.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.mkl_path import mkl_avx512

ndarray = np.ndarray


def applies(a: ndarray) -> bool:
    """Whether the model stands in for LAPACK: 2×2 float32/float64 matrices, finite, on
    MKL's AVX-512 path, with nonzero pivots (a singular matrix takes LAPACK's own path,
    whose error PyTorch reports)."""
    if a.shape[-2:] != (2, 2) or a.dtype.kind != "f" or a.dtype.itemsize not in (4, 8) \
            or not mkl_avx512() or not np.isfinite(a).all():
        return False
    p11, _, _, u22, _ = factor(a)
    return bool((p11 != 0).all() and (u22 != 0).all())


def factor(a: ndarray) -> tuple[ndarray, ndarray, ndarray, ndarray, ndarray]:
    """getrf of (a batch of) 2×2 matrices: u11, u12, l, u22 and whether rows swapped."""
    a11, a12, a21, a22 = a[..., 0, 0], a[..., 0, 1], a[..., 1, 0], a[..., 1, 1]
    swap = np.abs(a21) > np.abs(a11)
    u11 = np.where(swap, a21, a11)
    u12 = np.where(swap, a22, a12)
    with np.errstate(all="ignore"):
        low = np.where(swap, a11, a21) / u11
        u22 = fma(-low, u12, np.where(swap, a12, a22))
    return u11, u12, low, u22, swap


def packed(a: ndarray) -> tuple[ndarray, ndarray]:
    """lu_factor's packed LU and its 1-based pivots."""
    u11, u12, low, u22, swap = factor(a)
    lu = np.stack([np.stack([u11, u12], -1), np.stack([low, u22], -1)], -2)
    piv = np.stack([np.where(swap, 2, 1), np.full(swap.shape, 2)], -1).astype(np.int32)
    return lu.astype(a.dtype, copy=False), piv


def solve(a: ndarray, b: ndarray) -> ndarray:
    """X with AX = B for a (..., 2, 2) and b (..., 2, k), batches broadcast already."""
    u11, u12, low, u22, swap = factor(a)
    s = swap[..., None]
    b1 = np.where(s, b[..., 1, :], b[..., 0, :])
    b2 = np.where(s, b[..., 0, :], b[..., 1, :])
    one = np.ones((), a.dtype)
    with np.errstate(all="ignore"):
        x2 = fma(-low[..., None], b1, b2) * (one / u22)[..., None]
        x1 = fma(-u12[..., None], x2, b1) * (one / u11)[..., None]
    return np.stack([x1, x2], -2).astype(a.dtype, copy=False)


def solve_adjoint(a: ndarray, b: ndarray) -> ndarray:
    """X with AᵀX = B from A's LU, for a (..., 2, 2) and b (..., 2, k)."""
    u11, u12, low, u22, swap = factor(a)
    one = np.ones((), a.dtype)
    with np.errstate(all="ignore"):
        z1 = b[..., 0, :] * (one / u11)[..., None]
        z2 = fma(-u12[..., None], z1, b[..., 1, :]) * (one / u22)[..., None]
        w1 = fma(-low[..., None], z2, z1)
    s = swap[..., None]
    return np.stack([np.where(s, z2, w1), np.where(s, w1, z2)], -2).astype(a.dtype,
                                                                          copy=False)


def det(a: ndarray) -> Any:
    """det of (a batch of) 2×2 matrices, from the LU of Aᵀ."""
    u11, _, _, u22, swap = factor(np.swapaxes(a, -1, -2))
    d = u11 * u22
    return np.where(swap, -d, d).astype(a.dtype, copy=False)
