"""Differential tests against PyTorch: the same program on our tensors and on torch's.

For every op of the surface, on random inputs in float64 and float32: forward values,
result dtypes, grad_fn names, first gradients (of a randomly weighted sum of the outputs)
and second derivatives (grad with create_graph, then grad of a random projection of the
gradient) agree with torch: to 1e-5 relative in float64, 1e-4 in float32. Then whole
programs: a tiny MLP with a BCE loss, and the seeds' programs.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")

from gradcli.ad import dtypes, ops  # noqa: E402
from gradcli.ad import functional as AF  # noqa: E402
from gradcli.ad.autograd import backward as our_backward  # noqa: E402
from gradcli.ad.autograd import grad as our_grad  # noqa: E402
from gradcli.ad.tensor import Tensor, no_grad, set_grad_enabled  # noqa: E402
from gradcli.errors import GdRuntimeError  # noqa: E402

TF = torch.nn.functional


class Lib:
    """One namespace per library so a test program is written once: m.exp(x), m.grad(...)."""

    def __init__(self, name: str, sources: tuple[Any, ...], extra: dict[str, Any]) -> None:
        self.name = name
        self._sources = sources
        self._extra = extra

    def __getattr__(self, attr: str) -> Any:
        if attr in self._extra:
            return self._extra[attr]
        for src in self._sources:
            if hasattr(src, attr):
                return getattr(src, attr)
        raise AttributeError(f"{self.name} has no {attr}")

    def __repr__(self) -> str:
        return self.name


OURS = Lib("ours", (ops,), {
    "grad": our_grad, "backward": our_backward, "no_grad": no_grad,
    "set_grad_enabled": set_grad_enabled, "functional": AF,
    "float64": np.dtype(np.float64), "float32": np.dtype(np.float32),
    "int64": np.dtype(np.int64),
    "T": ops.T, "norm": ops.norm,
})
THEIRS = Lib("torch", (torch, TF), {
    "mse_loss": TF.mse_loss,
    "binary_cross_entropy_with_logits": TF.binary_cross_entropy_with_logits,
    "cross_entropy": TF.cross_entropy, "nll_loss": TF.nll_loss,
    "grad": torch.autograd.grad, "backward": torch.autograd.backward,
    "functional": torch.autograd.functional,
    "T": lambda x: x.T, "norm": torch.norm, "linalg_norm": torch.linalg.norm,
    "tensor": lambda data, dtype=None, requires_grad=False: torch.tensor(
        data, dtype=dtype, requires_grad=requires_grad),
})


def as_numpy(t: Any) -> np.ndarray:
    """Values of either library's tensor."""
    if isinstance(t, Tensor):
        return np.asarray(t.array)
    return t.detach().numpy(force=True)


def dtype_name(t: Any) -> str:
    """'torch.float32' style name of either library's tensor dtype."""
    if isinstance(t, Tensor):
        return dtypes.torch_name(t.dtype)
    return str(t.dtype)


def fn_name(t: Any) -> str | None:
    """grad_fn class name of either library's tensor."""
    if t.grad_fn is None:
        return None
    if isinstance(t, Tensor):
        return t.grad_fn.name
    return type(t.grad_fn).__name__


def make_input(lib: Lib, a: np.ndarray, dtype: str, requires_grad: bool = True) -> Any:
    """A leaf of the library from numpy data, in float32 or float64."""
    if a.dtype.kind != "f":
        return lib.tensor(a)
    dt = getattr(lib, dtype)
    t = lib.tensor(a, dtype=dt)
    if requires_grad:
        t.requires_grad_(True)
    return t


TOL = {"float64": (1e-5, 1e-9), "float32": (1e-4, 1e-5)}


def close(ours: Any, theirs: Any, dtype: str, what: str) -> None:
    """Values agree within the dtype's tolerance (None stands for zeros)."""
    rtol, atol = TOL[dtype]
    a, b = as_numpy(ours), as_numpy(theirs)
    assert a.shape == b.shape, f"{what}: shape {a.shape} != torch {b.shape}"
    scale = max(1.0, float(np.max(np.abs(b), initial=0.0))) if b.dtype.kind == "f" else 1.0
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol * scale, err_msg=what)


# --------------------------------------------------------------------------- input domains


def normal(r: np.random.Generator, s: tuple[int, ...]) -> np.ndarray:
    return r.standard_normal(s)


def positive(r: np.random.Generator, s: tuple[int, ...]) -> np.ndarray:
    return r.uniform(0.5, 2.0, s)


def nonzero(r: np.random.Generator, s: tuple[int, ...]) -> np.ndarray:
    return r.uniform(0.3, 2.0, s) * r.choice([-1.0, 1.0], s)


def distinct(r: np.random.Generator, s: tuple[int, ...]) -> np.ndarray:
    n = math.prod(s)
    return r.permutation((np.arange(n) - n / 2 + 0.5) * 0.3 + r.uniform(-0.1, 0.1, n)).reshape(s)


def small(r: np.random.Generator, s: tuple[int, ...]) -> np.ndarray:
    return r.uniform(-1.0, 1.0, s)


def offgrid(r: np.random.Generator, s: tuple[int, ...]) -> np.ndarray:
    """Away from integers and half-integers (floor/ceil/round jumps)."""
    return r.integers(-3, 3, s) + r.uniform(0.1, 0.4, s) * r.choice([1, -1], s)


def unit(r: np.random.Generator, s: tuple[int, ...]) -> np.ndarray:
    """Probabilities in (0, 1) (soft targets)."""
    return r.uniform(0.05, 0.95, s)


@dataclass
class Op:
    """One op under test: fn(lib, *inputs) and the inputs' shapes and domains."""

    id: str
    fn: Callable[..., Any]
    inputs: list[tuple[tuple[int, ...], Callable[..., np.ndarray]]] = field(default_factory=list)
    second: bool = True  # compare second derivatives too
    grads: bool = True
    const: tuple[int, ...] = ()  # inputs that do not require grad
    # A known, documented difference in grad_fn name: ours (torch's is not checked).
    our_name: str | None = None


