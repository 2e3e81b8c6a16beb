"""Round 22 (science): numerics, science and classic-ML code as people write it to check
derivatives and teach autograd, each program compared with what PyTorch prints.

Found by round 22's probes (bench/realcode/t270-t329) and by the fuzzer's class (s)
(tests/fuzz/singular_strategies.py: derivatives at the points where PyTorch's backward
formulas have special cases):
- atan2's backward at the origin: PyTorch masks 1 / (a² + b²) to 0 where a² + b² is 0
  (also where the squares underflow), gradients ±0, where gd gave nan and ±inf;
- remainder's gradient for its divisor: -grad · div(a, b, rounding_mode='floor'), which
  is 9 for 1 % 0.1 where gd's floor(1 / 0.1) said 10 (a silent wrong answer), and whose
  own derivative is 0 (gd: 0 · inf = nan);
- sinc's backward multiplies grad by the quotient (gd divided grad · numerator: last bits);
- maximum/minimum/clamp to a tensor bound/fmax/fmin on zeros of opposite signs: ATen's
  vector loop gives the second, its scalar loop (and fmax/fmin's) the first;
- torch.pca_lowrank / svd_lowrank were not there; numpy's polyfit, the nan* statistics,
  the set functions, numpy.fft and more were AttributeErrors;
- torch.linalg.eig/eigvals of a complex matrix was an internal error, and eigh, svd,
  matrix_exp, det, inv and solve refused complex matrices.
"""

# ruff: noqa: E501  (the programs are written as their authors wrote them)
from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output

ATAN2_AT_THE_ORIGIN = """\
import torch
y = torch.tensor([0.0, 0.0, 1e-30, 0.0, -0.0], requires_grad=True)
x = torch.tensor([0.0, -0.0, 0.0, 1e-200, 0.0], requires_grad=True)
torch.atan2(y, x).sum().backward()
print(y.grad, x.grad)
y = torch.tensor([0.0, 1e-30], dtype=torch.float64, requires_grad=True)
x = torch.tensor([0.0, 1e-170], dtype=torch.float64, requires_grad=True)
g = torch.autograd.grad(torch.atan2(y, x).sum(), (y, x), create_graph=True)
print(g)
print(torch.autograd.grad(g[0].sum(), (y, x), allow_unused=True))
import torch.autograd.forward_ad as fw
with fw.dual_level():
    d = fw.make_dual(torch.tensor([0.0]), torch.tensor([1.0]))
    print(fw.unpack_dual(torch.atan2(d, torch.tensor([0.0]))).tangent)
"""

REMAINDER_DIVISOR_GRADIENT = """\
import torch
x = torch.tensor([1.0, 0.3, 7.0, -1.0], dtype=torch.float64, requires_grad=True)
y = torch.tensor([0.1, 0.1, 0.7, 0.1], dtype=torch.float64, requires_grad=True)
r = torch.remainder(x, y)
print(r)
r.sum().backward()
print(x.grad, y.grad)
y2 = torch.tensor([0.1, 0.1], requires_grad=True)
(torch.tensor([1.0, 0.3]) % y2).sum().backward()
print(y2.grad)
"""

ZERO_TIES = """\
import torch
for n in (1, 40):
    for dt in (torch.float32, torch.float64):
        a = torch.tensor([0.0, -0.0] * n, dtype=dt)
        b = torch.tensor([-0.0, 0.0] * n, dtype=dt)
        for f in (torch.maximum, torch.minimum, torch.fmax, torch.fmin, lambda p, q: torch.clamp(p, min=q), lambda p, q: torch.clamp(p, max=q), lambda p, q: torch.clamp(p, min=0.0), lambda p, q: torch.clamp(p, max=0.0), lambda p, q: p.clamp_min(q), lambda p, q: torch.max(p, q)):
            r = f(a, b)
            print(n, dt, r[:2].tolist(), r[-2:].tolist())
"""

