# REINFORCE on a 3-armed bandit with torch.distributions.Categorical, log_prob, entropy bonus
import torch
import torch.nn as nn
from torch.distributions import Categorical, Normal
torch.manual_seed(40)
logits = nn.Parameter(torch.zeros(3))
opt = torch.optim.Adam([logits], lr=0.1)
true_means = torch.tensor([0.2, 0.5, 0.8])
baseline = 0.0
for step in range(200):
    dist = Categorical(logits=logits)
    a = dist.sample((16,))
    r = torch.normal(true_means[a], 0.1)
    baseline = 0.9 * baseline + 0.1 * r.mean().item()
    loss = -((r - baseline) * dist.log_prob(a)).mean() - 0.01 * dist.entropy()
    opt.zero_grad(); loss.backward(); opt.step()
    if step % 50 == 0:
        print(step, [round(p, 3) for p in dist.probs.tolist()], round(loss.item(), 4))
print(torch.softmax(logits, 0))
mu = nn.Parameter(torch.tensor(0.0)); log_std = nn.Parameter(torch.tensor(0.0))
opt = torch.optim.SGD([mu, log_std], lr=0.05)
for _ in range(100):
    d = Normal(mu, log_std.exp())
    x = d.rsample((64,))
    loss = ((x - 3) ** 2).mean()
    opt.zero_grad(); loss.backward(); opt.step()
print(round(mu.item(), 3), round(log_std.exp().item(), 3), d, d.mean, d.stddev)
print(Categorical(probs=torch.tensor([0.1, 0.9])).log_prob(torch.tensor(1)), Normal(0, 1).cdf(torch.tensor(1.96)))
