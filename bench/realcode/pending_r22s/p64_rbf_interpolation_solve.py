import torch

xk = torch.tensor([0.0, 0.3, 0.7, 1.0], dtype=torch.float64)
fk = torch.cos(3 * xk)
eps = 2.0
Phi = torch.exp(-(eps * (xk[:, None] - xk[None, :])) ** 2)
w = torch.linalg.solve(Phi, fk)
xs = torch.linspace(0, 1, 6, dtype=torch.float64)
approx = torch.exp(-(eps * (xs[:, None] - xk[None, :])) ** 2) @ w
print(w)
print(approx)
print(torch.cos(3 * xs) - approx)
LU, piv = torch.linalg.lu_factor(Phi)
print(torch.linalg.lu_solve(LU, piv, fk.unsqueeze(1)).squeeze())
P, L, U = torch.linalg.lu(Phi)
print(torch.allclose(P @ L @ U, Phi))
print(piv)
