# --- ridge lasso
import torch

torch.manual_seed(4)
X = torch.randn(25, 5, dtype=torch.float64)
w_true = torch.tensor([1.5, 0.0, -2.0, 0.0, 0.5], dtype=torch.float64)
y = X @ w_true + 0.1 * torch.randn(25, dtype=torch.float64)
for lam in [0.0, 0.1, 1.0, 10.0]:
    A = X.T @ X + lam * torch.eye(5, dtype=torch.float64)
    w = torch.linalg.solve(A, X.T @ y)
    print(f"lambda={lam:5.1f}", " ".join(f"{v:+.4f}" for v in w.tolist()))
w = torch.zeros(5, dtype=torch.float64, requires_grad=True)
lam = 0.5
for it in range(300):
    loss = 0.5 * ((X @ w - y) ** 2).mean()
    g, = torch.autograd.grad(loss, w)
    with torch.no_grad():
        z = w - 0.1 * g
        w.copy_(torch.sign(z) * torch.clamp(z.abs() - 0.1 * lam * 0.1, min=0))
print("lasso", w.detach())
print((w.abs() < 1e-3).sum().item(), "near zero")
print(torch.nn.functional.softshrink(torch.tensor([-1.0, -0.2, 0.3, 2.0]), 0.5))

# --- kmeans cdist
import torch

torch.manual_seed(0)
centers = torch.tensor([[0.0, 0.0], [5.0, 5.0], [0.0, 5.0]])
X = torch.cat([c + 0.5 * torch.randn(20, 2) for c in centers])
C = X[torch.tensor([0, 20, 40])].clone()
for it in range(10):
    d = torch.cdist(X, C)
    labels = d.argmin(dim=1)
    newC = torch.stack([X[labels == k].mean(0) for k in range(3)])
    shift = (newC - C).norm()
    C = newC
    print(f"iter {it}: inertia={(d.min(1).values ** 2).sum().item():.4f} shift={shift:.6f}")
    if shift < 1e-6:
        break
print(C)
print(torch.bincount(labels))
print(labels.unique(return_counts=True))
d2 = ((X[:, None, :] - C[None, :, :]) ** 2).sum(-1)
print(torch.equal(d2.argmin(1), labels))
