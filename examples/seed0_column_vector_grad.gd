# Seed tutorial 0 (d2l 2.3 "automatic differentiation"), sections 2.3.1-2.3.2.
#
# Gradient of y = 2 * x^T x with respect to a column vector x: the answer is 4x.
# (The tutorial's first cell prints torch.__version__; gd has no dunder names,
# and the version is not an autograd idea, so that cell is left out.)
import torch

# A (4, 1) column vector of float64 values 0..3.
x = torch.reshape(torch.arange(4, dtype=torch.float64), (4, 1))
print(x)

# requires_grad_(True) turns x into a leaf that autograd tracks; from now on
# every operation that uses x is recorded on the tape.  It returns x itself.
print(x.requires_grad_(True))

# x.T @ x is a (1, 1) matrix; y has a grad_fn because it was computed from x.
y = 2 * torch.mm(x.T, x)

# torch.autograd.backward(y) is the function form of y.backward(): it walks
# the tape from y back to the leaves and stores dy/dx in x.grad.  y holds one
# element, so no `gradient` argument is needed.
torch.autograd.backward(y)
print(y)

# The analytic gradient of 2 x^T x is 4x: check it exactly.
assert (x.grad - 4 * x).norm().item() == 0
print(x.grad)

# Gradients ACCUMULATE into .grad: before computing another gradient with
# respect to the same leaf, zero it in place.
x.grad.data.zero_()
print(x.grad)
