import torch
import torch.nn as nn
torch.manual_seed(0)
l = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, batch_first=True)
e = nn.TransformerEncoder(l, num_layers=2)
x = torch.randn(2, 5, 8, requires_grad=True)
y = e(x)
print(y[0], y.grad_fn.name())
(y[:, 0] * torch.arange(8.)).sum().backward()
print(x.grad[1, 0])
e.eval()
kpm = torch.tensor([[False, False, False, True, True], [False] * 5])
print(e(x, src_key_padding_mask=kpm)[0])
with torch.no_grad():
    print(e(x, src_key_padding_mask=kpm)[0])
    print(e(x, mask=nn.Transformer.generate_square_subsequent_mask(5))[1])
