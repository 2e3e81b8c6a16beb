"""Shape and indexing rules: all linear; the JVP is the op on the tangent, the VJP its transpose."""

from __future__ import annotations

from typing import Any

from gradcli.ad import kernels as K
from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import shape as KS
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES, Rule
from gradcli.ad.rules.base import (
    broadcast_view,
    linear,
    need,
    register,
    wrap,
)

# ---------------------------------------------------------------------------------------
# Shape ops: all linear; the JVP is the op itself on the tangent, the VJP its transpose.
# ---------------------------------------------------------------------------------------


def _reshape_name(inputs: Any, params: dict[str, Any]) -> str:
    # PyTorch's reshape: view (contiguous), _reshape_alias (strided but viewable) or
    # _unsafe_view of a contiguous clone (see ops.reshape).
    if params.get("copy"):
        return "UnsafeViewBackward0"
    return "ReshapeAliasBackward0" if params.get("alias") else "ViewBackward0"


linear("reshape", _reshape_name,
       lambda x, shape, copy=False, alias=False: K.reshape(x, shape),
       lambda g, x, shape, copy=False, alias=False: ops.reshape(g, x.shape), "reshape / view",
       formula=("reshape(grad, x.shape)",), views=True,
       # ops.reshape views g, or a contiguous copy of it: numpy's reshape does the same.
       fast=lambda g, x, shape, copy=False, alias=False: wrap(K.reshape(g.array, x.shape)))
linear("expand", "ExpandBackward0", K.expand,
       lambda g, x, shape: ops.sum_to(g, x.shape), "broadcast to a shape",
       formula=("sum grad over broadcast dims",), views=True,
       fast=lambda g, x, shape: g if g.array.shape == x.array.shape
       else wrap(K.sum_to(g.array, x.array.shape)))
def _sum_to_name(inputs: Any, params: dict[str, Any]) -> str:
    # PyTorch's at::sum_to: sum() to a 0-dim shape (SumBackward0); otherwise
    # sum(dims, keepdim=True) (SumBackward1), then view() when leading dims go (ViewBackward0).
    shape = params["shape"]
    if not shape:
        return "SumBackward0"
    if inputs is not None and type(inputs[0]) is Tensor and inputs[0].ndim > len(shape):
        return "ViewBackward0"
    return "SumBackward1"


linear("sum_to", _sum_to_name, K.sum_to,
       lambda g, x, shape: ops.expand(g, x.shape),
       "sum a broadcast tensor back to a shape (the engine's unbroadcast)",
       formula=("expand(grad, x.shape)",),
       fast=lambda g, x, shape: broadcast_view(g, x.array.shape))
linear("transpose", lambda i, p: "TBackward0" if p.get("short") else "TransposeBackward0",
       lambda x, dim0, dim1, short=False: K.transpose(x, dim0, dim1),
       lambda g, x, dim0, dim1, short=False: ops.transpose(g, dim0, dim1, short),
       "swap two dims (x.t() is the 2-D short form)",
       formula=("transpose(grad)",), views=True,
       fast=lambda g, x, dim0, dim1, short=False: wrap(_transpose_array(g.array, dim0, dim1)))
linear("permute", "PermuteBackward0", K.permute,
       lambda g, x, dims: ops.permute(g, _inverse_perm(dims)), "reorder dims",
       formula=("permute(grad, inverse)",), views=True,
       fast=lambda g, x, dims: wrap(K.permute(g.array, _inverse_perm(dims))))
def _transpose_array(g: Any, dim0: int, dim1: int) -> Any:
    """ops.transpose on an array (a vector's transpose is itself, a 0-d one a reshape)."""
    if g.ndim < 2 and dim0 in (0, -1) and dim1 in (0, -1):
        return K.transpose(g, 0, 0) if g.ndim == 1 else K.reshape(g, ())
    return K.transpose(g, dim0, dim1)


def _unsqueeze_to_array(g: Tensor, x: Tensor, dim: Any = None,
                        dims_variant: bool = False) -> Tensor:
    n = x.ndim
    dims = range(n) if dim is None else ([dim] if type(dim) is int else list(dim))
    a = g.array
    for d in sorted({d % n for d in dims} if n else ()):
        if x.shape[d] == 1:
            a = K.unsqueeze(a, d)
    return g if a is g.array else wrap(a)


def _unsqueeze_to(g: Tensor, x: Tensor, dim: Any = None, dims_variant: bool = False) -> Tensor:
    # PyTorch's squeeze backward, unsqueeze_to: g again with each squeezed size-1 dim.
    n = x.ndim
    dims = range(n) if dim is None else ([dim] if type(dim) is int else list(dim))
    for d in sorted({d % n for d in dims} if n else ()):
        if x.shape[d] == 1:
            g = ops.unsqueeze(g, d)
    return g


