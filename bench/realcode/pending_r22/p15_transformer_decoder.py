# TransformerDecoderLayer with tgt causal mask and memory, norm_first, gelu; eval mode
import torch
import torch.nn as nn
torch.manual_seed(15)
dl = nn.TransformerDecoderLayer(d_model=8, nhead=2, dim_feedforward=12, dropout=0.1, batch_first=True, norm_first=True, activation="gelu").double()
dec = nn.TransformerDecoder(dl, num_layers=2).double()
dec.eval()
tgt = torch.randn(2, 4, 8, dtype=torch.float64)
mem = torch.randn(2, 5, 8, dtype=torch.float64)
mask = nn.Transformer.generate_square_subsequent_mask(4, dtype=torch.float64)
print(mask)
y = dec(tgt, mem, tgt_mask=mask, tgt_is_causal=True)
print(y[0, 0])
print(y.shape)
n = sum(p.numel() for p in dec.parameters())
print(n)
print(dl)
y.pow(2).mean().backward()
print(dec.layers[0].linear1.weight.grad.abs().sum().item())
