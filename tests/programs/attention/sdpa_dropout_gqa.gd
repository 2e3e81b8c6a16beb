import torch
import torch.nn.functional as F
torch.manual_seed(0)
q = torch.randn(2, 3, 4)
print(F.scaled_dot_product_attention(q, q, q, dropout_p=0.5))
q = torch.randn(1, 4, 3, 2)
k = torch.randn(1, 2, 3, 2)
print(F.scaled_dot_product_attention(q, k, k, enable_gqa=True)[0, 3])
