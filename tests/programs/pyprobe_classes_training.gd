import torch
import torch.nn as nn
from abc import ABC, abstractmethod

class Base(ABC):
    def __init__(self, name):
        self.name = name
    @abstractmethod
    def forward(self, x): ...
    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r})"
    @classmethod
    def create(cls, *args, **kw):
        return cls(*args, **kw)
    @staticmethod
    def helper(v):
        return v * 2

class Child(Base):
    def __init__(self, name, k=3):
        super().__init__(name)
        self.k = k
    def forward(self, x):
        return x * self.k
    def __str__(self):
        return f"Child<{self.k}>"

c = Child.create("c1", k=4)
print(c, repr(c), str(c), f"{c}", f"{c!r}", [c], Base.helper(5), c.helper(2))
try:
    Base("x")
except TypeError as e:
    print("TypeError", e)

class MLP(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        layers = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            layers += [nn.Linear(a, b), nn.ReLU()]
        self.net = nn.Sequential(*layers[:-1])
    def forward(self, x):
        return self.net(x)
    def extra_repr(self):
        return f"depth={len(self.net)}"

torch.manual_seed(0)
m = MLP([2, 4, 1])
print(m)
print(sum(p.numel() for p in m.parameters() if p.requires_grad))
for name, p in m.named_parameters():
    print(f"{name:15s} {str(tuple(p.shape)):10s} {p.dtype}")
metrics = {"train": [], "val": []}
opt = torch.optim.SGD(m.parameters(), lr=0.1)
x, y = torch.randn(8, 2), torch.randn(8, 1)
for epoch in range(3):
    opt.zero_grad()
    loss = nn.functional.mse_loss(m(x), y)
    loss.backward()
    opt.step()
    metrics["train"].append(loss.item())
    with torch.no_grad():
        metrics["val"].append(nn.functional.mse_loss(m(x), y).item())
    print(f"epoch {epoch + 1:02d} | train {metrics['train'][-1]:.4f} | val {metrics['val'][-1]:.4f}")
best = min(enumerate(metrics["val"]), key=lambda t: t[1])
print("best", best[0], round(best[1], 4))
print({k: [round(v, 3) for v in vs] for k, vs in metrics.items()})
