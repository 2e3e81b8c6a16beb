"""The scalar fast paths (bench W1) equal the array paths they short-cut, bit for bit.

- Kernels: `+ - * /` on 0-d float32/float64 operands (an array of the dtype or a Python
  number, either side) run as numpy scalar arithmetic: the same bytes, dtype, type,
  writeability and warnings as the ufunc on 0-d arrays; every other operand mix (numpy
  scalars, other dtypes, n-d arrays) keeps the ufunc path.
- Scalar VJPs (Rule.with_scalar_vjp): on every rule that has one, for 0-d inputs of each
  float dtype and mixes of dtypes and constants, each cotangent equals the array VJP's
  (or, for add, the differentiable VJP's) bytes and dtype, with the same None pattern;
  they decline (None) exactly where an input's dtype or a constant's type differs.
- Whole backward passes with the scalar VJPs on and off print the same: values, dtypes,
  grad_fn names, hooks, retain_grad, grad() of leaves and non-leaves, create_graph and
  higher orders, in-place and freed-graph errors, anomaly modes, forward mode, jacobians;
  and the same as PyTorch, where the program is PyTorch code.
"""

from __future__ import annotations

import operator
import re
import textwrap
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from light_pass import light

from gradcli.ad import engine
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import elementwise as KE
from gradcli.ad.record import apply
from gradcli.ad.registry import SCALAR_VJP
from gradcli.ad.rules import RULES
from gradcli.ad.state import State
from gradcli.errors import GdError
from gradcli.interp import RunOptions, run_source

FLOATS = (np.float32, np.float64)


def _values(dtype: type, n: int, seed: int) -> list[Any]:
    rng = np.random.default_rng(seed)
    xs = rng.standard_normal(n) * 10.0 ** rng.integers(-8, 8, n)
    special = [0.0, -0.0, np.nan, np.inf, -np.inf, 1e-45, 3e38, 1e300, 1e-310, 0.9999, 1e-4]
    return [dtype(v) for v in list(xs) + special]


# -- kernels ---------------------------------------------------------------------------------

CONSTANTS: list[Any] = [0.9999, 1e-4, -2.5, 1 / 3, 0.0, -0.0, float("nan"), float("inf"),
                        1e300, -1e-50, 5e-324, 3.4028236e38, 2, -3, 0, 10**40, True, False,
                        np.float64(0.1), np.float32(0.1), np.int64(2)]


def _general(ufunc: np.ufunc, a: Any, b: Any) -> Any:
    """The kernels' general path (result_type, casts, the ufunc)."""
    rt = KE.result_type(a, b)
    if ufunc is np.true_divide and rt.kind != "f":
        from gradcli.ad import dtypes
        rt = dtypes.default_dtype()
    return KE._fix(ufunc(KE._cast(a, rt), KE._cast(b, rt)), rt)


def _outcome(f: Callable[..., Any], *args: Any) -> tuple[Any, ...]:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            r = f(*args)
        except Exception as e:  # the same failure either way
            return (type(e), str(e))
    return (type(r), r.dtype, r.shape, r.tobytes(), r.flags.writeable,
            sorted(str(m.message) for m in w))


@pytest.mark.parametrize("name,ufunc", [("add", np.add), ("sub", np.subtract),
                                        ("mul", np.multiply), ("div", np.true_divide)])
@pytest.mark.parametrize("dtype", FLOATS)
def test_zero_dim_kernels_equal_the_ufunc(name: str, ufunc: np.ufunc, dtype: type) -> None:
    kernel = getattr(KE, name)
    values = _values(dtype, 60, 1)
    for x in values:
        a = np.asarray(x)
        others: list[Any] = [np.asarray(v) for v in values[::7]] + CONSTANTS
        others += [np.asarray(1.5, np.float16), np.asarray(2, np.int64),
                   np.asarray(1.5, np.float32 if dtype is np.float64 else np.float64),
                   np.asarray([0.5, -1.0], dtype)]
        for other in others:
            for args in ((a, other), (other, a)):
                if name == "sub" and type(other) is bool:  # PyTorch's error, not the ufunc
                    assert _outcome(kernel, *args)[1].startswith("Subtraction, the `-`")
                    continue
                assert _outcome(kernel, *args) == _outcome(_general, ufunc, *args), args


