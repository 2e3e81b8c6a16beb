# --- dual number class
import math
import torch

class Dual:
    def __init__(self, val, der=0.0):
        self.val, self.der = val, der
    def __add__(self, o):
        o = o if isinstance(o, Dual) else Dual(o)
        return Dual(self.val + o.val, self.der + o.der)
    __radd__ = __add__
    def __sub__(self, o):
        o = o if isinstance(o, Dual) else Dual(o)
        return Dual(self.val - o.val, self.der - o.der)
    def __rsub__(self, o):
        return Dual(o) - self
    def __mul__(self, o):
        o = o if isinstance(o, Dual) else Dual(o)
        return Dual(self.val * o.val, self.der * o.val + self.val * o.der)
    __rmul__ = __mul__
    def __truediv__(self, o):
        o = o if isinstance(o, Dual) else Dual(o)
        return Dual(self.val / o.val, (self.der * o.val - self.val * o.der) / o.val ** 2)
    def __pow__(self, n):
        return Dual(self.val ** n, n * self.val ** (n - 1) * self.der)
    def __repr__(self):
        return f"Dual({self.val:.6f}, {self.der:.6f})"

def sin(d):
    return Dual(math.sin(d.val), math.cos(d.val) * d.der) if isinstance(d, Dual) else math.sin(d)

def f(x):
    return 3 * x ** 2 - 2 * x + sin(x) / (1 + x * x)

d = f(Dual(0.7, 1.0))
print(d)
t = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
y = 3 * t ** 2 - 2 * t + torch.sin(t) / (1 + t * t)
y.backward()
print(f"{y.item():.6f} {t.grad.item():.6f}", math.isclose(d.der, t.grad.item()))
print(sorted([Dual(2.0), Dual(1.0)], key=lambda q: q.val))
