# --- knn topk
import torch

torch.manual_seed(8)
Xtr = torch.randn(30, 3)
ytr = (Xtr[:, 0] + Xtr[:, 1] > 0).long()
Xte = torch.randn(6, 3)
D = torch.cdist(Xte, Xtr)
vals, idx = D.topk(5, dim=1, largest=False)
print(vals)
print(idx)
votes = ytr[idx]
pred = votes.mode(dim=1).values
print(votes, pred)
print(torch.mode(votes, 1))
w = 1 / (vals + 1e-9)
score = torch.zeros(6, 2).scatter_add_(1, votes, w)
print(score.argmax(1))
print(torch.cdist(Xte[:2], Xtr[:3], p=1))
print(torch.cdist(Xte[:2], Xtr[:3], p=float("inf")))
k = torch.kthvalue(D, 3, dim=1)
print(k.values, k.indices)

# --- svm hinge perceptron
import torch

torch.manual_seed(11)
X = torch.cat([torch.randn(20, 2) + 2, torch.randn(20, 2) - 2])
y = torch.cat([torch.ones(20), -torch.ones(20)])
w = torch.zeros(2, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
opt = torch.optim.SGD([w, b], lr=0.05)
for epoch in range(40):
    opt.zero_grad()
    margins = y * (X @ w + b)
    loss = torch.clamp(1 - margins, min=0).mean() + 0.01 * w.dot(w)
    loss.backward()
    opt.step()
print(f"hinge loss {loss.item():.5f}", w.data, b.data)
print("train acc", (torch.sign(X @ w + b) == y).float().mean().item())
print(torch.nn.functional.hinge_embedding_loss(X @ w.detach(), y))
print(torch.nn.functional.relu(1 - margins).sum())
wp = torch.zeros(2); bp = 0.0
for epoch in range(10):
    errors = 0
    for xi, yi in zip(X, y):
        if yi * (wp @ xi + bp) <= 0:
            wp += yi * xi
            bp += yi.item()
            errors += 1
    print("epoch", epoch, "errors", errors)
    if errors == 0:
        break
print(wp, bp)
