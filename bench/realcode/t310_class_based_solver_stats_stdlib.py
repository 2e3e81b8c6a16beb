# --- class based solver
import torch
from dataclasses import dataclass, field

@dataclass
class Config:
    lr: float = 0.1
    steps: int = 50
    tol: float = 1e-8
    history: list = field(default_factory=list)

class Quadratic:
    def __init__(self, A, b):
        self.A, self.b = A, b
    def __call__(self, x):
        return 0.5 * x @ self.A @ x - self.b @ x
    def grad(self, x):
        x = x.detach().requires_grad_(True)
        return torch.autograd.grad(self(x), x)[0]
    def __repr__(self):
        return f"Quadratic(n={self.b.numel()})"

class GradientDescent:
    def __init__(self, cfg):
        self.cfg = cfg
    def run(self, f, x0):
        x = x0.clone()
        for k in range(self.cfg.steps):
            g = f.grad(x)
            if g.norm() < self.cfg.tol:
                break
            x = x - self.cfg.lr * g
            self.cfg.history.append(f(x).item())
        return x, k

A = torch.tensor([[3.0, 0.5], [0.5, 1.0]], dtype=torch.float64)
b = torch.tensor([1.0, 2.0], dtype=torch.float64)
f = Quadratic(A, b)
cfg = Config(lr=0.3, steps=200)
x, k = GradientDescent(cfg).run(f, torch.zeros(2, dtype=torch.float64))
print(f, cfg.lr, k, x)
print(torch.linalg.solve(A, b))
print(len(cfg.history), ["%.6f" % h for h in cfg.history[:4]])
print(cfg)

# --- stats stdlib
import statistics
import random
import torch

random.seed(0)
data = [random.gauss(0, 1) for _ in range(20)]
t = torch.tensor(data, dtype=torch.float64)
print(f"{statistics.mean(data):.12f} {t.mean().item():.12f}")
print(f"{statistics.stdev(data):.12f} {t.std().item():.12f}")
print(f"{statistics.pstdev(data):.12f} {t.std(unbiased=False).item():.12f}")
print(f"{statistics.median(data):.12f} {t.median().item():.12f} {t.quantile(0.5).item():.12f}")
print(random.random(), random.randint(1, 6), random.choice([1, 2, 3]))
xs = list(range(10))
random.shuffle(xs)
print(xs, random.sample(range(100), 3))
