# Statistics of a small batch, with gradients: mean, var, std, standardisation,
# and a sort/topk whose gradient flows only to the elements it picked.
torch.manual_seed(0)
batch = torch.randn(4, 3, requires_grad=True)

mu = batch.mean(dim=0)
var = batch.var(dim=0, unbiased=False)     # the population variance (correction=0)
sd = torch.std(batch, 0)                   # the sample std (Bessel's correction)
print("mean", mu)
print("var ", var)
print("std ", sd)
print(torch.var_mean(batch, dim=0, correction=0))

# Standardise each column; its gradient sums to zero down every column.
z = (batch - mu) / torch.sqrt(var + 1e-5)
loss = (z ** 3).sum()
loss.backward()
print("d loss/d batch", batch.grad)
print("column sums   ", batch.grad.sum(dim=0))

# sort and topk: named tuples; the gradient reaches only the picked entries.
x = torch.tensor([0.3, -1.2, 2.5, 0.9, 2.5, -0.4], requires_grad=True)
s = x.sort(descending=True)
print(s)
top = torch.topk(x, 3)
print(top.values, top.indices)
(top.values * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
print("d top/dx", x.grad)

# median and kthvalue pick one index at a tie (as PyTorch does); amax shares it.
x.grad = None
m = x.median()
(m + x.kthvalue(5).values * 10 + x.amax() * 100).backward()
print(m, x.kthvalue(5), x.grad)

# Running statistics along a dim.
print(torch.cumsum(x, dim=0))
print(x.cummax(dim=0))
print(torch.logsumexp(x, dim=0), x.logcumsumexp(dim=0))
