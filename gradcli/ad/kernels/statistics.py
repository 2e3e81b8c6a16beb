"""Statistics kernels: scans (cumsum, cumprod, logcumsumexp, cummax/cummin), variance and
standard deviation in PyTorch's algorithm, sorting and selection (sort, topk, kthvalue,
median, mode), NaN-aware sums and pairwise distances."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.kernels import clib as C
from gradcli.ad.kernels import stlsort as stl
from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.messages import TorchError, not_implemented, scalar_name
from gradcli.ad.kernels.reductions import torch_sum

ndarray = np.ndarray
_f64 = np.dtype(np.float64)
_i64 = np.dtype(np.int64)


def wrap_dim(dim: int, ndim: int) -> int:
    """dim in [0, ndim) (a 0-dim tensor takes 0 and -1), or PyTorch's IndexError text."""
    n = ndim if ndim else 1
    if type(dim) is not int and not isinstance(dim, (int, np.integer)):
        raise TorchError(f"dim must be an int, not {type(dim).__name__}")
    if not -n <= dim < n:
        raise TorchError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return dim % n


def _scan_dtype(x: ndarray, dtype: Any) -> np.dtype:
    if dtype is not None:
        return np.dtype(dtype)
    return x.dtype if x.dtype.kind in "fc" else _i64


def _scan(x: ndarray, dim: int, dtype: Any, ufunc: np.ufunc) -> Any:
    # PyTorch's cpu_cum_base_kernel: a sequential loop in the accumulate type (double for
    # float), each partial result rounded to the output dtype.
    out_dt = _scan_dtype(x, dtype)
    d = wrap_dim(dim, x.ndim)
    a = x.astype(out_dt, copy=False)
    if a.ndim == 0:
        return a.copy()
    # the accumulate type: double, complex<double> for complex
    acc = _f64 if out_dt.kind == "f" else np.dtype(np.complex128) if out_dt.kind == "c" \
        else out_dt
    out = ufunc.accumulate(a.astype(acc), axis=d)
    if ufunc is np.add and out_dt.kind == "f":
        out += 0.0  # the loop's sum starts from +0.0: a leading -0.0 becomes +0.0
    return out.astype(out_dt)


def cumsum(x: ndarray, dim: int, dtype: Any = None) -> Any:
    """Cumulative sum along dim (ints and bools to int64)."""
    return _scan(x, dim, dtype, np.add)


def cumprod(x: ndarray, dim: int, dtype: Any = None) -> Any:
    """Cumulative product along dim (ints and bools to int64)."""
    return _scan(x, dim, dtype, np.multiply)


def cumprod_backward_zeros(g: Any, x: Any, out: Any, dim: int) -> Any:
    """cumprod_backward of an input with zeros outside grad mode, as PyTorch computes it:
    before each row's first zero, the reversed cumsum of grad·out divided by x; at the
    first zero, Σ grad_k·Π x over (z1, k] for k before the second zero, times out at the
    element before the first; elsewhere 0."""
    gx = np.asarray(g, x.dtype)
    zero = x.dtype.type(0)
    count = np.cumsum(x == 0, axis=dim)
    before = count == 0
    grad_in = np.zeros(x.shape, x.dtype)
    term = np.where(before, gx * out, zero)
    rev = np.flip(cumsum(np.flip(term, dim), dim), dim)  # (float32's in double)
    with np.errstate(divide="ignore", invalid="ignore"):
        grad_in[before] = (rev / x)[before]
    second = count == 1
    first = np.argmax(second, axis=dim)[(slice(None),) * dim + (None,)]  # first True
    first_mask = np.zeros(x.shape, bool)
    np.put_along_axis(first_mask, first, True, axis=dim)
    first_mask &= second
    between = second & ~first_mask
    run = cumprod(np.where(between, x, x.dtype.type(1)), dim)
    run = np.ascontiguousarray(run * np.where(second, gx, zero))
    total = np.asarray(torch_sum(run, dim, True))
    prev = np.take_along_axis(out, np.maximum(first - 1, 0), axis=dim)
    prev = np.where(first == 0, x.dtype.type(1), prev)
    grad_in[first_mask] = np.broadcast_to(total * prev, x.shape)[first_mask]
    return grad_in


