# Custom autograd Function inside a model (straight-through estimator, gradient reversal), ctx.save_for_backward, apply in forward
import torch
import torch.nn as nn
torch.manual_seed(78)
class STEQuant(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return torch.round(x * 4) / 4
    @staticmethod
    def backward(ctx, g):
        return g
class GradReverse(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, alpha):
        ctx.alpha = alpha
        return x.view_as(x)
    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.neg() * ctx.alpha, None
class ClampedReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0, max=1)
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * ((x > 0) & (x < 1)).to(g.dtype)
class DANN(nn.Module):
    def __init__(self):
        super().__init__()
        self.feat = nn.Linear(3, 4)
        self.cls = nn.Linear(4, 2)
        self.dom = nn.Linear(4, 2)
    def forward(self, x, alpha):
        f = ClampedReLU.apply(STEQuant.apply(self.feat(x)))
        return self.cls(f), self.dom(GradReverse.apply(f, alpha))
m = DANN().double()
x = torch.randn(5, 3, dtype=torch.float64)
c, d = m(x, 0.5)
loss = nn.functional.cross_entropy(c, torch.tensor([0, 1, 0, 1, 1])) + nn.functional.cross_entropy(d, torch.tensor([0, 0, 1, 1, 0]))
loss.backward()
print(loss.item())
print(m.feat.weight.grad)
print(m.dom.weight.grad)
print(c.grad_fn, STEQuant.apply(torch.tensor([0.3, 0.6], requires_grad=True)).grad_fn)
