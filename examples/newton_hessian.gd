# Newton's method with second derivatives from autograd.
#
# To minimise f, Newton's method jumps to the minimum of the local quadratic
# model:  x <- x - H(x)^-1 g(x), with g the gradient and H the Hessian.
# torch.autograd.grad gives g, torch.autograd.functional.hessian gives H
# (it differentiates the gradient once more, by running backward with
# create_graph=True under the hood).
#
# f is Rosenbrock's banana function, minimum 0 at (1, 1).  We work in float64:
# Newton converges quadratically and float32 would hit its precision floor.
import torch
from torch.autograd.functional import hessian


def f(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


x = torch.tensor([-1.2, 1.0], dtype=torch.float64, requires_grad=True)

for step in range(7):
    value = f(x)
    g, = torch.autograd.grad(value, x)
    H = hessian(f, x)
    # Solve H d = g for the 2 x 2 Hessian by Cramer's rule.
    det = H[0, 0] * H[1, 1] - H[0, 1] * H[1, 0]
    d = torch.stack([H[1, 1] * g[0] - H[0, 1] * g[1],
                     H[0, 0] * g[1] - H[1, 0] * g[0]]) / det
    print(f"step {step}: f = {value.item():.6e}, x = {x}")
    # The update must not be recorded, and x is a leaf: do it under no_grad.
    with torch.no_grad():
        x -= d

print(x)
print(hessian(f, x))
