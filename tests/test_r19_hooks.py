"""Round 19, autograd hooks against PyTorch: the tensor hooks of the outputs of one
multi-output node (split, chunk, unbind, a custom Function's outputs) run as PyTorch's
one node runs them (by each output's first register_hook, an output no gradient reached
seeing None), Tensor.output_nr, the GradientEdge class's repr, a custom Function's vmap
rule run outside its vmap level."""

from __future__ import annotations

import io

import pytest
from pyrun import gd_output, masked, torch_output

from gradcli.app import AppOptions, run
from gradcli.source import Source

PROGRAMS = {
    # Every order of registration on three split pieces: PyTorch's SplitBackward0 runs
    # the hooks in registration order, not in the pieces' order.
    "split_hook_orders": """
for order in ([0, 1, 2], [2, 1, 0], [1, 0, 2], [0, 2, 1], [2, 0, 1], [1, 2, 0]):
    x = torch.arange(6.0, requires_grad=True)
    ps = x.split(2)
    for i in order:
        ps[i].register_hook(lambda g, i=i: print("hook", i, g))
    print(order)
    (ps[0] * 1 + ps[1] * 2 + ps[2] * 3).sum().backward()
    print(x.grad)
""",
    # Grouped by tensor (a tensor's hooks run together, at its first hook's place); a
    # hook's result is what the next one sees; an unused piece's hooks see None; a hook
    # returning a tensor for None is PyTorch's error.
    "grouped_and_unused": """
x = torch.arange(6.0, requires_grad=True)
a, b, c = x.chunk(3)
c.register_hook(lambda g: print("c1", g))
a.register_hook(lambda g: print("a1", g))
c.register_hook(lambda g: print("c2", g))
b.register_hook(lambda g: g * 10)
a.register_hook(lambda g: print("a2", g))
b.register_hook(lambda g: print("b", g))
b.retain_grad()
(a.sum() + (b * 2).sum()).backward()
print(x.grad, b.grad)
y = torch.arange(6.0, requires_grad=True)
p, q, r = y.split_with_sizes([1, 2, 3])
r.register_hook(lambda g: print("r", g))
q.register_hook(lambda g: print("q", g))
(q * 3).sum().backward()
print(y.grad)
z = torch.arange(4.0, requires_grad=True)
u, v = z.split(2)
v.register_hook(lambda g: torch.ones(2))
try:
    u.sum().backward()
except RuntimeError as e:
    print("RuntimeError", e)
""",
    "unbind_and_0d": """
x = torch.arange(6.0, requires_grad=True).reshape(3, 2)
u = x.unbind(0)
u[1].register_hook(lambda g: print("u1", g))
u[0].register_hook(lambda g: print("u0", g))
u[2].register_hook(lambda g: print("u2", g))
(u[0] * u[1] * u[2]).sum().backward()
w = torch.arange(4.0, requires_grad=True)
s = torch.unbind(w)
s[3].register_hook(lambda g: print("s3", g))
s[0].register_hook(lambda g: print("s0", g))
s[1].register_hook(lambda g: print("s1", g))
(s[0] * s[1] + s[2]).backward()
print(w.grad)
p, q = w.split(2)
q.register_hook(lambda g: print("q", g))
(p.sum() + q.sum()).backward(retain_graph=True)
p.register_hook(lambda g: print("p", g))
(p.sum() + q.sum()).backward()
print(torch.autograd.grad(p.sum() * 2, q, allow_unused=True))
""",
    "custom_function_outputs": """
class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3, x * 4

    @staticmethod
    def backward(ctx, a, b, c):
        print("backward", a, b, c)
        return a + b
x = torch.ones(2, requires_grad=True)
a, b, c = F.apply(x)
c.register_hook(lambda g: print("c", g))
a.register_hook(lambda g: print("a", g))
b.register_hook(lambda g: print("b", g))
(a.sum() + b.sum()).backward()
print(x.grad)
""",
    "output_nr": """
x = torch.arange(6.0, requires_grad=True)
print([p.output_nr for p in x.split(2)], [p.output_nr for p in x.unbind()], x.output_nr,
      (x * 2).output_nr)
print([p.output_nr for p in x.reshape(2, 3).unbind(1)], [p.output_nr for p in x.chunk(2)])
class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, a, b):
        return a + b
print([t.output_nr for t in F.apply(x)])
a = torch.arange(9.0).reshape(3, 3).requires_grad_()
L, Q = torch.linalg.eigh(a @ a.T + torch.eye(3))
v, m = torch.var_mean(a)
print(L.output_nr, Q.output_nr, v.output_nr, m.output_nr)
""",
    # torch.autograd.graph.GradientEdge: the class prints as PyTorch's (namedtuple's
    # module=), as do functools' CacheInfo and statistics' LinearRegression.
    "gradient_edge_class": """
import collections, functools, statistics
from torch.autograd.graph import GradientEdge, get_gradient_edge
x = torch.ones(2, requires_grad=True)
y = x * 2
e = get_gradient_edge(y)
print(e)
print(repr(e))
print(e.node, e.output_nr, e._fields, type(e).__name__, isinstance(e, tuple), len(e))
n, k, t = e
print(n, k, e[0], e[1], str(e) == repr(e))
print(get_gradient_edge(x))
e2 = GradientEdge(y.grad_fn, 0)
print(e2, e2 == e, type(e2))
print(GradientEdge(node=y.grad_fn, output_nr=1))
print(e._asdict())
print(e._replace(output_nr=3))
print(torch.autograd.grad(y.sum(), e))
P3 = collections.namedtuple("P3", "a", module=3)
print(P3)
print(GradientEdge.__name__, GradientEdge)

P = collections.namedtuple("P", "a b", module="foo.bar")
print(P, P.__module__, P.__qualname__, P(1, 2))
Q = collections.namedtuple("Q", "a")
print(Q, Q.__module__)
print(type(statistics.linear_regression([1, 2, 3], [1, 2, 4])))
print(type(functools.lru_cache()(lambda: 1).cache_info()))
""",
    # A custom Function's vmap staticmethod runs outside the vmap level that called it:
    # its own F.apply runs forward (it recursed, a batch of one each time).
    "vmap_rule_calls_apply": """
from torch.func import vmap
class F(torch.autograd.Function):
    @staticmethod
    def forward(x, y):
        return x * y
    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(*inputs)
    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        return g * y, g * x
    @staticmethod
    def vmap(info, in_dims, x, y):
        print("vmap", info.batch_size, in_dims, tuple(x.shape), tuple(y.shape))
        xd, yd = in_dims
        x = x.movedim(xd, 0) if xd is not None else x.unsqueeze(0)
        y = y.movedim(yd, 0) if yd is not None else y.unsqueeze(0)
        return F.apply(x, y), 0
a = torch.arange(6.0).reshape(3, 2)
b = torch.ones(2)
print(vmap(F.apply, in_dims=(0, None))(a, b))
print(vmap(F.apply, in_dims=(0, None))(a * 2, b + 1))
w = torch.arange(6.0, requires_grad=True)
print(vmap(F.apply, in_dims=(0, None))(w.reshape(3, 2), b))
print(vmap(F.apply, in_dims=(1, None))(w.reshape(2, 3) * 1, b[0]))
""",
    # The rule on computed inputs (not vmap's own samples) gets the whole batch too: the
    # samples' runs are batched at each call (they saw a batch of one each).
    "vmap_rule_on_computed_inputs": """
from torch.func import vmap
class F(torch.autograd.Function):
    @staticmethod
    def forward(x, y):
        return x * y

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(*inputs)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        return g * y, g * x

    @staticmethod
    def vmap(info, in_dims, x, y):
        print("vmap", info.batch_size, info.randomness, in_dims, tuple(x.shape), tuple(y.shape))
        xd, yd = in_dims
        x = x.movedim(xd, 0) if xd is not None else x.unsqueeze(0)
        y = y.movedim(yd, 0) if yd is not None else y.unsqueeze(0)
        return F.apply(x, y), 0
a = torch.arange(6.0).reshape(3, 2)
def f(t):
    u = F.apply(t.sin(), t)
    v = F.apply(u * 2, torch.ones(2))
    return v + 1
print(vmap(f)(a))
w = torch.arange(6.0, requires_grad=True)
r = vmap(lambda t: F.apply(t.exp(), t))(w.reshape(3, 2))
print(r)
r.sum().backward()
print(w.grad)
print(vmap(lambda t: F.apply(t * 2, t), randomness="same")(a))
print(vmap(lambda t: (F.apply(t * 2, t), F.apply(t, t + 1)))(a))
""",
    # One PyTorch node, one gd node per output (svd, eigh, var_mean, aminmax, slogdet, qr):
    # hooks in registration order too.
    "decomposition_outputs": """
x = torch.tensor([[1., 5., 3.], [4., 2., 6.]], requires_grad=True)
u, sv, vh = torch.linalg.svd(x, full_matrices=False)
vh.register_hook(lambda g: print("vh"))
u.register_hook(lambda g: print("u"))
sv.register_hook(lambda g: print("sv"))
(u.abs().sum() + sv.sum() + vh.abs().sum()).backward()
L, Q = torch.linalg.eigh(x @ x.T)
Q.register_hook(lambda g: print("Q"))
L.register_hook(lambda g: print("L", g))
L.sum().backward()
a, b = torch.var_mean(x, dim=1)
b.register_hook(lambda g: print("mean", g))
a.register_hook(lambda g: print("var", g))
(a.sum() + b.sum()).backward()
lo, hi = torch.aminmax(x)
hi.register_hook(lambda g: print("max", g))
lo.register_hook(lambda g: print("min", g))
(lo + hi).backward()
s, l = torch.linalg.slogdet(x @ x.T)
l.register_hook(lambda g: print("logabsdet", g))
s.register_hook(lambda g: print("sign", g))
l.backward()
q, r = torch.linalg.qr(x.T)
r.register_hook(lambda g: print("R"))
q.register_hook(lambda g: print("Q", g is None))
r.sum().backward()
""",
    # retain_grad() follows the tensor through an in-place change (PyTorch moves the
    # hook to its new grad_fn): .grad is the new value's, retains_grad stays True.
    "retain_grad_through_inplace": """
a = torch.tensor([1., 2., 3.], requires_grad=True)
c = a * 1
c.retain_grad()
c.mul_(2)
print(c.retains_grad)
(c * c).sum().backward()
print(c.grad, a.grad)
b = a.clone()
b.retain_grad()
v = b[:2]
v.retain_grad()
v.mul_(10)
print(b.retains_grad, v.retains_grad)
(b * torch.tensor([1., 2., 3.])).sum().backward()
print(b.grad, v.grad)
d = a * 2
d.retain_grad()
with torch.no_grad():
    d.mul_(2)
print(d.retains_grad)
d.sum().backward()
print(d.grad)
""",
    # A post-accumulate-grad hook must return None (PyTorch's error).
    "post_accumulate_hook_returns": """
x = torch.tensor([1., 2.], requires_grad=True)
def half(t):
    t.grad.mul_(0.5)
h = x.register_post_accumulate_grad_hook(half)
(x * 2).sum().backward()
print(x.grad)
h.remove()
x.grad = None
x.register_post_accumulate_grad_hook(lambda t: t.grad.mul_(0.5))
try:
    (x * 2).sum().backward()
except RuntimeError as e:
    print("RuntimeError", e)
print(x.grad)
""",
    # Module hooks: an unused output's grad_output is None in full backward (pre-)hooks;
    # always_call forward hooks run when the forward or a pre-hook raises.
    "module_hooks": """
import torch.nn as nn
class M(nn.Module):
    def forward(self, a, b):
        return a * b, a + b
m = M()
m.register_full_backward_hook(lambda mod, gi, go: print("full", gi, go))
m.register_full_backward_pre_hook(lambda mod, go: print("pre", go))
a = torch.tensor([1., 2.], requires_grad=True)
b = torch.tensor([3., 4.])
p, q = m(a, b)
(p.sum() + 2 * q.sum()).backward()
p, q = m(a, b)
p.sum().backward()
q, p = m(a, b)
p.sum().backward()
print(a.grad)
r = nn.ReLU()
def bad(mod, args):
    raise ValueError("boom")
def bad2(mod, args, out):
    raise KeyError("inner")
r.register_forward_hook(bad2, always_call=True)
r.register_forward_hook(lambda mod, args, out: print("not always", out))
r.register_forward_hook(lambda mod, args, kw, out: print("always kw", args, kw, out),
                        always_call=True, with_kwargs=True)
r.register_forward_pre_hook(lambda mod, args: (args[0] * 2,))
r.register_forward_pre_hook(bad)
try:
    r(torch.ones(2))
except ValueError as e:
    print("ValueError", e)
lin = nn.Linear(2, 2)
lin.register_forward_hook(lambda mod, args, out: print("always", out), always_call=True)
try:
    lin(torch.ones(3))
except RuntimeError as e:
    print("RuntimeError", e)
ident = nn.Identity()
ident.register_forward_hook(lambda mod, args, out: print("ran", out), always_call=True)
ident(torch.ones(1))
""",
    # The outputs of one multi-output op share PyTorch's one node: grad_fn is the same
    # object, its pre-hooks see every output's gradient (None where none came), its
    # post-hooks run once on the summed grad_inputs; GradientEdge names it too; grad()
    # w.r.t. an output's edge only captures there (the node's own hooks do not run).
    "one_node_for_all_outputs": """
from torch.autograd.graph import get_gradient_edge
x = torch.arange(6.0, requires_grad=True)
a, b, c = x.chunk(3)
n = b.grad_fn
print(n is a.grad_fn, n, n.name(), n.next_functions, n.metadata)
y = a * 2 + c * 3
m = y.grad_fn.next_functions[0][0]
print(m.next_functions, m.next_functions[0][0] is n)
n.register_prehook(lambda go: (go[0] * 10, go[1], go[2]))
n.register_prehook(lambda go: print("pre2", go))
n.register_hook(lambda gi, go: print("post", gi, go))
n.register_hook(lambda gi, go: (gi[0] + 1,))
c.register_hook(lambda g: print("c hook", g))
y.sum().backward()
print(x.grad)
e = get_gradient_edge(c)
print(e.node is n, e.output_nr)
x.grad = None
z = (a * 5 + c * 7).sum()
print(torch.autograd.grad(z, [get_gradient_edge(c), get_gradient_edge(a)]))
u = torch.arange(4.0, requires_grad=True).reshape(2, 2)
r0, r1 = u.unbind()
r1.grad_fn.register_prehook(lambda go: print("unbind pre", go))
(r0 * r1).sum().backward()
print(u.grad if u.is_leaf else "non-leaf")
L, Q = torch.linalg.eigh(u @ u.T + torch.eye(2))
print(L.grad_fn is Q.grad_fn, L.grad_fn.next_functions[0][0].name())
Q.grad_fn.register_hook(lambda gi, go: print("eigh post", [g is None for g in go], gi[0].shape))
L.sum().backward()
try:
    p, q = torch.arange(4.0, requires_grad=True).split(2)
    p.grad_fn.register_prehook(lambda go: (go[0],))
    (p.sum() + q.sum()).backward()
except RuntimeError as err:
    print(err)
""",
    # grad() w.r.t. a GradientEdge of a custom Function's second output: that output's
    # gradient (was the empty gradient of the function's internal marker).
    "gradient_edge_of_function_output": """
from torch.autograd.graph import get_gradient_edge
class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3
    @staticmethod
    def backward(ctx, a, b):
        return a * 2 + b * 3
x = torch.tensor([1., 2.], requires_grad=True)
a, b = F.apply(x)
loss = (a * 10).sum() + (b * 100).sum()
ea, eb = get_gradient_edge(a), get_gradient_edge(b)
print(ea.output_nr, eb.output_nr)
print(torch.autograd.grad(loss, [eb, ea], retain_graph=True))
print(torch.autograd.grad(loss, eb, retain_graph=True))
ps = x.split(1)
l2 = (ps[0] * 5 + ps[1] * 7).sum()
print(torch.autograd.grad(l2, [get_gradient_edge(ps[1]), get_gradient_edge(ps[0])]))
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    text = "import torch\n" + PROGRAMS[name]
    assert masked(gd_output(text)) == masked(torch_output(text))


def test_vmap_rule_reruns_print_once_per_sample() -> None:
    """The samples run again after a rule call was batched print nothing twice: each
    print of the mapped function shows once per sample (gd's vmap runs per sample)."""
    text = "import torch\n" + """from torch.func import vmap
class F(torch.autograd.Function):
    @staticmethod
    def forward(x, y):
        return x * y

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(*inputs)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        return g * y, g * x

    @staticmethod
    def vmap(info, in_dims, x, y):
        print("vmap", info.batch_size, info.randomness, in_dims, tuple(x.shape), tuple(y.shape))
        xd, yd = in_dims
        x = x.movedim(xd, 0) if xd is not None else x.unsqueeze(0)
        y = y.movedim(yd, 0) if yd is not None else y.unsqueeze(0)
        return F.apply(x, y), 0
def f(t):
    print("before", t.shape)
    u = F.apply(t.sin(), t)
    print("middle")
    v = F.apply(u * 2, torch.ones(2))
    print("after")
    return v
print(vmap(f)(torch.arange(6.0).reshape(3, 2)).shape)
"""
    lines = gd_output(text).splitlines()
    assert [line for line in lines if line.startswith("vmap")] == [
        "vmap 3 error (0, 0) (3, 2) (3, 2)", "vmap 3 error (0, None) (3, 2) (2,)"]
    assert [lines.count(w) for w in ("before torch.Size([2])", "middle", "after")] == [3, 3, 3]
    assert lines[-1] == "torch.Size([3, 2])"


def test_full_backward_hook_without_input_grads_warns() -> None:
    """PyTorch's UserWarning when a full backward hook fires with no input needing grad."""
    text = ("import torch\nimport torch.nn as nn\n"
            "m = nn.Sequential(nn.Linear(2, 2), nn.ReLU())\n"
            "m.register_full_backward_hook(lambda mod, gi, go: print('bwd', gi))\n"
            "m(torch.ones(1, 2)).sum().backward()\n")
    buf = io.StringIO()
    warned: list[str] = []
    run(Source("p.gd", text), AppOptions(write=buf.write, warn=warned.append))
    assert buf.getvalue() == "bwd (None,)\n"
    assert any("Full backward hook is firing when gradients are computed with respect to "
               "module outputs since no inputs require gradients" in w for w in warned)


def test_a_family_makes_no_reference_cycle() -> None:
    """A multi-output op's nodes (a graph.Family) die by reference count, hooked or not:
    the family holds them weakly (the run pauses the cycle collector)."""
    import gc
    import weakref

    import numpy as np

    from gradcli.ad import hooks as H
    from gradcli.ad.ops import joins
    from gradcli.ad.tensor import Tensor

    enabled = gc.isenabled()
    gc.disable()
    try:
        x = Tensor(np.arange(6.0), requires_grad=True)
        pieces = joins.split(x, 2)
        H.register_hook(pieces[1], lambda g: None)
        refs = [weakref.ref(p.grad_fn) for p in pieces]
        assert pieces[0].grad_fn.family is pieces[2].grad_fn.family
        del pieces
        assert [r() for r in refs] == [None, None, None]
    finally:
        if enabled:
            gc.enable()