LOWRANK = """\
import torch
torch.manual_seed(0)
X = torch.randn(12, 5, dtype=torch.float64)
U, S, V = torch.pca_lowrank(X, q=3)
print(U.shape, S, V.shape)
print((U[:, 0] * V[0, 0]).sign())
print(torch.dist(U @ torch.diag(S) @ V.T, (X - X.mean(0))).item() < 10)
U2, S2, V2 = torch.svd_lowrank(X.T, q=2, niter=3)
print(S2, U2.shape, V2.shape)
W = torch.randn(6, 4, requires_grad=True)
u, s, v = torch.svd_lowrank(W, q=2)
s.sum().backward()
print(W.grad.shape, type(s.grad_fn).__name__)
print(torch.pca_lowrank(torch.arange(12.0, dtype=torch.float64).view(4, 3), center=False, q=2)[1])
try:
    torch.pca_lowrank(X, q=9)
except ValueError as e:
    print("ValueError", e)
print(torch.randn(2))
"""

NUMPY_FUNCTIONS = """\
import numpy as np
x = np.linspace(-1, 1, 7)
y = 2 * x ** 3 - x + 0.5
p = np.polyfit(x, y, 3)
print(np.round(p, 10), np.polyval(p, 0.5).round(10), np.roots([1.0, -3.0, 2.0]))
print(np.polyder([1.0, 2.0, 3.0]), np.polyint([3.0, 2.0]), np.poly([1.0, 2.0]))
a = np.array([1.0, np.nan, 3.0, 4.0])
print(np.nanstd(a), np.nanvar(a), np.nanmedian(a), np.nanargmax(a), np.nancumsum(a), np.nanpercentile(a, 50))
print(np.isin([1, 5, 3], [3, 4, 5]), np.union1d([3, 1], [2, 1]), np.intersect1d([1, 2, 3], [2, 3, 4]), np.setdiff1d([1, 2, 3], [2]))
print(np.digitize([0.2, 1.5, 3.1], [0, 1, 2, 3]), np.append([1, 2], [3]), np.insert([1, 3], 1, 2), np.delete([1, 2, 3], 0))
print(np.sinc([0.0, 0.5]), np.unravel_index(5, (2, 3)), np.argpartition([4, 1, 3, 2], 1)[:1], np.lexsort(([1, 0, 1], [0, 0, 1])))
print(np.linalg.cond(np.array([[1.0, 2.0], [3.0, 4.0]])), np.linalg.multi_dot([np.eye(2), np.ones((2, 2)), np.eye(2)]))
print(np.abs(np.fft.rfft(np.sin(2 * np.pi * np.arange(8) / 8))).round(6), np.fft.fftfreq(4, d=0.5), np.fft.fftshift(np.arange(5)))
print(np.histogram2d([0.1, 0.6, 0.7], [0.2, 0.8, 0.9], bins=2)[0], np.cumulative_sum(np.arange(4)), np.gcd(12, 18))
"""

EIG_OF_COMPLEX_AND_NONFINITE = """\
import torch
c = torch.tensor([[1 + 1j, 2], [0.5j, -1]], dtype=torch.complex128)
print(torch.linalg.eigvals(c))
w, v = torch.linalg.eig(c)
print(w.abs().sort().values, v.abs())
for m in (torch.tensor([[float("nan")]]), torch.ones(2, 3), torch.ones(3), torch.ones(2, 2, dtype=torch.long)):
    try:
        torch.linalg.eigvals(m)
    except Exception as e:
        print(type(e).__name__, e)
"""

EIG_ERRORS = """\
import torch
for f in (torch.linalg.eigvals, torch.linalg.eig):
  for m in (torch.tensor([[float('nan')]]), torch.tensor([[float('inf'), 1.],[0., 2.]]), torch.full((2,1,1), float('nan')), torch.ones(2,2,dtype=torch.long), torch.ones(2,2,dtype=torch.bool), torch.ones(2,3), torch.ones(3)):
    try: print(f(m))
    except Exception as e: print(type(e).__name__, e)
"""

