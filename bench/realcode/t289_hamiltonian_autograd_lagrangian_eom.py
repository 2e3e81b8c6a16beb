# --- hamiltonian autograd
import torch

def H(x):
    q, p = x[..., 0], x[..., 1]
    return 0.5 * p ** 2 + (1 - torch.cos(q))

def field(x):
    x = x.requires_grad_(True)
    dH = torch.autograd.grad(H(x).sum(), x, create_graph=True)[0]
    return torch.stack([dH[..., 1], -dH[..., 0]], -1)

x = torch.tensor([[1.0, 0.0], [0.5, 0.5], [2.0, -0.1]], dtype=torch.float64)
print(field(x.clone()))
state = torch.tensor([1.0, 0.0], dtype=torch.float64)
h = 0.1
E0 = H(state).item()
for i in range(100):
    k1 = field(state.clone()).detach()
    k2 = field(state + h / 2 * k1).detach()
    k3 = field(state + h / 2 * k2).detach()
    k4 = field(state + h * k3).detach()
    state = (state + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)).detach()
print(state, f"{abs(H(state).item() - E0):.3e}")
from torch.func import jacrev
J = jacrev(lambda s: torch.stack([s[1], -torch.sin(s[0])]))(torch.tensor([0.3, 0.1]))
print(J, torch.linalg.eigvals(J))

# --- lagrangian eom
import torch
from torch.func import hessian, jacfwd, grad

def L(q, qd, m=1.0, k=2.0):
    return 0.5 * m * (qd ** 2).sum() - 0.5 * k * (q ** 2).sum() - 0.1 * q[0] * q[1]

q = torch.tensor([0.5, -0.2], dtype=torch.float64)
qd = torch.tensor([0.1, 0.3], dtype=torch.float64)
M = hessian(L, argnums=1)(q, qd)
dLdq = grad(L, argnums=0)(q, qd)
C = jacfwd(grad(L, argnums=1), argnums=0)(q, qd)
qdd = torch.linalg.solve(M, dLdq - C @ qd)
print(M)
print(dLdq)
print(C)
print(qdd)
print(torch.linalg.pinv(M) @ (dLdq - C @ qd))
