"""Statistics: scans, var/std (and their means), sorting and selection, NaN-aware
reductions and distances, with PyTorch's signatures and named-tuple results."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, one_family, tensor_from_array
from gradcli.ad.inplace import inplace_of
from gradcli.ad.kernels import TorchError, scalar_name
from gradcli.ad.kernels import statistics as KS
from gradcli.ad.ops.creation import _as_tensor, dtypes_resolve
from gradcli.ad.ops.elementwise import div, isnan, logical_not
from gradcli.ad.ops.reductions import Aminmax, differentiable_dtype, every_dim, return_type
from gradcli.ad.ops.reductions import sum as _sum
from gradcli.ad.ops.shape import view
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply, input_layout
from gradcli.ad.registry import RULES as _RULES
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError


def _kernel(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a kernel for its indices, PyTorch's message on failure."""
    try:
        return fn(*args, **kwargs)
    except TorchError as e:
        raise GdRuntimeError(str(e), py_type=e.py_type) from None


def _dim(x: Tensor, dim: Any) -> int:
    if dim is None:
        raise GdRuntimeError("dim must be an int, not NoneType")
    return _kernel(KS.wrap_dim, dim, x.ndim)


def _dtype(dtype: Any, x: Any = None) -> Any:
    dt = None if dtype is None else dtypes_resolve(dtype)
    differentiable_dtype(x, dt)
    return dt


# -- scans ----------------------------------------------------------------------------

def cumsum(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Cumulative sum along dim."""
    x = _as_tensor(input)
    return apply(_RULES["cumsum"], (x,), {"dim": _dim(x, dim), "dtype": _dtype(dtype, x)})


def cumprod(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Cumulative product along dim."""
    x = _as_tensor(input)
    return apply(_RULES["cumprod"], (x,), {"dim": _dim(x, dim), "dtype": _dtype(dtype, x)})


def logcumsumexp(input: Tensor, dim: int) -> Tensor:
    """log(cumsum(exp(x))) along dim, stable."""
    x = _as_tensor(input)
    return apply(_RULES["logcumsumexp"], (x,), {"dim": _dim(x, dim)})


def _cum_extreme(kind: str, x: Tensor, dim: int) -> Any:
    d = _dim(x, dim)
    _, idx = _kernel(KS.cumextreme, x.array, d, kind == "cummax")
    where = list(np.indices(idx.shape, sparse=True))
    if where:
        where[d] = idx
    values = apply(_RULES[kind], (x,), {"index": idx, "dim": d, "where": tuple(where)})
    return return_type(kind)(values, tensor_from_array(idx))


def cummax(input: Tensor, dim: int) -> Any:
    """(values, indices): the running maximum along dim."""
    return _cum_extreme("cummax", _as_tensor(input), dim)


def cummin(input: Tensor, dim: int) -> Any:
    """(values, indices): the running minimum along dim."""
    return _cum_extreme("cummin", _as_tensor(input), dim)


# -- variance and standard deviation --------------------------------------------------

_VAR_SIGNATURES = (
    " * (Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False, *, "
    "Tensor out = None)\n"
    " * (Tensor input, tuple of ints dim = None, *, Number correction = None, "
    "bool keepdim = False, Tensor out = None)\n"
    " * (Tensor input, bool unbiased = True)\n")


def _type_name(v: Any) -> str:
    return "Tensor" if isinstance(v, Tensor) else type(v).__name__


def _correction(name: str, dim: Any, unbiased: Any, correction: Any) -> tuple[Any, float]:
    if isinstance(dim, bool):  # the legacy var(x, unbiased) form
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        # PyTorch's argument parser: no overload takes both.
        got = ["Tensor"]
        if dim is not None:
            got.append(_type_name(dim))
        got += [_type_name(unbiased), f"correction={_type_name(correction)}"]
        raise GdRuntimeError(f"{name}() received an invalid combination of arguments - got "
                             f"({', '.join(got)}), but expected one of:\n{_VAR_SIGNATURES}")
    if correction is None:
        correction = 0 if unbiased is False else 1
    if isinstance(dim, list):
        dim = tuple(dim)
    return dim, float(correction)


def _var_params(name: str, x: Tensor, dim: Any, unbiased: Any, keepdim: bool,
                correction: Any) -> dict[str, Any]:
    dim, corr = _correction(name, dim, unbiased, correction)
    if x.array.dtype.kind in "fc":  # (else the kernel's dtype error first)
        dim = every_dim(x, dim)
    if x.array.dtype.kind == "f" and _kernel(KS.var_dof_nonpositive, x.array, dim, corr):
        warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than "
             "the reduction factor (input numel divided by output numel).")
    return {"dim": dim, "correction": corr, "keepdim": bool(keepdim)}


