# --- inplace version errors
import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.sigmoid()
b.mul_(2)
try:
    b.sum().backward()
except RuntimeError as e:
    print("RuntimeError:", str(e)[:120])
try:
    a.add_(1)
except RuntimeError as e:
    print("RuntimeError:", e)
c = a.detach()
c.add_(1)
print(a)
leaf = torch.zeros(3, requires_grad=True)
with torch.no_grad():
    leaf[1] = 5.0
print(leaf, leaf.is_leaf)
try:
    torch.autograd.grad((leaf * 2).sum(), torch.ones(2, requires_grad=True))
except RuntimeError as e:
    print("RuntimeError:", e)
print(torch.autograd.grad((leaf * 2).sum(), [leaf, torch.ones(2, requires_grad=True)], allow_unused=True))
print(torch.autograd.grad((leaf * 2).sum(), [leaf, torch.ones(2, requires_grad=True)], allow_unused=True, materialize_grads=True))

# --- torch func jvp vjp linearize
import torch
from torch.func import jvp, vjp, linearize, jacfwd

def f(x):
    return torch.stack([x[0] * x[1], torch.exp(x[0]) - x[1] ** 2])

x = torch.tensor([0.5, 2.0])
out, tangent = jvp(f, (x,), (torch.tensor([1.0, 0.0]),))
print(out, tangent)
out2, vjp_fn = vjp(f, x)
print(vjp_fn(torch.tensor([1.0, 1.0])))
out3, jvp_fn = linearize(f, x)
print(out3, jvp_fn(torch.tensor([0.0, 1.0])))
print(jacfwd(f)(x))
def g(a, b):
    return a * b.sin()
print(jvp(g, (torch.tensor(1.0), torch.tensor(0.5)), (torch.tensor(1.0), torch.tensor(0.0))))
o, fn = vjp(g, torch.tensor([1.0, 2.0]), torch.tensor([0.5, 0.1]))
print(fn(torch.ones(2)))
