import torch
import torch.nn.functional as F
torch.manual_seed(0)
q = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
m = torch.tensor([[True, False, True], [True, True, False], [False, False, False]])
o = F.scaled_dot_product_attention(q, q, q, attn_mask=m)
print(o)
g, = torch.autograd.grad(o.sum(), q, create_graph=True)
print(g)
g2, = torch.autograd.grad((g ** 2).sum(), q)
print(g2)
fm = torch.zeros(3, 3)
fm[0, 1] = float("-inf")
print(F.scaled_dot_product_attention(q.float(), q.float(), q.float(), attn_mask=fm))
