"""The LU family: torch.linalg.lu, lu_factor, lu_factor_ex, lu_solve, torch.lu_unpack and
the deprecated torch.lu / torch.lu_solve. L, U and the packed LU are rules of the table
(PyTorch's linalg_lu_backward/jvp); lu_unpack and lu_solve are written with triangular
solves on the packed factor, so their gradients follow; P and the pivots are constants."""

from __future__ import annotations

from typing import Any, NamedTuple

from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.kernels import lu as KL
from gradcli.ad.kernels.messages import TorchError
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.linalg import tril, triu
from gradcli.ad.ops.linalg_more import _named, solve_triangular
from gradcli.ad.ops.shape import transpose
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError


class LinalgLuResult(NamedTuple):
    """torch.return_types.linalg_lu."""

    P: Tensor
    L: Tensor
    U: Tensor
    torch_kind = "linalg_lu"


class LuUnpackResult(NamedTuple):
    """torch.return_types.lu_unpack."""

    P: Tensor
    L: Tensor
    U: Tensor
    torch_kind = "lu_unpack"


class LuFactorResult(NamedTuple):
    """torch.return_types.linalg_lu_factor."""

    LU: Tensor
    pivots: Tensor
    torch_kind = "linalg_lu_factor"


class LuFactorExResult(NamedTuple):
    """torch.return_types.linalg_lu_factor_ex."""

    LU: Tensor
    pivots: Tensor
    info: Tensor
    torch_kind = "linalg_lu_factor_ex"


class LuWithInfoResult(NamedTuple):
    """torch.return_types._lu_with_info (torch.lu(..., get_infos=True))."""

    LU: Tensor
    pivots: Tensor
    info: Tensor
    torch_kind = "_lu_with_info"


