# --- softmax temperature entropy
import torch
import torch.nn.functional as F

logits = torch.tensor([2.0, 1.0, 0.1, -1.0])
for T in [0.5, 1.0, 2.0, 10.0]:
    p = F.softmax(logits / T, dim=0)
    H = -(p * p.log()).sum()
    print(f"T={T:4.1f} p={p.numpy().round(4)} H={H.item():.4f}")
p = torch.tensor([0.25, 0.25, 0.5]); q = torch.tensor([0.5, 0.3, 0.2])
print(F.kl_div(q.log(), p, reduction="sum"), (p * (p / q).log()).sum())
print(torch.special.entr(p).sum(), torch.special.xlogy(p, p).sum())
print(torch.distributions.Categorical(probs=p).entropy())
print(F.log_softmax(logits, 0), torch.logsumexp(logits, 0))
print(torch.special.logit(torch.tensor([0.1, 0.5, 0.9])), torch.special.expit(torch.tensor([0.0, 2.0])))

# --- custom backward numerics
import torch

class StableLogSumExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        m = x.max()
        out = m + torch.log(torch.exp(x - m).sum())
        ctx.save_for_backward(x, out)
        return out
    @staticmethod
    def backward(ctx, g):
        x, out = ctx.saved_tensors
        return g * torch.exp(x - out)

x = torch.tensor([1000.0, 1000.5, 999.0], dtype=torch.float64, requires_grad=True)
y = StableLogSumExp.apply(x)
y.backward()
print(y, x.grad, x.grad.sum())
print(torch.logsumexp(x.detach(), 0))
naive = torch.log(torch.exp(x.detach()).sum())
print(naive)
print(torch.autograd.gradcheck(StableLogSumExp.apply, (torch.randn(4, dtype=torch.float64, requires_grad=True),)))
class Clip(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.mark_non_differentiable
        ctx.lo, ctx.hi = lo, hi
        ctx.save_for_backward(x)
        return x.clamp(lo, hi)
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * ((x >= ctx.lo) & (x <= ctx.hi)).to(g.dtype), None, None
z = torch.linspace(-2, 2, 5, requires_grad=True)
Clip.apply(z, -1.0, 1.0).sum().backward()
print(z.grad)
