"""torch.autograd.graph.GradientEdge / get_gradient_edge / increment_version, and
torch.autograd.grad taking gradient edges as inputs.

A GradientEdge is PyTorch's named tuple (node, output_nr, ownership_token). grad() with an
edge among its inputs gives the gradient flowing into that edge's node: a leaf's
AccumulateGrad stands for the leaf, any other node for the tensor it produced.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from gradcli.ad import autograd
from gradcli.ad.graph import Node, Tensor, bump_version
from gradcli.errors import GdRuntimeError
from gradcli.interp.values import AccumulateGrad, type_name


@functools.cache
def gradient_edge_class() -> Any:
    """The GradientEdge named tuple class (one per process, as PyTorch's)."""
    from gradcli.interp.pynamedtuple import namedtuple

    return namedtuple("GradientEdge", ["node", "output_nr", "ownership_token"],
                      defaults=(None,), module="torch.autograd.graph")


def _is_edge(v: Any) -> bool:
    return getattr(type(v), "gd_class", None) is gradient_edge_class()


def get_gradient_edge(tensor: Any) -> Any:
    """get_gradient_edge(t): the edge t's gradient flows into (its grad_fn, or its
    AccumulateGrad for a leaf)."""
    if type(tensor) is not Tensor:
        raise GdRuntimeError(f"get_gradient_edge(): argument 'tensor' must be Tensor, not "
                             f"{type_name(tensor)}", py_type="TypeError")
    if not tensor.requires_grad:
        raise GdRuntimeError("It is not possible to get the gradient edge for a Tensor that "
                             "does not require gradients")
    from gradcli.interp.attributes import function_node, output_number

    fn = tensor.grad_fn
    if fn is None:
        return gradient_edge_class()(AccumulateGrad.of(tensor), 0)
    if fn.rule.name == "custom_function_output":  # the function's one node, numbered
        return gradient_edge_class()(fn.parents[0], fn.params["output_nr"])
    return gradient_edge_class()(function_node(fn), output_number(fn))


def increment_version(tensor: Any) -> None:
    """increment_version(t or iterable of tensors): count an in-place change of each."""
    items = [tensor] if type(tensor) is Tensor else list(tensor)
    for t in items:
        if type(t) is not Tensor:
            raise GdRuntimeError(f"increment_version(): argument 'tensor' must be Tensor, "
                                 f"not {type_name(t)}", py_type="TypeError")
        bump_version(t)


def _stand_in(edge: Any) -> Tensor:
    """The tensor grad() differentiates for an edge: the leaf, or one whose grad_fn is the
    edge's node (its gradient is what reaches the node)."""
    node = edge[0]
    if type(node) is AccumulateGrad:
        return node.variable
    if type(node) is not Node:
        raise GdRuntimeError("grad(): a GradientEdge's node must be an autograd Node, got "
                             f"{type_name(node)}", py_type="TypeError")
    ctx = node.params.get("ctx") if node.rule.name == "custom_function" else None
    if ctx is not None and ctx.family is not None:
        # A Function with several outputs: output k's gradient reaches its own node here.
        node = next((m for m in ctx.family.members if m.params["output_nr"] == edge[1]),
                    node)
    family = getattr(node, "family", None)
    if family is not None and node.rule.name != "custom_function_output":
        from gradcli.interp.attributes import output_number

        # PyTorch's one node with several outputs: output k's is its own node here.
        node = next((m for m in family.members if output_number(m) == edge[1]), node)
    t = Tensor(np.zeros(0, np.float32))
    t.grad_fn = node
    t.requires_grad = True
    return t


def grad(outputs: Any, inputs: Any, *args: Any, **kwargs: Any) -> Any:
    """torch.autograd.grad, gradient edges accepted among the inputs."""
    if _is_edge(inputs):
        inputs = _stand_in(inputs)
    elif isinstance(inputs, (list, tuple)) and any(_is_edge(i) for i in inputs):
        inputs = [_stand_in(i) if _is_edge(i) else i for i in inputs]
    return autograd.grad(outputs, inputs, *args, **kwargs)


class set_multithreading_enabled:
    """torch.autograd.set_multithreading_enabled(mode): a context manager (and a call) for
    the engine's threads per device; gd's backward runs on one thread either way."""

    __slots__ = ("prev",)
    gd_context = True
    enabled = True

    def __init__(self, mode: Any) -> None:
        self.prev = set_multithreading_enabled.enabled
        set_multithreading_enabled.enabled = bool(mode)

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        set_multithreading_enabled.enabled = self.prev

    def __repr__(self) -> str:
        from gradcli.ad.identity import object_repr

        return object_repr("torch.autograd.grad_mode.set_multithreading_enabled", self)


def is_multithreading_enabled() -> bool:
    """torch.autograd.is_multithreading_enabled()."""
    return set_multithreading_enabled.enabled