def logcumsumexp(x: ndarray, dim: int) -> Any:
    """log(cumsum(exp(x))) along dim, stable (floating dtypes only)."""
    if x.dtype.kind != "f":
        raise not_implemented("logcumsumexp_out_cpu", x.dtype)
    d = wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        return x.copy()
    with np.errstate(invalid="ignore"):
        # (+ 0.0: PyTorch's scan starts from -inf, and log_add_exp(-inf, -0.0) is +0.0)
        return (np.logaddexp.accumulate(x.astype(_f64), axis=d) + 0.0).astype(x.dtype)


def cumextreme(x: ndarray, dim: int, largest: bool) -> tuple[Any, Any]:
    """(values, indices) of cummax/cummin: a tie moves the index to the later element, a
    NaN stays (PyTorch's `x >= out` / `x <= out` loop)."""
    d = wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        return x.copy(), np.zeros((), _i64)
    a = np.moveaxis(x, d, 0)
    vals = np.empty_like(a)
    idx = np.empty(a.shape, _i64)
    cur = a[0].copy() if a.shape[0] else None
    pos = np.zeros(a.shape[1:], _i64)
    floats = x.dtype.kind == "f"
    for i in range(a.shape[0]):
        xi = a[i]
        take = (xi >= cur) if largest else (xi <= cur)
        if floats:
            take = np.isnan(xi) | (~np.isnan(cur) & take)
        cur = np.where(take, xi, cur)
        pos = np.where(take, i, pos)
        vals[i] = cur
        idx[i] = pos
    return np.moveaxis(vals, 0, d), np.moveaxis(idx, 0, d)


# -- variance --------------------------------------------------------------------------

def _dims(dim: Any, ndim: int) -> tuple[int, ...]:
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    out = tuple(wrap_dim(int(d), ndim) for d in dims)
    if len(set(out)) != len(out):
        dup = next(d for i, d in enumerate(out) if d in out[:i])
        raise TorchError(f"dim {dup} appears multiple times in the list of dims")
    return out if ndim else ()


_WELFORD_MAX = 1 << 16  # longer reductions: a double two-pass (same to ~1 ulp of double)


def _welford(x: ndarray, dims: tuple[int, ...], keepdim: bool) -> tuple[Any, Any, int]:
    """(mean, m2, n) of PyTorch's WelfordOps in double, element by element along the
    reduced dims (in index order), vectorised over the outputs."""
    rest = [d for d in range(x.ndim) if d not in dims]
    a = np.transpose(x.astype(_f64), (*dims, *rest)) if x.ndim else x.astype(_f64)
    n = math.prod(x.shape[d] for d in dims) if x.ndim else 1
    a = a.reshape(n, *[x.shape[d] for d in rest])
    if n > _WELFORD_MAX:
        mean = np.mean(a, axis=0)
        m2 = np.sum((a - mean) ** 2, axis=0)
    else:
        mean = np.zeros(a.shape[1:])
        m2 = np.zeros(a.shape[1:])
        with np.errstate(invalid="ignore"):
            for i in range(n):
                delta = a[i] - mean
                mean = mean + delta / (i + 1)
                m2 = m2 + delta * (a[i] - mean)
        if n == 0:
            mean = mean + np.nan
    if keepdim and x.ndim:
        shape = [1 if d in dims else s for d, s in enumerate(x.shape)]
        mean, m2 = mean.reshape(shape), m2.reshape(shape)
    return mean, m2, n


