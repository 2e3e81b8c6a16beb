# --- functional jacobian hessian
import torch
from torch.autograd.functional import jacobian, hessian, jvp, vjp, hvp, vhp

def f(x):
    return torch.stack([x[0] ** 2 * x[1], 5 * x[0] + torch.sin(x[1]), x[1] ** 3])

def g(x):
    return (x ** 4).sum() + x[0] * x[1]

x = torch.tensor([1.0, 2.0])
print(jacobian(f, x))
print(jacobian(f, x, vectorize=True))
print(jacobian(f, x, vectorize=True, strategy="forward-mode"))
print(hessian(g, x))
print(hessian(g, x, vectorize=True))
v = torch.tensor([1.0, -1.0])
print(jvp(f, x, v))
print(vjp(f, x, torch.tensor([1.0, 0.0, 1.0])))
print(hvp(g, x, v))
print(vhp(g, x, v))
def two(a, b):
    return a * b + b.sum()
J = jacobian(two, (torch.ones(2), torch.arange(2.0)))
print(J)
print(type(J).__name__, len(J))

# --- func transforms
import torch
from torch.func import grad, grad_and_value, jacrev, jacfwd, hessian, vmap

def f(x):
    return torch.sin(x).sum() + (x ** 2).prod()

x = torch.tensor([0.5, 1.5, -0.3])
print(grad(f)(x))
g, v = grad_and_value(f)(x)
print(g, v)
print(jacrev(torch.sin)(x))
print(jacfwd(torch.sin)(x))
print(hessian(f)(x))
def loss(w, b, xs, ys):
    return ((xs @ w + b - ys) ** 2).mean()
w = torch.tensor([1.0, -1.0]); b = torch.tensor(0.5)
xs = torch.tensor([[1.0, 2.0], [3.0, 4.0], [0.0, 1.0]]); ys = torch.tensor([0.0, 1.0, 2.0])
gw, gb = grad(loss, argnums=(0, 1))(w, b, xs, ys)
print(gw, gb)
(gw2, gb2), val = grad_and_value(loss, argnums=(0, 1))(w, b, xs, ys)
print(gw2, gb2, val)
def aux_f(x):
    y = x.exp()
    return y.sum(), {"y": y}
gg, aux = grad(aux_f, has_aux=True)(x)
print(gg, aux)
