# --- physics projectile
import torch

g = 9.81
v0 = torch.tensor(20.0, requires_grad=True)
theta = torch.tensor(0.6, requires_grad=True)
t_flight = 2 * v0 * torch.sin(theta) / g
rng = v0 * torch.cos(theta) * t_flight
hmax = (v0 * torch.sin(theta)) ** 2 / (2 * g)
rng.backward(retain_graph=True)
print(f"range={rng.item():.4f} m, height={hmax.item():.4f} m, T={t_flight.item():.4f} s")
print("dR/dv0 =", v0.grad.item(), "dR/dtheta =", theta.grad.item())
th = torch.tensor(0.3, requires_grad=True)
for i in range(50):
    R = 20.0 ** 2 * torch.sin(2 * th) / g
    dR, = torch.autograd.grad(R, th)
    with torch.no_grad():
        th += 0.002 * dR
print(f"optimal angle {th.item():.5f} rad = {torch.rad2deg(th).item():.3f} deg")
ts = torch.linspace(0, t_flight.item(), 5)
xs = v0.detach() * torch.cos(theta.detach()) * ts
ys = v0.detach() * torch.sin(theta.detach()) * ts - 0.5 * g * ts ** 2
print(torch.stack([ts, xs, ys], 1))

# --- spring pendulum energy
import torch

m, k = 1.0, 4.0
def H(q, p):
    return p ** 2 / (2 * m) + 0.5 * k * q ** 2

q = torch.tensor(1.0, requires_grad=True)
p = torch.tensor(0.0, requires_grad=True)
dt = 0.05
E0 = H(q, p).item()
for step in range(100):
    dHdq, dHdp = torch.autograd.grad(H(q, p), (q, p))
    with torch.no_grad():
        p_new = p - dt * dHdq
        q_new = q + dt * p_new / m
    q = q_new.requires_grad_()
    p = p_new.requires_grad_()
    if step % 25 == 24:
        print(f"step {step + 1}: q={q.item():+.5f} p={p.item():+.5f} E={H(q, p).item():.5f}")
print("drift", abs(H(q, p).item() - E0) < 0.05)
def lagrangian(th, om, g=9.81, l=1.0):
    return 0.5 * l ** 2 * om ** 2 + g * l * torch.cos(th)
th = torch.tensor(0.5, requires_grad=True)
om = torch.tensor(0.2, requires_grad=True)
L = lagrangian(th, om)
dLdth, dLdom = torch.autograd.grad(L, (th, om), create_graph=True)
print(dLdth, dLdom)
d2, = torch.autograd.grad(dLdom, om)
print(d2)
