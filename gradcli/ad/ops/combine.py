"""Assembling and integrating tensors: block_diag, cartesian_prod, combinations, vander
(torch's and torch.linalg's), trapezoid/trapz, cumulative_trapezoid, gradient, cov and
corrcoef, each composed as PyTorch composes it (so its nodes and values are PyTorch's)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.kernels.elementwise import result_type
from gradcli.ad.kernels.messages import scalar_name
from gradcli.ad.ops.backward import div_scalar, mul_scalar
from gradcli.ad.ops.creation import _as_tensor, ones, tensor, zeros
from gradcli.ad.ops.elementwise import add, clamp, div, mul, sqrt, sub, to_dtype
from gradcli.ad.ops.indexing import getitem, setitem
from gradcli.ad.ops.joins import _slice_along, meshgrid, narrow, select
from gradcli.ad.ops.linalg import diagonal, mm
from gradcli.ad.ops.reductions import sum
from gradcli.ad.ops.shape import (
    _wrap_dim,
    cat,
    expand,
    flatten,
    flip,
    squeeze,
    stack,
    unsqueeze,
    view,
)
from gradcli.ad.ops.shape import t as transpose
from gradcli.ad.ops.statistics import cumprod, cumsum
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError


def block_diag(*tensors: Tensor) -> Tensor:
    """The inputs (0-d as 1×1, 1-D as a row) down the diagonal of a zero matrix."""
    if not tensors:
        return zeros(1, 0)
    return apply(_RULES["block_diag"], tuple(_as_tensor(x) for x in tensors))


def _one_d(x: Tensor) -> None:
    if x.ndim != 1:
        raise GdRuntimeError(f"Expect a 1D vector, but got shape {list(x.shape)}")


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """Every tuple of one element from each 1-D input, as rows."""
    for x in tensors:
        _one_d(x)
    if len(tensors) == 1:
        return tensors[0]
    return stack([flatten(g) for g in meshgrid(*tensors, indexing="ij")], 1)


def combinations(input: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:
    """The r-element combinations of a 1-D input's elements, as rows (itertools' order)."""
    _one_d(input)
    if r < 0:
        raise GdRuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return tensor_from_array(np.empty(0, input.array.dtype))
    pick = itertools.combinations_with_replacement if with_replacement \
        else itertools.combinations
    rows = np.array(list(pick(range(input.shape[0]), r)), dtype=np.int64).reshape(-1, r)
    return stack([getitem(input, tensor_from_array(rows[:, k].copy())) for k in range(r)], 1)


def vander(x: Tensor, N: int | None = None, increasing: bool = False) -> Tensor:
    """Columns x^(N-1) … x^0 (x^0 … x^(N-1) when increasing), PyTorch's cumprod filling."""
    if x.ndim != 1:
        raise GdRuntimeError("x must be a one-dimensional tensor.")
    n = x.shape[0] if N is None else N
    if n < 0:
        raise GdRuntimeError("N must be non-negative.")
    dt = result_type(x.array[:0], np.empty(0, dtypes.int64))
    result = ones(x.shape[0], n, dtype=dt)
    if n > 1:
        cols = (slice(None), slice(1, None))
        setitem(result, cols, unsqueeze(x, 1))
        setitem(result, cols, cumprod(getitem(result, cols), 1))
    return result if increasing else flip(result, [1])


def linalg_vander(x: Tensor, *, N: int | None = None) -> Tensor:
    """torch.linalg.vander: columns x^0 … x^(N-1) over the last dim (batched)."""
    if x.array.dtype.kind == "b":
        raise GdRuntimeError("linalg.vander supports floating point, complex, and integer "
                             "tensors, but got Bool")
    x_ = unsqueeze(x, -1) if x.ndim == 0 else x
    n = x_.shape[-1] if N is None else N
    if n <= 1:
        raise GdRuntimeError("N must be greater than 1.")
    powers = cumprod(expand(unsqueeze(x_, -1), (*x_.shape, n - 1)), -1)
    unit = ones(*x_.shape, 1, dtype=powers.array.dtype)
    return cat([unit, powers], -1)


