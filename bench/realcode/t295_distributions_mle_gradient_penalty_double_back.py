# --- distributions mle
import torch
from torch.distributions import Normal, Poisson, Exponential, Gamma

torch.manual_seed(0)
data = Normal(3.0, 2.0).sample((200,))
mu = torch.tensor(0.0, requires_grad=True)
log_sigma = torch.tensor(0.0, requires_grad=True)
opt = torch.optim.Adam([mu, log_sigma], lr=0.1)
for step in range(300):
    opt.zero_grad()
    nll = -Normal(mu, log_sigma.exp()).log_prob(data).mean()
    nll.backward()
    opt.step()
print(f"mu={mu.item():.4f} sigma={log_sigma.exp().item():.4f} nll={nll.item():.4f}")
print(data.mean(), data.std(unbiased=False))
counts = torch.tensor([2.0, 3.0, 1.0, 4.0, 0.0])
rate = torch.tensor(1.0, requires_grad=True)
ll = Poisson(rate).log_prob(counts).sum()
ll.backward()
print(ll, rate.grad)
print(Exponential(2.0).log_prob(torch.tensor([0.5, 1.0])), Exponential(2.0).mean, Exponential(2.0).variance)
g = Gamma(torch.tensor(2.0), torch.tensor(3.0))
print(g.mean, g.variance, g.log_prob(torch.tensor(1.0)))
print(Normal(0.0, 1.0).cdf(torch.tensor([-1.96, 0.0, 1.96])), Normal(0.0, 1.0).icdf(torch.tensor(0.975)))

# --- gradient penalty double back
import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
x = torch.randn(4, 3, requires_grad=True)
out = torch.tanh(x @ w)
gx, = torch.autograd.grad(out.sum(), x, create_graph=True)
pen = ((gx.norm(2, dim=1) - 1) ** 2).mean()
pen.backward()
print(pen)
print(w.grad)
print(x.grad)
y = torch.tensor([1.0, 2.0], requires_grad=True)
z = (y ** 3).sum()
g, = torch.autograd.grad(z, y, create_graph=True)
H = torch.stack([torch.autograd.grad(g[i], y, retain_graph=True)[0] for i in range(2)])
print(H)
print(torch.autograd.functional.hessian(lambda t: (t ** 3).sum(), y.detach()))
