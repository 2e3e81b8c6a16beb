"""What each command computes (gradcli.app → result objects), checked against independent numbers.

Gradients are compared with central finite differences computed here (by re-running the
program with perturbed `--set` values in float64), derivatives of every order with their
closed forms, and jvp / vjp / jacobian / Hessians with PyTorch (one subprocess for the
module, skipped when torch is not installed).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gradcli import app
from gradcli.ad import dtypes
from gradcli.ad.rules import RULES
from gradcli.ad.tensor import State
from gradcli.app import AppOptions
from gradcli.errors import GdError, GdRuntimeError, GdSyntaxError, UsageError
from gradcli.results import GoldenReport, TensorData
from gradcli.source import Source

HAS_TORCH = importlib.util.find_spec("torch") is not None


def S(text: str) -> Source:
    """A program (dedented)."""
    return Source("prog.gd", textwrap.dedent(text).strip("\n") + "\n")


def opts(**kw: Any) -> AppOptions:
    """AppOptions with list-valued fields given as lists."""
    return AppOptions(**kw)


def val(t: TensorData) -> np.ndarray:
    """A result tensor's values, float64."""
    return np.asarray(t.value, dtype=np.float64)


def as_set(name: str, a: np.ndarray) -> str:
    """A --set NAME=VALUE item for an array (float64 repr survives the round trip)."""
    return f"{name}=tensor({json.dumps(np.asarray(a, dtype=np.float64).tolist())}, " \
           f"dtype=torch.float64)"


def fd_gradient(text: str, name: str, x0: np.ndarray, eps: float = 1e-6,
                extra_sets: tuple[str, ...] = ()) -> np.ndarray:
    """Central differences of the program's scalar result w.r.t. NAME, float64."""
    x0 = np.asarray(x0, dtype=np.float64)
    flat = x0.reshape(-1)
    g = np.zeros(flat.size)
    for i in range(flat.size):
        vals = []
        for sign in (1.0, -1.0):
            xp = flat.copy()
            xp[i] += sign * eps
            r = app.evaluate(S(text), opts(sets=[as_set(name, xp.reshape(x0.shape)),
                                                  *extra_sets], dtype="float64"))
            vals.append(float(val(r.result)))
        g[i] = (vals[0] - vals[1]) / (2 * eps)
    return g.reshape(x0.shape)


# ================================================================ eval

EVAL_CASES = {
    "dot": ("x = arange(4.0)\ny = 2 * dot(x, x)", {"x": [0.0, 1.0, 2.0, 3.0]}),
    "tanh_x2": ("x = tensor([0.5, 1.5, -0.7])\n(tanh(x) * x ** 2).sum()",
                {"x": [0.5, 1.5, -0.7]}),
    "seed_control_flow": ("""
        def f(a):
            b = a * 2
            while b.norm() < 1000:
                b = b * 2
            if b.sum() > 0:
                c = b
            else:
                c = 100 * b
            return c
        a = tensor(-0.3)
        f(a)
        """, {"a": -0.3}),
    "softmax_xent": ("""
        W = tensor([[0.2, -0.5], [1.0, 0.3], [-0.4, 0.8]])
        x = tensor([0.7, -1.1])
        loss = cross_entropy((W @ x).unsqueeze(0), tensor([2]))
        """, {"W": [[0.2, -0.5], [1.0, 0.3], [-0.4, 0.8]], "x": [0.7, -1.1]}),
    "broadcast_mse": ("""
        w = tensor([[0.5], [-1.0]])
        b = tensor(0.25)
        x = tensor([1.0, 2.0, 3.0])
        mse_loss(w * x + b, ones(2, 3))
        """, {"w": [[0.5], [-1.0]], "b": 0.25}),
    "loop_and_function": ("""
        def layer(v, k):
            return sigmoid(v * k) + v
        x = tensor([0.1, -0.2])
        h = x
        for k in range(1, 4):
            h = layer(h, k)
        out = (h * h).mean()
        """, {"x": [0.1, -0.2]}),
    "norm_and_clamp": ("x = tensor([3.0, -4.0, 0.5])\nnorm(x) + x.clamp(-1, 1).sum()",
                       {"x": [3.0, -4.0, 0.5]}),
}


@pytest.mark.parametrize("case", list(EVAL_CASES))
def test_eval_gradients_match_finite_differences(case: str) -> None:
    text, inputs = EVAL_CASES[case]
    r = app.evaluate(S(text), opts(wrt=list(inputs), dtype="float64"))
    assert r.result.shape == () and r.result.dtype == "float64"
    others = {n: v for n, v in inputs.items()}
    for name, x0 in inputs.items():
        extra = tuple(as_set(n, np.asarray(v)) for n, v in others.items() if n != name)
        numeric = fd_gradient(text, name, np.asarray(x0), extra_sets=extra)
        g = r.grads[name]
        assert g.shape == np.asarray(x0).shape and g.dtype == "float64"
        np.testing.assert_allclose(val(g), numeric, rtol=1e-6, atol=1e-8)


