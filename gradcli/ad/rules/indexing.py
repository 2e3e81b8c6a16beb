"""Selection rules: gather/scatter, index_* along a dim, masks, take/put, roll, repeat, rot90
and split. PyTorch's formulas (derivatives.yaml, FunctionsManual.cpp), in our ops."""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import indexing as KI
from gradcli.ad.ops import backward as B
from gradcli.ad.ops import joins as P
from gradcli.ad.ops import linalg as OL
from gradcli.ad.ops import selection as S
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES, Rule
from gradcli.ad.rules.base import linear, need, no_forward_ad, register
from gradcli.errors import GdRuntimeError


def _zeros(t: Any, like: Tensor) -> Tensor:
    return t if t is not None else ops.zeros_like(like)


def _rule(name: str, torch_name: Any, kernel: Any, vjp: Any, jvp: Any, doc: str,
          formula: tuple[str, ...]) -> Rule:
    # Two-input linear ops (the index and mask are params): tangents of both inputs are
    # real tensors (zeros for an input without one).
    return register(Rule(name, torch_name, kernel, vjp, jvp, kind="linear", doc=doc,
                         saves_inputs=False, sparse_tangents=False, torch_keeps=True,
                         formula=formula))


# -- gather / scatter ------------------------------------------------------------------

linear("gather", "GatherBackward0",
       lambda x, index, dim: KI.gather(x, index, dim),
       lambda g, x, index, dim: S.scatter_add_raw(ops.zeros_like(x), dim, index, g),
       "values picked at index along dim", torch_keeps=True,
       formula=("zeros.scatter_add(dim, index, grad)",))


def _not_implemented(what: str) -> Any:
    def fail(*_: Any, **__: Any) -> Any:
        raise GdRuntimeError(what)
    return fail


def _scatter_vjp(g: Tensor, out: Tensor, x: Tensor, src: Tensor, index: Any, dim: int,
                 reduce: str | None) -> tuple[Any, ...]:
    if reduce is not None:
        raise GdRuntimeError("derivative for aten::scatter is not implemented")
    return (_scatter_zero(g, index, dim) if need(x) else None,
            S.gather_raw(g, dim, index) if need(src) else None)


def _scatter_zero(g: Tensor, index: Any, dim: int) -> Tensor:
    return apply(RULES["scatter_value"], (g,),
                 {"index": index, "dim": dim, "value": 0.0, "reduce": None})


_rule("scatter", lambda i, p: "ScatterBackward0" if p["reduce"] is None else "NotImplemented",
      lambda x, src, index, dim, reduce: KI.scatter(x, index, dim, src=src, reduce=reduce),
      _scatter_vjp,
      lambda ts, out, x, src, index, dim, reduce: (
          _not_implemented("derivative for aten::scatter is not implemented")()
          if reduce is not None else S.scatter_raw(ts[0], dim, index, ts[1])),
      "src written at index along dim",
      ("grad.scatter(dim, index, 0)", "grad.gather(dim, index)"))


def _scatter_value_transpose(g: Tensor, x: Tensor, index: Any, dim: int, value: Any,
                             reduce: str | None) -> Tensor:
    if reduce is not None:
        raise GdRuntimeError("derivative for aten::scatter is not implemented")
    return _scatter_zero(g, index, dim)


_sv = linear("scatter_value",
             lambda i, p: "ScatterBackward1" if p["reduce"] is None else "NotImplemented",
             lambda x, index, dim, value, reduce: KI.scatter(x, index, dim, value=value,
                                                             reduce=reduce),
             _scatter_value_transpose, "a number written at index along dim",
             torch_keeps=True, formula=("grad.scatter(dim, index, 0)",))
_sv.jvp = lambda ts, out, x, index, dim, value, reduce: (
    _not_implemented("derivative for aten::scatter is not implemented")()
    if reduce is not None else _scatter_zero(ts[0], index, dim))

