"""Round 16, autograd as real code uses it: per-sample gradients and model ensembles with
torch.func (vmap's results as PyTorch's batched ops give them), products whose signed
zeros show in a dead ReLU's gradient, and `gradcli jvp` on programs that print dual
tensors or use forward mode themselves."""

from __future__ import annotations

import io

import numpy as np
import pytest
from pyrun import gd_output, masked, torch_output

from gradcli import app
from gradcli.app import AppOptions
from gradcli.source import Source

PROGRAMS = {
    # A single-sample step: relu's zero cotangent times a negative input. MKL's product
    # of a row or a column (gemv) starts from +0; a matrix keeps -0.
    "dead_relu_grad_sign": """
w = torch.tensor([[1.0, -2.0, 3.0]], requires_grad=True)
h = torch.tensor([[-1.0, 2.0, -3.0]])
torch.relu(h @ w.t()).sum().backward()
print(w.grad)
l = torch.nn.Linear(3, 2)
with torch.no_grad():
    l.weight.copy_(torch.tensor([[1.0, 1.0, 1.0], [-1.0, -1.0, -1.0]]))
    l.bias.zero_()
torch.relu(l(torch.tensor([[1.0, -2.0, 0.5]]))).sum().backward()
print(l.weight.grad)
z = torch.tensor([[0.0]])
r = torch.tensor([[-1.0, 2.0, -3.0]])
print(z @ r, r.t() @ z, torch.mm(z, r.double().t().t().float()))
print(torch.tensor([[0.0], [0.0]]) @ r, r.t() @ torch.tensor([[0.0, 0.0]]))
print(torch.zeros(1) @ -torch.ones(1, 4), torch.zeros(2, 1, 1) @ -torch.ones(1, 3))
""",
    # The per-sample-gradients tutorial: vmap(grad(loss)) over samples unsqueezed to a
    # batch of one; a dead ReLU unit's row is +0 (PyTorch's bmm), not the loop's -0.
    "per_sample_grads": """
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, vmap, grad
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(10, 8), nn.ReLU(), nn.Linear(8, 3))
data = torch.randn(6, 10)
targets = torch.randint(3, (6,))
params = {k: v.detach() for k, v in model.named_parameters()}
def compute_loss(params, sample, target):
    predictions = functional_call(model, params, (sample.unsqueeze(0),))
    return F.cross_entropy(predictions, target.unsqueeze(0))
g = vmap(grad(compute_loss), in_dims=(None, 0, 0))(params, data, targets)
for name, v in g.items():
    print(name, v.shape)
print(g['0.weight'][:, :3])
""",
    # The model-ensembling tutorial: stack_module_state's parameters require grad, so
    # vmap's result has the batched op's grad_fn (linear: an add after the product).
    "ensemble": """
import torch.nn as nn
import torch.nn.functional as F
from torch.func import stack_module_state, functional_call, vmap
torch.manual_seed(0)
models = [nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3)) for _ in range(3)]
params, buffers = stack_module_state(models)
def fmodel(params, buffers, x):
    return functional_call(models[0], (params, buffers), (x,))
x = torch.randn(3, 2, 6)
out = vmap(fmodel)(params, buffers, x)
print(out)
print(vmap(fmodel, in_dims=(0, 0, None))(params, buffers, x[0]).grad_fn)
out.sum().backward()
print(params['2.bias'].grad)
""",
    # vmap's result names: its batched op's, or a permute when moved to out_dims.
    "vmap_grad_fn_names": """
from torch.func import vmap
torch.manual_seed(0)
w = torch.randn(4, requires_grad=True)
W = torch.randn(3, 4, requires_grad=True)
A = torch.randn(5, 3, 4)
fs = [lambda x: torch.sin(x @ w), lambda x: (x * w).sum(), lambda x: (x * w).sum(0),
      lambda x: (x * w).mean(), lambda x: (x * w).prod(), lambda x: (x * w).t(),
      lambda x: (x * w)[1:], lambda x: x @ W.t(), lambda x: torch.tanh(x @ W.t()),
      lambda x: (x * w).logsumexp(-1)]
for f in fs:
    print(vmap(f)(A).grad_fn, vmap(f)(A[:, 0]).grad_fn)
print(vmap(lambda x: x.dot(w))(A[:, 0]).grad_fn)
print(vmap(lambda x: torch.sin(x * w), out_dims=1)(A).grad_fn)
""",
    # vmap's randomness: "error" (the default) refuses a draw (a Dropout in train mode),
    # "same" draws once for every slice, "different" draws per slice; the generator is
    # left where PyTorch's batched draw leaves it.
    "vmap_randomness": """
from torch.func import vmap
torch.manual_seed(0)
b = torch.randn(3, 4)
for mode in ['bad', 'same', 'different', 'error']:
    try:
        print(mode, vmap(lambda t: t + torch.rand(2).sum(), randomness=mode)(b).shape)
    except Exception as e:
        print(type(e).__name__, e)
print(vmap(lambda t: torch.rand(2), randomness='same')(b), torch.rand(2))
print(vmap(lambda t: torch.nn.functional.dropout(t, 0.5), randomness='same')(b))
print(vmap(lambda t: torch.nn.functional.dropout(t, 0.5), randomness='different')(b))
print(vmap(lambda t: vmap(lambda u: u * 0 + torch.rand(()), randomness='same')(t),
           randomness='different')(b), torch.randn(3))
model = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.Dropout(0.2))
try:
    vmap(model)(b)
except RuntimeError as e:
    print("model:", e)
print(vmap(model.eval())(b).shape, torch.rand(1))
""",
    # A leaf's AccumulateGrad hooks (gradient-sync code takes it from
    # p.expand_as(p).grad_fn): tensor hooks, pre-hooks (a replacement gradient), .grad,
    # post-accumulate hooks, post-hooks ((), (grad,)); autograd.grad runs none of them.
    "accumulate_grad_hooks": """
x = torch.tensor([1.0, 2.0], requires_grad=True)
acc = x.expand_as(x).grad_fn.next_functions[0][0]
h = acc.register_hook(lambda gi, go: print('post', gi, go, x.grad))
acc.register_prehook(lambda go: print('pre', go, x.grad))
x.register_hook(lambda g: print('tensor hook', g))
x.register_post_accumulate_grad_hook(lambda p: print('post acc', p.grad))
(x * 3).sum().backward()
acc.register_prehook(lambda go: (go[0] * 10,))
(x * 1).sum().backward()
h.remove()
print(torch.autograd.grad((x * 2).sum(), x))
(x * x).sum().backward(inputs=[x])
acc.register_hook(lambda gi, go: ((),))
try:
    (x * 1).sum().backward()
except RuntimeError as e:
    print(e)
print(x.grad)
""",
    # register_multi_grad_hook: "all" once a pass computed every gradient it computes
    # (None for the rest; autograd.grad of a leaf is PyTorch's error), "any" at the first.
    "multi_grad_hook": """
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
h = torch.autograd.graph.register_multi_grad_hook(
    (a, b), lambda gs: print("all", [g if g is None else g.tolist() for g in gs]))
print(type(h).__name__)
(a * b).sum().backward()
(a * 2).sum().backward()
try:
    torch.autograd.grad((a * b).sum(), [a])
except RuntimeError as e:
    print(e)
(a * b).sum().backward(inputs=[b])
h.remove()
h2 = torch.autograd.graph.register_multi_grad_hook((a, b), lambda g: print("any", g),
                                                   mode="any")
(a * b).sum().backward()
(b * 3).sum().backward()
h2.remove()
x, y = a * 2, b * 2
torch.autograd.graph.register_multi_grad_hook([x, y], lambda gs: print("nonleaf", gs))
(x * y).sum().backward(retain_graph=True)
x.sum().backward()
print(a.grad, b.grad)
""",
    # A custom function's outputs share its one node (grad_fn is, next_functions with the
    # output's number); needs_input_grad is what requires grad, even under no_grad.
    "custom_function_node": """
class TwoOut(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        print("needs", ctx.needs_input_grad)
        ctx.save_for_backward(a, b)
        return a + b, a * b
    @staticmethod
    def backward(ctx, ga, gb):
        a, b = ctx.saved_tensors
        return ga + gb * b, ga + gb * a
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0])
s, p = TwoOut.apply(a, b)
print(s.grad_fn is p.grad_fn, s.grad_fn, p.grad_fn.name(), s.grad_fn.next_functions)
print((s * 2).grad_fn.next_functions[0][0] is s.grad_fn, (p * 2).grad_fn.next_functions)
(s * 2 + p).sum().backward()
print(a.grad)
with torch.no_grad():
    print(TwoOut.apply(a, b))
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    text = "import torch\n" + PROGRAMS[name]
    assert masked(gd_output(text)) == masked(torch_output(text))


# (m, n) of an m×1 by 1×n product of zeros by negatives: +0 for a row or a column
# (PyTorch's gemv), -0 kept for a matrix; the same folded from a 3-D operand.
K1 = [(1, 1), (1, 3), (1, 300), (5, 1), (300, 1), (2, 2), (3, 64), (64, 64)]


@pytest.mark.parametrize("mn", K1, ids=[str(c) for c in K1])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_k1_product_zero_signs_are_pytorchs(mn: tuple[int, int], dtype: str) -> None:
    torch = pytest.importorskip("torch")
    from gradcli.ad.kernels import linalg as KL

    m, n = mn
    a = np.zeros((m, 1), dtype)
    b = -np.ones((1, n), dtype)
    want = torch.from_numpy(a) @ torch.from_numpy(b)
    assert np.array_equal(np.signbit(KL.mm(a, b)), torch.signbit(want).numpy())
    a3 = np.zeros((2, m, 1), dtype)
    want3 = torch.from_numpy(a3) @ torch.from_numpy(b)
    assert np.array_equal(np.signbit(KL.matmul(a3, b)), torch.signbit(want3).numpy())


DUAL_PRINTS = """
import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
print(y)
print(repr(y.sum()))
y.sum()
"""

OWN_FORWARD_MODE = """
import torch
import torch.autograd.forward_ad as fwAD
from torch.func import jvp
x = torch.tensor([1.0, 2.0], requires_grad=True)
with fwAD.dual_level():
    d = fwAD.make_dual(x, torch.tensor([1.0, 0.0]))
    print(fwAD.unpack_dual(torch.sin(d)).tangent)
print(fwAD.unpack_dual(x).tangent)
print(jvp(torch.cos, (x,), (torch.ones(2),))[1])
(x ** 3).sum()
"""


def _run_output(text: str) -> str:
    buf = io.StringIO()
    app.run(Source("p.py", text), AppOptions(write=buf.write))
    return buf.getvalue()


@pytest.mark.parametrize("text", [DUAL_PRINTS, OWN_FORWARD_MODE], ids=["dual", "own"])
def test_jvp_command_prints_what_run_prints(text: str) -> None:
    # The CLI's tangents are its own: the program prints no tangent=, and a program that
    # opens its own dual level runs (J·v then comes from the Jacobian).
    r = app.jvp(Source("p.py", text), AppOptions(wrt=["x"]), ["[1, 0.5]"])
    assert r.output == _run_output(text)
    x = np.array([1.0, 2.0])
    want = (np.exp(x) if text is DUAL_PRINTS else 3 * x ** 2) @ np.array([1.0, 0.5])
    jv = next(f for f in r.fields if f.key == "jvp").value
    assert np.allclose(jv.tensor.value, want, rtol=1e-6)


def test_jvp_by_reverse_refuses_a_tangent_of_another_shape() -> None:
    from gradcli.errors import GdInputError

    with pytest.raises(GdInputError, match="has shape"):
        app.jvp(Source("p.py", OWN_FORWARD_MODE), AppOptions(wrt=["x"]), ["[1, 2, 3]"])