linear("squeeze",
       lambda i, p: "SqueezeBackward4" if p.get("dims_variant") else
       ("SqueezeBackward0" if p.get("dim") is None else
        "SqueezeBackward1" if type(p["dim"]) is int else "SqueezeBackward2"),
       lambda x, dim=None, dims_variant=False: K.squeeze(x, dim),
       _unsqueeze_to,
       "drop size-1 dims",
       formula=("reshape(grad, x.shape)",), views=True, fast=_unsqueeze_to_array)
linear("unsqueeze", "UnsqueezeBackward0", K.unsqueeze,
       lambda g, x, dim: ops.squeeze(g, dim), "insert a size-1 dim",
       formula=("squeeze(grad, dim)",), views=True,
       fast=lambda g, x, dim: wrap(K.squeeze(g.array, dim)))


def _index_backward_name(index: Any, kind: str) -> str:
    """PyTorch's node for the transpose of x[index]: x[index] is a chain of select/slice/
    unsqueeze ops (then one index op for tensor indices), so its derivative's last step is
    the backward of the FIRST of them (a full slice ':' or '...' is no op at all)."""
    for p in index if type(index) is tuple else (index,):
        if p is Ellipsis or (type(p) is slice and p == slice(None)):
            continue
        if p is None:
            return "SqueezeBackward1"
        if type(p) is slice:
            return "SliceBackwardBackward0"
        if type(p) is int or (hasattr(p, "ndim") and p.ndim == 0 and kind != "IndexBackward0"):
            return "SelectBackwardBackward0"
        # A tensor index: PyTorch applies it after all the select/slice steps.
    return "IndexPutImplBackward0"


def _getitem_transpose(g: Tensor, x: Tensor, index: Any, kind: str) -> Tensor:
    return apply(RULES["index_add_into"], (g,),
                 {"shape": x.shape, "index": index, "name": _index_backward_name(index, kind)})
def _getitem(x: Any, index: Any, kind: str) -> Any:
    out = K.getitem(x, index)
    if kind == "IndexBackward0" and not out.flags.c_contiguous:
        out = out.copy()  # PyTorch's index returns a contiguous tensor (numpy's may not be)
    return out


linear("getitem", lambda i, p: p["kind"], _getitem,
       _getitem_transpose,
       "x[index]: select, slice, mask or gather",
       formula=("grad placed at the index, 0 elsewhere",), views=True,
       torch_keeps=frozenset(("IndexBackward0",)),  # PyTorch keeps the indices
       fast=lambda g, x, index, kind: wrap(K.index_add_into(g.array, x.array.shape, index)))
linear("index_add_into", lambda i, p: p.get("name", "IndexPutImplBackward0"),
       lambda g, shape, index, name=None: K.index_add_into(g, shape, index),
       lambda gg, g, shape, index, name=None: ops.getitem_raw(gg, index, "IndexBackward0"),
       "zeros with g added at an index (the transpose of x[index])"
       # PyTorch's zeros.index_put_(indices, g): its first edge is the zeros (no gradient).
       ).edges = lambda name: (None, 0) if name == "IndexPutImplBackward0" else (0,)
def _diag_name(inputs: Any, params: dict[str, Any]) -> str:
    # torch.diag(matrix) is DiagonalBackward0_copy in PyTorch; the transpose of
    # torch.diag(vector) (a diagonal() of the cotangent) is DiagonalBackward0.
    if params["embed"]:
        return "DiagEmbedBackward0"
    return "DiagonalBackward0" if params.get("backward") else "DiagonalBackward0_copy"


def _diag_transpose(g: Tensor, x: Tensor, diagonal: int = 0, embed: bool = True,
                    shape: Any = None, backward: bool = False) -> Tensor:
    if x.ndim == 1:
        return apply(RULES["diag"], (g,), {"diagonal": diagonal, "embed": False,
                                           "backward": True})
    return ops.diag_transpose(g, x.shape, diagonal)


linear("diag", _diag_name,
       lambda x, diagonal=0, embed=True, shape=None, backward=False: K.diag(x, diagonal),
       _diag_transpose,
       "diagonal matrix from a vector, or the diagonal of a matrix")
linear("diag_embed_like", "DiagonalBackwardBackward0",
       lambda v, shape, diagonal=0: K.diag_embed_like(v, shape, diagonal),
       lambda g, v, shape, diagonal=0: ops.diag(g, diagonal),
       "write a vector onto a diagonal of a zero matrix")
