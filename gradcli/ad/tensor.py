"""The Tensor, complete: import it from here.

The autograd core in layers, each importing only the ones above it in this list:
`state` (grad mode, limits, the tape hook), `graph` (Tensor and Node), `registry`
(the Rule type and the table), `record` (`apply`: run an op, record a node),
`inplace` (in-place ops and views), `ops` (PyTorch's function surface), `rules` (the
derivative table, written in ops), `engine` (reverse mode), `autograd` (its public
entry points: backward, grad, Tensor.backward). This module sits on top: importing it
fills the table and gives the Tensor class its operators, methods and `backward`
(`install_operators`), and re-exports the names other layers use.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad import rules  # noqa: F401  (fills the derivative table ops look rules up in)
from gradcli.ad.autograd import tensor_backward
from gradcli.ad.graph import Node, Tensor, tensor_from_array, torch_type_name
from gradcli.ad.inplace import record_inplace
from gradcli.ad.ops import OPERATORS, members
from gradcli.ad.record import EMPTY, AnomalyError, apply, where_text
from gradcli.ad.state import (
    POSITION,
    State,
    _set_grad_mode,
    check_broadcast,
    check_memory,
    check_size,
    enable_grad,
    grad_mode,
    is_grad_enabled,
    no_grad,
    note_allocation,
    set_grad_enabled,
)

__all__ = [
    "EMPTY", "POSITION", "AnomalyError", "Node", "State", "Tensor", "_set_grad_mode",
    "apply", "check_broadcast", "check_memory", "check_size", "enable_grad", "grad_mode",
    "install_operators", "is_grad_enabled", "no_grad", "note_allocation", "record_inplace",
    "set_grad_enabled", "tensor_from_array", "torch_type_name", "where_text",
]


def install_operators(cls: type[Any] = Tensor) -> None:
    """Give the Tensor class its operators (ops.OPERATORS), its math methods
    (every `Tensor.X` spelling of ops.surface, where the class defines none of its own)
    and `backward`."""
    for name, fn in OPERATORS.items():
        setattr(cls, name, fn)
    for name, fn in members("Tensor").items():
        if not hasattr(cls, name):
            setattr(cls, name, fn)
    cls.backward = tensor_backward
    cls.__iter__ = tensor_iter


def tensor_iter(t: Tensor) -> Any:
    """iter(t), as PyTorch's Tensor.__iter__ (iter(t.unbind(0))): the rows, each with
    grad_fn UnbindBackward0. Python's own consumers of an iterable reach it when a
    program hands them a tensor (collections.Counter(t), dict.fromkeys(t), set.update(t));
    the interpreter's `for` walks the same rows (operators.iterate)."""
    from gradcli.ad.ops.shape import unbind_one
    from gradcli.errors import GdRuntimeError

    if t.array.ndim == 0:
        raise GdRuntimeError("iteration over a 0-d tensor", py_type="TypeError")
    return (unbind_one(t, 0, i) for i in range(t.array.shape[0]))


install_operators()
