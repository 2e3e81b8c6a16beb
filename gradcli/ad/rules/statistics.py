"""Statistics rules: scans (cumsum, cumprod, logcumsumexp, cummax/cummin), var/std and
their means, selections (sort, topk, kthvalue, median, mode), aminmax, nansum, dist, cdist.
PyTorch's formulas (FunctionsManual.cpp), written in our differentiable ops."""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import reductions as KR
from gradcli.ad.kernels import statistics as KS
from gradcli.ad.ops import backward as B
from gradcli.ad.ops import statistics as S
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES, Rule
from gradcli.ad.rules.base import count, register, unreduce, unsqueeze_reduced, wrap
from gradcli.ad.rules.reductions import (
    amax_vjp,
    evenly_distribute_vjp,
    extreme_rule,
    norm_deriv,
    norm_vjp,
    select_rule,
)
from gradcli.ad.state import State

# -- scans ----------------------------------------------------------------------------


def reversed_cumsum(g: Tensor, dim: int) -> Tensor:
    """Σ_{j ≥ i} g_j along dim (PyTorch's reversed_cumsum: flip, cumsum, flip)."""
    return ops.flip(S.cumsum(ops.flip(g, dim), dim), dim)


def _cumsum_vjp(g: Tensor, out: Tensor, x: Tensor, dim: int, dtype: Any = None
                ) -> tuple[Any, ...]:
    # cumsum_backward(grad.to(self.scalar_type()), dim)
    if g.dtype != x.dtype:
        g = ops.to_dtype(g, x.dtype)
    if g.array.size <= 1 or (g.ndim and g.shape[dim] == 1):
        return (g,)
    return (reversed_cumsum(g, dim),)


register(Rule(
    "cumsum", "CumsumBackward0", KS.cumsum, _cumsum_vjp,
    lambda ts, out, x, dim, dtype=None: S.cumsum(ts[0], dim, dtype=dtype),
    kind="linear", doc="cumulative sum along dim", saves_inputs=False,
    formula=("reversed cumsum of grad",)))


def _others_products(x: Tensor, dim: int) -> Tensor:
    """P[..., i, j] = Π_{k ≤ j, k ≠ i} x_k for j ≥ i, else 0 (dim moved last): every
    partial derivative ∂out_j/∂x_i of cumprod, exact where x has zeros."""
    xl = ops.transpose(x, dim, -1) if x.ndim else ops.reshape(x, (1,))
    n = xl.shape[-1]
    eye = ops.eye(n, dtype="bool")
    rows = ops.expand(ops.unsqueeze(xl, -2), (*xl.shape[:-1], n, n))
    skip_i = ops.where(eye, ops.ones_like(rows), rows)
    ar = ops.arange(n)
    upper = ops.unsqueeze(ar, 0) >= ops.unsqueeze(ar, 1)
    return ops.where(upper, S.cumprod(skip_i, -1), ops.zeros_like(rows))


def _from_last(t: Tensor, x: Tensor, dim: int) -> Tensor:
    return ops.transpose(t, dim, -1) if x.ndim else ops.reshape(t, ())


def _cumprod_vjp(g: Tensor, out: Tensor, x: Tensor, dim: int, dtype: Any = None
                 ) -> tuple[Any, ...]:
    if g.dtype != x.dtype:
        g = ops.to_dtype(g, x.dtype)
    if x.array.size <= 1 or (x.ndim and x.shape[dim] == 1):
        return (g,)
    if not (x.array == 0).any():
        return (reversed_cumsum(g * out, dim) / x,)
    if not State.grad_enabled:  # PyTorch's O(n) formula (its second order is the other)
        return (wrap(KS.cumprod_backward_zeros(g.array, x.array, out.array, dim % x.ndim)),)
    p = _others_products(x, dim)
    gl = ops.transpose(g, dim, -1)
    return (_from_last(ops.sum(p * ops.unsqueeze(gl, -2), -1), x, dim),)


def _cumprod_jvp(ts: list[Any], out: Tensor, x: Tensor, dim: int, dtype: Any = None) -> Any:
    t = ts[0]
    if x.array.size <= 1:
        return S.cumprod(t, dim, dtype=dtype)
    if not (x.array == 0).any():
        return out * S.cumsum(t / x, dim, dtype=dtype)
    p = _others_products(x, dim)
    tl = ops.transpose(t, dim, -1)
    return _from_last(ops.sum(p * ops.unsqueeze(tl, -1), -2), x, dim)


register(Rule(
    "cumprod", "CumprodBackward0", KS.cumprod, _cumprod_vjp, _cumprod_jvp,
    kind="general", doc="cumulative product along dim (exact at zeros)", saves_out=True,
    formula=("Σ_{j≥i} grad_j · Π_{k≤j, k≠i} x_k",)))


