# TransformerEncoder in eval with src_key_padding_mask and default enable_nested_tensor (fast path zeros padded positions)
import torch
import torch.nn as nn
torch.manual_seed(44)
layer = nn.TransformerEncoderLayer(d_model=4, nhead=2, dim_feedforward=8, batch_first=True)
enc = nn.TransformerEncoder(layer, num_layers=2)
enc.eval()
x = torch.randn(2, 3, 4)
pad = torch.tensor([[False, False, True], [False, False, False]])
with torch.no_grad():
    y = enc(x, src_key_padding_mask=pad)
print(y[0, 2])
print(y.shape)
with torch.no_grad():
    y1 = layer(x, src_key_padding_mask=pad)
print(y1[0, 2].abs().sum() > 0)
