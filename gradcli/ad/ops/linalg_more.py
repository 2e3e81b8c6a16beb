"""torch.linalg's triangular solve and the functions written with it (cholesky_solve,
cholesky_inverse, the legacy triangular_solve), the *_ex variants (the result and an
info of 0: gd raises where LAPACK would report), cond, tensorinv, tensorsolve, and the
removed legacy functions (torch.solve, lstsq, symeig, eig, matrix_rank) with PyTorch's
messages."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.surface import SURFACE, expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError


def _named(out: Tensor, name: str) -> Tensor:
    if out.grad_fn is None:
        return out
    return apply(RULES["copy_of"], (out,), {"name": name})


def solve_triangular(A: Tensor, B: Tensor, *, upper: bool, left: bool = True,
                     unitriangular: bool = False) -> Tensor:
    """X with AX = B (left) or XA = B for a triangular A."""
    return apply(RULES["solve_triangular"], (_as_tensor(A), _as_tensor(B)),
                 {"upper": bool(upper), "left": bool(left), "unitriangular": bool(unitriangular)})


def _mT(x: Tensor) -> Tensor:
    return x.transpose(-2, -1)


def _potrs_ready(b: Tensor, factor: Tensor) -> bool:
    """Whether cholesky_solve's own rule takes b and factor: float32/float64 of one dtype,
    factor square, b's rows its order, batches that broadcast (other input takes the
    path through linalg.solve, whose checks speak)."""
    bs, fs = tuple(b.shape), tuple(factor.shape)
    if len(bs) < 2 or len(fs) < 2 or fs[-1] != fs[-2] or bs[-2] != fs[-1] \
            or b.dtype != factor.dtype or b.dtype not in (np.float32, np.float64):
        return False
    try:
        np.broadcast_shapes(bs[:-2], fs[:-2])
    except ValueError:
        return False
    return True


def cholesky_solve(input: Tensor, input2: Tensor, upper: bool = False) -> Tensor:
    """X with A X = B, A = L Lᵀ given by its Cholesky factor L (input2): LAPACK's potrs
    (two triangular solves) with PyTorch's CholeskySolveBackward0 (L taken whole, not as
    a triangle)."""
    b, factor = _as_tensor(input), _as_tensor(input2)
    if _potrs_ready(b, factor):
        return apply(RULES["cholesky_solve"], (b, factor), {"upper": bool(upper)})
    a = _mT(factor) @ factor if upper else factor @ _mT(factor)
    return _named(SURFACE["torch.linalg.solve"](a, b), "CholeskySolveBackward0")


def cholesky_inverse(input: Tensor, upper: bool = False) -> Tensor:
    """(L Lᵀ)⁻¹ from the Cholesky factor L."""
    factor = _as_tensor(input)
    # LAPACK's potri reads only the factor's triangle, PyTorch's derivative
    # (cholesky_inverse_backward: -L (G + Gᴴ)-term, both sides) multiplies by the whole
    # input: the product of the triangle, with the whole input's product's gradient
    tri = SURFACE["torch.triu" if upper else "torch.tril"](factor.detach())
    whole = _mT(factor) @ factor if upper else factor @ _mT(factor)
    a = (_mT(tri) @ tri if upper else tri @ _mT(tri)) + (whole - whole.detach())
    return _named(SURFACE["torch.linalg.inv"](a), "CholeskyInverseBackward0")


class TriangularSolveResult(NamedTuple):
    """torch.return_types.triangular_solve."""

    solution: Tensor
    cloned_coefficient: Tensor
    torch_kind = "triangular_solve"


def triangular_solve(input: Tensor, A: Tensor, upper: bool = True, transpose: bool = False,
                     unitriangular: bool = False) -> TriangularSolveResult:
    """The legacy (solution, cloned_coefficient) form of solve_triangular."""
    warn("torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangular"
         "and will be removed in a future PyTorch release.\ntorch.linalg.solve_triangular "
         "has its arguments reversed and does not return a copy of one of the inputs.\n"
         "X = torch.triangular_solve(B, A).solution\nshould be replaced with\n"
         "X = torch.linalg.solve_triangular(A, B).", once=True)
    a = _as_tensor(A)
    m = _mT(a) if transpose else a
    x = solve_triangular(m, _as_tensor(input), upper=upper != transpose,
                         unitriangular=unitriangular)
    return TriangularSolveResult(_named(x, "TriangularSolveBackward0"),
                                 _named(SURFACE["torch.clone"](a), "TriangularSolveBackward0"))


expose(solve_triangular, "torch.linalg.solve_triangular", family="linalg")
expose(cholesky_solve, "torch.cholesky_solve", "Tensor.cholesky_solve", family="linalg")
expose(cholesky_inverse, "torch.cholesky_inverse", "Tensor.cholesky_inverse", family="linalg")
expose(triangular_solve, "torch.triangular_solve", "Tensor.triangular_solve", family="linalg")


# -- the *_ex variants -------------------------------------------------------------------------

def _info(x: Tensor) -> Tensor:
    return tensor_from_array(np.zeros(x.shape[:-2], np.int32))


class CholeskyExResult(NamedTuple):
    """torch.return_types.linalg_cholesky_ex."""

    L: Tensor
    info: Tensor
    torch_kind = "linalg_cholesky_ex"


class InvExResult(NamedTuple):
    """torch.return_types.linalg_inv_ex."""

    inverse: Tensor
    info: Tensor
    torch_kind = "linalg_inv_ex"


class SolveExResult(NamedTuple):
    """torch.return_types.linalg_solve_ex."""

    result: Tensor
    info: Tensor
    torch_kind = "linalg_solve_ex"


def _cholesky_info(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(L, info) of LAPACK's unblocked Cholesky (potf2) on each matrix of a batch: info is
    the order of the first leading minor that is not positive definite (0: none), and a
    failed matrix's L holds the columns factored before it, the failing diagonal entry
    (a_kk - Σ l_kj², not square-rooted) and, beyond, the input's lower triangle."""
    n = a.shape[-1]
    work = np.tril(a.reshape(-1, n, n).astype(np.float64))
    info = np.zeros(work.shape[0], np.int32)
    with np.errstate(all="ignore"):
        for j in range(n):
            live = info == 0
            row = work[:, j, :j]
            d = work[:, j, j] - np.einsum("bk,bk->b", row, row)
            bad = live & ~(d > 0)
            work[bad, j, j] = d[bad]
            info[bad] = j + 1
            ok = live & ~bad
            root = np.sqrt(np.where(ok, d, 1.0))
            work[ok, j, j] = root[ok]
            below = (work[:, j + 1:, j] - np.einsum("bik,bk->bi", work[:, j + 1:, :j], row))
            work[ok, j + 1:, j] = (below / root[:, None])[ok]
    return work.astype(a.dtype).reshape(a.shape), info.reshape(a.shape[:-2])


