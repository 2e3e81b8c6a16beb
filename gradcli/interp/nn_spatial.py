"""nn.ConvTranspose1d/2d/3d, nn.Fold / nn.Unfold, as PyTorch's conv.py and fold.py build
them.

A transposed convolution is a _ConvNd with transposed=True (nn_conv.build_conv): its weight
is (in, out / groups, *kernel), drawn as Conv's is (kaiming_uniform_(a=sqrt(5)), then the
bias), so seeded weights are PyTorch's; forward(input, output_size=None) picks the
output_padding that reaches output_size as PyTorch's _output_padding does.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.nn_conv import _ntuple, build_conv, conv_extra, conv_reset
from gradcli.interp.nn_layers import _check_device, _get, _layer, _set
from gradcli.interp.nn_module import ModuleInstance
from gradcli.interp.values import to_repr, type_name

F = ops.members("torch.nn.functional")


def _convt_init(n: int) -> Any:
    def init(self: ModuleInstance, in_channels: int, out_channels: int, kernel_size: Any,
             stride: Any = 1, padding: Any = 0, output_padding: Any = 0, groups: int = 1,
             bias: bool = True, dilation: Any = 1, padding_mode: str = "zeros",
             device: Any = None, dtype: Any = None) -> None:
        if padding_mode != "zeros":
            raise GdRuntimeError(f'Only "zeros" padding mode is supported for '
                                 f"ConvTranspose{n}d", py_type="ValueError")
        _check_device(device)
        build_conv(self, in_channels, out_channels, _ntuple(kernel_size, n),
                   _ntuple(stride, n), _ntuple(padding, n), _ntuple(dilation, n), True,
                   _ntuple(output_padding, n), groups, bias, padding_mode, dtype)

    return init


def _output_padding(self: ModuleInstance, input: Tensor, output_size: Any,
                    n: int) -> tuple[int, ...]:
    """PyTorch's _ConvTransposeNd._output_padding."""
    if output_size is None:
        return tuple(_get(self, "output_padding"))
    stride, padding = _get(self, "stride"), _get(self, "padding")
    kernel, dilation = _get(self, "kernel_size"), _get(self, "dilation")
    lead = 2 if input.ndim == n + 2 else 1
    if len(output_size) == lead + n:
        output_size = output_size[lead:]
    size = [int(v) for v in output_size]
    if len(size) != n:
        raise GdRuntimeError(f"ConvTranspose{n}D: for {input.ndim}D input, output_size must "
                             f"have {n} or {lead + n} elements (got {len(size)})",
                             py_type="ValueError")
    least = [(input.shape[lead + i] - 1) * stride[i] - 2 * padding[i]
             + dilation[i] * (kernel[i] - 1) + 1 for i in range(n)]
    most = [least[i] + stride[i] - 1 for i in range(n)]
    if any(not least[i] <= size[i] <= most[i] for i in range(n)):
        raise GdRuntimeError(f"requested an output size of {to_repr(output_size)}, but valid "
                             f"sizes range from {least} to {most} (for an input of "
                             f"torch.Size({list(input.shape[2:])}))", py_type="ValueError")
    return tuple(size[i] - least[i] for i in range(n))


def _convt_forward(n: int) -> Any:
    def forward(self: ModuleInstance, input: Tensor, output_size: Any = None) -> Tensor:
        if _get(self, "padding_mode") != "zeros":
            raise GdRuntimeError(f"Only `zeros` padding mode is supported for "
                                 f"ConvTranspose{n}d", py_type="ValueError")
        return F[f"conv_transpose{n}d"](
            input, _get(self, "weight"), _get(self, "bias"), _get(self, "stride"),
            _get(self, "padding"), _output_padding(self, input, output_size, n),
            _get(self, "groups"), _get(self, "dilation"))

    return forward


for _n in (1, 2, 3):
    _layer(f"ConvTranspose{_n}d", "conv", {
        "__init__": _convt_init(_n), "forward": _convt_forward(_n),
        "reset_parameters": conv_reset, "extra_repr": conv_extra})


# -- Fold / Unfold -----------------------------------------------------------------------------

def _fold_init(self: ModuleInstance, output_size: Any, kernel_size: Any, dilation: Any = 1,
               padding: Any = 0, stride: Any = 1) -> None:
    _set(self, output_size=output_size, kernel_size=kernel_size, dilation=dilation,
         padding=padding, stride=stride)


