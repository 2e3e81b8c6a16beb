"""Round 9's torch functions written in other ops: integer gcd/lcm, mvlgamma, rsub,
scalar_tensor, vdot, addr, addbmm, chain_matmul, the window functions, isin,
unravel_index, histogram/histogramdd, the scatters (select/slice/diagonal_scatter),
fill_diagonal_, renorm. A composite whose PyTorch node is one op (AddrBackward0, ...)
carries that name on its output node (the `copy_of` rule)."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.inplace import inplace_of, record_inplace
from gradcli.ad.kernels import tensor_extras as KX
from gradcli.ad.ops import layout
from gradcli.ad.ops.creation import _as_tensor, dtypes_resolve, tensor
from gradcli.ad.ops.elementwise import sub
from gradcli.ad.ops.indexing import index_put
from gradcli.ad.ops.surface import SURFACE, expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError


def _named(out: Tensor, name: str) -> Tensor:
    """out, its node named as PyTorch's one node for the whole composite."""
    if out.grad_fn is None:
        return out
    return apply(RULES["copy_of"], (out,), {"name": name})


def gcd(input: Tensor, other: Tensor) -> Tensor:
    """Greatest common divisor, elementwise (integers)."""
    return apply(RULES["gcd"], (_as_tensor(input), _as_tensor(other)))


def lcm(input: Tensor, other: Tensor) -> Tensor:
    """Least common multiple, elementwise (integers)."""
    return apply(RULES["lcm"], (_as_tensor(input), _as_tensor(other)))


def mvlgamma(input: Tensor, p: int) -> Tensor:
    """Multivariate log-gamma of dimension p."""
    if p < 1:
        raise GdRuntimeError("p has to be greater than or equal to 1")
    return apply(RULES["mvlgamma"], (_as_tensor(input),), {"p": int(p)})


expose(gcd, "torch.gcd", "Tensor.gcd", family="elementwise")
expose(lcm, "torch.lcm", "Tensor.lcm", family="elementwise")
expose(inplace_of(gcd), "torch.gcd_", "Tensor.gcd_", family="elementwise")
expose(inplace_of(lcm), "torch.lcm_", "Tensor.lcm_", family="elementwise")
expose(mvlgamma, "torch.mvlgamma", "Tensor.mvlgamma", "torch.special.multigammaln",
       family="special")
expose(inplace_of(mvlgamma), "Tensor.mvlgamma_", family="special")


def rsub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """other - alpha·input (RsubBackward0; RsubBackward1 for a number `other`)."""
    x = _as_tensor(input)
    if type(other) is not Tensor and alpha == 1:
        return sub(other, x)
    return apply(RULES["rsub"], (x, other), {"alpha": alpha} if alpha != 1 else {})


def scalar_tensor(s: Any, *, dtype: Any = None, requires_grad: bool = False,
                  **_: Any) -> Tensor:
    """A 0-d tensor of the number s (the default float dtype unless given)."""
    dt = dtypes_resolve(dtype) if dtype is not None else dtypes.default_dtype()
    out = tensor(s.array.item() if type(s) is Tensor else s, dtype=dt)
    return out.requires_grad_(True) if requires_grad else out


def vdot(input: Tensor, other: Tensor) -> Tensor:
    """The dot product of two 1-D tensors (conjugating the first: real here)."""
    a, b = _as_tensor(input), _as_tensor(other)
    if a.ndim != 1 or b.ndim != 1:
        raise GdRuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.dtype.kind == "c":
        a = SURFACE["torch.conj"](a)
    return apply(RULES["vdot"], (a, b))


def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta·input + alpha·outer(vec1, vec2): one node (AddrBackward0), as PyTorch's."""
    x, v1, v2 = _as_tensor(input), _as_tensor(vec1), _as_tensor(vec2)
    for name, v in (("vec1", v1), ("vec2", v2)):
        if v.ndim != 1:
            raise GdRuntimeError(f"addr: Expected 1-D argument {name}, but got {v.ndim}-D")
    params = {k: v for k, v in (("beta", beta), ("alpha", alpha)) if v != 1}
    return apply(RULES["addr"], (x, v1, v2), params)


