"""F.interpolate (nearest, nearest-exact, linear, bilinear, bicubic, trilinear, area), the
deprecated F.upsample* spellings, pixel_shuffle / pixel_unshuffle.

Float32 and float64 input go through one rule each way (rules/upsample.py: torch's
kernels' rounding, forward and backward). Other dtypes resample as a composite,
separable: along each spatial dim (the last one first, as PyTorch's CPU kernel nests its
loops) the output gathers the input at integer source indices (x[..., i],
IndexBackward0) and sums them with per-position weights. Indices and weights are
computed as PyTorch's kernels compute them (nearest in float32; linear and cubic in the
input's float type, cubic with A=-0.75); the result is recorded under PyTorch's node name
(UpsampleBilinear2DBackward0, ...).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.kernels import upsample as KU
from gradcli.ad.ops.conv import recorded_as
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.elementwise import add, mul
from gradcli.ad.ops.indexing import getitem
from gradcli.ad.ops.shape import permute, reshape
from gradcli.ad.ops.surface import SURFACE, expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError

_MODES = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"
_NEEDS = {"linear": 3, "bilinear": 4, "trilinear": 5, "bicubic": 4}
_AXES = {1: ("W",), 2: ("H", "W"), 3: ("D", "H", "W")}


def _opmath(x: Tensor) -> Any:
    return np.float64 if x.array.dtype == np.float64 else np.float32


def _scale(in_size: int, out_size: int, scale: Any, align_corners: bool, t: Any) -> Any:
    """PyTorch's area_pixel_compute_scale in the float type t."""
    if align_corners:
        return t(in_size - 1) / t(out_size - 1) if out_size > 1 else t(0)
    if scale is not None and scale > 0:
        return t(1.0 / scale)
    return t(in_size) / t(out_size)


def _source(in_size: int, out_size: int, scale: Any, align_corners: bool, t: Any,
            cubic: bool) -> tuple[np.ndarray, np.ndarray]:
    """(floor index, fraction) of each output position's source coordinate."""
    s = _scale(in_size, out_size, scale, align_corners, t)
    dst = np.arange(out_size).astype(t)
    if align_corners:
        src = s * dst
    else:
        src = s * (dst + t(0.5)) - t(0.5)
        if not cubic:
            src = np.maximum(src, t(0))
    index = np.minimum(np.floor(src).astype(np.int64), in_size - 1)
    frac = np.clip(src - index.astype(t), t(0), t(1)).astype(t)
    return index, frac