def op(id: str, fn: Callable[..., Any], *inputs: Any, second: bool = True,
       grads: bool = True, const: tuple[int, ...] = (), our_name: str | None = None) -> Op:
    """An Op with inputs given as (shape, domain) pairs."""
    return Op(id, fn, list(inputs), second, grads, const, our_name)


def N(*s: int) -> tuple[tuple[int, ...], Callable[..., np.ndarray]]:
    return (s, normal)


def P(*s: int) -> tuple[tuple[int, ...], Callable[..., np.ndarray]]:
    return (s, positive)


def NZ(*s: int) -> tuple[tuple[int, ...], Callable[..., np.ndarray]]:
    return (s, nonzero)


def D(*s: int) -> tuple[tuple[int, ...], Callable[..., np.ndarray]]:
    return (s, distinct)


MASK = np.array([[True, False, True, True], [False, False, True, False], [True, True, False, True]])
IDX = np.array([2, 0, 2, 1])

OPS: list[Op] = [
    # unary
    op("exp", lambda m, x: m.exp(x), N(3, 4)),
    op("exp_0d", lambda m, x: m.exp(x), N()),
    op("log", lambda m, x: m.log(x), P(3, 4)),
    op("log1p", lambda m, x: m.log1p(x), P(5)),
    op("sqrt", lambda m, x: m.sqrt(x), P(2, 3)),
    op("sin", lambda m, x: m.sin(x), N(4)),
    op("cos", lambda m, x: m.cos(x), N(2, 2)),
    op("tan", lambda m, x: m.tan(x), (((5,), small))),
    op("tanh", lambda m, x: m.tanh(x), N(3, 2)),
    op("sigmoid", lambda m, x: m.sigmoid(x), N(6)),
    op("relu", lambda m, x: m.relu(x), NZ(3, 4)),
    op("abs", lambda m, x: m.abs(x), NZ(4)),
    op("neg", lambda m, x: -x, N(2, 3)),
    op("reciprocal", lambda m, x: m.reciprocal(x), NZ(4)),
    op("sign", lambda m, x: m.sign(x), NZ(4)),
    op("floor", lambda m, x: m.floor(x), ((4,), offgrid)),
    op("ceil", lambda m, x: m.ceil(x), ((4,), offgrid)),
    op("round", lambda m, x: m.round(x), ((4,), offgrid)),
    op("square", lambda m, x: m.square(x), N(3)),
    op("clamp", lambda m, x: m.clamp(x, -0.25, 0.25), NZ(3, 4)),
    op("clamp_min", lambda m, x: x.clamp(min=0.5), NZ(3, 4)),
    op("clamp_max", lambda m, x: m.clamp(x, max=-0.1), NZ(3, 4)),
    op("clamp_tensor", lambda m, x: m.clamp(x, min=m.tensor([-0.1, 0.0, 0.1, 0.2])), NZ(3, 4)),
    # bounds that require grad: inputs of one ClampBackward0, as PyTorch's
    op("clamp_tensor_grad", lambda m, x, lo, hi: m.clamp(x, lo, hi + 1), N(3, 4), ((4,), small),
       ((3, 1), small)),
    op("clamp_min_grad", lambda m, x, lo: x.clamp(min=lo), N(3, 4), N(4)),
    # binary, broadcasting
    op("add", lambda m, a, b: a + b, N(3, 4), N(4)),
    op("add_alpha", lambda m, a, b: m.add(a, b, alpha=2.5), N(3, 1), N(1, 4)),
    op("sub", lambda m, a, b: a - b, N(2, 1, 3), N(4, 1)),
    op("rsub", lambda m, x: 1 - x, N(3)),
    op("mul", lambda m, a, b: a * b, N(3, 4), N(3, 1)),
    op("mul_0d", lambda m, a, b: a * b, N(), N(2, 3)),
    op("div", lambda m, a, b: a / b, N(3, 4), NZ(4)),
    op("rdiv", lambda m, x: 2 / x, NZ(3)),
    op("pow", lambda m, a, b: a**b, P(3, 4), N(4)),
    op("pow_int", lambda m, x: x**3, N(3)),
    op("pow_half", lambda m, x: x**0.5, P(3)),
    op("pow_neg", lambda m, x: m.pow(x, -1.5), P(3)),
    op("rpow", lambda m, x: 2**x, N(3)),
    op("maximum", lambda m, a, b: m.maximum(a, b), D(3, 4), D(4)),
    op("minimum", lambda m, a, b: m.minimum(a, b), D(2, 3), D(2, 1)),
    op("where", lambda m, a, b: m.where(a > 0, a, b), NZ(3, 4), N(4)),
    op("where_scalar", lambda m, a: m.where(a > 0, a, 0.0), NZ(3, 4)),
    op("masked_fill", lambda m, a: a.masked_fill(a < 0, 1.5), NZ(3, 4)),
    # reductions
    op("sum", lambda m, x: x.sum(), N(3, 4)),
    op("sum_dim", lambda m, x: x.sum(1), N(3, 4)),
    op("sum_neg_keepdim", lambda m, x: x.sum(-1, keepdim=True), N(2, 3, 4)),
    op("sum_dims", lambda m, x: x.sum((0, 2)), N(2, 3, 4)),
    op("mean", lambda m, x: x.mean(), N(3, 4)),
    op("mean_dim", lambda m, x: m.mean(x, 0, True), N(3, 4)),
    op("mean_dims", lambda m, x: x.mean((-1, 0)), N(2, 3, 4)),
    op("prod", lambda m, x: x.prod(), NZ(2, 3)),
    op("prod_dim", lambda m, x: x.prod(1), NZ(2, 3)),
    op("prod_keepdim", lambda m, x: m.prod(x, 0, keepdim=True), NZ(3, 2)),
    op("max", lambda m, x: x.max(), D(3, 4)),
    op("min", lambda m, x: m.min(x), D(3, 4)),
    op("max_dim", lambda m, x: m.max(x, 1), D(3, 4)),
    op("min_dim_keepdim", lambda m, x: x.min(0, keepdim=True), D(3, 4)),
    op("max_neg_dim", lambda m, x: m.max(x, -1), D(2, 3, 4)),
    op("amax", lambda m, x: m.amax(x, (0, 1)), D(2, 3, 4)),
    op("amin", lambda m, x: x.amin(-1, keepdim=True), D(3, 4)),
    op("argmax", lambda m, x: m.argmax(x, 1), D(3, 4), grads=False),
    op("argmin", lambda m, x: x.argmin(), D(3, 4), grads=False),
    op("norm", lambda m, x: m.norm(x), N(3, 4)),
    op("norm_method", lambda m, x: x.norm(), N(5)),
    op("norm_p1", lambda m, x: m.norm(x, 1), NZ(3, 4)),
    op("norm_p3_dim", lambda m, x: m.norm(x, 3, 1), NZ(3, 4)),
    op("norm_inf", lambda m, x: m.norm(x, float("inf")), D(3, 4)),
    op("norm_dim_keepdim", lambda m, x: m.norm(x, 2, -1, True), N(2, 3, 4)),
    op("norm_p0", lambda m, x: m.norm(x, 0), NZ(3, 4)),
    op("linalg_norm", lambda m, x: m.linalg_norm(x), N(4)),
    op("linalg_norm_fro", lambda m, x: m.linalg_norm(x), N(3, 4)),
    op("linalg_norm_vec_p1", lambda m, x: m.linalg_norm(x, 1), NZ(4)),
    op("linalg_norm_dim", lambda m, x: m.linalg_norm(x, 3, -1, True), NZ(3, 4)),
    op("matrix_norm_1", lambda m, x: m.linalg_norm(x, 1), D(3, 4)),
    op("matrix_norm_inf", lambda m, x: m.linalg_norm(x, float("inf")), D(3, 4)),
    op("matrix_norm_neg1", lambda m, x: m.linalg_norm(x, -1, (1, 0), True), D(3, 4)),
    op("matrix_norm_neginf_batched", lambda m, x: m.linalg_norm(x, -float("inf"), (-1, 0)),
       D(3, 2, 4)),
    op("matrix_norm_fro", lambda m, x: m.linalg_norm(x, "fro", (0, 2)), N(3, 2, 4)),
    op("logsumexp", lambda m, x: m.logsumexp(x, 1), N(3, 4)),
    op("logsumexp_keepdim", lambda m, x: x.logsumexp(-1, keepdim=True), N(2, 3, 4)),
    op("softmax", lambda m, x: m.softmax(x, 1), N(3, 4)),
    op("softmax_neg", lambda m, x: x.softmax(-1), N(2, 3, 4)),
    op("log_softmax", lambda m, x: m.log_softmax(x, 0), N(3, 4)),
    op("log_softmax_method", lambda m, x: x.log_softmax(-1), N(4)),
    # shape ops
    op("reshape", lambda m, x: x.reshape(4, 3), N(3, 4)),
    op("reshape_infer", lambda m, x: m.reshape(x, (2, -1)), N(3, 4)),
    op("view", lambda m, x: x.view(-1), N(3, 4)),
    op("flatten", lambda m, x: x.flatten(1), N(2, 3, 4)),
    op("transpose", lambda m, x: m.transpose(x, 0, 2), N(2, 3, 4)),
    op("t", lambda m, x: x.t(), N(3, 4)),
    op("T", lambda m, x: m.T(x), N(3, 4)),
    op("permute", lambda m, x: x.permute(2, 0, 1), N(2, 3, 4)),
    op("squeeze", lambda m, x: x.squeeze(), N(3, 1, 4)),
    op("squeeze_dim", lambda m, x: m.squeeze(x, 1), N(3, 1, 4)),
    op("unsqueeze", lambda m, x: x.unsqueeze(1), N(3, 4)),
    op("unsqueeze_neg", lambda m, x: m.unsqueeze(x, -1), N(3, 4)),
    op("expand", lambda m, x: x.expand(2, 3, 4), N(3, 1)),
    op("cat", lambda m, a, b: m.cat([a, b], 1), N(2, 3), N(2, 2)),
    op("cat_neg", lambda m, a, b, c: m.cat((a, b, c), -1), N(2), N(3), N(1)),
    op("stack", lambda m, a, b: m.stack([a, b]), N(2, 3), N(2, 3)),
    op("stack_dim", lambda m, a, b: m.stack([a, b], -1), N(2, 3), N(2, 3)),
    op("diag_vec", lambda m, x: m.diag(x), N(3)),
    op("diag_mat", lambda m, x: m.diag(x), N(3, 4)),
    op("diag_offset", lambda m, x: m.diag(x, 1), N(3)),
    op("clone", lambda m, x: x.clone(), N(3)),
    op("to_float", lambda m, x: x.float() * 2, N(3)),
    op("to_double", lambda m, x: x.double() * 2, N(3)),
    # indexing
    op("select", lambda m, x: x[1], N(3, 4)),
    op("select_neg", lambda m, x: x[:, -1], N(3, 4)),
    op("slice", lambda m, x: x[1:3], N(4, 2)),
    op("slice_step", lambda m, x: x[:, ::2], N(3, 5)),
    op("none_index", lambda m, x: x[None, :, 1], N(3, 4)),
    op("ellipsis", lambda m, x: x[..., 0], N(2, 3, 4)),
    op("list_index", lambda m, x: x[[0, 2, 0]], N(3, 4)),
    op("tensor_index", lambda m, x: x[m.tensor(IDX)], N(3, 4)),
    op("mask_index", lambda m, x: x[m.tensor(MASK)], N(3, 4)),
    op("mixed_index", lambda m, x: x[1, [0, 3, 3]], N(3, 4)),
    op("setitem_slice", lambda m, x, v: _setitem(x, (slice(None), slice(1, 3)), v), N(3, 4),
       N(3, 2)),
    op("setitem_mask", lambda m, x: _setitem(x, m.tensor(MASK), 0.0), N(3, 4)),
    op("setitem_bcast", lambda m, x, v: _setitem(x, 1, v), N(3, 4), N(4)),
    op("setitem_index", lambda m, x, v: _setitem(x, m.tensor(np.array([0, 2])), v), N(3, 4),
       N(4)),
    # in-place ops on non-leaves
    op("add_", lambda m, a, b: _inplace(a, "add_", b), N(3, 4), N(4)),
    op("iadd", lambda m, a, b: _iadd(a, b), N(3, 4), N(3, 4)),
    op("sub_", lambda m, a, b: _inplace(a, "sub_", b), N(3, 4), N(3, 1)),
    op("mul_", lambda m, a, b: _inplace(a, "mul_", b), N(3, 4), N(4)),
    op("div_", lambda m, a, b: _inplace(a, "div_", b), N(3, 4), NZ(4)),
    op("pow_", lambda m, a: _inplace(a, "pow_", 3), N(3)),
    op("exp_", lambda m, a: _inplace(a, "exp_"), N(3)),
    op("sigmoid_", lambda m, a: _inplace(a, "sigmoid_"), N(3)),
    op("tanh_", lambda m, a: _inplace(a, "tanh_"), N(3)),
    op("relu_", lambda m, a: _inplace(a, "relu_"), NZ(5)),
    op("neg_", lambda m, a: _inplace(a, "neg_"), N(3)),
    op("clamp_", lambda m, a: _inplace(a, "clamp_", -0.5, 0.5), NZ(6)),
    op("zero_", lambda m, a, b: _inplace(a, "zero_") + b, N(3), N(3)),
    op("fill_", lambda m, a, b: _inplace(a, "fill_", 2.0) * b, N(3), N(3)),
    op("chain_", lambda m, a, b: _inplace(_inplace(a, "mul_", b), "add_", b).exp(), N(3),
       N(3)),
    # in-place changes of views: the base gets a CopySlices node
    op("slice_view_mul_", lambda m, a, b: _on_view(a, lambda y: y[0:2].mul_(b)), N(3, 4), N(4)),
    op("select_view_zero_", lambda m, a: _on_view(a, lambda y: y[1].zero_()), N(3, 4)),
    op("element_view_add_", lambda m, a, b: _on_view(a, lambda y: y[1, 2].add_(b)), N(3, 4),
       N()),
    op("nested_setitem", lambda m, a, b: _on_view(a, lambda y: y[1].__setitem__(2, b)),
       N(3, 4), N()),
    op("t_view_mul_", lambda m, a, b: _on_view(a, lambda y: y.t().mul_(b)), N(3, 4), N(3)),
    op("reshape_view_add_", lambda m, a, b: _on_view(a, lambda y: y.view(-1).add_(b)),
       N(3, 4), N(12)),
    op("chained_views_", lambda m, a, b: _on_view(
        a, lambda y: y.unsqueeze(0)[0, 1:].transpose(0, 1).mul_(b)), N(3, 4), N(2)),
    op("view_then_use", lambda m, a: _on_view(a, lambda y: y[:, 0].exp_()) * a, N(3, 2)),
    # a view taken before its base (or a sibling view) changed in place sees the change
    op("view_after_base_mul_", lambda m, a, b: _view_after(a, lambda y: y.mul_(b)), N(3, 4),
       N(4)),
    op("view_after_sibling_", lambda m, a, b: _view_after(a, lambda y: y[:, 1:3].mul_(b)),
       N(3, 4), N(3, 1)),
    op("view_after_setitem", lambda m, a, b: _view_after(a, lambda y: y.__setitem__(
        (slice(None), 0), b)), N(3, 4), N(3)),
    # matmul family
    op("mm", lambda m, a, b: m.mm(a, b), N(3, 4), N(4, 2)),
    op("mv", lambda m, a, b: m.mv(a, b), N(3, 4), N(4)),
    op("dot", lambda m, a, b: m.dot(a, b), N(4), N(4)),
    op("matmul_11", lambda m, a, b: a @ b, N(4), N(4)),
    op("matmul_21", lambda m, a, b: a @ b, N(3, 4), N(4)),
    op("matmul_12", lambda m, a, b: m.matmul(a, b), N(4), N(4, 2)),
    op("matmul_22", lambda m, a, b: a @ b, N(3, 4), N(4, 2)),
    op("matmul_33", lambda m, a, b: a @ b, N(2, 3, 4), N(2, 4, 2)),
    op("matmul_bcast", lambda m, a, b: a @ b, N(2, 1, 3, 4), N(5, 4, 2)),
    op("matmul_32", lambda m, a, b: a @ b, N(2, 3, 4), N(4, 2)),
    op("matmul_13", lambda m, a, b: a @ b, N(4), N(2, 4, 3)),
    op("matmul_31", lambda m, a, b: a @ b, N(2, 3, 4), N(4)),
    op("outer", lambda m, a, b: m.outer(a, b), N(3), N(4)),
    # losses
    op("mse", lambda m, a, b: m.mse_loss(a, b), N(3, 4), N(3, 4)),
    op("mse_sum", lambda m, a, b: m.mse_loss(a, b, reduction="sum"), N(5), N(5)),
    op("mse_none", lambda m, a, b: m.mse_loss(a, b, reduction="none"), N(2, 3), N(2, 3)),
    op("bce_logits", lambda m, z, y: m.binary_cross_entropy_with_logits(z, y), N(3, 4),
       ((3, 4), unit)),
    op("bce_logits_sum", lambda m, z, y: m.binary_cross_entropy_with_logits(
        z, y, reduction="sum"), N(5), ((5,), unit)),
    op("bce_logits_none", lambda m, z, y: m.binary_cross_entropy_with_logits(
        z, y, reduction="none"), N(2, 3), ((2, 3), unit)),
    op("bce_logits_weight", lambda m, z, y, w: m.binary_cross_entropy_with_logits(
        z, y, weight=w), N(2, 3), ((2, 3), unit), P(3), const=(2,)),
    op("bce_logits_pos_weight", lambda m, z, y, w: m.binary_cross_entropy_with_logits(
        z, y, pos_weight=w, reduction="sum"), N(2, 3), ((2, 3), unit), P(3), const=(2,)),
    op("cross_entropy", lambda m, z: m.cross_entropy(z, m.tensor(np.array([2, 0, 1]))),
       N(3, 4)),
    op("cross_entropy_sum", lambda m, z: m.cross_entropy(
        z, m.tensor(np.array([3, 3])), reduction="sum"), N(2, 4)),
    op("cross_entropy_none", lambda m, z: m.cross_entropy(
        z, m.tensor(np.array([1, 0, 1])), reduction="none"), N(3, 2)),
    op("cross_entropy_1d", lambda m, z: m.cross_entropy(z, m.tensor(np.array(2))), N(4)),
    # PyTorch divides by the batch size with DivBackward1, a C++-only overload.
    op("cross_entropy_soft", lambda m, z, p: m.cross_entropy(z, p.softmax(1)), N(3, 4),
       N(3, 4)),
    op("cross_entropy_soft_sum", lambda m, z, p: m.cross_entropy(
        z, p.softmax(1), reduction="sum"), N(3, 4), N(3, 4)),
    op("cross_entropy_soft_none", lambda m, z, p: m.cross_entropy(
        z, p.softmax(-1), reduction="none"), N(3, 4), N(3, 4)),
    op("nll_loss", lambda m, z: m.nll_loss(z.log_softmax(1), m.tensor(np.array([1, 2]))),
       N(2, 3)),
]


