# --- pinn burgers small
import torch
import torch.nn as nn

torch.manual_seed(0)
class PINN(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 10), nn.Tanh(), nn.Linear(10, 10), nn.Tanh(), nn.Linear(10, 1))
    def forward(self, x, t):
        return self.net(torch.cat([x, t], dim=1))

model = PINN()
nu = 0.01 / torch.pi
x = (torch.rand(16, 1) * 2 - 1).requires_grad_()
t = torch.rand(16, 1, requires_grad=True)
def residual(model, x, t):
    u = model(x, t)
    u_t = torch.autograd.grad(u, t, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    u_x = torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    u_xx = torch.autograd.grad(u_x, x, grad_outputs=torch.ones_like(u_x), create_graph=True)[0]
    return u_t + u * u_x - nu * u_xx
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for it in range(5):
    opt.zero_grad()
    r = residual(model, x, t)
    x0 = torch.linspace(-1, 1, 8).unsqueeze(1)
    ic = model(x0, torch.zeros_like(x0)) + torch.sin(torch.pi * x0)
    loss = r.pow(2).mean() + ic.pow(2).mean()
    loss.backward()
    opt.step()
    print(f"iter {it} loss {loss.item():.6f}")
