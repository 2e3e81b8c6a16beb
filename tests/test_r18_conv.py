"""Round 18: PyTorch's float32 convolutions where oneDNN runs them on an AVX-512 CPU, bit
for bit, forward and backward (kernels/onednn_conv.py; the sweeps:
/tmp/me/r18/conv_sweep.py and impl_sweep.py, which reads oneDNN's kernel names off
ONEDNN_VERBOSE).

With torch installed, random convolutions that oneDNN runs on its direct jit kernel (the
one modelled) are compared value for value: output, input gradient, weight gradient and
bias gradient. Without torch, literal torch 2.13 numbers of a small LeNet-like layer.
"""

from __future__ import annotations

import numpy as np
import pytest

from gradcli.ad import autograd
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import onednn_conv
from gradcli.ad.ops import conv as C
from gradcli.ad.ops import conv_transpose as CT

avx512 = pytest.mark.skipif(not onednn_conv.AVX512,
                            reason="oneDNN's AVX-512 kernels: this CPU runs others")


def _gd(nd: int, x: np.ndarray, w: np.ndarray, b: np.ndarray | None, gy: np.ndarray,
        s: tuple[int, ...], p: tuple[int, ...], d: tuple[int, ...]) -> list[np.ndarray]:
    xg, wg = Tensor(x.copy(), requires_grad=True), Tensor(w.copy(), requires_grad=True)
    bg = None if b is None else Tensor(b.copy(), requires_grad=True)
    f = getattr(C, f"conv{nd}d", None) or CT.conv3d
    y = f(xg, wg, bg, s, p, d, 1)
    autograd.backward(y, Tensor(gy.copy()))
    out = [y.array, xg.grad.array, wg.grad.array]
    return out if bg is None else [*out, bg.grad.array]


def _random_direct(rng: np.random.Generator) -> tuple[object, ...] | None:
    nd = int(rng.choice([1, 2, 2, 3]))
    n, cin, co = int(rng.integers(1, 5)), int(rng.integers(1, 24)), int(rng.integers(1, 24))
    k = tuple(int(v) for v in rng.integers(1, 5 if nd < 3 else 4, nd))
    s = tuple(int(v) for v in rng.integers(1, 3, nd))
    p = tuple(int(v) for v in rng.integers(0, 3, nd))
    d = tuple(int(v) for v in rng.integers(1, 3, nd)) if rng.random() < 0.3 else (1,) * nd
    sp = tuple(int(v) for v in rng.integers(4, 11 if nd < 3 else 6, nd))
    pads = [(q, q) for q in p]
    if not (onednn_conv.measured(k, 1, pads, d, s)
            and onednn_conv.uses_onednn((n, cin, *sp), k, s, d, 1)):
        return None
    if any(z + 2 * q < (kk - 1) * dd + 1 for z, q, kk, dd in zip(sp, p, k, d, strict=True)):
        return None
    return nd, n, cin, co, k, s, p, d, sp


