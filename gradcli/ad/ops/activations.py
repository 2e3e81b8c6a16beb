"""torch.nn.functional activations, with PyTorch's keywords, in-place forms and aliases."""

from __future__ import annotations

from typing import Any

from gradcli.ad.graph import Tensor
from gradcli.ad.inplace import record_inplace
from gradcli.ad.kernels import nn as KN
from gradcli.ad.ops.creation import _as_tensor, gen_of
from gradcli.ad.ops.elementwise import abs, add, div, neg, sub
from gradcli.ad.ops.elementwise import relu as _relu
from gradcli.ad.ops.elementwise import sigmoid as _sigmoid
from gradcli.ad.ops.elementwise import tanh as _tanh
from gradcli.ad.ops.reductions import softmax
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.errors import GdRuntimeError

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _act(name: str, x: Any, inplace: bool = False, **params: Any) -> Tensor:
    x = _as_tensor(x)
    if not inplace:
        return apply(_RULES[name], (x,), params)
    if name in ("elu", "leaky_relu"):  # their in-place node saves the result: EluBackward1
        params = {**params, "inplace": True}
    return record_inplace(x, apply(_RULES[name], (x,), params))


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^(β·x))/β, x itself where β·x > threshold."""
    return _act("softplus", input, beta=beta, threshold=threshold)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x·Φ(x); approximate='tanh' is PyTorch's tanh approximation."""
    if approximate not in ("none", "tanh"):
        raise GdRuntimeError("approximate argument must be either none or tanh.")
    return _act("gelu", input, approximate=approximate)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x where x > 0, else negative_slope·x."""
    return _act("leaky_relu", input, inplace, negative_slope=negative_slope)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """In-place leaky_relu."""
    return leaky_relu(input, negative_slope, True)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else α(eˣ - 1)."""
    return _act("elu", input, inplace, alpha=alpha, scale=1.0, input_scale=1.0)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place elu."""
    return elu(input, alpha, True)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale · elu(x, α) with PyTorch's self-normalizing constants."""
    return _act("elu", input, inplace, alpha=_SELU_ALPHA, scale=_SELU_SCALE, input_scale=1.0)


def selu_(input: Tensor) -> Tensor:
    """In-place selu."""
    return selu(input, True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else α(e^(x/α) - 1)."""
    if alpha == 0:
        raise GdRuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return _act("elu", input, inplace, alpha=alpha, scale=1.0, input_scale=1.0 / alpha,
                celu=True)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place celu."""
    return celu(input, alpha, True)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x·σ(x)."""
    return _act("silu", input, inplace)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x·tanh(softplus(x))."""
    return _act("mish", input, inplace)


def logsigmoid(input: Tensor) -> Tensor:
    """log σ(x), stable."""
    return _act("log_sigmoid", input)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
          training: bool = False, inplace: bool = False) -> Tensor:
    """x where x > 0, else x · a slope: (lower + upper)/2, or while training one drawn
    uniformly from [lower, upper) for each such element (the default generator)."""
    x = _as_tensor(input)
    if lower > upper:
        raise GdRuntimeError("Lower bound should be less than or equal to the upper bound")
    noise = KN.rrelu_noise(x.array, float(lower), float(upper), bool(training),
                           gen_of(None)._uniform64)
    if not inplace:
        return apply(_RULES["rrelu"], (x,), {"noise": noise})
    return record_inplace(x, apply(_RULES["rrelu"], (x,), {"noise": noise, "inplace": True}))


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
           training: bool = False) -> Tensor:
    """In-place rrelu."""
    return rrelu(input, lower, upper, training, True)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    """x clipped into [min_val, max_val]; F.hardtanh checks the bounds (a ValueError),
    F.hardtanh_ does not."""
    if min_val > max_val:
        raise GdRuntimeError("min_val cannot be greater than max_val", py_type="ValueError")
    return _act("hardtanh", input, inplace, min_val=min_val, max_val=max_val)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """In-place hardtanh (torch.hardtanh_: no check of the bounds, clamp's order)."""
    return _act("hardtanh", input, True, min_val=min_val, max_val=max_val)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6) (PyTorch's hardtanh(x, 0, 6))."""
    return _act("hardtanh", input, inplace, min_val=0.0, max_val=6.0)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """clip(x/6 + 1/2, 0, 1)."""
    return _act("hardsigmoid", input, inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x·clip(x + 3, 0, 6)/6."""
    return _act("hardswish", input, inplace)


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|) (PyTorch's composite: DivBackward0)."""
    return div(input, add(abs(input), 1))


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x) (PyTorch's composite: SubBackward0)."""
    return sub(input, _tanh(input))


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
            dtype: Any = None) -> Tensor:
    """softmax(-x) along dim."""
    from gradcli.ad.ops.reductions import implicit_dim_warning

    implicit_dim_warning("softmin", dim)
    return softmax(neg(_as_tensor(input)), dim, dtype)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0) (F.relu: inplace=True changes x)."""
    if inplace:
        return record_inplace(input, _relu(input))
    return _relu(input)


def relu_(input: Tensor) -> Tensor:
    """In-place relu."""
    return relu(input, True)


def sigmoid(input: Tensor) -> Tensor:
    """1/(1 + e^-x)."""
    return _sigmoid(input)


def tanh(input: Tensor) -> Tensor:
    """Hyperbolic tangent."""
    return _tanh(input)


# -- PyTorch spellings ------------------------------------------------------------------

for _name in ("softplus", "gelu", "leaky_relu", "leaky_relu_", "elu", "elu_", "selu", "selu_",
              "celu", "celu_", "silu", "mish", "logsigmoid", "hardtanh", "hardtanh_", "relu6",
              "hardsigmoid", "hardswish", "softsign", "tanhshrink", "softmin", "relu", "relu_",
              "sigmoid", "tanh", "rrelu", "rrelu_"):
    expose(globals()[_name], f"torch.nn.functional.{_name}", family="nn")
for _name in ("selu", "selu_", "celu", "celu_", "rrelu", "rrelu_"):
    expose(globals()[_name], f"torch.{_name}", family="nn")
