"""The array-level VJPs (Rule.with_array_vjp) are the differentiable VJPs, bit for bit.

A rule with an array VJP runs it only in a backward pass that records nothing (no
create_graph, no forward-mode level: State.light_backward, grad mode off). Each array VJP
is written as the same kernels, in the same order, as the ops its differentiable VJP
calls, so the tolerance here is none: every cotangent is compared byte for byte (NaN
payloads and signed zeros included), with its dtype, shape, writeability, the identity of
a cotangent passed on unchanged, and the None pattern (hooks and `check` see them).

Cases are the sweep's own (tests/samples): every node a sample records, and every node its
create_graph derivative records, for float64 and float32, with the sample's shapes and
with broadcasting shapes; batchable rules also with a stacked (batched) cotangent. Then
whole backward passes (the engine's unbroadcasting and accumulation included) with the
array VJPs on and off, and create_graph / higher orders, which must keep going through the
differentiable rules (their grad_fn names unchanged).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from light_pass import light
from samples import Index, Mask, X, draw_array, load

from gradcli.ad import autograd, forward
from gradcli.ad import ops as F
from gradcli.ad.graph import Node, tensor_from_array
from gradcli.ad.ops import SURFACE
from gradcli.ad.rules import RULES
from gradcli.ad.state import State, grad_mode
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdError
from gradcli.interp.values import DTYPE_VALUES

SAMPLES = load()
FAST = sorted(name for name, rule in RULES.items() if rule.vjp_array is not None)
#: The rules W2 and tutorials spend their backward passes in: they must keep an array VJP.
HOT = {"exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "sub", "mul", "div", "neg",
       "pow", "mv", "mm", "dot", "bmm", "sum", "mean", "reshape", "transpose",
       "expand", "getitem"}
#: (name, star shape, float dtype): the sample's shapes, and two that broadcast against
#: the 0-d and size-2 arguments of the samples.
VARIANTS = [("float64", (2, 3)), ("float32", (2, 3)), ("float64", (2, 1)), ("float32", ())]


@contextmanager
def array_vjps_off() -> Iterator[None]:
    """Every rule on its differentiable VJP alone (the code before array VJPs)."""
    saved = {name: RULES[name].vjp for name in FAST}
    for name in FAST:
        RULES[name].vjp = RULES[name].vjp_graph
    try:
        yield
    finally:
        for name, vjp in saved.items():
            RULES[name].vjp = vjp


def _arg(arg: Any, dtype: str, star: tuple[int, ...], rng: np.random.Generator) -> Any:
    if isinstance(arg, X):
        if arg.dtype == "float64":
            arg = dataclasses.replace(arg, dtype=dtype)
        a = draw_array(arg, SIZES, star, rng)
        t = Tensor(a)
        return t.requires_grad_(True) if arg.grad and a.dtype.kind == "f" else t
    if isinstance(arg, (Index, Mask)):
        return Tensor(draw_array(arg, SIZES, star, rng))
    if isinstance(arg, str) and arg.startswith("torch.") and arg[6:] in DTYPE_VALUES:
        return DTYPE_VALUES[arg[6:]]
    if isinstance(arg, (tuple, list)):
        return type(arg)(_arg(a, dtype, star, rng) for a in arg)
    return arg


SIZES: dict[str, int] = dict.fromkeys("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 2)


def _leaves(x: Any) -> list[Tensor]:
    if isinstance(x, Tensor):
        return [x] if x.requires_grad and x.grad_fn is None else []
    if isinstance(x, (tuple, list)):
        return [t for e in x for t in _leaves(e)]
    if isinstance(x, dict):
        return [t for e in x.values() for t in _leaves(e)]
    return []


def _outputs(r: Any) -> list[Tensor]:
    if isinstance(r, Tensor):
        return [r] if r.requires_grad and r.array.dtype.kind == "f" else []
    if isinstance(r, (tuple, list)):
        return [t for e in r for t in _outputs(e)]
    return []


def _run_sample(spelling: str, index: int, dtype: str,
                star: tuple[int, ...]) -> tuple[list[Tensor], list[Tensor], Any] | None:
    """The sample's call (its leaves, differentiable outputs, seed generator), or None
    when it does not apply in this variant (a dtype or shape the op refuses)."""
    smp = SAMPLES[spelling][index]
    rng = np.random.default_rng(index)
    args = [_arg(a, dtype, star, rng) for a in smp.args]
    kwargs = {k: _arg(v, dtype, star, rng) for k, v in smp.kwargs.items()}
    if smp.seed is not None:
        F.manual_seed(smp.seed)
    try:
        out = SURFACE[spelling](*args, **kwargs)
    except GdError:
        return None
    return _leaves([args, kwargs]), _outputs(out), rng


RUNNABLE = [(spelling, i) for spelling in sorted(SAMPLES)
            for i, smp in enumerate(SAMPLES[spelling])
            if smp.grad and not spelling.endswith("_")]


def _cotangents(outs: list[Tensor], rng: np.random.Generator) -> list[Tensor]:
    return [Tensor(rng.standard_normal(o.shape).astype(o.array.dtype)) for o in outs]


# -- collecting nodes -----------------------------------------------------------------------

Recorded = tuple[Node, Tensor]


def _collect() -> dict[str, list[tuple[str, Recorded]]]:
    """rule name → (where, (node, output)) for every node with an array VJP that the
    samples record, forward and in their create_graph derivatives."""
    found: dict[str, list[tuple[str, Recorded]]] = {name: [] for name in FAST}
    saved = State.on_record

    def note(node: Node, out: Tensor) -> None:
        if node.rule.vjp_array is not None and len(found[node.rule.name]) < 40:
            found[node.rule.name].append((where, (node, out)))

    State.on_record = note
    try:
        for spelling, i in RUNNABLE:
            for dtype, star in VARIANTS:
                where = f"{spelling}#{i} {dtype} *={star}"
                run = _run_sample(spelling, i, dtype, star)
                if run is None:
                    continue
                leaves, outs, rng = run
                if not leaves or not outs:
                    continue
                where += " (its derivative)"
                try:
                    autograd.grad(outs, leaves, _cotangents(outs, rng), create_graph=True,
                                allow_unused=True)
                except GdError:
                    continue
    finally:
        State.on_record = saved
    return found


@pytest.fixture(scope="module")
def recorded() -> dict[str, list[tuple[str, Recorded]]]:
    return _collect()


# -- comparing ------------------------------------------------------------------------------

def _same(fast: Any, graph: Any, g: Tensor, what: str) -> None:
    if graph is None:
        assert fast is None, f"{what}: the array VJP gave a cotangent where the rule gives None"
        return
    assert isinstance(fast, Tensor), f"{what}: {fast!r} where the rule gives a tensor"
    assert (fast is g) == (graph is g), f"{what}: g passed on by one side only"
    a, b = fast.array, graph.array
    assert type(a) is np.ndarray, f"{what}: {type(a)}"
    assert a.dtype == b.dtype, f"{what}: dtype {a.dtype} vs the rule's {b.dtype}"
    assert a.shape == b.shape, f"{what}: shape {a.shape} vs the rule's {b.shape}"
    assert a.flags.writeable == b.flags.writeable, f"{what}: writeability differs"
    assert np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes(), \
        f"{what}: values differ\n{a}\nvs the rule's\n{b}"
    assert not fast.requires_grad and fast.grad_fn is None


def _compare(rule: Any, node: Node, g: Tensor, what: str) -> None:
    inputs = node.inputs
    assert inputs is not None
    with light():
        by_graph = rule.vjp_graph(g, node.out, *inputs, **node.params)
        by_array = rule.vjp_array(g, node.out, *inputs, **node.params)
        dispatched = rule.vjp(g, node.out, *inputs, **node.params)
    assert len(by_array) == len(by_graph) == len(dispatched), what
    for k, (f, s, d) in enumerate(zip(by_array, by_graph, dispatched, strict=True)):
        _same(f, s, g, f"{what}, cotangent {k}")
        _same(d, s, g, f"{what}, cotangent {k} (through Rule.vjp)")


#: Values of a spread cotangent: 1 (a sum's), a fraction (a mean's), and special ones.
SPREAD_VALUES = (1.0, 0.25, -2.5, -0.0, np.inf, np.nan)


def _spread(v: float, like: np.ndarray) -> Tensor:
    """One value spread to like's shape by a read-only broadcast view: the cotangent sum's
    and mean's VJPs hand on in a light pass (ops.expand there)."""
    return tensor_from_array(np.broadcast_to(np.array(v, like.dtype), like.shape))


