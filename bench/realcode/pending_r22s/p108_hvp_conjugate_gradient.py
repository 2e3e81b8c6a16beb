import torch
from torch.autograd.functional import hvp

torch.manual_seed(0)
A = torch.randn(4, 4, dtype=torch.float64)
A = A @ A.T + torch.eye(4, dtype=torch.float64)
b = torch.randn(4, dtype=torch.float64)
f = lambda x: 0.5 * x @ A @ x - b @ x
x = torch.zeros(4, dtype=torch.float64)
r = b.clone()
p = r.clone()
for k in range(10):
    _, Ap = hvp(f, x, p)
    alpha = (r @ r) / (p @ Ap)
    x = x + alpha * p
    r_new = r - alpha * Ap
    print(f"iter {k}: |r| = {r_new.norm().item():.3e}")
    if r_new.norm() < 1e-10:
        break
    beta = (r_new @ r_new) / (r @ r)
    p = r_new + beta * p
    r = r_new
print(x)
print(torch.linalg.solve(A, b))
