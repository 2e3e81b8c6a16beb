"""Round 17: float32 matrix products of PyTorch's CPU build (MKL's sgemm) bit for bit where
rounds 15-16 left numpy's BLAS, and mm's gradients in ATen's orientation.

a @ b with b row-major and n < 12 (X @ W of a softmax regression, nn.Linear(k, n)'s weight
gradient), the rows past the last block of four (n ≥ 12) and products of 1-3 rows: each
output's products one after another, except the columns a row of the result peels to its
16-byte boundary (kernels/mkl_gemm.peeled_columns). ATen's mm_mat2_backward takes a
column-major factor's gradient as the transpose of the other product: nn.Linear's weight
gradient is gᵀ @ x (kernels/linalg.mm_mat2_grad). Measured with bench/blas_sweep.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from pyrun import gd_output, torch_output

from gradcli.ad.kernels import linalg as KL
from gradcli.ad.kernels import mkl_gemm as MG


def _torch(x: np.ndarray):
    torch = pytest.importorskip("torch")
    return torch.from_numpy(np.ascontiguousarray(x)).clone()  # 64-byte aligned, as programs'


# torch 2.13's bits (float32 as uint32) for default_rng(seed) factors: row 1 of a 2×12 @
# 12×10 (its first two columns peeled: blocks of four, the odd ones summed apart) and rows
# 4-6 of a 30×7 transposed view @ 30×50 (row 5 peels two columns).
PEELED = [((2, 12, 10, False, 1), (1, slice(0, 2)), [1083297250, 3219414876]),
          ((7, 30, 50, True, 0), (slice(4, 7), slice(0, 3)),
           [[3240845685, 3237019936, 3203041654], [1092956272, 1084356723, 1076416519],
            [1077450110, 3241580454, 3247121953]])]


@pytest.fixture
def avx2_path(monkeypatch: pytest.MonkeyPatch):
    """MKL's AVX2 path, whatever this CPU (the literals are an AMD host's torch bits; an
    Intel AVX-512 host's MKL takes kernels/mkl_avx512's orders)."""
    from gradcli.ad.kernels import mkl_path

    monkeypatch.setenv("GRADCLI_MKL_PATH", "avx2")
    mkl_path.mkl_avx512.cache_clear()
    yield
    monkeypatch.undo()
    mkl_path.mkl_avx512.cache_clear()


@pytest.mark.parametrize("case", PEELED, ids=["nn n=10", "tn leftover rows"])
def test_peeled_columns_are_pytorchs_literal_bits(case, avx2_path) -> None:
    (m, k, n, a_t, seed), where, bits = case
    rng = np.random.default_rng(seed)
    if a_t:
        a = rng.standard_normal((k, m)).astype(np.float32).T
    else:
        a = rng.standard_normal((m, k)).astype(np.float32)
    b = rng.standard_normal((k, n)).astype(np.float32)
    got = KL.mm(a, b)[where]
    assert got.view(np.uint32).tolist() == bits
    assert MG.in_order(a, b)[where].view(np.uint32).tolist() != bits  # the peel matters


def test_alternate_blocks_order() -> None:
    """Blocks of four: the even ones into the running sum, each odd one summed apart."""
    p = np.array([[2.0 ** 24, 1, 1, 1, 1, 1, 1, 1, -(2.0 ** 24), 1]], np.float32)
    # (((H + 1) + 1) + 1) = H; + (1+1+1+1) = H + 4; + (-H) = 4; + 1 = 5
    assert MG.alternate_blocks(p).tolist() == [5.0]
    assert MG.in_order(p, np.ones((10, 1), np.float32)).tolist() == [[1.0]]


def test_in_order_sums_one_after_another_for_every_shape() -> None:
    """One output (a single column of sums) must not fall to numpy's pairwise sum."""
    k = 40
    a = np.ones((1, k), np.float32)
    a[0, 0] = 2.0 ** 24
    b = np.ones((k, 1), np.float32)
    assert MG.in_order(a, b)[0, 0] == 2.0 ** 24  # each 1 is lost
    rng = np.random.default_rng(3)
    for m, n, k in ((3, 5, 70000), (300, 7, 300), (2, 400, 9)):  # blocks of k, wide
        a = rng.standard_normal((m, k)).astype(np.float32)
        b = rng.standard_normal((k, n)).astype(np.float32)
        want = np.zeros((m, n), np.float32)
        for j in range(k):
            want = want + a[:, j, None] * b[j]
        assert MG.in_order(a, b).tobytes() == (want + 0).tobytes()


