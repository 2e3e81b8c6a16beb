"""Reductions: sum, mean, prod, max/min (with indices), norms, logsumexp, softmax."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from gradcli.ad import kernels as K
from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.kernels.messages import scalar_name
from gradcli.ad.ops.creation import _as_tensor, dtypes_resolve
from gradcli.ad.ops.elementwise import abs, maximum, minimum, to_dtype
from gradcli.ad.ops.shape import _wrap_dim
from gradcli.ad.ops.surface import SURFACE, expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.ad.state import State, warn
from gradcli.errors import GdRuntimeError

# -- reductions -------------------------------------------------------------------------

def _dim_params(dim: Any, keepdim: bool) -> dict[str, Any]:
    if dim is None:
        return {"keepdim": keepdim} if keepdim else {}
    if isinstance(dim, list):
        dim = tuple(dim)
    return {"dim": dim, "keepdim": keepdim}


def _scalar_dims(x: Tensor, dim: Any) -> Any:
    """dim for a reduction of x: a 0-d tensor's dims 0 and -1 (checked as PyTorch's
    maybe_wrap_dim does) reduce nothing, the empty tuple (numpy has no axis -1 there)."""
    if x.ndim or dim is None or dim == ():
        return dim
    seen: list[int] = []
    for d in (dim,) if type(dim) is int else dim:
        w = _wrap_dim(d, 0)
        if w in seen:
            raise GdRuntimeError(f"dim {w} appears multiple times in the list of dims")
        seen.append(w)
    return ()


def every_dim(x: Tensor, dim: Any) -> Any:
    """dim for a reduction that reads an empty dim list as every dim (ATen's sum, mean,
    amax, amin, norms, var/std, nansum, count_nonzero: `x.sum(())` is the whole sum)."""
    if type(dim) in (tuple, list) and not dim and x.ndim:
        return tuple(range(x.ndim))
    return dim


def _with_dtype(params: dict[str, Any], dtype: Any, x: Any = None) -> dict[str, Any]:
    if dtype is not None:
        params["dtype"] = dtypes_resolve(dtype)
        if x is not None:
            differentiable_dtype(x, params["dtype"])
    return params


def differentiable_dtype(x: Any, dt: Any) -> None:
    """PyTorch's refusal of a reduction's integer dtype= for an input that requires grad
    (grad mode on): its output could carry no gradient."""
    if (dt is not None and dt.kind in "biu" and type(x) is Tensor and x.requires_grad
            and State.grad_enabled):
        raise GdRuntimeError(f"Autograd not support dtype: {scalar_name(dt)}")


def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None
        ) -> Tensor:
    """Sum over dims (all by default), in `dtype` when given (one SumBackward node)."""
    x = _as_tensor(input)
    return apply(_RULES["sum"], (x,),
                 _with_dtype(_dim_params(_scalar_dims(x, every_dim(x, dim)), keepdim), dtype,
                             input))


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None
         ) -> Tensor:
    """Mean over dims (all by default), in `dtype` when given."""
    x = _as_tensor(input)
    if x.dtype.kind in "fc" or dtype is not None:  # (else the kernel's dtype error first)
        dim = every_dim(x, dim)
    return apply(_RULES["mean"], (x,), _with_dtype(_dim_params(dim, keepdim), dtype))


def prod(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None
         ) -> Tensor:
    """Product over a dim (all by default)."""
    if dtype is not None:
        differentiable_dtype(input, dtypes_resolve(dtype))
        input = to_dtype(input, dtypes_resolve(dtype))
    return apply(_RULES["prod"], (_as_tensor(input),), _dim_params(dim, keepdim))


class MinMax(NamedTuple):
    """(values, indices), as torch.max(x, dim) returns; `torch_kind` names its type
    (torch.return_types.max). Other kinds are subclasses (see return_type)."""

    values: Tensor
    indices: Tensor
    torch_kind = "max"


class MinResult(MinMax):
    """(values, indices) of torch.min(x, dim): prints as torch.return_types.min."""

    __slots__ = ()
    torch_kind = "min"


class Aminmax(NamedTuple):
    """(min, max) of torch.aminmax."""

    min: Tensor
    max: Tensor
    torch_kind = "aminmax"


_KINDS: dict[str, type[MinMax]] = {"max": MinMax, "min": MinResult}


def return_type(kind: str) -> type[MinMax]:
    """The (values, indices) named tuple printed as torch.return_types.KIND."""
    cls = _KINDS.get(kind)
    if cls is None:
        cls = _KINDS[kind] = type(kind, (MinMax,), {"__slots__": (), "torch_kind": kind})
    return cls


def _extreme(kind: str, x: Tensor, dim: Any, keepdim: bool, other: Any) -> Any:
    if other is not None:
        return maximum(x, other) if kind == "max" else minimum(x, other)
    if dim is None:
        return apply(_RULES["max_all" if kind == "max" else "min_all"], (x,))
    if not isinstance(dim, int):
        raise GdRuntimeError(f"{kind}(): dim must be an int")
    arr = x.array
    lo, hi = (-arr.ndim, arr.ndim - 1) if arr.ndim else (-1, 0)
    if not lo <= dim <= hi:
        raise GdRuntimeError(f"Dimension out of range (expected to be in range of "
                             f"[{lo}, {hi}], but got {dim})")
    if arr.ndim == 0:
        # PyTorch's MaxBackward0/MinBackward0 of a 0-dim input, index 0.
        values = apply(_RULES[kind + "_dim"], (x,),
                       {"index": np.zeros((), np.int64), "dim": dim, "keepdim": keepdim})
        result = MinMax if kind == "max" else MinResult
        return result(values, tensor_from_array(np.zeros((), np.int64)))
    if arr.shape[dim] == 0:
        raise GdRuntimeError(f"{kind}(): Expected reduction dim {dim % arr.ndim} to have "
                             "non-zero size.", py_type="IndexError")
    pick = np.argmax if kind == "max" else np.argmin
    index = np.expand_dims(pick(arr, axis=dim), dim)
    values = apply(_RULES[kind + "_dim"], (x,),
                   {"index": index, "dim": dim, "keepdim": keepdim})
    idx = index if keepdim else np.squeeze(index, axis=dim)
    result = MinMax if kind == "max" else MinResult
    return result(values, tensor_from_array(idx.astype(np.int64)))


def max(x: Tensor, dim: Any = None, keepdim: bool = False, other: Any = None) -> Any:
    """max(x), max(x, dim) → (values, indices), or max(x, other) elementwise."""
    if isinstance(dim, Tensor):
        return maximum(x, dim)
    return _extreme("max", x, dim, keepdim, other)


def min(x: Tensor, dim: Any = None, keepdim: bool = False, other: Any = None) -> Any:
    """min(x), min(x, dim) → (values, indices), or min(x, other) elementwise."""
    if isinstance(dim, Tensor):
        return minimum(x, dim)
    return _extreme("min", x, dim, keepdim, other)


def amax(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Maximum over dims."""
    if (dim is None or dim == () or dim == []) and x.array.size == 0:
        raise GdRuntimeError(K.empty_reduction_message("amax"))
    return apply(_RULES["amax"], (x,), _dim_params(every_dim(x, dim), keepdim))