def _checked(call: Any, name: str, ex_name: str) -> Any:
    """call(), its error worded as the _ex function's (check_errors=True)."""
    try:
        return call()
    except GdRuntimeError as e:
        if e.message.startswith(name + ":"):
            e.message = ex_name + e.message[len(name):]
        raise


def cholesky_ex(A: Tensor, *, upper: bool = False, check_errors: bool = False) -> CholeskyExResult:
    """cholesky and its LAPACK info (0, or the order of the first leading minor that is not
    positive definite, where L is LAPACK's partial factor); check_errors: fail as
    cholesky does."""
    a = _as_tensor(A)
    cholesky = SURFACE["torch.linalg.cholesky"]
    if check_errors:
        return CholeskyExResult(_checked(lambda: cholesky(a, upper=upper), "linalg.cholesky",
                                         "linalg.cholesky_ex"), _info(a))
    if a.ndim < 2 or a.shape[-1] != a.shape[-2] or a.dtype.kind != "f":
        return CholeskyExResult(cholesky(a, upper=upper), _info(a))
    # upper=True reads A's upper triangle: LAPACK's 'U' factor of A is the 'L' one of Aᵀ.
    partial, info = _cholesky_info(np.swapaxes(a.array, -1, -2) if upper else a.array)
    if not info.any():
        return CholeskyExResult(cholesky(a, upper=upper), tensor_from_array(info))
    out = partial.copy()  # lower-triangular orientation until the end
    flat_in = a.array.reshape(-1, *a.shape[-2:])
    flat_out = out.reshape(-1, *a.shape[-2:])
    for i in np.flatnonzero(info.reshape(-1) == 0):  # the factored ones as cholesky gives them
        good = cholesky(tensor_from_array(flat_in[i]), upper=upper).array
        flat_out[i] = good.T if upper else good
    if upper:
        out = np.swapaxes(out, -1, -2).copy()
    return CholeskyExResult(tensor_from_array(out), tensor_from_array(info))


def _lu_info(a: Tensor) -> Any:
    """LU's info for each matrix (0, or the 1-based index of the first zero pivot), and
    the LU factors."""
    from gradcli.ad.kernels import lu as LU
    with np.errstate(all="ignore"):
        return LU.factor(a.array, native=True)