def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1,
           alpha: Any = 1) -> Tensor:
    """beta·input + alpha·Σ_b batch1[b] @ batch2[b]: one node (AddbmmBackward0)."""
    b1, b2 = _as_tensor(batch1), _as_tensor(batch2)
    if b1.ndim != 3 or b2.ndim != 3:
        raise GdRuntimeError("batch1 must be a 3D tensor" if b1.ndim != 3 else
                             "batch2 must be a 3D tensor")
    params = {k: v for k, v in (("beta", beta), ("alpha", alpha)) if v != 1}
    return apply(RULES["addbmm"], (_as_tensor(input), b1, b2), params)


def chain_matmul(*matrices: Tensor) -> Tensor:
    """The product of the matrices (deprecated in PyTorch: linalg.multi_dot)."""
    warn("torch.chain_matmul is deprecated and will be removed in a future PyTorch "
         "release. Use torch.linalg.multi_dot instead, which accepts a list of two or more "
         "tensors rather than multiple parameters.", once=True)
    for i, m in enumerate(matrices):
        if type(m) is not Tensor:
            raise GdRuntimeError(f"expected Tensor as element {i} in argument 0, but got "
                                 f"{type(m).__name__}", py_type="TypeError")
    if not matrices:
        raise GdRuntimeError("chain_matmul(): Expected one or more matrices")
    if len(matrices) == 1:
        return matrices[0].clone()
    return SURFACE["torch.linalg.multi_dot"](list(matrices))


expose(rsub, "torch.rsub", family="elementwise")
expose(scalar_tensor, "torch.scalar_tensor", family="creation")
expose(vdot, "torch.vdot", "Tensor.vdot", family="linalg")
expose(addr, "torch.addr", "Tensor.addr", family="linalg")
expose(inplace_of(addr), "Tensor.addr_", family="linalg")
expose(addbmm, "torch.addbmm", "Tensor.addbmm", family="linalg")
expose(inplace_of(addbmm), "Tensor.addbmm_", family="linalg")
expose(chain_matmul, "torch.chain_matmul", family="linalg")


# -- windows -----------------------------------------------------------------------------------

def _window(kind: str) -> Any:
    def window(window_length: int, periodic: bool = True, *args: Any, dtype: Any = None,
               requires_grad: bool = False, **kwargs: Any) -> Tensor:
        name = f"{kind}_window"
        if window_length < 0:
            raise GdRuntimeError(f"{name} requires non-negative window_length, got "
                                 f"window_length={window_length}")
        dt = dtypes_resolve(dtype) if dtype is not None else dtypes.default_dtype()
        if dt.kind != "f":
            from gradcli.ad.kernels.messages import c_type_name
            raise GdRuntimeError(f"{name} expects floating point dtypes, got: TensorOptions("
                                 f"dtype={c_type_name(dt)}, device=cpu, layout=Strided "
                                 "(default), requires_grad=false (default), pinned_memory="
                                 "false, memory_format=(nullopt))")
        extra: dict[str, Any] = {}
        if kind == "hamming":
            extra = dict(zip(("alpha", "coef"), args, strict=False))
            extra.update({"alpha": kwargs.get("alpha", extra.get("alpha", 0.54)),
                          "coef": kwargs.get("beta", extra.get("coef", 0.46))})
        elif kind == "kaiser":
            extra = {"beta": kwargs.get("beta", args[0] if args else 12.0)}
        out = tensor_from_array(KX.window(kind, int(window_length), bool(periodic), dt,
                                          **extra))
        return out.requires_grad_(True) if requires_grad else out

    window.__name__ = f"{kind}_window"
    window.__doc__ = f"torch.{kind}_window(window_length, periodic=True): the window."
    return window


