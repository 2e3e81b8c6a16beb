# Normalising flows: TransformedDistribution with ExpTransform and a ComposeTransform,
# TanhTransform(cache_size=1), planar flows and a RealNVP coupling trained against a
# correlated MultivariateNormal by the reverse KL.
import torch
from torch import nn
from torch.distributions import Normal, TransformedDistribution, Independent
from torch.distributions.transforms import AffineTransform, SigmoidTransform, ExpTransform, ComposeTransform, TanhTransform

torch.manual_seed(0)
base = Normal(torch.zeros(1), torch.ones(1))
logn = TransformedDistribution(base, [ExpTransform()])
x = torch.tensor([0.5, 1.0, 2.0]).unsqueeze(1)
print(logn.log_prob(x).squeeze())
print(torch.distributions.LogNormal(0.0, 1.0).log_prob(x.squeeze()))
t = ComposeTransform([AffineTransform(loc=1.0, scale=2.0), SigmoidTransform()])
d = TransformedDistribution(Normal(0.0, 1.0), t)
s = d.sample((5,))
print(s)
print(d.log_prob(s))
tanh_n = TransformedDistribution(Normal(torch.tensor([0.0]), torch.tensor([0.5])), [TanhTransform(cache_size=1)])
a = tanh_n.rsample((3,))
print(a, tanh_n.log_prob(a))

class Planar(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.u = nn.Parameter(torch.randn(dim) * 0.1)
        self.w = nn.Parameter(torch.randn(dim) * 0.1)
        self.b = nn.Parameter(torch.zeros(1))

    def forward(self, z):
        lin = z @ self.w + self.b
        f = z + self.u * torch.tanh(lin).unsqueeze(-1)
        psi = (1 - torch.tanh(lin) ** 2).unsqueeze(-1) * self.w
        logdet = torch.log(torch.abs(1 + psi @ self.u) + 1e-8)
        return f, logdet

class RealNVPCoupling(nn.Module):
    def __init__(self):
        super().__init__()
        self.s = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1))
        self.t = nn.Sequential(nn.Linear(1, 8), nn.ReLU(), nn.Linear(8, 1))
    def forward(self, x):
        x1, x2 = x[:, :1], x[:, 1:]
        s = self.s(x1)
        y2 = x2 * torch.exp(s) + self.t(x1)
        return torch.cat([x1, y2], 1), s.sum(1)

flows = nn.ModuleList([Planar(2) for _ in range(3)])
nvp = RealNVPCoupling()
opt = torch.optim.Adam(list(flows.parameters()) + list(nvp.parameters()), lr=1e-2)
target = torch.distributions.MultivariateNormal(torch.tensor([1.0, -1.0]), torch.tensor([[1.0, 0.8], [0.8, 1.0]]))
q0 = Independent(Normal(torch.zeros(2), torch.ones(2)), 1)
for it in range(40):
    z = q0.rsample((64,))
    logq = q0.log_prob(z)
    for fl in flows:
        z, ld = fl(z)
        logq = logq - ld
    z, ld = nvp(z)
    logq = logq - ld
    loss = (logq - target.log_prob(z)).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 10 == 0:
        print(it, f"{loss.item():.5f}")
print(z.mean(0), z.std(0))
