"""Counting and bucketing (no derivatives): bincount, histc, bucketize, searchsorted,
with PyTorch's dtypes, argument checks and messages."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.kernels.messages import not_implemented
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.ranges import linspace
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.errors import GdRuntimeError


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """How often each value 0, 1, ... occurs in a 1-D non-negative integer tensor (or the
    sum of its weights)."""
    x = input.array
    if x.dtype.kind == "f":
        raise GdRuntimeError(str(not_implemented("bincount_cpu", x.dtype)))
    if minlength < 0:
        raise GdRuntimeError("minlength should be >= 0")
    if x.ndim != 1 or x.dtype.kind == "b" or (x.size and x.min() < 0):
        raise GdRuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is None:
        return tensor_from_array(np.bincount(x, minlength=minlength).astype(np.int64))
    w = _as_tensor(weights).array
    if w.ndim != 1 or w.shape[0] != x.shape[0]:
        raise GdRuntimeError("weights should be 1-d and have the same length as input")
    return apply(_RULES["bincount"], (input, _as_tensor(weights)), {"minlength": minlength})


def _nan_text(v: float) -> str:
    if v != v:
        return "-nan" if np.signbit(v) else "nan"
    return f"{v:g}"


def histc(input: Tensor, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:
    """A histogram of equal-width bins over [min, max] (the data's range when equal)."""
    x = input.array
    if x.dtype.kind != "f":
        raise GdRuntimeError(str(not_implemented("histogram_cpu", x.dtype)))
    if bins <= 0:
        raise GdRuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for "
                             "dimension 0")
    lo, hi = float(min), float(max)
    if lo == hi and x.size:
        lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise GdRuntimeError(f"torch.histc: range of [{_nan_text(lo)}, {_nan_text(hi)}] is "
                             "not finite")
    if lo > hi:
        raise GdRuntimeError("torch.histc: max must be larger than min")
    edges = linspace(lo, hi, bins + 1, dtype=x.dtype).array
    t = x.dtype.type
    flat = x.reshape(-1)
    flat = flat[(flat >= t(lo)) & (flat <= t(hi))]
    pos = ((flat - t(lo)) * t(bins) / (t(hi) - t(lo))).astype(np.int64)
    pos = np.minimum(pos, bins - 1)
    pos = np.where(edges[pos] > flat, pos - 1, pos)
    pos = np.where((pos + 1 < bins) & (edges[np.minimum(pos + 1, bins)] <= flat), pos + 1, pos)
    return tensor_from_array(np.bincount(pos, minlength=bins).astype(x.dtype))


def _side(right: bool, side: str | None) -> str:
    if side is not None:
        if side not in ("left", "right"):
            raise GdRuntimeError("torch.searchsorted(): side can only be 'left' or 'right' but "
                                 f"got {side}")
        if right and side == "left":
            raise GdRuntimeError("torch.searchsorted(): side and right can't be set to "
                                 "opposites, got side of left while right was True")
        return side
    return "right" if right else "left"


def _indices(found: np.ndarray, out_int32: bool) -> Tensor:
    return tensor_from_array(np.asarray(found, np.int32 if out_int32 else np.int64))


def searchsorted(sorted_sequence: Tensor, input: Any, *, out_int32: bool = False,
                 right: bool = False, side: str | None = None,
                 sorter: Tensor | None = None) -> Tensor:
    """Where each value would go in the sorted innermost rows of sorted_sequence."""
    how = _side(right, side)
    seq = sorted_sequence.array
    scalar = not isinstance(input, Tensor)
    values = np.asarray(input) if scalar else input.array
    if sorter is not None:
        seq = np.take_along_axis(seq, sorter.array, -1)
    if seq.ndim == 1:
        return _indices(np.searchsorted(seq, values, side=how), out_int32)
    if scalar or seq.shape[:-1] != values.shape[:-1]:
        raise GdRuntimeError(
            "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
            "dimensions of boundaries tensor and input value tensor must match, but we got "
            f"boundaries tensor {list(seq.shape)} and input value tensor "
            f"{list(values.shape)}")
    lead = math.prod(seq.shape[:-1])  # explicit: reshape(-1, 0) is ambiguous
    rows_s = seq.reshape(lead, seq.shape[-1])
    rows_v = values.reshape(lead, values.shape[-1])
    found = np.array([np.searchsorted(s, v, side=how) for s, v in zip(rows_s, rows_v,
                                                                       strict=True)],
                     dtype=np.int64).reshape(lead, values.shape[-1])
    return _indices(found.reshape(values.shape), out_int32)


def bucketize(input: Any, boundaries: Tensor, *, out_int32: bool = False,
              right: bool = False) -> Tensor:
    """The index of the bucket of boundaries each value falls in."""
    if boundaries.ndim != 1:
        raise GdRuntimeError(f"boundaries tensor must be 1 dimension, but got "
                             f"dim({boundaries.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


expose(bincount, "torch.bincount", "Tensor.bincount", family="statistics")
expose(histc, "torch.histc", "Tensor.histc", family="statistics")
expose(bucketize, "torch.bucketize", family="statistics")
expose(searchsorted, "torch.searchsorted", family="statistics")
