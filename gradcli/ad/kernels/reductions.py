"""Reduction kernels: sums (in PyTorch's float summation order), means, products, extrema,
norms, argmax/argmin, logsumexp and softmax."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.kernels import clib
from gradcli.ad.kernels import sum_walk as SW
from gradcli.ad.kernels import vecmath as VM
from gradcli.ad.kernels.cascade import _outer_sum, _row_sum, _seq, _torch_sum0
from gradcli.ad.kernels.elementwise import ARRAY_OUT, wide
from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.half import via_float32
from gradcli.ad.kernels.messages import (
    TorchError,
    empty_reduction_message,
    not_implemented,
    scalar_name,
)

ndarray = np.ndarray

_f32 = dtypes.float32
_f16 = dtypes.float16
_f64 = dtypes.float64


def _wrapped(dim: int, ndim: int) -> int:
    """dim in [0, ndim) (a 0-d tensor takes 0 and -1), or PyTorch's IndexError."""
    n = ndim or 1
    if not -n <= dim < n:
        raise TorchError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})", py_type="IndexError")
    return dim % n


def _check_arg_reduction(x: ndarray, dim: int | None, name: str) -> None:
    if x.dtype.kind == "b":
        raise TorchError(f"{name}(): does not support bool input")
    if x.size:
        return
    if dim is None:
        raise TorchError(
            f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
    d = _wrapped(dim, x.ndim)
    if x.ndim and x.shape[d] == 0:
        raise TorchError(f"{name}(): Expected reduction dim {d} to have non-zero size.",
                         py_type="IndexError")


def argmax(x: ndarray, dim: int | None = None, keepdim: bool = False) -> Any:
    """Index of the maximum (flattened when dim is None)."""
    _check_arg_reduction(x, dim, "argmax")
    if dim is None:  # (keepdim: every dim kept, of size 1)
        return np.asarray(np.argmax(x), dtype=np.int64).reshape((1,) * x.ndim if keepdim else ())
    return np.argmax(x, axis=dim, keepdims=keepdim).astype(np.int64)


def argmin(x: ndarray, dim: int | None = None, keepdim: bool = False) -> Any:
    """Index of the minimum (flattened when dim is None)."""
    _check_arg_reduction(x, dim, "argmin")
    if dim is None:  # (keepdim: every dim kept, of size 1)
        return np.asarray(np.argmin(x), dtype=np.int64).reshape((1,) * x.ndim if keepdim else ())
    return np.argmin(x, axis=dim, keepdims=keepdim).astype(np.int64)


# -- reductions -------------------------------------------------------------------------

# The ufuncs' reduce methods: what np.sum/np.prod/np.amax/np.amin call for an ndarray,
# without their Python wrapper (1.8 against 0.6 us for a small sum).
_sum = np.add.reduce
_prod = np.multiply.reduce
_max = np.maximum.reduce
_min = np.minimum.reduce


def _axis(dim: Any) -> Any:
    if dim is None or type(dim) is int:
        return dim
    return tuple(dim)


# -- PyTorch's float summation order --------------------------------------------------
# PyTorch's CPU sum (aten/src/ATen/native/cpu/SumKernel.cpp, cascade_sum, as compiled for
# AVX2) adds a contiguous row as vectors of 8 floats (4 doubles): four vector accumulators
# (ILP), each a cascade of 4 levels that flush every 2^p rows (p = max(4, log2(rows)/4)),
# then the lanes one by one; a whole-tensor sum of at least 32768 elements is split in one
# chunk per thread whose partial sums are added in thread order. numpy's pairwise sum
# rounds differently (PyTorch's printed digits differ in 60-95% of float32 sums of
# randn(N), N = 10..10^6); the same order, computed with numpy's sequential accumulate on
# whole blocks (no per-element Python), gives PyTorch's bits for whole-tensor sums and
# sums over the last, contiguous dim; sums over several dims follow the iterator's walk
# (_iterated_sum); other layouts walk as PyTorch's TensorIterator does (sum_walk.py).

_SUM_GRAIN = 32768


def torch_sum(x: ndarray, dim: Any = None, keepdim: bool = False) -> Any:
    """Sum of a float array in PyTorch's order: a C-contiguous one here, any other layout
    of non-negative strides (permuted, step-sliced, expanded) by its iterator's walk
    (sum_walk); numpy's pairwise order for what neither models (negative strides, huge
    broadcast views)."""
    n = x.ndim
    if n == 0 and dim is not None:
        dim = _scalar_dims(x, dim)  # a 0-d tensor takes dim 0 and -1 (once each)
    if not x.flags.c_contiguous and SW.walkable(x) and (dim is None or (
            (type(dim) is int and -n <= dim < n) or (type(dim) is tuple and dim and all(
                type(d) is int and -n <= d < n for d in dim)
                and len({d % n for d in dim}) == len(dim)))):
        return SW.sum_over(x, dim, keepdim)  # any other layout: the iterator's walk
    if dim is None or (type(dim) is tuple and len(dim) == n and n
                       and all(type(d) is int and -n <= d < n for d in dim)
                       and len({d % n for d in dim}) == n):
        if x.size < 4:
            return _sum(x, axis=_axis(dim), keepdims=keepdim, dtype=x.dtype, out=ARRAY_OUT)
        flat = x.ravel(order="K")  # memory order, as PyTorch's iterator walks it
        threads = VM.threads()
        if flat.size < _SUM_GRAIN or threads == 1:
            out = _torch_sum0(flat)
        else:
            chunk = -(-flat.size // threads)
            parts = [_torch_sum0(flat[b:b + chunk]) for b in range(0, flat.size, chunk)]
            parts += [np.zeros((), x.dtype)] * (threads - len(parts))
            out = np.zeros((), x.dtype) + _torch_sum0(np.array(parts, x.dtype))
        return np.asarray(out).reshape((1,) * n if keepdim else ())
    d = dim[0] if type(dim) is tuple and len(dim) == 1 else dim
    if type(d) is int and -n <= d < n and x.flags.c_contiguous and x.size:
        d %= n
        keep = (*x.shape[:d], 1, *x.shape[d + 1:])
        if x.size == x.shape[d]:  # one output: the whole-tensor order
            out = torch_sum(x)
            return out.reshape(keep) if keepdim else out.reshape(keep[:d] + keep[d + 1:])
        lanes = 8 if x.dtype == _f32 else 4
        m = x.shape[d]
        cols = x.size // (m * math.prod(x.shape[:d]))
        if d == n - 1 or cols == 1:  # a contiguous inner reduction, row by row
            out = np.asarray(_torch_sum0(x.reshape(-1, m).T))
        else:  # an outer reduction: column blocks (vectors, or scalars when few columns)
            out = _outer_sum(x.reshape(-1, m, cols), lanes if cols >= lanes else 1)
        return out.reshape(keep) if keepdim else out.reshape(keep[:d] + keep[d + 1:])
    if type(dim) is tuple and x.flags.c_contiguous and x.size and all(
            type(d) is int and -n <= d < n for d in dim) and len({d % n for d in dim}) == len(dim):
        reduced = {d % n for d in dim}
        out = _iterated_sum(x, reduced)
        keep = tuple(1 if i in reduced else s for i, s in enumerate(x.shape))
        return out.reshape(keep if keepdim else tuple(
            s for i, s in enumerate(x.shape) if i not in reduced))
    dims = (dim,) if type(dim) is int else dim
    if type(dims) is tuple and x.size and all(type(d) is int and -n <= d < n for d in dims) \
            and len({d % n for d in dims}) == len(dims) \
            and all(st > 0 for st, k in zip(x.strides, x.shape, strict=True) if k > 1):
        # a layout of its own (a permuted view): the iterator walks it by strides
        reduced = {d % n for d in dims}
        kept = tuple(s for i, s in enumerate(x.shape) if i not in reduced)
        out = torch_sum(x) if math.prod(kept) == 1 else _iterated_sum(x, reduced)
        keep = tuple(1 if i in reduced else s for i, s in enumerate(x.shape))
        return np.asarray(out).reshape(keep if keepdim else kept)
    return _sum(x, axis=_axis(dim), keepdims=keepdim, dtype=x.dtype, out=ARRAY_OUT)


def _iterated_sum(x: ndarray, reduced: set[int]) -> Any:
    """PyTorch's sum of a float array over several dims (not all; any layout of positive
    strides), as its TensorIterator walks it: the reduced dims innermost (by the input's
    strides), then the kept ones (in the output's order),
    adjacent dims of one kind coalesced; the two innermost dims make one cascade_sum loop
    (row sums of the innermost dim, or an outer sum over kept columns), whose results are
    added to a zero output in the order the outer dims are walked (innermost fastest).
    Returns the kept dims' values, flat in C order."""
    shape, itemsize = x.shape, x.itemsize
    dims: list[list[Any]] = []  # [size, reduced, stride], innermost first
    order = (sorted((d for d in range(x.ndim) if d in reduced and shape[d] > 1),
                    key=lambda d: (x.strides[d], -d))
             + [d for d in range(x.ndim - 1, -1, -1) if d not in reduced and shape[d] > 1])
    for d in order:
        st = x.strides[d] // itemsize
        if dims and dims[-1][1] == (d in reduced) and dims[-1][0] * dims[-1][2] == st:
            dims[-1][0] *= shape[d]
        else:
            dims.append([shape[d], d in reduced, st])
    nout = math.prod(s for s, r, _ in dims if not r)
    if not dims or not dims[0][1]:  # nothing reduced of more than one element
        return np.add(np.zeros(nout, x.dtype), x.reshape(-1))
    stride = [st for _, _, st in dims]
    v = np.lib.stride_tricks.as_strided(  # the coalesced dims as axes, outermost first
        x, [s for s, _, _ in reversed(dims)], [st * itemsize for st in reversed(stride)],
        writeable=False)
    lanes = 8 if x.dtype == _f32 else 4
    size0 = dims[0][0]
    cols = dims[1][0] if len(dims) > 1 and not dims[1][1] else 0  # a kept second dim
    if stride[0] == 1 and size0 >= lanes:  # vectorized_inner_sum: a row sum per row
        part = _torch_sum0(np.moveaxis(v, -1, 0))
    elif cols and ((stride[1] == 1 and cols >= lanes) or stride[0] > stride[1]):
        lane = lanes if stride[1] == 1 and cols >= lanes else 1  # the outer sums
        rows = np.moveaxis(v, -1, -2)
        part = _outer_sum(rows.reshape(-1, size0, cols), lane).reshape(
            (*rows.shape[:-2], cols))
    else:  # scalar_inner_sum
        part = _row_sum(np.moveaxis(v, -1, 0))
    # part's axes: dims[-1] ... dims[1]; the kept ones first, then the reduced in order.
    last = len(dims) - 1
    kept = [i for i in range(last) if not dims[last - i][1]]
    summed = [i for i in range(last) if dims[last - i][1]]
    part = np.transpose(part, kept + summed).reshape(nout, -1)
    return np.add.accumulate(part, axis=1)[:, -1] + x.dtype.type(0)


def sum(x: ndarray, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Any:
    """Sum over dims (all when None), in `dtype` when given; bools and ints sum to int64;
    floats in PyTorch's order (torch_sum)."""
    if dtype is not None:
        x = x.astype(dtype, copy=False)
    if x.dtype.kind == "f":
        if x.dtype == _f16:  # accumulated in float32, as PyTorch's
            return np.asarray(torch_sum(x.astype(_f32), dim, keepdim)).astype(_f16)
        return torch_sum(x, dim, keepdim)
    if x.dtype.kind == "c":  # each part in the order of its float dtype's sum
        real = np.asarray(torch_sum(np.ascontiguousarray(x.real), dim, keepdim))
        out = np.empty(real.shape, x.dtype)
        out.real = real
        out.imag = torch_sum(np.ascontiguousarray(x.imag), dim, keepdim)
        return out
    out_dtype = np.dtype(np.int64) if dtype is None else x.dtype  # sum(dtype=torch.int32)
    return _sum(x, axis=_axis(dim), keepdims=keepdim, dtype=out_dtype, out=ARRAY_OUT)


def mean(x: ndarray, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Any:
    """Mean over dims (floating tensors only, as in PyTorch), in `dtype` when given."""
    which = "Input" if dtype is None else "Optional"  # whose dtype PyTorch names
    if dtype is not None:
        x = x.astype(dtype, copy=False)
    if x.dtype.kind == "c" and x.size:
        total = sum(x, dim, keepdim)
        return np.true_divide(total, x.size // max(1, np.size(total)), dtype=x.dtype)
    if x.dtype.kind not in "fc":
        raise TorchError(
            f"mean(): could not infer output dtype. {which} dtype must be either a floating "
            f"point or complex dtype. Got: {scalar_name(x.dtype)}"
        )
    if x.dtype == _f16:  # in float32, as PyTorch's
        return np.asarray(mean(x.astype(_f32), dim, keepdim)).astype(_f16)
    if x.size == 0:  # 0/0 for each output element, as PyTorch (numpy would warn)
        total = _sum(x, axis=_axis(dim), keepdims=keepdim, dtype=x.dtype)
        nan = complex(np.nan, np.nan) if x.dtype.kind == "c" else np.nan  # nan+nanj
        return np.full(np.shape(total), nan, dtype=x.dtype)
    total = torch_sum(x, dim, keepdim)  # PyTorch's CPU mean: the sum, divided by the count
    count = x.size // max(1, np.size(total))
    return np.true_divide(total, x.dtype.type(count), dtype=x.dtype)


def prod(x: ndarray, dim: Any = None, keepdim: bool = False) -> Any:
    """Product over a dim (all when None). A float32/float64 product along contiguous
    memory (the whole tensor, or the last dim of a C-contiguous one) in PyTorch's order
    (_vector_prod); other products along a dim run in order, as numpy's."""
    dt = x.dtype if x.dtype.kind in "fc" else np.dtype(np.int64)  # complex: numpy's order
    if (dt is _f32 or dt is _f64) and x.ndim and x.size:
        if dim is None and (x.flags.c_contiguous or x.flags.f_contiguous) \
                and x.size <= _PROD_GRAIN:
            out = _vector_prod(x.ravel(order="K"))
            return out.reshape((1,) * x.ndim) if keepdim else out
        if type(dim) is int and dim % x.ndim == x.ndim - 1 and x.flags.c_contiguous \
                and x.shape[-1] <= _PROD_GRAIN:
            out = _vector_prod(x)
            return out[..., None] if keepdim else out
    return _prod(x, axis=_axis(dim), keepdims=keepdim, dtype=dt, out=ARRAY_OUT)


#: Above this many elements PyTorch splits a whole-tensor reduction between threads.
_PROD_GRAIN = 32768


def _vector_prod(x: ndarray) -> ndarray:
    """The product of each row of x (its last dim) as ATen's vectorized_inner_reduction:
    whole groups of 4 vectors multiplied into 4 vector accumulators lane by lane, the
    accumulators combined as (a0·a1)·(a2·a3), its lanes in order, then the elements past
    the last whole group one by one."""
    n = x.shape[-1]
    width = VM.lanes(x.dtype)
    count = n // (4 * width)
    out = np.ones(x.shape[:-1], x.dtype)
    with np.errstate(all="ignore"):
        if count:
            blocks = x[..., :count * 4 * width].reshape(*x.shape[:-1], count, 4, width)
            acc = blocks[..., 0, :, :].copy()
            for i in range(1, count):
                acc *= blocks[..., i, :, :]
            lanes = (acc[..., 0, :] * acc[..., 1, :]) * (acc[..., 2, :] * acc[..., 3, :])
            for j in range(width):
                out = out * lanes[..., j]
        for k in range(count * 4 * width, n):
            out = out * x[..., k]
    return out


def _check_reduced_sizes(x: ndarray, dim: Any, name: str) -> None:
    # An empty tensor can only be reduced along dims of non-zero size (other dims may be 0).
    if x.size:
        return
    if dim is None:
        raise TorchError(empty_reduction_message(name))
    for given in (dim,) if type(dim) is int else dim:
        d = _wrapped(given, x.ndim)
        if x.ndim and x.shape[d] == 0:  # (PyTorch names the dim as given: -1 stays -1)
            raise TorchError(f"a{name}(): Expected reduction dim {given} to have non-zero "
                             "size.", py_type="IndexError")


def _scalar_dims(x: ndarray, dim: Any) -> Any:
    """The axis numpy reduces over: none for a 0-d tensor, whose dims (0 and -1, each
    once) PyTorch accepts."""
    if x.ndim or dim is None:
        return _axis(dim)
    seen: list[int] = []
    for d in (dim,) if type(dim) is int else dim:
        w = _wrapped(d, 0)
        if w in seen:
            raise TorchError(f"dim {w} appears multiple times in the list of dims")
        seen.append(w)
    return None


def amax(x: ndarray, dim: Any = None, keepdim: bool = False) -> Any:
    """Maximum over dims."""
    _check_reduced_sizes(x, dim, "max")
    return _max(x, axis=_scalar_dims(x, dim), keepdims=keepdim, out=ARRAY_OUT)


def amin(x: ndarray, dim: Any = None, keepdim: bool = False) -> Any:
    """Minimum over dims."""
    _check_reduced_sizes(x, dim, "min")
    return _min(x, axis=_scalar_dims(x, dim), keepdims=keepdim, out=ARRAY_OUT)


def amax_first(x: ndarray, dim: Any = None, keepdim: bool = False) -> Any:
    """amax as torch.amax / aminmax(dim) give it: of tied zeros, the first's sign."""
    return _first_zero(x, amax(x, dim, keepdim), dim, keepdim)


def amin_first(x: ndarray, dim: Any = None, keepdim: bool = False) -> Any:
    """amin as torch.amin / aminmax(dim) give it: of tied zeros, the first's sign."""
    return _first_zero(x, amin(x, dim, keepdim), dim, keepdim)


def _first_zero(x: ndarray, r: Any, dim: Any, keepdim: bool) -> Any:
    """r (an extreme of x over dim) with each zero given the sign of the first zero of its
    slice in index order: ATen's amin/amax kernels keep the value they hold when the next
    one compares equal (min() and max() of all elements are another kernel: not this)."""
    r = np.asarray(r)
    if x.dtype.kind != "f" or not x.ndim or not r.size:
        return r
    at_zero = r == 0
    if not at_zero.any():
        return r
    signs = np.signbit(x[x == 0])
    if signs.all() or not signs.any():  # zeros of one sign only
        return r
    axes = tuple(range(x.ndim)) if dim is None else tuple(
        _wrapped(d, x.ndim) for d in ((dim,) if type(dim) is int else dim))
    kept = [k for i, k in enumerate(x.shape) if i not in axes]
    rows = np.moveaxis(x, axes, tuple(range(x.ndim - len(axes), x.ndim)))
    rows = rows.reshape(math.prod(kept), -1) if kept else rows.reshape(1, -1)
    first = np.take_along_axis(rows, np.argmax(rows == 0, axis=1)[:, None], 1)[:, 0]
    zeros = np.where(np.signbit(first), -0.0, 0.0).astype(x.dtype).reshape(r.shape)
    return np.where(at_zero, zeros, r).astype(x.dtype)


@via_float32
def norm(x: ndarray, p: float = 2.0, dim: Any = None, keepdim: bool = False,
         aten: bool = False, dtype: Any = None) -> Any:
    """Vector p-norm over dims (all when None). `aten`: recorded as at::norm (no effect
    on the value). dtype: a float input computed in that dtype (torch.norm(x,
    dtype=torch.float64): one node, as in PyTorch)."""
    if (p == 2 and dim is None and not keepdim and dtype is None and x.dtype is _f64
            and 0 < x.size <= 32 and x.flags.c_contiguous):  # W6's b.norm(): first
        return np.array(_norm_two_short(x.tolist() if x.ndim == 1 else x.ravel().tolist()))
    if dtype is not None and x.dtype.kind == "f":
        x = x.astype(dtype)
    if x.dtype.kind == "c":  # the norm of the moduli
        x = np.abs(x)
    if x.dtype.kind != "f":
        raise TorchError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. "
            f"Got {scalar_name(x.dtype)}"
        )
    if (p == 2 and dim is None and not keepdim and x.dtype == _f64 and 0 < x.size <= 32
            and x.flags.c_contiguous):  # a short float64 vector: the Python-float path
        return np.array(_norm_two_short(x.ravel().tolist()))
    ax = _axis(dim)
    if p == 2:
        rows = _last_dim_rows(x, dim)
        if rows is not None:
            out = _norm_two_rows(rows)
            every = dim is None or (type(dim) is tuple and sorted(
                d % x.ndim for d in dim) == list(range(x.ndim)))  # over all dims
            shape = [1] * x.ndim if every else list(x.shape)
            if not every:
                shape[-1] = 1
            out = out.reshape(shape)
            return out if keepdim else out.reshape(() if every else tuple(shape[:-1]))
    # (a 0-d tensor with dims given takes ATen's generic loop: pow(pow(|x|, p), 1/p))
    if p != 0 and not math.isinf(p) and _plain_dims(dim, x.ndim) and not (
            x.ndim == 0 and dim is not None) and (out := SW.walk_norm(
            x, p, dim, keepdim, _norm_two_rows)) is not None:
        return out  # binary_kernel_reduce's order, or the 2-norm of a last dim it finds
    if p == 2:
        return np.sqrt(_sum(x * x, axis=ax, keepdims=keepdim), out=ARRAY_OUT)
    a = np.abs(x)
    if p == float("inf"):
        return _max(a, axis=ax, keepdims=keepdim)
    if p == float("-inf"):
        return _min(a, axis=ax, keepdims=keepdim)
    if p == 0:
        return np.asarray(_sum(a != 0, axis=ax, keepdims=keepdim)).astype(x.dtype)
    if p == 1:
        return _sum(a, axis=ax, keepdims=keepdim)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        q = x.dtype.type(p)
        total = np.sum(clib.call("pow", a, q, dtype=x.dtype), axis=ax, keepdims=keepdim)
        return np.asarray(clib.call("pow", total, x.dtype.type(1) / q, dtype=x.dtype))


def _plain_dims(dim: Any, n: int) -> bool:
    """dim is None, or an int or a tuple of distinct ints in range (a 0-d tensor: 0, -1)."""
    if dim is None:
        return True
    dims = (dim,) if type(dim) is int else dim
    m = max(n, 1)
    return type(dims) is tuple and all(type(d) is int and -m <= d < m for d in dims) \
        and len({d % m for d in dims}) == len(dims)


def _last_dim_rows(x: ndarray, dim: Any) -> ndarray | None:
    """x as rows when a norm reduces all of a contiguous x or its last dim (PyTorch's
    vectorised lastdim path), else None."""
    if not x.flags.c_contiguous or x.size == 0:
        return None
    n = x.ndim
    if dim is None or (type(dim) is tuple and sorted(d % n for d in dim) == list(range(n))):
        return x.reshape(1, -1)
    d = dim[0] if type(dim) is tuple and len(dim) == 1 else dim
    if type(d) is int and n and d % n == n - 1 and -n <= d < n:
        return x.reshape(-1, x.shape[-1])
    return None


def _fma(a: Any, b: Any, c: Any) -> Any:
    """a·b + c rounded once (the compiler's contraction of PyTorch's scalar tail)."""
    if a.dtype == _f32:  # exact in double, then one rounding to float
        return (a.astype(np.float64) * b + c).astype(_f32)
    return np.array([_fma_double(p, q, r) for p, q, r in zip(a.tolist(), b.tolist(), c.tolist(),
                                                               strict=True)], a.dtype)


_fsum = math.fsum


def _fma_double(p: float, q: float, r: float) -> float:
    """p·q + r rounded once. Factors of moderate size (W6's norms: every float that is
    not near zero, huge or non-finite) are split in halves of 26 bits (Veltkamp), so
    p·q is four exact products, and math.fsum rounds their exact sum with r once
    (correctly rounded, Shewchuk's algorithm). Others, or an fsum that overflows, take
    integers: the denominators are powers of two and int / int is correctly rounded."""
    if 1e-140 < abs(p) < 1e150 and 1e-140 < abs(q) < 1e150:
        t = 134217729.0 * p
        ph = t - (t - p)
        pl = p - ph
        t = 134217729.0 * q
        qh = t - (t - q)
        ql = q - qh
        try:
            return _fsum((ph * qh, ph * ql, pl * qh, pl * ql, r))
        except OverflowError:
            pass
    try:
        n1, d1 = p.as_integer_ratio()
        n2, d2 = q.as_integer_ratio()
        n3, d3 = r.as_integer_ratio()
    except (OverflowError, ValueError):  # inf or nan: an infinite or nan product is exact,
        # and a finite one (however large) does not change an infinite or nan r
        return p * q + r if not (math.isfinite(p) and math.isfinite(q)) else r
    num, den = n1 * n2, d1 * d2
    if den >= d3:
        num += n3 * (den // d3)
    else:
        num, den = num * (d3 // den) + n3, d3
    if num == 0:
        return p * q + r  # an exact zero: p·q is exact, and IEEE gives the zero's sign
    try:
        return num / den
    except OverflowError:
        return math.inf if num > 0 else -math.inf


def _fma_square(x: float, r: float) -> float:
    """_fma_double(x, x, r) with one split: x·x is xh² + 2·xh·xl + xl², each exact (the
    doubling too), so fsum rounds the same exact sum once (W6's norms: two a norm)."""
    if 1e-140 < abs(x) < 1e150:
        t = 134217729.0 * x
        xh = t - (t - x)
        xl = x - xh
        try:
            return _fsum((xh * xh, 2.0 * xh * xl, xl * xl, r))
        except OverflowError:
            pass
    return _fma_double(x, x, r)


def _norm_two_rows(r: ndarray) -> Any:
    """PyTorch's CPU 2-norm of each row (norm_two_reduce_step): squares summed per lane
    of 8 floats (4 doubles) in order, the lanes one by one, then the tail (its last
    n mod 4 elements with an FMA, as compiled)."""
    lanes = 8 if r.dtype == _f32 else 4
    n = r.shape[1]
    if lanes == 4 and r.shape[0] == 1 and n <= 32:
        return np.array([_norm_two_short(r[0].tolist())], r.dtype)
    m = n - n % lanes
    body = r[:, :m].reshape(r.shape[0], m // lanes, lanes)
    acc = _seq((body * body).swapaxes(0, 1)) if m else np.zeros((r.shape[0], lanes), r.dtype)
    total = acc[:, 0]
    for j in range(1, lanes):
        total = total + acc[:, j]
    q = m + (n - m) // 4 * 4  # the compiler unrolls the tail by 4: plain products there
    for d in range(m, q):
        total = total + r[:, d] * r[:, d]
    for d in range(q, n):
        total = _fma(r[:, d], r[:, d], total)
    return np.sqrt(total)


def _norm_two_short(row: list[float]) -> float:
    """_norm_two_rows of one short float64 row, the same operations in Python floats."""
    m = len(row) - len(row) % 4
    if m:
        acc = [x * x for x in row[:4]]
        for i in range(4, m):
            acc[i % 4] += row[i] * row[i]
        total = acc[0] + acc[1] + acc[2] + acc[3]
    else:  # the lanes hold 0.0, and fma(x, x, 0.0) is x·x rounded once
        total = row[0] * row[0]
        m = 1
    for x in row[m:]:
        total = _fma_square(x, total)
    return math.sqrt(total)


def take_along(x: ndarray, index: ndarray, dim: int, keepdim: bool) -> Any:
    """Values of x at `index` (shaped like x with dim reduced to 1) along dim."""
    out = np.take_along_axis(x, index, axis=dim)
    return out if keepdim else np.squeeze(out, axis=dim)


def scatter_along(g: ndarray, shape: tuple[int, ...], index: ndarray, dim: int,
                  keepdim: bool) -> Any:
    """zeros(shape) with g placed at `index` along dim (the transpose of take_along)."""
    out = np.zeros(shape, dtype=g.dtype)
    np.put_along_axis(out, index, g if keepdim else np.expand_dims(g, dim), axis=dim)
    return out


@via_float32
def logsumexp(x: ndarray, dim: Any, keepdim: bool = False) -> Any:
    """log(sum(exp(x - max))) + max over dims, stable: PyTorch's logsumexp_out_impl (the
    sum in PyTorch's order; an infinite max is 0 where it is added back)."""
    if x.dtype.kind != "f":
        x = dtypes.as_default_float(x)
    ax = _axis(dim)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if x.size == 0:  # the sum of no exponentials: log 0
            return np.log(_sum(np.exp(x), axis=ax, keepdims=keepdim))
        m = _max(x, axis=ax, keepdims=True)
        # PyTorch zeroes an infinite max in place before subtracting it too (the squeezed
        # maxes are a view): a slice of all -inf sums exp(-inf) = 0 and gives -inf.
        m = np.where(np.abs(m) == np.inf, m.dtype.type(0), m)
        total = torch_sum(np.exp(x - m), ax, keepdim)
        back = m if keepdim else np.squeeze(m, axis=ax)
        return np.asarray(np.log(total) + back)


def _exp_and_sum(x: ndarray, dim: int, split: bool = False
                 ) -> tuple[ndarray, ndarray, ndarray]:
    """(x - max, exp of it, its sum along dim) as PyTorch's softmax kernels compute them:
    along the last dim, SLEEF's exp and vec::reduce_all's lane order; along another, the
    positions of the inner dims in whole vectors take SLEEF's exp, the rest the scalar
    exp, and the sum runs along dim in order (kernels/vecmath.py). Whole vectors of what:
    of each chunk of log_softmax's blocks (the inner dims less their last n mod lanes);
    with `split` (softmax's _vec_softmax), of each row of the inner dims clipped to each
    thread's share of outer × inner positions (at::parallel_for with grain size 0)."""
    s = x - np.amax(x, axis=dim, keepdims=True)
    d = dim % x.ndim
    if d == x.ndim - 1:
        e = VM.vexp(s)
        return s, e, VM.reduce_sum_lastdim(e, avx512=True)[..., None]
    n, inner = x.shape[d], math.prod(x.shape[d + 1:])
    s3 = s.reshape(-1, n, inner)
    width = VM.lanes(x.dtype, avx512=True)
    e3 = _vector_exp(s3, _softmax_vector_mask(s3.shape[0], inner, width) if split else None)
    total = e3[:, 0].copy()
    for i in range(1, n):
        total += e3[:, i]
    return s, e3.reshape(s.shape), total.reshape(*x.shape[:d], 1, *x.shape[d + 1:])


def _softmax_vector_mask(outer: int, inner: int, width: int) -> ndarray:
    """Which (outer, inner) positions _vec_softmax takes in whole vectors: its
    at::parallel_for (grain size 0) splits the outer × inner positions in one chunk a
    thread (when there are more than one), and each thread walks its chunk row by row,
    a vector at a time while one fits in the row and the chunk, the rest scalar."""
    total = outer * inner
    tasks = VM.threads() if total > 1 else 1
    chunk = -(-total // tasks)
    return VM.segment_mask(np.arange(total), inner, chunk, width, (outer, inner))


def _vector_exp(s3: ndarray, mask: ndarray | None) -> ndarray:
    """exp of s3 (outer, dim, inner): SLEEF's at the inner positions `mask` marks (None:
    those in whole vectors of the inner dims), the scalar exp elsewhere."""
    if mask is None:
        full = s3.shape[2] - s3.shape[2] % VM.lanes(s3.dtype, avx512=True)
        e3 = np.empty_like(s3)
        e3[..., :full] = VM.vexp(s3[..., :full])
        e3[..., full:] = _scalar_exp(s3[..., full:])
        return e3
    m3 = np.broadcast_to(mask[:, None, :], s3.shape)
    if m3.all():
        return VM.vexp(s3)
    e3 = _scalar_exp(s3)
    if m3.any():
        e3[m3] = VM.vexp(s3[m3])
    return e3


@via_float32
def softmax(x: ndarray, dim: int) -> Any:
    """Softmax along dim, stable, as PyTorch's CPU kernel rounds it: exp(x - max) times
    the reciprocal of the sum along the last dim, divided by it along another."""
    if x.size == 0:
        return x.copy()
    if x.dtype.kind != "f":
        raise _no_integer_softmax("softmax", x, dim)
    if x.ndim == 0:
        return np.exp(x - x)
    _, e, total = _exp_and_sum(x, dim, split=True)
    if dim % x.ndim == x.ndim - 1:
        return e * (x.dtype.type(1) / total)
    return e / total


def _no_integer_softmax(name: str, x: ndarray, dim: int) -> TorchError:
    """ATen's softmax kernels are for floating dtypes: one along the last dim, one along
    another (an empty input is returned as it is, in its own dtype)."""
    last = x.ndim == 0 or dim % x.ndim == x.ndim - 1
    return not_implemented(f"{name}_{'lastdim_' if last else ''}kernel_impl", x.dtype)


def _scalar_exp(a: ndarray) -> ndarray:
    """std::exp of each element (the kernels' scalar loops): the C library's expf for
    float32, exp for float64 (numpy's float64 exp is its own AVX-512 one on this host,
    an ulp off the C library's in ~10% of a softmax backward's scalar tails)."""
    if a.dtype in (_f32, _f64):
        return clib.call("exp", a, dtype=a.dtype)
    return wide(np.exp, a)


def _inner_exp(o: ndarray, dim: int) -> ndarray:
    """exp(o) as PyTorch's softmax kernels take it along dim: SLEEF's along the last dim;
    along another, on the inner positions in whole vectors, the scalar exp on the rest."""
    d = dim % o.ndim
    if d == o.ndim - 1:
        return VM.vexp(o)
    return _vector_exp(o.reshape(-1, o.shape[d], math.prod(o.shape[d + 1:])),
                       None).reshape(o.shape)


def _sum_along(x: ndarray, dim: int, y: ndarray | None = None) -> ndarray:
    """Σ x (or Σ x·y, each product fused into the running sum) along a dim that is not
    the last, in order: PyTorch's softmax backward kernels' vectorised inner loop."""
    xs, ys = np.moveaxis(x, dim, 0), None if y is None else np.moveaxis(y, dim, 0)
    total = xs[0].copy() if ys is None else xs[0] * ys[0]
    for i in range(1, xs.shape[0]):
        total = total + xs[i] if ys is None else fma(xs[i], ys[i], total)
    return np.expand_dims(total, dim)


def softmax_backward(g: ndarray, out: ndarray, dim: int) -> Any:
    """(g - Σ g·out) · out along dim, as PyTorch's CPU kernel rounds it (float32 and
    float64): along the last dim the products summed in vec::reduce_all's lane order,
    along another summed in order, each product fused into the sum."""
    g, out = np.asarray(g), np.asarray(out)
    if g.dtype != out.dtype or g.dtype not in (_f32, _f64) or out.ndim == 0 or not out.size:
        return (out * (g - np.sum(g * out, axis=dim, keepdims=True))).astype(g.dtype,
                                                                            copy=False)
    if dim % out.ndim == out.ndim - 1:
        total = VM.reduce_sum_lastdim(g * out, avx512=True)[..., None]
    else:
        total = _sum_along(g, dim % out.ndim, out)
    return (g - total) * out


def log_softmax_backward(g: ndarray, out: ndarray, dim: int) -> Any:
    """g - exp(out) · Σ g along dim, as PyTorch's CPU kernel rounds it (float32 and
    float64): the sum in vec::reduce_all's lane order along the last dim, in order along
    another; exp as _inner_exp takes it; the product and difference one fused op."""
    g, out = np.asarray(g), np.asarray(out)
    if g.dtype != out.dtype or g.dtype not in (_f32, _f64) or out.ndim == 0 or not out.size:
        return (g - np.exp(out) * np.sum(g, axis=dim, keepdims=True)).astype(g.dtype,
                                                                            copy=False)
    d = dim % out.ndim
    total = (VM.reduce_sum_lastdim(g, avx512=True)[..., None] if d == out.ndim - 1
             else _sum_along(g, d))
    e = _inner_exp(out, d)
    return fma(-e, np.broadcast_to(total, e.shape), g)


@via_float32
def log_softmax(x: ndarray, dim: int) -> Any:
    """log(softmax(x)) along dim, stable: (x - max) - log(Σ exp(x - max))."""
    if x.size == 0:
        return x.copy()
    if x.dtype.kind != "f":
        raise _no_integer_softmax("log_softmax", x, dim)
    if x.ndim == 0:
        return x - x
    s, _, total = _exp_and_sum(x, dim)
    return s - VM.vlog(total)
