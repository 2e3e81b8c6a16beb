import torch
torch.manual_seed(0)
x = torch.tensor(2.0, requires_grad=True)
y = x ** 3 + 2 * x ** 2 - 5 * x + 1
y.backward()
print(y, x.grad)
x.grad.zero_()
z = torch.exp(x) * torch.sin(x)
dz, = torch.autograd.grad(z, x, create_graph=True)
d2z, = torch.autograd.grad(dz, x)
print(z.item(), dz.item(), d2z.item())
w = torch.randn(3, requires_grad=True)
print(torch.sigmoid(w).sum().item())
