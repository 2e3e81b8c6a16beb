"""Round 20: MKL's AVX-512 matrix products (Intel processors with AVX-512) bit for bit.

MKL picks its kernels by processor (kernels/mkl_path.py): on Intel with AVX-512 its sgemm
sums each output in fused multiply-add chains over k blocks, and its sdot/ddot in four
64-byte accumulators (kernels/mkl_avx512.py). The sweeps below compare gradcli with
PyTorch on such a host; elsewhere (AMD, AVX2 only) they skip: the AVX2 models hold there
(tests/test_r16_blas.py, tests/test_r17_kernels.py). The torch side copies the factors
into tensors of its own (64-byte aligned, as programs' tensors are).
"""

from __future__ import annotations

import numpy as np
import pytest
from mkl_host import torch_copy as _torch

from gradcli.ad.kernels import mkl_path


def test_the_path_follows_the_override(monkeypatch: pytest.MonkeyPatch) -> None:
    for value, want in (("avx2", False), ("AVX512", True)):
        monkeypatch.setenv("GRADCLI_MKL_PATH", value)
        mkl_path.mkl_avx512.cache_clear()
        assert mkl_path.mkl_avx512() is want
    monkeypatch.setenv("GRADCLI_MKL_PATH", "bogus")  # ignored: the CPU decides
    mkl_path.mkl_avx512.cache_clear()
    assert isinstance(mkl_path.mkl_avx512(), bool)
    monkeypatch.delenv("GRADCLI_MKL_PATH")
    mkl_path.mkl_avx512.cache_clear()


