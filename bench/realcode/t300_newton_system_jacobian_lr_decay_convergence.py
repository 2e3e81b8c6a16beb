# --- newton system jacobian
import torch
from torch.autograd.functional import jacobian

def F(v):
    x, y = v[0], v[1]
    return torch.stack([x ** 2 + y ** 2 - 4, torch.exp(x) + y - 1])

v = torch.tensor([1.0, -1.0], dtype=torch.float64)
for it in range(8):
    Fv = F(v)
    J = jacobian(F, v)
    dv = torch.linalg.solve(J, -Fv)
    v = v + dv
    print(f"{it}: x={v[0].item():.12f} y={v[1].item():.12f} |F|={torch.linalg.norm(F(v)).item():.3e}")
print(v, F(v).abs().max() < 1e-12)

# --- lr decay convergence
import torch

f = lambda x: (x - 3) ** 2 + 0.5 * torch.sin(5 * x)
x = torch.tensor(0.0, requires_grad=True)
opt = torch.optim.SGD([x], lr=0.1)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.95)
hist = []
for step in range(60):
    opt.zero_grad()
    loss = f(x)
    loss.backward()
    opt.step()
    sched.step()
    hist.append(loss.item())
    if step % 15 == 0:
        print(step, f"{loss.item():.6f}", f"{x.item():.6f}", sched.get_last_lr())
print(f"final x={x.item():.6f} f={f(x).item():.6f}")
print(min(hist), hist.index(min(hist)))
t = torch.tensor(hist)
print(t[-5:], t.diff()[-3:])
