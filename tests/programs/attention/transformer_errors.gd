import torch
import torch.nn as nn
def tr(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
tr(lambda: nn.TransformerEncoderLayer(8, 2, activation="tanh"))
m = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=16)
tr(lambda: m(torch.randn(3, 2, 8), torch.randn(3, 3, 8)))
tr(lambda: m(torch.randn(3, 2, 6), torch.randn(3, 2, 6)))
