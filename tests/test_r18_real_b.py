"""Round 18 (real-b): what derivative-checking and scientific PyTorch code uses, each
program compared with what PyTorch prints: torch.testing.assert_close's comparisons and
messages (a finite-difference Jacobian against autograd's), ComposeTransform in flows and
TransformedDistribution."""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output

ASSERT_CLOSE = """\
import torch
T = torch.testing.assert_close
def tr(*a, **k):
    try:
        T(*a, **k)
        print('ok')
    except Exception as e:
        print(type(e).__name__ + ':', repr(str(e)))
tr(torch.tensor(1.), 1.)
tr(1.0, 1)
tr(1.0, 1.1)
tr(1, 2)
tr(True, False)
tr([torch.ones(2), torch.zeros(2)], [torch.ones(2), torch.ones(2)])
tr({'a': torch.ones(2)}, {'a': torch.zeros(2)})
tr([1.0], [1.0, 2.0])
tr(torch.ones(2), torch.ones(3))
tr(torch.ones(2), torch.ones(2, dtype=torch.float64))
tr(torch.ones(2), torch.ones(2, dtype=torch.float64), check_dtype=False)
tr(torch.tensor([1,2]), torch.tensor([1,3]))
tr(torch.tensor(2.0), torch.tensor(2.5))
tr(torch.tensor([1.0, float('nan')]), torch.tensor([1.0, float('nan')]))
tr(torch.tensor([1.0, float('nan')]), torch.tensor([1.0, float('nan')]), equal_nan=True)
tr(torch.ones(2), torch.zeros(2), msg='custom')
tr(torch.ones(2), torch.zeros(2), msg=lambda m: "wrapped: " + m[:20])
tr(torch.ones(2), torch.zeros(2), rtol=0.1)
tr(torch.ones(2,2), torch.zeros(2,2), rtol=0.1, atol=0.5)
tr(torch.tensor([1.0, 0.0]), torch.tensor([1.0, 1e-6]), rtol=0, atol=0)
tr(torch.tensor([0.0, 1.0]), torch.tensor([0.0, 0.0]))
tr(None, None); tr(None, 1)
tr(torch.ones(2, requires_grad=True), torch.ones(2))
tr((1.0, 2.0), [1.0, 2.0])
tr(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 2.00001, 3.1]))
tr(torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64),
   torch.tensor([[1.0, 2.0], [3.0, 4.0000001]], dtype=torch.float64))
tr(torch.tensor([True, False]), torch.tensor([True, True]))
tr(torch.tensor([1, 2]), torch.tensor([1.0, 2.5]), check_dtype=False)
tr({"w": [torch.ones(1), 2.0]}, {"w": [torch.ones(1), 2.5]})
tr(torch.tensor([1e-9]), torch.tensor([0.0]))
print(torch.testing.assert_close(1.0, 1.0))
print(torch.testing.assert_close(torch.ones(3), torch.ones(3) + 1e-7))
from torch.testing import assert_close
x = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64, requires_grad=True)
f = lambda v: torch.stack([v[0] * v[1] ** 2, torch.sin(v[2]) * v[0], v.norm()])
J = torch.autograd.functional.jacobian(f, x.detach())
eps = 1e-6
cols = []
for i in range(3):
    e = torch.zeros(3, dtype=torch.float64)
    e[i] = eps
    cols.append((f(x.detach() + e) - f(x.detach() - e)) / (2 * eps))
assert_close(J, torch.stack(cols, 1), rtol=1e-5, atol=1e-7)
print("jacobian ok")
"""

COMPOSE = """\
import torch
from torch.distributions import Normal, TransformedDistribution
from torch.distributions.transforms import (AffineTransform, ComposeTransform,
                                            ExpTransform, SigmoidTransform, TanhTransform)
t = ComposeTransform([AffineTransform(1.0, 2.0), SigmoidTransform()])
print(t, t.inv, t.parts, t.sign, t.event_dim, t.bijective, t.domain, t.codomain,
      t.inv.inv is t)
print(ComposeTransform([]), ComposeTransform([]).domain)
x = torch.tensor([0.5, -1.0])
y = t(x)
print(y, t.inv(y), t.log_abs_det_jacobian(x, y))
print(ComposeTransform([]).log_abs_det_jacobian(x, x))
c = ComposeTransform([ExpTransform(), AffineTransform(0.0, 3.0)], cache_size=1)
print(c.inv(c(x)), c.inv.log_abs_det_jacobian(c(x), x))
d = TransformedDistribution(Normal(0.0, 1.0),
                            ComposeTransform([TanhTransform(), AffineTransform(0.0, 2.0)]))
print(d.log_prob(torch.tensor([0.5, -1.0])), d.cdf(torch.tensor([0.5])))
torch.manual_seed(0)
loc = torch.tensor(0.3, requires_grad=True)
q = TransformedDistribution(Normal(loc, 1.0), ComposeTransform([AffineTransform(1.0, 2.0),
                                                               SigmoidTransform()]))
s = q.rsample((4,))
q.log_prob(s).sum().backward()
print(s, loc.grad)
"""


