"""PyTorch's float sum of a tensor of any layout with non-negative strides, broadcast
(stride-0) dims included, as its TensorIterator walks it (aten/src/ATen/TensorIterator.cpp,
TensorIteratorReduce.cpp, native/cpu/SumKernel.cpp's cascade_sum).

The iterator drops dims of size 1, sorts the others innermost first (reorder_dimensions:
the output's reduced dims innermost, then by the strides of the output and the input in
turn, a stride of 0 deferring to the next operand, equal strides putting the smaller dim
inside; an insertion sort that stops at the first dim that must stay), and merges
neighbours that are contiguous for both operands (coalesce_dimensions: two broadcast dims
of one kind merge). Its two innermost dims make each call of the 2-D loop: a row sum per
column, the kernel chosen by the input's strides (vectorised inner, vectorised outer,
scalar inner or scalar outer), each column's result added to its output in column order;
the calls follow the outer dims, innermost fastest. A whole-tensor sum of at least 32768
elements on more than one thread is split in one linear range a thread (two_pass_reduction:
ranges start and end mid-row), whose partial sums are then summed; a larger partial
reduction splits a kept dim between the threads (parallel_dim_reduction).

The reduction loops themselves (row_sum, multi_row_sum, the vector sums) are those of
kernels/reductions.py; this module only walks the layout.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.kernels import clib
from gradcli.ad.kernels import vecmath as VM
from gradcli.ad.kernels.cascade import _multi_row_sum, _row_sum, _torch_sum0

ndarray = np.ndarray

GRAIN = 32768
# Larger broadcast tensors keep numpy's order: the walk materialises the elements.
MAX_ELEMENTS = 1 << 24


def walkable(x: ndarray) -> bool:
    """Whether walk_sum models x: a non-empty float32/float64 array, no negative stride,
    not too large to materialise."""
    return (x.dtype in (dtypes.float32, dtypes.float64) and 0 < x.size <= MAX_ELEMENTS
            and all(st >= 0 for st in x.strides))


def has_broadcast(x: ndarray) -> bool:
    """Whether a dim of more than one element has stride 0 (an expanded view)."""
    return any(st == 0 and k > 1 for st, k in zip(x.strides, x.shape, strict=True))


def _should_swap(a: int, b: int, shape: tuple[int, ...], ostr: dict[int, int],
                 istr: dict[int, int]) -> int:
    """TensorIterator's reorder_dimensions comparison of dims a (inside) and b."""
    s0, s1 = ostr[a], ostr[b]
    if (s0 == 0) != (s1 == 0):  # the output's reduced dims go innermost
        return 1 if s1 == 0 else -1
    for s0, s1 in ((ostr[a], ostr[b]), (istr[a], istr[b])):
        if s0 == 0 or s1 == 0:
            continue
        if s0 < s1:
            return -1
        if s0 > s1:
            return 1
        if shape[a] > shape[b]:
            return 1
    return 0


