import torch
import torch.nn as nn
torch.manual_seed(0)
m = nn.MultiheadAttention(4, 2, kdim=3, vdim=5, bias=False, batch_first=True, add_bias_kv=True)
print(m, [n for n, _ in m.named_parameters()])
print(m.bias_k, m.q_proj_weight)
q = torch.randn(2, 3, 4)
k = torch.randn(2, 5, 3)
v = torch.randn(2, 5, 5)
o, w = m(q, k, v, average_attn_weights=False)
print(o, w[1, 0])
