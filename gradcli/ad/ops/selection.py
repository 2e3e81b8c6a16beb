"""Selection ops: gather/scatter along a dim, index_select/index_add/index_copy/index_fill,
masked_fill/masked_scatter/masked_select, take/take_along_dim, index_put, nonzero,
argwhere and unique (PyTorch's functions, methods and in-place methods)."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad import kernels as K
from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.inplace import inplace_of, record_inplace
from gradcli.ad.kernels import indexing as KI
from gradcli.ad.kernels.messages import c_type_name
from gradcli.ad.ops import backward as B
from gradcli.ad.ops.creation import _as_tensor, _num, checked_scalar
from gradcli.ad.ops.elementwise import nonzero, to_dtype, where
from gradcli.ad.ops.indexing import index_put_raw
from gradcli.ad.ops.shape import _wrap_dim, expand, reshape
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError


def _index(index: Any, fn: str, position: int, name: str = "index") -> np.ndarray:
    """An index tensor's array, or PyTorch's TypeError for anything else."""
    if type(index) is not Tensor:
        raise GdRuntimeError(f"{fn}(): argument '{name}' (position {position}) must be Tensor, "
                             f"not {type(index).__name__}")
    return index.array


def _float_value(x: Tensor, value: Any) -> Any:
    return float(value) if x.dtype.kind == "f" else value


# -- gather / scatter ------------------------------------------------------------------

def gather(input: Tensor, dim: int, index: Tensor, sparse_grad: bool = False) -> Tensor:
    """out[i][j] = input[index[i][j]][j] for dim 0: values picked along dim (GatherBackward0)."""
    idx = _index(index, "gather", 3)
    if sparse_grad and getattr(input, "requires_grad", False):
        # PyTorch's gradient is then a sparse COO tensor (printed, used, as sparse)
        raise GdRuntimeError("gather's sparse gradients (sparse_grad=True) are not "
                             "supported by gradcli")
    return gather_raw(input, _wrap_dim(dim, input.ndim), idx)


def gather_raw(x: Tensor, dim: int, index: np.ndarray) -> Tensor:
    """gather with a wrapped dim and an index array (the rules' form)."""
    return apply(_RULES["gather"], (x,), {"index": index, "dim": dim})


def scatter(input: Tensor, dim: int, index: Tensor, src: Any = None, value: Any = None,
            reduce: str | None = None) -> Tensor:
    """A copy of input with src's values (or value) written at index along dim
    (ScatterBackward0; a number: ScatterBackward1). reduce='add'/'multiply' combine."""
    idx = _index(index, "scatter", 3)
    d = _wrap_dim(dim, input.ndim)
    if src is None and value is None:
        raise GdRuntimeError("scatter() missing 1 required positional argument: 'src'")
    if reduce is not None and reduce not in ("add", "multiply"):
        raise GdRuntimeError("reduce argument must be either add or multiply.")
    if type(src) is Tensor:
        return scatter_raw(input, d, idx, src, reduce)
    v = _num(src if value is None else value)
    return apply(_RULES["scatter_value"], (input,),
                 {"index": idx, "dim": d, "value": _float_value(input, v), "reduce": reduce})


def scatter_raw(x: Tensor, dim: int, index: np.ndarray, src: Tensor,
                reduce: str | None = None) -> Tensor:
    """scatter of a tensor src with a wrapped dim and an index array."""
    return apply(_RULES["scatter"], (x, src), {"index": index, "dim": dim, "reduce": reduce})


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of input with src's values added at index along dim (ScatterAddBackward0)."""
    idx = _index(index, "scatter_add", 3)
    return scatter_add_raw(input, _wrap_dim(dim, input.ndim), idx, _as_tensor(src))


def scatter_add_raw(x: Tensor, dim: int, index: np.ndarray, src: Tensor) -> Tensor:
    """scatter_add with a wrapped dim and an index array."""
    return apply(_RULES["scatter_add"], (x, src), {"index": index, "dim": dim})


_REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")


def scatter_reduce(input: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str,
                   include_self: bool = True) -> Tensor:
    """src reduced into input at index along dim: 'sum', 'prod', 'mean', 'amax' or 'amin'
    (ScatterReduceBackward0)."""
    idx = _index(index, "scatter_reduce", 3)
    reduce = {"max": "amax", "min": "amin"}.get(reduce, reduce)  # PyTorch's old names
    if reduce not in _REDUCTIONS:
        raise GdRuntimeError("reduce argument must be either sum, prod, mean, amax or amin, "
                             f"got {reduce}")
    return apply(_RULES["scatter_reduce"], (input, _as_tensor(src)),
                 {"index": idx, "dim": _wrap_dim(dim, input.ndim), "reduce": reduce,
                  "include_self": bool(include_self)})


def index_reduce(input: Tensor, dim: int, index: Tensor, source: Tensor, reduce: str, *,
                 include_self: bool = True) -> Tensor:
    """source's slices reduced into input at index along dim: 'prod', 'mean', 'amax' or
    'amin' (IndexReduceBackward0): scatter_reduce with the index spread over source."""
    warn("index_reduce() is in beta and the API may change at any time.", once=True)
    idx = _index(index, "index_reduce", 3)
    if reduce not in _REDUCTIONS[1:]:
        raise GdRuntimeError("index_reduce(): Expected reduce to be one of prod, mean, amax or "
                             f"amin but got {reduce}.")
    if idx.dtype.kind not in "iu" or idx.dtype.itemsize < 4:
        raise GdRuntimeError("index_reduce_(): Expected dtype int32/int64 for index but got: "
                             f"{K.scalar_name(idx.dtype)}")
    src = _as_tensor(source)
    d = _wrap_dim(dim, input.ndim)
    n = src.shape[d] if src.ndim else 1
    if idx.ndim > 1 or idx.size != n:
        raise GdRuntimeError(f"index_reduce_(): Number of indices ({idx.size}) should be equal "
                             f"to source.size(dim): ({n}), for dim: {d}")
    size = input.shape[d] if input.ndim else 1
    if idx.size and (idx.min() < -size or idx.max() >= size):
        raise GdRuntimeError("index out of range in self", py_type="IndexError")
    shape = [1] * src.ndim
    if src.ndim:
        shape[d] = n
    spread = np.broadcast_to(np.where(idx < 0, idx + size, idx).reshape(shape), src.shape)
    return apply(_RULES["index_reduce"], (input, src),
                 {"index": np.ascontiguousarray(spread), "dim": d, "reduce": reduce,
                  "include_self": bool(include_self)})


# -- index_* along a dim ---------------------------------------------------------------

def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """input's slices at index along dim (IndexSelectBackward0)."""
    idx = _index(index, "index_select", 3)
    return index_select_raw(input, _wrap_dim(dim, input.ndim), idx)


def index_select_raw(x: Tensor, dim: int, index: np.ndarray) -> Tensor:
    """index_select with a wrapped dim and an index array."""
    return apply(_RULES["index_select"], (x,), {"index": index, "dim": dim})


def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, alpha: Any = 1) -> Tensor:
    """input with alpha · source's slices added at index along dim (IndexAddBackward0)."""
    idx = _index(index, "index_add", 3)
    return index_add_raw(input, _wrap_dim(dim, input.ndim), idx, _as_tensor(source), alpha)


