# --- lbfgs linesearch
import torch

def rosen(x):
    return ((1 - x[:-1]) ** 2).sum() + (100 * (x[1:] - x[:-1] ** 2) ** 2).sum()

x = torch.tensor([-1.2, 1.0, 0.5], dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([x], lr=1, max_iter=50, history_size=10, line_search_fn="strong_wolfe")
def closure():
    opt.zero_grad()
    l = rosen(x)
    l.backward()
    return l
for i in range(4):
    l = opt.step(closure)
    print(i, f"{l.item():.6e}", x.detach().numpy().round(6))
print(rosen(x).item() < 1e-8)
def backtrack(f, x, g, d, a=1.0, rho=0.5, c=1e-4):
    fx = f(x)
    while f(x + a * d) > fx + c * a * (g @ d):
        a *= rho
    return a
y = torch.tensor([-1.2, 1.0, 0.5], dtype=torch.float64, requires_grad=True)
for it in range(5):
    fy = rosen(y)
    gy, = torch.autograd.grad(fy, y)
    with torch.no_grad():
        a = backtrack(rosen, y, gy, -gy)
        y -= a * gy
    print(f"it {it} f={fy.item():.6f} step={a}")

# --- monte carlo
import torch

torch.manual_seed(42)
n = 10000
pts = torch.rand(n, 2)
inside = (pts ** 2).sum(1) <= 1.0
print("pi ~", 4 * inside.float().mean().item(), inside.sum(), inside.dtype)
g = torch.Generator().manual_seed(7)
x = torch.randn(5000, generator=g, dtype=torch.float64)
print(f"E[x^2]={(x ** 2).mean().item():.6f} E[exp(x)]={x.exp().mean().item():.6f}")
mu = torch.tensor(0.5, requires_grad=True)
eps = torch.randn(2000, generator=torch.Generator().manual_seed(1))
est = ((mu + eps) ** 2).mean()
est.backward()
print(est.item(), mu.grad.item())
u = torch.rand(3, 3, generator=torch.Generator().manual_seed(0))
print(u)
print(torch.randint(0, 6, (10,), generator=torch.Generator().manual_seed(5)) + 1)
print(torch.multinomial(torch.tensor([0.1, 0.6, 0.3]), 8, replacement=True, generator=torch.Generator().manual_seed(2)))
print(torch.normal(torch.zeros(3), torch.ones(3), generator=torch.Generator().manual_seed(9)))
perm = torch.randperm(8, generator=torch.Generator().manual_seed(3))
print(perm, perm.dtype)
