"""Autograd as learners use it, compared with PyTorch's output (round 10): version
counters and views' bases, inference_mode as a decorator, forward-mode dual tensors'
repr, clamp with tensor bounds, and the node structure (grad_fn.next_functions) of ops
that PyTorch records as one node: addr, vdot, rsub, addbmm, renorm, the view scatters,
pairwise_distance, nll_loss, and multi-output nodes' output numbers."""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output


def _torch(text: str) -> str:
    # gd prints a node without its address (deterministic output), PyTorch with it
    return masked(torch_output(text))


PROGRAMS = {
    "version-counter": """
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
print(a._version, a._base)
b = a * 2
b.add_(1)
b[0] = 5
b += 1
print(b._version)
v = b.view(3)
v.zero_()
print(b._version, v._version, v._base is b, v[1:]._base is b)
d = b.detach()
d.fill_(1)
print(b._version, d._version, d._base)
with torch.no_grad():
    a.add_(1)
print(a._version)
x = torch.arange(4.).reshape(2, 2).clone()
print(x.T.reshape(4)._base, x.flatten()._base is x, x[0]._base is x, x.clone()._base)
""",
    "saved-version-message": """
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a.sigmoid()
c = b * 2
b.mul_(2)
print(b._version)
try:
    c.sum().backward()
except Exception as e:
    print(type(e).__name__, e)
""",
    "inference-mode-decorator": """
x = torch.ones(2, requires_grad=True)
@torch.inference_mode()
def g(a):
    print(torch.is_inference_mode_enabled(), torch.is_grad_enabled())
    return a + 1
y = g(x)
print(y.is_inference(), y.requires_grad)
@torch.inference_mode(False)
def h(a):
    print(torch.is_inference_mode_enabled(), torch.is_grad_enabled())
    return a + 1
with torch.inference_mode():
    print(h(x).requires_grad)
with torch.no_grad():
    with torch.inference_mode(False):
        print(torch.is_grad_enabled())
    print(torch.is_grad_enabled())
""",
    "materialize-grads": """
x = torch.ones(2, requires_grad=True)
y = torch.ones(2, requires_grad=True)
print(torch.autograd.grad((x * 2).sum(), [x, y], materialize_grads=True))
try:
    torch.autograd.grad((x * 2).sum(), [x, y], allow_unused=False, materialize_grads=True)
except Exception as e:
    print(type(e).__name__, e)
""",
    "dual-repr": """
import torch.autograd.forward_ad as fwAD
torch.manual_seed(0)
with fwAD.dual_level():
    a = fwAD.make_dual(torch.tensor(2.0), torch.tensor(3.0))
    print(a, a * a, a.exp())
    b = fwAD.make_dual(torch.randn(2, 3, dtype=torch.float64),
                       torch.randn(2, 3, dtype=torch.float64))
    print(b)
    print(b.sum(0))
    c = fwAD.make_dual(torch.tensor([1.0, 2.0], requires_grad=True), torch.ones(2))
    print(c, [a, c])
    print(fwAD.unpack_dual(a))
print(a)
print(fwAD.unpack_dual(a).tangent)
""",
    "clamp-tensor-bounds": """
torch.manual_seed(0)
x = torch.randn(5, requires_grad=True)
lo = torch.tensor(-0.5, requires_grad=True)
hi = torch.tensor([0.5, 0.5, -2.0, 0.3, 1.0], requires_grad=True)
y = torch.clamp(x, min=lo, max=hi)
print(y, y.grad_fn.next_functions)
y.sum().backward()
print(x.grad, lo.grad, hi.grad)
for t in [torch.clamp(x, min=lo), torch.clamp(x, max=hi), torch.clamp(x, min=torch.tensor(0.)),
          x.clamp_min(lo), x.clamp_max(hi), torch.clip(x, lo, hi)]:
    print(t.grad_fn, t.grad_fn.next_functions)
eq = torch.tensor([0.1, 0.1, 0.1, 0.1, 0.1], requires_grad=True)
x.grad = None
torch.clamp(x, min=eq, max=eq).sum().backward()
print(x.grad, eq.grad)
g = torch.autograd.grad(torch.clamp(x, lo, hi).pow(2).sum(), [x, lo, hi], create_graph=True)
print(g)
""",
    "composite-nodes": """
torch.manual_seed(0)
a = torch.randn(3, requires_grad=True)
b = torch.randn(4, requires_grad=True)
M = torch.randn(3, 4, requires_grad=True)
b1 = torch.randn(2, 3, 2, requires_grad=True)
b2 = torch.randn(2, 2, 4, requires_grad=True)
for y in [torch.addr(M, a, b), torch.addr(M, a, b, beta=0.5, alpha=2), torch.vdot(b, b),
          torch.rsub(M, M * 2), torch.rsub(M, 2, alpha=2), torch.addbmm(M, b1, b2),
          torch.renorm(M, 2, 0, 1.0), torch.select_scatter(M, b, 0, 1),
          torch.slice_scatter(M, M[:2] * 2, 0, 0, 2), torch.diagonal_scatter(M, a)]:
    print(y, y.grad_fn.next_functions)
    ins = [t for t in (a, b, M, b1, b2) if t.requires_grad]
    w = torch.arange(float(y.numel())).reshape(y.shape)
    g = torch.autograd.grad((y * w).sum(), ins, allow_unused=True, create_graph=True)
    print(g)
""",
    "addmm-alpha-grads": """
torch.manual_seed(0)
W = torch.randn(3, 4, requires_grad=True)
X = torch.randn(2, 3, requires_grad=True)
c = torch.randn(4, requires_grad=True)
for y in [torch.addmm(c, X, W, alpha=2, beta=3), torch.addmm(c, X, W, beta=0)]:
    print(torch.autograd.grad(y.sum(), [W, X, c], create_graph=True))
""",
    "loss-and-distance-nodes": """
import torch.nn.functional as F
torch.manual_seed(0)
a = torch.randn(4, 3, requires_grad=True)
b = torch.randn(4, 3, requires_grad=True)
d = F.pairwise_distance(a, b)
print(d, d.grad_fn.next_functions, d.grad_fn.next_functions[0][0].next_functions)
print(torch.autograd.grad(d.sum(), [a, b]))
k = torch.tensor([0, 1, 2, 0])
for t in [F.cross_entropy(a, k), F.nll_loss(a, k)]:
    print(t.grad_fn, t.grad_fn.next_functions)
""",
    "output-numbers": """
torch.manual_seed(0)
A = torch.randn(3, 3, requires_grad=True)
S = A @ A.T + torch.eye(3)
for t in [torch.logdet(S), torch.slogdet(S)[1], torch.linalg.eigh(S)[1], torch.linalg.eigh(S)[0],
          torch.linalg.svd(A)[0], torch.linalg.svd(A)[1], torch.linalg.svd(A)[2],
          torch.linalg.qr(A)[1], torch.std_mean(A, 0)[1], torch.var_mean(A, 0)[0],
          torch.aminmax(A, dim=0)[1], A.unbind(1)[2]]:
    print((t * 1).grad_fn.next_functions)
""",
    "jacobian-several-outputs": """
from torch.func import jacrev, jacfwd
from torch.autograd.functional import jacobian
torch.manual_seed(0)
x = torch.randn(3)
print(jacobian(lambda x: (x.sin(), x.cos()), x))
print(jacobian(lambda x: (x.sin(), x.cos()), x, vectorize=True))
print(jacrev(lambda x: (x.sin(), x.cos()))(x))
print(jacrev(lambda x: {"a": x.sin(), "b": x.cos() * 2})(x))
print(jacrev(lambda x, y: (x * y, x.sin()), argnums=(0, 1))(x, x))
print(jacfwd(lambda x: (x.sin(), x.cos()))(x))
""",
    "hessian-strict-vectorize": """
from torch.autograd.functional import hessian
torch.manual_seed(0)
x = torch.randn(3, requires_grad=True)
y = torch.randn(3)
for fn in [lambda: hessian(lambda a: a.sum(), x, strict=True),
           lambda: hessian(lambda a: (a * a).sum(), x, strict=True),
           lambda: hessian(lambda a, b: (a * b * a).sum(), (x, y), strict=True),
           lambda: hessian(lambda a, b: (a * b * a).sum(), (x, y), vectorize=True),
           lambda: hessian(lambda a: (a ** 3).sum(), x, vectorize=True, strict=True)]:
    try:
        print(fn())
    except Exception as e:
        print(type(e).__name__, e)
""",
    "vmap-function-name": """
from torch.func import vmap
try:
    vmap(torch.sin, in_dims=1)(torch.randn(2))
except Exception as e:
    print(type(e).__name__, e)
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_prints_what_pytorch_prints(name: str) -> None:
    text = "import torch\n" + PROGRAMS[name].lstrip("\n")
    assert masked(gd_output(text)) == _torch(text)