@pytest.mark.parametrize("name", FAST)
def test_array_vjp_equals_the_differentiable_vjp_on_the_samples(
        name: str, recorded: dict[str, list[tuple[str, Recorded]]]) -> None:
    cases = recorded[name]
    assert cases, f"no sample records a {name!r} node: add one to tests/samples"
    rule = RULES[name]
    rng = np.random.default_rng(0)
    dtypes = set()
    for where, (node, out) in cases:
        a = out.array
        dtypes.add(a.dtype.name)
        what = f"{name} ({node.name}) from {where}, inputs " + str(
            [tuple(x.shape) if isinstance(x, Tensor) else x for x in node.inputs or ()])
        g = Tensor(rng.standard_normal(a.shape).astype(a.dtype))
        _compare(rule, node, g, what)
        # Signed zeros, infinities and NaN in the cotangent go through the same kernels.
        special = np.resize(np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.5]), a.shape)
        _compare(rule, node, Tensor(special.astype(a.dtype)), what + " (special values)")
        for v in SPREAD_VALUES:  # one value spread, as sum's and mean's VJPs hand it on
            _compare(rule, node, _spread(v, a), what + f" (spread {v})")
        if rule.batchable:  # batched_vjp's stacked cotangents
            gb = Tensor(rng.standard_normal((2, *a.shape)).astype(a.dtype))
            _compare(rule, node, gb, what + " (batched)")
    if name not in {"to_dtype"}:
        assert {"float32", "float64"} <= dtypes, f"{name}: only {dtypes} covered"