def test_eval_seed_dot_product_exact_in_float32() -> None:
    r = app.evaluate(S("x = arange(4.0)\ny = 2 * dot(x, x)"), opts(wrt=["x"]))
    assert r.result_name == "y" and r.result.dtype == "float32"
    assert float(val(r.result)) == 28.0
    assert val(r.grads["x"]).tolist() == [0.0, 4.0, 8.0, 12.0]
    assert r.grads["x"].dtype == "float32"


def test_eval_control_flow_gradient_is_c_over_a() -> None:
    text = EVAL_CASES["seed_control_flow"][0]
    r = app.evaluate(S(text), opts(wrt=["a"]))
    # b = a·2·2^k with |b| ≥ 1000 after k doublings; a < 0 → c = 100·b, dc/da = c/a.
    c, g = float(val(r.result)), float(val(r.grads["a"]))
    assert g == pytest.approx(c / -0.3, rel=1e-6)
    assert g == 100 * 2 * 2 ** 11  # 0.6 · 2^11 = 1228.8 ≥ 1000


def test_eval_without_wrt_gives_no_gradients_and_captures_prints() -> None:
    r = app.evaluate(S("x = tensor([1.0, 2.0])\nprint('hi')\nx * 3"), opts())
    assert r.grads == {} and r.output == "hi\n" and r.result_name is None
    assert val(r.result).tolist() == [3.0, 6.0] and r.result.shape == (2,)


def test_eval_of_a_python_number_result() -> None:
    r = app.evaluate(S("a = 2\nb = a * 3.5"), opts())
    assert float(val(r.result)) == 7.0 and r.result.shape == ()


def test_eval_set_overrides_and_of_selects() -> None:
    r = app.evaluate(S("x = arange(4.0)\ny = (x * x).sum()\nz = y + 1"),
                     opts(sets=["x=[1, 2]"], wrt=["x"], of="y"))
    assert r.result_name == "y" and float(val(r.result)) == 5.0
    assert val(r.grads["x"]).tolist() == [2.0, 4.0]


def test_eval_output_not_depending_on_wrt_is_an_error_unless_allow_unused() -> None:
    # SPEC 2.1: no silent zero gradients; --allow-unused gives zeros marked unused.
    with pytest.raises(GdRuntimeError, match="appears to not have been used in the graph"):
        app.evaluate(S("x = tensor([1.0, 2.0])\nw = tensor(3.0)\nw * 2"),
                     opts(wrt=["x", "w"]))
    r = app.evaluate(S("x = tensor([1.0, 2.0])\nw = tensor(3.0)\nw * 2"),
                     opts(wrt=["x", "w"], allow_unused=True))
    assert val(r.grads["x"]).tolist() == [0.0, 0.0] and float(val(r.grads["w"])) == 2.0
    assert r.field("grads")["x"].unused and not r.field("grads")["w"].unused


def test_eval_gradient_of_a_non_scalar_result_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as info:
        app.evaluate(S("x = tensor([1.0, 2.0])\ny = x * 2"), opts(wrt=["x"]))
    assert "needs a scalar result, but y has shape [2]" in info.value.message
    assert "vjp" in (info.value.hint or "")


@pytest.mark.parametrize(("text", "message"), [
    ("x = tensor(1.0)\nprint(x)\npass", None),
    ("x = tensor(1.0)\ny = 'text'", "the result y is a str, not a tensor or a float"),
])
def test_eval_result_must_be_a_tensor(text: str, message: str | None) -> None:
    if message is None:
        r = app.evaluate(S(text), opts())  # last assignment: x
        assert r.result_name == "x"
        return
    with pytest.raises(UsageError) as info:
        app.evaluate(S(text), opts())
    assert message in info.value.message


def test_eval_program_without_any_result() -> None:
    with pytest.raises(UsageError) as info:
        app.evaluate(S("print(1)"), opts())
    assert "no result" in info.value.message


def test_eval_dtype_and_seed_options() -> None:
    r = app.evaluate(S("x = arange(3.0)\nx * 0.1"), opts(dtype="float64"))
    assert r.result.dtype == "float64"
    r1 = app.evaluate(S("randn(3)"), opts(seed=3))
    r2 = app.evaluate(S("randn(3)"), opts(seed=3))
    np.testing.assert_array_equal(val(r1.result), val(r2.result))
    assert dtypes.default_dtype() == np.float32  # restored after the command


# ================================================================ grad --order N


