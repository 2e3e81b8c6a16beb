# torch.func on a pendulum's vector field and its energy: jacfwd (float64 tangents where a
# Python float multiplies a 0-d state entry, as functorch gives them), jacrev, vmap of
# jacobians and Hessians, jvp/vjp, grad with has_aux, argnums.
import torch
from torch.func import jacfwd, jacrev, vmap, hessian, jvp, vjp, grad, linearize

torch.manual_seed(0)
def pendulum(state, g=9.81, l=1.0):
    theta, omega = state[..., 0], state[..., 1]
    return torch.stack([omega, -(g / l) * torch.sin(theta)], dim=-1)

s = torch.tensor([0.3, -0.1])
print(jacfwd(pendulum)(s))
print(jacrev(pendulum)(s))
batch = torch.randn(5, 2)
Jb = vmap(jacfwd(pendulum))(batch)
print(Jb.shape, Jb[2])
out, tangent = jvp(pendulum, (s,), (torch.tensor([1.0, 0.0]),))
print(out, tangent)
out, vjp_fn = vjp(pendulum, s)
print(vjp_fn(torch.tensor([0.0, 1.0])))
def energy(st):
    return 0.5 * st[1] ** 2 + 9.81 * (1 - torch.cos(st[0]))
print(grad(energy)(s), hessian(energy)(s))
print(vmap(grad(energy))(batch))
print(vmap(hessian(energy))(batch)[0])
# jacobian of a function with kwargs and tuple output
def f2(x, y):
    return x * y, (x ** 2).sum()
jx, jy = jacrev(f2, argnums=(0, 1))(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]))[0]
print(jx, jy)
print(jacrev(f2, has_aux=False)(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]))[1])
def with_aux(x):
    y = x.sin()
    return y.sum(), {"y": y}
g, aux = grad(with_aux, has_aux=True)(torch.tensor([0.0, 1.0]))
print(g, aux)
print(vmap(torch.dot)(torch.randn(3, 4), torch.randn(3, 4)))
print(vmap(lambda a, b: a @ b, in_dims=(0, None))(torch.randn(2, 3, 3), torch.ones(3)))
print(vmap(torch.trace)(torch.arange(18.0).reshape(2, 3, 3)))
print(vmap(lambda v: v.sum(0), in_dims=1, out_dims=0)(torch.arange(6.0).reshape(2, 3)))
