"""F.affine_grid and F.grid_sample (2-d), the spatial transformer's two halves, written in
our differentiable ops.

affine_grid is ATen's: a base grid of PyTorch's linspace(-1, 1) (scaled by (n - 1) / n
without align_corners) and ones, times θᵀ (a matmul). grid_sample unnormalizes the grid
to pixel coordinates, takes the corners' integer positions from the values (floor, or
round half to even for nearest) and gathers the input there (x[n, c, index]); the bilinear
weights are differentiable functions of the grid, so the gradient reaches both the input
and the grid (and θ through it), as in PyTorch. Corners outside the input read zeros
(padding_mode 'zeros'); 'border' clips the coordinates into the input and 'reflection'
reflects them about its edges first, both as ATen's CPU kernel computes them
(GridSamplerKernel.cpp's ComputeLocation), whose gradient multiplier is 0 on a clipped
coordinate, the border itself included, and ±1 through a reflection.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.messages import scalar_name
from gradcli.ad.ops.conv import recorded_as
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.elementwise import add, div, mul, sub
from gradcli.ad.ops.indexing import getitem
from gradcli.ad.ops.linalg import matmul
from gradcli.ad.ops.ranges import linspace
from gradcli.ad.ops.shape import reshape, transpose
from gradcli.ad.ops.surface import expose
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError

_DEFAULT = ("Default grid_sample and affine_grid behavior has changed to align_corners=False "
            "since 1.3.0. Please specify align_corners=True if the old behavior is desired. "
            "See the documentation of grid_sample for details.")


def _axis(theta: Tensor, steps: int, align_corners: bool) -> np.ndarray:
    if steps <= 1:
        return np.zeros(1, dtype=theta.array.dtype)
    r = linspace(-1, 1, steps, dtype=theta.dtype).array
    if not align_corners:
        r = (r * r.dtype.type(steps - 1)) / r.dtype.type(steps)
    return r


def affine_grid(theta: Tensor, size: Any, align_corners: Any = None) -> Tensor:
    """(N, H, W, 2) sampling grid of the affine maps θ (N, 2, 3) over an output of size."""
    if align_corners is None:
        warn(_DEFAULT)
        align_corners = False
    theta = _as_tensor(theta)
    if theta.array.dtype.kind != "f":
        raise GdRuntimeError(f"Expected theta to have floating point type, but got "
                             f"{theta.dtype}", py_type="ValueError")
    size = [int(v) for v in size]
    if len(size) == 5:
        raise GdRuntimeError("F.affine_grid of a 3-d (5-D size) transform is not supported "
                             "by gradcli")
    if len(size) != 4:
        raise GdRuntimeError("affine_grid only supports 4D and 5D sizes, for 2D and 3D "
                             f"affine transforms, respectively. Got size {size}.",
                             py_type="NotImplementedError")
    if theta.ndim != 3 or theta.shape[-2] != 2 or theta.shape[-1] != 3:
        raise GdRuntimeError("Expected a batch of 2D affine matrices of shape Nx2x3 for size "
                             f"{size}. Got torch.Size({list(theta.shape)}).",
                             py_type="ValueError")
    n, _, h, w = size
    if align_corners and min(h, w) == 1:
        warn("Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
             "align_corners=True. This is not an intended use case of affine_grid. See the "
             "documentation of affine_grid for details.")
    elif min(size) <= 0:
        raise GdRuntimeError(f"Expected non-zero, positive output size. Got {size}",
                             py_type="ValueError")
    base = np.empty((n, h, w, 3), dtype=theta.array.dtype)
    base[..., 0] = _axis(theta, w, align_corners)
    base[..., 1] = _axis(theta, h, align_corners)[:, None]
    base[..., 2] = 1
    grid = matmul(tensor_from_array(base.reshape(n, h * w, 3)), transpose(theta, 1, 2))
    return recorded_as(reshape(grid, (n, h, w, 2)), "AffineGridGeneratorBackward0")


def _unnormalize(coord: Tensor, size: int, align_corners: bool) -> Tensor:
    if align_corners:
        return mul(div(add(coord, 1), 2), size - 1)
    return div(sub(mul(add(coord, 1), size), 1), 2)


def _const(values: np.ndarray, like: Tensor) -> Tensor:
    return tensor_from_array(np.asarray(values, dtype=like.array.dtype))


def _clip(coord: Tensor, size: int) -> Tensor:
    """The coordinate clipped into [0, size - 1]; its gradient passes only strictly
    inside (ATen's clip_coordinates_get_grad counts the borders as out of bounds), as
    the gradient times a 0/1 mask, so a masked one keeps the sign of its product."""
    v = coord.array
    top = v.dtype.type(size - 1)
    inside = (v > 0) & (v < top)
    clipped = np.where(inside, 0, np.minimum(top, np.maximum(v, 0))).astype(v.dtype)
    return add(mul(coord, _const(inside, coord)), _const(clipped, coord))


def _reflect(coord: Tensor, size: int, align_corners: bool) -> Tensor:
    """ATen's reflect_coordinates: the coordinate reflected about the input's edges
    (its pixel centers with align_corners, else its outer edges at -0.5 and size - 0.5);
    the gradient multiplier is +1 or -1 by the number of reflections."""
    dt = coord.array.dtype
    if align_corners:
        if size <= 1:
            return mul(coord, 0)
        low, span = dt.type(0), dt.type(size - 1) * dt.type(2)
    else:
        low, span = dt.type(-0.5), dt.type(size) * dt.type(2)
    shifted = sub(coord, _const(low, coord)) if low else coord
    sign = np.where(shifted.array < 0, -1, 1)
    magnitude = mul(shifted, _const(sign, coord))
    flips = np.trunc(magnitude.array / span)
    extra = sub(magnitude, _const(flips * span, coord))
    mirrored = sub(_const(span, coord), extra)
    again = extra.array > mirrored.array
    out = add(mul(extra, _const(~again, coord)), mul(mirrored, _const(again, coord)))
    return add(out, _const(low, coord)) if low else out


def _check_shapes(x: Tensor, g: Tensor) -> None:
    """ATen's grid_sampler checks, in its order: the batch sizes, the grid's last dim
    (one coordinate a spatial dim), the dims (4-D, else 5-D), an empty spatial dim, then
    the kernel's dtypes."""
    where = f"input with sizes {list(x.shape)} and grid with sizes {list(g.shape)}"
    if x.shape[:1] != g.shape[:1]:
        raise GdRuntimeError(f"grid_sampler(): expected grid and input to have same batch "
                             f"size, but got {where}")
    if g.shape[-1:] != (x.ndim - 2,):
        raise GdRuntimeError(f"grid_sampler(): expected grid to have size {x.ndim - 2} in "
                             f"last dimension, but got grid with sizes {list(g.shape)}")
    dims = 4 if x.ndim == 4 else 5
    if x.ndim != dims or g.ndim != dims:
        raise GdRuntimeError(f"grid_sampler(): expected {dims}D input and grid with same "
                             f"number of dimensions, but got {where}")
    empty = next((i for i in range(2, x.ndim) if x.shape[i] == 0), None)
    if empty is not None:
        raise GdRuntimeError(f"grid_sampler(): expected input to have non-empty spatial "
                             f"dimensions, but input has sizes {list(x.shape)} with dimension "
                             f"{empty} being empty")
    if x.array.dtype.kind != "f":
        raise GdRuntimeError(f'"grid_sampler_2d_cpu_kernel_impl" not implemented for '
                             f"'{scalar_name(x.array.dtype)}'", py_type="NotImplementedError")
    if g.array.dtype != x.array.dtype:
        raise GdRuntimeError(f"expected scalar type {scalar_name(x.array.dtype)} but found "
                             f"{scalar_name(g.array.dtype)}")


def grid_sample(input: Tensor, grid: Tensor, mode: str = "bilinear",
                padding_mode: str = "zeros", align_corners: Any = None) -> Tensor:
    """Sample input (N, C, H, W) at grid (N, Ho, Wo, 2) positions in [-1, 1]."""
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise GdRuntimeError("nn.functional.grid_sample(): expected mode to be 'bilinear', "
                             f"'nearest' or 'bicubic', but got: '{mode}'", py_type="ValueError")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise GdRuntimeError("nn.functional.grid_sample(): expected padding_mode to be "
                             f"'zeros', 'border', or 'reflection', but got: '{padding_mode}'",
                             py_type="ValueError")
    if align_corners is None:
        warn(_DEFAULT)
        align_corners = False
    x, g = _as_tensor(input), _as_tensor(grid)
    _check_shapes(x, g)
    if x.ndim == 5 or mode == "bicubic":
        raise GdRuntimeError(f"F.grid_sample(mode={mode!r}, padding_mode={padding_mode!r}) of "
                             f"a {x.ndim}-D input is not supported by gradcli")
    n, c, h, w = x.shape
    ix = _unnormalize(getitem(g, (Ellipsis, 0)), w, bool(align_corners))
    iy = _unnormalize(getitem(g, (Ellipsis, 1)), h, bool(align_corners))
    if not align_corners:  # ATen's (coord + 1) * (size / 2) - 0.5 is one fused step
        for coord, size, k in ((ix, w, 0), (iy, h, 1)):
            dt = coord.array.dtype
            coord.array[...] = fma(g.array[..., k] + dt.type(1), dt.type(size) / dt.type(2),
                                   dt.type(-0.5))
    if padding_mode == "reflection":
        ix = _reflect(ix, w, bool(align_corners))
        iy = _reflect(iy, h, bool(align_corners))
    if padding_mode != "zeros":
        ix, iy = _clip(ix, w), _clip(iy, h)
    flat = reshape(x, (n, c, h * w))
    rows = tensor_from_array(np.arange(n).reshape(n, 1, 1, 1))
    chans = tensor_from_array(np.arange(c).reshape(1, c, 1, 1))

    def corner(cx: np.ndarray, cy: np.ndarray) -> Tensor:
        inside = (cx >= 0) & (cx < w) & (cy >= 0) & (cy < h)
        pos = (np.clip(cy, 0, h - 1) * w + np.clip(cx, 0, w - 1)).astype(np.int64)
        vals = getitem(flat, (rows, chans, tensor_from_array(pos[:, None])))
        return mul(vals, tensor_from_array(inside[:, None].astype(x.array.dtype)))

    # PyTorch adds the corners inside the input to a +0.0 (an outside one reads +0.0)
    y = tensor_from_array(np.zeros((), dtype=x.array.dtype))
    if mode == "nearest":
        y = add(y, corner(np.rint(ix.array).astype(np.int64),
                          np.rint(iy.array).astype(np.int64)))
        # the grid is an input of PyTorch's node even here: its gradient is zero
        for coord in (ix, iy):
            y = add(y, mul(reshape(sub(coord, coord.detach()), (n, 1, *coord.shape[1:])), 0))
    else:
        x0 = np.floor(ix.array).astype(np.int64)
        y0 = np.floor(iy.array).astype(np.int64)
        dt = x.array.dtype
        fx0, fy0 = tensor_from_array(x0.astype(dt)), tensor_from_array(y0.astype(dt))
        fx1, fy1 = tensor_from_array((x0 + 1).astype(dt)), tensor_from_array((y0 + 1).astype(dt))
        weights = (mul(sub(fx1, ix), sub(fy1, iy)), mul(sub(ix, fx0), sub(fy1, iy)),
                   mul(sub(fx1, ix), sub(iy, fy0)), mul(sub(ix, fx0), sub(iy, fy0)))
        for (cx, cy), wt in zip(((x0, y0), (x0 + 1, y0), (x0, y0 + 1), (x0 + 1, y0 + 1)),
                                weights, strict=True):
            term = mul(corner(cx, cy), reshape(wt, (n, 1, *wt.shape[1:])))
            y = add(y, term)
        y = recorded_as(y, "GridSampler2DBackward0")
        y.array[...] = _bilinear_values(x.array, ix.array, iy.array, x0, y0)
        return y
    return recorded_as(y, "GridSampler2DBackward0")


def _bilinear_values(x: np.ndarray, ix: np.ndarray, iy: np.ndarray, x0: np.ndarray,
                     y0: np.ndarray) -> np.ndarray:
    """ATen's CPU bilinear sample, bit for bit: the weights from the distances to the
    corners (nw = (1 - dy)(1 - dx), ...), the corners' products summed in fused
    multiply-adds from the north-west one's (a corner outside the input reads 0)."""
    n, c, h, w = x.shape
    one = x.dtype.type(1)
    dx, dy = ix - x0.astype(x.dtype), iy - y0.astype(x.dtype)
    ex, sy = one - dx, one - dy
    weights = (sy * ex, sy * dx, dy * ex, dy * dx)
    rows = np.arange(n).reshape(n, 1, 1, 1)
    chans = np.arange(c).reshape(1, c, 1, 1)
    out = None
    for (cx, cy), wt in zip(((x0, y0), (x0 + 1, y0), (x0, y0 + 1), (x0 + 1, y0 + 1)),
                            weights, strict=True):
        inside = ((cx >= 0) & (cx < w) & (cy >= 0) & (cy < h))[:, None]
        vals = x[rows, chans, np.clip(cy, 0, h - 1)[:, None], np.clip(cx, 0, w - 1)[:, None]]
        vals = np.where(inside, vals, x.dtype.type(0))
        out = vals * wt[:, None] if out is None else fma(vals, wt[:, None], out)
    return out


expose(affine_grid, "torch.nn.functional.affine_grid", family="nn")
expose(grid_sample, "torch.nn.functional.grid_sample", family="nn")

