import torch

def fixed_point(g, x0, tol=1e-10, max_iter=100):
    x = x0
    for i in range(max_iter):
        x_new = g(x)
        yield i, x_new, (x_new - x).abs().item()
        if (x_new - x).abs() < tol:
            return
        x = x_new

for i, x, d in fixed_point(torch.cos, torch.tensor(1.0, dtype=torch.float64)):
    if i % 10 == 0:
        print(f"{i:3d} {x.item():.12f} {d:.2e}")
print("final", x, i)
z = torch.tensor(0.7390851332151607, dtype=torch.float64, requires_grad=True)
y = torch.cos(z)
dz, = torch.autograd.grad(y, z)
print("|g'(x*)| =", abs(dz.item()), "< 1:", abs(dz.item()) < 1)
theta = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
xs = torch.tensor(0.5, dtype=torch.float64)
for _ in range(60):
    xs = torch.cos(theta * xs)
dx_dtheta, = torch.autograd.grad(xs, theta)
x_star = xs.detach()
implicit = -x_star * torch.sin(theta * x_star) / (1 + theta * torch.sin(theta * x_star))
print(f"unrolled {dx_dtheta.item():.10f} implicit {implicit.item():.10f}")