def _inplace(x: Any, method: str, *args: Any) -> Any:
    y = x * 1  # in-place ops on a leaf that requires grad are errors; on non-leaves, recorded
    getattr(y, method)(*args)
    return y


def _on_view(x: Any, change: Callable[[Any], Any]) -> Any:
    y = x * 1
    change(y)
    return y


def _view_after(x: Any, change: Callable[[Any], Any]) -> Any:
    y = x * 1
    v = y.t()[1:]  # a view of y, taken first
    change(y)
    return v.exp() * 2


def _iadd(x: Any, b: Any) -> Any:
    y = x * 1
    y += b
    return y


def _setitem(x: Any, index: Any, value: Any) -> Any:
    y = x * 1  # a non-leaf, so item assignment is recorded (CopySlices / IndexPutBackward0)
    y[index] = value
    return y


def _seed(*parts: str) -> int:
    return zlib.crc32("/".join(parts).encode())


def _arrays(o: Op, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [dom(rng, shape) for shape, dom in o.inputs]


def _outputs(res: Any) -> list[Any]:
    return list(res) if isinstance(res, tuple) else [res]


def _run(lib: Lib, o: Op, arrays: list[np.ndarray], dtype: str, seed: int) -> dict[str, Any]:
    """Forward, first and second derivatives of one op in one library."""
    xs = [make_input(lib, a, dtype, i not in o.const) for i, a in enumerate(arrays)]
    outs = _outputs(o.fn(lib, *xs))
    result: dict[str, Any] = {"outs": outs}
    diff = [t for t in outs if t.requires_grad]
    if not o.grads or not diff:
        return result
    rng = np.random.default_rng(seed + 1)
    s = None
    for t in diff:
        w = make_input(lib, rng.standard_normal(tuple(t.shape)), dtype, requires_grad=False)
        w = w.to(t.dtype)
        term = (t * w).sum()
        s = term if s is None else s + term
    wrt = [x for x in xs if x.requires_grad]
    g1 = lib.grad(s, wrt, create_graph=o.second, allow_unused=True)
    result["g1"] = g1
    if not o.second:
        return result
    s2 = None
    for g, x in zip(g1, wrt, strict=True):
        if g is None or not g.requires_grad:
            continue
        v = make_input(lib, rng.standard_normal(tuple(x.shape)), dtype, requires_grad=False)
        term = (g * v.to(g.dtype)).sum()
        s2 = term if s2 is None else s2 + term
    result["g2"] = None if s2 is None else lib.grad(s2, wrt, allow_unused=True)
    return result


def _zeros_like(t: Any) -> np.ndarray:
    return np.zeros(tuple(t.shape))


def _compare_grads(ours: Any, theirs: Any, xs_np: list[np.ndarray], dtype: str,
                   what: str) -> None:
    for i, a in enumerate(xs_np):
        g_o = None if ours is None else ours[i]
        g_t = None if theirs is None else theirs[i]
        if g_o is None and g_t is None:
            continue
        a_o = np.zeros(a.shape) if g_o is None else as_numpy(g_o)
        a_t = np.zeros(a.shape) if g_t is None else as_numpy(g_t)
        close_np(a_o, a_t, dtype, f"{what} of input {i}")
        if g_o is not None and g_t is not None:
            assert dtype_name(g_o) == dtype_name(g_t), f"{what} dtype of input {i}"


def close_np(a: np.ndarray, b: np.ndarray, dtype: str, what: str) -> None:
    """close() for numpy arrays."""
    rtol, atol = TOL[dtype]
    assert a.shape == b.shape, f"{what}: shape {a.shape} != torch {b.shape}"
    scale = max(1.0, float(np.max(np.abs(b), initial=0.0)))
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol * scale, err_msg=what)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("o", OPS, ids=[o.id for o in OPS])
def test_op_matches_torch(o: Op, dtype: str) -> None:
    seed = _seed(o.id, dtype)
    arrays = _arrays(o, seed)
    ours = _run(OURS, o, arrays, dtype, seed)
    theirs = _run(THEIRS, o, arrays, dtype, seed)
    assert len(ours["outs"]) == len(theirs["outs"])
    for i, (a, b) in enumerate(zip(ours["outs"], theirs["outs"], strict=True)):
        assert dtype_name(a) == dtype_name(b), f"dtype of output {i}"
        close(a, b, dtype, f"forward output {i}")
        assert fn_name(a) == (o.our_name or fn_name(b)), f"grad_fn of output {i}"
        assert a.requires_grad == b.requires_grad, f"requires_grad of output {i}"
    wrt = [a for i, a in enumerate(arrays) if i not in o.const and a.dtype.kind == "f"]
    if "g1" in theirs or "g1" in ours:
        _compare_grads(ours.get("g1"), theirs.get("g1"), wrt, dtype, "first gradient")
    if "g2" in theirs or "g2" in ours:
        _compare_grads(ours.get("g2"), theirs.get("g2"), wrt, dtype, "second derivative")


