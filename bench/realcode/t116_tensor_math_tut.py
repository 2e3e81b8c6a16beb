# numeric recipes in tutorials: trapezoid integration, cumulative ops, polynomial eval with Horner, finite-difference derivative, root by bisection
import math
import torch
x = torch.linspace(0, math.pi, 101)
print(torch.trapezoid(torch.sin(x), x), torch.trapz(torch.sin(x), x), torch.cumulative_trapezoid(torch.ones(5))[-1])
print(torch.cumsum(torch.arange(1., 6.), 0), torch.cumprod(torch.arange(1., 6.), 0), torch.cummax(torch.tensor([1, 3, 2, 5, 4]), 0))
def horner(coeffs, t):
    out = torch.zeros_like(t)
    for c in coeffs:
        out = out * t + c
    return out
t = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)
p = horner([1.0, -2.0, 0.5, 3.0], t)
p.sum().backward()
print(p, t.grad)
h = 1e-3
f = lambda z: torch.exp(-z ** 2)
z0 = torch.tensor(0.7, dtype=torch.float64)
print((f(z0 + h) - f(z0 - h)) / (2 * h), -2 * z0 * f(z0))
lo, hi = torch.tensor(0.0), torch.tensor(2.0)
for _ in range(30):
    mid = (lo + hi) / 2
    if (mid ** 3 - 2) > 0:
        hi = mid
    else:
        lo = mid
print(mid, 2 ** (1 / 3))
print(torch.logspace(0, 2, 3), torch.polyval if hasattr(torch, 'polyval') else 'no polyval', torch.special.expit(torch.tensor(0.0)))
print(torch.fft.rfft(torch.tensor([1.0, 0.0, -1.0, 0.0])).abs(), torch.kron(torch.eye(2), torch.ones(1, 2)))
