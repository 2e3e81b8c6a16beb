"""What a backward pass checks at each node: its saved tensors are still there and
unchanged since they were saved (PyTorch's freed-graph and in-place messages), and, under
anomaly detection, that its VJP returned finite values."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from gradcli.ad.graph import Node, Tensor, torch_type_name
from gradcli.ad.record import AnomalyError, current_grad_fn, where_text
from gradcli.ad.saved_table import SAVED_OF_OP
from gradcli.ad.state import State
from gradcli.errors import GdRuntimeError

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)


def _label(node: Node) -> str:
    # PyTorch's in-place message names a node without its "Backward" ("Exp" for
    # ExpBackward0, "Pow2" for PowBackward2).
    name = node.name
    if name == "CopySlices":
        return "torch::autograd::CopySlices"
    return re.sub(r"Backward(\d*)$", lambda m: "" if m.group(1) == "0" else m.group(1), name)


_HINT = ("enable anomaly detection to find the operation that failed to compute its "
         "gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).")
_HINT_ANOMALY = ("the backtrace further above shows the operation that failed to compute its "
                 "gradient. The variable in question was changed in there or anywhere later. "
                 "Good luck!")


def version_error(t: Tensor, producer: Node | None, expected: int,
                  transposed: bool = False) -> GdRuntimeError:
    """PyTorch's message; `transposed`: the node saved t.t() (F.linear's weight), a view
    that PyTorch regenerates as AsStrided once its base changed."""
    origin = "" if producer is None else f", which is output 0 of {_label(producer)},"
    shape = list(t.array.shape)
    if transposed:
        shape, origin = shape[::-1], ", which is output 0 of AsStrided,"
    return GdRuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [{torch_type_name(t)} {shape}]{origin} is at version "
        f"{t._vc[0]}; expected version {expected} instead. Hint: "
        + (_HINT_ANOMALY if State.torch_anomaly else _HINT),
        hint="the tensor was changed in place after an op saved it for backward; use an "
        "out-of-place op (x = x + 1 instead of x += 1) or clone() it before changing it",
    )


def _input_saved(node: Node, i: int) -> bool:
    """Whether PyTorch's node keeps input i (Rule.saved_for_partner: only when another
    input requires grad; an op recorded as another's node, by the saved table), so that
    changing it in place matters."""
    entry = SAVED_OF_OP.get(node.rule.name)
    if entry is not None:
        return any(type(w) is tuple and w[0] == i and node.parents[w[1]] is not None
                   for w in entry.values())
    if i in node.rule.saved_for_partner:
        return any(p is not None for j, p in enumerate(node.parents) if j != i)
    return True


#: Nodes whose rule keeps the result though PyTorch's node does not save it (x ** 2 saves
#: x and the exponent): changing the result in place is no error there.
_RESULT_NOT_SAVED = frozenset(("PowBackward0",))


def check_versions(node: Node) -> None:
    versions = node.versions
    inputs = node.inputs
    assert inputs is not None
    if versions is not None:
        for i, a in enumerate(inputs):
            if type(a) is Tensor and a._vc[0] != versions[i] and _input_saved(node, i):
                fn = current_grad_fn(a)  # a view's regenerated as PyTorch reads it
                raise version_error(a, fn if fn is not node else None, versions[i],
                                    node.rule.name == "linear" and i == 1)
    out = node.out
    if (out is not None and out._vc[0] != node.out_version
            and node.name not in _RESULT_NOT_SAVED):
        raise version_error(out, node, node.out_version)


def check_nan(node: Node, cots: tuple[Any, ...]) -> None:
    """torch.autograd.detect_anomaly's check, in PyTorch's words."""
    for i, c in enumerate(cots):
        if c is not None and c.array.dtype.kind == "f" and np.isnan(c.array).any():
            raise GdRuntimeError(f"Function '{node.name}' returned nan values in its {i}th "
                                 "output.")


def check_cotangents(node: Node, cots: tuple[Any, ...]) -> None:
    for i, c in enumerate(cots):
        if c is not None and not np.isfinite(c.array).all():
            bad = "nan" if np.isnan(c.array).any() else "inf"
            raise AnomalyError(
                f"anomaly detected in the backward pass: Function '{node.name}' returned "
                f"{bad} values in its {i}th output (the gradient of '{node.op}'"
                f"{where_text(node.span)})", node.span, node.op)
