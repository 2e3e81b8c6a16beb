import copy
import math
import warnings
from functools import wraps

import torch
import torch.nn as nn


def log_calls(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        out = fn(*args, **kwargs)
        print(f"{fn.__name__}{tuple(type(a).__name__ for a in args)} -> {type(out).__name__}")
        return out
    return wrapper


def repeat(n):
    def deco(fn):
        @wraps(fn)
        def inner(*a):
            return [fn(*a) for _ in range(n)]
        return inner
    return deco


@log_calls
def mse(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Mean squared error."""
    return ((a - b) ** 2).mean()


@repeat(2)
def hello(name):
    return f"hi {name}"


class Residual(nn.Module):
    def __init__(self, inner: nn.Module):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return x + self.inner(x)

    def __repr__(self):
        return f"Residual[{self.inner.__class__.__name__}]"


class Scaled(nn.Linear):
    def __init__(self, *args, scale=2.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.scale = scale

    def forward(self, x):
        return super().forward(x) * self.scale

    def extra_repr(self):
        return super().extra_repr() + f", scale={self.scale}"


torch.manual_seed(0)
print(mse(torch.ones(3), torch.zeros(3)))
print(mse.__name__, mse.__doc__, mse.__wrapped__.__name__, mse.__annotations__)
print(hello("x"), hello.__name__)
r = Residual(nn.Tanh())
print(r, r(torch.zeros(2)))
s = Scaled(2, 3, bias=False, scale=0.5)
print(s)
print(s(torch.ones(1, 2)).shape, isinstance(s, nn.Linear), issubclass(Scaled, nn.Module))
s2 = copy.deepcopy(s)
with torch.no_grad():
    s2.weight.fill_(1.0)
print(s.weight.sum() != s2.weight.sum(), s2.weight.sum().item())
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    warnings.warn("careful", UserWarning)
print(len(caught), caught[0].category.__name__, str(caught[0].message))
seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
for name, mod in seq.named_children():
    print(name, type(mod).__name__)
print(sum(p.numel() for p in seq.parameters() if p.requires_grad))
print({n: tuple(p.shape) for n, p in seq.state_dict().items()})
print(math.prod([2, 3]), math.fsum([0.1] * 10), math.log(torch.tensor(math.e)))
lst = [torch.tensor(2.0), torch.tensor(-1.0)]
lst.sort()
print(lst, lst.index(lst[1]), torch.stack(lst).tolist())
