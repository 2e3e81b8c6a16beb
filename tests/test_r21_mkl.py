"""Round 21: MKL's AVX-512 matrix-vector products (sgemv) bit for bit.

On an Intel processor with AVX-512 MKL's sgemv sums a row-major matrix's rows ('T':
torch.mv, X @ w, nn.Linear(k, 1)'s forward, a batch of one through nn.Linear) in 16
lanes with the first product seeding lane 1 (rows in blocks of four; the rows left a
one-row kernel), and a column-major matrix's (Xᵀ @ g, an mv backward, nn.Linear(k, 1)'s
weight gradient) as fused multiply-add chains, split in halves from k = 256
(kernels/mkl_gemv512.py). The sweeps compare gradcli with PyTorch on such a host;
elsewhere they skip (the AVX2 models: tests/test_r16_blas.py). The torch side copies the
factors into tensors of its own (64-byte aligned, as programs' tensors are).
"""

from __future__ import annotations

import numpy as np
import pytest
from mkl_host import torch_copy as _torch


def test_the_thread_split_is_known_where_it_was_measured() -> None:
    from gradcli.ad.kernels.mkl_gemv512 import mv_threads

    assert mv_threads(100, 2) == 1  # under 8192 products: one thread
    assert mv_threads(64, 1000) == 1  # ⌈64/2⌉ a multiple of four: the same rows' kernels
    assert mv_threads(129, 64) == 2
    assert mv_threads(62, 1000) == 2
    assert mv_threads(90, 128) == 1


# torch.mv of a row-major matrix: rows in blocks of four and the 1-3 rows left, k across
# one part block, whole blocks of 16 (after the first product) and both, pairs of blocks
# in the one-row kernel; up to mv's cap of 2048 products
MV = [(1, 1), (1, 2), (2, 2), (3, 3), (4, 5), (5, 16), (6, 17), (7, 18), (100, 2), (64, 3),
      (13, 20), (2, 33), (3, 50), (7, 100), (1, 500), (2, 1000), (4, 512), (1, 2048),
      (15, 129), (30, 65), (256, 8)]


@pytest.mark.parametrize("mk", MV, ids=[str(c) for c in MV])
def test_matrix_vector_products_are_pytorchs(avx512_host, mk: tuple[int, int]) -> None:
    from gradcli.ad.kernels import linalg as KL

    torch = avx512_host
    m, k = mk
    rng = np.random.default_rng(m * 7919 + k)
    for _ in range(4):
        a = rng.standard_normal((m, k)).astype(np.float32)
        v = rng.standard_normal(k).astype(np.float32)
        assert KL.mv(a, v).tobytes() == torch.mv(_torch(a), _torch(v)).numpy().tobytes()


# Xᵀ @ g (an mv of a transposed matrix: p01's X.t() @ g, 100×2), fewer than 16 outputs
# or k ≤ 7, one chain below k = 256 and two halves from it; the row products gᵀ @ X alike
MVT = [(2, 100), (1, 7), (3, 255), (2, 256), (5, 300), (15, 130), (8, 255), (1, 2000),
       (20, 3), (64, 7), (200, 5), (16, 1)]


@pytest.mark.parametrize("nk", MVT, ids=[str(c) for c in MVT])
def test_transposed_matrix_vector_products_are_pytorchs(avx512_host,
                                                         nk: tuple[int, int]) -> None:
    from gradcli.ad.kernels import linalg as KL

    n, k = nk
    rng = np.random.default_rng(n * 31 + k)
    for _ in range(4):
        x = rng.standard_normal((k, n)).astype(np.float32)
        g = rng.standard_normal(k).astype(np.float32)
        tx, tg = _torch(x), _torch(g)
        assert KL.mv(x.T, g).tobytes() == (tx.t() @ tg).numpy().tobytes()
        assert KL.mv_t_checked(x, g).tobytes() == (tx.t() @ tg).numpy().tobytes()
        assert KL.mm(g[None], x).tobytes() == (tg[None] @ tx).numpy().tobytes()


# nn.Linear(k, 1) of a batch (the forward: sgemv 'T', then + bias; the weight gradient
# gᵀ @ x: sgemv 'N') and nn.Linear(k, n) of one sample (sgemv 'T' on W)
LINEAR1 = [(100, 1, 2), (64, 1, 3), (2000, 1, 3), (50, 1, 10), (7, 1, 15), (7, 1, 33),
           (1000, 1, 100),
           (1, 10, 784), (1, 64, 100), (1, 3, 2), (1, 128, 20)]


@pytest.mark.parametrize("mnk", LINEAR1, ids=[str(c) for c in LINEAR1])
def test_linear_of_one_output_or_one_sample_is_pytorchs(avx512_host,
                                                        mnk: tuple[int, int, int]) -> None:
    from gradcli.ad.kernels import linalg as KL
    from gradcli.ad.kernels import nn as KN

    torch = avx512_host
    m, n, k = mnk
    rng = np.random.default_rng(m * 131 + n * 17 + k)
    x = rng.standard_normal((m, k)).astype(np.float32)
    w = rng.standard_normal((n, k)).astype(np.float32)
    bias = rng.standard_normal(n).astype(np.float32)
    g = rng.standard_normal((m, n)).astype(np.float32)
    tx, tw, tg = _torch(x), _torch(w), _torch(g)
    want = torch.nn.functional.linear(tx, tw, _torch(bias)).numpy()
    assert KN.linear(x, w, bias).tobytes() == want.tobytes()
    assert KL.mm(x, w.T).tobytes() == (tx @ tw.t()).numpy().tobytes()
    if n == 1 and k < 16:  # the weight gradient (16 outputs and more: not modelled)
        assert KL.mm(g.T, x).tobytes() == (tg.t() @ tx).numpy().tobytes()


LINREG = """\
import torch
torch.manual_seed(0)
X = torch.randn(100, 2)
y = X @ torch.tensor([2.0, -3.4]) + 4.2 + 0.01 * torch.randn(100)
w = torch.zeros(2, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for epoch in range(20):
    loss = ((X @ w + b - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
        b -= 0.1 * b.grad
        w.grad.zero_()
        b.grad.zero_()
    print(f"{loss.item():.9g}")
net = torch.nn.Linear(3, 1)
xs = torch.randn(64, 3)
opt = torch.optim.SGD(net.parameters(), lr=0.1)
for _ in range(20):
    opt.zero_grad()
    l = torch.nn.functional.mse_loss(net(xs), xs.sum(1, keepdim=True))
    l.backward()
    opt.step()
    print(f"{l.item():.9g}")
print(net.weight.data, net.bias.data)
"""


def test_linear_regression_prints_pytorchs_digits(avx512_host, tmp_path) -> None:
    """Round 20's pending probes p01 and p44 in small: X @ w, Xᵀ @ g, nn.Linear(3, 1)."""
    import subprocess
    import sys

    src = tmp_path / "linreg.py"
    src.write_text(LINREG)
    want = subprocess.run([sys.executable, str(src)], capture_output=True, text=True,
                          check=True).stdout
    got = subprocess.run([sys.executable, "-m", "gradcli", "run", str(src)],
                         capture_output=True, text=True, check=True).stdout
    assert got == want
