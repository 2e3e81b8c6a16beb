"""PyTorch's backward primitives, as ops of their own (they run only in backward passes).

PyTorch computes some derivatives through a dedicated function (tanh_backward,
sigmoid_backward, threshold_backward, _softmax_backward_data, masked_fill, ...)
with its own derivative formulas. A derivative taken with create_graph=True then
carries that function's node (`TanhBackwardBackward0`), and its own derivatives
are that function's. Mirroring them here makes both the printed names and the
higher derivatives PyTorch's. Their rules are in gradcli.ad.rules; the numpy
kernels are here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.kernels import elementwise as KE
from gradcli.ad.kernels import reductions as KR
from gradcli.ad.kernels.elementwise import spread
from gradcli.ad.kernels.fused import one_minus_square
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.ad.state import State

__all__ = [
    "ZEROS",
    "ZERO_IMMUTABLE",
    "ZERO_IMMUTABLE_COPY",
    "activation_backward",
    "as_zero_tensor",
    "div_scalar",
    "is_zero_tensor",
    "log_softmax_backward_data",
    "masked_fill",
    "masked_fill_value",
    "mse_loss_backward",
    "mul_scalar",
    "sigmoid_backward",
    "softmax_backward_data",
    "tanh_backward",
    "threshold_backward",
    "zero_tensor",
]


def _arr(x: Any) -> Any:
    return x.array if type(x) is Tensor else x


# -- PyTorch's efficient zero tensor ---------------------------------------------------------

#: The zero tensors of the backward pass running now, by id (the engine clears it after
#: each pass; holding them here keeps their ids theirs).
ZEROS: dict[int, Tensor] = {}


#: PyTorch's refusal of an in-place change of a zero tensor.
ZERO_IMMUTABLE = ("ZeroTensors are immutable. Please use the materialized zero tensor obtained "
                  "using .clone() if you want a mutable tensor.")


#: ... and copy_'s (x[i] = v too).
ZERO_IMMUTABLE_COPY = ("ZeroTensors are immutable. Please materialize the tensor using "
                       "`.clone()`, if you want a mutable zero tensor.")


def zero_tensor(like: Tensor) -> Tensor:
    """A cotangent that is exactly zero, as PyTorch's at::_efficientzerotensor (sgn's
    derivative for real inputs): adding it to a cotangent gives that cotangent itself,
    -0. included. Stored as -0. (the additive identity of IEEE arithmetic); the engine
    passes it on through the nodes PyTorch's zero tensors pass through and shows it as 0."""
    t = Tensor(np.full(like.shape, -0.0, like.dtype))
    ZEROS[id(t)] = t
    return t


def as_zero_tensor(t: Tensor) -> Tensor:
    """t (a cotangent computed from a zero tensor, in its graph) made a zero tensor."""
    if not np.signbit(t.array).all() or np.any(t.array):
        t.array = np.full(t.shape, -0.0, t.dtype)
    ZEROS[id(t)] = t
    return t


def is_zero_tensor(t: Any) -> bool:
    """Whether t is a zero tensor (see zero_tensor)."""
    return ZEROS.get(id(t)) is t


# -- kernels (numpy; called by apply with arrays) -------------------------------------------

def k_threshold_backward(g: Any, x: Any, threshold: float) -> Any:
    g = np.asarray(g)
    return np.where(np.asarray(x) <= threshold, np.zeros((), g.dtype), g).astype(g.dtype,
                                                                                 copy=False)


_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)


def k_tanh_backward(g: Any, out: Any) -> Any:
    """g · (1 - out²), 1 - out² fused as PyTorch's kernel computes it (one rounding: in
    float32 the float64 difference of exact float32 squares rounded once, in float64 an
    FMA: fused.one_minus_square)."""
    if (type(g) is np.ndarray and type(out) is np.ndarray and (dt := g.dtype) is out.dtype
            and (dt is _F32 or dt is _F64)):
        # Arrays of one float dtype (every light backward pass): the lines below without
        # their no-op conversions.
        if dt is _F32:
            o = out.astype(_F64)
            return g * (1.0 - o * o).astype(_F32)
        return g * one_minus_square(out)
    g = np.asarray(g)
    out = np.asarray(out)
    if out.dtype == _F32:
        o = out.astype(_F64)
        return (g * (1.0 - o * o).astype(_F32)).astype(g.dtype, copy=False)
    if out.dtype == _F64:
        return (g * one_minus_square(out)).astype(g.dtype, copy=False)
    return (g * (1 - out * out)).astype(g.dtype, copy=False)


def k_sigmoid_backward(g: Any, out: Any) -> Any:
    g = np.asarray(g)
    return (g * (1 - out) * out).astype(g.dtype, copy=False)


def k_masked_fill(x: Any, mask: Any, value: float) -> Any:
    x = np.asarray(x)
    if type(value) is int and x.dtype.kind in "iu":  # range-checked, as PyTorch's fill
        value = KE.checked_int(value, x.dtype)
    out = np.where(mask, np.asarray(value, x.dtype), x)
    return out.astype(x.dtype, copy=False)


