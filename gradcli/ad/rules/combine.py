"""The block_diag rule (BlockDiagBackward0): each input's cotangent is its block of the
output's, the tangent the block-diagonal matrix of the inputs' tangents."""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import combine as KC
from gradcli.ad.ops.combine import block_diag
from gradcli.ad.ops.joins import narrow
from gradcli.ad.registry import Rule
from gradcli.ad.rules.base import need, no_derivative, register


def _block_shape(x: Tensor) -> tuple[int, int]:
    return KC.as_block(x.array).shape


def _block_diag_vjp(g: Tensor, out: Tensor, *xs: Tensor) -> tuple[Any, ...]:
    grads: list[Any] = []
    r = c = 0
    for x in xs:
        rows, cols = _block_shape(x)
        if need(x):
            block = narrow(narrow(g, 0, r, rows), 1, c, cols)
            grads.append(ops.reshape(block, x.shape))
        else:
            grads.append(None)
        r += rows
        c += cols
    return tuple(grads)


def _block_diag_jvp(ts: list[Any], out: Tensor, *xs: Tensor) -> Tensor:
    return block_diag(*[ops.zeros_like(x, dtype=out.dtype) if t is None else t
                            for t, x in zip(ts, xs, strict=True)])


register(Rule("block_diag", "BlockDiagBackward0", KC.block_diag, _block_diag_vjp,
              _block_diag_jvp, kind="general", doc="the inputs down a block diagonal",
              formula=("each input's block of grad",)))


register(Rule("bincount", "NotImplemented", KC.bincount_weighted,
              *no_derivative("bincount"), kind="binary", saves_inputs=False,
              doc="Σ of the weights of each value of x (no derivative in PyTorch)",
              formula=("—", "not implemented")))