def test_the_hot_rules_have_array_vjps() -> None:
    assert set(FAST) >= HOT, HOT - set(FAST)


def test_the_dispatcher_picks_the_differentiable_vjp_unless_the_pass_is_light() -> None:
    rule = RULES["tanh"]
    x = F.tensor([0.5, -1.0]).requires_grad_(True)
    y = F.tanh(x)
    g = F.tensor([1.0, 2.0])
    assert y.grad_fn is not None
    with grad_mode(True):  # create_graph: recorded, TanhBackwardBackward0
        (c,) = rule.vjp(g, y, x)
    assert c.grad_fn is not None and c.grad_fn.name == "TanhBackwardBackward0"
    saved = State.light_backward
    State.light_backward = True
    try:
        with grad_mode(True):  # grad mode on: something may record, so the rule's ops run
            (c,) = rule.vjp(g, y, x)
        assert c.grad_fn is not None
    finally:
        State.light_backward = saved
    with grad_mode(False):  # not light (a forward-mode level, a custom Function): the ops
        (c,) = rule.vjp(g, y, x)
    with light():
        (d,) = rule.vjp(g, y, x)
    assert d.grad_fn is None and d.array.tobytes() == c.array.tobytes()


# -- whole backward passes ------------------------------------------------------------------

def _grads(outs: list[Tensor], leaves: list[Tensor], cots: list[Tensor],
           create_graph: bool = False) -> tuple[Any, ...]:
    return autograd.grad(outs, leaves, cots, retain_graph=True, create_graph=create_graph,
                       allow_unused=True)


