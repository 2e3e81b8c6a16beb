# Jacobian-vector and vector-Jacobian products: autograd.functional.jvp/vjp/hvp/vhp, double-backward trick
import torch
from torch.autograd.functional import jvp, vjp, hvp, vhp, jacobian
def f(x):
    return torch.stack([x[0] ** 2 * x[1], 5 * x[0] + torch.sin(x[1])])
x = torch.tensor([1.0, 2.0])
v = torch.tensor([1.0, 0.5])
print(jvp(f, x, v))
print(vjp(f, x, v))
J = jacobian(f, x)
print(J, J @ v, v @ J)
g = lambda x: (x ** 3).sum() + x.prod()
print(hvp(g, x, v), vhp(g, x, v))
xr = x.clone().requires_grad_()
y = f(xr)
u = torch.zeros_like(y, requires_grad=True)
gx, = torch.autograd.grad(y, xr, u, create_graph=True)
jv, = torch.autograd.grad(gx, u, v)
print(jv)
print(jacobian(lambda a, b: a * b, (x, v)))
print(torch.autograd.functional.jacobian(f, x, vectorize=True, strategy="forward-mode"))
