"""nn.LazyLinear, LazyConv1d/2d/3d, LazyConvTranspose1d/2d/3d, LazyBatchNorm1d/2d/3d and
LazyInstanceNorm1d/2d/3d, as torch/nn/modules/lazy.py and their modules run them.

Their weights and running statistics start as UninitializedParameters / Buffers (they print
as `<UninitializedParameter>`, are listed by parameters() and refuse their shape); the
first call infers the input size (in_features, in_channels, num_features) from the input,
materializes the same objects in place (so an optimizer built before the call holds the
real tensors), draws them as the module's reset_parameters does and turns the module into
its eager class (nn.Linear, nn.Conv2d, ...), as PyTorch's cls_to_become does.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.state import grad_mode
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import nn_conv, nn_instance, nn_norm, nn_spatial  # noqa: F401 (LAYERS)
from gradcli.interp.nn_layers import LAYERS, _check_device, _get, _layer, _set
from gradcli.interp.nn_module import ModuleInstance, make_parameter
from gradcli.interp.values import Builtin, Size, to_repr

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
        cls = type(self)
        out = Tensor.detach(self)
        out.__class__ = cls
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


class UninitializedBuffer(UninitializedParameter):
    """A buffer whose shape is not known yet (torch.nn.UninitializedBuffer)."""

    __slots__ = ()
    torch_type = "torch.nn.parameter.UninitializedBuffer"

    def __repr__(self) -> str:
        return "<UninitializedBuffer>"

    __str__ = __repr__


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
    _set(self, in_features=0, out_features=out_features)
    self.params["weight"] = _uninitialized(dtype)  # type: ignore[index]
    if bias:
        self.params["bias"] = _uninitialized(dtype)  # type: ignore[index]
    else:
        self.method("register_parameter")("bias", None)


def _uninitialized_buffer(dtype: Any) -> Tensor:
    b = ops.members("torch")["empty"](0, dtype=dtype)
    b.__class__ = UninitializedBuffer
    return b


def _has_uninitialized(self: ModuleInstance) -> bool:
    return any(isinstance(p, UninitializedParameter)
               for table in (self.params, self.bufs) for p in (table or {}).values())


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


# -- the other lazy modules: one shape (init, infer, materialize, become) ---------------------

def _lazy(name: str, target: str, path: str, init: Any, infer: Any) -> None:
    """A Lazy<target> class: `init` builds the module with its uninitialized tensors;
    `infer(self, input)` sets the inferred size and returns {tensor name: shape}."""
    eager = LAYERS[target]

    def forward(self: ModuleInstance, *args: Any, **kwargs: Any) -> Any:
        if _has_uninitialized(self):
            with grad_mode(False):
                for key, shape in infer(self, *args).items():
                    _materialize(_get(self, key), shape)
                    if key in (self.bufs or {}):
                        _get(self, key).__class__ = Tensor
                eager.find("reset_parameters").fn(self)
        self.cls = eager
        return self.method("forward")(*args, **kwargs)

    _layer(name, path, {
        "__init__": init, "forward": forward, "has_uninitialized_params": _has_uninitialized,
        "reset_parameters": lambda self: None if _has_uninitialized(self)
        else eager.find("reset_parameters").fn(self)}, base=eager)


def _conv_lazy_init(target: str) -> Any:
    def init(self: ModuleInstance, out_channels: int, kernel_size: Any, *args: Any,
             **kwargs: Any) -> None:
        rest = list(args)
        if len(rest) > 4:  # bias, after (stride, padding, dilation | output_padding, groups)
            bias, rest[4] = rest[4], False
        else:
            bias = kwargs.pop("bias", True)
            kwargs["bias"] = False
        dtype = kwargs.get("dtype")
        LAYERS[target].find("__init__").fn(self, 0, out_channels, kernel_size, *rest, **kwargs)
        self.params["weight"] = _uninitialized(dtype)  # type: ignore[index]
        if bias:
            self.params["bias"] = _uninitialized(dtype)  # type: ignore[index]

    return init


def _conv_infer(n: int, name: str) -> Any:
    def infer(self: ModuleInstance, input: Tensor, *rest: Any) -> dict[str, tuple[int, ...]]:
        if input.ndim not in (n + 1, n + 2):
            raise GdRuntimeError(f"Expected {n + 1}D (unbatched) or {n + 2}D (batched) input "
                                 f"to {name}, but got input of size: {to_repr(Size(input.shape))}")
        in_channels = input.shape[1] if input.ndim == n + 2 else input.shape[0]
        groups, out = _get(self, "groups"), _get(self, "out_channels")
        if in_channels % groups != 0:
            raise GdRuntimeError("in_channels must be divisible by groups",
                                 py_type="ValueError")
        self.attrs["in_channels"] = in_channels
        k = tuple(_get(self, "kernel_size"))
        shapes = {"weight": (in_channels, out // groups, *k) if _get(self, "transposed")
                  else (out, in_channels // groups, *k)}
        if _get(self, "bias") is not None:
            shapes["bias"] = (out,)
        return shapes

    return infer


def _norm_lazy_init(target: str, affine_default: bool) -> Any:
    def init(self: ModuleInstance, eps: float = 1e-05, momentum: Any = 0.1,
             affine: bool = affine_default, track_running_stats: bool = affine_default,
             device: Any = None, dtype: Any = None, *, bias: bool = True) -> None:
        LAYERS[target].find("__init__").fn(self, 0, eps, momentum, False, False, device, dtype)
        _set(self, affine=affine, track_running_stats=track_running_stats)
        if affine:
            self.params["weight"] = _uninitialized(dtype)  # type: ignore[index]
            self.params["bias"] = _uninitialized(dtype) if bias else None  # type: ignore[index]
        if track_running_stats:
            torch = ops.members("torch")
            self.bufs["running_mean"] = _uninitialized_buffer(dtype)  # type: ignore[index]
            self.bufs["running_var"] = _uninitialized_buffer(dtype)  # type: ignore[index]
            self.bufs["num_batches_tracked"] = torch["zeros"](  # type: ignore[index]
                (), dtype=ops.dtypes_resolve("int64"))

    return init


def _norm_infer(self: ModuleInstance, input: Tensor, *rest: Any) -> dict[str, tuple[int, ...]]:
    n = input.shape[1]
    self.attrs["num_features"] = n
    names = (("weight",) if _get(self, "affine") else ()) + (
        ("bias",) if _get(self, "bias") is not None else ()) + (
        ("running_mean", "running_var") if _get(self, "track_running_stats") else ())
    return {key: (n,) for key in names}


for _n in (1, 2, 3):
    _lazy(f"LazyConv{_n}d", f"Conv{_n}d", "conv", _conv_lazy_init(f"Conv{_n}d"),
          _conv_infer(_n, f"LazyConv{_n}d"))
    _lazy(f"LazyConvTranspose{_n}d", f"ConvTranspose{_n}d", "conv",
          _conv_lazy_init(f"ConvTranspose{_n}d"), _conv_infer(_n, f"LazyConvTranspose{_n}d"))
    _lazy(f"LazyBatchNorm{_n}d", f"BatchNorm{_n}d", "batchnorm",
          _norm_lazy_init(f"BatchNorm{_n}d", True), _norm_infer)
    _lazy(f"LazyInstanceNorm{_n}d", f"InstanceNorm{_n}d", "instancenorm",
          _norm_lazy_init(f"InstanceNorm{_n}d", True), _norm_infer)