@pytest.mark.parametrize("program", [ASSERT_CLOSE, COMPOSE], ids=["assert_close", "compose"])
def test_program_prints_what_pytorch_prints(program: str) -> None:
    assert gd_output(program) == torch_output(program)


# A PINN's loss: u and its derivative u_t (autograd.grad, create_graph=True) at the
# collocation points, plus a second forward at t = 0. Each weight's gradient has three
# parts (the forward use, the recorded backward's grad @ w, the second forward), and
# PyTorch sums the first two at addmm's wᵀ node before the third: the last bits follow.
PINN_SUMS = """\
import torch
import torch.nn as nn
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1))
t = torch.linspace(0, 2, 50).reshape(-1, 1).requires_grad_(True)
t0 = torch.zeros(1, 1)
def show(tag):
    for n, p in model.named_parameters():
        print(tag, n, None if p.grad is None else p.grad.flatten().tolist())
    model.zero_grad()
# A: two forwards, no double backward
(model(t).pow(2).mean() + (model(t0) - 1).pow(2).mean()).backward(); show("A")
# B: double backward only
u = model(t)
du = torch.autograd.grad(u.sum(), t, create_graph=True)[0]
(du ** 2).mean().backward(); show("B")
# C: double backward + u
u = model(t)
du = torch.autograd.grad(u.sum(), t, create_graph=True)[0]
((du + u) ** 2).mean().backward(); show("C")
# D: C + ic
u = model(t)
du = torch.autograd.grad(u.sum(), t, create_graph=True)[0]
(((du + u) ** 2).mean() + (model(t0) - 1).pow(2).mean()).backward(); show("D")
"""

# retain_grad's gradient is kept in every pass that computes it, autograd.grad's too;
# recorded (create_graph), its first value is a clone (CloneBackward0).
RETAIN_GRAD = """\
import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
y.retain_grad()
z = (y ** 2).sum()
g, = torch.autograd.grad(z, x, retain_graph=True)
print(g, y.grad)
g, = torch.autograd.grad(z, y, retain_graph=True)
print(g, y.grad)
z.backward()
print(y.grad, x.grad)
w = x * 2
w.retain_grad()
q = (w ** 3).sum()
gx, = torch.autograd.grad(q, x, create_graph=True)
print(w.grad)
v = x + 1
v.retain_grad()
(g,) = torch.autograd.grad((v * v).sum(), v)
print(g, v.grad)
"""

# addmm's wᵀ node after a create_graph backward has put it in: next_functions unchanged.
WEIGHT_T_NODE = """\
import torch
torch.manual_seed(0)
lin = torch.nn.Linear(3, 2)
x = torch.randn(4, 3, requires_grad=True)
y = lin(x)
print(y.grad_fn.next_functions)
g, = torch.autograd.grad(y.sum(), x, create_graph=True)
print(y.grad_fn.next_functions)
tb = y.grad_fn.next_functions[2][0]
print(tb, tb.next_functions, tb.name())
print(g.grad_fn, g.grad_fn.next_functions)
(g ** 2).sum().backward()
print(lin.weight.grad, lin.bias.grad)
"""


# u_xx by a second create_graph backward through the first one's grad @ w: its parts of a
# weight's gradient meet at that backward's own transpose of wᵀ first.
HEAT_PINN = """\
# heat equation u_t = alpha u_xx, second derivatives through autograd.grad
import math
import torch
from torch import nn

torch.manual_seed(1)
alpha = 0.1

net = nn.Sequential(nn.Linear(2, 20), nn.Tanh(), nn.Linear(20, 20), nn.Tanh(), nn.Linear(20, 1))

def u_fn(x, t):
    return net(torch.cat([x, t], dim=1))

def pde_residual(x, t):
    x.requires_grad_(True)
    t.requires_grad_(True)
    u = u_fn(x, t)
    u_x, u_t = torch.autograd.grad(u.sum(), (x, t), create_graph=True)
    u_xx = torch.autograd.grad(u_x.sum(), x, create_graph=True)[0]
    return u_t - alpha * u_xx

N = 64
x_c = torch.rand(N, 1)
t_c = torch.rand(N, 1)
x_ic = torch.rand(32, 1)
t_ic = torch.zeros(32, 1)
u_ic = torch.sin(math.pi * x_ic)
x_bc = torch.cat([torch.zeros(16, 1), torch.ones(16, 1)])
t_bc = torch.rand(32, 1)

optimizer = torch.optim.Adam(net.parameters(), lr=5e-3)
mse = nn.MSELoss()
history = []
for it in range(101):
    optimizer.zero_grad()
    r = pde_residual(x_c.clone(), t_c.clone())
    l_pde = mse(r, torch.zeros_like(r))
    l_ic = mse(u_fn(x_ic, t_ic), u_ic)
    l_bc = mse(u_fn(x_bc, t_bc), torch.zeros_like(t_bc))
    loss = l_pde + l_ic + l_bc
    loss.backward()
    optimizer.step()
    history.append(loss.item())
    if it % 25 == 0:
        print("it=%d loss=%.5f (pde %.5f, ic %.5f, bc %.5f)" % (it, loss, l_pde, l_ic, l_bc))

print("final", round(history[-1], 6), "min", min(history))
xs = torch.linspace(0, 1, 5).unsqueeze(1)
ts = torch.full_like(xs, 0.5)
with torch.no_grad():
    print(u_fn(xs, ts).squeeze())
    print(torch.sin(math.pi * xs).squeeze() * math.exp(-alpha * math.pi ** 2 * 0.5))
"""