def test_zero_dim_kernel_results_are_fresh_arrays() -> None:
    a = np.asarray(np.float32(1.5))
    r = KE.mul(a, 2.0)
    assert type(r) is np.ndarray and r.base is None and r.flags.writeable
    r[()] = 7.0  # writing into a result changes no other array
    assert a[()] == np.float32(1.5)


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div"])
def test_apply_takes_the_kernels_scalar_path_itself(name: str) -> None:
    """apply computes `+ - * /` of 0-d float32/float64 operands without calling the kernel
    (Rule.scalar_forward): the same result as the kernel, for every operand mix."""
    rule = RULES[name]
    assert rule.scalar_forward is not None
    for dtype in FLOATS:
        values = _values(dtype, 20, 2)
        for x in values:
            a = Tensor(np.asarray(x))
            others: list[Any] = [Tensor(np.asarray(v)) for v in values[::5]] + CONSTANTS
            others += [Tensor(np.asarray(2, np.int64)), Tensor(np.asarray([0.5, 2.0], dtype)),
                       Tensor(np.asarray(1.5, np.float32 if dtype is np.float64
                                         else np.float64))]
            for other in others:
                for args in ((a, other), (other, a)):
                    arrays = [v.array if type(v) is Tensor else v for v in args]
                    got = _outcome(lambda *xs: apply(rule, xs).array, *args)
                    want = _outcome(rule.forward, *arrays)
                    if name == "sub" and type(other) is bool:  # the kernel's error, raised
                        assert got[1] == want[1]              # as a gd runtime error
                        continue
                    if type(other) is int and other > 2**64 - 1:  # PyTorch's parser refuses
                        assert got[1] == "int too big to convert"  # what numpy would take
                        continue
                    assert got == want, args


# -- scalar VJPs against the array VJPs ------------------------------------------------------

SCALAR_RULES = sorted(name for name, rule in RULES.items() if rule.vjp_scalar is not None)


def test_the_hot_scalar_rules_have_scalar_vjps() -> None:
    assert {"add", "sub", "mul", "div", "neg", "sin", "cos", "exp", "log", "sqrt",
            "tanh"} <= set(SCALAR_RULES)
    for name in SCALAR_RULES:
        assert SCALAR_VJP[RULES[name].vjp] is RULES[name].vjp_scalar


def _reference(rule: Any, g: Tensor, out: Tensor, inputs: tuple[Any, ...]) -> tuple[Any, ...]:
    """What the engine's light pass runs without the scalar VJP."""
    with light():
        if rule.vjp_array is not None:
            return rule.vjp_array(g, out, *inputs)
        return rule.vjp_graph(g, out, *inputs)


def _cases(arity: int) -> list[tuple[Any, ...]]:
    if arity == 1:
        return [(k,) for k in (np.float32, np.float64, np.float16)]
    kinds = [np.float32, np.float64, np.float16, np.int64, float, int, "np.float64"]
    return [(a, b) for a in kinds for b in kinds
            if (isinstance(a, type) and issubclass(a, np.floating))
            or (isinstance(b, type) and issubclass(b, np.floating))]


def _make(kind: Any, value: Any, grad: bool) -> Any:
    if kind == "np.float64":
        return np.float64(value)
    if kind is float:
        return float(value)
    if kind is int:
        return int(np.clip(np.nan_to_num(value), -1e6, 1e6))
    t = Tensor(np.asarray(value).astype(kind))
    return t.requires_grad_(True) if grad and t.array.dtype.kind == "f" else t


