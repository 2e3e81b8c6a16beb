"""Random ops bit for bit with PyTorch's CPU generator, at the sizes where PyTorch's kernels
change path (1, 7, 16, 17, 100), and their errors, dropout's graph and generator= forms.

Each case runs the same call on both sides after the same seed, compares the bytes of the
result, then one more draw on each side: the op used as many generator words as PyTorch's.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

import numpy as np
import pytest

from gradcli.ad import autograd, ops
from gradcli.ad.tensor import Tensor
from gradcli.app import AppOptions, run
from gradcli.cli import exit_status
from gradcli.errors import GdError
from gradcli.interp.values import DTYPE_VALUES
from gradcli.source import Source

SIZES = (1, 7, 16, 17, 100)
DTYPES = ("float32", "float64")


def run_gd(program: str) -> tuple[int, str, str]:
    """(exit code, printed output, error message) of a gd program run in this process."""
    buf = io.StringIO()
    try:
        run(Source("prog.gd", program), AppOptions(write=buf.write))
    except GdError as e:
        return exit_status(e), buf.getvalue(), e.message
    return 0, buf.getvalue(), ""


def _torch() -> Any:
    return pytest.importorskip("torch")


def _same(ours: Tensor, theirs: Any) -> None:
    a, b = np.asarray(ours.array), theirs.detach().numpy()
    assert a.dtype == b.dtype and a.shape == b.shape
    assert a.tobytes() == b.tobytes(), f"{a} vs torch {b}"


def _both(seed: int, ours: Any, theirs: Any) -> None:
    """ours() and theirs() after manual_seed(seed): the same bytes, and the same next draw."""
    torch = _torch()
    ops.manual_seed(seed)
    r_o = ours()
    next_o = ops.randint(0, 2**20, (3,))
    torch.manual_seed(seed)
    r_t = theirs(torch)
    next_t = torch.randint(0, 2**20, (3,))
    _same(r_o, r_t)
    _same(next_o, next_t)


def _empty(n: int, dt: str) -> Tensor:
    return ops.zeros(n, dtype=DTYPE_VALUES[dt])


# -- in-place draws ---------------------------------------------------------------------

@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dt", DTYPES)
def test_uniform_normal_exponential_in_place(n: int, dt: str) -> None:
    _both(1, lambda: _empty(n, dt).uniform_(-2.0, 3.0),
          lambda t: t.empty(n, dtype=getattr(t, dt)).uniform_(-2.0, 3.0))
    _both(2, lambda: _empty(n, dt).uniform_(),
          lambda t: t.empty(n, dtype=getattr(t, dt)).uniform_())
    _both(3, lambda: _empty(n, dt).normal_(1.5, 0.5),
          lambda t: t.empty(n, dtype=getattr(t, dt)).normal_(1.5, 0.5))
    _both(4, lambda: _empty(n, dt).exponential_(2.5),
          lambda t: t.empty(n, dtype=getattr(t, dt)).exponential_(2.5))
    _both(5, lambda: _empty(n, dt).exponential_(),
          lambda t: t.empty(n, dtype=getattr(t, dt)).exponential_())


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dt", (*DTYPES, "int64", "bool"))
def test_random_every_form(n: int, dt: str) -> None:
    def mk(t: Any) -> Any:
        return t.zeros(n, dtype=getattr(t, dt))

    _both(6, lambda: _empty(n, dt).random_(), lambda t: mk(t).random_())
    _both(7, lambda: _empty(n, dt).random_(2), lambda t: mk(t).random_(2))
    if dt != "bool":
        _both(8, lambda: _empty(n, dt).random_(-3, 1000), lambda t: mk(t).random_(-3, 1000))
        _both(9, lambda: _empty(n, dt).random_(to=50), lambda t: mk(t).random_(to=50))


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dt", (*DTYPES, "int64"))
def test_bernoulli_scalar_and_tensor(n: int, dt: str) -> None:
    _both(10, lambda: _empty(n, dt).bernoulli_(0.3), lambda t: t.zeros(n, dtype=getattr(
        t, dt)).bernoulli_(0.3))
    _both(11, lambda: ops.random.bernoulli(_empty(n, dt), 0.7),
          lambda t: t.bernoulli(t.zeros(n, dtype=getattr(t, dt)), 0.7))
    if dt == "int64":
        return
    probs = np.random.default_rng(n).random(n).astype(dt)
    _both(12, lambda: ops.random.bernoulli(Tensor(probs.copy())),
          lambda t: t.bernoulli(t.from_numpy(probs.copy())))
    _both(13, lambda: _empty(n, dt).bernoulli_(Tensor(probs.copy())),
          lambda t: t.zeros(n, dtype=getattr(t, dt)).bernoulli_(t.from_numpy(probs.copy())))


# -- creation draws ---------------------------------------------------------------------

@pytest.mark.parametrize("n", SIZES)
def test_randint_every_form(n: int) -> None:
    f64 = DTYPE_VALUES["float64"]
    _both(14, lambda: ops.randint(10, (n,)), lambda t: t.randint(10, (n,)))
    _both(15, lambda: ops.randint(-5, 10, (n,)), lambda t: t.randint(-5, 10, (n,)))
    _both(16, lambda: ops.randint(3, 9, (n,), dtype=f64),
          lambda t: t.randint(3, 9, (n,), dtype=t.float64))
    _both(17, lambda: ops.randint(high=7, size=(n,)), lambda t: t.randint(high=7, size=(n,)))
    _both(18, lambda: ops.randint(0, 2**40, (n,)), lambda t: t.randint(0, 2**40, (n,)))
    _both(19, lambda: ops.randint(2, (n,), dtype=DTYPE_VALUES["bool"]),
          lambda t: t.randint(2, (n,), dtype=t.bool))


@pytest.mark.parametrize("n", SIZES)
def test_randperm_and_like(n: int) -> None:
    _both(20, lambda: ops.random.randperm(n), lambda t: t.randperm(n))
    x = np.zeros((n,), dtype=np.float32)
    _both(21, lambda: ops.random.randint_like(Tensor(x), 5),
          lambda t: t.randint_like(t.from_numpy(x), 5))
    _both(22, lambda: ops.random.randint_like(Tensor(x), -4, 4),
          lambda t: t.randint_like(t.from_numpy(x), -4, 4))
    _both(23, lambda: ops.rand_like(Tensor(x)), lambda t: t.rand_like(t.from_numpy(x)))
    _both(24, lambda: ops.randn_like(Tensor(x)), lambda t: t.randn_like(t.from_numpy(x)))


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dt", DTYPES)
def test_rand_randn_normal(n: int, dt: str) -> None:
    d = DTYPE_VALUES[dt]
    _both(25, lambda: ops.rand(n, dtype=d), lambda t: t.rand(n, dtype=getattr(t, dt)))
    _both(26, lambda: ops.randn(n, dtype=d), lambda t: t.randn(n, dtype=getattr(t, dt)))
    _both(27, lambda: ops.normal(2.0, 3.0, (n,), dtype=d),
          lambda t: t.normal(2.0, 3.0, (n,), dtype=getattr(t, dt)))


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dt", DTYPES)
def test_multinomial(n: int, dt: str) -> None:
    probs = np.random.default_rng(n).random((3, n)).astype(dt) + 0.01
    m = ops.random.multinomial
    _both(28, lambda: m(Tensor(probs.copy()), n), lambda t: t.multinomial(t.from_numpy(probs),
                                                                           n))
    _both(29, lambda: m(Tensor(probs[0].copy()), 1),
          lambda t: t.multinomial(t.from_numpy(probs[0].copy()), 1))
    _both(30, lambda: m(Tensor(probs.copy()), 2 * n + 1, replacement=True),
          lambda t: t.multinomial(t.from_numpy(probs), 2 * n + 1, replacement=True))


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dt", DTYPES)
def test_generator_argument(n: int, dt: str) -> None:
    torch = _torch()
    from gradcli.interp.devices import TorchGenerator

    d = DTYPE_VALUES[dt]
    for ours, theirs in [
        (lambda g: ops.rand(n, generator=g, dtype=d),
         lambda g: torch.rand(n, generator=g, dtype=getattr(torch, dt))),
        (lambda g: ops.randn(n, generator=g, dtype=d),
         lambda g: torch.randn(n, generator=g, dtype=getattr(torch, dt))),
        (lambda g: ops.randint(4, 90, (n,), generator=g),
         lambda g: torch.randint(4, 90, (n,), generator=g)),
        (lambda g: ops.random.randperm(n, generator=g),
         lambda g: torch.randperm(n, generator=g)),
        (lambda g: _empty(n, dt).uniform_(generator=g),
         lambda g: torch.zeros(n, dtype=getattr(torch, dt)).uniform_(generator=g)),
    ]:
        g_o, g_t = TorchGenerator(), torch.Generator()
        g_o.manual_seed(41)
        g_t.manual_seed(41)
        ops.manual_seed(0)
        torch.manual_seed(0)
        _same(ours(g_o), theirs(g_t))
        _same(ours(g_o), theirs(g_t))  # the generator moved on as torch's did
        _same(ops.rand(2), torch.rand(2))  # and the default one did not move
    fresh_o, fresh_t = TorchGenerator(), torch.Generator()
    _same(ops.rand(n, generator=fresh_o), torch.rand(n, generator=fresh_t))


# -- dropout ----------------------------------------------------------------------------

@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("p", (0.1, 0.5, 0.8))
def test_dropout_mask_values_and_gradient(n: int, dt: str, p: float) -> None:
    torch = _torch()
    a = np.random.default_rng(n).standard_normal((n,)).astype(dt)
    x_o = Tensor(a.copy()).requires_grad_(True)
    x_t = torch.from_numpy(a.copy()).requires_grad_(True)
    ops.manual_seed(n)
    torch.manual_seed(n)
    y_o = ops.random.dropout(x_o, p)
    y_t = torch.nn.functional.dropout(x_t, p)
    _same(y_o, y_t)
    assert y_o.grad_fn.name == type(y_t.grad_fn).__name__ == "MulBackward0"
    v = np.random.default_rng(1).standard_normal((n,)).astype(dt)
    autograd.backward(y_o, Tensor(v))
    y_t.backward(torch.from_numpy(v))
    _same(x_o.grad, x_t.grad)
    _same(ops.rand(3), torch.rand(3))
    ops.manual_seed(n)
    torch.manual_seed(n)
    _same(ops.random.torch_dropout(x_o, p, True), torch.dropout(x_t, p, True))


def test_dropout_identity_and_p_one() -> None:
    torch = _torch()
    x = Tensor(np.ones(4, dtype=np.float32)).requires_grad_(True)
    d = ops.random.dropout
    assert d(x, 0.0) is x and d(x, 0.5, training=False) is x
    assert ops.random.torch_dropout(x, 0.5, False) is x
    y = d(x, 1.0)
    assert y.grad_fn.name == "MulBackward0" and not y.array.any()
    xt = torch.ones(4, requires_grad=True)
    assert type(torch.nn.functional.dropout(xt, 1.0).grad_fn).__name__ == "MulBackward0"


# -- grad_fn names of in-place draws, and the errors ------------------------------------

def test_in_place_draws_record_pytorch_nodes() -> None:
    expected = {"uniform_()": "UniformBackward0", "normal_()": "NormalBackward0",
                "random_()": "RandomBackward2", "random_(5)": "RandomBackward1",
                "random_(0, 5)": "RandomBackward0", "exponential_()": "ExponentialBackward0",
                "bernoulli_(0.5)": "BernoulliBackward2",
                "bernoulli_(ops.ones(3) * 0.5)": "BernoulliBackward1"}
    for call, name in expected.items():
        x = Tensor(np.ones(3)).requires_grad_(True)
        y = x * 1
        eval("y." + call, {"y": y, "ops": ops})
        assert y.grad_fn.name == name, call
        autograd.backward(ops.sum(y))
        assert x.grad.tolist() == [0.0, 0.0, 0.0]
    b = ops.random.bernoulli(Tensor(np.full(3, 0.5)).requires_grad_(True))
    assert b.grad_fn.name == "BernoulliBackward0"


ERRORS = [
    ("import torch\nx = torch.ones(3)\nx.random_(3, 1)",
     "random_ expects 'from' to be less than 'to', but got from=3 >= to=1"),
    ("import torch\nx = torch.ones(3)\nx.uniform_(3, 1)",
     "uniform_ expects to return a [from, to) range, but found from=3 > to=1"),
    ("import torch\nx = torch.ones(3)\nx.normal_(0, -1)",
     "normal expects std >= 0.0, but found std -1"),
    ("import torch\nx = torch.ones(3)\nx.exponential_(0)",
     "exponential_ expects lambda > 0.0, but found lambda=0"),
    ("import torch\nx = torch.ones(3)\nx.bernoulli_(1.5)",
     "bernoulli_ expects p to be in [0, 1], but got p=1.5"),
    ("import torch\ntorch.multinomial(torch.tensor([0.2, 0.8]), 3)",
     "cannot sample n_sample > prob_dist.size(-1) samples without replacement"),
    ("import torch\ntorch.multinomial(torch.tensor([0.2, -0.8]), 1)",
     "probability tensor contains either `inf`, `nan` or element < 0"),
    ("import torch\ntorch.multinomial(torch.tensor([0., 0.]), 1)",
     "invalid multinomial distribution (sum of probabilities <= 0)"),
    ("import torch\ntorch.multinomial(torch.tensor([1, 2]), 1)",
     "multinomial only supports floating-point dtypes for input, got: Long"),
    ("import torch\ntorch.multinomial(torch.tensor([0.2, 0.8]), 0)",
     "cannot sample n_sample <= 0 samples"),
    ("import torch\ntorch.randint(3, 3, (2,))",
     "random_ expects 'from' to be less than 'to', but got from=3 >= to=3"),
    ("import torch\ntorch.randint(5, (2,), dtype=torch.bool)", "to - 1 is out of bounds for bool"),
    ("import torch\ntorch.randperm(-1)",
     "Trying to create tensor with negative dimension -1: [-1]"),
    ("import torch\ntorch.rand(2, dtype=torch.int64)",
     "\"check_uniform_bounds\" not implemented for 'Long'"),
    ("import torch\ntorch.randn(2, dtype=torch.int64)",
     "\"normal_kernel_cpu\" not implemented for 'Long'"),
    ("import torch\ntorch.ones(2, dtype=torch.int64).normal_()",
     "\"normal_kernel_cpu\" not implemented for 'Long'"),
    ("import torch\nimport torch.nn.functional as F\nF.dropout(torch.ones(2), 1.5)",
     "dropout probability has to be between 0 and 1, but got 1.5"),
    ("import torch\ntorch.dropout(torch.ones(2), -0.1, True)",
     "dropout probability has to be between 0 and 1, but got -0.1"),
    ("import torch\nx = torch.ones(2, requires_grad=True)\ny = torch.bernoulli(x, 0.3)\n"
     "y.sum().backward()", "derivative for aten::bernoulli is not implemented"),
    ("import torch\nx = torch.ones(2, requires_grad=True)\nx.uniform_()",
     "a leaf Variable that requires grad is being used in an in-place operation."),
]


@pytest.mark.parametrize(("program", "message"), ERRORS)
def test_errors_are_pytorch_s(program: str, message: str) -> None:
    code, _, err = run_gd(program)
    assert code == 4 and message in err, err
    torch = _torch()
    with pytest.raises(Exception) as info:
        exec(program, {"torch": torch})
    assert str(info.value) == message


def test_exception_classes_in_try() -> None:
    program = """import torch
