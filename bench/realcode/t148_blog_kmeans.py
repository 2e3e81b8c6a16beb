# blog-style k-means in torch: cdist, argmin assignment, scatter of means, inertia, convergence loop
import torch
torch.manual_seed(0)
centers_true = torch.tensor([[0.0, 0.0], [5.0, 5.0], [0.0, 5.0]], dtype=torch.float64)
X = torch.cat([c + torch.randn(20, 2, dtype=torch.float64) * 0.5 for c in centers_true])
k = 3
C = X[torch.randperm(len(X))[:k]].clone()
for it in range(20):
    d = torch.cdist(X, C)
    assign = d.argmin(dim=1)
    newC = torch.stack([X[assign == j].mean(0) for j in range(k)])
    shift = (newC - C).norm()
    C = newC
    if shift < 1e-6:
        print('converged at', it)
        break
inertia = ((X - C[assign]) ** 2).sum()
order = C[:, 0].argsort()
print(C[order].round(decimals=2), round(inertia.item(), 4))
print(torch.bincount(assign, minlength=k).sort().values)
