"""Linear-algebra rules: matrix products (bilinear: each input's rule uses the other)."""

from __future__ import annotations

from typing import Any

from gradcli.ad import kernels as K
from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import linalg as KL
from gradcli.ad.ops import backward as B
from gradcli.ad.ops import linalg as OL
from gradcli.ad.registry import Rule
from gradcli.ad.rules.base import (
    linear,
    need,
    register,
    second_first,
    tan2,
    wrap,
)

# ---------------------------------------------------------------------------------------
# Linear algebra (bilinear: each input's rule uses the other input).
# ---------------------------------------------------------------------------------------

def _mT(x: Tensor) -> Tensor:
    return ops.transpose(x, -1, -2)


def mm_mat1_backward(g: Tensor, a: Tensor, b: Tensor) -> Tensor:
    """a's gradient in a @ b as ATen's mm_mat1_backward (KL.mm_mat1_grad)."""
    if KL.column_major(a.array):
        return ops.t(ops.mm(b, ops.t(g)))
    return ops.mm(g, ops.t(b))


def mm_mat2_backward(g: Tensor, a: Tensor, b: Tensor) -> Tensor:
    """b's gradient in a @ b as ATen's mm_mat2_backward (KL.mm_mat2_grad)."""
    if KL.column_major(b.array):
        return ops.t(ops.mm(ops.t(g), a))
    return ops.mm(ops.t(a), g)


register(Rule(
    "mm", "MmBackward0", K.mm,
    lambda g, out, a, b: second_first(mm_mat2_backward(g, a, b) if need(b) else None,
                                     lambda: mm_mat1_backward(g, a, b) if need(a) else None),
    lambda ts, out, a, b: tan2(ts, lambda t: ops.mm(t, b), lambda t: ops.mm(a, t)),
    saved_for_partner=(0, 1), kind="bilinear", doc="matrix × matrix",
    formula=("grad @ bᵀ", "aᵀ @ grad"))).with_array_vjp(
    lambda g, out, a, b: (wrap(KL.mm_mat1_grad(g.array, a.array, b.array)) if need(a) else None,
                          wrap(KL.mm_mat2_grad(g.array, a.array, b.array)) if need(b) else None))
def _mv_vjp_nd(ga: Any, out: Tensor, xs: tuple[Any, ...]) -> tuple[Any, ...]:
    a, v = xs
    aa, va = a.array, v.array
    # (a hook's cotangent) the kernels' checks:
    if ga.ndim != 1 or ((gt := ga.dtype) is not aa.dtype and gt != aa.dtype):
        return (K.mul(K.reshape(ga, (-1, 1)), va) if need(a) else None,
                K.mv(K.transpose(aa, 0, 1), ga) if need(v) else None)
    # The same with the kernels' checks done: g ⊗ v by outer_vectors (outer_k1: the
    # broadcast multiply's values, NaN payloads aside, bit for bit), mv of the transpose by
    # mv_t_checked (W2's hot loop runs this once a step).
    return (KL.outer_vectors(ga, va) if a.requires_grad else None,
            KL.mv_t_checked(aa, ga) if v.requires_grad else None)


def _mv_vjp_array(g: Tensor, out: Tensor, a: Tensor, v: Tensor) -> tuple[Any, ...]:
    ca, cv = _mv_vjp_nd(g.array, out, (a, v))
    return (None if ca is None else wrap(ca), None if cv is None else wrap(cv))


def _outer(g: Tensor, v: Tensor) -> Tensor:
    """PyTorch's ger/outer in a derivative formula: g.reshape(-1, 1) * v (MulBackward0)."""
    return ops.reshape(g, (-1, 1)) * v


register(Rule(
    "mv", "MvBackward0", K.mv,
    lambda g, out, a, v: (_outer(g, v) if need(a) else None,
                          ops.mv(ops.t(a), g) if need(v) else None),
    lambda ts, out, a, v: tan2(ts, lambda t: ops.mv(t, v), lambda t: ops.mv(a, t)),
    saved_for_partner=(0, 1), kind="bilinear", doc="matrix × vector",
    formula=("grad ⊗ v", "Aᵀ @ grad"))).with_array_vjp(_mv_vjp_array).with_nd_vjp(_mv_vjp_nd)
