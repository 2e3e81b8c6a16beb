# Newton's method for a nonlinear system F(x) = 0, with torch.linalg.solve.
#
# Each step solves the linear model J(x) dx = F(x) for the step dx, with J the
# Jacobian of F from autograd, and moves to x - dx.  The gradient printed beside
# each iterate is that of the merit function m(x) = ½‖F(x)‖², which is Jᵀ F:
# it goes to zero with F.
#
# The system: a circle of radius 2 and the hyperbola x·y = 1; float64, since
# Newton converges quadratically and float32 would hit its precision floor.
import torch
from torch.autograd.functional import jacobian


def F(x):
    return torch.stack([x[0] ** 2 + x[1] ** 2 - 4, x[0] * x[1] - 1])


x = torch.tensor([2.0, 0.3], dtype=torch.float64, requires_grad=True)

for step in range(4):
    r = F(x)
    m = 0.5 * (r * r).sum()
    m.backward()
    print(f"step {step}: x = {x.detach()}, grad m = {x.grad}")
    J = jacobian(F, x)
    dx = torch.linalg.solve(J, r.detach())
    with torch.no_grad():
        x -= dx
    x.grad = None

print(x)
print(F(x).abs().max() < 1e-12)

# solve is differentiable in both arguments: d/db of sum(solve(A, b)) is A⁻ᵀ·1.
A = torch.tensor([[3.0, 1.0], [1.0, 2.0]], requires_grad=True)
b = torch.tensor([9.0, 8.0], requires_grad=True)
y = torch.linalg.solve(A, b)
print(y)
y.sum().backward()
print(b.grad)
print(A.grad)
print(torch.linalg.inv(A).T @ torch.ones(2))
