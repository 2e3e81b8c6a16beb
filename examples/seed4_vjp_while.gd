# Seed tutorial 4: the vector-Jacobian product of a data-dependent loop.
#
# torch.autograd cannot return the full Jacobian of a non-scalar y through
# backward, but given a vector v it computes J^T v.  Here y = 2^k x with k set
# by the loop, so x.grad = 2^k v.
import torch

# The generator state behind the tutorial's x is unknown (other cells drew
# numbers in between), so its values cannot be replayed; we re-seed for a
# reproducible output.  Only the values of x differ from the tutorial: the
# gradient is 2^k v, the same 1.0240e+02, 1.0240e+03, 1.0240e-01.
torch.manual_seed(7)
x = torch.randn(3, requires_grad=True)
y = x * 2

while y.data.norm() < 1000:
    y = y * 2

print(y)

y.backward(torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float))

print(x.grad)

# Wrapping code in `with torch.no_grad():` stops tracking even for tensors
# with requires_grad=True.
print(x.requires_grad)
print((x ** 2).requires_grad)
with torch.no_grad():
    print((x ** 2).requires_grad)