# Hermitian and unitary matrices as quantum-mechanics code builds them ('not supported'
# before round 22): eigh's real eigenvalues, svdvals, norms, matrix_exp, det, solve, inv.
COMPLEX_LINALG = """\
import torch
H = torch.tensor([[1.0, 0.5 - 0.2j], [0.5 + 0.2j, -0.3]], dtype=torch.complex128)
print(torch.linalg.eigvalsh(H), torch.linalg.eigh(H).eigenvalues.dtype, torch.linalg.eigh(H.to(torch.complex64)).eigenvalues.dtype)
print(torch.linalg.svdvals(H), torch.linalg.svd(H).S.dtype, torch.linalg.norm(H, 2), torch.linalg.matrix_norm(H))
print(torch.linalg.matrix_exp(torch.zeros(2, 2, dtype=torch.complex64)), torch.linalg.matrix_exp(1j * torch.eye(2)).dtype)
print(torch.linalg.det(torch.eye(2, dtype=torch.complex128) * 2j), torch.linalg.solve(torch.eye(2, dtype=torch.complex128) * 2, torch.ones(2, dtype=torch.complex128)))
print(torch.linalg.inv(torch.eye(2, dtype=torch.complex64) * (1 + 1j)))
v = torch.linalg.eigh(H).eigenvectors
print(v.abs(), v.dtype)
"""

# Products and running sums of complex tensors (gd's 'not supported' before round 22).
COMPLEX_PRODUCTS = """\
import torch
z = torch.tensor([[1 + 2j, 3 - 1j], [0.5j, -2.0 + 0j]], dtype=torch.complex128)
print(z.prod(), z.prod(1), z.prod(0, keepdim=True), z.cumsum(1), torch.cumsum(z, 0), z.cumprod(0))
print(torch.tensor([1 + 1j, 2j]).cumsum(0).dtype, torch.tensor([1 + 1j, 2j]).prod().dtype)
"""

SINC_GRADIENT_TIMES_QUOTIENT = """\
import torch
for dt in (torch.float32, torch.float64):
    x = torch.tensor([0.1, 0.7, 2.5, 0.0], dtype=dt, requires_grad=True)
    y = torch.tensor([0.3, 1e-30, 7.0, 1.0], dtype=dt, requires_grad=True)
    r = (torch.sinc(x) * y).sum()
    gx, gy = torch.autograd.grad(r, (x, y), create_graph=True)
    print(gx.tolist(), gy.tolist())
    print(torch.autograd.grad(gx.sum(), (x, y))[0].tolist())
"""


@pytest.mark.parametrize("program", [
    pytest.param(ATAN2_AT_THE_ORIGIN, id="atan2-origin"),
    pytest.param(REMAINDER_DIVISOR_GRADIENT, id="remainder-divisor"),
    pytest.param(SINC_GRADIENT_TIMES_QUOTIENT, id="sinc-grad"),
    pytest.param(ZERO_TIES, id="zero-ties"),
    pytest.param(LOWRANK, id="lowrank"),
    pytest.param(NUMPY_FUNCTIONS, id="numpy-functions"),
    pytest.param(EIG_OF_COMPLEX_AND_NONFINITE, id="eig-complex"),
    pytest.param(EIG_ERRORS, id="eig-errors"),
    pytest.param(COMPLEX_LINALG, id="complex-linalg"),
    pytest.param(COMPLEX_PRODUCTS, id="complex-products"),
])
def test_prints_what_pytorch_prints(program: str) -> None:
    assert masked(gd_output(program)) == masked(torch_output(program))


def test_remainder_divisor_gradient_literal() -> None:
    """What PyTorch 2.13 prints (without torch installed too): 1 % 0.1's divisor
    gradient is -9, the floor division of 1 by the double nearest 0.1."""
    out = gd_output("import torch\ny = torch.tensor([0.1, 0.1, 0.7], dtype=torch.float64, "
                    "requires_grad=True)\n(torch.tensor([1.0, 0.3, 7.0], dtype=torch.float64)"
                    " % y).sum().backward()\nprint(y.grad)\n")
    assert out == "tensor([ -9.,  -2., -10.], dtype=torch.float64)\n"


def test_atan2_origin_literal() -> None:
    out = gd_output("import torch\ny = torch.tensor([0.0, -0.0], requires_grad=True)\n"
                    "x = torch.tensor([0.0, 0.0], requires_grad=True)\n"
                    "torch.atan2(y, x).sum().backward()\nprint(y.grad, x.grad)\n")
    assert out == "tensor([0., 0.]) tensor([-0., 0.])\n"


def test_complex_leaf_that_requires_grad_says_why() -> None:
    """PyTorch makes it; gd records no complex derivatives and says so (it said only
    floating point and complex tensors can require gradients, of a complex tensor)."""
    out = gd_output("import torch\nx = torch.tensor([1.0 + 1j], requires_grad=True)\n")
    assert out.startswith("GdError complex tensors that require grad are not supported")
