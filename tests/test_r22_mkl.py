"""Round 22: more of MKL's AVX-512 matrix products bit for bit.

On an Intel processor with AVX-512 MKL's dgemv sums a row-major float64 matrix's rows
('T': torch.mv, X @ w of a float64 logistic regression) in two 4-lane accumulators (four
from k = 32; unfused for 16 <= k < 32) and a column-major one's (Xᵀ @ g) as fused chains,
in halves where two threads split k (kernels/mkl_dgemv512.py); its sgemm sums x @ Wᵀ with
two or three columns and k < 64 (nn.Linear(k, 2) of a small batch) in 16 lanes folded by
halves (kernels/mkl_avx512.halves); its sgemv sums Xᵀ @ g of 16 outputs or more in units of
eight columns (kernels/mkl_gemv512.mv_cols_wide); x @ Wᵀ with more than 256 outputs past k = 384 in
chain_split's order where measured (mkl_avx512._wide_chains); Xᵀ @ Wᵀ below 12 rows
chains where measured. The sweeps compare gradcli
with PyTorch on such a host; elsewhere they skip. The torch side copies the factors into
tensors of its own (64-byte aligned, as programs' tensors are).
"""

from __future__ import annotations

import numpy as np
import pytest
from mkl_host import torch_copy as _torch


def test_the_column_split_is_known_where_it_was_measured() -> None:
    from gradcli.ad.kernels.mkl_dgemv512 import cols_split

    assert cols_split(2, 266) is False and cols_split(2, 267) is True
    assert cols_split(24, 199) is False and cols_split(24, 200) is True
    assert cols_split(100, 127) is False and cols_split(100, 128) is True
    assert cols_split(50, 400) is False  # 41-58 outputs: one chain up to k = 416
    assert cols_split(64, 300) is None  # not measured
    assert cols_split(1500, 3000) is False


# torch.mv of a row-major float64 matrix (p31's X @ w, 50×2): k across the part block,
# the unfused 16-31 and the four accumulators from 32, rows and threads alike
MV64 = [(50, 2), (1, 1), (3, 3), (4, 5), (7, 9), (8, 13), (5, 16), (6, 17), (12, 31),
        (2, 32), (3, 33), (9, 47), (100, 64), (64, 100), (200, 300), (3, 784), (1000, 50)]


@pytest.mark.parametrize("mk", MV64, ids=[str(c) for c in MV64])
def test_float64_matrix_vector_products_are_pytorchs(avx512_host, mk: tuple[int, int]) -> None:
    from gradcli.ad.kernels import linalg as KL

    torch = avx512_host
    m, k = mk
    rng = np.random.default_rng(m * 7919 + k)
    for _ in range(4):
        a = rng.standard_normal((m, k))
        v = rng.standard_normal(k)
        theirs = torch.mv(_torch(a), _torch(v)).numpy().tobytes()
        if m * k > KL._MV_IN_ORDER_MAX:  # mv keeps numpy's BLAS there: the model itself
            assert KL._gemv512(a, v).tobytes() == theirs
            continue
        assert KL.mv(a, v).tobytes() == theirs
        w = v[:, None]  # the one-column product X @ w (matmul by a k×1 matrix)
        assert KL.mm(a, w).tobytes() == torch.mm(_torch(a), _torch(w)).numpy().tobytes()


# Xᵀ @ g in float64 (p31's X.T @ (p - y), the mv backward of X @ w): one chain, halves
# where two threads split k
MVT64 = [(2, 50), (2, 266), (2, 267), (3, 1000), (20, 100), (24, 200), (45, 400),
         (100, 127), (100, 128), (300, 200), (1100, 200)]


