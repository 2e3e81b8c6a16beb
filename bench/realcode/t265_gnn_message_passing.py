# Graph neural network from scratch: normalized adjacency, GCN layers, index_add_ message passing, scatter mean, node classification
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(75)
edge_index = torch.tensor([[0, 1, 1, 2, 2, 3, 3, 4, 4, 0], [1, 0, 2, 1, 3, 2, 4, 3, 0, 4]])
N = 5
A = torch.zeros(N, N, dtype=torch.float64)
A[edge_index[0], edge_index[1]] = 1
A_hat = A + torch.eye(N, dtype=torch.float64)
D = torch.diag(A_hat.sum(1).pow(-0.5))
A_norm = D @ A_hat @ D
print(A_norm)
class GCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(3, 4)
        self.l2 = nn.Linear(4, 2)
    def forward(self, x, A):
        x = F.relu(A @ self.l1(x))
        return A @ self.l2(x)
X = torch.randn(N, 3, dtype=torch.float64)
y = torch.tensor([0, 1, 0, 1, 1])
train_mask = torch.tensor([True, True, False, True, False])
m = GCN().double()
opt = torch.optim.Adam(m.parameters(), lr=0.05, weight_decay=5e-4)
for e in range(4):
    opt.zero_grad()
    out = m(X, A_norm)
    loss = F.cross_entropy(out[train_mask], y[train_mask])
    loss.backward(); opt.step()
    print(e, f"{loss.item():.6f}")
src, dst = edge_index
msg = X[src]
agg = torch.zeros(N, 3, dtype=torch.float64).index_add_(0, dst, msg)
deg = torch.zeros(N, dtype=torch.float64).index_add_(0, dst, torch.ones(src.size(0), dtype=torch.float64))
print(agg / deg.unsqueeze(1))
print(torch.zeros(N, 3, dtype=torch.float64).scatter_reduce(0, dst.unsqueeze(1).expand(-1, 3), msg, reduce='mean', include_self=False))
print(out.argmax(1), (out.argmax(1) == y)[~train_mask])
