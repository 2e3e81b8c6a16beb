# The functional API: Jacobians, and Jacobian products in both directions.
#
# For f: R^n -> R^m with Jacobian J (m x n):
#   jvp(f, x, v) = (f(x), J v)     forward mode: how the outputs move when x
#                                   moves along v (one pass per input direction)
#   vjp(f, x, u) = (f(x), u^T J)   reverse mode: what y.backward(u) leaves in
#                                   x.grad (one pass per output weighting)
#   jacobian(f, x) = J             the whole matrix
import torch
from torch.autograd.functional import hessian, hvp, jacobian, jvp, vjp


def f(x):
    return torch.stack([x[0] ** 2 * x[1], 5 * x[0] + torch.sin(x[1]), x[0] * x[1]])


x = torch.tensor([1.0, 2.0])
J = jacobian(f, x)
print(J)

v = torch.tensor([1.0, -1.0])
value, Jv = jvp(f, x, v)
print(value)
print(Jv)
print(torch.allclose(Jv, J @ v))

u = torch.tensor([1.0, 0.0, 2.0])
value, uJ = vjp(f, x, u)
print(uJ)
print(torch.allclose(uJ, u @ J))

# vjp is exactly what backward computes with a `gradient` argument.
xl = x.clone().requires_grad_(True)
f(xl).backward(u)
print(xl.grad)

# Several inputs: the Jacobian is a tuple with one block per input.
def g(a, b):
    return a * b + b ** 2


a = torch.tensor([1.0, 2.0])
b = torch.tensor([3.0, 4.0])
Ja, Jb = jacobian(g, (a, b))
print(Ja)
print(Jb)

# Second order: the Hessian of a scalar function, and a Hessian-vector
# product without forming the Hessian.
def energy(x):
    return (x ** 3).sum() + x[0] * x[1]


H = hessian(energy, x)
print(H)
value, Hv = hvp(energy, x, v)
print(value, Hv)
print(torch.allclose(Hv, H @ v))
