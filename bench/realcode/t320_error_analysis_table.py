# --- error analysis table
import math
import torch

def integrate(f, a, b, n, rule):
    x = torch.linspace(a, b, n + 1, dtype=torch.float64)
    y = f(x)
    h = (b - a) / n
    if rule == "left":
        return h * y[:-1].sum()
    if rule == "mid":
        xm = (x[:-1] + x[1:]) / 2
        return h * f(xm).sum()
    if rule == "trap":
        return torch.trapezoid(y, x)
    return h / 3 * (y[0] + y[-1] + 4 * y[1:-1:2].sum() + 2 * y[2:-1:2].sum())

exact = 1 - math.cos(1.0)
print(f"{'n':>5} " + " ".join(f"{r:>12}" for r in ("left", "mid", "trap", "simpson")))
for n in [4, 8, 16, 32, 64]:
    errs = [abs(integrate(torch.sin, 0.0, 1.0, n, r).item() - exact) for r in ("left", "mid", "trap", "simpson")]
    print(f"{n:5d} " + " ".join(f"{e:12.4e}" for e in errs))
e1 = abs(integrate(torch.sin, 0.0, 1.0, 16, "trap").item() - exact)
e2 = abs(integrate(torch.sin, 0.0, 1.0, 32, "trap").item() - exact)
print("observed order", round(math.log2(e1 / e2), 3))
