import torch
import torch.nn as nn
def tr(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
tr(lambda: nn.MultiheadAttention(4, 3))
tr(lambda: nn.MultiheadAttention(0, 2))
m = nn.MultiheadAttention(4, 2)
x = torch.randn(3, 2, 4)
tr(lambda: m(torch.randn(3, 2, 5), torch.randn(3, 2, 5), torch.randn(3, 2, 5)))
tr(lambda: m(x, x, x, attn_mask=torch.ones(2, 2, dtype=torch.bool)))
tr(lambda: m(x, x, x, is_causal=True))
tr(lambda: m(x, x, x, key_padding_mask=torch.ones(2, 3, dtype=torch.long)))
tr(lambda: m(x, x[:2], x))
