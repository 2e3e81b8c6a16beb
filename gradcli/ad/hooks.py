"""Backward hooks, as PyTorch runs them: Tensor.register_hook,
Tensor.register_post_accumulate_grad_hook, grad_fn.register_hook / register_prehook.

A non-leaf tensor's hooks live on the node that produced it (`Node.hooks`); a leaf's in
`State.leaf_hooks` (id → (tensor, hooks)). Order at a node, as PyTorch: the output
tensor's hooks (each sees the previous one's result), then retain_grad's copy, then the
node's pre-hooks, the node's VJP, the node's post-hooks. At a leaf: its tensor hooks on
the summed gradient, accumulation into .grad, then the post-accumulate hooks.
Every hook registration returns a `RemovableHandle`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.ad import kernels as K
from gradcli.ad.graph import Node, Tensor, tensor_from_array, torch_type_name
from gradcli.ad.identity import object_repr
from gradcli.ad.state import State, grad_mode
from gradcli.errors import GdRuntimeError

Hook = Callable[..., Any]


class NodeHooks:
    """The hooks of one node: its output tensor's, its pre-hooks, its post-hooks."""

    __slots__ = ("post", "pre", "saved", "tensor")

    def __init__(self) -> None:
        self.tensor: list[Hook] = []
        self.pre: list[Hook] = []
        self.post: list[Hook] = []
        self.saved: Any = None  # saved_hooks.Packed: what the node saved, packed


class RemovableHandle:
    """What a hook registration returns: `.remove()` takes the hook out. Its `id` counts
    the handles made this run, as torch.utils.hooks.RemovableHandle.next_id does; a
    module's hooks are dicts keyed by it (`extra`: the dicts of its flags)."""

    __slots__ = ("extra", "hook", "hooks", "id")
    torch_type = "torch.utils.hooks.RemovableHandle"  # type(h), h.__class__

    def __init__(self, hooks: list[Hook] | dict[int, Any], hook: Any,
                 extra: tuple[dict[int, Any], ...] = ()) -> None:
        self.hooks = hooks
        self.hook = hook
        self.extra = extra
        self.id = State.hook_ids
        State.hook_ids += 1

    def remove(self) -> None:
        """Remove the hook (again: nothing)."""
        if isinstance(self.hooks, dict):
            for table in (self.hooks, *self.extra):
                table.pop(self.id, None)
            return
        for i, h in enumerate(self.hooks):
            if h is self.hook:
                del self.hooks[i]
                return

    def __repr__(self) -> str:
        return object_repr("torch.utils.hooks.RemovableHandle", self)


def _node_hooks(node: Node) -> NodeHooks:
    if node.hooks is None:
        node.hooks = NodeHooks()
    return node.hooks


def _add(hooks: list[Hook], fn: Hook) -> RemovableHandle:
    wrapped = _Hook(fn)
    hooks.append(wrapped)
    return RemovableHandle(hooks, wrapped)


class _Hook:
    """One registration (the same function registered twice is two hooks)."""

    __slots__ = ("fn",)

    def __init__(self, fn: Hook) -> None:
        self.fn = fn

    def __call__(self, *args: Any) -> Any:
        return self.fn(*args)


def register_hook(t: Tensor, hook: Hook) -> RemovableHandle:
    """Tensor.register_hook(hook): hook(grad) may return a replacement gradient."""
    if not t.requires_grad:
        raise GdRuntimeError("cannot register a hook on a tensor that doesn't require "
                             "gradient")
    node = t.grad_fn
    if node is not None:
        family = getattr(node, "family", None)
        if family is not None and family.hook(node):
            _activate(family)
        return _add(_node_hooks(node).tensor, hook)
    entry = State.leaf_hooks.get(id(t))
    if entry is None:
        entry = State.leaf_hooks[id(t)] = (t, [])
    return _add(entry[1], hook)


def register_post_accumulate_grad_hook(t: Tensor, hook: Hook) -> RemovableHandle:
    """hook(tensor) after a leaf's .grad was accumulated."""
    if t.grad_fn is not None:
        raise GdRuntimeError("post accumulate grad hooks cannot be registered on non-leaf "
                             "tensors")
    if not t.requires_grad:
        raise GdRuntimeError("cannot register a hook on a tensor that doesn't require "
                             "gradient")
    entry = State.post_accumulate_hooks.get(id(t))
    if entry is None:
        entry = State.post_accumulate_hooks[id(t)] = (t, [])
    return _add(entry[1], hook)


def _activate(family: Any) -> None:
    # Every node of the family takes the hooked path: whichever runs first runs them.
    for m in family.members:
        _node_hooks(m)


