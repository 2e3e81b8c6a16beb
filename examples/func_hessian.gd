# torch.func: transforms that turn a function into its derivative.
#
#   grad(f)        the function x -> df/dx (f returns a scalar)
#   hessian(f)     x -> d²f/dx², built as jacfwd(jacrev(f))
#   vmap(g)        g applied to every row of a batch, results stacked
#
# vmap(grad(f)) gives one gradient per example of a batch in one call.
import torch
from torch.func import grad, grad_and_value, hessian, jacrev, vmap


def energy(x):
    return (x ** 3).sum() + x[0] * x[1] + torch.sin(x).sum()


x = torch.tensor([1.0, 2.0, 0.5])
print(grad(energy)(x))
H = hessian(energy)(x)
print(H)
print(torch.allclose(H, jacrev(jacrev(energy))(x)))

# The gradient and the value from one call; a Hessian-vector product.
g, value = grad_and_value(energy)(x)
print(value)
print(H @ g)

# Per-example gradients of a squared error: one row of the batch per call.
w = torch.tensor([0.5, -1.0])


def loss(w, xi, yi):
    return ((xi * w).sum() - yi) ** 2


xs = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
ys = torch.tensor([1.0, 0.0, -1.0])
per_example = vmap(grad(loss), in_dims=(None, 0, 0))(w, xs, ys)
print(per_example)
print(per_example.mean(0))
print(grad(lambda w: vmap(loss, in_dims=(None, 0, 0))(w, xs, ys).mean())(w))
