# --- tensor utils science
import torch

x = torch.tensor([1.0, 4.0, 9.0, 16.0])
print(torch.diff(x, prepend=torch.tensor([0.0])), torch.diff(x, append=torch.tensor([25.0]), n=2))
print(torch.cartesian_prod(torch.tensor([0, 1]), torch.tensor([2, 3])))
print(torch.combinations(torch.tensor([1, 2, 3]), r=2), torch.combinations(torch.arange(3), with_replacement=True).shape)
print(torch.block_diag(torch.ones(2, 2), torch.eye(1) * 3))
print(torch.tril_indices(3, 3), torch.triu_indices(3, 3, offset=1))
print(torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 3, 1]), return_counts=True))
print(torch.searchsorted(torch.tensor([1, 3, 5, 7]), torch.tensor([[0, 3], [6, 9]])))
print(torch.histogramdd(torch.tensor([[0.1, 0.2], [0.5, 0.9], [0.7, 0.3]]), bins=[2, 2]).hist)
print(torch.nanquantile(torch.tensor([1.0, float("nan"), 3.0, 2.0]), 0.5), torch.nansum(torch.tensor([1.0, float("nan")])))
print(torch.rot90(torch.arange(4).view(2, 2)), torch.roll(torch.arange(5), 2), torch.flipud(torch.arange(3)))
print(torch.chain_matmul(torch.eye(2), torch.ones(2, 2)) if hasattr(torch, "chain_matmul") else None)
print(torch.addmv(torch.ones(2), torch.eye(2), torch.tensor([1.0, 2.0]), beta=0.5, alpha=2))
print(torch.cummin(torch.tensor([3, 1, 2, 0]), 0), torch.renorm(torch.ones(2, 3), p=2, dim=0, maxnorm=1))
