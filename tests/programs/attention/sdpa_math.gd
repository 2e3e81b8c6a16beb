import torch
import torch.nn.functional as F
torch.manual_seed(0)
q = torch.randn(2, 3, 4, requires_grad=True)
k = torch.randn(2, 5, 4, requires_grad=True)
v = torch.randn(2, 5, 3, requires_grad=True)
o = F.scaled_dot_product_attention(q, k, v, scale=0.3)
print(o[0], o.grad_fn.name())
o.pow(2).sum().backward()
print(q.grad[1], k.grad[0, :2], v.grad[1, -1])
