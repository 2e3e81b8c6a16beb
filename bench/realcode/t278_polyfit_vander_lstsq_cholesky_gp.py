# --- polyfit vander lstsq
import torch

torch.manual_seed(0)
x = torch.linspace(-1, 1, 20, dtype=torch.float64)
y = 1 - 2 * x + 0.5 * x ** 3 + 0.01 * torch.randn(20, dtype=torch.float64)
V = torch.vander(x, N=4, increasing=True)
print(V[:3])
sol = torch.linalg.lstsq(V, y.unsqueeze(1))
print(sol.solution.squeeze())
print(sol.rank, sol.residuals, sol.singular_values)
coef = torch.linalg.solve(V.T @ V, V.T @ y)
print(coef)
coef2 = torch.linalg.pinv(V) @ y
print(coef2)
Q, R = torch.linalg.qr(V)
coef3 = torch.linalg.solve_triangular(R, (Q.T @ y).unsqueeze(1), upper=True).squeeze()
print(coef3)
print(torch.allclose(coef, coef2), torch.allclose(coef, coef3))
print(torch.vander(torch.tensor([1, 2, 3])))

# --- cholesky gp
import torch

def rbf(a, b, ls=0.5, var=1.0):
    d2 = torch.cdist(a, b) ** 2
    return var * torch.exp(-0.5 * d2 / ls ** 2)

X = torch.linspace(0, 1, 6, dtype=torch.float64).unsqueeze(1)
y = torch.sin(6 * X).squeeze()
Xs = torch.tensor([[0.25], [0.55], [0.9]], dtype=torch.float64)
K = rbf(X, X) + 1e-4 * torch.eye(6, dtype=torch.float64)
L = torch.linalg.cholesky(K)
alpha = torch.cholesky_solve(y.unsqueeze(1), L)
Ks = rbf(Xs, X)
mu = (Ks @ alpha).squeeze()
v = torch.linalg.solve_triangular(L, Ks.T, upper=False)
var = rbf(Xs, Xs).diag() - (v ** 2).sum(0)
print(mu)
print(var.clamp_min(0))
nll = 0.5 * y @ alpha.squeeze() + torch.log(torch.diagonal(L)).sum() + 3 * torch.log(torch.tensor(2 * torch.pi, dtype=torch.float64))
print(f"nll={nll.item():.6f}")
print(torch.linalg.cholesky_ex(K).info)
U = torch.linalg.cholesky(K, upper=True)
print(torch.allclose(U, L.T))
print(torch.cholesky_inverse(L)[0, :3])
