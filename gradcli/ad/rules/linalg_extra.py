"""Rules of torch.cholesky (CholeskyBackward0: linalg.cholesky's derivative under
PyTorch's older node), of cholesky_solve (CholeskySolveBackward0, PyTorch's formulas)
and of the matrix exponential (LinalgMatrixExpBackward0), whose
derivatives are themselves matrix exponentials of a block matrix, so every order works."""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import linalg_extra as KX
from gradcli.ad.ops.joins import narrow
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES, Rule
from gradcli.ad.rules.base import no_forward_ad, register
from gradcli.ad.rules.decompositions import _cholesky_vjp

_no_forward_ad = no_forward_ad("cholesky")


# PyTorch has no forward-mode rule for torch.cholesky (linalg.cholesky has one).
register(Rule(
    "cholesky_legacy", "CholeskyBackward0", KX.cholesky_legacy, _cholesky_vjp, _no_forward_ad,
    kind="general", doc="torch.cholesky: the Cholesky factor (deprecated spelling)",
    saves_out=True, formula=("as linalg.cholesky",)))


def _cholesky_solve_vjp(g: Tensor, out: Tensor, b: Tensor, factor: Tensor,
                        upper: bool = False) -> tuple[Any, ...]:
    # PyTorch's cholesky_solve_backward: grad_B = cholesky_solve(grad, L);
    # grad_L = -(C + Cᵀ) L (upper: -U (C + Cᵀ)), C = grad_B Xᵀ.
    gb = apply(RULES["cholesky_solve"], (g, factor), {"upper": upper})
    common = ops.matmul(gb, ops.transpose(out, -1, -2))
    common = common + ops.transpose(common, -1, -2)
    gl = -ops.matmul(factor, common) if upper else -ops.matmul(common, factor)
    return (gb, gl)


def _cholesky_solve_jvp(ts: list[Any], out: Tensor, b: Tensor, factor: Tensor,
                        upper: bool = False) -> Any:
    # PyTorch's cholesky_solve_jvp: dX = cholesky_solve(dB - dA X, L), dA = dK + dKᵀ,
    # dK = dL Lᵀ (upper: dUᵀ U).
    tb, tl = ts
    rhs = tb
    if tl is not None:
        dk = ops.matmul(ops.transpose(tl, -1, -2), factor) if upper else \
            ops.matmul(tl, ops.transpose(factor, -1, -2))
        prod = ops.matmul(dk + ops.transpose(dk, -1, -2), out)
        rhs = -prod if rhs is None else rhs - prod
    return apply(RULES["cholesky_solve"], (rhs, factor), {"upper": upper})


register(Rule(
    "cholesky_solve", "CholeskySolveBackward0", KX.cholesky_solve, _cholesky_solve_vjp,
    _cholesky_solve_jvp, kind="general", saves_out=True,
    doc="X with L Lᵀ X = B from the Cholesky factor L (potrs)",
    formula=("cholesky_solve(grad, L)", "−(C + Cᵀ) L, C = grad_B Xᵀ")))


def _differential(a: Tensor, e: Tensor, adjoint: bool) -> Tensor:
    # d exp at A in direction E: the upper-right block of exp([[A, E], [0, A]]) (A and E
    # transposed for the adjoint, the VJP).
    if adjoint:
        a = ops.transpose(a, -1, -2)
    n = a.shape[-1]
    zeros = ops.zeros_like(a)
    top = ops.cat([a, e], -1)
    bottom = ops.cat([zeros, a], -1)
    big = apply(RULES["matrix_exp"], (ops.cat([top, bottom], -2),))
    return narrow(narrow(big, -2, 0, n), -1, n, n)


def _matrix_exp_vjp(g: Tensor, out: Tensor, a: Tensor) -> tuple[Any, ...]:
    return (_differential(a, g, True),)


register(Rule(
    "matrix_exp", "LinalgMatrixExpBackward0", KX.matrix_exp, _matrix_exp_vjp,
    lambda ts, out, a: _differential(a, ts[0], False), kind="general",
    doc="the matrix exponential e^A", formula=("exp([[Aᵀ, grad], [0, Aᵀ]]) upper-right",)))
