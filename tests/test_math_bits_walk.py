"""Elementwise kernels that mix SLEEF's vector functions with the C library's scalar ones
give PyTorch's bits on every layout: TensorIterator's walk (dims sorted by the inputs'
strides and merged where contiguous, broadcast scalars in the vector loop, one chunk per
thread past 32,768 elements) decides which elements take the vector function
(kernels/vecmath.kernel_loop). Tensor-by-tensor pow is SLEEF's powf8_u10 / powd4_u10 on
the vector pairs and std::pow on the rest (kernels/vecpow.vpow)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from gradcli.ad.kernels import vecpow
from gradcli.ad.ops.surface import SURFACE
from gradcli.ad.tensor import tensor_from_array

torch = pytest.importorskip("torch")


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.tobytes() == np.where(np.isnan(b), a, b).tobytes()


def _layouts(x: np.ndarray, y: np.ndarray) -> list[tuple[str, Callable[..., tuple]]]:
    """(name, take) pairs: take(module-like view maker) -> the two operands."""
    return [
        ("contiguous", lambda t, u: (t, u)),
        ("column", lambda t, u: (t[:, 0], u[:, 0])),
        ("transposed", lambda t, u: (t.t(), u.t())),
        ("transposed and contiguous", lambda t, u: (t.t(), u.t().contiguous())),
        ("broadcast row", lambda t, u: (t, u[0])),
        ("broadcast column", lambda t, u: (t, u[:, :1])),
        ("0-dim exponent", lambda t, u: (t, u[0, 0])),
        ("0-dim base", lambda t, u: (t[0, 0], u)),
    ]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["pow", "atan2", "logaddexp", "logaddexp2"])
def test_binary_sleef_kernels_are_pytorchs_on_every_layout(name: str, dtype: type) -> None:
    rng = np.random.default_rng(3)
    ours, theirs = SURFACE[f"torch.{name}"], getattr(torch, name)
    for n in (1, 2, 5, 7, 8, 9, 16, 17, 33, 70):
        x = rng.uniform(0.01, 5, (n, 3)).astype(dtype)
        y = rng.uniform(-3, 3, (n, 3)).astype(dtype)
        for layout, take in _layouts(x, y):
            a, b = take(tensor_from_array(x), tensor_from_array(y))
            ta, tb = take(torch.from_numpy(x), torch.from_numpy(y))
            assert _same(ours(a, b).array, theirs(ta, tb).numpy()), (n, layout)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pow_is_sleefs_with_its_special_values(dtype: type) -> None:
    """Every pair of special values (signed zeros, ±1, infinities, NaN, tiny and huge
    numbers, integral and fractional exponents of negative bases) and wide ranges."""
    rng = np.random.default_rng(4)
    special = np.array([0, -0.0, 1, -1, np.inf, -np.inf, np.nan, 0.5, 2, 3, -3, 1e-40, 1e30,
                        -2.5, 1e-300, 7.0])
    bx, by = np.meshgrid(special, special)
    x = np.concatenate([bx.ravel(), rng.uniform(-5, 5, 3000), np.exp(rng.uniform(-80, 80, 3000))])
    y = np.concatenate([by.ravel(), rng.integers(-6, 7, 3000), rng.uniform(-3, 3, 3000)])
    x, y = x.astype(dtype), y.astype(dtype)
    n = x.size - x.size % 16
    assert _same(vecpow.vpow(x[:n], y[:n]), torch.pow(torch.from_numpy(x[:n]),
                                                  torch.from_numpy(y[:n])).numpy())
    assert _same(SURFACE["torch.pow"](tensor_from_array(x), tensor_from_array(y)).array,
                 torch.pow(torch.from_numpy(x), torch.from_numpy(y)).numpy())


@pytest.mark.parametrize("n", [32767, 40001])
def test_big_loops_split_by_thread_as_pytorchs(n: int) -> None:
    """Past 32,768 elements each thread's chunk of the walk has its own scalar tail."""
    rng = np.random.default_rng(n)
    x = rng.uniform(0.01, 5, n).astype(np.float32)
    y = rng.uniform(-3, 3, n).astype(np.float32)
    ours = SURFACE["torch.pow"](tensor_from_array(x), tensor_from_array(y)).array
    assert _same(ours, torch.pow(torch.from_numpy(x), torch.from_numpy(y)).numpy())


@pytest.mark.parametrize("name", ["silu", "elu", "mish", "softplus"])
def test_activations_on_strided_inputs_are_pytorchs(name: str) -> None:
    rng = np.random.default_rng(5)
    ours, theirs = SURFACE[f"torch.nn.functional.{name}"], getattr(torch.nn.functional, name)
    for dtype in (np.float32, np.float64):
        for n in (3, 9, 17, 40):
            x = rng.uniform(-4, 4, (n, 3)).astype(dtype)
            t, tt = tensor_from_array(x), torch.from_numpy(x)
            assert _same(ours(t.t()).array, theirs(tt.T).numpy()), (name, n)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_mv_of_a_transposed_matrix_sums_in_order(dtype: type) -> None:
    """MKL's gemv on a column-major matrix (a transposed view, every mv backward's Wᵀ·g)
    adds the columns times v one after another, in both dtypes."""
    rng = np.random.default_rng(6)
    for r, c in [(2, 5), (3, 9), (5, 16), (8, 33), (17, 64), (40, 40)]:
        at = rng.standard_normal((c, r)).astype(dtype)
        v = rng.standard_normal(c).astype(dtype)
        ours = SURFACE["torch.mv"](tensor_from_array(at).t(), tensor_from_array(v)).array
        assert _same(ours, torch.mv(torch.from_numpy(at).T, torch.from_numpy(v)).numpy())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cdist_direct_kernel_is_pytorchs(dtype: type) -> None:
    """cdist without the matmul form (p = 2 with at most 25 rows, or another p): each
    pair's terms summed in order; for p = 2 squares fused into the sum past the last
    group of 4 floats (2 doubles), as PyTorch's compiled loop; other p through pow."""
    rng = np.random.default_rng(8)
    for r1, r2, m in [(3, 4, 1), (3, 4, 2), (10, 7, 5), (25, 25, 4), (20, 25, 8), (5, 20, 16),
                      (12, 13, 33), (2, 3, 67)]:
        x = rng.standard_normal((r1, m)).astype(dtype)
        y = rng.standard_normal((r2, m)).astype(dtype)
        for p, mode in [(2.0, "use_mm_for_euclid_dist_if_necessary"),
                        (2.0, "donot_use_mm_for_euclid_dist"), (1.0, None), (3.0, None),
                        (0.5, None), (float("inf"), None), (0.0, None)]:
            kw = {"compute_mode": mode} if mode else {}
            ours = SURFACE["torch.cdist"](tensor_from_array(x), tensor_from_array(y), p=p, **kw)
            theirs = torch.cdist(torch.from_numpy(x), torch.from_numpy(y), p=p, **kw)
            assert _same(ours.array, theirs.numpy()), (r1, r2, m, p, mode)
