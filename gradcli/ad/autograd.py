"""The public entry points of reverse mode: torch.autograd.backward, torch.autograd.grad
(is_grads_batched included) and Tensor.backward.

They check and normalise their arguments as PyTorch does (its messages, its order of
checks), then hand one pass to `engine.run_backward` and shape what it captured into the
caller's result: .grad accumulated on `inputs=` leaves, or grad()'s tuple. The engine walks
the graph and knows nothing of these spellings; this module sits above it (it imports the
engine, the engine never imports it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gradcli.ad import hooks as H
from gradcli.ad import kernels as K
from gradcli.ad import ops
from gradcli.ad.cotangents import accumulate
from gradcli.ad.engine import run_backward
from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.state import CREATE_GRAPH_CYCLE, State, warn
from gradcli.errors import GdRuntimeError


def backward(
    tensors: Tensor | Sequence[Tensor],
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    grad_variables: Any = None,
    inputs: Any = None,
) -> None:
    """torch.autograd.backward: accumulate d(tensors)/d(leaf) into each leaf's .grad
    (grad_variables: PyTorch's deprecated name of grad_tensors, with its warning)."""
    if grad_variables is not None:
        warn("`grad_variables` is deprecated. Use `grad_tensors` instead.", "FutureWarning")
        if grad_tensors is not None:
            raise GdRuntimeError("`grad_tensors` and `grad_variables` (deprecated) arguments "
                                 "both passed to `backward()`. Please only use `grad_tensors`.")
        grad_tensors = grad_variables
    if create_graph:
        warn(CREATE_GRAPH_CYCLE, once=True)  # PyTorch warns from one place in its library
    outs = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    grads = _as_list(grad_tensors, len(outs))
    if retain_graph is None:
        retain_graph = create_graph
    if inputs is not None:
        ins = [inputs] if isinstance(inputs, Tensor) else list(inputs)
        if not ins:
            raise GdRuntimeError("`inputs` argument to `backward()` cannot be empty.")
        for t in ins:
            if t.grad_fn is not None and t.requires_grad:
                t.retain_grad()  # PyTorch's way to a non-leaf input's .grad: its hook adds
        captured = run_backward(outs, grads, bool(retain_graph), create_graph, ins,
                                accumulate=True)
        assert captured is not None
        for t in ins:
            g = captured.get(id(t))
            if g is not None and t.grad_fn is None:
                if State.leaf_hooks:  # its AccumulateGrad's pre-hooks (after its own)
                    g = H.accumulate_pre_hooked(t, g)
                accumulate(t, g, create_graph)
                if State.post_accumulate_hooks:
                    H.after_accumulate(t, g, create_graph)
        return
    run_backward(outs, grads, bool(retain_graph), create_graph)


def _as_list(grads: Any, n: int) -> list[Any] | None:
    """PyTorch's _tensor_or_tensors_to_tuple: None, a tensor, or a sequence of them (a
    number is refused by Python's tuple(), as in PyTorch)."""
    if grads is None:
        return None
    if isinstance(grads, Tensor):
        return [grads]
    if not isinstance(grads, (list, tuple)):
        raise GdRuntimeError(f"'{type(grads).__name__}' object is not iterable",
                             py_type="TypeError")
    if len(grads) != n:
        raise GdRuntimeError(f"got {n} tensors and {len(grads)} gradients")
    return list(grads)


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    only_inputs: bool = True,
    allow_unused: bool | None = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
) -> tuple[Tensor | None, ...]:
    """torch.autograd.grad: the gradients of outputs w.r.t. inputs, as a tuple (arguments
    in PyTorch's order; only_inputs, deprecated, is ignored as PyTorch ignores it)."""
    if not only_inputs:
        warn("only_inputs argument is deprecated and is ignored now (defaults to True). To "
             "accumulate gradient for other parts of the graph, please use "
             "torch.autograd.backward.", "FutureWarning")
    if materialize_grads and allow_unused is False:
        raise GdRuntimeError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, "
            "but got: allow_unused=False.", py_type="ValueError")
    if is_grads_batched:
        return _batched_grad(outputs, inputs, grad_outputs, retain_graph, create_graph,
                             allow_unused, materialize_grads)
    outs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    ins = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if not ins:
        raise GdRuntimeError("`inputs` argument to `grad()` cannot be empty.")
    for i, o in enumerate(outs):  # PyTorch checks the outputs first
        if isinstance(o, Tensor) and not o.requires_grad:
            raise GdRuntimeError(f"element {i} of tensors does not require grad and does not "
                                 "have a grad_fn")
    for t in ins:
        if not isinstance(t, Tensor):
            raise GdRuntimeError("grad(): inputs must be tensors")
        if not t.requires_grad:
            raise GdRuntimeError("One of the differentiated Tensors does not require grad")
    grads = _as_list(grad_outputs, len(outs))
    if retain_graph is None:
        retain_graph = create_graph
    captured = run_backward(outs, grads, bool(retain_graph), create_graph, ins)
    assert captured is not None
    result: list[Tensor | None] = []
    for i, t in enumerate(ins):
        g = captured.get(id(t))
        if g is None:
            if materialize_grads:
                g = ops.zeros_like(t)
            elif not allow_unused:
                raise GdRuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior.")
        elif not create_graph and g.requires_grad:
            g = g.detach()
        elif not g.array.flags.writeable:
            g = tensor_from_array(K.owned_copy(g.array))  # a broadcast view (light_backward)
        result.append(g)
    return tuple(result)


def _batched_grad(outputs: Any, inputs: Any, grad_outputs: Any, retain_graph: bool | None,
                  create_graph: bool, allow_unused: bool | None,
                  materialize_grads: bool) -> tuple[Tensor | None, ...]:
    """grad(..., is_grads_batched=True): one backward per row of the grad_outputs, the
    results stacked (what PyTorch's vmap over the backward gives)."""
    outs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    gos = [grad_outputs] if isinstance(grad_outputs, Tensor) else list(grad_outputs or ())
    if len(gos) != len(outs) or not all(isinstance(g, Tensor) and g.ndim for g in gos):
        raise GdRuntimeError("grad(..., is_grads_batched=True) needs a batched tensor of "
                             "grad_outputs for each output")
    n = gos[0].shape[0]
    rows = []
    for i in range(n):
        last = i == n - 1
        rows.append(grad(outs, inputs, [g[i] for g in gos],
                         retain_graph if last else True, create_graph,
                         allow_unused=allow_unused, materialize_grads=materialize_grads))
    cols = zip(*rows, strict=True)
    return tuple(None if col[0] is None else ops.stack(list(col)) for col in cols)


def tensor_backward(self: Tensor, gradient: Any = None, retain_graph: bool | None = None,
                    create_graph: bool = False, inputs: Any = None) -> None:
    """Tensor.backward(gradient=None, retain_graph=None, create_graph=False)."""
    backward(self, gradient, retain_graph, create_graph, inputs=inputs)