def iterator_dims(x: ndarray, reduced: set[int]) -> tuple[list[list[int]], int]:
    """The iterator's dims, innermost first, as [size, input stride, output stride] (in
    elements), and the number of outputs. Dims of size 1 take part in the sort (with
    numpy's strides, which are PyTorch's for the layouts gd makes) and then merge away."""
    shape = x.shape
    ostr: dict[int, int] = {}
    nout = 1
    for d in range(x.ndim - 1, -1, -1):
        ostr[d] = 0 if d in reduced else nout
        if d not in reduced:
            nout *= shape[d]
    istr = {d: x.strides[d] // x.itemsize for d in range(x.ndim)}
    perm = list(range(x.ndim - 1, -1, -1))  # size-1 dims too: their strides count
    for i in range(1, len(perm)):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            c = _should_swap(perm[d0], perm[d1], shape, ostr, istr)
            if c > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif c < 0:
                break
    dims: list[list[int]] = []
    for d in perm:
        k = shape[d]
        if dims:
            last = dims[-1]
            if last[0] == 1:  # a size-1 dim takes its neighbour's strides
                dims[-1] = [k, istr[d], ostr[d]]
                continue
            if k == 1 or (last[0] * last[1] == istr[d] and last[0] * last[2] == ostr[d]):
                last[0] *= k
                continue
        dims.append([k, istr[d], ostr[d]])
    while len(dims) < 2:  # the 2-D loop's strides are padded with zeros
        dims.append([1, 0, 0])
    return dims, nout


def _columns(blk: ndarray, s0: int, s1: int) -> ndarray:
    """cascade_sum's 2-D loop over blk (batch, size1, size0), dim 0 reduced: each
    column's sum (batch, size1), by the kernel its strides pick."""
    n1, n0 = blk.shape[1], blk.shape[2]
    lanes = 8 if blk.dtype == dtypes.float32 else 4
    r = np.moveaxis(blk, 2, 0)  # (size0, batch, size1): reduced axis first
    if s0 == 1 and n0 >= lanes:  # vectorized_inner_sum
        return np.asarray(_torch_sum0(r))
    if s1 == 1 and n1 >= lanes:  # vectorized_outer_sum: blocks of 4 vectors
        group = 4 * lanes
    elif s0 < s1:  # scalar_inner_sum
        return np.asarray(_row_sum(r))
    else:  # scalar_outer_sum: blocks of 4 columns
        group = 4
    w = n1 // group * group
    out = np.empty(blk.shape[:2], blk.dtype)
    if w:
        out[:, :w] = _multi_row_sum(r[:, :, :w])
    if w < n1:
        out[:, w:] = _row_sum(r[:, :, w:])
    return out


def _loop2d(blk: ndarray, off: ndarray, dims: list[list[int]]
            ) -> tuple[ndarray, ndarray]:
    """One batch of 2-D loop calls: blk and off (batch, size1, size0) the input values and
    their output offsets. Returns the values added to the output and where, in order."""
    (_, s0, o0), (_, s1, o1) = dims[0], dims[1]
    if o0 != 0 and o1 == 0:  # the reduced dim first
        blk, off = blk.swapaxes(1, 2), off.swapaxes(1, 2)
        s0, s1, o0, o1 = s1, s0, o1, o0
    if o0 != 0:  # nothing reduced here: each element added to its own output
        return blk.reshape(-1), off.reshape(-1)
    return _columns(blk, s0, s1).reshape(-1), off[:, :, 0].reshape(-1)


def _walk(v: ndarray, off: ndarray, dims: list[list[int]], begin: int, end: int
          ) -> tuple[list[ndarray], list[ndarray]]:
    """serial_for_each over the linear range [begin, end) of the iterator whose values
    and output offsets are v and off (outermost axis first): DimCounter's 2-D steps,
    whole planes batched."""
    n0, n1 = dims[0][0], dims[1][0]
    plane = n0 * n1
    w = v.reshape(-1, n1, n0)
    o = off.reshape(-1, n1, n0)
    vals: list[ndarray] = []
    offs: list[ndarray] = []
    pos = begin
    while pos < end:
        p, rem = divmod(pos, plane)
        j, i = divmod(rem, n0)
        left = end - pos
        if i or left < n0:  # part of a row
            k = min(n0 - i, left)
            sl = (slice(p, p + 1), slice(j, j + 1), slice(i, i + k))
            pos += k
        elif j or left < plane:  # whole rows to the plane's end (or the range's)
            k = min(n1 - j, left // n0)
            sl = (slice(p, p + 1), slice(j, j + k), slice(None))
            pos += k * n0
        else:  # whole planes
            k = left // plane
            sl = (slice(p, p + k), slice(None), slice(None))
            pos += k * plane
        a, b = _loop2d(w[sl], o[sl], dims)
        vals.append(a)
        offs.append(b)
    return vals, offs


def _views(x: ndarray, dims: list[list[int]]) -> tuple[ndarray, ndarray]:
    """x and its output offsets as arrays over the iterator's dims, outermost first."""
    sizes = [k for k, _, _ in reversed(dims)]
    v = np.lib.stride_tricks.as_strided(
        x, sizes, [s * x.itemsize for _, s, _ in reversed(dims)], writeable=False)
    off = np.zeros((), np.intp)
    for k, _, o in reversed(dims):
        off = off[..., None] + np.arange(k, dtype=np.intp) * o
    return v, off


def _split_dim(dims: list[list[int]], threads: int) -> int:
    """find_split_dim: from the outermost dim in, the first kept one with at least a
    column a thread, else the largest kept one before the first reduced."""
    best = len(dims) - 1
    for d in range(len(dims) - 1, -1, -1):
        if dims[d][2] == 0:
            break
        if dims[d][0] >= threads:
            return d
        if dims[d][0] > dims[best][0]:
            best = d
    return best


def _round(b: int, e: int, multiple: int, size: int) -> tuple[int, int]:
    """round_columns: both ends down to a multiple, the end unless it is the last."""
    return b - b % multiple, e if e == size else e - e % multiple


def walk_sum(x: ndarray, reduced: set[int]) -> ndarray:
    """PyTorch's sum of x (walkable) over the dims `reduced`: the kept dims' values, flat
    in C order."""
    dims, nout = iterator_dims(x, reduced)
    v, off = _views(x, dims)
    threads = VM.threads()
    numel = x.size
    zero = x.dtype.type(0)
    if numel < GRAIN or threads == 1:
        vals, offs = _walk(v, off, dims, 0, numel)
    elif nout == 1:  # two_pass_reduction
        tasks = min(threads, -(-numel // GRAIN))
        chunk = -(-numel // tasks)
        parts = []
        for b in range(0, numel, chunk):
            a, _ = _walk(v, off, dims, b, min(numel, b + chunk))
            buf = np.zeros(1, x.dtype)
            np.add.at(buf, np.zeros(sum(t.size for t in a), np.intp), np.concatenate(a))
            parts.append(buf[0])
        parts += [zero] * (threads - len(parts))
        return np.asarray(zero + _torch_sum0(np.array(parts, x.dtype))).reshape(1)
    else:  # parallel_dim_reduction: a kept dim shared between the threads
        d = _split_dim(dims, threads)
        cols = dims[d][0]
        tasks = min(threads, cols)
        chunk = -(-cols // tasks)
        axis = len(dims) - 1 - d
        vals, offs = [], []
        for b in range(0, cols, chunk):
            e = min(cols, b + chunk)
            if dims[d][1] == 1:  # round to 128 bytes of adjacent columns
                b, e = _round(b, e, 128 // x.itemsize, cols)
            if b == e:
                continue
            sub = [list(t) for t in dims]
            sub[d][0] = e - b
            idx = (slice(None),) * axis + (slice(b, e),)
            a, o = _walk(v[idx], off[idx], sub, 0, math.prod(t[0] for t in sub))
            vals += a
            offs += o
    out = np.zeros(nout, x.dtype)
    np.add.at(out, np.concatenate(offs), np.concatenate(vals))
    return out


def sum_over(x: ndarray, dim: Any, keepdim: bool) -> Any:
    """torch_sum's broadcast case: dim None, an int or a tuple of ints (checked by the
    caller)."""
    n = x.ndim
    reduced = set(range(n)) if dim is None else {
        d % n for d in ((dim,) if type(dim) is int else dim)}
    out = walk_sum(x, reduced)
    keep = tuple(1 if i in reduced else s for i, s in enumerate(x.shape))
    return out.reshape(keep if keepdim else tuple(
        s for i, s in enumerate(x.shape) if i not in reduced))


def reduced_rows(x: ndarray, reduced: set[int]) -> ndarray:
    """x's elements as (outputs, reduced elements), each output's row in the order its
    iterator walks them (binary_kernel_reduce's serial loop: the reduced dims innermost),
    the outputs in C order of the kept dims."""
    dims, nout = iterator_dims(x, reduced)
    k = 0
    while k < len(dims) and dims[k][2] == 0:
        k += 1
    v, off = _views(x, dims)  # axes outermost first: the kept, then the reduced
    kept = len(dims) - k
    rows = np.empty((nout, x.size // nout), x.dtype)
    rows[off[(Ellipsis,) + (0,) * k].reshape(-1)] = v.reshape(math.prod(v.shape[:kept]), -1)
    return rows


def _reduced_set(x: ndarray, dim: Any) -> set[int]:
    n = x.ndim
    return set(range(n)) if dim is None or n == 0 else {
        d % n for d in ((dim,) if type(dim) is int else dim)}


def _shaped(out: ndarray, x: ndarray, reduced: set[int], keepdim: bool) -> ndarray:
    keep = tuple(1 if i in reduced else s for i, s in enumerate(x.shape))
    return out.reshape(keep if keepdim else tuple(
        s for i, s in enumerate(x.shape) if i not in reduced))


def serial_sum(x: ndarray, reduced: set[int], term: Any) -> ndarray:
    """Σ term(x) over the dims `reduced` as binary_kernel_reduce adds them: each output's
    terms one after another in its walk order; a single output of at least 32768
    elements in one run a thread, the runs' sums then added in thread order. Flat."""
    terms = term(reduced_rows(x, reduced))
    threads = VM.threads()
    m = terms.shape[1]
    zero = x.dtype.type(0)
    if terms.shape[0] == 1 and m >= GRAIN and threads > 1:
        tasks = min(threads, -(-m // GRAIN))
        chunk = -(-m // tasks)
        total = zero
        for b in range(0, m, chunk):
            total = total + np.add.accumulate(terms[0, b:b + chunk])[-1]
        return np.asarray(total).reshape(1)
    return np.add.accumulate(terms, axis=1)[:, -1] + zero


def walk_norm(x: ndarray, p: float, dim: Any, keepdim: bool, two_rows: Any) -> Any:
    """PyTorch's CPU p-norm (p finite, not 0) of x over dims, or None when x is not
    walkable: |x| where each output has one element; the 2-norm of rows when the
    iterator reduces one contiguous innermost dim (binary_kernel_reduce_lastdim: the
    caller's two_rows of the rows);
    else binary_kernel_reduce's serial sums (NormTwoOps, NormOneOps, NormOps: the C
    library's pow in the dtype, and 1/p too)."""
    if not walkable(x):
        return None
    reduced = _reduced_set(x, dim)
    if all(x.shape[d] == 1 for d in reduced):
        return _shaped(np.abs(x), x, reduced, keepdim)
    if p == 2:
        dims, _ = iterator_dims(x, reduced)
        inner = dims[0]  # is_reduce_lastdim: one reduced dim, innermost and contiguous
        if inner[2] == 0 and inner[1] == 1 and sum(d[2] == 0 and d[0] > 1 for d in dims) == 1:
            out = two_rows(reduced_rows(x, reduced))
        else:
            out = np.sqrt(serial_sum(x, reduced, lambda r: r * r))
    elif p == 1:
        out = serial_sum(x, reduced, np.abs)
    else:
        q = x.dtype.type(p)
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            total = serial_sum(x, reduced, lambda r: clib.call("pow", np.abs(r), q,
                                                                dtype=x.dtype))
            out = np.asarray(clib.call("pow", total, x.dtype.type(1) / q, dtype=x.dtype))
    return _shaped(out, x, reduced, keepdim)
