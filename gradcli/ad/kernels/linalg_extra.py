"""Kernels of torch.cholesky (the deprecated spelling: its own messages), cholesky_solve
(potrs: two triangular solves) and of the matrix
exponential (scaling and squaring with Higham's [13/13] Padé approximant, numpy only)."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.kernels import decompositions as KD
from gradcli.ad.kernels import linalg_tri as KT
from gradcli.ad.kernels.messages import TorchError

ndarray = np.ndarray


def cholesky_legacy(a: ndarray, upper: bool = False) -> Any:
    """torch.cholesky: linalg.cholesky's factor, its messages prefixed `cholesky:`."""
    try:
        return KD.cholesky(a, upper)
    except TorchError as e:
        raise TorchError(str(e).replace("linalg.cholesky:", "cholesky:", 1)) from None


def cholesky_solve(b: ndarray, factor: ndarray, upper: bool = False) -> Any:
    """X with A X = B, A = L Lᵀ (or Uᵀ U for upper=True) from its Cholesky factor, as
    LAPACK's potrs: the two triangular solves (PyTorch's bits on MKL's AVX-512 path,
    kernels/mkl_lapack_trsm.py); batches broadcast."""
    batch = np.broadcast_shapes(b.shape[:-2], factor.shape[:-2])
    b = np.broadcast_to(b, batch + b.shape[-2:])
    factor = np.broadcast_to(factor, batch + factor.shape[-2:])
    # LAPACK's copy of the factor is column-major: the solve with it as stored takes the
    # column kernel, the one with its transpose the row kernel (mkl_lapack_trsm).
    stored = np.swapaxes(np.ascontiguousarray(np.swapaxes(factor, -1, -2)), -1, -2)
    low = np.swapaxes(stored, -1, -2) if upper else stored
    y = KT.solve_triangular(low, b, upper=False)
    return KT.solve_triangular(np.swapaxes(low, -1, -2), y, upper=True)


_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
           129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
           40840800.0, 960960.0, 16380.0, 182.0, 1.0)
_THETA13 = 5.371920351148152


def _expm(a: ndarray) -> ndarray:
    n = a.shape[-1]
    norm = np.abs(a).sum(axis=0).max() if n else 0.0
    s = max(0, int(np.ceil(np.log2(norm / _THETA13)))) if norm > _THETA13 else 0
    a = a / (2.0 ** s)
    b = _PADE13
    ident = np.eye(n, dtype=a.dtype)
    a2 = a @ a
    a4 = a2 @ a2
    a6 = a4 @ a2
    u = a @ (a6 @ (b[13] * a6 + b[11] * a4 + b[9] * a2) + b[7] * a6 + b[5] * a4 + b[3] * a2
             + b[1] * ident)
    v = a6 @ (b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2 \
        + b[0] * ident
    r = np.linalg.solve(v - u, v + u)
    for _ in range(s):
        r = r @ r
    return r


def matrix_exp(a: ndarray) -> Any:
    """e^A of (a batch of) square matrices."""
    KD.check_matrix(a, "linalg.matrix_exp")
    work = a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)
    flat = work.reshape(-1, *a.shape[-2:])
    out = np.stack([_expm(m) for m in flat]) if flat.shape[0] else flat.copy()
    return out.reshape(a.shape).astype(a.dtype)