@pytest.mark.parametrize("name", SCALAR_RULES)
def test_scalar_vjp_equals_the_array_vjp(name: str) -> None:
    rule = RULES[name]
    arity = 2 if rule.kind == "binary" else 1
    rng = np.random.default_rng(7)
    ran = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for kinds in _cases(arity):
            for grads in ([(True,), (False,)] if arity == 1 else
                          [(True, True), (True, False), (False, True)]):
                for _ in range(12):
                    vals = rng.standard_normal(arity) * 10.0 ** rng.integers(-3, 3, arity)
                    if rng.random() < 0.2:
                        vals[rng.integers(arity)] = rng.choice(
                            [0.0, -0.0, np.nan, np.inf, -np.inf, 1e-40])
                    inputs = tuple(_make(k, v, gr) for k, v, gr in zip(kinds, vals, grads,
                                                                        strict=True))
                    if not any(type(x) is Tensor and x.requires_grad for x in inputs):
                        continue
                    try:
                        out = apply(rule, inputs)
                    except GdError:
                        continue
                    node = out.grad_fn
                    if node is None:
                        continue
                    gv = rng.standard_normal() * 10.0 ** rng.integers(-3, 3)
                    g = Tensor(np.asarray(gv, out.array.dtype))
                    want = _reference(rule, g, out, node.inputs)
                    if type(g.array[()]) not in FLOATS:
                        continue  # float16 cotangents never take the scalar path
                    got = rule.vjp_scalar(g.array[()], out, node.inputs)
                    uniform = all(
                        (type(x) is Tensor and x.array.dtype == out.array.dtype)
                        or type(x) in (float, int, bool) for x in node.inputs)
                    if name == "div" and type(node.inputs[0]) is not Tensor:
                        uniform = False  # number / tensor: left to the ops
                    if not uniform:
                        assert got is None, (kinds, vals)
                        continue
                    assert got is not None, (kinds, vals)
                    ran += 1
                    assert len(got) == len(want)
                    for c, w, x in zip(got, want, node.inputs, strict=True):
                        assert (c is None) == (w is None), (kinds, vals)
                        if c is None:
                            continue
                        assert type(c) is type(w.array[()]), (type(c), w.array.dtype)
                        if type(x) is Tensor:  # (add passes g on for a constant too)
                            assert c.dtype == x.array.dtype
                        assert np.asarray(c).tobytes() == w.array.tobytes(), (kinds, vals)
    assert ran >= 20


# -- whole passes: scalar VJPs on and off, and PyTorch ---------------------------------------

def _run(text: str) -> str:
    out: list[str] = []
    try:
        run_source(textwrap.dedent(text).strip("\n") + "\n", "prog.gd",
                   RunOptions(write=out.append))
    except GdError as e:
        out.append(f"error: {e}\n")
    return "".join(out)


def _torch(text: str) -> str:
    torch = pytest.importorskip("torch")
    printed: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (gd gives its warnings apart from the output)
            exec(textwrap.dedent(text), {"torch": torch, "print": lambda *a: printed.append(
                " ".join(map(str, a)))})
    except RuntimeError as e:
        printed.append(f"error: {e}")
    return "\n".join(printed) + "\n"


def _strip(s: str) -> str:
    return re.sub(r" at 0x[0-9a-f]+", "", s)


def _on_and_off(text: str, monkeypatch: pytest.MonkeyPatch) -> str:
    on = _run(text)
    with monkeypatch.context() as m:
        m.setattr(engine, "SCALAR_VJP", {})
        off = _run(text)
    assert on == off
    return on


CHAIN = """
import torch
for dt in (torch.float32, torch.float64):
    x = torch.tensor(0.5, dtype=dt, requires_grad=True)
    w = torch.tensor(1.25, dtype=dt, requires_grad=True)
    y = x
    for i in range(25):
        y = y * 0.9999 + torch.sin(x) * 0.0001 - torch.cos(w) / (y + 3.0)
        y = y + torch.exp(x * 0.1) * torch.log(w + 1.5) - torch.sqrt(w) * torch.tanh(y)
        y = y * torch.sigmoid(x) + torch.reciprocal(w + 2) + torch.log1p(x * x) - (-y) * 0.5
        y = 2.0 - y / 3 + 1.5 / (w + 1) - 2 * x * w + 1 / x
    y.backward()
    print(y.tolist(), y.grad_fn, x.grad.tolist(), w.grad.tolist(), x.grad.dtype)
"""

MIXED = """
import torch
a = torch.tensor(0.5, requires_grad=True)
b = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
h = torch.tensor(0.75, requires_grad=True)
k = torch.tensor(3)
c = torch.tensor(2.5, dtype=torch.float64)
y = torch.sin(a * b) * k + a / k - a * c + torch.exp(h * 2.0).double() * a
z = y * y + (h - 1) * 3 + h * k
z.backward()
print(z.dtype, z.tolist(), a.grad.tolist(), b.grad.tolist(), h.grad.tolist())
print(a.grad.dtype, b.grad.dtype, h.grad.dtype)
"""

