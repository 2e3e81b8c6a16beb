"""The linear-algebra fast paths (bench W2, W9) are the general paths, bit for bit.

- mv's kernel takes np.dot where it is `@`'s BLAS gemv: the same bytes as `a @ v` on
  every layout and shape (one-element dims included) and on special values.
- mv_t_checked (mv's VJP for the vector) is mv(transpose(a), g), byte for byte.
- outer_k1 (the k=1 products: mv's VJP for the matrix, mm of (m, 1) by (1, n)) gives the
  broadcast multiply's values, signed zeros, underflow and subnormals included (a NaN
  compares as NaN: its payload may differ, and no output shows it).
- mv's array VJP gives its differentiable VJP's values; whole W2 chains give the same
  bytes with array VJPs on and off; create_graph records PyTorch's nodes (grad.reshape(-1,
  1) * vec is MulBackward0, transposes are TBackward0) and second derivatives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from light_pass import light

from gradcli.ad import autograd
from gradcli.ad import kernels as K
from gradcli.ad import ops as F
from gradcli.ad.kernels import linalg as KL
from gradcli.ad.kernels import mkl_gemv
from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.mkl_path import mkl_avx512
from gradcli.ad.ops import SURFACE
from gradcli.ad.rules import RULES
from gradcli.ad.tensor import Tensor

DTYPES = ["float32", "float64"]
SHAPES = [(1, 1), (1, 2), (2, 1), (1, 64), (64, 1), (2, 2), (3, 5), (5, 3), (17, 33), (64, 64),
          (100, 64), (128, 128), (256, 128), (256, 256), (0, 3), (3, 0)]


def _layouts(a: np.ndarray) -> Iterator[tuple[str, np.ndarray]]:
    """a in the layouts a program can hand mv: C, F (a transpose), strided, reversed,
    padded rows, broadcast."""
    yield "C", a
    yield "F", np.asfortranarray(a)
    m, n = a.shape
    big = np.zeros((2 * m, 2 * n), a.dtype)
    big[::2, ::2] = a
    yield "step 2", big[::2, ::2]
    yield "reversed", np.ascontiguousarray(a[::-1, ::-1])[::-1, ::-1]
    pad = np.zeros((m, n + 3), a.dtype)
    pad[:, :n] = a
    yield "padded rows", pad[:, :n]
    if m:
        yield "broadcast", np.broadcast_to(a[:1], a.shape)


def _vectors(v: np.ndarray) -> Iterator[tuple[str, np.ndarray]]:
    yield "contiguous", v
    big = np.zeros(2 * len(v), v.dtype)
    big[::2] = v
    yield "step 2", big[::2]
    yield "reversed", np.ascontiguousarray(v[::-1])[::-1]


SPECIAL = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-310, -1e-310, 1e-200, -1e-200,
                    1e300, -1e300, 1.0, -1.0, 3e38, -3e38, 1e-40, -1e-40])


def _values(shape: tuple[int, ...], dtype: str, kind: int,
            rng: np.random.Generator) -> np.ndarray:
    """Normal values, special values, or zeros of both signs among negatives."""
    if kind == 0:
        return rng.standard_normal(shape).astype(dtype)
    if kind == 1:
        with np.errstate(all="ignore"):
            return rng.choice(SPECIAL, shape).astype(dtype)
    return np.where(rng.random(shape) < 0.5, rng.choice([0.0, -0.0], shape),
                    -rng.random(shape)).astype(dtype)


def _bytes(x: np.ndarray) -> bytes:
    return np.ascontiguousarray(x).tobytes()


def _same_values(x: np.ndarray, y: np.ndarray, what: str) -> None:
    """Equal dtype, shape and bytes, a NaN matching any NaN."""
    assert x.dtype == y.dtype and x.shape == y.shape, what
    nan = np.isnan(y)
    assert np.array_equal(np.isnan(x), nan), what
    assert _bytes(x[~nan]) == _bytes(y[~nan]), f"{what}\n{x}\nvs\n{y}"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_mv_kernel_gives_matmul_bytes(dtype: str, shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(shape[0] * 1000 + shape[1])
    with np.errstate(all="ignore"):
        for kind in range(3):
            a0 = _values(shape, dtype, kind, rng)
            v0 = _values((shape[1],), dtype, kind, rng)
            g0 = _values((shape[0],), dtype, kind, rng)
            for an, a in _layouts(a0):
                for vn, v in _vectors(v0):
                    what = f"{dtype} {shape} {an} matrix, {vn} vector, values {kind}"
                    out = K.mv(a, v)
                    ref = _reference_mv(a, v)
                    _same_values(out, ref, what)  # a NaN's sign may follow the order
                # mv's VJP for the vector: what mv(transpose(a), g) runs, and aᵀ @ g.
                for gn, g in _vectors(g0):
                    what = f"{dtype} {shape} {an} matrix, {gn} cotangent, values {kind}"
                    fast = KL.mv_t_checked(a, g)
                    _same_values(fast, K.mv(K.transpose(a, 0, 1), g), what)
                    _same_values(fast, _reference_mv(a.swapaxes(0, 1), g), what)


def _reference_mv(a: np.ndarray, v: np.ndarray) -> np.ndarray:
    """a @ v as mv promises: MKL's gemv order for a row-major matrix (kernels/mkl_gemv,
    tests/test_r16_blas.py checks it against torch), PyTorch's one-after-another sums
    where its order is known (KL._sums_in_order), numpy's `@` elsewhere. On MKL's AVX-512
    path (Intel, kernels/mkl_path) its float32 and float64 gemv (kernels/mkl_gemv512,
    mkl_dgemv512; tests/test_r21_mkl and test_r22_mkl check them against torch) where
    modelled, else `@`."""
    m, k = a.shape
    if mkl_avx512():
        if 0 < m * k <= KL._MV_IN_ORDER_MAX:  # (float64: mkl_dgemv512)
            out = KL._gemv512(a, v)
            if out is not None:
                return out
        return a @ v
    if KL._mv_gemv(a, v, m, k, a.dtype):
        return mkl_gemv.mv_rows(a, v)
    if KL._mv_in_order(m, k, KL._transposed(a), a.dtype):
        out = a[:, 0] * v[0]
        for j in range(1, k):  # one product after another
            out = out + a[:, j] * v[j]
        return out + 0.0
    return a @ v


def test_mv_kernel_keeps_its_messages() -> None:
    a = np.ones((2, 3))
    for args, message in [
        ((a, np.ones(4)), "size mismatch, got input (2), mat (2x3), vec (4)"),
        ((a, np.ones(3, np.float32)), "addmv input tensors must have the same dtype, but "
                                      "got Float, Double, and Float"),
        ((np.ones(3), np.ones(3)), "vector + matrix @ vector expected, got 1, 1, 1"),
    ]:
        with pytest.raises(K.TorchError) as e:
            K.mv(*args)
        assert str(e.value) == message


@pytest.mark.parametrize("dtype", DTYPES)
def test_outer_k1_gives_the_broadcast_multiply(dtype: str) -> None:
    rng = np.random.default_rng(7)
    f32 = dtype == "float32"
    tiny, sub = (1e-25, 1e-21) if f32 else (1e-170, 1e-160)  # products: underflow, subnormal
    cases: list[tuple[str, Callable[[int], np.ndarray]]] = [
        ("normal", lambda k: rng.standard_normal(k)),
        ("special", lambda k: rng.choice(SPECIAL, k)),
        ("zeros of both signs", lambda k: rng.choice([0.0, -0.0, 1.0, -2.0], k)),
        ("underflowing products", lambda k: tiny * rng.choice([1.0, -1.0], k)
         * (1 + rng.random(k))),
        ("subnormal products", lambda k: sub * rng.choice([1.0, -1.0], k)),
        ("around float32's 2**-75", lambda k: 2.0**-75 * rng.choice([0.5, 1.0, 2.0, -1.0], k)),
        ("one NaN side", lambda k: np.where(rng.random(k) < 0.2, np.nan,
                                            rng.standard_normal(k))),
    ]
    for m, n in [(1, 1), (1, 5), (5, 1), (3, 5), (32, 32), (64, 64), (100, 64), (128, 128),
                 (256, 128), (128, 256), (256, 256), (300, 300), (1024, 600)]:
        for name, draw in cases:
            with np.errstate(all="ignore"):
                a = draw(m).astype(dtype).reshape(m, 1)
                b = draw(n).astype(dtype).reshape(1, n)
            what = f"{dtype} {m}x{n} {name}"
            _same_values(KL.outer_k1(a, b), np.multiply(a, b), what)
            # mm of an (m, 1) by a (1, n) is this product (a row or a column: PyTorch's
            # gemv, from +0).
            _same_values(K.mm(a, b), np.multiply(a, b) + (0.0 if 1 in (m, n) else -0.0),
                         what + " (mm)")
            # Non-contiguous factors take the broadcast multiply itself.
            sa = np.repeat(a, 2, axis=0)[::2]
            assert _bytes(KL.outer_k1(sa, b)) == _bytes(np.multiply(sa, b)), what


@pytest.mark.parametrize("dtype", DTYPES)
def test_mv_array_vjp_is_its_differentiable_vjp(dtype: str) -> None:
    rule = RULES["mv"]
    rng = np.random.default_rng(3)
    for m, n in [(64, 64), (2, 3), (1, 1), (3, 1), (1, 4), (256, 256), (256, 128), (5, 64)]:
        for kind in range(3):
            with np.errstate(all="ignore"):
                a0 = _values((m, n), dtype, kind, rng)
                v = Tensor(_values((n,), dtype, kind, rng)).requires_grad_(True)
                g = Tensor(_values((m,), dtype, kind, rng))
            for an, arr in _layouts(a0):
                a = Tensor(np.array(arr) if an == "broadcast" else arr).requires_grad_(True)
                what = f"{dtype} {m}x{n} {an}, values {kind}"
                with light():
                    fast = rule.vjp_array(g, None, a, v)
                    graph = rule.vjp_graph(g, None, a, v)
                for f, s in zip(fast, graph, strict=True):
                    assert not f.requires_grad and f.grad_fn is None
                    _same_values(f.array, s.array, what)


def _w2_chain(dtype: str, m: int, steps: int, scale: float) -> tuple[np.ndarray, ...]:
    F.manual_seed(0)
    W = Tensor(scale * F.randn(m, m, dtype=dtype).array).requires_grad_(True)
    b = Tensor(np.zeros(m, dtype)).requires_grad_(True)
    h = F.ones(m, dtype=dtype)
    for _ in range(steps):
        h = F.tanh(W @ h + b)
    (h * Tensor(np.linspace(-1, 1, m).astype(dtype))).sum().backward()
    assert W.grad is not None and b.grad is not None
    return W.grad.array, b.grad.array, h.array


@contextmanager
def _array_vjps_off() -> Iterator[None]:
    fast = [r for r in RULES.values() if r.vjp_array is not None]
    saved = [r.vjp for r in fast]
    for r in fast:
        r.vjp = r.vjp_graph
    try:
        yield
    finally:
        for r, vjp in zip(fast, saved, strict=True):
            r.vjp = vjp


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("m", [1, 4, 64, 256, 512])
def test_w2_chains_give_the_same_bytes_with_array_vjps_off(dtype: str, m: int) -> None:
    # 1e-3 makes the activations tiny: factors of W's gradient near float32's 2**-75.
    for scale in (0.8 * m**-0.5, 1e-3):
        fast = _w2_chain(dtype, m, 12, scale)
        with _array_vjps_off():
            slow = _w2_chain(dtype, m, 12, scale)
        for x, y in zip(fast, slow, strict=True):
            assert x.dtype == y.dtype and _bytes(x) == _bytes(y)


def _names(node: Any, depth: int = 2) -> list[Any]:
    """A node's name and, to `depth`, its inputs' nodes (PyTorch's next_functions)."""
    if node is None:
        return [None]
    name = node.name() if callable(getattr(node, "name", None)) else node.name
    if depth == 0:
        return [name]
    parents = getattr(node, "next_functions", None)
    if parents is not None:
        kids = [f for f, _ in parents]
    else:
        kids = [p if p is None or hasattr(p, "rule") else "leaf" for p in node.parents]
    return [name, [_names(k, depth - 1) if k not in (None, "leaf") else k for k in kids]]


def _leafify(tree: Any) -> Any:
    """PyTorch's AccumulateGrad nodes as our 'leaf' edges."""
    if isinstance(tree, list):
        if tree and tree[0] == "torch::autograd::AccumulateGrad":
            return "leaf"
        return [_leafify(t) for t in tree]
    return tree


class _Surface:
    """torch.X as gradcli's ops surface spells it."""

    def __getattr__(self, name: str) -> Any:
        return SURFACE[f"torch.{name}"]


def test_create_graph_records_pytorchs_nodes_and_second_derivatives() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    w0, h0, c0 = rng.standard_normal((3, 4)), rng.standard_normal(4), rng.standard_normal(3)
    results = {}
    for lib in ("torch", "gradcli"):
        if lib == "torch":
            T: Any = torch
            grad = torch.autograd.grad
            mk = lambda a: torch.tensor(a, requires_grad=True)  # noqa: E731
        else:
            T = _Surface()
            grad = autograd.grad
            mk = lambda a: Tensor(a).requires_grad_(True)  # noqa: E731
        W, h, c = mk(w0), mk(h0), mk(c0)
        out = {}
        for name, y in [("mv", T.tanh(W @ h)), ("addmv", T.tanh(T.addmv(c, W, h))),
                        ("mm", T.tanh(T.mm(W, T.reshape(h, (4, 1))))),
                        ("outer", T.tanh(T.outer(c, h)))]:
            xs = (W, h) if name != "outer" else (c, h)
            gs = grad(y.sum(), xs, create_graph=True)
            out[name] = [_leafify(_names(g.grad_fn)) for g in gs]
            second = grad(sum((g * g).sum() for g in gs), xs)
            out[name + " second"] = [np.asarray(s.detach().numpy() if lib == "torch"
                                                else s.array) for s in second]
        results[lib] = out
    for name in ("mv", "addmv", "mm", "outer"):
        ours, theirs = results["gradcli"][name], results["torch"][name]
        if name == "outer":
            # The engine's sum_to is one node where PyTorch has sum then view: compare
            # what the gradients' own nodes and first inputs are.
            ours, theirs = [t[:1] for t in ours], [t[:1] for t in theirs]
        assert ours == theirs, name
        for x, y in zip(results["gradcli"][name + " second"],
                        results["torch"][name + " second"], strict=True):
            np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-14)
    assert results["torch"]["mv"][0][0] == "MulBackward0"  # W's: grad.reshape(-1, 1) * h


