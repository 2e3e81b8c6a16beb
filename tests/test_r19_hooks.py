"""Round 19, autograd hooks against PyTorch: the tensor hooks of the outputs of one
multi-output node (split, chunk, unbind, a custom Function's outputs) run as PyTorch's
one node runs them (by each output's first register_hook, an output no gradient reached
seeing None), Tensor.output_nr, ..."""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output

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
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    text = "import torch\n" + PROGRAMS[name]
    assert masked(gd_output(text)) == masked(torch_output(text))