def var(x: ndarray, dim: Any = None, correction: float = 1.0, keepdim: bool = False,
        take_sqrt: bool = False, welford: bool = False) -> Any:
    """Variance (or its square root) with `correction`, in PyTorch's algorithm: for one
    output, std_var_all_cpu (the dtype's mean, then Σ(x - mean)² in double, in order);
    otherwise (and always for var_mean/std_mean: `welford`) Welford's in double."""
    if x.dtype.kind != "f":
        raise TorchError("std and var only support floating point and complex dtypes")
    dims = _dims(dim, x.ndim)
    out_size = math.prod(s for d, s in enumerate(x.shape) if d not in dims)
    with np.errstate(divide="ignore", invalid="ignore"):
        if out_size <= 1 and not welford:
            n = x.size
            if n:
                mean = float(np.asarray(torch_sum(x)) / x.dtype.type(n))
                dx = x.ravel(order="K").astype(_f64) - mean
                total = np.add.accumulate(dx * dx)[-1]
            else:
                total = np.float64(np.nan)
            v = np.float64(total) / max(0.0, n - correction)
            # (out_size 0: an empty result, its other dims kept)
            shape = [1 if d in dims else s for d, s in enumerate(x.shape)
                     if keepdim or d not in dims]
            v = np.full(shape, v)
        else:
            _, m2, n = _welford(x, dims, keepdim)
            v = m2 / (n - correction if n > correction else 0.0)
        if take_sqrt:
            v = np.sqrt(v)
    return np.asarray(v).astype(x.dtype)


def var_dof_nonpositive(x: ndarray, dim: Any, correction: float) -> bool:
    """Whether the degrees of freedom N - correction are <= 0 (PyTorch warns)."""
    dims = _dims(dim, x.ndim)
    n = math.prod(x.shape[d] for d in dims) if dims else 1
    return n - correction <= 0


def mean_f64(x: ndarray, dim: Any = None, keepdim: bool = False) -> Any:
    """The mean var_mean/std_mean return (Welford's, in double)."""
    if x.dtype.kind != "f":
        raise TorchError("std and var only support floating point and complex dtypes")
    mean, _, _ = _welford(x, _dims(dim, x.ndim), keepdim)
    return np.asarray(mean).astype(x.dtype)


# -- sorting and selection -------------------------------------------------------------

def _ascending_order(a: ndarray, axis: int) -> Any:
    """Stable ascending order, NaN last (std::stable_sort with PyTorch's comparator)."""
    return np.argsort(a, axis=axis, kind="stable")


def _descending_order(a: ndarray, axis: int) -> Any:
    """Stable descending order, NaN first."""
    if a.dtype.kind == "b":
        a = a.astype(np.int8)
    if a.dtype.kind == "f":
        key = np.where(np.isnan(a), -np.inf, -a)
        return np.lexsort((key, ~np.isnan(a)), axis=axis)
    return np.argsort(-a.astype(_i64), axis=axis, kind="stable")


def _isnan(v: Any) -> bool:
    return v != v


def _asc(a: Any, b: Any) -> bool:  # PyTorch's KeyValueCompAsc: NaN greatest
    return (not _isnan(a[0]) and _isnan(b[0])) or a[0] < b[0]


def _desc(a: Any, b: Any) -> bool:  # KeyValueCompDesc
    return (_isnan(a[0]) and not _isnan(b[0])) or a[0] > b[0]


def _rows(x: ndarray, d: int) -> ndarray:
    """x with dim d last, as rows (an explicit row count: reshape(-1, 0) is ambiguous)."""
    last = np.moveaxis(x, d, -1)
    return last.reshape(math.prod(last.shape[:-1]), x.shape[d])


def _from_rows(rows: ndarray, x: ndarray, d: int, size: int) -> Any:
    shape = [*np.moveaxis(x, d, -1).shape[:-1], size]
    return np.moveaxis(rows.reshape(shape), -1, d)


# The C++ algorithms run in Python (~10 us an element): above this many elements a tensor
# is ordered stably instead (equal values may then report other indices than PyTorch's).
PORT_LIMIT = 100_000


def _has_ties(row: ndarray, total: int) -> bool:
    """Whether a row has equal values (or NaN), when its tensor (`total` elements) is
    small enough for the ported algorithms."""
    if total > PORT_LIMIT:
        return False
    return np.unique(row).size < row.size or (row.dtype.kind == "f" and
                                               bool(np.isnan(row).any()))


