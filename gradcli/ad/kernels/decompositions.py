"""Matrix functions and decompositions (det, inv, solve, cholesky, eigh, svd, qr, pinv):
numpy's LAPACK calls, with PyTorch's checks and messages."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.kernels import (
    lapack2,
    mkl_lapack_chol,
    mkl_lapack_eigh,
    mkl_lapack_lu,
    mkl_lapack_qr,
)
from gradcli.ad.kernels.messages import TorchError, _Shape, broadcast_message, scalar_name

ndarray = np.ndarray

#: The class of PyTorch's torch.linalg.LinAlgError (a RuntimeError), as type() names it.
LINALG_ERROR = "_LinAlgError"


#: The decompositions gd computes for complex matrices too (numpy's LAPACK, no autograd:
#: a complex tensor never requires grad in gd), as quantum-mechanics code calls them.
COMPLEX_OK = frozenset(("linalg.det", "linalg.inv", "linalg.solve", "linalg.eigh",
                        "linalg.matrix_exp", "linalg.svd"))


def check_matrix(a: ndarray, op: str, square: bool = True) -> None:
    """PyTorch's checks of a (batch of) matrices: float dtype, 2+ dims, square."""
    if a.dtype.kind == "c" and op not in COMPLEX_OK:
        raise TorchError(f"{op} of a complex tensor is not supported by gradcli")
    if a.dtype.kind == "c":
        a = a.real
    if a.dtype.kind != "f":
        raise TorchError(f"{op}: Expected a floating point or complex tensor as input. "
                         f"Got {scalar_name(a.dtype)}")
    if a.ndim < 2:
        raise TorchError(f"{op}: The input tensor A must have at least 2 dimensions.")
    if square and a.shape[-1] != a.shape[-2]:
        raise TorchError(f"{op}: A must be batches of square matrices, but they are "
                         f"{a.shape[-2]} by {a.shape[-1]} matrices")


def _batch_prefix(a: ndarray, index: int) -> str:
    return f"(Batch element {index}): " if a.ndim > 2 else ""


def _first_bad(a: ndarray, bad: Any) -> tuple[int, int]:
    """(batch index, 1-based position) of the first matrix where bad(matrix) is nonzero."""
    flat = a.reshape(-1, a.shape[-2], a.shape[-1])
    for i, m in enumerate(flat):
        k = bad(m)
        if k:
            return i, k
    return -1, 0


def _lu_zero_pivot(m: ndarray) -> int:
    """LAPACK getrf's info: the 1-based index of the first exactly-zero pivot of U."""
    u = m.astype(np.float64).copy()
    n = u.shape[0]
    first = 0
    for k in range(n):
        p = k + int(np.argmax(np.abs(u[k:, k])))
        if u[p, k] == 0:
            first = first or k + 1
            continue
        u[[k, p]] = u[[p, k]]
        u[k + 1:, k:] -= np.outer(u[k + 1:, k] / u[k, k], u[k, k:])
    return first


def _singular(a: ndarray, op: str, what: str) -> TorchError:
    i, k = _first_bad(a, _lu_zero_pivot)
    i, k = (i, k) if k else (0, a.shape[-1])
    return TorchError(f"{op}: {_batch_prefix(a, i)}The diagonal element {k} is zero, the "
                      f"{what} could not be completed because the input matrix is singular.",
                      py_type=LINALG_ERROR)


def _lu_det(m: ndarray) -> Any:
    """det as LAPACK's LU gives it: ±Π diag(U), so a singular matrix's det is a signed zero."""
    u = m.astype(np.float64).copy()
    n = u.shape[0]
    sign = 1.0
    for k in range(n):
        p = k + int(np.argmax(np.abs(u[k:, k])))
        if p != k:
            u[[k, p]] = u[[p, k]]
            sign = -sign
        if u[k, k] != 0:
            u[k + 1:, k:] -= np.outer(u[k + 1:, k] / u[k, k], u[k, k:])
    return sign * np.prod(np.diagonal(u))


def det(a: ndarray) -> Any:
    """Determinant of (a batch of) square matrices."""
    check_matrix(a, "linalg.det")
    if lapack2.applies(a):
        return lapack2.det(a)
    if mkl_lapack_lu.applies(a):
        return mkl_lapack_lu.det(a)
    out = np.asarray(np.linalg.det(a)).astype(a.dtype, copy=False)
    if (out == 0).any():
        flat = out.reshape(-1)
        mats = a.reshape(-1, *a.shape[-2:])
        for i in np.flatnonzero(flat == 0):
            flat[i] = _lu_det(mats[i])
    return out


