# --- rsample gradients
import torch
from torch.distributions import Normal, Uniform, Bernoulli, RelaxedBernoulli

torch.manual_seed(0)
mu = torch.tensor(1.0, requires_grad=True)
sigma = torch.tensor(0.5, requires_grad=True)
z = Normal(mu, sigma).rsample((1000,))
loss = (z ** 2).mean()
loss.backward()
print(loss.item(), mu.grad.item(), sigma.grad.item())
p = torch.tensor(0.3, requires_grad=True)
b = Bernoulli(probs=p).sample((500,))
score = (Bernoulli(probs=p).log_prob(b) * b).mean()
score.backward()
print(b.mean().item(), p.grad.item())
u = Uniform(torch.tensor(0.0), torch.tensor(2.0))
print(u.rsample((3,)), u.entropy(), u.cdf(torch.tensor(0.5)))
rb = RelaxedBernoulli(torch.tensor(0.5), probs=torch.tensor([0.2, 0.8]))
print(rb.rsample())
print(Normal(0, 1).has_rsample, Bernoulli(0.5).has_rsample)
