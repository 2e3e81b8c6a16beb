# --- taylor series
import math
import torch

x0 = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
y = torch.exp(x0) * torch.cos(x0)
coeffs = []
cur = y
for k in range(7):
    coeffs.append(cur.item() / math.factorial(k))
    if k < 6:
        (cur,) = torch.autograd.grad(cur, x0, create_graph=True)
print([round(c, 6) for c in coeffs])
c = torch.tensor(coeffs)
xs = torch.linspace(-1, 1, 5, dtype=torch.float64)
approx = sum(c[k] * xs ** k for k in range(7))
exact = torch.exp(xs) * torch.cos(xs)
for a, b_ in zip(approx.tolist(), exact.tolist()):
    print(f"{a:.8f} {b_:.8f} {abs(a - b_):.2e}")
print(torch.special.expm1(torch.tensor([1e-10, 1e-5])), torch.expm1(torch.tensor(1e-10, dtype=torch.float64)))
print(approx.dtype, c.dtype)

# --- interp
import torch

xp = torch.tensor([0.0, 1.0, 2.0, 4.0])
fp = torch.tensor([1.0, 3.0, 2.0, 0.0])
x = torch.tensor([0.5, 1.5, 3.0, 3.9, 0.0])
idx = torch.searchsorted(xp, x, right=True).clamp(1, len(xp) - 1)
x0, x1 = xp[idx - 1], xp[idx]
y0, y1 = fp[idx - 1], fp[idx]
w = (x - x0) / (x1 - x0)
print(idx)
print(torch.lerp(y0, y1, w))
print(y0 + w * (y1 - y0))
print(torch.bucketize(x, xp))
print(torch.bucketize(x, xp, right=True))
def lagrange(xs, ys, t):
    total = torch.zeros_like(t)
    for i in range(len(xs)):
        term = torch.ones_like(t) * ys[i]
        for j in range(len(xs)):
            if i != j:
                term = term * (t - xs[j]) / (xs[i] - xs[j])
        total = total + term
    return total
print(lagrange(xp, fp, x))
print(torch.nn.functional.interpolate(fp.view(1, 1, -1), size=7, mode="linear", align_corners=True))
