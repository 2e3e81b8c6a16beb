# --- gradcheck custom fn
import torch
from torch.autograd import gradcheck, gradgradcheck

class Softplus(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, beta):
        ctx.save_for_backward(x)
        ctx.beta = beta
        return torch.log1p(torch.exp(beta * x)) / beta

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * torch.sigmoid(ctx.beta * x), None

x = torch.randn(5, dtype=torch.double, generator=torch.Generator().manual_seed(3), requires_grad=True)
print(gradcheck(lambda t: Softplus.apply(t, 2.0), (x,), eps=1e-6, atol=1e-4))
print(gradgradcheck(lambda t: Softplus.apply(t, 2.0), (x,)))
print(gradcheck(torch.nn.functional.softplus, (x,)))
class Bad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x ** 2
    @staticmethod
    def backward(ctx, g):
        return g * 3.0
y = torch.tensor([1.0, 2.0], dtype=torch.double, requires_grad=True)
print(gradcheck(Bad.apply, (y,), raise_exception=False))
try:
    gradcheck(Bad.apply, (y,))
except Exception as e:
    print(type(e).__name__, str(e).splitlines()[0])

# --- newton bisection secant
import torch

def f(x):
    return x ** 3 - 2 * x - 5

x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
for i in range(6):
    y = f(x)
    (d,) = torch.autograd.grad(y, x)
    with torch.no_grad():
        x -= y / d
    print(f"newton {i}: x={x.item():.15f} f={f(x).item():+.3e}")
a, b = torch.tensor(2.0, dtype=torch.float64), torch.tensor(3.0, dtype=torch.float64)
for i in range(30):
    m = (a + b) / 2
    if f(a) * f(m) <= 0:
        b = m
    else:
        a = m
print("bisection", m.item(), f"{m.item():.10f}")
x0, x1 = 2.0, 3.0
for i in range(8):
    f0, f1 = f(torch.tensor(x0)).item(), f(torch.tensor(x1)).item()
    if f1 == f0:
        break
    x0, x1 = x1, x1 - f1 * (x1 - x0) / (f1 - f0)
print("secant", x1, torch.tensor(x1))
