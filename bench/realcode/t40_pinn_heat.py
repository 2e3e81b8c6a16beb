# A physics-informed net for the heat equation u_t = alpha u_xx, as PINN tutorials write it:
# u_x and u_t by torch.autograd.grad(create_graph=True), u_xx by a second grad, an initial
# and a boundary term on separate forwards, Adam on the sum.
# heat equation u_t = alpha u_xx, second derivatives through autograd.grad
import math
import torch
from torch import nn

torch.manual_seed(1)
alpha = 0.1

net = nn.Sequential(nn.Linear(2, 20), nn.Tanh(), nn.Linear(20, 20), nn.Tanh(), nn.Linear(20, 1))

def u_fn(x, t):
    return net(torch.cat([x, t], dim=1))

def pde_residual(x, t):
    x.requires_grad_(True)
    t.requires_grad_(True)
    u = u_fn(x, t)
    u_x, u_t = torch.autograd.grad(u.sum(), (x, t), create_graph=True)
    u_xx = torch.autograd.grad(u_x.sum(), x, create_graph=True)[0]
    return u_t - alpha * u_xx

N = 64
x_c = torch.rand(N, 1)
t_c = torch.rand(N, 1)
x_ic = torch.rand(32, 1)
t_ic = torch.zeros(32, 1)
u_ic = torch.sin(math.pi * x_ic)
x_bc = torch.cat([torch.zeros(16, 1), torch.ones(16, 1)])
t_bc = torch.rand(32, 1)

optimizer = torch.optim.Adam(net.parameters(), lr=5e-3)
mse = nn.MSELoss()
history = []
for it in range(101):
    optimizer.zero_grad()
    r = pde_residual(x_c.clone(), t_c.clone())
    l_pde = mse(r, torch.zeros_like(r))
    l_ic = mse(u_fn(x_ic, t_ic), u_ic)
    l_bc = mse(u_fn(x_bc, t_bc), torch.zeros_like(t_bc))
    loss = l_pde + l_ic + l_bc
    loss.backward()
    optimizer.step()
    history.append(loss.item())
    if it % 25 == 0:
        print("it=%d loss=%.5f (pde %.5f, ic %.5f, bc %.5f)" % (it, loss, l_pde, l_ic, l_bc))

print("final", round(history[-1], 6), "min", min(history))
xs = torch.linspace(0, 1, 5).unsqueeze(1)
ts = torch.full_like(xs, 0.5)
with torch.no_grad():
    print(u_fn(xs, ts).squeeze())
    print(torch.sin(math.pi * xs).squeeze() * math.exp(-alpha * math.pi ** 2 * 0.5))
