import functools
import dataclasses
from dataclasses import dataclass, field
import torch

def f(x: torch.Tensor, n: int = 3, *, scale: float = 2.0) -> torch.Tensor:
    "doc of f"
    return x * n * scale

print(f.__annotations__)
print(f.__defaults__, f.__kwdefaults__, f.__doc__, f.__name__)

def deco(fn):
    @functools.wraps(fn)
    def inner(*a, **k):
        return fn(*a, **k)
    return inner

g = deco(f)
print(g.__name__, g.__doc__, g.__wrapped__ is f)
print(g(torch.ones(2)))

it = iter([1, 2, 3])
print(it.__next__())
print(it.__iter__() is it)
print(next(it))

@dataclass(frozen=True)
class P:
    a: int
    b: float = 1.0

p = P(1)
try:
    p.a = 3
except dataclasses.FrozenInstanceError as e:
    print("frozen", e)
print(dataclasses.replace(p, b=2.0))
print(dataclasses.asdict(p), dataclasses.astuple(p))
print([f.name for f in dataclasses.fields(p)])

@dataclass(order=True)
class Q:
    x: int
    ys: list = field(default_factory=list)
    def __post_init__(self):
        self.ys.append(self.x)

print(Q(1) < Q(2), sorted([Q(3), Q(1)]))

class MyIdx:
    def __index__(self):
        return 2

t = torch.arange(5.0)
print(t[MyIdx()])
print(torch.zeros(MyIdx()))
print(torch.zeros(MyIdx(), 3).shape)
