# A map-style Dataset returning dicts, DataLoader's default collate (dicts, tuples with
# strings), a custom collate_fn with a seeded generator.
import torch
from torch.utils.data import Dataset, DataLoader
class Squares(Dataset):
    def __init__(self, n):
        self.x = torch.arange(n, dtype=torch.float32)
    def __len__(self):
        return len(self.x)
    def __getitem__(self, idx):
        return {"x": self.x[idx], "y": self.x[idx] ** 2, "id": idx}
ds = Squares(10)
print(len(ds), ds[3])
dl = DataLoader(ds, batch_size=4)
for b in dl:
    print(b)
def collate(batch):
    xs = torch.stack([b["x"] for b in batch])
    return xs, [b["id"] for b in batch]
g = torch.Generator().manual_seed(1)
for xs, ids in DataLoader(ds, batch_size=3, shuffle=True, collate_fn=collate, generator=g):
    print(xs, ids)
class Pairs(Dataset):
    def __len__(self):
        return 5
    def __getitem__(self, i):
        return torch.tensor([i, i + 1]), i % 2
print(next(iter(DataLoader(Pairs(), batch_size=5))))
print(list(DataLoader(list(range(7)), batch_size=3)))
print(list(DataLoader([(1, 'a'), (2, 'b')], batch_size=2)))
