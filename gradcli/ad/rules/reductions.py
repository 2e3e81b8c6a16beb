"""Reduction rules: sum, mean, prod, extrema, norms, softmax family."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.ad import kernels as K
from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import reductions as KR
from gradcli.ad.kernels import tensor_extras as KX
from gradcli.ad.ops import backward as B
from gradcli.ad.ops import statistics as S
from gradcli.ad.registry import Rule
from gradcli.ad.rules.base import (
    broadcast_view,
    by_dim,
    count,
    dims_of,
    register,
    sgn,
    unreduce,
    unsqueeze_reduced,
    wrap,
)
from gradcli.ad.state import State

# ---------------------------------------------------------------------------------------
# Reductions. The transpose of a reduction broadcasts g back over the reduced dims.
# ---------------------------------------------------------------------------------------


def _in_dtype_of(g: Tensor, x: Tensor) -> Tensor:
    """g in x's dtype (the gradient of sum(x, dtype=...) is in x's dtype)."""
    return g if g.dtype == x.dtype else ops.to_dtype(g, x.dtype)


def _unreduce_array(g: Tensor, shape: tuple[int, ...], dim: Any, keepdim: bool) -> Tensor:
    """unreduce in a light backward pass, on arrays (a read-only broadcast view)."""
    if dim is not None and not keepdim and len(shape) > 0:
        a = g.array
        for d in sorted(dims_of(dim, len(shape))):
            a = K.unsqueeze(a, d)
        g = wrap(a)
    return broadcast_view(g, tuple(shape))


def _in_dtype_of_array(g: Tensor, x: Tensor) -> Tensor:
    return g if g.array.dtype == x.array.dtype else wrap(K.to_dtype(g.array, x.array.dtype))


register(Rule(
    "sum", by_dim("SumBackward0", "SumBackward1"), K.sum,
    lambda g, out, x, dim=None, keepdim=False, dtype=None:
        (_in_dtype_of(unreduce(g, x.shape, dim, keepdim), x),),
    lambda ts, out, x, dim=None, keepdim=False, dtype=None:
        ops.sum(ts[0], dim, keepdim, dtype=dtype),
    kind="linear", doc="sum over dims (all by default)", saves_inputs=False,
    formula=("grad broadcast to x's shape",))).with_array_vjp(
    lambda g, out, x, dim=None, keepdim=False, dtype=None:
        (_in_dtype_of_array(_unreduce_array(g, x.shape, dim, keepdim), x),))
register(Rule(
    "mean", by_dim("MeanBackward0", "MeanBackward1"), K.mean,
    lambda g, out, x, dim=None, keepdim=False, dtype=None:
        (_in_dtype_of(B.div_scalar(unreduce(g, x.shape, dim, keepdim), count(x.shape, dim)),
                      x),),
    lambda ts, out, x, dim=None, keepdim=False, dtype=None:
        ops.mean(ts[0], dim, keepdim, dtype=dtype),
    kind="linear", doc="mean over dims (all by default)", saves_inputs=False,
    formula=("grad broadcast / n",))).with_array_vjp(
    lambda g, out, x, dim=None, keepdim=False, dtype=None:
        (_in_dtype_of_array(wrap(B.k_spread(B.k_div_scalar, _unreduce_array(
            g, x.shape, dim, keepdim).array, count(x.shape, dim))), x),))


def _prod_others(x: Tensor, out: Tensor, dim: Any, keepdim: bool) -> Tensor:
    """∂prod/∂xᵢ = product of the other elements, exact even where x has zeros."""
    o = unreduce(out, x.shape, dim, keepdim)
    zero = x == 0
    safe = ops.where(zero, 1.0, x)
    nonzero_prod = unreduce(ops.prod(safe, dim, keepdim), x.shape, dim, keepdim)
    nzeros = unreduce(ops.sum(zero, dim, keepdim), x.shape, dim, keepdim)
    only_zero = ops.logical_and(zero, nzeros == 1)
    return ops.where(only_zero, nonzero_prod, ops.where(zero, 0.0, o / safe))


def _prod_safe_zeros(g: Tensor, x: Tensor, dim: int) -> Tensor:
    """PyTorch's prod_safe_zeros_backward: g · the exclusive cumulative products of x
    from the left and from the right along dim (inf and nan elsewhere stay out of a
    product's ratio: no result / input)."""
    n = x.shape[dim]
    if x.numel() == 0:
        return ops.expand(g, x.shape)
    lead = (slice(None),) * dim
    ones = ops.ones_like(ops.getitem(x, (*lead, slice(0, 1))))
    left = S.cumprod(ops.cat([ones, ops.getitem(x, (*lead, slice(0, n - 1)))], dim), dim)
    right = S.cumprod(ops.cat([ones, ops.flip(ops.getitem(x, (*lead, slice(1, n))), dim)],
                              dim), dim)
    return g * (left * ops.flip(right, dim))


def _prod_vjp(g: Tensor, out: Tensor, x: Tensor, dim: Any = None,
              keepdim: bool = False) -> tuple[Any, ...]:
    # PyTorch's prod_backward: grad itself for a 0-dim input, grad · (result / input)
    # when the input has no zero, else prod_safe_zeros_backward (over the flattened input
    # for a whole product, which is zeros when two are zero and no graph is made).
    if x.ndim == 0:
        return (g,)
    zeros = int((x.array == 0).sum())
    if not zeros:
        # As PyTorch writes it: grad and result unsqueezed (not expanded), then broadcast.
        return (unsqueeze_reduced(g, x.ndim, dim, keepdim)
                * (unsqueeze_reduced(out, x.ndim, dim, keepdim) / x),)
    if dim is None:
        if zeros > 1 and not State.grad_enabled:
            return (ops.zeros_like(x),)
        return (ops.reshape(_prod_safe_zeros(g, ops.reshape(x, (-1,)), 0), x.shape),)
    d = dim % x.ndim
    return (_prod_safe_zeros(unsqueeze_reduced(g, x.ndim, d, keepdim), x, d),)


register(Rule(
    "prod", by_dim("ProdBackward0", "ProdBackward1"), K.prod,
    _prod_vjp,
    lambda ts, out, x, dim=None, keepdim=False:
        ops.sum(ts[0] * _prod_others(x, out, dim, keepdim), dim, keepdim),
    kind="reduction", doc="product over a dim (all by default)", saves_out=True,
    formula=("grad · (product of the other elements)",)))


def extreme_weights(x: Tensor, out: Tensor, dim: Any, keepdim: bool) -> Tensor:
    # Ties share the gradient evenly (PyTorch's evenly_distribute_backward / amax rule).
    hit = ops.to_dtype(x == unreduce(out, x.shape, dim, keepdim), x.dtype)
    if dim is None:
        return hit / ops.sum(hit)
    return hit / unreduce(ops.sum(hit, dim, True), x.shape, dim, True)


def restore_reduced_dims(t: Tensor, dim: Any, keepdim: bool) -> Tensor:
    """PyTorch's restore_reduced_dims: t reshaped with a size-1 dim at each reduced dim."""
    if keepdim or dim is None:
        return t
    dims = [dim] if type(dim) is int else list(dim)
    total = t.ndim + len(dims)
    target = [0] * total
    for d in dims:
        target[d % total] = 1
    rest = iter(t.shape)
    target = [1 if n == 1 else next(rest, 1) for n in target]
    return ops.reshape(t, tuple(target))


def evenly_distribute_vjp(g: Tensor, out: Tensor, x: Tensor) -> tuple[Any, ...]:
    # PyTorch's evenly_distribute_backward (max(x), min(x)):
    # zeros.masked_fill_(mask, grad / mask.sum()) with mask = x == out (NaN: isnan).
    mask = (x.array != x.array) if out.array != out.array else (x.array == out.array)
    return (B.masked_fill_value(ops.zeros_like(x), mask, g / int(mask.sum())),)


def amax_vjp(g: Tensor, out: Tensor, x: Tensor, dim: Any = None,
              keepdim: bool = False) -> tuple[Any, ...]:
    # PyTorch's amax/amin backward: scale_grad_by_count(restore_reduced_dims(grad),
    # restore_reduced_dims(result) == self, dim) = (grad / mask.sum(dim, true)) * mask
    # (so a negative grad gives -0. where x is not an extremum, as in PyTorch).
    mask = restore_reduced_dims(out, dim, keepdim) == x
    count = ops.sum(mask, dim, True)
    return ((restore_reduced_dims(g, dim, keepdim) / count) * mask,)


def extreme_rule(name: str, torch_name: str, kernel: Any, doc: str,
                  vjp: Callable[..., Any], formula: tuple[str, ...]) -> None:
    register(Rule(
        name, torch_name, kernel, vjp,
        lambda ts, out, x, dim=None, keepdim=False:
            ops.sum(ts[0] * extreme_weights(x, out, dim, keepdim), dim, keepdim),
        kind="reduction", doc=doc, saves_out=True, formula=formula))


extreme_rule("amax", "AmaxBackward0", KR.amax_first, "maximum over dims", amax_vjp,
              formula=("grad to the maxima (shared at ties)",))
extreme_rule("amin", "AminBackward0", KR.amin_first, "minimum over dims", amax_vjp,
              formula=("grad to the minima (shared at ties)",))
extreme_rule("max_all", "MaxBackward1", K.amax, "max(x): the maximum of all elements",
              evenly_distribute_vjp, formula=("grad to the maxima (shared at ties)",))
extreme_rule("min_all", "MinBackward1", K.amin, "min(x): the minimum of all elements",
              evenly_distribute_vjp, formula=("grad to the minima (shared at ties)",))


def select_rule(name: str, torch_name: str, doc: str, formula: tuple[str, ...]) -> None:
    # max(x, dim) / min(x, dim): values at given indices; the gradient goes to that index only.
    register(Rule(
        name, torch_name, _take_along,
        _value_selecting_vjp,
        lambda ts, out, x, index, dim, keepdim: ops.take_along(ts[0], index, dim, keepdim),
        kind="linear", doc=doc, saves_inputs=False, formula=formula,
        torch_keeps=True))  # MaxBackward0/MinBackward0 keep the argmax; our rule needs none


def _value_selecting_vjp(g: Tensor, out: Tensor, x: Tensor, index: Any, dim: int,
                         keepdim: bool) -> tuple[Any, ...]:
    # PyTorch's value_selecting_reduction_backward: zeros.scatter(dim, index, g), g
    # unsqueezed first (UnsqueezeBackward0) when the dim was not kept.
    if not keepdim and x.ndim:
        g = ops.unsqueeze(g, dim)
        keepdim = True
    return (ops.scatter_along(g, x.shape, index, dim, keepdim),)


def _take_along(x: Any, index: Any, dim: int, keepdim: bool) -> Any:
    return x.copy() if x.ndim == 0 else K.take_along(x, index, dim, keepdim)


def _scatter_along(g: Any, shape: tuple[int, ...], index: Any, dim: int, keepdim: bool) -> Any:
    return g.copy() if not shape else K.scatter_along(g, shape, index, dim, keepdim)


select_rule("max_dim", "MaxBackward0", "max(x, dim): values (and indices) along dim",
             formula=("grad to the argmax",))
select_rule("min_dim", "MinBackward0", "min(x, dim): values (and indices) along dim",
             formula=("grad to the argmin",))
register(Rule(
    "take_along", "GatherBackward0",
    _take_along,
    lambda g, out, x, index, dim, keepdim: (ops.scatter_along(g, x.shape, index, dim, keepdim),),
    lambda ts, out, x, index, dim, keepdim: ops.take_along(ts[0], index, dim, keepdim),
    kind="linear", doc="values at indices along a dim (gather)", saves_inputs=False))
register(Rule(
    "scatter_along", "ScatterBackward0",
    _scatter_along,
    lambda gg, out, g, shape, index, dim, keepdim: (ops.take_along(gg, index, dim, keepdim),),
    lambda ts, out, g, shape, index, dim, keepdim:
        ops.scatter_along(ts[0], shape, index, dim, keepdim),
    kind="linear", doc="zeros with values placed at indices along a dim", saves_inputs=False,
    edges=lambda name: (None, 0)))  # PyTorch's zeros.scatter(dim, index, g): zeros first


def norm_deriv(x: Tensor, out: Tensor, p: float, dim: Any, keepdim: bool) -> Tensor:
    if p == 0:
        return ops.zeros_like(x)  # the count of nonzeros is piecewise constant
    o = unreduce(out, x.shape, dim, keepdim)
    if p == 2:
        # x/‖x‖, and 0 at the origin (PyTorch's subgradient).
        return ops.where(o == 0, 0.0, x / ops.where(o == 0, 1.0, o))
    if p == 1:
        return ops.sign(x)
    if p in (float("inf"), float("-inf")):
        return ops.sign(x) * extreme_weights(ops.abs(x), out, dim, keepdim)
    a = ops.abs(x)
    return ops.where(o == 0, 0.0,
                   ops.sign(x) * a ** (p - 1) / ops.where(o == 0, 1.0, o) ** (p - 1))


def norm_vjp(g: Tensor, out: Tensor, x: Tensor, p: float = 2.0, dim: Any = None,
             keepdim: bool = False, aten: bool = False, dtype: Any = None) -> tuple[Any, ...]:
    # PyTorch's norm_backward, op for op (grad and norm get their reduced dims back).
    if x.ndim:
        g = restore_reduced_dims(g, dim, keepdim)
        o = restore_reduced_dims(out, dim, keepdim)
    else:
        o = out
    if p == 0:
        return (None,)  # no gradient at all (PyTorch: an undefined one)
    if p == 1:
        return (sgn(x) * g,)
    if p == 2:
        return (g * B.masked_fill(x / o, o == 0, 0),)
    if p in (float("inf"), float("-inf")):
        a = ops.abs(x)
        mask = ops.logical_or(a == o, ops.isnan(a))
        return (sgn(x) * ((g / ops.sum(mask, dim, True)) * mask),)
    if p < 1:
        scaled = sgn(x) * B.masked_fill(ops.pow(ops.abs(x), p - 1), x == 0, 0)
        return (scaled * g * ops.pow(o, 1 - p),)
    scaled = (sgn(x) * ops.pow(ops.abs(x), p - 1) if p < 2
              else x * ops.pow(ops.abs(x), p - 2))
    return (scaled * B.masked_fill(g / ops.pow(o, p - 1), o == 0, 0),)


register(Rule(
    # `aten`: the C++ at::norm(x, p, dim) PyTorch's composites call (pairwise_distance):
    # NormBackward1; torch.norm and linalg.vector_norm are LinalgVectorNormBackward0
    "norm", lambda i, p: "NormBackward1" if p.get("aten") else "LinalgVectorNormBackward0",
    # (dtype=: the engine casts the tangent to the norm's dtype; PyTorch leaves ord 1
    # and 2's in the input's dtype: a difference left, bench/API_COVERAGE.md's notes)
    K.norm, norm_vjp,
    lambda ts, out, x, p=2.0, dim=None, keepdim=False, aten=False, dtype=None:
        ops.sum(ts[0] * norm_deriv(x, out, p, dim, keepdim), dim, keepdim),
    kind="reduction", doc="vector p-norm (a primitive: stable at 0)", saves_out=True,
    formula=("grad · x / ‖x‖",)))
register(Rule(
    "logsumexp", "LogsumexpBackward0", K.logsumexp,
    lambda g, out, x, dim, keepdim=False:
        (unsqueeze_reduced(g, x.ndim, dim, keepdim)
         * ops.exp(x - unsqueeze_reduced(out, x.ndim, dim, keepdim)),),
    lambda ts, out, x, dim, keepdim=False:
        ops.sum(ts[0] * ops.exp(x - unreduce(out, x.shape, dim, keepdim)), dim, keepdim),
    kind="reduction", doc="log Σ exp(x) over dims (stable)", saves_out=True,
    formula=("grad · exp(x - out)",))).with_array_vjp(
    lambda g, out, x, dim, keepdim=False: (wrap(K.mul(
        _unreduce_array(g, x.shape, dim, keepdim).array,
        K.exp(K.sub(x.array, _unreduce_array(out, x.shape, dim, keepdim).array)))),))
register(Rule(
    "softmax", "SoftmaxBackward0", K.softmax,
    lambda g, out, x, dim: (B.softmax_backward_data(g, out, dim),),
    lambda ts, out, x, dim: out * (ts[0] - ops.sum(ts[0] * out, dim, True)),
    kind="general", doc="softmax along dim (stable)", saves_inputs=False, saves_out=True,
    formula=("out · (grad - Σ grad · out)",))).with_array_vjp(
    lambda g, out, x, dim: (wrap(B.k_softmax_backward_data(g.array, out.array, dim=dim)),))
register(Rule(
    "log_softmax", "LogSoftmaxBackward0", K.log_softmax,
    lambda g, out, x, dim: (B.log_softmax_backward_data(g, out, dim),),
    lambda ts, out, x, dim: ts[0] - ops.sum(ops.exp(out) * ts[0], dim, True),
    kind="general", doc="log of softmax along dim (stable)", saves_inputs=False,
    saves_out=True,
    formula=("grad - exp(out) · Σ grad",))).with_array_vjp(
    lambda g, out, x, dim: (
        wrap(B.k_log_softmax_backward_data(g.array, out.array, dim=dim)),))


# -- renorm: each sub-tensor along dim scaled down to p-norm maxnorm where it is above ----

def _renorm_dims(x: Any, dim: int) -> tuple[int, ...]:
    d = dim % x.ndim
    return tuple(i for i in range(x.ndim) if i != d)


def _renorm_vjp(g: Tensor, out: Tensor, x: Tensor, p: float, dim: int,
                maxnorm: float) -> tuple[Any, ...]:
    # PyTorch's renorm_backward: factor·grad - factor/(‖x‖+1e-7) · norm_backward(Σ x·grad)
    # where ‖x‖ > maxnorm, grad elsewhere.
    dims = _renorm_dims(x, dim)
    norm = ops.norm(x, p, dims, True)
    nb = norm_vjp(ops.sum(x * g, dims, True), norm, x, p, dims, True)[0]
    invnorm = ops.reciprocal(norm + 1e-7)
    factor = invnorm * maxnorm
    return (ops.where(norm > maxnorm, factor * g - (factor * invnorm) * nb, g),)


def _renorm_jvp(ts: list[Any], out: Tensor, x: Tensor, p: float, dim: int,
                maxnorm: float) -> Any:
    dims = _renorm_dims(x, dim)
    norm = ops.norm(x, p, dims, True)
    dn = ops.sum(ts[0] * norm_deriv(x, norm, p, dims, True), dims, True)
    invnorm = ops.reciprocal(norm + 1e-7)
    factor = invnorm * maxnorm
    return ops.where(norm > maxnorm, factor * ts[0] - (factor * invnorm) * dn * x, ts[0])


register(Rule(
    "renorm", "RenormBackward0", KX.renorm, _renorm_vjp, _renorm_jvp,
    kind="general", doc="sub-tensors along dim scaled to p-norm ≤ maxnorm",
    formula=("grad · f - f/‖x‖ · ∂‖x‖ · Σ x·grad where ‖x‖ > maxnorm (f = maxnorm/‖x‖)",)))
