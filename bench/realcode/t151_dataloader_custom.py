# custom Dataset with __getitem__ returning dicts, DataLoader with collate_fn padding, random_split, Subset, drop_last
import torch
from torch.utils.data import Dataset, DataLoader, random_split, Subset
class SeqDataset(Dataset):
    def __init__(self, n):
        self.data = [torch.arange(1, (i % 4) + 2) for i in range(n)]
    def __len__(self):
        return len(self.data)
    def __getitem__(self, idx):
        return {'seq': self.data[idx], 'label': idx % 2}
def collate(batch):
    seqs = [b['seq'] for b in batch]
    lengths = torch.tensor([len(s) for s in seqs])
    padded = torch.nn.utils.rnn.pad_sequence(seqs, batch_first=True)
    labels = torch.tensor([b['label'] for b in batch])
    return padded, lengths, labels
ds = SeqDataset(10)
print(len(ds), ds[3])
g = torch.Generator().manual_seed(42)
train, val = random_split(ds, [7, 3], generator=g)
print(len(train), len(val), val.indices)
dl = DataLoader(train, batch_size=3, shuffle=True, collate_fn=collate, drop_last=True, generator=torch.Generator().manual_seed(0))
for padded, lengths, labels in dl:
    print(padded.tolist(), lengths, labels)
sub = Subset(ds, [0, 2, 4])
print([s['label'] for s in sub], len(DataLoader(ds, batch_size=4)), len(DataLoader(ds, batch_size=4, drop_last=True)))
