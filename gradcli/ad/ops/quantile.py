"""torch.quantile and torch.nanquantile (interpolation linear, lower, higher, midpoint,
nearest), PyTorch's composite: sort, gather at the ranks, lerp, then the q dim moved to
the front (SqueezeBackward4)."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.ops.math import lerp
from gradcli.ad.ops.selection import gather
from gradcli.ad.ops.shape import _wrap_dim, flatten, reshape, squeeze, transpose, unsqueeze
from gradcli.ad.ops.statistics import sort
from gradcli.ad.ops.surface import expose
from gradcli.errors import GdRuntimeError

_MODES = ("linear", "lower", "higher", "midpoint", "nearest")


def _checks(name: str, input: Tensor, q: Any, interpolation: str) -> np.ndarray:
    # PyTorch's order: a number q's range (its overload), the input's size, its dtype
    if not isinstance(q, Tensor) and not 0 <= q <= 1:
        raise GdRuntimeError(f"{name}() q must be in the range [0, 1] but got {q}")
    if input.numel() == 0:
        raise GdRuntimeError(f"{name}() input tensor must be non-empty")
    if isinstance(q, Tensor) and q.ndim > 1:
        raise GdRuntimeError(f"{name}() q must be a scalar or 1D tensor")
    if input.array.dtype.kind != "f":
        raise GdRuntimeError(f"{name}() input tensor must be either float or double dtype")
    if isinstance(q, Tensor):
        if q.array.dtype != input.array.dtype:
            raise GdRuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
        qs = q.array.reshape(-1)
        if ((qs < 0) | (qs > 1)).any():
            raise GdRuntimeError(f"{name}() q values must be in the range [0, 1]")
    else:
        qs = np.asarray([q], dtype=input.array.dtype)
    if interpolation not in _MODES:
        raise GdRuntimeError(f"{name}() interpolation must be one of linear, lower, higher, "
                             f"midpoint or nearest, but got {interpolation}")
    return qs


def _quantile(name: str, input: Tensor, q: Any, dim: int | None, keepdim: bool,
              interpolation: str, ignore_nan: bool) -> Tensor:
    qs = _checks("quantile", input, q, interpolation)  # (nanquantile's words too)
    if input.numel() == 0:
        raise GdRuntimeError(f"{name}() input tensor must be non-empty")
    if dim is None:
        s = sort(flatten(input)).values
        shape = (1,) * input.ndim if keepdim else ()
    else:
        d = _wrap_dim(dim, input.ndim)
        s = sort(transpose(unsqueeze(input, -1), d, -1)).values
        shape = tuple(1 if i == d else n for i, n in enumerate(input.shape)) if keepdim \
            else tuple(n for i, n in enumerate(input.shape) if i != d)
    n = s.shape[-1]
    s = reshape(s, (*shape, n))
    t = s.array.dtype.type
    nan = np.isnan(s.array)
    if ignore_nan:
        count = (~nan).sum(-1, keepdims=True)
        ranks = qs * (count - 1).astype(s.array.dtype)
        ranks = np.where(count == 0, t(0), ranks)
    else:
        ranks = np.broadcast_to(qs * t(n - 1), (*shape, qs.size)).copy()
        ranks[np.broadcast_to(nan.any(-1, keepdims=True), ranks.shape)] = t(n - 1)
    ranks = ranks.astype(s.array.dtype)
    if interpolation == "lower":
        ranks = np.floor(ranks)
    elif interpolation == "higher":
        ranks = np.ceil(ranks)
    elif interpolation == "nearest":
        ranks = np.round(ranks)
    below = ranks.astype(np.int64)
    out = gather(s, -1, tensor_from_array(below))
    if interpolation in ("linear", "midpoint"):
        weights = np.full_like(ranks, 0.5) if interpolation == "midpoint" else ranks - below
        above = gather(s, -1, tensor_from_array(np.ceil(ranks).astype(np.int64)))
        out = lerp(out, above, tensor_from_array(weights.astype(s.array.dtype)))
    if not isinstance(q, Tensor) or q.ndim == 0:
        return squeeze(out, -1, dims_variant=True)
    return squeeze(transpose(unsqueeze(out, 0), 0, -1), -1, dims_variant=True)


def quantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,
             interpolation: str = "linear") -> Tensor:
    """The q-th quantiles of input (over all elements, or along dim)."""
    return _quantile("quantile", input, q, dim, keepdim, interpolation, False)


def nanquantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,
                interpolation: str = "linear") -> Tensor:
    """quantile ignoring NaNs (NaN where a row has no other value)."""
    return _quantile("nanquantile", input, q, dim, keepdim, interpolation, True)


expose(quantile, "torch.quantile", "Tensor.quantile", family="statistics")
expose(nanquantile, "torch.nanquantile", "Tensor.nanquantile", family="statistics")