def var(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
        correction: Any = None) -> Tensor:
    """Variance over dims with Bessel's correction by default (`correction=0` or
    `unbiased=False`: the population variance)."""
    x = _as_tensor(input)
    return apply(_RULES["var"], (x,), _var_params("var", x, dim, unbiased, keepdim, correction))


def std(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
        correction: Any = None) -> Tensor:
    """Standard deviation: the square root of var."""
    x = _as_tensor(input)
    return apply(_RULES["std"], (x,), _var_params("std", x, dim, unbiased, keepdim, correction))


def var_mean(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
             correction: Any = None) -> tuple[Tensor, Tensor]:
    """(var, mean) in one pass."""
    x = _as_tensor(input)
    p = _var_params("var_mean", x, dim, unbiased, keepdim, correction)
    return one_family((apply(_RULES["var_mean_var"], (x,), p),
                       apply(_RULES["var_mean_mean"], (x,), p)))


def std_mean(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
             correction: Any = None) -> tuple[Tensor, Tensor]:
    """(std, mean) in one pass."""
    x = _as_tensor(input)
    p = _var_params("std_mean", x, dim, unbiased, keepdim, correction)
    return one_family((apply(_RULES["std_mean_std"], (x,), p),
                       apply(_RULES["std_mean_mean"], (x,), p)))


# -- sorting and selection ------------------------------------------------------------

def _selected(kind: str, rule: str, x: Tensor, idx: np.ndarray, d: int, keepdim: bool) -> Any:
    """values = x at the kernel's indices (the gradient goes there); the named tuple."""
    if x.ndim == 0:
        idx = np.zeros((), np.int64)
        values = apply(_RULES[rule], (x,), {"index": idx, "dim": d, "keepdim": keepdim})
        return return_type(kind)(values, tensor_from_array(idx))
    values = apply(_RULES[rule], (x,), {"index": idx, "dim": d, "keepdim": keepdim})
    out_idx = idx if keepdim else np.squeeze(idx, d)
    return return_type(kind)(values, tensor_from_array(out_idx.astype(np.int64)))


_UNSET: Any = object()


def sort(input: Tensor, dim: int = -1, descending: bool = False, *,
         stable: Any = _UNSET) -> Any:
    """(values, indices) sorted along dim (`stable=True`: ties keep their order; PyTorch's
    sort.stable overload, SortBackward1, whenever `stable` is given)."""
    x = _as_tensor(input)
    d = _dim(x, dim)
    _, idx = _kernel(KS.sort, x.array, d, bool(descending), stable is not _UNSET and
                     bool(stable))
    if x.ndim > 1 and not x.array.flags.c_contiguous:
        idx = input_layout(x.array, idx)  # the indices laid out as the values (x's way)
    return _selected("sort", "sort" if stable is _UNSET else "sort_stable", x, idx, d, True)


def argsort(input: Tensor, dim: int = -1, descending: bool = False, *,
            stable: bool = False) -> Tensor:
    """The indices that sort x along dim."""
    x = _as_tensor(input)
    return sort(x, dim, descending, stable=stable).indices


