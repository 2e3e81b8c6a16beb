"""Round 23: MKL's AVX-512 products at BLAS speed, and more of them bit for bit.

- numpy's BLAS (OpenBLAS) on zero-padded copies (multiples of 16 rows and columns) runs
  every chain up to k = 384 the emulation computes, float32 and float64
  (kernels/blas_chain.padded): checked here against the emulation, no torch needed.
- float32 x @ Wᵀ below 16 rows: 4-11 columns with k < 16 (halves below n rows up to k = n,
  else chains), 2-3 columns from k = 24·m (lanes), 11-15 rows of 3 columns (chains).
- float64 dgemm past one k block (X @ W, Xᵀ @ W: sgemm's split; x @ Wᵀ: blocks of 192
  below 57 rows or columns) and float64 convolutions (ATen's slow_conv2d: chains, from
  the bias for 1-2 output channels a group).
- a command runs numpy's BLAS on one thread (kernels/blas_threads).
The torch comparisons skip without torch and off an Intel AVX-512 host.
"""

from __future__ import annotations

import numpy as np
import pytest

from gradcli.ad.kernels import blas_chain, blas_threads, mkl_avx512


def _t(torch, x: np.ndarray):
    """x as a tensor of PyTorch's own allocation, in x's layout."""
    t = torch.empty_strided(x.shape, tuple(s // x.itemsize for s in x.strides),
                            dtype=torch.from_numpy(x[:0]).dtype)
    t.copy_(torch.from_numpy(x))
    return t


def _pair(rng: np.random.Generator, m: int, n: int, k: int, layout: str, dt: type):
    a = rng.standard_normal((m, k)).astype(dt)
    b = rng.standard_normal((k, n)).astype(dt)
    if layout[0] == "t":
        a = np.ascontiguousarray(a.T).T
    if layout[1] == "t":
        b = np.ascontiguousarray(b.T).T
    return a, b


@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_padded_blas_products_are_the_emulated_chains(dt: type) -> None:
    emulated = mkl_avx512._emulated_chain if dt is np.float32 else mkl_avx512.emulated_chain64
    if not blas_chain.padded_chains(dt, emulated):
        pytest.skip("numpy's BLAS does not run the chains on padded copies here")
    rng = np.random.default_rng(23)
    spread = 20 if dt is np.float32 else 60
    for _ in range(12):
        m, n = (int(v) for v in rng.integers(2, 70, 2))
        k = int(rng.integers(2, blas_chain.MAX_K + 1))
        a = (rng.standard_normal((m, k)) * np.exp2(rng.integers(-spread, spread, (m, k))))
        b = (rng.standard_normal((k, n)) * np.exp2(rng.integers(-spread, spread, (k, n))))
        a[rng.random((m, k)) < 0.05] = 0
        a, b = a.astype(dt), b.astype(dt)
        got = blas_chain.padded(a, b, emulated)
        assert got is not None
        want = emulated(a, b) + dt(0)
        assert got.tobytes() == want.tobytes(), (m, n, k)
    assert blas_chain.padded(np.ones((2, 385), dt), np.ones((385, 2), dt), emulated) is None


def test_blas_threads_lends_its_threads_only_to_large_products() -> None:
    api = blas_threads._api()
    if api is None:
        pytest.skip("numpy's BLAS is not OpenBLAS here")
    blas_threads.serial()
    assert api[1]() == 1
    threads = blas_threads._state["wide"]
    with blas_threads.wide(blas_threads.WIDE_PRODUCTS - 1):
        assert api[1]() == 1
    with blas_threads.wide(blas_threads.WIDE_PRODUCTS):
        assert api[1]() == max(threads, 1)
    assert api[1]() == 1
    with blas_threads.single():
        assert api[1]() == 1


# float32 x @ Wᵀ (nn.Linear's forward) of a small batch: (m, n, k)
SMALL_NT = [(6, 4, 4), (3, 4, 4), (2, 8, 3), (7, 8, 8), (9, 11, 5), (10, 5, 15), (12, 6, 7),
            (2, 2, 48), (3, 3, 100), (5, 2, 784), (11, 3, 50), (15, 3, 300)]


@pytest.mark.parametrize("mnk", SMALL_NT, ids=[str(c) for c in SMALL_NT])
def test_small_batch_linear_forward_is_pytorchs(avx512_host, mnk: tuple[int, int, int]) -> None:
    from gradcli.ad.kernels import linalg as KL
    from gradcli.ad.kernels import nn as KN

    torch = avx512_host
    m, n, k = mnk
    rng = np.random.default_rng(m * 1000 + n * 10 + k)
    x = rng.standard_normal((m, k)).astype(np.float32)
    w = rng.standard_normal((n, k)).astype(np.float32)
    bias = rng.standard_normal(n).astype(np.float32)
    assert KL.mm(x, w.T).tobytes() == torch.mm(_t(torch, x), _t(torch, w).t()).numpy().tobytes()
    want = torch.nn.functional.linear(_t(torch, x), _t(torch, w), _t(torch, bias)).numpy()
    assert KN.linear(x, w, bias).tobytes() == want.tobytes()


# float64 products past one k block: (m, n, k, layout)
F64 = [(8, 8, 500, "nn"), (20, 12, 769, "nn"), (16, 16, 784, "tn"), (30, 40, 1000, "tn"),
       (64, 64, 600, "nn"), (8, 8, 300, "nt"), (20, 20, 300, "nt"), (32, 100, 250, "nt"),
       (57, 57, 300, "nt"), (8, 8, 700, "nt"), (1000, 100, 100, "nt"), (300, 300, 150, "nn")]


@pytest.mark.parametrize("case", F64, ids=[str(c) for c in F64])
def test_float64_products_past_one_block_are_pytorchs(avx512_host, case: tuple) -> None:
    from gradcli.ad.kernels import linalg as KL

    torch = avx512_host
    m, n, k, layout = case
    a, b = _pair(np.random.default_rng(m + n + k), m, n, k, layout, np.float64)
    want = torch.mm(_t(torch, a), _t(torch, b)).numpy()
    assert KL.mm(a, b).tobytes() == want.tobytes()


CONV64 = """
import torch
import torch.nn.functional as F
torch.manual_seed(0)
for (n, c, h, o, groups, k, pad, stride, has_bias) in [
        (2, 4, 5, 6, 2, 3, 1, 1, True), (2, 4, 5, 4, 4, 3, 1, 1, True),
        (2, 4, 5, 4, 4, 3, 1, 1, False), (2, 8, 6, 8, 4, 3, 1, 2, True),
        (1, 16, 6, 4, 1, 3, 0, 1, True), (4, 3, 16, 8, 1, 5, 2, 1, True)]:
    x = torch.randn(n, c, h, h, dtype=torch.float64)
    w = torch.randn(o, c // groups, k, k, dtype=torch.float64)
    b = torch.randn(o, dtype=torch.float64) if has_bias else None
    y = F.conv2d(x, w, b, padding=pad, groups=groups, stride=stride)
    print(y.flatten()[::7].tolist())
x = torch.randn(3, 6, 17, dtype=torch.float64)
conv = torch.nn.Conv1d(6, 6, 5, stride=2, padding=2, groups=3).double()
print(conv(x).flatten()[::5].tolist())
"""


def test_float64_convolutions_print_pytorchs_values(avx512_host) -> None:
    from pyrun import gd_output, torch_output

    assert gd_output(CONV64) == torch_output(CONV64)
