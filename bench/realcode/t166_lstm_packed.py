# LSTM with pack_padded_sequence/pad_packed_sequence, enforce_sorted=False, last hidden state per sequence, bidirectional concat
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
torch.manual_seed(0)
lstm = nn.LSTM(input_size=3, hidden_size=4, batch_first=True, bidirectional=True).double()
x = torch.randn(3, 5, 3, dtype=torch.float64)
lengths = torch.tensor([2, 5, 3])
packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
out, (h, c) = lstm(packed)
unpacked, lens = pad_packed_sequence(out, batch_first=True)
print(unpacked.shape, lens, h.shape)
final = torch.cat([h[-2], h[-1]], dim=1)
print(final.shape, torch.allclose(unpacked[1, 4, :4], h[0][1]))
print(packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)
print(unpacked[0, 2:].abs().sum())