# (m, n, k, layout): float32 products that summed in numpy's BLAS before round 17.
GEMM = [(8, 10, 10, "nn"), (16, 9, 192, "nn"), (8, 7, 400, "nn"), (64, 10, 784, "nn"),
        (6, 5, 50, "tn"), (50, 10, 64, "tn"), (784, 10, 64, "tn"), (12, 11, 50, "nn"),
        (50, 8, 200, "nn"), (200, 2, 784, "nn"),
        # the rows past the last block of four, peeled; k ≤ 4 chains up to 100 columns
        (10, 50, 30, "tn"), (7, 32, 4, "nn"), (7, 128, 2, "tn"), (6, 20, 3, "tn"),
        (5, 101, 4, "nn"), (7, 17, 8, "nn"),
        # k past 192 with leftover rows; 1-3 rows of n ≥ 12
        (5, 50, 200, "nn"), (6, 64, 256, "nn"), (7, 32, 200, "tn"), (7, 48, 300, "nt"),
        (2, 50, 20, "nn"), (3, 50, 200, "tn"),
        # x @ Wᵀ with n ≥ 12 not a multiple of 4: the leftover rows' last columns in 8 lanes
        (5, 50, 13, "nt"), (7, 50, 3, "nt"), (6, 14, 20, "nt"), (11, 30, 400, "nt"),
        (13, 50, 20, "nt")]


# float64 (dgemm): the same one-after-another sums and peels (16 bytes: 2 columns) for
# n < 12 and 1-3 rows, a transposed matrix times a column in order.
GEMM64 = [(8, 5, 20, "nn"), (8, 3, 20, "nn"), (8, 11, 200, "nn"), (8, 9, 300, "tn"),
          (3, 7, 50, "nn"), (2, 20, 20, "nn"), (1, 20, 20, "nn"), (64, 10, 100, "tn"),
          (5, 1, 5, "tn"), (128, 1, 28, "tn"), (20, 1, 784, "tn"),
          # a row by a column (1×k @ k×1): in order (the fuzzer's class (l) found it)
          (1, 1, 31, "nn"), (1, 1, 300, "nn")]


CASES = [(*c, "float32") for c in GEMM] + [(*c, "float64") for c in GEMM64]


@pytest.mark.parametrize("case", CASES, ids=[str(c) for c in CASES])
def test_matrix_products_are_pytorchs(case: tuple[int, int, int, str, str]) -> None:
    torch = pytest.importorskip("torch")
    m, n, k, layout, dtype = case
    rng = np.random.default_rng(m * 7 + n * 131 + k)
    for _ in range(3):
        a = rng.standard_normal((k, m) if layout == "tn" else (m, k)).astype(dtype)
        b = rng.standard_normal((n, k) if layout == "nt" else (k, n)).astype(dtype)
        ta, tb = _torch(a), _torch(b)
        if layout == "tn":
            a, ta = a.T, ta.t()
        if layout == "nt":
            b, tb = b.T, tb.t()
        assert KL.mm(a, b).tobytes() == torch.mm(ta, tb).numpy().tobytes()


def test_column_major_is_atens_test() -> None:
    w = np.ones((6, 30), np.float32)
    assert KL.column_major(w.T) and not KL.column_major(w)
    assert not KL.column_major(np.ones((30, 12), np.float32)[:, ::2])


