# --- scalar derivs table
import math
import torch

def f(x):
    return x ** 3 - 2 * x ** 2 + torch.sin(x) * torch.exp(-x)

print(f"{'x':>6} | {'f(x)':>12} | {'df/dx':>12} | {'d2f/dx2':>12}")
print("-" * 50)
for xv in [-1.0, -0.5, 0.0, 0.5, 1.0, 2.0]:
    x = torch.tensor(xv, dtype=torch.float64, requires_grad=True)
    y = f(x)
    (g,) = torch.autograd.grad(y, x, create_graph=True)
    (h,) = torch.autograd.grad(g, x)
    print(f"{xv:6.2f} | {y.item():12.6f} | {g.item():12.6f} | {h.item():12.6f}")
x = torch.tensor(0.7, requires_grad=True)
y = torch.log1p(x ** 2) / (1 + x)
y.backward()
print(x.grad, x.grad.item(), type(x.grad.item()).__name__)
print(round(x.grad.item(), 4), math.isclose(x.grad.item(), 0.2, abs_tol=1.0))

# --- chain rule steps
import torch

x = torch.tensor(2.0, requires_grad=True)
u = x ** 2 + 1
u.retain_grad()
v = torch.sqrt(u)
v.retain_grad()
w = torch.log(v) * 3
w.retain_grad()
w.backward()
print("u =", u, "v =", v, "w =", w)
print("dw/dw", w.grad)
print("dw/dv", v.grad, "expected", 3 / v.item())
print("dw/du", u.grad)
print("dw/dx", x.grad)
print(u.grad_fn, v.grad_fn.name(), w.grad_fn.next_functions)
print(x.is_leaf, u.is_leaf, u.requires_grad)
manual = 3 / v * (0.5 / torch.sqrt(u)) * 2 * x
print(torch.allclose(manual, x.grad), manual)