@pytest.mark.parametrize("program", [PINN_SUMS, RETAIN_GRAD, WEIGHT_T_NODE, HEAT_PINN],
                         ids=["pinn_sums", "retain_grad", "weight_t_node", "heat_pinn"])
def test_create_graph_program_prints_what_pytorch_prints(program: str) -> None:
    assert masked(gd_output(program)) == masked(torch_output(program))


# functorch's forward mode (torch.func.jvp, jacfwd) lets a Python float operand of a 0-d
# float32 tensor promote its tangent to float64 (a pendulum's state[0] * 9.81), and
# promotes onwards; torch.autograd.forward_ad does not.
FUNCTORCH_TANGENTS = """\
import torch
import torch.autograd.forward_ad as fwAD
from torch.func import jvp, jacfwd, jacrev, vmap
s = torch.tensor(0.3); t = torch.tensor(1.0)
fs = {
    'x*2.0': lambda v: v*2.0,
    'x*2': lambda v: v*2,
    '2.0*x': lambda v: 2.0*v,
    'x/3.0': lambda v: v/3.0,
    'x+1.0': lambda v: v+1.0,
    'x-1.0': lambda v: v-1.0,
    '1.0-x': lambda v: 1.0-v,'2.0/x': lambda v: 2.0/v,
    'x**2': lambda v: v**2,
    'x**2.0': lambda v: v**2.0,
    '2.0**x': lambda v: 2.0**v,
    'sin': torch.sin,
    'exp*2': lambda v: torch.exp(v)*2.0,
    'sin(x*2.0)': lambda v: torch.sin(v * 2.0),
    'clamp': lambda v: v.clamp(0.0, 1.0),
    'where': lambda v: torch.where(v>0, v, 0.0),
    'x*x': lambda v: v*v,
    'add(x,1.0,alpha=2)': lambda v: torch.add(v, 1.0, alpha=2),
    'x.mul(2.0)': lambda v: v.mul(2.0),
    'torch.mul': lambda v: torch.mul(v, 2.0),
    '1.0+x': lambda v: 1.0 + v,
    'x*2.0*x': lambda v: v * 2.0 * v,
}
for k, f in fs.items():
    o, tt = jvp(f, (s,), (t,))
    with fwAD.dual_level():
        d = fwAD.make_dual(s, t)
        r = fwAD.unpack_dual(f(d)).tangent
    print(k, o.dtype, tt.dtype, tt, jacfwd(f)(s).dtype, r.dtype if r is not None else None)
def pendulum(state, g=9.81, l=1.0):
    theta, omega = state[..., 0], state[..., 1]
    return torch.stack([omega, -(g / l) * torch.sin(theta)], dim=-1)
st = torch.tensor([0.3, -0.1])
print(jacfwd(pendulum)(st), jacrev(pendulum)(st))
print(jvp(pendulum, (st,), (torch.tensor([1.0, 0.0]),)))
v = torch.tensor([1.0, 2.0])
print(jvp(lambda a: a * 2.0, (v,), (v,)))
print(jacfwd(lambda a: torch.stack([a[0] * 3.0, a[1] ** 2]))(v))
print(torch.autograd.functional.jvp(lambda a: a[0] * 2.0, v, v))
"""

# stack unsqueezes each input first: 0-d tensors of two dtypes promote as dimensioned ones.
STACK_PROMOTION = """\
import torch
a = torch.tensor(1.0); b = torch.tensor(2.0, dtype=torch.float64); i = torch.tensor(3)
print(torch.stack([a, b]).dtype, torch.stack([b, a]).dtype,
      torch.stack([a, i]).dtype, torch.stack([i, a]).dtype)
print(torch.stack([a.reshape(1), b.reshape(1)]).dtype,
      torch.cat([a.reshape(1), b.reshape(1)]).dtype)
print(torch.stack([a, b], dim=-1), torch.hstack([a, b]).dtype, torch.vstack([a, b]).dtype)
"""


@pytest.mark.parametrize("program", [FUNCTORCH_TANGENTS, STACK_PROMOTION],
                         ids=["functorch_tangents", "stack_promotion"])
def test_dtype_program_prints_what_pytorch_prints(program: str) -> None:
    assert gd_output(program) == torch_output(program)