def _pairs(row: ndarray) -> list[tuple[Any, int]]:
    return list(zip(row.tolist(), range(row.size), strict=True))


def sort(x: ndarray, dim: int = -1, descending: bool = False,
         stable: bool = False) -> tuple[Any, Any]:
    """(values, indices) sorted along dim: std::stable_sort when `stable`, else std::sort
    (introsort: where ties land is the algorithm's)."""
    if x.dtype.kind == "c":
        raise TorchError(" Sort does not support complex dtypes on CPU")
    d = wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        return x.copy(), np.zeros((), _i64)
    idx = (_descending_order if descending else _ascending_order)(x, d).astype(_i64)
    if not stable and x.shape[d] > _STABLE_UP_TO:
        rows, out = _rows(x, d), _rows(idx, d).copy()
        less = _desc if descending else _asc
        for r, row in enumerate(rows):
            if _has_ties(row, x.size):
                pairs = _pairs(row)
                stl.sort(pairs, less)
                out[r] = [j for _, j in pairs]
        idx = _from_rows(out, x, d, x.shape[d])
    return np.take_along_axis(x, idx, axis=d), idx


# std::sort of at most 16 elements is an insertion sort: stable.
_STABLE_UP_TO = 16


def topk(x: ndarray, k: int, dim: int = -1, largest: bool = True,
         sorted: bool = True) -> tuple[Any, Any]:
    """(values, indices) of the k largest (smallest) along dim: PyTorch's topk_impl_loop
    (std::partial_sort when k·64 ≤ n, else std::nth_element then std::sort of the first
    k - 1)."""
    if x.dtype.kind == "c":
        raise TorchError(" topk does not support complex dtypes on CPU")
    d = wrap_dim(dim, x.ndim)
    size = x.shape[d] if x.ndim else 1
    if not 0 <= k <= size:
        raise TorchError("selected index k out of range", py_type="RuntimeError")
    if x.dtype == np.bool_:
        raise TorchError("topk does not support bool dtypes on CPU")
    if x.ndim == 0:
        return x.copy(), np.zeros((), _i64)
    rows = _rows(x, d)
    out = np.empty((rows.shape[0], k), _i64)
    less = _desc if largest else _asc
    order = _descending_order if largest else _ascending_order
    for r, row in enumerate(rows):
        if k == 0:
            continue
        if (sorted or x.size > PORT_LIMIT) and not _has_ties(row, x.size):
            out[r] = order(row, 0)[:k]
            continue
        pairs = _pairs(row)
        if k * 64 <= size:
            stl.partial_sort(pairs, k, less)
        else:
            stl.nth_element(pairs, k - 1, less)
            if sorted:
                stl.sort(pairs, less, 0, k - 1)
        out[r] = [j for _, j in pairs[:k]]
    idx = _from_rows(out, x, d, k)
    return np.take_along_axis(x, idx, axis=d), idx


def kthvalue(x: ndarray, k: int, dim: int = -1, keepdim: bool = False) -> tuple[Any, Any]:
    """(values, indices) of the k-th smallest along dim (PyTorch's quick select)."""
    d = wrap_dim(dim, x.ndim)
    size = x.shape[d] if x.ndim else 1
    if size == 0:
        raise TorchError(f"kthvalue(): Expected reduction dim {d} to have non-zero size.")
    if not 1 <= k <= size:
        raise TorchError(f"kthvalue(): selected number k out of range for dimension {d}",
                         py_type="RuntimeError")
    if x.dtype.kind == "c":
        raise TorchError(not_implemented("kthvalue_cpu", x.dtype).args[0],
                         py_type="NotImplementedError")
    if x.ndim == 0:
        return x.copy(), np.zeros((), _i64)
    if x.dtype == np.bool_:
        raise not_implemented("kthvalue_cpu", x.dtype)
    rows = _rows(x, d)
    out = np.empty((rows.shape[0], 1), _i64)
    for r, row in enumerate(rows):
        if not _has_ties(row, x.size):
            out[r] = _ascending_order(row, 0)[k - 1]
            continue
        pairs = _pairs(row)
        stl.quick_select(pairs, k - 1, _desc)
        out[r] = pairs[k - 1][1]
    return _picked(x, _from_rows(out, x, d, 1), d, keepdim)


