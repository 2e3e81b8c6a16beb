# --- correlation cov tables
import torch

torch.manual_seed(12)
n = 50
a = torch.randn(n, dtype=torch.float64)
b = 0.8 * a + 0.6 * torch.randn(n, dtype=torch.float64)
c = torch.randn(n, dtype=torch.float64)
M = torch.stack([a, b, c])
C = torch.corrcoef(M)
print(C)
names = ["a", "b", "c"]
print("     " + "".join(f"{nm:>8}" for nm in names))
for i, nm in enumerate(names):
    print(f"{nm:>5}" + "".join(f"{C[i, j].item():8.3f}" for j in range(3)))
print(torch.cov(M), torch.cov(M, correction=0)[0, 0])
ranks = a.argsort().argsort().double()
print(ranks[:5])
ra, rb = a.argsort().argsort().double(), b.argsort().argsort().double()
print(f"spearman {torch.corrcoef(torch.stack([ra, rb]))[0, 1].item():.6f}")
fw = torch.tensor([1, 2, 1, 1, 3] * 10)
print(torch.cov(M, fweights=fw)[1, 2])

# --- special functions
import torch

x = torch.tensor([0.5, 1.0, 2.5, 4.0], dtype=torch.float64)
print(torch.lgamma(x), torch.special.gammaln(x))
print(torch.digamma(x), torch.polygamma(1, x))
print(torch.special.erf(x), torch.special.erfc(x), torch.special.erfinv(torch.tensor([0.0, 0.5, -0.9])))
print(torch.special.i0(x), torch.special.i0e(x), torch.special.i1(x))
print(torch.special.ndtr(x), torch.special.ndtri(torch.tensor([0.1, 0.5, 0.975])), torch.special.log_ndtr(-x))
print(torch.special.sinc(x), torch.special.zeta(x + 1, torch.tensor(1.0, dtype=torch.float64)))
print(torch.special.bessel_j0(x), torch.special.bessel_j1(x))
print(torch.mvlgamma(x + 1, p=2))
y = x.clone().requires_grad_()
torch.lgamma(y).sum().backward()
print(y.grad)
z = x.clone().requires_grad_()
torch.special.erf(z).sum().backward()
print(z.grad)
print(torch.special.gammainc(x, torch.tensor(1.0, dtype=torch.float64)), torch.special.gammaincc(x, x))
print(torch.special.xlog1py(x, x), torch.special.log1p(x), torch.special.round(x))
