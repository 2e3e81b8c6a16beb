# MultiheadAttention with kdim/vdim, add_bias_kv, add_zero_attn, seq-first, and the parameters these create
import torch
import torch.nn as nn
torch.manual_seed(69)
mha = nn.MultiheadAttention(6, 3, kdim=4, vdim=5).double()
print([(n, tuple(p.shape)) for n, p in mha.named_parameters()])
q = torch.randn(2, 1, 6, dtype=torch.float64)
k = torch.randn(3, 1, 4, dtype=torch.float64)
v = torch.randn(3, 1, 5, dtype=torch.float64)
o, w = mha(q, k, v)
print(o[0], w)
m2 = nn.MultiheadAttention(4, 2, add_bias_kv=True, add_zero_attn=True).double()
print([(n, tuple(p.shape)) for n, p in m2.named_parameters()])
x = torch.randn(3, 2, 4, dtype=torch.float64)
o2, w2 = m2(x, x, x)
print(w2.shape, o2[2, 1])
o2.sum().backward()
print(m2.bias_k.grad)
