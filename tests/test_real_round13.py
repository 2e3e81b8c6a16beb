"""Real PyTorch code as tutorials and Q&A answers write it, compared with PyTorch's output
(round 13): what a tensor hook, grad() and a custom backward receive behind a sum (the
expanded cotangent itself: stride 0 where it spreads, an in-place write refused there;
a mean's gradient is a fresh tensor), ..."""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output


def _torch(text: str) -> str:
    # gd prints a node without its address (deterministic output), PyTorch with it
    return masked(torch_output(text))


PROGRAMS = {
    # sum's backward hands on grad.expand(sizes): a hook that scales it in place is refused
    # (Stack Overflow's "modify gradient in a hook"); mean's grad / n is a new tensor.
    "hook-on-sum-input-in-place": """
x = torch.randn(3, 2, requires_grad=True)
def h(g):
    print(g.stride(), g.is_contiguous())
    g.mul_(3)
for reduce in (lambda t: t.sum(), lambda t: t.sum(0).sum(), lambda t: t.mean(),
               lambda t: (t * 1).sum(), lambda t: t.sum(1, keepdim=True).sum()):
    y = x * 2
    y.register_hook(h)
    try:
        reduce(y).backward()
        print(x.grad)
    except Exception as e:
        print(type(e).__name__, e)
    x.grad = None
x.sum().backward()
print(x.grad.stride())
x.grad.mul_(2)
print(x.grad)
""",
    "grad-of-sum-is-expanded": """
x = torch.randn(3, 2, requires_grad=True)
g, = torch.autograd.grad(x.sum(), x)
print(g.stride(), g.is_contiguous(), g)
try:
    g.add_(1)
except Exception as e:
    print(type(e).__name__, e)
print(g + 1)
print(torch.autograd.grad(x.mean(), x)[0].stride())
print(torch.autograd.grad((x * 2).sum(), x)[0].stride())
g, = torch.autograd.grad(x.sum(), x, create_graph=True)
print(g.stride())
class Double(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        return t * 2
    @staticmethod
    def backward(ctx, grad_output):
        print(grad_output.stride())
        grad_input = grad_output.clone()
        print(grad_input.stride())
        return grad_input * 2
Double.apply(x).sum().backward()
print(x.grad)
""",
    # forward mode (torch.func.jvp, forward_ad's dual numbers, jacobian's forward-mode
    # strategy): PyTorch's auto_element_wise rules run the backward formula on the tangent,
    # so tanh's 1 - y² is fused as in tanh_backward (y near ±1 cancels: 1e-5 relative off
    # with t · (1 - y·y)), sqrt's is t / (2·out), log's t / x, ...
    "forward-mode-elementwise": """
import torch.autograd.forward_ad as fwAD
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.rand(6) * 0.9 + 0.05
t = torch.randn(6)
for f in [torch.tanh, torch.sigmoid, torch.log, torch.sqrt, torch.reciprocal, torch.rsqrt,
          torch.log1p, torch.atanh, torch.asin, torch.acos, torch.atan, torch.log2, torch.log10,
          torch.logit, F.silu, torch.relu, torch.abs]:
    _, jt = torch.func.jvp(f, (x,), (t,))
    print(f.__name__, jt.tolist())
    with fwAD.dual_level():
        d = fwAD.make_dual(x.double(), t.double())
        print(fwAD.unpack_dual(f(d)).tangent.tolist())
W = torch.randn(2, 3)
print(torch.autograd.functional.jacobian(lambda v: torch.tanh(W @ v), torch.tensor([1., 2., 3.]),
                                         strategy="forward-mode", vectorize=True).tolist())
""",
    # inference tensors: a view of one is one (in any mode); a node refuses to save one
    # only where its formula saves that input (mm, a view's product: refused; where, cat,
    # a product whose other factor needs no grad: fine); an in-place change outside
    # inference mode writes the data, then fails (PyTorch's kernel runs before the
    # version bump that raises).
    "inference-tensors-saved-and-changed": """
with torch.inference_mode():
    a = torch.ones(3)
b = torch.ones(3, requires_grad=True)
B = torch.ones(3, 3, requires_grad=True)
print(a.view(1, 3).is_inference(), a[0].is_inference(), a.t().is_inference(),
      a.reshape(3, 1).is_inference(), a.clone().is_inference(), a.expand(2, 3).is_inference())
tests = {
    "mm": lambda: torch.mm(a.view(1, 3), b.view(3, 1)),
    "matmul": lambda: a @ B,
    "mul": lambda: b * a,
    "view-mul": lambda: a.view(1, 3) * b,
    "add": lambda: a + b,
    "div": lambda: b / a,
    "where": lambda: torch.where(a > 0, a, b),
    "cat": lambda: torch.cat([a, b]),
    "linear": lambda: torch.nn.functional.linear(a, B),
    "max": lambda: torch.maximum(a, b),
    "outer": lambda: torch.outer(a, b),
    "pow": lambda: b ** a,
    "exp-mul": lambda: a.exp() * b,
}
for k, f in tests.items():
    try:
        print(k, f().grad_fn)
    except RuntimeError as e:
        print(k, e)
for f in [lambda: a.add_(1), lambda: a.mul_(3), lambda: a.zero_(),
          lambda: a.copy_(torch.full((3,), 4.0)), lambda: a.fill_(9), lambda: a.clamp_(max=0.5)]:
    try:
        f()
    except RuntimeError as e:
        print(e)
    print(a)
try:
    a[0] = 7.0
except RuntimeError as e:
    print(e)
try:
    a += 1
except RuntimeError as e:
    print(e)
print(a)
""",
    # the legacy constructors of a numpy array (Stack Overflow's torch.Tensor(np_array)):
    # its values as float32 (torch.FloatTensor & co. cast them); torch.Tensor() is empty,
    # torch.Tensor(torch.Size) a size.
    "legacy-constructors-of-numpy": """
import numpy as np
np.random.seed(0)
a = np.random.randn(2, 2)
print(torch.Tensor(a), torch.Tensor(a).dtype, torch.FloatTensor(a).dtype)
print(torch.LongTensor(np.arange(3)), torch.Tensor((1, 2)),
      torch.DoubleTensor(np.ones(2, dtype=np.float32)), torch.LongTensor(a))
print(torch.Tensor(np.arange(3)), torch.Tensor(), torch.Tensor([]))
print(torch.Tensor(3, 2).shape, torch.Tensor([[1, 2]]), torch.Tensor(torch.Size([2, 1])).shape)
print(isinstance(torch.Tensor(a), torch.Tensor), type(torch.Tensor(a)))
""",
    # BatchNorm1d on (N, C) as PyTorch's CPU kernels round it: the statistics summed per
    # thread's chunk of rows then in double (the squares fused), 1/sqrt(var + eps) in
    # double, x·α + β fused; the running variance's update in double; the backward's sums
    # chunked the same way and dx's subtraction fused on whole vectors' channels. A mean's
    # gradient through it is rounding noise that Adam would blow up to ±lr: every bit counts.
    "batchnorm1d-bits": """
torch.manual_seed(0)
for c, n in [(3, 7), (8, 37), (11, 5), (16, 64)]:
    bn = torch.nn.BatchNorm1d(c)
    x = (torch.randn(n, c) * 3 + 1).requires_grad_()
    dy = torch.randn(n, c)
    out = bn(x)
    out.backward(dy)
    print(out.flatten().tolist()[:12], bn.running_mean.tolist(), bn.running_var.tolist())
    print(x.grad.flatten().tolist()[:12], bn.weight.grad.tolist(), bn.bias.grad.tolist())
    x.grad = None
    bn.eval()
    (bn(x) * dy).sum().backward()
    print(x.grad.flatten().tolist()[:6], bn.weight.grad.tolist()[:3])
bn = torch.nn.BatchNorm1d(5, affine=False)
x = torch.randn(9, 5, requires_grad=True)
g, = torch.autograd.grad(bn(x).pow(3).sum(), x, create_graph=True)
print(g.flatten().tolist()[:8], g.grad_fn)
g.sum().backward()  # (the second derivative's bits are our formula's)
print(torch.allclose(x.grad, torch.zeros(9, 5), atol=1e-5))
bn = torch.nn.BatchNorm1d(4).double()
z = torch.randn(10, 4, dtype=torch.float64, requires_grad=True)
(bn(z) * torch.arange(40.).reshape(10, 4)).sum().backward()
print(z.grad.tolist(), bn.weight.grad.tolist(), bn.running_var.tolist())
bn = torch.nn.BatchNorm1d(3, momentum=None)
w = torch.nn.Parameter(torch.randn(6, 3))
opt = torch.optim.Adam([w, *bn.parameters()], lr=0.1)
for i in range(4):
    opt.zero_grad()
    loss = bn(w * 2).mean() + bn(w).pow(2).mean()
    loss.backward()
    opt.step()
    print(loss.item(), w.grad.flatten().tolist()[:3])
print(bn.running_mean.tolist(), bn.running_var.tolist(), w.flatten().tolist()[:4])
""",
    # nn.Linear / F.linear given data of another dtype (numpy's float64 fed to a float32
    # model): addmm's checks, the bias first; without a bias, matmul's message.
    "linear-dtype-mismatch": """
import torch.nn.functional as F
w = torch.randn(2, 3)
b = torch.randn(2)
for x in [torch.randn(4, 3).double(), torch.randn(3).double(), torch.randn(2, 4, 3).double(),
          torch.randn(4, 3).long()]:
    for bb in [b, None]:
        try:
            F.linear(x, w, bb)
        except RuntimeError as e:
            print(e)
for args in [(torch.randn(4, 3), w.double(), b), (torch.randn(4, 3), w, b.double())]:
    try:
        F.linear(*args)
    except RuntimeError as e:
        print(e)
try:
    torch.nn.Linear(3, 2)(torch.randn(4, 3, dtype=torch.float64))
except RuntimeError as e:
    print(e)
print(torch.nn.Linear(3, 2).double()(torch.ones(1, 3, dtype=torch.float64)).dtype)
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_prints_what_pytorch_prints(name: str) -> None:
    text = "import torch\n" + PROGRAMS[name].lstrip("\n")
    assert masked(gd_output(text)) == _torch(text)
