"""Comparisons as functions (torch.eq ... torch.ge and their greater/less aliases),
isinf/isposinf/isneginf, signbit, logical_xor, heaviside, fmax/fmin, and the
composites ravel and diff, with PyTorch's argument checks and messages."""

from __future__ import annotations

from typing import Any

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor
from gradcli.ad.inplace import inplace_of
from gradcli.ad.ops import elementwise as E
from gradcli.ad.ops.creation import zeros_like
from gradcli.ad.ops.joins import narrow
from gradcli.ad.ops.methods import copy_
from gradcli.ad.ops.shape import _wrap_dim, cat, contiguous, view
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.errors import GdRuntimeError

_COMPARE_SIGNATURES = (" * (Tensor input, Tensor other, *, Tensor out = None)\n"
                       " * (Tensor input, Number other, *, Tensor out = None)\n")


def _type_name(x: Any) -> str:
    return "Tensor" if type(x) is Tensor else type(x).__name__


def _comparison(name: str, op: Any):
    def fn(input: Any, other: Any) -> Tensor:
        if type(input) is not Tensor or not (
                type(other) is Tensor or type(other) in (int, float, bool, complex)):
            raise GdRuntimeError(
                f"{name}() received an invalid combination of arguments - got "
                f"({_type_name(input)}, {_type_name(other)}), but expected one of:\n"
                + _COMPARE_SIGNATURES)
        return op(input, other)

    fn.__name__ = name
    fn.__doc__ = f"Elementwise {name} of a tensor with a tensor or a number (bool result)."
    return fn


def _tensor_arg(fname: str, what: str, pos: int, x: Any) -> None:
    if type(x) is not Tensor:
        raise GdRuntimeError(f"{fname}(): argument '{what}' (position {pos}) must be Tensor, "
                             f"not {_type_name(x)}")


def _unary_test(name: str):
    def fn(input: Tensor) -> Tensor:
        _tensor_arg(name, "input", 1, input)
        return apply(_RULES[name], (input,))

    fn.__name__ = name
    fn.__doc__ = f"Elementwise {name} (bool result, no derivative)."
    return fn


isinf = _unary_test("isinf")
isposinf = _unary_test("isposinf")
isneginf = _unary_test("isneginf")
signbit = _unary_test("signbit")


def _binary_tensors(name: str, second: str = "other"):
    def fn(input: Tensor, other: Tensor) -> Tensor:
        _tensor_arg(name, "input", 1, input)
        _tensor_arg(name, second, 2, other)
        return apply(_RULES[name], (input, other))

    fn.__name__ = name
    fn.__doc__ = f"Elementwise {name} of two tensors, broadcasting."
    return fn


logical_xor = _binary_tensors("logical_xor")
fmax = _binary_tensors("fmax")
fmin = _binary_tensors("fmin")
_heaviside = _binary_tensors("heaviside", "values")


def heaviside(input: Tensor, values: Tensor) -> Tensor:
    """0 where x < 0, values where x == 0, 1 where x > 0 (no derivative in PyTorch)."""
    _tensor_arg("heaviside", "input", 1, input)
    _tensor_arg("heaviside", "values", 2, values)
    if input.array.dtype != values.array.dtype:
        raise GdRuntimeError("heaviside is not yet implemented for tensors with different "
                             "dtypes.")
    return _heaviside(input, values)


def ravel(input: Tensor) -> Tensor:
    """The elements as one dim: reshape(-1) (PyTorch's contiguous().view(-1))."""
    return view(contiguous(input), -1)


def _diff_extra(input: Tensor, d: int, extra: Tensor) -> Tensor:
    if extra.ndim != input.ndim:
        raise GdRuntimeError("diff expects prepend or append to be the same dimension as input")
    for i, (a, b) in enumerate(zip(input.shape, extra.shape, strict=True)):
        if i != d and a != b:
            raise GdRuntimeError(
                "diff expects the shape of tensor to prepend or append to match that of "
                f"input except along the differencing dimension; input.size({i}) = {a}, "
                f"but got tensor.size({i}) = {b}")
    return extra


def diff(input: Tensor, n: int = 1, dim: int = -1, prepend: Tensor | None = None,
         append: Tensor | None = None) -> Tensor:
    """The n-th forward difference along dim (xor for bools), after prepend/append."""
    if input.ndim < 1:
        raise GdRuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise GdRuntimeError(f"order must be non-negative but got {n}")
    d = _wrap_dim(dim, input.ndim)
    if n == 0:  # PyTorch: zeros_like(input).copy_(input)
        return copy_(zeros_like(input), input)
    x = input
    if prepend is not None or append is not None:
        pieces = [input]
        if prepend is not None:
            pieces.insert(0, _diff_extra(input, d, prepend))
        if append is not None:
            pieces.append(_diff_extra(input, d, append))
        x = cat(pieces, d)
    length = x.shape[d] - 1
    is_bool = x.array.dtype == dtypes.boolean
    for _ in range(min(n, x.shape[d])):
        hi, lo = narrow(x, d, 1, length), narrow(x, d, 0, length)
        x = logical_xor(hi, lo) if is_bool else E.sub(hi, lo)
        length -= 1
    return x


def is_nonzero(input: Tensor) -> bool:
    """Whether a one-element tensor is not zero."""
    n = input.array.size
    if n != 1:
        raise GdRuntimeError("Boolean value of Tensor with "
                             f"{'no values' if n == 0 else 'more than one value'} is ambiguous")
    return bool(input.array.reshape(-1)[0])


# -- PyTorch spellings ------------------------------------------------------------------

for _name in ("eq", "ne", "lt", "le", "gt", "ge"):
    expose(_comparison(_name, getattr(E, _name)), f"torch.{_name}", family="comparison")
for _alias, _name in (("greater", "gt"), ("less", "lt"), ("greater_equal", "ge"),
                      ("less_equal", "le"), ("not_equal", "ne")):
    expose(_comparison(_alias, getattr(E, _name)), f"torch.{_alias}", f"Tensor.{_alias}",
           family="comparison")
for _name in ("isinf", "isposinf", "isneginf", "signbit", "logical_xor", "fmax", "fmin",
              "heaviside"):
    expose(globals()[_name], f"torch.{_name}", f"Tensor.{_name}", family="comparison")
expose(inplace_of(heaviside), "Tensor.heaviside_", family="comparison")
expose(ravel, "torch.ravel", "Tensor.ravel", family="shape")
expose(diff, "torch.diff", "Tensor.diff", family="shape")
expose(is_nonzero, "torch.is_nonzero", "Tensor.is_nonzero", family="comparison")