linear("to_dtype", "ToCopyBackward0", K.to_dtype,
       lambda g, x, dtype: ops.to_dtype(g, x.dtype), "convert dtype (a copy)",
       formula=("grad in x's dtype",), batchable=True,
       fast=lambda g, x, dtype: wrap(K.to_dtype(g.array, x.array.dtype)))
def _cloned(x: Any) -> Any:
    """clone's copy: x's layout, or dense strides in the order of x's when x's elements
    overlap (an expanded tensor: c10's infer_dense_strides, as PyTorch's empty_like)."""
    if not K.overlaps(x):
        return x.copy(order="K")
    from gradcli.ad.ops.memory_format import _empty_like
    out = _empty_like(x, x.dtype)
    out[...] = x
    return out


linear("clone", "CloneBackward0",  # keeps the layout (dense in its order if it overlaps)
       _cloned,
       lambda g, x: g, "a copy that stays in the graph",
       formula=("grad",), batchable=True)
for _fill, _fill_name, _fill_doc in (
        ("fill", lambda i, p: "ZeroBackward0" if p["value"] == 0 else "FillBackward2",
         "fill with a value (x.zero_(), x.fill_(v))"),
        ("fill_new", "FillBackward0", "a new tensor like x filled with a value (torch.fill)")):
    register(Rule(
        _fill, _fill_name, K.fill,
        lambda g, out, x, value: (ops.zeros_like(g),),
        lambda ts, out, x, value: ops.zeros_like(ts[0]),
        kind="linear", doc=_fill_doc, saves_inputs=False))


def _inverse_perm(dims: tuple[int, ...]) -> tuple[int, ...]:
    n = len(dims)
    inv = [0] * n
    for i, d in enumerate(dims):
        inv[d % n] = i
    return tuple(inv)


def _pieces(xs: tuple[Tensor, ...], dim: int, stacked: bool) -> list[tuple[Any, ...]]:
    """Each input's index into the cotangent of cat (a slice) or stack (one position)."""
    out = []
    start = 0
    for x in xs:
        if stacked:
            out.append((slice(None),) * dim + (start,))
            start += 1
        else:
            n = x.shape[dim]
            out.append((slice(None),) * dim + (slice(start, start + n),))
            start += n
    return out


def _split(g: Tensor, xs: tuple[Tensor, ...], dim: int, stacked: bool) -> tuple[Any, ...]:
    # PyTorch's stack backward selects (SelectBackward0), cat's narrows (SliceBackward0).
    kind = "SelectBackward0" if stacked else "SliceBackward0"
    return tuple(ops.getitem_raw(g, idx, kind) if need(x) else None
                 for x, idx in zip(xs, _pieces(xs, dim % g.ndim, stacked), strict=True))


def _split_array(g: Tensor, xs: tuple[Tensor, ...], dim: int,
                 stacked: bool) -> tuple[Any, ...]:
    """_split on arrays (the same indices, by the getitem kernel)."""
    ga = g.array
    return tuple(wrap(_getitem(ga, idx, "SliceBackward0")) if need(x) else None
                 for x, idx in zip(xs, _pieces(xs, dim % ga.ndim, stacked), strict=True))


def _dense(ts: list[Any], xs: tuple[Tensor, ...], out: Tensor) -> list[Tensor]:
    # An integer input has no tangent: its piece of the output's tangent is zeros.
    return [ops.zeros_like(x, dtype=out.dtype) if t is None else t
            for t, x in zip(ts, xs, strict=True)]


def _cat_jvp(ts: list[Any], out: Tensor, *xs: Tensor, dim: int = 0) -> Tensor:
    return ops.cat(_dense(ts, xs, out), dim)


def _stack_jvp(ts: list[Any], out: Tensor, *xs: Tensor, dim: int = 0) -> Tensor:
    return ops.stack(_dense(ts, xs, out), dim)


register(Rule("cat", "CatBackward0", K.cat,
              lambda g, out, *xs, dim=0: _split(g, xs, dim, False), _cat_jvp,
              torch_keeps=False,  # CatBackward0 keeps only sizes
              kind="linear", doc="concatenate along a dim", saves_inputs=True,
              sparse_tangents=False,
              formula=("slice of grad",))).with_array_vjp(
    lambda g, out, *xs, dim=0: _split_array(g, xs, dim, False))
register(Rule("stack", "StackBackward0", K.stack,
              lambda g, out, *xs, dim=0: _split(g, xs, dim, True), _stack_jvp,
              torch_keeps=False,  # StackBackward0 keeps only sizes
              kind="linear", doc="stack along a new dim", saves_inputs=True,
              sparse_tangents=False,
              formula=("slice of grad",))).with_array_vjp(
    lambda g, out, *xs, dim=0: _split_array(g, xs, dim, True))