def _lu_solve_raw(lu: np.ndarray, piv: np.ndarray, b: np.ndarray) -> np.ndarray:
    """X with P L U X = B by substitution, letting a zero pivot give infinities (what
    LAPACK's getrs returns for a singular U)."""
    from gradcli.ad.kernels import lu as LU
    from gradcli.ad.kernels.linalg_tri import _substitute
    perm = LU.permutation(piv, lu.shape[-1], lu.dtype)
    with np.errstate(all="ignore"):
        y = _substitute(lu, np.swapaxes(perm, -1, -2) @ b, upper=False, unit=True)
        return _substitute(lu, y, upper=True, unit=False).astype(lu.dtype)


def inv_ex(A: Tensor, *, check_errors: bool = False) -> InvExResult:
    """inv and its LAPACK info (0, or the index of the first zero pivot of the LU, where
    the inverse holds what the solve gives: infinities); check_errors: fail as inv does."""
    a = _as_tensor(A)
    if a.ndim >= 2 and a.shape[-1] == a.shape[-2] and a.dtype.kind == "f" and a.shape[-1]:
        lu, piv, info = _lu_info(a)
        if info.any() and not check_errors:
            eye = np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape)
            return InvExResult(tensor_from_array(_lu_solve_raw(lu, piv, eye)),
                               tensor_from_array(info))
    return InvExResult(_checked(lambda: SURFACE["torch.linalg.inv"](a), "linalg.inv",
                                "linalg.inv_ex"), _info(a))


def solve_ex(A: Tensor, B: Tensor, *, left: bool = True,
             check_errors: bool = False) -> SolveExResult:
    """solve and its LAPACK info (as inv_ex)."""
    a = _as_tensor(A)
    b = _as_tensor(B)
    if (left and a.ndim == 2 and a.shape[-1] == a.shape[-2] and a.dtype.kind == "f"
            and b.dtype == a.dtype and b.ndim in (1, 2) and a.shape[-1]):
        lu, piv, info = _lu_info(a)
        if info.any() and not check_errors:
            col = b.array[:, None] if b.ndim == 1 else b.array
            x = _lu_solve_raw(lu, piv, col)
            return SolveExResult(tensor_from_array(x[:, 0] if b.ndim == 1 else x),
                                 tensor_from_array(info))
    return SolveExResult(_checked(lambda: SURFACE["torch.linalg.solve"](a, B, left=left),
                                  "torch.linalg.solve", "torch.linalg.solve_ex"), _info(a))


expose(cholesky_ex, "torch.linalg.cholesky_ex", family="linalg")
expose(inv_ex, "torch.linalg.inv_ex", family="linalg")
expose(solve_ex, "torch.linalg.solve_ex", family="linalg")


def cond(A: Tensor, p: Any = None) -> Tensor:
    """The condition number: σ_max/σ_min (p None or 2), σ_min/σ_max (p -2), else
    ‖A‖_p · ‖A⁻¹‖_p."""
    a = _as_tensor(A)
    if p is None or p == 2 or p == -2:
        s = SURFACE["torch.linalg.svdvals"](a)
        big, small = s.narrow(-1, 0, 1), s.narrow(-1, s.shape[-1] - 1, 1)
        return (big / small if p != -2 else small / big).squeeze(-1)
    norm = SURFACE["torch.linalg.matrix_norm"]
    out = norm(a, p) * norm(SURFACE["torch.linalg.inv"](a), p)
    return SURFACE["torch.nan_to_num"](out, math.inf)


def tensorinv(A: Tensor, ind: int = 2) -> Tensor:
    """The inverse of A with respect to tensordot over its first `ind` dims."""
    a = _as_tensor(A)
    if ind <= 0:
        raise GdRuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    out_shape, in_shape = a.shape[:ind], a.shape[ind:]
    rows, cols = math.prod(out_shape), math.prod(in_shape)
    if rows != cols:
        raise GdRuntimeError("Expected self to satisfy the requirement prod(self.shape[ind:]) "
                             f"== prod(self.shape[:ind]), but got {cols} != {rows}")
    inv = SURFACE["torch.linalg.inv"](a.reshape(rows, cols))
    out = inv.reshape(*in_shape, *out_shape)
    # PyTorch's inverse is column-major: its reshape is an alias, not a view (n > 1)
    return _named(out, "ReshapeAliasBackward0") if rows > 1 else out


def tensorsolve(A: Tensor, B: Tensor, dims: Any = None) -> Tensor:
    """X with tensordot(A, X, X.ndim) = B."""
    a, b = _as_tensor(A), _as_tensor(B)
    if dims is not None:
        order = [d % a.ndim for d in dims]
        rest = [d for d in range(a.ndim) if d not in order]
        a = a.permute(*rest, *order)
    x_shape = a.shape[b.ndim:]
    n = math.prod(b.shape)
    if math.prod(x_shape) != n:
        raise GdRuntimeError("Expected self to satisfy the requirement prod(self.shape[other."
                             "ndim:]) == prod(self.shape[:other.ndim]), but got "
                             f"{math.prod(x_shape)} != {n}")
    x = SURFACE["torch.linalg.solve"](a.reshape(n, n), b.reshape(n))
    return x.reshape(*x_shape)


