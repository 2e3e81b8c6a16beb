"""`y.grad_fn._saved_self` and its kin: the tensors a node saved for backward, as PyTorch
names them (its docs' "Saved tensors" section reads them this way).

PyTorch's attribute names come from each formula's arguments (derivatives.yaml); the
table below holds them for the ops tutorials show. An input is saved only when another
input's derivative needs it (`x * 2` saves `other`, not `self`, as PyTorch does: the
other is read as `None`); a number operand reads as the 0-d tensor PyTorch wraps it in
(int64 or float64). `_saved_self` of a leaf is the leaf itself (`x is y.grad_fn._saved_self`
is True); `_saved_result` is a new tensor sharing the output's data and grad_fn (`y is
...` is False).
After the graph was freed, reading one fails with PyTorch's message.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.graph import Node, Tensor, tensor_from_array
from gradcli.errors import GdRuntimeError

#: grad_fn name -> its saved attributes, each read from the node as: an input's index and
#: the index of the input whose derivative needs it (None: always saved), or "result".
_SAVED: dict[str, dict[str, Any]] = {
    "MulBackward0": {"self": (0, 1), "other": (1, 0)},
    "DivBackward0": {"self": (0, 1), "other": (1, None)},
    "PowBackward0": {"self": (0, None), "exponent": (1, None)},
    "PowBackward1": {"self": (0, None), "exponent": (1, None), "result": "result"},
    "PowBackward2": {"self": (0, None), "exponent": (1, None), "result": "result"},
    "MvBackward0": {"self": (0, 1), "vec": (1, 0)},
    "MmBackward0": {"self": (0, 1), "mat2": (1, 0)},
    "DotBackward0": {"self": (0, 1), "tensor": (1, 0)},
    "AbsBackward0": {"self": (0, None)}, "SinBackward0": {"self": (0, None)},
    "CosBackward0": {"self": (0, None)}, "LogBackward0": {"self": (0, None)},
    "ExpBackward0": {"result": "result"}, "TanhBackward0": {"result": "result"},
    "SigmoidBackward0": {"result": "result"}, "ReluBackward0": {"result": "result"},
    "SqrtBackward0": {"result": "result"}, "ReciprocalBackward0": {"result": "result"},
    "TanBackward0": {"result": "result"},
}

FREED = ("Trying to backward through the graph a second time (or directly access saved "
         "tensors after they have already been freed). Saved intermediate values of the "
         "graph are freed when you call .backward() or autograd.grad(). Specify "
         "retain_graph=True if you need to backward through the graph a second time or if "
         "you need to access saved tensors after calling backward.")


def saved_attribute(node: Node, name: str) -> Any:
    """node._saved_<what>, or PyTorch's AttributeError for an attribute it lacks."""
    what = _SAVED.get(node.name, {}).get(name[len("_saved_"):])
    if what is None:
        raise GdRuntimeError(f"'{node.name}' object has no attribute '{name}'",
                             py_type="AttributeError")
    if node.freed and node.inputs is None:
        raise GdRuntimeError(FREED)
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
    k, needed_by = what
    if k >= len(inputs):
        return None
    if needed_by is not None and needed_by < len(inputs):
        other = inputs[needed_by]
        if not (type(other) is Tensor and other.requires_grad):
            return None
    v = inputs[k]
    if type(v) is Tensor:
        return v
    if type(v) is bool or v is None:
        return v
    if name == "_saved_exponent":
        return v  # a number exponent is saved as the number itself (PowBackward0)
    return tensor_from_array(np.asarray(v, np.int64 if type(v) is int else np.float64))
