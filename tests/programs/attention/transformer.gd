import torch
import torch.nn as nn
torch.manual_seed(0)
m = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=16, batch_first=True)
print(m)
print(sum(p.numel() for p in m.parameters()), m.encoder.layers[0].linear1.weight[0])
src = torch.randn(2, 5, 8)
tgt = torch.randn(2, 4, 8)
out = m(src, tgt, tgt_mask=m.generate_square_subsequent_mask(4))
print(out[1], out.grad_fn.name())
(out * torch.arange(8.)).sum().backward()
print(m.decoder.layers[0].linear2.bias.grad)
