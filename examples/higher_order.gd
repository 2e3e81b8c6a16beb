# Higher-order derivatives by differentiating derivatives.
#
# grad(..., create_graph=True) records the backward computation itself, so
# the derivative it returns is a tensor with a grad_fn that can be
# differentiated again -- to any order.  For y = x^4 at x = 2:
#   y' = 4x^3 = 32,  y'' = 12x^2 = 48,  y''' = 24x = 48,  y'''' = 24.
import torch

x = torch.tensor(2.0, requires_grad=True)
y = x ** 4

d1, = torch.autograd.grad(y, x, create_graph=True)
d2, = torch.autograd.grad(d1, x, create_graph=True)
d3, = torch.autograd.grad(d2, x, create_graph=True)
d4, = torch.autograd.grad(d3, x)
print(d1)
print(d2)
print(d3)
print(d4)
assert d3.item() == 48

# The same in a loop: the successive derivatives of sin at 0 cycle through
# cos 0 = 1, -sin 0 = 0, -cos 0 = -1, sin 0 = 0.
t = torch.tensor(0.0, requires_grad=True)
d = torch.sin(t)
for order in range(1, 5):
    d, = torch.autograd.grad(d, t, create_graph=True)
    print(order, d.item())

# backward(create_graph=True) does the same through .grad: the gradient left
# in x.grad has a graph, so it can be backpropagated once more.
z = torch.tensor(3.0, requires_grad=True)
(z ** 3).backward(create_graph=True)
first = z.grad            # 3 z^2 = 27, with a graph
print(first)
z.grad = None             # drop it from z.grad before accumulating again
first.backward()
print(z.grad)             # 6 z = 18
