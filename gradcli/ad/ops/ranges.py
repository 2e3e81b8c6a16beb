"""The ranges: arange, range, linspace and logspace, with the values of PyTorch's CPU range
kernels (bit for bit; see the note below).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import vecmath as VM
from gradcli.ad.ops.creation import (
    _creation_dtype,
    _leaf,
    _num,
    _on_cpu,
)
from gradcli.ad.ops.devices import torch_error
from gradcli.ad.ops.surface import expose
from gradcli.ad.state import check_size, warn
from gradcli.errors import GdRuntimeError

# PyTorch's CPU range kernels (aten/src/ATen/native/cpu/RangeFactoriesKernel.cpp), as
# compiled for AVX2: values are computed with a fused multiply-add in double (arange) or
# in the output dtype (linspace); arange's vectorised loop takes blocks of two vectors
# (4 doubles or 8 floats each) whose lanes step from a base rounded to the output dtype,
# then a scalar tail; the work is split in at::parallel_for chunks (grain 32768, one per
# thread) that each restart that pattern. Mirrored here with numpy, no per-element Python.

_GRAIN_SIZE = 32768


def _split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = 134217729.0 * a  # 2^27 + 1: Dekker's split of a double into two 26-bit halves
    hi = c - (c - a)
    return hi, a - hi


def _fma(a: Any, b: Any, c: Any) -> np.ndarray:
    """a·b + c rounded once, in double (error-free product and sum, then one rounding)."""
    a, b, c = (np.asarray(v, dtype=np.float64) for v in (a, b, c))
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl  # a·b = p + e exactly
    s = p + c
    bb = s - p
    t = (p - (s - bb)) + (c - bb)  # p + c = s + t exactly
    with np.errstate(invalid="ignore"):
        out = s + (t + e)
    # inf/nan inputs: the plain expression's value (the error terms are nan there).
    return np.where(np.isfinite(out), out, s)


def _fma_in(dt: np.dtype, a: Any, b: Any, c: Any) -> np.ndarray:
    """fma in dtype dt: a float32 product is exact in double, so one sum and a cast."""
    if dt == dtypes.float32:
        a, b, c = (np.asarray(v, dtype=np.float64) for v in (a, b, c))
        return (a * b + c).astype(dt)
    return _fma(a, b, c)


def _arange_chunk(start: float, step: float, begin: int, end: int, dt: np.dtype) -> np.ndarray:
    lanes = 4 if dt == dtypes.float64 else 8
    n = end - begin
    nb = n // (2 * lanes) * (2 * lanes)
    out = np.empty(n, dt)
    base = _fma(step, np.arange(begin, begin + nb, lanes, dtype=np.float64), start)
    base = base.astype(dt).astype(np.float64)  # Vectorized<T>::arange takes a T base
    lane = np.arange(lanes, dtype=np.float64)
    out[:nb] = _fma(lane[None, :], step, base[:, None]).reshape(-1).astype(dt)
    out[nb:] = _fma(step, np.arange(begin + nb, end, dtype=np.float64), start).astype(dt)
    return out


def _arange_float(start: float, step: float, n: int, dt: np.dtype) -> np.ndarray:
    tasks = max(1, min(VM.threads(), -(-n // _GRAIN_SIZE)))
    chunk = max(1, -(-n // tasks))
    parts = [_arange_chunk(start, step, b, min(n, b + chunk), dt) for b in range(0, n, chunk)]
    return np.concatenate(parts) if parts else np.empty(0, dt)


def arange(start: Any, end: Any = None, step: Any = 1, dtype: Any = None,
           requires_grad: bool = False, **_: Any) -> Tensor:
    """Evenly spaced values in [start, end), PyTorch's values bit for bit."""
    start, end, step = _num(start), _num(end), _num(step)
    if end is None:
        start, end = 0, start
    all_int = all(isinstance(v, int) for v in (start, end, step))
    dt = _creation_dtype(dtype, dtypes.int64 if all_int else None)
    if dt == dtypes.boolean:
        raise torch_error('"arange_cpu" not implemented for \'Bool\'', "NotImplementedError")
    if dt.kind != "f":  # an integer dtype: PyTorch truncates the bounds and step first
        start, end, step = (math.trunc(v) if math.isfinite(v) else v
                            for v in (start, end, step))
    if step == 0:
        raise GdRuntimeError("step must be nonzero")
    for v in (start, end):
        if not math.isfinite(v):
            raise GdRuntimeError(f"unsupported range: {start} -> {end}")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise GdRuntimeError("upper bound and lower bound inconsistent with step sign")
    n = math.ceil((float(end) - float(start)) / float(step))
    check_size(n)
    if dt.kind != "f":
        a = (start + step * np.arange(n, dtype=np.int64)).astype(dt)
    else:
        a = _arange_float(float(start), float(step), n, dt)
    return _leaf(a, requires_grad)


