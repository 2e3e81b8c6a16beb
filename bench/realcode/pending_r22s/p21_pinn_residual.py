import torch
import torch.nn as nn

torch.manual_seed(1)
net = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1)).double()
t = torch.linspace(0, 1, 7, dtype=torch.float64).unsqueeze(1).requires_grad_(True)
u = net(t)
du = torch.autograd.grad(u, t, torch.ones_like(u), create_graph=True)[0]
d2u = torch.autograd.grad(du, t, torch.ones_like(du), create_graph=True)[0]
res = d2u + u
loss = (res ** 2).mean() + (u[0] - 1) ** 2 + (du[0]) ** 2
print(loss.shape, loss.dtype)
loss = loss.squeeze()
opt = torch.optim.Adam(net.parameters(), lr=0.01)
for ep in range(30):
    opt.zero_grad()
    u = net(t)
    du = torch.autograd.grad(u, t, torch.ones_like(u), create_graph=True)[0]
    d2u = torch.autograd.grad(du, t, torch.ones_like(du), create_graph=True)[0]
    loss = ((d2u + u) ** 2).mean() + ((u[0] - 1) ** 2).sum() + (du[0] ** 2).sum()
    loss.backward()
    opt.step()
    if ep % 10 == 0:
        print(f"epoch {ep:3d} loss {loss.item():.6e}")
print(net(torch.tensor([[0.5]], dtype=torch.float64)).item())