def _picked(x: ndarray, idx: ndarray, d: int, keepdim: bool) -> tuple[Any, Any]:
    vals = np.take_along_axis(x, idx, axis=d)
    if not keepdim:
        return np.squeeze(vals, d), np.squeeze(idx, d)
    return vals, idx


def _nth_element_zero(x: ndarray, k: int) -> Any:
    """The element std::nth_element(first, first + k, last) leaves at k of PyTorch's clone
    of x (its memory order when x is dense: clone keeps the strides; else C order), NaN
    last: median_impl's pick between tied 0.0 and -0.0."""
    dense = x.flags.c_contiguous or _dense(x)
    flat = x.ravel(order="K" if dense else "C").tolist()
    pairs = [(v, i) for i, v in enumerate(flat)]

    def less(a: Any, b: Any) -> bool:
        return a[0] < b[0] or (b[0] != b[0] and a[0] == a[0])

    stl.nth_element(pairs, k, less)
    return pairs[k][0]


def _dense(x: ndarray) -> bool:
    """PyTorch's is_non_overlapping_and_dense: the strides a permutation of contiguous
    ones (size-1 dims aside)."""
    expect = x.itemsize
    for st, n in sorted((st, n) for st, n in zip(x.strides, x.shape, strict=True) if n != 1):
        if st != expect:
            return False
        expect *= n
    return True


#: NaN converted to an integer dtype by x86's cvttsd2si (the integer indefinite value; the
#: narrow types keep its low bits), and to bool (NaN is nonzero).
_NAN_AS = {"int64": np.iinfo(np.int64).min, "int32": np.iinfo(np.int32).min, "bool": True}