def _unfold_init(self: ModuleInstance, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
                 stride: Any = 1) -> None:
    _set(self, kernel_size=kernel_size, dilation=dilation, padding=padding, stride=stride)


def _fold_args(self: ModuleInstance) -> tuple[Any, ...]:
    return tuple(_get(self, k) for k in ("kernel_size", "dilation", "padding", "stride"))


def _fold_extra(self: ModuleInstance) -> str:
    return ", ".join(f"{k}={_get(self, k)}" for k in (
        "output_size", "kernel_size", "dilation", "padding", "stride")
        if k != "output_size" or self.attrs.get("output_size") is not None)


_layer("Fold", "fold", {
    "__init__": _fold_init,
    "forward": lambda self, input: F["fold"](input, _get(self, "output_size"),
                                             *_fold_args(self)),
    "extra_repr": _fold_extra})
_layer("Unfold", "fold", {
    "__init__": _unfold_init,
    "forward": lambda self, input: F["unfold"](input, *_fold_args(self)),
    "extra_repr": _fold_extra})


# -- Upsample, pixel and channel shuffles ------------------------------------------------------

def _float(v: Any) -> float:
    if isinstance(v, (bool, int, float)):
        return float(v)
    if type(v) is Tensor and v.numel() == 1:
        return float(v.item())
    raise GdRuntimeError(f"float() argument must be a string or a real number, not "
                         f"'{type_name(v)}'", py_type="TypeError")


def _upsample_init(self: ModuleInstance, size: Any = None, scale_factor: Any = None,
                   mode: str = "nearest", align_corners: Any = None,
                   recompute_scale_factor: Any = None) -> None:
    _set(self, name=self.cls.name, size=size)
    if isinstance(scale_factor, tuple):
        self.attrs["scale_factor"] = tuple(_float(v) for v in scale_factor)
    else:
        self.attrs["scale_factor"] = _float(scale_factor) if scale_factor else None
    self.attrs.update(mode=mode, align_corners=align_corners,
                      recompute_scale_factor=recompute_scale_factor)


def _upsample_forward(self: ModuleInstance, input: Tensor) -> Tensor:
    return F["interpolate"](input, _get(self, "size"), _get(self, "scale_factor"),
                            _get(self, "mode"), _get(self, "align_corners"),
                            recompute_scale_factor=_get(self, "recompute_scale_factor"))


def _upsample_extra(self: ModuleInstance) -> str:
    scale = _get(self, "scale_factor")
    info = (f"scale_factor={to_repr(scale)}" if scale is not None
            else f"size={to_repr(_get(self, 'size'))}")
    return f"{info}, mode={to_repr(_get(self, 'mode'))}"


UPSAMPLE = _layer("Upsample", "upsampling", {
    "__init__": _upsample_init, "forward": _upsample_forward, "extra_repr": _upsample_extra})


def _upsampling_init(mode: str, align_corners: Any) -> Any:
    def init(self: ModuleInstance, size: Any = None, scale_factor: Any = None) -> None:
        _upsample_init(self, size, scale_factor, mode, align_corners)

    return init


_layer("UpsamplingNearest2d", "upsampling", {"__init__": _upsampling_init("nearest", None)},
       base=UPSAMPLE)
_layer("UpsamplingBilinear2d", "upsampling", {"__init__": _upsampling_init("bilinear", True)},
       base=UPSAMPLE)


def _pixel_shuffle_init(self: ModuleInstance, upscale_factor: int) -> None:
    _set(self, upscale_factor=upscale_factor)


def _pixel_unshuffle_init(self: ModuleInstance, downscale_factor: int) -> None:
    _set(self, downscale_factor=downscale_factor)


def _shuffle_methods(fn: str, attr: str) -> dict[str, Any]:
    return {"forward": lambda self, input: F[fn](input, _get(self, attr)),
            "extra_repr": lambda self: f"{attr}={_get(self, attr)}"}


for _name, _init, _attr, _fn, _path in (
        ("PixelShuffle", _pixel_shuffle_init, "upscale_factor", "pixel_shuffle",
         "pixelshuffle"),
        ("PixelUnshuffle", _pixel_unshuffle_init, "downscale_factor", "pixel_unshuffle",
         "pixelshuffle")):  # (ChannelShuffle: nn_misc)
    _layer(_name, _path, {"__init__": _init, **_shuffle_methods(_fn, _attr)})