@pytest.mark.parametrize(("order", "expected"), [(1, 13.5), (2, 27.0), (3, 36.0), (4, 24.0)])
def test_grad_order_n_of_x4_at_a_scalar(order: int, expected: float) -> None:
    # d^n/dx^n x⁴ at 1.5: 4x³ = 13.5, 12x² = 27, 24x = 36, 24.
    r = app.nth_grad(S("x = tensor(1.5)\nx ** 4"), opts(wrt=["x"]), order)
    d = r.derivatives["x"]
    assert r.order == order and d.shape == ()
    assert float(val(d)) == pytest.approx(expected, rel=1e-6)


def test_grad_orders_of_a_summed_vector_are_diagonal_tensors() -> None:
    x = np.array([1.0, 2.0, -0.5])
    closed = {1: 4 * x ** 3, 2: 12 * x ** 2, 3: 24 * x, 4: 24 * np.ones(3)}
    for order in (1, 2, 3, 4):
        r = app.nth_grad(S("x = tensor([1.0, 2.0, -0.5])\n(x ** 4).sum()"),
                         opts(wrt=["x"], dtype="float64"), order)
        d = val(r.derivatives["x"])
        assert d.shape == (3,) * order  # result.shape () + order × x.shape
        expected = np.zeros((3,) * order)
        for i in range(3):
            expected[(i,) * order] = closed[order][i]
        np.testing.assert_allclose(d, expected, rtol=1e-12)


def test_grad_of_a_non_scalar_result_has_shape_result_plus_n_times_x() -> None:
    r = app.nth_grad(S("x = tensor([1.0, 2.0])\nx ** 4"), opts(wrt=["x"]), 3)
    d = val(r.derivatives["x"])
    assert r.derivatives["x"].shape == (2, 2, 2, 2) and r.result.shape == (2,)
    assert d[0, 0, 0, 0] == 24.0 and d[1, 1, 1, 1] == 48.0
    assert np.count_nonzero(d) == 2


def test_grad_of_a_matrix_input() -> None:
    r = app.nth_grad(S("W = tensor([[1.0, 2.0], [3.0, 4.0]])\n(W ** 2).sum()"),
                     opts(wrt=["W"]), 2)
    d = val(r.derivatives["W"])
    assert d.shape == (2, 2, 2, 2)
    np.testing.assert_array_equal(d.reshape(4, 4), 2 * np.eye(4))


def _hessian_numeric(f: Any, x: np.ndarray, eps: float = 1e-4) -> np.ndarray:
    n = x.size
    h = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            e_i, e_j = np.eye(n)[i] * eps, np.eye(n)[j] * eps
            h[i, j] = (f(x + e_i + e_j) - f(x + e_i - e_j) - f(x - e_i + e_j)
                       + f(x - e_i - e_j)) / (4 * eps * eps)
    return h


HESSIAN_X = [0.5, 1.5, -0.7]
HESSIAN_PROGRAM = f"x = tensor({HESSIAN_X})\n(tanh(x) * x ** 2).sum()"


def test_hessian_of_sum_tanh_x_squared_vs_numeric_and_closed_form() -> None:
    r = app.nth_grad(S(HESSIAN_PROGRAM), opts(wrt=["x"], dtype="float64"), 2)
    h = val(r.derivatives["x"])
    x = np.array(HESSIAN_X)
    numeric = _hessian_numeric(lambda v: float(np.sum(np.tanh(v) * v ** 2)), x)
    np.testing.assert_allclose(h, numeric, rtol=1e-5, atol=1e-6)
    t, s2 = np.tanh(x), 1 - np.tanh(x) ** 2
    closed = 2 * t + 4 * x * s2 - 2 * x ** 2 * s2 * t
    np.testing.assert_allclose(h, np.diag(closed), rtol=1e-12, atol=1e-14)


def test_grad_order_must_be_positive_and_wrt_is_required() -> None:
    with pytest.raises(UsageError):
        app.nth_grad(S("x = tensor(1.0)\nx"), opts(wrt=["x"]), 0)
    with pytest.raises(UsageError) as info:
        app.nth_grad(S("x = tensor(1.0)\nx"), opts(), 1)
    assert "needs --wrt" in info.value.message


# ================================================================ jvp / vjp / jacobian

SEED_WHILE = """
x = tensor([0.5, -1.2, 0.03])
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
y
"""
V = "[0.1, 1.0, 0.0001]"


def test_jvp_of_the_seed_while_loop() -> None:
    r = app.jvp(S(SEED_WHILE), opts(wrt=["x"]), [V])
    # |2x| = 2.6…, doubled 9 times: y = 1024·x, so J·v = 1024·v.
    np.testing.assert_allclose(val(r.jvp), 1024 * np.array([0.1, 1.0, 0.0001]), rtol=1e-6)
    np.testing.assert_allclose(val(r.result), 1024 * np.array([0.5, -1.2, 0.03]), rtol=1e-6)
    assert r.jvp.shape == (3,) and r.tangents["x"].shape == (3,)


