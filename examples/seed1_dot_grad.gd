# Seed tutorial 1 (d2l "automatic differentiation"), section 1: a simple example.
#
# The gradient of the scalar y = 2 x.x with respect to the vector x is a vector
# of the same shape as x: dy/dx = 4x.
import torch

x = torch.arange(4.0)
print(x)

# Ask autograd to track x.  Equivalent: x = torch.arange(4.0, requires_grad=True).
# The gradient is stored in x.grad, which is None until a backward pass runs.
x.requires_grad_(True)
print(x.grad)

y = 2 * torch.dot(x, x)
print(y)

# Backpropagate from the scalar y: x.grad becomes dy/dx.
y.backward()
print(x.grad)
print(x.grad == 4 * x)

# PyTorch ACCUMULATES gradients: without zeroing, the next backward would add
# its gradient to the 4x already stored.  Zero it, then compute the gradient
# of another function of x: d(sum x)/dx = 1 for every element.
x.grad.zero_()
y = x.sum()
y.backward()
print(x.grad)
