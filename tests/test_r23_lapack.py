"""Round 23's models of MKL's LAPACK on its AVX-512 path (kernels/mkl_lapack_*.py): getrs
of 3×3 with several columns (inv of 3×3) and of any order past 8 columns, the transposed
getrs of 3..8 (solve's gradient, left=False), float64 cholesky(upper=True) past 9×9,
Householder QR (geqrf + orgqr) up to 16×16.
Programs print PyTorch's bits where the models apply; numpy's LAPACK elsewhere."""

from __future__ import annotations

import numpy as np
import pytest
from pyrun import gd_output, torch_output

from gradcli.ad.kernels import mkl_lapack_chol, mkl_lapack_lu, mkl_lapack_qr
from gradcli.ad.kernels.mkl_path import mkl_avx512

on_path = pytest.mark.skipif(not mkl_avx512(), reason="MKL's AVX-512 path (Intel) only: "
                             "other hosts keep numpy's LAPACK")

SOLVE = """
import torch
g = torch.Generator().manual_seed(SEED)
for dt in (torch.float64, torch.float32):
    for n in (3, 4, 6, 7, 8, 9):
        A = torch.randn(2, n, n, generator=g, dtype=dt)
        B = torch.randn(2, n, 3, generator=g, dtype=dt)
        print(torch.linalg.inv(A).tolist())
        print(torch.linalg.solve(A, B).tolist(), torch.linalg.solve(A, B[..., :2]).tolist())
        print(torch.linalg.solve(A, torch.randn(2, n, 10, generator=g, dtype=dt)).tolist())
        print(torch.linalg.solve(A, B.mT, left=False).tolist())
        Ar = A.clone().requires_grad_()
        Br = B.clone().requires_grad_()
        X = torch.linalg.solve(Ar, Br)
        (X * torch.tensor([1.0, -2.0, 0.5], dtype=dt)).sum().backward()
        print(Br.grad.tolist())
        if dt == torch.float64:  # float32's grad_A: an sgemm of its own
            print(Ar.grad.tolist())
H = torch.tensor([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]], dtype=torch.float64)
grad = torch.tensor([0.3, -1.2, 0.7], dtype=torch.float64)
step = torch.linalg.solve(H, grad)
print(step.tolist(), torch.linalg.inv(H)[0, 1].item(), torch.linalg.inv(H).tolist())
"""

CHOL_UPPER = """
import torch
g = torch.Generator().manual_seed(SEED)
for n in (10, 12, 16):
    X = torch.randn(3, n, n, generator=g, dtype=torch.float64)
    A = X @ X.mT + n * torch.eye(n, dtype=torch.float64)
    R = torch.linalg.cholesky(A, upper=True)
    print(R.tolist(), torch.linalg.cholesky_ex(A, upper=True).L[0, -1, -1].item())
"""

QR = """
import torch
g = torch.Generator().manual_seed(SEED)
for dt in (torch.float64, torch.float32):
    for shape in ((2, 2), (3, 3), (4, 4), (5, 5), (5, 3), (8, 8), (4, 6), (16, 5), (12, 12)):
        A = torch.randn(2, *shape, generator=g, dtype=dt)
        Q, R = torch.linalg.qr(A)
        print(Q.tolist(), R.tolist(), Q.stride(), R.stride())
        Qc, Rc = torch.linalg.qr(A, mode="complete")
        print(Qc.tolist(), Rc.tolist(), torch.linalg.qr(A[0], mode="r")[1].tolist())
    X = torch.randn(10, 3, generator=g, dtype=dt)
    y = torch.randn(10, generator=g, dtype=dt)
    Q, R = torch.linalg.qr(X)
    print(R.diagonal().tolist(), torch.qr(X)[1][2, 2].item())
    if dt == torch.float64:  # float32's Qᵀy: an sgemv of its own
        beta = torch.linalg.solve_triangular(R, (Q.T @ y)[:, None], upper=True)
        print(beta[:, 0].tolist())
"""


