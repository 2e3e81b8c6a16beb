# --- gd variants testfns
import torch

def rosen(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2

def himmelblau(p):
    return (p[0] ** 2 + p[1] - 11) ** 2 + (p[0] + p[1] ** 2 - 7) ** 2

for name, fn, lr in [("rosen", rosen, 1e-3), ("himmel", himmelblau, 1e-2)]:
    p = torch.tensor([-1.5, 2.0], requires_grad=True)
    vel = torch.zeros(2)
    for it in range(200):
        loss = fn(p)
        loss.backward()
        with torch.no_grad():
            vel = 0.9 * vel + p.grad
            p -= lr * vel
        p.grad.zero_()
        if it % 50 == 0:
            print(f"{name} {it:4d} loss={loss.item():.6f} p={p.detach().numpy()}")
    print(name, "final", p.data, fn(p).item())
p = torch.tensor([0.0, 0.0], requires_grad=True)
sq = torch.zeros(2)
for it in range(100):
    loss = himmelblau(p)
    g, = torch.autograd.grad(loss, p)
    sq += g * g
    with torch.no_grad():
        p -= 0.5 * g / (sq.sqrt() + 1e-8)
print("adagrad", p, himmelblau(p).detach())

# --- euler rk4 autograd
import torch

def rhs(t, y, k):
    return -k * y + torch.sin(t)

def euler(y0, k, h, n):
    y, t = y0, torch.tensor(0.0, dtype=torch.float64)
    for _ in range(n):
        y = y + h * rhs(t, y, k)
        t = t + h
    return y

def rk4(y0, k, h, n):
    y, t = y0, torch.tensor(0.0, dtype=torch.float64)
    for _ in range(n):
        k1 = rhs(t, y, k)
        k2 = rhs(t + h / 2, y + h / 2 * k1, k)
        k3 = rhs(t + h / 2, y + h / 2 * k2, k)
        k4 = rhs(t + h, y + h * k3, k)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        t = t + h
    return y

k = torch.tensor(0.8, dtype=torch.float64, requires_grad=True)
y0 = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
for solver in (euler, rk4):
    yT = solver(y0, k, 0.05, 40)
    dk, dy0 = torch.autograd.grad(yT, (k, y0))
    print(f"{solver.__name__:6s} y(2)={yT.item():.10f} dy/dk={dk.item():.10f} dy/dy0={dy0.item():.10f}")
print(yT)
ys = [torch.tensor([1.0, 0.0])]
for i in range(10):
    q, p = ys[-1]
    ys.append(torch.stack([q + 0.1 * p, p - 0.1 * (q + 0.1 * p)]))
traj = torch.stack(ys)
print(traj[::3])
print(0.5 * (traj ** 2).sum(1))
