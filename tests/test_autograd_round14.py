"""Autograd as tutorials and answers use it, compared with PyTorch's output (round 14):
calling a custom Function's instance (PyTorch's legacy-function error; .apply still
reachable on one, isinstance(obj, torch.autograd.Function)), the sizes and strides
mm/addmm save (F.linear's node is addmm(b, x, wᵀ): its mat1 is x, its mat2 wᵀ),
forward_ad's levels (enter/exit_dual_level, the level `as` gives, PyTorch's messages for
no level, a nested one and an integer primal), detect_anomaly's check_nan as a setting of
its own, and a leaf's .grad laid out as the leaf (a transposed leaf gets a transposed
grad: AccumulateGrad's layout contract), torch.autograd.graph.saved_tensors_hooks (each
saved tensor packed in PyTorch's order, backward and grad_fn._saved_x reading what unpack
gives) and save_on_cpu, F.linear's weight and bias changed in place after the forward
(PyTorch's AsStrided message, or no error), torch.func's refusal of non-tensor inputs and
stack_module_state."""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output


def _torch(text: str) -> str:
    # gd prints a node without its address (deterministic output), PyTorch with it
    return masked(torch_output(text))


_MY_EXP = """
class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        result, = ctx.saved_tensors
        return grad_output * result
"""

