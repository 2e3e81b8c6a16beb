# gradcheck and gradgradcheck of a custom autograd.Function (right and wrong backward,
# raise_exception=False), of linalg.solve and det, of a composite with tanh, softplus and
# logsumexp (fast_mode).
import torch
from torch.autograd import gradcheck, gradgradcheck, Function

class MyCube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return grad_out * 3 * x ** 2

class BadSquare(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x  # wrong: missing factor 2

torch.manual_seed(0)
x = torch.randn(5, dtype=torch.double, requires_grad=True)
print("cube ok:", gradcheck(MyCube.apply, (x,), eps=1e-6, atol=1e-4))
print("gradgrad ok:", gradgradcheck(MyCube.apply, (x,)))
print("bad:", gradcheck(BadSquare.apply, (x,), raise_exception=False))
try:
    gradcheck(BadSquare.apply, (x,))
except RuntimeError as e:
    print("caught", type(e).__name__, str(e).splitlines()[0])

a = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)
b = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)
print(gradcheck(torch.linalg.solve, (a, b)))
print(gradcheck(lambda m: torch.linalg.det(m), (a,)))
print(gradgradcheck(lambda m, n: (m @ n).tanh(), (a, b)))
print(gradcheck(torch.nn.functional.softplus, (x,)))
print(gradcheck(lambda t: torch.logsumexp(t, 0), (x,), fast_mode=True))
