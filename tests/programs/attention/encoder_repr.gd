import torch
import torch.nn as nn
torch.manual_seed(0)
l = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, batch_first=True)
print(l)
e = nn.TransformerEncoder(l, num_layers=2)
print(e)
print(l.activation_relu_or_gelu, e.use_nested_tensor, e.num_layers)
l2 = nn.TransformerEncoderLayer(8, 2, 16, activation=nn.GELU())
print(l2.activation, l2.activation_relu_or_gelu)
print(nn.Transformer.generate_square_subsequent_mask(3))
