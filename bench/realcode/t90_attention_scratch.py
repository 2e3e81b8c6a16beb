# scaled dot-product attention from scratch vs F.scaled_dot_product_attention and nn.MultiheadAttention
import math
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(25)
def attention(q, k, v, mask=None):
    d_k = q.size(-1)
    scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(d_k)
    if mask is not None:
        scores = scores.masked_fill(mask == 0, -1e9)
    p_attn = scores.softmax(dim=-1)
    return torch.matmul(p_attn, v), p_attn
q = torch.randn(2, 4, 8); k = torch.randn(2, 4, 8); v = torch.randn(2, 4, 8)
out, p = attention(q, k, v)
ref = F.scaled_dot_product_attention(q, k, v)
print(torch.allclose(out, ref, atol=1e-6), p.sum(-1))
mask = torch.tril(torch.ones(4, 4))
out_c, p_c = attention(q, k, v, mask)
ref_c = F.scaled_dot_product_attention(q, k, v, is_causal=True)
print(torch.allclose(out_c, ref_c, atol=1e-6), p_c[0].round(decimals=3))
mha = nn.MultiheadAttention(8, 2, batch_first=True)
o, w = mha(q, k, v)
print(o.shape, w.shape, w.sum(-1))
o.sum().backward()
print(mha.in_proj_weight.grad.shape, mha.out_proj.bias.grad)