_rule("scatter_add", "ScatterAddBackward0",
      lambda x, src, index, dim: KI.scatter(x, index, dim, src=src, reduce="add"),
      lambda g, out, x, src, index, dim: (g if need(x) else None,
                                          S.gather_raw(g, dim, index) if need(src) else None),
      lambda ts, out, x, src, index, dim: S.scatter_add_raw(ts[0], dim, index, ts[1]),
      "src added at index along dim", ("grad", "grad.gather(dim, index)"))


def _scatter_prod_grads(g: Tensor, out: Tensor, x: Tensor, src: Tensor, index: Any, dim: int,
                        include_self: bool) -> tuple[Tensor, Tensor]:
    # PyTorch's prod case: the products recomputed with zeros masked to 1 (a zero of x
    # gets the product of the others; a src scattered alone with one zero gets the
    # product of the rest of its group; no 0/0).
    def prod(a: Tensor, b: Tensor) -> Tensor:
        return apply(RULES["scatter_reduce"], (a, b), {"index": index, "dim": dim,
                     "reduce": "prod", "include_self": include_self})

    masked_x = S.masked_fill(x, x == 0, 1)
    gx = g * prod(masked_x, src) / masked_x
    src_zero = src == 0
    zeros_at = S.gather_raw(S.scatter_add_raw(ops.zeros_like(x), dim, index,
                                              ops.to_dtype(src_zero, x.dtype)), dim, index)
    single = ops.logical_and(src_zero, zeros_at == 1)
    alone = S.gather_raw(g * prod(x, S.masked_fill(src, single, 1)), dim, index)
    gs = ops.where(single, alone, S.gather_raw(g * out, dim, index)
                   / S.masked_fill(src, src_zero, 1))
    return gx, gs


def _scatter_reduce_vjp(g: Tensor, out: Tensor, x: Tensor, src: Tensor, index: Any, dim: int,
                        reduce: str, include_self: bool) -> tuple[Any, ...]:
    # PyTorch's scatter_reduce_backward.
    if reduce == "sum":
        gx, gs = g, S.gather_raw(g, dim, index)
    elif reduce == "mean":
        n = S.scatter_add_raw(ops.ones_like(g) if include_self else ops.zeros_like(g), dim,
                              index, ops.ones_like(src))
        n = S.masked_fill(n, n == 0, 1)
        gx, gs = g / n, S.gather_raw(g, dim, index) / S.gather_raw(n, dim, index)
    elif reduce == "prod":
        gx, gs = _scatter_prod_grads(g, out, x, src, index, dim, include_self)
    else:
        value = S.gather_raw(out, dim, index)
        self_is = ops.to_dtype(x == out, x.dtype)
        src_is = ops.to_dtype(src == value, x.dtype)
        spread = g / S.scatter_add_raw(self_is, dim, index, src_is)
        gx = (x == out) * spread
        gs = (src == value) * S.gather_raw(spread, dim, index)
    if not include_self:
        gx = _scatter_zero(gx, index, dim)
    return (gx if need(x) else None, gs if need(src) else None)


def _scatter_reduce_jvp(ts: list[Any], out: Tensor, x: Tensor, src: Tensor, index: Any,
                        dim: int, reduce: str, include_self: bool) -> Tensor:
    tx, tsrc = ts
    if reduce in ("sum", "mean"):
        return apply(RULES["scatter_reduce"], (tx, tsrc), {"index": index, "dim": dim,
                     "reduce": reduce, "include_self": include_self})
    if reduce == "prod":
        base = tx / x if include_self else _scatter_zero(tx / x, index, dim)
        return out * S.scatter_add_raw(base, dim, index, tsrc / src)
    value = S.gather_raw(out, dim, index)
    self_is = ops.to_dtype(x == out, x.dtype)
    if not include_self:
        self_is = _scatter_zero(self_is, index, dim)
    src_is = ops.to_dtype(src == value, x.dtype)
    n = S.scatter_add_raw(self_is, dim, index, src_is)
    return S.scatter_add_raw(self_is * tx, dim, index, src_is * tsrc) / n