def _bitwise(a: Any, b: Any, what: str) -> None:
    if a is None or b is None:
        assert a is None and b is None, what
        return
    assert a.array.dtype == b.array.dtype and a.array.shape == b.array.shape, what
    assert np.ascontiguousarray(a.array).tobytes() == np.ascontiguousarray(b.array).tobytes(),\
        f"{what}\n{a.array}\nvs\n{b.array}"


@pytest.mark.parametrize(("spelling", "index"), RUNNABLE,
                         ids=[f"{s}#{i}" for s, i in RUNNABLE])
def test_backward_through_each_sample_is_unchanged(spelling: str, index: int) -> None:
    """grad() (the engine's unbroadcasting, dtype casts and sums included) and .backward()
    give the same bytes with and without the array VJPs, in float32 and float64."""
    for dtype, star in VARIANTS:
        run = _run_sample(spelling, index, dtype, star)
        if run is None:
            continue
        leaves, outs, rng = run
        if not leaves or not outs:
            continue
        cots = _cotangents(outs, rng)
        try:
            fast = _grads(outs, leaves, cots)
        except GdError as e:
            with array_vjps_off(), pytest.raises(GdError, match=str(e)[:40]):
                _grads(outs, leaves, cots)
            continue
        with array_vjps_off():
            slow = _grads(outs, leaves, cots)
        for k, (a, b) in enumerate(zip(fast, slow, strict=True)):
            _bitwise(a, b, f"{spelling}#{index} {dtype} *={star}: d/d(leaf {k})")
        # Through a sum and a mean of each output: spread cotangents (in place, or none).
        for red in (F.sum, F.mean):
            loss = [red(o) for o in outs]
            fast = _grads(loss, leaves, None)
            with array_vjps_off():
                slow = _grads(loss, leaves, None)
            for k, (a, b) in enumerate(zip(fast, slow, strict=True)):
                _bitwise(a, b, f"{spelling}#{index} {dtype} *={star}: d{red.__name__}/d"
                         f"(leaf {k})")


def _program(x: Tensor, b: Tensor, c: Tensor, W: Tensor, m: Tensor) -> Tensor:
    """Broadcasting everywhere: (2,3) with (3,), (2,1), 0-d and Python numbers."""
    y = (x + b) * c - 2.0 * x / (b * b + 1) + F.tanh(W @ x[0]).sum()
    y = y ** 2 + F.where(m, F.exp(-y), F.sigmoid(y) * c)
    z = F.relu(y).mean(0, keepdim=True) + F.sin(y.t()).t() - F.cos(y).sum(1).unsqueeze(1)
    z = z + F.matmul(F.stack([x, y]), W.t()).sum(0) / 3
    z = F.cat([z, F.sqrt(F.abs(x) + 1)], 1).reshape(3, 4).permute(1, 0)
    z = z.clamp(-1.0, 1.5) * F.log1p(z * z) + (1 / (z + 3)).expand(2, 4, 3)[1]
    return F.dot(z.reshape(-1), z.reshape(-1) * 0.5) + z.sum() + sum(F.unbind(x[:, 0])) ** 3


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_broadcasting_program_backpropagates_the_same_bytes(dtype: str) -> None:
    rng = np.random.default_rng(1)

    def leaf(*shape: int) -> Tensor:
        return Tensor(rng.standard_normal(shape).astype(dtype)).requires_grad_(True)

    x, b, c, W = leaf(2, 3), leaf(3), leaf(2, 1), leaf(3, 3)
    m = Tensor(rng.random((2, 3)) < 0.5)
    ins = [x, b, c, W]
    results = []
    for off in (False, True):
        for t in ins:
            t.grad = None
        with array_vjps_off() if off else nullcontext():
            out = _program(x, b, c, W, m)
            out.backward()
        results.append([t.grad for t in ins])
        assert out.array.dtype == np.dtype(dtype)
    for k, (a, b2) in enumerate(zip(*results, strict=True)):
        assert a is not None and a.array.dtype == np.dtype(dtype)
        _bitwise(a, b2, f"{dtype}: .grad of input {k}")


