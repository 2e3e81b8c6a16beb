# Custom autograd Functions: ReLU, Exp with save_for_backward, LegendrePolynomial3
import torch
class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)
    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input
class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)
    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)
x = torch.linspace(-1, 1, 7, requires_grad=True)
y = MyReLU.apply(x)
print(y, y.grad_fn)
y.sum().backward()
print(x.grad)
x.grad = None
P3 = LegendrePolynomial3.apply
z = P3(x)
print(z)
z.backward(torch.ones_like(z))
print(x.grad)
print(type(z.grad_fn).__name__, z.grad_fn.__class__.__name__)
print(torch.autograd.gradcheck(LegendrePolynomial3.apply, (torch.randn(4, dtype=torch.double, requires_grad=True),)))
class MulConst(torch.autograd.Function):
    @staticmethod
    def forward(ctx, tensor, constant):
        ctx.constant = constant
        return tensor * constant
    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None
a = torch.tensor([1.0, 2.0], requires_grad=True)
MulConst.apply(a, 3.0).sum().backward()
print(a.grad)
