"""Elementwise math: inverse trigonometric and hyperbolic functions, other bases, the error
function family, sinc, logit, rounding parts, the binary atan2/hypot/logaddexp/fmod/
copysign/xlogy/lerp/float_power, torch.special.xlog1py, and torch.special's spellings of
them."""

from __future__ import annotations

from typing import Any

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor
from gradcli.ad.inplace import inplace_of, record_inplace
from gradcli.ad.kernels.messages import scalar_name
from gradcli.ad.ops.creation import _as_tensor, tensor
from gradcli.ad.ops.elementwise import (
    _operand,
    div,
    log1p,
    pow,
    remainder,
    round,
    sigmoid,
    to_dtype,
    unary,
)
from gradcli.ad.ops.reductions import log_softmax, logsumexp, softmax
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.errors import GdRuntimeError

atan = unary("atan")
asin = unary("asin")
acos = unary("acos")
sinh = unary("sinh")
cosh = unary("cosh")
asinh = unary("asinh")
acosh = unary("acosh")
atanh = unary("atanh")
log2 = unary("log2")
log10 = unary("log10")
expm1 = unary("expm1")
exp2 = unary("exp2")
erf = unary("erf")
erfc = unary("erfc")
erfinv = unary("erfinv")
rsqrt = unary("rsqrt")
sinc = unary("sinc")
frac = unary("frac")
trunc = unary("trunc")
rad2deg = unary("rad2deg")
deg2rad = unary("deg2rad")
sgn = unary("sgn")


def logit(input: Tensor, eps: float | None = None) -> Tensor:
    """log(x / (1 - x)); with eps, x is first clamped into [eps, 1 - eps]."""
    return apply(_RULES["logit"], (_as_tensor(input),), {} if eps is None else {"eps": eps})


def nan_to_num(input: Tensor, nan: float = 0.0, posinf: float | None = None,
               neginf: float | None = None) -> Tensor:
    """NaN → nan, +inf → posinf, -inf → neginf (default: the dtype's extreme values)."""
    return apply(_RULES["nan_to_num"], (_as_tensor(input),),
                 {"nan": nan, "posinf": posinf, "neginf": neginf})


def positive(input: Tensor) -> Tensor:
    """+x: x itself."""
    if input.array.dtype == dtypes.boolean:
        raise GdRuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def _tensors_only(name: str):
    def op(input: Any, other: Any) -> Tensor:
        if type(input) is not Tensor:
            raise GdRuntimeError(f"{name}(): argument 'input' (position 1) must be Tensor, "
                                 f"not {_type_name(input)}")
        if type(other) is not Tensor:
            raise GdRuntimeError(f"{name}(): argument 'other' (position 2) must be Tensor, "
                                 f"not {_type_name(other)}")
        return apply(_RULES[name], (input, other))

    op.__name__ = name
    op.__doc__ = f"Elementwise {name} of two tensors, broadcasting (differentiable)."
    return op


def _type_name(x: Any) -> str:
    return {bool: "bool", int: "int", float: "float"}.get(type(x), type(x).__name__)


atan2 = _tensors_only("atan2")
hypot = _tensors_only("hypot")
logaddexp = _tensors_only("logaddexp")
logaddexp2 = _tensors_only("logaddexp2")


def _tensor_first(name: str):
    def op(input: Any, other: Any) -> Tensor:
        if type(input) is not Tensor:
            input = tensor(input)
        return apply(_RULES[name], (input, _operand(other)))

    op.__name__ = name
    op.__doc__ = f"Elementwise {name} with broadcasting; other may be a number."
    return op


fmod = _tensor_first("fmod")
copysign = _tensor_first("copysign")


def xlogy(input: Any, other: Any) -> Tensor:
    """input · log(other), 0 where input is 0 (either may be a number)."""
    if type(input) is not Tensor and type(other) is not Tensor:
        input = tensor(input)
    return apply(_RULES["xlogy"], (_operand(input), _operand(other)))


def xlog1py(input: Any, other: Any) -> Tensor:
    """input · log1p(other), 0 where input is 0 (either may be a number)."""
    if type(input) is not Tensor and type(other) is not Tensor:
        input = tensor(input)
    return apply(_RULES["xlog1py"], (_operand(input), _operand(other)))


