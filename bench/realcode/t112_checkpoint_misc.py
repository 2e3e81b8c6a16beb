# activation checkpointing, torch.autograd.Function with once_differentiable, anomaly detection, gradient of a norm
import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint, checkpoint_sequential
from torch.autograd.function import once_differentiable
torch.manual_seed(41)
block = nn.Sequential(nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 4))
x = torch.randn(3, 4, requires_grad=True)
y1 = checkpoint(block, x, use_reentrant=False).sum()
y1.backward()
g1 = x.grad.clone(); x.grad = None
block(x).sum().backward()
print(torch.allclose(g1, x.grad), y1)
seq = nn.Sequential(*[nn.Linear(4, 4) for _ in range(4)])
out = checkpoint_sequential(seq, 2, x, use_reentrant=False)
print(out.shape, out.grad_fn is not None)
class Clamp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, i, lo, hi):
        ctx.save_for_backward(i)
        ctx.lo, ctx.hi = lo, hi
        return i.clamp(lo, hi)
    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        i, = ctx.saved_tensors
        return g * ((i >= ctx.lo) & (i <= ctx.hi)).float(), None, None
z = torch.linspace(-2, 2, 5, requires_grad=True)
Clamp.apply(z, -1, 1).sum().backward()
print(z.grad)
with torch.autograd.detect_anomaly():
    a = torch.tensor([1.0, 4.0], requires_grad=True)
    a.sqrt().sum().backward()
print(a.grad)
w = torch.tensor([3.0, 4.0], requires_grad=True)
torch.linalg.vector_norm(w).backward()
print(w.grad, torch.linalg.norm(torch.eye(2)), torch.norm(torch.ones(2, 2), p='fro'))
