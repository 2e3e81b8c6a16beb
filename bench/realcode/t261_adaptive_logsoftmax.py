# AdaptiveLogSoftmaxWithLoss for large vocab LM heads, log_prob, predict; nn.utils.rnn unpad/unpack helpers
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence, unpad_sequence, pack_sequence, unpack_sequence
torch.manual_seed(70)
asm = nn.AdaptiveLogSoftmaxWithLoss(6, 12, cutoffs=[4, 8], div_value=2.0).double()
print(asm)
h = torch.randn(5, 6, dtype=torch.float64)
t = torch.tensor([0, 5, 9, 11, 3])
out = asm(h, t)
print(out.output, out.loss)
print(asm.log_prob(h)[0])
print(asm.predict(h))
out.loss.backward()
print(asm.head.weight.grad.shape)
seqs = [torch.tensor([1, 2, 3]), torch.tensor([4]), torch.tensor([5, 6])]
padded = pad_sequence(seqs, batch_first=True, padding_side='left')
print(padded)
print(unpad_sequence(pad_sequence(seqs, batch_first=True), torch.tensor([3, 1, 2]), batch_first=True))
print(unpack_sequence(pack_sequence(seqs, enforce_sorted=False)))
