# --- hessian newton opt
import torch
from torch.autograd.functional import hessian

def f(x):
    return torch.log(torch.exp(x[0]) + torch.exp(-x[0])) + 0.5 * (x[1] - 1) ** 2 + 0.1 * x[0] * x[1]

x = torch.tensor([1.0, 0.0], dtype=torch.float64, requires_grad=True)
for it in range(6):
    fx = f(x)
    g, = torch.autograd.grad(fx, x)
    H = hessian(f, x.detach())
    step = torch.linalg.solve(H, g)
    with torch.no_grad():
        x -= step
    print(f"{it} f={fx.item():.12f} |g|={g.norm().item():.2e}")
print(x.detach(), torch.linalg.eigvalsh(H))
print(hessian(f, x.detach(), create_graph=False, strict=False, outer_jacobian_strategy="forward-mode", vectorize=True))

# --- batched linalg
import torch

torch.manual_seed(3)
A = torch.randn(3, 2, 2, dtype=torch.float64) + 2 * torch.eye(2, dtype=torch.float64)
b = torch.randn(3, 2, dtype=torch.float64)
x = torch.linalg.solve(A, b)
print(x)
print(torch.bmm(A, x.unsqueeze(-1)).squeeze(-1) - b)
print(torch.linalg.det(A), torch.linalg.inv(A)[0])
print(torch.einsum("bij,bj->bi", A, x))
print(A.transpose(-1, -2).shape, A.mT[1])
print(torch.linalg.norm(A, dim=(1, 2)), torch.linalg.matrix_norm(A).shape)
S = A @ A.mT
print(torch.linalg.cholesky(S)[2])
print(torch.linalg.eigvalsh(S))
