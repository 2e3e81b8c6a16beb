# implicit differentiation / fixed points: solve x = tanh(Wx + b) by iteration, gradient by implicit function theorem
import torch
torch.manual_seed(39)
n = 3
W = torch.randn(n, n) * 0.3
W.requires_grad_(True)
b = torch.randn(n, requires_grad=True)
def f(z):
    return torch.tanh(W @ z + b)
with torch.no_grad():
    z = torch.zeros(n)
    for i in range(100):
        z_new = f(z)
        if (z_new - z).norm() < 1e-7:
            break
        z = z_new
print(i, z)
z = z.requires_grad_()
fz = f(z)
J = torch.autograd.functional.jacobian(f, z.detach())
loss_grad = torch.ones(n)
v = torch.linalg.solve((torch.eye(n) - J).T, loss_grad)
gW, gb = torch.autograd.grad(fz, (W, b), v)
print(gb)
zz = torch.zeros(n)
for _ in range(100):
    zz = f(zz)
gW2, gb2 = torch.autograd.grad(zz.sum(), (W, b))
print(torch.allclose(gb, gb2, atol=1e-4), torch.allclose(gW, gW2, atol=1e-4))
