# --- heat equation fd
import torch

nx, nt = 11, 50
alpha = 0.1
dx = 1.0 / (nx - 1)
dt = 0.4 * dx ** 2 / alpha
x = torch.linspace(0, 1, nx)
u = torch.sin(torch.pi * x)
for n in range(nt):
    lap = torch.zeros_like(u)
    lap[1:-1] = (u[2:] - 2 * u[1:-1] + u[:-2]) / dx ** 2
    u = u + alpha * dt * lap
print(u)
exact = torch.exp(torch.tensor(-alpha * torch.pi ** 2 * dt * nt)) * torch.sin(torch.pi * x)
print((u - exact).abs().max())
k = torch.tensor([1.0, -2.0, 1.0]).view(1, 1, 3)
u2 = torch.sin(torch.pi * x).view(1, 1, -1)
print(torch.nn.functional.conv1d(u2, k).squeeze() / dx ** 2)
print(torch.diff(torch.sin(torch.pi * x), n=2) / dx ** 2)
print(torch.gradient(torch.sin(torch.pi * x), spacing=dx))

# --- bisection vectorized tolist
import torch

c = torch.tensor([2.0, 3.0, 10.0, 0.5], dtype=torch.float64)
lo = torch.zeros_like(c)
hi = torch.maximum(c, torch.ones_like(c))
it = 0
while (hi - lo).max() > 1e-12:
    mid = (lo + hi) / 2
    too_big = mid * mid > c
    hi = torch.where(too_big, mid, hi)
    lo = torch.where(too_big, lo, mid)
    it += 1
print(it, lo.tolist())
print([round(v, 10) for v in lo.tolist()], c.sqrt())
print(torch.isclose(lo, c.sqrt()), torch.allclose(lo, c.sqrt(), rtol=0, atol=1e-11))
row = "{:>8} " * 4
print(row.format(*["c", "sqrt", "err", "ok"]))
for ci, si in zip(c.tolist(), lo.tolist()):
    print(row.format(ci, f"{si:.6f}", f"{abs(si - ci ** 0.5):.1e}", str(abs(si - ci ** 0.5) < 1e-9)))
