"""Round 26, convolution and vision tensor code (conv and pool shape arithmetic,
interpolation, sampling grids, unfold and fold, small CNNs on random images): the classes
the sample found, each as a small program of our own compared with what PyTorch prints."""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output

# F.grid_sample's padding_mode='reflection': the coordinates reflected about the input's
# edges (pixel centers with align_corners, outer edges without), then clipped, for both
# bilinear and nearest sampling, with the gradients of the input and of the grid (the
# grid's to rounding: ATen sums its corner differences in another order).
_GRID_REFLECTION = """
import torch
import torch.nn.functional as F
img = torch.arange(12.).view(1, 1, 3, 4).requires_grad_()
pts = torch.tensor([[[[-1.7, 0.3], [2.6, -1.4], [0.55, 3.9]],
                     [[-4.2, -0.95], [1.0, 1.0], [0.1, -0.6]]]], requires_grad=True)
for mode in ("bilinear", "nearest"):
    for corners in (True, False):
        out = F.grid_sample(img, pts, mode=mode, padding_mode="reflection",
                            align_corners=corners)
        (out * torch.tensor([1., -2., 3.])).sum().backward()
        print(mode, corners, out, img.grad, pts.grad.round(decimals=4) + 0.0)
        img.grad = pts.grad = None
one = torch.tensor([[[[5., 7.]]]])
print(F.grid_sample(one, torch.tensor([[[[0.4, 2.5]]]]), padding_mode="reflection",
                    align_corners=True))
"""

# With padding_mode='border' a coordinate clipped to the border, the border itself
# included, passes no gradient to the grid (ATen counts the borders as outside); only
# the input's gradient reaches the border pixels.
_GRID_BORDER_GRADIENT = """
import torch
import torch.nn.functional as F
img = torch.arange(1., 10.).view(1, 1, 3, 3).requires_grad_()
pts = torch.tensor([[[[-1.0, -1.0], [1.0, 0.5], [0.25, 1.0], [1.5, -1.2]]]],
                   requires_grad=True)
for corners in (True, False):
    out = F.grid_sample(img, pts, padding_mode="border", align_corners=corners)
    out.sum().backward()
    print(corners, out, img.grad, pts.grad + 0.0)
    img.grad = pts.grad = None
"""

# The bilinear sample of random values, bit for bit: ATen unnormalizes without
# align_corners in one fused multiply-add and sums the corners' products in fused
# multiply-adds (the printed sums show the last bits).
_GRID_BILINEAR_BITS = """
import torch
import torch.nn.functional as F
torch.manual_seed(3)
for dt in (torch.float32, torch.float64):
    x = torch.randn(2, 3, 5, 4, dtype=dt)
    g = torch.rand(2, 6, 7, 2, dtype=dt) * 2.6 - 1.3
    for pad in ("zeros", "border", "reflection"):
        for corners in (True, False):
            y = F.grid_sample(x, g, padding_mode=pad, align_corners=corners)
            print(pad, corners, y.sum().item(), y.abs().sum().item(), y[1, 2, 3])
"""


@pytest.mark.parametrize("program", [_GRID_REFLECTION, _GRID_BORDER_GRADIENT,
                                     _GRID_BILINEAR_BITS])
def test_grid_sample_padding_and_bits(program: str) -> None:
    assert masked(gd_output(program)) == masked(torch_output(program))


# Convolutions check the bias's dtype against the input's first (C type names), then
# the weight's (the input's scalar type named first); adaptive pools refuse an
# output_size of the wrong length with each op's own message (adaptive_avg_pool2d
# before its (1, 1) mean); grid_sample checks batch, last dim, dims, empty spatial dims
# and dtypes in ATen's order.
_CHECK_MESSAGES = """
import torch
import torch.nn as nn
import torch.nn.functional as F
f, d = torch.ones(1, 2, 4, 4), torch.ones(1, 2, 4, 4).double()
wf = torch.ones(1, 2, 3, 3)
calls = [
    lambda: F.conv2d(f, wf.double()), lambda: F.conv2d(d, wf),
    lambda: F.conv2d(f, wf, torch.zeros(1).double()), lambda: nn.Conv2d(2, 1, 3)(d),
    lambda: F.conv1d(f[0], wf[0].double()), lambda: F.conv2d(f.long(), wf),
    lambda: F.conv_transpose2d(f, wf.transpose(0, 1).double()),
    lambda: F.conv_transpose2d(d, wf.transpose(0, 1)),
    lambda: F.adaptive_avg_pool2d(f, (2, 2, 2)), lambda: F.adaptive_avg_pool2d(f, [1]),
    lambda: F.adaptive_avg_pool2d(f, (2,)), lambda: nn.AdaptiveAvgPool2d((1, 1, 1))(f),
    lambda: F.adaptive_max_pool2d(f, (2, 2, 2)), lambda: F.adaptive_avg_pool3d(f, (2, 2)),
    lambda: F.adaptive_max_pool3d(f, (2, 2)),
    lambda: F.grid_sample(f, torch.zeros(2, 2, 2, 3), align_corners=False),
    lambda: F.grid_sample(f, torch.zeros(1, 2, 2, 3), align_corners=False),
    lambda: F.grid_sample(f[0], torch.zeros(1, 2, 2), align_corners=False),
    lambda: F.grid_sample(f[0], torch.zeros(1, 2, 1), align_corners=False),
    lambda: F.grid_sample(f, torch.zeros(1, 2, 2), align_corners=False),
    lambda: F.grid_sample(torch.ones(1, 1, 0, 4), torch.zeros(1, 2, 2, 2), align_corners=False),
    lambda: F.grid_sample(f, torch.zeros(1, 2, 2, 2).double(), align_corners=False),
    lambda: F.grid_sample(f.long(), torch.zeros(1, 2, 2, 2).long(), align_corners=False),
]
for i, call in enumerate(calls):
    try:
        print(i, call().shape)
    except (RuntimeError, ValueError, NotImplementedError) as e:
        print(i, type(e).__name__, e)
"""


def test_conv_pool_and_grid_check_messages() -> None:
    assert gd_output(_CHECK_MESSAGES) == torch_output(_CHECK_MESSAGES)
