"""Indexing: x[index] and x[index] = value, with PyTorch's index rules and messages."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad import kernels as K
from gradcli.ad.graph import Tensor, bump_version
from gradcli.ad.inplace import changes_a_view, record_inplace
from gradcli.ad.kernels import elementwise as KE
from gradcli.ad.ops import backward as B
from gradcli.ad.ops.creation import _arr, _unwrap_list, as_index
from gradcli.ad.ops.elementwise import _operand
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.ad.state import State, warn
from gradcli.errors import GdRuntimeError

# -- indexing ---------------------------------------------------------------------------

UINT8_INDEX = ("indexing with dtype torch.uint8 is now deprecated, please use a dtype "
               "torch.bool instead.")


def _tensor_part(a: np.ndarray, store: bool) -> np.ndarray:
    """A tensor index part's array as PyTorch reads its dtype: uint8 is a mask (deprecated;
    no mask at all when storing), int8 and int16 are no index."""
    if a.dtype == np.uint8:
        if store:
            raise GdRuntimeError("masked_fill_ only supports boolean masks, but got mask with "
                                 "dtype unsigned char")
        warn(UINT8_INDEX)
        return a.astype(bool)
    if a.dtype.kind in "iu" and a.ndim and a.dtype != np.int64 and a.dtype != np.int32:
        raise GdRuntimeError("tensors used as indices must be long, int, byte or bool tensors",
                             py_type="IndexError")
    return a


def normalize_index(index: Any, store: bool = False) -> tuple[Any, bool]:
    """(numpy index, whether it is advanced) from a gd index (ints, slices, tensors, lists);
    `store`: of an assignment (x[index] = v)."""
    if isinstance(index, list) and any(
            isinstance(p, (list, slice, Tensor)) or p is None or p is Ellipsis for p in index):
        index = tuple(index)  # PyTorch's (deprecated) reading of a list of sequences
    parts = index if isinstance(index, tuple) else (index,)
    out = []
    advanced = False
    seen_ellipsis = False
    for p in parts:
        if p is Ellipsis:
            # PyTorch lets later ellipses stand for no dims at all (numpy refuses them).
            if seen_ellipsis:
                continue
            seen_ellipsis = True
        if type(p) is Tensor or type(p) is np.ndarray:
            a = _tensor_part(p.array, store) if type(p) is Tensor else p
            if a.dtype.kind == "f":
                raise GdRuntimeError(
                    "tensors used as indices must be long, int, byte or bool tensors",
                    py_type="IndexError")
            if a.ndim == 0 and a.dtype.kind in "iu":
                out.append(int(a))
                continue
            out.append(a)
            advanced = True
        elif isinstance(p, (list, range)):
            items = _unwrap_list(list(p))
            odd = next((e for e in items if not isinstance(
                e, (int, float, list, tuple, np.generic, np.ndarray))), None)
            if odd is not None:  # PyTorch makes a tensor of the list first
                raise GdRuntimeError(f"Could not infer dtype of {type(odd).__name__}")
            a = np.asarray(items, dtype=np.int64 if not p else None)
            if a.dtype.kind == "f":
                raise GdRuntimeError(
                    "tensors used as indices must be long, int, byte or bool tensors",
                    py_type="IndexError")
            out.append(a)
            advanced = True
        elif isinstance(p, bool):
            out.append(np.asarray(p))
            advanced = True
        elif isinstance(p, (int, np.integer)) or p is None or p is Ellipsis:
            out.append(p)
        elif isinstance(p, slice):
            out.append(slice(_sl(p.start), _sl(p.stop), _sl(p.step)))
            if p.step is not None and _sl(p.step) <= 0:
                raise GdRuntimeError("slice step cannot be zero" if _sl(p.step) == 0 else
                                     "step must be greater than zero", py_type="ValueError")
        elif isinstance(p, str):  # PyTorch tries to make a tensor of it
            raise GdRuntimeError("new(): invalid data type 'str'", py_type="TypeError")
        elif (i := as_index(p)) is not None:  # an object with __index__, as an int
            out.append(i)
        else:
            got = type(p).__name__ if type(p).__module__ == "builtins" else "object"
            raise GdRuntimeError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
                f"are valid indices (got {got})", py_type="IndexError")
    return tuple(out), advanced


def _sl(v: Any) -> Any:
    """A slice bound as Python reads it: None, an int, or something with __index__ (a
    one-element integer tensor); a float is refused, never truncated."""
    if v is None:
        return None
    if isinstance(v, (int, np.integer)):
        return int(v)
    if type(v) is Tensor and v.array.dtype.kind in "iub" and v.array.size == 1:
        return int(v.item())
    i = as_index(v)
    if i is not None:
        return i
    raise GdRuntimeError("slice indices must be integers or None or have an __index__ method",
                         py_type="TypeError")


def _index_kind(index: tuple[Any, ...], advanced: bool) -> str:
    if advanced:
        return "IndexBackward0"
    for p in reversed(index):
        if p is Ellipsis or (isinstance(p, slice) and p == slice(None)):
            continue
        if p is None:
            return "UnsqueezeBackward0"
        return "SliceBackward0" if isinstance(p, slice) else "SelectBackward0"
    return "SliceBackward0"


def _check_index(x: Tensor, index: tuple[Any, ...]) -> None:
    dim = 0  # the dim of x the next index part applies to
    added = 0  # dims None inserted before it (PyTorch's messages count them)
    selected: list[int] = []  # dims of x removed by integer indices so far
    tensor_dims = 0  # dims indexed by tensors so far
    shape = x.shape
    for k, p in enumerate(index):
        if p is Ellipsis:  # by identity: `in`/`.index` would compare arrays with ==
            dim = len(shape) - _count_consuming(index[k + 1:])
            continue
        if p is None:
            added += 1
            continue
        if isinstance(p, (int, np.integer)) and not isinstance(p, bool):
            if not shape:
                raise GdRuntimeError(
                    "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                    "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number",
                    py_type="IndexError")
            if dim >= len(shape):
                raise GdRuntimeError(
                    f"too many indices for tensor of dimension {len(shape)}", py_type="IndexError")
            if not -shape[dim] <= p < shape[dim]:
                raise GdRuntimeError(f"index {p} is out of bounds for dimension {dim + added} "
                                     f"with size {shape[dim]}")
            selected.append(dim)
        if isinstance(p, np.ndarray) and p.dtype == np.bool_:
            _check_mask(p, shape, dim, selected)
            dim += p.ndim
            tensor_dims += p.ndim
            continue
        if isinstance(p, np.ndarray) and p.size and dim < len(shape):
            # PyTorch's index kernel numbers the dims it indexes with tensors from 0.
            n = shape[dim]
            bad = p[(p < -n) | (p >= n)]
            if bad.size:
                raise GdRuntimeError(f"index {int(bad.ravel()[0])} is out of bounds for "
                                     f"dimension {tensor_dims} with size {n}")
        if isinstance(p, np.ndarray):
            tensor_dims += 1
        dim += 1
    if dim > len(shape):
        raise GdRuntimeError(f"too many indices for tensor of dimension {len(shape)}",
                             py_type="IndexError")


def _check_mask(mask: np.ndarray, shape: tuple[int, ...], dim: int, selected: list[int]) -> None:
    # PyTorch's message names the tensor as integer indices before the mask left it.
    for j, n in enumerate(mask.shape):
        if dim + j < len(shape) and shape[dim + j] != n:
            rest = [s for i, s in enumerate(shape) if i not in selected]
            at = dim - len(selected)
            raise GdRuntimeError(
                f"The shape of the mask {list(mask.shape)} at index {j} does not match the "
                f"shape of the indexed tensor {rest} at index {at + j}", py_type="IndexError")


def _count_consuming(parts: tuple[Any, ...]) -> int:
    n = 0
    for p in parts:
        if p is None or p is Ellipsis:
            continue
        n += p.ndim if isinstance(p, np.ndarray) and p.dtype == np.bool_ else 1
    return n


def getitem(x: Tensor, index: Any) -> Tensor:
    """x[index], recorded as PyTorch's applySlicing records it: a single index is one
    node; a tuple is one select, slice (a full slice is skipped) or unsqueeze per part, in
    order, then one index of the tensors (IndexBackward0), and nothing at all is an alias
    (AliasBackward0: x[:, :], x[...])."""
    idx, advanced = normalize_index(index)
    _check_index(x, idx)
    if not isinstance(index, tuple) and len(idx) == 1 and idx[0] is not Ellipsis:
        return getitem_raw(x, idx, _index_kind(idx, advanced))  # Python's fast paths
    steps = _basic_steps(x.shape, idx)
    if not advanced:
        if len(steps) < 2:  # one node (or an alias) of the whole index
            return getitem_raw(x, idx, steps[0][1] if steps else "AliasBackward0")
        for part, kind in steps:
            x = getitem_raw(x, part, kind)
        return x
    for part, kind in steps:
        x = getitem_raw(x, part, kind)
    if not steps:
        return getitem_raw(x, idx, "IndexBackward0")
    rest = tuple(slice(None) if p is None or isinstance(p, slice) else p
                 for p in idx if not _is_int(p))
    return getitem_raw(x, rest, "IndexBackward0")


def _basic_steps(shape: tuple[int, ...], idx: tuple[Any, ...]
                 ) -> list[tuple[tuple[Any, ...], str]]:
    """The select / slice / unsqueeze steps of an index's basic parts, each as an index of
    the result so far, in PyTorch's order (its applySlicing)."""
    steps: list[tuple[tuple[Any, ...], str]] = []
    dim = src = 0  # the dim in the result so far, and in x, the next part applies to
    for p in idx:
        if p is Ellipsis:
            span = len(shape) - _count_consuming(idx)
            dim += span
            src += span
        elif p is None:
            steps.append(((slice(None),) * dim + (None,), "UnsqueezeBackward0"))
            dim += 1
        elif isinstance(p, np.ndarray):
            k = p.ndim if p.dtype == np.bool_ else 1
            dim += k
            src += k
        elif _is_int(p):
            steps.append(((slice(None),) * dim + (p,), "SelectBackward0"))
            src += 1
        else:
            if p.indices(shape[src]) != (0, shape[src], 1):  # a full slice is no step
                steps.append(((slice(None),) * dim + (p,), "SliceBackward0"))
            dim += 1
            src += 1
    return steps


