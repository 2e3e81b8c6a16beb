"""Round 21, the autograd corners real code meets, against PyTorch: hooks on a view that is
then changed in place (PyTorch's CopySlices goes past the view's old grad_fn and every view
between it and its _base: their hooks and retain_grad see nothing of it; the views between
are regenerated from the base when read); a node called directly (`y.grad_fn(grad)`: its
formula on grad, recorded in grad mode), a custom Function's `grad_fn.apply`, a leaf's
AccumulateGrad called; `grad_fn._raw_saved_x.register_hooks(pack, unpack)`; autograd.grad
of a non-leaf input captures its gradient after its tensor hooks only where its node runs
no further (PyTorch's engine captures a node it still calls before the call runs the
hooks)."""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output

PROGRAMS = {
    # A hook on a view changed in place after: not called (the view's old grad_fn is off
    # the way); one registered after on the regenerated grad_fn: only when the gradient
    # goes through the view.
    "view_hook_then_inplace": """
x = torch.arange(4.0, requires_grad=True)
b = x * 1
v = b[:2]
v.register_hook(lambda g: print("view hook old", g))
v.mul_(3)
v.register_hook(lambda g: print("view hook new", g))
b.register_hook(lambda g: print("base hook", g))
(b * torch.tensor([1., 2, 3, 4])).sum().backward()
print(x.grad)
x.grad = None
b = x * 1
v = b[1:3]
v.register_hook(lambda g: print("old", g))
v.add_(1)
v.register_hook(lambda g: print("new", g))
(v * 5).sum().backward()
print(x.grad)
""",
    # A view of a view: the view between is bypassed too (its hooks, retain_grad), and
    # regenerated from the root when read (AsStridedBackward0, retain_grad following it).
    "views_between": """
x = torch.arange(6.0, requires_grad=True)
b = x * 1
u = b[1:]
v = u[:2]
u.register_hook(lambda g: print("u hook", g))
v.register_hook(lambda g: print("v hook", g))
b.register_hook(lambda g: print("b hook", g))
v.mul_(3)
(b * torch.arange(1., 7)).sum().backward()
print(x.grad)
b = x * 1
u = b.view(2, 3)
u.retain_grad()
v = u[0]
v.mul_(2)
b.sum().backward()
print(u.grad)
b = x * 1
u3 = b[1:]
u3.retain_grad()
v3 = u3[1:]
v3.retain_grad()
v3.mul_(2)
print(u3.grad_fn, v3.grad_fn)
(u3 * 2).sum().backward()
print(u3.grad, v3.grad)
b = x * 1
u4 = b[1:]
u4.retain_grad()
v4 = u4[1:]
v4.retain_grad()
v4.mul_(2)
(v4 * 2).sum().backward()
print(u4.grad, v4.grad)
""",
    # A use of the view before the change still goes through its old grad_fn (its hooks
    # see that part); the node's own hooks (grad_fn.register_hook / prehook) are bypassed
    # like the tensor's; x[i] = v through a view likewise.
    "old_uses_and_node_hooks": """
x = torch.arange(6.0, requires_grad=True)
b = x * 1
v = b[:3]
v.register_hook(lambda g: print("v hook", g))
w = v * 2
v.add_(w)
b.sum().backward()
print(x.grad)
x.grad = None
b = x * 1
v = b[2:4]
v.grad_fn.register_hook(lambda gi, go: print("post", gi, go))
v.grad_fn.register_prehook(lambda go: print("pre", go))
v[0] = 7.0
b.sum().backward()
print(x.grad)
x.grad = None
b = x * 1
v = b[:2]
v.retain_grad()
v.mul_(3)
(b * torch.arange(1., 7)).sum().backward()
print(v.grad, v.retains_grad, x.grad)
""",
    # Calling a node: one gradient per output, the gradients of its edges back (a tuple
    # unless one; None where an input needs none), recorded when its saved tensors require
    # grad; PyTorch's argument errors; a freed node's error; no_grad records nothing.
    "call_a_node": """
x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], requires_grad=True)
w = torch.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]], requires_grad=True)
c = torch.tensor([1., 2., 3.])
fs = [lambda: x * 2, lambda: c * x, lambda: x + 1, lambda: x.sum(), lambda: x.exp(),
      lambda: x.sin(), lambda: x @ w, lambda: x.t(), lambda: x[1:], lambda: x.mean(0),
      lambda: torch.stack([x, x]), lambda: x.softmax(1), lambda: x.pow(3),
      lambda: x.clamp(-0.5, 1.0), lambda: torch.where(x > 0, x, x * 2), lambda: x.norm(),
      lambda: torch.nn.functional.linear(x, w.t(), torch.ones(2))]
for f in fs:
    y = f()
    fn = y.grad_fn
    print(fn.name(), fn(torch.ones_like(y)))
y = x.exp()
for args in [(), (torch.ones(2, 3), torch.ones(2, 3)), (None,), (1.0,)]:
    try:
        print(y.grad_fn(*args))
    except TypeError as e:
        print("TypeError", e)
try:
    y.grad_fn(grad=torch.ones(2, 3))
except TypeError as e:
    print("TypeError", e)
with torch.no_grad():
    print(y.grad_fn(torch.ones(2, 3)))
print(y.grad_fn(torch.ones(2, 3, dtype=torch.float64)))
y.sum().backward()
try:
    y.grad_fn(torch.ones(2, 3))
except RuntimeError as e:
    print("RuntimeError", e)
a, b = x.unbind()
print(a.grad_fn(torch.ones(3), None), a.grad_fn(torch.ones(3), torch.ones(3)))
t = (x * x).sum()
print(t.grad_fn(torch.tensor(2.0)), t.grad_fn.next_functions[0][0](torch.ones(2, 3)))
acc = x.expand(2, 3).grad_fn.next_functions[0][0]
x.grad = None
print(acc(torch.ones(2, 3)), x.grad)
""",
    # A custom Function's node is not callable; its apply runs the backward.
    "custom_function_node_apply": """
class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * 2
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        print("backward ran")
        return g * x
x = torch.tensor([1., 2.], requires_grad=True)
y = F.apply(x)
try:
    y.grad_fn(torch.ones(2))
except TypeError as e:
    print("TypeError", e)
print(y.grad_fn.apply(torch.ones(2)))
""",
    # The saved tensors tutorial: _raw_saved_x.register_hooks(pack, unpack); pack sees the
    # data (no requires_grad), backward and _saved_x read unpack's (with the saved one's
    # requires_grad); PyTorch's errors (set twice, a None saved, freed).
    "raw_saved_register_hooks": """
x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = x.pow(2)
r = y.grad_fn._raw_saved_self
print(r is y.grad_fn._raw_saved_self)
r.register_hooks(lambda t: (print("pack", t), t * 2)[1], lambda p: (print("unpack", p), p)[1])
try:
    r.register_hooks(lambda t: t, lambda t: t)
except RuntimeError as e:
    print("RuntimeError", e)
print(y.grad_fn._saved_self)
y.sum().backward()
print(x.grad)
y = x * 2
try:
    y.grad_fn._raw_saved_self.register_hooks(lambda t: t, lambda t: t)
except RuntimeError as e:
    print("RuntimeError", e)
y = x.exp()
y.grad_fn._raw_saved_result.register_hooks(lambda t: t, lambda t: t)
y.sum().backward()
try:
    y.grad_fn._raw_saved_result.register_hooks(lambda t: t, lambda t: t)
except RuntimeError as e:
    print("RuntimeError", e)
with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
    y = x.pow(2)
try:
    y.grad_fn._raw_saved_self.register_hooks(lambda t: t, lambda t: t)
except RuntimeError as e:
    print("RuntimeError", e)
y = x.pow(2)
y.grad_fn._raw_saved_self.register_hooks(lambda t: None, lambda p: 5)
try:
    y.sum().backward()
except TypeError as e:
    print("TypeError", e)
try:
    y.grad_fn._raw_saved_foo
except AttributeError as e:
    print("AttributeError", e)
with torch.autograd.graph.saved_tensors_hooks(lambda t: t * 2, lambda p: p):
    y = x.pow(2)
    e = x.exp()
print(y.grad_fn._saved_self, e.grad_fn._saved_result)
""",
    "grad_capture_vs_hooks": """
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * 2
y.register_hook(lambda g: print("hook1", g) or g * 10)
z = (y ** 2).sum()
print(torch.autograd.grad(z, y, retain_graph=True))
y.register_hook(lambda g: print("hook2", g) or g + 1)
print(torch.autograd.grad(z, y, retain_graph=True))
print(torch.autograd.grad(z, (y, x), retain_graph=True))
print(torch.autograd.grad(z, (x, y), retain_graph=True))
y.retain_grad()
print(torch.autograd.grad(z, (y, x), retain_graph=True), y.grad)
y.grad_fn.register_prehook(lambda go: print("prehook", go) or (go[0] * 100,))
print(torch.autograd.grad(z, y, retain_graph=True))
print(torch.autograd.grad(z, (y, x), retain_graph=True))
q = x * 2
q.register_hook(lambda g: g * 7)
print(torch.autograd.grad(q.sum(), [q, x]))
a, b, c = x.repeat(2).chunk(3)
a.register_hook(lambda g: g * 10)
b.register_hook(lambda g: g * 100)
y = (a * 2).sum() + (b * 3).sum() + (c * 4).sum()
print(torch.autograd.grad(y, [a, b], retain_graph=True))
print(torch.autograd.grad(y, [a, x], retain_graph=True))
print(torch.autograd.grad(y, [b, c, x], retain_graph=True))
""",
    # torch.func.vmap: list results (and out_dims of their structure), chunk_size checked,
    # in_dims of the wrong structure is PyTorch's error naming both TreeSpecs.
    "vmap_structures": """
from torch.func import vmap
a = torch.arange(6.0).reshape(3, 2)
print(vmap(lambda x: [x, x * 2])(a))
print(vmap(lambda x: [x, (x * 2, {"z": x})], out_dims=[0, (1, {"z": 0})])(a))
print(vmap(lambda x: (x, 3.0), out_dims=(0, None))(a))
print(vmap(lambda x: x.sum(), chunk_size=2)(a))
for cs in (0, -1):
    try:
        vmap(lambda x: x.sum(), chunk_size=cs)
    except ValueError as e:
        print("ValueError", e)
for dims, args in [((0, 0, 0), (a,)), ((0,), (a, a)), (((0, 0), 0), (a, a)),
                   ([0, 0], (a, a)), ((0, {"k": 0}), (a, {"k": a, "j": a}))]:
    try:
        vmap(lambda *x: x[0], in_dims=dims)(*args)
    except ValueError as e:
        print("ValueError", e)
print(vmap(lambda x, y: x[0] + y, in_dims=((0, None), 0))((a, a), a))
""",
    # A grad() pass that needs a non-leaf under create_graph (torch.func.grad of a tensor
    # that requires grad, a Parameter): linear's wᵀ node, made as the pass runs, is needed
    # too (the weight's gradient was zeros, or "not used").
    "linear_weight_under_create_graph": """
from torch.func import grad, jacrev, functional_call
x = torch.tensor([1., 2., 3.])
w = torch.ones(2, 3, requires_grad=True)
b = torch.zeros(2)
print(grad(lambda w: torch.nn.functional.linear(x, w, b).sum())(w))
print(grad(lambda w: torch.nn.functional.linear(x.unsqueeze(0), w, b).sum())(w))
w1 = w * 1
print(torch.autograd.grad(torch.nn.functional.linear(x, w1, b).sum(), w1, create_graph=True))
m = torch.nn.Linear(3, 2)
torch.nn.init.ones_(m.weight)
torch.nn.init.zeros_(m.bias)
params = dict(m.named_parameters())
print(grad(lambda p, inp: functional_call(m, p, (inp,)).sum())(params, x))
print(jacrev(lambda p: functional_call(m, p, (x,)))(params))
""",
    # torch.func's argument checks: argnums empty, repeated, nested; aux that is not
    # tensors; the (output, aux) message of jacrev/jacfwd (PyTorch's vjp's and jvp's).
    "func_argument_checks": """
from torch.func import jacrev, jacfwd, grad, grad_and_value, vjp, jvp, hessian
x = torch.tensor([1., 2., 3.])
tests = {
    "grad int aux": lambda: grad(lambda a: (a.sum(), 1), has_aux=True)(x),
    "grad None aux": lambda: grad(lambda a: (a.sum(), None), has_aux=True)(x),
    "grad list aux": lambda: grad(lambda a: (a.sum(), [a, 2]), has_aux=True)(x),
    "jacrev int aux": lambda: jacrev(lambda a: (a, 1), has_aux=True)(x),
    "vjp int aux": lambda: vjp(lambda a: (a, 1), x, has_aux=True)[2],
    "jvp dict aux": lambda: jvp(lambda a: (a, {"k": "s"}), (x,), (x,), has_aux=True),
    "jacrev argnums ()": lambda: jacrev(lambda a: a, argnums=())(x),
    "grad argnums ()": lambda: grad(lambda a: a.sum(), argnums=())(x),
    "grad argnums dup": lambda: grad(lambda a, b: (a * b).sum(), argnums=(0, 0))(x, x),
    "hessian argnums dup": lambda: hessian(lambda a: a.sum(), argnums=(0, 0))(x),
    "nested argnums": lambda: grad(lambda a, b: (a * b).sum(), argnums=((0,), 1))(x, x),
    "jacrev no aux": lambda: jacrev(lambda a: a, has_aux=True)(x),
    "jacfwd no aux": lambda: jacfwd(lambda a: a, has_aux=True)(x),
    "gv no aux": lambda: grad_and_value(lambda a: a.sum(), has_aux=True)(x),
    "grad ok aux": lambda: grad(lambda a: (a.sum(), {"k": a * 2}), has_aux=True)(x),
}
for k, f in tests.items():
    try:
        print(k, f())
    except RuntimeError as e:
        print(k, "RuntimeError", e)
""",
    # torch.func transforms of a function closing over parameters that require grad: the
    # results keep their graph to them (a loss of a vmap(hessian) trains the network, a PINN
    # written with torch.func); the transform's own inputs need not require grad.
    "func_results_keep_outer_graph": """
from torch.func import hessian, jacrev, jacfwd, grad, vjp, vmap, functional_call
net = torch.nn.Sequential(torch.nn.Linear(1, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
with torch.no_grad():
    for i, p in enumerate(net.parameters()):
        p.copy_(torch.linspace(-1, 1, p.numel()).reshape(p.shape) * (i + 1) * 0.3)
xs = torch.linspace(0, 1, 5).reshape(5, 1)
u = lambda x: net(x).squeeze()
u_x = vmap(grad(u))(xs)
u_xx = vmap(hessian(u))(xs)
print(u_x.requires_grad, u_xx.shape, u_xx.requires_grad)
loss = (u_xx.squeeze() - 1).pow(2).mean() + u_x.pow(2).mean()
loss.backward()
print(net[0].weight.grad, net[2].bias.grad)
j = jacrev(u)(xs[0])
print(j.requires_grad, jacfwd(u)(xs[0]).requires_grad, jacrev(jacrev(u))(xs[0]))
out, fn = vjp(u, xs[0])
print(out.requires_grad, fn(torch.tensor(1.0))[0].requires_grad)
print(grad(lambda x: (x ** 2).sum())(xs[0]).requires_grad)
net.zero_grad()
x3 = torch.tensor([0.5])
(hessian(u)(x3).sum() + jacrev(u)(x3).sum()).backward()
print(net[0].weight.grad)
o, t = torch.func.jvp(u, (x3,), (torch.ones(1),))
o2, fn = torch.func.linearize(u, x3)
print(o.requires_grad, t.requires_grad, o2.requires_grad, fn(torch.ones(1)).requires_grad)
net.zero_grad()
t.backward()
print(net[0].weight.grad)
f = lambda x: x.norm() * x.sum()
x = torch.tensor([1.0, 2.0, 2.0], dtype=torch.float64)
print(torch.func.jvp(torch.func.grad(f), (x,), (x,)))
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    text = "import torch\n" + PROGRAMS[name]
    assert masked(gd_output(text)) == masked(torch_output(text))
