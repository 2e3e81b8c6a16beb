"""torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook): what a node saves for
backward goes through pack_hook when the node is recorded, and what backward (or
`grad_fn._saved_x`, or a custom function's `ctx.saved_tensors`) reads is unpack_hook's
result for the packed value, each time it reads it.

Which tensors a node saves, and in which order PyTorch packs them, is the saved table's
(gradcli/ad/saved_table.py): an op the table does not know packs nothing (its backward
reads its inputs as they are). A number operand (`x * 2`) is not packed, as in PyTorch.
A node with packed values reads no version counter: PyTorch checks none for them either.

save_on_cpu(pin_memory=False, device_type="cuda") moves saved tensors to the CPU, where
gd's already are: a context that changes nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.graph import Node, Tensor, tensor_from_array
from gradcli.ad.hooks import NodeHooks
from gradcli.ad.identity import object_repr
from gradcli.ad.saved_table import saved_entry
from gradcli.ad.state import State, grad_mode
from gradcli.errors import GdRuntimeError


class Packed:
    """A node's packed values: (attribute name, what it stands for, packed value)."""

    __slots__ = ("entries", "own", "unpack")

    def __init__(self, unpack: Any) -> None:
        self.unpack = unpack
        self.entries: list[tuple[str, Any, Any]] = []
        # An attribute's own unpack_hook (grad_fn._raw_saved_x.register_hooks), by name.
        self.own: dict[str, Any] = {}

    def unpack_of(self, name: str) -> Any:
        """The unpack_hook of the attribute `name`."""
        return self.own.get(name, self.unpack)

    def unpacked(self, name: str) -> Tensor:
        """unpack_hook's tensor for the attribute `name`."""
        for n, _, packed in self.entries:
            if n == name:
                value = _checked(self.unpack_of(n)(packed))
                # a new tensor object even when the hook gives the saved one back
                alias = tensor_from_array(value.array)
                alias._vc = value._vc
                alias.requires_grad = value.requires_grad
                alias.grad_fn = value.grad_fn
                return alias
        raise KeyError(name)


def _checked(value: Any) -> Tensor:
    if type(value) is not Tensor:
        raise GdRuntimeError("Output of saved tensor unpack_hook expected to be a Tensor but "
                             f"got result of type {type(value).__name__}",
                             py_type="TypeError")
    return value


class saved_tensors_hooks:
    """The context manager: nodes recorded inside pack what they save with the innermost
    pair of hooks."""

    __slots__ = ("pack_hook", "prev_record", "unpack_hook")
    torch_type = "torch.autograd.graph.saved_tensors_hooks"  # type(ctx)
    gd_context = True  # `with` takes it (gradcli/interp/values.is_context_manager)

    def __init__(self, pack_hook: Any, unpack_hook: Any) -> None:
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook
        self.prev_record: Any = None

    def __enter__(self) -> None:
        if _DISABLED:
            raise GdRuntimeError(_DISABLED[-1])
        self.prev_record = State.on_record
        State.on_record = self._on_record
        State.saved_hooks = (*State.saved_hooks, self)

    def __exit__(self, *exc: object) -> None:
        State.on_record = self.prev_record
        State.saved_hooks = State.saved_hooks[:-1]

    def _on_record(self, node: Node, out: Tensor) -> None:
        if self.prev_record is not None:
            self.prev_record(node, out)
        if State.saved_hooks and State.saved_hooks[-1] is self:
            pack_node(node, out, self)

    def __repr__(self) -> str:
        return object_repr(f"torch.autograd.graph.{type(self).__name__}", self)


#: The messages of the disable_saved_tensors_hooks contexts open, innermost last.
_DISABLED: list[str] = []


class disable_saved_tensors_hooks:
    """torch.autograd.graph.disable_saved_tensors_hooks(error_message): entering
    saved_tensors_hooks inside fails with the message (RuntimeError)."""

    __slots__ = ("message",)
    gd_context = True

    def __init__(self, error_message: Any) -> None:
        self.message = str(error_message)

    def __enter__(self) -> None:
        _DISABLED.append(self.message)

    def __exit__(self, *exc: object) -> None:
        _DISABLED.pop()

    def __repr__(self) -> str:
        return object_repr("torch.autograd.graph.disable_saved_tensors_hooks", self)


class save_on_cpu:
    """torch.autograd.graph.save_on_cpu: saved tensors kept on the CPU (they are)."""

    __slots__ = ()
    gd_context = True

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        pass

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None

    def __repr__(self) -> str:
        return object_repr("torch.autograd.graph.save_on_cpu", self)


