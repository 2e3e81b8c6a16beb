"""The LU family's kernels: LAPACK getrf's factorization with partial pivoting (the first
largest |entry| of a column is the pivot; a zero pivot is recorded in info and skipped),
its unpacking into P, L, U, and PyTorch's checks and messages."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.kernels import lapack2, mkl_lapack_lu
from gradcli.ad.kernels.messages import TorchError, scalar_name

ndarray = np.ndarray


def check_lu_input(a: ndarray, op: str, pivot: bool = True) -> None:
    """PyTorch's checks of linalg.lu / lu_factor's input."""
    if a.ndim < 2:
        raise TorchError(f"{op}: Expected tensor with 2 or more dimensions. Got size: "
                         f"[{', '.join(map(str, a.shape))}] instead")
    if a.dtype.kind != "f":
        raise TorchError(f'"lu_cpu" not implemented for \'{scalar_name(a.dtype)}\'',
                         py_type="NotImplementedError")
    if not pivot:
        raise TorchError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")


def factor(a: ndarray, native: bool = False) -> tuple[ndarray, ndarray, ndarray]:
    """(LU packed, 1-based int32 pivots, int32 info) of (a batch of) m×n matrices, computed
    in float64 and rounded to a's dtype (native: in a's dtype, where a float32 matrix's
    exactly cancelling pivot is the zero LAPACK's sgetrf finds)."""
    m, n = a.shape[-2:]
    k = min(m, n)
    batch = a.shape[:-2]
    if lapack2.applies(a):
        lu2, piv2 = lapack2.packed(a)
        return lu2, piv2, np.zeros(batch, np.int32)
    if mkl_lapack_lu.applies(a):
        return mkl_lapack_lu.getrf(a)
    lu = a.reshape((int(np.prod(batch)), m, n)).astype(a.dtype if native else np.float64)
    piv = np.zeros((lu.shape[0], k), np.int32)
    info = np.zeros(lu.shape[0], np.int32)
    rows = np.arange(lu.shape[0])
    for j in range(k):
        p = j + np.argmax(np.abs(lu[:, j:, j]), axis=1)
        piv[:, j] = p + 1
        top = lu[rows, j, :].copy()
        lu[rows, j, :] = lu[rows, p, :]
        lu[rows, p, :] = top
        d = lu[:, j, j]
        zero = d == 0
        info[(info == 0) & zero] = j + 1
        scale = np.where(zero, 1.0, d)[:, None]
        lu[:, j + 1:, j] = np.where(zero[:, None], lu[:, j + 1:, j], lu[:, j + 1:, j] / scale)
        lu[:, j + 1:, j + 1:] -= lu[:, j + 1:, j, None] * lu[:, j, None, j + 1:]
    return (lu.astype(a.dtype).reshape(a.shape), piv.reshape((*batch, k)),
            info.reshape(batch))


def permutation(piv: ndarray, m: int, dtype: Any) -> ndarray:
    """The m×m matrix P with A = P L U, from LAPACK's sequential row swaps (1-based)."""
    flat = piv.reshape((int(np.prod(piv.shape[:-1])), piv.shape[-1])).astype(np.int64) - 1
    perm = np.tile(np.arange(m), (flat.shape[0], 1))
    rows = np.arange(flat.shape[0])
    for i in range(flat.shape[1]):
        p = flat[:, i]
        here = perm[:, i].copy()
        perm[:, i] = perm[rows, p]
        perm[rows, p] = here
    out = np.zeros((flat.shape[0], m, m), dtype)
    out[rows[:, None], perm, np.arange(m)[None, :]] = 1
    return out.reshape((*piv.shape[:-1], m, m))


def lu_part(a: ndarray, part: str = "L") -> Any:
    """L (unit lower, m×k) or U (upper, k×n) of linalg.lu."""
    check_lu_input(a, "linalg.lu")
    return unpack(factor(a)[0], part)


def unpack(lu: ndarray, part: str) -> ndarray:
    """L (unit lower, m×k) or U (upper, k×n) of a packed LU."""
    m, n = lu.shape[-2:]
    k = min(m, n)
    if part == "L":
        low = np.tril(lu[..., :, :k], -1)
        low[..., np.arange(k), np.arange(k)] = 1
        return low
    return np.triu(lu[..., :k, :])


def lu_factor(a: ndarray, op: str = "torch.linalg.lu_factor", check: bool = False) -> Any:
    """The packed LU of linalg.lu_factor (check: fail on a zero pivot as lu_factor does)."""
    check_lu_input(a, op)
    lu, _, info = factor(a)
    if check and (info != 0).any():
        flat = info.reshape(-1)
        i = int(np.flatnonzero(flat)[0])
        prefix = f"(Batch element {i}): " if a.ndim > 2 else ""
        raise TorchError(f"torch.linalg.lu_factor: {prefix}U[{flat[i]},{flat[i]}] is zero and "
                         "using it on lu_solve would result in a division by zero. If you "
                         "still want to perform the factorization, consider calling "
                         "linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)",
                         py_type="RuntimeError")
    return lu