FORWARD_MODE = [o for o in OPS if o.grads and not o.const and o.id not in ("max_dim",
                 "min_dim_keepdim", "max_neg_dim")]


@pytest.mark.parametrize("o", FORWARD_MODE, ids=[o.id for o in FORWARD_MODE])
def test_op_jvp_matches_torch(o: Op) -> None:
    """Forward mode (tangents through the JVP rules, in-place ops and views) vs PyTorch."""
    seed = _seed(o.id, "jvp")
    arrays = _arrays(o, seed)
    rng = np.random.default_rng(seed + 2)
    tangents = [rng.standard_normal(a.shape) for a in arrays]
    out_o, jv_o = AF.jvp(lambda *xs: o.fn(OURS, *xs), tuple(ops.tensor(a) for a in arrays),
                         tuple(ops.tensor(t) for t in tangents))
    out_t, jv_t = torch.autograd.functional.jvp(
        lambda *xs: o.fn(THEIRS, *xs), tuple(torch.tensor(a) for a in arrays),
        tuple(torch.tensor(t) for t in tangents))
    close(out_o, out_t, "float64", "forward output")
    close(jv_o, jv_t, "float64", "J·v")


# --------------------------------------------------------------------------- whole programs


def mlp_program(m: Lib, data: dict[str, np.ndarray]) -> dict[str, Any]:
    """A 3→5→1 MLP with a BCE-with-logits loss, one gradient step, and a second loss."""
    params = {k: m.tensor(data[k], dtype=m.float32, requires_grad=True)
              for k in ("w1", "b1", "w2", "b2")}
    x = m.tensor(data["x"], dtype=m.float32)
    y = m.tensor(data["y"], dtype=m.float32)

    def loss_of() -> Any:
        h = m.relu(x @ params["w1"] + params["b1"])
        z = (h @ params["w2"] + params["b2"]).squeeze(-1)
        return m.binary_cross_entropy_with_logits(z, y)

    loss = loss_of()
    loss.backward()
    out = {"loss": loss, **{f"grad_{k}": p.grad for k, p in params.items()}}
    with m.no_grad():
        for p in params.values():
            p -= 0.1 * p.grad
            p.grad.zero_()
    loss2 = loss_of()
    loss2.backward()
    out["loss2"] = loss2
    out["grad2_w1"] = params["w1"].grad
    return out


