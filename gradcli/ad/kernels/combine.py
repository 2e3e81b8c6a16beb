"""Kernels of block_diag (the inputs, 0-d as 1×1 and 1-D as a row, down the diagonal of a
zero matrix of their promoted dtype) and of bincount with weights."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.kernels.elementwise import result_type
from gradcli.ad.kernels.messages import TorchError


def as_block(x: np.ndarray) -> np.ndarray:
    """An input of block_diag as the 2-D block it places."""
    return x.reshape(1, -1) if x.ndim < 2 else x


def block_diag(*xs: np.ndarray) -> Any:
    """The block-diagonal matrix of xs."""
    for i, x in enumerate(xs):
        if x.ndim > 2:
            raise TorchError("torch.block_diag: Input tensors must have 2 or fewer dimensions. "
                             f"Input {i} has {x.ndim} dimensions")
    dtype = xs[0].dtype
    for x in xs[1:]:
        dtype = result_type(np.empty(0, dtype), np.empty(0, x.dtype))
    blocks = [as_block(x) for x in xs]
    out = np.zeros((sum(b.shape[0] for b in blocks), sum(b.shape[1] for b in blocks)), dtype)
    r = c = 0
    for b in blocks:
        out[r:r + b.shape[0], c:c + b.shape[1]] = b
        r += b.shape[0]
        c += b.shape[1]
    return out


def bincount_weighted(x: np.ndarray, w: np.ndarray, minlength: int = 0) -> Any:
    """Σ of the weights of each value 0, 1, ... of x (float weights keep their dtype,
    others sum in double)."""
    dt = w.dtype if w.dtype.kind == "f" else np.dtype(np.float64)
    out = np.zeros(max(minlength, int(x.max()) + 1 if x.size else 0), dtype=dt)
    np.add.at(out, x, w.astype(dt))
    return out
