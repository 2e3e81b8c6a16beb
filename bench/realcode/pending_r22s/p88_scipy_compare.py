import math
import torch
from scipy import integrate, optimize, special

val, err = integrate.quad(lambda t: math.exp(-t * t), 0, 2)
xs = torch.linspace(0, 2, 201, dtype=torch.float64)
print(f"quad {val:.10f} trapz {torch.trapezoid(torch.exp(-xs ** 2), xs).item():.10f}")
res = optimize.minimize(lambda v: (v[0] - 1) ** 2 + (v[1] + 2) ** 2, [0.0, 0.0])
print(res.x.round(4), bool(res.success))
print(round(float(special.gamma(4.5)), 8), torch.lgamma(torch.tensor(4.5, dtype=torch.float64)).exp().item())
root = optimize.brentq(lambda t: t ** 3 - 2 * t - 5, 2, 3)
print(f"{root:.12f}")