for _kind in ("hann", "hamming", "blackman", "bartlett", "kaiser"):
    expose(_window(_kind), f"torch.{_kind}_window", family="creation")


# -- membership and indices --------------------------------------------------------------------

def isin(elements: Any, test_elements: Any, *, assume_unique: bool = False,
         invert: bool = False) -> Tensor:
    """Whether each element is among test_elements (a bool tensor of elements' shape)."""
    if type(elements) is not Tensor and type(test_elements) is not Tensor:
        raise GdRuntimeError("isin() received an invalid combination of arguments",
                             py_type="TypeError")
    e = _as_tensor(elements).array
    t = _as_tensor(test_elements).array
    return tensor_from_array(np.asarray(np.isin(e, t, invert=invert)))


def unravel_index(indices: Any, shape: Any) -> tuple[Tensor, ...]:
    """The coordinates in `shape` of flat indices, one int64 tensor per dim."""
    idx = _as_tensor(indices)
    if idx.array.dtype.kind not in "iu":
        raise GdRuntimeError("expected 'indices' to be integer dtype, but got "
                             f"{dtypes.torch_name(idx.array.dtype)}", py_type="TypeError")
    dims = (int(shape),) if isinstance(shape, int) else tuple(int(s) for s in shape)
    if any(d < 0 for d in dims):
        raise GdRuntimeError("'shape' cannot have negative values, but got "
                             f"{tuple(dims)}".replace(",)", ")"))
    n = math.prod(dims)
    a = idx.array.astype(np.int64)
    if a.size and (a.min() < -n or a.max() >= n):
        raise GdRuntimeError(f"'indices' must be in range [{-n}, {n - 1}]")
    a = np.where(a < 0, a + n, a)
    return tuple(tensor_from_array(np.asarray(c, dtype=np.int64))
                 for c in np.unravel_index(a, dims)) if dims else ()


expose(isin, "torch.isin", family="comparison")
expose(unravel_index, "torch.unravel_index", family="indexing")


class HistogramResult(NamedTuple):
    """torch.return_types.histogram."""

    hist: Tensor
    bin_edges: Tensor
    torch_kind = "histogram"


class HistogramddResult(NamedTuple):
    """torch.return_types.histogramdd."""

    hist: Tensor
    bin_edges: tuple[Tensor, ...]
    torch_kind = "histogramdd"


def _edges(x: np.ndarray, bins: int, lo: float | None, hi: float | None) -> np.ndarray:
    """torch.linspace over the range (the data's when not given; widened by ±0.5 when
    empty), in the data's dtype."""
    from gradcli.ad.ops.ranges import linspace

    if lo is None:
        lo, hi = (float(x.min()), float(x.max())) if x.size else (0.0, 0.0)
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    return linspace(lo, hi, bins + 1, dtype=x.dtype).array


