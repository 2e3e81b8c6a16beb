"""x.apply_(fn), x.map_(other, fn), x.map2_(a, b, fn): a program's function called on each
element as a Python number (slow by design, as PyTorch documents them), the results
written into x's memory as a C cast would (no version bump, as in PyTorch)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, torch_type_name
from gradcli.ad.ops.shape import expand
from gradcli.ad.ops.surface import expose
from gradcli.errors import GdRuntimeError


def _number(v: Any, kind: str) -> Any:
    if type(v) not in (int, float, bool) and not isinstance(v, (int, float)):
        raise GdRuntimeError(f"must be real number, not {type(v).__name__}",
                             py_type="TypeError")
    if kind == "b":
        return bool(v)
    if kind in "iu":
        return int(v)  # a C cast: toward zero
    return float(v)


def _run(x: Tensor, op: str, fn: Any, others: tuple[Tensor, ...]) -> Tensor:
    if x.requires_grad:
        raise GdRuntimeError(f"Can't call {op}() on Variable that requires grad. Use "
                             f"var.detach().{op}() instead.")
    if not callable(fn):
        raise GdRuntimeError(f"'{type(fn).__name__}' object is not callable",
                             py_type="TypeError")
    call: Callable[..., Any] = fn
    kind = x.array.dtype.kind
    columns = [x.array.reshape(-1).tolist()]
    for o in others:
        if type(o) is not Tensor:
            raise GdRuntimeError(f"{op}(): argument must be Tensor, not {type(o).__name__}",
                                 py_type="TypeError")
        if o.array.dtype != x.array.dtype:
            raise GdRuntimeError(f"{op}: expected {torch_type_name(x)} for 'other' (got "
                                 f"{torch_type_name(o)})", py_type="TypeError")
        columns.append(expand(o, x.shape).array.reshape(-1).tolist())
    values = [_number(call(*args), kind) for args in zip(*columns, strict=True)]
    dt = x.array.dtype
    wide = np.float64 if kind == "f" else (np.bool_ if kind == "b" else np.int64)
    out = np.array(values, dtype=wide).reshape(x.shape)
    if dt == np.float16:  # c10::Half is built from a float
        out = out.astype(np.float32)
    x.array[...] = out.astype(dt)
    return x


def apply_(self: Tensor, callable: Any) -> Tensor:
    """Each element replaced by callable(element) (in place; the function gets a number)."""
    return _run(self, "apply_", callable, ())


def map_(self: Tensor, tensor: Tensor, callable: Any) -> Tensor:
    """Each element replaced by callable(element, other's element); other broadcasts."""
    return _run(self, "map_", callable, (tensor,))


def map2_(self: Tensor, x: Tensor, y: Tensor, callable: Any) -> Tensor:
    """Each element replaced by callable(element, x's element, y's element)."""
    return _run(self, "map2_", callable, (x, y))


expose(apply_, "Tensor.apply_", family="elementwise")
expose(map_, "Tensor.map_", family="elementwise")
expose(map2_, "Tensor.map2_", family="elementwise")
