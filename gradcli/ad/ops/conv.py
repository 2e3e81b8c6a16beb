"""torch.nn.functional's convolutions and pools (1-d and 2-d), written in our differentiable
ops: the input is padded (F.pad), its sliding windows gathered with integer index tensors
(x[:, :, rows, cols], IndexBackward0), and a convolution is one matmul of the weights with
the windows (per group); a pool reduces the windows. Every derivative order therefore works
as it does for those ops. Values agree with PyTorch's to rounding (its kernels sum in
another order); the result is recorded under PyTorch's node name (ConvolutionBackward0,
MaxPool2DWithIndicesBackward0, AvgPool2DBackward0) by a final gather of its rows.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.inplace import fails_in_backward
from gradcli.ad.kernels import nn as KN
from gradcli.ad.kernels import onednn_conv
from gradcli.ad.kernels.messages import c_type_name, scalar_name
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.elementwise import add, div
from gradcli.ad.ops.indexing import getitem, getitem_raw
from gradcli.ad.ops.linalg import matmul
from gradcli.ad.ops.nn import pad
from gradcli.ad.ops.reductions import max as _max
from gradcli.ad.ops.reductions import mean, sum
from gradcli.ad.ops.shape import reshape, squeeze, stack, unbind, unsqueeze
from gradcli.ad.ops.surface import SURFACE, expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES
from gradcli.errors import GdRuntimeError


def _tuple(v: Any, n: int, name: str) -> tuple[int, ...]:
    if isinstance(v, (tuple, list)):
        if len(v) == 1 and n > 1:
            return (int(v[0]),) * n
        if len(v) != n:
            raise GdRuntimeError(f"expected {name} to be a single integer value or a list of "
                                 f"{n} values to match the convolution dimensions, but got "
                                 f"{name}={list(v)}")
        return tuple(int(x) for x in v)
    return (int(v),) * n


def check_weight_dims(weight: Tensor, stride: tuple[int, ...], n: int,
                      groups: int = 1) -> None:
    """PyTorch expands stride to n values, then compares them with the weight's dims;
    a weight with fewer filters than groups (none at all) is refused before anything."""
    if weight.ndim != n + 2:
        raise GdRuntimeError(f"expected stride to be a single integer value or a list of "
                             f"{weight.ndim - 2} values to match the convolution dimensions, "
                             f"but got stride={list(stride)}")
    if weight.shape[0] < groups:
        raise GdRuntimeError(f"Given groups={groups}, expected weight to be at least {groups} "
                             f"at dimension 0, but got weight of size {list(weight.shape)} "
                             "instead")


def check_dtypes(x: Tensor, weight: Tensor, bias: Any) -> None:
    """ATen's convolution checks the bias's dtype against the input's (its message names
    the C types), then the computation the weight's (the input's named first)."""
    dt = x.array.dtype
    if bias is not None and _as_tensor(bias).array.dtype != dt:
        b = _as_tensor(bias).array.dtype
        raise GdRuntimeError(f"Input type ({c_type_name(dt)}) and bias type "
                             f"({c_type_name(b)}) should be the same")
    if weight.array.dtype != dt:
        raise GdRuntimeError(f"expected scalar type {scalar_name(dt)} but found "
                             f"{scalar_name(weight.array.dtype)}")


def _batched(input: Tensor, n: int, op: str) -> tuple[Tensor, bool]:
    if input.ndim == n + 2:
        return input, True
    if input.ndim == n + 1:
        return unsqueeze(input, 0), False
    want = {1: "2D (unbatched) or 3D (batched)", 2: "3D (unbatched) or 4D (batched)",
            3: "4D (unbatched) or 5D (batched)"}[n]
    raise GdRuntimeError(f"Expected {want} input to {op}, but got input of size: "
                         f"{list(input.shape)}")


def _empty_output(x: Tensor, weight: Tensor, shape: tuple[int, ...], batched: bool,
                  n: int) -> Tensor:
    """A convolution of no samples: ATen's empty backend views x·w₀ (no elements) as
    the output's size (a negative size is that view's error), recorded as its node."""
    from gradcli.ad.ops.elementwise import mul

    w = reshape(weight, (-1,))
    y = reshape(mul(reshape(x, (-1,)), getitem(w, 0) if w.numel() else w), shape)
    if n == 1:
        y = squeeze(y, 2)
    y = recorded_as(y, "ConvolutionBackward0")
    return y if batched else squeeze(y, 0)


def _windows(x: Tensor, kernel: tuple[int, ...], stride: tuple[int, ...],
             dilation: tuple[int, ...], out: tuple[int, ...], cells_last: bool = False
             ) -> Tensor:
    """(N, C, *kernel, *out): x's sliding windows over its last len(kernel) dims; with
    cells_last (N, C, *out, *kernel), whose gradient adds into each input cell in the
    order of the outputs, as PyTorch's pooling backward kernels do."""
    n = len(kernel)
    index: list[Any] = [slice(None), slice(None)]
    for i in range(n):
        rows = (np.arange(kernel[i])[:, None] * dilation[i]
                + np.arange(out[i])[None, :] * stride[i]).astype(np.int64)
        shape = [1] * (2 * n)
        if cells_last:
            shape[i], shape[n + i] = out[i], kernel[i]
            rows = rows.T
        else:
            shape[i], shape[n + i] = kernel[i], out[i]
        index.append(tensor_from_array(rows.reshape(shape)))
    return getitem(x, tuple(index))


