"""More of torch.nn.functional's pools: max pools with indices (1-, 2-, 3-d), max_pool3d /
avg_pool3d, adaptive average pools (1-d, 3-d) and adaptive max pools, max_unpool and
lp_pool.

A max pool's winner in each window is found on the values (numpy, the first maximum in
PyTorch's scan order) and the result gathers the input there (x[n, c, index],
IndexBackward0), so the gradient flows to the winner as in PyTorch and every derivative
order works; the indices are PyTorch's (flat positions in each input plane). max_unpool
places values at those indices (index_add_into, whose VJP is a gather). The adaptive
average pools take the mean of PyTorch's windows ([⌊i·L/o⌋, ⌈(i+1)·L/o⌉)).
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.ops import conv as C
from gradcli.ad.ops.activations import relu
from gradcli.ad.ops.conv_transpose import window_index
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.elementwise import abs, mul, neg, pow, sign
from gradcli.ad.ops.indexing import getitem, getitem_raw, index_add_into
from gradcli.ad.ops.reductions import mean
from gradcli.ad.ops.shape import reshape, squeeze, stack, unsqueeze
from gradcli.ad.ops.surface import expose
from gradcli.errors import GdRuntimeError


def _gather_planes(x: Tensor, index: np.ndarray) -> Tensor:
    """x (N, C, *S) at flat plane positions index (N, C, *out)."""
    n, c = x.shape[0], x.shape[1]
    flat = reshape(x, (n, c, math.prod(x.shape[2:])))  # explicit: n or c may be 0
    extra = (1,) * (index.ndim - 2)
    return getitem(flat, (tensor_from_array(np.arange(n).reshape(n, 1, *extra)),
                          tensor_from_array(np.arange(c).reshape(1, c, *extra)),
                          tensor_from_array(index)))


def _first_max(values: np.ndarray, axis: int) -> np.ndarray:
    """Position of each slice's maximum along axis (a NaN wins, as in PyTorch)."""
    nan = np.isnan(values)
    pick = np.argmax(np.where(nan, np.inf, values), axis=axis)
    if nan.any():
        pick = np.where(nan.any(axis=axis), np.argmax(nan, axis=axis), pick)
    return pick


def _max_pool_indices(input: Tensor, kernel_size: Any, stride: Any, padding: Any,
                      dilation: Any, ceil_mode: bool, n: int) -> tuple[Tensor, Tensor]:
    x, batched, k, s, d, out, pads = C._pool_setup(input, kernel_size, stride, padding,
                                                   dilation, ceil_mode, n, f"max_pool{n}d")
    sizes = tuple(x.shape[2:])
    cells = np.arange(math.prod(sizes), dtype=np.int64).reshape(1, 1, *sizes)
    widths = [(a, b) for a, b in pads]
    data = np.pad(x.array, [(0, 0), (0, 0), *widths], constant_values=-np.inf)
    where = np.pad(cells, [(0, 0), (0, 0), *widths], constant_values=-1)
    index = window_index(k, s, d, out)
    vals = data[index].reshape(x.shape[0], x.shape[1], math.prod(k), *out)
    pos = np.broadcast_to(where[index], (1, 1, *k, *out)).reshape(1, 1, math.prod(k), *out)
    pick = _first_max(vals, 2)
    winners = np.take_along_axis(np.broadcast_to(pos, vals.shape), pick[:, :, None], 2)[:, :, 0]
    y, idx = _gather_planes(x, winners), tensor_from_array(winners)
    if not batched:  # an unbatched input is ATen's own case: its node last
        y, idx = squeeze(y, 0), squeeze(idx, 0)
    return C.recorded_as(y, f"MaxPool{max(n, 2)}DWithIndicesBackward0"), idx


