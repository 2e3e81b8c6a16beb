"""Round 15, autograd as real code uses it: programs in the shape of tutorials and Q&A
answers (gradient penalties, PINN residuals, node hooks, the functional API), each run
under gd and under PyTorch and compared byte for byte, with printed digits enough to see
the last bit of a gradient; and the kernel tables those last bits rest on."""

from __future__ import annotations

import numpy as np
import pytest
from pyrun import gd_output, torch_output

from gradcli import app
from gradcli.app import AppOptions
from gradcli.source import Source

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
    # The order in which a backward node makes its inputs' gradients with create_graph=True
    # (derivatives.yaml's keys sorted: other before self, mat2 before self, min/max before
    # self) is the order the next pass meets them: pre-hooks fire newest first.
    "create_graph_node_order": """
torch.manual_seed(0)
a = torch.rand(3, 3, requires_grad=True)
b = torch.rand(3, 3, requires_grad=True)
c = torch.rand(3, 3, requires_grad=True)
v = torch.rand(3, requires_grad=True)
w = torch.rand(3, requires_grad=True)
F = torch.nn.functional
cases = [
    ("mul", lambda: a * b, (a, b)),
    ("div", lambda: a / b, (a, b)), ("pow", lambda: (a + 1) ** b, (a, b)),
    ("atan2", lambda: torch.atan2(a, b), (a, b)), ("hypot", lambda: torch.hypot(a, b), (a, b)),
    ("maximum", lambda: torch.maximum(a, b), (a, b)),
    ("minimum", lambda: torch.minimum(a, b), (a, b)),
    ("sub", lambda: a - b, (a, b)), ("sub2", lambda: (a * a) - (b * b), (a, b)),
    ("where", lambda: torch.where(a > 0.5, a * a, b * b), (a, b)),
    ("lerp", lambda: torch.lerp(a, b, c), (a, b, c)),
    ("addcmul", lambda: torch.addcmul(a, b, c), (a, b, c)),
    ("addcdiv", lambda: torch.addcdiv(a, b, c + 1), (a, b, c)),
    ("mm", lambda: a @ b, (a, b)),
    ("mv", lambda: a @ v, (a, v)), ("dot", lambda: torch.dot(v, w), (v, w)),
    ("addmm", lambda: torch.addmm(c, a, b), (c, a, b)),
    ("bmm", lambda: torch.bmm(a[None], b[None]), (a, b)),
    ("matmul", lambda: torch.matmul(a, b), (a, b)),
    ("linear", lambda: F.linear(a, b, v), (a, b, v)),
    ("xlogy", lambda: torch.xlogy(a, b), (a, b)),
    ("logaddexp", lambda: torch.logaddexp(a, b), (a, b)),
    ("fmod", lambda: torch.fmod(a, b + 1), (a, b)),
    ("copysign", lambda: torch.copysign(a, b - 0.5), (a, b)),
    ("cat", lambda: torch.cat([a * a, b * b]), (a, b)),
    ("stack", lambda: torch.stack([a * a, b * b]), (a, b)),
    ("mse", lambda: F.mse_loss(a, b, reduction="none"), (a, b)),
    ("l1", lambda: F.l1_loss(a, b, reduction="none"), (a, b)),
    ("outer", lambda: torch.outer(v, w), (v, w)),
    ("cross", lambda: torch.linalg.cross(a, b), (a, b)),
    ("clamp", lambda: torch.clamp(a, min=b, max=c + 1), (a, b, c)),
    ("bce", lambda: F.binary_cross_entropy(torch.sigmoid(a), b, reduction="none"), (a, b)),
    ("smooth_l1", lambda: F.smooth_l1_loss(a, b, reduction="none"), (a, b)),
    ("huber", lambda: F.huber_loss(a, b, reduction="none"), (a, b)),
    ("kl", lambda: F.kl_div(a, b, reduction="none"), (a, b)),
    ("cosine", lambda: F.cosine_similarity(a, b), (a, b)),
]
for name, f, ins in cases:
    y = f()
    try:
        gs = torch.autograd.grad((y * y).sum(), ins, create_graph=True, allow_unused=True)
    except Exception as e:
        print(name, type(e).__name__, e)
        continue
    order = []
    for i, g in enumerate(gs):
        if g is not None and g.grad_fn is not None:
            g.grad_fn.register_prehook((lambda i: lambda go: order.append(i))(i))
    tot = sum(g.sum() for g in gs if g is not None and g.grad_fn is not None)
    torch.autograd.grad(tot, ins, allow_unused=True)
    names = [g.grad_fn.name() if g is not None and g.grad_fn is not None else None for g in gs]
    print(name, names, order)
""",
    # WGAN-GP with nn.Sequential and Adam: 17-digit losses.
    "gradient_penalty_nn": """
import torch.nn as nn
torch.manual_seed(0)
D = nn.Sequential(nn.Linear(2, 16), nn.LeakyReLU(0.2), nn.Linear(16, 16), nn.LeakyReLU(0.2),
                  nn.Linear(16, 1))
opt = torch.optim.Adam(D.parameters(), lr=1e-4, betas=(0.5, 0.9))
for step in range(4):
    real = torch.randn(8, 2) + 2
    fake = torch.randn(8, 2)
    alpha = torch.rand(8, 1)
    interp = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    d_interp = D(interp)
    grads = torch.autograd.grad(outputs=d_interp, inputs=interp,
                                grad_outputs=torch.ones_like(d_interp),
                                create_graph=True, retain_graph=True)[0]
    gp = ((grads.norm(2, dim=1) - 1) ** 2).mean()
    loss = D(fake).mean() - D(real).mean() + 10 * gp
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item(), gp.item())
""",
    # torch.autograd.grad_mode / anomaly_mode, and their context managers print as classes.
    "grad_mode_modules": """
print(torch.no_grad, torch.enable_grad, torch.set_grad_enabled, torch.inference_mode)
print(torch.autograd.no_grad)
print(type(torch.no_grad()))
from torch.autograd.grad_mode import no_grad, enable_grad
from torch.autograd import grad_mode
import torch.autograd.anomaly_mode
x = torch.ones(2, requires_grad=True)
with no_grad():
    print((x * 2).requires_grad)
with grad_mode.set_grad_enabled(False):
    print((x * 2).requires_grad)
print(torch.autograd.detect_anomaly, torch.autograd.set_detect_anomaly)
print(torch.autograd.anomaly_mode.detect_anomaly)
print(torch.autograd.grad_mode.inference_mode)
""",
    # Orders 1-4 of elementwise ops, printed to 10 digits: the nodes a create_graph pass
    # makes come in PyTorch's order (GCC evaluates a C++ operator's right operand first:
    # silu's, sinc's and gelu's formulas), and softplus's double backward is PyTorch's.
    "higher_orders_elementwise": """
torch.set_printoptions(precision=10)
x = torch.tensor([0.3, 0.7, 1.3, 2.1], requires_grad=True)
for name, f in [("exp", torch.exp), ("log", torch.log), ("sin", torch.sin), ("cos", torch.cos),
                ("tanh", torch.tanh), ("sigmoid", torch.sigmoid), ("sqrt", torch.sqrt),
                ("rsqrt", torch.rsqrt), ("reciprocal", torch.reciprocal), ("atan", torch.atan),
                ("asin", lambda t: torch.asin(t/3)), ("erf", torch.erf), ("log1p", torch.log1p),
                ("expm1", torch.expm1), ("softplus", torch.nn.functional.softplus),
                ("gelu", torch.nn.functional.gelu), ("silu", torch.nn.functional.silu),
                ("pow3", lambda t: t ** 3), ("pow2.5", lambda t: t ** 2.5),
                ("sinh", torch.sinh), ("cosh", torch.cosh), ("log2", torch.log2),
                ("log10", torch.log10),
                ("lgamma", torch.lgamma), ("erfc", torch.erfc),
                ("elu", torch.nn.functional.elu), ("mish", torch.nn.functional.mish),
                ("logsigmoid", torch.nn.functional.logsigmoid),
                ("atanh", lambda t: torch.atanh(t/3)), ("asinh", torch.asinh),
                ("acosh", lambda t: torch.acosh(t+1)), ("square", torch.square),
                ("exp2", torch.exp2), ("sinc", torch.sinc), ("xlogy", lambda t: torch.xlogy(t, t)),
                ("abs", torch.abs), ("hardtanh", torch.nn.functional.hardtanh)]:
    y = f(x)
    gs = []
    g = y
    for k in range(4):
        try:
            g = torch.autograd.grad(g.sum(), x, create_graph=True)[0]
        except Exception as e:
            print(name, k, type(e).__name__, e)
            break
        gs.append(g)
    print(name, [t.detach() for t in gs])
torch.set_printoptions(precision=4)
""",
    "higher_orders_reductions": """
torch.manual_seed(0)
x = torch.randn(50, requires_grad=True)
W = torch.randn(50, 50)
F = torch.nn.functional
fs = {
  "tanh_w": lambda t: torch.tanh(W[:3] @ t[:8] if False else t * W[0]).sum(),
  "sig": lambda t: torch.sigmoid(t * 2).pow(2).sum(),
  "softplus": lambda t: F.softplus(t).sum(),
  "exp_log": lambda t: torch.log(1 + torch.exp(t)).mean(),
  "sin_cos": lambda t: (t.sin() * t.cos()).sum(),
  "norm": lambda t: t.norm(),
  "mse": lambda t: F.mse_loss(t, torch.zeros(50)),
  "logsumexp": lambda t: t.logsumexp(0),
  "softmax": lambda t: (F.softmax(t, 0) * torch.arange(50.)).sum(),
  "silu": lambda t: F.silu(t).sum(),
  "elu": lambda t: F.elu(t).sum(),
  "relu2": lambda t: F.relu(t).pow(2).sum(),
  "sqrt": lambda t: (t * t + 1).sqrt().sum(),
  "cube": lambda t: (t ** 3).mean(),
  "div": lambda t: (1 / (t * t + 1)).sum(),
  "var": lambda t: t.var(),
  "std": lambda t: t.std(),
  "prod": lambda t: t[:5].prod(),
  "cumsum": lambda t: t.cumsum(0).pow(2).sum(),
  "log_softmax": lambda t: F.log_softmax(t, 0)[3],
  "bce": lambda t: F.binary_cross_entropy_with_logits(t, torch.ones(50)),
  "atan": lambda t: torch.atan(t).sum(),
  "erf": lambda t: torch.erf(t).sum(),
}
for name, f in fs.items():
    out = []
    g = f(x)
    for k in range(3):
        try:
            g, = torch.autograd.grad(g.sum() if g.dim() else g, x, create_graph=True)
        except RuntimeError as e:
            out.append(str(e)[:20]); break
        out.append(g.detach().sum().item())
        out.append(g.detach()[7].item())
    print(name, out)
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


# (m, n, k): float32 products MKL sums in one fused multiply-add chain per output
# (kernels/linalg._fma_chains), in every layout; and shapes just outside it.
FMA_CHAINS = [(4, 12, 20), (8, 16, 5), (32, 20, 20), (100, 100, 6), (16, 64, 192), (12, 256, 16),
              (5, 12, 20), (3, 16, 8), (4, 11, 20), (4, 12, 193)]


@pytest.mark.parametrize("mnk", FMA_CHAINS, ids=[str(c) for c in FMA_CHAINS])
@pytest.mark.parametrize(("a_t", "b_t"), [(False, False), (True, False), (False, True),
                                          (True, True)])
def test_fma_chain_products_are_pytorchs(mnk: tuple[int, int, int], a_t: bool,
                                         b_t: bool) -> None:
    torch = pytest.importorskip("torch")
    from gradcli.ad.kernels import linalg as KL

    m, n, k = mnk
    rng = np.random.default_rng(m * 7919 + n * 31 + k)
    a0 = rng.standard_normal((k, m) if a_t else (m, k)).astype(np.float32)
    b0 = rng.standard_normal((n, k) if b_t else (k, n)).astype(np.float32)
    a0[a0 < -1] = 0  # ReLU-like zeros
    a, b = (a0.T if a_t else a0), (b0.T if b_t else b0)
    ta = torch.from_numpy(a0).T if a_t else torch.from_numpy(a0)
    tb = torch.from_numpy(b0).T if b_t else torch.from_numpy(b0)
    want = (ta @ tb).numpy()
    got = KL.product(a, b)
    if KL._fma_chains(m, n, k, np.dtype(np.float32)):
        assert got.tobytes() == np.ascontiguousarray(want).tobytes()
    else:
        np.testing.assert_allclose(got, want, atol=1e-4)


def test_fma_chain_rounds_midpoints_once() -> None:
    """A step whose float64 sum lands on a float32 midpoint goes through the exact fma:
    (1 + 2⁻²³) + (2⁻²⁴ - 2⁻⁵⁴) is just under the midpoint 1 + 2⁻²³ + 2⁻²⁴, which float64
    rounds to; rounding that again (ties to even) would give 1 + 2⁻²²."""
    from gradcli.ad.kernels import linalg as KL

    a = np.zeros((4, 2), np.float32)
    b = np.zeros((2, 12), np.float32)
    a[:, 0], b[0, :] = 1.0, 1.0 + 2.0 ** -23
    a[:, 1], b[1, :] = 2.0 ** -12 * (1 + 2.0 ** -15), 2.0 ** -12 * (1 - 2.0 ** -15)
    assert (KL._fma_chain(a, b) == np.float32(1.0 + 2.0 ** -23)).all()


def test_calls_made_for_their_effect_are_no_result() -> None:
    """A real program starts with torch.manual_seed(0) (a generator) and may call
    net.eval() (the module): neither is the result; the last assignment is."""
    text = ("import torch\nimport torch.nn as nn\ntorch.manual_seed(0)\n"
            "net = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))\nnet.eval()\n"
            "x = torch.tensor([[0.5, -1.0]])\ny = net(x).sum()\n")
    r = app.evaluate(Source("p.py", text), AppOptions(wrt=["x"]))
    assert r.result_name == "y"
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    x = torch.tensor([[0.5, -1.0]], requires_grad=True)
    net(x).sum().backward()
    assert np.array_equal(r.grads["x"].value, x.grad.numpy())


RANDOM_AFTER_INPUT = ("import torch\ntorch.manual_seed(0)\nx = torch.randn(3, requires_grad=True)\n"
                      "W = torch.randn(2, 3)\ny = torch.tanh(W @ x)\nloss = (y ** 2).sum()\n")


def test_check_reruns_draw_what_the_first_run_drew() -> None:
    """x = torch.randn(3) draws before W = torch.randn(2, 3): check's finite-difference
    reruns bind x's perturbed value after its expression drew, so W is the first run's
    (it was another W: the check failed on a right gradient)."""
    r = app.check(Source("p.py", RANDOM_AFTER_INPUT), AppOptions(wrt=["x"]))
    assert r.ok and r.checks[0].max_abs_error < 1e-6
    # --set x=... is the program with `x = VALUE`: nothing drawn for x, in every run.
    r = app.check(Source("p.py", RANDOM_AFTER_INPUT), AppOptions(wrt=["x"], sets=["x=[1,2,3]"]))
    assert r.ok


def test_plot_points_draw_what_the_first_run_drew() -> None:
    torch = pytest.importorskip("torch")
    text = ("import torch\ntorch.manual_seed(0)\nx = torch.randn(())\nW = torch.randn(3)\n"
            "y = (W * x).sin().sum()\n")
    r = app.plot(Source("p.py", text), AppOptions(wrt=["x"]), -1.0, 1.0, points=3)
    torch.manual_seed(0)
    torch.randn(())
    w = torch.randn(3)
    assert r.series["y"] == [float((w * t).sin().sum()) for t in (-1.0, 0.0, 1.0)]
