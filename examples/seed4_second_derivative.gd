# Seed tutorial 4: first and second derivatives of y = x^2 at x = 3.
#
# create_graph=True makes autograd RECORD the backward pass itself, so the
# first derivative dy/dx = 2x is a tensor with a grad_fn that can be
# differentiated again: d2y/dx2 = 2.
import torch

x = torch.tensor([3.], requires_grad=True)
y = torch.pow(x, 2)

grad_1 = torch.autograd.grad(y, x, create_graph=True)
grad_2 = torch.autograd.grad(grad_1[0], x)

# grad returns a tuple with one gradient per input.
print(grad_1)
print(grad_2)
