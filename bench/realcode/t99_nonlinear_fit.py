# curve fitting with nn.Parameter in a Module: damped oscillator params via Adam, then LBFGS polish
import torch
import torch.nn as nn
torch.manual_seed(33)
t = torch.linspace(0, 4, 50)
y_obs = 2.0 * torch.exp(-0.5 * t) * torch.cos(3.0 * t + 0.2) + 0.02 * torch.randn(50)
class Osc(nn.Module):
    def __init__(self):
        super().__init__()
        self.A = nn.Parameter(torch.tensor(1.0))
        self.gamma = nn.Parameter(torch.tensor(0.1))
        self.omega = nn.Parameter(torch.tensor(2.8))
        self.phi = nn.Parameter(torch.tensor(0.0))
    def forward(self, t):
        return self.A * torch.exp(-self.gamma * t) * torch.cos(self.omega * t + self.phi)
m = Osc()
opt = torch.optim.Adam(m.parameters(), lr=0.05)
for i in range(200):
    loss = ((m(t) - y_obs) ** 2).mean()
    opt.zero_grad(); loss.backward(); opt.step()
print(f"adam loss {loss.item():.6f}")
opt2 = torch.optim.LBFGS(m.parameters(), lr=1, max_iter=50, line_search_fn='strong_wolfe')
def closure():
    opt2.zero_grad()
    l = ((m(t) - y_obs) ** 2).mean()
    l.backward()
    return l
opt2.step(closure)
print({n: round(p.item(), 3) for n, p in m.named_parameters()})
print(f"final {closure().item():.6f}")