def _bin_of(v: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Each value's bin as PyTorch's histogramdd kernel finds it: the linear guess, moved
    one down or up against the edges (the last bin holds the right edge)."""
    n = edges.size - 1
    lo, hi = edges[0], edges[-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        pos = ((v - lo) * v.dtype.type(n) / (hi - lo)).astype(np.int64)
    pos = np.clip(pos, 0, n - 1)
    pos = np.where(v < edges[pos], pos - 1, pos)
    pos = np.where((pos + 1 < n) & (v >= edges[np.minimum(pos + 1, n)]), pos + 1, pos)
    return pos


def histogramdd(input: Tensor, bins: Any = 10, *, range: Any = None, weight: Any = None,
                density: bool = False) -> HistogramddResult:
    """A histogram of the rows of an (N, D) tensor over D dims."""
    x = _as_tensor(input).array
    if x.dtype.kind != "f":
        raise GdRuntimeError(f'"histogramdd" not implemented for '
                             f"'{dtypes.torch_name(x.dtype)[6:].capitalize()}'")
    pts = x.reshape(-1, x.shape[-1])
    d = pts.shape[1]
    if isinstance(bins, int):
        bins = [bins] * d
    edges = []
    for j, b in enumerate(bins):
        if type(b) is Tensor:
            edges.append(b.array.astype(x.dtype))
        else:
            lo, hi = (range[2 * j], range[2 * j + 1]) if range is not None else (None, None)
            edges.append(_edges(pts[:, j], int(b), lo, hi))
    keep = np.ones(pts.shape[0], bool)
    for j, e in enumerate(edges):
        keep &= (pts[:, j] >= e[0]) & (pts[:, j] <= e[-1])
    w = (np.ones(pts.shape[0], x.dtype) if weight is None
         else _as_tensor(weight).array.reshape(-1).astype(x.dtype))
    hist = np.zeros(tuple(e.size - 1 for e in edges), x.dtype)
    idx = tuple(_bin_of(pts[keep, j], e) for j, e in enumerate(edges))
    np.add.at(hist, idx, w[keep])
    if density:
        vol = np.ones((), x.dtype)
        for j, e in enumerate(edges):
            shape = [1] * d
            shape[j] = e.size - 1
            vol = vol * np.diff(e).reshape(shape)
        hist = hist / hist.sum() / vol
    return HistogramddResult(tensor_from_array(np.asarray(hist, x.dtype)),
                             tuple(tensor_from_array(e) for e in edges))


def histogram(input: Tensor, bins: Any = 100, *, range: Any = None, weight: Any = None,
              density: bool = False) -> HistogramResult:
    """A histogram of a tensor's values: (hist, bin_edges)."""
    x = _as_tensor(input).array
    out = histogramdd(tensor_from_array(x.reshape(-1, 1)),
                      [bins] if type(bins) is Tensor else bins, range=range,
                      weight=None if weight is None else _as_tensor(weight).reshape(-1),
                      density=density)
    return HistogramResult(out.hist, out.bin_edges[0])


expose(histogram, "torch.histogram", "Tensor.histogram", family="counting")
expose(histogramdd, "torch.histogramdd", family="counting")


# -- scatters into views -----------------------------------------------------------------------

def _view_scatter(x: Tensor, src: Any, params: dict[str, Any]) -> Tensor:
    from gradcli.ad.kernels.indexing import scatter_view

    s = _as_tensor(src)
    part = scatter_view(x.array, params)
    if part.shape != s.shape:
        raise GdRuntimeError(f"expected src to have a size equal to the slice of self. "
                             f"src size = {list(s.shape)}, slice size = {list(part.shape)}")
    return apply(RULES["view_scatter"], (x, s), params)


def select_scatter(input: Tensor, src: Tensor, dim: int, index: int) -> Tensor:
    """input with src written into input.select(dim, index) (SelectScatterBackward0)."""
    x = _as_tensor(input)
    if x.ndim == 0:
        raise GdRuntimeError("select() cannot be applied to a 0-dim tensor.",
                             py_type="IndexError")
    size = x.shape[dim % x.ndim]
    if not -size <= index < size:
        raise GdRuntimeError(f"select(): index {index} out of range for tensor of size "
                             f"{list(x.shape)} at dimension {dim}", py_type="IndexError")
    return _view_scatter(x, src, {"kind": "select", "dim": dim, "index": index})


def slice_scatter(input: Tensor, src: Tensor, dim: int = 0, start: Any = None,
                  end: Any = None, step: int = 1) -> Tensor:
    """input with src written into input[start:end:step] along dim (SliceScatterBackward0)."""
    x = _as_tensor(input)
    if isinstance(step, int) and step <= 0:
        raise GdRuntimeError("slice step must be positive")
    return _view_scatter(x, src, {"kind": "slice", "dim": dim, "start": start, "end": end,
                                  "step": step})


def diagonal_scatter(input: Tensor, src: Tensor, offset: int = 0, dim1: int = 0,
                     dim2: int = 1) -> Tensor:
    """input with src written onto its diagonal (offset, dim1, dim2)."""
    x = _as_tensor(input)
    if isinstance(dim1, int) and isinstance(dim2, int) and x.ndim and \
            dim1 % x.ndim == dim2 % x.ndim:
        raise GdRuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return _view_scatter(x, src, {"kind": "diagonal", "offset": offset, "dim1": dim1,
                                  "dim2": dim2})


expose(select_scatter, "torch.select_scatter", "Tensor.select_scatter", family="indexing")
expose(slice_scatter, "torch.slice_scatter", "Tensor.slice_scatter", family="indexing")
expose(diagonal_scatter, "torch.diagonal_scatter", "Tensor.diagonal_scatter",
       family="indexing")


def fill_diagonal_(self: Tensor, fill_value: Any, wrap: bool = False) -> Tensor:
    """Fill the main diagonal (of every dim at once) with a value, in place."""
    x = self
    if x.ndim < 2:
        raise GdRuntimeError("dimensions must larger than 1")
    if x.ndim > 2 and len(set(x.shape)) != 1:
        raise GdRuntimeError("all dimensions of input must be of equal length")
    n = min(x.shape)
    strides, start = layout.strides(x), layout.storage_offset(x)
    step = sum(strides)
    if x.array.flags.c_contiguous:
        # PyTorch's way: fill_ of an as_strided view of the diagonal (and, with wrap, of
        # the diagonal's continuation below), recorded as CopySlices.
        strided = SURFACE["Tensor.as_strided"]
        strided(x, (n,), (step,)).fill_(fill_value)
        width = x.shape[1]
        if wrap and x.ndim == 2 and x.shape[0] > width + 1:
            more = (x.array.size + width) // (width + 1) - n
            strided(x, (more,), (step,), start + strides[0] * (width + 1)).fill_(fill_value)
        return x
    # Elsewhere the same as_strided views, in the elements of x at the memory they cover
    # (an expanded x: every element sharing it), written as the fill of a view: CopySlices.
    written = start + step * np.arange(n)
    if wrap and x.ndim == 2 and x.shape[0] > x.shape[1] + 1:
        more = (x.array.size + x.shape[1]) // (x.shape[1] + 1) - n
        written = np.concatenate([written, start + strides[0] * (x.shape[1] + 1)
                                  + step * np.arange(more)])
    at = start + sum(np.arange(size).reshape((-1,) + (1,) * (x.ndim - 1 - d)) * stride
                     for d, (size, stride) in enumerate(zip(x.shape, strides, strict=True)))
    idx = np.nonzero(np.isin(at, written))
    return record_inplace(x, index_put(x, tensor(fill_value, dtype=x.dtype), idx, "CopySlices"),
                          through_view=True, overlap_ok=True, shared=False)


expose(fill_diagonal_, "Tensor.fill_diagonal_", family="indexing")


def renorm(input: Tensor, p: Any, dim: int, maxnorm: Any) -> Tensor:
    """Each sub-tensor along dim scaled down to p-norm maxnorm where it is above."""
    x = _as_tensor(input)
    if p <= 0:
        raise GdRuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise GdRuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
    return apply(RULES["renorm"], (x,), {"p": float(p), "dim": dim, "maxnorm": maxnorm})


expose(renorm, "torch.renorm", "Tensor.renorm", family="linalg")


def renorm_(self: Tensor, p: Any, dim: int, maxnorm: Any) -> Tensor:
    """In-place renorm (computed on a copy: x's own value stays unsaved)."""
    from gradcli.ad.inplace import record_inplace

    return record_inplace(self, renorm(SURFACE["torch.clone"](self), p, dim, maxnorm))


expose(renorm_, "Tensor.renorm_", family="linalg")
