"""torch.nn.init and torch.nn.utils.clip_grad_norm_/clip_grad_value_, as PyTorch computes them.

Every initialiser fills the tensor in place under no_grad from the same generator calls
PyTorch makes (uniform_ / normal_ with the same bounds, computed with the same float
operations), so a seeded program gets PyTorch's numbers bit for bit.
"""

from __future__ import annotations

import math
from typing import Any

from gradcli.ad import ops
from gradcli.ad.state import grad_mode
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError

T = ops.members("Tensor")


def _value_error(message: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type="ValueError")


def calculate_gain(nonlinearity: str, param: Any = None) -> float:
    """The recommended gain for a nonlinearity (nn.init.calculate_gain)."""
    linear = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
              "conv_transpose3d")
    if nonlinearity in linear or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif (type(param) is int) or type(param) is float:
            slope = param
        else:
            raise _value_error(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise _value_error(f"Unsupported nonlinearity {nonlinearity}")


def fans(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight tensor."""
    if tensor.ndim < 2:
        raise _value_error("Fan in and fan out can not be computed for tensor with fewer "
                           "than 2 dimensions")
    receptive = 1
    for s in tensor.shape[2:]:
        receptive *= s
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise _value_error(f"Mode {mode} not supported, please use one of "
                           "['fan_in', 'fan_out']")
    fan_in, fan_out = fans(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Any = None) -> Tensor:
    """Fill with values from U(a, b)."""
    with grad_mode(False):
        return T["uniform_"](tensor, a, b, generator=generator)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0,
            generator: Any = None) -> Tensor:
    """Fill with values from N(mean, std^2)."""
    with grad_mode(False):
        return T["normal_"](tensor, mean, std, generator=generator)


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with val."""
    with grad_mode(False):
        return T["fill_"](tensor, val)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with ones."""
    return constant_(tensor, 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with zeros."""
    with grad_mode(False):
        return T["zero_"](tensor)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Glorot uniform: U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = fans(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Glorot normal: N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = fans(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu", generator: Any = None) -> Tensor:
    """He uniform: U(-bound, bound), bound = gain * sqrt(3 / fan)."""
    if 0 in tensor.shape:
        return tensor
    fan = _fan(tensor, mode)
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu", generator: Any = None) -> Tensor:
    """He normal: N(0, std^2), std = gain / sqrt(fan)."""
    if 0 in tensor.shape:
        return tensor
    fan = _fan(tensor, mode)
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return normal_(tensor, 0, std, generator)


INIT = {name: globals()[name] for name in (
    "calculate_gain", "uniform_", "normal_", "constant_", "ones_", "zeros_",
    "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_")}


# -- torch.nn.utils ----------------------------------------------------------------------

def _grads(parameters: Any) -> list[Tensor]:
    params = [parameters] if type(parameters) is Tensor else list(parameters)
    return [p.grad for p in params if type(p) is Tensor and p.grad is not None]


def clip_grad_norm_(parameters: Any, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: Any = None) -> Tensor:
    """Scale the gradients so their joint norm is at most max_norm; the norm before."""
    grads = _grads(parameters)
    torch = ops.members("torch")
    if not grads:
        return torch["tensor"](0.0)
    norm = ops.members("torch.linalg")["vector_norm"]
    norm_type = float(norm_type)
    with grad_mode(False):
        total = norm(torch["stack"]([norm(g, norm_type) for g in grads]), norm_type)
        if error_if_nonfinite and not math.isfinite(float(total.item())):
            raise GdRuntimeError(
                f"The total norm of order {norm_type} for gradients from `parameters` is "
                "non-finite, so it cannot be clipped. To disable this error and scale the "
                "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`")
        coef = torch["clamp"](max_norm / (total + 1e-6), max=1.0)
        for g in grads:
            T["mul_"](g, coef)
    return total


def clip_grad_value_(parameters: Any, clip_value: float, foreach: Any = None) -> None:
    """Clamp every gradient to [-clip_value, clip_value] in place."""
    with grad_mode(False):
        for g in _grads(parameters):
            T["clamp_"](g, -float(clip_value), float(clip_value))


def parameters_to_vector(parameters: Any) -> Tensor:
    """The parameters flattened and joined into one vector (recorded: CatBackward0)."""
    params = [parameters] if type(parameters) is Tensor else list(parameters)
    return ops.members("torch")["cat"]([T["view"](p, -1) for p in params])


def vector_to_parameters(vec: Any, parameters: Any) -> None:
    """Give each parameter, in order, the next numel() entries of vec as its data."""
    if type(vec) is not Tensor:
        raise GdRuntimeError(f"expected torch.Tensor, but got: {type(vec).__name__}",
                             py_type="TypeError")
    pointer = 0
    for p in [parameters] if type(parameters) is Tensor else list(parameters):
        n = p.array.size
        p.array = T["view_as"](vec[pointer:pointer + n], p).detach().array
        pointer += n


UTILS = {"clip_grad_norm_": clip_grad_norm_, "clip_grad_value_": clip_grad_value_,
         "parameters_to_vector": parameters_to_vector,
         "vector_to_parameters": vector_to_parameters}