def msort(input: Tensor) -> Tensor:
    """x sorted along dim 0."""
    return sort(input, 0).values


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True,
         sorted: bool = True) -> Any:
    """(values, indices) of the k largest (smallest) along dim."""
    x = _as_tensor(input)
    d = _dim(x, dim)
    _, idx = _kernel(KS.topk, x.array, k, d, bool(largest), bool(sorted))
    return _selected("topk", "topk", x, idx, d, True)


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> Any:
    """(values, indices) of the k-th smallest along dim."""
    x = _as_tensor(input)
    d = _dim(x, dim)
    _, idx = _kernel(KS.kthvalue, x.array, k, d, True)
    return _selected("kthvalue", "kthvalue", x, idx, d, keepdim)


def _median(name: str, x: Tensor, dim: Any, keepdim: bool) -> Any:
    ignore_nan = name == "nanmedian"
    if dim is None:
        return apply(_RULES[name + "_all"], (x,))
    d = _dim(x, dim)
    _, idx = _kernel(KS.median, x.array, d, True, ignore_nan)
    return _selected(name, name + "_dim", x, idx, d, keepdim)


def median(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    """The lower median of all elements, or (values, indices) along dim."""
    return _median("median", _as_tensor(input), dim, keepdim)


def nanmedian(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    """median ignoring NaN."""
    return _median("nanmedian", _as_tensor(input), dim, keepdim)


def mode(input: Tensor, dim: int = -1, keepdim: bool = False) -> Any:
    """(values, indices): the most frequent value along dim."""
    x = _as_tensor(input)
    d = _dim(x, dim)
    _, idx = _kernel(KS.mode, x.array, d, True)
    return _selected("mode", "mode", x, idx, d, keepdim)


def aminmax(input: Tensor, *, dim: Any = None, keepdim: bool = False) -> Any:
    """(min, max) over all elements or along dim."""
    x = _as_tensor(input)
    if x.array.size == 0 and dim is None:
        raise GdRuntimeError("aminmax(): cannot compute aminmax over an empty dimension as "
                             "the operation has no identity.")
    params: dict[str, Any] = {} if dim is None else {"dim": _dim(x, dim), "keepdim": keepdim}
    if dim is not None and x.ndim and x.shape[params["dim"]] == 0:
        raise GdRuntimeError(f"aminmax: Expected reduction dim {params['dim']} to have "
                             "non-zero size.")
    if dim is None and keepdim:
        params = {"dim": tuple(range(x.ndim)), "keepdim": True}
    return Aminmax(*one_family((apply(_RULES["aminmax_min"], (x,), params),
                                apply(_RULES["aminmax_max"], (x,), params))))


# -- NaN-aware reductions and distances -----------------------------------------------

def _dims(dim: Any, x: Tensor | None = None) -> Any:
    """dim as a tuple; with x, an empty one is every dim (every_dim)."""
    if x is not None:
        dim = every_dim(x, dim)
    return tuple(dim) if isinstance(dim, list) else dim


def nansum(input: Tensor, dim: Any = None, keepdim: bool = False, *,
           dtype: Any = None) -> Tensor:
    """Sum treating NaN as zero."""
    x = _as_tensor(input)
    return apply(_RULES["nansum"], (x,),
                 {"dim": _dims(dim, x), "keepdim": keepdim, "dtype": _dtype(dtype, x)})


def nanmean(input: Tensor, dim: Any = None, keepdim: bool = False, *,
            dtype: Any = None) -> Tensor:
    """Mean of the non-NaN elements: nansum / their count (PyTorch's DivBackward0)."""
    x = _as_tensor(input)
    if x.array.dtype.kind != "f":
        raise GdRuntimeError("nanmean(): expected input to have floating point or complex "
                             f"dtype but got {scalar_name(x.array.dtype)}")
    factor = _sum(logical_not(isnan(x)), _dims(dim, x), keepdim)
    return div(nansum(x, dim, keepdim, dtype=dtype), factor)


def count_nonzero(input: Tensor, dim: Any = None) -> Tensor:
    """How many elements are nonzero (int64)."""
    x = _as_tensor(input)
    if dim is not None:
        for d in (dim,) if isinstance(dim, int) else dim:
            _dim(x, d)
    return tensor_from_array(_kernel(KS.count_nonzero, x.array, _dims(dim, x)))


def dist(input: Tensor, other: Tensor, p: float = 2) -> Tensor:
    """The p-norm of input - other."""
    return apply(_RULES["dist"], (_as_tensor(input), _as_tensor(other)), {"p": float(p)})


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0,
          compute_mode: str = "use_mm_for_euclid_dist_if_necessary") -> Tensor:
    """p-norm distances between each row of x1 and each row of x2. For p=2 with more than
    25 rows (or `compute_mode="use_mm_for_euclid_dist"`), PyTorch's matmul form
    (EuclideanDistBackward0, then a view)."""
    a, b = _as_tensor(x1), _as_tensor(x2)
    if compute_mode not in _CDIST_MODES:
        raise GdRuntimeError(f"{compute_mode} is not a valid value for compute_mode")
    mm = p == 2 and a.ndim >= 2 and b.ndim >= 2 and (
        compute_mode == "use_mm_for_euclid_dist"
        or (compute_mode == _CDIST_MODES[0] and (a.shape[-2] > 25 or b.shape[-2] > 25)))
    _cdist_dtypes(a.array.dtype, b.array.dtype, mm)
    if mm:
        out = apply(_RULES["euclidean_dist"], (a, b))
        return view(out, out.shape)
    return apply(_RULES["cdist"], (a, b), {"p": float(p)})


_CDIST_MODES = ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                "donot_use_mm_for_euclid_dist")