@avx512
def test_direct_kernel_forward_and_gradients_are_torchs() -> None:
    """Every value of the output and of the three gradients is PyTorch's, on random
    convolutions oneDNN runs on its direct kernel (1-3 d, strides, padding, dilation,
    1-23 channels, batches 1-4)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(18)
    torch.manual_seed(18)
    checked = 0
    while checked < 60:
        cfg = _random_direct(rng)
        if cfg is None:
            continue
        nd, n, cin, co, k, s, p, d, sp = cfg
        x = torch.randn(n, cin, *sp, requires_grad=True)
        w = torch.randn(co, cin, *k, requires_grad=True)
        b = torch.randn(co, requires_grad=True)
        y = getattr(torch.nn.functional, f"conv{nd}d")(x, w, b, s, p, d)
        gy = torch.randn_like(y)
        y.backward(gy)
        want = [y.detach().numpy(), x.grad.numpy(), w.grad.numpy(), b.grad.numpy()]
        got = _gd(nd, x.detach().numpy(), w.detach().numpy(), b.detach().numpy(),
                  gy.numpy(), s, p, d)
        names = ["output", "grad_input", "grad_weight", "grad_bias"]
        # not modelled: the bias gradient with two blocks of input channels and one of
        # output channels on some shapes (3 of 90 in the sweep)
        skip = {"grad_bias"} if 16 < cin <= 32 and co <= 16 else set()
        # the sizes past MAX_PRODUCTS / MAX_STEPS keep the matrix product's values
        if n * co * int(np.prod(y.shape[2:])) * cin * int(np.prod(k)) > onednn_conv.MAX_PRODUCTS:
            skip |= {"output", "grad_input", "grad_weight"}
        if (n + 1) // 2 * int(np.prod(y.shape[2:])) > onednn_conv.MAX_STEPS:
            skip.add("grad_weight")
        if onednn_conv.weights_block(cin, k, [(q, q) for q in p], s, d) is None:
            skip |= {"grad_weight", "grad_bias"}  # gemm
        if any(v != 1 for v in s):
            skip.add("grad_input")  # brgconv_strided or gemm
        for name, g, t in zip(names, got, want, strict=True):
            if name not in skip:
                assert np.array_equal(g, t), f"{name} {cfg}"
        checked += 1


def _literal_case() -> tuple[np.ndarray, ...]:
    x = np.sin(np.arange(2 * 3 * 7 * 7) * 0.37).reshape(2, 3, 7, 7).astype(np.float32)
    w = np.cos(np.arange(4 * 3 * 3 * 3) * 0.91).reshape(4, 3, 3, 3).astype(np.float32)
    b = np.linspace(-0.3, 0.4, 4).astype(np.float32)
    gy = np.cos(np.arange(2 * 4 * 7 * 7) * 0.13).reshape(2, 4, 7, 7).astype(np.float32)
    return x, w, b, gy


# torch 2.13 (oneDNN 3.12, avx512_core, 2 threads): F.conv2d(x, w, b, 1, 1) of
# _literal_case and its gradients for gy; each array's float32 bits summed mod 2**32
# and its first four values' bits
LITERAL = {
    "output": (1841673673, [3222237975, 3226941765, 3228950665, 3228948942]),
    "grad_input": (854381300, [3216538157, 3229300257, 3230826467, 3232033737]),
    "grad_weight": (3720611914, [1041978048, 1060174424, 1069674850, 1070395505]),
    "grad_bias": (4270070544, [1067877024, 1067690941, 1067424114, 1067078465]),
}


def _bits(a: np.ndarray) -> tuple[int, list[int]]:
    u = np.ascontiguousarray(a, np.float32).view(np.uint32).ravel()
    return int(u.astype(np.uint64).sum() % (1 << 32)), [int(v) for v in u[:4]]


@avx512
def test_literal_torch_numbers() -> None:
    x, w, b, gy = _literal_case()
    got = _gd(2, x, w, b, gy, (1, 1), (1, 1), (1, 1))
    for name, a in zip(LITERAL, got, strict=True):
        assert _bits(a) == LITERAL[name], name


@avx512
@pytest.mark.parametrize("kind", ["depthwise", "gemm-padded", "gemm-grouped"])
def test_depthwise_and_gemm_forward_are_torchs(kind: str) -> None:
    """The forward of oneDNN's other AVX-512 kernels: depthwise convolutions (jit_dw from
    the bias, brdgmm_dw and gemm adding it after) and its gemm convolution (one chain in
    im2col's order: padding as wide as the kernel, groups of 1-3 output channels)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng({"depthwise": 1, "gemm-padded": 2, "gemm-grouped": 3}[kind])
    torch.manual_seed(7)
    checked = 0
    while checked < 40:
        nd = int(rng.choice([1, 2, 3]))
        n = int(rng.integers(1, 4))
        k = tuple(int(v) for v in rng.integers(1, 4, nd))
        s = tuple(int(v) for v in rng.integers(1, 3, nd))
        d = tuple(int(v) for v in rng.integers(1, 3, nd)) if rng.random() < 0.3 else (1,) * nd
        sp = tuple(int(v) for v in rng.integers(5, 9 if nd < 3 else 6, nd))
        if kind == "depthwise":
            g = c = int(rng.integers(2, 20))
            co = c * int(rng.integers(1, 3))
            p = tuple(int(v) for v in rng.integers(0, 3, nd))
        elif kind == "gemm-padded":
            g, c, co = 1, int(rng.integers(1, 20)), int(rng.integers(1, 20))
            p = tuple(int(kk + int(rng.integers(0, 2))) for kk in k)
            d = (1,) * nd
        else:
            g = int(rng.integers(2, 5))
            c, co = g * int(rng.integers(1, 6)), g * int(rng.integers(1, 4))
            p = tuple(int(v) for v in rng.integers(0, 2, nd))
        if any(z + 2 * q < (kk - 1) * dd + 1 for z, q, kk, dd in zip(sp, p, k, d, strict=True)):
            continue
        if kind == "gemm-padded":
            n, co = max(n, 2), max(co, 4)  # one image: ATen's own kernel; 1-3 channels
        x, w = torch.randn(n, c, *sp), torch.randn(co, c // g, *k)
        b = torch.randn(co) if rng.random() < 0.7 else None
        want = getattr(torch.nn.functional, f"conv{nd}d")(x, w, b, s, p, d, g).numpy()
        if n * co * want[0, 0].size * (c // g) * int(np.prod(k)) > onednn_conv.MAX_PRODUCTS:
            continue
        if co != c * (g == c) and (want[0, 0].size < 4 or (c // g) * int(np.prod(k))
                                   > onednn_conv.MAX_GEMM_K):
            continue  # gemm's other kernels (not modelled)
        f = getattr(C, f"conv{nd}d", None) or CT.conv3d
        got = f(Tensor(x.numpy()), Tensor(w.numpy()), None if b is None else Tensor(b.numpy()),
                s, p, d, g).array
        assert np.array_equal(got, want), f"{(kind, nd, n, c, co, k, s, p, d, g, sp)}"
        checked += 1
