# debugging NaNs: detect_anomaly context catching backward NaN, torch.isnan().any() checks, nan_to_num, clamp before log, gradient of sqrt at 0
import torch
x = torch.tensor([0.0, 1.0, 4.0], requires_grad=True)
y = torch.sqrt(x)
y.sum().backward()
print(x.grad, torch.isinf(x.grad).any())
x.grad = None
y = torch.sqrt(x + 1e-8)
y.sum().backward()
print(x.grad)
a = torch.tensor([0.0, 0.5], requires_grad=True)
l = torch.log(a.clamp(min=1e-6))
l.sum().backward()
print(l, a.grad)
b = torch.tensor([1.0, -1.0], requires_grad=True)
try:
    with torch.autograd.detect_anomaly():
        out = torch.sqrt(b).sum()
        out.backward()
except RuntimeError as e:
    print('anomaly:', str(e).split('\n')[0][:90])
c = torch.tensor([float('nan'), 1.0, float('inf')])
print(torch.isnan(c).any().item(), torch.isfinite(c), torch.nan_to_num(c, nan=0.0, posinf=1e6))
print(torch.tensor(0.0) / torch.tensor(0.0), torch.tensor([1.0]) / 0, torch.log(torch.tensor(0.0)))
