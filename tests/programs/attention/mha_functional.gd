import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
m = nn.MultiheadAttention(4, 2)
x = torch.randn(3, 2, 4)
o, w = F.multi_head_attention_forward(x, x, x, 4, 2, m.in_proj_weight, m.in_proj_bias, None, None, True, 0.0, m.out_proj.weight, m.out_proj.bias)
print(o[0], w[0])
