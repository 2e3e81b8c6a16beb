# forward-mode AD tutorial: dual numbers, unpack_dual, custom Function jvp
import torch
import torch.autograd.forward_ad as fwAD
primal = torch.randn(10, 10, dtype=torch.float64).mul(0) + torch.arange(10.).double()
tangent = torch.ones(10, 10, dtype=torch.float64)
def fn(x, y):
    return x ** 2 + y ** 2
with fwAD.dual_level():
    dual_input = fwAD.make_dual(primal, tangent)
    dual_output = fn(dual_input, primal)
    jvp = fwAD.unpack_dual(dual_output).tangent
print(jvp[0], fwAD.unpack_dual(dual_output).primal is None)
model = torch.nn.Linear(5, 5)
input = torch.ones(16, 5)
params = {name: p for name, p in model.named_parameters()}
tangents = {name: torch.rand_like(p) for name, p in params.items()}
with fwAD.dual_level():
    for name, p in params.items():
        delattr(model, name)
        setattr(model, name, fwAD.make_dual(p, tangents[name]))
    out = model(input)
    jvp = fwAD.unpack_dual(out).tangent
print(jvp.shape)
class Fn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, foo):
        result = torch.exp(foo)
        ctx.result = result
        return result
    @staticmethod
    def jvp(ctx, gI):
        gO = gI * ctx.result
        del ctx.result
        return gO
x = torch.tensor([0.0, 1.0, 2.0], dtype=torch.double)
with fwAD.dual_level():
    d = fwAD.make_dual(x, torch.ones(3, dtype=torch.double))
    print(fwAD.unpack_dual(Fn.apply(d)).tangent)
    print(fwAD.unpack_dual(torch.sin(d) * d).tangent)
