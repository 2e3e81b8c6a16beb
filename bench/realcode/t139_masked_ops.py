# masked ops: masked_fill for attention masks, masked_select, boolean indexing assignment, masked mean, nan masking
import torch
torch.manual_seed(0)
scores = torch.randn(2, 4, 4)
mask = torch.tril(torch.ones(4, 4)).bool()
masked = scores.masked_fill(~mask, float('-inf'))
attn = torch.softmax(masked, dim=-1)
print(attn[0])
print(torch.masked_select(scores[0], mask).shape)
x = torch.tensor([1.0, -2.0, 3.0, -4.0, 5.0], requires_grad=True)
pos = x > 0
print(x[pos], pos, pos.sum(), pos.float().mean())
y = x.clone()
y[~pos] = 0
y.sum().backward()
print(y, x.grad)
vals = torch.tensor([[1.0, 2.0, 0.0], [4.0, 0.0, 0.0]])
lengths = torch.tensor([2, 1])
m = torch.arange(3)[None, :] < lengths[:, None]
print(m, (vals * m).sum(1) / m.sum(1))
d = torch.tensor([1.0, float('nan'), 3.0])
print(torch.nan_to_num(d), d[~torch.isnan(d)].mean(), torch.nanmean(d), torch.where(torch.isnan(d), torch.zeros_like(d), d))
z = torch.arange(6.).view(2, 3)
z.masked_fill_(z > 3, -1.0)
print(z, z.masked_scatter(z < 0, torch.tensor([10., 20.])))
