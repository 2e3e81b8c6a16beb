"""The autograd core: tensors on numpy, one derivative table, reverse and forward mode.

Knows nothing of the gd language, the interpreter, rendering or the CLI.
"""

from gradcli.ad import ops as _ops
from gradcli.ad.tensor import (
    Node,
    State,
    Tensor,
    enable_grad,
    grad_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)

_ops._install()

from gradcli.ad import engine as _engine  # noqa: E402  (needs the installed ops)

Tensor.backward = _engine.tensor_backward  # type: ignore[attr-defined]

__all__ = [
    "Node",
    "State",
    "Tensor",
    "enable_grad",
    "grad_mode",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
]