def test_outer_k1_takes_gemm_or_einsum_only_where_no_product_can_be_zero(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, Any]] = []  # (the path, what it returned)
    dot, einsum = np.dot, np.einsum

    def spy_dot(a: Any, b: Any) -> Any:
        calls.append(("gemm", r := dot(a, b)))
        return r

    def spy_einsum(*args: Any) -> Any:
        calls.append(("einsum", r := einsum(*args)))
        return r

    monkeypatch.setattr(np, "dot", spy_dot)
    monkeypatch.setattr(np, "einsum", spy_einsum)
    rng = np.random.default_rng(2)

    def taken(dtype: str, m: int, n: int, a: Any = None, b: Any = None) -> str:
        a = rng.standard_normal(m) if a is None else a
        b = rng.standard_normal(n) if b is None else b
        calls.clear()
        r = KL.outer_k1(np.asarray(a, dtype).reshape(m, 1), np.asarray(b, dtype).reshape(1, n))
        return next((path for path, result in calls if result is r), "multiply")

    assert taken("float32", 256, 256) == taken("float32", 256, 128) == "gemm"
    # from 2,048 products (round 21: numpy's multiply loops are AVX2 since round 20)
    assert taken("float64", 64, 64) == taken("float64", 128, 128) == "gemm"
    assert taken("float64", 2048, 1) == "gemm"
    assert taken("float64", 2047, 1) == taken("float64", 32, 32) == "multiply"
    assert taken("float32", 64, 64) == "multiply"  # the checks would cost what they save
    assert taken("float64", 64, 64, a=np.r_[0.0, np.ones(63)]) == "multiply"
    assert taken("float32", 512, 512) == taken("float64", 256, 256) == "einsum"
    assert taken("float32", 4096, 4096) == "multiply"  # einsum loses there
    # A product that may round to zero, or a zero factor: the broadcast multiply.
    assert taken("float32", 256, 256, b=np.r_[2.0**-75, np.ones(255)]) == "multiply"
    assert taken("float32", 256, 256, b=np.r_[2.0**-74, np.ones(255)]) == "gemm"
    assert taken("float64", 256, 256, a=np.r_[2.0**-537, np.ones(255)]) == "multiply"
    assert taken("float64", 256, 256, a=np.r_[2.0**-536, np.ones(255)]) == "einsum"
    assert taken("float64", 512, 512, a=np.r_[-0.0, np.ones(511)]) == "multiply"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("m", [3, 64])