for _name, _torch in (("dot", "DotBackward0"), ("vdot", "VdotBackward0")):  # real: alike
    register(Rule(
        _name, _torch, K.dot,
        lambda g, out, a, b: (g * b if need(a) else None, g * a if need(b) else None),
        lambda ts, out, a, b: tan2(ts, lambda t: ops.dot(t, b), lambda t: ops.dot(a, t)),
        saved_for_partner=(0, 1), kind="bilinear", doc="vector · vector",
        formula=("grad · b", "grad · a"))).with_array_vjp(
        lambda g, out, a, b: (wrap(K.mul(g.array, b.array)) if need(a) else None,
                              wrap(K.mul(g.array, a.array)) if need(b) else None))


# ---------------------------------------------------------------------------------------
# Structured products (scaled sums of products) and matrix parts.
# ---------------------------------------------------------------------------------------

def _scale(x: Tensor, s: Any) -> Tensor:
    """PyTorch's maybe_multiply: x itself when s is 1, else a mul by a Scalar (MulBackward1
    under create_graph)."""
    return x if s == 1 else B.mul_scalar(x, s)


register(Rule(
    "trace", "TraceBackward0", KL.trace,
    lambda g, out, x: (OL.diagonal_backward(ops.expand(g, (min(x.shape),)), x.shape),),
    lambda ts, out, x: OL.trace(ts[0]),
    kind="linear", doc="sum of a matrix's main diagonal", saves_inputs=False,
    formula=("grad on the diagonal of zeros",)))
register(Rule(
    "bmm", "BmmBackward0", KL.bmm,
    lambda g, out, a, b: (OL.bmm(g, _mT(b)) if need(a) else None,
                          OL.bmm(_mT(a), g) if need(b) else None),
    lambda ts, out, a, b: tan2(ts, lambda t: OL.bmm(t, b), lambda t: OL.bmm(a, t)),
    saved_for_partner=(0, 1), kind="bilinear", doc="batched matrix × matrix",
    formula=("grad @ bᵀ", "aᵀ @ grad"))).with_array_vjp(
    lambda g, out, a, b: (
        wrap(KL.bmm(g.array, K.transpose(b.array, -1, -2))) if need(a) else None,
        wrap(KL.bmm(K.transpose(a.array, -1, -2), g.array)) if need(b) else None))


def _addmm_rule(name: str, torch_name: str, kernel: Any, prod: Any, vjp_a: Any, vjp_b: Any,
                doc: str) -> None:
    def vjp(g: Tensor, out: Tensor, c: Any, a: Tensor, b: Tensor, beta: Any = 1,
            alpha: Any = 1) -> tuple[Any, ...]:
        return (_scale(g, beta) if need(c) else None,
                _scale(vjp_a(g, a, b), alpha) if need(a) else None,
                _scale(vjp_b(g, a, b), alpha) if need(b) else None)

    def jvp(ts: list[Any], out: Tensor, c: Any, a: Tensor, b: Tensor, beta: Any = 1,
            alpha: Any = 1) -> Any:
        tc, ta, tb = ts
        total = None if tc is None or beta == 0 else _scale(tc, beta)
        for part in ((prod(ta, b) if ta is not None else None),
                     (prod(a, tb) if tb is not None else None)):
            if part is not None:
                part = _scale(part, alpha)
                total = part if total is None else total + part
        if total is None or total.shape == out.shape:
            return total
        return ops.expand(total, out.shape)  # only c's tangent, broadcast

    rule = register(Rule(name, torch_name, kernel, vjp, jvp, kind="general", doc=doc,
                         saved_for_partner=(1, 2),
                         formula=("β·grad", "α·grad @ bᵀ", "α·aᵀ @ grad")))
    if name == "addmm":
        def vjp_array(g: Tensor, out: Tensor, c: Any, a: Tensor, b: Tensor, beta: Any = 1,
                      alpha: Any = 1) -> tuple[Any, ...]:
            ga = g.array
            return (_scale_array(g, beta) if need(c) else None,
                    _scale_array(wrap(KL.mm_mat1_grad(ga, a.array, b.array)), alpha)
                    if need(a) else None,
                    _scale_array(wrap(KL.mm_mat2_grad(ga, a.array, b.array)), alpha)
                    if need(b) else None)

        rule.with_array_vjp(vjp_array)