def median(x: ndarray, dim: Any = None, keepdim: bool = False,
           ignore_nan: bool = False) -> Any:
    """median(x) (the lower median; NaN if any) or (values, indices) along dim."""
    if dim is None:
        if x.size == 0:  # ATen's NaN, converted to the dtype as x86 converts it
            return np.full((), _NAN_AS.get(x.dtype.name, np.nan if x.dtype.kind in "fc" else 0),
                           x.dtype)
        if x.dtype == np.bool_:
            raise not_implemented("median_cpu", x.dtype)
        flat = x.ravel()
        if x.dtype.kind == "f":
            nans = np.isnan(flat)
            if nans.any() and not ignore_nan:
                return np.asarray(np.nan, x.dtype)
            flat = flat[~nans]
            if flat.size == 0:
                return np.asarray(np.nan, x.dtype)
        k = (flat.size - 1) // 2
        value = np.sort(flat)[k]
        if value == 0 and x.dtype.kind == "f":
            signs = np.signbit(flat[flat == 0])
            if signs.any() and not signs.all():  # which zero: where nth_element leaves one
                value = _nth_element_zero(x, k)
        return np.asarray(value, x.dtype)
    d = wrap_dim(dim, x.ndim)
    if x.ndim and x.shape[d] == 0:
        raise TorchError(f"median(): Expected reduction dim {d} to have non-zero size.")
    if x.dtype == np.bool_:
        raise not_implemented("median_out", x.dtype)
    if x.ndim == 0:
        return x.copy(), np.zeros((), _i64)
    order = _ascending_order(x, d)
    size = x.shape[d]
    if x.dtype.kind == "f":
        nan_count = np.sum(np.isnan(x), axis=d, keepdims=True)
        if ignore_nan:
            pos = np.maximum(size - nan_count - 1, 0) // 2
        else:
            pos = np.where(nan_count > 0, size - nan_count, (size - 1) // 2)
    else:
        pos = np.full([1 if i == d else s for i, s in enumerate(x.shape)], (size - 1) // 2)
    idx = np.take_along_axis(order, pos.astype(_i64), axis=d).astype(_i64)
    vals = np.take_along_axis(x, idx, axis=d)
    if not keepdim:
        return np.squeeze(vals, d), np.squeeze(idx, d)
    return vals, idx


def _less_value(a: Any, b: Any) -> bool:
    return a[0] < b[0]


def mode(x: ndarray, dim: int = -1, keepdim: bool = False) -> tuple[Any, Any]:
    """(values, indices): PyTorch's mode_kernel_impl: std::sort of (value, index) pairs,
    the first run of the highest count (the smallest value), the index of its last pair."""
    d = wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        return x.copy(), np.zeros((), _i64)
    if x.shape[d] == 0:
        raise TorchError(f"mode(): Expected reduction dim {d} to have non-zero size.")
    rows = _rows(x, d)
    out = np.empty((rows.shape[0], 1), _i64)
    for r, row in enumerate(rows):
        if not _has_ties(row, x.size):
            out[r] = np.argmin(row)
            continue
        pairs = _pairs(row)
        stl.sort(pairs, _less_value)
        best, best_i, run = 0, 0, 0
        for i, (v, j) in enumerate(pairs):
            run += 1
            if i == len(pairs) - 1 or v != pairs[i + 1][0]:
                if run > best:
                    best, best_i = run, j
                run = 0
        out[r] = best_i
    return _picked(x, _from_rows(out, x, d, 1), d, keepdim)


# -- NaN-aware sums and distances -------------------------------------------------------

def nansum(x: ndarray, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Any:
    """Sum treating NaN as 0 (ints and bools to int64)."""
    if dtype is not None:
        x = x.astype(np.dtype(dtype))
    if x.dtype.kind != "f":
        dims = _dims(dim, x.ndim) if dim is not None else None
        return np.asarray(np.sum(x, axis=dims, keepdims=keepdim, dtype=_i64))
    axis = None if dim is None else _dims(dim, x.ndim)
    return np.asarray(torch_sum(_zero_nans_in_place_layout(x), axis, keepdim))


def _zero_nans_in_place_layout(x: ndarray) -> ndarray:
    """x with NaN as 0, laid out as x (an expanded or strided x keeps its strides: the sum
    walks it as PyTorch's ignore-NaN cascade_sum walks x)."""
    zero = x.dtype.type(0)
    if x.flags.c_contiguous or x.size == 0 or any(st < 0 for st in x.strides):
        return np.where(np.isnan(x), zero, x)
    span = sum((n - 1) * st for n, st in zip(x.shape, x.strides, strict=True)) // x.itemsize + 1
    memory = np.lib.stride_tricks.as_strided(x, (span,), (x.itemsize,), writeable=False)
    clean = np.where(np.isnan(memory), zero, memory)
    return np.lib.stride_tricks.as_strided(clean, x.shape, x.strides, writeable=False)


def count_nonzero(x: ndarray, dim: Any = None) -> Any:
    """How many elements are nonzero (int64)."""
    axis = None if dim is None else _dims(dim, x.ndim)
    return np.asarray(np.count_nonzero(x, axis=axis)).astype(_i64)


def cdist(x1: ndarray, x2: ndarray, p: float = 2.0) -> Any:
    """p-norm distances between the rows of x1 (…, P, M) and of x2 (…, R, M), as
    PyTorch's direct kernel (run_parallel_cdist) sums them: each pair's M terms one after
    another from 0 (numpy's sum would add 8 at a time). For p = 2 its compiled loop
    squares 4 floats (2 doubles) at a time and adds the squares in order, and fuses the
    square into the add (one rounding) for the last M mod 4 (mod 2) terms; other p add
    |d|^p (the C library's pow in the dtype) and take the 1/p-th power in double.
    Measured against torch for M up to 67."""
    check_cdist(x1, x2, p)
    dt = np.result_type(x1.dtype, x2.dtype)
    diff = np.abs(x1[..., :, None, :] - x2[..., None, :, :]).astype(dt)
    if dt not in (np.float32, np.float64) or p in (0, math.inf) or diff.shape[-1] == 0:
        return _pnorm(diff, p, -1).astype(dt)
    m = diff.shape[-1]
    agg = np.zeros(diff.shape[:-1], dt)
    t = dt.type
    if p == 1:
        for k in range(m):
            agg = agg + diff[..., k]
        return agg
    if p == 2:
        grouped = m - m % (4 if dt == np.float32 else 2)
        for k in range(m):
            d = diff[..., k]
            agg = agg + d * d if k < grouped else fma(d, d, agg)
        return np.sqrt(agg)
    with np.errstate(all="ignore"):
        for k in range(m):
            d = diff[..., k]
            agg = agg + (C.call("pow", d, np.full_like(d, t(p)), dtype=dt) if dt == np.float32
                         else np.power(d, np.full_like(d, p)))
        wide = agg.astype(np.float64)  # an array exponent: numpy squares for a scalar 2
        return np.power(wide, np.full_like(wide, 1.0 / float(t(p)))).astype(dt)


def euclidean_dist(x1: ndarray, x2: ndarray) -> Any:
    """PyTorch's _euclidean_dist (cdist's p=2 with more than 25 rows): one matmul of
    [-2·x1, |x1|², 1] and [x2, 1, |x2|²], clamped at 0, square-rooted."""
    check_cdist(x1, x2, 2.0)
    n1 = torch_sum(x1 * x1, -1, True)
    n2 = torch_sum(x2 * x2, -1, True)
    a = np.concatenate([x1 * x1.dtype.type(-2), n1, np.ones_like(n1)], -1)
    b = np.concatenate([x2, np.ones_like(n2), n2], -1)
    return np.sqrt(np.maximum(a @ np.swapaxes(b, -1, -2), 0))


def check_cdist(x1: ndarray, x2: ndarray, p: float) -> None:
    """cdist's argument checks, with PyTorch's messages."""
    if x1.ndim < 2:
        raise TorchError(f"cdist only supports at least 2D tensors, X1 got: {x1.ndim}D")
    if x2.ndim < 2:
        raise TorchError(f"cdist only supports at least 2D tensors, X2 got: {x2.ndim}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise TorchError("X1 and X2 must have the same number of columns. "
                         f"X1: {x1.shape[-1]} X2: {x2.shape[-1]}")
    for a, which in ((x1, "X1"), (x2, "X2")):
        if a.dtype.kind != "f":
            raise TorchError(f"cdist only supports floating-point dtypes, {which} got: "
                             f"{scalar_name(a.dtype)}")
    if p < 0:
        raise TorchError("cdist only supports non-negative p values")


def _pnorm(a: ndarray, p: float, axis: int) -> Any:
    if p == 0:
        return np.sum(a != 0, axis=axis).astype(a.dtype)
    if p == math.inf:
        return np.max(a, axis=axis, initial=0)
    if p == 1:
        return np.sum(a, axis=axis)
    if p == 2:
        return np.sqrt(np.sum(a * a, axis=axis))
    return np.power(np.sum(np.power(a, p), axis=axis), 1.0 / p)


def dist_diff(x: ndarray, y: ndarray) -> Any:
    """x - y for dist, as PyTorch's at::dist (norm(x - y)): the subtraction's own dtype
    promotion (a long tensor and a float one give float; bool refused) and broadcasting,
    then norm's check of the difference's dtype."""
    from gradcli.ad.kernels.elementwise import sub

    d = sub(x, y)
    if d.dtype.kind not in "fc":
        raise TorchError("norm(): input dtype should be either floating point or complex. "
                         f"Got {scalar_name(d.dtype)} instead.")
    return d


def finfo_max(dtype: np.dtype) -> float:
    """The largest finite value of a float dtype."""
    return float(np.finfo(dtype).max)
