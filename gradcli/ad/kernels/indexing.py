"""Indexing kernels: gather/scatter along a dim, index_* along a dim, masks, take/put,
roll, repeat, rot90, unique and the triangle indices, with PyTorch's checks and messages."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.kernels.messages import TorchError, scalar_name

ndarray = np.ndarray


def _dims(a: ndarray) -> list[int]:
    return list(a.shape)


def _check_bounds(index: ndarray, dim: int, size: int, negative: bool = False,
                  prefix: str = "", py_type: str = "RuntimeError") -> None:
    """Every index in [0, size) (in [-size, size) when `negative` ones count from the end),
    or PyTorch's message for the first that is not (a RuntimeError from its gather/scatter
    kernels, an IndexError from index_copy_/index_fill_'s own checks)."""
    if index.size:
        bad = index[(index < (-size if negative else 0)) | (index >= size)]
        if bad.size:
            raise TorchError(f"{prefix}index {int(bad.ravel()[0])} is out of bounds for "
                             f"dimension {dim} with size {size}", py_type=py_type)


def _one_d(x: ndarray) -> ndarray:
    return x.reshape(1) if x.ndim == 0 else x


def _grid(index: ndarray, dim: int) -> tuple[Any, ...]:
    """The numpy index of the elements scatter/gather touch: every position of index,
    with index's values along dim."""
    grids = np.indices(index.shape, sparse=True)
    return tuple(index if d == dim else g for d, g in enumerate(grids))


def _sliced(a: ndarray, shape: tuple[int, ...]) -> ndarray:
    return a[tuple(slice(0, n) for n in shape)]


def _int32_or_64(index: ndarray) -> bool:
    """Whether an index tensor has a dtype PyTorch's gather/scatter/index_select/index_add
    take (int64 or int32: not int16, uint8 or bool)."""
    return index.dtype == np.int64 or index.dtype == np.int32


def check_long(index: ndarray, op: str) -> None:
    """The index dtype check of the ops that take int64 only (take, put, index_copy)."""
    if index.dtype != np.int64:
        raise TorchError(f"{op}(): Expected a long tensor for index, but got "
                         f"{scalar_name(index.dtype)}")


# -- gather / scatter ------------------------------------------------------------------

def check_gather(x: ndarray, dim: int, index: ndarray) -> None:
    """PyTorch's gather checks, in its order."""
    if not _int32_or_64(index):
        raise TorchError("gather(): Expected dtype int32/int64 for index")
    xs, ix = _one_d(x), _one_d(index)
    if xs.ndim != ix.ndim:
        raise TorchError("Index tensor must have the same number of dimensions as input tensor")
    for d, (n, m) in enumerate(zip(ix.shape, xs.shape, strict=True)):
        if d != dim and n > m:
            raise TorchError(f"Size does not match at dimension {d} expected index "
                             f"{_dims(ix)} to be no larger than self {_dims(xs)} apart from "
                             f"dimension {dim}")
    _check_bounds(ix, dim, xs.shape[dim])


def check_scatter(x: ndarray, dim: int, index: ndarray, src: ndarray | None,
                  name: str = "scatter") -> None:
    """PyTorch's scatter/scatter_add checks."""
    if not _int32_or_64(index):  # scatter_add and scatter_reduce word it so too
        raise TorchError("scatter(): Expected dtype int32/int64 for index")
    if src is not None and src.dtype != x.dtype:
        raise TorchError(f"{name}(): Expected self.dtype to be equal to src.dtype")
    xs, ix = _one_d(x), _one_d(index)
    if xs.ndim != ix.ndim or (src is not None and _one_d(src).ndim != ix.ndim):
        raise TorchError("Index tensor must have the same number of dimensions as self tensor"
                         if xs.ndim != ix.ndim else
                         "Index tensor must have the same number of dimensions as src tensor")
    bad = any(d != dim and n > m for d, (n, m) in enumerate(zip(ix.shape, xs.shape, strict=True)))
    if src is not None:
        ss = _one_d(src)
        if bad or any(n > m for n, m in zip(ix.shape, ss.shape, strict=True)):
            raise TorchError(f"Expected index {_dims(ix)} to be no larger than self {_dims(xs)} "
                             f"apart from dimension {dim} and to be no larger size than src "
                             f"{_dims(ss)}")
    elif bad:
        raise TorchError(f"Expected index {_dims(ix)} to be no larger than self {_dims(xs)} "
                         f"apart from dimension {dim}")
    _check_bounds(ix, dim, xs.shape[dim])


