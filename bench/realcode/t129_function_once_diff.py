# custom Function: once_differentiable, mark_non_differentiable (argmax output), needs_input_grad, set_materialize_grads, mark_dirty
import torch
from torch.autograd.function import once_differentiable
class SortWithIdx(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        v, idx = torch.sort(x)
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return v, idx
    @staticmethod
    @once_differentiable
    def backward(ctx, gv, gidx):
        idx, = ctx.saved_tensors
        out = torch.zeros_like(gv)
        out.scatter_(0, idx, gv)
        return out
x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
v, idx = SortWithIdx.apply(x)
print(v, idx, idx.requires_grad)
(v * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
print(x.grad)
class Scale(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k):
        ctx.k = k
        print("needs", ctx.needs_input_grad)
        return x * k
    @staticmethod
    def backward(ctx, g):
        return g * ctx.k, None
a = torch.ones(2, requires_grad=True)
Scale.apply(a, 3.0).sum().backward()
print(a.grad)
class AddOne_(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        x.add_(1)
        ctx.mark_dirty(x)
        return x
    @staticmethod
    def backward(ctx, g):
        return g
b = torch.zeros(2, requires_grad=True).clone()
c = AddOne_.apply(b)
print(c, c.grad_fn.__class__.__name__, b is c)
class NoMat(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        return x.clone(), x.clone()
    @staticmethod
    def backward(ctx, g1, g2):
        print("g2 is None:", g2 is None)
        return g1
z = torch.ones(2, requires_grad=True)
o1, o2 = NoMat.apply(z)
o1.sum().backward()
print(z.grad)
