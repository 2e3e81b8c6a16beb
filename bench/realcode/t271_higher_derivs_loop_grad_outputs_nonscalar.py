# --- higher derivs loop
import torch

x = torch.tensor(0.5, requires_grad=True)
y = torch.tanh(x)
derivs = [y]
for k in range(5):
    (g,) = torch.autograd.grad(derivs[-1], x, create_graph=True)
    derivs.append(g)
for k, d in enumerate(derivs):
    print(k, d.item(), d)
z = torch.linspace(-2, 2, 5, requires_grad=True)
s = torch.sigmoid(z)
g1 = torch.autograd.grad(s.sum(), z, create_graph=True)[0]
g2 = torch.autograd.grad(g1.sum(), z, retain_graph=True)[0]
print(g1)
print(g2)
print(torch.allclose(g1, s * (1 - s)))

# --- grad outputs nonscalar
import torch

x = torch.arange(1.0, 5.0, requires_grad=True)
y = x ** 2 * torch.cos(x)
try:
    y.backward()
except RuntimeError as e:
    print("RuntimeError:", e)
v = torch.tensor([1.0, 0.1, 0.01, 0.001])
y.backward(v, retain_graph=True)
print(x.grad)
x.grad.zero_()
y.backward(torch.ones_like(y))
print(x.grad)
a = torch.randn(3, 2, generator=torch.Generator().manual_seed(0), requires_grad=True)
b = a.exp() @ torch.tensor([[1.0], [2.0]])
g, = torch.autograd.grad(b, a, grad_outputs=torch.tensor([[1.0], [0.0], [-1.0]]), retain_graph=True)
print(g)
gs = torch.autograd.grad([b.sum(), (a ** 2).sum()], [a], allow_unused=True)
print(gs)
