import torch
import torch.nn as nn
torch.manual_seed(0)
l = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, norm_first=True, activation="gelu")
x = torch.randn(5, 2, 8, requires_grad=True)
y = l(x, src_mask=torch.triu(torch.ones(5, 5, dtype=torch.bool), 1))
y.sum().backward()
print(y[0], x.grad[0])
