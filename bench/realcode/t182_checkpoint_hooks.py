# activation checkpointing with torch.utils.checkpoint (use_reentrant=False), saved_tensors_hooks counting, register_post_accumulate_grad_hook
import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint
torch.manual_seed(0)
block = nn.Sequential(nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 4))
x = torch.randn(2, 4, requires_grad=True)
out = checkpoint(block, x, use_reentrant=False)
out.sum().backward()
g1 = x.grad.clone()
x.grad = None
block(x).sum().backward()
print(torch.allclose(g1, x.grad), out.grad_fn is not None)
packed = []
def pack(t):
    packed.append(tuple(t.shape))
    return t
def unpack(t):
    return t
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    y = (x.sin() * x).sum()
y.backward()
print(packed)
w = nn.Parameter(torch.ones(3))
seen = []
w.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.sum().item()))
(w * 2).sum().backward()
(w * 3).sum().backward()
print(seen, w.grad)
