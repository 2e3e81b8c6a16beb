# nn.TransformerEncoder with src_key_padding_mask, generate_square_subsequent_mask, positional encoding buffer, eval determinism
import math
import torch
import torch.nn as nn
torch.manual_seed(0)
class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=50):
        super().__init__()
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer('pe', pe)
    def forward(self, x):
        return x + self.pe[:x.size(0)]
pe = PositionalEncoding(8)
print(pe.pe[1, 0], pe.pe.shape)
layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.0).double()
enc = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False).double()
src = torch.randn(5, 2, 8, dtype=torch.float64)
mask = nn.Transformer.generate_square_subsequent_mask(5)
print(mask)
enc.eval()
out = enc(pe(src.float()).double(), mask=mask.double())
print(out.shape, out[0, 0].abs().sum() > 0)
pad = torch.tensor([[False, False, False, True, True], [False, False, False, False, False]])
out2 = enc(src, src_key_padding_mask=pad)
print(out2.shape, torch.isfinite(out2).all())
