# complex numbers and FFT: rfft of a sine, magnitude peak frequency, ifft round trip, complex tensor arithmetic, angle/abs, view_as_real
import math
import torch
n = 16
t = torch.arange(n, dtype=torch.float64)
sig = torch.sin(2 * math.pi * 3 * t / n) + 0.5 * torch.cos(2 * math.pi * 5 * t / n)
spec = torch.fft.rfft(sig)
mag = spec.abs()
print(mag.round(decimals=6), mag.argmax(), torch.fft.rfftfreq(n)[:6])
back = torch.fft.irfft(spec, n=n)
print(torch.allclose(back, sig))
z = torch.tensor([1 + 2j, 3 - 1j])
print(z * z.conj(), z.abs(), z.angle(), torch.view_as_real(z), z.real, z.imag)
print(torch.fft.fft(torch.tensor([1.0, 0.0, 0.0, 0.0])), torch.fft.fftshift(torch.arange(5)))
c = torch.complex(torch.tensor([1.0]), torch.tensor([-1.0]))
print(c, c.dtype, torch.polar(torch.tensor([2.0]), torch.tensor([math.pi / 2])))
