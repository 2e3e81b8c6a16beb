import torch
import torch.nn.functional as F
q = torch.randn(2, 3, 4)
for f in (lambda: F.scaled_dot_product_attention(q, q, q, attn_mask=torch.ones(3, 3, dtype=torch.long)),
          lambda: F.scaled_dot_product_attention(q, q.double(), q),
          lambda: F.scaled_dot_product_attention(torch.randn(4), torch.randn(4), torch.randn(4)),
          lambda: F.scaled_dot_product_attention(q, q, q, attn_mask=torch.ones(3, 3, dtype=torch.bool), is_causal=True)):
    try:
        f()
    except RuntimeError as e:
        print(type(e).__name__, e)
