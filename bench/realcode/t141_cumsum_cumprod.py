# cumsum/cumprod/logcumsumexp/cummax gradients, including zeros in cumprod, discounted returns
import torch
x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
cs = x.cumsum(0)
cs.backward(torch.tensor([1.0, 0.0, 0.0, 1.0]))
print(cs, x.grad)
x.grad = None
cp = x.cumprod(0)
cp.sum().backward()
print(cp, x.grad)
z = torch.tensor([2.0, 0.0, 3.0, 0.0, 5.0], requires_grad=True)
zp = torch.cumprod(z, dim=0)
zp.sum().backward()
print(zp, z.grad)
m = torch.tensor([[1.0, 3.0, 2.0], [4.0, 1.0, 5.0]], requires_grad=True)
vals, idx = m.cummax(dim=1)
vals.sum().backward()
print(vals, idx, m.grad)
l = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
lc = torch.logcumsumexp(l, 0)
lc[-1].backward()
print(lc, l.grad)
rewards = torch.tensor([1.0, 0.0, 0.0, 1.0])
gamma = 0.9
returns = []
R = 0.0
for r in reversed(rewards.tolist()):
    R = r + gamma * R
    returns.insert(0, R)
returns = torch.tensor(returns)
print(returns, (returns - returns.mean()) / (returns.std() + 1e-8))
print(torch.cumsum(torch.ones(2, 3), dim=1), torch.arange(1, 6).cumprod(0))
