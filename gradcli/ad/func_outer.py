"""What torch.func's transforms need to tell a function's own inputs from the tensors it
closes over: the fresh leaves a transform lifts its inputs to are marked (Tensor.lifted),
so a result that depends on anything else requiring grad (a module's parameters) keeps its
graph, as PyTorch's transforms leave it for the autograd outside them."""

from __future__ import annotations

from typing import Any

from gradcli.ad.graph import Tensor


def flatten(tree: Any) -> list[Tensor]:
    """The tensors of a pytree (tensors in tuples, lists and dicts), in order."""
    if type(tree) is Tensor:
        return [tree]
    if isinstance(tree, (tuple, list)):
        return [t for x in tree for t in flatten(x)]
    if type(tree) is dict:
        return [t for x in tree.values() for t in flatten(x)]
    return []


def outer(tree: Any) -> bool:
    """Whether a result depends on a tensor that requires grad outside the transforms (a
    module's parameters the function closes over): PyTorch's result then keeps its graph
    to them, as the transform's own derivatives do (a loss made of a torch.func Hessian
    trains the network)."""
    stack: list[Any] = []
    for t in flatten(tree):
        if type(t) is not Tensor or not t.requires_grad:
            continue
        if t.grad_fn is None:
            if not hasattr(t, "lifted"):
                return True
            continue
        stack.append(t.grad_fn)
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for p in node.parents:
            if p is None:
                continue
            if type(p) is Tensor:
                if not hasattr(p, "lifted"):
                    return True
            else:
                stack.append(p)
    return False
