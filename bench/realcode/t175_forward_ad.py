# forward-mode AD: torch.autograd.forward_ad dual numbers, unpack_dual, jvp via func.jvp, linearize, custom Function with jvp (save_for_forward)
import torch
import torch.autograd.forward_ad as fwAD
from torch.func import jvp, linearize
primal = torch.tensor([1.0, 2.0, 3.0])
tangent = torch.tensor([1.0, 0.0, 0.0])
with fwAD.dual_level():
    dual = fwAD.make_dual(primal, tangent)
    out = dual.sin() * dual
    p, t = fwAD.unpack_dual(out)
    print(p, t)
print(jvp(lambda x: x.exp().sum(), (primal,), (torch.ones(3),)))
out, jvp_fn = linearize(torch.sin, primal)
print(out, jvp_fn(torch.ones(3)))
class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_forward(x)
        ctx.save_for_backward(x)
        return x ** 2
    @staticmethod
    def jvp(ctx, gx):
        x, = ctx.saved_tensors
        return 2 * x * gx
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 2 * x * g
with fwAD.dual_level():
    d = fwAD.make_dual(primal, torch.ones(3))
    print(fwAD.unpack_dual(Square.apply(d)).tangent)
