"""nn.LazyLinear, as torch/nn/modules/lazy.py and linear.py run it.

Its weight and bias start as UninitializedParameters (they print as
`<UninitializedParameter>`, are listed by parameters() and refuse their shape); the first
call infers in_features from the input, materializes the same parameter objects in place
(so an optimizer built before the call holds the real tensors), draws them as
Linear.reset_parameters does and turns the module into an nn.Linear, as PyTorch's
cls_to_become does.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.state import grad_mode, warn
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.nn_layers import LAYERS, _check_device, _get, _layer, _set
from gradcli.interp.nn_module import ModuleInstance, make_parameter
from gradcli.interp.values import Builtin

_SHAPE = ("Can't access the shape of an uninitialized parameter or buffer. This error usually "
          "happens in `load_state_dict` when trying to load an uninitialized parameter into an "
          "initialized one. Call `forward` to initialize the parameters before accessing their "
          "attributes.")


class UninitializedParameter(Tensor):
    """A parameter whose shape is not known yet (torch.nn.UninitializedParameter)."""

    __slots__ = ()
    torch_type = "torch.nn.parameter.UninitializedParameter"  # what type(p) prints

    def __repr__(self) -> str:
        return "<UninitializedParameter>"

    __str__ = __repr__

    def detach(self) -> Tensor:  # state_dict() holds it uninitialized, as PyTorch's
        out = Tensor.detach(self)
        out.__class__ = UninitializedParameter
        return out

    @staticmethod
    def gd_attribute(obj: Tensor, name: str) -> Any:
        """What a gd program reads of it: its flags; anything shaped refuses, as PyTorch."""
        from gradcli.interp.attributes import TENSOR_METHODS, TENSOR_PROPERTIES

        if name in _READABLE:
            return TENSOR_PROPERTIES[name](obj)
        if name in TENSOR_METHODS:
            return Builtin(f"Tensor.{name}", lambda *a, **k: _refuse(name))
        raise GdRuntimeError(_SHAPE)


def _refuse(method: str) -> Any:
    raise GdRuntimeError(
        f"Attempted to use an uninitialized parameter in <method '{method}' of "
        "'torch._C.TensorBase' objects>. This error happens when you are using a `LazyModule` "
        "or explicitly manipulating `torch.nn.parameter.UninitializedParameter` objects. When "
        "using LazyModules Call `forward` with a dummy batch to initialize the parameters "
        "before calling torch functions", py_type="ValueError")


_READABLE = ("requires_grad", "grad", "dtype", "is_leaf", "device")


def _uninitialized(dtype: Any) -> Tensor:
    p = make_parameter(ops.members("torch")["empty"](0, dtype=dtype))
    p.__class__ = UninitializedParameter
    return p


def _materialize(p: Tensor, shape: tuple[int, ...]) -> None:
    p.__class__ = Tensor
    p.array = ops.members("torch")["empty"](shape, dtype=p.dtype).array


def _lazy_init(self: ModuleInstance, out_features: int, bias: bool = True, device: Any = None,
               dtype: Any = None) -> None:
    _check_device(device)
    warn("Lazy modules are a new feature under heavy development so changes to the API or "
         "functionality can happen at any moment.")
    _set(self, in_features=0, out_features=out_features)
    self.params["weight"] = _uninitialized(dtype)  # type: ignore[index]
    if bias:
        self.params["bias"] = _uninitialized(dtype)  # type: ignore[index]
    else:
        self.method("register_parameter")("bias", None)


def _has_uninitialized(self: ModuleInstance) -> bool:
    return any(type(p) is UninitializedParameter for p in (self.params or {}).values())


def _lazy_forward(self: ModuleInstance, input: Tensor) -> Tensor:
    linear = LAYERS["Linear"]
    if _has_uninitialized(self):
        with grad_mode(False):
            in_features = input.shape[-1]
            _set(self, in_features=in_features)
            _materialize(_get(self, "weight"), (_get(self, "out_features"), in_features))
            if _get(self, "bias") is not None:
                _materialize(_get(self, "bias"), (_get(self, "out_features"),))
        self.cls = linear
        self.method("reset_parameters")()
    else:
        self.cls = linear
    return self.method("forward")(input)


_layer("LazyLinear", "linear", {
    "__init__": _lazy_init, "forward": _lazy_forward,
    "has_uninitialized_params": _has_uninitialized,
    "reset_parameters": lambda self: None if _has_uninitialized(self)
    else LAYERS["Linear"].find("reset_parameters").fn(self)}, base=LAYERS["Linear"])
