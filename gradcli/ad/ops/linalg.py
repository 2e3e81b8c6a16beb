"""Linear algebra: matrix products (mm, mv, dot, matmul and its dispatch)."""

from __future__ import annotations

import math

import numpy as np

from gradcli.ad.graph import Tensor
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.elementwise import mul
from gradcli.ad.ops.shape import reshape, squeeze, t, unsqueeze
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.ad.state import check_size
from gradcli.errors import GdRuntimeError

# -- linear algebra ---------------------------------------------------------------------

def mm(a: Tensor, b: Tensor) -> Tensor:
    """Matrix × matrix."""
    return apply(_RULES["mm"], (a, b))


def mv(a: Tensor, v: Tensor) -> Tensor:
    """Matrix × vector."""
    return apply(_RULES["mv"], (a, v))


def dot(a: Tensor, b: Tensor) -> Tensor:
    """Vector · vector."""
    return apply(_RULES["dot"], (a, b))


def inner(a: Tensor, b: Tensor) -> Tensor:
    """Inner product over the last dims (dot for vectors, a·bᵀ for matrices, ...)."""
    a, b = _as_tensor(a), _as_tensor(b)
    if a.ndim == 0 or b.ndim == 0:
        return mul(a, b)
    if a.shape[-1] != b.shape[-1]:
        raise GdRuntimeError("inner() the last dimension must match on both input tensors but "
                             f"got shapes {list(a.shape)} and {list(b.shape)}")
    if a.ndim == 1 and b.ndim == 1:
        return dot(a, b)
    k = a.shape[-1]
    out = mm(reshape(a, -1, k), t(reshape(b, -1, k)))
    return reshape(out, *a.shape[:-1], *b.shape[:-1])


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """The @ operator, dispatched as PyTorch does (dot, mv, mm, or batched)."""
    a, b = _as_tensor(a), _as_tensor(b)
    na, nb = a.ndim, b.ndim
    if na == 0 or nb == 0:
        raise GdRuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {na}D and {nb}D")
    if na == 1 and nb == 1:
        return dot(a, b)
    if na == 2 and nb == 1:
        return mv(a, b)
    if na == 1 and nb == 2:
        return squeeze(mm(unsqueeze(a, 0), b), 0, dims_variant=True)
    if na == 2 and nb == 2:
        return mm(a, b)
    # Batched, including a vector against a batch of matrices (UnsafeViewBackward0 as in
    # PyTorch, which folds these into one product).
    try:
        batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        batch = ()  # the kernel reports the mismatch
    check_size(math.prod(batch) * (a.shape[-2] if na > 1 else 1) * (b.shape[-1] if nb > 1 else 1))
    return apply(_RULES["matmul"], (a, b))


def outer(a: Tensor, b: Tensor) -> Tensor:
    """Outer product of two vectors."""
    for name, v in (("self", a), ("vec2", b)):
        if type(v) is Tensor and v.ndim != 1:
            raise GdRuntimeError(f"outer: Expected 1-D argument {name}, but got {v.ndim}-D")
    return mul(unsqueeze(a, 1), unsqueeze(b, 0))


# -- PyTorch spellings ------------------------------------------------------------------

for _name in ("matmul", "mm", "mv", "dot"):
    expose(globals()[_name], f"torch.{_name}", f"Tensor.{_name}", family="linalg")
expose(inner, "torch.inner", family="linalg")
expose(outer, "torch.outer", family="linalg")
