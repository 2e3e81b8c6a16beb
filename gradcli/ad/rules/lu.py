"""Rules of the LU factorization A = P L U (partial pivoting), with PyTorch's formulas
(FunctionsManual.cpp: linalg_lu_backward, linalg_lu_jvp, lu_factor_ex_backward/jvp) for
square, wide (m < n) and tall (m > n) matrices. L and U are one rule with a `part`
parameter (the VJP is linear in their cotangents, so the two nodes' gradients add up);
the packed LU of lu_factor is another. P is a constant."""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import lu as KL
from gradcli.ad.ops import linalg as OL
from gradcli.ad.ops import lu as OLU
from gradcli.ad.ops.linalg_more import solve_triangular
from gradcli.ad.registry import Rule
from gradcli.ad.rules.base import register


def _mT(x: Tensor) -> Tensor:
    return ops.transpose(x, -1, -2)


def _cols(x: Tensor, lo: int, hi: int | None) -> Tensor:
    return ops.getitem(x, (Ellipsis, slice(lo, hi)))


def _rows(x: Tensor, lo: int, hi: int | None) -> Tensor:
    return ops.getitem(x, (Ellipsis, slice(lo, hi), slice(None)))


def _lu_backward(gl: Any, gu: Any, a: Tensor) -> Tensor:
    """The cotangent of A from those of L and U (either may be None)."""
    m, n = a.shape[-2:]
    p = OLU.permutation(a)
    low, up = OLU.lu_part(a, "L"), OLU.lu_part(a, "U")
    if gl is None:
        gl = ops.zeros_like(low)
    if gu is None:
        gu = ops.zeros_like(up)
    if m == n:
        phi = OL.tril(ops.matmul(_mT(low), gl), -1) + OL.triu(ops.matmul(gu, _mT(up)))
        x = solve_triangular(_mT(up), phi, upper=False, left=False)
        return ops.matmul(p, solve_triangular(_mT(low), x, upper=True, unitriangular=True))
    if m < n:  # U = [U1 U2]: U2 = L⁻¹ Pᵀ A2
        u1, u2 = _cols(up, 0, m), _cols(up, m, None)
        gu1, gu2 = _cols(gu, 0, m), _cols(gu, m, None)
        phi = (OL.tril(ops.matmul(_mT(low), gl) - ops.matmul(gu2, _mT(u2)), -1)
               + OL.triu(ops.matmul(gu1, _mT(u1))))
        x = solve_triangular(_mT(u1), phi, upper=False, left=False)
        g1 = solve_triangular(_mT(low), x, upper=True, unitriangular=True)
        g2 = solve_triangular(_mT(low), gu2, upper=True, unitriangular=True)
        return ops.matmul(p, ops.cat([g1, g2], -1))
    # m > n: L = [L1; L2], L2 = (PᵀA)₂ U⁻¹
    l1, l2 = _rows(low, 0, n), _rows(low, n, None)
    gl1, gl2 = _rows(gl, 0, n), _rows(gl, n, None)
    phi = (OL.tril(ops.matmul(_mT(l1), gl1), -1)
           + OL.triu(ops.matmul(gu, _mT(up)) - ops.matmul(_mT(l2), gl2)))
    x = solve_triangular(_mT(up), phi, upper=False, left=False)
    g1 = solve_triangular(_mT(l1), x, upper=True, unitriangular=True)
    g2 = solve_triangular(_mT(up), gl2, upper=False, left=False)
    return ops.matmul(p, ops.cat([g1, g2], -2))


def _lu_jvp_parts(da: Tensor, a: Tensor) -> tuple[Tensor, Tensor]:
    """(dL, dU) for a tangent dA."""
    m, n = a.shape[-2:]
    k = min(m, n)
    pda = ops.matmul(_mT(OLU.permutation(a)), da)
    low, up = OLU.lu_part(a, "L"), OLU.lu_part(a, "U")
    l1, u1 = _rows(low, 0, k), _cols(up, 0, k)
    x = solve_triangular(l1, _cols(_rows(pda, 0, k), 0, k), upper=False, unitriangular=True)
    x = solve_triangular(u1, x, upper=True, left=False)
    dl1 = ops.matmul(l1, OL.tril(x, -1))
    du1 = ops.matmul(OL.triu(x), u1)
    if m == n:
        return dl1, du1
    if m < n:
        rhs = _cols(pda, m, None) - ops.matmul(dl1, _cols(up, m, None))
        du2 = solve_triangular(low, rhs, upper=False, unitriangular=True)
        return dl1, ops.cat([du1, du2], -1)
    rhs = _rows(pda, n, None) - ops.matmul(_rows(low, n, None), du1)
    dl2 = solve_triangular(up, rhs, upper=True, left=False)
    return ops.cat([dl1, dl2], -2), du1


def _lu_vjp(g: Tensor, out: Tensor, a: Tensor, part: str = "L") -> tuple[Any, ...]:
    return (_lu_backward(g, None, a) if part == "L" else _lu_backward(None, g, a),)


def _lu_jvp(ts: list[Any], out: Tensor, a: Tensor, part: str = "L") -> Any:
    dl, du = _lu_jvp_parts(ts[0], a)
    return dl if part == "L" else du


register(Rule(
    "lu", "LinalgLuBackward0", KL.lu_part, _lu_vjp, _lu_jvp, kind="general",
    doc="L or U of A = P L U (part=L|U)", saves_out=False,
    formula=("P L⁻ᴴ (tril(Lᴴ gL, −1) + triu(gU Uᴴ)) U⁻ᴴ (square)",)))


def _packed_vjp(g: Tensor, out: Tensor, a: Tensor, check: bool = False) -> tuple[Any, ...]:
    k = min(a.shape[-2:])
    return (_lu_backward(OL.tril(_cols(g, 0, k), -1), OL.triu(_rows(g, 0, k)), a),)


def _packed_jvp(ts: list[Any], out: Tensor, a: Tensor, check: bool = False) -> Any:
    m, n = a.shape[-2:]
    dl, du = _lu_jvp_parts(ts[0], a)
    if m < n:
        dl = ops.cat([dl, ops.zeros(*dl.shape[:-1], n - m, dtype=dl.dtype)], -1)
    elif m > n:
        du = ops.cat([du, ops.zeros(*du.shape[:-2], m - n, n, dtype=du.dtype)], -2)
    return dl + du


register(Rule(
    "lu_factor", "LinalgLuFactorExBackward0", KL.lu_factor, _packed_vjp, _packed_jvp,
    kind="general", doc="the packed LU of linalg.lu_factor (check: fail on a zero pivot)",
    formula=("linalg_lu_backward(tril(grad, −1), triu(grad))",)))
