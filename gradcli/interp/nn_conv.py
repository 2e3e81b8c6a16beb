"""nn.Conv1d / Conv2d and the pooling modules, as PyTorch's conv.py and pooling.py build them.

A convolution registers weight (out, in / groups, *kernel) then bias, drawn as PyTorch's
reset_parameters draws them (kaiming_uniform_(a=sqrt(5)), then U(±1/sqrt(fan_in))), so
seeded weights are PyTorch's; a padding_mode other than 'zeros' pads with F.pad first, as
PyTorch's _conv_forward does. The pools keep their arguments as given and print them as
PyTorch's extra_repr does.
"""

from __future__ import annotations

import math
from typing import Any

from gradcli.ad import ops
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import nn_init
from gradcli.interp.nn_layers import _check_device, _get, _layer, _set
from gradcli.interp.nn_module import ModuleInstance, make_parameter

F = ops.members("torch.nn.functional")


def _ntuple(v: Any, n: int) -> tuple[Any, ...]:
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * n


def _conv_init(n: int) -> Any:
    def init(self: ModuleInstance, in_channels: int, out_channels: int, kernel_size: Any,
             stride: Any = 1, padding: Any = 0, dilation: Any = 1, groups: int = 1,
             bias: bool = True, padding_mode: str = "zeros", device: Any = None,
             dtype: Any = None) -> None:
        _check_device(device)
        build_conv(self, in_channels, out_channels, _ntuple(kernel_size, n),
                   _ntuple(stride, n), padding if isinstance(padding, str)
                   else _ntuple(padding, n), _ntuple(dilation, n), False, (0,) * n, groups,
                   bias, padding_mode, dtype)

    return init


