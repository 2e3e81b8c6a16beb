"""Transposed convolutions, conv3d, torch.convolution and F.fold / F.unfold, written in our
differentiable ops like conv.py's convolutions.

A transposed convolution is one matmul of the transposed weights with the input (per group)
giving every kernel cell's contribution at every input position, summed into the output at
position i·stride + t·dilation (col2im: `index_add_into`, whose VJP is a gather), then
cropped by the padding. F.unfold is conv.py's window gather, F.fold its transpose (the
same col2im). Every derivative order works as it does for those ops; the result is recorded
under PyTorch's node name (ConvolutionBackward0, Im2ColBackward0, Col2ImBackward0).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor
from gradcli.ad.kernels.messages import scalar_name
from gradcli.ad.ops.conv import (
    _batched,
    _conv,
    _empty_output,
    _tuple,
    _windows,
    check_weight_dims,
    recorded_as,
)
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.elementwise import add
from gradcli.ad.ops.indexing import getitem, index_add_into
from gradcli.ad.ops.linalg import matmul
from gradcli.ad.ops.nn import pad
from gradcli.ad.ops.shape import reshape, squeeze, transpose, unsqueeze
from gradcli.ad.ops.surface import expose
from gradcli.errors import GdRuntimeError

_AXES = {1: ("height", "width"), 2: ("height", "width"), 3: ("depth", "height", "width")}


def window_index(kernel: tuple[int, ...], stride: tuple[int, ...],
                 dilation: tuple[int, ...], out: tuple[int, ...]) -> tuple[Any, ...]:
    """The numpy index of (N, C, *kernel, *out) windows over the last len(kernel) dims."""
    n = len(kernel)
    index: list[Any] = [slice(None), slice(None)]
    for i in range(n):
        rows = (np.arange(kernel[i])[:, None] * dilation[i]
                + np.arange(out[i])[None, :] * stride[i]).astype(np.int64)
        shape = [1] * (2 * n)
        shape[i], shape[n + i] = kernel[i], out[i]
        index.append(rows.reshape(shape))
    return tuple(index)


def col2im(cols: Tensor, sizes: tuple[int, ...], kernel: tuple[int, ...],
           stride: tuple[int, ...], dilation: tuple[int, ...], pads: tuple[int, ...],
           out: tuple[int, ...]) -> Tensor:
    """cols (N, C, *kernel, *blocks) summed into (N, C, *out): each block's cell t lands at
    block·stride + t·dilation - pad (cells outside the output are dropped)."""
    blocks = tuple(cols.shape[2 + len(kernel):])
    reach = tuple((blocks[i] - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + 1
                  for i in range(len(kernel)))
    buf = tuple(max(reach[i], pads[i] + out[i]) for i in range(len(kernel)))
    y = index_add_into(cols, (cols.shape[0], cols.shape[1], *buf),
                       window_index(kernel, stride, dilation, blocks))
    if buf != out:
        y = getitem(y, (slice(None), slice(None),
                        *(slice(pads[i], pads[i] + out[i]) for i in range(len(kernel)))))
    return y


def _pairs(prefix: str, names: tuple[str, ...], values: tuple[int, ...]) -> str:
    return " ".join(f"{prefix}_{a}: {v}" for a, v in zip(names, values, strict=True))


def _conv_transpose(input: Tensor, weight: Tensor, bias: Any, stride: Any, padding: Any,
                    output_padding: Any, groups: int, dilation: Any, n: int) -> Tensor:
    x, batched = _batched(_as_tensor(input), n, f"conv_transpose{n}d")
    weight = _as_tensor(weight)
    s, p = _tuple(stride, n, "stride"), _tuple(padding, n, "padding")
    op, d = _tuple(output_padding, n, "output_padding"), _tuple(dilation, n, "dilation")
    if any(v <= 0 for v in s):
        raise GdRuntimeError("non-positive stride is not supported")
    if any(v < 0 for v in p):
        raise GdRuntimeError("negative padding is not supported")
    # conv_transpose1d runs as a 2-d one over a single row: its messages say so
    lift = (lambda t, v: t) if n > 1 else (lambda t, v: (v, *t))
    if any(op[i] >= s[i] and op[i] >= d[i] for i in range(n)):
        axes = _AXES[n]
        raise GdRuntimeError(
            "output padding must be smaller than either stride or dilation, but got "
            f"{_pairs('output_padding', axes, lift(op, 0))} "
            f"{_pairs('stride', axes, lift(s, 1))} {_pairs('dilation', axes, lift(d, 1))}")
    check_weight_dims(weight, s, n, groups)
    cin = weight.shape[0]
    if cin % groups:
        raise GdRuntimeError(f"Given groups={groups}, expected weight to be divisible by "
                             f"{groups} at dimension 0, but got weight of size "
                             f"[{list(weight.shape)}] instead")
    cout = weight.shape[1] * groups
    if x.shape[1] != cin:
        raise GdRuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, "
                             f"expected input{list(x.shape)} to have {cin} channels, but got "
                             f"{x.shape[1]} channels instead")
    if bias is not None and (_as_tensor(bias).ndim != 1 or _as_tensor(bias).shape[0] != cout):
        raise GdRuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, "
                             f"expected bias to be 1-dimensional with {cout} elements, but "
                             f"got bias of size {list(_as_tensor(bias).shape)} instead")
    k, sizes = tuple(weight.shape[2:]), tuple(x.shape[2:])
    out = tuple((sizes[i] - 1) * s[i] - 2 * p[i] + d[i] * (k[i] - 1) + op[i] + 1
                for i in range(n))
    if x.shape[0] == 0:  # ATen's empty backend: no kernel, so no output size check
        return _empty_output(x, weight, (0, cout, *lift(out, 1)), batched, n)
    if x.numel() == 0:
        raise GdRuntimeError("Only zero batch or zero channel inputs are supported, but got "
                             f"input shape: {[*x.shape[:2], *lift(sizes, 1)]}")
    if any(o <= 0 for o in out):
        raise GdRuntimeError(f"Given input size per channel: "
                             f"({' x '.join(map(str, lift(sizes, 1)))}). Calculated output "
                             f"size per channel: ({' x '.join(map(str, lift(out, 1)))}). "
                             "Output size is too small")
    if weight.array.dtype != x.array.dtype:  # (the input's dtype named first)
        raise GdRuntimeError(f"expected scalar type {scalar_name(x.array.dtype)} but found "
                             f"{scalar_name(weight.array.dtype)}")
    batch = x.shape[0]
    w = transpose(reshape(weight, (groups, cin // groups, -1)), 1, 2)
    cols = matmul(w, reshape(x, (batch, groups, cin // groups, math.prod(sizes))))
    y = col2im(reshape(cols, (batch, cout, *k, *sizes)), out, k, s, d, p, out)
    if bias is not None:
        y = add(y, reshape(_as_tensor(bias), (cout,) + (1,) * n))
    y = recorded_as(y, "ConvolutionBackward0")
    return y if batched else squeeze(y, 0)


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Any = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Tensor:
    """1-d transposed convolution over (N, C, L); weight (C, out / groups, k)."""
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                           dilation, 1)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Any = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Tensor:
    """2-d transposed convolution over (N, C, H, W); weight (C, out / groups, kh, kw)."""
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                           dilation, 2)


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Any = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Tensor:
    """3-d transposed convolution over (N, C, D, H, W)."""
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                           dilation, 3)


def conv3d(input: Tensor, weight: Tensor, bias: Any = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """3-d convolution (cross-correlation) over (N, C, D, H, W)."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 3)


