# --- logistic map lyapunov
import torch

r = torch.tensor(3.7, dtype=torch.float64, requires_grad=True)
x = torch.tensor(0.4, dtype=torch.float64)
lyap = 0.0
for n in range(200):
    x = r * x * (1 - x)
    if n >= 100:
        lyap += torch.log(torch.abs(r * (1 - 2 * x))).item()
print(f"lyapunov ~ {lyap / 100:.6f}")
x2 = torch.tensor(0.4, dtype=torch.float64, requires_grad=True)
y = x2
for n in range(10):
    y = 3.2 * y * (1 - y)
dy, = torch.autograd.grad(y, x2)
print(y.item(), dy.item())
rs = torch.linspace(2.8, 3.6, 5, dtype=torch.float64)
xs = torch.full_like(rs, 0.5)
for _ in range(500):
    xs = rs * xs * (1 - xs)
tail = []
for _ in range(4):
    xs = rs * xs * (1 - xs)
    tail.append(xs)
print(torch.stack(tail, 1).round(decimals=4))