def build_conv(self: ModuleInstance, in_channels: int, out_channels: int,
               k: tuple[int, ...], s: tuple[int, ...], pad: Any, d: tuple[int, ...],
               transposed: bool, output_padding: tuple[int, ...], groups: int, bias: bool,
               padding_mode: str, dtype: Any) -> None:
    """PyTorch's _ConvNd.__init__: its checks, attributes, weight (transposed: in, out /
    groups, *k), bias, then reset_parameters()."""
    if groups <= 0:
        raise GdRuntimeError("groups must be a positive integer", py_type="ValueError")
    if in_channels % groups != 0:
        raise GdRuntimeError("in_channels must be divisible by groups", py_type="ValueError")
    if out_channels % groups != 0:
        raise GdRuntimeError("out_channels must be divisible by groups", py_type="ValueError")
    if isinstance(pad, str):
        if pad not in ("same", "valid"):
            raise GdRuntimeError(f"Invalid padding string {pad!r}, should be one of "
                                 "{'valid', 'same'}", py_type="ValueError")
        if pad == "same" and any(v != 1 for v in s):
            raise GdRuntimeError("padding='same' is not supported for strided convolutions",
                                 py_type="ValueError")
    if padding_mode not in ("zeros", "reflect", "replicate", "circular"):
        raise GdRuntimeError("padding_mode must be one of ['zeros', 'reflect', "
                             f"'replicate', 'circular'], but got padding_mode="
                             f"'{padding_mode}'", py_type="ValueError")
    _set(self, in_channels=in_channels, out_channels=out_channels, kernel_size=k,
         stride=s, padding=pad, dilation=d, transposed=transposed,
         output_padding=output_padding, groups=groups, padding_mode=padding_mode)
    empty = ops.members("torch")["empty"]
    shape = (in_channels, out_channels // groups) if transposed else (
        out_channels, in_channels // groups)
    self.set_attr("weight", make_parameter(empty(*shape, *k, dtype=dtype)))
    if bias:
        self.set_attr("bias", make_parameter(empty(out_channels, dtype=dtype)))
    else:
        self.method("register_parameter")("bias", None)
    self.method("reset_parameters")()


def conv_reset(self: ModuleInstance) -> None:
    weight = _get(self, "weight")
    nn_init.kaiming_uniform_(weight, a=math.sqrt(5))
    bias = _get(self, "bias")
    if bias is not None:
        fan_in, _ = nn_init.fans(weight)
        if fan_in != 0:
            bound = 1 / math.sqrt(fan_in)
            nn_init.uniform_(bias, -bound, bound)


def _same_pads(self: ModuleInstance, padding: str) -> list[int]:
    """PyTorch's _reversed_padding_repeated_twice for padding='same'/'valid': the total
    d*(k-1) of each dim split with the odd element on the right, last dim first."""
    if padding == "valid":
        return [0, 0] * len(_get(self, "kernel_size"))
    flat: list[int] = []
    pairs = zip(_get(self, "dilation"), _get(self, "kernel_size"), strict=True)
    for d, k in reversed(list(pairs)):
        total = d * (k - 1)
        flat += [total // 2, total - total // 2]
    return flat


def _conv_forward(n: int) -> Any:
    def forward(self: ModuleInstance, input: Tensor) -> Tensor:
        padding = _get(self, "padding")
        mode = _get(self, "padding_mode")
        if mode != "zeros":
            flat = [p for v in reversed(padding) for p in (v, v)] \
                if not isinstance(padding, str) else _same_pads(self, padding)
            input = F["pad"](input, flat, mode="constant" if mode == "zeros" else mode)
            padding = 0
        return F[f"conv{n}d"](input, _get(self, "weight"), _get(self, "bias"),
                              _get(self, "stride"), padding, _get(self, "dilation"),
                              _get(self, "groups"))

    return forward


def conv_extra(self: ModuleInstance) -> str:
    get = self.attrs.get
    s = (f"{get('in_channels')}, {get('out_channels')}, kernel_size={get('kernel_size')}, "
         f"stride={get('stride')}")
    padding = get("padding")
    if padding != (0,) * len(padding):
        s += f", padding={padding}"
    if get("dilation") != (1,) * len(get("dilation")):
        s += f", dilation={get('dilation')}"
    if get("output_padding") != (0,) * len(get("output_padding")):
        s += f", output_padding={get('output_padding')}"
    if get("groups") != 1:
        s += f", groups={get('groups')}"
    if _get(self, "bias") is None:
        s += ", bias=False"
    if get("padding_mode") != "zeros":
        s += f", padding_mode={get('padding_mode')}"
    return s


for _n in (1, 2, 3):
    _layer(f"Conv{_n}d", "conv", {"__init__": _conv_init(_n), "forward": _conv_forward(_n),
                                   "reset_parameters": conv_reset, "extra_repr": conv_extra})


# -- pools ---------------------------------------------------------------------------------

def _maxpool_init(self: ModuleInstance, kernel_size: Any, stride: Any = None,
                  padding: Any = 0, dilation: Any = 1, return_indices: bool = False,
                  ceil_mode: bool = False) -> None:
    _set(self, kernel_size=kernel_size, stride=stride if stride is not None else kernel_size,
         padding=padding, dilation=dilation, return_indices=return_indices,
         ceil_mode=ceil_mode)


def _maxpool_forward(n: int) -> Any:
    def forward(self: ModuleInstance, input: Tensor) -> Tensor:
        get = self.attrs.get
        return F[f"max_pool{n}d"](input, get("kernel_size"), get("stride"), get("padding"),
                                  get("dilation"), ceil_mode=get("ceil_mode"),
                                  return_indices=get("return_indices"))

    return forward


def _maxpool_extra(self: ModuleInstance) -> str:
    get = self.attrs.get
    return (f"kernel_size={get('kernel_size')}, stride={get('stride')}, padding="
            f"{get('padding')}, dilation={get('dilation')}, ceil_mode={get('ceil_mode')}")


def _avgpool_init(n: int) -> Any:
    def init(self: ModuleInstance, kernel_size: Any, stride: Any = None, padding: Any = 0,
             ceil_mode: bool = False, count_include_pad: bool = True,
             divisor_override: Any = None) -> None:
        if n == 1:  # AvgPool1d keeps _single() tuples; AvgPool2d the arguments as given
            kernel_size = _ntuple(kernel_size, 1)
            stride = _ntuple(stride if stride is not None else kernel_size, 1)
            padding = _ntuple(padding, 1)
        _set(self, kernel_size=kernel_size,
             stride=stride if stride is not None else kernel_size, padding=padding,
             ceil_mode=ceil_mode, count_include_pad=count_include_pad)
        if n == 2:
            self.attrs["divisor_override"] = divisor_override

    if n == 1:  # PyTorch's AvgPool1d takes no divisor_override

        def init1(self: ModuleInstance, kernel_size: Any, stride: Any = None,
                  padding: Any = 0, ceil_mode: bool = False,
                  count_include_pad: bool = True) -> None:
            init(self, kernel_size, stride, padding, ceil_mode, count_include_pad)

        return init1
    return init


def _avgpool_forward(n: int) -> Any:
    def forward(self: ModuleInstance, input: Tensor) -> Tensor:
        get = self.attrs.get
        extra = (get("divisor_override"),) if n == 2 else ()
        return F[f"avg_pool{n}d"](input, get("kernel_size"), get("stride"), get("padding"),
                                  get("ceil_mode"), get("count_include_pad"), *extra)

    return forward


def _avgpool_extra(self: ModuleInstance) -> str:
    get = self.attrs.get
    return f"kernel_size={get('kernel_size')}, stride={get('stride')}, padding={get('padding')}"


for _n in (1, 2):
    _layer(f"MaxPool{_n}d", "pooling", {"__init__": _maxpool_init,
                                        "forward": _maxpool_forward(_n),
                                        "extra_repr": _maxpool_extra})
    _layer(f"AvgPool{_n}d", "pooling", {"__init__": _avgpool_init(_n),
                                        "forward": _avgpool_forward(_n),
                                        "extra_repr": _avgpool_extra})

_layer("AdaptiveAvgPool2d", "pooling", {
    "__init__": lambda self, output_size: _set(self, output_size=output_size),
    "forward": lambda self, input: F["adaptive_avg_pool2d"](input, _get(self, "output_size")),
    "extra_repr": lambda self: f"output_size={_get(self, 'output_size')}"})
