import torch
import torch.nn as nn
torch.manual_seed(0)
dl = nn.TransformerDecoderLayer(d_model=8, nhead=4, dim_feedforward=16)
print(dl)
d = nn.TransformerDecoder(dl, num_layers=2, norm=nn.LayerNorm(8))
tgt = torch.randn(4, 2, 8)
mem = torch.randn(6, 2, 8)
print(d(tgt, mem, tgt_mask=nn.Transformer.generate_square_subsequent_mask(4), tgt_is_causal=True)[0])
