# custom Dataset subclass with __len__/__getitem__, transforms, collate_fn, sampler
import torch
from torch.utils.data import Dataset, DataLoader, WeightedRandomSampler, SubsetRandomSampler
torch.manual_seed(21)
class Squares(Dataset):
    def __init__(self, n, transform=None):
        self.x = torch.arange(n, dtype=torch.float32)
        self.transform = transform
    def __len__(self):
        return len(self.x)
    def __getitem__(self, idx):
        s = {'x': self.x[idx], 'y': self.x[idx] ** 2}
        if self.transform:
            s = self.transform(s)
        return s
def norm(s):
    return {'x': s['x'] / 10, 'y': s['y']}
ds = Squares(10, transform=norm)
print(len(ds), ds[3])
for batch in DataLoader(ds, batch_size=4):
    print(batch['x'], batch['y'])
def collate(batch):
    xs = torch.stack([b['x'] for b in batch])
    return xs, len(batch)
print(list(DataLoader(ds, batch_size=3, collate_fn=collate, drop_last=True)))
w = [0.1] * 5 + [1.0] * 5
s = WeightedRandomSampler(w, num_samples=6, replacement=True)
print(list(s))
print([b['x'].tolist() for b in DataLoader(ds, batch_size=2, sampler=SubsetRandomSampler([0, 2, 4, 6]))])
dl = DataLoader(ds, batch_size=4, shuffle=True)
print(len(dl), next(iter(dl))['y'])
