"""MKL's Cholesky (potrf), triangular solves (trsm, potrs) and LU (getrf, getrs) of small
matrices on its AVX-512 path (kernels/mkl_lapack_chol.py, mkl_lapack_trsm.py,
mkl_lapack_lu.py): linalg.cholesky, solve_triangular, cholesky_solve, lu_factor, det,
slogdet, solve and what builds on them print PyTorch's bits (a Gaussian process's 8×8
float64 kernel matrix printed its last digits off in round 21)."""

from __future__ import annotations

import numpy as np
import pytest
from pyrun import gd_output, torch_output

from gradcli.ad.kernels import mkl_lapack_chol, mkl_lapack_eigh, mkl_lapack_lu, mkl_lapack_trsm
from gradcli.ad.kernels.mkl_path import mkl_avx512

on_path = pytest.mark.skipif(not mkl_avx512(), reason="MKL's AVX-512 path (Intel) only: "
                             "other hosts keep numpy's LAPACK")

GP = """
import torch
g = torch.Generator().manual_seed(SEED)
x = torch.rand(8, generator=g, dtype=torch.float64) * 4
y = torch.sin(x) + 0.1 * torch.randn(8, generator=g, dtype=torch.float64)
K = 1 / (1 + (x[:, None] - x[None, :]) ** 2) + 0.01 * torch.eye(8, dtype=torch.float64)
L = torch.linalg.cholesky(K)
alpha = torch.cholesky_solve(y[:, None], L)
print(L[7, 7].item(), L[6, 2].item(), alpha[3, 0].item(), alpha.sum().item())
v = torch.linalg.solve_triangular(L, y[:, None], upper=False)
print(v.tolist(), (y @ alpha[:, 0]).item())
print(torch.linalg.cholesky(K, upper=True)[1, 5].item())
"""

FAMILY = """
import torch
g = torch.Generator().manual_seed(SEED)
for dt in (torch.float64, torch.float32):
    for n in (2, 3, 5, 8, 12):
        X = torch.randn(4, n, n, generator=g, dtype=torch.float64)
        A = (X @ X.mT + n * torch.eye(n, dtype=torch.float64)).to(dt)
        B = torch.randn(4, n, 3, generator=g, dtype=torch.float64).to(dt)
        L = torch.linalg.cholesky(A)
        print(L.tolist())
        print(torch.linalg.cholesky(A, upper=True).tolist())
        print(L.stride(), torch.linalg.cholesky_ex(A).L.tolist())
        print(torch.cholesky_solve(B, L).tolist(), torch.cholesky_solve(B[..., :1], L).tolist())
        print(torch.linalg.solve_triangular(L, B, upper=False).tolist())
        print(torch.linalg.solve_triangular(L.mT, B[..., 1:2], upper=True).tolist())
        print(torch.linalg.solve_triangular(L.mT.contiguous(), B[..., 1:2], upper=True).tolist())
        print(torch.linalg.solve_triangular(L, B.mT, upper=False, left=False).tolist())
        Lr = L.clone().requires_grad_()
        Br = B.clone().requires_grad_()
        x = torch.cholesky_solve(Br, Lr)
        (x * torch.arange(3.0, dtype=dt)).sum().backward()
        # float32's grad_L: its matrix products (MKL's sgemm of these shapes) are off
        print(x.grad_fn.name(), Br.grad.tolist(), Lr.grad.tolist() if dt == torch.float64 else "")
        Ar = A.clone().requires_grad_()
        (torch.linalg.cholesky(Ar) * B[..., :1]).sum().backward()  # cholesky_backward's trsm
        print(Ar.grad.tolist())
"""

LU = """
import torch
g = torch.Generator().manual_seed(SEED)
for dt in (torch.float64, torch.float32):
    for n in (2, 3, 4, 5, 8, 9, 12):
        A = torch.randn(3, n, n, generator=g, dtype=dt)
        B = torch.randn(3, n, 2, generator=g, dtype=dt)
        b = torch.randn(n, generator=g, dtype=dt)
        LU, piv = torch.linalg.lu_factor(A)
        P, L, U = torch.linalg.lu(A)
        print(LU.tolist(), piv.tolist(), L.tolist(), U.tolist())
        print(torch.linalg.det(A).tolist(), torch.det(A[0]).item())
        print(torch.linalg.slogdet(A), torch.logdet(A[1] + n * torch.eye(n, dtype=dt)).item())
        print(torch.linalg.solve(A[1], b).tolist())
        print(torch.linalg.solve(A, B).tolist(), torch.linalg.inv(A).tolist())
"""

EIGH2 = """
import torch
g = torch.Generator().manual_seed(SEED)
for dt in (torch.float32, torch.float64):
    X = torch.randn(6, 2, 2, generator=g, dtype=dt)
    A = X + X.mT
    w, V = torch.linalg.eigh(A)
    print(w.tolist(), V.tolist(), torch.linalg.eigvalsh(A).tolist())
    print(torch.linalg.eigh(A, UPLO="U")[1].tolist())
    print(torch.linalg.eigvalsh(A[0], UPLO="U").tolist())
H = torch.tensor([[2.0, 0.5], [0.5, 0.4]])
print(torch.linalg.eigvalsh(H).tolist())
"""