def _cdist_dtypes(da: np.dtype, db: np.dtype, mm: bool) -> None:
    """PyTorch's cdist takes two floating tensors of one dtype (no promotion): float16 is
    not implemented, a float32 and a float64 are the matmul's (or the kernel's) error."""
    if da.kind != "f" or db.kind != "f":
        return  # the kernel's own "only supports floating-point dtypes"
    if da == np.float16:
        raise GdRuntimeError("\"cdist\" not implemented for 'Half'")
    if da != db:
        if mm:
            c = {"float16": "c10::Half", "float32": "float", "float64": "double"}
            raise GdRuntimeError("expected m1 and m2 to have the same dtype, but got: "
                                 f"{c[da.name]} != {c[db.name]}")
        raise GdRuntimeError(f"expected scalar type {scalar_name(da)} but found "
                             f"{scalar_name(db)}")


# -- PyTorch spellings ------------------------------------------------------------------

for _name in ("cumsum", "cumprod", "logcumsumexp", "cummax", "cummin", "var", "std",
              "median", "nanmedian", "sort", "argsort", "msort", "topk", "kthvalue", "mode",
              "aminmax", "nansum", "nanmean", "count_nonzero", "dist"):
    expose(globals()[_name], f"torch.{_name}", f"Tensor.{_name}", family="reductions")
for _name in ("var_mean", "std_mean", "cdist"):
    expose(globals()[_name], f"torch.{_name}", family="reductions")


def _same_dtype_inplace(fn: Callable[..., Tensor]) -> Callable[..., Tensor]:
    """x.cumsum_(dim, dtype=...): a dtype other than x's is PyTorch's in-place error."""
    inplace = inplace_of(fn)

    def op(x: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        dtype = kwargs.get("dtype")
        if dtype is not None and isinstance(x, Tensor):
            want = dtypes_resolve(dtype)
            if want != x.array.dtype:
                from gradcli.ad.kernels.messages import c_type_name
                raise GdRuntimeError(f"Bad in-place call: input tensor dtype "
                                     f"{c_type_name(x.array.dtype)} and output tensor dtype "
                                     f"{c_type_name(want)} should match")
        return inplace(x, *args, **kwargs)

    op.__name__ = inplace.__name__
    return op


expose(_same_dtype_inplace(cumsum), "Tensor.cumsum_", family="reductions")
expose(_same_dtype_inplace(cumprod), "Tensor.cumprod_", family="reductions")
