"""torch.nn.grad: the gradients of a convolution with respect to its input and to its
weight, as PyTorch's helpers give them (conv1d_input, conv2d_weight, ...): the backward of
gd's own convolution, run on an input (or weight) of the given size, so they are exactly
what autograd gives for that convolution."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.ad import autograd, ops
from gradcli.ad.ops.conv import conv1d, conv2d
from gradcli.ad.ops.conv_transpose import conv3d
from gradcli.ad.state import enable_grad
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError

_CONVS: dict[int, Callable[..., Tensor]] = {1: conv1d, 2: conv2d, 3: conv3d}


def _tensor(name: str, arg: str, x: Any) -> Tensor:
    if type(x) is not Tensor:
        raise GdRuntimeError(f"{name}(): argument '{arg}' must be Tensor, not "
                             f"{type(x).__name__}", py_type="TypeError")
    return x


def _size(x: Any) -> tuple[int, ...]:
    return tuple(int(v) for v in x)


def _input_grad(n: int) -> Callable[..., Tensor]:
    name = f"conv{n}d_input"

    def input_grad(input_size: Any, weight: Any, grad_output: Any, stride: Any = 1,
                   padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
        w = _tensor(name, "weight", weight).detach()
        g = _tensor(name, "grad_output", grad_output).detach()
        with enable_grad():
            x = ops.zeros(*_size(input_size), dtype=w.dtype, requires_grad=True)
            y = _CONVS[n](x, w, None, stride, padding, dilation, groups)
            return autograd.grad(y, x, g)[0]

    input_grad.__name__ = name
    input_grad.__doc__ = f"torch.nn.grad.{name}: the gradient of conv{n}d w.r.t. its input."
    return input_grad


def _weight_grad(n: int) -> Callable[..., Tensor]:
    name = f"conv{n}d_weight"

    def weight_grad(input: Any, weight_size: Any, grad_output: Any, stride: Any = 1,
                    padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
        x = _tensor(name, "input", input).detach()
        g = _tensor(name, "grad_output", grad_output).detach()
        with enable_grad():
            w = ops.zeros(*_size(weight_size), dtype=x.dtype, requires_grad=True)
            y = _CONVS[n](x, w, None, stride, padding, dilation, groups)
            return autograd.grad(y, w, g)[0]

    weight_grad.__name__ = name
    weight_grad.__doc__ = f"torch.nn.grad.{name}: the gradient of conv{n}d w.r.t. its weight."
    return weight_grad


#: torch.nn.grad's functions.
FUNCTIONS: dict[str, Callable[..., Tensor]] = {
    **{f"conv{n}d_input": _input_grad(n) for n in (1, 2, 3)},
    **{f"conv{n}d_weight": _weight_grad(n) for n in (1, 2, 3)},
}
