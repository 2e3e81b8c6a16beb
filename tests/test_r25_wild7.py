"""Round 25, examples from PyTorch's own documentation (the `>>>` lines of docstrings and the
notes, run as scripts): the classes they found, each as a small program of our own compared
with what PyTorch prints."""

from __future__ import annotations

from pyrun import gd_output, torch_output

# torch.is_storage of a tensor's storage (typed or untyped) is True; of anything else,
# False. gd answered False for everything (written before gd had storage objects).
_IS_STORAGE = """
import torch
t = torch.arange(4.0)
for obj in (t.untyped_storage(), t[1:].untyped_storage(), t, [1, 2], None, 3.0,
            torch.zeros(0).untyped_storage()):
    print(torch.is_storage(obj))
"""


def test_is_storage_of_a_storage() -> None:
    assert gd_output(_IS_STORAGE) == torch_output(_IS_STORAGE)


# hermitian=True in torch.linalg.matrix_rank and torch.linalg.pinv: the singular values are
# |λ| of eigh on the LOWER triangle (the upper one is never read, so a non-symmetric input
# gives other answers than the SVD). gd ignored the flag: silently other ranks and inverses.
_HERMITIAN = """
import torch
torch.manual_seed(3)
A = torch.randn(3, 4, 4)
for h in (False, True):
    print(torch.linalg.matrix_rank(A, hermitian=h),
          torch.linalg.matrix_rank(A, atol=1.0, rtol=0.0, hermitian=h),
          torch.linalg.matrix_rank(A.double(), tol=0.8, hermitian=h))
C = torch.randn(2, 3, 3, dtype=torch.complex64)
print(torch.linalg.matrix_rank(C, atol=1.0, rtol=0.0, hermitian=True))
S = A @ A.mT
S[:, 0, 0] = 0
print(torch.linalg.matrix_rank(S, hermitian=True),
      torch.linalg.matrix_rank(S.tril(), hermitian=True))
try:
    torch.linalg.matrix_rank(torch.randn(3, 2), hermitian=True)
except RuntimeError as e:
    print("RuntimeError", e)
M = torch.randn(2, 3, 3, dtype=torch.float64, requires_grad=True)
P = torch.linalg.pinv(M, hermitian=True)
(P * torch.arange(9.0).reshape(3, 3)).sum().backward()
print(P, M.grad)
print(torch.linalg.pinv(M.detach(), hermitian=True, atol=0.5),
      torch.linalg.pinv(M.detach(), hermitian=True, rtol=0.6))
"""

# pinv's atol is compared with each matrix's own singular values: gd turned it into an rtol
# by the largest singular value of the whole batch, so a batch of matrices of different
# scales kept or dropped the wrong ones.
_PINV_ATOL = """
import torch
torch.manual_seed(3)
M = torch.randn(3, 3, 3, dtype=torch.float64)
M[1] *= 0.2
M[2] *= 5.0
print(torch.linalg.pinv(M, atol=0.5), torch.linalg.pinv(M, atol=0.5, rtol=0.3))
print(torch.linalg.pinv(M, atol=torch.tensor(0.5, dtype=torch.float64)))
print(torch.linalg.pinv(M, atol=0.0), torch.linalg.pinv(M, hermitian=True, atol=2.0))
"""


def test_pinv_atol_is_per_matrix() -> None:
    assert gd_output(_PINV_ATOL) == torch_output(_PINV_ATOL)


def test_hermitian_flag_reads_the_lower_triangle() -> None:
    assert gd_output(_HERMITIAN) == torch_output(_HERMITIAN)


# torch.thread_safe_generator() (also torch.random.thread_safe_generator): None outside a
# DataLoader thread worker, so the global generator draws.
_THREAD_SAFE = """
import torch
from torch.random import thread_safe_generator
torch.manual_seed(0)
g = thread_safe_generator()
print(g, torch.thread_safe_generator())
print(torch.randint(0, 10, (5,), generator=g), torch.rand(2, generator=g))
"""


def test_thread_safe_generator_is_none_in_the_main_process() -> None:
    assert gd_output(_THREAD_SAFE) == torch_output(_THREAD_SAFE)


# torch.distributions.InverseGamma: 1/X of a Gamma (PyTorch's TransformedDistribution of a
# PowerTransform(-1)): draws, log_prob, the moments with their inf branches, rsample's
# gradient, its repr, and isinstance of TransformedDistribution as for every kind PyTorch
# derives from it.
_INVERSE_GAMMA = """
import torch
from torch.distributions import InverseGamma, TransformedDistribution, Weibull, LogNormal
torch.manual_seed(0)
m = InverseGamma(torch.tensor([2.0, 3.5]), torch.tensor([3.0, 1.0]))
print(m, m.sample(), m.sample((2,)), m.concentration, m.rate)
print(m.mean, m.mode, m.variance, m.entropy(), m.log_prob(torch.tensor([0.5, 2.0])))
print(InverseGamma(torch.tensor(0.5), torch.tensor(1.0)).mean, InverseGamma(1.5, 2.0).variance)
c = torch.tensor([2.5], requires_grad=True)
x = InverseGamma(c, torch.tensor([2.0])).rsample((3,))
x.sum().backward()
print(x, c.grad, m.batch_shape, m.support, m.has_rsample)
for d in (m, Weibull(1.0, 2.0), LogNormal(0.0, 1.0)):
    print(isinstance(d, TransformedDistribution), issubclass(type(d), TransformedDistribution))
"""