def test_an_amd_cpu_takes_the_avx2_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRADCLI_MKL_PATH", raising=False)
    avx512 = frozenset({"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "fma"})
    monkeypatch.setattr(mkl_path, "cpuinfo", lambda: ("AuthenticAMD", avx512))
    mkl_path.mkl_avx512.cache_clear()
    try:
        assert not mkl_path.mkl_avx512()
        monkeypatch.setattr(mkl_path, "cpuinfo", lambda: ("GenuineIntel", avx512))
        mkl_path.mkl_avx512.cache_clear()
        assert mkl_path.mkl_avx512()
        monkeypatch.setattr(mkl_path, "cpuinfo", lambda: ("GenuineIntel", frozenset({"avx2"})))
        mkl_path.mkl_avx512.cache_clear()
        assert not mkl_path.mkl_avx512()
    finally:
        monkeypatch.undo()
        mkl_path.mkl_avx512.cache_clear()


def test_the_k_blocks() -> None:
    from gradcli.ad.kernels.mkl_avx512 import split_sizes

    assert split_sizes(384, False) == [384]
    assert split_sizes(391, False) == [196, 195]
    assert split_sizes(1000, False) == [384, 308, 308]
    assert split_sizes(784, True) == [[[196], [196]], [[196], [196]]]


DOT = [1, 2, 3, 7, 15, 16, 17, 31, 47, 48, 63, 64, 65, 100, 113, 127, 128, 200, 784, 1000,
       4095, 4097, 8191, 8193, 20001, 100003]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dot_products_are_pytorchs(avx512_host, dtype: str) -> None:
    from gradcli.ad.kernels import linalg as KL
    from gradcli.ad.kernels import mkl_avx512

    torch = avx512_host
    rng = np.random.default_rng(20)
    for k in DOT:
        a = rng.standard_normal(k).astype(dtype)
        b = rng.standard_normal(k).astype(dtype)
        want = torch.dot(_torch(a), _torch(b)).numpy()
        got = np.asarray(KL.dot(a, b) if k <= KL._GEMV_MAX else mkl_avx512.dot(a, b))
        assert got.tobytes() == want.tobytes(), k


# nn.Linear(k, n) of a batch of m: the forward (with its bias), the weight gradient
# gᵀ @ x and the input gradient g @ W; k across one chain, two halves, 384 + halves (one
# thread) and quarters (two threads).
LINEAR = [(16, 10, 784), (16, 2, 3), (20, 3, 100), (32, 10, 784), (32, 128, 64),
          (64, 10, 100), (64, 32, 300), (100, 10, 784), (128, 64, 256), (256, 10, 784),
          (16, 12, 1000), (16, 16, 1000), (28, 20, 391), (64, 256, 128), (16, 512, 256),
          (256, 100, 64), (17, 33, 500), (16, 4, 1536),
          # smaller batches: the chains below k = 24·m, 16 lanes from it, chains on two threads
          (2, 10, 784), (4, 10, 100), (8, 10, 50), (8, 16, 200), (15, 4, 384), (3, 64, 300),
          (2, 128, 500), (10, 12, 239), (10, 12, 240), (5, 64, 784), (8, 128, 200), (2, 12, 3),
          (25, 12, 1), (200, 128, 1)]  # k = 1: one fused multiply-add onto the bias


@pytest.mark.parametrize("mnk", LINEAR, ids=[str(c) for c in LINEAR])
def test_linear_and_its_gradients_are_pytorchs(avx512_host, mnk: tuple[int, int, int]) -> None:
    from gradcli.ad.kernels import linalg as KL
    from gradcli.ad.kernels import nn as KN

    torch = avx512_host
    m, n, k = mnk
    rng = np.random.default_rng(m * 7919 + n * 31 + k)
    x = rng.standard_normal((m, k)).astype(np.float32)
    w = rng.standard_normal((n, k)).astype(np.float32)
    bias = rng.standard_normal(n).astype(np.float32)
    g = rng.standard_normal((m, n)).astype(np.float32)
    tx, tw, tg = _torch(x), _torch(w), _torch(g)
    want = torch.nn.functional.linear(tx, tw, _torch(bias)).numpy()
    assert KN.linear(x, w, bias).tobytes() == want.tobytes()
    assert KL.mm(x, w.T).tobytes() == (tx @ tw.t()).numpy().tobytes()
    if k > 1:  # (k = 1: the gradients are one-column products, gemv's: not modelled)
        assert KL.mm(g.T, x).tobytes() == (tg.t() @ tx).numpy().tobytes()  # weight gradient
        assert KL.mm(g, w).tobytes() == (tg @ tw).numpy().tobytes()  # input gradient


# X @ W (both row-major) and addmm with a full C, small and large; scaled on one k block
NN = [(2, 2, 2), (2, 3, 16), (3, 10, 100), (5, 64, 200), (8, 2, 50), (15, 100, 32),
      (16, 64, 784), (64, 64, 64), (100, 3, 200), (33, 17, 385), (128, 256, 100)]


@pytest.mark.parametrize("mnk", NN, ids=[str(c) for c in NN])
def test_row_major_products_and_addmm_are_pytorchs(avx512_host, mnk: tuple[int, int, int]) -> None:
    from gradcli.ad.kernels import linalg as KL

    torch = avx512_host
    m, n, k = mnk
    rng = np.random.default_rng(m * 31 + n * 7 + k)
    a = rng.standard_normal((m, k)).astype(np.float32)
    b = rng.standard_normal((k, n)).astype(np.float32)
    c = rng.standard_normal((m, n)).astype(np.float32)
    assert KL.mm(a, b).tobytes() == (_torch(a) @ _torch(b)).numpy().tobytes()
    want = torch.addmm(_torch(c), _torch(a), _torch(b)).numpy()
    assert KL.addmm(c, a, b).tobytes() == want.tobytes()
    if k <= 384:
        for beta, alpha in ((0.5, 2.0), (1, 0.3), (0, 0.7)):
            want = torch.addmm(_torch(c), _torch(a), _torch(b), beta=beta, alpha=alpha)
            assert KL.addmm(c, a, b, beta, alpha).tobytes() == want.numpy().tobytes()


# float64 (dgemm): one chain of fused multiply-adds for one k block (384; x @ Wᵀ: 192)
F64 = [(2, 2, 3, "nn"), (3, 64, 300, "nn"), (16, 10, 384, "nn"), (2, 3, 384, "tn"),
       (64, 10, 100, "tn"), (4, 12, 192, "nt"), (16, 20, 192, "nt"), (64, 10, 100, "nt")]


@pytest.mark.parametrize("case", F64, ids=[str(c) for c in F64])
def test_float64_products_are_pytorchs(avx512_host, case: tuple[int, int, int, str]) -> None:
    from gradcli.ad.kernels import linalg as KL

    m, n, k, layout = case
    rng = np.random.default_rng(m * 131 + n * 17 + k)
    a = rng.standard_normal((m, k))
    b = rng.standard_normal((k, n))
    ta, tb = _torch(a), _torch(b)
    if layout == "tn":
        a, ta = np.ascontiguousarray(a.T).T, _torch(a.T).t()
    if layout == "nt":
        b, tb = np.ascontiguousarray(b.T).T, _torch(b.T).t()
    assert KL.mm(a, b).tobytes() == (ta @ tb).numpy().tobytes()


# Xᵀ @ Wᵀ (both factors transposed views): the chains from 12 rows
TT = [(12, 2, 3), (12, 64, 500), (16, 10, 193), (64, 16, 20)]


@pytest.mark.parametrize("mnk", TT, ids=[str(c) for c in TT])
def test_products_of_two_transposed_views_are_pytorchs(avx512_host, mnk) -> None:
    from gradcli.ad.kernels import linalg as KL

    m, n, k = mnk
    rng = np.random.default_rng(m + n + k)
    a = rng.standard_normal((k, m)).astype(np.float32)
    b = rng.standard_normal((n, k)).astype(np.float32)
    assert KL.mm(a.T, b.T).tobytes() == (_torch(a).t() @ _torch(b).t()).numpy().tobytes()


# bmm past ATen's own loop (400 products a batch): one sgemm a batch
BMM = [(2, 16, 784, 10), (4, 2, 300, 16), (3, 8, 100, 8), (2, 4, 1000, 20), (6, 32, 32, 32)]


@pytest.mark.parametrize("case", BMM, ids=[str(c) for c in BMM])
def test_batched_products_are_pytorchs(avx512_host, case: tuple[int, int, int, int]) -> None:
    from gradcli.ad.kernels import linalg as KL

    torch = avx512_host
    batch, m, k, n = case
    rng = np.random.default_rng(batch * 1000 + m + k + n)
    a = rng.standard_normal((batch, m, k)).astype(np.float32)
    b = rng.standard_normal((batch, k, n)).astype(np.float32)
    assert KL.bmm(a, b).tobytes() == torch.bmm(_torch(a), _torch(b)).numpy().tobytes()