def slogdet(a: ndarray, part: str = "logabsdet") -> Any:
    """sign or log|det| of (a batch of) square matrices."""
    check_matrix(a, "linalg.slogdet")
    if lapack2.applies(a) or mkl_lapack_lu.applies(a):
        return mkl_lapack_lu.slogdet(a, part)
    sign, logabs = np.linalg.slogdet(a)
    return (sign if part == "sign" else logabs).astype(a.dtype, copy=False)


def _mkl_nonsingular(a: ndarray, b: ndarray) -> Any:
    """X with AX = B where numpy's LAPACK found A singular but MKL's rounding (its AVX-512
    path, kernels/mkl_lapack_lu.py) leaves every pivot nonzero, as PyTorch's info 0 says
    there; None elsewhere."""
    if not mkl_lapack_lu.applies(a):
        return None
    return mkl_lapack_lu.solve(a, b, force=True)


def inv(a: ndarray) -> Any:
    """Inverse of (a batch of) square matrices."""
    check_matrix(a, "linalg.inv")
    if lapack2.applies(a):  # PyTorch's inv is solve(A, I)
        return lapack2.solve(a, np.broadcast_to(np.eye(2, dtype=a.dtype), a.shape))
    if mkl_lapack_lu.applies(a):
        got = mkl_lapack_lu.solve(a, np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype),
                                                      a.shape))
        if got is not None:
            return got
    try:
        return np.linalg.inv(a)
    except np.linalg.LinAlgError:
        got = _mkl_nonsingular(a, np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape))
        if got is not None:
            return got
        raise _singular(a, "linalg.inv", "inversion") from None


def _vector_rhs(a: ndarray, b: ndarray) -> bool:
    """PyTorch's rule: B is a batch of vectors when it is 1-D or has A's batch shape."""
    return b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])


def solve(a: ndarray, b: ndarray, left: bool = True, adjoint: bool = False) -> Any:
    """X with AX = B (left) or XA = B; adjoint: with Aᵀ for A, from A's own LU (LAPACK's
    transposed getrs), as PyTorch's backward and left=False solve."""
    check_matrix(a, "linalg.solve")
    if a.dtype != b.dtype:
        raise TorchError("linalg.solve: Expected A and B to have the same dtype, but found "
                         f"A of type {scalar_name(a.dtype)} and B of type "
                         f"{scalar_name(b.dtype)} instead")
    if not left:  # XC = B is CᵀXᵀ = Bᵀ
        return np.swapaxes(solve(a, np.swapaxes(b, -1, -2), adjoint=not adjoint), -1, -2)
    vector = _vector_rhs(a, b)
    rhs = b[..., None] if vector else b
    n = a.shape[-1]
    if rhs.shape[-2] != n:
        raise TorchError("linalg.solve: Incompatible shapes of A and B for the equation "
                         f"AX = B ({a.shape[-2]}x{n} and {rhs.shape[-2]}x{rhs.shape[-1]})")
    msg = broadcast_message(_Shape(rhs.shape[:-2]), _Shape(a.shape[:-2]))
    if msg is not None:
        raise TorchError(msg)
    batch = np.broadcast_shapes(a.shape[:-2], rhs.shape[:-2])
    aa = np.broadcast_to(a, (*batch, n, n))
    bb = np.broadcast_to(rhs, (*batch, *rhs.shape[-2:]))
    if lapack2.applies(aa):
        x = lapack2.solve_adjoint(aa, bb) if adjoint else lapack2.solve(aa, bb)
        return x[..., 0] if vector else x
    if mkl_lapack_lu.applies(aa):
        got = mkl_lapack_lu.solve_adjoint(aa, bb) if adjoint else mkl_lapack_lu.solve(aa, bb)
        if got is not None:
            return got[..., 0] if vector else got
    try:
        x = np.linalg.solve(np.swapaxes(aa, -1, -2) if adjoint else aa, bb)
    except np.linalg.LinAlgError:
        got = None if adjoint else _mkl_nonsingular(aa, bb)
        if got is not None:
            return got[..., 0] if vector else got
        i, _ = _first_bad(aa, _lu_zero_pivot)
        raise TorchError(f"torch.linalg.solve: {_batch_prefix(aa, max(i, 0))}The solver "
                         "failed because the input matrix is singular.",
                         py_type=LINALG_ERROR) from None
    return x[..., 0] if vector else x


def _chol_fail(m: ndarray) -> int:
    """The order of the first leading minor that is not positive-definite (0: none)."""
    n = m.shape[0]
    low = np.tril(m).astype(np.float64)
    for k in range(1, n + 1):
        sub = low[:k, :k]
        try:
            np.linalg.cholesky(sub + np.tril(sub, -1).T)
        except np.linalg.LinAlgError:
            return k
    return 0


