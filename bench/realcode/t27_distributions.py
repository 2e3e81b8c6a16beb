# Variational inference and sampling with torch.distributions, the way tutorials write it:
# a Gaussian mixture's samples, a mean-field Normal posterior against a MultivariateNormal
# prior, a Gamma prior on a precision learned by reparameterized samples, Dirichlet
# weights and a Poisson likelihood.
import torch
from torch.distributions import (
    Categorical,
    Dirichlet,
    Gamma,
    Independent,
    MultivariateNormal,
    Normal,
    Poisson,
    kl_divergence,
)

torch.manual_seed(42)

# A mixture of three 2-D Gaussians
weights = Dirichlet(torch.ones(3)).sample()
means = torch.tensor([[0.0, 0.0], [3.0, 3.0], [-3.0, 2.0]])
covs = torch.stack([torch.eye(2) * s for s in (0.5, 1.0, 0.3)])
z = Categorical(probs=weights).sample((6,))
x = MultivariateNormal(means[z], covariance_matrix=covs[z]).sample()
print("weights", weights)
print("components", z.tolist())
print("samples", x)

# Mean-field posterior q(w) = N(mu, softplus(rho)) against an isotropic prior
mu = torch.zeros(2, requires_grad=True)
rho = torch.full((2,), -1.0, requires_grad=True)
prior = MultivariateNormal(torch.zeros(2), torch.eye(2))
opt = torch.optim.Adam([mu, rho], lr=0.05)
for step in range(60):
    opt.zero_grad()
    q = Independent(Normal(mu, torch.nn.functional.softplus(rho)), 1)
    w = q.rsample((8,))
    log_lik = Normal(x @ w.T, 1.0).log_prob(x.sum(1, keepdim=True)).sum(0)
    elbo = (log_lik + prior.log_prob(w) - q.log_prob(w)).mean()
    (-elbo).backward()
    opt.step()
    if step % 20 == 19:
        print(step, round(elbo.item(), 4), mu.detach(), torch.nn.functional.softplus(rho).detach())

# A learned precision with a Gamma prior, through Gamma.rsample's implicit gradient
alpha = torch.tensor(2.0, requires_grad=True)
beta = torch.tensor(1.0, requires_grad=True)
tau = Gamma(alpha, beta).rsample((5,))
loss = (tau - 1.5).pow(2).mean() + kl_divergence(Gamma(alpha, beta), Gamma(2.0, 2.0))
loss.backward()
print("tau", tau.detach(), "grads", alpha.grad, beta.grad)

counts = Poisson(torch.tensor([2.0, 7.5])).sample((4,))
print("counts", counts, Poisson(counts.mean(0)).log_prob(counts).sum())
