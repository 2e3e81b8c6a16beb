import torch

z = torch.tensor([1 + 2j, 3 - 1j, -0.5j])
print(z, z.dtype)
print(z.real, z.imag, z.abs(), z.angle())
print(z.conj(), z * z.conj())
print(torch.view_as_real(z))
w = torch.complex(torch.tensor([1.0, 2.0]), torch.tensor([0.5, -1.0]))
print(w, torch.polar(torch.tensor([1.0, 2.0]), torch.tensor([0.0, torch.pi / 2])))
print(torch.exp(1j * torch.tensor([0.0, torch.pi / 4])))
r = torch.roots if hasattr(torch, "roots") else None
print(r is None)
x = torch.tensor([1.0 + 1j], requires_grad=True)
y = (x * x.conj()).real.sum()
y.backward()
print(x.grad)
print(z.sum(), z.mean(), z[0].item())
print(torch.tensor(2 + 3j).item(), complex(torch.tensor(1 - 1j)))
