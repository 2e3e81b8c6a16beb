# --- vmap variants
import torch
from torch.func import vmap, grad

def dot(a, b):
    return (a * b).sum()

A = torch.arange(12.0).reshape(4, 3)
B = torch.ones(4, 3)
print(vmap(dot)(A, B))
print(vmap(dot, in_dims=(0, None))(A, torch.tensor([1.0, 0.0, -1.0])))
print(vmap(dot, in_dims=(1, 1))(A, B))
print(vmap(lambda r: r * 2, out_dims=1)(A))
print(vmap(torch.outer)(A[:2], B[:2]).shape)
print(vmap(dot, chunk_size=2)(A, B))
def poly(x):
    return x ** 3 - 3 * x
xs = torch.linspace(-2, 2, 5)
print(vmap(grad(poly))(xs))
print(vmap(vmap(lambda a, b: a * b))(A, B * 2))
print(vmap(torch.trace)(torch.eye(3).expand(2, 3, 3)))

# --- forward ad dual
import torch
import torch.autograd.forward_ad as fwAD

x = torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64)
t = torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64)
with fwAD.dual_level():
    dx = fwAD.make_dual(x, t)
    y = torch.exp(dx) * torch.sin(dx) + dx.pow(2).sum()
    p, tan = fwAD.unpack_dual(y)
    print(p)
    print(tan)
    u = fwAD.unpack_dual(y)
    print(u.primal is not None, u.tangent.dtype)
    z = dx @ dx
    print(fwAD.unpack_dual(z).tangent)
print(fwAD.unpack_dual(y).tangent)
