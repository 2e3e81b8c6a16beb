"""The autograd API as tutorials and Q&A answers use it, against PyTorch 2.13's output.

Each case is a whole program of one class: nn.Module hooks (forward, pre, with_kwargs,
full backward, backward pre, legacy), Linear's grad_fn.next_functions, @once_differentiable,
torch.autograd.function, functorch, torch.func.functional_call / linearize,
grad(is_grads_batched=True), strict=True in torch.autograd.functional. The expected text is
PyTorch's (object addresses removed, as gd prints none), as a literal; with torch installed
the same program also runs under it.
"""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output, unaddressed

SETUP = "import torch\ntorch.manual_seed(0)\n"

# (name, program, PyTorch's output)
CASES = [
    ('forward_hook_activations',
     """\
activation = {}
def get_activation(name):
    def hook(model, input, output):
        activation[name] = output.detach()
    return hook
model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
h = model[0].register_forward_hook(get_activation('fc1'))
out = model(torch.randn(1, 2))
print(activation['fc1'])
print(h)
h.remove()
h.remove()
""",
     ('tensor([[0.1609, 0.5184, 0.1151]])\n'
      '<torch.utils.hooks.RemovableHandle object>\n')),
    ('forward_pre_and_forward_hooks_order',
     """\
lin = torch.nn.Linear(3, 2)
def fwd_hook(module, inp, out):
    print("forward", type(module).__name__, type(inp).__name__, inp[0].shape, out.shape)
def pre_hook(module, inp):
    print("pre", inp[0].shape)
h1 = lin.register_forward_hook(fwd_hook)
h2 = lin.register_forward_pre_hook(pre_hook)
lin.register_forward_pre_hook(lambda m, a: print("pre first"), prepend=True)
lin(torch.randn(4, 3))
h1.remove(); h2.remove()
lin(torch.randn(4, 3))
""",
     ('pre first\n'
      'pre torch.Size([4, 3])\n'
      'forward Linear tuple torch.Size([4, 3]) torch.Size([4, 2])\n'
      'pre first\n')),
    ('hooks_replace_args_and_result',
     """\
m = torch.nn.Linear(2, 1)
m.register_forward_pre_hook(lambda mod, args: args[0] * 2)
print(m(torch.ones(1, 2)))
m2 = torch.nn.Linear(2, 1)
m2.register_forward_hook(lambda mod, args, out: out * 0)
print(m2(torch.ones(1, 2)))
""",
     ('tensor([[0.1661]], grad_fn=<AddmmBackward0>)\n'
      'tensor([[-0.]], grad_fn=<MulBackward0>)\n')),
    ('hooks_with_kwargs',
     """\
m = torch.nn.Linear(2, 2)
m.register_forward_hook(lambda mod, args, kwargs, out: print("kw", args, kwargs), with_kwargs=True)
m(torch.ones(1, 2, requires_grad=True))
m.register_forward_pre_hook(lambda mod, args, kwargs: 5, with_kwargs=True)
try:
    m(torch.ones(2))
except RuntimeError as e:
    print(e)
""",
     ('kw (tensor([[1., 1.]], requires_grad=True),) {}\n'
      'forward pre-hook must return None or a tuple of (new_args, new_kwargs), but got '
      '5.\n')),
    ('full_backward_hook',
     """\
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(3, 1)
    def forward(self, x):
        return self.fc(x)
net = Net()
grads = {}
def bhook(module, grad_input, grad_output):
    grads['out'] = grad_output[0]
    grads['in'] = grad_input[0]
net.fc.register_full_backward_hook(bhook)
x = torch.randn(2, 3, requires_grad=True)
y = net(x)
print(y)
print(y.grad_fn.next_functions)
y.sum().backward()
print(grads['out'])
print(grads['in'])
print(x.grad)
""",
     ('tensor([[ 0.2759],\n'
      '        [-0.6921]], grad_fn=<BackwardHookFunctionBackward>)\n'
      '((<AddmmBackward0 object>, 0),)\n'
      'tensor([[1.],\n'
      '        [1.]])\n'
      'tensor([[-0.0043,  0.3097, -0.4752],\n'
      '        [-0.0043,  0.3097, -0.4752]])\n'
      'tensor([[-0.0043,  0.3097, -0.4752],\n'
      '        [-0.0043,  0.3097, -0.4752]])\n')),
    ('full_backward_hook_no_input_grad',
     """\
m = torch.nn.Linear(2, 2)
m.register_full_backward_hook(lambda mod, gi, go: print("hook", gi, go))
y = m(torch.ones(1, 2))
print(y)
y.sum().backward()
with torch.no_grad():
    print(m(torch.ones(1, 2, requires_grad=True)))
""",
     ('tensor([[ 0.1017, -0.9128]], grad_fn=<BackwardHookFunctionBackward>)\n'
      'hook (None,) (tensor([[1., 1.]]),)\n'
      'tensor([[ 0.1017, -0.9128]])\n')),
    ('full_backward_hook_replaces_grad_input',
     """\
m = torch.nn.Linear(2, 2)
m.register_full_backward_hook(lambda mod, gi, go: (gi[0] * 2,))
x = torch.ones(1, 2, requires_grad=True)
m(x).sum().backward()
print(x.grad)
m2 = torch.nn.Linear(2, 2)
m2.register_full_backward_hook(lambda mod, gi, go: (gi[0], gi[0]))
try:
    m2(x).sum().backward()
except RuntimeError as e:
    print(e)
""",
     ('tensor([[-1.1745, -0.2821]])\n'
      'Backward hook returned an invalid number of grad_input, got 2, but expected 1\n')),
    ('backward_pre_hook_and_nested',
     """\
m = torch.nn.ReLU()
m.register_full_backward_pre_hook(lambda mod, go: (go[0] * 3,))
x = torch.tensor([1.0, -1.0, 2.0], requires_grad=True)
m(x).sum().backward()
print(x.grad)
seq = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU())
seq.register_full_backward_hook(
    lambda mod, gi, go: print("seq", [g.shape for g in gi], go[0].shape))
seq[1].register_full_backward_hook(lambda mod, gi, go: print("relu", gi[0].shape, go[0].shape))
seq(torch.ones(1, 2, requires_grad=True)).sum().backward()
""",
     ('tensor([3., 0., 3.])\n'
      'relu torch.Size([1, 2]) torch.Size([1, 2])\n'
      'seq [torch.Size([1, 2])] torch.Size([1, 2])\n')),
    ('legacy_backward_hook',
     """\
x = torch.ones(1, 2, requires_grad=True)
m = torch.nn.Linear(2, 2)
m.register_backward_hook(
    lambda mod, gi, go: print("old", len(gi), len(go), [g.shape for g in gi if g is not None]))
m(x).sum().backward()
try:
    m.register_full_backward_hook(lambda *a: None)
except RuntimeError as e:
    print(e)
""",
     ('old 3 1 [torch.Size([2]), torch.Size([1, 2]), torch.Size([2, 2])]\n'
      'Cannot use both regular backward hooks and full backward hooks on a single Modul'
      'e. Please use only one of them.\n')),
    ('linear_next_functions',
     """\
import torch.nn as nn
import torch.nn.functional as F
class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.fc1 = nn.Linear(16, 12)
        self.fc2 = nn.Linear(12, 10)
    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))
net = Net()
loss = nn.MSELoss()(net(torch.randn(1, 16)), torch.randn(1, 10))
print(loss.grad_fn)
print(loss.grad_fn.next_functions[0][0])
print(loss.grad_fn.next_functions[0][0].next_functions)
print(loss.grad_fn.next_functions[0][0].next_functions[1][0])
print(loss.grad_fn.next_functions[0][0].next_functions[2][0].next_functions)
y = F.linear(torch.randn(3, 4, requires_grad=True), torch.randn(2, 4, requires_grad=True),
             torch.zeros(2))
y.grad_fn.register_hook(lambda gi, go: print([None if g is None else g.shape for g in gi]))
y.sum().backward()
""",
     ('<MseLossBackward0 object>\n'
      '<AddmmBackward0 object>\n'
      '((<AccumulateGrad object>, 0), (<ReluBackward0 object>, 0), (<TBackward0 object>'
      ', 0))\n'
      '<ReluBackward0 object>\n'
      '((<AccumulateGrad object>, 0),)\n'
      '[None, torch.Size([3, 4]), torch.Size([4, 2])]\n')),
    ('once_differentiable',
     """\
from torch.autograd.function import once_differentiable
class Sq(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x
    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 2 * x * g
x = torch.tensor(3.0, requires_grad=True)
y = Sq.apply(x)
g, = torch.autograd.grad(y, x, create_graph=True)
print(g, g.requires_grad)
y = Sq.apply(x)
g, = torch.autograd.grad(y, x, torch.tensor(1.0, requires_grad=True), create_graph=True)
print(g.requires_grad)
try:
    g.backward()
except RuntimeError as e:
    print(e)
""",
     ('tensor(6.) False\n'
      'True\n'
      'trying to differentiate twice a function that was marked with @once_differentiab'
      'le\n')),
    ('autograd_function_module',
     """\
import torch.autograd.function as AF
print(AF.Function is torch.autograd.Function)
class Double(torch.autograd.function.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, g):
        return g * 2
x = torch.ones(2, requires_grad=True)
Double.apply(x).sum().backward()
print(x.grad)
""",
     ('True\n'
      'tensor([2., 2.])\n')),
    ('functorch_import',
     """\
from functorch import vmap, grad
print(grad(torch.sin)(torch.tensor(0.5)))
print(vmap(torch.dot)(torch.ones(2, 3), torch.ones(2, 3)))
""",
     ('tensor(0.8776)\n'
      'tensor([3., 3.])\n')),
    ('functional_call',
     """\
from torch.func import functional_call
model = torch.nn.Linear(2, 1)
x = torch.ones(1, 2)
print(functional_call(model, {"weight": torch.ones(1, 2)}, x))
print(functional_call(model, ({"weight": torch.ones(1, 2)}, {"bias": torch.zeros(1)}), (x,)))
print(functional_call(model, {"weight": torch.ones(1, 2)}, args=(), kwargs={"input": x}))
print(model.weight)
try:
    functional_call(model, {"weight": torch.ones(1, 2)}, (x,), strict=True)
except RuntimeError as e:
    print(e)
""",
     ('tensor([[1.4180]], grad_fn=<AddmmBackward0>)\n'
      'tensor([[2.]])\n'
      'tensor([[1.4180]], grad_fn=<AddmmBackward0>)\n'
      'Parameter containing:\n'
      'tensor([[-0.0053,  0.3793]], requires_grad=True)\n'
      'Error(s) in reparametrizing for Linear:\n'
      "\tMissing key(s): 'bias'.\n")),
    ('functional_call_grad_per_sample',
     """\
from torch.func import functional_call, vmap, grad
model = torch.nn.Linear(3, 1)
params = {k: v.detach() for k, v in model.named_parameters()}
def loss(p, x, y):
    out = functional_call(model, p, (x.unsqueeze(0),))
    return ((out - y) ** 2).mean()
x = torch.randn(4, 3); y = torch.randn(4, 1)
g = grad(loss)(params, x[0], y[0])
print(g['weight'], g['bias'])
per_sample = vmap(grad(loss), in_dims=(None, 0, 0))(params, x, y)
print(per_sample['weight'].shape)
print(per_sample['bias'])
""",
     ('tensor([[-5.8701,  1.5315, -2.9219]]) tensor([2.6942])\n'
      'torch.Size([4, 1, 3])\n'
      'tensor([[ 2.6942],\n'
      '        [-1.6297],\n'
      '        [ 0.6062],\n'
      '        [-3.1742]])\n')),
    ('linearize',
     """\
from torch.func import linearize
x = torch.tensor([1.0, 2.0])
out, jfn = linearize(torch.sin, x)
print(out, jfn(torch.ones(2)))
""",
     ('tensor([0.8415, 0.9093]) tensor([ 0.5403, -0.4161])\n')),
    ('is_grads_batched',
     """\
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 2
jac, = torch.autograd.grad(y, x, grad_outputs=torch.eye(3), is_grads_batched=True,
                           retain_graph=True)
print(jac)
z = torch.tensor([1.0, 2.0], requires_grad=True)
print(torch.autograd.grad(y, [x, z], torch.eye(3), is_grads_batched=True, allow_unused=True))
""",
     ('tensor([[2., 0., 0.],\n'
      '        [0., 4., 0.],\n'
      '        [0., 0., 6.]])\n'
      '(tensor([[2., 0., 0.],\n'
      '        [0., 4., 0.],\n'
      '        [0., 0., 6.]]), None)\n')),
    ('functional_strict',
     """\
from torch.autograd.functional import jacobian, vjp
def f(x, y):
    return x * 2
for kw in ({}, {"vectorize": True}, {"strategy": "forward-mode", "vectorize": True}):
    try:
        jacobian(f, (torch.ones(2), torch.ones(2)), strict=True, **kw)
    except RuntimeError as e:
        print(e)
try:
    jacobian(lambda x: torch.ones(2), torch.ones(2), strict=True)
except RuntimeError as e:
    print(e)
print(jacobian(lambda x: x ** 2, torch.ones(2), strict=True))
try:
    vjp(lambda x: torch.zeros(2), torch.ones(2), torch.ones(2), strict=True)
except RuntimeError as e:
    print(e)
""",
     ('Output 0 of the user-provided function is independent of input 1. This is not al'
      'lowed in strict mode.\n'
      'torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not '
      'supported together. Please either set `strict=False` or `vectorize=False`.\n'
      'torch.autograd.functional.jacobian: `strict=True` and `strategy="forward-mode"` '
      'are not supported together (yet). Please either set `strict=False` or `strategy='
      '"reverse-mode"`.\n'
      'Output 0 of the user-provided function does not require gradients. The outputs m'
      'ust be computed in a differentiable manner from the input when running in strict'
      ' mode.\n'
      'tensor([[2., 0.],\n'
      '        [0., 2.]])\n'
      'Output 0 of the user-provided function does not require gradients. The outputs m'
      'ust be computed in a differentiable manner from the input when running in strict'
      ' mode.\n')),
    ('custom_function_ctx_after_backward',
     """\
class MyFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        ctx.mark_non_differentiable(x)
        return x * 2, x
    @staticmethod
    def backward(ctx, g, g2):
        x, = ctx.saved_tensors
        return g * 2
x = torch.ones(2, requires_grad=True)
y, same = MyFn.apply(x)
print(same.requires_grad, y.grad_fn.saved_tensors, y.grad_fn.needs_input_grad)
y.sum().backward()
try:
    print(y.grad_fn.saved_tensors)
except RuntimeError as e:
    print(e)
""",
     ('False (tensor([1., 1.], requires_grad=True),) (True,)\n'
      'Trying to backward through the graph a second time (or directly access saved ten'
      'sors after they have already been freed). Saved intermediate values of the graph'
      ' are freed when you call .backward() or autograd.grad(). Specify retain_graph=Tr'
      'ue if you need to backward through the graph a second time or if you need to acc'
      'ess saved tensors after calling backward.\n')),
    ('module_backward_hook_under_transform',
     """\
from torch.func import grad
m = torch.nn.Linear(2, 1)
m.register_full_backward_hook(lambda *a: None)
try:
    grad(lambda x: m(x).sum())(torch.ones(2))
except RuntimeError as e:
    print(e)
""",
     ('In order to use an autograd.Function with functorch transforms (vmap, grad, jvp,'
      ' jacrev, ...), it must override the setup_context staticmethod. For more details'
      ', please see https://pytorch.org/docs/main/notes/extending.func.html\n')),
    ('module_backward_hook_two_inputs_outputs',
     """\
class Two(torch.nn.Module):
    def forward(self, x, y):
        return x * 2, y * 3
m = Two()
m.register_full_backward_hook(lambda mod, gi, go: print("gi", gi, "go", go))
a = torch.ones(2, requires_grad=True)
p, q = m(a, torch.ones(2))
print(p.grad_fn, q.requires_grad)
(p.sum() + q.sum()).backward()
print(a.grad)
""",
     ('<torch.autograd.function.BackwardHookFunctionBackward object> False\n'
      'gi (tensor([2., 2.]), tensor([0., 0.])) go (tensor([1., 1.]), None)\n'
      'tensor([2., 2.])\n')),
    ('tensor_hook_wrong_type',
     """\
x = torch.ones(2, requires_grad=True)
y = x * 2
y.register_hook(lambda g: "bad")
try:
    y.sum().backward()
except TypeError as e:
    print(e)
""",
     ("expected Variable, but hook returned 'str'\n")),
    ('inplace_on_a_result_pytorch_does_not_save',
     """\
x = torch.rand(3, requires_grad=True) * 0.5 + 0.25
y = x ** 2
y.mul_(2)
y.sum().backward(retain_graph=True)
print("x ** 2 saves x, not its result")
for f in (lambda t: 2 ** t, lambda t: t ** t, lambda t: t.max()):
    y = f(x)
    y.mul_(1)
    try:
        y.sum().backward()
    except RuntimeError as e:
        print(e)
""",
     ('x ** 2 saves x, not its result\n'
      'one of the variables needed for gradient computation has been modified by an inp'
      'lace operation: [torch.FloatTensor [3]], which is output 0 of Pow2, is at versio'
      'n 1; expected version 0 instead. Hint: enable anomaly detection to find the oper'
      'ation that failed to compute its gradient, with torch.autograd.set_detect_anomal'
      'y(True, check_nan=False).\n'
      'one of the variables needed for gradient computation has been modified by an inp'
      'lace operation: [torch.FloatTensor [3]], which is output 0 of Pow1, is at versio'
      'n 1; expected version 0 instead. Hint: enable anomaly detection to find the oper'
      'ation that failed to compute its gradient, with torch.autograd.set_detect_anomal'
      'y(True, check_nan=False).\n'
      'one of the variables needed for gradient computation has been modified by an inp'
      'lace operation: [torch.FloatTensor []], which is output 0 of Max1, is at version'
      ' 1; expected version 0 instead. Hint: enable anomaly detection to find the opera'
      'tion that failed to compute its gradient, with torch.autograd.set_detect_anomaly'
      '(True, check_nan=False).\n')),
]


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_as_pytorch_prints(name: str, program: str, expected: str) -> None:
    assert unaddressed(gd_output(SETUP + program)) == expected


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_literal_is_pytorch_output(name: str, program: str, expected: str) -> None:
    got = unaddressed(torch_output(SETUP + program))
    assert got == expected
