# torch.nn.utils.prune: random, l1, ln-structured, global and iterative pruning, remove()
import torch
import torch.nn as nn
import torch.nn.utils.prune as prune
torch.manual_seed(10)
lin = nn.Linear(5, 3)
prune.random_unstructured(lin, name="weight", amount=0.3)
print([n for n, _ in lin.named_parameters()], [n for n, _ in lin.named_buffers()])
print(lin.weight_mask)
prune.l1_unstructured(lin, name="bias", amount=1)
print(lin.bias, lin.bias_mask)
prune.remove(lin, 'weight')
print([n for n, _ in lin.named_parameters()])
conv = nn.Conv2d(1, 4, 3)
prune.ln_structured(conv, name="weight", amount=0.5, n=2, dim=0)
print(conv.weight_mask.sum((1, 2, 3)))
print(prune.is_pruned(conv), prune.is_pruned(nn.Linear(1, 1)))
m = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
prune.global_unstructured([(m[0], 'weight'), (m[2], 'weight')], pruning_method=prune.L1Unstructured, amount=0.5)
print(float(m[0].weight.eq(0).sum() + m[2].weight.eq(0).sum()), m[0].weight_mask.sum())
prune.l1_unstructured(m[0], 'weight', amount=2)
print(m[0].weight_mask.sum(), m[0]._forward_pre_hooks)
x = torch.randn(2, 4)
y = m(x).sum()
y.backward()
print(m[0].weight_orig.grad, m[0].weight.grad_fn)
print(list(m.state_dict().keys()))
with torch.no_grad():
    m[0].weight_orig.mul_(2)
m(x)
print(m[0].weight)
prune.remove(m[0], 'weight')
print(m[0].weight, [n for n, _ in m[0].named_buffers()])
try:
    prune.remove(m[0], 'weight')
except ValueError as e:
    print(e)
try:
    prune.l1_unstructured(nn.Linear(2, 2), 'weight', amount=5)
except ValueError as e:
    print(e)
try:
    prune.l1_unstructured(nn.Linear(2, 2), 'weight', amount=1.5)
except ValueError as e:
    print(e)
