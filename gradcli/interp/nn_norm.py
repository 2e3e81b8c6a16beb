"""nn.BatchNorm1d / 2d / 3d, as PyTorch's batchnorm.py builds and runs them.

The affine parameters are registered first (weight = 1, bias = 0), then the buffers
running_mean, running_var and num_batches_tracked; forward counts the batch, picks the
momentum (or the cumulative average when momentum is None) and calls F.batch_norm with the
running statistics as PyTorch's _BatchNorm.forward does, so values, buffers and state dicts
are PyTorch's.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.state import grad_mode
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.nn_layers import _check_device, _get, _layer, _set
from gradcli.interp.nn_module import ModuleInstance, make_parameter

F = ops.members("torch.nn.functional")
T = ops.members("Tensor")


def _norm_init(self: ModuleInstance, num_features: int, eps: float = 1e-05,
               momentum: Any = 0.1, affine: bool = True, track_running_stats: bool = True,
               device: Any = None, dtype: Any = None, *, bias: bool = True) -> None:
    _check_device(device)
    _set(self, num_features=num_features, eps=eps, momentum=momentum, affine=affine,
         track_running_stats=track_running_stats)
    torch = ops.members("torch")
    register = self.method("register_parameter")
    if affine:
        self.set_attr("weight", make_parameter(torch["empty"](num_features, dtype=dtype)))
        if bias:
            self.set_attr("bias", make_parameter(torch["empty"](num_features, dtype=dtype)))
        else:
            register("bias", None)
    else:
        register("weight", None)
        register("bias", None)
    buffer = self.method("register_buffer")
    if track_running_stats:
        buffer("running_mean", torch["zeros"](num_features, dtype=dtype))
        buffer("running_var", torch["ones"](num_features, dtype=dtype))
        buffer("num_batches_tracked", torch["zeros"]((), dtype=ops.dtypes_resolve("int64")))
    else:
        for name in ("running_mean", "running_var", "num_batches_tracked"):
            buffer(name, None)
    self.method("reset_parameters")()


def _reset_running_stats(self: ModuleInstance) -> None:
    if _get(self, "track_running_stats"):
        with grad_mode(False):
            T["zero_"](_get(self, "running_mean"))
            T["fill_"](_get(self, "running_var"), 1)
            T["zero_"](_get(self, "num_batches_tracked"))


def _reset_parameters(self: ModuleInstance) -> None:
    self.method("reset_running_stats")()
    if _get(self, "affine"):
        with grad_mode(False):
            T["fill_"](_get(self, "weight"), 1.0)
            if _get(self, "bias") is not None:
                T["zero_"](_get(self, "bias"))


def _norm_extra(self: ModuleInstance) -> str:
    return (f"{_get(self, 'num_features')}, eps={_get(self, 'eps')}, momentum="
            f"{_get(self, 'momentum')}, affine={_get(self, 'affine')}, bias="
            f"{_get(self, 'bias') is not None}, track_running_stats="
            f"{_get(self, 'track_running_stats')}")


def _batchnorm_forward(self: ModuleInstance, input: Tensor) -> Tensor:
    momentum = _get(self, "momentum")
    factor = 0.0 if momentum is None else momentum
    training = _get(self, "training")
    tracking = _get(self, "track_running_stats")
    if training and tracking:
        count = _get(self, "num_batches_tracked")
        if count is not None:
            with grad_mode(False):
                T["add_"](count, 1)
            factor = 1.0 / float(count.item()) if momentum is None else momentum
    running_mean, running_var = _get(self, "running_mean"), _get(self, "running_var")
    use_batch = True if training else running_mean is None and running_var is None
    keep = not training or tracking
    return F["batch_norm"](input, running_mean if keep else None,
                           running_var if keep else None, _get(self, "weight"),
                           _get(self, "bias"), use_batch, factor, _get(self, "eps"))


def _checked_forward(dims: tuple[int, ...], text: str) -> Any:
    """forward after PyTorch's _check_input_dim of the class."""
    def forward(self: ModuleInstance, input: Tensor) -> Tensor:
        if input.ndim not in dims:
            raise GdRuntimeError(f"expected {text} input (got {input.ndim}D input)",
                                 py_type="ValueError")
        return _batchnorm_forward(self, input)

    return forward


for _name, _dims, _text in (("BatchNorm1d", (2, 3), "2D or 3D"), ("BatchNorm2d", (4,), "4D"),
                            ("BatchNorm3d", (5,), "5D")):
    _layer(_name, "batchnorm", {
        "__init__": _norm_init, "forward": _checked_forward(_dims, _text),
        "reset_running_stats": _reset_running_stats, "reset_parameters": _reset_parameters,
        "extra_repr": _norm_extra})


# -- GroupNorm -------------------------------------------------------------------------------

def _groupnorm_init(self: ModuleInstance, num_groups: int, num_channels: int,
                    eps: float = 1e-05, affine: bool = True, device: Any = None,
                    dtype: Any = None, *, bias: bool = True) -> None:
    _check_device(device)
    if num_channels % num_groups != 0:
        raise GdRuntimeError(f"num_channels ({num_channels}) must be divisible by "
                             f"num_groups ({num_groups})",
                             py_type="ValueError")
    _set(self, num_groups=num_groups, num_channels=num_channels, eps=eps, affine=affine)
    torch = ops.members("torch")
    register = self.method("register_parameter")
    if affine:
        self.set_attr("weight", make_parameter(torch["ones"](num_channels, dtype=dtype)))
        if bias:
            self.set_attr("bias", make_parameter(torch["zeros"](num_channels, dtype=dtype)))
        else:
            register("bias", None)
    else:
        register("weight", None)
        register("bias", None)


_layer("GroupNorm", "normalization", {
    "__init__": _groupnorm_init,
    "forward": lambda self, input: F["group_norm"](input, _get(self, "num_groups"),
                                                   _get(self, "weight"), _get(self, "bias"),
                                                   _get(self, "eps")),
    "extra_repr": lambda s: f"{_get(s, 'num_groups')}, {_get(s, 'num_channels')}, "
                            f"eps={_get(s, 'eps')}, affine={_get(s, 'affine')}, "
                            f"bias={_get(s, 'bias') is not None}"})
