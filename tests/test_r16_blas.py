"""Round 16: dot products and matrix-vector products give PyTorch's (MKL's) last bits.

torch.dot is MKL's sdot/ddot and torch.mv of a row-major matrix (W @ v, a one-column mm,
nn.Linear(k, 1)'s addmm) its gemv; kernels/mkl_gemv.py emulates both orders (measured:
bench/blas_sweep.py). PyTorch's tensors are 64-byte aligned (its allocator), so the
torch side copies the factors into tensors of its own (MKL's kernels peel by alignment).
"""

from __future__ import annotations

import numpy as np
import pytest
from pyrun import gd_output, torch_output


def _torch(x: np.ndarray):
    torch = pytest.importorskip("torch")
    return torch.from_numpy(np.ascontiguousarray(x)).clone()


# (m, k): rows in blocks of four and the 1-3 rows past them, k across the first part
# (k % 4, k % 2), the blocks of 8 and the tail.
MV = [(1, 1), (1, 5), (1, 23), (2, 33), (3, 64), (4, 3), (4, 8), (5, 21), (6, 100), (7, 29),
      (8, 33), (11, 50), (12, 47), (64, 13), (64, 64), (100, 10), (3, 784), (40, 200)]


@pytest.mark.parametrize("mk", MV, ids=[str(c) for c in MV])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matrix_vector_products_are_pytorchs(mk: tuple[int, int], dtype: str) -> None:
    torch = pytest.importorskip("torch")
    from gradcli.ad.kernels import linalg as KL

    m, k = mk
    rng = np.random.default_rng(m * 1009 + k)
    a = rng.standard_normal((m, k)).astype(dtype)
    v = rng.standard_normal(k).astype(dtype)
    w = rng.standard_normal((1, k)).astype(dtype)
    bias = rng.standard_normal(1).astype(dtype)
    want = torch.mv(_torch(a), _torch(v)).numpy()
    if m * k <= KL._MV_IN_ORDER_MAX:  # past it mv keeps BLAS (a chain of mv's: bench W2)
        assert KL.mv(a, v).tobytes() == want.tobytes()
    else:
        np.testing.assert_allclose(KL.mv(a, v), want, rtol=1e-4, atol=1e-4)
    # a one-column product (x @ w.T, X @ w) and nn.Linear(k, 1): gemv, the bias after
    want = torch.mm(_torch(a), _torch(w).t()).numpy()
    assert KL.product(a, w.T).tobytes() == want.tobytes()
    if m > 1:
        col = np.ascontiguousarray(w.T)
        assert KL.product(a, col).tobytes() == torch.mm(_torch(a), _torch(col)).numpy().tobytes()
    from gradcli.ad.kernels import nn as KN

    want = torch.nn.functional.linear(_torch(a), _torch(w), _torch(bias)).numpy()
    assert KN.linear(a, w, bias).tobytes() == want.tobytes()


DOT = [1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 23, 24, 31, 33, 47, 64, 100, 784, 3000]


@pytest.mark.parametrize("k", DOT)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dot_products_are_pytorchs(k: int, dtype: str) -> None:
    torch = pytest.importorskip("torch")
    from gradcli.ad.kernels import linalg as KL

    rng = np.random.default_rng(k)
    a = rng.standard_normal(k).astype(dtype)
    b = rng.standard_normal(k).astype(dtype)
    got = np.asarray(KL.dot(a, b))
    assert got.dtype == a.dtype
    assert got.tobytes() == torch.dot(_torch(a), _torch(b)).numpy().tobytes()


def test_negative_zero_products_sum_to_positive_zero() -> None:
    """MKL's sums start from +0: -0 products give +0, as numpy's BLAS's do."""
    from gradcli.ad.kernels import linalg as KL

    for m, k in ((5, 40), (4, 9), (1, 3)):
        a = np.full((m, k), -0.0, np.float32)
        assert not np.signbit(KL.mv(a, np.ones(k, np.float32))).any()
        assert not np.signbit(KL.dot(a[0], np.ones(k, np.float32)))


