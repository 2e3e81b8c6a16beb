"""Round 15, autograd as real code uses it: programs in the shape of tutorials and Q&A
answers (gradient penalties, PINN residuals, node hooks, the functional API), each run
under gd and under PyTorch and compared byte for byte, with printed digits enough to see
the last bit of a gradient; and the kernel tables those last bits rest on."""

from __future__ import annotations

import numpy as np
import pytest
from pyrun import gd_output, torch_output

PROGRAMS = {
    # A WGAN-GP style gradient penalty: the first-order gradient g @ W1ᵀ (16×8 by a
    # transposed 4×8) sums in MKL's 4 lanes; .item() shows all 17 digits.
    "gradient_penalty": """
torch.manual_seed(0)
W1 = torch.randn(4, 8, requires_grad=True)
b1 = torch.randn(8, requires_grad=True)
W2 = torch.randn(8, 1, requires_grad=True)
def D(x):
    h = torch.tanh(x @ W1 + b1)
    return (h @ W2).squeeze(-1)
for step in range(3):
    x = torch.randn(16, 4, requires_grad=True)
    out = D(x)
    g, = torch.autograd.grad(out.sum(), x, create_graph=True)
    gp = ((g.norm(2, dim=1) - 1) ** 2).mean()
    loss = out.mean() + 10 * gp
    loss.backward()
    print(step, loss.item(), gp.item(), W1.grad.sum().item(), b1.grad.norm().item())
    with torch.no_grad():
        for p in (W1, b1, W2):
            p -= 0.01 * p.grad
            p.grad.zero_()
""",
    # nn.Linear(8, 4)'s forward is x @ Wᵀ: the same 4-lane sums.
    "linear_forward_bits": """
torch.set_printoptions(precision=10)
torch.manual_seed(0)
W = torch.randn(4, 8)
b = torch.randn(3, 8)
x = torch.randn(16, 8, dtype=torch.float64)
print(b @ W.t())
print(torch.mm(torch.randn(5, 16), torch.randn(3, 16).t()))
print((x @ torch.randn(6, 8, dtype=torch.float64).t())[:2])
print((x @ torch.randn(4, 8, dtype=torch.float64).t())[:2])
torch.set_printoptions(precision=4)
""",
    # A post-hook on a node whose input is a Python number (x * x + 1): that slot is None.
    "node_hook_number_operand": """
x = torch.tensor([0.3, 0.7], requires_grad=True)
y = (x * x + 1).sum()
y.grad_fn.next_functions[0][0].register_hook(lambda gi, go: print(gi, go))
y.backward()
print(x.grad)
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    text = "import torch\n" + PROGRAMS[name]
    assert gd_output(text) == torch_output(text)


# (m, n, k) of a row-major a (m×k) by a transposed view b (k×n): MKL's small kernel sums
# each output's products in lanes (kernels/linalg._in_lanes); and shapes outside it.
LANES = [(2, 4, 8), (16, 4, 8), (16, 8, 32), (3, 12, 16), (2, 64, 4), (100, 8, 256),
         (16, 2, 8), (7, 3, 24), (16, 12, 8), (16, 4, 6), (1, 8, 8)]


@pytest.mark.parametrize("mnk", LANES, ids=[str(c) for c in LANES])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_products_by_a_transposed_matrix_are_pytorchs(mnk: tuple[int, int, int],
                                                       dtype: str) -> None:
    torch = pytest.importorskip("torch")
    from gradcli.ad.kernels import linalg as KL

    m, n, k = mnk
    rng = np.random.default_rng(m * 10007 + k * 101 + n)
    a = rng.standard_normal((m, k)).astype(dtype)
    b0 = rng.standard_normal((n, k)).astype(dtype)
    want = (torch.from_numpy(a) @ torch.from_numpy(b0).T).numpy()
    got = KL.product(a, b0.T)
    assert got.flags.c_contiguous
    if KL._in_lanes(m, n, k, False, True, np.dtype(dtype)):
        assert got.tobytes() == want.tobytes()
    else:
        np.testing.assert_allclose(got, want, atol=1e-4 if dtype == "float32" else 1e-12)


def test_lane_sums_keep_zero_positive() -> None:
    """The lanes start from +0: a row of -0 products sums to +0, as MKL's does."""
    from gradcli.ad.kernels import linalg as KL

    a = np.full((2, 8), -0.0, np.float32)
    b = np.ones((4, 8), np.float32).T
    assert KL._in_lanes(2, 4, 8, False, True, np.dtype(np.float32)) == 4
    assert not np.signbit(KL.product(a, b)).any()
