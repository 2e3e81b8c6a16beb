"""`y.grad_fn._saved_self` and its kin: the tensors a node saved for backward, as PyTorch
names them (its docs' "Saved tensors" section reads them this way).

PyTorch's attribute names come from each formula's arguments (derivatives.yaml); the
table below holds them for the ops tutorials show: tensors (inputs, the result, the
indices a max/sort picked) and the arguments read back as PyTorch stores them (a dim as
given, -1 wrapped to 2**64 - 1; reduction as its enum; sizes as a tuple). Arguments that
gd normalizes before recording (cumsum's dim, sort's default dim, var's correction) are
left out rather than read back wrong. An input is saved only when another
input's derivative needs it (`x * 2` saves `other`, not `self`, as PyTorch does: the
other is read as `None`); a number operand reads as the 0-d tensor PyTorch wraps it in
(int64 or float64). `_saved_self` of a leaf is the leaf itself (`x is y.grad_fn._saved_self`
is True); `_saved_result` is a new tensor sharing the output's data and grad_fn (`y is
...` is False).
After the graph was freed, reading one fails with PyTorch's message.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from gradcli.ad.graph import Node, Tensor, tensor_from_array
from gradcli.ad.identity import object_repr
from gradcli.ad.ops.layout import strides
from gradcli.ad.saved_hooks import register_raw_hooks, transposed
from gradcli.ad.saved_table import saved_entry
from gradcli.errors import GdRuntimeError

FREED = ("Trying to backward through the graph a second time (or directly access saved "
         "tensors after they have already been freed). Saved intermediate values of the "
         "graph are freed when you call .backward() or autograd.grad(). Specify "
         "retain_graph=True if you need to backward through the graph a second time or if "
         "you need to access saved tensors after calling backward.")


def saved_attribute(node: Node, name: str) -> Any:
    """node._saved_<what>, or PyTorch's AttributeError for an attribute it lacks."""
    what = saved_entry(node.rule.name, node.name).get(name[len("_saved_"):])
    if what is None:
        raise GdRuntimeError(f"'{node.name}' object has no attribute '{name}'",
                             py_type="AttributeError")
    if type(what) is str and what != "result":
        return _described(node, what)
    if node.freed and node.inputs is None:
        raise GdRuntimeError(FREED)
    hooks = node.hooks
    if hooks is not None and hooks.saved is not None and any(
            n == name[len("_saved_"):] for n, _, _ in hooks.saved.entries):
        # unpack_hook's, each read, with the saved tensor's requires_grad and grad_fn
        key = name[len("_saved_"):]
        value = hooks.saved.unpacked(key)
        orig = _raw_value(node, key, transpose=False)
        if type(orig) is Tensor and orig.requires_grad and value.grad_fn is None:
            value.requires_grad = True
            value.grad_fn = node if what == "result" else orig.grad_fn
        return value
    if what == "result":
        out = node.out
        if out is None:
            raise GdRuntimeError(FREED)
        # A new tensor of the output's data and version counter, whose grad_fn is the
        # node again (PyTorch unpacks a saved output so).
        t = tensor_from_array(out.array)
        t._vc = out._vc
        t.grad_fn = node
        t.requires_grad = True
        return t
    inputs = node.inputs or ()
    k, needed_by = what[:2]
    if k >= len(inputs):
        return None
    if needed_by is not None and needed_by < len(inputs):
        other = inputs[needed_by]
        if not (type(other) is Tensor and other.requires_grad):
            return None
    v = inputs[k]
    if type(v) is Tensor and len(what) == 3:
        return transposed(v)
    if type(v) is Tensor:
        return v
    if type(v) is bool or v is None:
        return v
    if name == "_saved_exponent":
        return v  # a number exponent is saved as the number itself (PowBackward0)
    return tensor_from_array(np.asarray(v, np.int64 if type(v) is int else np.float64))


class SavedTensor:
    """grad_fn._raw_saved_<name>: the saved value itself, whose register_hooks(pack_hook,
    unpack_hook) packs it now and has backward read unpack_hook's result (PyTorch's
    "Hooks for saved tensors" tutorial). The same object each read."""

    __slots__ = ("__weakref__", "name", "node")
    torch_type = "torch._C._autograd.SavedTensor"

    def __init__(self, node: Node, name: str) -> None:
        self.node = node
        self.name = name

    def register_hooks(self, *hooks: Any) -> None:
        """register_hooks(pack_hook, unpack_hook)."""
        if len(hooks) != 2 or any(type(h) in _NOT_CALLABLE for h in hooks):
            raise GdRuntimeError(
                "register_hooks(): incompatible function arguments. The following argument "
                "types are supported:\n    1. (self: torch._C._autograd.SavedTensor, arg0: "
                "collections.abc.Callable, arg1: collections.abc.Callable) -> None",
                py_type="TypeError")
        node = self.node
        if node.inputs is None:
            raise GdRuntimeError(
                "Calling register_hooks on a saved tensor after it has been freed. Saved "
                "intermediate values of the graph are freed when you call .backward() or "
                "autograd.grad(). Specify retain_graph=True if you need to backward through "
                "the graph a second time or if you need to access saved variables after "
                "calling backward.")
        value = _raw_value(node, self.name)
        if type(value) is not Tensor:
            raise GdRuntimeError("Calling register_hooks on a saved tensor with value None "
                                 "is forbidden")
        # (what pack_hook sees is the saved data: no requires_grad, no grad_fn)
        register_raw_hooks(node, self.name, value.detach(), hooks[0], hooks[1])

    @staticmethod
    def gd_attribute(obj: SavedTensor, name: str) -> Any:
        """What a program reads of it: register_hooks."""
        from gradcli.interp.values import BoundMethod

        if name == "register_hooks":
            return BoundMethod(obj, name, SavedTensor.register_hooks)
        raise GdRuntimeError(f"'SavedTensor' object has no attribute '{name}'",
                             py_type="AttributeError")

    def __repr__(self) -> str:
        return object_repr(self.torch_type, self)


