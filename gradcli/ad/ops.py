"""Differentiable operations on Tensors: PyTorch's function and method surface.

Primitives run through `apply(RULE, ...)` with the rule from `rules.py`;
composites (matmul's dispatch, cross_entropy, flatten, …) are written in
primitives, so they are differentiable to any order for free.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.tensor import (
    State,
    Tensor,
    apply,
    check_size,
    record_inplace,
    tensor_from_array,
)
from gradcli.errors import GdRuntimeError

_RULES: dict[str, Any] = {}


def _u(name: str):
    def op(x: Any) -> Tensor:
        return apply(_RULES[name], (_as_tensor(x),))

    op.__name__ = name
    op.__doc__ = f"Elementwise {name} (differentiable)."
    return op


def _as_tensor(x: Any) -> Tensor:
    if type(x) is Tensor:
        return x
    return tensor(x)


def _arr(x: Any) -> Any:
    return x.array if type(x) is Tensor else x


# -- elementwise ------------------------------------------------------------------------

exp = _u("exp")
log = _u("log")
log1p = _u("log1p")
sqrt = _u("sqrt")
sin = _u("sin")
cos = _u("cos")
tan = _u("tan")
tanh = _u("tanh")
sigmoid = _u("sigmoid")
relu = _u("relu")
abs = _u("abs")
sign = _u("sign")
floor = _u("floor")
ceil = _u("ceil")
reciprocal = _u("reciprocal")


def round(x: Tensor, decimals: int = 0) -> Tensor:
    """Round half to even."""
    return apply(_RULES["round"], (x,), {"decimals": decimals} if decimals else {})


def neg(x: Tensor) -> Tensor:
    """-x."""
    return apply(_RULES["neg"], (x,))


def _binary(name: str):
    def op(a: Any, b: Any) -> Tensor:
        ta = type(a)
        tb = type(b)
        # Tensor with tensor or Python number: _operand would keep both as they are.
        if ta is Tensor:
            if tb is Tensor or tb is float or tb is int:
                return apply(_RULES[name], (a, b))
        elif tb is Tensor:
            if ta is float or ta is int:
                return apply(_RULES[name], (a, b))
        else:
            a = tensor(a)
        return apply(_RULES[name], (_operand(a), _operand(b)))

    op.__name__ = name
    op.__doc__ = f"Elementwise {name} with broadcasting (differentiable)."
    return op


def _operand(x: Any) -> Any:
    # Python numbers stay constants (no tensor is made for them); everything else a tensor.
    t = type(x)
    if t is Tensor or t is float or t is int or t is bool:
        return x
    if isinstance(x, (list, tuple, np.ndarray)):
        return tensor(x)
    if isinstance(x, (float, int)):
        return x
    raise GdRuntimeError(f"unsupported operand of type {type(x).__name__}")


sub = _binary("sub")
mul = _binary("mul")
_div = _binary("div")


def true_divide(a: Any, b: Any) -> Tensor:
    """a / b (the `/` operator); number / tensor is reciprocal(tensor) · number, as
    PyTorch computes it. Not in-place: that is INPLACE["div_"]."""
    if type(b) is Tensor and type(a) is not Tensor and isinstance(a, (int, float)):
        return mul(reciprocal(b), a)
    return _div(a, b)


_pow = _binary("pow")


def pow(a: Any, b: Any) -> Tensor:
    """a ** b with broadcasting (differentiable)."""
    if ((type(b) is int or type(b) is float) and b == 1 and type(a) is Tensor
            and State.in_backward and not State.grad_enabled and not State.forward_level
            and a.array.dtype.kind == "f"):
        # pow's VJP for x**2 computes 2·x**1: in a backward pass that records nothing,
        # x**1 is x (exactly, NaN and -0.0 included) and needs no full-size copy (W3).
        return a
    return _pow(a, b)
maximum = _binary("maximum")
minimum = _binary("minimum")
floor_divide = _binary("floordiv")
remainder = _binary("mod")
lt = _binary("lt")
le = _binary("le")
gt = _binary("gt")
ge = _binary("ge")
eq = _binary("eq")
ne = _binary("ne")
logical_and = _binary("logical_and")
logical_or = _binary("logical_or")


_add = _binary("add")


def add(a: Any, b: Any, alpha: Any = 1) -> Tensor:
    """a + alpha·b with broadcasting."""
    if alpha != 1:
        b = mul(b, alpha)
    return _add(a, b)


def div(a: Any, b: Any, rounding_mode: str | None = None) -> Tensor:
    """a / b (true division; rounding_mode 'floor' or 'trunc' as in PyTorch)."""
    if rounding_mode is None:
        return true_divide(a, b)
    if rounding_mode == "floor":
        return floor_divide(a, b)
    if rounding_mode == "trunc":
        q = true_divide(a, b)
        return apply(_RULES["sign"], (q,)) * floor(abs(q))
    raise GdRuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                         f"but found '{rounding_mode}'")


def logical_not(x: Tensor) -> Tensor:
    """Elementwise not."""
    return apply(_RULES["logical_not"], (_as_tensor(x),))


def bitwise_not(x: Tensor) -> Tensor:
    """~x."""
    return apply(_RULES["bitwise_not"], (x,))


def isnan(x: Tensor) -> Tensor:
    """Elementwise isnan."""
    return apply(_RULES["isnan"], (x,))


def isfinite(x: Tensor) -> Tensor:
    """Elementwise isfinite."""
    return apply(_RULES["isfinite"], (x,))


def square(x: Tensor) -> Tensor:
    """x ** 2 (PyTorch records it as a power: PowBackward0)."""
    return pow(x, 2)


def log_of_number(a: float) -> float:
    """log of a Python number with IEEE results (log 0 = -inf, log of negatives = nan)."""
    if a > 0:
        return math.log(a)
    return -math.inf if a == 0 else math.nan


def clamp(x: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """Clip into [min, max]."""
    if any(type(b) is Tensor and ((State.grad_enabled and b.requires_grad)
                                  or (State.forward_level and b.tangent is not None))
           for b in (min, max)):
        # Bounds that are differentiated get the derivative where x is clipped to them (as
        # in PyTorch's ClampBackward0); the primitive takes constant bounds, so compose.
        out = x if min is None else where(x < min, min, x)
        return out if max is None else where(out > max, max, out)
    params = {}
    if min is not None:
        params["min"] = _arr(min)
    if max is not None:
        params["max"] = _arr(max)
    return apply(_RULES["clamp"], (x,), params)


def where(cond: Any, a: Any = None, b: Any = None) -> Tensor:
    """a where cond else b (elementwise, broadcasting)."""
    c = _as_tensor(cond)
    if c.array.dtype != dtypes.boolean:
        raise GdRuntimeError(
            "where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{dtypes.name_of(c.array.dtype).capitalize()}")
    if type(a) is not Tensor and type(b) is not Tensor:
        a = tensor(a)
    return apply(_RULES["where"], (c, _operand(a), _operand(b)))


# -- reductions -------------------------------------------------------------------------

def _dim_params(dim: Any, keepdim: bool) -> dict[str, Any]:
    if dim is None:
        return {"keepdim": keepdim} if keepdim else {}
    if isinstance(dim, list):
        dim = tuple(dim)
    return {"dim": dim, "keepdim": keepdim}


def sum(x: Tensor, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
    """Sum over dims (all by default)."""
    if dtype is not None:
        x = to_dtype(x, dtypes_resolve(dtype))
    return apply(_RULES["sum"], (_as_tensor(x),), _dim_params(dim, keepdim))


def mean(x: Tensor, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
    """Mean over dims (all by default)."""
    if dtype is not None:
        x = to_dtype(x, dtypes_resolve(dtype))
    return apply(_RULES["mean"], (x,), _dim_params(dim, keepdim))


def prod(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Product over a dim (all by default)."""
    return apply(_RULES["prod"], (x,), _dim_params(dim, keepdim))


