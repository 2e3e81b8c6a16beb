"""torch.nn programs, round 17: interpolation (F.interpolate's nearest, linear, bilinear,
trilinear and bicubic modes, nn.Upsample) as torch's CPU kernels round it,
forward and backward: fused source coordinates, floorf's rounding of a double coordinate,
the channels-last kernel's corner sums for small outputs, the separable kernel's for large
ones, and the backward kernel's per-cell accumulation order; soft_margin_loss's fused
backward; adaptive average pooling's window sums.

Each case is a program valid under both gd and PyTorch; with torch installed the test
compares gd's output with PyTorch's, byte for byte (tests/pyrun.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from pyrun import gd_output, torch_output

from gradcli.ad.kernels import nn as KN
from gradcli.ad.kernels import normalization as KNorm
from gradcli.ad.kernels import upsample as KU

PRELUDE = ("import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
           "torch.manual_seed(0)\n")

CASES = {
    # a U-Net decoder's upsampling: values and gradients (float32, both align_corners,
    # scale factors and sizes, 2 and 9 channels: the scalar tail and the vector lanes)
    "bilinear-forward-backward": """
x = torch.randn(2, 9, 4, 5, requires_grad=True)
for ac in (False, True):
    y = F.interpolate(x, scale_factor=2, mode='bilinear', align_corners=ac)
    print(y.grad_fn.name(), y.sum().item(), y[1, 8, 3].tolist())
    y.backward(torch.randn_like(y))
    print(x.grad[1, 2].tolist())
    x.grad = None
up = nn.Upsample(size=(7, 9), mode='bilinear')
z = up(x[:, :2])
print(z[0, 1, 3].tolist())
z.pow(2).sum().backward()
print(x.grad[0, 1].tolist())
""",
    # 1-d linear, 3-d trilinear, float64, output sizes that make an integer source
    # coordinate (3x) and a large output (the separable kernel)
    "linear-trilinear-float64": """
x = torch.randn(2, 3, 6, dtype=torch.float64, requires_grad=True)
y = F.interpolate(x, size=18, mode='linear')
print(y[1, 2].tolist())
y.backward(torch.ones_like(y))
print(x.grad[0].tolist())
v = torch.randn(1, 2, 3, 4, 3, requires_grad=True)
w = F.interpolate(v, scale_factor=(2, 1.5, 3), mode='trilinear')
print(w.grad_fn.name(), w.sum().item(), w[0, 1, 2, 3].tolist())
w.backward(torch.randn_like(w))
print(v.grad[0, 0, 1].tolist())
b = torch.randn(1, 2, 30, 40, dtype=torch.float64, requires_grad=True)
c = F.interpolate(b, size=(90, 120), mode='bilinear')
print(c.sum().item(), c[0, 1, 44, :4].tolist())
""",
    # a ViT's position embeddings resized with bicubic interpolation, and its gradient
    "bicubic-forward-backward": """
pos = torch.randn(1, 8, 4, 4, requires_grad=True)
for ac in (False, True):
    new = F.interpolate(pos, size=(6, 7), mode='bicubic', align_corners=ac)
    print(new.grad_fn.name(), new.sum().item(), new[0, 3, 2].tolist())
    new.backward(torch.randn_like(new))
    print(pos.grad[0, 5].tolist())
    pos.grad = None
d = torch.randn(2, 3, 5, 3, dtype=torch.float64, requires_grad=True)
e = F.interpolate(d, scale_factor=2.5, mode='bicubic')
e.pow(2).sum().backward()
print(e[1, 2, 4].tolist(), d.grad[1, 0].tolist())
""",
    # soft_margin_loss: PyTorch's fused backward (target·z·(-norm)/(z+1)·grad), its own
    # node under create_graph, and its refusal of a target that requires grad
    "soft-margin-loss": """
x = torch.randn(6, 7, requires_grad=True)
y = torch.sign(torch.randn(6, 7))
for red in ('mean', 'sum', 'none'):
    l = F.soft_margin_loss(x, y, reduction=red)
    l.backward(torch.ones_like(l))
    print(l.grad_fn.name(), l.sum().item(), x.grad[2].tolist())
    x.grad = None
g, = torch.autograd.grad(nn.SoftMarginLoss()(x, y), x, create_graph=True)
print(g.grad_fn.name(), g[0, :3])
g.sum().backward()
print(x.grad[1].tolist())
try:
    F.soft_margin_loss(x, torch.randn(6, 7, requires_grad=True))
except Exception as e:
    print(type(e).__name__, e)
""",
    # a GAN generator's nn.Upsample(scale_factor=2) (nearest) and a 3x nearest-exact
    "nearest-backward": """
up = nn.Upsample(scale_factor=2)
x = torch.randn(2, 4, 3, 5, requires_grad=True)
y = up(x)
print(up, y.grad_fn.name())
(y * torch.randn_like(y) * 3).sum().backward()
print(x.grad[1, 2].tolist())
z = F.interpolate(x, scale_factor=3, mode='nearest-exact')
z.backward(torch.randn_like(z))
print(z.grad_fn.name(), x.grad[0, 3].tolist())
""",
    # adaptive average pooling to more than one cell (a window's cells summed one by one,
    # then / kh / kw), 1-, 2- and 3-d, with its gradient
    "adaptive-avg-pool": """