_rule("scatter_reduce", "ScatterReduceBackward0",
      lambda x, src, index, dim, reduce, include_self: KI.scatter_reduce(
          x, src, index, dim, reduce, include_self),
      _scatter_reduce_vjp, _scatter_reduce_jvp, "src reduced into x at index along dim",
      ("per reduction", "per reduction"))
RULES["scatter_reduce"].saves_inputs = True
RULES["scatter_reduce"].saves_out = True
# index_reduce: scatter_reduce with the 1-D index spread over source's shape (ops.selection)
_rule("index_reduce", "IndexReduceBackward0", RULES["scatter_reduce"].forward,
      _scatter_reduce_vjp, no_forward_ad("index_reduce"), "source's slices reduced into x at index",
      ("per reduction", "per reduction"))
RULES["index_reduce"].saves_inputs = True
RULES["index_reduce"].saves_out = True


# -- index_* along a dim ---------------------------------------------------------------

linear("index_select", "IndexSelectBackward0",
       lambda x, index, dim: KI.index_select(x, index, dim),
       lambda g, x, index, dim: S.index_add_raw(ops.zeros_like(x), dim, index, g),
       "slices at index along dim", torch_keeps=True,
       formula=("zeros.index_add(dim, index, grad)",))


def _times(g: Tensor, alpha: Any) -> Tensor:
    return g if alpha == 1 else g * alpha


_rule("index_add", "IndexAddBackward0",
      lambda x, src, index, dim, alpha: KI.index_add(x, src, index, dim, alpha),
      lambda g, out, x, src, index, dim, alpha: (
          g if need(x) else None,
          _times(S.index_select_raw(g, dim, index), alpha) if need(src) else None),
      lambda ts, out, x, src, index, dim, alpha: S.index_add_raw(ts[0], dim, index, ts[1],
                                                                 alpha),
      "alpha · source added at index along dim",
      ("grad", "grad.index_select(dim, index) · alpha"))
_rule("index_copy", "IndexCopyBackward0",
      lambda x, src, index, dim: KI.index_copy(x, src, index, dim),
      lambda g, out, x, src, index, dim: (
          S.index_fill_raw(g, dim, index, 0.0) if need(x) else None,
          S.index_select_raw(g, dim, index) if need(src) else None),
      lambda ts, out, x, src, index, dim: apply(RULES["index_copy"], (ts[0], ts[1]),
                                                {"index": index, "dim": dim}),
      "source written at index along dim",
      ("grad.index_fill(dim, index, 0)", "grad.index_select(dim, index)"))
_if = linear("index_fill", "IndexFillBackward0",
             lambda x, index, dim, value: KI.index_fill(x, index, dim, value),
             lambda g, x, index, dim, value: S.index_fill_raw(g, dim, index, 0.0),
             "a number written at index along dim", torch_keeps=True,
             formula=("grad.index_fill(dim, index, 0)",))
_if.jvp = lambda ts, out, x, index, dim, value: S.index_fill_raw(ts[0], dim, index, 0.0)
_rule("index_fill_tensor", "IndexFillBackward1",
      lambda x, v, index, dim, once: KI.index_fill(x, index, dim, v),
      lambda g, out, x, v, index, dim, once: (
          S.index_fill_raw(g, dim, index, 0.0) if need(x) else None,
          ops.sum(S.index_select_raw(g, dim, once)) if need(v) else None),
      lambda ts, out, x, v, index, dim, once: apply(
          RULES["index_fill_tensor"], (ts[0], ts[1]), {"index": index, "dim": dim,
                                                       "once": once}),
      "a 0-dim tensor's value written at index along dim",
      ("grad.index_fill(dim, index, 0)", "grad.index_select(dim, index).sum()"))


# -- masks, take and put ---------------------------------------------------------------

