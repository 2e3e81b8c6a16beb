# torch.autograd.Function as the docs write it: ctx.save_for_backward, ctx.needs_input_grad,
# a non-tensor argument's None gradient, mark_non_differentiable and once_differentiable.
import torch
from torch.autograd import Function
from torch.autograd.function import once_differentiable

class MulAdd(Function):
    @staticmethod
    def forward(ctx, x, y, k):
        ctx.save_for_backward(x, y)
        ctx.k = k
        return x * y + k

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        print("needs", ctx.needs_input_grad)
        gx = gy = None
        if ctx.needs_input_grad[0]:
            gx = g * y
        if ctx.needs_input_grad[1]:
            gy = g * x
        return gx, gy, None

class ArgSort(Function):
    @staticmethod
    def forward(ctx, x):
        v, i = x.sort()
        ctx.mark_non_differentiable(i)
        ctx.save_for_backward(i)
        return v, i

    @staticmethod
    @once_differentiable
    def backward(ctx, gv, gi):
        i, = ctx.saved_tensors
        out = torch.zeros_like(gv)
        out.scatter_(0, i, gv)
        return out

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = torch.tensor([4.0, 5.0, 6.0])
z = MulAdd.apply(x, y, 2.0)
print(z, type(z.grad_fn).__name__)
z.sum().backward()
print(x.grad, y.grad)
a = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
v, i = ArgSort.apply(a)
print(v, i, i.requires_grad, v.requires_grad)
(v * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
print(a.grad)
