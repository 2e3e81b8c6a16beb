# WeightedRandomSampler for imbalanced classes, SubsetRandomSampler, BatchSampler, default collate of dicts and tuples
import torch
from torch.utils.data import DataLoader, TensorDataset, WeightedRandomSampler, SubsetRandomSampler, BatchSampler, SequentialSampler
torch.manual_seed(0)
labels = torch.tensor([0] * 8 + [1] * 2)
counts = torch.bincount(labels)
weights = 1.0 / counts[labels].float()
sampler = WeightedRandomSampler(weights, num_samples=10, replacement=True)
idx = list(sampler)
print(idx, labels[idx].tolist())
ds = TensorDataset(torch.arange(10.), labels)
dl = DataLoader(ds, batch_size=4, sampler=SubsetRandomSampler([0, 2, 4, 6, 8]))
for xb, yb in dl:
    print(xb, yb)
print(list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False)))
dicts = [{'a': torch.tensor(i), 'b': [i, i * 2]} for i in range(3)]
batch = next(iter(DataLoader(dicts, batch_size=3)))
print(batch)
tup = next(iter(DataLoader([(1, 2.0, 'x'), (3, 4.0, 'y')], batch_size=2)))
print(tup)
