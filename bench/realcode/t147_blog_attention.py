# blog-style from-scratch self-attention: scaled dot product, causal mask, multi-head split/merge, compare to F.scaled_dot_product_attention
import math
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
B, T, C, H = 2, 4, 8, 2
x = torch.randn(B, T, C, dtype=torch.float64)
qkv = nn.Linear(C, 3 * C).double()
q, k, v = qkv(x).split(C, dim=2)
q = q.view(B, T, H, C // H).transpose(1, 2)
k = k.view(B, T, H, C // H).transpose(1, 2)
v = v.view(B, T, H, C // H).transpose(1, 2)
att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
mask = torch.tril(torch.ones(T, T)).view(1, 1, T, T)
att = att.masked_fill(mask[:, :, :T, :T] == 0, float('-inf'))
att = F.softmax(att, dim=-1)
y = att @ v
y2 = F.scaled_dot_product_attention(q, k, v, is_causal=True)
print(torch.allclose(y, y2), y.shape)
y = y.transpose(1, 2).contiguous().view(B, T, C)
print(y.shape, att[0, 0])
mha = nn.MultiheadAttention(C, H, batch_first=True).double()
out, w = mha(x, x, x, need_weights=True)
print(out.shape, w.shape, w.sum(-1))