def test_w2_backward_is_a_plain_numpy_reverse_pass(dtype: str, m: int) -> None:
    """The whole backward of W2's chain, byte for byte, against numpy ops in the order
    PyTorch's engine runs them: tanh_backward, W's outer product added to its gradient
    (the cotangents summed in arrival order, last step first), Wᵀ @ g to the step before
    (matrix-vector products and float32 tanh as PyTorch's kernels give them: see
    _reference_mv and kernels/elementwise.wide). At width 3 in float32, PyTorch's bits."""
    steps = 6
    rng = np.random.default_rng(m)
    w0 = (rng.standard_normal((m, m)) / m**0.5).astype(dtype)
    b0 = (0.1 * rng.standard_normal(m)).astype(dtype)
    W, b = Tensor(w0).requires_grad_(True), Tensor(b0).requires_grad_(True)
    h = F.ones(m, dtype=dtype)
    for _ in range(steps):
        h = F.tanh(W @ h + b)
    h.sum().backward()
    hs = [np.ones(m, dtype)]
    def tanh(x: np.ndarray) -> np.ndarray:  # float32 rounded once, float64 numpy's
        return np.tanh(x) if x.dtype == np.float64 else np.tanh(x.astype(np.float64)).astype(
            x.dtype)

    for _ in range(steps):
        hs.append(tanh(_reference_mv(w0, hs[-1]) + b0))
    g = np.ones(m, dtype)
    dW = db = None
    for k in range(steps, 0, -1):
        if dtype == "float32":  # PyTorch's fused 1 - y² (kernel k_tanh_backward)
            y = hs[k].astype(np.float64)
            gz = g * (1.0 - y * y).astype(np.float32)
        else:  # PyTorch's fused 1 - y² in float64: an FMA
            gz = g * fma(-hs[k], hs[k], 1.0)
        outer = gz.reshape(m, 1) * hs[k - 1].reshape(1, m)
        dW = outer if dW is None else dW + outer
        db = gz if db is None else db + gz
        g = _reference_mv(w0.T, gz)
    assert W.grad is not None and b.grad is not None and dW is not None and db is not None
    assert _bytes(W.grad.array) == _bytes(dW) and W.grad.array.dtype == dW.dtype
    assert _bytes(b.grad.array) == _bytes(db) and b.grad.array.dtype == db.dtype
    if m == 3 and dtype == "float32":
        torch = pytest.importorskip("torch")
        tw = torch.from_numpy(w0).requires_grad_(True)
        tb = torch.from_numpy(b0).requires_grad_(True)
        th = torch.ones(m, dtype=getattr(torch, dtype))
        for _ in range(steps):
            th = torch.tanh(tw @ th + tb)
        th.sum().backward()
        assert _bytes(W.grad.array) == _bytes(tw.grad.numpy())
        assert _bytes(b.grad.array) == _bytes(tb.grad.numpy())