def _is_int(p: Any) -> bool:
    return isinstance(p, (int, np.integer)) and not isinstance(p, bool)


def split_selects(idx: tuple[Any, ...]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """An index with integers and tensors as (the integers' selects, the rest)."""
    first: list[Any] = []
    for p in idx:
        if _is_int(p) or p is Ellipsis:
            first.append(p)
        elif isinstance(p, np.ndarray) and p.dtype == np.bool_:
            first += [slice(None)] * p.ndim
        elif p is not None:
            first.append(slice(None))
    return tuple(first), tuple(p for p in idx if not _is_int(p))


def getitem_raw(x: Tensor, index: Any, kind: str) -> Tensor:
    """x[index] for an already-normalized numpy index."""
    return apply(_RULES["getitem"], (x,), {"index": index, "kind": kind})


def index_add_into(g: Tensor, shape: tuple[int, ...], index: Any) -> Tensor:
    """Zeros of shape with g added at index."""
    return apply(_RULES["index_add_into"], (g,), {"shape": tuple(shape), "index": index})


def index_put(x: Tensor, value: Any, index: Any, kind: str) -> Tensor:
    """A copy of x with x[index] = value (differentiable in x and value)."""
    return apply(_RULES["index_put"], (x, _operand(value)), {"index": index, "kind": kind})


def setitem(x: Tensor, index: Any, value: Any) -> None:
    """x[index] = value, in place (PyTorch's CopySlices / IndexPutBackward0 semantics)."""
    if hasattr(x, "zero"):
        raise GdRuntimeError(B.ZERO_IMMUTABLE_COPY)
    idx, advanced = normalize_index(index, store=True)
    _check_index(x, idx)
    if advanced and any(_is_int(p) for p in idx):
        first, rest = split_selects(idx)  # as getitem: the integers' view, then the tensors
        setitem(getitem_raw(x, first, _index_kind(first, False)), rest, value)
        return
    if type(value) is int and x.array.dtype.kind in "iu":
        try:  # fill_'s checked_convert: uint8's -2 is 254, 300 fails
            value = int(KE.checked_int(value, x.array.dtype))
        except K.TorchError as e:
            raise GdRuntimeError(str(e)) from None
    if advanced and type(value) is Tensor:
        _check_put_dtype(x, idx, value)
    v = _operand(value)
    vt = type(v) is Tensor
    if vt and v.ndim and v.shape[0] == 1:
        # PyTorch views the value without its leading dims of size 1 (slicePrefix1sSize):
        # x[0] = t[None] is fine, and its gradient goes through that ViewBackward0.
        lead = next((i for i, n in enumerate(v.shape) if n != 1), v.ndim)
        v = apply(_RULES["reshape"], (v,), {"shape": v.shape[lead:]})
    if not advanced and K.overlaps(x.array) and K.overlaps(K.getitem(x.array, idx)):
        raise GdRuntimeError(K.OVERLAP_MESSAGE)  # (PyTorch only warns for a tensor index)
    if (State.grad_enabled and (x.requires_grad or (vt and v.requires_grad))) or (
        State.forward_level and (x.tangent is not None or (vt and v.tangent is not None))
    ):
        kind = "IndexPutBackward0" if advanced else "CopySlices"
        record_inplace(x, index_put(x, v, idx, kind), changes_a_view(x.shape, idx),
                       index=idx, overlap_ok=True, shared=advanced and K.overlaps(x.array))
        return
    try:
        K.assign(x.array, idx, _arr(v))
    except K.TorchError as e:
        raise GdRuntimeError(str(e), py_type=e.py_type) from None
    bump_version(x)


def _check_put_dtype(x: Tensor, idx: tuple[Any, ...], value: Tensor,
                     accumulate: bool = False) -> None:
    """index_put_'s values must have x's dtype, unless it becomes a masked_fill_ (one
    boolean mask among slices, one value, not accumulating: canDispatchToMaskedFill)."""
    if value.array.dtype == x.array.dtype:
        return
    if not accumulate and value.array.size == 1:
        arrays = [p for p in idx if isinstance(p, np.ndarray)]
        if len(arrays) == 1 and arrays[0].dtype == np.bool_:
            return
    raise GdRuntimeError(
        "Index put requires the source and destination dtypes match, got "
        f"{K.scalar_name(x.array.dtype)} for the destination and "
        f"{K.scalar_name(value.array.dtype)} for the source.")


def index_put_raw(x: Tensor, indices: tuple[Any, ...], values: Tensor,
                  accumulate: bool) -> Tensor:
    """A copy of x with x[indices] = values, or values added there with accumulate
    (torch.index_put: IndexPutBackward0)."""
    idx, _ = normalize_index(indices, store=True)
    _check_index(x, idx)
    _check_put_dtype(x, idx, values, accumulate)
    return apply(_RULES["index_put"], (x, values),
                 {"index": idx, "kind": "IndexPutBackward0", "accumulate": accumulate})