def k_softmax_backward_data(g: Any, out: Any, dim: int) -> Any:
    return KR.softmax_backward(g, out, dim)


def k_log_softmax_backward_data(g: Any, out: Any, dim: int) -> Any:
    return KR.log_softmax_backward(g, out, dim)


# -- the ops ----------------------------------------------------------------------------

def threshold_backward(g: Tensor, x: Tensor, threshold: float) -> Tensor:
    """g where x > threshold, else 0 (PyTorch's threshold_backward: relu's derivative)."""
    return apply(_RULES["threshold_backward"], (g, x), {"threshold": threshold})


def tanh_backward(g: Tensor, out: Tensor) -> Tensor:
    """g · (1 - out²) (PyTorch's tanh_backward)."""
    return apply(_RULES["tanh_backward"], (g, out))


def sigmoid_backward(g: Tensor, out: Tensor) -> Tensor:
    """g · (1 - out) · out (PyTorch's sigmoid_backward)."""
    return apply(_RULES["sigmoid_backward"], (g, out))


def masked_fill(x: Tensor, mask: Any, value: float) -> Tensor:
    """x with value where mask (a number value: PyTorch's masked_fill.Scalar)."""
    return apply(_RULES["masked_fill"], (x,), {"mask": _arr(mask), "value": value})


def softmax_backward_data(g: Tensor, out: Tensor, dim: int) -> Tensor:
    """out · (g - Σ g·out) (PyTorch's _softmax_backward_data)."""
    return apply(_RULES["softmax_backward_data"], (g, out), {"dim": dim})


def log_softmax_backward_data(g: Tensor, out: Tensor, dim: int) -> Tensor:
    """g - exp(out) · Σ g (PyTorch's _log_softmax_backward_data)."""
    return apply(_RULES["log_softmax_backward_data"], (g, out), {"dim": dim})


def k_masked_fill_value(x: Any, value: Any, mask: Any) -> Any:
    x = np.asarray(x)
    return np.where(mask, np.asarray(value, x.dtype), x).astype(x.dtype, copy=False)


def k_mse_loss_backward(g: Any, a: Any, b: Any, reduction: str = "mean") -> Any:
    a = np.asarray(a)
    d = a - b
    norm = 2.0 / a.size if reduction == "mean" and a.size else 2.0
    out = (norm * d) * g
    return out.astype(np.result_type(a, b), copy=False)


def k_mul_scalar(a: Any, b: Any) -> Any:
    a = np.asarray(a)
    return (a * b).astype(a.dtype, copy=False)


def k_div_scalar(a: Any, b: Any) -> Any:
    a = np.asarray(a)
    return (a / b).astype(a.dtype, copy=False)


def k_spread(kernel: Any, a: Any, b: Any) -> Any:
    """kernel(a, b) (k_mul_scalar, k_div_scalar), but a spread value (K.spread) computed
    once and spread the same way: every element is that one result either way, without
    a full-size array (bench W3's class: a mean's gradient). For backward passes that
    record nothing."""
    if spread(a):
        return np.broadcast_to(kernel(a[(slice(0, 1),) * a.ndim], b), a.shape)
    return kernel(a, b)


def masked_fill_value(x: Tensor, mask: Any, value: Tensor) -> Tensor:
    """x with a 0-dim tensor's value where mask (PyTorch's masked_fill.Tensor)."""
    return apply(_RULES["masked_fill_value"], (x, value), {"mask": _arr(mask)})


def mse_loss_backward(g: Tensor, a: Tensor, b: Tensor, reduction: str) -> Tensor:
    """2 · (a - b) · g (/ n for a mean): PyTorch's mse_loss_backward."""
    return apply(_RULES["mse_loss_backward"], (g, a, b), {"reduction": reduction})


def mul_scalar(a: Tensor, b: float) -> Tensor:
    """a · b for a number b, as PyTorch's C++ formulas write it (MulBackward1)."""
    return apply(_RULES["mul_scalar"], (a, b))


def div_scalar(a: Tensor, b: float) -> Tensor:
    """a / b for a number b, as PyTorch's C++ formulas write it (DivBackward1)."""
    if State.light_backward and not State.grad_enabled and spread(a.array):
        return tensor_from_array(k_spread(k_div_scalar, a.array, b))  # nothing records it
    return apply(_RULES["div_scalar"], (a, b))


def activation_backward(name: str, g: Tensor, x: Tensor, **params: Any) -> Tensor:
    """PyTorch's `<name>_backward(grad, self, ...)` of an activation (softplus_backward,
    gelu_backward, elu_backward, ...): grad times the activation's derivative at x. Rules
    and kernels: gradcli.ad.rules.activations, gradcli.ad.kernels.nn."""
    return apply(_RULES[name + "_backward"], (g, x), params)
