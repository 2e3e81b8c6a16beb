# Indexing ops and their gradients: every element that is read gets the upstream
# gradient back; an element read twice gets it twice; an element that is not
# read (or is overwritten) gets zero.
import torch

scores = torch.tensor([[0.1, 0.7, 0.2],
                       [0.5, 0.3, 0.2],
                       [0.3, 0.3, 0.4]], requires_grad=True)

# gather: pick one entry per row (the "score of the right class").
labels = torch.tensor([1, 0, 2])
picked = torch.gather(scores, 1, labels.unsqueeze(1))
print(picked)
picked.sum().backward()
print(scores.grad)                 # 1 at each picked entry, 0 elsewhere

# index_select reads whole rows; row 0 is read twice, so its gradient is 2.
scores.grad = None
rows = scores.index_select(0, torch.tensor([0, 2, 0]))
print(rows)
rows.sum().backward()
print(scores.grad)

# scatter_add sums values into bins (a histogram of weights per label); the
# gradient of each weight is the upstream gradient of its bin.
weights = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
bins = torch.tensor([0, 2, 0, 1])
totals = torch.zeros(3).scatter_add(0, bins, weights)
print(totals)
(totals * torch.tensor([10.0, 20.0, 30.0])).sum().backward()
print(weights.grad)                # [10, 30, 10, 20]

# masked_fill overwrites entries: no gradient flows to them.
x = torch.tensor([[1.0, -2.0], [-3.0, 4.0]], requires_grad=True)
y = x.masked_fill(x < 0, 0.0)
print(y)
(y * y).sum().backward()
print(x.grad)                      # 2x where kept, 0 where filled

# Advanced indexing: a bool mask selects the matching elements (a 1-D
# result); a list of indices selects rows, repeated rows accumulate.
x.grad = None
print(x[x > 0])
print(x[[1, 1, 0]])
(x[x > 0].sum() + x[[1, 1, 0]].sum()).backward()
print(x.grad)

# Integer and tensor indices together: the integer selects first, then the
# tensor indexes what is left (PyTorch's dim rules).
t = torch.arange(24.0).reshape(2, 3, 4)
print(t[0, :, [0, 3]])
print(t[:, [0, 2], 1:3].shape)

# Out-of-range indices are errors, with PyTorch's message.
try:
    t[0, [0, 5]]
except IndexError as e:
    print(e)