GRADS = """
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(9, 30)
W = torch.randn(6, 30, requires_grad=True)
b = torch.randn(6, requires_grad=True)
g = torch.randn(9, 6)
(x @ W.t()).backward(g)
print(W.grad.tolist()[0][:5])
W.grad = None
F.linear(x, W, b).backward(g)
print(W.grad.tolist()[1][:5])
W.grad = None
torch.addmm(b, x, W.t()).backward(g)
print(W.grad.tolist()[2][:5])
xt = torch.randn(30, 9).t().requires_grad_()
V = torch.randn(30, 6)
(xt @ V).backward(g)
print(xt.grad.tolist()[3][:5], xt.grad.stride())
W.grad = None
out = F.linear(x, W, b)
gw, = torch.autograd.grad(out.pow(2).sum(), W, create_graph=True)
print(gw.grad_fn.name(), gw.grad_fn.next_functions[0][0].name())
gw.sum().backward()
print(W.grad.tolist()[0][:4])
net = nn.Sequential(nn.Flatten(), nn.Linear(50, 10))
x = torch.randn(30, 50)
y = torch.randint(0, 10, (30,))
opt = torch.optim.SGD(net.parameters(), lr=0.1)
for i in range(3):
    opt.zero_grad()
    loss = nn.CrossEntropyLoss()(net(x), y)
    loss.backward()
    print(i, loss.item(), net[1].weight.grad[:, :3].tolist())
    opt.step()
"""


def test_mm_gradients_take_atens_orientation() -> None:
    """nn.Linear's and x @ Wᵀ's weight gradient is gᵀ @ x (mm_mat2_backward of the
    column-major Wᵀ), a column-major input's (W @ gᵀ)ᵀ (probe p_linear10: the third
    step's loss differed in the last digit)."""
    pytest.importorskip("torch")
    assert gd_output(GRADS) == torch_output(GRADS)


SOFTMAX_REGRESSION = """
import torch
torch.manual_seed(0)
W = torch.normal(0, 0.01, size=(784, 10), requires_grad=True)
b = torch.zeros(10, requires_grad=True)
X = torch.rand(64, 784)
y = torch.randint(0, 10, (64,))
Z = torch.matmul(X, W) + b
print(Z.sum().item(), Z[:2].tolist())
l = torch.nn.functional.cross_entropy(Z, y)
l.backward()
print(l.item(), W.grad.sum().item(), W.grad[100:103].tolist())
"""


def test_softmax_regression_products_print_pytorchs_digits() -> None:
    """d2l's X @ W with W (784, 10) and its gradient Xᵀ @ G (n = 10 < 12)."""
    pytest.importorskip("torch")
    assert gd_output(SOFTMAX_REGRESSION) == torch_output(SOFTMAX_REGRESSION)


# Real-code probes that printed other last digits before round 17 (compare.py DIFF): an
# iris-style classifier (Linear(16, 3)'s weight gradient gᵀ @ h; X @ Wᵀ's leftover rows)
# and an MLP of hand-made weights (X @ W1 and H @ W2 with 9 and 5 columns).
PROBES = {"iris": """import torch
import torch.nn as nn
torch.manual_seed(42)
X = torch.randn(120, 4)
y = (X[:, 0] + X[:, 1] > 0).long() + (X[:, 2] > 0.5).long()
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(60):
    opt.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    opt.step()
    if epoch % 10 == 0:
        print(epoch, loss.item())
print(model[2].weight.grad)
print(model(X[:3]))
""", "manual_mlp": """import torch
torch.manual_seed(1)
X = torch.randn(50, 6)
Y = torch.randn(50, 5)
W1 = torch.randn(6, 9, requires_grad=True)
b1 = torch.zeros(9, requires_grad=True)
W2 = torch.randn(9, 5, requires_grad=True)
for step in range(20):
    H = torch.relu(X @ W1 + b1)
    P = H @ W2
    loss = ((P - Y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        for p in (W1, b1, W2):
            p -= 0.01 * p.grad
            p.grad.zero_()
    if step % 5 == 0:
        print(step, loss.item())
print(W2)
"""}


@pytest.mark.parametrize("name", sorted(PROBES))
def test_training_loops_print_pytorchs_digits(name: str) -> None:
    pytest.importorskip("torch")
    assert gd_output(PROBES[name]) == torch_output(PROBES[name])
