"""Batched reverse mode: one backward pass for a stack of cotangents (jacobian and
hessian take every row at once), on graphs whose rules act row by row. The walk is the
engine's own (`engine._loop` with `_Run.batch` set)."""

from __future__ import annotations

from collections.abc import Sequence

from gradcli.ad.cotangents import shown
from gradcli.ad.engine import _loop, _Run, _send
from gradcli.ad.graph import Node, Tensor
from gradcli.ad.ops import backward as B
from gradcli.ad.state import State, grad_mode


def batchable(output: Tensor) -> bool:
    """Whether every node behind `output` can take batched cotangents (see batched_vjp)."""
    fn = output.grad_fn
    if fn is None:
        return True
    if State.leaf_hooks:  # a hook sees one gradient at a time
        return False
    seen = {fn}
    stack = [fn]
    final = State.final_pass
    while stack:
        node = stack.pop()
        if (node.inputs is None or (node.freed and not final) or not node.rule.batchable
                or node.hooks is not None):
            return False
        for p in node.parents:
            if type(p) is Node and p not in seen:
                seen.add(p)
                stack.append(p)
    return True


def batched_vjp(output: Tensor, inputs: Sequence[Tensor],
                cotangents: Tensor) -> tuple[Tensor | None, ...]:
    """vᵀJ for a stack of v's in one backward pass: cotangents (batch, *output.shape) give
    (batch, *input.shape) per input (None if unused). The graph is kept, nothing recorded.

    Only for graphs where `batchable(output)`: their rules act elementwise on the
    cotangent, so each row of the stack is exactly what one pass with that row would give
    (broadcast inputs are summed per row). jacobian/hessian use it for all rows at once.
    """
    run = _Run({id(t): t for t in inputs}, None)
    run.batch = cotangents.shape[0]
    heap: list[tuple[int, Node]] = []
    pending = run.pending
    light = State.light_backward
    State.light_backward = not State.forward_level
    try:
        with grad_mode(False):
            _send(run, pending, heap,
                  output.grad_fn if output.grad_fn is not None else output, cotangents)
            _loop(run, heap, pending, True)
            if B.ZEROS:
                run.captured = {k: shown(g) for k, g in run.captured.items()}
    finally:
        State.light_backward = light
        B.ZEROS.clear()
    return tuple(run.captured.get(id(t)) for t in inputs)
