"""Elementwise math: unary ops, binary ops with broadcasting (Python numbers stay
constants), comparisons and logic, and dtype conversion and copies.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad import kernels as K
from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.kernels.messages import TorchError
from gradcli.ad.ops.creation import (
    _arr,
    _as_tensor,
    complex_to_real_error,
    dtypes_resolve,
    tensor,
)
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.ad.state import State
from gradcli.errors import GdRuntimeError

#: Each op `unary` made → its rule's name: a caller holding a tensor may apply the rule
#: directly (what the op does with a tensor argument), as the interpreter's calls do.
UNARY_OPS: dict[Callable[[Any], Tensor], str] = {}


def unary(name: str) -> Callable[[Any], Tensor]:
    """The op for an elementwise unary rule of the table (any family's)."""

    def op(input: Any) -> Tensor:
        return apply(_RULES[name], (input if type(input) is Tensor else _as_tensor(input),))

    op.__name__ = name
    op.__doc__ = f"Elementwise {name} (differentiable)."
    UNARY_OPS[op] = name
    return op


# -- elementwise ------------------------------------------------------------------------

exp = unary("exp")


log = unary("log")


log1p = unary("log1p")


sqrt = unary("sqrt")


sin = unary("sin")


cos = unary("cos")


tan = unary("tan")


tanh = unary("tanh")


sigmoid = unary("sigmoid")


relu = unary("relu")


abs = unary("abs")


sign = unary("sign")


floor = unary("floor")


ceil = unary("ceil")


reciprocal = unary("reciprocal")


def round(input: Tensor, *, decimals: int | None = None) -> Tensor:
    """Round half to even (to `decimals` places: PyTorch's RoundBackward1)."""
    if decimals is not None and input.array.dtype.kind in "biu":  # (round() is x itself)
        kernel = "round_vml_cpu" if decimals == 0 else "round_cpu"
        raise GdRuntimeError(f'"{kernel}" not implemented for '
                             f"'{K.scalar_name(input.array.dtype)}'",
                             py_type="NotImplementedError")
    return apply(_RULES["round"], (input,), {} if decimals is None else {"decimals": decimals})


def neg(input: Tensor) -> Tensor:
    """-x."""
    return apply(_RULES["neg"], (input,))


def _binary(name: str):
    def op(input: Any, other: Any) -> Tensor:
        ta = type(input)
        tb = type(other)
        # Tensor with tensor or Python number: _operand would keep both as they are.
        if ta is Tensor:
            if tb is Tensor or tb is float or tb is int:
                return apply(_RULES[name], (input, other))
        elif tb is Tensor:
            if ta is float or ta is int:
                return apply(_RULES[name], (input, other))
        else:
            input = tensor(input)
        input, other = _complex_scalars(input, other)
        return apply(_RULES[name], (_operand(input), _operand(other)))

    op.__name__ = name
    op.__doc__ = f"Elementwise {name} with broadcasting (differentiable)."
    return op


def _complex_scalars(a: Any, b: Any) -> tuple[Any, Any]:
    """a and b, a Python complex number (1j) meeting a tensor made a 0-d tensor of the
    dtype PyTorch's promotion gives the pair (float32 with 1j: complex64, float64:
    complex128), so that the kernels' promotion of the two arrays gives it too."""
    ta, tb = type(a), type(b)
    if (ta is complex and tb is Tensor) or (tb is complex and ta is Tensor):
        number, t = (a, b) if ta is complex else (b, a)
        d = dtypes.canonical(t.array.dtype)
        if d == dtypes.float16:
            raise GdRuntimeError("complex32 (ComplexHalf) tensors are not supported by "
                                 "gradcli")
        dt = dtypes.promote([d] if t.array.ndim else [], [] if t.array.ndim else [d],
                            [number])
        c = tensor_from_array(np.asarray(number, dtype=dt))
        return (c, b) if ta is complex else (a, c)
    return a, b


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


_sub = _binary("sub")


mul = _binary("mul")


_div = _binary("div")


def true_divide(a: Any, b: Any) -> Tensor:
    """a / b (the `/` operator); number / tensor is reciprocal(tensor) · number, as
    PyTorch computes it. Not in-place: that is INPLACE["div_"]."""
    if type(b) is Tensor and type(a) is not Tensor and isinstance(a, (int, float)):
        return mul(reciprocal(b), a)
    return _div(a, b)


_pow = _binary("pow")


def pow(input: Any, exponent: Any) -> Tensor:
    """input ** exponent with broadcasting (differentiable)."""
    if (State.light_backward and (type(exponent) is int or type(exponent) is float)
            and exponent == 1 and type(input) is Tensor and input.array.dtype.kind == "f"):
        # pow's VJP for x**2 computes 2·x**1: in a backward pass that records nothing,
        # x**1 is x (exactly, NaN and -0.0 included) and needs no full-size copy (W3).
        return input
    return _pow(input, exponent)


maximum = _binary("maximum")


minimum = _binary("minimum")


floor_divide = _binary("floordiv")
floor_divide_self = _binary("floordiv_")  # the op x.floor_divide_(y) records


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


def add(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """input + alpha·other with broadcasting (alpha ≠ 1: one node, one rounding, as
    PyTorch's fused kernel)."""
    if alpha != 1:
        return _scaled("add_alpha", input, other, alpha)
    return _add(input, other)


def sub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """input - alpha·other with broadcasting (`-` itself: no extra call per op)."""
    if alpha != 1:
        if any(type(v) is bool or (type(v) is Tensor and v.array.dtype == np.bool_)
               for v in (input, other)):  # PyTorch's bool check comes before alpha's
            _sub_bool_error(input, other)
        return _scaled("sub_alpha", input, other, alpha)
    if type(input) is Tensor and (type(other) is Tensor or type(other) is float
                                    or type(other) is int):
        return apply(_RULES["sub"], (input, other))
    return _sub(input, other)


def _sub_bool_error(input: Any, other: Any) -> None:
    try:
        K.sub(*(v.array if type(v) is Tensor else v for v in (input, other)))
    except TorchError as e:
        raise GdRuntimeError(str(e)) from None


def _scaled(name: str, input: Any, other: Any, alpha: Any) -> Tensor:
    if type(input) is not Tensor and type(other) is not Tensor:
        input = tensor(input)
    input, other = _complex_scalars(input, other)
    return apply(_RULES[name], (_operand(input), _operand(other)), {"alpha": alpha})


_NO_MODE: Any = "(no rounding_mode)"  # rounding_mode not given: div.Tensor, DivBackward0


def div(input: Any, other: Any, rounding_mode: str | None = _NO_MODE) -> Tensor:
    """input / other (true division; rounding_mode 'floor' or 'trunc' as in PyTorch; an
    explicit rounding_mode=None is PyTorch's div.Tensor_mode overload: DivBackward2)."""
    if rounding_mode is None or rounding_mode is _NO_MODE:
        if type(input) is not Tensor and isinstance(input, (int, float)):
            input = tensor(input)  # torch.div(2, x) wraps the number: DivBackward0
        if rounding_mode is None:
            y = _div(input, other)
            if y.grad_fn is not None:
                y.grad_fn.name = "DivBackward2"
            return y
        return _div(input, other)
    if rounding_mode == "floor" or rounding_mode == "trunc":
        return div_mode(input, other, rounding_mode)
    raise GdRuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                         f"but found '{rounding_mode}'")


def div_mode(a: Any, b: Any, rounding_mode: str) -> Tensor:
    """a / b rounded ('floor' or 'trunc'): PyTorch's DivBackward2, a zero derivative."""
    if type(a) is not Tensor and type(b) is not Tensor:
        a = tensor(a)
    a, b = _complex_scalars(a, b)
    return apply(_RULES["div_mode"], (_operand(a), _operand(b)),
                 {"rounding_mode": rounding_mode})


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


def square(input: Tensor) -> Tensor:
    """x ** 2 (PyTorch records it as a power: PowBackward0)."""
    return pow(input, 2)


def log_of_number(a: float) -> float:
    """log of a Python number with IEEE results (log 0 = -inf, log of negatives = nan)."""
    if a > 0:
        return math.log(a)
    return -math.inf if a == 0 else math.nan


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """Clip into [min, max]."""
    if type(min) is Tensor or type(max) is Tensor:
        # PyTorch's clamp.Tensor: the bounds are inputs of the node (ClampBackward0).
        if min is None and max is None:
            raise GdRuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        return _clamp_tensor(input, min, max)
    params = {}
    if (type(min) is complex or type(max) is complex) and input.array.dtype.kind != "c":
        raise complex_to_real_error(  # the bound is read as a double
            np.dtype(np.float64) if input.array.dtype.kind == "f" else input.array.dtype)
    if min is not None:
        params["min"] = _arr(min)
    if max is not None:
        params["max"] = _arr(max)
    return apply(_RULES["clamp"], (input,), params)


def _clamp_tensor(x: Tensor, lo: Any, hi: Any, method: bool = False) -> Tensor:
    lo = None if lo is None else _operand(lo) if type(lo) is Tensor else tensor(lo)
    hi = None if hi is None else _operand(hi) if type(hi) is Tensor else tensor(hi)
    params = {"method": True} if method else {}
    if hi is None:
        return apply(_RULES["clamp_tensor_min"], (x, lo), params)
    if lo is None:
        return apply(_RULES["clamp_tensor_max"], (x, hi), params)
    return apply(_RULES["clamp_tensor_both"], (x, lo, hi), params)


def clamp_min(input: Tensor, min: Any) -> Tensor:
    """x.clamp_min(min): PyTorch's ClampMinBackward0 (a tensor bound: ClampMinBackward1)."""
    if type(min) is Tensor:
        return _clamp_tensor(input, min, None, method=True)
    return apply(_RULES["clamp_min"], (input,), {"bound": _arr(min)})


def clamp_max(input: Tensor, max: Any) -> Tensor:
    """x.clamp_max(max): PyTorch's ClampMaxBackward0 (a tensor bound: ClampMaxBackward1)."""
    if type(max) is Tensor:
        return _clamp_tensor(input, None, max, method=True)
    return apply(_RULES["clamp_max"], (input,), {"bound": _arr(max)})


def nonzero(x: Any, as_tuple: bool = False) -> Any:
    """Indices of the nonzero elements: an (n, ndim) int64 tensor, or with as_tuple one
    index tensor per dim (a 0-d input counts as 1-d there, as in PyTorch)."""
    if State.vmapping and hasattr(x, "batched"):
        raise GdRuntimeError(
            "vmap: We do not support batching operators that can output dynamic shape. "
            "Attempted to vmap over aten::nonzero. Please file an issue at "
            "https://github.com/pytorch/pytorch/issues if you need this feature.")
    a = _as_tensor(x).array
    if as_tuple:
        return tuple(tensor_from_array(i.astype(np.int64))
                     for i in np.nonzero(a.reshape(1) if a.ndim == 0 else a))
    return tensor_from_array(np.argwhere(a).astype(np.int64))


def where(condition: Any, input: Any = None, other: Any = None) -> Any:
    """input where condition else other (elementwise, broadcasting); where(condition)
    alone is nonzero(condition, as_tuple=True)."""
    a, b = input, other
    if a is None and b is None:
        return nonzero(condition, as_tuple=True)
    c = _as_tensor(condition)
    if c.array.dtype != dtypes.boolean:
        raise GdRuntimeError(
            "where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{K.scalar_name(c.array.dtype)}")
    if type(a) is not Tensor and type(b) is not Tensor:
        a = tensor(a)
    return apply(_RULES["where"], (c, _operand(a), _operand(b)))


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


def _check_broadcast(a: Any, b: Any) -> None:
    msg = K.broadcast_message(_arr(a), _arr(b))
    if msg is not None:
        raise GdRuntimeError(msg)


def allclose(a: Tensor, b: Any, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    """Whether all elements are close."""
    _check_broadcast(a, b)
    return bool(np.allclose(_arr(a), _arr(b), rtol=rtol, atol=atol, equal_nan=equal_nan))


def isclose(a: Tensor, b: Any, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Tensor:
    """Elementwise closeness (of two tensors of one dtype: PyTorch does not promote)."""
    if isinstance(a, Tensor) and isinstance(b, Tensor) and a.array.dtype != b.array.dtype:
        raise GdRuntimeError(f"{K.scalar_name(a.array.dtype)} did not match "
                             f"{K.scalar_name(b.array.dtype)}")
    _check_broadcast(a, b)
    return tensor_from_array(np.asarray(np.isclose(_arr(a), _arr(b), rtol=rtol, atol=atol,
                                                   equal_nan=equal_nan)))


def equal(a: Tensor, b: Tensor) -> bool:
    """Same shape and same values."""
    return a.shape == b.shape and bool(np.array_equal(a.array, b.array))


def numel(x: Tensor) -> int:
    """Number of elements."""
    return x.numel()


# -- PyTorch spellings ------------------------------------------------------------------

for _name in ("exp", "log", "log1p", "sqrt", "sin", "cos", "tan", "tanh", "sigmoid", "relu",
              "abs", "sign", "floor", "ceil", "round", "reciprocal", "square", "neg", "add",
              "sub", "mul", "div", "pow", "clamp", "maximum", "minimum", "remainder",
              "floor_divide"):
    expose(globals()[_name], f"torch.{_name}", f"Tensor.{_name}", family="elementwise")
expose(clamp, "torch.clip", "Tensor.clip", family="elementwise")
expose(sub, "torch.subtract", "Tensor.subtract", family="elementwise")
expose(mul, "torch.multiply", "Tensor.multiply", family="elementwise")
expose(div, "torch.divide", "Tensor.divide", family="elementwise")
expose(neg, "torch.negative", "Tensor.negative", family="elementwise")
expose(where, "torch.where", family="elementwise")
expose(lambda self, condition, other: where(condition, self, other), "Tensor.where",
       family="elementwise")
expose(clamp_min, "torch.clamp_min", "Tensor.clamp_min", family="elementwise")
expose(clamp_max, "torch.clamp_max", "Tensor.clamp_max", family="elementwise")
for _name in ("eq", "ne", "lt", "le", "gt", "ge"):
    expose(globals()[_name], f"Tensor.{_name}", family="comparison")
for _name in ("logical_not", "logical_and", "logical_or", "isnan", "isfinite", "allclose",
              "isclose", "equal"):
    expose(globals()[_name], f"torch.{_name}", f"Tensor.{_name}", family="comparison")
expose(nonzero, "torch.nonzero", family="indexing")
expose(clone, "torch.clone", "Tensor.clone", family="creation")
expose(numel, "torch.numel", family="creation")
expose(to, "Tensor.to", family="creation")


def _cast(dt: Any) -> Any:
    def cast(x: Tensor, memory_format: Any = None) -> Tensor:
        if memory_format is None:
            return to(x, dt)
        from gradcli.ad.ops.memory_format import cast as laid
        return laid(x, to(x, dt), memory_format)

    return cast


expose(_cast(dtypes.float32), "Tensor.float", family="creation")
expose(_cast(dtypes.float64), "Tensor.double", family="creation")
expose(_cast(dtypes.int64), "Tensor.long", family="creation")
expose(_cast(dtypes.int32), "Tensor.int", family="creation")
expose(_cast(dtypes.boolean), "Tensor.bool", family="creation")
expose(lambda x, other: to(x, other.dtype), "Tensor.type_as", family="creation")
