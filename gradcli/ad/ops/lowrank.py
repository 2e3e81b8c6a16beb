"""torch.svd_lowrank and torch.pca_lowrank: Halko, Martinsson and Tropp's randomized SVD
(2009, algorithm 5.1), in the order torch/_lowrank.py takes its steps so that the same
seed draws the same Gaussian test matrix (one torch.randn(n, q) from the default
generator) and the same QR/SVD calls follow. Written in differentiable ops, so the
factors carry PyTorch's graph (matmul, LinalgQrBackward0, LinalgSvdBackward0)."""

from __future__ import annotations

from typing import Any

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor
from gradcli.ad.ops.creation import randn
from gradcli.ad.ops.decompositions import qr, svd
from gradcli.ad.ops.elementwise import sub
from gradcli.ad.ops.joins import mH
from gradcli.ad.ops.linalg import matmul
from gradcli.ad.ops.reductions import mean
from gradcli.ad.ops.shape import expand
from gradcli.ad.ops.surface import expose
from gradcli.errors import GdRuntimeError


def _tensor(A: Any) -> Tensor:
    """A itself: torch/_lowrank.py reads A.shape first, so anything else is Python's
    AttributeError there ('float' object has no attribute 'shape')."""
    if type(A) is not Tensor:
        kind = type(A).__name__ if type(A) in (bool, int, float, complex, str, list, tuple,
                                                 dict) else "object"
        raise GdRuntimeError(f"'{kind}' object has no attribute 'shape'",
                             py_type="AttributeError")
    if A.ndim < 2:
        raise GdRuntimeError(f"not enough values to unpack (expected 2, got {A.ndim})",
                             py_type="ValueError")
    return A


def _floating(A: Tensor) -> Any:
    """torch._linalg_utils.get_floating_dtype: a float dtype itself, anything else float32."""
    if A.dtype.kind == "c" or A.dtype in (dtypes.float16, dtypes.float32, dtypes.float64):
        return A.dtype
    return dtypes.float32


def _minus(X: Tensor, M: Tensor | None, Y: Tensor) -> Tensor:
    """X - M @ Y, or X without a mean M."""
    return X if M is None else sub(X, matmul(M, Y))


def _basis(A: Tensor, q: int, niter: int, M: Tensor | None) -> Tensor:
    """get_approximate_basis: an orthonormal Q (n × q) whose range approximates A's."""
    R = randn(A.shape[-1], q, dtype=_floating(A))
    Q = qr(_minus(matmul(A, R), M, R)).Q
    for _ in range(niter):
        Q = qr(_minus(matmul(mH(A), Q), None if M is None else mH(M), Q)).Q
        Q = qr(_minus(matmul(A, Q), M, Q)).Q
    return Q


def _svd_lowrank(A: Tensor, q: int | None, niter: int | None,
                 M: Tensor | None) -> tuple[Tensor, Tensor, Tensor]:
    q = 6 if q is None else q
    niter = 2 if niter is None else niter
    m, n = A.shape[-2:]
    if M is not None:
        M = expand(M, *A.shape)
    if m < n:  # the algorithm wants A tall
        A = mH(A)
        M = None if M is None else mH(M)
    Q = _basis(A, q, niter, M)
    B = matmul(mH(Q), A)
    if M is not None:
        B = sub(B, matmul(mH(Q), M))
    U, S, Vh = svd(B, full_matrices=False)
    V = mH(Vh)
    U = matmul(Q, U)
    if m < n:
        U, V = V, U
    return U, S, V


def svd_lowrank(A: Tensor, q: int | None = 6, niter: int | None = 2,
                M: Tensor | None = None) -> tuple[Tensor, Tensor, Tensor]:
    """An approximate rank-q SVD (U, S, V) of A - M from one Gaussian sketch and niter
    power iterations."""
    return _svd_lowrank(_tensor(A), q, niter, None if M is None else _tensor(M))


def pca_lowrank(A: Tensor, q: int | None = None, center: bool = True,
                niter: int = 2) -> tuple[Tensor, Tensor, Tensor]:
    """(U, S, V) of the approximate SVD of A, centred over its rows when center is True:
    A's principal directions are V's columns, S**2 / (m - 1) their variances."""
    A = _tensor(A)
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not (q >= 0 and q <= min(m, n)):
        raise GdRuntimeError(f"q(={q}) must be non-negative integer and not greater than "
                             f"min(m, n)={min(m, n)}", py_type="ValueError")
    if not niter >= 0:
        raise GdRuntimeError(f"niter(={niter}) must be non-negative integer",
                             py_type="ValueError")
    if not center:
        return _svd_lowrank(A, q, niter, None)
    return _svd_lowrank(sub(A, mean(A, dim=(-2,), keepdim=True)), q, niter, None)


expose(svd_lowrank, "torch.svd_lowrank", family="linalg")
expose(pca_lowrank, "torch.pca_lowrank", family="linalg")