def _index_put_vjp(g: Tensor, out: Tensor, x: Tensor, v: Any, index: Any,
                   kind: str, accumulate: bool = False, of_view: bool = False
                   ) -> tuple[Any, ...]:
    # of_view: the CopySlices of an in-place change of a view, which copies the view's
    # gradient into the base's: -0.0 here, and the view's path gives -0.0 outside it
    # (inplace._bypass), so their sum changes no zero's sign.
    fill = -0.0 if of_view else 0.0
    gx = (g if accumulate else ops.index_put(g, fill, index, kind)) if need(x) else None
    gv = ops.getitem_raw(g, index, "IndexBackward0") if need(v) else None
    return gx, gv


def _index_put_vjp_array(g: Tensor, out: Tensor, x: Tensor, v: Any, index: Any,
                         kind: str, accumulate: bool = False, of_view: bool = False
                         ) -> tuple[Any, ...]:
    ga = g.array
    fill = -0.0 if of_view else 0.0  # (see _index_put_vjp)
    gx = (g if accumulate else wrap(K.index_put(ga, fill, index, False))) if need(x) else None
    gv = wrap(_getitem(ga, index, "IndexBackward0")) if need(v) else None
    return gx, gv


def _index_put_jvp(ts: list[Any], out: Tensor, x: Tensor, v: Any, index: Any, kind: str,
                   accumulate: bool = False, of_view: bool = False) -> Tensor:
    tx = ts[0] if ts[0] is not None else ops.zeros_like(out)
    tv = ts[1] if ts[1] is not None else 0.0
    if accumulate:
        return apply(RULES["index_put"], (tx, tv if ts[1] is not None else ops.zeros_like(v)),
                     {"index": index, "kind": kind, "accumulate": True})
    return ops.index_put(tx, tv, index, kind)


register(Rule(
    "index_put", lambda i, p: p["kind"],
    lambda x, v, index, kind, accumulate=False, of_view=False: K.index_put(x, v, index,
                                                                           accumulate),
    _index_put_vjp, _index_put_jvp,
    kind="linear", doc="x with x[index] = v (the functional form of item assignment)",
    saves_inputs=False,
    formula=("grad with the index zeroed", "grad[index]"))).with_array_vjp(_index_put_vjp_array)


# ---------------------------------------------------------------------------------------
# unbind: PyTorch's one node with n outputs is, here, one node per output (each named
# UnbindBackward0); output i's VJP is PyTorch's unbind_backward with the other
# cotangents None (zeros): stack([0, …, g, …, 0], dim), i.e. g placed at index i.
# ---------------------------------------------------------------------------------------

def _unbind_index(dim: int, index: int) -> tuple[Any, ...]:
    return (slice(None),) * dim + (index,)


linear("unbind", "UnbindBackward0",
       lambda x, dim, index: K.getitem(x, _unbind_index(dim, index)),
       lambda g, x, dim, index: apply(
           RULES["index_add_into"], (g,),
           {"shape": x.shape, "index": _unbind_index(dim, index), "name": "StackBackward0"}),
       "one slice of x.unbind(dim) (iterating a tensor)",
       formula=("stack of grads (zeros for the other outputs)",), views=True,
       fast=lambda g, x, dim, index: wrap(K.index_add_into(g.array, x.array.shape,
                                                           _unbind_index(dim, index))))


def _flip(x: Any, dims: tuple[int, ...]) -> Any:
    # A copy, as PyTorch's flip (numpy's flip is a view with negative strides).
    return x[tuple(slice(None, None, -1) if d in dims else slice(None)
                   for d in range(x.ndim))].copy()


linear("flip", "FlipBackward0", _flip,
       lambda g, x, dims: ops.flip(g, dims),
       "reverse the order of the elements along dims (reversed(x) is x.flip(0))",
       formula=("flip(grad, dims)",))


def _unfold_back(g: Tensor, x: Tensor, dimension: int, size: int, step: int) -> Tensor:
    # Each window's cotangent added back at the elements it was taken from.
    n = g.shape[dimension]
    index = (ops.arange(n).unsqueeze(1) * step + ops.arange(size).unsqueeze(0)).reshape(-1)
    shape = x.shape
    flat = ops.reshape(ops.joins.movedim(g, -1, dimension + 1),
                       (*shape[:dimension], n * size, *shape[dimension + 1:]))
    return ops.zeros(shape, dtype=g.dtype).index_add(dimension, index, flat)


linear("unfold", "UnfoldBackward0", KS.unfold, _unfold_back,
       "sliding windows along a dim (x.unfold(dimension, size, step))",
       formula=("windows of grad added back where they were taken",), views=True)
