# GRU/LSTM sequence regression with pack_padded_sequence
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence, pack_padded_sequence, pad_packed_sequence
torch.manual_seed(15)
seqs = [torch.randn(n, 2) for n in (5, 3, 4)]
lengths = torch.tensor([len(s) for s in seqs])
padded = pad_sequence(seqs, batch_first=True)
print(padded.shape, lengths)
gru = nn.GRU(2, 4, batch_first=True)
packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
out, h = gru(packed)
unp, lens = pad_packed_sequence(out, batch_first=True)
print(unp.shape, lens, h.shape)
print(torch.allclose(unp[1, 2], h[0, 1]))
lstm = nn.LSTM(2, 3, num_layers=2, batch_first=True, dropout=0.0)
o, (hn, cn) = lstm(padded)
print(o.shape, hn.shape, cn.shape)
head = nn.Linear(3, 1)
opt = torch.optim.SGD(list(lstm.parameters()) + list(head.parameters()), lr=0.1)
target = torch.tensor([[1.0], [0.0], [0.5]])
for i in range(30):
    o, (hn, cn) = lstm(padded)
    loss = ((head(hn[-1]) - target) ** 2).mean()
    opt.zero_grad(); loss.backward(); opt.step()
print(round(loss.item(), 5))
print(packed.batch_sizes, packed.sorted_indices)
