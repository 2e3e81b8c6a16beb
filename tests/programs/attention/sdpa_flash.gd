import torch
import torch.nn.functional as F
torch.manual_seed(0)
q = torch.randn(1, 2, 3, 4, requires_grad=True)
o = F.scaled_dot_product_attention(q, q, q, is_causal=True)
print(o, o.grad_fn.name())
(o * o).sum().backward()
print(q.grad)