def test_vjp_of_the_seed_while_loop() -> None:
    r = app.vjp(S(SEED_WHILE), opts(wrt=["x"]), V)
    np.testing.assert_allclose(val(r.vjp["x"]), [102.4, 1024.0, 0.1024], rtol=1e-6)
    assert r.cotangent.shape == (3,)


def test_jvp_and_vjp_satisfy_the_adjoint_identity() -> None:
    text = "x = tensor([0.3, -0.8, 1.1])\ny = stack([x[0] * x[1], sin(x[2]) + x[0], x.sum()])"
    u, v = [0.5, -1.0, 2.0], [1.0, 0.25, -0.5]
    jv = val(app.jvp(S(text), opts(wrt=["x"], dtype="float64"), [str(v)]).jvp)
    ju = val(app.vjp(S(text), opts(wrt=["x"], dtype="float64"), str(u)).vjp["x"])
    assert float(np.dot(u, jv)) == pytest.approx(float(np.dot(ju, v)), rel=1e-12)


def test_jvp_needs_one_tangent_per_wrt_of_the_right_shape() -> None:
    with pytest.raises(UsageError):
        app.jvp(S(SEED_WHILE), opts(wrt=["x"]), [])
    with pytest.raises(UsageError) as info:
        app.jvp(S(SEED_WHILE), opts(wrt=["x"]), ["[1.0, 2.0]"])
    assert "shape" in info.value.message


def test_vjp_cotangent_must_have_the_result_shape() -> None:
    with pytest.raises(UsageError) as info:
        app.vjp(S(SEED_WHILE), opts(wrt=["x"]), "[1.0, 2.0]")
    assert "--cotangent has shape [2] but must have shape [3]" in info.value.message


def test_jacobian_shape_and_values() -> None:
    r = app.jacobian(S("x = tensor([1.0, 2.0])\nx ** 2"), opts(wrt=["x"]))
    assert r.jacobian["x"].shape == (2, 2)
    assert val(r.jacobian["x"]).tolist() == [[2.0, 0.0], [0.0, 4.0]]


def test_jacobian_with_two_inputs() -> None:
    r = app.jacobian(S("a = tensor([1.0, 2.0])\nb = tensor(3.0)\na * b"), opts(wrt=["a", "b"]))
    assert val(r.jacobian["a"]).tolist() == [[3.0, 0.0], [0.0, 3.0]]
    assert r.jacobian["b"].shape == (2,) and val(r.jacobian["b"]).tolist() == [1.0, 2.0]


JAC_PROGRAM = """
W = tensor([[0.2, -0.5, 1.0], [1.0, 0.3, -0.2]])
x = tensor([0.7, -1.1, 0.4])
y = tanh(W @ x) * x.sum()
"""


# ---------------------------------------------------------------- PyTorch references