SHAPES = """
import torch
v = torch.tensor([0.5, 1.5, -2.0], requires_grad=True)
x = torch.tensor(0.25, requires_grad=True)
s = (v * v).sum()
y = torch.sin(s) * 2 + s * x
z = (y * v).sum() + y * torch.cos(x)
z.backward()
print(z.tolist(), v.grad.tolist(), x.grad.tolist())
"""

HOOKS = """
import torch
seen = []
x = torch.tensor(0.5, requires_grad=True)
a = x * 2.0
a.register_hook(lambda g: seen.append(("a", g.tolist())))
b = torch.sin(a) * a
b.retain_grad()
b.register_hook(lambda g: g * 3)
c = b * b + a
x.register_hook(lambda g: seen.append(("x", g.tolist())))
c.backward()
print(seen, b.grad.tolist(), x.grad.tolist())
"""

GRADS = """
import torch
x = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
y = torch.sin(x) * x * x
g, = torch.autograd.grad(y, x, create_graph=True)
print(g.grad_fn, g.tolist())
g2, = torch.autograd.grad(g, x)
print(g2.tolist(), g2.grad_fn)
m = x * 3.0
z = torch.exp(m) + m / x
gm, gx = torch.autograd.grad(z, [m, x])
print(gm.tolist(), gx.tolist(), gx.requires_grad)
w = torch.tensor(0.3, requires_grad=True)
u = torch.tanh(w) * w - 1.0
u.backward(create_graph=True)
print(w.grad.grad_fn, w.grad.tolist())
q = w.grad * w
q.backward()
print(w.grad.tolist())
"""

RETAIN = """
import torch
x = torch.tensor(0.5, requires_grad=True)
y = torch.exp(x) * x - x / 2.0
y.backward(retain_graph=True)
y.backward()
print(x.grad.tolist())
try:
    y.backward()
except RuntimeError as e:
    print("freed:", str(e)[:60])
a = x * 2.0
b = torch.sin(a) * a
a.add_(1.0)
try:
    b.backward()
except RuntimeError as e:
    print("version:", str(e)[:150])
"""

ANOMALY = """
import torch
x = torch.tensor(0.0, requires_grad=True)
with torch.autograd.detect_anomaly():
    y = torch.sqrt(x * 1.0) * 0.0
    try:
        y.backward()
    except RuntimeError as e:
        print(str(e).split(".")[0])
"""

FUNCTIONAL = """
import torch
import torch.autograd.functional as AF
def f(x):
    y = x
    for i in range(5):
        y = y * 0.9 + torch.sin(x) * 0.5 - x / (y + 2.0)
    return y
x = torch.tensor(0.5, dtype=torch.float64)
print(AF.jacobian(f, x).tolist(), AF.hessian(f, x).tolist())
out, t = AF.jvp(f, x, torch.tensor(1.0, dtype=torch.float64))
print(out.tolist(), t.tolist())
out, v = AF.vjp(f, x, torch.tensor(1.0, dtype=torch.float64))
print(out.tolist(), v.tolist())
"""

DUPLICATES = """
import torch
x = torch.tensor(0.75, dtype=torch.float64, requires_grad=True)
v = torch.tensor([0.5, -1.5], requires_grad=True)
s = torch.tensor(0.5, requires_grad=True)
y = x
for i in range(6):
    a = y * y
    b = a * a + y
    y = b / (a + 2.0) - x * x
w = (v * v) * (v * v).sum() * s
z = (w * w).sum() + s * s
y.backward()
z.backward()
print(y.tolist(), x.grad.tolist(), v.grad.tolist(), s.grad.tolist())
"""

TARGETS = """
import torch
x = torch.tensor(0.5, requires_grad=True)
w = torch.tensor([1.0, 2.0], requires_grad=True)
d = torch.tensor(0.25, dtype=torch.float64, requires_grad=True)
y = x
for i in range(4):
    y = y * 0.9 + x * x - torch.sin(x) / 3.0
v = (w * x).sum() + y * x + x
print([g.tolist() for g in torch.autograd.grad(v, [x, w], retain_graph=True)])
u = d
for i in range(3):
    u = u * d - d / 7.0
print(torch.autograd.grad(u, d), torch.autograd.grad(y * 2.0 + x, (x,)))
"""