def _logcumsumexp_vjp(g: Tensor, out: Tensor, x: Tensor, dim: int) -> tuple[Any, ...]:
    # PyTorch's logcumsumexp_backward: positive and negative parts of grad in log space.
    if x.ndim == 0 or x.shape[dim] == 0:
        return (g,)
    lowest = float(-KS.finfo_max(x.dtype))
    log_abs = ops.log(ops.abs(g))
    pos = ops.where(g > 0, log_abs, lowest)
    neg = ops.where(g < 0, log_abs, lowest)

    def rev(t: Tensor) -> Tensor:
        return ops.flip(S.logcumsumexp(ops.flip(t, dim), dim), dim)

    return (ops.exp(rev(pos - out) + x) - ops.exp(rev(neg - out) + x),)


def _logcumsumexp_jvp(ts: list[Any], out: Tensor, x: Tensor, dim: int) -> Any:
    # PyTorch's logcumsumexp_jvp: cumsum(t · e) / cumsum(e), e = exp(x - max). Where a
    # prefix's exponentials all underflow (a very negative x, as the VJP's log|grad| of
    # a zero grad), Σ_{i≤j} t_i exp(x_i - out_j) pairwise instead (out_j ≥ x_i: finite).
    if x.ndim == 0:
        return ts[0]
    e = ops.exp(x - ops.amax(x, dim, True))
    den = S.cumsum(e, dim)
    if not (den.array == 0).any():
        return S.cumsum(e * ts[0], dim) / den
    xl, ol, tl = (ops.transpose(a, dim, -1) for a in (x, out, ts[0]))
    n = xl.shape[-1]
    ar = ops.arange(n)
    upper = ops.unsqueeze(ar, 0) <= ops.unsqueeze(ar, 1)  # [j, i]: i ≤ j
    w = ops.exp(ops.unsqueeze(xl, -2) - ops.unsqueeze(ol, -1))  # [..., j, i]
    w = ops.where(upper, w, ops.zeros_like(w))
    return ops.transpose(ops.sum(w * ops.unsqueeze(tl, -2), -1), dim, -1)


register(Rule(
    "logcumsumexp", "LogcumsumexpBackward0", KS.logcumsumexp, _logcumsumexp_vjp,
    _logcumsumexp_jvp, kind="general", doc="log of the cumulative sum of exp (stable)",
    saves_out=True, formula=("Σ_{j≥i} grad_j · exp(x_i - out_j)",)))


def _scatter_add(g: Tensor, shape: tuple[int, ...], where: Any) -> Tensor:
    """zeros(shape).scatter_add_(dim, indices, g), `where` the full index of the scatter."""
    return apply(RULES["index_add_into"], (g,),
                 {"shape": shape, "index": where, "name": "ScatterAddBackward0"})


def _cum_extreme_rule(name: str, torch_name: str) -> None:
    # cummaxmin_backward: zeros.scatter_add_(dim, indices, grad); JVP: gather.
    register(Rule(
        name, torch_name, lambda x, index, dim, where: KR.take_along(x, index, dim, True)
        if x.ndim else x.copy(),
        lambda g, out, x, index, dim, where:
            (_scatter_add(g, x.shape, where) if x.ndim else g,),
        lambda ts, out, x, index, dim, where:
            ops.take_along(ts[0], index, dim, True) if x.ndim else ts[0],
        kind="linear", doc=f"{name}(x, dim): running extremum along dim",
        saves_inputs=False, torch_keeps=True, formula=("grad added at the running argmax",)))


_cum_extreme_rule("cummax", "CummaxBackward0")
_cum_extreme_rule("cummin", "CumminBackward0")

# -- selections: the gradient goes to the index PyTorch picks ---------------------------

for _name, _torch, _doc in (
    ("sort", "SortBackward0", "sort(x, dim): values (and indices) in order"),
    ("sort_stable", "SortBackward1", "sort(x, dim, stable=...): values in order"),
    ("topk", "TopkBackward0", "topk(x, k, dim): the k largest or smallest"),
    ("kthvalue", "KthvalueBackward0", "kthvalue(x, k, dim): the k-th smallest"),
    ("median_dim", "MedianBackward1", "median(x, dim): the lower median along dim"),
    ("nanmedian_dim", "NanmedianBackward1", "nanmedian(x, dim): median ignoring NaN"),
    ("mode", "ModeBackward0", "mode(x, dim): the most frequent value"),
):
    select_rule(_name, _torch, _doc, formula=("grad to the selected index",))

extreme_rule("median_all", "MedianBackward0", lambda x: KS.median(x),
             "median(x): the lower median of all elements", evenly_distribute_vjp,
             formula=("grad to the medians (shared at ties)",))
