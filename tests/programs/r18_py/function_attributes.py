import functools
from typing import Optional, List, Tuple
import torch

def f(x: torch.Tensor, n: int = 3, *rest: float, scale: float = 2.0, **kw: str) -> torch.Tensor:
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
print(g.__name__, g.__doc__, g.__wrapped__ is f, g.__annotations__)
print(g(torch.ones(2)))

def h(a: Optional[int] = None, b: List[int] = [], c: "Foo" = 1) -> Tuple[int, ...]:
    return ()
print(h.__annotations__)
print((lambda x: x).__annotations__)
def nothing(): pass
print(nothing.__annotations__, nothing.__defaults__, nothing.__kwdefaults__)
class M(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x
print(M.forward.__annotations__)
print(M().forward.__annotations__)
for k, v in f.__annotations__.items():
    print(k, v, v is torch.Tensor)