def seeds_program(m: Lib, data: dict[str, np.ndarray]) -> dict[str, Any]:
    """The seeds' examples, one after another."""
    out: dict[str, Any] = {}
    x = m.reshape(m.arange(4, dtype=m.float64), (4, 1))
    x.requires_grad_(True)
    y = 2 * m.mm(m.T(x), x)
    m.backward(y)
    out["mm_y"], out["mm_grad"] = y, x.grad

    x = m.arange(4.0, requires_grad=True)
    y = 2 * m.dot(x, x)
    y.backward()
    out["dot_grad"] = x.grad.clone()
    x.grad.zero_()
    y = x * x
    u = y.detach()
    (u * x).sum().backward()
    out["detach_grad"] = x.grad.clone()

    w = m.tensor([1.0], requires_grad=True)
    x = m.tensor([2.0], requires_grad=True)
    y = m.mul(m.add(w, x), m.add(w, 1))
    y.backward(retain_graph=True)
    y.backward()
    out["w_grad_twice"], out["x_grad_twice"] = w.grad, x.grad

    x = m.ones(2, 2, requires_grad=True)
    z = (x + 2) * (x + 2) * 3
    z.mean().backward()
    out["mean_grad"] = x.grad

    x = m.tensor(data["v3"], dtype=m.float32, requires_grad=True)
    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2
    y.backward(m.tensor([0.1, 1.0, 0.0001], dtype=m.float32))
    out["vjp_y"], out["vjp_grad"] = y, x.grad

    def f(a: Any) -> Any:
        b = a * 2
        while b.norm() < 1000:
            b = b * 2
        return b if b.sum() > 0 else 100 * b

    a = m.tensor(data["a"], dtype=m.float32, requires_grad=True)
    with m.set_grad_enabled(True):
        c = f(a)
    c.backward()
    out["cf_c"], out["cf_grad"] = c, a.grad

    x = m.tensor([3.0], requires_grad=True)
    g1 = m.grad(m.pow(x, 2), x, create_graph=True)
    g2 = m.grad(g1[0], x)
    out["g1"], out["g2"] = g1[0], g2[0]

    w = m.tensor(data["w"], dtype=m.float32, requires_grad=True)
    b = m.tensor(data["b"], dtype=m.float32, requires_grad=True)
    z = m.matmul(m.ones(5), w) + b
    loss = m.binary_cross_entropy_with_logits(z, m.zeros(3))
    loss.backward()
    out["bce_loss"], out["bce_w"], out["bce_b"] = loss, w.grad, b.grad
    return out