@contextmanager
def nullcontext() -> Iterator[None]:
    yield


# -- create_graph and higher orders ---------------------------------------------------------

def _graph_names(t: Tensor) -> list[str]:
    """Every grad_fn name behind t, in creation order."""
    seen: dict[Node, None] = {}
    stack = [t.grad_fn] if t.grad_fn is not None else []
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen[n] = None
        stack += [p for p in n.parents if type(p) is Node]
    return [n.name for n in sorted(seen, key=lambda n: n.seq)]


def _second_order(f: Callable[[Tensor], Tensor],
                  x: Tensor) -> tuple[list[str], Tensor, Tensor]:
    y = f(x)
    (g,) = autograd.grad([y], [x], create_graph=True)
    (h,) = autograd.grad([g.sum()], [x], retain_graph=True)
    (h3,) = autograd.grad([g.sum()], [x], create_graph=True)
    assert h3.grad_fn is not None or not h3.requires_grad
    return _graph_names(g), g, h


CHAINS: dict[str, Callable[[Tensor], Tensor]] = {
    "tanh chain": lambda x: F.tanh(F.tensor([[0.3, -0.2], [0.1, 0.4]]) @ x + 0.1).sum(),
    "power and quotient": lambda x: (x ** 3 / (x * x + 1) - x).sum(),
    "unary math": lambda x: (F.exp(F.sin(x)) * F.log(F.cos(x) + 2) + F.sigmoid(x)).mean(),
    "shapes": lambda x: (x.reshape(2, 1).expand(2, 3).t() * x[0]).sum() ** 2,
}


@pytest.mark.parametrize("name", sorted(CHAINS))
def test_create_graph_and_higher_orders_go_through_the_differentiable_rules(name: str) -> None:
    f = CHAINS[name]
    x = F.tensor([0.7, -0.4]).requires_grad_(True)
    names, g, h = _second_order(f, x)
    with array_vjps_off():
        names_off, g_off, h_off = _second_order(f, x)
    assert names == names_off and names, names
    _bitwise(g, g_off, f"{name}: first derivative")
    _bitwise(h, h_off, f"{name}: second derivative")
    assert g.grad_fn is not None


def test_the_double_backward_graph_has_pytorchs_names() -> None:
    # torch 2.13: x = tensor([0.7, -0.4], requires_grad=True); y = tanh(x * x).sum();
    # g, = autograd.grad(y, x, create_graph=True); the nodes behind g (next_functions,
    # AccumulateGrad left out) are these, g.grad_fn an AddBackward0.
    x = F.tensor([0.7, -0.4]).requires_grad_(True)
    y = F.tanh(x * x).sum()
    (g,) = autograd.grad([y], [x], create_graph=True)
    assert g.grad_fn is not None and g.grad_fn.name == "AddBackward0"
    assert sorted(_graph_names(g)) == ["AddBackward0", "MulBackward0", "MulBackward0",
                                       "MulBackward0", "TanhBackward0", "TanhBackwardBackward0"]


def test_forward_over_reverse_keeps_the_differentiable_rules() -> None:
    """A backward pass inside a forward-mode level carries tangents: not light."""
    x0 = np.array([0.7, -0.4])
    v = np.array([1.0, 0.5])
    with forward.dual_level():
        x = forward.make_dual(Tensor(x0), Tensor(v)).requires_grad_(True)
        (g,) = autograd.grad([F.tanh(x * x).sum()], [x])
        tangent = forward.unpack_dual(g)[1]
    assert tangent is not None
    u = x0 * x0
    t = np.tanh(u)
    # d/dx (2x·(1 - tanh²(x²))) = 2(1 - t²) - 8x²·t(1 - t²)
    hess = 2 * (1 - t * t) - 8 * u * t * (1 - t * t)
    np.testing.assert_allclose(tangent.array, hess * v, rtol=1e-12)


