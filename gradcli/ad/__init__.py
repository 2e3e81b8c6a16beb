"""The autograd core: tensors on numpy, one derivative table, reverse and forward mode.

Knows nothing of the gd language, the interpreter, rendering or the CLI.
"""

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
