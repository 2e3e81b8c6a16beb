# --- custom fn jvp
import torch
import torch.autograd.forward_ad as fwAD

class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        ctx.x = x
        return x ** 3
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * x ** 2 * g
    @staticmethod
    def jvp(ctx, t):
        return 3 * ctx.x ** 2 * t

x = torch.tensor([1.0, 2.0])
with fwAD.dual_level():
    d = fwAD.make_dual(x, torch.ones(2))
    out = Cube.apply(d)
    print(fwAD.unpack_dual(out).tangent)
xr = x.clone().requires_grad_()
Cube.apply(xr).sum().backward()
print(xr.grad)
class Square(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return x ** 2
    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 2 * x * g
from torch.func import grad, vmap
print(grad(lambda t: Square.apply(t).sum())(x))

# --- ode param fit
import torch

torch.manual_seed(0)
t_obs = torch.linspace(0, 2, 9)
true_k = 1.3
y_obs = torch.exp(-true_k * t_obs) + 0.01 * torch.randn(9)
k = torch.tensor(0.5, requires_grad=True)
opt = torch.optim.Adam([k], lr=0.05)
def simulate(k, n_sub=10):
    ys = [torch.tensor(1.0)]
    h = (t_obs[1] - t_obs[0]) / n_sub
    y = ys[0]
    for i in range(len(t_obs) - 1):
        for _ in range(n_sub):
            y = y + h * (-k * y)
        ys.append(y)
    return torch.stack(ys)
for it in range(80):
    opt.zero_grad()
    loss = ((simulate(k) - y_obs) ** 2).sum()
    loss.backward()
    opt.step()
    if it % 20 == 0:
        print(f"it={it:3d} k={k.item():.5f} loss={loss.item():.3e} grad={k.grad.item():+.4f}")
print(round(k.item(), 3))
