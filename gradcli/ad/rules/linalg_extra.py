"""Rules of torch.cholesky (CholeskyBackward0: linalg.cholesky's derivative under
PyTorch's older node) and of the matrix exponential (LinalgMatrixExpBackward0), whose
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
