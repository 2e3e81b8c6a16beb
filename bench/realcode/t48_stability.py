# Numerical-stability idioms and the gradients at their boundaries: logsumexp, softplus,
# log1p/expm1, logsigmoid, the where-NaN trap and its double-where fix, clamp/relu/abs/max
# subgradients, xlogy, entr, log_ndtr, logaddexp, hypot.
import torch
import torch.nn.functional as F

x = torch.tensor([-1000.0, -10.0, 0.0, 10.0, 1000.0], requires_grad=True)
print(torch.logsumexp(x, dim=0))
print(F.softplus(x), F.softplus(x, beta=2, threshold=5))
print(torch.log1p(torch.tensor([1e-10, 1e-5, 1.0])), torch.expm1(torch.tensor([1e-10, 1e-5, 1.0])))
print(torch.log(torch.exp(x.detach()).sum()))
y = torch.sigmoid(x)
print(y, F.logsigmoid(x))
F.logsigmoid(x).sum().backward()
print(x.grad)

# NaN gradients through where
z = torch.tensor([-1.0, 0.0, 4.0], requires_grad=True)
safe = torch.where(z > 0, torch.sqrt(z), torch.zeros_like(z))
safe.sum().backward()
print(safe, z.grad)
z.grad = None
good = torch.where(z > 0, torch.sqrt(torch.where(z > 0, z, torch.ones_like(z))), torch.zeros_like(z))
good.sum().backward()
print(good, z.grad)
# clamp gradient at boundary
c = torch.tensor([0.0, 0.5, 1.0, 1.5], requires_grad=True)
c.clamp(0.0, 1.0).sum().backward()
print(c.grad)
c.grad = None
torch.clamp(c, min=0.5).sum().backward()
print(c.grad)
c.grad = None
c.relu().sum().backward(); print(c.grad)
a = torch.tensor([0.0, 1.0], requires_grad=True)
a.abs().sum().backward(); print(a.grad)
a.grad = None
torch.norm(a - a.detach()).backward(); print(a.grad)
b = torch.tensor([0.0, 2.0], requires_grad=True)
(b ** 0.5).sum().backward(); print(b.grad)
b.grad = None
torch.max(b, torch.tensor([0.0, 1.0])).sum().backward(); print(b.grad)
b.grad = None
b.max().backward(); print(b.grad)
m = torch.tensor([1.0, 3.0, 3.0], requires_grad=True)
m.max().backward(); print(m.grad)
m.grad = None
m.amax().backward(); print(m.grad)
print(torch.xlogy(torch.tensor([0.0, 1.0]), torch.tensor([0.0, 2.0])))
print(torch.special.entr(torch.tensor([0.0, 0.5, 1.0])), torch.special.logit(torch.tensor([0.25]), eps=1e-6))
p = torch.tensor([0.0, 1e-8, 0.5, 1.0], requires_grad=True)
ent = -(p * torch.log(p.clamp_min(1e-12))).sum()
ent.backward(); print(ent, p.grad)
print(torch.nan_to_num(torch.tensor([float("nan"), float("inf"), -float("inf"), 1.0])))
print(torch.log_softmax(torch.tensor([1e4, 0.0, -1e4]), 0), torch.softmax(torch.tensor([1e4, 0.0]), 0))
print(torch.special.log_ndtr(torch.tensor([-40.0, 0.0, 5.0])), torch.special.ndtr(torch.tensor([-3.0, 0.0])))
print(torch.logaddexp(torch.tensor([-1e30, 1.0]), torch.tensor([-1e30, 2.0])))
h = torch.tensor([1e-20, 1.0], dtype=torch.float64, requires_grad=True)
torch.hypot(h, torch.zeros(2, dtype=torch.float64)).sum().backward(); print(h.grad)