x = torch.randn(2, 3, 8, 8, requires_grad=True)
y = nn.AdaptiveAvgPool2d((2, 3))(x)
print(y.grad_fn.name(), y[1].tolist())
y.pow(2).sum().backward()
print(x.grad[0, 1, 0].tolist())
print(nn.AdaptiveAvgPool1d(3)(torch.randn(2, 3, 10)).tolist())
print(nn.AdaptiveAvgPool3d((2, 1, 3))(torch.randn(1, 2, 4, 5, 7)).tolist())
""",
    # nn.Embedding(scale_grad_by_freq=True): each row's gradient over its index's count,
    # summed as embedding_dense_backward does (one fma per occurrence), with padding
    "embedding-scale-grad-by-freq": """
for dt in (torch.float32, torch.float64):
    e = nn.Embedding(10, 5, scale_grad_by_freq=True, padding_idx=3).to(dt)
    idx = torch.randint(0, 10, (6, 7))
    out = e(idx)
    out.backward(torch.randn_like(out))
    print(e, e.weight.grad[idx[0, 0]].tolist(), e.weight.grad[3].tolist())
    print(e.weight.grad.sum().item())
e = nn.Embedding(10, 3, scale_grad_by_freq=True)
g, = torch.autograd.grad(e(torch.tensor([1, 1, 2])).pow(2).sum(), e.weight, create_graph=True)
print(g.grad_fn.name(), g[1])
""",
    # the gradient of the gradient: the backward's own node, and its derivative
    "bilinear-double-backward": """