class MinMax(NamedTuple):
    """(values, indices), as torch.max(x, dim) returns."""

    values: Tensor
    indices: Tensor


class MinResult(MinMax):
    """(values, indices) of torch.min(x, dim): prints as torch.return_types.min."""

    __slots__ = ()


def _extreme(kind: str, x: Tensor, dim: Any, keepdim: bool, other: Any) -> Any:
    if other is not None:
        return maximum(x, other) if kind == "max" else minimum(x, other)
    if dim is None:
        return apply(_RULES["amax" if kind == "max" else "amin"], (x,))
    if not isinstance(dim, int):
        raise GdRuntimeError(f"{kind}(): dim must be an int")
    arr = x.array
    if arr.ndim == 0:
        result = MinMax if kind == "max" else MinResult
        return result(clone(x), tensor_from_array(np.zeros((), np.int64)))
    if not -arr.ndim <= dim < arr.ndim:
        raise GdRuntimeError(f"Dimension out of range (expected to be in range of "
                             f"[{-arr.ndim}, {arr.ndim - 1}], but got {dim})")
    if arr.shape[dim] == 0:
        raise GdRuntimeError(f"{kind}(): Expected reduction dim {dim} to have non-zero size.")
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
    return apply(_RULES["amax"], (x,), _dim_params(dim, keepdim))