def pack_node(node: Node, out: Tensor, hooks: saved_tensors_hooks) -> None:
    """pack_hook on each tensor the node saves, in PyTorch's order."""
    inputs = node.inputs or ()
    packed = Packed(hooks.unpack_hook)
    for name, what in saved_entry(node.rule.name, node.name).items():
        if what == "result":
            value = out
        elif type(what) is tuple:
            k, needed_by = what[:2]
            if k >= len(inputs) or type(inputs[k]) is not Tensor:
                continue
            if needed_by is not None and not (needed_by < len(inputs) and type(
                    other := inputs[needed_by]) is Tensor and other.requires_grad):
                continue
            value = inputs[k]
            if len(what) == 3:
                value = transposed(value)
        else:
            continue
        packed.entries.append((name, what, _pack(hooks, value)))
    if packed.entries:
        if node.hooks is None:
            node.hooks = NodeHooks()
        node.hooks.saved = packed


def register_raw_hooks(node: Node, name: str, value: Tensor, pack_hook: Any,
                       unpack_hook: Any) -> None:
    """grad_fn._raw_saved_<name>.register_hooks(pack_hook, unpack_hook): the saved value
    (`value`) packed now; backward reads unpack_hook's result for it."""
    hooks = node.hooks
    if hooks is not None and hooks.saved is not None and any(
            n == name for n, _, _ in hooks.saved.entries):
        raise GdRuntimeError("Calling register_hooks on a saved tensor whose hooks have "
                             "already been set. Hint: only one pair of hooks is allowed at "
                             "a time.")
    what = saved_entry(node.rule.name, node.name)[name]
    with grad_mode(False):
        packed_value = pack_hook(value)
    if node.hooks is None:
        node.hooks = NodeHooks()
    if node.hooks.saved is None:
        node.hooks.saved = Packed(unpack_hook)
    node.hooks.saved.entries.append((name, what, packed_value))
    node.hooks.saved.own[name] = unpack_hook


def pack_tensors(tensors: tuple[Any, ...]) -> Packed | None:
    """A custom function's ctx.save_for_backward tensors through the innermost pack_hook."""
    if not State.saved_hooks:
        return None
    hooks = State.saved_hooks[-1]
    packed = Packed(hooks.unpack_hook)
    for i, t in enumerate(tensors):
        packed.entries.append((str(i), None, None if t is None else _pack(hooks, t)))
    return packed


def _pack(hooks: saved_tensors_hooks, value: Tensor) -> Any:
    # PyTorch packs below autograd: the hook records nothing (its x * 4 has no grad_fn)
    with grad_mode(False):
        return hooks.pack_hook(value)


def unpack_tensors(packed: Packed) -> tuple[Any, ...]:
    """ctx.saved_tensors through unpack_hook."""
    return tuple(None if p is None else _checked(packed.unpack(p))
                 for _, _, p in packed.entries)


def unpacked_inputs(node: Node, packed: Packed) -> tuple[tuple[Any, ...], Any]:
    """The node's inputs and output as backward reads them: each packed one unpacked."""
    inputs = list(node.inputs or ())
    out = node.out
    for name, what, p in packed.entries:
        value = _checked(packed.unpack_of(name)(p))
        if what == "result":
            if State.grad_enabled and np.array_equal(value.array, node.out.array):
                value = node.out  # as an input's below
            out = value
            continue
        k = what[0]
        if len(what) == 3:  # linear's wᵀ unpacked: w again
            value = tensor_from_array(value.array.T)
        orig = inputs[k]
        if value is not orig and State.grad_enabled and np.array_equal(value.array, orig.array):
            # PyTorch gives the unpacked tensor the saved one's place in the graph (its
            # grad_fn or leaf): what create_graph's backward records reaches the input.
            value = orig
        if value.requires_grad != orig.requires_grad:
            # The rule asks an input whether it needs a cotangent: as the input did.
            value = tensor_from_array(value.array)
            value.requires_grad = inputs[k].requires_grad
        inputs[k] = value
    return tuple(inputs), out


def transposed(x: Tensor) -> Tensor:
    """x.t() as a node saved it (linear's wᵀ): a view, TBackward0 its grad_fn."""
    from gradcli.ad.registry import RULES

    t = tensor_from_array(x.array.T)
    if x.requires_grad:
        t.grad_fn = Node(RULES["transpose"], None, {"short": True}, (x,), None)
        t.requires_grad = True
    return t
