import torch

torch.manual_seed(1)
M = torch.randn(4, 4, dtype=torch.float64)
A = M @ M.T
v = torch.ones(4, dtype=torch.float64) / 2
for i in range(100):
    w = A @ v
    lam = v @ w
    v_new = w / w.norm()
    if (v_new - v).abs().max() < 1e-12:
        break
    v = v_new
print(i, f"{lam.item():.10f}")
print(torch.linalg.eigvalsh(A)[-1])
x = torch.randn(4, dtype=torch.float64)
for _ in range(30):
    x = torch.linalg.solve(A - 0.1 * torch.eye(4, dtype=torch.float64), x)
    x = x / x.norm()
print(f"{(x @ A @ x).item():.8f}", torch.linalg.eigvalsh(A).min().item())
r = (A @ v - lam * v).norm()
print(f"residual {r.item():.2e}")
