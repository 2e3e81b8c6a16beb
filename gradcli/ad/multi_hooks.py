"""torch.autograd.graph.register_multi_grad_hook, as PyTorch builds it: a tensor hook on
each tensor that counts, per backward pass (its graph task), the gradients computed,
and calls the hook once all those that pass computes are in ("all": the list, None for
the rest) or at the first ("any"). `GraphTask` is the pass running, and which tensors'
nodes it will execute (torch._C._current_graph_task_id / _will_engine_execute_node)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from gradcli.ad.graph import Node, Tensor, needed_nodes
from gradcli.ad.hooks import RemovableHandle, register_hook
from gradcli.ad.identity import object_repr
from gradcli.errors import GdRuntimeError


class _Task:
    __slots__ = ("grad_call", "id", "reached", "roots", "targets")

    def __init__(self, task_id: int, roots: list[Any], targets: Sequence[Tensor] | None,
                 grad_call: bool) -> None:
        self.id = task_id
        self.roots = roots
        self.targets = targets
        self.grad_call = grad_call  # autograd.grad (no AccumulateGrad runs)
        self.reached: set[int] | None = None  # ids of the nodes and leaves it will run


class GraphTask:
    """The backward passes running, innermost last (a hook may run another)."""

    count = 0
    stack: ClassVar[list[_Task]] = []

    @classmethod
    def push(cls, outputs: Sequence[Tensor], inputs: Sequence[Tensor] | None,
             accumulate: bool) -> None:
        """A pass from outputs begins (to `inputs` only: autograd.grad, or
        backward(inputs=) if accumulate)."""
        cls.count += 1
        roots = [o.grad_fn if o.grad_fn is not None else o for o in outputs]
        cls.stack.append(_Task(cls.count, roots, inputs, inputs is not None and not accumulate))

    @classmethod
    def pop(cls) -> None:
        """The innermost pass ended."""
        cls.stack.pop()

    @classmethod
    def will_execute(cls, t: Tensor) -> bool:
        """Whether the running pass runs t's node (a leaf's: its AccumulateGrad, or its
        capture for autograd.grad)."""
        task = cls.stack[-1]
        if task.grad_call and t.grad_fn is None:
            raise GdRuntimeError("A leaf node was passed to _will_engine_execute_node but we "
                                 "are currently running autograd.grad(). This is currently "
                                 "not supported.")
        if task.reached is None:
            task.reached = _reached(task)
        return id(t.grad_fn if t.grad_fn is not None else t) in task.reached


def _reached(task: _Task) -> set[int]:
    seen: set[int] = set()
    stack = list(task.roots)
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if type(e) is Node:
            stack.extend(e.parents)
    if task.targets is None:
        return seen
    ids = {id(t) for t in task.targets}
    nodes = {t.grad_fn for t in task.targets if t.grad_fn is not None}
    needed = needed_nodes([r for r in task.roots if type(r) is Node], ids, nodes)
    return {id(n) for n in needed | nodes} | (ids & seen)


class _MultiHandle:
    """What register_multi_grad_hook returns: `.remove()` removes every tensor's hook."""

    __slots__ = ("handles",)
    torch_type = "torch.autograd.graph._MultiHandle"  # type(h)

    def __init__(self, handles: list[RemovableHandle]) -> None:
        self.handles = handles

    def remove(self) -> None:
        """Remove the hooks (again: nothing)."""
        for h in self.handles:
            h.remove()

    def __repr__(self) -> str:
        return object_repr("torch.autograd.graph._MultiHandle", self)


def register_multi_grad_hook(tensors: Any, fn: Callable[..., Any], *,
                             mode: str = "all") -> _MultiHandle:
    """torch.autograd.graph.register_multi_grad_hook(tensors, fn, mode="all"|"any")."""
    if mode not in ("all", "any"):
        raise GdRuntimeError(f"Expects mode to be one of ('all', 'any') but got {mode}",
                             py_type="ValueError")
    tensors = [tensors] if type(tensors) is Tensor else list(tensors)
    if mode == "any":
        ran: set[int] = set()

        def first(g: Tensor) -> None:
            task = GraphTask.stack[-1].id
            if task not in ran:
                ran.add(task)
                fn(g)

        return _MultiHandle([register_hook(t, first) for t in tensors if t.requires_grad])
    counts: dict[int, int] = {}
    buffers: dict[int, list[Any]] = {}
    calls = [0]

    def inner(idx: int) -> Callable[[Tensor], None]:
        def hook(g: Tensor) -> None:
            task = GraphTask.stack[-1].id
            seen = counts.get(task, 0)
            counts[task] = seen + 1
            buf = buffers.setdefault(task, [None] * len(tensors))
            if seen == 0:
                calls[0] = sum(GraphTask.will_execute(t) for t in tensors)
            buf[idx] = g
            if seen == calls[0] - 1:
                del counts[task], buffers[task]
                fn(buf)

        return hook

    return _MultiHandle([register_hook(t, inner(i)) for i, t in enumerate(tensors)
                        if t.requires_grad])


MultiHandle = _MultiHandle  # (PyTorch's class name, as type(h).__name__ gives it)