def _linear_taps(in_size: int, out_size: int, scale: Any, align_corners: bool,
                 t: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    index, l1 = _source(in_size, out_size, scale, align_corners, t, False)
    upper = index + (index < in_size - 1)
    return [(index, (t(1) - l1).astype(t)), (upper, l1)]


def _cubic_taps(in_size: int, out_size: int, scale: Any, align_corners: bool,
                t: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    index, x = _source(in_size, out_size, scale, align_corners, t, True)
    a = t(-0.75)

    def near(v: np.ndarray) -> np.ndarray:  # |v| <= 1
        return (((a + t(2)) * v - (a + t(3))) * v * v + t(1)).astype(t)

    def far(v: np.ndarray) -> np.ndarray:  # 1 < |v| < 2
        return (((a * v - t(5) * a) * v + t(8) * a) * v - t(4) * a).astype(t)

    y = (t(1) - x).astype(t)
    weights = [far(x + t(1)), near(x), near(y), far(y + t(1))]
    return [(np.clip(index - 1 + j, 0, in_size - 1), weights[j]) for j in range(4)]


def _resample(x: Tensor, dim: int, taps: list[tuple[np.ndarray, np.ndarray]] | np.ndarray
              ) -> Tensor:
    """x along dim: gathered at an index (nearest) or a weighted sum of gathered taps."""
    lead: tuple[Any, ...] = (slice(None),) * dim
    if isinstance(taps, np.ndarray):
        return getitem(x, (*lead, tensor_from_array(taps)))
    shape = (-1,) + (1,) * (x.ndim - dim - 1)
    out: Tensor | None = None
    for index, weight in taps:
        w = tensor_from_array(weight.astype(x.array.dtype).reshape(shape))
        term = mul(getitem(x, (*lead, tensor_from_array(index))), w)
        out = term if out is None else add(out, term)
    assert out is not None
    return out


def _check_sizes(x: Tensor, out: list[int]) -> None:
    if any(v <= 0 for v in x.shape[2:]) or any(v <= 0 for v in out):
        axes = _AXES[len(out)]
        sizes = ", ".join(f"{a}: {v}" for a, v in zip(axes, x.shape[2:], strict=True))
        outs = ", ".join(f"{a}: {v}" for a, v in zip(axes, out, strict=True))
        raise GdRuntimeError(f"Input and output sizes should be greater than 0, but got "
                             f"input ({sizes}){' and' if len(out) == 1 else ''} "
                             f"output ({outs})")
    if not x.array.size and not math.prod(x.shape[1:]):  # ATen's upsample common check
        raise GdRuntimeError(f"Non-empty {x.ndim}D data tensor expected but got a tensor "
                             f"with sizes {list(x.shape)}")


def _is_int(v: Any) -> bool:
    if type(v) is Tensor:
        return v.ndim == 0 and v.array.dtype.kind in "iu"
    return (isinstance(v, int) and not isinstance(v, bool)) or isinstance(v, np.integer)


def _type_repr(v: Any) -> str:
    name = {bool: "bool", int: "int", float: "float", str: "str"}.get(type(v))
    if type(v) is Tensor:
        return "<class 'torch.Tensor'>"
    return f"<class '{name or type(v).__name__}'>"


def interpolate(input: Tensor, size: Any = None, scale_factor: Any = None,
                mode: str = "nearest", align_corners: Any = None,
                recompute_scale_factor: Any = None, antialias: bool = False) -> Tensor:
    """Resample (N, C, *spatial) to size, or to floor(spatial · scale_factor)."""
    x = _as_tensor(input)
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise GdRuntimeError("align_corners option can only be set with the interpolating "
                                 "modes: linear | bilinear | bicubic | trilinear",
                                 py_type="ValueError")
    elif align_corners is None:
        align_corners = False
    n = x.ndim - 2
    spatial = list(x.shape[2:])
    scales: list[Any] | None
    if size is not None and scale_factor is not None:
        raise GdRuntimeError("only one of size or scale_factor should be defined",
                             py_type="ValueError")
    if size is not None:
        scales = None
        if isinstance(size, (list, tuple)):
            if len(size) != n:
                raise GdRuntimeError(
                    "Input and output must have the same number of spatial dimensions, but "
                    f"got input with spatial dimensions of {spatial} and output size of "
                    f"{_repr(size)}. Please provide input tensor in (N, C, d1, d2, ...,dK) "
                    "format and output size in (o1, o2, ...,oK) format.", py_type="ValueError")
            if not all(_is_int(v) for v in size):
                raise GdRuntimeError(
                    "expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                    "Tuple[int, int, int], but got size with types "
                    f"[{', '.join(_type_repr(v) for v in size)}]", py_type="TypeError")
            out = [int(v) for v in size]
        else:
            out = [int(size)] * max(n, 0)
    elif scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != n:
                raise GdRuntimeError(
                    "Input and scale_factor must have the same number of spatial dimensions, "
                    f"but got input with spatial dimensions of {spatial} and scale_factor of "
                    f"shape {_repr(scale_factor)}. Please provide input tensor in (N, C, d1, "
                    "d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.",
                    py_type="ValueError")
            scales = [float(v) for v in scale_factor]
        else:
            scales = [float(scale_factor)] * max(n, 0)
        out = [int(spatial[i] * scales[i]) for i in range(len(scales))]
    else:
        raise GdRuntimeError("either size or scale_factor should be defined",
                             py_type="ValueError")
    if recompute_scale_factor and size is not None:
        raise GdRuntimeError("recompute_scale_factor is not meaningful with an explicit size.",
                             py_type="ValueError")
    if recompute_scale_factor or mode == "area":
        scales = None
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and x.ndim == 4):
        raise GdRuntimeError("Anti-alias option is restricted to bilinear, bicubic, and "
                             "lanczos modes and requires a 4-D tensor as input",
                             py_type="ValueError")
    if mode not in ("nearest", "nearest-exact", "area", "linear", "bilinear", "bicubic",
                    "trilinear") or not 3 <= x.ndim <= 5 or (
                        mode == "bicubic" and x.ndim != 4):
        if (mode == "lanczos" and x.ndim == 4) or antialias:
            raise GdRuntimeError(f"F.interpolate(mode={mode!r}, antialias={antialias}) is not "
                                 "supported by gradcli")
        raise GdRuntimeError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got "
                             f"{x.ndim}D) for the modes: {_MODES} (got {mode})",
                             py_type="NotImplementedError")
    if mode in _NEEDS and x.ndim != _NEEDS[mode]:
        raise GdRuntimeError(f"Got {x.ndim}D input, but {mode} mode needs {_NEEDS[mode]}D "
                             "input", py_type="NotImplementedError")
    if mode == "area":
        return SURFACE[f"torch.nn.functional.adaptive_avg_pool{n}d"](x, out)
    if antialias:
        raise GdRuntimeError(f"F.interpolate(mode={mode!r}, antialias=True) is not "
                             "supported by gradcli")
    _check_sizes(x, out)
    return _upsample(x, out, scales, mode, bool(align_corners))


