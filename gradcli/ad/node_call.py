"""Calling a node directly, as PyTorch's `y.grad_fn(grad)`: its derivative formula on the
given output gradients, outside the engine (no hooks, no sum_to the inputs' shapes, no cast
to their dtypes), recorded when grad mode is on (its saved tensors may require grad)."""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Node, Tensor
from gradcli.ad.saved_checks import FREED_MESSAGE, check_versions
from gradcli.ad.saved_hooks import unpacked_inputs
from gradcli.ad.state import State
from gradcli.errors import GdRuntimeError


def _type_error(message: str) -> GdRuntimeError:
    err = GdRuntimeError(message)
    err.py_type = "TypeError"
    return err


def call_node(node: Node, grads: tuple[Any, ...]) -> Any:
    """node(*grads): one gradient (or None) per output of PyTorch's node; the gradients of
    its edges (next_functions' order, None where an input needs none or no gradient came),
    a tuple unless it has one edge."""
    family = getattr(node, "family", None)
    members = family.members if family is not None else [node]
    if len(grads) != len(members):
        raise _type_error(f"expected {len(members)} arguments, got {len(grads)} instead")
    for i, g in enumerate(grads):
        if g is not None and type(g) is not Tensor:
            raise _type_error(f"argument {i} is not a Variable")
    total: list[Any] | None = None
    for m, g in zip(members, grads, strict=True):
        if g is None:
            continue
        cots = _vjp(m, g)
        if total is None:
            total = list(cots)
        else:
            total = [c if t is None else t if c is None else ops.add(t, c)
                     for t, c in zip(total, cots, strict=False)]
    parents = node.torch_parents()
    edges = node.rule.edges
    idx = tuple(range(len(node.parents))) if edges is None else edges(node.name)
    out = []
    for i, p in zip(idx, parents, strict=True):
        c = None if total is None or i is None or i >= len(total) or p is None else total[i]
        if c is not None and node.rule.name == "linear":
            if i == 1:  # PyTorch's edge is wᵀ's: mat1ᵀ·grad, by mat2's layout (as ATen)
                w, x = node.inputs[1], node.inputs[0]
                c = (ops.t(c) if w.array.flags.c_contiguous or x.array.ndim != 2
                     or grads[0] is None else ops.mm(ops.t(x), grads[0]))
            elif i == 2 and len(grads) == 1 and grads[0] is not None:
                c = grads[0]  # addmm's formula: the bias's gradient not summed (beta = 1)
        out.append(c)
    return out[0] if len(out) == 1 else tuple(out)


def _vjp(node: Node, g: Tensor) -> tuple[Any, ...]:
    inputs = node.inputs
    if inputs is None or node.freed:
        raise GdRuntimeError(FREED_MESSAGE,
                             hint="pass retain_graph=True to the backward()/grad() before")
    out = node.out
    hooks = node.hooks
    if hooks is not None and hooks.saved is not None:  # saved_tensors_hooks' unpack
        inputs, out = unpacked_inputs(node, hooks.saved)
    else:
        check_versions(node)
    rule = node.rule
    if State.grad_enabled and rule.on_create_graph is not None:
        inputs = rule.on_create_graph(node)
    return tuple(rule.vjp(g, out, *inputs, **node.params))
