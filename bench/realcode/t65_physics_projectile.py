# Physics: projectile range optimised over angle by gradient ascent; spring energy minimisation
import math
import torch
g = 9.81
v0 = 20.0
theta = torch.tensor(0.3, requires_grad=True)
opt = torch.optim.SGD([theta], lr=0.01)
for step in range(100):
    R = v0 ** 2 * torch.sin(2 * theta) / g
    loss = -R
    opt.zero_grad()
    loss.backward()
    opt.step()
print(f"theta = {theta.item():.5f} rad ({math.degrees(theta.item()):.3f} deg), R = {R.item():.4f}")
pos = torch.tensor([[0.0, 0.0], [1.5, 0.2], [2.0, 1.0], [0.5, 1.5]], requires_grad=True)
edges = [(0, 1), (1, 2), (2, 3), (3, 0), (0, 2)]
k, L0 = 1.0, 1.0
opt = torch.optim.LBFGS([pos], lr=0.5, max_iter=20)
def closure():
    opt.zero_grad()
    E = sum(0.5 * k * (torch.norm(pos[i] - pos[j]) - L0) ** 2 for i, j in edges)
    E.backward()
    return E
for _ in range(3):
    E = opt.step(closure)
    print(round(E.item(), 6))
d = [round(torch.dist(pos[i], pos[j]).item(), 4) for i, j in edges]
print(d)
t = torch.linspace(0, 2, 5, requires_grad=True)
x = torch.sin(3 * t) * torch.exp(-t)
v, = torch.autograd.grad(x.sum(), t, create_graph=True)
a, = torch.autograd.grad(v.sum(), t)
print(v.detach(), a)