def _upsample(x: Tensor, out: list[int], scales: list[Any] | None, mode: str,
              align_corners: bool) -> Tensor:
    n, t = len(out), _opmath(x)
    kind = {"nearest": "Nearest", "nearest-exact": "NearestExact", "linear": "Linear",
            "bilinear": "Bilinear", "bicubic": "Bicubic", "trilinear": "Trilinear"}[mode]
    if x.array.dtype in (np.float32, np.float64):
        # torch's kernels' rounding, forward and backward (rules/upsample.py)
        return apply(RULES["upsample_linear"], (x,), {
            "size": tuple(out), "in_shape": tuple(x.shape),
            "scales": tuple([None] * n if scales is None else scales),
            "align_corners": align_corners,
            "mode": {"bicubic": "cubic", "nearest": "nearest",
                     "nearest-exact": "nearest-exact"}.get(mode, "linear"),
            "name": f"Upsample{kind}{n}DBackward0"})
    y = x
    for i in reversed(range(n)):
        in_size, scale = x.shape[2 + i], None if scales is None else scales[i]
        taps: Any
        if mode in ("nearest", "nearest-exact"):
            taps = KU.nearest_index(in_size, out[i], scale, mode == "nearest-exact")
        elif mode == "bicubic":
            taps = _cubic_taps(in_size, out[i], scale, align_corners, t)
        else:
            taps = _linear_taps(in_size, out[i], scale, align_corners, t)
        y = _resample(y, 2 + i, taps)
    return recorded_as(y, f"Upsample{kind}{n}DBackward0")


def _repr(v: Any) -> str:
    return repr(tuple(v)) if isinstance(v, tuple) else repr(list(v))


def upsample(input: Tensor, size: Any = None, scale_factor: Any = None,
             mode: str = "nearest", align_corners: Any = None) -> Tensor:
    """F.upsample: deprecated, F.interpolate."""
    warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.",
         "UserWarning")
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size: Any = None, scale_factor: Any = None) -> Tensor:
    """F.upsample_nearest: deprecated, F.interpolate(mode='nearest')."""
    warn("`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` "
         "instead.")
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size: Any = None, scale_factor: Any = None) -> Tensor:
    """F.upsample_bilinear: deprecated, F.interpolate(mode='bilinear', align_corners=True)."""
    warn("`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` "
         "instead.")
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# -- pixel and channel shuffles ----------------------------------------------------------------

def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C·r², H, W) → (*, C, H·r, W·r)."""
    x, r = _as_tensor(input), int(upscale_factor)
    if x.ndim < 3:
        raise GdRuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but "
                             f"got input with {x.ndim} dimension(s)")
    if r <= 0:
        raise GdRuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    c, h, w = x.shape[-3:]
    if c % (r * r):
        raise GdRuntimeError("pixel_shuffle expects its input's 'channel' dimension to be "
                             f"divisible by the square of upscale_factor, but input.size(-3)="
                             f"{c} is not divisible by {r * r}")
    lead = tuple(x.shape[:-3])
    k = len(lead)
    y = reshape(x, (*lead, c // (r * r), r, r, h, w))
    y = permute(y, (*range(k), k, k + 3, k + 1, k + 4, k + 2))
    return recorded_as(reshape(y, (*lead, c // (r * r), h * r, w * r)),
                       "PixelShuffleBackward0")


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H·r, W·r) → (*, C·r², H, W)."""
    x, r = _as_tensor(input), int(downscale_factor)
    if x.ndim < 3:
        raise GdRuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, "
                             f"but got input with {x.ndim} dimension(s)")
    if r <= 0:
        raise GdRuntimeError("pixel_unshuffle expects a positive downscale_factor, but got "
                             f"{r}")
    c, h, w = x.shape[-3:]
    for name, size, dim in (("height", h, -2), ("width", w, -1)):
        if size % r:
            raise GdRuntimeError(f"pixel_unshuffle expects {name} to be divisible by "
                                 f"downscale_factor, but input.size({dim})={size} is not "
                                 f"divisible by {r}")
    lead = tuple(x.shape[:-3])
    k = len(lead)
    y = reshape(x, (*lead, c, h // r, r, w // r, r))
    y = permute(y, (*range(k), k, k + 2, k + 4, k + 1, k + 3))
    return recorded_as(reshape(y, (*lead, c * r * r, h // r, w // r)),
                       "PixelUnshuffleBackward0")


for _name in ("interpolate", "upsample", "upsample_nearest", "upsample_bilinear"):
    expose(globals()[_name], f"torch.nn.functional.{_name}", family="nn")
for _name in ("pixel_shuffle", "pixel_unshuffle"):  # (channel_shuffle: nn_extra)
    expose(globals()[_name], f"torch.nn.functional.{_name}", f"torch.{_name}", family="nn")
