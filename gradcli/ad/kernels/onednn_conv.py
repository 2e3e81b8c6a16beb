"""The values of PyTorch's CPU float32 convolution where it runs oneDNN (MKL-DNN), bit for
bit: each output starts from its bias (or +0) and adds its products one fused
multiply-add at a time, input channels in blocks of 8, within a block the kernel rows,
then columns, then the block's channels (measured against torch 2.13's oneDNN 3.12 on
AVX2: 1-d and 2-d, strides, dilations, padding, groups, 1..64 channels). On an AVX-512
CPU (oneDNN's avx512 kernels; vecmath.lanes says which) the blocks are of 16 channels,
each block's products summed the same way but from +0 into a sum of its own, the bias
added to the first block's sum and the other blocks' sums added after it, one by one
(measured on 1..48 channels: /tmp/probes-a/conv_fit*.py, tests/test_r18_tutorials.py).

Which convolutions PyTorch gives oneDNN is ATen's ConvParams::use_mkldnn, as this
machine's build runs it (more than one thread). Summing one product at a time costs
several array passes a product, so only up to MAX_PRODUCTS products: past that the
convolution keeps its one matrix product (the same values to rounding).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.kernels import vecmath
from gradcli.ad.kernels.fused import fma

MAX_PRODUCTS = 1 << 18
_BLOCK = 8  # input channels a block


def uses_onednn(shape: tuple[int, ...], kernel: tuple[int, ...], stride: tuple[int, ...],
                dilation: tuple[int, ...], groups: int) -> bool:
    """ConvParams::use_mkldnn for a float32 (N, C, *spatial) input (a 1-d convolution is
    a 2-d one of height 1), with more than one thread."""
    kh, kw = (1, kernel[0]) if len(kernel) == 1 else kernel[-2:]
    return groups > 1 or (kh > 3 and kw > 3) or shape[0] > 1 or int(np.prod(shape)) > 20480


def conv_values(x: np.ndarray, w: np.ndarray, bias: np.ndarray | None,
                stride: tuple[int, ...], dilation: tuple[int, ...], groups: int,
                out: tuple[int, ...]) -> np.ndarray | None:
    """oneDNN's (N, CO, *out) for the padded float32 input x (N, C, *spatial) and weight
    w (CO, C/groups, *kernel); None past MAX_PRODUCTS."""
    n, co = x.shape[0], w.shape[0]
    kernel = w.shape[2:]
    cg, og = w.shape[1], co // groups
    if n * co * int(np.prod(out)) * cg * int(np.prod(kernel)) > MAX_PRODUCTS:
        return None
    result = np.empty((n, co, *out), np.float32)
    cells = list(np.ndindex(*kernel))
    # (1×1 kernels sum as on AVX2 for stride 1; strided 1×1 ones with a bias are not
    # modelled on AVX-512: half of them take either order)
    avx512 = vecmath.lanes(np.dtype(np.float32)) == 16 and any(k > 1 for k in kernel)
    block = 16 if avx512 else _BLOCK
    for g in range(groups):
        b = None if bias is None else bias[g * og:(g + 1) * og].reshape(
            (1, og) + (1,) * len(out))
        acc = np.zeros((n, og, *out), np.float32)
        if b is not None and not avx512:
            acc += b
        for start in range(0, cg, block):
            part = np.zeros_like(acc) if avx512 else acc
            for cell in cells:
                for c in range(start, min(start + block, cg)):
                    xs = x[(slice(None), g * cg + c, *_window(cell, stride, dilation, out))]
                    ws = w[(slice(g * og, (g + 1) * og), c, *cell)]
                    part = fma(xs[:, None], ws.reshape((1, og) + (1,) * len(out)), part)
            if not avx512:
                acc = part
            elif start == 0:
                acc = part if b is None else part + b
            else:
                acc = acc + part
        result[:, g * og:(g + 1) * og] = acc
    return result


def _window(cell: tuple[int, ...], stride: tuple[int, ...], dilation: tuple[int, ...],
            out: tuple[int, ...]) -> tuple[slice, ...]:
    return tuple(slice(c * d, c * d + s * (o - 1) + 1, s)
                 for c, s, d, o in zip(cell, stride, dilation, out, strict=True))


def measured(kernel: tuple[int, ...], groups: int, padded: bool) -> bool:
    """The convolutions whose order is the one above (a random sweep against torch):
    one group, and a kernel of at least 2 along every dim, or 1×1 without padding (grouped
    ones and kernels of one row or column with padding sum in other orders)."""
    if groups != 1:
        return False
    return all(k >= 2 for k in kernel) or (all(k == 1 for k in kernel) and not padded)


def exact(x: np.ndarray, w: np.ndarray, bias: Any, stride: tuple[int, ...],
          dilation: tuple[int, ...], groups: int, out: tuple[int, ...],
          input_shape: tuple[int, ...], padded: bool) -> np.ndarray | None:
    """PyTorch's values where it runs oneDNN on float32, in the measured cases, and the
    size allows; else None."""
    if x.dtype != np.float32 or w.dtype != np.float32 or (
            bias is not None and bias.dtype != np.float32):
        return None
    if not measured(tuple(w.shape[2:]), groups, padded):
        return None
    if not uses_onednn(input_shape, tuple(w.shape[2:]), stride, dilation, groups):
        return None
    return conv_values(x, w, bias, stride, dilation, groups, out)
