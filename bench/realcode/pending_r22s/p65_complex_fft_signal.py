import torch

n = 16
t = torch.arange(n, dtype=torch.float64) / n
sig = torch.sin(2 * torch.pi * 3 * t) + 0.5 * torch.cos(2 * torch.pi * 5 * t)
F = torch.fft.fft(sig)
mag = F.abs()
print(mag.round(decimals=6))
print(torch.fft.fftfreq(n, d=1 / n))
print(torch.fft.rfft(sig).abs().round(decimals=4))
print(torch.topk(torch.fft.rfft(sig).abs(), 2).indices)
rec = torch.fft.ifft(F).real
print(torch.allclose(rec, sig), (rec - sig).abs().max() < 1e-12)
print(torch.fft.fftshift(torch.arange(6)))
x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
p = torch.fft.rfft(x).abs().pow(2).sum()
p.backward()
print(p, x.grad)