PROGRAMS = {"chain": CHAIN, "targets": TARGETS, "duplicates": DUPLICATES, "mixed": MIXED,
            "shapes": SHAPES, "hooks": HOOKS, "grads": GRADS, "retain": RETAIN, "anomaly": ANOMALY,
            "functional": FUNCTIONAL}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_scalar_vjps_on_and_off_print_the_same(name: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    printed = _on_and_off(PROGRAMS[name], monkeypatch)
    assert "error:" not in printed, printed


@pytest.mark.parametrize("name", ["anomaly", "duplicates", "mixed", "retain", "shapes",
                                  "targets"])
def test_scalar_programs_match_torch(name: str) -> None:
    """(The others differ from PyTorch in a last bit on the general path as well: float32
    transcendental derivatives, and a jvp's tangent; the scalar path changes none.)"""
    gd = _run(PROGRAMS[name])
    assert _strip(gd) == _strip(_torch(PROGRAMS[name]))


def test_the_w1_program_gives_torchs_bits() -> None:
    """bench/gd/w1.gd's loop, float32 and float64: value and gradient, bit for bit."""
    torch = pytest.importorskip("torch")
    for dt in (np.float32, np.float64):
        x = Tensor(np.asarray(0.5, dt)).requires_grad_(True)
        tx = torch.tensor(0.5, dtype=getattr(torch, dt.__name__), requires_grad=True)
        y, ty = x, tx
        for _ in range(2000):
            y = apply(RULES["add"], (apply(RULES["mul"], (y, 0.9999)), apply(
                RULES["mul"], (apply(RULES["sin"], (x,)), 0.0001))))
            ty = ty * 0.9999 + torch.sin(tx) * 0.0001
        y.backward()
        ty.backward()
        assert y.array.tobytes() == ty.detach().numpy().tobytes()
        assert x.grad.array.dtype == dt
        assert x.grad.array.tobytes() == tx.grad.numpy().tobytes()


def test_gd_anomaly_mode_names_the_same_node(monkeypatch: pytest.MonkeyPatch) -> None:
    """gd's own anomaly detection (State.detect_anomaly) runs every node on the tensor
    path: the same error either way."""
    messages = []
    for table in (SCALAR_VJP, {}):
        monkeypatch.setattr(engine, "SCALAR_VJP", table)
        x = Tensor(np.asarray(0.0)).requires_grad_(True)
        y = apply(RULES["mul"], (apply(RULES["sqrt"], (apply(RULES["mul"], (x, 1.0)),)),
                                 0.0))
        State.detect_anomaly = True
        try:
            with pytest.raises(GdError) as e:
                y.backward()
        finally:
            State.detect_anomaly = False
        messages.append(str(e.value))
    assert messages[0] == messages[1]
    assert "SqrtBackward0" in messages[0] and "nan" in messages[0]


def test_a_replaced_vjp_runs_instead_of_the_scalar_one(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = RULES["sin"]
    calls = []

    def wrong(g: Tensor, out: Tensor, x: Tensor) -> tuple[Any, ...]:
        calls.append(1)
        return (g * 0.0,)

    monkeypatch.setattr(rule, "vjp", wrong)
    x = Tensor(np.asarray(0.5)).requires_grad_(True)
    apply(RULES["mul"], (apply(rule, (x,)), 2.0)).backward()
    assert calls and x.grad.array.item() == 0.0


def test_leaf_gradient_is_an_unshared_fresh_array() -> None:
    x = Tensor(np.asarray(np.float32(0.5))).requires_grad_(True)
    y = apply(RULES["mul"], (apply(RULES["sin"], (x,)), 3.0))
    y.backward()
    g = x.grad.array
    assert type(g) is np.ndarray and g.dtype == np.float32 and g.shape == ()
    assert g.flags.writeable and g.base is None
    y2 = apply(RULES["mul"], (x, operator.neg(2.0)))
    y2.backward()
    assert x.grad.array is g  # accumulated in place, as before
