# --- one hot scatter centroids
import torch
import torch.nn.functional as F

torch.manual_seed(4)
X = torch.randn(12, 2)
labels = torch.tensor([0, 1, 2, 0, 1, 2, 0, 0, 1, 2, 2, 1])
oh = F.one_hot(labels, num_classes=3).float()
print(oh[:4])
counts = oh.sum(0)
cent = oh.T @ X / counts[:, None]
print(cent)
sums = torch.zeros(3, 2).index_add_(0, labels, X)
print(sums / counts[:, None])
print(torch.zeros(3, 2).scatter_reduce(0, labels[:, None].expand(-1, 2), X, reduce="mean", include_self=False))
print(torch.zeros(3).scatter_reduce(0, labels, X[:, 0], reduce="amax", include_self=False))
print(torch.zeros(3, dtype=torch.long).scatter_add(0, labels, torch.ones_like(labels)))
print(F.one_hot(torch.tensor([2, 0])), F.one_hot(torch.arange(3) % 2).dtype)

# --- logspace arange grids
import torch

print(torch.logspace(-3, 0, 4))
print(torch.logspace(0, 2, 3, base=2))
print(torch.arange(0, 1, 0.1))
print(torch.arange(0, 1, 0.1).shape, torch.arange(1, 2.5, 0.5))
print(torch.arange(0.0, 0.3, 0.1, dtype=torch.float64))
print(torch.linspace(0, 1, 4, dtype=torch.float64), torch.linspace(-1, 1, steps=1))
print(torch.arange(10, 0, -3), torch.arange(5).flip(0))
lrs = torch.logspace(-4, -1, 4)
for lr in lrs:
    print(f"lr={lr.item():.0e}", f"{lr:.2e}")
h = 10.0 ** torch.arange(-1, -6, -1, dtype=torch.float64)
print(h)
print(torch.full((2, 2), 0.1), torch.eye(2, 3), torch.empty(0).shape, torch.zeros(2, 0))
