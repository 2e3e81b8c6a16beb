"""MKL's LU of 2×2 matrices on its AVX-512 path (kernels/lapack2.py): linalg.solve, inv,
det, lu_factor and what builds on them print PyTorch's bits (Newton's method on a
2-parameter function: the Hessian solve; round 21 found its last digits off)."""

from __future__ import annotations

import numpy as np
import pytest
from pyrun import gd_output, torch_output

from gradcli.ad.kernels import lapack2
from gradcli.ad.kernels.mkl_path import mkl_avx512

on_path = pytest.mark.skipif(not mkl_avx512(), reason="MKL's AVX-512 path (Intel) only: "
                             "the AVX2 path's 2×2 LU is not measured")

PROGRAM = """
import torch
g = torch.Generator().manual_seed(SEED)
for dt in (torch.float32, torch.float64):
    A = torch.randn(5, 2, 2, generator=g, dtype=dt)
    B = torch.randn(5, 2, 3, generator=g, dtype=dt)
    v = torch.randn(2, generator=g, dtype=dt)
    print(torch.linalg.solve(A, B).tolist())
    print(torch.linalg.solve(A[0], v).tolist(),
          torch.linalg.solve(A, B.transpose(-1, -2), left=False).tolist())
    print(torch.linalg.inv(A).tolist(), torch.inverse(A[1]).tolist())
    print(torch.linalg.det(A).tolist(), torch.det(A[2]).item())
    LU, piv = torch.linalg.lu_factor(A)
    print(LU.tolist(), piv.tolist())
    P, L, U = torch.linalg.lu(A)
    print(L.tolist(), U.tolist())
    Ar = A.clone().requires_grad_()
    Br = B.clone().requires_grad_()
    x = torch.linalg.solve(Ar, Br)
    (x * torch.arange(6.0, dtype=dt).reshape(2, 3)).sum().backward()
    print(Ar.grad.tolist(), Br.grad.tolist())
    Ai = A.clone().requires_grad_()
    torch.linalg.inv(Ai).sum().backward()
    Ad = A.clone().requires_grad_()
    torch.linalg.det(Ad).sum().backward()
    print(Ai.grad.tolist(), Ad.grad.tolist())
"""


@on_path
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_two_by_two_lu_family_prints_pytorchs_bits(seed: int) -> None:
    pytest.importorskip("torch")
    program = PROGRAM.replace("SEED", str(seed))
    assert gd_output(program) == torch_output(program)


def test_the_model_solves_and_factors_within_rounding() -> None:
    """On any host: the model's solve, inverse and determinant are the exact ones to a few
    ulps, and its packed LU reproduces A (float64)."""
    rng = np.random.default_rng(4)
    a = rng.standard_normal((50, 2, 2))
    b = rng.standard_normal((50, 2, 3))
    np.testing.assert_allclose(lapack2.solve(a, b), np.linalg.solve(a, b), rtol=1e-9,
                               atol=1e-12)
    np.testing.assert_allclose(lapack2.det(a), np.linalg.det(a), rtol=1e-12, atol=1e-14)
    lu, piv = lapack2.packed(a)
    low = np.zeros_like(a)
    low[:, 0, 0] = low[:, 1, 1] = 1
    low[:, 1, 0] = lu[:, 1, 0]
    up = np.triu(lu)
    swapped = np.where((piv[:, 0] == 2)[:, None, None], a[:, ::-1], a)
    np.testing.assert_allclose(low @ up, swapped, rtol=1e-12, atol=1e-14)
    assert (piv[:, 1] == 2).all()


def test_singular_and_nonfinite_matrices_take_lapacks_path() -> None:
    """A zero pivot or a NaN/inf entry: the model steps aside (LAPACK's path reports
    PyTorch's error or propagates as it does); other shapes never take it."""
    assert not lapack2.applies(np.zeros((2, 2)))
    assert not lapack2.applies(np.array([[1.0, 2.0], [2.0, 4.0]]))
    assert not lapack2.applies(np.array([[np.nan, 1.0], [1.0, 1.0]]))
    assert not lapack2.applies(np.eye(3))
    assert not lapack2.applies(np.eye(2, dtype=np.int64))
    if mkl_avx512():
        assert lapack2.applies(np.eye(2)) and lapack2.applies(np.eye(2, dtype=np.float32))


@on_path
def test_singular_two_by_two_solve_keeps_pytorchs_error() -> None:
    pytest.importorskip("torch")
    program = ("import torch\n"
               "try:\n"
               "    torch.linalg.solve(torch.tensor([[1.0, 2.0], [2.0, 4.0]]), torch.ones(2))\n"
               "except Exception as e:\n"
               "    print(type(e).__name__, e)\n"
               "print(torch.linalg.det(torch.tensor([[1.0, 2.0], [2.0, 4.0]])))\n")
    assert gd_output(program) == torch_output(program)
