# --- sqrt newton autograd table
import torch

def heron(a, n=6):
    x = a / 2
    for _ in range(n):
        x = (x + a / x) / 2
    return x

print("{:>6s} {:>14s} {:>14s} {:>14s}".format("a", "heron", "d/da", "1/(2sqrt a)"))
for a0 in [0.5, 2.0, 10.0, 100.0]:
    a = torch.tensor(a0, dtype=torch.float64, requires_grad=True)
    r = heron(a, 8)
    d, = torch.autograd.grad(r, a)
    print("{:6.1f} {:14.10f} {:14.10f} {:14.10f}".format(a0, r.item(), d.item(), 0.5 / a0 ** 0.5))
a = torch.tensor([2.0, 3.0], requires_grad=True)
r = heron(a)
r.backward(torch.ones(2))
print(r, a.grad)
