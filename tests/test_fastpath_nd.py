"""The n-d array VJPs (Rule.with_nd_vjp) equal the array VJPs they short-cut, bit for bit.

In a light backward pass (no create_graph, no forward-mode level) the engine runs a rule's
n-d VJP on the cotangent's array and keeps the cotangents it returns as arrays, where the
array VJP wraps each in a tensor (bench W2: five tensors a step). Checked here:
- each rule's n-d VJP gives the array VJP's cotangents: bytes, dtype, shape, None pattern;
- whole passes with the n-d VJPs on and off give the same bytes for what the engine does
  around them: a leaf summed in place over a loop, one cotangent reaching two leaves and
  two edges (x + x), broadcast inputs summed back, mixed dtypes cast back, a leaf's
  existing .grad, grad() targets, hooks and retain_grad on some nodes (the tensor path
  there), and gradients that alias no other tensor.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from light_pass import light

from gradcli.ad import autograd
from gradcli.ad import hooks as H
from gradcli.ad import ops as F
from gradcli.ad.graph import Tensor
from gradcli.ad.record import apply
from gradcli.ad.registry import ND_VJP
from gradcli.ad.rules import RULES
from gradcli.errors import GdError

ND_RULES = sorted(name for name, rule in RULES.items() if rule.vjp_nd is not None)


@contextmanager
def nd_off() -> Iterator[None]:
    """The engine without n-d VJPs (every n-d cotangent a tensor, as before them)."""
    saved = dict(ND_VJP)
    ND_VJP.clear()
    try:
        yield
    finally:
        ND_VJP.update(saved)


def test_the_hot_rules_have_nd_vjps() -> None:
    assert {"add", "sub", "mul", "mv", "tanh", "sin", "exp", "sigmoid"} <= set(ND_RULES)
    for name in ND_RULES:
        assert ND_VJP[RULES[name].vjp] is RULES[name].vjp_nd


def _inputs(rule: Any, dtype: Any, rng: np.random.Generator) -> list[tuple[Any, ...]]:
    def t(*shape: int, dt: Any = dtype, grad: bool = True) -> Tensor:
        x = Tensor((rng.standard_normal(shape) * 2).astype(dt))
        return x.requires_grad_(True) if grad else x

    if rule.name == "mv":
        return [(t(5, 3), t(3)), (t(4, 2), t(2, grad=False)), (t(3, 3, grad=False), t(3))]
    if rule.kind == "binary":
        other = np.float32 if dtype == np.float64 else np.float64
        return [(t(4, 3), t(4, 3)), (t(4, 3), t(3)), (t(1, 3), t(4, 1)), (t(5), 2.5),
                (3, t(5)), (t(4, 3), t(4, 3, grad=False)), (t(6), t(6, dt=other)),
                (t(2, 3), t(3, dt=other, grad=False))]
    return [(t(7),), (t(3, 4),), (t(2, 3, 4)[:, 1],)]


#: The bounds of the rules that need params (their nodes keep the array VJP).
PARAMS = {"clamp": {"min": -0.5, "max": 0.5}, "clamp_min": {"bound": -0.5},
          "clamp_max": {"bound": 0.5}}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ND_RULES)
def test_nd_vjp_equals_the_array_vjp(name: str, dtype: Any) -> None:
    rule = RULES[name]
    rng = np.random.default_rng(3)
    ran = with_params = 0
    for inputs in _inputs(rule, dtype, rng):
        try:
            with np.errstate(all="ignore"):
                out = apply(rule, inputs, PARAMS.get(name, {}))
        except GdError:
            continue
        node = out.grad_fn
        if node is None:
            continue
        if node.params:  # (clamp's bounds: such nodes keep the array VJP)
            with_params += 1
            continue
        g = Tensor((rng.standard_normal(out.array.shape) * 3).astype(out.array.dtype))
        with light(), np.errstate(all="ignore"):
            reference = rule.vjp_array or rule.vjp
            want = reference(g, out, *node.inputs)
            got = rule.vjp_nd(g.array, out, node.inputs)
        assert len(got) == len(want)
        for c, w in zip(got, want, strict=True):
            assert (c is None) == (w is None), inputs
            if c is None:
                continue
            assert type(c) is np.ndarray
            assert c.dtype == w.array.dtype and c.shape == w.array.shape
            assert np.ascontiguousarray(c).tobytes() == np.ascontiguousarray(
                w.array).tobytes(), inputs
        ran += 1
    assert ran >= 2 or with_params


# -- whole passes -----------------------------------------------------------------------------

def _leaves(dtype: str, rng: np.random.Generator) -> dict[str, Tensor]:
    def t(*shape: int, dt: str = dtype) -> Tensor:
        return F.tensor((rng.standard_normal(shape) * 0.5).astype(dt)).requires_grad_(True)

    return {"W": t(6, 6), "b": t(6), "c": t(1), "v": t(6, dt="float64"), "x": t(6)}


def _chain(p: dict[str, Tensor]) -> Tensor:
    """W2's step with extras: a bias broadcast, a leaf met twice in one op, a leaf of the
    other dtype, a leaf in every step (summed in place)."""
    h = F.tanh(p["x"])
    for _ in range(5):
        h = F.tanh(p["W"] @ h + p["b"]) * p["c"] + F.sin(h) - h * 0.5
    h = h + p["x"] + p["x"] - F.exp(p["b"] * p["b"])
    return (h * p["v"].to(h.dtype)).sum() + (h + h).sum()


def _grads(dtype: str, what: str) -> list[bytes]:
    p = _leaves(dtype, np.random.default_rng(5))
    if what == "backward":
        _chain(p).backward()
        return [p[k].grad.array.tobytes() for k in sorted(p)]
    if what == "accumulate":  # into an existing .grad, twice
        _chain(p).backward()
        _chain(p).backward()
        return [p[k].grad.array.tobytes() for k in sorted(p)]
    if what == "grad":  # grad() targets: captured cotangents
        gs = autograd.grad([_chain(p)], [p["W"], p["b"], p["x"]], None, retain_graph=False,
                         create_graph=False, allow_unused=True)
        return [g.array.tobytes() for g in gs]
    if what == "hooks":  # a hook and a retained grad on some nodes: the tensor path there
        seen: list[bytes] = []
        h = F.tanh(p["W"] @ p["x"] + p["b"])
        H.register_hook(h, lambda g: seen.append(g.array.tobytes()))
        k = F.sin(h) * p["c"]
        k.retain_grad()
        (k * k + h).sum().backward()
        return [*seen, k.grad.array.tobytes(), *(p[n].grad.array.tobytes() for n in "Wbcx")]
    raise AssertionError(what)


@pytest.mark.parametrize("what", ["backward", "accumulate", "grad", "hooks"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_passes_with_and_without_nd_vjps_give_the_same_bytes(dtype: str, what: str,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    ran: list[str] = []

    def counted(name: str, nd: Any) -> Any:
        def vjp(*args: Any) -> Any:
            ran.append(name)
            return nd(*args)
        return vjp

    for name in ND_RULES:
        monkeypatch.setitem(ND_VJP, RULES[name].vjp, counted(name, RULES[name].vjp_nd))
    fast = _grads(dtype, what)
    assert {"mv", "add"} <= set(ran)  # (the n-d path really ran)
    with nd_off():
        slow = _grads(dtype, what)
    assert fast == slow


def test_leaf_gradients_share_no_array() -> None:
    """(a + b) hands one cotangent array to both leaves, and x + x to one leaf twice: each
    .grad is its own array, as each PyTorch .grad is its own tensor."""
    a = F.tensor([1.0, 2.0]).requires_grad_(True)
    b = F.tensor([3.0, 4.0]).requires_grad_(True)
    x = F.tensor([5.0, 6.0]).requires_grad_(True)
    (F.tanh(a + b) * 2 + x + x).sum().backward()
    assert not np.shares_memory(a.grad.array, b.grad.array)
    a.grad.array[0] = 7.0
    assert b.grad.array[0] != 7.0
    assert x.grad.array.tolist() == [2.0, 2.0]