import torch.nn.functional as F
try:
    F.dropout(torch.ones(2), 2.0)
except ValueError as e:
    print("ValueError", e)
try:
    torch.ones(2, dtype=torch.int64).uniform_()
except NotImplementedError as e:
    print("NotImplementedError", e)
"""
    code, out, _ = run_gd(program)
    assert code == 0
    assert out == ("ValueError dropout probability has to be between 0 and 1, but got 2.0\n"
                   "NotImplementedError \"check_uniform_bounds\" not implemented for 'Long'\n")


def test_seeded_program_through_the_cli_matches_torch() -> None:
    torch = _torch()
    program = """import torch
import torch.nn.functional as F
torch.manual_seed(7)
w = torch.empty(3, 4).uniform_(-0.5, 0.5)
w.requires_grad_(True)
x = torch.randn(17, 3)
h = F.dropout(x @ w, p=0.25)
idx = torch.randperm(17)[:5]
y = h[idx].sum()
y.backward()
print(w.grad)
print(torch.randint(0, 10, (7,)), torch.multinomial(torch.tensor([0.1, 0.6, 0.3]), 2))
print(torch.empty(2, 2).random_(), torch.bernoulli(torch.full((7,), 0.5)))
"""
    code, out, err = run_gd(program)
    assert code == 0, err
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(program, {"torch": torch})
    assert out == buf.getvalue()