def higher_order_program(m: Lib, data: dict[str, np.ndarray]) -> dict[str, Any]:
    """Jacobian, Hessian, hvp/vhp/jvp/vjp, a third derivative and a nested derivative."""
    x = m.tensor(data["v3"], dtype=m.float64)
    v = m.tensor(data["u3"], dtype=m.float64)

    def g(t: Any) -> Any:
        return (m.tanh(t) * t**2).sum() + m.logsumexp(t, 0)

    def h(t: Any) -> Any:
        return m.softmax(t, 0) * t.sum()

    fn = m.functional
    out = {"jac": fn.jacobian(h, x), "hess": fn.hessian(g, x), "hvp": fn.hvp(g, x, v)[1],
           "vhp": fn.vhp(g, x, v)[1], "jvp": fn.jvp(h, x, v)[1], "vjp": fn.vjp(h, x, v)[1]}
    s = m.tensor(1.3, dtype=m.float64, requires_grad=True)
    d = m.sin(s) * s**3
    for k in range(3):
        (d,) = m.grad(d, s, create_graph=True)
        out[f"d{k + 1}"] = d
    a = m.tensor(1.0, requires_grad=True)
    b = m.tensor(2.0, requires_grad=True)
    (inner,) = m.grad(a + b, b, create_graph=True)
    (outer,) = m.grad(a * inner, a, allow_unused=True)
    out["nested"] = outer
    return out