# (m, n, k, layout): float32 products whose rows are not all in MKL's fused chains
# (kernels/mkl_gemm): a @ bᵀ with n < 12 (or m ≤ 3) in 4 lanes (8 past the last block of
# four columns) after each row's alignment; one row of x @ Wᵀ (gemv on W); rows past the
# last block of four.
GEMM = [(2, 4, 13, "nt"), (5, 8, 23, "nt"), (100, 4, 33, "nt"), (3, 16, 50, "nt"),
        (16, 8, 300, "nt"), (1, 10, 13, "nt"), (1, 64, 100, "nt"), (10, 32, 13, "nt"),
        (6, 12, 17, "nt"), (7, 16, 8, "nt"), (10, 64, 100, "nt"), (13, 20, 30, "nt"),
        (10, 32, 13, "nn"), (7, 12, 8, "nn"), (9, 20, 64, "nn"), (5, 16, 100, "tn"),
        (10, 32, 13, "tn"), (64, 10, 13, "nt"), (5, 3, 100, "nt"), (2, 13, 7, "nt"),
        (32, 5, 300, "nt"), (17, 2, 9, "nt"),
        # k past 192: the chains split in blocks (linalg._chain_blocks)
        (8, 16, 256, "nn"), (8, 16, 301, "nt"), (4, 12, 500, "tn"), (12, 16, 784, "nt"),
        (16, 12, 385, "nn")]


@pytest.mark.parametrize("case", GEMM, ids=[str(c) for c in GEMM])
def test_matrix_products_past_the_chains_are_pytorchs(case: tuple[int, int, int, str]) -> None:
    torch = pytest.importorskip("torch")
    from gradcli.ad.kernels import linalg as KL

    m, n, k, layout = case
    rng = np.random.default_rng(m * 7 + n * 131 + k)
    a = rng.standard_normal((k, m) if layout == "tn" else (m, k)).astype(np.float32)
    b = rng.standard_normal((n, k) if layout == "nt" else (k, n)).astype(np.float32)
    ta, tb = _torch(a), _torch(b)
    if layout == "tn":
        a, ta = a.T, ta.t()
    if layout == "nt":
        b, tb = b.T, tb.t()
    assert KL.product(a, b).tobytes() == torch.mm(ta, tb).numpy().tobytes()


PROGRAM = """
import torch
torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(13, 32), torch.nn.Tanh(), torch.nn.Linear(32, 1))
x = torch.randn(10, 13)
y = net(x)
print(y.squeeze().tolist())
w = torch.randn(13)
print((x @ w).tolist(), torch.dot(w, w).item(), torch.mv(x, w).sum().item())
"""


def test_linear_to_one_output_prints_pytorchs_digits() -> None:
    pytest.importorskip("torch")
    assert gd_output(PROGRAM) == torch_output(PROGRAM)


# Real-code probes that printed other last digits before round 16 (compare.py DIFF):
# logistic regression on nn.Linear(7, 1), a PINN's input layer and Linear(20, 1).
LOGREG = """
import torch
import torch.nn as nn
torch.manual_seed(5)
X = torch.randn(50, 7)
y = (X[:, 0] > 0).float().unsqueeze(1)
model = nn.Linear(7, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.5)
crit = nn.BCEWithLogitsLoss()
for i in range(25):
    opt.zero_grad()
    loss = crit(model(X), y)
    loss.backward()
    opt.step()
    if i % 6 == 0:
        print(i, loss.item(), model.weight.grad.norm().item())
print(model.weight, model.bias)
"""

PINN = """
import torch
import torch.nn as nn
torch.manual_seed(4)
net = nn.Sequential(nn.Linear(2, 20), nn.Tanh(), nn.Linear(20, 20), nn.Tanh(), nn.Linear(20, 1))
xt = torch.rand(64, 2, requires_grad=True)
u = net(xt)
du = torch.autograd.grad(u.sum(), xt, create_graph=True)[0]
u_x, u_t = du[:, 0], du[:, 1]
loss = (u_t + u.squeeze() * u_x).pow(2).mean()
loss.backward()
print(loss.item())
print(u[:3].squeeze().tolist())
print(net[0].weight.grad[:2])
print(net[4].weight.grad[0, :5])
"""


@pytest.mark.parametrize("text", [LOGREG, PINN], ids=["logreg", "pinn"])
def test_real_code_probes_print_pytorchs_digits(text: str) -> None:
    pytest.importorskip("torch")
    assert gd_output(text) == torch_output(text)
