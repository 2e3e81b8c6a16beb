"""Math ops whose last bits come from PyTorch's kernel formula, compared with PyTorch's
printed values (tolist(): 17 digits) at sizes on both sides of the vector loop (its
whole pairs of vectors and the scalar tail; 16 float32 / 8 float64 elements here):

- logaddexp, logaddexp2, atan2, hypot (float64): cpu_kernel_vec with SLEEF's functions
  on the vector pairs (exp2/log1p with the 1/ln 2 multiply contracted into an FMA,
  atan2f8_u10, hypotd4_u05) and the C library's on the tail;
- xlogy, sinc, asinh, acosh, i0, i1, digamma, entr, log_ndtr from -1 up (float32):
  scalar kernels calling the C library's float functions (logf, sinf, asinhf, expf,
  erfcf), not numpy's own float32 loops nor the double function rounded;
- prod in ATen's vector order; addmm/addmv where MKL's kernel starts from beta·c.
"""

from __future__ import annotations

import numpy as np
import pytest
from pyrun import gd_output, torch_output

from gradcli.ad.kernels import math as KM
from gradcli.ad.kernels import vecmath as VM

SIZES = (1, 5, 7, 8, 9, 15, 16, 17, 31, 33, 300)
DTYPES = ("torch.float32", "torch.float64")


def _program(dtype: str, n: int, prints: list[str], scale: str = "3") -> str:
    return "\n".join([
        "import torch", "torch.manual_seed(7)",
        f"a = torch.randn({n}, dtype={dtype}) * {scale}",
        f"b = torch.randn({n}, dtype={dtype}) * 2",
        f"w = torch.rand({n}, dtype={dtype})", *prints]) + "\n"


