# Seed tutorial 3 ("gradient computation with PyTorch"): tracking and backward.
#
# A tensor with requires_grad=True records every operation on it; the results
# carry a grad_fn, the node of the graph that will compute their gradient.
import torch

x = torch.ones(2, 2, requires_grad=True)
print(x)

y = x + 2
print(y)
print(y.grad_fn)

z = y * y * 3
out = z.mean()
print(z, out)

# requires_grad_(...) changes the flag of an existing tensor in place; a tensor
# made by randn starts with requires_grad=False.  (The tutorial's a is
# unseeded; we seed the generator for a reproducible output.)
torch.manual_seed(0)
a = torch.randn(2, 2)
a = ((a * 3) / (a - 1))
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn)

# out = (1/4) sum 3 (x_i + 2)^2, so d out / dx_i = (3/2)(x_i + 2) = 4.5 at x = 1.
out.backward()
print(x.grad)