def _spacing(name: str, y: Tensor, x: Tensor, d: int) -> Tensor:
    """The steps between the sample points x along dim d of y (x 1-D, or broadcast)."""
    if x.ndim == 1:
        if x.shape[0] != y.shape[d]:
            raise GdRuntimeError(f"{name}: There must be one `x` value for each sample "
                                 "point")
        x = view(x, [x.shape[0] if i == d else 1 for i in range(y.ndim)])
    elif x.ndim < y.ndim:
        x = view(x, (1,) * (y.ndim - x.ndim) + tuple(x.shape))
    n = x.shape[d]
    return sub(narrow(x, d, 1, n - 1), narrow(x, d, 0, n - 1))


def _pairs(y: Tensor, d: int) -> Tensor:
    """y[1:] + y[:-1] along dim d (PyTorch's right + left)."""
    m = y.shape[d]
    return add(narrow(y, d, 1, m - 1), narrow(y, d, 0, m - 1))


def _halved(t: Tensor) -> Tensor:
    """t / 2. (DivBackward1), an integer t true-divided into the default float dtype."""
    if t.array.dtype.kind != "f":
        t = to_dtype(t, dtypes.default_dtype())
    return div_scalar(t, 2.0)


def trapezoid(y: Tensor, x: Any = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """∫ y along dim by the trapezoidal rule, at the sample points x or spacing dx."""
    d = _wrap_dim(dim, y.ndim)
    if x is not None and type(x) is Tensor:
        if y.shape[d] == 0:
            return zeros(*(s for i, s in enumerate(y.shape) if i != d), dtype=y.array.dtype)
        spacing = _spacing("trapezoid", y, x, d)
        return _halved(sum(mul(spacing, _pairs(y, d)), d))
    step = 1 if dx is None else dx if x is None else x
    if y.shape[d] == 0:
        return zeros(*(s for i, s in enumerate(y.shape) if i != d), dtype=y.array.dtype)
    if y.array.dtype.kind != "f":
        y = to_dtype(y, dtypes.default_dtype())
    ends = add(select(y, d, 0), select(y, d, -1))
    return mul_scalar(sub(sum(y, d), mul_scalar(ends, 0.5)), step)


def cumulative_trapezoid(y: Tensor, x: Any = None, *, dx: Any = None,
                         dim: int = -1) -> Tensor:
    """The running trapezoidal integral of y along dim (one fewer element there), at the
    sample points x or spacing dx, composed as PyTorch's Integration.cpp composes it."""
    d = _wrap_dim(dim, y.ndim)
    if x is not None and type(x) is Tensor:
        spacing = _spacing("cumulative_trapezoid", y, x, d)
        return _halved(cumsum(mul(_pairs_left_right(y, d), spacing), d))
    step = 1 if dx is None else dx if x is None else x
    return cumsum(mul(_pairs_left_right(y, d), step / 2.0), d)


def _pairs_left_right(y: Tensor, d: int) -> Tensor:
    """y[:-1] + y[1:] along dim d (cumulative_trapezoid's left + right)."""
    m = y.shape[d]
    return add(narrow(y, d, 0, max(m - 1, 0)), narrow(y, d, 1, max(m - 1, 0)))


def _gradient_coords(y: Tensor, ax: Tensor, d: int, edge_order: int) -> Tensor:
    """∂y/∂x along dim d at the sample coordinates ax (ReduceOps.cpp's gradient_helper)."""
    if ax.ndim != 1:
        raise GdRuntimeError("torch.gradient expected each element of spacing to have one "
                             f"dimension, but got an element with {ax.ndim} dimensions!")
    shape = [-1 if i == d else 1 for i in range(y.ndim)]
    n = ax.shape[0]
    dx = sub(narrow(ax, 0, 1, n - 1), narrow(ax, 0, 0, n - 1))
    dx1, dx2 = narrow(dx, 0, 0, n - 2), narrow(dx, 0, 1, n - 2)
    a = view(div(-dx2, mul(dx1, add(dx1, dx2))), shape)
    b = view(div(sub(dx2, dx1), mul(dx1, dx2)), shape)
    c = view(div(dx1, mul(dx2, add(dx1, dx2))), shape)
    m = y.shape[d]

    def part(lo: int, hi: int) -> Tensor:
        return _slice_along(y, d, lo % m if lo < 0 else lo, m + hi if hi <= 0 else hi)

    center = add(add(mul(a, part(0, -2)), mul(b, part(1, -1))), mul(c, part(2, 0)))
    first, last, before = select(dx, 0, 0), select(dx, 0, -1), None
    if edge_order == 1:
        head = div(sub(part(1, 2), part(0, 1)), first)
        tail = div(sub(part(-1, 0), part(-2, -1)), last)
    else:
        second, before = select(dx, 0, 1), select(dx, 0, -2)
        ha = div(-(mul_scalar(first, 2.0) + second), mul(first, add(first, second)))
        hb = div(add(first, second), mul(first, second))
        hc = div(-first, mul(second, add(first, second)))
        head = add(add(mul(ha, part(0, 1)), mul(hb, part(1, 2))), mul(hc, part(2, 3)))
        ta = div(last, mul(before, add(last, before)))
        tb = div(-add(last, before), mul(last, before))
        tc = div(add(mul_scalar(last, 2), before), mul(last, add(last, before)))
        tail = add(add(mul(ta, part(-3, -2)), mul(tb, part(-2, -1))), mul(tc, part(-1, 0)))
    return cat([head, center, tail], d)


def _gradient_step(y: Tensor, h: Any, d: int, edge_order: int) -> Tensor:
    """∂y/∂x along dim d at the uniform spacing h (gradient_helper_float)."""
    m = y.shape[d]

    def part(lo: int, hi: int) -> Tensor:
        return _slice_along(y, d, lo % m if lo < 0 else lo, m + hi if hi <= 0 else hi)

    center = div(sub(part(2, 0), part(0, -2)), h)
    if edge_order == 1:
        head = div(sub(part(1, 2), part(0, 1)), h)
        tail = div(sub(part(-1, 0), part(-2, -1)), h)
    else:
        head = div(sub(add(mul(part(0, 1), -1.5), mul(part(1, 2), 2)), mul(part(2, 3), 0.5)), h)
        tail = div(add(sub(mul(part(-3, -2), 0.5), mul(part(-2, -1), 2)), mul(part(-1, 0), 1.5)),
                   h)
    return cat([head, div(center, 2), tail], d)


def gradient(input: Tensor, *, spacing: Any = 1, dim: Any = None,
             edge_order: int = 1) -> tuple[Tensor, ...]:
    """torch.gradient: second-order central differences inside, one-sided (edge_order 1
    or 2) at the ends, along each of dim (all by default), at a uniform spacing or the
    sample coordinates given per dim."""
    dims = (list(range(input.ndim)) if dim is None else [dim] if type(dim) is int
            else list(dim))
    if isinstance(spacing, (list, tuple)):
        steps = list(spacing)
        if len(steps) != len(dims) and dim is None:
            raise GdRuntimeError(
                "torch.gradient expected spacing to be unspecified, a scalar, or a list of "
                f"length equal to 'self.dim() = {input.ndim}', since dim argument was not "
                f"given, but got a list of length {len(steps)}")
        if len(steps) != len(dims):
            raise GdRuntimeError(
                f"torch.gradient expected spacing to be unspecified, a scalar or it's spacing "
                f"and dim arguments to have the same length, but got a spacing argument of "
                f"length {len(steps)} and a dim argument of length {len(dims)}.")
    else:
        steps = [spacing] * len(dims)
    if edge_order not in (1, 2):
        raise GdRuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    out = []
    for step, dm in zip(steps, dims, strict=True):
        d = _wrap_dim(dm, input.ndim)
        if input.shape[d] < edge_order + 1:
            raise GdRuntimeError("torch.gradient expected each dimension size to be at least "
                                 "edge_order+1")
        if type(step) is Tensor and step.ndim > 0:
            out.append(_gradient_coords(input, step, d, edge_order))
        else:
            out.append(_gradient_step(input, step, d, edge_order))
    return tuple(out)


def cov(input: Tensor, *, correction: int = 1, fweights: Tensor | None = None,
        aweights: Tensor | None = None) -> Tensor:
    """The covariance matrix of the rows (variables) over the columns (observations)."""
    if input.ndim > 2:
        raise GdRuntimeError("cov(): expected input to have two or fewer dimensions but got "
                             f"an input with {input.ndim} dimensions")
    if input.array.dtype.kind == "b":
        raise GdRuntimeError("cov(): bool dtype is not supported for input")
    x = view(input, (1, -1)) if input.ndim < 2 else input
    n = x.shape[1]
    w = None
    if fweights is not None:
        w = fweights
        if w.ndim > 1:
            raise GdRuntimeError("cov(): expected fweights to have one or fewer dimensions but "
                                 f"got fweights with {w.ndim} dimensions")
        if w.array.dtype.kind not in "iu":
            raise GdRuntimeError("cov(): expected fweights to have integral dtype but got "
                                 f"fweights with {_scalar(w)} dtype")
        if w.numel() != n:
            raise GdRuntimeError("cov(): expected fweights to have the same numel as there are "
                                 f"observations in the input but got {w.numel()} != {n}")
        if n and (w.array < 0).any():
            raise GdRuntimeError("cov(): fweights cannot be negative")
    if aweights is not None:
        aw = aweights
        if aw.ndim > 1:
            raise GdRuntimeError("cov(): expected aweights to have one or fewer dimensions but "
                                 f"got aweights with {aw.ndim} dimensions")
        if aw.array.dtype.kind != "f":
            raise GdRuntimeError("cov(): expected aweights to have floating point dtype but "
                                 f"got aweights with {_scalar(aw)} dtype")
        if aw.numel() != n:
            raise GdRuntimeError("cov(): expected aweights to have the same numel as there are "
                                 f"observations in the input but got {aw.numel()} != {n}")
        if n and (aw.array < 0).any():
            raise GdRuntimeError("cov(): aweights cannot be negative")
        w = aw if w is None else mul(w, aw)
    w_sum = sum(w) if w is not None else tensor(n, dtype=dtypes.int64)
    if w is not None and not w_sum.array.any():
        raise GdRuntimeError("cov(): weights sum to zero, can't be normalized")
    avg = div(sum(mul(x, w) if w is not None else x, 1), w_sum)
    if w is not None and aweights is not None and correction != 0:
        norm = sub(w_sum, div(mul(sum(mul(w, aweights)), correction), w_sum))
    else:
        norm = sub(w_sum, correction)
    if bool((norm.array <= 0).all()):
        warn("cov(): degrees of freedom is <= 0. Correction should be strictly less than the "
             "number of observations.")
        norm = mul(norm, 0)
    x = sub(x, unsqueeze(avg, 1))
    c = mm(x, transpose(mul(x, w) if w is not None else x))
    return squeeze(div(c, norm))


def _scalar(t: Tensor) -> str:
    return scalar_name(t.array.dtype)


def corrcoef(input: Tensor) -> Tensor:
    """Pearson correlation coefficients of the rows, clipped into [-1, 1]."""
    if input.ndim > 2:
        raise GdRuntimeError("corrcoef(): expected input to have two or fewer dimensions but "
                             f"got an input with {input.ndim} dimensions")
    c = cov(input)
    if c.ndim == 0:
        return div(c, c)
    std = sqrt(diagonal(c))
    c = div(c, view(std, (-1, 1)))
    c = div(c, view(std, (1, -1)))
    return clamp(c, -1, 1)


# -- PyTorch spellings ------------------------------------------------------------------

expose(block_diag, "torch.block_diag", family="shape")
expose(cartesian_prod, "torch.cartesian_prod", family="shape")
expose(combinations, "torch.combinations", family="shape")
expose(vander, "torch.vander", family="linalg")
expose(linalg_vander, "torch.linalg.vander", family="linalg")
expose(trapezoid, "torch.trapezoid", "torch.trapz", family="reductions")
expose(cumulative_trapezoid, "torch.cumulative_trapezoid", family="reductions")
expose(gradient, "torch.gradient", family="reductions")
expose(cov, "torch.cov", "Tensor.cov", family="statistics")
expose(corrcoef, "torch.corrcoef", "Tensor.corrcoef", family="statistics")