def cholesky(a: ndarray, upper: bool = False) -> Any:
    """Lower (or upper) Cholesky factor of (a batch of) positive-definite matrices. As
    LAPACK's, it reads one triangle: the lower one, or the upper one for upper=True (the
    lower one of aᵀ)."""
    check_matrix(a, "linalg.cholesky")
    if mkl_lapack_chol.applies(a, upper):
        factor = mkl_lapack_chol.potrf(a, upper)
        if factor is not None:
            return factor
    if upper:
        a = np.swapaxes(a, -1, -2)
    try:
        low = np.linalg.cholesky(a)
    except np.linalg.LinAlgError:
        i, k = _first_bad(a, _chol_fail)
        i, k = (i, k) if k else (0, a.shape[-1])
        raise TorchError(f"linalg.cholesky: {_batch_prefix(a, i)}The factorization could not "
                         "be completed because the input is not positive-definite (the "
                         f"leading minor of order {k} is not positive-definite).",
                         py_type=LINALG_ERROR) from None
    return np.swapaxes(low, -1, -2).copy() if upper else low


def eigh(a: ndarray, UPLO: str = "L", part: str = "eigenvalues") -> Any:
    """Eigenvalues (ascending) or eigenvectors of (a batch of) symmetric matrices."""
    check_matrix(a, "linalg.eigh")
    if UPLO not in ("L", "U"):
        raise TorchError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    if mkl_lapack_eigh.applies(a):
        return mkl_lapack_eigh.eigh2(a, UPLO == "U", part)
    if part == "eigenvalues":
        return np.linalg.eigvalsh(a, UPLO=UPLO) if a.size == 0 else \
            np.linalg.eigh(a, UPLO=UPLO)[0]
    return np.linalg.eigh(a, UPLO=UPLO)[1]


def svd(a: ndarray, full_matrices: bool = True, part: str = "S") -> Any:
    """U, S or Vh of the SVD of (a batch of) matrices."""
    check_matrix(a, "linalg.svd", square=False)
    u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
    # the singular values of a complex matrix are real (float64 for complex128)
    dtype = a.real.dtype if part == "S" else a.dtype
    return {"U": u, "S": s, "Vh": vh}[part].astype(dtype, copy=False)


def qr(a: ndarray, mode: str = "reduced", part: str = "Q") -> Any:
    """Q or R of the QR decomposition of (a batch of) matrices."""
    check_matrix(a, "linalg.qr", square=False)
    if mode not in ("reduced", "complete", "r"):
        raise TorchError(f"qr received unrecognized mode '{mode}' but expected one of "
                         "'reduced' (default), 'r', or 'complete'")
    if mode == "r" and part == "Q":
        return np.zeros((0,), a.dtype)
    if mkl_lapack_qr.applies(a):  # MKL's own rounding (Intel AVX-512 hosts)
        return mkl_lapack_qr.qr(a, mode, part)
    q, r = np.linalg.qr(a, mode="complete" if mode == "complete" else "reduced")
    return (q if part == "Q" else r).astype(a.dtype, copy=False)


def pinv(a: ndarray, rtol: Any = None, hermitian: bool = False, atol: Any = None) -> Any:
    """Moore-Penrose pseudo-inverse, through the SVD as PyTorch computes it (through eigh of
    the lower triangle when hermitian): singular values ≤ max(atol, rtol·σ₁) dropped, σ₁
    each matrix's largest."""
    check_matrix(a, "linalg.pinv", square=False)
    m, n = a.shape[-2:]
    if rtol is None:
        rtol = np.finfo(a.dtype).eps * max(m, n)
    if hermitian:
        w, v = np.linalg.eigh(a, UPLO="L")
        top = np.abs(w).max(axis=-1, keepdims=True) if w.shape[-1] else w
        keep = np.abs(w) > np.maximum(float(atol or 0.0), rtol * top)
        winv = np.where(keep, 1 / np.where(keep, w, 1), 0).astype(a.dtype)
        return ((v * winv[..., None, :]) @ np.conj(np.swapaxes(v, -1, -2))).astype(a.dtype)
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    top = s[..., :1] if s.shape[-1] else s
    keep = s > np.maximum(float(atol or 0.0), rtol * top)
    sinv = np.where(keep, 1 / np.where(keep, s, 1), 0).astype(a.dtype)
    return (np.swapaxes(vh, -1, -2) * sinv[..., None, :]) @ np.swapaxes(u, -1, -2)
