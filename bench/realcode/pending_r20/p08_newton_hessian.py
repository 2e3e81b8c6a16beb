# Newton's method with autograd Hessians; torch.autograd.functional.hessian
import torch
from torch.autograd.functional import hessian, jacobian
def f(x):
    return (x[0] - 1) ** 4 + (x[0] - 2 * x[1]) ** 2 + torch.exp(0.1 * x[1])
x = torch.tensor([3.0, 1.0], dtype=torch.float64, requires_grad=True)
for k in range(6):
    y = f(x)
    g, = torch.autograd.grad(y, x, create_graph=True)
    H = torch.stack([torch.autograd.grad(g[i], x, retain_graph=True)[0] for i in range(2)])
    step = torch.linalg.solve(H, g)
    with torch.no_grad():
        x -= step
    print(k, x.detach().numpy().round(6), f"{y.item():.8f}", g.norm().item() < 1e-3)
print(hessian(f, x.detach()))
print(jacobian(lambda z: torch.autograd.functional.jacobian(f, z, create_graph=True), x.detach()))
def rosen(v):
    return (1 - v[0]) ** 2 + 100 * (v[1] - v[0] ** 2) ** 2
H = hessian(rosen, torch.tensor([1.0, 1.0]))
print(H, torch.linalg.eigvalsh(H))
x0 = torch.tensor(2.0, requires_grad=True)
for _ in range(5):
    y = x0 ** 3 - 2 * x0 - 5
    dy, = torch.autograd.grad(y, x0)
    x0 = (x0 - y / dy).detach().requires_grad_()
print(x0)