def gather(x: ndarray, index: ndarray, dim: int) -> Any:
    """out[i][j] = x[index[i][j]][j] (dim 0): values picked along dim."""
    check_gather(x, dim, index)
    xs, ix = _one_d(x), _one_d(index)
    out = xs[_grid(ix, dim)]
    return out.reshape(index.shape)


def scatter(x: ndarray, index: ndarray, dim: int, src: Any = None, value: Any = None,
            reduce: str | None = None) -> Any:
    """A copy of x with src's values (or value) written at index along dim (reduce: 'add'
    or 'multiply' them in instead)."""
    s = None if src is None else np.asarray(src)
    check_scatter(x, dim, index, s)
    out = _one_d(x).copy()
    ix = _one_d(index)
    at = _grid(ix, dim)
    vals = (_sliced(_one_d(s), ix.shape) if s is not None
            else np.full(ix.shape, value, dtype=x.dtype))
    if reduce is None:
        out[at] = vals
    elif reduce == "add":
        np.add.at(out, at, vals)
    else:
        np.multiply.at(out, at, vals)
    return out.reshape(x.shape)


def scatter_reduce(x: ndarray, src: ndarray, index: ndarray, dim: int, reduce: str,
                   include_self: bool = True) -> Any:
    """PyTorch's scatter_reduce: src reduced into x at index along dim."""
    check_scatter(x, dim, index, src, "scatter_reduce")
    out = _one_d(x).copy()
    ix = _one_d(index)
    at = _grid(ix, dim)
    vals = _sliced(_one_d(src), ix.shape)
    hit = np.zeros(out.shape, bool)
    hit[at] = True
    if reduce in ("sum", "mean"):
        if not include_self:
            out[hit] = 0
        np.add.at(out, at, vals)
        if reduce == "mean":
            n = np.where(hit & include_self, 1, 0) + np.zeros(out.shape, np.int64)
            np.add.at(n, at, 1)
            n = np.maximum(n, 1)
            out = (out / n if out.dtype.kind == "f" else out // n).astype(x.dtype)
    elif reduce == "prod":
        if not include_self:
            out[hit] = 1
        np.multiply.at(out, at, vals)
    else:
        ufunc = np.maximum if reduce == "amax" else np.minimum
        if not include_self:
            if out.dtype.kind == "f":
                out[hit] = -np.inf if reduce == "amax" else np.inf
            else:
                info = np.iinfo(out.dtype)
                out[hit] = info.min if reduce == "amax" else info.max
        ufunc.at(out, at, vals)
        if out.dtype.kind == "f":
            _first_zero_kept(out, _one_d(x), at, vals, include_self)
    return out.reshape(x.shape)


def _first_zero_kept(out: ndarray, x: ndarray, at: Any, vals: ndarray,
                     include_self: bool) -> None:
    """amin/amax's tied zeros keep the first one's sign (ATen's std::min(self, src) keeps
    self; numpy's minimum takes the later): self first, then src in order."""
    zero = out == 0
    if not zero.any():
        return
    big = vals.size
    order = np.where(vals == 0, np.arange(big).reshape(vals.shape), big)
    first = np.full(out.shape, big, np.int64)
    np.minimum.at(first, at, order)
    sign = np.signbit(vals.reshape(-1)[np.minimum(first, big - 1)]) if big else first < 0
    mine = (x == 0) if include_self else np.zeros(out.shape, bool)
    sign = np.where(mine, np.signbit(x), sign)
    fix = zero & (mine | (first < big))
    out[fix] = np.where(sign[fix], -0.0, 0.0).astype(out.dtype)


# -- index_* along a dim ---------------------------------------------------------------

def _vector(index: ndarray, name: str) -> ndarray:
    if index.ndim > 1:  # each op words it its own way
        raise _not_vector(index, name)
    if name == "index_fill_" and index.dtype != np.int64:
        raise TorchError("index_fill_(): Expected dtype int64 for index.", py_type="IndexError")
    if name == "index_copy_":
        check_long(index, name)
    if not _int32_or_64(index):
        raise TorchError(f"{name}(): Expected dtype int32/int64 for index but got: "
                         f"{scalar_name(index.dtype)}" if name == "index_add_" else
                         f"{name}(): Expected dtype int32 or int64 for index")
    return index.reshape(-1)


def _not_vector(index: ndarray, name: str) -> TorchError:
    if name == "index_fill_":
        return TorchError("Index has to be a vector/scalar")
    if name == "index_copy_":
        return TorchError(f"index_copy_(): Index should have dimension 1 or 0 (got "
                          f"{index.ndim})", py_type="IndexError")
    if name == "index_add_":
        return TorchError(f"index_add_(): Index is supposed to be a vector, but got dim: "
                          f"{index.ndim} with type: {scalar_name(index.dtype)} and size: "
                          f"{list(index.shape)}", py_type="IndexError")
    return TorchError(f"{name}(): Index is supposed to be a vector", py_type="IndexError")


def index_select(x: ndarray, index: ndarray, dim: int) -> Any:
    """x's slices at index along dim."""
    i = _vector(index, "index_select")
    xs = _one_d(x)
    n = xs.shape[dim]
    bad = i[(i < 0) | (i >= n)]
    if bad.size:
        # PyTorch checks dim 1 of an n-d tensor in its gather kernel (a RuntimeError in
        # its words), every other dim in index_select's own check (an IndexError).
        if x.ndim > 1 and dim % x.ndim == 1:
            raise TorchError(f"INDICES element is out of DATA bounds, id={int(bad[0])} "
                             f"axis_dim={n}")
        raise TorchError("index out of range in self", py_type="IndexError")
    out = np.take(xs, i, axis=dim)
    return out.reshape(i.shape) if x.ndim == 0 and index.ndim == 0 else (
        out.reshape(()) if x.ndim == 0 else out)


def _along(out: ndarray, source: ndarray, dim: int, index: ndarray, name: str,
           sep: str) -> tuple[ndarray, ndarray, ndarray]:
    i = _vector(index, name)
    src = _one_d(np.asarray(source))
    if src.ndim and i.size != src.shape[dim]:
        raise TorchError(f"{name}(): Number of indices ({i.size}) should be equal to "
                         f"source.size(dim){sep} ({src.shape[dim]})"
                         + (f", for dim: {dim}" if name == "index_add_" else ""))
    copy = name == "index_copy_"
    _check_bounds(i, dim, out.shape[dim], prefix="index_copy_(): " if copy else "",
                  py_type="IndexError" if copy else "RuntimeError")
    return np.moveaxis(out, dim, 0), np.moveaxis(src, dim, 0), i


def index_add(x: ndarray, source: ndarray, index: ndarray, dim: int, alpha: Any = 1) -> Any:
    """x with alpha · source's slices added at index along dim."""
    out = _one_d(x).copy()
    om, sm, i = _along(out, source, dim, index, "index_add_", ":")
    np.add.at(om, i, sm * alpha if alpha != 1 else sm)
    return out.reshape(x.shape)


def index_copy(x: ndarray, source: ndarray, index: ndarray, dim: int) -> Any:
    """x with source's slices written at index along dim."""
    out = _one_d(x).copy()
    om, sm, i = _along(out, source, dim, index, "index_copy_", "")
    om[i] = sm
    return out.reshape(x.shape)


def index_fill(x: ndarray, index: ndarray, dim: int, value: Any) -> Any:
    """x with value written at index along dim."""
    out = _one_d(x).copy()
    i = _vector(index, "index_fill_")
    _check_bounds(i, dim, out.shape[dim], negative=True, py_type="IndexError")
    np.moveaxis(out, dim, 0)[i] = value
    return out.reshape(x.shape)


# -- masks, take and put ---------------------------------------------------------------

def masked_select(x: ndarray, mask: ndarray) -> Any:
    """The elements of x (broadcast with mask) where mask, as a 1-D array."""
    if mask.dtype != np.bool_:
        raise TorchError("masked_select: expected BoolTensor for mask")
    shape = np.broadcast_shapes(x.shape, mask.shape)
    return np.broadcast_to(x, shape)[np.broadcast_to(mask, shape)]


def masked_scatter(x: ndarray, source: ndarray, mask: ndarray) -> Any:
    """x with source's first elements written where mask, in order."""
    if mask.dtype != np.bool_:
        raise TorchError("masked_scatter_ only supports boolean masks, but got mask with dtype "
                         + str(mask.dtype))
    shape = np.broadcast_shapes(x.shape, mask.shape)
    out = np.broadcast_to(x, shape).copy()
    m = np.broadcast_to(mask, shape)
    n = int(m.sum())
    if source.size < n:
        raise TorchError("Number of elements of source < number of ones in mask")
    out[m] = source.reshape(-1)[:n]
    return out


def _flat_index(index: ndarray, n: int) -> ndarray:
    bad = index[(index < -n) | (index >= n)]
    if bad.size:
        raise TorchError(f"out of range: tried to access index {int(bad.ravel()[0])} on a tensor "
                         f"of {n} elements.")
    return index


def take(x: ndarray, index: ndarray) -> Any:
    """x's elements at flat indices (x read as 1-D), in index's shape."""
    check_long(index, "take")
    return x.reshape(-1)[_flat_index(index, x.size)]


def as_strided(x: ndarray, index: ndarray, size: tuple[int, ...], stride: tuple[int, ...],
               offset: int) -> Any:
    """x's elements (read as 1-D) from `offset`, `stride` apart along each dim of `size`:
    a view of x where x is contiguous (index: the flat positions it reads)."""
    flat = np.ascontiguousarray(x).reshape(-1)
    if not index.size:
        return np.empty(size, x.dtype)
    return np.lib.stride_tricks.as_strided(
        flat[offset:], size, tuple(s * flat.itemsize for s in stride),
        writeable=flat.flags.writeable)


def put(x: ndarray, source: ndarray, index: ndarray, accumulate: bool = False) -> Any:
    """A copy of x with source written (or added) at flat indices."""
    check_long(index, "put_")
    out = x.copy()
    flat = out.reshape(-1)
    i = _flat_index(index, x.size).reshape(-1)
    if accumulate:
        np.add.at(flat, i, source.reshape(-1))
    else:
        flat[i] = source.reshape(-1)
    return out


# -- reorderings -----------------------------------------------------------------------

def roll(x: ndarray, shifts: tuple[int, ...], dims: tuple[int, ...]) -> Any:
    """x's elements shifted cyclically along dims (x flattened when dims is empty)."""
    if not dims:
        return np.roll(x.reshape(-1), shifts[0]).reshape(x.shape)
    return np.roll(x, shifts, dims)


def repeat(x: ndarray, repeats: tuple[int, ...]) -> Any:
    """x tiled repeats[i] times along each dim (new leading dims for extra repeats)."""
    return np.tile(x, repeats) if x.ndim or repeats else x.copy()


def rot90(x: ndarray, k: int, dims: tuple[int, int]) -> Any:
    """x rotated by k quarter turns in the plane of dims (a copy)."""
    return np.rot90(x, k, axes=dims).copy()


def unique(x: ndarray, dim: int | None = None) -> tuple[ndarray, ndarray, ndarray]:
    """(values, inverse, counts), values sorted (rows along dim when given); as in
    PyTorch, every NaN is a value of its own (NaN != NaN)."""
    if dim is None:
        vals, inv, counts = np.unique(x.reshape(-1), return_inverse=True, return_counts=True,
                                      equal_nan=False)
        return vals, inv.reshape(x.shape).astype(np.int64), counts.astype(np.int64)
    vals, inv, counts = np.unique(x, return_inverse=True, return_counts=True, axis=dim)
    return vals, inv.reshape(-1).astype(np.int64), counts.astype(np.int64)


def tri_indices(row: int, col: int, offset: int, upper: bool) -> Any:
    """The (2, n) indices of the upper (or lower) triangle of a row × col matrix."""
    if row < 0 or col < 0:
        raise TorchError(f"row must be non-negative, got{row}" if row < 0 else
                         f"col must be non-negative, got{col}")
    make = np.triu_indices if upper else np.tril_indices
    r, c = make(row, offset, col)
    return np.stack([r, c]).astype(np.int64)


def view_index(ndim: int, kind: str, p: dict[str, Any]) -> tuple[Any, ...]:
    """The basic index of the view a select/slice scatter writes (Ellipsis last: a 0-d
    select stays a view)."""
    idx: list[Any] = [slice(None)] * ndim
    dim = p.get("dim", 0) % ndim
    idx[dim] = p["index"] if kind == "select" else slice(
        p.get("start"), p.get("end"), p.get("step", 1))
    return (*idx, Ellipsis)


def scatter_view(a: Any, p: dict[str, Any]) -> Any:
    """The (writable) numpy view of `a` that a view scatter writes src into."""
    kind = p["kind"]
    if kind == "diagonal":
        view = np.diagonal(a, p.get("offset", 0), p.get("dim1", 0) % a.ndim,
                           p.get("dim2", 1) % a.ndim)
        view.flags.writeable = True
        return view
    return a[view_index(a.ndim, kind, p)]


def view_scatter(x: Any, src: Any, **p: Any) -> Any:
    """x with src written into the view scatter_view(x, p) reads (select/slice/diagonal)."""
    out = x.copy()
    scatter_view(out, p)[...] = src
    return out
