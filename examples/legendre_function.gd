# PyTorch's tutorial "Defining new autograd functions": a custom autograd.Function for the
# Legendre polynomial P3(x) = (5x³ - 3x)/2 with its own backward, used to fit
# y = a + b·P3(c + d·x) to sin(x) by gradient descent (fewer points and steps than the
# tutorial, and fixed starting values instead of random ones, so the output is exact).
import math
import torch


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)


dtype = torch.float64
x = torch.linspace(-math.pi, math.pi, 200, dtype=dtype)
y = torch.sin(x)

a = torch.full((), 0.0, dtype=dtype, requires_grad=True)
b = torch.full((), -1.0, dtype=dtype, requires_grad=True)
c = torch.full((), 0.0, dtype=dtype, requires_grad=True)
d = torch.full((), 0.3, dtype=dtype, requires_grad=True)

learning_rate = 2e-5
for t in range(2000):
    P3 = LegendrePolynomial3.apply
    y_pred = a + b * P3(c + d * x)
    loss = (y_pred - y).pow(2).sum()
    if t % 500 == 499:
        print(t, f"{loss.item():.6f}")
    loss.backward()
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None

# a and c end within rounding of 0 (sin is odd): + 0.0 drops the sign of a rounded -0.0
a_, b_, c_, d_ = (round(v.item(), 4) + 0.0 for v in (a, b, c, d))
print(f"Result: y = {a_:.4f} + {b_:.4f} * P3({c_:.4f} + {d_:.4f} x)")
print(y_pred.grad_fn.name(), LegendrePolynomial3.apply(d * x).grad_fn.name())
z = torch.tensor([0.5], requires_grad=True)
g, = torch.autograd.grad(LegendrePolynomial3.apply(z).sum(), z, create_graph=True)
print(g, torch.autograd.grad(g.sum(), z)[0])  # P3'(0.5) = 0.375, P3''(0.5) = 7.5
