# --- kernel regression
import torch

torch.manual_seed(0)
x = torch.sort(torch.rand(15) * 5).values
y = torch.sin(x) + 0.1 * torch.randn(15)
xq = torch.linspace(0, 5, 6)
def nw(xq, x, y, h):
    K = torch.exp(-((xq[:, None] - x[None, :]) ** 2) / (2 * h ** 2))
    return (K * y).sum(1) / K.sum(1)
for h in [0.1, 0.5, 1.0]:
    print(h, nw(xq, x, y, h))
Kxx = torch.exp(-torch.cdist(x[:, None], x[:, None]) ** 2)
alpha = torch.linalg.solve(Kxx + 0.1 * torch.eye(15), y)
pred = torch.exp(-torch.cdist(xq[:, None], x[:, None]) ** 2) @ alpha
print(pred)
print(torch.softmax(-(xq[:, None] - x[None, :]) ** 2 / 2, dim=1).sum(1))

# --- gmm em
import math
import torch

torch.manual_seed(2)
x = torch.cat([torch.randn(60) * 0.5 - 2, torch.randn(40) * 0.8 + 1.5]).double()
K = 2
pi = torch.full((K,), 1.0 / K, dtype=torch.float64)
mu = torch.tensor([-1.0, 1.0], dtype=torch.float64)
var = torch.ones(K, dtype=torch.float64)
prev = -math.inf
for it in range(50):
    logp = -0.5 * (torch.log(2 * math.pi * var) + (x[:, None] - mu) ** 2 / var) + torch.log(pi)
    ll = torch.logsumexp(logp, dim=1)
    r = torch.exp(logp - ll[:, None])
    Nk = r.sum(0)
    pi = Nk / x.numel()
    mu = (r * x[:, None]).sum(0) / Nk
    var = (r * (x[:, None] - mu) ** 2).sum(0) / Nk
    total = ll.sum().item()
    if it % 10 == 0:
        print(f"it {it:2d} loglik {total:.6f}")
    if abs(total - prev) < 1e-10:
        break
    prev = total
print("converged at", it)
print("pi", pi, "\nmu", mu, "\nvar", var)
print(r[:3].round(decimals=4))
