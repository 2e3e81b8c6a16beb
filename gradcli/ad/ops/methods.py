"""The Tensor surface: in-place ops (x.add_(…)), the operators and the method
whitelist (gradcli.ad.tensor.install_operators puts them on the class).
"""

from __future__ import annotations

from typing import Any

from gradcli.ad.graph import Tensor
from gradcli.ad.inplace import inplace_of, record_inplace
from gradcli.ad.kernels.messages import c_type_name
from gradcli.ad.ops import backward as B
from gradcli.ad.ops.bitwise import (
    bitwise_and,
    bitwise_left_shift,
    bitwise_or,
    bitwise_right_shift,
    bitwise_xor,
    invert,
)
from gradcli.ad.ops.creation import _as_tensor, _num
from gradcli.ad.ops.elementwise import (
    _add,
    _sub,
    abs,
    add,
    ceil,
    clamp,
    clamp_max,
    clamp_min,
    cos,
    div,
    eq,
    exp,
    floor,
    floor_divide,
    floor_divide_self,
    ge,
    gt,
    le,
    log,
    log1p,
    lt,
    mul,
    ne,
    neg,
    pow,
    reciprocal,
    relu,
    remainder,
    round,
    sigmoid,
    sign,
    sin,
    sqrt,
    square,
    sub,
    tan,
    tanh,
    true_divide,
)
from gradcli.ad.ops.indexing import getitem, setitem
from gradcli.ad.ops.linalg import matmul
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.errors import GdRuntimeError

# -- in-place ops -----------------------------------------------------------------------

def fill_(x: Tensor, value: Any) -> Tensor:
    """Fill x with value in place."""
    # PyTorch's fill_ writes an expanded tensor too (every element the same value); not
    # with a tensor's value (fill_.Tensor: its kernel checks the overlap)
    return record_inplace(x, apply(_RULES["fill"], (x,), {"value": _num(value)}),
                          overlap_ok=type(value) is not Tensor)


def zero_(x: Tensor) -> Tensor:
    """Zero x in place."""
    return fill_(x, 0)


def copy_(x: Tensor, src: Tensor, non_blocking: bool = False) -> Tensor:
    """Copy src's values into x in place (broadcast to x's shape): CopyBackwards
    (non_blocking: a CPU copy is synchronous either way)."""
    if hasattr(x, "zero"):
        raise GdRuntimeError(B.ZERO_IMMUTABLE_COPY)
    return record_inplace(x, apply(_RULES["copy"], (x, _as_tensor(src))))


