"""Matrix functions and decompositions: det, slogdet, logdet, inv, solve, cholesky, eigh,
svd, qr, pinv and the matrix norms; the several outputs of a decomposition come back as
PyTorch's named tuples (torch.return_types.linalg_eigh(...))."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from gradcli.ad.graph import Tensor, one_family
from gradcli.ad.kernels.messages import scalar_name as _scalar_name
from gradcli.ad.ops.creation import _as_tensor, zeros
from gradcli.ad.ops.elementwise import abs, to_dtype, where
from gradcli.ad.ops.reductions import _norm_dtype, amax, amin, norm, sum
from gradcli.ad.ops.shape import transpose, unsqueeze
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError


class SlogdetResult(NamedTuple):
    """(sign, logabsdet) of torch.slogdet."""

    sign: Tensor
    logabsdet: Tensor
    torch_kind = "slogdet"


class LinalgSlogdetResult(NamedTuple):
    """(sign, logabsdet) of torch.linalg.slogdet."""

    sign: Tensor
    logabsdet: Tensor
    torch_kind = "linalg_slogdet"


class EighResult(NamedTuple):
    """(eigenvalues, eigenvectors) of torch.linalg.eigh."""

    eigenvalues: Tensor
    eigenvectors: Tensor
    torch_kind = "linalg_eigh"


class SvdResult(NamedTuple):
    """(U, S, Vh) of torch.linalg.svd."""

    U: Tensor
    S: Tensor
    Vh: Tensor
    torch_kind = "linalg_svd"


class LegacySvdResult(NamedTuple):
    """(U, S, V) of torch.svd."""

    U: Tensor
    S: Tensor
    V: Tensor
    torch_kind = "svd"


class QrResult(NamedTuple):
    """(Q, R) of torch.linalg.qr."""

    Q: Tensor
    R: Tensor
    torch_kind = "linalg_qr"


def det(A: Tensor) -> Tensor:
    """Determinant of (a batch of) square matrices."""
    return apply(_RULES["det"], (_as_tensor(A),))


def _slogdet(A: Tensor) -> tuple[Tensor, Tensor]:
    A = _as_tensor(A)
    return one_family((apply(_RULES["slogdet"], (A,), {"part": "sign"}),
                       apply(_RULES["slogdet"], (A,), {"part": "logabsdet"})))


def slogdet(A: Tensor) -> SlogdetResult:
    """(sign, log|det|) of (a batch of) square matrices."""
    return SlogdetResult(*_slogdet(A))


def linalg_slogdet(A: Tensor) -> LinalgSlogdetResult:
    """torch.linalg.slogdet: (sign, log|det|)."""
    return LinalgSlogdetResult(*_slogdet(A))


def logdet(input: Tensor) -> Tensor:
    """log det: nan for a negative determinant, -inf for a singular matrix."""
    sign, logabs = _slogdet(input)
    return where(sign == -1, math.nan, logabs)


def inv(A: Tensor) -> Tensor:
    """Inverse of (a batch of) square matrices."""
    return apply(_RULES["inv"], (_as_tensor(A),))


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """X with AX = B (left=True) or XA = B; B may be a (batch of) vector(s)."""
    return apply(_RULES["solve"], (_as_tensor(A), _as_tensor(B)), {"left": left})


def solve_adjoint(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """solve(Aᵀ, B, left=left) as PyTorch's backward and left=False compute it: from A's
    own LU, LAPACK's transposed getrs (the same values; other last bits on MKL's 2×2
    path, kernels/lapack2.py)."""
    return apply(_RULES["solve"], (_as_tensor(A), _as_tensor(B)), {"left": left,
                                                                   "adjoint": True})


def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    """Lower (or upper) Cholesky factor of a positive-definite matrix."""
    return apply(_RULES["cholesky"], (_as_tensor(A),), {"upper": upper})


def eigh_part(A: Tensor, UPLO: str, part: str) -> Tensor:
    """One output of eigh (eigenvalues or eigenvectors)."""
    return apply(_RULES["eigh"], (A,), {"UPLO": UPLO, "part": part})


def eigh(A: Tensor, UPLO: str = "L") -> EighResult:
    """Eigenvalues (ascending) and eigenvectors of a symmetric matrix."""
    A = _as_tensor(A)
    return EighResult(*one_family((eigh_part(A, UPLO, "eigenvalues"),
                                   eigh_part(A, UPLO, "eigenvectors"))))


def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:
    """Eigenvalues (ascending) of a symmetric matrix."""
    return eigh_part(_as_tensor(A), UPLO, "eigenvalues")


def svd_part(A: Tensor, full_matrices: bool, part: str) -> Tensor:
    """One output of the SVD (U, S or Vh)."""
    return apply(_RULES["svd"], (A,), {"full_matrices": full_matrices, "part": part})


def svd(A: Tensor, full_matrices: bool = True, *, driver: Any = None) -> SvdResult:
    """U, S, Vh with A = U diag(S) Vh, S descending."""
    A = _as_tensor(A)
    out = SvdResult(*one_family([svd_part(A, full_matrices, p) for p in ("U", "S", "Vh")]))
    _cpu_driver(driver)
    return out


def _cpu_driver(driver: Any) -> None:
    """PyTorch's CPU SVD takes no driver (after the input's own checks)."""
    if driver is not None:
        raise GdRuntimeError("torch.linalg.svd: keyword argument `driver=` is only "
                             "supported on CUDA inputs with cuSOLVER backend.")


def svdvals(A: Tensor, *, driver: Any = None) -> Tensor:
    """Singular values, descending."""
    out = svd_part(_as_tensor(A), False, "S")
    _cpu_driver(driver)
    return out


def legacy_svd(input: Tensor, some: bool = True, compute_uv: bool = True) -> LegacySvdResult:
    """torch.svd: U, S, V (not Vh) of the reduced (some=True) or full SVD."""
    if not compute_uv:  # PyTorch's zero-filled full U and V beside the singular values
        x = _as_tensor(input)
        m, n = x.shape[-2:]
        return LegacySvdResult(zeros(*x.shape[:-2], m, m, dtype=x.dtype), svdvals(x),
                               zeros(*x.shape[:-2], n, n, dtype=x.dtype))
    u, s, vh = svd(input, full_matrices=not some)
    return LegacySvdResult(u, s, transpose(vh, -2, -1))


def qr_part(A: Tensor, mode: str, part: str) -> Tensor:
    """One output of the QR decomposition (Q or R)."""
    return apply(_RULES["qr"], (A,), {"mode": mode, "part": part})


def qr(A: Tensor, mode: str = "reduced") -> QrResult:
    """Q, R with A = QR (mode reduced, complete or r)."""
    A = _as_tensor(A)
    return QrResult(*one_family((qr_part(A, mode, "Q"), qr_part(A, mode, "R"))))


class LegacyQrResult(NamedTuple):
    """(Q, R) of torch.qr."""

    Q: Tensor
    R: Tensor
    torch_kind = "qr"


def legacy_qr(input: Tensor, some: bool = True) -> LegacyQrResult:
    """torch.qr / Tensor.qr: linalg.qr with the boolean `some` (deprecated)."""
    warn("torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future "
         "PyTorch release.\nThe boolean parameter 'some' has been replaced with a string "
         "parameter 'mode'.\nQ, R = torch.qr(A, some)\nshould be replaced with\nQ, R = "
         "torch.linalg.qr(A, 'reduced' if some else 'complete')", once=True)
    return LegacyQrResult(*qr(input, "reduced" if some else "complete"))


def pinverse(input: Tensor, rcond: float = 1e-15) -> Tensor:
    """torch.pinverse: pinv with singular values ≤ rcond·σ₁ dropped."""
    return pinv(input, rtol=rcond)


def pinv(A: Tensor, rcond: Any = None, hermitian: bool = False, *, atol: Any = None,
         rtol: Any = None) -> Tensor:
    """Moore-Penrose pseudo-inverse (singular values ≤ max(atol, rtol·σ₁) dropped, σ₁ each
    matrix's own; the positional rcond of PyTorch's other overload is rtol)."""
    A = _as_tensor(A)
    if rcond is not None:
        rtol = float(rcond.array) if isinstance(rcond, Tensor) and rcond.ndim == 0 else rcond
    if isinstance(atol, Tensor) and atol.ndim == 0:
        atol = float(atol.array)
    if atol is not None and rtol is None and atol > 0:
        rtol = 0.0  # PyTorch: an atol > 0 alone drops the default rtol
    if atol is not None and not atol > 0:
        atol = None
    return apply(_RULES["pinv"], (A,), {"rtol": rtol, "hermitian": hermitian, "atol": atol})


def matrix_norm(A: Tensor, ord: Any = "fro", dim: Any = (-2, -1), keepdim: bool = False, *,
                dtype: Any = None) -> Tensor:
    """Matrix norms: 'fro', 'nuc', ±1, ±2, ±inf over the two dims (batched)."""
    A = _as_tensor(A)
    if A.ndim < 2:
        raise GdRuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                             "dimensions.")
    if A.array.dtype.kind not in "fc":
        raise GdRuntimeError("linalg.matrix_norm: Expected a floating point or complex tensor "
                             f"as input. Got {_scalar_name(A.array.dtype)}")
    if dtype is not None:
        A = to_dtype(A, _norm_dtype(A, dtype, "linalg.matrix_norm"))
    dims = tuple(dim)
    if len(dims) != 2:
        raise GdRuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {dims}")
    r, c = (d % A.ndim for d in dims)
    if ord == "fro":
        return norm(A, 2.0, dims, keepdim)
    if ord in ("nuc", 2, -2):
        moved = A
        if (r, c) != (A.ndim - 2, A.ndim - 1):
            rest = [d for d in range(A.ndim) if d not in (r, c)]
            from gradcli.ad.ops.shape import permute
            moved = permute(A, *rest, r, c)
        s = svdvals(moved)
        out = sum(s, -1, keepdim) if ord == "nuc" else (amax if ord == 2 else amin)(s, -1,
                                                                                    keepdim)
        if keepdim:
            out = movedim_back(unsqueeze(out, -1), r, c)
        return out
    if ord not in (1, -1, math.inf, -math.inf):
        raise GdRuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    summed, extreme = (r, c) if ord in (1, -1) else (c, r)
    s = sum(abs(A), summed, keepdim)
    if not keepdim and extreme > summed:
        extreme -= 1
    return (amax if ord > 0 else amin)(s, extreme, keepdim)


def movedim_back(x: Tensor, r: int, c: int) -> Tensor:
    """x with its last two dims moved back to dims (r, c) (PyTorch's movedim: a permute)."""
    order = list(range(x.ndim - 2))
    for d, src in sorted(((r, x.ndim - 2), (c, x.ndim - 1))):
        order.insert(d, src)
    from gradcli.ad.ops.shape import permute
    return permute(x, *order)


# -- PyTorch spellings ------------------------------------------------------------------

expose(det, "torch.det", "Tensor.det", "torch.linalg.det", family="linalg")
expose(slogdet, "torch.slogdet", "Tensor.slogdet", family="linalg")
expose(linalg_slogdet, "torch.linalg.slogdet", family="linalg")
expose(logdet, "torch.logdet", "Tensor.logdet", family="linalg")
expose(inv, "torch.inverse", "Tensor.inverse", "torch.linalg.inv", family="linalg")
expose(solve, "torch.linalg.solve", family="linalg")
expose(cholesky, "torch.linalg.cholesky", family="linalg")
expose(eigh, "torch.linalg.eigh", family="linalg")
expose(eigvalsh, "torch.linalg.eigvalsh", family="linalg")
expose(svd, "torch.linalg.svd", family="linalg")
expose(svdvals, "torch.linalg.svdvals", family="linalg")
expose(legacy_svd, "torch.svd", "Tensor.svd", family="linalg")
expose(qr, "torch.linalg.qr", family="linalg")
expose(legacy_qr, "torch.qr", "Tensor.qr", family="linalg")
expose(pinv, "torch.linalg.pinv", family="linalg")
expose(pinverse, "torch.pinverse", "Tensor.pinverse", family="linalg")
expose(matrix_norm, "torch.linalg.matrix_norm", family="linalg")