def convolution(input: Tensor, weight: Tensor, bias: Any, stride: Any, padding: Any,
                dilation: Any, transposed: bool, output_padding: Any,
                groups: int) -> Tensor:
    """torch.convolution: ATen's one entry for every convolution."""
    n = _as_tensor(weight).ndim - 2
    if n not in (1, 2, 3):
        raise GdRuntimeError(f"Expected 3D, 4D or 5D weight for convolution, but got weight "
                             f"of size: {list(_as_tensor(weight).shape)}")
    if transposed:
        return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                               dilation, n)
    return _conv(input, weight, bias, stride, padding, dilation, groups, n)


# -- fold / unfold ---------------------------------------------------------------------------

def _pair(v: Any, name: str) -> tuple[int, int]:
    if isinstance(v, (tuple, list)):
        if len(v) != 2:
            raise GdRuntimeError(f"It is expected {name} equals to 2, but got size {len(v)}")
        return int(v[0]), int(v[1])
    return int(v), int(v)


def _fold_args(kernel_size: Any, dilation: Any, padding: Any,
               stride: Any) -> tuple[tuple[int, int], ...]:
    k, d = _pair(kernel_size, "kernel_size"), _pair(dilation, "dilation")
    p, s = _pair(padding, "padding"), _pair(stride, "stride")
    for name, v, least in (("kernel", k, 1), ("stride", s, 1), ("dilation", d, 1),
                           ("pad", p, 0)):
        if v[0] < least or v[1] < least:
            what = "greater than zero" if least else "non-negative"
            raise GdRuntimeError(f"{name} should be {what}, but got {name}_height: {v[0]} "
                                 f"{name}_width: {v[1]}")
    return k, d, p, s


