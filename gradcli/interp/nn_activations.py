"""More of PyTorch's activation modules (activation.py): Hardtanh, ReLU6, SELU, CELU, Mish,
Hardswish, Hardsigmoid, Softsign, Tanhshrink, LogSigmoid, Softmin, Threshold, Hardshrink,
Softshrink, GLU, RReLU and PReLU, each calling the torch.nn.functional op PyTorch's forward calls,
with PyTorch's extra_repr.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops, state
from gradcli.interp import nn_init
from gradcli.interp.nn_layers import (
    _activation,
    _check_device,
    _error,
    _get,
    _inplace,
    _layer,
    _set,
)
from gradcli.interp.nn_module import ModuleInstance, make_parameter

F = ops.members("torch.nn.functional")
_INPLACE = (("inplace", False),)


def _with_inplace(text: str, s: ModuleInstance) -> str:
    return text + (", inplace=True" if _get(s, "inplace") else "")




def _hardtanh_init(self: ModuleInstance, min_val: float = -1.0, max_val: float = 1.0,
                   inplace: bool = False, min_value: Any = None, max_value: Any = None) -> None:
    # min_value/max_value: PyTorch's deprecated spellings, still taken (with its warning).
    if min_value is not None:
        state.warn("keyword argument `min_value` is deprecated and renamed to `min_val`",
                   category="FutureWarning")
        min_val = min_value
    if max_value is not None:
        state.warn("keyword argument `max_value` is deprecated and renamed to `max_val`",
                   category="FutureWarning")
        max_val = max_value
    _set(self, min_val=min_val, max_val=max_val, inplace=inplace)
    if not max_val > min_val:
        raise _error(f"max_val ({max_val}) must be greater than min_val ({min_val})",
                     "AssertionError")


_layer("Hardtanh", "activation", {
    "__init__": _hardtanh_init,
    "forward": lambda self, input: F["hardtanh"](input, _get(self, "min_val"),
                                                 _get(self, "max_val"), _get(self, "inplace")),
    "extra_repr": lambda s: _with_inplace(f"min_val={_get(s, 'min_val')}, "
                                          f"max_val={_get(s, 'max_val')}", s)})
_activation("ReLU6", "relu6", _INPLACE, _inplace)
_activation("SELU", "selu", _INPLACE, _inplace)
_activation("CELU", "celu", (("alpha", 1.0), *_INPLACE),
            lambda s: _with_inplace(f"alpha={_get(s, 'alpha')}", s))
_activation("Mish", "mish", _INPLACE, _inplace)
_activation("Hardswish", "hardswish", _INPLACE, None)
_activation("Hardsigmoid", "hardsigmoid", _INPLACE, None)
_activation("Softsign", "softsign", (), None)
_activation("Tanhshrink", "tanhshrink", (), None)
_activation("LogSigmoid", "logsigmoid", (), None)
_activation("Softmin", "softmin", (("dim", None),), lambda s: f"dim={_get(s, 'dim')}")
_activation("Threshold", "threshold", (("threshold", None), ("value", None), *_INPLACE),
            lambda s: _with_inplace(f"threshold={_get(s, 'threshold')}, "
                                    f"value={_get(s, 'value')}", s))
_activation("Hardshrink", "hardshrink", (("lambd", 0.5),), lambda s: f"{_get(s, 'lambd')}")
_activation("Softshrink", "softshrink", (("lambd", 0.5),), lambda s: f"{_get(s, 'lambd')}")
_activation("GLU", "glu", (("dim", -1),), lambda s: f"dim={_get(s, 'dim')}")


def _rrelu_init(self: ModuleInstance, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
                inplace: bool = False) -> None:
    _set(self, lower=lower, upper=upper, inplace=inplace)


_layer("RReLU", "activation", {
    "__init__": _rrelu_init,
    "forward": lambda self, input: F["rrelu"](input, _get(self, "lower"), _get(self, "upper"),
                                              _get(self, "training"), _get(self, "inplace")),
    "extra_repr": lambda s: _with_inplace(f"lower={_get(s, 'lower')}, upper={_get(s, 'upper')}",
                                          s)})


def _prelu_init(self: ModuleInstance, num_parameters: int = 1, init: float = 0.25,
                device: Any = None, dtype: Any = None) -> None:
    _check_device(device)
    _set(self, num_parameters=num_parameters, init=init)
    weight = ops.members("torch")["empty"](num_parameters, dtype=dtype)
    self.set_attr("weight", make_parameter(weight))
    self.method("reset_parameters")()


_layer("PReLU", "activation", {
    "__init__": _prelu_init,
    "reset_parameters": lambda self: nn_init.constant_(_get(self, "weight"), _get(self, "init")),
    "forward": lambda self, input: F["prelu"](input, _get(self, "weight")),
    "extra_repr": lambda self: f"num_parameters={_get(self, 'num_parameters')}"})