def amin(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Minimum over dims."""
    if (dim is None or dim == () or dim == []) and x.array.size == 0:
        raise GdRuntimeError(K.empty_reduction_message("amin"))
    return apply(_RULES["amin"], (x,), _dim_params(every_dim(x, dim), keepdim))


def argmax(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Index of the maximum."""
    return apply(_RULES["argmax"], (x,), _dim_params(dim, keepdim))


def argmin(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Index of the minimum."""
    return apply(_RULES["argmin"], (x,), _dim_params(dim, keepdim))


def norm(x: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False,
         ord: Any = None, *, dtype: Any = None) -> Tensor:
    """Vector p-norm (torch.norm / torch.linalg.norm of a vector); dtype= computes in that
    dtype, in one node as PyTorch does."""
    if (type(p) is str and p == "fro" and ord is None and dim is None and not keepdim
            and dtype is None):  # x.norm(): W6's `while b.norm() < 1000`
        return apply(_RULES["norm"], (x,), {"p": 2.0})
    if ord is not None:
        p = ord
    want = None if dtype is None else _norm_dtype(x, dtype)
    if p == "nuc":
        return SURFACE["torch.linalg.matrix_norm"](x, p, (-2, -1) if dim is None else dim,
                                                   keepdim, dtype=want)
    if p == "fro" or p is None:
        p = 2.0
    if isinstance(p, str):
        raise GdRuntimeError(f"norm: unsupported p={p!r}")
    if not isinstance(p, (int, float, np.number)):
        raise GdRuntimeError("linalg_vector_norm(): argument 'ord' (position 2) must be "
                             f"Number, not {type(p).__name__}", py_type="TypeError")
    _check_identity(x, float(p), dim)
    params: dict[str, Any] = {"p": float(p)}
    if not x.ndim and type(dim) in (tuple, list) and not dim:
        dim = None  # every dim of a 0-d tensor: the whole norm (an explicit dim is not)
    params.update(_dim_params(_scalar_dims(x, every_dim(x, dim)), keepdim))
    if want is not None and want != x.dtype:
        params["dtype"] = want
    return apply(_RULES["norm"], (x,), params)


def _check_identity(x: Tensor, p: float, dim: Any) -> None:
    """A negative or infinite norm over nothing has no value: PyTorch's error."""
    if not (p < 0 or p == math.inf) or 0 not in x.shape or x.dtype.kind not in "fc":
        return  # (an integer input: the dtype's error first)
    shown = str(int(p)) if p.is_integer() else str(p)
    if dim is None:
        raise GdRuntimeError(f"linalg.vector_norm cannot compute the {shown} norm on an empty "
                             "tensor because the operation does not have an identity")
    for d in (dim if isinstance(dim, (tuple, list)) else (dim,)):
        if isinstance(d, int) and -x.ndim <= d < x.ndim and x.shape[d] == 0:
            raise GdRuntimeError(
                f"linalg.vector_norm cannot compute the {shown} norm on the dimension {d}"
                "because this dimension is empty and the operation does not have an identity")


def _norm_dtype(x: Tensor, dtype: Any, name: str = "linalg.vector_norm") -> np.dtype:
    """The dtype a norm with dtype= computes in, after PyTorch's checks (a floating input
    and dtype, no narrowing)."""
    want = dtypes_resolve(dtype)
    if want.kind not in "fc":
        raise GdRuntimeError(f"{name}: dtype should be floating point or complex, "
                             f"but got {scalar_name(want)}")
    if x.dtype.kind not in "fc":
        raise GdRuntimeError(f"{name}: Expected a floating point or complex tensor "
                             f"as input. Got {scalar_name(x.dtype)}")
    if np.promote_types(x.dtype, want) != want:
        raise GdRuntimeError(
            f"{name}: the dtype of the input ({scalar_name(x.dtype)}) should be "
            f"convertible without narrowing to the specified dtype ({scalar_name(want)})")
    return want


def linalg_norm(x: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *,
                dtype: Any = None) -> Tensor:
    """torch.linalg.norm: a vector norm, or a matrix norm when ord is given for a 2-D input
    (or a 2-tuple dim): there, 1 and inf are the largest column and row sums of |x|."""
    if type(dim) in (tuple, list) and len(dim) not in (1, 2):
        raise GdRuntimeError("linalg.norm: If dim is specified, it must be of length 1 or 2. "
                             f"Got {list(dim)}")
    if dtype is not None:
        _norm_dtype(x, dtype)  # PyTorch's checks first
        if not (ord is None or isinstance(dim, int) or (dim is None and x.ndim == 1)):
            x = to_dtype(x, dtypes_resolve(dtype))  # a matrix norm: computed in dtype
    if ord is None or isinstance(dim, int) or (dim is None and x.ndim == 1):
        return norm(x, 2.0 if ord is None else ord, dim, keepdim, dtype=dtype)
    if dim is None:
        if x.ndim != 2:
            raise GdRuntimeError("linalg.norm: If dim is not specified but ord is, the input "
                                 f"must be 1D or 2D. Got {x.ndim}D.")
        dim = (0, 1)
    dims = tuple(dim)
    if len(dims) != 2:
        raise GdRuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {dims}")
    if ord == "fro":
        return norm(x, 2.0, dims, keepdim)
    if ord in (2, -2, "nuc"):  # through the singular values (ops/decompositions.py)
        return SURFACE["torch.linalg.matrix_norm"](x, ord, dims, keepdim)
    if ord not in (1, -1, math.inf, -math.inf):
        raise GdRuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    r, c = (d % x.ndim for d in dims)
    summed, extreme = (r, c) if ord in (1, -1) else (c, r)
    s = sum(abs(x), summed, keepdim)
    if not keepdim and extreme > summed:
        extreme -= 1
    return (amax if ord > 0 else amin)(s, extreme, keepdim)


def logsumexp(x: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    """log Σ exp(x) over dims."""
    if type(dim) in (tuple, list) and not dim and x.ndim and not keepdim and x.array.size:
        # ATen's logsumexp: amax over every dim kept, then the result written to a 0-d out
        raise GdRuntimeError(f"output with shape [] doesn't match the broadcast shape "
                             f"{[1] * x.ndim}")
    return apply(_RULES["logsumexp"], (x,),
                 _dim_params(_scalar_dims(x, every_dim(x, dim)), keepdim))


def softmax(x: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:
    """Softmax along dim."""
    if dtype is not None:
        x = to_dtype(x, dtypes_resolve(dtype))
    return apply(_RULES["softmax"], (x,), {"dim": _implicit_dim(x, dim)})


def log_softmax(x: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:
    """log(softmax(x)) along dim."""
    if dtype is not None:
        x = to_dtype(x, dtypes_resolve(dtype))
    return apply(_RULES["log_softmax"], (x,), {"dim": _implicit_dim(x, dim)})


def _implicit_dim(x: Tensor, dim: int | None) -> int:
    if dim is not None:
        return dim
    # PyTorch's legacy choice when dim is omitted.
    return 0 if x.ndim in (0, 1, 3) else 1


# -- PyTorch spellings ------------------------------------------------------------------

def torch_norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False,
               dtype: Any = None) -> Tensor:
    """torch.norm / x.norm: PyTorch's Python signature (`p`, no `ord`)."""
    return norm(input, p, dim, keepdim, dtype=dtype)


def vector_norm(x: Tensor, ord: Any = 2, dim: Any = None, keepdim: bool = False, *,
                dtype: Any = None) -> Tensor:
    """torch.linalg.vector_norm: its signature (`ord`, no `p`)."""
    if type(ord) in (int, float) and ord == 2 and dim is None and not keepdim \
            and dtype is None:
        return norm(x)
    return norm(x, ord, dim, keepdim, dtype=dtype)


torch_norm.__name__ = "norm"
for _name in ("sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin",
              "logsumexp", "softmax", "log_softmax"):
    expose(globals()[_name], f"torch.{_name}", f"Tensor.{_name}", family="reductions")
expose(torch_norm, "torch.norm", "Tensor.norm", family="reductions")
expose(linalg_norm, "torch.linalg.norm", family="linalg")
expose(vector_norm, "torch.linalg.vector_norm", family="linalg")


def f_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
              dtype: Any = None) -> Tensor:
    """F.softmax: torch.softmax, with F's Python signature (`_stacklevel` third)."""
    implicit_dim_warning("softmax", dim)
    return softmax(input, dim, dtype)


def f_log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
                  dtype: Any = None) -> Tensor:
    """F.log_softmax: torch.log_softmax, with F's Python signature."""
    implicit_dim_warning("log_softmax", dim)
    return log_softmax(input, dim, dtype)


def implicit_dim_warning(name: str, dim: Any) -> None:
    """F's _get_softmax_dim: a call without dim warns (then takes the legacy dim)."""
    if dim is None:
        warn(f"Implicit dimension choice for {name} has been deprecated. Change the call "
             "to include dim=X as an argument.")


expose(f_softmax, "torch.nn.functional.softmax", family="nn")
expose(f_log_softmax, "torch.nn.functional.log_softmax", family="nn")