x = torch.randn(1, 2, 3, 3, requires_grad=True)
y = F.interpolate(x, size=(5, 4), mode='bilinear', align_corners=False)
g, = torch.autograd.grad((y ** 2).sum(), x, create_graph=True)
print(g.grad_fn.name(), g[0, 1].tolist())
g.pow(2).sum().backward()
print(x.grad[0, 0].tolist())
""",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    text = PRELUDE + CASES[name]
    assert gd_output(text) == torch_output(text)


def test_linear_interpolation_bits() -> None:
    """The kernels give torch's bits on random shapes: 1-, 2- and 3-d, float32 and float64,
    both align_corners, sizes and scale factors, 1..10 channels, small and large outputs."""
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    for trial in range(72):
        nd = [1, 2, 2, 3][trial % 4]
        dtype = (torch.float32, torch.float64)[(trial // 4) % 2]
        ac = bool((trial // 8) % 2)
        big = trial % 3 == 0
        ins = [int(v) for v in rng.integers(2, 40 if big else 9, nd)]
        outs = [int(v) for v in rng.integers(2, 90 if big else 20, nd)]
        if trial % 5 == 0:
            outs[0] = ins[0]
        x = torch.randn(2, int(rng.integers(1, 11)), *ins, dtype=dtype, requires_grad=True)
        mode = ["linear", "bilinear", "trilinear"][nd - 1]
        scales: list[float | None] = [None] * nd
        if trial % 7 == 0:
            scales = [float(rng.choice([1.5, 2.0, 0.5, 3.0, 1.7])) for _ in range(nd)]
            y = functional.interpolate(x, scale_factor=scales, mode=mode, align_corners=ac)
        else:
            y = functional.interpolate(x, size=outs, mode=mode, align_corners=ac)
        g = torch.randn_like(y)
        y.backward(g)
        got = KU.linear_forward(x.detach().numpy(), list(y.shape[2:]), scales, ac)
        assert np.array_equal(got, y.detach().numpy()), (trial, ins, outs, dtype, ac)
        grad = KU.linear_backward(g.numpy(), tuple(x.shape), scales, ac)
        assert np.array_equal(grad, x.grad.numpy()), (trial, ins, outs, dtype, ac)


def test_bicubic_interpolation_bits() -> None:
    """Bicubic forward and backward give torch's bits on random shapes, float32 and
    float64, both align_corners, sizes (equal sizes too) and scale factors."""
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional
    torch.manual_seed(1)
    rng = np.random.default_rng(1)
    for trial in range(40):
        dtype = (torch.float32, torch.float64)[trial % 2]
        ac = bool(trial // 2 % 2)
        ins = [int(v) for v in rng.integers(2, 9, 2)]
        outs = [int(v) for v in rng.integers(2, 40, 2)]
        if trial % 5 == 0:
            outs[0] = ins[0]
        x = torch.randn(2, int(rng.integers(1, 6)), *ins, dtype=dtype, requires_grad=True)
        scales: list[float | None] = [None, None]
        if trial % 7 == 0:
            scales = [float(rng.choice([1.5, 2.0, 0.5, 3.0])) for _ in range(2)]
            y = functional.interpolate(x, scale_factor=scales, mode="bicubic",
                                       align_corners=ac)
        else:
            y = functional.interpolate(x, size=outs, mode="bicubic", align_corners=ac)
        g = torch.randn_like(y)
        y.backward(g)
        got = KU.cubic_forward(x.detach().numpy(), list(y.shape[2:]), scales, ac)
        assert np.array_equal(got, y.detach().numpy()), (trial, ins, outs, dtype, ac)
        grad = KU.cubic_backward(g.numpy(), tuple(x.shape), scales, ac)
        assert np.array_equal(grad, x.grad.numpy()), (trial, ins, outs, dtype, ac)


def test_nearest_interpolation_backward_bits() -> None:
    """Nearest and nearest-exact gradients add in output order as torch's backward kernel
    does (2x, 3x and fractional scales, sizes, 1-, 2- and 3-d, both dtypes)."""
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional
    torch.manual_seed(2)
    configs = [((2, 3, 4, 5), {"scale_factor": 2}), ((2, 3, 4, 5), {"scale_factor": 3}),
               ((1, 2, 5, 7), {"size": (12, 17)}), ((1, 2, 9), {"scale_factor": 2.5}),
               ((1, 2, 3, 4, 5), {"scale_factor": 2}), ((2, 3, 7, 6), {"size": (3, 4)})]
    for dtype in (torch.float32, torch.float64):
        for shape, kw in configs:
            for mode in ("nearest", "nearest-exact"):
                x = torch.randn(*shape, dtype=dtype, requires_grad=True)
                y = functional.interpolate(x, mode=mode, **kw)
                g = torch.randn_like(y) * 3
                y.backward(g)
                scales = [kw.get("scale_factor")] * (len(shape) - 2)
                if "size" in kw:
                    scales = [None] * (len(shape) - 2)
                exact = mode == "nearest-exact"
                got = KU.nearest_forward(x.detach().numpy(), list(y.shape[2:]), scales, exact)
                assert np.array_equal(got, y.detach().numpy()), (shape, kw, mode, dtype)
                grad = KU.nearest_backward(g.numpy(), tuple(x.shape), scales, exact)
                assert np.array_equal(grad, x.grad.numpy()), (shape, kw, mode, dtype)


def test_adaptive_avg_pool_forward_bits() -> None:
    """adaptive_avg_pool2d/3d's forward as torch's kernel rounds it (a window summed cell by
    cell, then / kh / kw), on random sizes and both dtypes."""
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional
    torch.manual_seed(3)
    rng = np.random.default_rng(3)
    for trial in range(30):
        dtype = (torch.float32, torch.float64)[trial % 2]
        three = trial % 3 == 0
        spatial = [int(v) for v in rng.integers(2, 12 if three else 20, 3 if three else 2)]
        out = tuple(min(int(v), n) for v, n in zip(rng.integers(1, 8, len(spatial)), spatial,
                                                   strict=True))
        x = torch.randn(2, 3, *spatial, dtype=dtype)
        pool = functional.adaptive_avg_pool3d if three else functional.adaptive_avg_pool2d
        ref = pool(x, out).numpy()
        if all(o == 1 for o in out):
            continue  # PyTorch's global average is a mean
        assert np.array_equal(KN.adaptive_avg_pool(x.numpy(), out), ref), (spatial, out, dtype)


def test_batch_norm_backward_planes_bits() -> None:
    """batch_norm's gradients for (N, C, *) inputs (BatchNorm1d on sequences, 2d, 3d, and
    InstanceNorm through it) as batch_norm_cpu_backward_contiguous_impl rounds them:
    training and eval, planes shorter and longer than a vector; float32 bit for bit,
    float64 to the last bits (68 of 3800 values differ, 2808 before)."""
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional
    torch.manual_seed(4)
    shapes = [(4, 6, 5), (2, 3, 4, 4), (3, 5, 7), (8, 4, 3, 3), (2, 4, 20), (1, 24, 5),
              (2, 3, 3, 4, 5), (5, 2, 9)]
    for dtype in (torch.float32, torch.float64):
        for training in (True, False):
            for shape in shapes:
                c = shape[1]
                x = torch.randn(*shape, dtype=dtype, requires_grad=True)
                w = torch.randn(c, dtype=dtype, requires_grad=True)
                b = torch.randn(c, dtype=dtype, requires_grad=True)
                rm, rv = torch.randn(c, dtype=dtype), torch.rand(c, dtype=dtype) + 0.5
                y = functional.batch_norm(x, rm.clone(), rv.clone(), w, b, training=training)
                g = torch.randn_like(y)
                y.backward(g)
                got = KNorm.batch_norm_backward(g.numpy(), x.detach().numpy(),
                                                w.detach().numpy(), rm.numpy(), rv.numpy(),
                                                training, 1e-5)
                assert got is not None
                what = (shape, dtype, training)
                for mine, ref in zip(got, (x.grad, w.grad, b.grad), strict=True):
                    if dtype == torch.float32:
                        assert np.array_equal(mine, ref.numpy()), what
                    else:  # float64: 2% of the last bits still differ (see the kernel)
                        assert np.allclose(mine, ref.numpy(), rtol=1e-12, atol=1e-14), what
