# transformer bits: sinusoidal positional encoding, register_buffer, TransformerEncoderLayer
import math
import torch
import torch.nn as nn
torch.manual_seed(26)
class PositionalEncoding(nn.Module):
    def __init__(self, d_model, dropout=0.1, max_len=50):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer('pe', pe)
    def forward(self, x):
        x = x + self.pe[:x.size(0)]
        return self.dropout(x)
pe = PositionalEncoding(8, dropout=0.0)
print(pe.pe[:3, 0], list(pe.state_dict().keys()), pe.pe.requires_grad)
layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.0)
enc = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
src = torch.randn(5, 3, 8)
out = enc(pe(src))
print(out.shape, out.mean().item() < 1e-5)
mask = nn.Transformer.generate_square_subsequent_mask(4)
print(mask)
print(sum(p.numel() for p in enc.parameters()))