_TORCH_REFERENCE = r"""
import json, warnings
warnings.simplefilter("ignore")
import torch
from torch.autograd.functional import hessian, jacobian, jvp
torch.set_default_dtype(torch.float64)
out = {}
f = lambda x: (torch.tanh(x) * x ** 2).sum()
out["hessian"] = hessian(f, torch.tensor(%(hx)s)).tolist()
def loop(x):
    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2
    return y
x0 = torch.tensor([0.5, -1.2, 0.03])
v = torch.tensor([0.1, 1.0, 0.0001])
out["jvp"] = jvp(loop, x0, v)[1].tolist()
x = x0.clone().requires_grad_(True)
loop(x).backward(v)
out["vjp"] = x.grad.tolist()
W = torch.tensor([[0.2, -0.5, 1.0], [1.0, 0.3, -0.2]])
g = lambda x: torch.tanh(W @ x) * x.sum()
out["jacobian"] = jacobian(g, torch.tensor([0.7, -1.1, 0.4])).tolist()
out["jacobian_W"] = jacobian(lambda W: torch.tanh(W @ torch.tensor([0.7, -1.1, 0.4]))
                             * 0.0 + torch.tanh(W @ torch.tensor([0.7, -1.1, 0.4]))
                             * torch.tensor([0.7, -1.1, 0.4]).sum(), W).tolist()
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def torch_ref() -> dict[str, Any]:
    """Reference numbers computed by PyTorch (float64)."""
    if not HAS_TORCH:
        pytest.skip("PyTorch is not installed")
    proc = subprocess.run([sys.executable, "-c", _TORCH_REFERENCE % {"hx": HESSIAN_X}],
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(proc.stdout)


def test_hessian_vs_torch(torch_ref: dict[str, Any]) -> None:
    r = app.nth_grad(S(HESSIAN_PROGRAM), opts(wrt=["x"], dtype="float64"), 2)
    np.testing.assert_allclose(val(r.derivatives["x"]), torch_ref["hessian"], rtol=1e-12,
                               atol=1e-14)


def test_jvp_vjp_of_the_seed_loop_vs_torch(torch_ref: dict[str, Any]) -> None:
    r = app.jvp(S(SEED_WHILE), opts(wrt=["x"], dtype="float64"), [V])
    np.testing.assert_allclose(val(r.jvp), torch_ref["jvp"], rtol=1e-12)
    r2 = app.vjp(S(SEED_WHILE), opts(wrt=["x"], dtype="float64"), V)
    np.testing.assert_allclose(val(r2.vjp["x"]), torch_ref["vjp"], rtol=1e-12)


def test_jacobian_vs_torch(torch_ref: dict[str, Any]) -> None:
    r = app.jacobian(S(JAC_PROGRAM), opts(wrt=["x", "W"], dtype="float64"))
    assert r.jacobian["x"].shape == (2, 3) and r.jacobian["W"].shape == (2, 2, 3)
    np.testing.assert_allclose(val(r.jacobian["x"]), torch_ref["jacobian"], rtol=1e-12)
    np.testing.assert_allclose(val(r.jacobian["W"]), torch_ref["jacobian_W"], rtol=1e-12)


# ================================================================ check

CHECK_OK = [
    "x = tensor([0.5, 1.5])\n(tanh(x) * x ** 2).sum()",
    SEED_WHILE,
    JAC_PROGRAM,
    "x = tensor([[0.3, -0.2], [0.1, 0.4]])\nsoftmax(x @ x.T, dim=1).sum(0)",
    EVAL_CASES["loop_and_function"][0],
]


@pytest.mark.parametrize("text", CHECK_OK)
def test_check_passes_on_correct_programs(text: str) -> None:
    wrt = ["x"]
    r = app.check(S(text), opts(wrt=wrt))
    assert r.ok, r
    assert [c.wrt for c in r.checks] == wrt and all(c.ok for c in r.checks)
    assert r.nodes and all(n.ok for n in r.nodes)
    for c in r.checks:
        assert c.max_abs_error < 1e-6 and c.analytic is not None and c.numeric is not None
        assert c.analytic.dtype == "float64"  # check runs in float64


@pytest.fixture
def broken_tanh() -> Iterator[None]:
    """tanh's VJP deliberately wrong (twice the true cotangent), restored afterwards."""
    rule = RULES["tanh"]
    original = rule.vjp
    assert original is not None

    def wrong(*args: Any, **kw: Any) -> tuple[Any, ...]:
        return tuple(None if c is None else c * 2 for c in original(*args, **kw))

    rule.vjp = wrong
    try:
        yield
    finally:
        rule.vjp = original


def test_check_fails_and_names_the_broken_rule_and_line(broken_tanh: None) -> None:
    text = "x = tensor([0.5, 1.5])\ny = x * 3\nz = tanh(y) * x\nz.sum()"
    r = app.check(S(text), opts(wrt=["x"]))
    assert not r.ok
    assert not r.checks[0].ok and r.checks[0].max_abs_error > 1e-3
    bad = [n for n in r.nodes if not n.ok]
    assert [(n.op, n.grad_fn, n.line, n.column) for n in bad] == [("tanh", "TanhBackward0", 3, 5)]
    assert all(n.ok for n in r.nodes if n.op != "tanh")


def test_check_after_the_broken_rule_is_restored() -> None:
    r = app.check(S("x = tensor([0.5, 1.5])\ntanh(x).sum()"), opts(wrt=["x"]))
    assert r.ok


def test_check_catches_a_non_differentiable_point_as_a_mismatch() -> None:
    # |x| at 0: autograd says sign(0) = 0, central differences say 0 as well; relu at 0
    # differs (autograd 0, FD 0.5): a real mismatch of the whole program.
    r = app.check(S("x = tensor([0.0, 1.0])\nrelu(x).sum()"), opts(wrt=["x"]))
    assert not r.ok and not r.checks[0].ok
    assert r.checks[0].max_abs_error == pytest.approx(0.5, rel=1e-6)


def test_check_restores_the_default_dtype() -> None:
    app.check(S("x = tensor([1.0])\n(x * x).sum()"), opts(wrt=["x"]))
    assert dtypes.default_dtype() == np.float32


# ================================================================ graph

GRAPH_PROGRAM = """
x = ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
"""


