"""F.fractional_max_pool2d / 3d, as torch/nn/functional.py and ATen's CPU kernels compute
them.

Without `_random_samples` the functional form draws them as PyTorch does
(`torch.rand(N, C, n)` in the input's dtype), so seeded programs pool the same windows.
Each plane's window starts come from its samples (ATen's generate_intervals, in the input's
floating type, [0] for the last dim in 2-d and the first in 3-d, as ATen reads them); the
maximum of each window (the first, a NaN winning) is gathered, recorded as
FractionalMaxPool2DBackward0 / 3D, with its flat position in the plane as the index.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.ops import conv as C
from gradcli.ad.ops.creation import _as_tensor, rand
from gradcli.ad.ops.pool import _MISSING, _first_max, _gather_planes, _required
from gradcli.ad.ops.shape import squeeze, unsqueeze
from gradcli.ad.ops.surface import expose
from gradcli.errors import GdRuntimeError


def _tuple(v: Any, n: int) -> tuple[Any, ...]:
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * n


def _intervals(sample: np.ndarray, size: int, out: int, pool: int) -> np.ndarray:
    """Window starts for each plane (samples shaped (N, C)): ATen's generate_intervals."""
    dt = sample.dtype.type
    starts = np.empty((*sample.shape, out), dtype=np.int64)
    if out > 1:
        alpha = dt(size - pool) / dt(out - 1)
        i = np.arange(out - 1).astype(sample.dtype)
        starts[..., :-1] = (np.trunc((i + sample[..., None]) * alpha).astype(np.int64)
                            - np.trunc(sample * alpha).astype(np.int64)[..., None])
    if out > 0:
        starts[..., -1] = size - pool
    return starts


_DIMS = {2: ("height", "width"), 3: ("time", "height", "width")}


def _fractional(input: Tensor, kernel_size: Any, output_size: Any, samples: Tensor,
                n: int) -> tuple[Tensor, Tensor]:
    op = f"fractional_max_pool{n}d"
    x = _as_tensor(input)
    if x.ndim not in (n + 1, n + 2):
        raise GdRuntimeError(f"{op}(): Expected {n + 1}D or {n + 2}D tensor, but got: "
                             f"{list(x.shape)}")
    batched = x.ndim == n + 2
    if not batched:
        x = unsqueeze(x, 0)
    k = tuple(int(v) for v in _tuple(kernel_size, n))
    out = tuple(int(v) for v in _tuple(output_size, n))
    size = tuple(x.shape[2:])
    for name, o, p, s in zip(_DIMS[n], out, k, size, strict=True):
        if o + p - 1 > s:
            raise GdRuntimeError(f"{op}{'' if n == 2 else '_out'}(): pool {name} {p} too "
                                 f"large relative to input {name} {s}")
    smp = _as_tensor(samples).array
    if smp.shape[:2] != x.shape[:2] or smp.shape[-1] != n:
        raise GdRuntimeError(f"{op}(): Expected _random_samples of shape "
                             f"[{x.shape[0]}, {x.shape[1]}, {n}], but got {list(smp.shape)}")
    order = [n - 1 - d for d in range(n)] if n == 2 else list(range(n))  # sample per dim
    starts = [_intervals(smp[:, :, order[d]], size[d], out[d], k[d]) for d in range(n)]
    a = x.array.reshape(x.shape[0], x.shape[1], math.prod(size))
    plane = np.arange(math.prod(size)).reshape(size)
    offsets = np.stack(np.meshgrid(*[np.arange(p) for p in k], indexing="ij"), 0).reshape(n, -1)
    grids = np.meshgrid(*[np.arange(o) for o in out], indexing="ij")
    # position of every window element: (N, C, *out, window)
    coords = [np.take(starts[d], grids[d].reshape(-1), axis=2)[..., None] + offsets[d]
              for d in range(n)]
    pos = plane[tuple(coords)]
    flat = pos.reshape(a.shape[0], a.shape[1], math.prod(pos.shape[2:]))
    vals = np.take_along_axis(a, flat, 2).reshape(pos.shape)
    pick = _first_max(vals, 3)
    winners = np.take_along_axis(pos, pick[..., None], 3)[..., 0]
    winners = winners.reshape(x.shape[0], x.shape[1], *out).astype(np.int64)
    y, idx = _gather_planes(x, winners), tensor_from_array(winners)
    if not batched:  # ATen pools a 3-d (4-d) input as it is
        y, idx = squeeze(y, 0), squeeze(idx, 0)
    return C.recorded_as(y, f"FractionalMaxPool{n}DBackward0"), idx


def _functional(n: int) -> Any:
    def pool(input: Any = _MISSING, kernel_size: Any = _MISSING, output_size: Any = None,
             output_ratio: Any = None, return_indices: bool = False,
             _random_samples: Any = None) -> Any:
        _required(f"_fractional_max_pool{n}d", input=input, kernel_size=kernel_size)
        x = _as_tensor(input)
        if output_size is None and output_ratio is None:
            raise GdRuntimeError(f"fractional_max_pool{n}d requires specifying either an "
                                 "output_size or an output_ratio", py_type="ValueError")
        if output_size is None:
            if n == 2 and not isinstance(output_ratio, (tuple, list)):  # PyTorch's len()
                raise GdRuntimeError(f"object of type '{type(output_ratio).__name__}' has "
                                     "no len()", py_type="TypeError")
            if n == 2 and len(output_ratio) > 2:
                raise GdRuntimeError("fractional_max_pool2d requires output_ratio to either "
                                     "be a single Int or tuple of Ints.", py_type="ValueError")
            ratio = _tuple(output_ratio, n)
            output_size = [int(x.shape[-n + d] * ratio[d]) for d in range(n)]
        if _random_samples is None:
            batch = 1 if x.ndim == n + 1 else x.shape[0]
            _random_samples = rand(batch, x.shape[-n - 1], n, dtype=x.dtype)
        y, idx = _fractional(x, kernel_size, output_size, _random_samples, n)
        return (y, idx) if return_indices else y

    def with_indices(input: Any = _MISSING, kernel_size: Any = _MISSING,
                     output_size: Any = None, output_ratio: Any = None,
                     return_indices: bool = False, _random_samples: Any = None) -> Any:
        _required(f"fractional_max_pool{n}d_with_indices", input=input,
                  kernel_size=kernel_size)
        return pool(input, kernel_size, output_size, output_ratio, True, _random_samples)

    pool.__doc__ = f"Max over pseudo-random windows of a fractional stride, {n}-d."
    with_indices.__doc__ = f"(fractional max pool, {n}-d, its positions)."
    return pool, with_indices


fractional_max_pool2d, fractional_max_pool2d_with_indices = _functional(2)
fractional_max_pool3d, fractional_max_pool3d_with_indices = _functional(3)

for _n in (2, 3):
    for _name in (f"fractional_max_pool{_n}d", f"fractional_max_pool{_n}d_with_indices"):
        expose(globals()[_name], f"torch.nn.functional.{_name}", family="nn")
