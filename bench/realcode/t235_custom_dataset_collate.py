# Custom Dataset with __len__/__getitem__ returning dicts, collate_fn padding variable-length, drop_last, samplers
import torch
from torch.utils.data import Dataset, DataLoader, SubsetRandomSampler, WeightedRandomSampler
from torch.nn.utils.rnn import pad_sequence
torch.manual_seed(37)
class SeqDataset(Dataset):
    def __init__(self, n):
        self.data = [torch.randint(1, 9, (int(torch.randint(2, 6, (1,))),)) for _ in range(n)]
        self.labels = [int(d.sum() % 2) for d in self.data]
    def __len__(self):
        return len(self.data)
    def __getitem__(self, idx):
        return {"seq": self.data[idx], "label": self.labels[idx]}
def collate(batch):
    seqs = [b["seq"] for b in batch]
    return {"seq": pad_sequence(seqs, batch_first=True), "len": torch.tensor([len(s) for s in seqs]), "label": torch.tensor([b["label"] for b in batch])}
ds = SeqDataset(7)
print(len(ds), ds[0])
dl = DataLoader(ds, batch_size=3, collate_fn=collate, drop_last=True)
for b in dl:
    print(b["seq"].shape, b["len"], b["label"])
dl2 = DataLoader([ds[i] for i in range(len(ds)) if len(ds[i]["seq"]) == len(ds[0]["seq"])], batch_size=2)
batch = next(iter(dl2))
print(type(batch).__name__, batch["label"])
s = SubsetRandomSampler([0, 2, 4, 6], generator=torch.Generator().manual_seed(1))
print(list(s))
w = WeightedRandomSampler([0.1, 0.1, 0.8], num_samples=5, replacement=True, generator=torch.Generator().manual_seed(2))
print(list(w))
dl3 = DataLoader(list(range(10)), batch_size=4, shuffle=True, generator=torch.Generator().manual_seed(3))
print([b.tolist() for b in dl3])