def _blocks(size: tuple[int, int], k: tuple[int, int], d: tuple[int, int],
            p: tuple[int, int], s: tuple[int, int]) -> tuple[int, int]:
    return tuple((size[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1  # type: ignore
                 for i in range(2))


def unfold(input: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
           stride: Any = 1) -> Tensor:
    """F.unfold (im2col): (N, C, H, W) → (N, C·kh·kw, blocks), each column one window."""
    x = _as_tensor(input)
    if x.ndim < 3:  # PyTorch reads a size past the last dim first
        top = max(x.ndim, 1)
        raise GdRuntimeError(f"Dimension out of range (expected to be in range of "
                             f"[{-top}, {top - 1}], but got {top})",
                             py_type="IndexError")
    if x.ndim > 4:
        raise GdRuntimeError("Expected 3D or 4D (batch mode) tensor with possibly 0 batch "
                             "size and other non-zero dimensions for input, but got: "
                             f"{list(x.shape)}")
    k, d, p, s = _fold_args(kernel_size, dilation, padding, stride)
    x, batched = (x, True) if x.ndim == 4 else (unsqueeze(x, 0), False)
    size = (x.shape[2], x.shape[3])
    out = _blocks(size, k, d, p, s)
    if out[0] < 1 or out[1] < 1:
        raise GdRuntimeError(f"Given input with spatial size {size}, kernel_size={k}, "
                             f"dilation={d}, padding={p}, calculated shape of the array of "
                             f"sliding blocks as {out}, but its components must be at least "
                             "one.")
    if any(p):
        x = pad(x, [p[1], p[1], p[0], p[0]])
    cols = reshape(_windows(x, k, s, d, out),
                   (x.shape[0], x.shape[1] * k[0] * k[1], out[0] * out[1]))  # n may be 0
    return recorded_as(cols if batched else squeeze(cols, 0), "Im2ColBackward0")


def fold(input: Tensor, output_size: Any, kernel_size: Any, dilation: Any = 1,
         padding: Any = 0, stride: Any = 1) -> Tensor:
    """F.fold (col2im): (N, C·kh·kw, blocks) summed into (N, C, *output_size)."""
    x = _as_tensor(input)
    if x.ndim not in (2, 3):
        raise GdRuntimeError("Expected 2D or 3D (batch mode) tensor for input with possibly "
                             "0 batch size and non-zero dimensions for input, but got: "
                             f"{list(x.shape)}")
    size = _pair(output_size, "output_size")
    k, d, p, s = _fold_args(kernel_size, dilation, padding, stride)
    x, batched = (x, True) if x.ndim == 3 else (unsqueeze(x, 0), False)
    if x.shape[1] % (k[0] * k[1]):
        raise GdRuntimeError("Expected size of input's dimension 1 to be divisible by the "
                             f"product of kernel_size, but got input.size(1)={x.shape[1]} "
                             f"and kernel_size={k}.")
    blocks = _blocks(size, k, d, p, s)
    if blocks[0] < 1 or blocks[1] < 1 or blocks[0] * blocks[1] != x.shape[2]:
        raise GdRuntimeError(f"Given output_size={size}, kernel_size={k}, dilation={d}, "
                             f"padding={p}, stride={s}, expected size of input's dimension 2 "
                             "to match the calculated number of sliding blocks "
                             f"{blocks[0]} * {blocks[1]} = {blocks[0] * blocks[1]}, but got "
                             f"input.size(2)={x.shape[2]}.")
    cols = reshape(x, (x.shape[0], x.shape[1] // math.prod(k), *k, *blocks))
    y = col2im(cols, size, k, s, d, p, size)
    return recorded_as(y if batched else squeeze(y, 0), "Col2ImBackward0")


for _name in ("conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "conv3d"):
    expose(globals()[_name], f"torch.nn.functional.{_name}", f"torch.{_name}", family="nn")
expose(fold, "torch.nn.functional.fold", family="nn")
expose(unfold, "torch.nn.functional.unfold", family="nn")
expose(convolution, "torch.convolution", family="nn")
