# --- pca svd eigh
import torch

torch.manual_seed(2)
Z = torch.randn(40, 2, dtype=torch.float64)
A = torch.tensor([[3.0, 1.0, 0.5], [0.0, 1.0, 0.2]], dtype=torch.float64)
X = Z @ A + 0.05 * torch.randn(40, 3, dtype=torch.float64)
Xc = X - X.mean(0)
cov = Xc.T @ Xc / (X.shape[0] - 1)
print(torch.allclose(cov, torch.cov(X.T)))
evals, evecs = torch.linalg.eigh(cov)
print(evals)
U, S, Vh = torch.linalg.svd(Xc, full_matrices=False)
print(S ** 2 / (X.shape[0] - 1))
ratio = S ** 2 / (S ** 2).sum()
print("explained", ratio, ratio.cumsum(0))
proj = Xc @ Vh[:2].T
print(proj.shape, proj.abs().sum().item() > 0)
print(torch.linalg.svdvals(Xc))
print(torch.linalg.matrix_rank(Xc), torch.linalg.cond(cov).item() > 1)

# --- naive bayes
import math
import torch

torch.manual_seed(5)
X = torch.cat([torch.randn(15, 2) + 1, torch.randn(15, 2) - 1])
y = torch.cat([torch.zeros(15, dtype=torch.long), torch.ones(15, dtype=torch.long)])
classes = torch.unique(y)
means = torch.stack([X[y == c].mean(0) for c in classes])
vars_ = torch.stack([X[y == c].var(0, unbiased=False) for c in classes])
priors = torch.stack([(y == c).float().mean() for c in classes])
print(means, vars_, priors, sep="\n")
def log_gauss(x, m, v):
    return -0.5 * (torch.log(2 * math.pi * v) + (x - m) ** 2 / v)
ll = torch.stack([log_gauss(X, means[c], vars_[c]).sum(1) + priors[c].log() for c in range(2)], 1)
post = torch.softmax(ll, 1)
print(post[:4])
print((ll.argmax(1) == y).float().mean())
print(torch.logsumexp(ll, 1)[:3])
D = torch.distributions.Normal(means[0], vars_[0].sqrt())
print(D.log_prob(X[:2]).sum(-1))