extreme_rule("nanmedian_all", "NanmedianBackward0",
             lambda x: KS.median(x, ignore_nan=True),
             "nanmedian(x): the lower median of the non-NaN elements", evenly_distribute_vjp,
             formula=("grad to the medians (shared at ties)",))
# (along a dim, the first of tied zeros, as amin/amax; over all elements, min()'s kernel)
extreme_rule("aminmax_min", "AminmaxBackward0",
             lambda x, dim=None, keepdim=False: (KR.amin if dim is None else KR.amin_first)(
                 x, dim, keepdim), "aminmax: the minimum", amax_vjp,
             formula=("grad to the minima (shared at ties)",))
extreme_rule("aminmax_max", "AminmaxBackward0",
             lambda x, dim=None, keepdim=False: (KR.amax if dim is None else KR.amax_first)(
                 x, dim, keepdim), "aminmax: the maximum", amax_vjp,
             formula=("grad to the maxima (shared at ties)",))

# -- variance and standard deviation --------------------------------------------------


def _dof(x: Tensor, dim: Any, correction: float) -> float:
    return float(count(x.shape, dim) if x.ndim else 1) - correction


def _two_over(dof: float) -> float:
    # C++'s 2.0 / (n - correction): inf where the degrees of freedom are 0 (Python raises)
    return 2.0 / dof if dof else float("inf")


def _var_backward(g: Tensor, x: Tensor, dim: Any, correction: float,
                  keepdim: bool) -> Tensor:
    # PyTorch's var_backward.
    dof = _dof(x, dim, correction)
    if x.ndim == 0 or dim is None:
        if dof <= 0:
            same = x == ops.mean(x)
            return g * ops.where(same, float("nan"), float("inf"))
        return _two_over(dof) * g * (x - ops.mean(x))
    if not keepdim and x.ndim > 1:
        g = unsqueeze_reduced(g, x.ndim, dim, False)  # broadcast below, not expanded
    return _two_over(dof) * g * (x - ops.mean(x, dim, True))


def _std_grad_var(g: Tensor, out: Tensor) -> Tensor:
    return B.masked_fill(g / (out * 2), out == 0, 0)


def _var_jvp(t: Tensor, x: Tensor, dim: Any, correction: float, keepdim: bool) -> Tensor:
    dof = _dof(x, dim, correction)
    if x.ndim == 0:
        return _two_over(dof) * t * (x - x)
    centred = x - ops.mean(x, dim, True) if dim is not None else x - ops.mean(x)
    return ops.sum(_two_over(dof) * t * centred, dim, keepdim)


def _var_kernel(sqrt: bool, welford: bool) -> Any:
    def kernel(x: Any, dim: Any = None, correction: float = 1.0,
               keepdim: bool = False) -> Any:
        return KS.var(x, dim, correction, keepdim, take_sqrt=sqrt, welford=welford)
    return kernel


def _var_rule(name: str, torch_name: str, sqrt: bool) -> None:
    welford = name.endswith("_mean_var") or name.endswith("_mean_std")
    if sqrt:
        def vjp(g: Tensor, out: Tensor, x: Tensor, dim: Any = None, correction: float = 1.0,
                keepdim: bool = False) -> tuple[Any, ...]:
            return (_var_backward(_std_grad_var(g, out), x, dim, correction, keepdim),)

        def jvp(ts: list[Any], out: Tensor, x: Tensor, dim: Any = None,
                correction: float = 1.0, keepdim: bool = False) -> Any:
            return _std_grad_var(_var_jvp(ts[0], x, dim, correction, keepdim), out)
    else:
        def vjp(g: Tensor, out: Tensor, x: Tensor, dim: Any = None, correction: float = 1.0,
                keepdim: bool = False) -> tuple[Any, ...]:
            return (_var_backward(g, x, dim, correction, keepdim),)

        def jvp(ts: list[Any], out: Tensor, x: Tensor, dim: Any = None,
                correction: float = 1.0, keepdim: bool = False) -> Any:
            return _var_jvp(ts[0], x, dim, correction, keepdim)

    register(Rule(name, torch_name, _var_kernel(sqrt, welford), vjp, jvp, kind="reduction",
                  doc=("standard deviation" if sqrt else "variance") + " over dims",
                  saves_out=sqrt,
                  formula=("grad · 2 (x - mean) / (N - correction)"
                           + (" / (2 std)" if sqrt else ""),)))


_var_rule("var", "VarBackward0", False)
_var_rule("std", "StdBackward0", True)
_var_rule("var_mean_var", "VarMeanBackward0", False)
_var_rule("std_mean_std", "StdMeanBackward0", True)


