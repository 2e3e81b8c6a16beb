# Segment sums the way torch_scatter idioms are written by hand: scatter_add, index_add,
# bincount means, scatter_reduce amax/mean, a per-segment softmax (GNN attention) with its
# gradient, message passing, index_put_ accumulate, unique with counts.
import torch

torch.manual_seed(0)
# segment sums, torch_scatter idioms by hand
src = torch.randn(10, 3, requires_grad=True)
index = torch.tensor([0, 1, 0, 2, 1, 1, 3, 3, 0, 2])
num_segments = 4
out = torch.zeros(num_segments, 3).scatter_add(0, index.unsqueeze(-1).expand(-1, 3), src)
print(out)
out2 = torch.zeros(num_segments, 3).index_add(0, index, src)
print(torch.equal(out, out2))
counts = torch.bincount(index, minlength=num_segments).clamp(min=1)
mean = out / counts.unsqueeze(-1)
print(mean)
(mean ** 2).sum().backward()
print(src.grad)
# scatter_reduce
amax = torch.full((num_segments, 3), float("-inf")).scatter_reduce(0, index.unsqueeze(-1).expand(-1, 3), src.detach(), reduce="amax", include_self=False)
print(amax)
smean = torch.zeros(num_segments, 3).scatter_reduce(0, index.unsqueeze(-1).expand(-1, 3), src.detach(), reduce="mean", include_self=False)
print(smean)
# softmax per segment (GNN attention)
scores = torch.randn(10, requires_grad=True)
seg_max = torch.zeros(num_segments).scatter_reduce(0, index, scores, reduce="amax", include_self=False)
ex = (scores - seg_max[index]).exp()
den = torch.zeros(num_segments).index_add_(0, index, ex)
alpha = ex / den[index]
print(alpha)
(alpha * torch.arange(10.0)).sum().backward()
print(scores.grad)
# message passing
edge_index = torch.tensor([[0, 1, 2, 3, 0], [1, 2, 3, 0, 2]])
h = torch.randn(4, 2)
msg = h[edge_index[0]]
agg = torch.zeros_like(h).index_add(0, edge_index[1], msg)
deg = torch.zeros(4).index_add(0, edge_index[1], torch.ones(5))
print(agg, deg)
print(torch.zeros(5, dtype=torch.long).scatter_add_(0, torch.tensor([0, 0, 4]), torch.tensor([1, 2, 3])))
x = torch.zeros(3, 4)
x.index_put_((torch.tensor([0, 2, 0]), torch.tensor([1, 3, 1])), torch.tensor([1.0, 2.0, 3.0]), accumulate=True)
print(x)
print(torch.unique(index, return_counts=True, return_inverse=True))