def _scale_array(x: Tensor, s: Any) -> Tensor:
    return x if s == 1 else wrap(K.mul(x.array, s))


_addmm_rule("addmm", "AddmmBackward0", KL.addmm, lambda a, b: ops.mm(a, b),
            mm_mat1_backward, mm_mat2_backward,
            "β·c + α·(a @ b)")
_addmm_rule("addmv", "AddmvBackward0", KL.addmv, lambda a, v: ops.mv(a, v),
            lambda g, a, v: _outer(g, v), lambda g, a, v: ops.mv(ops.t(a), g),
            "β·c + α·(A @ v)")
_addmm_rule("addr", "AddrBackward0", KL.addr, lambda a, b: ops.outer(a, b),
            lambda g, a, b: ops.mv(g, b), lambda g, a, b: ops.mv(ops.t(g), a),
            "β·c + α·outer(a, b)")
def _batch_of(g: Tensor, b: Tensor) -> Tensor:
    """addbmm's grad as one per batch: grad.unsqueeze(0).expand(batch, ...)."""
    return ops.expand(ops.unsqueeze(g, 0), (b.shape[0], *g.shape))


_addmm_rule("addbmm", "AddbmmBackward0", KL.addbmm,
            lambda a, b: ops.sum(OL.bmm(a, b), 0),
            lambda g, a, b: OL.bmm(_batch_of(g, b), _mT(b)),
            lambda g, a, b: OL.bmm(_mT(a), _batch_of(g, a)),
            "β·c + α·Σ_b a[b] @ b[b]")
_addmm_rule("baddbmm", "BaddbmmBackward0", KL.baddbmm, lambda a, b: OL.bmm(a, b),
            lambda g, a, b: OL.bmm(g, _mT(b)), lambda g, a, b: OL.bmm(_mT(a), g),
            "β·c + α·bmm(a, b)")

linear("tril", lambda i, p: "TriuBackward0" if p.get("upper") else "TrilBackward0",
       KL.tril, lambda g, x, diagonal=0, upper=False: (OL.triu if upper else OL.tril)(
           g, diagonal),
       "the lower (upper) triangle of a matrix, the rest zero")
linear("diagonal", "DiagonalBackward0", KL.diagonal,
       lambda g, x, offset=0, dim1=0, dim2=1: OL.diagonal_backward(g, x.shape, offset, dim1,
                                                                   dim2),
       "a diagonal of the (dim1, dim2) planes, as the last dim", views=True)
linear("diagonal_backward", "DiagonalBackwardBackward0", KL.diagonal_backward,
       lambda g, x, shape, offset=0, dim1=0, dim2=1: OL.diagonal(g, offset, dim1, dim2),
       "zeros with a tensor written on a diagonal (the transpose of diagonal)")
linear("diag_embed", "DiagEmbedBackward0", KL.diag_embed,
       lambda g, x, offset=0, dim1=-2, dim2=-1: OL.diagonal(g, offset, dim1, dim2),
       "matrices with a tensor's last dim on a diagonal")
register(Rule(
    "cross", "LinalgCrossBackward0", KL.cross,
    lambda g, out, a, b, dim=-1: second_first(
        OL.linalg_cross(g, a, dim=dim) if need(b) else None,
        lambda: OL.linalg_cross(b, g, dim=dim) if need(a) else None),  # `other` first
    lambda ts, out, a, b, dim=-1: tan2(ts, lambda t: OL.linalg_cross(t, b, dim=dim),
                                       lambda t: OL.linalg_cross(a, t, dim=dim)),
    saved_for_partner=(0, 1), kind="bilinear", doc="cross product of 3-vectors along dim",
    formula=("b × grad", "grad × a")))
