# Embedding + GRU classifier with pack_padded_sequence (enforce_sorted=False) and pad_packed_sequence
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence
torch.manual_seed(12)
seqs = [torch.tensor([1, 4, 2]), torch.tensor([3, 5, 6, 7, 2]), torch.tensor([8, 1])]
lengths = torch.tensor([len(s) for s in seqs])
padded = pad_sequence(seqs, batch_first=True, padding_value=0)
print(padded, lengths)
class Clf(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(10, 4, padding_idx=0)
        self.gru = nn.GRU(4, 5, batch_first=True)
        self.fc = nn.Linear(5, 2)
    def forward(self, x, lengths):
        e = self.emb(x)
        packed = pack_padded_sequence(e, lengths, batch_first=True, enforce_sorted=False)
        out, h = self.gru(packed)
        unpacked, lens = pad_packed_sequence(out, batch_first=True)
        return self.fc(h[-1]), unpacked, lens
m = Clf().double()
logits, unpacked, lens = m(padded, lengths)
print(logits)
print(unpacked.shape, lens)
print(unpacked[2])
loss = nn.CrossEntropyLoss()(logits, torch.tensor([0, 1, 1]))
loss.backward()
print(f"{loss.item():.10f}")
print(m.emb.weight.grad[0], m.gru.bias_hh_l0.grad.shape)
packed = pack_padded_sequence(m.emb(padded), lengths, batch_first=True, enforce_sorted=False)
print(packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)
