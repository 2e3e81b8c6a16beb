# custom autograd.Function with setup_context (torch.func compatible), vmap/grad over it, generate_vmap_rule
import torch
from torch.func import grad, vmap
class MySin(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return torch.sin(x)
    @staticmethod
    def setup_context(ctx, inputs, output):
        x, = inputs
        ctx.save_for_backward(x)
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * torch.cos(x)
x = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
y = MySin.apply(x)
y.sum().backward()
print(y, x.grad)
print(grad(lambda t: MySin.apply(t))(torch.tensor(0.5)))
class Cube(torch.autograd.Function):
    generate_vmap_rule = True
    @staticmethod
    def forward(x):
        return x ** 3, 3 * x ** 2
    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0], output[1])
    @staticmethod
    def backward(ctx, g, gd):
        x, dx = ctx.saved_tensors
        return g * dx + gd * 6 * x
print(vmap(lambda t: Cube.apply(t)[0])(torch.tensor([1.0, 2.0])))
print(grad(lambda t: Cube.apply(t)[0])(torch.tensor(2.0)))