def _graph_rows(r: Any) -> list[tuple[Any, ...]]:
    return [(n.id, n.name, n.op, n.grad_fn, n.shape, n.dtype, n.is_leaf, n.requires_grad,
             n.line, n.column) for n in r.nodes]


def test_graph_nodes_edges_names_and_positions() -> None:
    r = app.graph(S(GRAPH_PROGRAM), opts())
    assert _graph_rows(r) == [
        (0, "x", "leaf", None, (2, 2), "float32", True, True, None, None),
        (1, "y", "add", "AddBackward0", (2, 2), "float32", False, True, 2, 5),
        (2, None, "mul", "MulBackward0", (2, 2), "float32", False, True, 3, 5),
        (3, "z", "mul", "MulBackward0", (2, 2), "float32", False, True, 3, 5),
        (4, "out", "mean", "MeanBackward0", (), "float32", False, True, 4, 7),
    ]
    assert r.edges == [(0, 1), (1, 2), (1, 2), (2, 3), (3, 4)]
    assert r.result_id == 4


def test_graph_numbering_is_stable_run_to_run() -> None:
    a = app.graph(S(GRAPH_PROGRAM), opts())
    b = app.graph(S(GRAPH_PROGRAM), opts())
    assert _graph_rows(a) == _graph_rows(b) and a.edges == b.edges


def test_graph_with_values_shows_values_and_gradients() -> None:
    r = app.graph(S(GRAPH_PROGRAM), opts(), values=True)
    by_name = {n.name: n for n in r.nodes}
    x, y, out = by_name["x"], by_name["y"], by_name["out"]
    assert x.value is not None and val(x.value).tolist() == [[1.0, 1.0], [1.0, 1.0]]
    assert x.grad is not None and val(x.grad).tolist() == [[4.5, 4.5], [4.5, 4.5]]
    assert y.grad is not None and val(y.grad).tolist() == [[4.5, 4.5], [4.5, 4.5]]
    assert out.value is not None and float(val(out.value)) == 27.0
    assert out.grad is not None and float(val(out.grad)) == 1.0


def test_graph_with_wrt_and_a_leaf_used_twice() -> None:
    r = app.graph(S("a = tensor([1.0, 2.0])\nb = tensor([3.0, 4.0])\nc = a * b + a\n"),
                  opts(wrt=["a", "b"]))
    assert [(n.id, n.name, n.op) for n in r.nodes] == [
        (0, "a", "leaf"), (1, "b", "leaf"), (2, None, "mul"), (3, "c", "add")]
    assert r.edges == [(0, 2), (1, 2), (2, 3), (0, 3)]


def test_graph_of_a_program_that_records_nothing_is_empty() -> None:
    r = app.graph(S("x = ones(2)\ny = x * 2"), opts())
    assert r.nodes == [] and r.edges == [] and r.result_id is None


def test_graph_keeps_only_ops_that_ran() -> None:
    text = """
        x = tensor(2.0, requires_grad=True)
        if x > 0:
            y = x.exp()
        else:
            y = x.sin()
        for i in range(3):
            y = y * x
        """
    r = app.graph(S(text), opts())
    assert [n.op for n in r.nodes] == ["leaf", "exp", "mul", "mul", "mul"]
    assert {n.line for n in r.nodes if n.op == "mul"} == {7}


# ================================================================ explain

EXPLAIN_PROGRAM = """
x = tensor(2.0)
y = x * x + 3 * x
if y > 0:
    y = y * 1
y
"""


def test_explain_steps_run_backward_in_reverse_creation_order() -> None:
    r = app.explain(S(EXPLAIN_PROGRAM), opts(wrt=["x"]))
    assert [s.id for s in r.steps] == [4, 3, 2, 1]
    assert [(s.op, s.grad_fn, s.line, s.column) for s in r.steps] == [
        ("mul", "MulBackward0", 4, 9), ("add", "AddBackward0", 2, 5),
        ("mul", "MulBackward0", 2, 13), ("mul", "MulBackward0", 2, 5)]
    assert float(val(r.grads["x"])) == 7.0  # 2x + 3 at x = 2
    assert float(val(r.result)) == 10.0


def test_explain_rules_incoming_and_flows() -> None:
    r = app.explain(S(EXPLAIN_PROGRAM), opts(wrt=["x"]))
    step = {s.id: s for s in r.steps}
    add = step[3]
    assert [f.rule for f in add.flows] == ["grad_a = grad", "grad_b = grad"]
    assert [f.to_id for f in add.flows] == [1, 2]
    three_x = step[2]
    assert [(f.rule, f.to_label, float(val(f.value))) for f in three_x.flows] == [
        ("grad_a = grad · b", "x", 3.0)]  # 3 * x is x.mul(3) in PyTorch: x is input 0
    x_times_x = step[1]
    assert [(f.rule, float(val(f.value)), f.accumulates) for f in x_times_x.flows] == [
        ("grad_a = grad · b", 2.0, True), ("grad_b = grad · a", 2.0, True)]
    assert float(val(x_times_x.incoming)) == 1.0
    assert three_x.flows[0].accumulates is False  # x's first cotangent