@pytest.mark.parametrize("nk", MVT64, ids=[str(c) for c in MVT64])
def test_float64_transposed_matrix_vector_products_are_pytorchs(avx512_host,
                                                                nk: tuple[int, int]) -> None:
    from gradcli.ad.kernels import linalg as KL

    torch = avx512_host
    n, k = nk
    rng = np.random.default_rng(n * 31 + k)
    for _ in range(3):
        x = rng.standard_normal((k, n))
        g = rng.standard_normal(k)
        theirs = torch.mv(_torch(x).t(), _torch(g)).numpy()
        # Past _MV_IN_ORDER_MAX products mv keeps numpy's BLAS (the model's float64
        # fused multiply-adds cost ~0.3 ms a 64×64 call: bench W2): the model itself here.
        ours = KL.mv_t_checked(x, g) if n * k <= KL._MV_IN_ORDER_MAX else KL._gemv512(
            x.swapaxes(0, 1), g)
        assert ours.tobytes() == theirs.tobytes()


# Xᵀ @ g and gᵀ @ X with 16 outputs or more (sgemv 'N': nn.Linear(k >= 16, 1)'s weight
# gradient, a PINN's output layer): units of eight columns a block of 16 rows, the rows
# past the blocks chained, halves from k = 256 except for 41-69 rows
WIDE_N = [(16, 8), (20, 64), (17, 33), (32, 255), (16, 256), (48, 300), (41, 100), (70, 300),
          (100, 9), (128, 500), (1000, 20), (64, 7)]


@pytest.mark.parametrize("nk", WIDE_N, ids=[str(c) for c in WIDE_N])
def test_transposed_products_of_many_outputs_are_pytorchs(avx512_host,
                                                          nk: tuple[int, int]) -> None:
    from gradcli.ad.kernels import linalg as KL

    torch = avx512_host
    n, k = nk
    rng = np.random.default_rng(n * 17 + k)
    for _ in range(3):
        x = rng.standard_normal((k, n)).astype(np.float32)
        g = rng.standard_normal(k).astype(np.float32)
        theirs = torch.mm(_torch(g[None, :]), _torch(x)).numpy()
        assert KL.mm(g[None, :], x).tobytes() == theirs.tobytes()
        theirs = torch.mm(_torch(x).t(), _torch(g[:, None])).numpy()
        assert KL.mm(x.T, g[:, None]).tobytes() == theirs.tobytes()
        if n * k <= 2048:  # torch.mv's cap (bench W2's 64×64 keeps BLAS past it)
            theirs = torch.mv(_torch(x).t(), _torch(g)).numpy()
            assert KL.mv_t_checked(x, g).tobytes() == theirs.tobytes()


# nn.Linear(k, 2 or 3) of a small batch: x @ Wᵀ (+ bias, added after)
HALVES = [(6, 2, 4), (2, 2, 2), (15, 2, 17), (10, 3, 31), (3, 3, 5), (7, 2, 32), (6, 2, 47),
          (9, 3, 48), (14, 2, 63), (2, 3, 40)]


@pytest.mark.parametrize("mnk", HALVES, ids=[str(c) for c in HALVES])
def test_linear_to_two_or_three_outputs_is_pytorchs(avx512_host,
                                                    mnk: tuple[int, int, int]) -> None:
    from gradcli.ad.kernels import linalg as KL
    from gradcli.ad.kernels import nn as KN

    torch = avx512_host
    m, n, k = mnk
    rng = np.random.default_rng(m * 101 + n * 7 + k)
    for _ in range(4):
        x = rng.standard_normal((m, k)).astype(np.float32)
        w = rng.standard_normal((n, k)).astype(np.float32)
        b = rng.standard_normal(n).astype(np.float32)
        theirs = torch.nn.functional.linear(_torch(x), _torch(w), _torch(b)).numpy()
        assert KN.linear(x, w, b).tobytes() == theirs.tobytes()
        theirs = torch.mm(_torch(x), _torch(w).t()).numpy()
        assert KL.mm(x, w.T).tobytes() == theirs.tobytes()


