# gradcheck/gradgradcheck on custom functions and ops in double precision, torch.autograd.functional.jacobian/hessian/vjp/jvp
import torch
from torch.autograd import gradcheck, gradgradcheck
from torch.autograd.functional import jacobian, hessian, vjp, jvp, hvp
torch.manual_seed(0)
x = torch.randn(3, dtype=torch.double, requires_grad=True)
print(gradcheck(lambda t: (t.sin() * t.exp()).sum(), (x,)))
print(gradgradcheck(lambda t: (t ** 3).sum(), (x,)))
A = torch.randn(3, 3, dtype=torch.double, requires_grad=True)
print(gradcheck(torch.linalg.inv, (A + 3 * torch.eye(3, dtype=torch.double),)))
f = lambda v: torch.stack([v[0] ** 2 * v[1], 5 * v[0] + torch.sin(v[1])])
v0 = torch.tensor([1.0, 2.0], dtype=torch.double)
print(jacobian(f, v0))
print(hessian(lambda v: (v ** 2).prod(), v0))
print(vjp(f, v0, torch.ones(2, dtype=torch.double)))
print(jvp(f, v0, torch.tensor([1.0, 0.0], dtype=torch.double)))
print(hvp(lambda v: (v ** 3).sum(), v0, torch.ones(2, dtype=torch.double)))
