"""Shape ops written in other ops: Tensor.unfold (sliding windows) and torch.diagflat."""

from __future__ import annotations

from typing import Any

from gradcli.ad.graph import Tensor
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.shape import _wrap_dim, diag, flatten, reshape
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES
from gradcli.errors import GdRuntimeError


def unfold(input: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """Windows of `size` along `dimension`, `step` apart, in a new last dim."""
    x = input
    dim = _wrap_dim(dimension, max(x.ndim, 1))
    length = x.shape[dim] if x.ndim else 1
    if size > length:
        raise GdRuntimeError(f"maximum size for tensor at dimension {dim} is {length} but "
                             f"size is {size}")
    if step <= 0:
        raise GdRuntimeError(f"step is {step} but must be > 0")
    if size < 0:
        raise GdRuntimeError(f"size is {size} but must be >= 0")
    if x.ndim == 0:
        return reshape(x, (1,))
    return apply(RULES["unfold"], (x,), {"dimension": dim, "size": size, "step": step})


def diagflat(input: Any, offset: int = 0) -> Tensor:
    """A 2-D tensor with input's elements (flattened) on a diagonal."""
    return diag(flatten(_as_tensor(input)), offset)


expose(unfold, "Tensor.unfold", family="shape")
expose(diagflat, "torch.diagflat", "Tensor.diagflat", family="shape")