def max_pool1d_with_indices(input: Tensor, kernel_size: Any, stride: Any = None,
                            padding: Any = 0, dilation: Any = 1, ceil_mode: bool = False,
                            return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """(max of each window, its position) over (N, C, L)."""
    one = C._tuple(kernel_size, 1, "kernel_size")
    C.nonempty_pool_input(_as_tensor(input), 1, "max_pool1d")
    y, i = _max_pool_indices(
        unsqueeze(_as_tensor(input), -2), (1, *one),
        None if stride is None else (1, *C._tuple(stride, 1, "stride")),
        (0, *C._tuple(padding, 1, "padding")), (1, *C._tuple(dilation, 1, "dilation")),
        ceil_mode, 2)
    return squeeze(y, -2), squeeze(i, -2)


def max_pool2d_with_indices(input: Tensor, kernel_size: Any, stride: Any = None,
                            padding: Any = 0, dilation: Any = 1, ceil_mode: bool = False,
                            return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """(max of each window, its flat position h·W + w) over (N, C, H, W)."""
    return _max_pool_indices(input, kernel_size, stride, padding, dilation, ceil_mode, 2)


def max_pool3d_with_indices(input: Tensor, kernel_size: Any, stride: Any = None,
                            padding: Any = 0, dilation: Any = 1, ceil_mode: bool = False,
                            return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """(max of each window, its flat position) over (N, C, D, H, W)."""
    return _max_pool_indices(input, kernel_size, stride, padding, dilation, ceil_mode, 3)


def max_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Any:
    """The maximum of each window over (N, C, D, H, W)."""
    y, i = max_pool3d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    return (y, i) if return_indices else y


def avg_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: Any = None) -> Tensor:
    """The mean of each window over (N, C, D, H, W)."""
    y = C._avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                    divisor_override, 3)
    return getitem_raw(y, (np.arange(y.shape[0]),), "AvgPool3DBackward0")


_MISSING: Any = object()


def _required(fn: str, **args: Any) -> None:
    """Python's TypeError for missing arguments, named as PyTorch's dispatch target is."""
    missing = [f"'{k}'" for k, v in args.items() if v is _MISSING]
    if missing:
        names = " and ".join(missing) if len(missing) == 2 else missing[0]
        plural = "s" if len(missing) > 1 else ""
        raise GdRuntimeError(f"{fn}() missing {len(missing)} required positional "
                             f"argument{plural}: {names}", py_type="TypeError")


# -- adaptive pools ----------------------------------------------------------------------------

def _windows(size: int, out: int) -> list[tuple[int, int]]:
    return [((i * size) // out, -(-((i + 1) * size) // out)) for i in range(out)]


def _adaptive_sizes(x: Tensor, output_size: Any, n: int, op: str) -> tuple[int, ...]:
    if x.ndim not in (n + 1, n + 2):
        if n == 1:
            raise GdRuntimeError(f"Expected 2 to 3 dimensions, but got {x.ndim}-dimensional "
                                 f"tensor for argument #1 'self' (while checking arguments "
                                 f"for {op})")
        raise GdRuntimeError(f"{op}(): Expected {n + 1}D or {n + 2}D tensor, but got: "
                             f"{list(x.shape)}")
    sizes = list(output_size) if isinstance(output_size, (tuple, list)) else [output_size] * n
    if len(sizes) != n:
        raise GdRuntimeError(f"{op}() argument 'output_size' should contain one int (got "
                             f"{len(sizes)})" if n == 1 else
                             f"{op}: output_size must be {n}" if "avg" in op else
                             f"{op}(): internal error: output_size.size() must be {n}")
    spatial = x.shape[x.ndim - n:]
    if op != "adaptive_avg_pool1d":  # (its adaptive_avg_pool2d checks, after (1, 1)'s mean)
        C.nonempty_adaptive_input(x, n, op)
    return tuple(spatial[i] if sizes[i] is None else int(sizes[i]) for i in range(n))



def adaptive_avg_pool1d(input: Tensor, output_size: Any) -> Tensor:
    """Means over PyTorch's adaptive windows along L (adaptive_avg_pool2d over one row)."""
    x = _as_tensor(input)
    (o,) = _adaptive_sizes(x, output_size, 1, "adaptive_avg_pool1d")
    return squeeze(C.adaptive_avg_pool2d(unsqueeze(x, -2), (1, o)), -2)


def adaptive_avg_pool3d(input: Tensor, output_size: Any) -> Tensor:
    """Means over PyTorch's adaptive windows along D, H and W."""
    x = _as_tensor(input)
    if x.ndim < 3:  # PyTorch reads size(-3) first
        raise GdRuntimeError(f"Dimension out of range (expected to be in range of "
                             f"[{-max(x.ndim, 1)}, {max(x.ndim, 1) - 1}], but got -3)",
                             py_type="IndexError")
    out = _adaptive_sizes(x, output_size, 3, "adaptive_avg_pool3d")
    if out == (1, 1, 1):  # PyTorch's global average: a mean
        return mean(x, (-3, -2, -1), True)
    spatial = x.shape[-3:]
    wins = [_windows(spatial[i], out[i]) for i in range(3)]
    cells = [mean(getitem(x, (Ellipsis, *(slice(a, b) for a, b in w))), (-3, -2, -1))
             for w in itertools.product(*wins)]
    y = reshape(stack(cells, -1), (*x.shape[:-3], *out))
    return C.recorded_as(C.exact_pool(y, x, out), "AdaptiveAvgPool3DBackward0")


def _adaptive_max(input: Tensor, output_size: Any, n: int) -> tuple[Tensor, Tensor]:
    x = _as_tensor(input)
    op = f"adaptive_max_pool{n}d"
    out = _adaptive_sizes(x, output_size, n, op)
    batched = x.ndim == n + 2
    if not batched:
        x = unsqueeze(x, 0)
    spatial = tuple(x.shape[2:])
    a = x.array.reshape(x.shape[0], x.shape[1], math.prod(spatial))
    plane = np.arange(math.prod(spatial)).reshape(spatial)
    wins = [_windows(spatial[i], out[i]) for i in range(n)]
    winners = np.empty((x.shape[0], x.shape[1], math.prod(out)), dtype=np.int64)
    for j, w in enumerate(itertools.product(*wins)):
        pos = plane[tuple(slice(lo, hi) for lo, hi in w)].reshape(-1)
        winners[:, :, j] = pos[_first_max(a[:, :, pos], 2)]
    winners = winners.reshape(x.shape[0], x.shape[1], *out)
    name = f"AdaptiveMaxPool{max(n, 2)}DBackward0"
    y, idx = _gather_planes(x, winners), tensor_from_array(winners)
    if n == 1:
        y = squeeze(unsqueeze(C.recorded_as(y, name), -2), -2)  # PyTorch pools one row in
    if not batched:                                             # 2-d, then squeezes
        y, idx = squeeze(y, 0), squeeze(idx, 0)
    if n > 1:  # an unbatched input is ATen's own case: its node last
        y = C.recorded_as(y, name)
    return y, idx


def _adaptive_max_fns(n: int) -> tuple[Any, Any]:
    def with_indices(input: Tensor, output_size: Any,
                     return_indices: bool = False) -> tuple[Tensor, Tensor]:
        return _adaptive_max(input, output_size, n)

    def pool(input: Any = _MISSING, output_size: Any = _MISSING,
             return_indices: bool = False) -> Any:
        _required(f"_adaptive_max_pool{n}d", input=input, output_size=output_size)
        y, i = _adaptive_max(input, output_size, n)
        return (y, i) if return_indices else y

    with_indices.__doc__ = f"(max over PyTorch's adaptive windows, its position), {n}-d."
    pool.__doc__ = f"Maxima over PyTorch's adaptive windows, {n}-d."
    return with_indices, pool


# -- max_unpool --------------------------------------------------------------------------------

def _ints(v: Any, n: int) -> tuple[int, ...]:
    return tuple(int(a) for a in v) if isinstance(v, (tuple, list)) else (int(v),) * n


def _unpool_size(x: Tensor, k: tuple[int, ...], s: tuple[int, ...], p: tuple[int, ...],
                 output_size: Any) -> list[int]:
    n = len(k)
    default = [(x.shape[x.ndim - n + d] - 1) * s[d] + k[d] - 2 * p[d] for d in range(n)]
    if output_size is None:
        return default
    given = list(output_size)
    if len(given) == n + 2:
        given, output_size = given[2:], output_size[2:]
    if len(given) != n:
        raise GdRuntimeError(f"output_size should be a sequence containing {n} or {n + 2} "
                             f"elements, but it has a length of '{len(given)}'",
                             py_type="ValueError")
    for d in range(n):
        lo, hi = default[d] - s[d], default[d] + s[d]
        if not lo < given[d] < hi:
            shown = (repr(tuple(output_size)) if isinstance(output_size, tuple)
                     else repr(list(output_size)))
            raise GdRuntimeError(f'invalid output_size "{shown}" (dim {d} must be between '
                                 f"{lo} and {hi})", py_type="ValueError")
    return [int(v) for v in given]


def _max_unpool(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any, padding: Any,
                output_size: Any, n: int) -> Tensor:
    x, idx = _as_tensor(input), _as_tensor(indices)
    k = _ints(kernel_size, n)
    s = k if stride is None else _ints(stride, n)
    out = _unpool_size(x, k, s, _ints(padding, n), output_size)
    if idx.shape != x.shape:
        raise GdRuntimeError(f"Expected shape of indices to be same as that of the input "
                             f"tensor ({list(x.shape)}) but got indices tensor with shape: "
                             f"{list(idx.shape)}")
    batched = x.ndim == n + 2
    if not batched:
        x, idx = unsqueeze(x, 0), unsqueeze(idx, 0)
    plane = math.prod(out)
    where = idx.array.reshape(idx.shape[0], idx.shape[1], math.prod(idx.shape[2:]))
    bad = where[(where < 0) | (where >= plane)]
    if bad.size:
        raise GdRuntimeError(f"Found an invalid max index: {int(bad[0])} (output volumes "
                             f"are of size {'x'.join(map(str, out))})")
    nb, c = x.shape[0], x.shape[1]
    y = index_add_into(reshape(x, (nb, c, math.prod(x.shape[2:]))), (nb, c, plane),
                       (np.arange(nb)[:, None, None], np.arange(c)[None, :, None], where))
    y = reshape(y, (nb, c, *out))
    return C.recorded_as(y if batched else squeeze(y, 0), f"MaxUnpool{max(n, 2)}DBackward0")


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None,
                 padding: Any = 0, output_size: Any = None) -> Tensor:
    """The inverse of max_pool1d: values at their indices, zeros elsewhere."""
    y = _max_unpool(unsqueeze(_as_tensor(input), -1), unsqueeze(_as_tensor(indices), -1),
                    (*_ints(kernel_size, 1), 1), (*_ints(stride, 1), 1) if stride is not None
                    else (*_ints(kernel_size, 1), 1), (*_ints(padding, 1), 0),
                    None if output_size is None else (*output_size, 1), 2)
    return squeeze(y, -1)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None,
                 padding: Any = 0, output_size: Any = None) -> Tensor:
    """The inverse of max_pool2d: values at their indices, zeros elsewhere."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 2)


def max_unpool3d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None,
                 padding: Any = 0, output_size: Any = None) -> Tensor:
    """The inverse of max_pool3d: values at their indices, zeros elsewhere."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 3)


# -- lp_pool ------------------------------------------------------------------------------------

def _lp_pool(input: Tensor, norm_type: float, kernel_size: Any, stride: Any,
             ceil_mode: bool, n: int) -> Tensor:
    """PyTorch's lp_poolNd: (Σ x^p)^(1/p) over each window, from avg_pool."""
    x = _as_tensor(input)
    k = _ints(kernel_size, n)
    maxp = {1: C.max_pool1d, 2: C.max_pool2d, 3: max_pool3d}[n]
    avgp = {1: C.avg_pool1d, 2: C.avg_pool2d, 3: avg_pool3d}[n]
    if norm_type == math.inf:
        return maxp(abs(x), kernel_size, stride, 0, 1, ceil_mode)
    if norm_type == -math.inf:
        return neg(maxp(neg(abs(x)), kernel_size, stride, 0, 1, ceil_mode))
    out = avgp(pow(x, norm_type), kernel_size, stride, 0, ceil_mode)
    return pow(mul(mul(sign(out), relu(abs(out))), math.prod(k)), 1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """Power-average pooling over (N, C, L)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1)


def lp_pool2d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """Power-average pooling over (N, C, H, W)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2)


def lp_pool3d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """Power-average pooling over (N, C, D, H, W)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 3)


F = "torch.nn.functional."
for _n in (1, 2, 3):
    _fn = globals()[f"max_pool{_n}d_with_indices"]
    expose(_fn, f"{F}max_pool{_n}d_with_indices", family="nn")
    _with, _pool = _adaptive_max_fns(_n)
    expose(_with, f"{F}adaptive_max_pool{_n}d_with_indices", family="nn")
    expose(_pool, f"{F}adaptive_max_pool{_n}d", family="nn")
    for _name in (f"max_unpool{_n}d", f"lp_pool{_n}d"):
        expose(globals()[_name], F + _name, family="nn")
expose(max_pool1d_with_indices, "torch.max_pool1d_with_indices", family="nn")
def _max_pool3d(input: Any = _MISSING, kernel_size: Any = _MISSING, stride: Any = None,
                padding: Any = 0, dilation: Any = 1, ceil_mode: bool = False,
                return_indices: bool = False) -> Any:
    """F.max_pool3d (PyTorch's boolean_dispatch target is named _max_pool3d)."""
    _required("_max_pool3d", input=input, kernel_size=kernel_size)
    return max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


expose(_max_pool3d, F + "max_pool3d", family="nn")
expose(max_pool3d, "torch.max_pool3d", family="nn")
expose(avg_pool3d, F + "avg_pool3d", family="nn")
expose(adaptive_avg_pool1d, F + "adaptive_avg_pool1d", "torch.adaptive_avg_pool1d",
       family="nn")
expose(adaptive_avg_pool3d, F + "adaptive_avg_pool3d", family="nn")
expose(_adaptive_max_fns(1)[0], "torch.adaptive_max_pool1d", family="nn")