_NOT_CALLABLE = (int, float, bool, str, type(None), Tensor, tuple, list, dict)

_RAW: weakref.WeakKeyDictionary[Node, dict[str, SavedTensor]] = weakref.WeakKeyDictionary()


def raw_saved_attribute(node: Node, name: str) -> SavedTensor:
    """node._raw_saved_<what>: its SavedTensor (a tensor it saves: an input or the result)."""
    what = saved_entry(node.rule.name, node.name).get(name[len("_raw_saved_"):])
    if what is None or (type(what) is str and what != "result"):
        raise GdRuntimeError(f"'{node.name}' object has no attribute '{name}'",
                             py_type="AttributeError")
    table = _RAW.setdefault(node, {})
    key = name[len("_raw_saved_"):]
    if key not in table:
        table[key] = SavedTensor(node, key)
    return table[key]


def _raw_value(node: Node, key: str, transpose: bool = True) -> Any:
    """The tensor node saved as `key` (the result, an input), None if it saved none."""
    what = saved_entry(node.rule.name, node.name)[key]
    if what == "result":
        return node.out
    inputs = node.inputs or ()
    k, needed_by = what[:2]
    if k >= len(inputs) or type(inputs[k]) is not Tensor:
        return None
    if needed_by is not None and not (needed_by < len(inputs) and type(
            other := inputs[needed_by]) is Tensor and other.requires_grad):
        return None
    return transposed(inputs[k]) if len(what) == 3 and transpose else inputs[k]


def _wrapped_dim(d: Any) -> Any:
    # PyTorch's saved int64 dims read back as unsigned: -1 is 18446744073709551615.
    return d + 2 ** 64 if type(d) is int and d < 0 else d


def _literal(text: str) -> Any:
    """A default written in the saved table: None, False, an int, a float, or the text itself."""
    if text in ("", "None", "()"):
        return None
    if text == "False":
        return False
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _described(node: Node, what: str) -> Any:
    """A saved attribute that is no input nor the result (see _SAVED)."""
    params = node.params or {}
    if node.inputs is None and what.startswith(("n:", "sizes", "strides", "numel", "indices")):
        raise GdRuntimeError(FREED)  # a saved tensor (or what we read off one) is gone
    if what == "reduction":  # PyTorch's Reduction enum
        return ("none", "mean", "sum").index(params.get("reduction", "mean"))
    if what.startswith("n:"):  # a number input, saved as the Scalar itself
        return node.inputs[int(what[2:])]
    if what.startswith("sizes") or what == "numel":
        x = node.inputs[int(what[5:].lstrip("T") or 0)] if what != "numel" else node.inputs[0]
        shape = tuple(getattr(x, "shape", ()))
        if what.startswith("sizesT"):
            shape = shape[::-1]
        return int(np.prod(shape)) if what == "numel" else shape
    if what.startswith("strides"):  # saved for the input's own derivative only
        x = node.inputs[int(what[7:].lstrip("T"))]
        if not (type(x) is Tensor and x.requires_grad):
            return ()
        return strides(x)[::-1] if what.startswith("stridesT") else strides(x)
    if what == "indices":
        idx = np.asarray(params["index"], np.int64)
        dim = params.get("dim")
        if not params.get("keepdim", True) and type(dim) is int and idx.ndim:
            idx = np.squeeze(idx, dim)
        return tensor_from_array(idx)
    kind, _, spec = what.partition(":")
    key, _, default = spec.partition("=")
    value = params[key] if key in params else _literal(default)
    if isinstance(value, np.ndarray):  # a saved index tensor, freed with the graph
        if node.inputs is None:
            raise GdRuntimeError(FREED)
        return tensor_from_array(value)
    if value is None and default == "()":
        return ()
    if type(value) is float and type(_literal(default)) is int and value.is_integer():
        value = int(value)  # a Scalar given as an int (the default) reads back as one
    if kind == "dim":
        return _wrapped_dim(value)
    if kind == "dims":
        if value is None:
            return None
        return tuple(_wrapped_dim(d) for d in (value if isinstance(value, (tuple, list))
                                              else (value,)))
    return value
