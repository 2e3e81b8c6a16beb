"""More pooling modules, as PyTorch's pooling.py builds them: MaxPool3d / AvgPool3d, the
adaptive pools (AdaptiveAvgPool1d/3d, AdaptiveMaxPool1d/2d/3d), MaxUnpool1d/2d/3d and
LPPool1d/2d/3d. Each keeps its arguments as PyTorch keeps them (as given, or _single /
_pair / _triple tuples for MaxUnpool), prints as PyTorch's extra_repr does and forwards
to the torch.nn.functional op."""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.nn_conv import _avgpool_extra, _maxpool_extra, _maxpool_forward
from gradcli.interp.nn_conv import _maxpool_init as maxpool_init
from gradcli.interp.nn_layers import _get, _layer, _set
from gradcli.interp.nn_module import ModuleInstance
from gradcli.interp.values import to_repr

F = ops.members("torch.nn.functional")


def _ntuple(v: Any, n: int) -> tuple[Any, ...]:
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * n


_layer("MaxPool3d", "pooling", {"__init__": maxpool_init, "forward": _maxpool_forward(3),
                                "extra_repr": _maxpool_extra})


def _avgpool3d_init(self: ModuleInstance, kernel_size: Any, stride: Any = None,
                    padding: Any = 0, ceil_mode: bool = False, count_include_pad: bool = True,
                    divisor_override: Any = None) -> None:
    _set(self, kernel_size=kernel_size, stride=stride if stride is not None else kernel_size,
         padding=padding, ceil_mode=ceil_mode, count_include_pad=count_include_pad,
         divisor_override=divisor_override)


def _avgpool3d_forward(self: ModuleInstance, input: Tensor) -> Tensor:
    return F["avg_pool3d"](input, *(_get(self, k) for k in (
        "kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
        "divisor_override")))


_layer("AvgPool3d", "pooling", {"__init__": _avgpool3d_init, "forward": _avgpool3d_forward,
                                "extra_repr": _avgpool_extra})


# -- adaptive pools ----------------------------------------------------------------------------

def _adaptive_max(n: int) -> dict[str, Any]:
    def init(self: ModuleInstance, output_size: Any, return_indices: bool = False) -> None:
        _set(self, output_size=output_size, return_indices=return_indices)

    def forward(self: ModuleInstance, input: Tensor) -> Any:
        return F[f"adaptive_max_pool{n}d"](input, _get(self, "output_size"),
                                            _get(self, "return_indices"))

    return {"__init__": init, "forward": forward,
            "extra_repr": lambda self: f"output_size={_get(self, 'output_size')}"}


def _adaptive_avg(n: int) -> dict[str, Any]:
    def init(self: ModuleInstance, output_size: Any) -> None:
        _set(self, output_size=output_size)

    def forward(self: ModuleInstance, input: Tensor) -> Tensor:
        return F[f"adaptive_avg_pool{n}d"](input, _get(self, "output_size"))

    return {"__init__": init, "forward": forward,
            "extra_repr": lambda self: f"output_size={_get(self, 'output_size')}"}


# -- MaxUnpool, LPPool -------------------------------------------------------------------------

def _unpool(n: int) -> dict[str, Any]:
    def init(self: ModuleInstance, kernel_size: Any, stride: Any = None,
             padding: Any = 0) -> None:
        _set(self, kernel_size=_ntuple(kernel_size, n),
             stride=_ntuple(stride if stride is not None else kernel_size, n),
             padding=_ntuple(padding, n))

    def forward(self: ModuleInstance, input: Tensor, indices: Tensor,
                output_size: Any = None) -> Tensor:
        return F[f"max_unpool{n}d"](input, indices, _get(self, "kernel_size"),
                                     _get(self, "stride"), _get(self, "padding"), output_size)

    def extra(self: ModuleInstance) -> str:
        return (f"kernel_size={_get(self, 'kernel_size')}, stride={_get(self, 'stride')}, "
                f"padding={_get(self, 'padding')}")

    return {"__init__": init, "forward": forward, "extra_repr": extra}


def _lp(n: int) -> dict[str, Any]:
    def init(self: ModuleInstance, norm_type: float, kernel_size: Any, stride: Any = None,
             ceil_mode: bool = False) -> None:
        _set(self, norm_type=norm_type, kernel_size=kernel_size, stride=stride,
             ceil_mode=ceil_mode)

    def forward(self: ModuleInstance, input: Tensor) -> Tensor:
        return F[f"lp_pool{n}d"](input, *(_get(self, k) for k in (
            "norm_type", "kernel_size", "stride", "ceil_mode")))

    def extra(self: ModuleInstance) -> str:
        return ", ".join(f"{k}={_get(self, k)}" for k in (
            "norm_type", "kernel_size", "stride", "ceil_mode"))

    return {"__init__": init, "forward": forward, "extra_repr": extra}


for _n in (1, 2, 3):
    _layer(f"AdaptiveMaxPool{_n}d", "pooling", _adaptive_max(_n))
    if _n != 2:
        _layer(f"AdaptiveAvgPool{_n}d", "pooling", _adaptive_avg(_n))
    _layer(f"MaxUnpool{_n}d", "pooling", _unpool(_n))
    _layer(f"LPPool{_n}d", "pooling", _lp(_n))


def _fractional(n: int) -> dict[str, Any]:
    name = f"FractionalMaxPool{n}d"

    def init(self: ModuleInstance, kernel_size: Any, output_size: Any = None,
             output_ratio: Any = None, return_indices: bool = False,
             _random_samples: Any = None) -> None:
        _set(self, kernel_size=_ntuple(kernel_size, n), return_indices=return_indices)
        self.method("register_buffer")("_random_samples", _random_samples)
        _set(self, output_size=None if output_size is None else _ntuple(output_size, n),
             output_ratio=None if output_ratio is None else _ntuple(output_ratio, n))
        if output_size is None and output_ratio is None:
            raise GdRuntimeError(f"{name} requires specifying either an output size, or a "
                                 "pooling ratio", py_type="ValueError")
        if output_size is not None and output_ratio is not None:
            raise GdRuntimeError("only one of output_size and output_ratio may be specified",
                                 py_type="ValueError")
        ratio = _get(self, "output_ratio")
        if ratio is not None and not all(0 < r < 1 for r in ratio):
            raise GdRuntimeError(f"output_ratio must be between 0 and 1 (got "
                                 f"{to_repr(output_ratio)})", py_type="ValueError")

    def forward(self: ModuleInstance, input: Tensor) -> Any:
        return F[f"fractional_max_pool{n}d"](
            input, _get(self, "kernel_size"), _get(self, "output_size"),
            _get(self, "output_ratio"), _get(self, "return_indices"),
            _random_samples=_get(self, "_random_samples"))

    return {"__init__": init, "forward": forward}


for _n in (2, 3):
    _layer(f"FractionalMaxPool{_n}d", "pooling", _fractional(_n))