def range_(start: Any, end: Any, step: Any = 1, dtype: Any = None, requires_grad: bool = False,
           **_: Any) -> Tensor:
    """The deprecated torch.range: [start, end] inclusive, start + i·step in double cast to
    the dtype (the default float dtype, whatever the bounds)."""
    warn("torch.range is deprecated and will be removed in a future release because its "
         "behavior is inconsistent with Python's range builtin. Instead, use torch.arange, "
         "which produces values in [start, end).")
    start, end, step = float(_num(start)), float(_num(end)), float(_num(step))
    dt = _creation_dtype(dtype)
    if step == 0:
        raise GdRuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise GdRuntimeError(f"unsupported range: {start} -> {end}")
    if not ((step > 0 and end >= start) or (step < 0 and end <= start)):
        raise GdRuntimeError("upper bound and lower bound inconsistent with step sign")
    n = int((end - start) / step + 1)
    check_size(n)
    return _leaf((start + np.arange(n, dtype=np.float64) * step).astype(dt), requires_grad)


def linspace(start: Any, end: Any, steps: int, dtype: Any = None, requires_grad: bool = False,
             **_: Any) -> Tensor:
    """steps values evenly spaced from start to end, inclusive, PyTorch's bit for bit:
    the first half counted up from start, the second half down from end, with a fused
    multiply-add in the output dtype (in double, truncated, for integer dtypes)."""
    start, end = _num(start), _num(end)
    steps = int(_num(steps))
    if steps < 0:
        raise GdRuntimeError("number of steps must be non-negative")
    check_size(steps)
    dt = _creation_dtype(dtype)
    if dt == dtypes.boolean:
        raise torch_error('"linspace_cpu" not implemented for \'Bool\'', "NotImplementedError")
    if steps == 0:
        return _leaf(np.empty(0, dt), requires_grad)
    if dt.kind == "f":
        s, e = np.asarray(start, dt), np.asarray(end, dt)
        if steps == 1:
            return _leaf(s.reshape(1), requires_grad)
        step = (e - s) / np.asarray(steps - 1, dt)  # in the output dtype
        calc = dt
    else:
        s, e = np.asarray(math.trunc(start), np.float64), np.asarray(math.trunc(end), np.float64)
        if steps == 1:
            return _leaf(s.reshape(1).astype(dt), requires_grad)
        step = (e - s) / (steps - 1)
        calc = dtypes.float64
    i = np.arange(steps, dtype=np.int64)
    half = steps // 2
    up = _fma_in(calc, step, i[:half].astype(calc), s)
    down = _fma_in(calc, -step, (steps - 1 - i[half:]).astype(calc), e)
    return _leaf(np.concatenate([up, down]).astype(dt), requires_grad)


def logspace(start: Any, end: Any, steps: int, base: float = 10.0, dtype: Any = None,
             requires_grad: bool = False, **_: Any) -> Tensor:
    """base ** linspace(start, end, steps): PyTorch's exponents (the first half counted
    from start, the second from end) and its dtype rules. The power is numpy's, so a
    float32 value may differ from PyTorch's vectorised pow in the last bit."""
    dt = _creation_dtype(dtype)
    if dt == dtypes.boolean:
        raise torch_error('"logspace_cpu" not implemented for \'Bool\'', "NotImplementedError")
    exponents = linspace(start, end, steps, dtype=dtypes.float64 if dt.kind != "f" else dt)
    b = np.asarray(_num(base), exponents.array.dtype)
    values = np.power(b, exponents.array)
    if dt.kind != "f":
        values = np.trunc(values)
    return _leaf(values.astype(dt), requires_grad)


for _name in ("arange", "linspace", "logspace"):
    expose(_on_cpu(globals()[_name]), f"torch.{_name}", family="creation")
expose(_on_cpu(range_), "torch.range", family="creation")
