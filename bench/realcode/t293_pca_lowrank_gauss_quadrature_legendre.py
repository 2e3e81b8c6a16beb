# --- pca lowrank
import torch

torch.manual_seed(0)
X = torch.randn(30, 2) @ torch.tensor([[2.0, 0.5, 0.1, 0.0], [0.0, 1.0, 0.3, 0.2]])
U, S, V = torch.pca_lowrank(X, q=2, center=True, niter=4)
print(U.shape, S.shape, V.shape)
print(S)
Xc = X - X.mean(0)
print(torch.linalg.svdvals(Xc)[:2])
print(torch.allclose(S, torch.linalg.svdvals(Xc)[:2], atol=1e-4))
U2, S2, V2 = torch.svd_lowrank(Xc, q=2)
print(S2)
u, s, v = torch.svd(Xc)
print(s[:2], v.shape)

# --- gauss quadrature legendre
import math
import torch

def legendre(n, x):
    p0, p1 = torch.ones_like(x), x
    if n == 0:
        return p0
    for k in range(1, n):
        p0, p1 = p1, ((2 * k + 1) * x * p1 - k * p0) / (k + 1)
    return p1

n = 5
k = torch.arange(1, n + 1, dtype=torch.float64)
x = torch.cos(math.pi * (k - 0.25) / (n + 0.5))
for _ in range(20):
    xr = x.clone().requires_grad_(True)
    P = legendre(n, xr)
    dP, = torch.autograd.grad(P.sum(), xr)
    x = (x - P.detach() / dP).detach()
xr = x.clone().requires_grad_(True)
dP, = torch.autograd.grad(legendre(n, xr).sum(), xr)
w = 2 / ((1 - x ** 2) * dP ** 2)
print(x)
print(w, w.sum())
f = lambda t: torch.exp(t) * torch.cos(t)
print(f"gauss: {(w * f(x)).sum().item():.15f}")
xs = torch.linspace(-1, 1, 1001, dtype=torch.float64)
print(f"trapz: {torch.trapezoid(f(xs), xs).item():.15f}")