def test_inverse_gamma() -> None:
    assert gd_output(_INVERSE_GAMMA) == torch_output(_INVERSE_GAMMA)


# type(d) of a distribution (or a transform) is its class: `type(d) is Normal`,
# issubclass(type(d), Distribution), type(d)(...) makes another. gd gave a stand-in type.
_DIST_TYPE = """
import torch
from torch.distributions import Normal, Distribution, Gamma, transforms
d = Normal(0.0, 1.0)
print(type(d), type(d) is Normal, issubclass(type(d), Normal), issubclass(type(d), Distribution))
print(type(d)(1.0, 2.0), type(Gamma(1.0, 1.0)).__name__)
t = transforms.ExpTransform()
print(type(t), type(t) is transforms.ExpTransform)
"""


def test_type_of_a_distribution_is_its_class() -> None:
    assert gd_output(_DIST_TYPE) == torch_output(_DIST_TYPE)


# F.native_channel_shuffle and torch.native_channel_shuffle: channel_shuffle's other spelling.
_NATIVE_SHUFFLE = """
import torch
import torch.nn.functional as F
x = torch.arange(16.0).reshape(1, 4, 2, 2)
print(F.native_channel_shuffle(x, 2), torch.native_channel_shuffle(x, 4).flatten())
try:
    F.native_channel_shuffle(torch.ones(1, 3, 2), 2)
except RuntimeError as e:
    print(e)
"""


def test_native_channel_shuffle() -> None:
    assert gd_output(_NATIVE_SHUFFLE) == torch_output(_NATIVE_SHUFFLE)


# A post-accumulate-grad hook runs in the engine's grad mode (off unless create_graph), so
# the docs' `lambda p: p.add_(p.grad, alpha=-lr)` SGD step works on the leaf; what a hook
# returns is handed to the next one, and the chain must end on the leaf itself or None
# (another tensor: RuntimeError; another size: the size message; not a tensor: TypeError).
_POST_ACCUMULATE = """
import torch
v = torch.tensor([0.0, 0.0, 0.0], requires_grad=True)
h = v.register_post_accumulate_grad_hook(lambda p: p.add_(p.grad, alpha=-0.5))
v.register_post_accumulate_grad_hook(lambda p: print(torch.is_grad_enabled(), p))
v.backward(torch.tensor([1.0, 2.0, 3.0]))
(v * v).sum().backward()
print(v, v.grad)
h.remove()
w = torch.tensor([1.0, 2.0], requires_grad=True)
w.register_post_accumulate_grad_hook(lambda p: torch.zeros(2))
w.register_post_accumulate_grad_hook(lambda p: print("second", p.grad, p))
try:
    (w * w).sum().backward()
except RuntimeError as e:
    print(e)
for bad in (lambda p: "x", lambda p: torch.zeros(3)):
    z = torch.tensor([1.0, 2.0], requires_grad=True)
    z.register_post_accumulate_grad_hook(bad)
    try:
        (z * z).sum().backward()
    except (TypeError, RuntimeError) as e:
        print(type(e).__name__, e)
"""


def test_post_accumulate_hooks_run_without_grad_and_chain() -> None:
    assert gd_output(_POST_ACCUMULATE) == torch_output(_POST_ACCUMULATE)


# torch.distributions.FisherSnedecor(df1, df2): X1 / X2 of two Gammas drawn in PyTorch's
# order; its mean, mode and variance with their nan branches, log_prob, rsample's gradient.
_FISHER = """
import torch
from torch.distributions import FisherSnedecor
torch.manual_seed(0)
m = FisherSnedecor(torch.tensor([1.0, 5.0, 3.0]), torch.tensor([2.0, 6.0, 10.0]))
print(m, m.sample(), m.sample((2,)))
print(m.mean, m.mode, m.variance, m.batch_shape, m.support)
print(m.log_prob(torch.tensor([0.5, 1.0, 2.0])))
d = torch.tensor([4.0], requires_grad=True)
y = FisherSnedecor(d, torch.tensor([7.0])).rsample((3,))
y.sum().backward()
print(y, d.grad, FisherSnedecor(3.0, 8.0).sample())
"""


def test_fisher_snedecor() -> None:
    assert gd_output(_FISHER) == torch_output(_FISHER)