def _checked(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except TorchError as e:
        raise GdRuntimeError(str(e), py_type=e.py_type) from None


def lu_part(A: Tensor, part: str) -> Tensor:
    """L or U of linalg.lu (a rule: differentiable to any order)."""
    return apply(RULES["lu"], (A,), {"part": part})


def permutation(A: Tensor) -> Tensor:
    """The constant P of A = P L U."""
    _, piv, _ = KL.factor(A.array)
    return tensor_from_array(KL.permutation(piv, A.shape[-2], A.array.dtype))


def _pivots(A: Tensor) -> tuple[Tensor, Tensor]:
    _, piv, info = KL.factor(A.array)
    return tensor_from_array(piv), tensor_from_array(info)


def lu(A: Tensor, *, pivot: bool = True) -> LinalgLuResult:
    """P, L, U with A = P L U (partial pivoting)."""
    A = _as_tensor(A)
    _checked(KL.check_lu_input, A.array, "linalg.lu", pivot)
    return LinalgLuResult(permutation(A), lu_part(A, "L"), lu_part(A, "U"))


def _factor(A: Tensor, op: str, pivot: bool, check: bool) -> tuple[Tensor, Tensor, Tensor]:
    _checked(KL.check_lu_input, A.array, op, pivot)
    packed = apply(RULES["lu_factor"], (A,), {"check": check})
    return (packed, *_pivots(A))


def lu_factor(A: Tensor, *, pivot: bool = True) -> LuFactorResult:
    """The packed LU and LAPACK's 1-based int32 pivots; fails on a singular matrix."""
    packed, piv, _ = _factor(_as_tensor(A), "torch.lu_factor", pivot, True)
    return LuFactorResult(packed, piv)


def lu_factor_ex(A: Tensor, *, pivot: bool = True,
                 check_errors: bool = False) -> LuFactorExResult:
    """lu_factor with LAPACK's info (the first zero pivot, 1-based; 0 if none)."""
    return LuFactorExResult(*_factor(_as_tensor(A), "torch.lu_factor", pivot, check_errors))


_LU_WARNING = (
    "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex "
    "and will be removed in a future PyTorch release.\nLU, pivots = torch.lu(A, "
    "compute_pivots)\nshould be replaced with\nLU, pivots = torch.linalg.lu_factor(A, "
    "compute_pivots)\nand\nLU, pivots, info = torch.lu(A, compute_pivots, get_infos=True)\n"
    "should be replaced with\nLU, pivots, info = torch.linalg.lu_factor_ex(A, compute_pivots)")


def legacy_lu(A: Tensor, pivot: bool = True, get_infos: bool = False) -> Any:
    """torch.lu / Tensor.lu: (LU, pivots), or the named (LU, pivots, info)."""
    warn(_LU_WARNING, once=True)
    out = _factor(_as_tensor(A), "torch.lu_factor", pivot, False)
    return LuWithInfoResult(*out) if get_infos else out[:2]


def _mT(x: Tensor) -> Tensor:
    return transpose(x, -2, -1)


def lu_unpack(LU_data: Tensor, LU_pivots: Tensor, unpack_data: bool = True,
              unpack_pivots: bool = True) -> LuUnpackResult:
    """P, L, U from a packed LU and its pivots."""
    from gradcli.ad.ops.creation import eye, tensor

    packed, piv = _as_tensor(LU_data), _as_tensor(LU_pivots)
    m, n = packed.shape[-2:]
    k = min(m, n)
    empty = tensor([], dtype=packed.dtype)
    P = (tensor_from_array(KL.permutation(piv.array, m, packed.array.dtype))
         if unpack_pivots else empty)
    if not unpack_data:
        return LuUnpackResult(P, empty, empty)
    low = tril(packed[..., :, :k], -1) + eye(m, k, dtype=packed.dtype)
    up = triu(packed[..., :k, :])
    return LuUnpackResult(P, _named(low, "LuUnpackBackward0"), _named(up, "LuUnpackBackward0"))


def _check_solve(packed: Tensor, B: Tensor, left: bool) -> None:
    if B.ndim < 2:
        raise GdRuntimeError("linalg.lu_solve: The input tensor B must have at least 2 "
                             "dimensions.")
    n = packed.shape[-1]
    if (B.shape[-2] if left else B.shape[-1]) != n:
        eq = "AX = B" if left else "XA = B"
        raise GdRuntimeError(f"linalg.lu_solve: Incompatible shapes of A and B for the equation "
                             f"{eq} ({n}x{n} and {B.shape[-2]}x{B.shape[-1]})")


def lu_solve(LU: Tensor, pivots: Tensor, B: Tensor, *, left: bool = True,
             adjoint: bool = False) -> Tensor:
    """X with A X = B (or X A = B; Aᴴ with adjoint), A = P L U given packed."""
    packed, piv, b = _as_tensor(LU), _as_tensor(pivots), _as_tensor(B)
    _check_solve(packed, b, left)
    P = tensor_from_array(KL.permutation(piv.array, packed.shape[-2], packed.array.dtype))

    def lower(y: Tensor, on_left: bool, t: bool) -> Tensor:
        return solve_triangular(_mT(packed) if t else packed, y, upper=t, left=on_left,
                                unitriangular=True)

    def upper(y: Tensor, on_left: bool, t: bool) -> Tensor:
        return solve_triangular(_mT(packed) if t else packed, y, upper=not t, left=on_left)

    if left and not adjoint:  # X = U⁻¹ L⁻¹ Pᵀ B
        x = upper(lower(_mT(P) @ b, True, False), True, False)
    elif left:  # X = P L⁻ᵀ U⁻ᵀ B
        x = P @ lower(upper(b, True, True), True, True)
    elif not adjoint:  # X = B U⁻¹ L⁻¹ Pᵀ
        x = lower(upper(b, False, False), False, False) @ _mT(P)
    else:  # X = B P L⁻ᵀ U⁻ᵀ
        x = upper(lower(b @ P, False, True), False, True)
    return _named(x, "LinalgLuSolveBackward0")


_LU_SOLVE_WARNING = (
    "torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed in a "
    "future PyTorch release.\nNote that torch.linalg.lu_solve has its arguments reversed.\n"
    "X = torch.lu_solve(B, LU, pivots)\nshould be replaced with\n"
    "X = torch.linalg.lu_solve(LU, pivots, B)")


def legacy_lu_solve(input: Tensor, LU_data: Tensor, LU_pivots: Tensor) -> Tensor:
    """torch.lu_solve(B, LU, pivots): linalg.lu_solve with the arguments reversed."""
    warn(_LU_SOLVE_WARNING, once=True)
    return lu_solve(LU_data, LU_pivots, input)


expose(lu, "torch.linalg.lu", family="linalg")
expose(lu_factor, "torch.linalg.lu_factor", family="linalg")
expose(lu_factor_ex, "torch.linalg.lu_factor_ex", family="linalg")
expose(lu_solve, "torch.linalg.lu_solve", family="linalg")
expose(lu_unpack, "torch.lu_unpack", family="linalg")
expose(legacy_lu, "torch.lu", "Tensor.lu", family="linalg")
expose(legacy_lu_solve, "torch.lu_solve", "Tensor.lu_solve", family="linalg")
