"""Round 25, classic ML and numerical algorithms written from scratch with torch tensors
(regressions, clustering, PCA, Newton steps, Monte Carlo, least squares): the classes the
sample found, each as a small program of our own compared with what PyTorch prints."""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output

# torch.linalg.lstsq takes a right-hand side with one dimension fewer than A (a vector,
# or a batch of vectors): solved as one column, the solution returned without it while
# the residuals keep it; the gradients flow back through the same LinalgLstsqBackward0.
_LSTSQ_VECTOR_RHS = """
import torch
A = torch.tensor([[2., 1.], [1., 3.], [4., 1.], [0., 2.]], dtype=torch.float64,
                 requires_grad=True)
b = torch.tensor([1., 0., 2., 5.], dtype=torch.float64, requires_grad=True)
for driver in ("gelsy", "gelsd", "gels", "gelss"):
    r = torch.linalg.lstsq(A, b, driver=driver)
    print(driver, r.solution, r.residuals, r.rank, r.singular_values)
r = torch.linalg.lstsq(A, b, driver="gelss")
(r.solution * torch.tensor([1., -2.], dtype=torch.float64)).sum().backward()
print(A.grad, b.grad)
A.grad = b.grad = None
torch.linalg.lstsq(A, b, driver="gelss").residuals.sum().backward()
print(A.grad, b.grad)
batch = torch.stack([A.detach(), 2 * A.detach()])
r = torch.linalg.lstsq(batch, torch.ones(2, 4, dtype=torch.float64), driver="gelsd")
print(r.solution.shape, r.residuals.shape, r.rank)
"""


def test_lstsq_takes_a_vector_right_hand_side() -> None:
    assert masked(gd_output(_LSTSQ_VECTOR_RHS)) == masked(torch_output(_LSTSQ_VECTOR_RHS))


_LSTSQ_SHAPE_ERRORS = """
import torch
A = torch.ones(3, 2)
for B in (torch.ones(2), torch.ones(3, 2, 2), torch.tensor(1.), torch.ones(3, dtype=torch.float64),
          torch.ones(4, 1)):
    try:
        torch.linalg.lstsq(A, B)
    except RuntimeError as e:
        print(e)
"""


@pytest.mark.parametrize("program", [_LSTSQ_SHAPE_ERRORS])
def test_lstsq_shape_and_dtype_messages(program: str) -> None:
    assert gd_output(program) == torch_output(program)


# Gamma.cdf (and Chi2's) is the regularized lower incomplete gamma function of the
# concentration at rate * value, differentiable in the rate (IgammaBackward0), with the
# value checked against the support and PyTorch's message for the concentration's
# derivative.
_GAMMA_CDF = """
import torch
from torch.distributions import Gamma, Chi2
print(Gamma(torch.tensor([2.5, 0.5]), torch.tensor([1.0, 4.0])).cdf(torch.tensor([1.0, 0.3])))
print(Chi2(torch.tensor(4.0)).cdf(torch.tensor([0.5, 2.0, 9.5])))
rate = torch.tensor(1.5, requires_grad=True)
p = Gamma(torch.tensor(3.0), rate).cdf(torch.tensor(2.0))
p.backward()
print(p, rate.grad)
try:
    Gamma(2.0, 1.0).cdf(torch.tensor(-0.5))
except ValueError as e:
    print(e)
try:
    k = torch.tensor(2.0, requires_grad=True)
    Gamma(k, 1.0).cdf(torch.tensor(1.0)).backward()
except RuntimeError as e:
    print(e)
"""


def test_gamma_cdf_is_the_incomplete_gamma() -> None:
    assert gd_output(_GAMMA_CDF) == torch_output(_GAMMA_CDF)


# np.poly1d, numpy's polynomial class that numpy-style fitting code builds from polyfit's
# coefficients: called on numbers, arrays and tensors, combined with numbers and other
# polynomials (division gives quotient and remainder), indexed by power, printed as numpy
# prints it, and its coefficients, roots, derivative and integral as numpy gives them.
_POLY1D = """
import numpy as np
import torch
p = np.poly1d([2, -1, 3])
print(p)
print(repr(p), p.order, p.coeffs, p.c, p.roots, p.variable, len(p))
print(p(0.5), p(np.array([1.0, 2.0])), p(torch.tensor([0.0, 3.0])))
q = np.poly1d([1.0, 4.0])
print(p + q, p * q, 3 * p, p - 2, 1 - p, -p, p ** 3, sep="\\n")
print(p.deriv(), p.integ(k=2), p.deriv(2), p[0], p[2], p[7])
print(p == np.poly1d([2, -1, 3]), p != q, p(q), p / q)
x = np.linspace(-1, 1, 9)
print(np.poly1d(np.polyfit(x, 0.5 * x ** 3 - x, 3)))
print(np.poly1d([1, -2, 3], r=True), np.poly1d([1, 0, 5], variable='t'))
print(callable(p), [p(v) for v in range(3)], np.polyval(p, 2.0), np.polyder(p))
print(np.polyadd(p, q), np.polymul([1, 2], p), np.polyint(p, k=[1]))
try:
    p.coeffs = np.zeros(3)
except AttributeError as e:
    print("AttributeError", e)
"""


def test_numpy_poly1d() -> None:
    assert gd_output(_POLY1D) == torch_output(_POLY1D)
