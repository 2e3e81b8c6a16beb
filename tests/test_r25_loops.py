"""Round 25's fast paths of the classifier loops, each against the slow path it stands for:
nll_loss's cascade on whole arrays against its row loop, Fma32Deferred's exact ties against
fma, float32 SLEEF log/log1p with deferred FMAs (kernels/log32.py) against vecmath's own
exact path (large random sweeps over the inputs they take), and the losses' results,
dtypes and grad_fn names against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

from gradcli.ad.kernels import log32
from gradcli.ad.kernels import vecmath as VM
from gradcli.ad.kernels.fused import Fma32Deferred, fma
from gradcli.ad.kernels.nll_cascade import cascade_loop, nll_cascade


def _same(a: object, b: object) -> bool:
    return (type(a) is type(b) and np.asarray(a).tobytes() == np.asarray(b).tobytes())


@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_nll_cascade_is_the_row_loop(dt: type) -> None:
    """Sizes around every flush boundary (16, 256, 4096), -0.0 rows, all -0.0, weights."""
    rng = np.random.default_rng(25)
    sizes = [1, 2, 15, 16, 17, 31, 32, 33, 255, 256, 257, 272, 273, 4095, 4096, 4097, 70001]
    sizes += rng.integers(1, 700, 40).tolist()
    for i, n in enumerate(sizes):
        loss = (rng.standard_normal(n) * 10.0 ** rng.integers(-4, 5, n)).astype(dt)
        if i % 3 == 1:
            loss[rng.random(n) < 0.4] = -0.0
        if i % 5 == 2:
            loss[:] = -0.0
        w = rng.random(n).astype(dt)
        keep = np.ones(n, bool)
        for weighted in (False, True):
            fast, slow = nll_cascade(loss, w, keep, weighted), cascade_loop(loss, w, keep, weighted)
            assert _same(fast[0], slow[0]) and _same(fast[1], slow[1]), (n, weighted)


def test_nll_cascade_with_ignored_rows_keeps_the_loop() -> None:
    loss = np.arange(40, dtype=np.float32) / 7
    keep = np.ones(40, bool)
    keep[16] = keep[3] = False
    w = np.ones(40, np.float32)
    assert _same(nll_cascade(loss, w, keep, False)[0], cascade_loop(loss, w, keep, False)[0])


def test_deferred_exact_ties_are_the_fused_rounding() -> None:
    """1 - d·(1/d) and its neighbours: sums exact in double that fall on float midpoints
    (true ties) are accepted, and then every result is fma's; an inexact sum on a
    midpoint is still refused."""
    rng = np.random.default_rng(7)
    accepted = 0
    for _ in range(400):
        d = (1 + rng.random(16)).astype(np.float32)
        t = np.float32(1) / d
        dl = (rng.standard_normal(16) * 2.0 ** -26).astype(np.float32)
        steps = Fma32Deferred()
        r = steps(-d, t, np.float32(1))
        v = steps(-dl, t, r)
        if steps.exact():
            accepted += 1
            r2 = fma(-d, t, np.float32(1))
            assert r.tobytes() == r2.tobytes()
            assert v.tobytes() == fma(-dl, t, r2).tobytes()
    assert accepted > 300
    a = np.array([1 + 2.0**-12], np.float32)
    steps = Fma32Deferred()
    steps(a, a, np.array([2.0**-80], np.float32))
    assert not steps.exact()


def _slow(kind: str, x: np.ndarray) -> np.ndarray:
    class Off:
        vlog = vlog1p = staticmethod(lambda d: None)

    VM._log32 = Off
    try:
        return VM.vlog(x) if kind == "log" else VM.vlog1p(x)
    finally:
        VM._log32 = log32


def _bits(rng: np.random.Generator, kind: str, n: int) -> np.ndarray:
    if kind == "log":  # every positive normal float below 1e38, and sums of a softmax
        parts = [rng.integers(0x00800000, 0x7E967699, n), rng.integers(0x3F800000, 0x41000000, n)]
    else:  # (-1, 0), (0, 1] (e^-|x| of log_sigmoid), up to 1e23
        parts = [rng.integers(0x80000001, 0xBF800000, n), rng.integers(1, 0x3F800001, n),
                 rng.integers(0x3F800000, 0x65A96816, n)]
    return np.concatenate(parts).astype(np.uint32).view(np.float32)


@pytest.mark.parametrize("kind", ["log", "log1p"])
def test_log32_deferred_is_vecmath_exact_path(kind: str) -> None:
    """~100,000 random floats a range in chunks of 64 (a chunk with a step off the fused
    rounding returns None and is left to the slow path), plus the domain's edges."""
    rng = np.random.default_rng(2025 if kind == "log" else 2026)
    x = _bits(rng, kind, 100_000)
    fast = log32.vlog if kind == "log" else log32.vlog1p
    accepted = 0
    for i in range(0, x.size, 64):
        part = x[i:i + 64]
        got = fast(part)
        if got is not None:
            accepted += 1
            assert got.view(np.int32).tolist() == _slow(kind, part).view(np.int32).tolist()
    assert accepted > x.size // 64 // 3
    edges = (np.array([1.1754944e-38, 1.0, 2.0, 0.75, 1.5, 9.9e37], np.float32) if kind == "log"
             else np.array([-0.99999994, -0.5, 1.4e-45, 1e-30, 1.0, 1e23, 0.75], np.float32))
    for part in (edges, edges[:1], edges.reshape(1, -1)):
        got = fast(part)
        if got is not None:
            assert got.tobytes() == _slow(kind, part).tobytes()