@on_path
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gaussian_process_prints_pytorchs_bits(seed: int) -> None:
    pytest.importorskip("torch")
    program = GP.replace("SEED", str(seed))
    assert gd_output(program) == torch_output(program)


@on_path
@pytest.mark.parametrize("seed", [0, 1])
def test_cholesky_and_triangular_family_prints_pytorchs_bits(seed: int) -> None:
    pytest.importorskip("torch")
    program = FAMILY.replace("SEED", str(seed))
    assert gd_output(program) == torch_output(program)


@on_path
@pytest.mark.parametrize("seed", [0, 1])
def test_lu_family_prints_pytorchs_bits(seed: int) -> None:
    """getrf for n = 3..16 (lu_factor, lu, det, slogdet) and getrs (3×3 with several
    columns since round 23)."""
    pytest.importorskip("torch")
    program = LU.replace("SEED", str(seed))
    assert gd_output(program) == torch_output(program)


@on_path
@pytest.mark.parametrize("seed", [0, 1])
def test_two_by_two_eigh_prints_pytorchs_bits(seed: int) -> None:
    """2×2 eigh/eigvalsh: LAPACK's dlaev2 in the matrix's dtype (a Newton step's Hessian)."""
    pytest.importorskip("torch")
    program = EIGH2.replace("SEED", str(seed))
    assert gd_output(program) == torch_output(program)


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 9, 16])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_models_factor_and_solve_within_rounding(n: int, dtype: type) -> None:
    """On any host: the models' factors reproduce A and their solves are the exact ones to
    a few ulps (every kernel variant: lower, upper, one and three columns, both layouts)."""
    rng = np.random.default_rng(n)
    x = rng.standard_normal((20, n, n))
    a = (x @ np.swapaxes(x, -1, -2) + n * np.eye(n)).astype(dtype)
    tol = 1e-4 if dtype == np.float32 else 1e-12
    for upper in (False, True):
        if mkl_lapack_chol.plan(n, dtype == np.float32, upper) is None:
            continue
        f = mkl_lapack_chol.potrf(a, upper)
        assert f is not None
        back = np.swapaxes(f, -1, -2) @ f if upper else f @ np.swapaxes(f, -1, -2)
        np.testing.assert_allclose(back, a, rtol=tol, atol=tol * n)
    low = np.linalg.cholesky(a.astype(np.float64)).astype(dtype)
    for k in (1, 3):
        b = rng.standard_normal((20, n, k)).astype(dtype)
        for upper in (False, True):
            tri = np.swapaxes(low, -1, -2) if upper else low
            want = np.linalg.solve(tri.astype(np.float64), b.astype(np.float64))
            for layout in (tri, np.ascontiguousarray(tri)):
                rows = mkl_lapack_trsm.row_major(layout)
                got = mkl_lapack_trsm.solve(layout, b, upper, rows=rows)
                np.testing.assert_allclose(got, want, rtol=tol * 10, atol=tol * 10)


def test_a_matrix_not_positive_definite_keeps_lapacks_error() -> None:
    """A pivot that is not positive leaves the model (None): the caller's LAPACK path
    reports the leading minor as PyTorch does."""
    a = np.array([[[4.0, 2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]]])
    assert mkl_lapack_chol.potrf(a) is None


@pytest.mark.parametrize("n", [3, 5, 8, 9, 16])
def test_the_lu_model_factors_and_solves_within_rounding(n: int) -> None:
    """On any host: getrf's model reproduces P·A = L·U, det and solve are LAPACK's to a
    few ulps (float64)."""
    rng = np.random.default_rng(n)
    a = rng.standard_normal((20, n, n))
    b = rng.standard_normal((20, n, 1))
    lu, piv, info = mkl_lapack_lu.getrf(a)
    assert (info == 0).all()
    low = np.tril(lu, -1) + np.eye(n)
    pa = a.copy()
    for j in range(n):
        p = piv[:, j] - 1
        rows = np.arange(20)
        top = pa[rows, j, :].copy()
        pa[rows, j, :] = pa[rows, p, :]
        pa[rows, p, :] = top
    np.testing.assert_allclose(low @ np.triu(lu), pa, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(mkl_lapack_lu.det(a), np.linalg.det(a), rtol=1e-10)
    x = mkl_lapack_lu.solve(a, b)
    if x is not None:
        np.testing.assert_allclose(x, np.linalg.solve(a, b), rtol=1e-8, atol=1e-10)


def test_the_two_by_two_eigh_model_diagonalises() -> None:
    """On any host: V diag(w) Vᵀ = A to rounding, V orthonormal, w ascending."""
    rng = np.random.default_rng(7)
    x = rng.standard_normal((50, 2, 2))
    a = x + np.swapaxes(x, -1, -2)
    w = mkl_lapack_eigh.eigh2(a, False, "eigenvalues")
    v = mkl_lapack_eigh.eigh2(a, False, "eigenvectors")
    assert (np.diff(w, axis=-1) >= 0).all()
    np.testing.assert_allclose(w, np.linalg.eigvalsh(a), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose((v * w[..., None, :]) @ np.swapaxes(v, -1, -2), a, atol=1e-12)
    np.testing.assert_allclose(np.swapaxes(v, -1, -2) @ v, np.broadcast_to(np.eye(2), a.shape),
                               atol=1e-12)
