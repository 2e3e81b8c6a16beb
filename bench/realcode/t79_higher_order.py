# higher derivatives: nth derivative by repeated grad, Taylor coefficients, Laplacian
import math
import torch
x = torch.tensor(0.5, requires_grad=True)
y = torch.sin(x) * torch.exp(x)
ds = [y]
for n in range(5):
    g, = torch.autograd.grad(ds[-1], x, create_graph=True)
    ds.append(g)
print([round(d.item(), 6) for d in ds])
coeffs = [d.item() / math.factorial(i) for i, d in enumerate(ds)]
print([f"{c:.4f}" for c in coeffs])
def laplacian(f, p):
    p = p.clone().requires_grad_(True)
    g, = torch.autograd.grad(f(p), p, create_graph=True)
    return sum(torch.autograd.grad(g[i], p, retain_graph=True)[0][i] for i in range(p.numel()))
print(laplacian(lambda p: (p ** 2).sum() + p.prod(), torch.tensor([1.0, 2.0, 3.0])))
print(laplacian(lambda p: 1 / p.norm(), torch.tensor([1.0, 2.0, 2.0])))
z = torch.tensor([1.0, 2.0], requires_grad=True)
out = (z ** 3).sum()
g1 = torch.autograd.grad(out, z, create_graph=True)[0]
g2 = torch.autograd.grad(g1.sum(), z, create_graph=True)[0]
g3 = torch.autograd.grad(g2.sum(), z)[0]
print(g1, g2, g3)
xx = torch.tensor([2.0], requires_grad=True)
yy = xx ** 4
yy.backward(create_graph=True)
first = xx.grad.clone()
xx.grad.zero_() if False else None
gg = torch.autograd.grad(xx.grad, xx)[0]
print(first, gg)