def test_explain_labels_name_the_variables() -> None:
    r = app.explain(S(EXPLAIN_PROGRAM), opts(wrt=["x"]))
    assert [s.label for s in r.steps] == ["y = mul", "y = add", "mul", "mul"]


def test_explain_control_flow_summary() -> None:
    text = """
        x = tensor([0.5, -1.2, 0.03])
        y = x * 2
        while y.norm() < 1000:
            y = y * 2
        if y.sum() > 0:
            z = y
        else:
            z = 3 * y
        for i in range(2):
            z = z + 1
        z.sum()
        """
    r = app.explain(S(text), opts(wrt=["x"]))
    assert [(c.kind, c.line, c.summary, c.depends_on_input) for c in r.control] == [
        ("while", 3, "9 iterations", True),
        ("if", 5, "took else branch 1×", True),
        ("for", 9, "2 iterations", False),
    ]
    np.testing.assert_allclose(val(r.grads["x"]), [3072.0] * 3)


def test_explain_loop_run_several_times() -> None:
    text = """
        x = tensor(1.0)
        def f(v, n):
            k = 0
            while k < n:
                v = v * 2
                k += 1
            return v
        y = f(x, 2) + f(x, 3)
        """
    r = app.explain(S(text), opts(wrt=["x"]))
    (loop,) = [c for c in r.control if c.kind == "while"]
    assert loop.summary == "ran 2×, 5 iterations in all (2, 3)"
    assert float(val(r.grads["x"])) == 12.0


def test_explain_result_independent_of_the_input_has_zero_gradient() -> None:
    r = app.explain(S("x = tensor([1.0, 2.0])\ny = tensor(3.0)"), opts(wrt=["x"]))
    assert r.steps == [] and val(r.grads["x"]).tolist() == [0.0, 0.0]


def test_explain_non_scalar_result_seeds_ones() -> None:
    r = app.explain(S("x = tensor([1.0, 2.0])\ny = x * x"), opts(wrt=["x"]))
    assert val(r.grads["x"]).tolist() == [2.0, 4.0]


# ================================================================ golden (`gradcli test`)


def _render_error(err: GdError, source: Source) -> str:
    return f"{source.name}:{err.span}: error: {err.message}\n"


def _write(root: Path, name: str, text: str, out: str | None) -> Path:
    p = root / f"{name}.gd"
    p.write_text(text)
    if out is not None:
        p.with_suffix(".out").write_text(out)
    return p


@pytest.fixture
def golden_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    d = tmp_path / "cases"
    d.mkdir()
    _write(d, "a_pass", "print(tensor([1.0, 2.0]) * 2)\n", "tensor([2., 4.])\n")
    _write(d, "b_fail", "print(1 + 1)\n", "3\n")
    _write(d, "c_missing", "print('new')\n", None)
    (d / "sub").mkdir()
    _write(d / "sub", "d_error", "x = ones(2)\ny = x + ones(3)\n",
           "d_error.gd:2:5: error: The size of tensor a (2) must match "
           "the size of tensor b (3) at non-singleton dimension 0\n")
    (d / "notes.txt").write_text("not a program")
    return d


def test_golden_reports_pass_fail_missing_and_errors(golden_dir: Path) -> None:
    report = app.golden(["cases"], False, _render_error)
    assert isinstance(report, GoldenReport) and not report.ok
    got = [(Path(c.path).as_posix(), c.status, c.ok) for c in report.cases]
    assert got == [
        ("cases/a_pass.gd", "pass", True),
        ("cases/b_fail.gd", "fail", False),
        ("cases/c_missing.gd", "missing", False),
        ("cases/sub/d_error.gd", "pass", True),
    ]
    fail = report.cases[1]
    assert "-3\n" in fail.diff and "+2\n" in fail.diff and "b_fail.out" in fail.diff


def test_golden_update_rewrites_expectations_then_passes(golden_dir: Path) -> None:
    report = app.golden(["cases"], True, _render_error)
    assert report.ok and report.updated
    assert [c.status for c in report.cases] == ["pass", "updated", "updated", "pass"]
    assert (golden_dir / "b_fail.out").read_text() == "2\n"
    assert (golden_dir / "c_missing.out").read_text() == "new\n"
    again = app.golden(["cases"], False, _render_error)
    assert again.ok and {c.status for c in again.cases} == {"pass"}