PROGRAMS = {"mlp": mlp_program, "seeds": seeds_program, "higher_order": higher_order_program}


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_program_matches_torch(program: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    data = {
        "x": rng.standard_normal((8, 3)), "y": (rng.random(8) < 0.5).astype(np.float64),
        "w1": rng.standard_normal((3, 5)) * 0.7, "b1": rng.standard_normal(5) * 0.1,
        "w2": rng.standard_normal((5, 1)) * 0.7, "b2": rng.standard_normal(1) * 0.1,
        "v3": rng.standard_normal(3), "u3": rng.standard_normal(3),
        "a": rng.standard_normal((1, 1)) * 3 + 2,
        "w": rng.standard_normal((5, 3)), "b": rng.standard_normal(3),
    }
    ours = PROGRAMS[program](OURS, data)
    theirs = PROGRAMS[program](THEIRS, data)
    assert ours.keys() == theirs.keys()
    for key in ours:
        a, b = ours[key], theirs[key]
        assert dtype_name(a) == dtype_name(b), key
        dt = "float64" if dtype_name(b) == "torch.float64" else "float32"
        close(a, b, dt, key)
        assert fn_name(a) == fn_name(b), key


# --------------------------------------------------------------------------- random programs

# Each step takes values from the pool (by position) and appends its result. Ops are
# smooth almost everywhere on random inputs; shapes that do not fit make a step a no-op.
UNARY: dict[str, Callable[[Lib, Any], Any]] = {
    "tanh": lambda m, x: m.tanh(x), "sin": lambda m, x: x.sin(),
    "sigmoid": lambda m, x: m.sigmoid(x), "exp_tanh": lambda m, x: m.exp(m.tanh(x)),
    "square": lambda m, x: x * x, "neg": lambda m, x: -x, "abs": lambda m, x: x.abs(),
    "relu": lambda m, x: m.relu(x), "softplus": lambda m, x: m.log1p(m.exp(-x.abs())),
    "pow3": lambda m, x: x**3, "sum": lambda m, x: x.sum(),
    "sum_last": lambda m, x: x.sum(-1) if x.ndim else x,
    "mean_keep": lambda m, x: x.mean(0, keepdim=True) if x.ndim else x,
    "amax": lambda m, x: m.amax(x, -1) if x.ndim else x,
    "logsumexp": lambda m, x: m.logsumexp(x, 0) if x.ndim else x,
    "softmax": lambda m, x: m.softmax(x, -1) if x.ndim else x,
    "norm": lambda m, x: x.norm(),
    "t": lambda m, x: x.transpose(-1, -2) if x.ndim >= 2 else x,
    "unsqueeze": lambda m, x: x.unsqueeze(0) if x.ndim < 3 else x,
    "flatten": lambda m, x: x.reshape(-1),
    "first": lambda m, x: x[0] if x.ndim else x,
    "stride": lambda m, x: x[..., ::2] if x.ndim else x,
    "mul_": lambda m, x: _inplace(x, "mul_", 1.5),
    "exp_": lambda m, x: _inplace(m.tanh(x), "exp_"),
    "view_mul_": lambda m, x: _on_view(x, lambda y: y[..., :1].mul_(-2.0)) if x.ndim else x,
    "setitem": lambda m, x: _on_view(x, lambda y: y.__setitem__(0, 0.5)) if x.ndim else x,
    "log1p_sq": lambda m, x: m.log1p(x * x), "sqrt1": lambda m, x: m.sqrt(1 + x * x),
    "prod": lambda m, x: x.prod(-1) if x.ndim else x,
    "clamp": lambda m, x: x.clamp(-0.5, 0.7),
    "permute": lambda m, x: x.permute(*reversed(range(x.ndim))) if x.ndim else x,
    "expand": lambda m, x: x.expand(2, *x.shape) if x.ndim < 3 else x,
    "maxdim": lambda m, x: m.max(x, 0)[0] if x.ndim else x,
    "mindim": lambda m, x: x.min(-1, keepdim=True)[0] if x.ndim else x,
    "gather": lambda m, x: x[[0, 0, -1]] if x.ndim else x,
    "log_softmax": lambda m, x: m.log_softmax(x, 0) if x.ndim else x,
    "cat": lambda m, x: m.cat([x, x * 2], -1) if x.ndim else x,
    "stack": lambda m, x: m.stack([x, x.sin()], 0),
    "diag": lambda m, x: m.diag(x) if x.ndim in (1, 2) else x,
    "cross_entropy": lambda m, x: m.cross_entropy(
        x, m.tensor(np.zeros(x.shape[0], dtype=np.int64))) if x.ndim == 2 else x,
    "sigmoid_": lambda m, x: _inplace(x, "sigmoid_"),
    "clamp_": lambda m, x: _inplace(x, "clamp_", -0.4, 0.6),
    "mask_set": lambda m, x: _on_view(x, lambda y: y.__setitem__(y > 0.3, 0.0)),
    "t_view_mul_": lambda m, x: _on_view(x, lambda y: y.transpose(-1, -2).mul_(2.0))
    if x.ndim >= 2 else x,
    "reshape_view_": lambda m, x: _on_view(x, lambda y: y.reshape(-1)[1:].mul_(0.5)),
    "chain_views_": lambda m, x: _on_view(x, lambda y: y.unsqueeze(0)[0][..., -1:].add_(1.0))
    if x.ndim else x,
    "view_then_base_": lambda m, x: _view_after(x, lambda y: y.mul_(3.0)) if x.ndim == 2 else x,
}
BINARY: dict[str, Callable[[Lib, Any, Any], Any]] = {
    # (b scaled where a op of a value with itself would sit on a kink or a tie)
    "add": lambda m, a, b: a + b, "sub": lambda m, a, b: a - 0.5 * b,
    "mul": lambda m, a, b: a * b, "div": lambda m, a, b: a / (1 + b * b),
    "maximum": lambda m, a, b: m.maximum(a, 0.7 * b),
    "where": lambda m, a, b: m.where(a > 0.7 * b, a, b * 2),
    "add_": lambda m, a, b: _inplace(a, "add_", b),
    "view_add_": lambda m, a, b: _on_view(a, lambda y: y[..., 1:].add_(b[..., :1]))
    if a.ndim and b.ndim and a.shape[-1] > 1 else a + b,
    "matmul": lambda m, a, b: a @ b,
    "mse": lambda m, a, b: m.mse_loss(a, 0.5 * b) if a.shape == b.shape else a * 1,
    "bce": lambda m, a, b: m.binary_cross_entropy_with_logits(a, m.sigmoid(b))
    if a.shape == b.shape else a * 1,
    "minimum": lambda m, a, b: m.minimum(a, 0.6 * b),
    "pow": lambda m, a, b: (1 + a * a) ** b,
    "div_": lambda m, a, b: _inplace(a, "div_", 1 + b * b),
    "setitem_all": lambda m, a, b: _on_view(a, lambda y: y.__setitem__(..., b)),
}


def _fits(name: str, a: Any, b: Any) -> bool:
    try:
        shape = np.broadcast_shapes(tuple(a.shape), tuple(b.shape))
    except ValueError:
        return False
    if name in ("add_", "view_add_", "div_", "setitem_all"):
        return tuple(shape) == tuple(a.shape)
    if name == "matmul":
        return a.ndim >= 1 and b.ndim >= 1 and a.shape[-1] == b.shape[-2 if b.ndim > 1 else -1] \
            and (a.ndim <= 2 or b.ndim <= 2 or a.shape[:-2] == b.shape[:-2])
    return True


def _program(m: Lib, steps: list[tuple[str, int, int]], arrays: list[np.ndarray],
             weights: np.random.Generator, failed: list[bool]) -> tuple[Any, ...]:
    """Run the steps; a step PyTorch rejects (failed[k], filled in by the torch run) must
    fail in ours too, with our error, and is then skipped by both."""
    xs = [m.tensor(a, requires_grad=True) for a in arrays]
    pool = list(xs)
    for k, (name, i, j) in enumerate(steps):
        a, b = pool[i % len(pool)], pool[j % len(pool)]
        if name in BINARY and not _fits(name, a, b):
            if m is THEIRS:
                failed.append(False)
            continue
        step = (partial(UNARY[name], m, a) if name in UNARY
                else partial(BINARY[name], m, a, b))
        if m is THEIRS:
            try:
                pool.append(step())
                failed.append(False)
            except (RuntimeError, IndexError, ValueError):
                failed.append(True)
        elif failed[k]:
            with pytest.raises(GdRuntimeError):
                step()
        else:
            pool.append(step())
    s = sum((v * m.tensor(weights.standard_normal(tuple(v.shape)))).sum() for v in pool)
    g1 = m.grad(s, xs, create_graph=True, allow_unused=True)
    # A weight for every input (drawn in order, used or not): whether a gradient stays in
    # the graph (e.g. relu's, a constant in ours, not in PyTorch's) must not shift them.
    vs = [weights.standard_normal(a.shape) for a in arrays]
    s2 = sum((g * m.tensor(v)).sum() for g, v in zip(g1, vs, strict=True)
             if g is not None and g.requires_grad)
    g2 = (m.grad(s2, xs, allow_unused=True) if isinstance(s2, (Tensor, torch.Tensor))
          else [None] * len(xs))
    return s, g1, g2


@settings(max_examples=60, derandomize=True, deadline=None, database=None)
@given(
    shapes=st.lists(st.sampled_from([(), (3,), (2, 3), (3, 1), (1, 3), (2, 3, 3), (3, 3)]),
                    min_size=1, max_size=3),
    steps=st.lists(st.tuples(st.sampled_from(sorted(UNARY) + sorted(BINARY)),
                             st.integers(0, 20), st.integers(0, 20)), min_size=1, max_size=8),
    seed=st.integers(0, 2**16),
)
def test_random_programs_match_torch(shapes: list[tuple[int, ...]],
                                     steps: list[tuple[str, int, int]], seed: int) -> None:
    """Random compositions (views, in-place ops, broadcasting included): the value, the
    gradient and a second derivative agree with PyTorch."""
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s) for s in shapes]
    failed: list[bool] = []
    s_t, g1_t, g2_t = _program(THEIRS, steps, arrays, np.random.default_rng(seed), failed)
    s_o, g1_o, g2_o = _program(OURS, steps, arrays, np.random.default_rng(seed), failed)
    close(s_o, s_t, "float64", "value")
    _compare_grads(g1_o, g1_t, arrays, "float64", "gradient")
    _compare_grads(g2_o, g2_t, arrays, "float64", "second derivative")