def amin(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Minimum over dims."""
    return apply(_RULES["amin"], (x,), _dim_params(dim, keepdim))


def argmax(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Index of the maximum."""
    return apply(_RULES["argmax"], (x,), _dim_params(dim, keepdim))


def argmin(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Index of the minimum."""
    return apply(_RULES["argmin"], (x,), _dim_params(dim, keepdim))


def norm(x: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False,
         ord: Any = None) -> Tensor:
    """Vector p-norm (torch.norm / torch.linalg.norm of a vector)."""
    if ord is not None:
        p = ord
    if p == "fro" or p is None:
        p = 2.0
    if isinstance(p, str):
        raise GdRuntimeError(f"norm: unsupported p={p!r}")
    params = {"p": float(p)}
    params.update(_dim_params(dim, keepdim))
    return apply(_RULES["norm"], (x,), params)


def linalg_norm(x: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False) -> Tensor:
    """torch.linalg.norm: a vector norm, or a matrix norm when ord is given for a 2-D input
    (or a 2-tuple dim): there, 1 and inf are the largest column and row sums of |x|."""
    if ord is None or isinstance(dim, int) or (dim is None and x.ndim == 1):
        return norm(x, 2.0 if ord is None else ord, dim, keepdim)
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
    if ord not in (1, -1, math.inf, -math.inf):
        raise GdRuntimeError(f"linalg.matrix_norm: Order {ord} not supported."
                             if ord not in (2, -2, "nuc") else
                             f"linalg.matrix_norm: ord={ord} needs singular values, which "
                             "gradcli does not compute")
    r, c = (d % x.ndim for d in dims)
    summed, extreme = (r, c) if ord in (1, -1) else (c, r)
    s = sum(abs(x), summed, keepdim)
    if not keepdim and extreme > summed:
        extreme -= 1
    return (amax if ord > 0 else amin)(s, extreme, keepdim)


def logsumexp(x: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    """log Σ exp(x) over dims."""
    return apply(_RULES["logsumexp"], (x,), _dim_params(dim, keepdim))


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


# -- shape ------------------------------------------------------------------------------

def _shape_args(args: Sequence[Any]) -> tuple[int, ...]:
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    out = []
    for a in args:
        if isinstance(a, Tensor):
            a = int(a.item())
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)):
            raise GdRuntimeError(
                f"expected a sequence of ints for the size, got {type(a).__name__}")
        out.append(int(a))
    return tuple(out)


def _infer_shape(shape: tuple[int, ...], numel: int) -> tuple[int, ...]:
    if -1 in shape:
        known = 1
        for s in shape:
            if s != -1:
                known *= s
        if shape.count(-1) > 1:
            raise GdRuntimeError("only one dimension can be inferred")
        if known == 0 or numel % known:
            raise GdRuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    n = 1
    for s in shape:
        n *= s
    if n != numel:
        raise GdRuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def reshape(x: Tensor, *shape: Any) -> Tensor:
    """Reshape (one dim may be -1)."""
    s = _infer_shape(_shape_args(shape), x.array.size)
    return apply(_RULES["reshape"], (x,), {"shape": s})


view = reshape


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims start_dim..end_dim into one."""
    shp = x.shape
    if not shp:
        return reshape(x, (1,))
    s, e = start_dim % len(shp), end_dim % len(shp)
    mid = 1
    for d in shp[s:e + 1]:
        mid *= d
    return reshape(x, (*shp[:s], mid, *shp[e + 1:]))


def expand(x: Tensor, *shape: Any) -> Tensor:
    """Broadcast to a shape (-1 keeps a dim)."""
    s = _shape_args(shape)
    lead = len(s) - x.ndim
    if lead < 0:
        raise GdRuntimeError(
            f"expand: the number of sizes provided ({len(s)}) must be greater or equal to the "
            f"number of dimensions in the tensor ({x.ndim})")
    s = tuple(x.shape[i - lead] if n == -1 else n for i, n in enumerate(s))
    if s == x.shape:
        return x
    if State.in_backward and not State.grad_enabled and not State.forward_level:
        # A backward pass that records nothing only reads its cotangents: sum's and mean's
        # VJP broadcast g as a read-only view instead of writing a full-size copy (W3).
        # The engine copies such a view before handing it out as a .grad or grad() result.
        try:
            return tensor_from_array(np.broadcast_to(x.array, s))
        except ValueError:
            pass  # apply reports it in PyTorch's words
    check_size(math.prod(s))  # before numpy materializes the broadcast
    return apply(_RULES["expand"], (x,), {"shape": s})


def expand_as(x: Tensor, other: Tensor) -> Tensor:
    """Broadcast to other's shape."""
    return expand(x, other.shape)


def broadcast_to(x: Tensor, shape: Any) -> Tensor:
    """Broadcast to a shape."""
    return expand(x, shape)


def sum_to(x: Tensor, shape: tuple[int, ...]) -> Tensor:
    """Sum a broadcast tensor back down to shape."""
    if x.shape == tuple(shape):
        return x
    return apply(_RULES["sum_to"], (x,), {"shape": tuple(shape)})


def transpose(x: Tensor, dim0: int, dim1: int, short: bool = False) -> Tensor:
    """Swap two dims."""
    if x.ndim < 2 and dim0 in (0, -1) and dim1 in (0, -1):
        return apply(_RULES["transpose"], (x,), {"dim0": 0, "dim1": 0, "short": short}) \
            if x.ndim == 1 else apply(_RULES["reshape"], (x,), {"shape": ()})
    return apply(_RULES["transpose"], (x,), {"dim0": dim0, "dim1": dim1, "short": short})


def t(x: Tensor) -> Tensor:
    """Transpose of a ≤2-D tensor."""
    if x.ndim > 2:
        raise GdRuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    if x.ndim < 2:
        return apply(_RULES["transpose"], (x,), {"dim0": 0, "dim1": 0, "short": True}) \
            if x.ndim == 1 else apply(_RULES["reshape"], (x,), {"shape": ()})
    return transpose(x, 0, 1, True)


def permute(x: Tensor, *dims: Any) -> Tensor:
    """Reorder dims."""
    d = _shape_args(dims)
    if len(d) != x.ndim:
        raise GdRuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {x.ndim} is not "
            f"equal to len(dims) = {len(d)}")
    return apply(_RULES["permute"], (x,), {"dims": d})


def T(x: Tensor) -> Tensor:
    """x.T: all dims reversed."""
    return permute(x, tuple(range(x.ndim))[::-1])


def squeeze(x: Tensor, dim: Any = None, dims_variant: bool = False) -> Tensor:
    """Drop size-1 dims."""
    params: dict[str, Any] = {"dim": dim}
    if dims_variant:
        params["dims_variant"] = True
    return apply(_RULES["squeeze"], (x,), params)


def unsqueeze(x: Tensor, dim: int) -> Tensor:
    """Insert a size-1 dim."""
    if dim < 0:
        dim += x.ndim + 1
    return apply(_RULES["unsqueeze"], (x,), {"dim": dim})


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Concatenate along a dim."""
    ts = tuple(_as_tensor(t) for t in tensors)
    if not ts:
        raise GdRuntimeError("torch.cat(): expected a non-empty list of Tensors")
    return apply(_RULES["cat"], ts, {"dim": dim})


concat = cat


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Stack along a new dim."""
    ts = tuple(_as_tensor(t) for t in tensors)
    if not ts:
        raise GdRuntimeError("stack expects a non-empty TensorList")
    shapes = {t.shape for t in ts}
    if len(shapes) > 1:
        raise GdRuntimeError(
            f"stack expects each tensor to be equal size, but got {list(ts[0].shape)} at entry 0 "
            f"and {list(next(t.shape for t in ts if t.shape != ts[0].shape))} at entry "
            f"{next(i for i, t in enumerate(ts) if t.shape != ts[0].shape)}")
    return apply(_RULES["stack"], ts, {"dim": dim})


def diag(x: Tensor, diagonal: int = 0) -> Tensor:
    """Matrix from a vector's diagonal, or a matrix's diagonal."""
    if x.ndim == 1:
        n = x.shape[0] + (diagonal if diagonal >= 0 else -diagonal)  # (ops.abs shadows abs)
        check_size(n * n)
    return apply(_RULES["diag"], (x,), {"diagonal": diagonal, "embed": x.ndim == 1})


def diag_transpose(g: Tensor, shape: tuple[int, ...], diagonal: int) -> Tensor:
    """The transpose of diag: back from a diagonal (or matrix) to `shape`."""
    if len(shape) == 1:
        return diag(g, diagonal)
    return apply(_RULES["diag_embed_like"], (g,), {"shape": tuple(shape), "diagonal": diagonal})


def take_along(x: Tensor, index: np.ndarray, dim: int, keepdim: bool) -> Tensor:
    """Values at indices along a dim."""
    return apply(_RULES["take_along"], (x,), {"index": index, "dim": dim, "keepdim": keepdim})


def scatter_along(g: Tensor, shape: tuple[int, ...], index: np.ndarray, dim: int,
                  keepdim: bool) -> Tensor:
    """Zeros of shape with g placed at indices along a dim."""
    return apply(_RULES["scatter_along"], (g,),
                 {"shape": shape, "index": index, "dim": dim, "keepdim": keepdim})


# -- indexing ---------------------------------------------------------------------------

def normalize_index(index: Any) -> tuple[Any, bool]:
    """(numpy index, whether it is advanced) from a gd index (ints, slices, tensors, lists)."""
    parts = index if isinstance(index, tuple) else (index,)
    out = []
    advanced = False
    for p in parts:
        if type(p) is Tensor:
            a = p.array
            if a.dtype.kind == "f":
                raise GdRuntimeError(
                    "tensors used as indices must be long, int, byte or bool tensors")
            if a.ndim == 0 and a.dtype.kind in "iu":
                out.append(int(a))
                continue
            out.append(a)
            advanced = True
        elif isinstance(p, list):
            a = np.asarray(_unwrap_list(p))
            if a.dtype.kind == "f":
                raise GdRuntimeError(
                    "tensors used as indices must be long, int, byte or bool tensors")
            out.append(a)
            advanced = True
        elif isinstance(p, bool):
            out.append(np.asarray(p))
            advanced = True
        elif isinstance(p, (int, np.integer)) or p is None or p is Ellipsis:
            out.append(p)
        elif isinstance(p, slice):
            out.append(slice(_sl(p.start), _sl(p.stop), _sl(p.step)))
            if p.step is not None and _sl(p.step) <= 0:
                raise GdRuntimeError("step must be greater than zero")
        else:
            raise GdRuntimeError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
                "are valid indices")
    return tuple(out), advanced


