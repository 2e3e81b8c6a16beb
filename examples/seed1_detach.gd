# Seed tutorial 1 (d2l), section 3: detaching computation.
#
# y = x*x and z = u*x where u = y.detach().  u has the same values as y but no
# history: autograd treats it as a constant, so dz/dx = u (not 3x^2, which is
# what we would get from z = x*x*x).
import torch

x = torch.arange(4.0, requires_grad=True)

y = x * x
u = y.detach()
z = u * x
z.sum().backward()
print(x.grad == u)
print(u.requires_grad, u.grad_fn)

# y itself still has its history, so we can backpropagate through it and get
# d(x*x)/dx = 2x.
x.grad.zero_()
y.sum().backward()
print(x.grad == 2 * x)