def lerp(input: Tensor, end: Tensor, weight: Any) -> Tensor:
    """input + weight · (end - input)."""
    return apply(_RULES["lerp"], (input, _as_tensor(end), _operand(weight)))


def float_power(input: Any, exponent: Any) -> Tensor:
    """input ** exponent computed in float64."""
    f64 = dtypes.float64
    if type(input) is Tensor and input.array.dtype != f64:
        input = to_dtype(input, f64)
    if type(exponent) is Tensor and exponent.array.dtype != f64:
        exponent = to_dtype(exponent, f64)
    elif type(exponent) in (int, bool):
        exponent = float(exponent)
    return pow(input, exponent)


def float_power_(input: Tensor, exponent: Any) -> Tensor:
    """x.float_power_(e): only a float64 x can hold the float64 result."""
    if input.array.dtype != dtypes.float64:
        raise GdRuntimeError(f"the base given to float_power_ has dtype "
                             f"{scalar_name(input.array.dtype)} but the operation's result "
                             "requires dtype Double")
    return record_inplace(input, float_power(input, exponent))


def true_divide(dividend: Any, divisor: Any) -> Tensor:
    """dividend / divisor (true division)."""
    return div(dividend, divisor)


def special_round(input: Tensor, decimals: int = 0) -> Tensor:
    """torch.special.round: round with decimals (PyTorch's RoundBackward1)."""
    return round(input, decimals=decimals)


# -- PyTorch spellings ------------------------------------------------------------------

def _inplace_without_derivative(name: str):
    # x.asinh_() is its own node in PyTorch (AsinhBackward1), with no derivative.
    def op(input: Tensor) -> Tensor:
        return record_inplace(input, apply(_RULES[name + "_"], (input,)))

    op.__name__ = name + "_"
    op.__doc__ = f"In-place {name} (PyTorch records no derivative for it)."
    return op


_NO_INPLACE = ("logaddexp", "logaddexp2", "positive", "float_power")
_OWN_INPLACE = {"asinh": "arcsinh", "acosh": "arccosh", "atanh": "arctanh"}
for _name in ("atan", "asin", "acos", "sinh", "cosh", "asinh", "acosh", "atanh", "log2",
              "log10", "expm1", "exp2", "erf", "erfc", "erfinv", "rsqrt", "sinc", "frac",
              "trunc", "rad2deg", "deg2rad", "sgn", "logit", "nan_to_num", "positive",
              "atan2", "hypot", "logaddexp", "logaddexp2", "fmod", "copysign", "xlogy",
              "lerp", "float_power", "true_divide"):
    _fn = globals()[_name]
    expose(_fn, f"torch.{_name}", f"Tensor.{_name}", family="elementwise")
    if _name in _OWN_INPLACE:
        expose(_inplace_without_derivative(_name), f"Tensor.{_name}_",
               f"Tensor.{_OWN_INPLACE[_name]}_", family="elementwise")
    elif _name not in _NO_INPLACE:
        expose(inplace_of(_fn), f"Tensor.{_name}_", family="elementwise")
for _alias, _name in (("arctan", "atan"), ("arcsin", "asin"), ("arccos", "acos"),
                      ("arcsinh", "asinh"), ("arccosh", "acosh"), ("arctanh", "atanh"),
                      ("arctan2", "atan2"), ("fix", "trunc")):
    _fn = globals()[_name]
    expose(_fn, f"torch.{_alias}", f"Tensor.{_alias}", family="elementwise")
    if _name not in _OWN_INPLACE:
        expose(inplace_of(_fn), f"Tensor.{_alias}_", family="elementwise")
for _name in ("erf", "erfc", "erfinv", "expm1", "exp2", "sinc", "xlogy", "xlog1py", "logit"):
    expose(globals()[_name], f"torch.special.{_name}", family="special")
expose(sigmoid, "torch.special.expit", family="special")
expose(log1p, "torch.special.log1p", family="special")
expose(special_round, "torch.special.round", family="special")
expose(log_softmax, "torch.special.log_softmax", family="special")
expose(softmax, "torch.special.softmax", family="special")
expose(logsumexp, "torch.special.logsumexp", family="special")
expose(inplace_of(remainder), "Tensor.remainder_", family="elementwise")
expose(float_power_, "Tensor.float_power_", family="elementwise")