def _mean_part(name: str, torch_name: str) -> None:
    register(Rule(
        name, torch_name,
        lambda x, dim=None, correction=1.0, keepdim=False: KS.mean_f64(x, dim, keepdim),
        lambda g, out, x, dim=None, correction=1.0, keepdim=False:
            (B.div_scalar(unreduce(g, x.shape, dim, keepdim), count(x.shape, dim)),),
        lambda ts, out, x, dim=None, correction=1.0, keepdim=False:
            ops.mean(ts[0], dim, keepdim),
        kind="linear", doc="the mean that var_mean/std_mean return", saves_inputs=False,
        formula=("grad broadcast / n",)))


_mean_part("var_mean_mean", "VarMeanBackward0")
_mean_part("std_mean_mean", "StdMeanBackward0")

# -- NaN-aware sums and distances ------------------------------------------------------

register(Rule(
    "nansum", "NansumBackward0", KS.nansum,
    lambda g, out, x, dim=None, keepdim=False, dtype=None:
        (unreduce(ops.to_dtype(g, x.dtype) if g.dtype != x.dtype else g, x.shape, dim,
                  keepdim) * ops.logical_not(ops.isnan(x)),),
    lambda ts, out, x, dim=None, keepdim=False, dtype=None:
        S.nansum(ops.where(ops.isnan(x), 0.0, ts[0]), dim, keepdim, dtype=dtype),
    kind="reduction", doc="sum treating NaN as 0", formula=("grad where x is not NaN",)))


def _dist_kernel(x: Any, y: Any, p: float = 2.0) -> Any:
    return KR.norm(KS.dist_diff(x, y), p)


def _dist_vjp(g: Tensor, out: Tensor, x: Tensor, y: Tensor, p: float = 2.0
              ) -> tuple[Any, ...]:
    (d,) = norm_vjp(g, out, x - y, p)
    return (d, None if d is None else -d)


register(Rule(
    "dist", "DistBackward0", _dist_kernel, _dist_vjp,
    lambda ts, out, x, y, p=2.0: ops.sum(
        (ts[0] if ts[1] is None else ts[0] - ts[1] if ts[0] is not None else -ts[1])
        * norm_deriv(x - y, out, p, None, False)),
    kind="general", doc="p-norm of x - y", saves_out=True,
    formula=("norm_backward(grad, x - y)", "-norm_backward(grad, x - y)")))


def _cdist_vjp(g: Tensor, out: Tensor, x1: Tensor, x2: Tensor, p: float = 2.0
               ) -> tuple[Any, ...]:
    diff = ops.unsqueeze(x1, -2) - ops.unsqueeze(x2, -3)
    (d,) = norm_vjp(g, out, diff, p, -1, False)
    if d is None:
        return (None, None)
    return (ops.sum(d, -2), -ops.sum(d, -3))


def _cdist_jvp(ts: list[Any], out: Tensor, x1: Tensor, x2: Tensor, p: float = 2.0) -> Any:
    diff = ops.unsqueeze(x1, -2) - ops.unsqueeze(x2, -3)
    t1, t2 = ts
    td = (ops.unsqueeze(t1, -2) if t1 is not None else 0) - \
        (ops.unsqueeze(t2, -3) if t2 is not None else 0)
    return ops.sum(td * norm_deriv(diff, out, p, -1, False), -1)


register(Rule(
    "cdist", "CdistBackward0", KS.cdist, _cdist_vjp, _cdist_jvp, kind="general",
    doc="p-norm distances between rows", saves_out=True,
    formula=("Σ_j grad_ij ∂‖x1_i - x2_j‖", "-Σ_i grad_ij ∂‖x1_i - x2_j‖")))


def _euclidean_vjp(g: Tensor, out: Tensor, x1: Tensor, x2: Tensor) -> tuple[Any, ...]:
    # PyTorch's _euclidean_dist_backward (0 where the distance is 0).
    ratio = B.masked_fill(g / out, out == 0, 0)
    return (x1 * ops.sum(ratio, -1, True) - ops.matmul(ratio, x2),
            x2 * ops.unsqueeze(ops.sum(ratio, -2), -1)
            - ops.matmul(ops.transpose(ratio, -1, -2), x1))


def _euclidean_jvp(ts: list[Any], out: Tensor, x1: Tensor, x2: Tensor) -> Any:
    diff = ops.unsqueeze(x1, -2) - ops.unsqueeze(x2, -3)
    t1, t2 = ts
    td = (ops.unsqueeze(t1, -2) if t1 is not None else 0) - \
        (ops.unsqueeze(t2, -3) if t2 is not None else 0)
    return B.masked_fill(ops.sum(diff * td, -1) / out, out == 0, 0)


register(Rule(
    "euclidean_dist", "EuclideanDistBackward0", KS.euclidean_dist, _euclidean_vjp,
    _euclidean_jvp, kind="general", doc="cdist's p=2 through one matmul (over 25 rows)",
    saves_out=True,
    formula=("x1 · Σ_j r - r x2, r = grad / out", "x2 · Σ_i r - rᵀ x1")))
