"""addcmul/addcdiv and the shrink family (hardshrink, softshrink, threshold, prelu, glu)
with PyTorch's keywords, in-place forms, aliases and argument checks."""

from __future__ import annotations

from typing import Any

from gradcli.ad.graph import Tensor
from gradcli.ad.inplace import inplace_of, record_inplace
from gradcli.ad.kernels.messages import scalar_name
from gradcli.ad.ops.shape import _wrap_dim, reshape
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.errors import GdRuntimeError


def _type_name(x: Any) -> str:
    return "Tensor" if type(x) is Tensor else type(x).__name__


def _tensors(fname: str, **named: Any) -> None:
    for pos, (what, x) in enumerate(named.items(), 1):
        if type(x) is not Tensor:
            raise GdRuntimeError(f"{fname}(): argument '{what}' (position {pos}) must be "
                                 f"Tensor, not {_type_name(x)}")


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """input + value · tensor1 · tensor2, broadcasting."""
    _tensors("addcmul", input=input, tensor1=tensor1, tensor2=tensor2)
    return apply(_RULES["addcmul"], (input, tensor1, tensor2), {"value": value})


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """input + value · tensor1 / tensor2, broadcasting."""
    _tensors("addcdiv", input=input, tensor1=tensor1, tensor2=tensor2)
    return apply(_RULES["addcdiv"], (input, tensor1, tensor2), {"value": value})


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0."""
    _tensors("hardshrink", input=input)
    return apply(_RULES["hardshrink"], (input,), {"lambd": lambd})


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - lambd where x > lambd, x + lambd where x < -lambd, else 0."""
    _tensors("softshrink", input=input)
    return apply(_RULES["softshrink"], (input,), {"lambd": lambd})


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x where x > threshold, else value (F.threshold; inplace=True changes x)."""
    _tensors("threshold", input=input)
    if not inplace:
        return apply(_RULES["threshold"], (input,), {"threshold": threshold, "value": value})
    return record_inplace(input, apply(_RULES["threshold"], (input,), {
        "threshold": threshold, "value": value, "inplace": True}))


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """In-place threshold (ThresholdBackward1)."""
    return globals()["threshold"](input, threshold, value, True)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x where x > 0, else weight · x, weight per channel (dim 1) or one for all."""
    _tensors("prelu", input=input, weight=weight)
    if input.array.dtype != weight.array.dtype:
        raise GdRuntimeError("prelu: Type promoting not supported. Got "
                             f"{scalar_name(input.array.dtype)} and "
                             f"{scalar_name(weight.array.dtype)}")
    n = weight.numel()
    if n != 1:
        channels = input.shape[1] if input.ndim > 1 else 1
        if channels != n:
            raise GdRuntimeError("Mismatch of parameter numbers and input channel size. Found "
                                 f"parameter numbers = {n} and channel size = {channels}.")
    if weight.ndim > 1:
        raise GdRuntimeError("prelu: Expected `weight` to be a scalar or 1D tensor, but got: "
                             f"ndim = {weight.ndim}")
    if input.ndim > 1 and weight.ndim == 1:
        weight = reshape(weight, (1, n) + (1,) * (input.ndim - 2))
    elif input.ndim == 0 and weight.ndim == 1:  # the result keeps the input's shape
        weight = reshape(weight, ())
    return apply(_RULES["prelu"], (input, weight))


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """a · σ(b), a and b the halves of input along dim."""
    _tensors("glu", input=input)
    if input.ndim == 0:
        raise GdRuntimeError("glu does not support scalars because halving size must be even")
    d = _wrap_dim(dim, input.ndim)
    if input.shape[d] % 2:
        raise GdRuntimeError(f"Halving dimension must be even, but dimension {d} is size "
                             f"{input.shape[d]}")
    return apply(_RULES["glu"], (input,), {"dim": d})


# -- PyTorch spellings ------------------------------------------------------------------

expose(addcmul, "torch.addcmul", "Tensor.addcmul", family="elementwise")
expose(addcdiv, "torch.addcdiv", "Tensor.addcdiv", family="elementwise")
expose(inplace_of(addcmul), "Tensor.addcmul_", family="elementwise")
expose(inplace_of(addcdiv), "Tensor.addcdiv_", family="elementwise")
expose(hardshrink, "torch.hardshrink", "Tensor.hardshrink", "torch.nn.functional.hardshrink",
       family="nn")
expose(softshrink, "torch.nn.functional.softshrink", family="nn")
expose(threshold, "torch.threshold", "torch.nn.functional.threshold", family="nn")
expose(threshold_, "torch.threshold_", "torch.nn.functional.threshold_", family="nn")
expose(prelu, "torch.prelu", "Tensor.prelu", "torch.nn.functional.prelu", family="nn")
expose(glu, "torch.nn.functional.glu", family="nn")