PROGRAMS = {
    "function-instance-called": _MY_EXP + """
x = torch.ones(2, requires_grad=True)
f = MyExp()
print(f.apply(x))
for call in (lambda: f(x), lambda: MyExp()(x)):
    try:
        call()
    except Exception as e:
        print(type(e).__name__, e)
print(isinstance(f, torch.autograd.Function), isinstance(x, torch.autograd.Function))
print(isinstance(MyExp, torch.autograd.Function), issubclass(MyExp, torch.autograd.Function))
class Sub(MyExp):
    pass
print(Sub.apply(x), isinstance(Sub(), MyExp))
try:
    Sub()(x)
except RuntimeError as e:
    print(e)
""",
    "mm-saved-sizes-and-strides": """
a = torch.ones(2, 3, requires_grad=True)
b = torch.ones(3, 2)
for y in (a @ b, b.t() @ a.t(), a.expand(4, 2, 3)[0] @ b):
    fn = y.grad_fn
    print(fn, fn._saved_self_sym_sizes, fn._saved_mat2_sym_sizes,
          fn._saved_self_sym_strides, fn._saved_mat2_sym_strides)
x = torch.ones(3, 1, requires_grad=True)
print((x.expand(3, 4).t() @ torch.ones(3, 2)).grad_fn._saved_self_sym_strides)
y = torch.addmm(torch.zeros(2), torch.ones(4, 3, requires_grad=True), b)
print([getattr(y.grad_fn, "_saved_" + n) for n in (
    "alpha", "beta", "mat1", "mat2", "mat1_sym_sizes", "mat2_sym_sizes",
    "mat1_sym_strides", "mat2_sym_strides")])
""",
    # nn.Linear's node: PyTorch's addmm(bias, x, weight.t()) -- mat1 is the input, mat2 the
    # transposed weight (a TBackward0 view), each saved for the other's derivative.
    "linear-saved-as-addmm": """
torch.manual_seed(0)
lin = torch.nn.Linear(3, 2)
names = ["mat1", "mat2", "alpha", "beta", "mat1_sym_sizes", "mat2_sym_sizes",
         "mat1_sym_strides", "mat2_sym_strides"]
for x in (torch.randn(4, 3), torch.randn(4, 3, requires_grad=True)):
    y = lin(x)
    for n in names:
        print(n, getattr(y.grad_fn, "_saved_" + n))
    print(y.grad_fn.next_functions)
y = torch.nn.functional.linear(torch.randn(4, 3, requires_grad=True), torch.randn(2, 3),
                               torch.randn(2))
for n in names:
    print(n, getattr(y.grad_fn, "_saved_" + n))
""",
    "forward-ad-levels": """
import torch.autograd.forward_ad as fwAD
try:
    fwAD.make_dual(torch.ones(2), torch.ones(2))
except RuntimeError as e:
    print(e)
try:
    with fwAD.dual_level():
        with fwAD.dual_level():
            pass
except RuntimeError as e:
    print(e)
lvl = fwAD.enter_dual_level()
print(lvl)
x = fwAD.make_dual(torch.tensor([1., 2.]), torch.tensor([3., 4.]))
print(fwAD.unpack_dual(x * x).tangent)
fwAD.exit_dual_level()
print(fwAD.unpack_dual(x).tangent)
with fwAD.dual_level() as level:
    print(level)
    for p, t in ((torch.tensor([1, 2]), torch.ones(2)), (torch.ones(2), torch.tensor([1, 2]))):
        try:
            fwAD.make_dual(p, t)
        except ValueError as e:
            print(e)
    d = fwAD.make_dual(torch.tensor([1., 2.]), torch.tensor([1., 1.]))
    e = d.clone()
    e.mul_(3)
    print(fwAD.unpack_dual(e).tangent, fwAD.unpack_dual(d[0]).tangent)
    print(fwAD.unpack_dual(d))
""",
    "anomaly-check-nan-setting": """
print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
with torch.autograd.detect_anomaly(check_nan=False):
    print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
    x = torch.tensor([0.], requires_grad=True)
    (x.sqrt() * 0).sum().backward()
    print(x.grad)
print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
torch.autograd.set_detect_anomaly(True, check_nan=False)
print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
torch.autograd.set_detect_anomaly(False)
print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
x = torch.tensor([0.], requires_grad=True)
try:
    with torch.autograd.detect_anomaly():
        (x.sqrt() * 0).sum().backward()
except RuntimeError as e:
    print(e)
""",
    "leaf-grad-layout": """
w = torch.ones(4, 3).t().requires_grad_()
(w * 2).sum().backward()
print(w.stride(), w.grad.stride(), w.grad.is_contiguous())
w2 = torch.ones(4, 3).t().requires_grad_()
(w2 @ torch.ones(4, 2)).sum().backward()
(w2 @ torch.ones(4, 2)).sum().backward()
print(w2.grad.stride(), w2.grad)
p3 = torch.ones(2, 3, 4).permute(2, 0, 1).requires_grad_()
(p3 * 3).sum().backward()
print(p3.stride(), p3.grad.stride())
p4 = torch.ones(4, 6)[:, ::2].requires_grad_()
(p4 * 3).sum().backward()
print(p4.stride(), p4.grad.stride())
p6 = torch.ones(4, 3).t().requires_grad_()
print(torch.autograd.grad((p6 * 3).sum(), p6)[0].stride())
for shape, big in (((3, 1), (3, 4)), ((1, 3), (2, 3)), ((2, 1, 3), (2, 5, 3)), ((1,), (4,))):
    x = torch.ones(shape, requires_grad=True)
    x.expand(big).sum().backward()
    print(x.grad.stride())
""",
    # The autograd tutorial's "Hooks for saved tensors": what each node saves goes through
    # pack_hook (in PyTorch's order: mul packs other, then self), backward reads unpack_hook's
    # result (x * 4 packed, / 4 unpacked: the same gradient; unpacked as zeros: zero grads).
    "saved-tensors-hooks-tutorial": """
def pack_hook(x):
    print("Packing", x)
    return x

def unpack_hook(x):
    print("Unpacking", x)
    return x
a = torch.ones(5, requires_grad=True)
b = torch.ones(5, requires_grad=True) * 2
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    y = a * b
y.sum().backward()
print(a.grad)
torch.manual_seed(0)
x = torch.randn(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda x: x * 4, lambda x: x / 4):
    y = torch.pow(x, 2)
y.sum().backward()
assert(x.grad.equal(2 * x))
with torch.autograd.graph.saved_tensors_hooks(lambda x: x, lambda x: x * 0):
    y = x.exp()
x.grad = None
y.sum().backward()
print(x.grad)
""",
    "saved-tensors-hooks-pack-order": """
torch.manual_seed(0)
a = torch.rand(2, 3, requires_grad=True)
b = torch.rand(2, 3, requires_grad=True)
m = torch.rand(3, 2, requires_grad=True)
seen = []
def pack(x):
    seen.append("a" if x is a else "b" if x is b else "m" if x is m else
                x.grad_fn.name() if x.grad_fn else str(tuple(x.shape)))
    return x
tests = {
    "mul": lambda: a * b, "mul_const": lambda: a * b.detach(), "mul_scalar": lambda: a * 2,
    "div": lambda: a / b, "pow": lambda: a ** 2, "pow_t": lambda: a ** b,
    "exp": lambda: a.exp(), "tanh": lambda: a.tanh(), "sin": lambda: a.sin(),
    "log": lambda: a.log(), "sqrt": lambda: a.sqrt(), "mm": lambda: a @ m,
    "mv": lambda: a @ m[:, 0], "sum": lambda: a.sum(), "softmax": lambda: a.softmax(1),
    "mse": lambda: torch.nn.functional.mse_loss(a, b), "max": lambda: a.max(),
    "linear": lambda: torch.nn.functional.linear(a, m.t(), torch.ones(2)),
    "addmm": lambda: torch.addmm(torch.ones(2), a, m), "maximum": lambda: torch.maximum(a, b),
    "atan2": lambda: torch.atan2(a, b), "hypot": lambda: torch.hypot(a, b),
    "where": lambda: torch.where(a > 0.5, a, b), "prod": lambda: a.prod(1),
    "clamp": lambda: a.clamp(min=0.5), "gelu": lambda: torch.nn.functional.gelu(a),
}
for k, f in tests.items():
    seen.clear()
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda x: x):
        y = f()
    y.sum().backward()
    print(k, y.grad_fn.name(), seen)
""",
    "saved-tensors-hooks-reads": """
torch.manual_seed(0)
def pack(x):
    print("pack", x.shape, x.requires_grad)
    return x
def unpack(x):
    print("unpack", x.shape)
    return x
class Sq(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k):
        print("forward")
        ctx.save_for_backward(x)
        ctx.k = k
        return x * x * k
    @staticmethod
    def backward(ctx, g):
        print("backward")
        x, = ctx.saved_tensors
        return 2 * x * g * ctx.k, None
a = torch.randn(3, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    y = Sq.apply(a, 2.0)
y.sum().backward()
print(a.grad)
b = torch.randn(2, 3, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    z = b.sin()
    print(z.grad_fn._saved_self, z.grad_fn._saved_self is b)
z.sum().backward(retain_graph=True)
z.sum().backward()
print(b.grad)
with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: 5):
    w = b.exp()
try:
    w.sum().backward()
except Exception as e:
    print(type(e).__name__, e)
def inner_unpack(p):
    print(p[0])
    return p[1]
with torch.autograd.graph.saved_tensors_hooks(lambda t: ("outer", t), lambda p: p[1]):
    with torch.autograd.graph.saved_tensors_hooks(lambda t: ("inner", t), inner_unpack):
        q = b.cos()
    r = b.tan()
q.sum().backward()
r.sum().backward()
c = torch.randn(3, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda t: t.detach().clone(), lambda t: t):
    s = (c * c).sum()
g, = torch.autograd.grad(s, c, create_graph=True)
print(g)
g.sum().backward()
print(c.grad)
sizes = []
def count(t):
    sizes.append(t.numel())
    return t
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
with torch.autograd.graph.saved_tensors_hooks(count, lambda t: t):
    loss = model(torch.randn(5, 4)).pow(2).mean()
print(sizes, sum(sizes))
loss.backward()
print(model[0].weight.grad.sum())
with torch.autograd.graph.save_on_cpu(pin_memory=False):
    y = (a * a.exp()).sum()
y.backward()
print(a.grad)
""",
    # nn.Linear saves x and wᵀ (a view PyTorch regenerates as AsStrided once the weight
    # changed: the message GAN code meets after optimizer.step()), each only for the
    # other's derivative, and never the bias: changing the bias, or the weight when x needs
    # no grad, is no error.
    "linear-weight-changed-in-place": """
torch.manual_seed(0)
def attempt(f):
    try:
        f()
        print("ok")
    except RuntimeError as e:
        print(e)
lin = torch.nn.Linear(4, 2)
x = torch.randn(3, 4, requires_grad=True)
o = lin(x)
with torch.no_grad():
    lin.weight.add_(1)
attempt(lambda: o.sum().backward())
o = lin(x)
with torch.no_grad():
    lin.bias.add_(1)
attempt(lambda: o.sum().backward())
o = lin(torch.randn(3, 4))
with torch.no_grad():
    lin.weight.mul_(1)
attempt(lambda: o.sum().backward())
w = torch.randn(2, 4, requires_grad=True)
o = x @ w.t()
with torch.no_grad():
    w.add_(1)
attempt(lambda: o.sum().backward())
opt = torch.optim.SGD(lin.parameters(), lr=0.1)
out = lin(x).pow(2).sum()
out.backward(retain_graph=True)
opt.step()
attempt(lambda: out.backward())
seq = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
o = seq(torch.randn(5, 4))
with torch.no_grad():
    for p in seq.parameters():
        p.sub_(0.1)
attempt(lambda: o.mean().backward())
""",
    "func-non-tensor-inputs": """
from torch.func import jacfwd, jacrev, vjp, grad, hessian
for f in [lambda: jacfwd(lambda t: t * 2)(3.0), lambda: jacrev(lambda t: t * 2)(3.0),
          lambda: vjp(lambda t: t * 2, 3.0),
          lambda: grad(lambda t, k: (t * k).sum(), argnums=(0, 1))(torch.ones(2), 2.0),
          lambda: hessian(lambda t: t.sum())(2.0),
          lambda: grad(lambda t: t[0].sum())((torch.ones(2), None)),
          lambda: grad(lambda d: (d["w"] ** 2).sum())({"w": torch.ones(2)})]:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
""",
    # The torch.func model-ensembling tutorial (without its .to('meta') base copy).
    "func-stack-module-state": """
import copy
from torch.func import stack_module_state, functional_call, vmap
torch.manual_seed(0)
class MLP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(6, 5)
        self.bn = torch.nn.BatchNorm1d(5)
        self.fc2 = torch.nn.Linear(5, 2)
    def forward(self, x):
        return self.fc2(torch.relu(self.bn(self.fc1(x))))
models = [MLP().eval() for _ in range(3)]
data = torch.randn(3, 4, 6)
params, buffers = stack_module_state(models)
print({k: (tuple(v.shape), v.requires_grad, v.is_leaf) for k, v in params.items()})
print({k: tuple(v.shape) for k, v in buffers.items()})
base = copy.deepcopy(models[0])
def fmodel(p, b, x):
    return functional_call(base, (p, b), (x,))
out = vmap(fmodel)(params, buffers, data)
print(out.detach())  # (its grad_fn is the batched op's in PyTorch, gd's StackBackward0)
print(torch.allclose(out, torch.stack([m(d) for m, d in zip(models, data)])))
print(vmap(fmodel, in_dims=(0, 0, None))(params, buffers, data[0]).shape)
for bad in ([], [MLP(), MLP().eval()], [MLP(), torch.nn.Linear(2, 2)]):
    try:
        stack_module_state(bad)
    except RuntimeError as e:
        print(e)
""",
    "function-ctx-and-gradient-types": """
class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y, n):
        print(type(ctx).__name__, type(ctx), ctx.needs_input_grad)
        print(ctx)
        ctx.save_for_backward(x, None, y)
        ctx.n = n
        return x * n + y
    @staticmethod
    def backward(ctx, g):
        x, none, y = ctx.saved_tensors
        print(none, ctx.n, ctx.needs_input_grad)
        return g * ctx.n, g, None
x = torch.ones(2, requires_grad=True)
out = F.apply(x, torch.ones(2), 3)
out.sum().backward()
print(x.grad, isinstance(out.grad_fn, torch.autograd.graph.Node), torch.autograd.graph.Node)
print(isinstance(out.grad_fn.next_functions[0][0], torch.autograd.graph.Node),
      isinstance(x, torch.autograd.graph.Node))
for val in [1.0, 2, [1.0, 1.0], "a", (torch.ones(2),), True]:
    class W(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2
        @staticmethod
        def backward(ctx, g):
            return val
    try:
        W.apply(x).sum().backward()
        print(x.grad)
    except Exception as e:
        print(type(e).__name__, e)
""",
    # WGAN-GP's gradient penalty as most code writes it (only_inputs=True, deprecated and
    # ignored), grad()'s arguments by position in PyTorch's order, the legacy Variable.
    "gradient-penalty-only-inputs": """
import torch.nn as nn
from torch.autograd import Variable
torch.manual_seed(0)
D = nn.Sequential(nn.Linear(4, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))
real, fake, alpha = torch.randn(6, 4), torch.randn(6, 4), torch.rand(6, 1)
interpolates = (alpha * real + ((1 - alpha) * fake)).requires_grad_(True)
d_interpolates = D(interpolates)
gradients = torch.autograd.grad(
    outputs=d_interpolates, inputs=interpolates,
    grad_outputs=torch.ones(real.shape[0], 1, requires_grad=False),
    create_graph=True, retain_graph=True, only_inputs=True)[0]
gradient_penalty = ((gradients.view(6, -1).norm(2, dim=1) - 1) ** 2).mean()
print(gradient_penalty)
gradient_penalty.backward()
print(D[0].weight.grad.sum(), D[2].bias.grad)
p = torch.randn(4, requires_grad=True)
f = (p ** 3).sum() + (p[0] * p[1])
print(torch.autograd.grad(f, p, None, True, True, False))
print(torch.autograd.grad(f, [p, torch.ones(1, requires_grad=True)], None, None, False, True,
                          True))
v = Variable(torch.ones(2, 2), requires_grad=True)
print(v, isinstance(v, Variable), isinstance(torch.ones(1), torch.autograd.Variable))
""",
    # Function.apply's keywords: with setup_context they are bound to forward's parameters
    # with the defaults (setup_context's inputs hold them all); without, forward takes them
    # as keywords and each is one more input (needs_input_grad, backward's count).
    "function-apply-keywords": """
x = torch.ones(2, requires_grad=True)
class S(torch.autograd.Function):
    @staticmethod
    def forward(x, k=2):
        return x * k
    @staticmethod
    def setup_context(ctx, inputs, output):
        print("inputs", len(inputs), inputs[1:])
        ctx.k = inputs[1]
    @staticmethod
    def backward(ctx, g):
        print(ctx.needs_input_grad)
        return g * ctx.k, None
for call in (lambda: S.apply(x), lambda: S.apply(x, 3), lambda: S.apply(x, k=4),
             lambda: S.apply(x, z=1)):
    try:
        r = call()
        r.sum().backward()
        print(r, x.grad)
    except Exception as e:
        print(type(e).__name__, e)
class O(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k=2):
        print(ctx.needs_input_grad)
        return x * k
    @staticmethod
    def backward(ctx, g):
        return g, None
print(O.apply(x, k=5), O.apply(x))
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_prints_what_pytorch_prints(name: str) -> None:
    text = "import torch\n" + PROGRAMS[name].lstrip("\n")
    assert masked(gd_output(text)) == _torch(text)