expose(cond, "torch.linalg.cond", family="linalg")
expose(tensorinv, "torch.linalg.tensorinv", family="linalg")
expose(tensorsolve, "torch.linalg.tensorsolve", family="linalg")


# -- removed legacy functions --------------------------------------------------------------------

_REMOVED = "This function was deprecated since version 1.9 and is now removed. "
_REMOVED_TEXT = {
    "solve": _REMOVED + "`torch.solve` is deprecated in favor of `torch.linalg.solve`. "
    "`torch.linalg.solve` has its arguments reversed and does not return the LU "
    "factorization.\n\nTo get the LU factorization see `torch.lu`, which can be used with "
    "`torch.lu_solve` or `torch.lu_unpack`.\nX = torch.solve(B, A).solution should be "
    "replaced with:\nX = torch.linalg.solve(A, B)",
    "lstsq": _REMOVED + "`torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`.\n"
    "`torch.linalg.lstsq` has reversed arguments and does not return the QR decomposition "
    "in the returned tuple (although it returns other information about the problem).\n\n"
    "To get the QR decomposition consider using `torch.linalg.qr`.\n\nThe returned "
    "solution in `torch.lstsq` stored the residuals of the solution in the last m - n "
    "columns of the returned value whenever m > n. In torch.linalg.lstsq, the residuals "
    "are in the field 'residuals' of the returned named tuple.\n\nThe unpacking of the "
    "solution, as in\nX, _ = torch.lstsq(B, A).solution[:A.size(1)]\nshould be replaced "
    "with:\nX = torch.linalg.lstsq(A, B).solution",
    "symeig": _REMOVED + "The default behavior has changed from using the upper "
    "triangular portion of the matrix by default to using the lower triangular portion.\n\n"
    "L, _ = torch.symeig(A, upper=upper) should be replaced with:\nL = "
    "torch.linalg.eigvalsh(A, UPLO='U' if upper else 'L')\n\nand\n\nL, V = "
    "torch.symeig(A, eigenvectors=True) should be replaced with:\nL, V = "
    "torch.linalg.eigh(A, UPLO='U' if upper else 'L')",
    "eig": _REMOVED + "`torch.linalg.eig` returns complex tensors of dtype `cfloat` or "
    "`cdouble` rather than real tensors mimicking complex tensors.\n\nL, _ = torch.eig(A) "
    "should be replaced with:\nL_complex = torch.linalg.eigvals(A)\n\nand\n\nL, V = "
    "torch.eig(A, eigenvectors=True) should be replaced with:\nL_complex, V_complex = "
    "torch.linalg.eig(A)",
    "matrix_rank": "This function was deprecated since version 1.9 and is now removed.\n"
    "Please use the `torch.linalg.matrix_rank` function instead. The parameter 'symmetric' "
    "was renamed in `torch.linalg.matrix_rank()` to 'hermitian'.",
}


def solve(input: Any, A: Any, *, out: Any = None) -> Any:
    """torch.solve: removed from PyTorch (its message)."""
    raise GdRuntimeError(_REMOVED_TEXT["solve"])


def lstsq(input: Any, A: Any, *, out: Any = None) -> Any:
    """torch.lstsq: removed from PyTorch (its message)."""
    raise GdRuntimeError(_REMOVED_TEXT["lstsq"])


def symeig(input: Any, eigenvectors: bool = False, upper: bool = True, *,
           out: Any = None) -> Any:
    """torch.symeig: removed from PyTorch (its message)."""
    raise GdRuntimeError(_REMOVED_TEXT["symeig"])


def eig(input: Any, eigenvectors: bool = False, *, out: Any = None) -> Any:
    """torch.eig: removed from PyTorch (its message)."""
    raise GdRuntimeError(_REMOVED_TEXT["eig"])


def matrix_rank(input: Any, tol: Any = None, symmetric: bool = False, *,
                out: Any = None) -> Any:
    """torch.matrix_rank: removed from PyTorch (its message)."""
    raise GdRuntimeError(_REMOVED_TEXT["matrix_rank"])


for _fn in (solve, lstsq, symeig, eig, matrix_rank):
    expose(_fn, f"torch.{_fn.__name__}", family="linalg")
for _fn in (solve, lstsq, symeig, eig):  # the methods are still there, raising the same
    expose(_fn, f"Tensor.{_fn.__name__}", family="linalg")
