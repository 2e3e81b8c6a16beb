"""Small float32/float64 chains (m·n·k < 128: a training loop's tiny layers) by numpy's
BLAS on padded copies once a process has emulated a few (mkl_avx512._padded_worth): the
same bits as the emulated chain, and PyTorch's through mm, addmm and linear."""

from __future__ import annotations

import numpy as np
import pytest

from gradcli.ad.kernels import blas_chain
from gradcli.ad.kernels import mkl_avx512 as M


@pytest.fixture
def eager(monkeypatch: pytest.MonkeyPatch) -> None:
    """The padded path from the first small chain on."""
    monkeypatch.setattr(M, "_SMALL_EMULATED", 0)


def _pair(rng: np.random.Generator, m: int, k: int, n: int, dt: type) -> tuple:
    spread = 20 if dt is np.float32 else 60
    a = rng.standard_normal((m, k)) * np.exp2(rng.integers(-spread, spread, (m, k)))
    b = rng.standard_normal((k, n)) * np.exp2(rng.integers(-spread, spread, (k, n)))
    a[rng.random(a.shape) < 0.1] = 0
    return a.astype(dt), b.astype(dt)


@pytest.mark.parametrize("dt", [np.float32, np.float64], ids=["float32", "float64"])
def test_small_chains_by_blas_are_the_emulated_ones(eager: None, dt: type) -> None:
    if not blas_chain.padded_chains(np.dtype(dt).type, M._emulated_chain
                                    if dt is np.float32 else M.emulated_chain64):
        pytest.skip("numpy's BLAS does not run these chains here")
    rng = np.random.default_rng(24)
    fast, slow = (M.chain, M._emulated_chain) if dt is np.float32 else \
        (M.chain64, M.emulated_chain64)
    for _ in range(150):
        m, k, n = (int(v) for v in rng.integers(1, 13, 3))
        a, b = _pair(rng, m, max(k, 2), n, dt)
        for x, y in ((a, b), (np.asfortranarray(a), b), (a, b[:, ::-1])):
            got, want = fast(x, y), slow(x, y)
            assert got.shape == want.shape and got.dtype == want.dtype
            assert got.flags.c_contiguous
            assert got.view(np.uint8).tobytes() == (want + dt(0)).view(np.uint8).tobytes()


def test_the_first_small_chains_are_emulated(monkeypatch: pytest.MonkeyPatch) -> None:
    """A program with a few tiny products never runs the padded probe (~35 ms)."""
    monkeypatch.setattr(M, "_small_chains", [0])
    a, b = np.ones((3, 4), np.float32), np.ones((4, 2), np.float32)
    assert not any(M._padded_worth(a, b) for _ in range(M._SMALL_EMULATED))
    assert M._padded_worth(a, b)
    assert not M._padded_worth(a[:, :1], b[:1])  # k = 1: one fused multiply-add


def test_tiny_layers_are_pytorchs(eager: None) -> None:
    """linear (addmm) and mm of a few rows, two layouts, against PyTorch. (Both factors
    transposed, (10, 4, 2) as wᵀᵀ @ xᵀ, differs from PyTorch before this change too.)"""
    torch = pytest.importorskip("torch")
    from gradcli.ad import ops as F
    from gradcli.ad.ops.nn import linear

    rng = np.random.default_rng(7)
    for m, k, n in ((4, 2, 10), (4, 10, 1), (10, 4, 2), (1, 4, 10), (3, 5, 3), (8, 8, 8)):
        x = rng.standard_normal((m, k)).astype(np.float32)
        w = rng.standard_normal((n, k)).astype(np.float32)
        bias = rng.standard_normal(n).astype(np.float32)
        tx, tw, tb = (torch.from_numpy(v) for v in (x, w, bias))
        pairs = [
            (linear(F.tensor(x), F.tensor(w), F.tensor(bias)),
             torch.nn.functional.linear(tx, tw, tb)),
            (F.mm(F.tensor(x), F.tensor(w).t()), tx @ tw.t()),
            (F.mm(F.tensor(x).t().contiguous().t(), F.tensor(w.T.copy())),
             tx.t().contiguous().t() @ torch.from_numpy(w.T.copy())),
        ]
        for ours, theirs in pairs:
            got = np.asarray(ours.array)
            assert got.tobytes() == theirs.numpy().tobytes(), (m, k, n)


def test_column_major_gemv_chains_by_blas_are_the_emulated_ones(eager: None) -> None:
    """sgemv 'N' (a Linear's weight gradient, Xᵀ @ g): mv_cols' chains and mv_cols_wide's
    units as one chain an output by BLAS, against the emulation (_blas_chains off), for
    rows on both sides of 16, k split or not, the threads' 41-69 row window."""
    from gradcli.ad.kernels import mkl_gemv512 as G

    if not blas_chain.padded_chains(np.float32, M._emulated_chain):
        pytest.skip("numpy's BLAS does not run these chains here")
    rng = np.random.default_rng(12)
    shapes = [(int(m), int(k)) for m, k in zip(rng.integers(1, 80, 120),
                                               rng.integers(1, 420, 120), strict=True)]
    shapes += [(16, 8), (16, 7), (17, 9), (41, 300), (70, 300), (5, 256), (3, 255)]
    for m, k in shapes:
        at = _pair(rng, k, m, 1, np.float32)[0]
        a = at.T  # column-major (m, k), as ATen passes it
        v = _pair(rng, 1, k, 1, np.float32)[1][:, 0]
        run = G.mv_cols_wide if m >= 16 else G.mv_cols
        fast = run(a, v)
        blas = G._blas_chains
        try:
            G._blas_chains = lambda a, v: None
            slow = run(a, v)
        finally:
            G._blas_chains = blas
        if slow is None:
            continue
        assert fast.dtype == slow.dtype and fast.tobytes() == slow.tobytes(), (m, k)