# x @ Wᵀ (+ bias) with more than 256 outputs past k = 384 from 16 rows: chain_split's
# blocks and thread tree (up to k = 768; past it for the rows and columns measured)
WIDE = [(16, 300, 500), (20, 257, 700), (32, 512, 600), (64, 300, 784), (128, 300, 400),
        (17, 1000, 450), (40, 280, 1000)]


@pytest.mark.parametrize("mnk", WIDE, ids=[str(c) for c in WIDE])
def test_wide_linear_layers_are_pytorchs(avx512_host, mnk: tuple[int, int, int]) -> None:
    from gradcli.ad.kernels import linalg as KL
    from gradcli.ad.kernels import nn as KN

    torch = avx512_host
    m, n, k = mnk
    rng = np.random.default_rng(m + n + k)
    x = rng.standard_normal((m, k)).astype(np.float32)
    w = rng.standard_normal((n, k)).astype(np.float32)
    b = rng.standard_normal(n).astype(np.float32)
    theirs = torch.nn.functional.linear(_torch(x), _torch(w), _torch(b)).numpy()
    assert KN.linear(x, w, b).tobytes() == theirs.tobytes()
    assert KL.mm(x, w.T).tobytes() == torch.mm(_torch(x), _torch(w).t()).numpy().tobytes()


# Xᵀ @ Wᵀ (two transposed views: create_graph products of a PINN's layers) below 12
# rows: chains from 8 rows, or n ≤ m, or k > n
TT = [(2, 20, 21), (2, 64, 100), (3, 4, 5), (5, 5, 2), (7, 7, 4), (8, 20, 5), (11, 64, 400),
      (6, 32, 50)]


@pytest.mark.parametrize("mnk", TT, ids=[str(c) for c in TT])
def test_products_of_two_transposed_views_are_pytorchs(avx512_host,
                                                       mnk: tuple[int, int, int]) -> None:
    from gradcli.ad.kernels import linalg as KL

    torch = avx512_host
    m, n, k = mnk
    rng = np.random.default_rng(m * 13 + n * 5 + k)
    for _ in range(3):
        a = rng.standard_normal((k, m)).astype(np.float32)
        b = rng.standard_normal((n, k)).astype(np.float32)
        theirs = torch.mm(_torch(a).t(), _torch(b).t()).numpy()
        assert KL.mm(a.T, b.T).tobytes() == theirs.tobytes()


PROGRAMS = {
    # bench/realcode/pending_r21/p31: float64 logistic regression by hand (X 50×2)
    "logreg64": """
import torch
torch.manual_seed(0)
N = 50
X = torch.randn(N, 2, dtype=torch.float64)
y = (X[:, 0] + X[:, 1] > 0).double()
w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
b = torch.zeros(1, dtype=torch.float64, requires_grad=True)
for _ in range(30):
    z = X @ w + b
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
    loss.backward()
    with torch.no_grad():
        w -= 0.5 * w.grad
        b -= 0.5 * b.grad
    w.grad.zero_()
    b.grad.zero_()
print(loss.item(), w.tolist(), (X.T @ (torch.sigmoid(X @ w + b) - y) / N).tolist())
""",
    # pending_r21/p38: nn.Linear(4, 2) of 6 rows, its weight gradient and clipping
    "linear_4_2": """
import torch
from torch import nn
torch.manual_seed(0)
model = nn.Linear(4, 2)
x = torch.randn(6, 4) * 10
out = model(x)
out.pow(2).mean().backward()
print(out.tolist())
print(model.weight.grad.tolist())
print(nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0).item())
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_programs_print_what_pytorch_prints(avx512_host, name: str, tmp_path) -> None:
    import subprocess
    import sys

    path = tmp_path / f"{name}.py"
    path.write_text(PROGRAMS[name])
    torch_out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                               check=True).stdout
    gd_out = subprocess.run([sys.executable, "-m", "gradcli", "run", str(path)],
                            capture_output=True, text=True, check=True).stdout
    assert gd_out == torch_out
