"""Linear-algebra rules: matrix products (bilinear: each input's rule uses the other)."""

from __future__ import annotations

from typing import Any

from gradcli.ad import kernels as K
from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.registry import Rule
from gradcli.ad.rules.base import (
    need,
    register,
    tan2,
)

# ---------------------------------------------------------------------------------------
# Linear algebra (bilinear: each input's rule uses the other input).
# ---------------------------------------------------------------------------------------

def _mT(x: Tensor) -> Tensor:
    return ops.transpose(x, -1, -2)


register(Rule(
    "mm", "MmBackward0", K.mm,
    lambda g, out, a, b: (ops.mm(g, ops.transpose(b, 0, 1)) if need(a) else None,
                          ops.mm(ops.transpose(a, 0, 1), g) if need(b) else None),
    lambda ts, out, a, b: tan2(ts, lambda t: ops.mm(t, b), lambda t: ops.mm(a, t)),
    saved_for_partner=(0, 1), kind="bilinear", doc="matrix × matrix",
    formula=("grad @ bᵀ", "aᵀ @ grad")))
register(Rule(
    "mv", "MvBackward0", K.mv,
    lambda g, out, a, v: (ops.mm(ops.unsqueeze(g, 1), ops.unsqueeze(v, 0)) if need(a) else None,
                          ops.mv(ops.transpose(a, 0, 1), g) if need(v) else None),
    lambda ts, out, a, v: tan2(ts, lambda t: ops.mv(t, v), lambda t: ops.mv(a, t)),
    saved_for_partner=(0, 1), kind="bilinear", doc="matrix × vector",
    formula=("grad ⊗ v", "Aᵀ @ grad")))
register(Rule(
    "dot", "DotBackward0", K.dot,
    lambda g, out, a, b: (g * b if need(a) else None, g * a if need(b) else None),
    lambda ts, out, a, b: tan2(ts, lambda t: ops.dot(t, b), lambda t: ops.dot(a, t)),
    saved_for_partner=(0, 1), kind="bilinear", doc="vector · vector",
    formula=("grad · b", "grad · a")))
def _matmul_vjp(g: Tensor, out: Tensor, a: Tensor, b: Tensor) -> tuple[Any, ...]:
    # A 1-D operand is a row (a) or column (b) vector: give it, and g, that dim back.
    a2 = ops.unsqueeze(a, 0) if a.ndim == 1 else a
    b2 = ops.unsqueeze(b, 1) if b.ndim == 1 else b
    g2 = ops.unsqueeze(g, -2) if a.ndim == 1 else g
    g2 = ops.unsqueeze(g2, -1) if b.ndim == 1 else g2
    ga = ops.matmul(g2, _mT(b2)) if need(a) else None
    gb = ops.matmul(_mT(a2), g2) if need(b) else None
    return (ops.squeeze(ga, -2) if ga is not None and a.ndim == 1 else ga,
            ops.squeeze(gb, -1) if gb is not None and b.ndim == 1 else gb)


register(Rule(
    "matmul", "UnsafeViewBackward0", K.matmul, _matmul_vjp,
    lambda ts, out, a, b: tan2(ts, lambda t: ops.matmul(t, b), lambda t: ops.matmul(a, t)),
    saved_for_partner=(0, 1), kind="bilinear",
    doc="batched matrix product (batch dims broadcast; a 1-D side is a vector)",
    formula=("grad @ bᵀ", "aᵀ @ grad")))
