# --- mvn gp sampling
import torch
from torch.distributions import MultivariateNormal

torch.manual_seed(0)
x = torch.linspace(0, 1, 5, dtype=torch.float64)
K = torch.exp(-0.5 * (x[:, None] - x[None, :]) ** 2 / 0.3 ** 2) + 1e-6 * torch.eye(5, dtype=torch.float64)
mvn = MultivariateNormal(torch.zeros(5, dtype=torch.float64), covariance_matrix=K)
s = mvn.sample((3,))
print(s)
print(mvn.log_prob(s))
L = torch.linalg.cholesky(K)
mvn2 = MultivariateNormal(torch.zeros(5, dtype=torch.float64), scale_tril=L)
print(torch.allclose(mvn2.log_prob(s), mvn.log_prob(s)))
print(mvn.entropy(), mvn.mean, mvn.variance)
ls = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
Kl = torch.exp(-0.5 * (x[:, None] - x[None, :]) ** 2 / ls ** 2) + 1e-4 * torch.eye(5, dtype=torch.float64)
y = torch.sin(3 * x)
nll = -MultivariateNormal(torch.zeros(5, dtype=torch.float64), covariance_matrix=Kl).log_prob(y)
nll.backward()
print(nll, ls.grad)

# --- meshgrid energy surface
import torch

xs = torch.linspace(-2, 2, 5)
ys = torch.linspace(-1, 3, 5)
X, Y = torch.meshgrid(xs, ys, indexing="ij")
Z = (1 - X) ** 2 + 100 * (Y - X ** 2) ** 2
print(Z)
i = torch.argmin(Z)
print(i, divmod(i.item(), Z.shape[1]), X.flatten()[i], Y.flatten()[i])
print(torch.unravel_index(i, Z.shape))
Xg, Yg = torch.meshgrid(xs, ys, indexing="xy")
print(Xg[0], Yg[:, 0])
P = torch.stack([X, Y], -1).reshape(-1, 2).requires_grad_()
f = ((1 - P[:, 0]) ** 2 + 100 * (P[:, 1] - P[:, 0] ** 2) ** 2).sum()
g, = torch.autograd.grad(f, P)
print(g.norm(dim=1).reshape(5, 5))
gx, gy = torch.gradient(Z, spacing=(xs, ys))
print(gx[2], gy[2])
