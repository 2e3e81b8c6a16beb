# Seed tutorial 1 (d2l), section 2: backward of a non-scalar variable.
#
# When y is a vector, dy/dx is a matrix (the Jacobian).  backward() computes
# vector-Jacobian products v^T J, so for a non-scalar y you must say which v:
# y.sum().backward() and y.backward(torch.ones(len(x))) both use v = ones and
# give the sum of the partial derivatives, here d(x*x)/dx = 2x.
import torch

x = torch.arange(4.0, requires_grad=True)

y = x * x
y.sum().backward()
print(x.grad)

# The same gradient through an explicit `gradient` argument.
x.grad.zero_()
y = x * x
y.backward(torch.ones(len(x)))
print(x.grad)

# Any other v weights the rows of the Jacobian: here v = [1, 0, 0, 10].
x.grad.zero_()
y = x * x
y.backward(torch.tensor([1.0, 0.0, 0.0, 10.0]))
print(x.grad)