def _sl(v: Any) -> Any:
    if v is None:
        return None
    if type(v) is Tensor:
        return int(v.item())
    return int(v)


def _unwrap_list(v: Any) -> Any:
    if isinstance(v, list):
        return [_unwrap_list(x) for x in v]
    if type(v) is Tensor:
        return v.array
    return v


def _index_kind(index: tuple[Any, ...], advanced: bool) -> str:
    if advanced:
        return "IndexBackward0"
    for p in reversed(index):
        if p is Ellipsis or (isinstance(p, slice) and p == slice(None)):
            continue
        if p is None:
            return "UnsqueezeBackward0"
        return "SliceBackward0" if isinstance(p, slice) else "SelectBackward0"
    return "SliceBackward0"


def _check_index(x: Tensor, index: tuple[Any, ...]) -> None:
    dim = 0
    shape = x.shape
    for p in index:
        if p is Ellipsis:
            dim = len(shape) - _count_consuming(index[index.index(Ellipsis) + 1:]) \
                if Ellipsis in index else dim
            continue
        if p is None:
            continue
        if isinstance(p, (int, np.integer)) and not isinstance(p, bool):
            if dim >= len(shape):
                raise GdRuntimeError(
                    f"too many indices for tensor of dimension {len(shape)}")
            if not -shape[dim] <= p < shape[dim]:
                raise GdRuntimeError(
                    f"index {p} is out of bounds for dimension {dim} with size {shape[dim]}")
        if isinstance(p, np.ndarray) and p.dtype == np.bool_:
            dim += p.ndim
        else:
            dim += 1
    if dim > len(shape):
        raise GdRuntimeError(f"too many indices for tensor of dimension {len(shape)}")


def _count_consuming(parts: tuple[Any, ...]) -> int:
    n = 0
    for p in parts:
        if p is None or p is Ellipsis:
            continue
        n += p.ndim if isinstance(p, np.ndarray) and p.dtype == np.bool_ else 1
    return n


def getitem(x: Tensor, index: Any) -> Tensor:
    """x[index]."""
    idx, advanced = normalize_index(index)
    _check_index(x, idx)
    return getitem_raw(x, idx, _index_kind(idx, advanced))


def getitem_raw(x: Tensor, index: Any, kind: str) -> Tensor:
    """x[index] for an already-normalized numpy index."""
    return apply(_RULES["getitem"], (x,), {"index": index, "kind": kind})


def index_add_into(g: Tensor, shape: tuple[int, ...], index: Any) -> Tensor:
    """Zeros of shape with g added at index."""
    return apply(_RULES["index_add_into"], (g,), {"shape": tuple(shape), "index": index})


def index_put(x: Tensor, value: Any, index: Any, kind: str) -> Tensor:
    """A copy of x with x[index] = value (differentiable in x and value)."""
    return apply(_RULES["index_put"], (x, _operand(value)), {"index": index, "kind": kind})


