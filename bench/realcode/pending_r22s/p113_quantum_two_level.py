import torch

sx = torch.tensor([[0, 1], [1, 0]], dtype=torch.complex128)
sy = torch.tensor([[0, -1j], [1j, 0]], dtype=torch.complex128)
sz = torch.tensor([[1, 0], [0, -1]], dtype=torch.complex128)
print(sx @ sy - sy @ sx, torch.allclose(sx @ sy - sy @ sx, 2j * sz))
H = 0.5 * sz + 0.3 * sx
evals, evecs = torch.linalg.eigh(H)
print(evals)
print(torch.linalg.eigvalsh(H))
psi0 = torch.tensor([1, 0], dtype=torch.complex128)
for t in [0.0, 1.0, 2.0]:
    U = torch.linalg.matrix_exp(-1j * H * t)
    psi = U @ psi0
    p = psi.abs() ** 2
    print(f"t={t:.1f} P0={p[0].item():.6f} P1={p[1].item():.6f} norm={p.sum().item():.6f}")
print(torch.linalg.det(U), torch.linalg.inv(U) @ U)
rho = torch.outer(psi, psi.conj())
print(torch.trace(rho).real, torch.trace(rho @ sz).real.item())
print(torch.kron(sx, sz).shape, torch.linalg.norm(U, 2))