@on_path
@pytest.mark.parametrize("seed", [0, 1])
def test_solve_inv_and_solves_gradient_print_pytorchs_bits(seed: int) -> None:
    """getrs with several columns (3×3: in pairs; past 8 columns: trsm) and the transposed
    getrs of 3..8 (the gradient of B, left=False)."""
    pytest.importorskip("torch")
    program = SOLVE.replace("SEED", str(seed))
    assert gd_output(program) == torch_output(program)


@on_path
@pytest.mark.parametrize("seed", [0, 1])
def test_float64_upper_cholesky_past_nine_prints_pytorchs_bits(seed: int) -> None:
    pytest.importorskip("torch")
    program = CHOL_UPPER.replace("SEED", str(seed))
    assert gd_output(program) == torch_output(program)


@on_path
@pytest.mark.parametrize("seed", [0, 1])
def test_qr_prints_pytorchs_bits(seed: int) -> None:
    """Q and R in every mode and both dtypes, their column-major strides, a float64
    least-squares fit through them."""
    pytest.importorskip("torch")
    program = QR.replace("SEED", str(seed))
    assert gd_output(program) == torch_output(program)


@pytest.mark.parametrize("n", [3, 4, 5, 6, 7, 8, 9, 12])
@pytest.mark.parametrize("k", [1, 2, 3, 9])
def test_the_getrs_models_solve_within_rounding(n: int, k: int) -> None:
    """On any host: every getrs kernel (plain and transposed) solves to a few ulps."""
    rng = np.random.default_rng(10 * n + k)
    a = rng.standard_normal((10, n, n)) + 2 * n * np.eye(n)
    b = rng.standard_normal((10, n, k))
    x = mkl_lapack_lu.solve(a, b)
    assert x is not None
    np.testing.assert_allclose(x, np.linalg.solve(a, b), rtol=1e-10, atol=1e-12)
    y = mkl_lapack_lu.solve_adjoint(a, b)
    assert y is not None
    np.testing.assert_allclose(y, np.linalg.solve(np.swapaxes(a, -1, -2), b), rtol=1e-10,
                               atol=1e-12)


@pytest.mark.parametrize("n", [10, 13, 16])
def test_the_upper_cholesky_model_factors_within_rounding(n: int) -> None:
    rng = np.random.default_rng(n)
    x = rng.standard_normal((10, n, n))
    a = x @ np.swapaxes(x, -1, -2) + n * np.eye(n)
    r = mkl_lapack_chol.potrf(a, upper=True)
    assert r is not None
    np.testing.assert_allclose(np.swapaxes(r, -1, -2) @ r, a, rtol=1e-12, atol=1e-11)


@pytest.mark.parametrize("shape", [(1, 4), (2, 2), (3, 3), (5, 5), (7, 3), (4, 9), (16, 16)])
def test_the_qr_model_factors_within_rounding(shape: tuple[int, int]) -> None:
    """On any host: Q has orthonormal columns, R is upper triangular and QR = A."""
    rng = np.random.default_rng(shape[0] * 17 + shape[1])
    a = rng.standard_normal((6, *shape))
    single = mkl_lapack_qr.qr(a.astype(np.float32), "reduced", "Q")
    assert single.dtype == np.float32
    np.testing.assert_allclose(single, mkl_lapack_qr.qr(a, "reduced", "Q"), atol=1e-4)
    for mode in ("reduced", "complete"):
        q = mkl_lapack_qr.qr(a, mode, "Q")
        r = mkl_lapack_qr.qr(a, mode, "R")
        np.testing.assert_allclose(q @ r, a, rtol=1e-12, atol=1e-12)
        eye = np.broadcast_to(np.eye(q.shape[-1]), (6, q.shape[-1], q.shape[-1]))
        np.testing.assert_allclose(np.swapaxes(q, -1, -2) @ q, eye, atol=1e-13)
        assert (np.tril(r, -1) == 0).all()
