# Checking a derivative the way numerical code does: a central-difference Jacobian against
# torch.autograd.functional.jacobian, torch.testing.assert_close with tolerances (and its
# failure message), rows by autograd.grad, is_grads_batched, a jvp and a second derivative.
import torch

torch.manual_seed(0)
def f(x):
    return torch.stack([x[0] * x[1] ** 2, torch.sin(x[2]) * x[0], x.norm()])

def numerical_jacobian(fn, x, eps=1e-6):
    x = x.detach().clone()
    y0 = fn(x)
    J = torch.zeros(y0.numel(), x.numel(), dtype=x.dtype)
    for i in range(x.numel()):
        xp = x.clone(); xp[i] += eps
        xm = x.clone(); xm[i] -= eps
        J[:, i] = (fn(xp) - fn(xm)) / (2 * eps)
    return J

x = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64)
Jn = numerical_jacobian(f, x)
Ja = torch.autograd.functional.jacobian(f, x)
print(Jn)
print(Ja)
print("max abs err", (Jn - Ja).abs().max().item())
torch.testing.assert_close(Ja, Jn, rtol=1e-5, atol=1e-7)

# row by row with autograd.grad
xr = x.clone().requires_grad_(True)
y = f(xr)
rows = []
for i in range(y.shape[0]):
    (g,) = torch.autograd.grad(y[i], xr, retain_graph=True)
    rows.append(g)
print(torch.stack(rows))
# using is_grads_batched
eye = torch.eye(3, dtype=torch.float64)
(Jb,) = torch.autograd.grad(y, xr, grad_outputs=eye, is_grads_batched=True)
print(Jb)
# directional derivative check
v = torch.randn(3, dtype=torch.float64)
_, jvp = torch.autograd.functional.jvp(f, x, v)
print(jvp, Ja @ v)
try:
    torch.testing.assert_close(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.1]))
except AssertionError as e:
    print(str(e))
# second derivative numerically vs autograd
def g(s):
    return s ** 3 * torch.exp(-s)
s = torch.tensor(1.3, dtype=torch.float64, requires_grad=True)
(d1,) = torch.autograd.grad(g(s), s, create_graph=True)
(d2,) = torch.autograd.grad(d1, s)
h = 1e-4
num2 = (g(s + h) - 2 * g(s) + g(s - h)) / h ** 2
print(d1.item(), d2.item(), num2.item(), abs(d2 - num2).item() < 1e-5)
