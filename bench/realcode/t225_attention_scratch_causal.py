# Scaled dot product attention from scratch with causal mask vs F.scaled_dot_product_attention
import math
import torch
import torch.nn.functional as F
torch.manual_seed(18)
B, T, C = 2, 4, 6
q = torch.randn(B, T, C, dtype=torch.float64)
k = torch.randn(B, T, C, dtype=torch.float64)
v = torch.randn(B, T, C, dtype=torch.float64, requires_grad=True)
att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
tril = torch.tril(torch.ones(T, T))
att = att.masked_fill(tril == 0, float('-inf'))
att = F.softmax(att, dim=-1)
print(att[0])
y = att @ v
y2 = F.scaled_dot_product_attention(q, k, v, is_causal=True)
print(torch.allclose(y, y2), (y - y2).abs().max().item() < 1e-12)
y.sum().backward()
print(v.grad[1])
bias = torch.zeros(T, T, dtype=torch.float64).masked_fill(tril == 0, -1e9)
y3 = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
print(torch.allclose(y2, y3))