def recorded_as(y: Tensor, name: str) -> Tensor:
    """y, recorded as PyTorch's fused op of that name (a gather of every row: a copy, whose
    VJP places the gradient back)."""
    return getitem_raw(y, (np.arange(y.shape[0]),), name)


_named = recorded_as


def _out_size(size: int, k: int, s: int, p: int, d: int, ceil: bool = False) -> int:
    span = size + 2 * p - d * (k - 1) - 1
    out = (-(-span // s) if ceil else span // s) + 1
    if ceil and (out - 1) * s >= size + p:
        out -= 1
    return out


def _conv(input: Tensor, weight: Tensor, bias: Any, stride: Any, padding: Any,
          dilation: Any, groups: int, n: int) -> Tensor:
    op = f"conv{n}d"
    x, batched = _batched(_as_tensor(input), n, op)
    weight = _as_tensor(weight)
    input_sizes = tuple(x.shape[2:])
    k = tuple(weight.shape[2:])
    s, d = _tuple(stride, n, "stride"), _tuple(dilation, n, "dilation")
    channels = x.shape[1]
    check_weight_dims(weight, s, n, groups)
    if channels != weight.shape[1] * groups:
        raise GdRuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, "
                             f"expected input{list(x.shape)} to have "
                             f"{weight.shape[1] * groups} channels, but got {channels} "
                             "channels instead")
    if isinstance(padding, str):
        if padding not in ("same", "valid"):
            raise GdRuntimeError(f"Invalid padding string '{padding}'")
        if padding == "same" and any(v != 1 for v in s):
            raise GdRuntimeError("padding='same' is not supported for strided convolutions")
        totals = [d[i] * (k[i] - 1) if padding == "same" else 0 for i in range(n)]
        pads = [(t // 2, t - t // 2) for t in totals]
    else:
        pads = [(p, p) for p in _tuple(padding, n, "padding")]
    flat = [v for pair in reversed(pads) for v in pair]
    # oneDNN's gradients (kernels/onednn_conv.py) where it runs the backward: a slot the
    # output's node fills with the output gradient, read by the inputs' nodes
    slot: dict[str, Any] | None = None
    if (onednn_conv.AVX512 and groups == 1 and x.array.dtype == np.float32
            and weight.array.dtype == np.float32
            and (bias is None or bias.array.dtype == np.float32)
            and onednn_conv.measured(k, groups, pads, d, s)
            and onednn_conv.uses_onednn((x.shape[0], channels, *input_sizes), k, s, d,
                                        groups)):
        slot = {"kernel": k, "stride": s, "dilation": d, "pads": pads, "w": weight.array}
        x = apply(RULES["conv_exact_input"], (x,), {"slot": slot, "role": "input"})
        weight = apply(RULES["conv_exact_input"], (weight,), {"slot": slot, "role": "weight"})
        if bias is not None:
            bias = apply(RULES["conv_exact_input"], (bias,), {"slot": slot, "role": "bias"})
    if any(flat):
        x = pad(x, flat)
    if slot is not None:
        slot["x"] = x.array
    sizes = tuple(x.shape[2 + i] for i in range(n))
    if any(sizes[i] < d[i] * (k[i] - 1) + 1 for i in range(n)):
        raise GdRuntimeError(f"Calculated padded input size per channel: "
                             f"({' x '.join(map(str, sizes))}). Kernel size: "
                             f"({' x '.join(map(str, k))}). Kernel size can't be greater "
                             "than actual input size")
    check_dtypes(x, weight, bias)
    out = tuple(_out_size(sizes[i], k[i], s[i], 0, d[i]) for i in range(n))
    if x.shape[0] == 0 or channels == 0:  # ATen's empty backend: no kernel runs, and
        # with no input channels its output has none either (PyTorch's (N, 0, *out))
        return _empty_output(x, weight, (x.shape[0], weight.shape[0] if channels else 0,
                                         *out), batched, 0)
    cols = reshape(_windows(x, k, s, d, out), (x.shape[0], groups, -1, math.prod(out)))
    w = reshape(weight, (groups, weight.shape[0] // groups, -1))
    y = reshape(matmul(w, cols), (x.shape[0], weight.shape[0], *out))
    if bias is not None:
        y = add(y, reshape(bias, (weight.shape[0],) + (1,) * n))
    if slot is not None:
        y = apply(RULES["conv_exact_output"], (y,), {"slot": slot})
    else:
        y = _named(y, "ConvolutionBackward0")
    # PyTorch's bits where it runs oneDNN (the graph above is the derivative's)
    values = onednn_conv.exact(x.array, weight.array, None if bias is None else bias.array,
                               s, d, groups, out, (x.shape[0], channels, *input_sizes),
                               pads)
    if values is not None:
        y.array[...] = values
    return y if batched else squeeze(y, 0)


def conv1d(input: Tensor, weight: Tensor, bias: Any = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """1-d convolution (cross-correlation) over (N, C, L)."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 1)


def conv2d(input: Tensor, weight: Tensor, bias: Any = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """2-d convolution (cross-correlation) over (N, C, H, W)."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2)


def nonempty_pool_input(x: Tensor, n: int, op: str) -> None:
    """PyTorch's pool shape check: only a batch dim may be 0 (an unbatched input's dims,
    channels included, may not)."""
    if x.ndim not in (n + 1, n + 2):
        return
    rest = x.shape[1:] if x.ndim == n + 2 else x.shape
    if all(rest):
        return
    shape = list(x.shape)
    if n == 3:  # (the message names the dim's size, 0, where it means its index)
        where = ("max_pool3d_with_indices_out_cpu_template" if op.startswith("max")
                 else "avg_pool3d")
        raise GdRuntimeError(f"{where}(): Expected input's non-batch dimensions to have "
                             f"positive length, but input has a shape of {shape} and "
                             "non-batch dimension 0 has length zero!")
    head = "max_pool1d: " if op == "max_pool1d" else ""
    raise GdRuntimeError(f"{head}Expected {n + 1}D or {n + 2}D (batch mode) tensor with "
                         f"optional 0 dim batch size for input, but got:{shape}")


def nonempty_adaptive_input(x: Tensor, n: int, op: str) -> None:
    """PyTorch's adaptive pools' check: no dim past the first is 0 (adaptive_avg_pool
    checks the spatial dims only; 1-d pools are 2-d ones of (N, C, 1, L))."""
    avg = op.startswith("adaptive_avg")
    shape = list(x.shape)
    if n == 1 and avg:
        shape.insert(-1, 1)
        op = "adaptive_avg_pool2d"
    first = len(shape) - n if avg else 1  # (dim 0 is free, batched or not)
    for i in range(first, len(shape)):
        if shape[i] == 0:
            raise GdRuntimeError(f"{op}(): Expected input to have non-zero size for "
                                 f"non-batch dimensions, but input has sizes {shape} with "
                                 f"dimension {i} being empty")

def _pool_setup(input: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any,
                ceil_mode: bool, n: int, op: str) -> tuple[Any, ...]:
    """(input batched, was it, kernel, stride, dilation, output size, (before, after) pads)."""
    x, batched = _batched(_as_tensor(input), n, op)
    k = _tuple(kernel_size, n, "kernel_size")
    s = k if stride is None or stride == [] or stride == () else _tuple(stride, n, "stride")
    p, d = _tuple(padding, n, "padding"), _tuple(dilation, n, "dilation")
    nonempty_pool_input(_as_tensor(input), n, op)
    for i in range(n):
        if p[i] > (d[i] * (k[i] - 1) + 1) // 2:
            raise GdRuntimeError(f"pad should be at most half of effective kernel size, but "
                                 f"got pad={p[i]}, kernel_size={k[i]} and dilation={d[i]}")
    sizes = tuple(x.shape[2 + i] for i in range(n))
    out = tuple(_out_size(sizes[i], k[i], s[i], p[i], d[i], ceil_mode) for i in range(n))
    if any(o <= 0 for o in out):
        raise GdRuntimeError(f"Given input size: ({'x'.join(map(str, x.shape[1:]))}). "
                             f"Calculated output size: ({x.shape[1]}x"
                             f"{'x'.join(map(str, out))}). Output size is too small")
    # the right padding also covers the windows ceil_mode lets run past the end
    pads = [(p[i], p[i] + max(0, (out[i] - 1) * s[i] + d[i] * (k[i] - 1) + 1 - sizes[i]
                              - 2 * p[i])) for i in range(n)]
    return x, batched, k, s, d, out, pads


def _pool_windows(x: Tensor, k: tuple[int, ...], s: tuple[int, ...], d: tuple[int, ...],
                  out: tuple[int, ...], pads: list[tuple[int, int]], fill: float) -> Tensor:
    """(N, C, *out, window cells): the windows of x padded with fill, each window's cells
    in row-major order."""
    flat = [v for pair in reversed(pads) for v in pair]
    if any(flat):
        x = pad(x, flat, value=fill)
    w = _windows(x, k, s, d, out, cells_last=True)
    return reshape(w, (w.shape[0], w.shape[1], *out, math.prod(k)))  # n may be 0


def _max_pool(input: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any,
              ceil_mode: bool, return_indices: bool, n: int) -> Tensor:
    x, batched, k, s, d, out, pads = _pool_setup(input, kernel_size, stride, padding,
                                                 dilation, ceil_mode, n, f"max_pool{n}d")
    y = _max(_pool_windows(x, k, s, d, out, pads, -math.inf), -1)[0]
    return _named(y if batched else squeeze(y, 0), "MaxPool2DWithIndicesBackward0")


def max_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Tensor:
    """The maximum of each window over (N, C, L) (max_pool2d over (N, C, 1, L))."""
    if return_indices:  # the pair: pool.py
        return SURFACE["torch.nn.functional.max_pool1d_with_indices"](
            input, kernel_size, stride, padding, dilation, ceil_mode)
    one = _tuple(kernel_size, 1, "kernel_size")
    nonempty_pool_input(_as_tensor(input), 1, "max_pool1d")
    y = _max_pool(unsqueeze(_as_tensor(input), -2), (1, *one),
                  None if stride is None else (1, *_tuple(stride, 1, "stride")),
                  (0, *_tuple(padding, 1, "padding")), (1, *_tuple(dilation, 1, "dilation")),
                  ceil_mode, return_indices, 2)
    return squeeze(y, -2)


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Tensor:
    """The maximum of each window over (N, C, H, W)."""
    if return_indices:  # the pair: pool.py
        return SURFACE["torch.nn.functional.max_pool2d_with_indices"](
            input, kernel_size, stride, padding, dilation, ceil_mode)
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode,
                     return_indices, 2)


def _sum_cells(windows: Tensor) -> Tensor:
    """Σ over the window cells (the last dim) one after another from +0, in the window's
    row-major order, as PyTorch's avg_pool kernels add them (a sum reduces pairwise: 3×3
    windows differed in the last bit; padding's zero cells change no sum from +0)."""
    cells = unbind(windows, -1)
    total = add(cells[0], 0.0)
    for cell in cells[1:]:
        total = add(total, cell)
    return total


def _avg_pool(input: Tensor, kernel_size: Any, stride: Any, padding: Any, ceil_mode: bool,
              count_include_pad: bool, divisor_override: Any, n: int) -> Tensor:
    x, batched, k, s, d, out, pads = _pool_setup(input, kernel_size, stride, padding, 1,
                                                 ceil_mode, n, f"avg_pool{n}d")
    total = _sum_cells(_pool_windows(x, k, s, d, out, pads, 0.0))
    if divisor_override is not None:
        y = div(total, float(divisor_override))
    else:
        # PyTorch's divisor: the cells of each window inside the padded input (or, without
        # count_include_pad, inside the input itself)
        sizes = [x.shape[2 + i] + (2 * pads[i][0] if count_include_pad else 0)
                 for i in range(n)]
        mask_pads = [(0, b - a) for a, b in pads] if count_include_pad else pads
        ones = tensor_from_array(np.ones((1, 1, *sizes), x.array.dtype))
        y = div(total, sum(_pool_windows(ones, k, s, d, out, mask_pads, 0.0), -1))
    return _named(y if batched else squeeze(y, 0), "AvgPool2DBackward0")


def avg_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True) -> Tensor:
    """The mean of each window over (N, C, L) (avg_pool2d over (N, C, 1, L))."""
    one = _tuple(kernel_size, 1, "kernel_size")
    y = _avg_pool(unsqueeze(_as_tensor(input), -2), (1, *one),
                  None if stride is None else (1, *_tuple(stride, 1, "stride")),
                  (0, *_tuple(padding, 1, "padding")), ceil_mode, count_include_pad, None, 2)
    return squeeze(y, -2)


def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: Any = None) -> Tensor:
    """The mean of each window over (N, C, H, W)."""
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override, 2)


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """Means over PyTorch's adaptive windows: row i spans [⌊i·H/oh⌋, ⌈(i+1)·H/oh⌉)."""
    x = _as_tensor(input)
    sizes = output_size if isinstance(output_size, (tuple, list)) else (output_size,) * 2
    if isinstance(output_size, (tuple, list)) and x.ndim <= len(sizes):
        # F.adaptive_avg_pool2d's _list_with_default, before ATen sees the input
        raise GdRuntimeError(f"Input dimension should be at least {len(sizes) + 1}",
                             py_type="ValueError")
    if len(sizes) != 2:  # ATen's first check, before the (1, 1) mean
        raise GdRuntimeError("adaptive_avg_pool2d: output_size must be 2")
    if tuple(sizes) == (1, 1):  # PyTorch's global average: a mean, before its dim check
        return mean(x, (-2, -1), True)
    if x.ndim not in (3, 4):
        raise GdRuntimeError("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got "
                             f"{list(x.shape)}")
    nonempty_adaptive_input(x, 2, "adaptive_avg_pool2d")
    h, w = x.shape[-2], x.shape[-1]
    oh = h if sizes[0] is None else int(sizes[0])
    ow = w if sizes[1] is None else int(sizes[1])
    if (oh, ow) == (1, 1):
        return mean(x, (-2, -1), True)
    rows = []
    for i in range(oh):
        r0, r1 = (i * h) // oh, -(-((i + 1) * h) // oh)
        cells = []
        for j in range(ow):
            c0, c1 = (j * w) // ow, -(-((j + 1) * w) // ow)
            window = getitem(x, (Ellipsis, slice(r0, r1), slice(c0, c1)))
            cells.append(mean(window, (-2, -1)))
        rows.append(stack(cells, -1))
    out = _named(exact_pool(stack(rows, -2), x, (oh, ow)), "AdaptiveAvgPool2DBackward0")
    empty = next((i for i in range(1, out.ndim) if out.shape[i] == 0), None)
    if empty is not None:  # (an empty channel dim: its backward kernel's check)
        fails_in_backward(out, "adaptive_avg_pool2d_backward(): Expected grad_output to have "
                          "non-zero size for non-batch dimensions, but grad_output has sizes "
                          f"{list(out.shape)} with dimension {empty} being empty")
    return out


def exact_pool(y: Tensor, x: Tensor, out: tuple[int, ...]) -> Tensor:
    """The windows' means y (recorded for their gradient) with the values PyTorch's
    adaptive average pooling kernel computes (float32/float64)."""
    if x.array.dtype not in (np.float32, np.float64):
        return y
    value = KN.adaptive_avg_pool(x.array, out)
    return apply(RULES["exact_value"], (y,), {"value": value, "base": y.array,
                                               "name": "AdaptiveAvgPoolBackward0"})


_NO_KERNEL: Any = object()


def _python_max_pool(n: int) -> Any:
    """F.max_pool1d/2d: PyTorch's Python functions (boolean_dispatch of _max_poolNd): a
    missing kernel_size names _max_poolNd, a non-tensor input fails in max_poolNd."""
    fn = max_pool1d if n == 1 else max_pool2d

    def pool(input: Any = _NO_KERNEL, kernel_size: Any = _NO_KERNEL, stride: Any = None,
             padding: Any = 0, dilation: Any = 1, ceil_mode: bool = False,
             return_indices: bool = False) -> Tensor:
        missing = [name for name, v in (("input", input), ("kernel_size", kernel_size))
                   if v is _NO_KERNEL]
        if missing:
            raise GdRuntimeError(
                f"_max_pool{n}d() missing {len(missing)} required positional argument"
                + ("s: 'input' and 'kernel_size'" if len(missing) == 2
                   else f": '{missing[0]}'"), py_type="TypeError")
        if type(input) is not Tensor:
            raise GdRuntimeError(f"max_pool{n}d(): argument 'input' (position 1) must be "
                                 f"Tensor, not {type(input).__name__}", py_type="TypeError")
        return fn(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)

    pool.__doc__ = fn.__doc__
    return pool


_max_pool1d = _python_max_pool(1)
_max_pool2d = _python_max_pool(2)
expose(_max_pool1d, "torch.nn.functional.max_pool1d", family="nn")
expose(_max_pool2d, "torch.nn.functional.max_pool2d", family="nn")
for _name in ("conv1d", "conv2d", "avg_pool1d", "avg_pool2d", "adaptive_avg_pool2d"):
    expose(globals()[_name], f"torch.nn.functional.{_name}", family="nn")
for _name in ("conv1d", "conv2d", "max_pool1d", "max_pool2d", "avg_pool1d"):
    expose(globals()[_name], f"torch.{_name}", family="nn")
