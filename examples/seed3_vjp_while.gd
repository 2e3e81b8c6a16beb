# Seed tutorial 3: vector-Jacobian products, and no_grad.
#
# y = x * 2^k where the while loop picks k from the data.  y is a vector, so
# backward needs a vector v; autograd then computes J^T v.  Here J = 2^k I, so
# x.grad = 2^k v.
import torch

# The tutorial's x is unseeded; we seed the generator for a reproducible output.
torch.manual_seed(0)
x = torch.randn(3, requires_grad=True)

y = x * 2
# y.data is y's values without the history: the loop condition is not recorded.
while y.data.norm() < 1000:
    y = y * 2

print(y)

v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)

# x requires grad, so x ** 2 does too -- except inside `with torch.no_grad():`,
# where nothing is recorded.
print(x.requires_grad)
print((x ** 2).requires_grad)

with torch.no_grad():
    print((x ** 2).requires_grad)
