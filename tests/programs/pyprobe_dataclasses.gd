from dataclasses import dataclass, field, asdict, replace, fields
from typing import List, Optional
import torch

@dataclass
class TrainConfig:
    lr: float = 1e-3
    epochs: int = 10
    layers: List[int] = field(default_factory=lambda: [64, 32])
    name: Optional[str] = None
    device: str = field(default="cpu", repr=False)

    def __post_init__(self):
        if self.lr <= 0:
            raise ValueError("lr must be positive")

cfg = TrainConfig(lr=0.01)
print(cfg)
print(asdict(cfg))
print(cfg == TrainConfig(lr=0.01), cfg.layers is TrainConfig().layers)
try:
    TrainConfig(lr=-1)
except ValueError as e:
    print(e)

@dataclass(frozen=True)
class Point:
    x: float
    y: float = 0.0
p = Point(1.5)
try:
    p.x = 2
except Exception as e:
    print(type(e).__name__, e)
print(p, hash(p) == hash(Point(1.5)), {p: 1})
print(replace(p, y=3.0), [f.name for f in fields(Point)])

@dataclass(order=True)
class Item:
    priority: int
    label: str = field(compare=False)
items = sorted([Item(3, "c"), Item(1, "a"), Item(2, "b")])
print(items, Item(1, "x") == Item(1, "y"))

@dataclass
class Batch:
    x: torch.Tensor
    y: torch.Tensor
    def to(self, device):
        return Batch(self.x.to(device), self.y.to(device))
b = Batch(torch.ones(2), torch.zeros(2)).to("cpu")
print(b)