def test_golden_single_file_and_bad_paths(golden_dir: Path) -> None:
    report = app.golden(["cases/a_pass.gd"], False, _render_error)
    assert [c.status for c in report.cases] == ["pass"]
    with pytest.raises(UsageError):
        app.golden(["nowhere"], False, _render_error)
    with pytest.raises(UsageError):
        app.golden(["cases/notes.txt"], False, _render_error)
    (golden_dir / "empty").mkdir()
    with pytest.raises(UsageError) as info:
        app.golden(["cases/empty"], False, _render_error)
    assert "no .gd files" in info.value.message


# ================================================================ loading and --set


def test_load_source_from_expression_path_and_stdin(tmp_path: Path) -> None:
    import io

    assert app.load_source(None, "x = 1").name == "<expr>"
    p = tmp_path / "p.gd"
    p.write_text("x = 1\n")
    s = app.load_source(str(p), None)
    assert s.name == str(p) and s.text == "x = 1\n"
    s = app.load_source("-", None, stdin=io.BytesIO(b"y = 2\n"))
    assert s.name == "<stdin>" and s.text == "y = 2\n"


@pytest.mark.parametrize(("prog", "expr", "message"), [
    (None, None, "missing PROG"),
    ("a.gd", "x", "not both"),
    ("/no/such/file.gd", None, "no such file"),
])
def test_load_source_usage_errors(prog: str | None, expr: str | None, message: str) -> None:
    with pytest.raises(UsageError) as info:
        app.load_source(prog, expr)
    assert message in info.value.message


def test_load_source_directory_and_bad_utf8(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        app.load_source(str(tmp_path), None)
    assert "is a directory" in info.value.message
    p = tmp_path / "bad.gd"
    p.write_bytes(b"x = 1\ny = '\xff'\n")
    with pytest.raises(GdSyntaxError) as err:
        app.load_source(str(p), None)
    assert err.value.span is not None and (err.value.span.line, err.value.span.column) == (2, 6)


def test_parse_sets_numbers_lists_expressions_and_files(tmp_path: Path) -> None:
    (tmp_path / "v.json").write_text("[[1, 2], [3, 4]]")
    np.save(tmp_path / "v.npy", np.array([0.5, 1.5], dtype=np.float64))
    sets = app.parse_sets(["a=3", "b=[[1,2],[3,4]]", "c=arange(3.0)",
                          f"d=@{tmp_path / 'v.json'}", f"e=@{tmp_path / 'v.npy'}", "f=2"])
    assert sets["a"] == 3
    assert sets["b"] == [[1, 2], [3, 4]]  # the binding it replaces decides its form
    assert sets["c"].array.tolist() == [0.0, 1.0, 2.0]
    assert sets["d"] == [[1, 2], [3, 4]]
    assert sets["e"].array.dtype == np.float64 and sets["e"].array.tolist() == [0.5, 1.5]
    assert sets["f"] == 2
    # A --wrt input is made a float tensor where the interpreter binds it.
    r = app.evaluate(S("f = 0\nf * 3"), opts(sets=["f=2"], wrt=["f"]))
    assert r.result.dtype == "float32" and float(val(r.result)) == 6.0
    assert float(val(r.grads["f"])) == 3.0


@pytest.mark.parametrize("item", ["noequals", "1x=3", "=3", "x=undefined_name", "x=[1,",
                                  "x=@/no/such.json"])
def test_parse_sets_rejects_bad_items(item: str) -> None:
    with pytest.raises(UsageError):
        app.parse_sets([item])


def test_runtime_errors_propagate_from_commands() -> None:
    with pytest.raises(GdRuntimeError) as info:
        app.evaluate(S("x = ones(2)\ny = x + ones(3)"), opts())
    assert info.value.span is not None and info.value.span.line == 2


def _core_state() -> tuple[object, ...]:
    return (State.grad_enabled, State.tape, State.forward_level, dtypes.DefaultDtype.value,
            State.keep_buffers, State.max_elements, State.detect_anomaly, State.on_record)


def test_every_command_leaves_the_core_as_it_found_it() -> None:
    before = _core_state()
    text = "x = tensor([1.0, 2.0])\n(x ** 2).sum()"
    o = opts(wrt=["x"], dtype="float64", detect_anomaly=True)
    app.evaluate(S(text), o)
    app.nth_grad(S(text), o, 2)
    app.jvp(S(text), o, ["[1, 0]"])
    app.vjp(S(text), o, "1")
    app.jacobian(S(text), o)
    app.check(S(text), o)
    app.graph(S(text), o, True)
    app.explain(S(text), o)
    with pytest.raises(GdRuntimeError):
        app.evaluate(S("x = tensor([1.0, 2.0])\ny = x + ones(3)"), o)
    assert _core_state() == before