def setitem(x: Tensor, index: Any, value: Any) -> None:
    """x[index] = value, in place (PyTorch's CopySlices / IndexPutBackward0 semantics)."""
    idx, advanced = normalize_index(index)
    _check_index(x, idx)
    v = _operand(value)
    vt = type(v) is Tensor
    if (State.grad_enabled and (x.requires_grad or (vt and v.requires_grad))) or (
        State.forward_level and (x.tangent is not None or (vt and v.tangent is not None))
    ):
        kind = "IndexPutBackward0" if advanced else "CopySlices"
        record_inplace(x, index_put(x, v, idx, kind))
        return
    try:
        x.array[idx] = _arr(v)
    except ValueError as e:
        raise GdRuntimeError(f"shape mismatch: {e}") from None
    x._vc[0] += 1


# -- linear algebra ---------------------------------------------------------------------

def mm(a: Tensor, b: Tensor) -> Tensor:
    """Matrix × matrix."""
    return apply(_RULES["mm"], (a, b))


def mv(a: Tensor, v: Tensor) -> Tensor:
    """Matrix × vector."""
    return apply(_RULES["mv"], (a, v))


def dot(a: Tensor, b: Tensor) -> Tensor:
    """Vector · vector."""
    return apply(_RULES["dot"], (a, b))


inner = dot


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """The @ operator, dispatched as PyTorch does (dot, mv, mm, or batched)."""
    a, b = _as_tensor(a), _as_tensor(b)
    na, nb = a.ndim, b.ndim
    if na == 0 or nb == 0:
        raise GdRuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {na}D and {nb}D")
    if na == 1 and nb == 1:
        return dot(a, b)
    if na == 2 and nb == 1:
        return mv(a, b)
    if na == 1 and nb == 2:
        return squeeze(mm(unsqueeze(a, 0), b), 0, dims_variant=True)
    if na == 2 and nb == 2:
        return mm(a, b)
    # Batched, including a vector against a batch of matrices (UnsafeViewBackward0 as in
    # PyTorch, which folds these into one product).
    try:
        batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        batch = ()  # the kernel reports the mismatch
    check_size(math.prod(batch) * (a.shape[-2] if na > 1 else 1) * (b.shape[-1] if nb > 1 else 1))
    return apply(_RULES["matmul"], (a, b))


def outer(a: Tensor, b: Tensor) -> Tensor:
    """Outer product of two vectors."""
    return mul(unsqueeze(a, 1), unsqueeze(b, 0))


# -- losses -----------------------------------------------------------------------------

def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean squared error."""
    return apply(_RULES["mse_loss"], (input, _as_tensor(target)), {"reduction": reduction})


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Any = None,
                                     reduction: str = "mean", pos_weight: Any = None) -> Tensor:
    """Binary cross-entropy on logits."""
    if weight is not None or pos_weight is not None:
        # Composite form: stable, differentiable, just a different grad_fn name.
        z, y = input, _as_tensor(target)
        lw = 1 if pos_weight is None else (pos_weight - 1) * y + 1
        l = (1 - y) * z + lw * (log1p(exp(-abs(z))) + relu(-z))
        if weight is not None:
            l = l * weight
        return l if reduction == "none" else (mean(l) if reduction == "mean" else sum(l))
    return apply(_RULES["bce_with_logits"], (input, _as_tensor(target)),
                 {"reduction": reduction})


def nll_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of class indices."""
    return apply(_RULES["nll_loss"], (input, _as_tensor(target)), {"reduction": reduction})