def _masked_scatter_source(g: Tensor, mask: Any, src: Tensor) -> Tensor:
    # PyTorch's masked_scatter_backward: grad[mask], padded with zeros to source's size.
    sel = S.masked_select_raw(g, mask)
    missing = src.numel() - sel.numel()
    if missing:
        sel = ops.cat([sel, ops.zeros(missing, dtype=g.dtype)])
    return ops.reshape(sel, src.shape)


_rule("masked_scatter", "MaskedScatterBackward0",
      lambda x, src, mask: KI.masked_scatter(x, src, mask),
      lambda g, out, x, src, mask: (
          B.masked_fill(g, mask, 0.0) if need(x) else None,
          _masked_scatter_source(g, mask, src) if need(src) else None),
      lambda ts, out, x, src, mask: S.masked_scatter_raw(ts[0], mask, ts[1]),
      "source's elements written where mask",
      ("grad.masked_fill(mask, 0)", "grad[mask], zero-padded"))


def _masked_select_transpose(g: Tensor, x: Tensor, mask: Any) -> Tensor:
    # mask has the broadcast shape (ops.masked_select); the engine sums back to x's.
    return S.masked_scatter_raw(ops.zeros(mask.shape, dtype=g.dtype), mask, g)


linear("masked_select", "MaskedSelectBackward0",
       lambda x, mask: KI.masked_select(x, mask), _masked_select_transpose,
       "the elements where mask, as a 1-D tensor", torch_keeps=True,
       formula=("zeros.masked_scatter(mask, grad)",))
linear("take", "TakeBackward0", lambda x, index: KI.take(x, index),
       lambda g, x, index: S.put_raw(ops.zeros_like(x), index, g, True),
       "elements at flat indices", torch_keeps=True,
       formula=("zeros.put(index, grad, accumulate=True)",))
linear("as_strided", "AsStridedBackward0", KI.as_strided,
       lambda g, x, index, **_: S.put_raw(ops.zeros_like(x), index, g, True),
       "the elements at offset + Σ i_k·stride_k of x read as 1-D (a view)", views=True,
       formula=("zeros.put(positions, grad, accumulate=True)",))
_rule("put", "PutBackward0",
      lambda x, src, index, accumulate: KI.put(x, src, index, accumulate),
      lambda g, out, x, src, index, accumulate: (
          (g if accumulate else S.put_raw(g, index, ops.zeros_like(src), False))
          if need(x) else None,
          S.take_raw(g, index) if need(src) else None),
      lambda ts, out, x, src, index, accumulate: S.put_raw(ts[0], index, ts[1], accumulate),
      "source written (or added) at flat indices",
      ("grad (zeroed at index unless accumulate)", "grad.take(index)"))


# -- reorderings -----------------------------------------------------------------------

linear("roll", "RollBackward0", lambda x, shifts, dims: KI.roll(x, shifts, dims),
       lambda g, x, shifts, dims: P.roll_raw(g, tuple(-s for s in shifts), dims),
       "elements shifted cyclically along dims", formula=("roll(grad, -shifts, dims)",))


def _repeat_transpose(g: Tensor, x: Tensor, repeats: tuple[int, ...]) -> Tensor:
    # PyTorch's repeat_backward: each repeated dim split in (repeat, size) and summed.
    lead = len(repeats) - x.ndim
    if lead:
        g = ops.sum(g, dim=tuple(range(lead))) if g.ndim else g
    split: list[int] = []
    for r, n in zip(repeats[lead:], x.shape, strict=True):
        split += [r, n]
    g = ops.reshape(g, tuple(split)) if split else g
    dims = tuple(range(0, len(split), 2))
    return ops.sum(g, dim=dims) if dims else g


linear("repeat", "RepeatBackward0", lambda x, repeats: KI.repeat(x, repeats),
       _repeat_transpose, "x tiled along each dim", formula=("sum of the copies",))
linear("rot90", "Rot90Backward0", lambda x, k, dims: KI.rot90(x, k, dims),
       lambda g, x, k, dims: P.rot90_raw(g, -k, dims),
       "x rotated by quarter turns in a plane", formula=("rot90(grad, -k, dims)",))


