# closed-form least squares vs gradient descent: torch.linalg.lstsq, pinv, normal equations
import torch
torch.manual_seed(19)
x = torch.linspace(-1, 1, 30)
y = 1.5 * x ** 2 - 0.5 * x + 0.3 + 0.05 * torch.randn(30)
A = torch.stack([x ** 2, x, torch.ones_like(x)], dim=1)
sol = torch.linalg.lstsq(A, y.unsqueeze(1)).solution
print(sol.squeeze().round(decimals=3))
theta = torch.linalg.inv(A.T @ A) @ A.T @ y
print(theta.round(decimals=3), torch.allclose(theta, sol.squeeze(), atol=1e-4))
print((torch.linalg.pinv(A) @ y).round(decimals=3))
p = torch.zeros(3, requires_grad=True)
opt = torch.optim.Adam([p], lr=0.1)
for i in range(300):
    loss = ((A @ p - y) ** 2).mean()
    opt.zero_grad(); loss.backward(); opt.step()
print(p.detach().round(decimals=3), f"{loss.item():.5f}")
Q, R = torch.linalg.qr(A)
print(torch.linalg.solve_triangular(R, (Q.T @ y).unsqueeze(1), upper=True).squeeze().round(decimals=3))
U, S, Vh = torch.linalg.svd(A, full_matrices=False)
print(S.round(decimals=4), torch.linalg.cond(A).round(decimals=3), torch.linalg.matrix_rank(A))
