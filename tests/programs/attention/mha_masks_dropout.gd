import torch
import torch.nn as nn
torch.manual_seed(0)
m = nn.MultiheadAttention(8, 2, batch_first=True, dropout=0.2)
x = torch.randn(2, 4, 8)
kpm = torch.tensor([[False, False, True, True], [False, False, False, True]])
mask = torch.triu(torch.full((4, 4), float("-inf")), diagonal=1)
o, w = m(x, x, x, key_padding_mask=kpm, attn_mask=mask)
print(o[0], w[1])
o, w = m(x, x, x, attn_mask=mask, is_causal=True, need_weights=False)
print(o[1])
m.eval()
with torch.no_grad():
    o, w = m(x[0], x[0], x[0])
print(o, w)
