# --- trapz simpson
import math
import torch

x = torch.linspace(0, math.pi, 11, dtype=torch.float64)
y = torch.sin(x)
print(torch.trapz(y, x))
print(torch.trapezoid(y, x))
print(torch.trapezoid(y, dx=x[1] - x[0]))
print(torch.trapezoid(y, dx=0.1))
print(torch.cumulative_trapezoid(y, x))
def simpson(y, h):
    return h / 3 * (y[0] + y[-1] + 4 * y[1:-1:2].sum() + 2 * y[2:-1:2].sum())
h = (x[1] - x[0]).item()
s = simpson(y, h)
print(s, f"{s.item():.12f}", abs(s.item() - 2.0) < 1e-3)
Y = torch.stack([y, y ** 2])
print(torch.trapezoid(Y, x, dim=1))
print(torch.trapezoid(torch.tensor([1, 2, 3])))
a = torch.tensor(1.0, requires_grad=True)
xs = torch.linspace(0, 1, 21)
area = torch.trapezoid(torch.exp(a * xs), xs)
area.backward()
print(area, a.grad)

# --- fd vs autograd
import torch

def f(x):
    return torch.exp(torch.sin(x)) * x ** 2

x0 = torch.tensor(1.3, dtype=torch.float64, requires_grad=True)
true, = torch.autograd.grad(f(x0), x0)
print(f"autograd: {true.item():.15e}")
print(f"{'h':>10} {'forward':>14} {'central':>14} {'err_f':>10} {'err_c':>10}")
with torch.no_grad():
    for k in range(1, 9):
        h = 10.0 ** (-k)
        fwd = (f(x0 + h) - f(x0)) / h
        cen = (f(x0 + h) - f(x0 - h)) / (2 * h)
        print(f"{h:10.0e} {fwd.item():14.10f} {cen.item():14.10f} {abs(fwd - true).item():10.2e} {abs(cen - true).item():10.2e}")
x32 = torch.tensor(1.3)
for h in [1e-2, 1e-3, 1e-4]:
    print(h, ((f(x32 + h) - f(x32 - h)) / (2 * h)).item())
