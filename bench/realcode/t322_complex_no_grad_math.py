# --- complex no grad math
import cmath
import torch

roots = torch.tensor([cmath.exp(2j * cmath.pi * k / 5) for k in range(5)])
print(roots)
print(roots.abs(), (roots ** 5).real.round(decimals=5))
print(torch.prod(roots).real.round(decimals=6), roots.sum().abs() < 1e-6)
A = torch.tensor([[0.0, -1.0], [1.0, 0.0]])
w = torch.linalg.eigvals(A)
print(w, w.imag.sort().values)
z = torch.randn(3, dtype=torch.complex64, generator=torch.Generator().manual_seed(0))
print(z, z.dtype, torch.view_as_real(z).shape)
print(torch.abs(torch.tensor(3 + 4j)), torch.angle(torch.tensor(-1 + 0j)))
c = torch.tensor([1 + 1j, 2 - 1j], dtype=torch.complex128)
print(c @ c, torch.vdot(c, c), (c * c.conj()).real.sum())
print(torch.sqrt(torch.tensor(-4.0 + 0j)), torch.exp(torch.tensor(1j * torch.pi)))