def register_node_hook(node: Node, hook: Hook) -> RemovableHandle:
    """grad_fn.register_hook(hook): hook(grad_inputs, grad_outputs) after the node ran
    (a family's node: after all of them, on their summed grad_inputs)."""
    family = getattr(node, "family", None)
    if family is not None:
        _activate(family)
        return _add(family.post, hook)
    return _add(_node_hooks(node).post, hook)


def register_node_prehook(node: Node, hook: Hook) -> RemovableHandle:
    """grad_fn.register_prehook(hook): hook(grad_outputs) before the node runs (a
    family's node: on all its outputs' gradients, None where none arrived)."""
    family = getattr(node, "family", None)
    if family is not None:
        _activate(family)
        return _add(family.pre, hook)
    return _add(_node_hooks(node).pre, hook)


def _name(hook: Any) -> str:
    """The hook's __name__, as PyTorch's messages give it: `<lambda>` or `scale`, not the
    qualified `main.<locals>.<lambda>` a gd function is named by."""
    fn = getattr(hook, "fn", hook)
    fn = getattr(fn, "fn", fn)  # a bound method's function
    return str(getattr(fn, "name", None) or getattr(fn, "__name__", "hook")).rsplit(".", 1)[-1]


def _type_error(message: str) -> GdRuntimeError:
    err = GdRuntimeError(message)
    err.py_type = "TypeError"  # the class `except` sees
    return err


def _checked(hook: Any, value: Any, old: Tensor) -> Tensor:
    return checked_result(_name(hook), value, old)


def checked_result(name: str, value: Any, old: Tensor) -> Tensor:
    """A hook's replacement for the gradient `old`, refused as PyTorch refuses it."""
    if type(value) is not Tensor:
        raise _type_error(f"expected Variable, but hook returned '{type(value).__name__}'")
    if value.array.shape != old.array.shape:
        raise GdRuntimeError(f"hook '{name}' has changed the size of value")
    if value.array.dtype != old.array.dtype:
        raise GdRuntimeError(
            f"hook '{name}' has changed the type of value (was {torch_type_name(old)} "
            f"got {torch_type_name(value)})")
    return value


def _own(g: Tensor) -> Tensor:
    # A hook may change the gradient in place: never hand it a read-only broadcast view,
    # but PyTorch's expanded tensor (an in-place write refused where it overlaps).
    return g if g.array.flags.writeable else tensor_from_array(K.owned_copy(g.array))


def run_tensor_hooks(hooks: list[Hook], g: Tensor) -> Tensor:
    """Each tensor hook on the gradient, in registration order."""
    g = _own(g)
    for h in list(hooks):
        r = h(g)
        if r is not None:
            g = _checked(h, r, g)
    return g


def run_family_hooks(node: Node, g: Tensor, arrived: dict[Node, Any]) -> Tensor:
    """The tensor hooks of all outputs of node's family (graph.Family), as PyTorch's one
    node runs them: output by output in the order they were first hooked, each output's in
    registration order, on its gradient (arrived[m], replaced there by the hooks' result;
    g: node's own, returned) or on None where no gradient reached it."""
    for m in node.family.hooked:
        hooks = m.hooks.tensor
        if m is node:
            if hooks:
                g = run_tensor_hooks(hooks, g)
            continue
        gm = arrived.get(m)
        if gm is not None:
            arrived[m] = run_tensor_hooks(hooks, gm) if hooks else gm
            continue
        for h in list(hooks):
            r = h(None)
            if r is not None:
                raise GdRuntimeError("can't replace a None gradient with a non-None value")
    return g


def _check_tuple(h: Hook, r: Any, n: int) -> None:
    """PyTorch's errors for a node hook's replacement that is no tuple of n values."""
    if type(r) is not tuple:
        raise _type_error(f"expected tuple, but hook returned '{type(r).__name__}'")
    if len(r) != n:
        raise GdRuntimeError(f"hook '{_name(h)}' has returned an incorrect number of "
                             f"values (got {len(r)}, but expected {n})")


def run_family_pre_hooks(hooks: list[Hook], grads: list[Any]) -> list[Any]:
    """A family's node pre-hooks on (grad_output for each output, None where none came)."""
    for h in list(hooks):
        r = h(tuple(grads))
        if r is None:
            continue
        _check_tuple(h, r, len(grads))
        grads = [v if v is None or old is None else _checked(h, v, old)
                 for v, old in zip(r, grads, strict=True)]
    return grads


def run_pre_hooks(hooks: list[Hook], g: Tensor) -> Tensor:
    """The node's pre-hooks on (grad_output,)."""
    g = _own(g)
    for h in list(hooks):
        r = h((g,))
        if r is not None:
            _check_tuple(h, r, 1)
            g = _checked(h, r[0], g)
    return g