# -- split: PyTorch's one node with n outputs is, here, one node per piece (each named
# SplitBackward0 or SplitWithSizesBackward0), as unbind's; piece i's VJP is g placed at
# its slice (PyTorch's split_backward with the other cotangents zero).

def _piece(dim: int, start: int, length: int) -> tuple[Any, ...]:
    return (slice(None),) * dim + (slice(start, start + length),)


linear("split_part", lambda i, p: p["name"],
       lambda x, dim, start, length, name, index: x[_piece(dim, start, length)],
       lambda g, x, dim, start, length, name, index: apply(
           RULES["index_add_into"], (g,),
           {"shape": x.shape, "index": _piece(dim, start, length), "name": "CatBackward0"}),
       "one piece of x.split(size, dim)", views=True,
       formula=("cat of grads (zeros for the other pieces)",))


# ---------------------------------------------------------------------------------------
# select_scatter / slice_scatter / diagonal_scatter: input with src written into a view of
# it, one node whose edges are input and src (PyTorch's *ScatterBackward0).
# ---------------------------------------------------------------------------------------

_VIEW_SCATTER_NAMES = {"select": "SelectScatterBackward0", "slice": "SliceScatterBackward0",
                       "diagonal": "DiagonalScatterBackward0"}


def _view_of_grad(g: Tensor, p: dict[str, Any]) -> Tensor:
    """grad.select / grad.slice / grad.diagonal: what src's gradient is."""
    if p["kind"] == "diagonal":
        return OL.diagonal(g, p.get("offset", 0), p.get("dim1", 0), p.get("dim2", 1))
    return ops.getitem(g, KI.view_index(g.ndim, p["kind"], p)[:-1])


def _view_scatter_vjp(g: Tensor, out: Tensor, x: Any, src: Any, **p: Any) -> tuple[Any, ...]:
    # of_view: the CopySlices of an in-place change of a diagonal view (inplace._rebase):
    # -0.0 where the view is, as index_put's (the view's path adds its -0.0 outside it)
    zero = ops.full_like(src, -0.0) if p.get("of_view") else ops.zeros_like(src)
    return (apply(RULES["view_scatter"], (g, zero), p) if need(x) else None,
            _view_of_grad(g, p) if need(src) else None)


def _view_scatter_jvp(ts: list[Any], out: Tensor, x: Any, src: Any, **p: Any) -> Any:
    tx, ts_ = ts
    return apply(RULES["view_scatter"], (ops.zeros_like(x) if tx is None else tx,
                                         ops.zeros_like(src) if ts_ is None else ts_), p)


register(Rule(
    "view_scatter", lambda i, p: _VIEW_SCATTER_NAMES[p["kind"]], KI.view_scatter,
    _view_scatter_vjp, _view_scatter_jvp, kind="general", saves_inputs=False,
    doc="input with src written into a view of it (select/slice/diagonal)",
    formula=("grad with zeros where src went", "grad's view where src went")))


# unique and unique_consecutive: recorded (their output requires grad), not differentiable:
# PyTorch's derivatives.yaml has not_implemented("_unique2") etc. for them.
_UNIQUE_NODES = {"_unique2": "Unique2Backward0", "unique_dim": "UniqueDimBackward0",
                 "unique_consecutive": "UniqueConsecutiveBackward0"}


def _unique_vjp(g: Tensor, out: Tensor, x: Tensor, values: Any, fn: str) -> tuple[Any, ...]:
    raise GdRuntimeError(f"the derivative for '{fn}' is not implemented.",
                         py_type="NotImplementedError")


def _unique_jvp(ts: list[Any], out: Tensor, x: Tensor, values: Any, fn: str) -> Any:
    no_forward_ad(fn)()


register(Rule(
    "unique_values", lambda i, p: _UNIQUE_NODES[p["fn"]], lambda x, values, fn: values,
    _unique_vjp, _unique_jvp, kind="general",
    doc="the distinct values of unique/unique_consecutive (no derivative, as in PyTorch)",
    formula=("not implemented",)))
