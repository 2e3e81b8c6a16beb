# --- grad edge cases
import torch

def g(fn, *vals):
    x = torch.tensor(vals, requires_grad=True)
    y = fn(x)
    y.sum().backward()
    return x.grad

print("abs", g(torch.abs, -1.0, 0.0, 2.0))
print("relu", g(torch.relu, -1.0, 0.0, 2.0))
print("sqrt", g(torch.sqrt, 0.0, 4.0))
print("clamp", g(lambda t: t.clamp(0, 1), -0.5, 0.0, 0.5, 1.0, 1.5))
print("max", g(lambda t: t.max(), 1.0, 3.0, 3.0, 2.0))
print("amax", g(lambda t: t.amax(), 1.0, 3.0, 3.0, 2.0))
print("max dim", g(lambda t: t.view(2, 2).max(1).values, 3.0, 3.0, 1.0, 2.0))
print("min", g(lambda t: t.min(), 1.0, 1.0, 2.0))
print("median", g(lambda t: t.median(), 4.0, 1.0, 3.0, 2.0))
print("sort", g(lambda t: t.sort().values * torch.arange(3.0), 3.0, 1.0, 2.0))
print("norm0", g(lambda t: t.norm(), 0.0, 0.0))
print("prod", g(torch.prod, 2.0, 0.0, 3.0))
print("prod2", g(torch.prod, 0.0, 0.0, 3.0))
print("cumprod", g(torch.cumprod, 2.0, 0.0, 3.0) if False else g(lambda t: t.cumprod(0), 2.0, 0.0, 3.0))
print("pow0", g(lambda t: t ** 0, 0.0, 2.0), g(lambda t: t ** 2.5, 0.0, 1.0))
print("sign", g(torch.sign, -2.0, 0.0), g(torch.round, 1.4, 2.5), g(torch.floor, 1.5))
print("where", g(lambda t: torch.where(t > 0, torch.sqrt(t), torch.zeros_like(t)), -1.0, 4.0))
print("log0", g(torch.log, 0.0, 1.0), g(lambda t: t * torch.log(t), 0.0, 1.0))
print("maximum", g(lambda t: torch.maximum(t, torch.tensor([1.0, 1.0])), 1.0, 2.0))
print("fmax", g(lambda t: torch.fmax(t, torch.ones(2)), 1.0, 0.0))
print("logsumexp", g(lambda t: torch.logsumexp(t, 0), -float("inf"), 0.0))
print("std1", g(lambda t: t.std(), 1.0, 1.0))
print("atan2", g(lambda t: torch.atan2(t, torch.zeros(2)), 0.0, 1.0))
print("dist", g(lambda t: torch.dist(t, torch.tensor([1.0, 2.0])), 1.0, 2.0))
print("cdist", g(lambda t: torch.cdist(t.view(1, 2), torch.tensor([[1.0, 2.0]])), 1.0, 2.0))
print("hardtanh", g(torch.nn.functional.hardtanh, -1.0, 1.0, 0.0))
print("kthvalue", g(lambda t: t.kthvalue(2).values, 2.0, 2.0, 1.0))
print("mode", g(lambda t: t.mode().values, 2.0, 2.0, 1.0))
print("topk", g(lambda t: t.topk(1).values, 2.0, 2.0, 1.0))
print("nanmean", g(torch.nanmean, float("nan"), 2.0))
print("mse", g(lambda t: torch.nn.functional.smooth_l1_loss(t, torch.zeros(3)), -1.0, 0.0, 1.0))

# --- np fft compare
import numpy as np
import torch

x = np.sin(2 * np.pi * np.arange(8) / 8)
F_np = np.fft.fft(x)
F_t = torch.fft.fft(torch.from_numpy(x))
print(np.round(F_np, 6))
print(F_t.abs().round(decimals=6))
print(np.allclose(F_np, F_t.numpy()))
print(np.fft.fftfreq(8, d=0.1), np.fft.rfftfreq(8))
print(np.abs(np.fft.rfft(x)).round(6))
print(torch.fft.rfftfreq(8, 0.1))
print(np.fft.ifft(F_np).real.round(6))
