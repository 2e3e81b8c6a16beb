"""Shape ops: reshape/view, expand, transpose, permute, (un)squeeze, cat, stack,
diag, and gather/scatter along a dim.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, as_one_node, tensor_from_array, torch_type_name
from gradcli.ad.kernels import expanded_view
from gradcli.ad.ops import layout
from gradcli.ad.ops.creation import _as_tensor, _shape_args
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.ad.state import State, check_size, warn
from gradcli.errors import GdRuntimeError


def _infer_shape(shape: tuple[int, ...], numel: int) -> tuple[int, ...]:
    """PyTorch's infer_size: one -1 is inferred; its checks and messages in its order."""
    infer, known = None, 1
    for i, s in enumerate(shape):
        if s == -1:
            if infer is not None:
                raise GdRuntimeError("only one dimension can be inferred")
            infer = i
        elif s >= 0:
            known *= s
        else:
            raise GdRuntimeError(f"invalid shape dimension {s} at index {i} of shape "
                                 f"{list(shape)}")
    if numel == known or (infer is not None and known > 0 and numel % known == 0):
        if infer is None:
            return shape
        if known == 0:
            raise GdRuntimeError(f"cannot reshape tensor of 0 elements into shape {list(shape)}"
                                 " because the unspecified dimension size -1 can be any value "
                                 "and is ambiguous")
        return (*shape[:infer], numel // known, *shape[infer + 1:])
    raise GdRuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")


def reshape(input: Tensor, *args: Any, shape: Any = None) -> Tensor:
    """Reshape (one dim may be -1), as PyTorch's: a contiguous x is viewed (ViewBackward0);
    a non-contiguous x whose strides allow the shape is aliased (ReshapeAliasBackward0);
    otherwise a contiguous clone is viewed (CloneBackward0, then UnsafeViewBackward0)."""
    x = input
    s = _infer_shape(_shape_args(_sizes(args, shape, "reshape", "shape")), x.array.size)
    a = x.array
    if a.flags.c_contiguous:
        return apply(_RULES["reshape"], (x,), {"shape": s})
    if not _needs_copy(a, s):
        return apply(_RULES["reshape"], (x,), {"shape": s, "alias": True})
    return apply(_RULES["reshape"], (contiguous(x),), {"shape": s, "copy": True})


def _needs_copy(a: np.ndarray, shape: tuple[int, ...]) -> bool:
    """Whether no view of a's strides has this shape (PyTorch's view would fail)."""
    try:
        np.reshape(a, shape, copy=False)
    except ValueError:
        return True
    return False


VIEW_MESSAGE = (
    "view size is not compatible with input tensor's size and stride (at least one dimension "
    "spans across two contiguous subspaces). Use .reshape(...) instead.")


def _sizes(args: tuple[Any, ...], given: Any, fn: str, name: str) -> tuple[Any, ...]:
    """The sizes given positionally (`x.view(2, 3)`, `x.view((2, 3))`) or by keyword."""
    if given is None:
        return args
    if args:
        raise GdRuntimeError(f"{fn}() got multiple values for argument '{name}'")
    return (given,)


def view(input: Tensor, *args: Any, size: Any = None) -> Tensor:
    """x.view(shape): reshape, but only as a view of x's strides (PyTorch's error if not)."""
    x = input
    if len(args) == 1 and getattr(args[0], "np", None) is not None:  # x.view(torch.int32)
        return layout.view_dtype(x, args[0])
    s = _infer_shape(_shape_args(_sizes(args, size, "view", "size")), x.array.size)
    a = x.array
    if not (a.flags.c_contiguous or s == a.shape) and _needs_copy(a, s):
        raise GdRuntimeError(VIEW_MESSAGE, hint="x.contiguous().view(...) or x.reshape(...)")
    return apply(_RULES["reshape"], (x,), {"shape": s})


def view_as(input: Tensor, other: Tensor) -> Tensor:
    """x.view(other.shape)."""
    return view(input, other.shape)


def reshape_as(input: Tensor, other: Tensor) -> Tensor:
    """x.reshape(other.shape)."""
    return reshape(input, other.shape)


def is_contiguous(input: Tensor, memory_format: Any = None) -> bool:
    """Whether x's elements are laid out in row-major order (PyTorch's strides rule: dims
    of size 1 do not matter). Transposes, permutes and stepped slices are not."""
    return bool(input.array.flags.c_contiguous)


def contiguous(input: Tensor, memory_format: Any = None) -> Tensor:
    """x itself when contiguous, else a row-major copy that stays in the graph
    (CloneBackward0, as PyTorch's)."""
    x = input
    if x.array.flags.c_contiguous:
        return x
    out = apply(_RULES["clone"], (x,))
    out.array = np.ascontiguousarray(out.array)
    return out


def _wrap_dim(dim: int, ndim: int) -> int:
    """dim in [0, ndim) (a 0-d tensor has the range of a 1-d one), or PyTorch's error."""
    n = ndim or 1
    if not -n <= dim < n:
        raise GdRuntimeError(f"Dimension out of range (expected to be in range of [{-n}, "
                             f"{n - 1}], but got {dim})")
    return dim % n


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims start_dim..end_dim into one."""
    x = input
    shp = x.shape
    n = len(shp)
    s, e = _wrap_dim(start_dim, n), _wrap_dim(end_dim, n)
    if s > e:
        raise GdRuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if not shp:
        return reshape(x, (1,))
    if s == e:
        return x  # PyTorch returns the tensor itself
    mid = 1
    for d in shp[s:e + 1]:
        mid *= d
    return reshape(x, (*shp[:s], mid, *shp[e + 1:]))


def expand(input: Tensor, *args: Any, size: Any = None, implicit: bool = False) -> Tensor:
    """Broadcast to a shape (-1 keeps a dim; `implicit` only marks the broadcast as the
    tracer's, the result is the same)."""
    x = input
    s = _shape_args(_sizes(args, size, "expand", "size"))
    lead = len(s) - x.ndim
    if lead < 0:
        raise GdRuntimeError(
            f"expand({torch_type_name(x)}{{{list(x.shape)}}}, size={list(s)}): the number of "
            f"sizes provided ({len(s)}) must be greater or equal to the number of dimensions "
            f"in the tensor ({x.ndim})")
    s = tuple(x.shape[i - lead] if n == -1 else n for i, n in enumerate(s))
    if s == x.shape and not (x.requires_grad and State.grad_enabled):
        return x  # (PyTorch records ExpandBackward0 even for the same shape)
    if State.light_backward:
        # sum's and mean's VJP broadcast g as a read-only view instead of writing a
        # full-size copy (W3); the engine copies it before handing it out.
        try:
            return tensor_from_array(expanded_view(x.array, s))
        except ValueError:
            pass  # apply reports it in PyTorch's words
    check_size(math.prod(s))  # before numpy materializes the broadcast
    return apply(_RULES["expand"], (x,), {"shape": s})


def expand_as(input: Tensor, other: Tensor) -> Tensor:
    """Broadcast to other's shape."""
    return expand(input, other.shape)


def broadcast_to(input: Tensor, size: Any) -> Tensor:
    """Broadcast to a shape."""
    return expand(input, size)


def sum_to(x: Tensor, shape: tuple[int, ...]) -> Tensor:
    """Sum a broadcast tensor back down to shape."""
    shape = tuple(shape)
    if x.shape == shape:
        return x
    lead = x.ndim - len(shape)
    if lead > 0 and shape and x.requires_grad and State.grad_enabled:
        # Recorded as PyTorch's at::sum_to records it: sum(dims, keepdim=True)
        # (SumBackward1), then a view without the leading dims (ViewBackward0).
        kept = apply(_RULES["sum_to"], (x,), {"shape": (1,) * lead + shape})
        return apply(_RULES["reshape"], (kept,), {"shape": shape})
    return apply(_RULES["sum_to"], (x,), {"shape": shape})


def transpose(input: Tensor, dim0: int, dim1: int, short: bool = False) -> Tensor:
    """Swap two dims."""
    x = input
    if x.ndim < 2 and dim0 in (0, -1) and dim1 in (0, -1):  # (0-d too: TransposeBackward0)
        return apply(_RULES["transpose"], (x,), {"dim0": 0, "dim1": 0, "short": short})
    return apply(_RULES["transpose"], (x,), {"dim0": dim0, "dim1": dim1, "short": short})


def t(input: Tensor) -> Tensor:
    """Transpose of a ≤2-D tensor."""
    x = input
    if x.ndim > 2:
        raise GdRuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    if x.ndim < 2:  # (0-d too: TBackward0)
        return apply(_RULES["transpose"], (x,), {"dim0": 0, "dim1": 0, "short": True})
    return transpose(x, 0, 1, True)


def permute(input: Tensor, *args: Any, dims: Any = None) -> Tensor:
    """Reorder dims."""
    x = input
    d = _shape_args(_sizes(args, dims, "permute", "dims"))
    if len(d) != x.ndim:
        raise GdRuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {x.ndim} is not "
            f"equal to len(dims) = {len(d)}")
    return apply(_RULES["permute"], (x,), {"dims": d})


def T(x: Tensor) -> Tensor:
    """x.T: all dims reversed (PyTorch warns, once, where x is not 2-D or 0-D)."""
    if not x.ndim:
        warn("Tensor.T is deprecated on 0-D tensors. This function is the identity in these "
             "cases.", once=True)
    elif x.ndim != 2:
        warn("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
             "deprecated and it will throw an error in a future release. Consider `x.mT` to "
             "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` "
             "to reverse the dimensions of a tensor.", once=True)
    return permute(x, tuple(range(x.ndim))[::-1])


def squeeze(input: Tensor, dim: Any = None, dims_variant: bool = False) -> Tensor:
    """Drop size-1 dims."""
    x = input
    params: dict[str, Any] = {"dim": dim}
    if dims_variant:
        params["dims_variant"] = True
    return apply(_RULES["squeeze"], (x,), params)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Insert a size-1 dim."""
    x = input
    if -x.ndim - 1 <= dim < 0:  # out of range: the kernel's error names the dim given
        dim += x.ndim + 1
    return apply(_RULES["unsqueeze"], (x,), {"dim": dim})


def unbind_dim(x: Tensor, dim: int) -> int:
    """dim normalized for unbind (PyTorch's IndexError when out of range)."""
    if x.ndim == 0:
        raise GdRuntimeError("Dimension specified as 0 but tensor has no dimensions")
    return _wrap_dim(dim, x.ndim)


def unbind_one(x: Tensor, dim: int, i: int) -> Tensor:
    """The i-th output of x.unbind(dim) (dim normalized): a view with PyTorch's grad_fn
    UnbindBackward0. Iterating a tensor is unbind(0) (Tensor.__iter__), so every iteration
    path makes its items here, one at a time."""
    return apply(_RULES["unbind"], (x,), {"dim": dim, "index": i})


def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """torch.unbind(x, dim) / x.unbind(dim): the slices along dim, as a tuple."""
    x = input
    d = unbind_dim(x, dim)
    out = tuple(unbind_one(x, d, i) for i in range(x.shape[d]))
    as_one_node(out)
    return out


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Concatenate along a dim."""
    ts = tuple(_as_tensor(t) for t in tensors)
    if not ts:
        raise GdRuntimeError("torch.cat(): expected a non-empty list of Tensors",
                             py_type="ValueError")
    return apply(_RULES["cat"], ts, {"dim": dim})


concat = cat


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Stack along a new dim."""
    ts = tuple(_as_tensor(t) for t in tensors)
    if not ts:
        raise GdRuntimeError("stack expects a non-empty TensorList")
    shapes = {t.shape for t in ts}
    if len(shapes) > 1:
        raise GdRuntimeError(
            f"stack expects each tensor to be equal size, but got {list(ts[0].shape)} at entry 0 "
            f"and {list(next(t.shape for t in ts if t.shape != ts[0].shape))} at entry "
            f"{next(i for i, t in enumerate(ts) if t.shape != ts[0].shape)}")
    return apply(_RULES["stack"], ts, {"dim": dim})


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """Matrix from a vector's diagonal, or a matrix's diagonal."""
    x = input
    if x.ndim == 1:
        n = x.shape[0] + (diagonal if diagonal >= 0 else -diagonal)  # (ops.abs shadows abs)
        check_size(n * n)
    return apply(_RULES["diag"], (x,), {"diagonal": diagonal, "embed": x.ndim == 1})


def diag_transpose(g: Tensor, shape: tuple[int, ...], diagonal: int) -> Tensor:
    """The transpose of diag: back from a diagonal (or matrix) to `shape`."""
    if len(shape) == 1:
        return diag(g, diagonal)
    return apply(_RULES["diag_embed_like"], (g,), {"shape": tuple(shape), "diagonal": diagonal})


def take_along(x: Tensor, index: np.ndarray, dim: int, keepdim: bool) -> Tensor:
    """Values at indices along a dim."""
    return apply(_RULES["take_along"], (x,), {"index": index, "dim": dim, "keepdim": keepdim})


def scatter_along(g: Tensor, shape: tuple[int, ...], index: np.ndarray, dim: int,
                  keepdim: bool) -> Tensor:
    """Zeros of shape with g placed at indices along a dim."""
    return apply(_RULES["scatter_along"], (g,),
                 {"shape": shape, "index": index, "dim": dim, "keepdim": keepdim})


def flip(x: Tensor, *dims: Any, **kwargs: Any) -> Tensor:
    """x.flip(dims) / x.flip(d0, d1, …): a copy with the order of the elements along
    each of dims reversed (FlipBackward0). reversed(x) is x.flip(0)."""
    for k in kwargs:
        if k != "dims":
            raise GdRuntimeError(f"flip() got an unexpected keyword argument '{k}'")
        if dims:
            raise GdRuntimeError("flip() got multiple values for argument 'dims'")
        dims = (kwargs["dims"],)
    if not dims:
        raise GdRuntimeError('flip() missing 1 required positional arguments: "dims"')
    wrapped: list[int] = []
    for d in _shape_args(dims):
        w = _wrap_dim(d, x.ndim)
        if w in wrapped:
            raise GdRuntimeError(f"dim {w} appears multiple times in the list of dims")
        wrapped.append(w)
    return apply(_RULES["flip"], (x,), {"dims": tuple(wrapped)})


def torch_flip(input: Tensor, dims: Any) -> Tensor:
    """torch.flip(x, dims): dims a tuple or list of ints."""
    if not isinstance(dims, (tuple, list)):
        raise GdRuntimeError("flip(): argument 'dims' (position 2) must be tuple of ints, "
                             f"not {type(dims).__name__}")
    return flip(input, dims)


# -- PyTorch spellings ------------------------------------------------------------------

for _name in ("reshape", "flatten", "transpose", "t", "permute", "squeeze", "unsqueeze", "unbind",
              "diag"):
    expose(globals()[_name], f"torch.{_name}", f"Tensor.{_name}", family="shape")
for _name in ("view", "view_as", "reshape_as", "is_contiguous", "expand", "expand_as", "flip"):
    expose(globals()[_name], f"Tensor.{_name}", family="shape")
expose(contiguous, "Tensor.contiguous", family="shape")
expose(torch_flip, "torch.flip", family="shape")
expose(cat, "torch.cat", "torch.concat", family="shape")
expose(stack, "torch.stack", family="shape")
expose(broadcast_to, "torch.broadcast_to", family="shape")
expose(lambda input, *size: expand(input, *size), "Tensor.broadcast_to", family="shape")