def cross_entropy(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """log_softmax then nll_loss (class indices), or soft targets (probabilities)."""
    tgt = _as_tensor(target)
    dim = 0 if input.ndim == 1 else 1
    logp = log_softmax(input, dim)
    if tgt.array.dtype.kind == "f":
        # PyTorch's order of ops: -(target · logp).sum(...), then / batch size for "mean".
        if reduction == "none":
            return neg(sum(mul(tgt, logp), dim))
        l = neg(sum(mul(tgt, logp)))
        return l / (input.shape[0] if input.ndim > 1 else 1) if reduction == "mean" else l
    return nll_loss(logp, tgt, reduction)


# -- conversion and copies --------------------------------------------------------------

def dtypes_resolve(d: Any) -> np.dtype:
    """A dtype from our dtype objects, numpy dtypes or names like 'float64'."""
    if isinstance(d, np.dtype):
        return d
    np_attr = getattr(d, "np", None)
    if np_attr is not None:
        return np_attr
    if isinstance(d, str) and d.removeprefix("torch.") in dtypes.ALIASES:
        return dtypes.DTYPES[dtypes.ALIASES[d.removeprefix("torch.")]]
    if d is float:
        return dtypes.float64
    if d is int:
        return dtypes.int64
    if d is bool:
        return dtypes.boolean
    raise GdRuntimeError(f"unknown dtype {d!r}")


def to_dtype(x: Tensor, dtype: Any) -> Tensor:
    """Convert to a dtype (a copy that stays in the graph)."""
    dt = dtypes_resolve(dtype)
    if type(x) is not Tensor:
        return tensor(x, dtype=dt)
    return apply(_RULES["to_dtype"], (x,), {"dtype": dt})


def to(x: Tensor, dtype: Any = None, **_: Any) -> Tensor:
    """x.to(dtype): x itself when the dtype already matches."""
    if dtype is None or (isinstance(dtype, str) and dtype == "cpu"):
        return x
    dt = dtypes_resolve(dtype)
    return x if x.array.dtype == dt else to_dtype(x, dt)


def clone(x: Tensor) -> Tensor:
    """A copy that stays in the graph."""
    return apply(_RULES["clone"], (x,))


def contiguous(x: Tensor) -> Tensor:
    """x itself (our tensors need no layout changes)."""
    return x


def zeros_like(x: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Zeros shaped like x."""
    a = _arr(x)
    dt = a.dtype if dtype is None else dtypes_resolve(dtype)
    return _leaf(np.zeros(np.shape(a), dtype=dt), requires_grad)


def ones_like(x: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Ones shaped like x."""
    a = _arr(x)
    dt = a.dtype if dtype is None else dtypes_resolve(dtype)
    return _leaf(np.ones(np.shape(a), dtype=dt), requires_grad)


def full_like(x: Any, fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """fill_value everywhere, shaped like x."""
    a = _arr(x)
    dt = a.dtype if dtype is None else dtypes_resolve(dtype)
    return _leaf(np.full(np.shape(a), fill_value, dtype=dt), requires_grad)


def rand_like(x: Tensor, dtype: Any = None) -> Tensor:
    """Uniform [0, 1) shaped like x."""
    return rand(x.shape, dtype=dtype or x.dtype)


def randn_like(x: Tensor, dtype: Any = None) -> Tensor:
    """Standard normal shaped like x."""
    return randn(x.shape, dtype=dtype or x.dtype)


def allclose(a: Tensor, b: Any, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    """Whether all elements are close."""
    return bool(np.allclose(_arr(a), _arr(b), rtol=rtol, atol=atol, equal_nan=equal_nan))


def isclose(a: Tensor, b: Any, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Tensor:
    """Elementwise closeness."""
    return tensor_from_array(np.asarray(np.isclose(_arr(a), _arr(b), rtol=rtol, atol=atol,
                                                   equal_nan=equal_nan)))


def equal(a: Tensor, b: Tensor) -> bool:
    """Same shape and same values."""
    return a.shape == b.shape and bool(np.array_equal(a.array, b.array))


def numel(x: Tensor) -> int:
    """Number of elements."""
    return x.numel()


# -- creation ---------------------------------------------------------------------------

def _leaf(a: np.ndarray, requires_grad: bool = False) -> Tensor:
    check_size(a.size)
    t = tensor_from_array(a)
    if requires_grad:
        if a.dtype.kind != "f":
            # A constructor's wording differs from requires_grad_()'s, as in PyTorch.
            raise GdRuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients")
        t.requires_grad = True
    return t


def _infer_dtype(data: Any) -> np.dtype:
    kinds = set()

    def walk(v: Any) -> None:
        if isinstance(v, (list, tuple)):
            for e in v:
                walk(e)
        elif type(v) is Tensor:
            kinds.add(v.array.dtype.kind if v.array.dtype != dtypes.float64 else "d")
        elif isinstance(v, bool):
            kinds.add("b")
        elif isinstance(v, int):
            kinds.add("i")
        elif isinstance(v, float):
            kinds.add("f")
        else:
            raise GdRuntimeError(f"Could not infer dtype of {type(v).__name__}")

    walk(data)
    if "f" in kinds or "d" in kinds:
        return dtypes.default_dtype() if "d" not in kinds or "f" in kinds else dtypes.float64
    if "i" in kinds or "u" in kinds:
        return dtypes.int64
    if "b" in kinds:
        return dtypes.boolean
    return dtypes.default_dtype()


def _check_ragged(data: Any, dim: int = 0) -> None:
    if isinstance(data, (list, tuple)) and data and isinstance(data[0], (list, tuple)):
        n = len(data[0])
        for e in data:
            if not isinstance(e, (list, tuple)):
                raise GdRuntimeError(
                    f"expected sequence of length {n} at dim {dim + 1} (got scalar)")
            if len(e) != n:
                raise GdRuntimeError(
                    f"expected sequence of length {n} at dim {dim + 1} (got {len(e)})")
        for e in data:
            _check_ragged(e, dim + 1)


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False, **_: Any) -> Tensor:
    """A new leaf tensor from numbers, (nested) lists or another tensor (copied)."""
    if type(data) is Tensor:
        a = data.array.copy()
        if dtype is not None:
            a = a.astype(dtypes_resolve(dtype))
        return _leaf(a, requires_grad)
    if isinstance(data, (np.ndarray, np.generic)):
        dt = dtypes_resolve(dtype) if dtype is not None else dtypes.canonical(data.dtype)
        return _leaf(np.asarray(data).astype(dt), requires_grad)
    n, first = 1, data  # the element count, from the first item at each depth
    while isinstance(first, (list, tuple)) and first:
        n *= len(first)
        first = first[0]
    check_size(n * first.array.size if type(first) is Tensor else n)
    _check_ragged(data)
    dt = dtypes_resolve(dtype) if dtype is not None else _infer_dtype(data)
    try:
        a = np.array(_unwrap_list(data) if isinstance(data, (list, tuple)) else data, dtype=dt)
    except (ValueError, TypeError, OverflowError) as e:
        raise GdRuntimeError(f"could not make a tensor: {e}") from None
    return _leaf(a, requires_grad)


def as_tensor(data: Any, dtype: Any = None) -> Tensor:
    """A tensor from data (the same tensor when it already is one with this dtype)."""
    if type(data) is Tensor and (dtype is None or data.array.dtype == dtypes_resolve(dtype)):
        return data
    return tensor(data, dtype=dtype)


def legacy_tensor(*args: Any, requires_grad: bool = False) -> Tensor:
    """torch.Tensor(...): float32 from data, or uninitialised (zeros) of a size."""
    if len(args) == 1 and isinstance(args[0], (list, Tensor)):
        return tensor(args[0], dtype=dtypes.float32, requires_grad=requires_grad)
    return zeros(*args, dtype=dtypes.float32, requires_grad=requires_grad)


def _creation_dtype(dtype: Any, default: np.dtype | None = None) -> np.dtype:
    if dtype is not None:
        return dtypes_resolve(dtype)
    return default if default is not None else dtypes.default_dtype()


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False, **_: Any) -> Tensor:
    """Zeros of a size."""
    shape = _shape_args(size)
    check_size(math.prod(shape))
    return _leaf(np.zeros(shape, dtype=_creation_dtype(dtype)), requires_grad)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False, **_: Any) -> Tensor:
    """Ones of a size."""
    shape = _shape_args(size)
    check_size(math.prod(shape))
    return _leaf(np.ones(shape, dtype=_creation_dtype(dtype)), requires_grad)


empty = zeros


def full(size: Any, fill_value: Any, dtype: Any = None, requires_grad: bool = False,
         **_: Any) -> Tensor:
    """fill_value everywhere (dtype inferred from the value)."""
    shape = _shape_args((size,))
    check_size(math.prod(shape))
    if type(fill_value) is Tensor:
        fill_value = fill_value.item()
    default = (dtypes.boolean if isinstance(fill_value, bool) else
               dtypes.int64 if isinstance(fill_value, int) else dtypes.default_dtype())
    return _leaf(np.full(shape, fill_value, dtype=_creation_dtype(dtype, default)),
                 requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = None, requires_grad: bool = False,
        **_: Any) -> Tensor:
    """Identity matrix."""
    check_size(n * (m if m is not None else n))
    return _leaf(np.eye(n, m, dtype=_creation_dtype(dtype)), requires_grad)


def _num(v: Any) -> Any:
    return v.item() if type(v) is Tensor else v


def arange(start: Any, end: Any = None, step: Any = 1, dtype: Any = None,
           requires_grad: bool = False, **_: Any) -> Tensor:
    """Evenly spaced values in [start, end)."""
    start, end, step = _num(start), _num(end), _num(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise GdRuntimeError("step must be nonzero")
    all_int = all(isinstance(v, int) for v in (start, end, step))
    dt = _creation_dtype(dtype, dtypes.int64 if all_int else None)
    n = math.ceil((end - start) / step)
    if n < 0:
        raise GdRuntimeError("upper bound and larger bound inconsistent with step sign")
    check_size(n)
    if all_int:
        a = np.arange(start, end, step, dtype=np.int64).astype(dt)
    else:
        a = (start + np.arange(n, dtype=np.float64) * step).astype(dt)
    return _leaf(a, requires_grad)


def linspace(start: Any, end: Any, steps: int, dtype: Any = None, requires_grad: bool = False,
             **_: Any) -> Tensor:
    """steps values evenly spaced from start to end, inclusive."""
    start, end = float(_num(start)), float(_num(end))
    check_size(steps)
    dt = _creation_dtype(dtype)
    if steps == 1:
        return _leaf(np.array([start], dtype=dt), requires_grad)
    step = (end - start) / (steps - 1)
    i = np.arange(steps, dtype=np.float64)
    half = steps // 2
    # PyTorch fills the first half from start and the second from end (symmetric rounding).
    a = np.where(i < half, start + step * i, end - step * (steps - 1 - i))
    return _leaf(a.astype(dt), requires_grad)


# -- random (PyTorch's CPU generator, reproduced) ----------------------------------------

class _Gen:
    gen: Any = None


def generator() -> Any:
    """The process's default generator (created on first use)."""
    if _Gen.gen is None:
        from gradcli.ad.rng import Generator

        _Gen.gen = Generator()
    return _Gen.gen


def manual_seed(seed: int) -> Any:
    """Seed the default generator."""
    g = generator()
    g.manual_seed(int(seed))
    return g


def _float_creation(dtype: Any) -> str:
    dt = _creation_dtype(dtype)
    if dt.kind != "f":
        raise GdRuntimeError(f"random floats need a floating dtype, got {dtypes.torch_name(dt)}")
    return dtypes.name_of(dt)


def rand(*size: Any, dtype: Any = None, requires_grad: bool = False, generator_: Any = None,
         **_: Any) -> Tensor:
    """Uniform [0, 1) values of a size."""
    shape = _shape_args(size)
    check_size(math.prod(shape))
    return _leaf(generator().rand(shape, _float_creation(dtype)), requires_grad)


def randn(*size: Any, dtype: Any = None, requires_grad: bool = False, **_: Any) -> Tensor:
    """Standard normal values of a size."""
    shape = _shape_args(size)
    check_size(math.prod(shape))
    return _leaf(generator().randn(shape, _float_creation(dtype)), requires_grad)


def normal(mean: Any = 0.0, std: Any = 1.0, size: Any = None, dtype: Any = None,
           requires_grad: bool = False, **_: Any) -> Tensor:
    """Normal values with a mean and std (numbers) of a size."""
    if size is None:
        if type(mean) is Tensor or type(std) is Tensor:
            shape = np.broadcast_shapes(np.shape(_arr(mean)), np.shape(_arr(std)))
            z = generator().randn(tuple(shape), _float_creation(dtype))
            return _leaf((z * _arr(std) + _arr(mean)).astype(z.dtype), requires_grad)
        raise GdRuntimeError("normal() needs a size when mean and std are numbers")
    shape = _shape_args((size,))
    check_size(math.prod(shape))
    return _leaf(generator().normal(float(mean), float(std), shape, _float_creation(dtype)),
                 requires_grad)


def randint(low: int, high: int | None = None, size: Any = None, dtype: Any = None,
            **_: Any) -> Tensor:
    """Random integers in [low, high)."""
    if high is None:
        low, high = 0, low
    if size is None:
        raise GdRuntimeError("randint() missing required argument 'size'")
    shape = _shape_args((size,))
    check_size(math.prod(shape))
    a = generator().randint(int(low), int(high), shape)
    if dtype is not None:
        a = a.astype(dtypes_resolve(dtype))
    return _leaf(a)


# -- in-place ops -----------------------------------------------------------------------

def _inplace(fn: Any):
    def op(x: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        return record_inplace(x, fn(x, *args, **kwargs))

    op.__name__ = fn.__name__ + "_"
    op.__doc__ = f"In-place {fn.__name__}: x = {fn.__name__}(x, ...), bumping x's version."
    return op


def fill_(x: Tensor, value: Any) -> Tensor:
    """Fill x with value in place."""
    return record_inplace(x, apply(_RULES["fill"], (x,), {"value": _num(value)}))


def zero_(x: Tensor) -> Tensor:
    """Zero x in place."""
    return fill_(x, 0)


def copy_(x: Tensor, src: Tensor) -> Tensor:
    """Copy src's values into x in place (broadcasting)."""
    return record_inplace(x, add(mul(x, 0), to_dtype(_as_tensor(src), x.dtype)))


INPLACE = {
    "add_": _inplace(add), "sub_": _inplace(sub), "mul_": _inplace(mul),
    "div_": _inplace(div), "pow_": _inplace(pow), "clamp_": _inplace(clamp),
    "neg_": _inplace(neg), "exp_": _inplace(exp), "log_": _inplace(log),
    "sqrt_": _inplace(sqrt), "sin_": _inplace(sin), "cos_": _inplace(cos),
    "tanh_": _inplace(tanh), "sigmoid_": _inplace(sigmoid), "relu_": _inplace(relu),
    "abs_": _inplace(abs), "fill_": fill_, "zero_": zero_, "copy_": copy_,
    "clamp_min_": _inplace(lambda x, m: clamp(x, min=m)),
    "clamp_max_": _inplace(lambda x, m: clamp(x, max=m)),
}

relu_ = INPLACE["relu_"]


# -- the Tensor surface -----------------------------------------------------------------

def _swap(fn: Any):
    def op(a: Any, b: Any) -> Tensor:
        return fn(b, a)

    return op


def _install() -> None:
    from gradcli.ad import rules

    _RULES.update(rules.RULES)
    operators: dict[str, Any] = {
        "__add__": _add, "__radd__": _swap(_add), "__sub__": sub, "__rsub__": _swap(sub),
        "__mul__": mul, "__rmul__": _swap(mul), "__truediv__": true_divide,
        "__rtruediv__": _swap(true_divide), "__floordiv__": floor_divide,
        "__rfloordiv__": _swap(floor_divide), "__mod__": remainder,
        "__rmod__": _swap(remainder), "__pow__": pow, "__rpow__": _swap(pow),
        "__matmul__": matmul, "__rmatmul__": _swap(matmul), "__neg__": neg,
        "__pos__": lambda a: a, "__abs__": abs, "__invert__": bitwise_not,
        "__lt__": lt, "__le__": le, "__gt__": gt, "__ge__": ge, "__eq__": eq, "__ne__": ne,
        "__and__": logical_and, "__or__": logical_or,
        "__getitem__": getitem, "__setitem__": setitem,
        "__iadd__": INPLACE["add_"], "__isub__": INPLACE["sub_"],
        "__imul__": INPLACE["mul_"], "__itruediv__": INPLACE["div_"],
    }
    T_ = Tensor
    for name, fn in operators.items():
        setattr(T_, name, fn)
    for name, fn in METHODS.items():
        if not hasattr(T_, name):
            setattr(T_, name, fn)


#: Tensor methods by name (x.name(...) calls fn(x, ...)): the interpreter's whitelist.
METHODS: dict[str, Any] = {
    "add": add, "sub": sub, "mul": mul, "div": div, "pow": pow, "neg": neg,
    "exp": exp, "log": log, "log1p": log1p, "sqrt": sqrt, "sin": sin, "cos": cos, "tan": tan,
    "tanh": tanh, "sigmoid": sigmoid, "relu": relu, "abs": abs, "sign": sign,
    "floor": floor, "ceil": ceil, "round": round, "reciprocal": reciprocal, "square": square,
    "clamp": clamp, "clip": clamp, "maximum": maximum, "minimum": minimum,
    "sum": sum, "mean": mean, "prod": prod, "max": max, "min": min, "amax": amax,
    "amin": amin, "argmax": argmax, "argmin": argmin, "norm": norm, "logsumexp": logsumexp,
    "softmax": softmax, "log_softmax": log_softmax,
    "reshape": reshape, "view": view, "flatten": flatten, "expand": expand,
    "expand_as": expand_as, "transpose": transpose, "t": t, "permute": permute,
    "squeeze": squeeze, "unsqueeze": unsqueeze, "diag": diag,
    "matmul": matmul, "mm": mm, "mv": mv, "dot": dot,
    "eq": eq, "ne": ne, "lt": lt, "le": le, "gt": gt, "ge": ge,
    "logical_not": logical_not, "logical_and": logical_and, "logical_or": logical_or,
    "isnan": isnan, "isfinite": isfinite, "allclose": allclose, "isclose": isclose,
    "equal": equal, "clone": clone, "contiguous": contiguous, "to": to,
    "float": lambda x: to(x, dtypes.float32), "double": lambda x: to(x, dtypes.float64),
    "long": lambda x: to(x, dtypes.int64), "int": lambda x: to(x, dtypes.int64),
    "bool": lambda x: to(x, dtypes.boolean), "type_as": lambda x, o: to(x, o.dtype),
    "remainder": remainder, "floor_divide": floor_divide,
    "clamp_min": lambda x, m: clamp(x, min=m), "clamp_max": lambda x, m: clamp(x, max=m),
    "masked_fill": lambda x, m, v: where(_as_tensor(m), v, x),
    **INPLACE,
}