def run_post_hooks(node: Node, hooks: list[Hook], cots: tuple[Any, ...],
                   g: Tensor | tuple[Any, ...]) -> tuple[Any, ...]:
    """The node's post-hooks on (grad_inputs, grad_outputs); grad_inputs shaped as the
    node's inputs, one per edge PyTorch's node has."""
    from gradcli.ad import ops

    inputs = node.inputs or ()
    # A Python number operand (x * x + 1) has no edge: its slot is None, as PyTorch's.
    cots = tuple(
        None if c is None or type(x) is not Tensor
        else c if c.array.shape == x.array.shape else ops.sum_to(c, x.array.shape)
        for c, x in zip(cots, inputs, strict=False))
    edges = node.rule.edges
    idx = tuple(range(len(cots))) if edges is None else edges(node.name)
    wt = node.rule.name == "linear" and cots[1] is not None  # PyTorch's edge is wᵀ's
    if wt:
        cots = (cots[0], ops.t(cots[1]), *cots[2:])
    for h in list(hooks):
        r = h(tuple(cots[i] for i in idx), g if type(g) is tuple else (g,))
        if r is None:
            continue
        _check_tuple(h, r, len(idx))
        new = list(cots)
        for i, v in zip(idx, r, strict=True):
            new[i] = v if v is None or cots[i] is None else _checked(h, v, cots[i])
        cots = tuple(new)
    if wt and cots[1] is not None:
        cots = (cots[0], ops.t(cots[1]), *cots[2:])
    return cots


def leaf_hooked(t: Tensor, g: Tensor, accumulating: bool = False) -> Tensor:
    """A leaf's summed gradient after its tensor hooks (and, when it is accumulated into
    .grad, its AccumulateGrad's pre-hooks: autograd.grad runs no AccumulateGrad)."""
    entry = State.leaf_hooks.get(id(t))
    if entry is None or entry[0] is not t or not entry[1]:
        return g
    own = [h for h in entry[1] if type(h) is not _AccumulatePre]
    if own:
        g = run_tensor_hooks(own, g)
    return accumulate_pre_hooked(t, g) if accumulating else g


def accumulate_pre_hooked(t: Tensor, g: Tensor) -> Tensor:
    """g after the pre-hooks of t's AccumulateGrad (acc.register_prehook)."""
    entry = State.leaf_hooks.get(id(t))
    pre = [] if entry is None or entry[0] is not t else [
        h for h in entry[1] if type(h) is _AccumulatePre]
    return run_pre_hooks(pre, g) if pre else g


def after_accumulate(t: Tensor, g: Tensor, create_graph: bool = False) -> None:
    """A leaf's post-accumulate hooks, after its .grad was updated with g, in the engine's
    grad mode (on only under create_graph); then its AccumulateGrad's post-hooks,
    hook((), (g,)) (what they return must be ()). As PyTorch, a hook's tensor result is
    what the next hook is given, and the chain must end on the leaf itself (`p.add_(...)`
    returns it) or None."""
    entry = State.post_accumulate_hooks.get(id(t))
    if entry is not None and entry[0] is t:
        hooks = list(entry[1])
        value = t
        with grad_mode(create_graph):
            for h in hooks:
                if type(h) is not _AccumulatePost:
                    r = h(value)
                    if r is not None:
                        value = _checked(h, r, value)
        if value is not t:
            raise GdRuntimeError("Tensor post accumulate grad hooks should return None.")
        for h in hooks:
            if type(h) is _AccumulatePost:
                r = h((), (g,))
                if r is not None:
                    _check_tuple(h, r, 0)


class _AccumulatePre(_Hook):
    """A pre-hook of a leaf's AccumulateGrad (kept with the leaf's tensor hooks, run after
    them)."""

    __slots__ = ()


class _AccumulatePost(_Hook):
    """A post-hook of a leaf's AccumulateGrad (kept with its post-accumulate hooks, run
    after them)."""

    __slots__ = ()


def register_accumulate_hook(t: Tensor, hook: Hook, pre: bool) -> RemovableHandle:
    """acc.register_prehook(hook) / acc.register_hook(hook) on the leaf t's AccumulateGrad
    (`x.expand_as(x).grad_fn.next_functions[0][0]`): hook((grad,)) before .grad is
    accumulated (may return a replacement), hook((), (grad,)) after it."""
    table = State.leaf_hooks if pre else State.post_accumulate_hooks
    entry = table.get(id(t))
    if entry is None or entry[0] is not t:
        entry = table[id(t)] = (t, [])
    wrapped = (_AccumulatePre if pre else _AccumulatePost)(hook)
    entry[1].append(wrapped)
    return RemovableHandle(entry[1], wrapped)