def clamp_inplace(fn: Any) -> Any:
    """inplace_of(fn) for clamp_/clamp_min_/clamp_max_: a float number bound on an
    integer or bool tensor is refused in the words of clamp's scalar overload, which name
    the C++ type (long int, int, bool)."""
    inner = inplace_of(fn)

    def op(x: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        if x.array.dtype.kind in "biu" and any(type(b) is float
                                               for b in (*args, *kwargs.values())):
            raise GdRuntimeError("result type Float can't be cast to the desired output "
                                 f"type {c_type_name(x.array.dtype)}")
        return inner(x, *args, **kwargs)

    op.__name__, op.__doc__ = inner.__name__, inner.__doc__
    return op


INPLACE = {
    "add_": inplace_of(add), "sub_": inplace_of(sub), "mul_": inplace_of(mul),
    "div_": inplace_of(div), "pow_": inplace_of(pow), "clamp_": clamp_inplace(clamp),
    "neg_": inplace_of(neg), "exp_": inplace_of(exp), "log_": inplace_of(log),
    "sqrt_": inplace_of(sqrt), "sin_": inplace_of(sin), "cos_": inplace_of(cos),
    "tanh_": inplace_of(tanh), "sigmoid_": inplace_of(sigmoid), "relu_": inplace_of(relu),
    "abs_": inplace_of(abs), "fill_": fill_, "zero_": zero_, "copy_": copy_,
    "clamp_min_": clamp_inplace(clamp_min), "clamp_max_": clamp_inplace(clamp_max),
    "floor_": inplace_of(floor), "ceil_": inplace_of(ceil), "round_": inplace_of(round),
    "sign_": inplace_of(sign), "reciprocal_": inplace_of(reciprocal),
    "log1p_": inplace_of(log1p), "tan_": inplace_of(tan), "square_": inplace_of(square),
    "floor_divide_": inplace_of(floor_divide_self),
}


relu_ = INPLACE["relu_"]
_FAMILY_OF_INPLACE = {"fill_": "creation", "zero_": "creation", "copy_": "creation"}


# -- the Tensor surface -----------------------------------------------------------------

def _swap(fn: Any):
    def op(a: Any, b: Any) -> Tensor:
        return fn(b, a)

    return op


def _operand_of(fn: Any):
    # As PyTorch's operators: a tensor meets tensors, numbers and arrays; with anything else
    # (a list, a string, None) the operator gives way and Python raises its TypeError
    # ("unsupported operand type(s) for +: 'Tensor' and 'list'"), never a silent tensor.
    def op(a: Tensor, b: Any) -> Any:
        if not isinstance(b, (Tensor, int, float, complex)) and type(b).__module__ != "numpy":
            return NotImplemented
        return fn(a, b)

    return op


def _compare(fn: Any):
    # As PyTorch: a tensor compares with tensors, numbers and arrays; with anything else
    # (None, a string, a list) Python decides: == False, != True, < a TypeError.
    def op(a: Tensor, b: Any) -> Any:
        if not isinstance(b, (Tensor, int, float, complex)) and type(b).__module__ != "numpy":
            return NotImplemented
        return fn(a, b)

    return op


#: The Tensor class's operators (gradcli.ad.tensor.install_operators puts them there).
OPERATORS: dict[str, Any] = {
    **{name: _operand_of(fn) for name, fn in (
        ("__add__", _add), ("__radd__", _add), ("__sub__", _sub), ("__rsub__", _swap(_sub)),
        ("__mul__", mul), ("__rmul__", mul), ("__truediv__", true_divide),
        ("__rtruediv__", _swap(true_divide)), ("__floordiv__", floor_divide),
        ("__rfloordiv__", _swap(floor_divide)), ("__mod__", remainder),
        ("__rmod__", _swap(remainder)), ("__pow__", pow), ("__rpow__", _swap(pow)),
        ("__matmul__", matmul), ("__rmatmul__", _swap(matmul)),
        ("__and__", bitwise_and), ("__rand__", bitwise_and), ("__or__", bitwise_or),
        ("__ror__", bitwise_or), ("__xor__", bitwise_xor), ("__rxor__", bitwise_xor),
        ("__lshift__", bitwise_left_shift), ("__rlshift__", _swap(bitwise_left_shift)),
        ("__rshift__", bitwise_right_shift), ("__rrshift__", _swap(bitwise_right_shift)),
        ("__iadd__", INPLACE["add_"]), ("__isub__", INPLACE["sub_"]),
        ("__imul__", INPLACE["mul_"]), ("__itruediv__", INPLACE["div_"]))},
    "__neg__": neg, "__pos__": lambda a: a, "__abs__": abs, "__invert__": invert,
    "__lt__": _compare(lt), "__le__": _compare(le), "__gt__": _compare(gt),
    "__ge__": _compare(ge), "__eq__": _compare(eq), "__ne__": _compare(ne),
    "__getitem__": getitem, "__setitem__": setitem,
}


# -- PyTorch spellings ------------------------------------------------------------------

for _name, _fn in INPLACE.items():
    expose(_fn, f"Tensor.{_name}", family=_FAMILY_OF_INPLACE.get(_name, "elementwise"))
expose(relu_, "torch.relu_", family="elementwise")