# -- the engine calls array VJPs directly -------------------------------------------------

def test_every_dispatcher_maps_to_its_array_vjp() -> None:
    from gradcli.ad.registry import ARRAY_VJP
    for name in FAST:
        assert ARRAY_VJP[RULES[name].vjp] is RULES[name].vjp_array, name


@pytest.mark.parametrize("create_graph", [False, True])
def test_a_replaced_vjp_runs_in_every_pass(create_graph: bool) -> None:
    """A light pass skips a rule's dispatcher only while `vjp` is still that dispatcher: a
    VJP replaced since (tests' deliberately wrong rules) runs, light pass or not."""
    rule = RULES["sin"]
    original = rule.vjp
    calls: list[int] = []

    def doubled(*a: Any, **k: Any) -> tuple[Any, ...]:
        calls.append(1)
        return tuple(None if c is None else c * 2 for c in original(*a, **k))

    x = F.tensor([0.5, -1.0]).requires_grad_(True)
    rule.vjp = doubled
    try:
        (g,) = autograd.grad([F.sin(x).sum()], [x], create_graph=create_graph)
    finally:
        rule.vjp = original
    (h,) = autograd.grad([F.sin(x).sum()], [x], create_graph=create_graph)
    assert calls == [1]
    assert g.array.tobytes() == (2 * h.array).tobytes()
    assert (g.grad_fn is not None) == create_graph


def test_grad_mode_turned_on_by_a_hook_takes_the_differentiable_vjp() -> None:
    """The engine reads grad mode per node, as the dispatcher does: a hook that turns grad
    mode on for the rest of the pass makes the next VJPs record, as through Rule.vjp."""
    from gradcli.ad.hooks import register_hook

    def grad_on(g: Tensor) -> None:
        State.grad_enabled = True

    seen: list[Any] = []
    for direct in (True, False):
        x = F.tensor([0.5, -1.0]).requires_grad_(True)
        y = F.exp(F.sin(x))
        register_hook(y, grad_on)
        saved = State.grad_enabled
        try:
            with array_vjps_off() if not direct else nullcontext():
                (g,) = autograd.grad([y.sum()], [x])
        finally:
            State.grad_enabled = saved
        seen.append(g)
    _bitwise(seen[0], seen[1], "grad mode on from a hook")


# -- mul_temporary: an array VJP's g · (its own new array) ---------------------------------

@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_mul_temporary_is_mul_and_leaves_arrays_others_hold_alone(dtype: str) -> None:
    from gradcli.ad import kernels as K

    t0 = np.array([1.5, -0.0, np.inf, -np.inf, np.nan, 3e38, -7.25], dtype)
    for v in (*SPREAD_VALUES, 2.0, -1.0):
        g = np.broadcast_to(np.array(v, dtype), t0.shape)
        want = K.mul(g, t0)
        held = t0.copy()
        got = K.mul_temporary(g, held)  # held by this test: not written, a new array
        assert got is not held and held.tobytes() == t0.tobytes()
        assert got.dtype == want.dtype and got.tobytes() == want.tobytes(), v
        got = K.mul_temporary(g, t0 * 1)  # a temporary: scaled in place (or kept)
        assert got.dtype == want.dtype and got.tobytes() == want.tobytes(), v
    # not one value spread, another dtype, a view: mul's own result
    g = np.array([2.0, 3.0], dtype)
    assert K.mul_temporary(g, np.ones(2, dtype)).tolist() == [2.0, 3.0]
    g = np.broadcast_to(np.array(2.0), (2,))
    assert K.mul_temporary(g, np.ones(2, "float32")).dtype == np.dtype("float64")