BINARY = [
    "print(torch.logaddexp(a, b).tolist())", "print(torch.logaddexp2(a, b).tolist())",
    "print(torch.atan2(a, b).tolist())", "print(torch.hypot(a, b).tolist())",
    "print(torch.logaddexp(a, b[:1]).tolist(), torch.atan2(a[:1], b).tolist())",
    "print(torch.logaddexp(a[0], b[0]).item(), torch.hypot(a[0], b[0]).item())",
]
SCALAR_LIBM = [
    "print(torch.xlogy(a, b.abs()).tolist(), torch.xlogy(0.5, b.abs()).tolist())",
    "print(torch.sinc(a).tolist())",
    "print(torch.asinh(a).tolist(), torch.acosh(b.abs() + 1).tolist())",
    "print(torch.special.i0(a).tolist(), torch.special.i1(b * 5).tolist())",
    "print(torch.digamma(a).tolist(), torch.special.entr(w).tolist())",
    "print(torch.special.log_ndtr(a.clamp(min=-1)).tolist())",
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
def test_vector_loop_binary_ops_print_torch_bits(dtype: str, n: int) -> None:
    text = _program(dtype, n, BINARY)
    assert gd_output(text) == torch_output(text)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", (5, 17, 300))
@pytest.mark.parametrize("scale", ("1e-3", "30"))
def test_binary_ops_at_other_scales(dtype: str, n: int, scale: str) -> None:
    text = _program(dtype, n, BINARY[:4], scale)
    assert gd_output(text) == torch_output(text)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", (5, 17, 300))
def test_c_library_float_functions_print_torch_bits(dtype: str, n: int) -> None:
    text = _program(dtype, n, SCALAR_LIBM, "5")
    assert gd_output(text) == torch_output(text)


@pytest.mark.parametrize("dtype", DTYPES)
def test_special_values(dtype: str) -> None:
    # every pair of special values, repeated so both the vector loop and the tail see them
    text = "\n".join([
        "import torch",
        f"v = torch.tensor([0.0, -0.0, float('inf'), -float('inf'), float('nan'), 1.0, -1.0,"
        f" 1e-40, 3e-39, 1e30], dtype={dtype})",
        "a = v.repeat_interleave(10).repeat(2)", "b = v.repeat(20)",
        "for f in (torch.logaddexp, torch.logaddexp2, torch.atan2, torch.hypot):",
        "    print(f(a, b).tolist())",
        "print(torch.xlogy(a, b).tolist())", "print(torch.sinc(v).tolist())",
    ]) + "\n"
    assert gd_output(text) == torch_output(text)


def test_atan2_agrees_with_sleef_on_many_values() -> None:
    """SLEEF's atan2 written out (vecpow.vatan2) against PyTorch's vector loop on 4096
    pairs spread over many magnitudes, both dtypes: bit for bit."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    for dt in (np.float32, np.float64):
        mag = 10.0 ** rng.uniform(-6, 6, (2, 4096))
        y, x = (rng.standard_normal((2, 4096)) * mag).astype(dt)
        want = torch.atan2(torch.from_numpy(y), torch.from_numpy(x)).numpy()
        assert np.array_equal(VM.kernel_loop(lambda M, a, b: M.atan2(a, b), y, x), want)
        want = torch.hypot(torch.from_numpy(y), torch.from_numpy(x)).numpy()
        assert np.array_equal(KM.hypot(y, x), want)
        want = torch.logaddexp2(torch.from_numpy(y), torch.from_numpy(x)).numpy()
        assert np.array_equal(KM.logaddexp2(y, x), want)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", (5, 16, 20, 31, 32, 33, 64, 100, 1000))
def test_prod_in_vector_order(dtype: str, n: int) -> None:
    """prod along contiguous memory: ATen's vectorized_inner_reduction (4 vector
    accumulators over whole groups of 4 vectors, then the rest one by one)."""
    text = "\n".join([
        "import torch", "torch.manual_seed(1)",
        f"x = torch.rand({n}, dtype={dtype}) * 0.5 + 0.75",
        f"m = torch.rand(3, {n}, dtype={dtype}) * 0.5 + 0.75",
        "print(x.prod().item(), m.prod().item(), m.t().prod().item())",
        "print(m.prod(1).tolist(), m.prod(-1, keepdim=True).tolist(), m.prod(0).tolist()[:4])",
    ]) + "\n"
    assert gd_output(text) == torch_output(text)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", ((7, 5, 3), (3, 37, 4), (2, 2, 2), (7, 5, 8), (1, 11, 1),
                                   (9, 40, 8), (5, 3, 2)))
@pytest.mark.parametrize("scalars", ("beta=0.5, alpha=2", "beta=1, alpha=0.3", "beta=0, alpha=0.7",
                                     "beta=1, alpha=1"))
def test_addmm_from_the_scaled_input(dtype: str, shape: tuple[int, int, int],
                                     scalars: str) -> None:
    """addmm with a row-major second matrix: MKL's gemm starts from beta·c and adds
    (alpha·a_ik)·b_kj in order, for a row-major and a column-major first matrix."""
    m, k, n = shape
    text = "\n".join([
        "import torch", "torch.manual_seed(2)",
        f"a = torch.randn({m}, {k}, dtype={dtype})", f"b = torch.randn({k}, {n}, dtype={dtype})",
        f"c = torch.randn({m}, {n}, dtype={dtype})",
        f"print(torch.addmm(c, a, b, {scalars}).tolist())",
        f"print(torch.addmm(c[0], a.t().contiguous().t(), b, {scalars}).tolist())",
    ]) + "\n"
    assert gd_output(text) == torch_output(text)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", ((7, 3), (7, 37), (2, 300), (64, 64), (300, 100)))
def test_addmv_of_a_column_major_matrix(dtype: str, shape: tuple[int, int]) -> None:
    """addmv of a transposed (column-major) matrix: MKL's gemv 'N' from beta·y, adding
    each column times alpha·x_k in order."""
    m, k = shape
    text = "\n".join([
        "import torch", "torch.manual_seed(3)",
        f"w = torch.randn({k}, {m}, dtype={dtype})", f"x = torch.randn({k}, dtype={dtype})",
        f"y = torch.randn({m}, dtype={dtype})",
        "for s in ((1, 1), (0.5, 2), (1, 0.3), (0, 0.7), (-1.5, 1)):",
        "    print(torch.addmv(y, w.t(), x, beta=s[0], alpha=s[1]).tolist())",
    ]) + "\n"
    assert gd_output(text) == torch_output(text)
