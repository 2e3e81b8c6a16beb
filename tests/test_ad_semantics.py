"""PyTorch's autograd semantics (SPEC §1.3) at library level, with the seeds' programs.

The seeds (shared/seeds/*.txt) are Chinese PyTorch autograd tutorials; each of their
examples is replayed here with our ops and its printed numbers asserted. Random inputs
come from numpy, never from our RNG, so the expected values do not depend on it.
"""

from __future__ import annotations

import ast
import gc
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import gradcli.ad
from gradcli.ad import functional as AF
from gradcli.ad import ops
from gradcli.ad.autograd import backward, grad
from gradcli.ad.batched import batchable
from gradcli.ad.check import numeric_jacobian
from gradcli.ad.session import Session
from gradcli.ad.tensor import (
    Node,
    State,
    Tensor,
    enable_grad,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from gradcli.errors import GdLimitError, GdRuntimeError

FREED = "Trying to backward through the graph a second time"
LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."
NOT_SCALAR = "grad can be implicitly created only for scalar outputs"
MODIFIED = "modified by an inplace operation"


@pytest.fixture(autouse=True)
def _grad_mode_restored() -> Iterator[None]:
    """Every test starts and ends with grad mode on and no tape hooks."""
    State.grad_enabled = True
    yield
    State.grad_enabled = True
    State.tape = None
    State.forward_level = 0


def arr(t: Tensor) -> np.ndarray:
    """A tensor's values."""
    return t.array


def name(t: Tensor) -> str | None:
    """The PyTorch class name of t.grad_fn (None for leaves)."""
    return None if t.grad_fn is None else t.grad_fn.name


def param(values: object, dtype: object = np.float32) -> Tensor:
    """A leaf requiring grad."""
    return ops.tensor(np.asarray(values, dtype=dtype), requires_grad=True)


# ------------------------------------------------------------------------------- seed 000: y = 2xᵀx


def test_seed_mm_column_vector_gradient_is_4x() -> None:
    x = ops.reshape(ops.arange(4, dtype="float64"), (4, 1))
    assert x.dtype == np.float64 and x.shape == (4, 1) and not x.requires_grad
    x.requires_grad_(True)
    y = 2 * ops.mm(ops.T(x), x)
    assert arr(y).tolist() == [[28.0]] and y.dtype == np.float64
    assert name(y) == "MulBackward0"
    assert repr(y) == "tensor([[28.]], dtype=torch.float64, grad_fn=<MulBackward0>)"
    backward(y)
    assert x.grad is not None
    assert (x.grad - 4 * x).norm().item() == 0
    assert arr(x.grad).tolist() == [[0.0], [4.0], [8.0], [12.0]]
    assert x.grad.dtype == np.float64
    # x.grad.data.zero_() zeroes x.grad itself (.data shares the storage).
    x.grad.data.zero_()
    assert arr(x.grad).tolist() == [[0.0]] * 4


# ---------------------------------------------------------------------------- seed 001: dot, detach


def test_seed_dot_gradient_sum_and_detach() -> None:
    x = ops.arange(4.0)
    assert x.dtype == np.float32
    x.requires_grad_(True)
    assert x.grad is None
    y = 2 * ops.dot(x, x)
    assert y.item() == 28.0 and y.shape == () and name(y) == "MulBackward0"
    y.backward()
    assert repr(x.grad) == "tensor([ 0.,  4.,  8., 12.])"
    assert bool((x.grad == 4 * x).array.all())

    x.grad.zero_()
    y = x.sum()
    assert name(y) == "SumBackward0"
    y.backward()
    assert arr(x.grad).tolist() == [1.0, 1.0, 1.0, 1.0]

    x.grad.zero_()
    y = x * x
    y.sum().backward()
    assert arr(x.grad).tolist() == [0.0, 2.0, 4.0, 6.0]

    x.grad.zero_()
    y = x * x
    u = y.detach()
    assert u.is_leaf and not u.requires_grad and u.grad_fn is None
    z = u * x
    z.sum().backward()
    assert np.array_equal(arr(x.grad), arr(u))

    # y's own graph is untouched by the backward through z.
    x.grad.zero_()
    y.sum().backward()
    assert np.array_equal(arr(x.grad), 2 * arr(x))


def _f(a: Tensor) -> Tensor:
    """The seeds' control-flow function: the loop count and branch depend on a."""
    b = a * 2
    while b.norm().item() < 1000:
        b = b * 2
    c = b if b.sum().item() > 0 else 100 * b
    return c


@pytest.mark.parametrize("value", [-4.7924, 0.37, 2.5, -0.01])
@pytest.mark.parametrize("shape", [(1, 1), ()])
def test_seed_control_flow_gradient_is_c_over_a(value: float, shape: tuple[int, ...]) -> None:
    a = ops.tensor(np.full(shape, value, dtype=np.float32))
    a.requires_grad_(True)
    with set_grad_enabled(True):
        c = _f(a)
    c.backward()
    assert a.grad is not None and a.grad.shape == shape
    np.testing.assert_allclose(arr(a.grad), arr(c / a), rtol=1e-6)
    k = int(np.log2(np.abs(arr(c) / arr(a)).item() / (100 if value < 0 else 1)).round())
    assert arr(a.grad).item() == (100 if value < 0 else 1) * 2.0**k
    if value > 0:
        assert bool(a.grad == c / a)
    # Only the ops that ran are on the tape: k multiplications (and one more for 100·b).
    n = 0
    node = c.grad_fn
    while node is not None:
        n += 1
        node = next((p for p in node.parents if isinstance(p, Node)), None)
    assert n == k + (1 if value < 0 else 0)


# ----------------------------------------------------------------------------- seed 002: (x+w)(w+1)


def _graph() -> tuple[Tensor, Tensor, Tensor, Tensor, Tensor]:
    w = ops.tensor([1.0], requires_grad=True)
    x = ops.tensor([2.0], requires_grad=True)
    a = ops.add(w, x)
    b = ops.add(w, 1)
    y = ops.mul(a, b)
    return w, x, a, b, y


def test_seed_computational_graph_leaves_grads_and_names() -> None:
    w, x, a, b, y = _graph()
    y.backward()
    assert [t.is_leaf for t in (w, x, a, b, y)] == [True, True, False, False, False]
    assert [t.requires_grad for t in (a, b, y)] == [True, True, True]
    assert arr(w.grad).tolist() == [5.0] and arr(x.grad).tolist() == [2.0]
    assert a.grad is None and b.grad is None and y.grad is None  # non-leaves keep no grad
    assert [name(t) for t in (w, x, a, b, y)] == [
        None, None, "AddBackward0", "AddBackward0", "MulBackward0"]


def test_seed_retain_graph_accumulates_then_graph_is_freed() -> None:
    w, x, _, _, y = _graph()
    y.backward(retain_graph=True)
    assert arr(w.grad).tolist() == [5.0]
    y.backward()
    assert arr(w.grad).tolist() == [10.0] and arr(x.grad).tolist() == [4.0]
    with pytest.raises(GdRuntimeError, match=FREED):
        y.backward()


def test_seed_gradients_accumulate_across_iterations_until_zeroed() -> None:
    w = ops.tensor([1.0], requires_grad=True)
    x = ops.tensor([2.0], requires_grad=True)
    seen = []
    for _ in range(4):
        y = ops.mul(ops.add(w, x), ops.add(w, 1))
        y.backward()
        seen.append(arr(w.grad).item())
    assert seen == [5.0, 10.0, 15.0, 20.0]

    w = ops.tensor([1.0], requires_grad=True)
    seen = []
    for _ in range(4):
        y = ops.mul(ops.add(w, x), ops.add(w, 1))
        y.backward()
        seen.append(arr(w.grad).item())
        w.grad.zero_()
    assert seen == [5.0, 5.0, 5.0, 5.0]


def test_seed_retain_grad_keeps_a_non_leaf_gradient() -> None:
    _, _, a, b, y = _graph()
    b.retain_grad()
    assert b.retains_grad and not a.retains_grad
    y.backward()
    assert arr(b.grad).tolist() == [3.0]  # ∂y/∂b = a = w + x
    assert a.grad is None


def test_seed_inplace_on_leaf_fails_and_rebinding_does_not() -> None:
    a = ops.ones(1)
    a = a + ops.ones(1)
    a += ops.ones(1)  # in place on a tensor that does not require grad: fine
    assert arr(a).tolist() == [3.0]
    w, _, _, _, y = _graph()
    with pytest.raises(GdRuntimeError) as exc:
        w.add_(1)
    assert str(exc.value) == LEAF_INPLACE or LEAF_INPLACE in str(exc.value)
    assert arr(w).tolist() == [1.0] and w.version == 0  # nothing was written
    y.backward()
    assert arr(w.grad).tolist() == [5.0]
    with no_grad():
        w.add_(1)  # the optimizer-step idiom
    assert arr(w).tolist() == [2.0] and w.is_leaf and w.requires_grad


def test_seed_detach_shares_data() -> None:
    w, _, _, _, y = _graph()
    y.backward()
    w_detach = w.detach()
    w_detach.data[0] = 999
    assert arr(w).tolist() == [999.0]
    assert repr(w) == "tensor([999.], requires_grad=True)"
    assert not w_detach.requires_grad and w_detach.is_leaf


# --------------------------------------------------------------------------- seed 003: 3(x+2)² mean


def test_seed_mean_of_three_x_plus_two_squared() -> None:
    x = ops.ones(2, 2, requires_grad=True)
    assert repr(x) == "tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)"
    assert x.grad_fn is None
    y = x + 2
    assert name(y) == "AddBackward0"
    assert x.is_leaf and not y.is_leaf
    z = y * y * 3
    out = z.mean()
    assert name(z) == "MulBackward0" and name(out) == "MeanBackward0"
    assert out.item() == 27.0
    out.backward()
    assert arr(x.grad).tolist() == [[4.5, 4.5], [4.5, 4.5]]


def test_seed_requires_grad_flag_and_sum_backward() -> None:
    a = ops.tensor(np.random.default_rng(1).standard_normal((2, 2)).astype(np.float32))
    a = (a * 3) / (a - 1)
    assert not a.requires_grad
    a.requires_grad_(True)
    assert a.requires_grad
    b = (a * a).sum()
    assert name(b) == "SumBackward0"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_seed_vector_jacobian_product_of_doubling_loop(seed: int) -> None:
    x = param(np.random.default_rng(seed).standard_normal(3))
    y = x * 2
    k = 1
    while y.data.norm() < 1000:
        y = y * 2
        k += 1
    assert name(y) == "MulBackward0"
    v = ops.tensor([0.1, 1.0, 0.0001], dtype="float32")
    y.backward(v)
    assert np.array_equal(arr(x.grad), arr(v) * np.float32(2.0**k))
    assert x.requires_grad and (x**2).requires_grad
    with no_grad():
        assert not (x**2).requires_grad


def test_seed_second_derivative_of_square() -> None:
    x = ops.tensor([3.0], requires_grad=True)
    y = ops.pow(x, 2)
    assert name(y) == "PowBackward0"
    grad_1 = grad(y, x, create_graph=True)
    assert isinstance(grad_1, tuple) and len(grad_1) == 1
    assert arr(grad_1[0]).tolist() == [6.0] and name(grad_1[0]) == "MulBackward0"
    grad_2 = grad(grad_1[0], x)
    assert arr(grad_2[0]).tolist() == [2.0]
    assert not grad_2[0].requires_grad and grad_2[0].grad_fn is None
    assert x.grad is None  # grad() leaves .grad alone


# ------------------------------------------------------------------------ seed 004: BCE with logits


def test_seed_bce_with_logits_gradient() -> None:
    rng = np.random.default_rng(7)
    x = ops.ones(5)
    y = ops.zeros(3)
    w = param(rng.standard_normal((5, 3)))
    b = param(rng.standard_normal(3))
    z = ops.matmul(x, w) + b
    loss = ops.binary_cross_entropy_with_logits(z, y)
    assert name(loss) == "BinaryCrossEntropyWithLogitsBackward0"
    assert name(z) == "AddBackward0" and z.requires_grad
    loss.backward()

    wn, bn = arr(w).astype(np.float64), arr(b).astype(np.float64)
    zn = np.ones(5) @ wn + bn
    lossn = np.mean(np.maximum(zn, 0) + np.log1p(np.exp(-np.abs(zn))))  # y = 0
    dz = 1 / (1 + np.exp(-zn)) / 3
    np.testing.assert_allclose(loss.item(), lossn, rtol=1e-6)
    np.testing.assert_allclose(arr(b.grad), dz, rtol=1e-5)
    np.testing.assert_allclose(arr(w.grad), np.outer(np.ones(5), dz), rtol=1e-5)
    assert w.grad.dtype == np.float32 and w.grad.shape == (5, 3)
    assert np.all(arr(w.grad) == arr(w.grad)[0])  # every row the same, as printed

    with no_grad():
        z = ops.matmul(x, w) + b
    assert not z.requires_grad
    z = ops.matmul(x, w) + b
    assert z.requires_grad
    assert not z.detach().requires_grad


# ------------------------------------------------------------------------------------------- errors


def test_backward_on_non_scalar_needs_a_gradient() -> None:
    x = param([1.0, 2.0])
    y = x * 2
    with pytest.raises(GdRuntimeError, match=NOT_SCALAR):
        y.backward()
    y.backward(ops.ones_like(y))
    assert arr(x.grad).tolist() == [2.0, 2.0]


def test_backward_with_gradient_is_vector_jacobian_product() -> None:
    rng = np.random.default_rng(3)
    a = rng.standard_normal((4, 3))
    x = param(rng.standard_normal(3), np.float64)
    y = ops.mv(ops.tensor(a), ops.tanh(x))
    v = rng.standard_normal(4)
    y.backward(ops.tensor(v))
    jac = a * (1 - np.tanh(arr(x)) ** 2)
    np.testing.assert_allclose(arr(x.grad), v @ jac, rtol=1e-12)


def test_second_backward_through_freed_graph_fails_with_pytorch_message() -> None:
    x = param([1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    with pytest.raises(GdRuntimeError, match=FREED) as exc:
        y.backward()
    assert "retain_graph=True" in str(exc.value)
    x2 = param([1.0])
    z = x2.exp().sum()
    grad(z, x2)
    with pytest.raises(GdRuntimeError, match=FREED):
        grad(z, x2)


@pytest.mark.parametrize("keep_buffers", [False, True])
def test_second_backward_fails_the_same_whatever_the_session_keeps(keep_buffers: bool) -> None:
    # The CLI keeps buffers for eval/grad/check: the program's own semantics must not change.
    with Session(keep_buffers=keep_buffers):
        x = param([1.0, 2.0])
        y = (x * x * x).sum()
        y.backward()
        with pytest.raises(GdRuntimeError, match=FREED) as exc:
            y.backward()
        assert str(exc.value).startswith(FREED)
        z = (x * x * x).sum()
        grad(z, x)
        with pytest.raises(GdRuntimeError, match=FREED):
            grad(z, x)
        w = x * x * x
        w.backward(ops.ones(2))
        assert not batchable(w)  # so jacobian takes the path that reports the freed graph


def test_final_pass_goes_through_a_freed_graph_whose_buffers_were_kept() -> None:
    session = Session(keep_buffers=True)
    with session:
        x = param([1.0, 2.0])
        y = (x * x * x).sum()
        y.backward()
        with session.final_pass():
            (g,) = grad(y, x, retain_graph=True)
        w = x * x * x
        w.backward(ops.ones(2))
        with session.final_pass():
            assert batchable(w)
        np.testing.assert_allclose(arr(g), [3.0, 12.0])
        with pytest.raises(GdRuntimeError, match=FREED):
            y.backward()  # outside the final pass: freed again
    with Session(keep_buffers=False):
        x = param([1.0, 2.0])
        y = (x * x * x).sum()
        y.backward()
        with Session().final_pass(), pytest.raises(GdRuntimeError, match=FREED):
            grad(y, x)  # nothing kept: nothing to go through


@pytest.mark.parametrize("keep_buffers", [False, True])
def test_retain_graph_allows_backward_twice_in_every_session(keep_buffers: bool) -> None:
    with Session(keep_buffers=keep_buffers):
        x = param([1.0, 2.0])
        y = (x * x * x).sum()
        y.backward(retain_graph=True)
        y.backward(retain_graph=True)
        np.testing.assert_allclose(arr(x.grad), [6.0, 24.0])
        y.backward()
        np.testing.assert_allclose(arr(x.grad), [9.0, 36.0])


def test_backward_of_output_not_requiring_grad_fails() -> None:
    y = ops.ones(2).sum()
    with pytest.raises(GdRuntimeError, match="does not require grad"):
        y.backward()


@pytest.mark.parametrize("kind", ["saved_input", "saved_output", "through_detach",
                                  "setitem"])
def test_inplace_change_of_saved_tensor_is_detected(kind: str) -> None:
    x = param([1.0, 2.0, 3.0])
    if kind == "saved_input":
        y = x * 1
        z = y * y  # saves y
        y.add_(1)
    elif kind == "saved_output":
        y = x * 1
        z = y.exp()  # saves its output
        z.mul_(2)
    elif kind == "through_detach":
        z = x.exp()
        z.detach().zero_()  # detach() shares the version counter
    else:
        y = x * 1
        z = y.sin()
        y[0] = 5.0
    with pytest.raises(GdRuntimeError, match=MODIFIED):
        z.sum().backward()


def test_inplace_change_of_unsaved_tensor_is_fine() -> None:
    x = param([1.0, 2.0, 3.0])
    y = x * 1
    z = y + 1  # add saves nothing
    y.mul_(10)
    z.sum().backward()
    assert arr(x.grad).tolist() == [1.0, 1.0, 1.0]
    # An in-place op's own gradient is right: d/dx of (x·2 then *= x).
    x.grad = None
    y = x * 2
    y.mul_(x)
    assert name(y) == "MulBackward0" and y.version == 1
    y.sum().backward()
    assert arr(x.grad).tolist() == [4.0, 8.0, 12.0]


def test_inplace_change_of_a_view_updates_its_base() -> None:
    a = param([1.0, 2.0, 3.0])
    x = a * 1
    v = x[0:2]
    v.mul_(2)
    assert arr(x).tolist() == [2.0, 4.0, 3.0]  # shared storage
    assert name(x) == "CopySlices" and x.version == v.version == 1
    (x * x).sum().backward()
    assert arr(a.grad).tolist() == [8.0, 16.0, 6.0]  # d/da of (2a₀)² + (2a₁)² + a₂²

    a.grad = None
    x = a * 1
    x[1:3][0] = 5.0  # item assignment through a view: nested indexing writes through
    x[2].zero_()  # a single element is a 0-d view, as in PyTorch
    assert arr(x).tolist() == [1.0, 5.0, 0.0]
    x.sum().backward()
    assert arr(a.grad).tolist() == [1.0, 0.0, 0.0]

    m = param([[1.0, 2.0], [3.0, 4.0]])
    y = m * 1
    y.t().mul_(ops.tensor([10.0, 1.0]))  # scales the rows of y
    y.view(-1).add_(1)
    assert arr(y).tolist() == [[11.0, 21.0], [4.0, 5.0]]
    y.sum().backward()
    assert arr(m.grad).tolist() == [[10.0, 10.0], [1.0, 1.0]]


def test_a_view_follows_later_inplace_changes_of_its_base() -> None:
    a = param([1.0, 2.0, 3.0])
    x = a * 1
    v = x[0:2]
    w = x[1:]
    x.mul_(3)  # v and w see it: same storage, and their history is rebuilt on use
    w.mul_(a[0:2])
    assert arr(v).tolist() == [3.0, 6.0]
    (v * 1).sum().backward()
    assert arr(a.grad).tolist() == [9.0, 3.0, 0.0]  # v = (3a₀, 3a₁·a₀)


def test_views_alias_storage_outside_the_graph_too() -> None:
    x = ops.ones(3)
    x[0:2].add_(1)
    x.view(3, 1)[2].mul_(5)
    assert arr(x).tolist() == [2.0, 2.0, 5.0] and x.version == 2
    x[[0, 1]].zero_()  # advanced indexing copies (as in PyTorch): x is unchanged
    assert arr(x).tolist() == [2.0, 2.0, 5.0]
    r = ops.reshape(ops.T(ops.ones(2, 3)), (6,))  # not expressible as a view: a copy
    r.zero_()


def test_inplace_change_of_a_leaf_view_fails() -> None:
    w = param([1.0, 2.0])
    with pytest.raises(GdRuntimeError, match="a view of a leaf Variable that requires grad"):
        w[0:1].add_(1)
    with pytest.raises(GdRuntimeError, match="a view of a leaf Variable that requires grad"):
        w.view(2, 1)[0] = 3.0
    assert arr(w).tolist() == [1.0, 2.0]
    with no_grad():
        w[0:1].add_(1)
    w.data[1:].zero_()
    assert arr(w).tolist() == [2.0, 0.0] and w.is_leaf


def test_saved_tensor_changed_through_a_view_is_detected() -> None:
    a = param([1.0, 2.0, 3.0])
    x = a * 1
    y = x.sin()  # saves x
    x[0:2].zero_()
    with pytest.raises(GdRuntimeError, match=MODIFIED):
        y.sum().backward()
    z = a.exp()  # saves its output
    z.view(3, 1)[0].mul_(2)
    with pytest.raises(GdRuntimeError, match=MODIFIED):
        z.sum().backward()


def test_requires_grad_flags() -> None:
    with pytest.raises(GdRuntimeError, match="floating point"):
        ops.arange(3).requires_grad_(True)
    x = param([1.0])
    y = x * 2
    with pytest.raises(GdRuntimeError, match="leaf variables"):
        y.requires_grad_(False)
    with pytest.raises(GdRuntimeError, match="requires_grad=False"):
        ops.ones(1).retain_grad()
    y.detach_()
    assert y.is_leaf and not y.requires_grad


# ---------------------------------------------------------------------------------------- grad mode


def test_nothing_is_recorded_under_no_grad() -> None:
    x = param([1.0, 2.0])
    State.tape = []
    with no_grad():
        assert not is_grad_enabled()
        y = (x * 2).exp().sum()
        assert not y.requires_grad and y.grad_fn is None
        with enable_grad():
            z = x * 3
    assert State.tape == [z.grad_fn]
    assert is_grad_enabled()
    w = x + 1
    assert State.tape == [z.grad_fn, w.grad_fn]


def test_set_grad_enabled_as_function_and_context() -> None:
    x = param([1.0])
    set_grad_enabled(False)
    assert not is_grad_enabled() and not (x * 2).requires_grad
    set_grad_enabled(True)
    assert is_grad_enabled() and (x * 2).requires_grad
    with set_grad_enabled(False):
        assert not is_grad_enabled()
        assert (x * 2).grad_fn is None
    assert is_grad_enabled()  # the context restores the mode from before it
    with no_grad():
        with set_grad_enabled(True):
            assert is_grad_enabled() and (x * 2).requires_grad
        assert not is_grad_enabled()
    assert is_grad_enabled()


# ------------------------------------------------------------------------------------- graph shapes


def test_broadcasting_is_summed_back_in_gradients() -> None:
    s = ops.tensor(2.0, requires_grad=True)
    v = param([1.0, 2.0, 3.0])
    (s * v).sum().backward()
    assert s.grad.shape == () and s.grad.item() == 6.0
    assert arr(v.grad).tolist() == [2.0, 2.0, 2.0]

    rng = np.random.default_rng(0)
    a = param(rng.standard_normal((3, 1)), np.float64)
    b = param(rng.standard_normal((1, 4)), np.float64)
    wts = rng.standard_normal((3, 4))
    ((a + b) * ops.tensor(wts)).sum().backward()
    assert a.grad.shape == (3, 1) and b.grad.shape == (1, 4)
    np.testing.assert_allclose(arr(a.grad), wts.sum(1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(arr(b.grad), wts.sum(0, keepdims=True), rtol=1e-12)

    c = param(rng.standard_normal(4), np.float64)
    m = param(rng.standard_normal((2, 3, 4)), np.float64)
    (c * m).sum().backward()
    np.testing.assert_allclose(arr(c.grad), arr(m).sum((0, 1)), rtol=1e-12)


def test_fan_out_accumulates_every_use() -> None:
    x = param([0.5, -1.0, 2.0], np.float64)
    y = x * x + ops.sin(x) + x
    y.sum().backward()
    np.testing.assert_allclose(arr(x.grad), 2 * arr(x) + np.cos(arr(x)) + 1, rtol=1e-12)


def test_outputs_not_depending_on_an_input() -> None:
    x = param([1.0, 2.0])
    w = param([3.0])
    y = (x * 2).sum()
    gx, gw = grad(y, [x, w], retain_graph=True, allow_unused=True)
    assert arr(gx).tolist() == [2.0, 2.0] and gw is None
    with pytest.raises(GdRuntimeError, match="appears to not have been used"):
        grad(y, [x, w], retain_graph=True)
    (gw0,) = grad(y, [w], allow_unused=True, materialize_grads=True)
    assert arr(gw0).tolist() == [0.0]
    y2 = (x * 2).sum()
    y2.backward()
    assert w.grad is None


def test_ten_thousand_step_loop() -> None:
    x = ops.tensor(1.0, dtype="float64", requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0001 + 0.001 * x
    y.backward()
    # y_n = a·y_{n-1} + c·x with y_0 = x: dy/dx = aⁿ + c·(aⁿ − 1)/(a − 1).
    a, c, n = 1.0001, 0.001, 10_000
    expected = a**n + c * (a**n - 1) / (a - 1)
    np.testing.assert_allclose(x.grad.item(), expected, rtol=1e-9)


def test_million_op_chain_backpropagates_without_recursion() -> None:
    x = ops.tensor(1.5, dtype="float64", requires_grad=True)
    gc.disable()  # the tape's many small objects would otherwise trigger collections
    try:
        y = x
        for _ in range(1_000_000):
            y = -y  # the cheapest recorded op: saves nothing
        y.backward()
        del y
    finally:
        gc.enable()
    assert x.grad.item() == 1.0


def test_nested_derivative_without_perturbation_confusion() -> None:
    # d/dx [x · d/dy (x + y)] at x = 1 is 1 (not 2).
    x = ops.tensor(1.0, requires_grad=True)
    y = ops.tensor(2.0, requires_grad=True)
    (inner,) = grad(x + y, y, create_graph=True)
    (outer,) = grad(x * inner, x, allow_unused=True)
    assert outer.item() == 1.0


def test_third_derivative_of_fourth_power() -> None:
    x = ops.tensor(2.0, requires_grad=True)
    y = x**4
    values = []
    g = y
    for _ in range(4):
        (g,) = grad(g, x, create_graph=True)
        values.append(g.item())
    assert values == [32.0, 48.0, 48.0, 24.0]
    if g.requires_grad:  # the constant 24 may or may not stay connected to x
        (g5,) = grad(g, x, allow_unused=True)
        assert g5 is None or g5.item() == 0.0


def test_backward_with_create_graph_differentiates_again() -> None:
    x = param([3.0])
    y = x**3
    y.backward(create_graph=True)
    g = x.grad
    assert arr(g).tolist() == [27.0] and g.requires_grad
    x.grad = None
    g.backward()
    assert arr(x.grad).tolist() == [18.0]


def test_backward_of_several_outputs_with_grad_tensors() -> None:
    x = param([1.0, 2.0])
    y1 = x * 3
    y2 = (x * x).sum()
    backward([y1, y2], [ops.tensor([1.0, 10.0]), None])
    assert arr(x.grad).tolist() == [3.0 + 2.0, 30.0 + 4.0]
    x.grad = None
    gy, = grad([x * 2], [x], [ops.tensor([1.0, -1.0])])
    assert arr(gy).tolist() == [2.0, -2.0]


# ------------------------------------------------------------------ Hessians and the functional API


def _g(x: Tensor) -> Tensor:
    return (ops.tanh(x) * x**2).sum()


def test_hessian_matches_finite_differences_hvp_and_vhp() -> None:
    rng = np.random.default_rng(11)
    x0 = rng.standard_normal(4)
    x = ops.tensor(x0)
    h = AF.hessian(_g, x)
    assert h.shape == (4, 4) and h.dtype == np.float64 and not h.requires_grad

    def gradient(a: np.ndarray) -> np.ndarray:
        t = ops.tensor(a, requires_grad=True)
        return arr(grad(_g(t), t)[0])

    np.testing.assert_allclose(arr(h), numeric_jacobian(gradient, x0), rtol=1e-6, atol=1e-8)
    t, s = np.tanh(x0), 1 - np.tanh(x0) ** 2
    diag = 2 * t + 4 * x0 * s - 2 * x0**2 * s * t  # d²/dx² tanh(x)·x²
    np.testing.assert_allclose(arr(h), np.diag(diag), rtol=1e-10, atol=1e-12)
    v = rng.standard_normal(4)
    out, hv = AF.hvp(_g, x, ops.tensor(v))
    assert out.item() == pytest.approx(_g(x).item())
    np.testing.assert_allclose(arr(hv), arr(h) @ v, rtol=1e-10)
    out2, vh = AF.vhp(_g, x, ops.tensor(v))
    assert out2.item() == out.item()
    np.testing.assert_allclose(arr(vh), v @ arr(h), rtol=1e-10)


def test_functional_api_conventions() -> None:
    rng = np.random.default_rng(5)
    a = rng.standard_normal((2, 3))
    x = ops.tensor(rng.standard_normal(3))
    y = ops.tensor(rng.standard_normal(3))

    def lin(t: Tensor) -> Tensor:
        return ops.mv(ops.tensor(a), t)

    jac = AF.jacobian(lin, x)
    assert isinstance(jac, Tensor) and jac.shape == (2, 3)
    np.testing.assert_allclose(arr(jac), a, rtol=1e-12)
    jf = AF.jacobian(lin, x, strategy="forward-mode", vectorize=True)  # as PyTorch requires
    np.testing.assert_allclose(arr(jf), a, rtol=1e-12)

    jac2 = AF.jacobian(lambda p, q: p * q, (x, y))
    assert isinstance(jac2, tuple) and len(jac2) == 2
    np.testing.assert_allclose(arr(jac2[0]), np.diag(arr(y)), rtol=1e-12)
    np.testing.assert_allclose(arr(jac2[1]), np.diag(arr(x)), rtol=1e-12)
    jac3 = AF.jacobian(lambda p: (p * 2, p.sum()), x)
    assert isinstance(jac3, tuple) and [j.shape for j in jac3] == [(3, 3), (3,)]
    m = ops.tensor(rng.standard_normal((2, 2)))
    assert AF.jacobian(lambda p: p * p, m).shape == (2, 2, 2, 2)

    v = rng.standard_normal(3)
    u = rng.standard_normal(2)
    out, jv = AF.jvp(lin, x, ops.tensor(v))
    np.testing.assert_allclose(arr(out), a @ arr(x), rtol=1e-12)
    np.testing.assert_allclose(arr(jv), a @ v, rtol=1e-12)
    out, uj = AF.vjp(lin, x, ops.tensor(u))
    np.testing.assert_allclose(arr(uj), u @ a, rtol=1e-12)
    assert not out.requires_grad and not uj.requires_grad
    outs, ujs = AF.vjp(lambda p, q: (p * q).sum(), (x, y))
    assert outs.item() == pytest.approx(float(arr(x) @ arr(y)))
    assert isinstance(ujs, tuple) and len(ujs) == 2
    np.testing.assert_allclose(arr(ujs[0]), arr(y), rtol=1e-12)
    hs = AF.hessian(lambda p, q: (p * p * q).sum(), (x, y))
    assert isinstance(hs, tuple) and isinstance(hs[0], tuple)
    np.testing.assert_allclose(arr(hs[0][1]), np.diag(2 * arr(x)), rtol=1e-12)
    _, hv = AF.hvp(lambda p: (p**3).sum(), x, ops.tensor(v))
    np.testing.assert_allclose(arr(hv), 6 * arr(x) * v, rtol=1e-12)
    with pytest.raises(GdRuntimeError, match="single element"):
        AF.vjp(lin, x)
    for fn in (AF.jvp, AF.hvp, AF.vhp):  # v may be left out only for a 1-element input
        with pytest.raises(GdRuntimeError, match="single Tensor with a single element"):
            fn(lambda p: (p**3).sum(), x)
        _, d = fn(lambda p: (p**3).sum(), ops.tensor(2.0))
        assert d.item() == 12.0  # 3p² and 6p at p = 2


# ------------------------------------------------------------------------------------------- dtypes


@pytest.mark.parametrize(
    ("make", "dtype"),
    [
        (lambda: ops.arange(3) * 2.5, np.float32),
        (lambda: ops.arange(3) * 2, np.int64),
        (lambda: ops.ones(2) * ops.tensor(2.0, dtype="float64"), np.float32),
        (lambda: ops.ones(2, dtype="float64") * ops.tensor(2.0), np.float64),
        (lambda: ops.arange(3) + ops.tensor(1.5, dtype="float64"), np.float64),
        (lambda: ops.arange(3) / ops.arange(1, 4), np.float32),
        (lambda: ops.arange(3) / 2, np.float32),
        (lambda: ops.arange(3) < 2, np.bool_),
        (lambda: ops.ones(2) == ops.ones(2, dtype="float64"), np.bool_),
        (lambda: ops.arange(3) * True, np.int64),
        (lambda: ops.arange(3).sum(), np.int64),
        (lambda: ops.tensor([True, False]).sum(), np.int64),
        (lambda: ops.tensor([1, 2]).float(), np.float32),
        (lambda: ops.tensor([1.5]).double(), np.float64),
        (lambda: ops.arange(4.0), np.float32),
        (lambda: ops.tensor(3), np.int64),
        (lambda: ops.tensor([1.0, 2]), np.float32),
        (lambda: ops.ones(2, dtype="float64") ** 2, np.float64),
        (lambda: 2 ** ops.arange(3), np.int64),
        (lambda: ops.exp(ops.arange(3)), np.float32),
    ],
)
def test_dtype_promotion(make: object, dtype: object) -> None:
    assert make().dtype == np.dtype(dtype)  # type: ignore[operator]


def test_gradients_keep_each_input_dtype() -> None:
    a = param([1.0, 2.0], np.float32)
    b = ops.tensor(3.0, dtype="float64", requires_grad=True)
    out = a * b
    assert out.dtype == np.float32
    out.sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64
    assert b.grad.item() == 3.0


# ------------------------------------------------------------------------- item assignment, max/min


def test_setitem_on_a_non_leaf_records_copy_slices() -> None:
    x = param([1.0, 2.0, 3.0, 4.0])
    y = x * 2
    y[1:3] = 0
    assert name(y) == "CopySlices" and y.version == 1
    assert arr(y).tolist() == [2.0, 0.0, 0.0, 8.0]
    y.sum().backward()
    assert arr(x.grad).tolist() == [2.0, 0.0, 0.0, 2.0]


def test_setitem_with_mask_records_index_put() -> None:
    x = param([1.0, -2.0, 3.0, -4.0])
    y = x * 3
    y[y < 0] = 0
    assert name(y) == "IndexPutBackward0"
    assert arr(y).tolist() == [3.0, 0.0, 9.0, 0.0]
    (y * y).sum().backward()
    assert arr(x.grad).tolist() == [18.0, 0.0, 54.0, 0.0]


def test_setitem_value_gets_the_gradient() -> None:
    x = param([1.0, 2.0, 3.0])
    w = param([5.0])
    y = x * 1
    y[0] = (w * 3)[0]
    (y * ops.tensor([10.0, 1.0, 1.0])).sum().backward()
    assert arr(w.grad).tolist() == [30.0]
    assert arr(x.grad).tolist() == [0.0, 1.0, 1.0]
    with pytest.raises(GdRuntimeError, match="leaf Variable"):
        x[0] = 1.0
    with no_grad():
        x[0] = 7.0
    assert arr(x).tolist() == [7.0, 2.0, 3.0]


def test_max_min_with_dim_return_values_and_indices() -> None:
    x = param([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    values, indices = ops.max(x, 1)
    assert arr(values).tolist() == [5.0, 7.0] and arr(indices).tolist() == [1, 0]
    assert indices.dtype == np.int64 and not indices.requires_grad
    assert name(values) == "MaxBackward0"
    res = ops.min(x, 0, keepdim=True)
    assert arr(res.values).tolist() == [[1.0, 0.0, 2.0]] and res.indices.shape == (1, 3)
    (values.sum() + res.values.sum() * 10).backward()
    assert arr(x.grad).tolist() == [[10.0, 1.0, 10.0], [1.0, 10.0, 0.0]]
    m = ops.max(x)
    assert name(m) == "MaxBackward1" and m.item() == 7.0


def test_full_max_splits_gradient_over_ties() -> None:
    x = param([1.0, 3.0, 3.0])
    x.max().backward()
    assert arr(x.grad).tolist() == [0.0, 0.5, 0.5]
    y = param([2.0, 2.0])
    z = param([2.0, 1.0])
    ops.maximum(y, z).sum().backward()
    assert arr(y.grad).tolist() == [0.5, 1.0] and arr(z.grad).tolist() == [0.5, 0.0]


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda x: x + 1, "AddBackward0"),
        (lambda x: x - 1, "SubBackward0"),
        (lambda x: 1 - x, "RsubBackward1"),
        (lambda x: x * 2, "MulBackward0"),
        (lambda x: x / 2, "DivBackward0"),
        (lambda x: 2 / x, "MulBackward0"),
        (lambda x: x**2, "PowBackward0"),
        (lambda x: x**x, "PowBackward1"),
        (lambda x: 2**x, "PowBackward2"),
        (lambda x: ops.tanh(x), "TanhBackward0"),
        (lambda x: x.mean(), "MeanBackward0"),
        (lambda x: x.sum(), "SumBackward0"),
        (lambda x: x.sum(0), "SumBackward1"),
        (lambda x: ops.mm(ops.reshape(x, (4, 1)), ops.reshape(x, (1, 4))), "MmBackward0"),
        (lambda x: ops.dot(x, x), "DotBackward0"),
        (lambda x: ops.reshape(x, (2, 2)), "ViewBackward0"),
        (lambda x: ops.reshape(x, (2, 2)).t(), "TBackward0"),
        (lambda x: -x, "NegBackward0"),
        (lambda x: x[1:], "SliceBackward0"),
        (lambda x: x[1], "SelectBackward0"),
        (lambda x: x.exp(), "ExpBackward0"),
        (lambda x: ops.binary_cross_entropy_with_logits(x, ops.zeros(4)),
         "BinaryCrossEntropyWithLogitsBackward0"),
        (lambda x: ops.mse_loss(x, ops.zeros(4)), "MseLossBackward0"),
        (lambda x: ops.cross_entropy(ops.reshape(x, (1, 4)), ops.tensor([2])), "NllLossBackward0"),
        (lambda x: x.norm(), "LinalgVectorNormBackward0"),
        (lambda x: x.clone(), "CloneBackward0"),
    ],
)
def test_grad_fn_names(build: object, expected: str) -> None:
    x = param([0.5, 1.0, 1.5, 2.0])
    out = build(x)  # type: ignore[operator]
    assert name(out) == expected
    assert re.fullmatch(f"<{expected} object at 0x7f[0-9a-f]{{10}}>", repr(out.grad_fn))
    out.sum().backward()  # frees the saved inputs; the name must not depend on them
    assert name(out) == expected


def test_linalg_norm_of_a_matrix_is_a_matrix_norm() -> None:
    a = ops.tensor([[1.0, -2.0], [3.0, 4.0]])
    assert ops.linalg_norm(a).item() == pytest.approx(30**0.5)  # Frobenius
    assert ops.linalg_norm(a, 1).item() == 6.0  # largest column sum of |a|
    assert ops.linalg_norm(a, float("inf")).item() == 7.0  # largest row sum
    assert ops.norm(a, 1).item() == 10.0  # torch.norm flattens
    assert ops.linalg_norm(a, 2).item() == pytest.approx(5.1166727)  # largest singular value
    assert ops.linalg_norm(a, "nuc").item() == pytest.approx(5.1166727 + 1.9543951)
    with pytest.raises(GdRuntimeError, match="Order 3 not supported"):
        ops.linalg_norm(a, 3)


# -- the core's modules ------------------------------------------------------------------

AD_DIR = Path(gradcli.ad.__file__).parent


def _ad_imports() -> dict[str, set[str]]:
    """gradcli.ad's modules → the gradcli modules each imports, at any depth of the file
    (function-local and TYPE_CHECKING imports count: they are the same arrow)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(AD_DIR.rglob("*.py")):
        rel = path.relative_to(AD_DIR.parent.parent).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name.startswith("gradcli"))
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gradcli"):
                module = node.module or ""
                for a in node.names:
                    sub = f"{module}.{a.name}"
                    is_module = (AD_DIR.parent.parent / Path(*sub.split("."))).with_suffix(
                        ".py").exists() or (AD_DIR.parent.parent / Path(*sub.split("."))).is_dir()
                    targets.add(sub if is_module else module)
        graph[name] = targets
    return graph


def test_the_core_has_no_import_cycles() -> None:
    graph = _ad_imports()
    # The package's own __init__ is the door every import passes; it is not an arrow.
    edges = {m: {t for t in ts if t in graph and t != "gradcli.ad"}
             for m, ts in graph.items() if m != "gradcli.ad"}
    done: set[str] = set()

    def visit(m: str, path: list[str]) -> None:
        if m in path:
            raise AssertionError("import cycle: " + " -> ".join([*path[path.index(m):], m]))
        if m in done:
            return
        for t in sorted(edges.get(m, ())):
            visit(t, [*path, m])
        done.add(m)

    for m in sorted(edges):
        visit(m, [])


def test_the_core_imports_nothing_above_it() -> None:
    above = ("gradcli.syntax", "gradcli.interp", "gradcli.render", "gradcli.app",
             "gradcli.cli", "gradcli.results")
    for m, targets in _ad_imports().items():
        assert not [t for t in targets if t.startswith(above)], m


def test_importing_the_tensor_module_alone_gives_a_complete_tensor() -> None:
    code = ("import sys\nfrom gradcli.ad.tensor import Tensor\n"
            "names = ['__add__', '__radd__', '__mul__', '__truediv__', '__matmul__', '__neg__',"
            " '__getitem__', '__setitem__', '__iadd__', 'backward', 'sum', 'exp', 'reshape']\n"
            "missing = [n for n in names if n not in vars(Tensor)]\n"
            "assert not missing, missing\n"
            "x = Tensor([1.0, 2.0], requires_grad=True)\n"
            "(x * x).sum().backward()\n"
            "assert x.grad.tolist() == [2.0, 4.0]\n"
            "assert 'gradcli.interp' not in sys.modules and 'gradcli.render' not in sys.modules\n")
    env = {**os.environ, "PYTHONPATH": str(AD_DIR.parent.parent)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_core_messages_name_no_command_line_flags() -> None:
    # The core raises data (GdLimitError.limit); only the CLI words a flag like --max-time.
    flag = re.compile(r"--[a-z]")
    for path in sorted(AD_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not flag.search(node.value), (path.name, node.value)


def test_limit_errors_say_which_limit() -> None:
    saved = State.max_elements
    State.max_elements = 1000
    try:
        with pytest.raises(GdLimitError) as exc:
            ops.ones(10, 200)
    finally:
        State.max_elements = saved
    assert exc.value.limit == "max_elements"
    assert "2,000 elements exceeds the limit of 1,000" in exc.value.message
    assert "--" not in (exc.value.hint or "")
