"""In-place view ops: x.t_(), x.transpose_(0, 1), x.swapdims_(...), x.unsqueeze_(0),
x.squeeze_(), x.resize_(...): the tensor itself takes the view's shape.

The view is computed as usual; the tensor then holds its data (the same storage) and,
under autograd, its node, named as PyTorch names the in-place variant (TBackward1,
TransposeBackward1, UnsqueezeBackward1, SqueezeBackward3/4/5). A leaf that requires grad
refuses, as in PyTorch.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, bump_version, view_mode_message
from gradcli.ad.ops import layout
from gradcli.ad.ops.creation import _shape_args
from gradcli.ad.ops.surface import SURFACE, expose
from gradcli.ad.state import State, check_size
from gradcli.errors import GdRuntimeError

_LEAF = "a leaf Variable that requires grad is being used in an in-place operation."


def _alias(t: Tensor) -> Tensor:
    """t itself, or (t in a graph, or a view) a tensor standing for t as it is now, for
    the view's node to keep as its input and (t a view) for the chain of views from t's
    base: t's own shape is about to change."""
    if t.grad_fn is None and t._view is None:
        return t
    a = Tensor.__new__(Tensor)
    a.array, a.requires_grad, a.grad, a.grad_fn = t.array, t.requires_grad, None, t.grad_fn
    a._vc, a._view, a._tangent = t._vc, t._view, None
    if hasattr(t, "view_mode"):
        a.view_mode = t.view_mode
    return a


def _in_place(view: str, offset: int) -> Callable[..., Tensor]:
    def op(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        if hasattr(self, "view_mode") and self.requires_grad and State.grad_enabled:
            raise GdRuntimeError(view_mode_message(self, indirect=False))
        if self.requires_grad and self.grad_fn is None and State.grad_enabled:
            raise GdRuntimeError(_LEAF)
        was_view = self._view is not None
        result = SURFACE[view](_alias(self), *args, **kwargs)
        self.array = result.array
        bump_version(self)
        # A view stays a view of its base (through the op); autograd follows its own node.
        self._view = ((*result._view[:3], self._vc[0])
                      if was_view and result._view is not None else None)
        node = result.grad_fn
        if node is not None:
            stem = node.name.rstrip("0123456789")
            node.name = f"{stem}{int(node.name[len(stem):]) + offset}"
            if node.out is result:  # the node's output is now the tensor itself
                node.out, node.out_version = self, self._vc[0]
            self.grad_fn = node
        return self

    op.__name__ = view.rpartition(".")[2] + "_"
    op.__doc__ = f"x.{op.__name__}(...): x becomes x.{view.rpartition('.')[2]}(...)"
    return op


def _storage(a: np.ndarray) -> np.ndarray | None:
    """The flat storage the array views (its root array, in memory order), or None when
    that is not one flat run of this dtype's elements."""
    root = a
    while isinstance(root.base, np.ndarray):
        root = root.base
    if root.dtype != a.dtype or not (root.flags.c_contiguous or root.flags.f_contiguous):
        return None
    return root.ravel(order="K")


def resize_(self: Tensor, *sizes: Any, memory_format: Any = None) -> Tensor:
    """x.resize_(*sizes): as PyTorch, x becomes a contiguous tensor of that shape over its
    storage from its storage offset (a view's elements in storage order, not its own); the
    same shape leaves x as it is; a storage too small grows (new elements are 0)."""
    if self.requires_grad:
        raise GdRuntimeError("cannot resize variables that require grad")
    shape = _shape_args(sizes)
    for n in shape:
        if n < 0:
            raise GdRuntimeError(f"Trying to create tensor with negative dimension {n}: "
                                 f"{list(shape)}")
    fmt = None
    if memory_format is not None:
        from gradcli.ad.ops import memory_format as MF
        fmt = MF._format("resize_", memory_format)
        if fmt is MF.PRESERVE:
            raise GdRuntimeError("Unsupported memory formatPreserve")
        MF._check_rank(fmt, len(shape))
        fmt = None if fmt is MF.CONTIGUOUS else fmt
    if tuple(shape) == self.array.shape and fmt is None:
        return self
    n = math.prod(shape)
    check_size(n)
    a = self.array
    flat = _storage(a)
    if flat is None:
        flat, start = a.reshape(-1), 0
    else:
        start = layout.storage_offset(self)
    # channels-last: the storage read in (N, spatial..., C) order
    order = shape if fmt is None else (shape[0], *shape[2:], shape[1])
    if start + n <= flat.size:
        out = flat[start:start + n].reshape(order)
    else:
        data = np.zeros(n, a.dtype)
        kept = flat[start:start + n]
        data[:kept.size] = kept
        out = data.reshape(order)
    self.array = out if fmt is None else np.moveaxis(out, -1, 1)
    bump_version(self)
    return self


def resize_as_(self: Tensor, other: Tensor, memory_format: Any = None) -> Tensor:
    """x.resize_as_(y): x.resize_(y.shape)."""
    return resize_(self, other.array.shape)


for _view, _offset in (("Tensor.t", 1), ("Tensor.transpose", 1), ("Tensor.swapdims", 1),
                       ("Tensor.swapaxes", 1), ("Tensor.unsqueeze", 1), ("Tensor.squeeze", 3)):
    expose(_in_place(_view, _offset), _view + "_", family="shape")
expose(resize_, "Tensor.resize_", family="shape")
expose(resize_as_, "Tensor.resize_as_", family="shape")