def test_log32_declines_special_inputs() -> None:
    for bad in (0.0, -0.0, -1.0, np.inf, np.nan, 1e-40, -2.0, 2e38):
        assert log32.vlog(np.array([1.5, bad], np.float32)) is None
    for bad in (0.0, -0.0, -1.0, -2.0, np.inf, np.nan, 1e24):
        assert log32.vlog1p(np.array([0.5, bad], np.float32)) is None


_LOSSES = """
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
for n, c in ((96, 3), (17, 5), (300, 4), (1, 2), (4097, 2)):
    for dt in (torch.float32, torch.float64):
        x = (torch.randn(n, c) * 4).to(dt).requires_grad_()
        y = torch.randint(0, c, (n,))
        w = torch.rand(c).to(dt)
        for red in ('mean', 'sum'):
            l = F.cross_entropy(x, y, reduction=red)
            g, = torch.autograd.grad(l, x)
            lw = F.cross_entropy(x, y, weight=w, reduction=red)
            gw, = torch.autograd.grad(lw, x)
            print(n, c, red, l.item(), l.dtype, l.grad_fn.name(), lw.item(),
                  g.sum().item(), g.abs().max().item(), gw.sum().item())
        lp = F.log_softmax(x, 1)
        print(lp.sum().item(), lp.grad_fn.name(), F.nll_loss(lp, y).item())
        z = (torch.randn(n, 1) * 5).to(dt).requires_grad_()
        t = (torch.rand(n, 1) > 0.5).to(dt)
        b = nn.BCEWithLogitsLoss()(z, t)
        gz, = torch.autograd.grad(b, z)
        print(b.item(), b.dtype, b.grad_fn.name(), gz.sum().item(), gz.abs().max().item(),
              F.logsigmoid(z).sum().item(), torch.log1p(z.detach().abs()).sum().item())
x = torch.tensor([[0., 1e-30, -100., 100.], [3., 3., 3., 3.]], requires_grad=True)
print(F.log_softmax(x, 1), F.logsigmoid(x), F.cross_entropy(x, torch.tensor([1, 2])))
"""


def test_losses_print_what_pytorch_prints() -> None:
    from pyrun import gd_output, torch_output

    assert gd_output(_LOSSES) == torch_output(_LOSSES)


def test_fast_paths_take_empty_and_zero_d_arrays() -> None:
    """An empty slice (log_softmax along a dim of < 16 inner positions has no whole
    vector: its SLEEF part is empty) and a 0-d array through each fast path."""
    for shape in ((0,), (2, 0), ()):
        x = np.full(shape, 0.5, np.float32)
        for f in (VM.vexp, VM.vlog, VM.vlog1p):
            got = f(x)
            assert got.shape == shape and got.dtype == np.float32
            assert got.tobytes() == _slow("log" if f is VM.vlog else "log1p", x).tobytes() \
                or f is VM.vexp
    x = np.array([[[[0.1, 0.3], [0.4, 0.5]], [[0.2, 0.3], [0.4, 0.5]]]], np.float32)
    from gradcli.ad.kernels import reductions as KR

    assert KR.log_softmax(x, 1).shape == x.shape


@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_nll_classifier_fast_path_is_the_weighted_one(dt: type) -> None:
    """nll_loss and its backward without weights (every row kept) against the general
    path with weights of 1 (the same roundings: -x·1, Σ1 = N): values, dtypes, -0.0."""
    from gradcli.ad.kernels import nn as KN

    rng = np.random.default_rng(12)
    for i, n in enumerate([1, 2, 16, 17, 96, 257, 4097, *rng.integers(1, 300, 20).tolist()]):
        c = int(rng.integers(1, 6))
        lp = (rng.standard_normal((n, c)) * 3).astype(dt)
        if i % 3 == 0:
            lp[rng.random((n, c)) < 0.3] = -0.0
        t = rng.integers(0, c, n)
        ones = np.ones(c, dt)
        for red in ("mean", "sum"):
            for g in (np.asarray(0.7, dt), np.asarray(-0.0, dt)):
                assert _same(KN.nll_loss(lp, t, reduction=red),
                             KN.nll_loss(lp, t, weight=ones, reduction=red))
                assert KN.nll_loss_backward(g, lp, t, reduction=red).tobytes() == \
                    KN.nll_loss_backward(g, lp, t, weight=ones, reduction=red).tobytes()