def index_add_raw(x: Tensor, dim: int, index: np.ndarray, source: Tensor,
                  alpha: Any = 1) -> Tensor:
    """index_add with a wrapped dim and an index array."""
    return apply(_RULES["index_add"], (x, source),
                 {"index": index, "dim": dim, "alpha": _num(alpha)})


def index_copy(input: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """input with source's slices written at index along dim (IndexCopyBackward0)."""
    idx = _index(index, "index_copy", 3)
    return apply(_RULES["index_copy"], (input, _as_tensor(source)),
                 {"index": idx, "dim": _wrap_dim(dim, input.ndim)})


def index_fill(input: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
    """input with value written at index along dim (IndexFillBackward0; a 0-dim tensor
    value: IndexFillBackward1)."""
    idx = _index(index, "index_fill", 3)
    d = _wrap_dim(dim, input.ndim)
    if type(value) is Tensor:
        if value.ndim:
            raise GdRuntimeError("index_fill_ only supports a 0-dimensional value tensor, but "
                                 f"got tensor with {value.ndim} dimension(s).")
        # PyTorch's derivative for value sums grad over the distinct indices only.
        return apply(_RULES["index_fill_tensor"], (input, value),
                     {"index": idx, "dim": d, "once": np.unique(idx.reshape(-1))})
    return index_fill_raw(input, d, idx, _float_value(input, _num(value)))


def index_fill_raw(x: Tensor, dim: int, index: np.ndarray, value: Any) -> Tensor:
    """index_fill of a number with a wrapped dim and an index array."""
    return apply(_RULES["index_fill"], (x,), {"index": index, "dim": dim, "value": value})


# -- masks -----------------------------------------------------------------------------

def _mask(mask: Any, fn: str) -> Tensor:
    m = _as_tensor(mask)
    if m.dtype != np.bool_:  # masked_fill_ names the C type, masked_scatter_ the scalar type
        name = (c_type_name(m.dtype) if fn == "masked_fill_" else K.scalar_name(m.dtype))
        raise GdRuntimeError(f"{fn} only supports boolean masks, but got mask with dtype "
                             f"{name}")
    return m


def masked_fill(input: Tensor, mask: Any, value: Any) -> Tensor:
    """input with value where mask (MaskedFillBackward0; a 0-dim tensor value:
    MaskedFillBackward1)."""
    m = _mask(mask, "masked_fill_")
    message = K.broadcast_message(m.array, input.array)  # the mask is torch's tensor a
    if message is not None:
        raise GdRuntimeError(message)
    if type(value) is Tensor:
        if value.ndim:
            raise GdRuntimeError("masked_fill_ only supports a 0-dimensional value tensor, "
                                 f"but got tensor with {value.ndim} dimension(s).")
        out_shape = np.broadcast_shapes(m.shape, input.shape)
        x = input if out_shape == input.shape else expand(input, out_shape)
        return B.masked_fill_value(x, m, to_dtype(value, input.dtype)
                                   if value.dtype != input.dtype else value)
    v = checked_scalar(value, input.dtype)
    if input.dtype.kind == "f" and np.broadcast_shapes(m.shape, input.shape) == input.shape:
        return B.masked_fill(input, m, v)
    return where(m, tensor_from_array(np.asarray(v, dtype=input.dtype)), input)


def masked_scatter(input: Tensor, mask: Any, source: Tensor) -> Tensor:
    """input with source's first elements written where mask, in order
    (MaskedScatterBackward0)."""
    m = _mask(mask, "masked_scatter_")
    message = K.broadcast_message(input.array, m.array)
    if message is not None:
        raise GdRuntimeError(message)
    return masked_scatter_raw(input, m.array, _as_tensor(source))


def masked_scatter_raw(x: Tensor, mask: np.ndarray, source: Tensor) -> Tensor:
    """masked_scatter with a mask array."""
    return apply(_RULES["masked_scatter"], (x, source), {"mask": mask})


def masked_select(input: Tensor, mask: Any) -> Tensor:
    """The elements of input where mask, as a 1-D tensor (MaskedSelectBackward0)."""
    m = _as_tensor(mask)
    message = K.broadcast_message(m.array, input.array)  # the mask is torch's tensor a
    if message is not None:
        raise GdRuntimeError(message)
    shape = np.broadcast_shapes(input.shape, m.shape)
    return masked_select_raw(input, np.broadcast_to(m.array, shape))


def masked_select_raw(x: Tensor, mask: np.ndarray) -> Tensor:
    """masked_select with a mask array of the broadcast shape."""
    return apply(_RULES["masked_select"], (x,), {"mask": mask})


# -- take, put and index_put -----------------------------------------------------------

def take(input: Tensor, index: Tensor) -> Tensor:
    """input's elements at flat indices, in index's shape (TakeBackward0)."""
    return take_raw(input, _index(index, "take", 2))


def take_raw(x: Tensor, index: np.ndarray) -> Tensor:
    """take with an index array."""
    return apply(_RULES["take"], (x,), {"index": index})


def put_raw(x: Tensor, index: np.ndarray, source: Tensor, accumulate: bool) -> Tensor:
    """A copy of x with source written (or added) at flat indices (PutBackward0)."""
    return apply(_RULES["put"], (x, source), {"index": index, "accumulate": accumulate})


def put(input: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    """torch.put: a copy of input with source at flat indices (added with accumulate)."""
    return put_raw(input, _index(index, "put", 2), _as_tensor(source), bool(accumulate))


def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """Values at indices along dim, index and input broadcast apart from dim
    (GatherBackward0; dim None: of the flattened input)."""
    idx = _index(indices, "take_along_dim", 2, "indices")
    if idx.dtype != np.int64:
        raise GdRuntimeError("torch.take_along_dim(): dtype of indices should be Long but got "
                             f"{K.scalar_name(idx.dtype)}")
    if dim is None:
        return gather_raw(reshape(input, -1), 0, idx.reshape(-1))
    d = _wrap_dim(dim, input.ndim)
    if idx.ndim != input.ndim:
        raise GdRuntimeError("torch.take_along_dim(): input and indices should have the same "
                             f"number of dimensions, but got {input.ndim} dimensions for input, "
                             f"and {idx.ndim} dimensions for indices")
    xs = list(input.shape)
    js = list(idx.shape)
    xs[d] = js[d] = 1
    try:
        shape = list(np.broadcast_shapes(tuple(xs), tuple(js)))
    except ValueError:
        raise GdRuntimeError(K.broadcast_message(np.empty(xs), np.empty(js))
                             or "shape mismatch") from None
    x_shape = (*shape[:d], input.shape[d], *shape[d + 1:])
    i_shape = (*shape[:d], idx.shape[d], *shape[d + 1:])
    x = expand(input, x_shape)  # broadcast_to: recorded even to the same shape
    return gather_raw(x, d, np.broadcast_to(idx, i_shape))


def index_put(input: Tensor, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
    """A copy of input with input[indices] = values (added with accumulate)
    (IndexPutBackward0)."""
    if not isinstance(indices, (tuple, list)):
        raise GdRuntimeError("index_put(): argument 'indices' (position 2) must be tuple of "
                             f"Tensors, not {type(indices).__name__}")
    return index_put_raw(input, tuple(indices), _as_tensor(values), bool(accumulate))


def index_put_(input: Tensor, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
    """x.index_put_(indices, values, accumulate): in place. PyTorch's kernel skips the
    overlap check of an expanded x (it warns): an element sharing memory with a written
    one is written."""
    out = index_put(input, indices, values, accumulate)
    if not K.overlaps(input.array):
        return record_inplace(input, out)
    where = index_put(tensor_from_array(np.zeros(input.shape, np.bool_)), indices,
                      tensor_from_array(np.ones((), np.bool_)), False).array
    return record_inplace(input, out, index=where, overlap_ok=True)


# -- integer results -------------------------------------------------------------------

def argwhere(input: Tensor) -> Tensor:
    """The (n, ndim) indices of input's nonzero elements."""
    return nonzero(input)


def _unique_values(input: Tensor, values: Any, fn: str) -> Tensor:
    """The values as a node of the graph (requiring grad with the input, not
    differentiable: PyTorch's not_implemented(fn))."""
    if not input.requires_grad:
        return tensor_from_array(values)
    return apply(_RULES["unique_values"], (input,), {"values": values, "fn": fn})


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False,
           return_counts: bool = False, dim: int | None = None) -> Any:
    """The distinct values of input (sorted), with the inverse indices and counts when
    asked. PyTorch has no derivative for it: its Unique2Backward0 (UniqueDimBackward0)
    node fails in backward, and so does ours."""
    if dim is not None and input.ndim == 0:
        raise GdRuntimeError(f"Dimension specified as {dim} but tensor has no dimensions",
                             py_type="IndexError")
    d = None if dim is None else _wrap_dim(dim, input.ndim)
    if d is not None and input.numel() == 0:  # PyTorch's unique_dim of an empty tensor
        if input.shape.count(0) != 1:
            raise GdRuntimeError("Number of zero sized dimensions is more than one, so "
                                 "unique cannot be applied ")
        if input.shape[d] != 0:
            raise GdRuntimeError("There are 0 sized dimensions, and they aren't selected, "
                                 "so unique cannot be applied")
    vals, inv, counts = KI.unique(input.array, d)
    out = _unique_values(input, vals, "_unique2" if d is None else "unique_dim")
    if not (return_inverse or return_counts):
        return out
    res = [out]
    if return_inverse:
        res.append(tensor_from_array(inv))
    if return_counts:
        res.append(tensor_from_array(counts))
    return tuple(res)


def unique_consecutive(input: Tensor, return_inverse: bool = False,
                       return_counts: bool = False, dim: int | None = None) -> Any:
    """input with each run of equal consecutive values (rows along dim) kept once."""
    a = input.array
    if dim is None:
        flat = a.reshape(-1)
        starts = np.ones(flat.size, bool)
        starts[1:] = flat[1:] != flat[:-1]
        vals = flat[starts]
    else:
        d = _wrap_dim(dim, a.ndim)
        moved = np.moveaxis(a, d, 0).reshape(a.shape[d], -1)
        starts = np.ones(moved.shape[0], bool)
        starts[1:] = (moved[1:] != moved[:-1]).any(axis=1)
        vals = np.compress(starts, a, axis=d)
    group = np.cumsum(starts) - 1
    out = _unique_values(input, np.ascontiguousarray(vals), "unique_consecutive")
    if not (return_inverse or return_counts):
        return out
    res = [out]
    if return_inverse:
        res.append(tensor_from_array(group.reshape(a.shape if dim is None else -1)
                                     .astype(np.int64)))
    if return_counts:
        res.append(tensor_from_array(np.bincount(group, minlength=int(starts.sum()))
                                     .astype(np.int64)))
    return tuple(res)


# -- PyTorch spellings ------------------------------------------------------------------

for _fn in (gather, scatter, scatter_add, scatter_reduce, index_select, index_add, index_copy,
            index_fill, masked_fill, masked_scatter, masked_select, take, take_along_dim, put,
            index_put, argwhere, unique, unique_consecutive, index_reduce):
    _name = _fn.__name__
    expose(_fn, f"torch.{_name}", f"Tensor.{_name}", family="indexing")
for _fn in (scatter, scatter_add, scatter_reduce, index_add, index_copy, masked_scatter, put,
            index_reduce):
    expose(inplace_of(_fn), f"Tensor.{_fn.__name__}_", family="indexing")


def _index_filled(x: Tensor, dim: int, index: Any, value: Any) -> Any:
    """Where index_fill_ writes: the indexed slices along dim."""
    d = _wrap_dim(dim, x.ndim)
    along = np.zeros(x.shape[d] if x.ndim else 1, np.bool_)
    along[_as_tensor(index).array.reshape(-1)] = True
    return along.reshape((-1,) + (1,) * (x.ndim - 1 - d)) if x.ndim else along.reshape(())


expose(inplace_of(index_fill, _index_filled), "Tensor.index_fill_", family="indexing")


def masked_fill_(input: Tensor, mask: Any, value: Any) -> Tensor:
    """In-place masked_fill. PyTorch's kernel does not check an expanded input's overlap:
    it writes the masked elements only (what a shared element ends as: the value, if any
    of its copies is masked); recorded, its CopySlices fails in the backward pass."""
    out = masked_fill(input, mask, value)
    x = input
    if not K.overlaps(x.array):
        return record_inplace(x, out)
    where = np.broadcast_to(_as_tensor(mask).array, x.shape)
    return record_inplace(x, out, index=where, overlap_ok=True)


expose(masked_fill_, "Tensor.masked_fill_", family="indexing")
expose(index_put_, "Tensor.index_put_", family="indexing")
expose(nonzero, "Tensor.nonzero", family="indexing")
