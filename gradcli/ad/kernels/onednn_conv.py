"""The values of PyTorch's CPU float32 convolution where it runs oneDNN (MKL-DNN), bit for
bit, for the two instruction sets oneDNN picks between on x86 (measured against torch
2.13's oneDNN 3.12; the sweep: /tmp/me/r18/conv_sweep.py and tests/test_r18_conv.py):

- AVX2: each output starts from its bias (or +0) and adds its products one fused
  multiply-add at a time, input channels in blocks of 8, within a block the kernel cells
  (rows, then columns), then the block's channels.
- AVX-512 (avx512_core: the CPU has AVX-512 F, BW, VL and DQ): the input channels in
  blocks of 16, each block's products chained in fused multiply-adds from +0 apart (the
  kernel cells, then the block's channels), the bias added to the first block's sum,
  then the other blocks' sums added one after another.

Which convolutions PyTorch gives oneDNN is ATen's ConvParams::use_mkldnn, as this
machine's build runs it (more than one thread). Summing one product at a time costs
several array passes a product, so only up to MAX_PRODUCTS products: past that the
convolution keeps its one matrix product (the same values to rounding).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from gradcli.ad.kernels import slow_conv
from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.vecmath import cpu_has

MAX_PRODUCTS = 1 << 21  # about 4-8 ms a kernel (thread_time): LeNet at batch 8 fits


def _isa_avx512() -> bool:
    """Whether oneDNN runs its avx512_core kernels here: the CPU has AVX-512 F, BW, VL and
    DQ, unless ONEDNN_MAX_CPU_ISA (or DNNL_MAX_CPU_ISA) caps it below."""
    cap = (os.environ.get("ONEDNN_MAX_CPU_ISA") or os.environ.get("DNNL_MAX_CPU_ISA")
           or "").lower()
    if cap and not cap.startswith(("avx512", "avx10", "all")):
        return False
    return cpu_has("avx512f", "avx512bw", "avx512vl", "avx512dq")


AVX512 = _isa_avx512()
_BLOCK = 16 if AVX512 else 8  # input channels a block


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
    if n * co * int(np.prod(out)) * w.shape[1] * int(np.prod(kernel)) > MAX_PRODUCTS:
        return None
    if AVX512:
        return _blocks_apart(x, w, bias, stride, dilation, groups, out)
    return _from_bias(x, w, bias, stride, dilation, groups, out)


def _from_bias(x: np.ndarray, w: np.ndarray, bias: np.ndarray | None,
               stride: tuple[int, ...], dilation: tuple[int, ...], groups: int,
               out: tuple[int, ...]) -> np.ndarray:
    """The AVX2 order of the module's note (and AVX-512's jit_1x1: one chain over the
    channels from the bias)."""
    n, co = x.shape[0], w.shape[0]
    kernel = w.shape[2:]
    cg, og = w.shape[1], co // groups
    result = np.empty((n, co, *out), np.float32)
    cells = list(np.ndindex(*kernel))
    for g in range(groups):
        acc = np.zeros((n, og, *out), np.float32)
        if bias is not None:
            acc += bias[g * og:(g + 1) * og].reshape((1, og) + (1,) * len(out))
        for start in range(0, cg, _BLOCK):
            for cell in cells:
                for c in range(start, min(start + _BLOCK, cg)):
                    xs = x[(slice(None), g * cg + c, *_window(cell, stride, dilation, out))]
                    ws = w[(slice(g * og, (g + 1) * og), c, *cell)]
                    acc = fma(xs[:, None], ws.reshape((1, og) + (1,) * len(out)), acc)
        result[:, g * og:(g + 1) * og] = acc
    return result


def _blocks_apart(x: np.ndarray, w: np.ndarray, bias: np.ndarray | None,
                  stride: tuple[int, ...], dilation: tuple[int, ...], groups: int,
                  out: tuple[int, ...]) -> np.ndarray:
    """The AVX-512 order of the module's note. The channels are padded with zeros to whole
    blocks (a +0 product leaves a chain's sum as it is: the chains start from +0 and an
    exact zero sum of fused multiply-adds is +0), so that one pass of each (cell, channel
    of a block) chains every block of every group at once."""
    n, co = x.shape[0], w.shape[0]
    cg, og = w.shape[1], co // groups
    nd = len(out)
    width = min(_BLOCK, cg)
    blocks = -(-cg // width)
    extra = blocks * width - cg
    xs = x.reshape(n, groups, cg, *x.shape[2:])
    ws = w.reshape(groups, og, cg, *w.shape[2:])
    if extra:
        xs = np.pad(xs, [(0, 0), (0, 0), (0, extra)] + [(0, 0)] * nd)
        ws = np.pad(ws, [(0, 0), (0, 0), (0, extra)] + [(0, 0)] * nd)
    xs = xs.reshape(n, groups, blocks, width, *x.shape[2:])
    # (groups, blocks, og, width, *kernel): a (cell, channel)'s weights broadcast over
    # (N, groups, blocks, og, *out)
    ws = ws.reshape(groups, og, blocks, width, *w.shape[2:]).transpose(
        0, 2, 1, 3, *range(4, 4 + nd))
    acc = np.zeros((n, groups, blocks, og, *out), np.float32)
    tail = (1,) * nd
    for cell in np.ndindex(*w.shape[2:]):
        window = _window(cell, stride, dilation, out)
        for c in range(width):
            acc = fma(xs[(slice(None), slice(None), slice(None), c, *window)][:, :, :, None],
                      ws[(slice(None), slice(None), slice(None), c, *cell)].reshape(
                          (1, groups, blocks, og, *tail)), acc)
    total = acc[:, :, 0]
    if bias is not None:
        total = total + bias.reshape((1, groups, og, *tail))
    for b in range(1, blocks):
        total = total + acc[:, :, b]
    return total.reshape(n, co, *out)


def _window(cell: tuple[int, ...], stride: tuple[int, ...], dilation: tuple[int, ...],
            out: tuple[int, ...]) -> tuple[slice, ...]:
    return tuple(slice(c * d, c * d + s * (o - 1) + 1, s)
                 for c, s, d, o in zip(cell, stride, dilation, out, strict=True))


def measured(kernel: tuple[int, ...], groups: int, padded: Any,
             dilation: tuple[int, ...] | None = None,
             stride: tuple[int, ...] | None = None) -> bool:
    """The convolutions whose order is the one above (a random sweep against torch, with
    ONEDNN_VERBOSE naming oneDNN's kernel): one group, and AVX2: a kernel of at least 2
    along every dim, or 1×1 without padding (grouped ones and kernels of one row or column
    with padding sum in other orders); AVX-512: oneDNN's direct kernel (`direct`).
    `padded`: whether there is padding, or the (before, after) pads of each dim."""
    if groups != 1:
        return False
    if AVX512:
        pads = padded if isinstance(padded, (list, tuple)) else (
            [(1, 1)] * len(kernel) if padded else [(0, 0)] * len(kernel))
        return direct(kernel, pads, dilation or (1,) * len(kernel), stride)
    if all(k >= 2 for k in kernel):
        return True
    return all(k == 1 for k in kernel) and not padded


def _pads_short(kernel: tuple[int, ...], pads: Any, dilation: tuple[int, ...]) -> bool:
    """No pad as wide as the kernel's extent along its dim (else oneDNN runs gemm)."""
    return all(max(a, b) < (k - 1) * d + 1
               for k, (a, b), d in zip(kernel, pads, dilation, strict=True))


def depthwise_values(x: np.ndarray, w: np.ndarray, bias: np.ndarray | None,
                     stride: tuple[int, ...], dilation: tuple[int, ...],
                     out: tuple[int, ...], bias_first: bool) -> np.ndarray | None:
    """A depthwise convolution (groups = channels, one output channel each) as oneDNN's
    AVX-512 kernels compute it: each output one fused multiply-add chain over the kernel
    cells, from its bias in jit_dw (1-2 d, no pad as wide as the kernel's extent), from
    +0 with the bias added after in brgemm_dw (3-d) and gemm; None past
    MAX_PRODUCTS."""
    n, c = x.shape[:2]
    if n * c * int(np.prod(out)) * int(np.prod(w.shape[2:])) > MAX_PRODUCTS:
        return None
    tail = (1,) * len(out)
    acc = np.zeros((n, c, *out), np.float32)
    if bias is not None and bias_first:
        acc = acc + bias.reshape((c, *tail))
    for cell in np.ndindex(*w.shape[2:]):
        acc = fma(x[(slice(None), slice(None), *_window(cell, stride, dilation, out))],
                  w[(slice(None), 0, *cell)].reshape((c, *tail)), acc)
    if bias is not None and not bias_first:
        acc = acc + bias.reshape((c, *tail))
    return acc


def direct(kernel: tuple[int, ...], pads: Any, dilation: tuple[int, ...],
           stride: tuple[int, ...] | None = None) -> bool:
    """Whether oneDNN (AVX-512) runs its direct jit kernel (jit:avx512_core): not a 1×1
    kernel without padding (jit_1x1; strided ones too, on most sizes), and no pad as
    wide as the kernel's extent along its dim (x64:gemm:jit: im2col and a matrix
    product)."""
    if all(k == 1 for k in kernel) and not any(a or b for a, b in pads):
        return False
    return all(max(a, b) < (k - 1) * d + 1
               for k, (a, b), d in zip(kernel, pads, dilation, strict=True))


def exact(x: np.ndarray, w: np.ndarray, bias: Any, stride: tuple[int, ...],
          dilation: tuple[int, ...], groups: int, out: tuple[int, ...],
          input_shape: tuple[int, ...], padded: bool) -> np.ndarray | None:
    """PyTorch's values where it runs oneDNN on float32, in the measured cases, and the
    size allows; else None. float64: ATen's slow_conv2d (kernels/slow_conv)."""
    if x.dtype == np.float64:
        return slow_conv.values(x, w, bias, stride, dilation, groups, out)
    if x.dtype != np.float32 or w.dtype != np.float32 or (
            bias is not None and bias.dtype != np.float32):
        return None
    kernel = tuple(w.shape[2:])
    if not uses_onednn(input_shape, kernel, stride, dilation, groups):
        return None
    if AVX512 and groups > 1 and w.shape[1] == 1 and w.shape[0] == groups:
        return depthwise_values(x, w, bias, stride, dilation, out, isinstance(
            padded, (list, tuple)) and len(kernel) < 3 and _pads_short(kernel, padded,
                                                                       dilation))
    if AVX512 and isinstance(padded, (list, tuple)) and int(np.prod(out)) >= 4 and gemm_forward(
            kernel, padded, dilation, groups, w.shape[1], w.shape[0] // groups):
        return gemm_values(x, w, bias, stride, dilation, groups, out)
    if (AVX512 and groups == 1 and all(k == 1 for k in kernel)
            and isinstance(padded, (list, tuple)) and not any(a or b for a, b in padded)):
        # jit_1x1: one chain over the channels from the bias (measured exact at stride
        # 1; strided ones take other kernels on most sizes, the chain is right on a
        # third of them, the matrix product on 5%)
        if n_products(x, w, out) > MAX_PRODUCTS:
            return None
        return _from_bias(x, w, bias, stride, dilation, groups, out)
    if not measured(kernel, groups, padded, dilation, stride):
        return None
    return conv_values(x, w, bias, stride, dilation, groups, out)


def n_products(x: np.ndarray, w: np.ndarray, out: tuple[int, ...]) -> int:
    """The products of a convolution (one group's channels each output)."""
    return x.shape[0] * w.shape[0] * int(np.prod(out)) * w.shape[1] * int(
        np.prod(w.shape[2:]))


MAX_GEMM_K = 288  # measured one chain up to 32 channels × 3×3 (576 products: two blocks)


def gemm_forward(kernel: tuple[int, ...], pads: Any, dilation: tuple[int, ...],
                 groups: int, cg: int, og: int) -> bool:
    """Whether oneDNN (AVX-512) runs the forward as im2col and its jit sgemm
    (x64:gemm:jit), in the cases measured: one group with a pad as wide as the kernel's
    extent (not 1×1 unpadded), or groups of at most 3 output channels (not depthwise with
    one output channel a group: jit_dw); at most MAX_GEMM_K products an output. (The
    caller asks for 4 or more output positions an image: fewer sum in other orders, and
    so do some products of 1-3 output channels.)"""
    if cg * int(np.prod(kernel)) > MAX_GEMM_K:
        return False
    if groups == 1:
        if all(k == 1 for k in kernel) and not any(a or b for a, b in pads):
            return False
        return not direct(kernel, pads, dilation)
    return og <= 3 and not (cg == 1 and og == 1)


def gemm_values(x: np.ndarray, w: np.ndarray, bias: np.ndarray | None,
                stride: tuple[int, ...], dilation: tuple[int, ...], groups: int,
                out: tuple[int, ...]) -> np.ndarray | None:
    """oneDNN's gemm convolution (padded x (N, C, *spatial), w (CO, C/groups, *kernel)):
    each output one chain of fused multiply-adds from +0 over its products in im2col's
    order (input channel, then kernel cell), then the bias added; None past
    MAX_PRODUCTS."""
    n, co = x.shape[0], w.shape[0]
    kernel = w.shape[2:]
    cg, og = w.shape[1], co // groups
    nd = len(out)
    if n * co * int(np.prod(out)) * cg * int(np.prod(kernel)) > MAX_PRODUCTS:
        return None
    xs = x.reshape(n, groups, cg, *x.shape[2:])
    ws = w.reshape(groups, og, cg, *kernel)
    acc = np.zeros((n, groups, og, *out), np.float32)
    tail = (1,) * nd
    for c in range(cg):
        for cell in np.ndindex(*kernel):
            acc = fma(xs[(slice(None), slice(None), c, *_window(cell, stride, dilation, out))]
                      [:, :, None], ws[(slice(None), slice(None), c, *cell)].reshape(
                          (1, groups, og, *tail)), acc)
    if bias is not None:
        acc = acc + bias.reshape((1, groups, og, *tail))
    return acc.reshape(n, co, *out)


# -- the backward (AVX-512; measured with PyTorch's two threads here) -------------------------
#
# oneDNN's backward-weights kernel is its avx512_core one for 1-3 and from 16 input
# channels (channel blocks of 16), else its avx2 one (blocks of 8; weights_block). Its two
# threads take the output channel blocks when there are two or more; with one, the input channel
# blocks when their count is even, else halves of the batch (the first ⌈N/2⌉ images to
# the first thread); the bias gradient is split between the batch halves whenever the
# output channels are one block. A thread chains each weight's products in fused
# multiply-adds from +0, image after image, output position after position (row-major),
# and sums the bias gradient the same way one term at a time; the threads' sums are then
# added. The data gradient (stride 1; strides run brgconv_strided or gemm) is the forward's
# order on the output gradient: output channels in blocks of 16 chained apart from +0, the
# kernel cells (in the weight's order) then the block's channels, the blocks' sums added.

MAX_STEPS = 4096  # the chained weight gradient: images × output positions, a thread


def weights_block(c: int, kernel: tuple[int, ...], pads: Any, stride: tuple[int, ...],
                  dilation: tuple[int, ...]) -> int | None:
    """The channel block of oneDNN's backward-weights kernel (as measured from
    ONEDNN_VERBOSE): 16 for its avx512_core one (1-3 or from 16 input channels, each pad
    0 or short of the kernel's extent less one), 8 for its avx2 one (1-2 d, the others);
    None where it runs gemm (3-d with the avx2 one) or where the choice is not modelled:
    dilated ones (gemm, or avx512_core from 16 input channels at stride 1 on inputs large
    enough)."""
    if any(d != 1 for d in dilation):
        return None
    fits = all(max(a, b) == 0 or max(a, b) < k - 1
               for k, (a, b) in zip(kernel, pads, strict=True))
    if (c <= 3 or c >= 16) and fits:
        return 16
    return 8 if len(kernel) < 3 else None


def _thread_cut(gy: np.ndarray, split: bool) -> int:
    """The steps (image, output position) of the first thread: when the batch is split,
    the first half (rounded up) of its units, an image (1-2 d) or an image's output depth
    slice (3-d); else all."""
    n, out = gy.shape[0], gy.shape[2:]
    steps = n * int(np.prod(out))
    if not split or steps == 0:
        return steps
    per_unit = int(np.prod(out[1:])) if len(out) == 3 else int(np.prod(out))
    units = steps // per_unit
    return -(-units // 2) * per_unit


def grad_bias(gy: np.ndarray, block: int | None) -> np.ndarray | None:
    """The bias gradient of oneDNN's backward (gy (N, CO, *out) float32; block: the
    kernel's, weights_block); None where it runs gemm."""
    if block is None:
        return None
    co = gy.shape[1]
    terms = np.moveaxis(gy, 1, 0).reshape(co, -1)
    cut = _thread_cut(gy, co <= block)
    total = np.zeros(co, np.float32)
    for part in (terms[:, :cut], terms[:, cut:]):
        if part.shape[1]:
            total = total + np.add.accumulate(part, axis=1)[:, -1]
    return total


def grad_weight(x: np.ndarray, gy: np.ndarray, kernel: tuple[int, ...],
                stride: tuple[int, ...], dilation: tuple[int, ...],
                block: int | None) -> np.ndarray | None:
    """The weight gradient of oneDNN's backward (one group; x the padded input (N, C,
    *spatial), gy (N, CO, *out); block: the kernel's, weights_block); None where it runs
    gemm, or past MAX_STEPS or MAX_PRODUCTS."""
    if block is None:
        return None
    n, co = gy.shape[:2]
    c, out = x.shape[1], gy.shape[2:]
    total_steps = n * int(np.prod(out))
    cut = _thread_cut(gy, co <= block and -(-c // block) % 2 == 1)
    steps = max(cut, total_steps - cut)
    if steps > MAX_STEPS or total_steps * co * c * int(np.prod(kernel)) > MAX_PRODUCTS:
        return None
    nd = len(kernel)
    # every window of x as a step's terms: (N·positions, C, *kernel)
    cols = np.empty((n, c, *kernel, *out), np.float32)
    for cell in np.ndindex(*kernel):
        cols[(slice(None), slice(None), *cell)] = x[(slice(None), slice(None),
                                                     *_window(cell, stride, dilation, out))]
    cols = np.moveaxis(cols.reshape(n, c, *kernel, -1), -1, 1).reshape(-1, c, *kernel)
    g = np.moveaxis(gy.reshape(n, co, -1), -1, 1).reshape(-1, co)
    # the two threads side by side, the shorter padded with zero steps (+0 products)
    threads = 1 if cut in (0, total_steps) else 2
    tc = np.zeros((threads, steps, c, *kernel), np.float32)
    tg = np.zeros((threads, steps, co), np.float32)
    if threads == 1:
        tc[0], tg[0] = cols, g
    else:
        tc[0, :cut], tg[0, :cut] = cols[:cut], g[:cut]
        tc[1, :total_steps - cut], tg[1, :total_steps - cut] = cols[cut:], g[cut:]
    acc = np.zeros((threads, co, c, *kernel), np.float32)
    tail = (1,) * (1 + nd)
    for i in range(steps):
        acc = fma(tg[:, i].reshape(threads, co, *tail), tc[:, i, None], acc)
    return acc[0] if threads == 1 else acc[0] + acc[1]


def grad_input(gy: np.ndarray, w: np.ndarray, stride: tuple[int, ...],
               dilation: tuple[int, ...], padded: tuple[int, ...]) -> np.ndarray | None:
    """The gradient of the padded input (N, C, *padded) of oneDNN's backward (one group;
    gy (N, CO, *out), w (CO, C, *kernel)); None for strides (brgconv_strided, or with
    dilation mostly gemm), or past MAX_PRODUCTS."""
    n, co = gy.shape[:2]
    c, kernel, out = w.shape[1], w.shape[2:], gy.shape[2:]
    if any(v != 1 for v in stride) or (
            n * co * c * int(np.prod(out)) * int(np.prod(kernel)) > MAX_PRODUCTS):
        return None
    nd = len(out)
    width = min(16, co)
    blocks = -(-co // width)
    extra = blocks * width - co
    if extra:
        gy = np.pad(gy, [(0, 0), (0, extra)] + [(0, 0)] * nd)
        w = np.pad(w, [(0, extra), (0, 0)] + [(0, 0)] * nd)
    gb = gy.reshape(n, blocks, width, *out)
    wb = w.reshape(blocks, width, c, *kernel)
    acc = np.zeros((n, blocks, c, *padded), np.float32)
    tail = (1,) * nd
    for cell in np.ndindex(*kernel):
        window = (slice(None), slice(None), slice(None), *_window(cell, stride, dilation, out))
        for j in range(width):
            acc[window] = fma(gb[:, :, j, None], wb[(slice(None), j, slice(None), *cell)]
                              .reshape((1, blocks, c, *tail)), acc[window])
    total = acc[:, 0]
    for b in range(1, blocks):
        total = total + acc[:, b]
    return total
