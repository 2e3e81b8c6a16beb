# LSTM with proj_size, GRU bidirectional combining directions, pack_sequence
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_sequence, pad_packed_sequence
torch.manual_seed(45)
lstm = nn.LSTM(3, 5, proj_size=2, batch_first=True).double()
print(lstm)
print([(n, tuple(p.shape)) for n, p in lstm.named_parameters()])
x = torch.randn(2, 4, 3, dtype=torch.float64)
out, (h, c) = lstm(x)
print(out.shape, h.shape, c.shape)
print(out[1, -1])
gru = nn.GRU(3, 4, bidirectional=True).double()
seqs = [torch.randn(4, 3, dtype=torch.float64), torch.randn(2, 3, dtype=torch.float64)]
packed = pack_sequence(seqs)
o, hn = gru(packed)
o, lens = pad_packed_sequence(o)
print(o.shape, lens)
combined = o[:, :, :4] + o[:, :, 4:]
print(combined[1])
print(hn[0] + hn[1])
