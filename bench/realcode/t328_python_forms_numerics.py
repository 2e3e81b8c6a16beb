# --- python forms numerics
import functools
import itertools
from collections import namedtuple
from dataclasses import dataclass
from typing import Callable, Optional
import torch

Result = namedtuple("Result", ["root", "iters", "converged"])

@functools.lru_cache(maxsize=None)
def chebyshev(n: int) -> tuple:
    if n == 0:
        return (1,)
    if n == 1:
        return (0, 1)
    a, b = chebyshev(n - 1), chebyshev(n - 2)
    out = [0] * (n + 1)
    for i, c in enumerate(a):
        out[i + 1] += 2 * c
    for i, c in enumerate(b):
        out[i] -= c
    return tuple(out)

def newton(f: Callable, x0: float, *, tol: float = 1e-12, max_iter: int = 50) -> Result:
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    for k in range(1, max_iter + 1):
        y = f(x)
        (d,) = torch.autograd.grad(y, x)
        step = (y / d).item()
        with torch.no_grad():
            x -= step
        if abs(step) < tol:
            return Result(x.item(), k, True)
    return Result(x.item(), max_iter, False)

@dataclass(frozen=True)
class Problem:
    name: str
    x0: float
    scale: Optional[float] = None

    @property
    def f(self):
        s = self.scale or 1.0
        return lambda t: torch.cos(t) - s * t

def main():
    print(chebyshev(5), chebyshev.cache_info().hits > 0)
    probs = [Problem("cos", 1.0), Problem("cos2", 0.5, scale=2.0)]
    for p in probs:
        r = newton(p.f, p.x0)
        print(f"{p.name:>5}: {r.root:.12f} after {r.iters} iterations ({'ok' if r.converged else 'fail'})")
        print(f"{r.root=:.6f}", r._asdict()["iters"])
    grid = list(itertools.product([0.1, 0.5], [1, 2]))
    best = min(grid, key=lambda ab: (ab[0] - 0.3) ** 2 + ab[1])
    print(grid, best)
    totals = {n: sum(c ** 2 for c in chebyshev(n)) for n in range(4)}
    print(totals, *sorted(totals.items(), key=lambda kv: -kv[1])[:2])
    if (n := len(totals)) > 3:
        print("n =", n)
    try:
        Problem("x", 0.0).name = "y"
    except Exception as e:
        print(type(e).__name__)
    sq = functools.partial(pow, exp=2)
    print(sq(7), functools.reduce(lambda a, b: a * b, range(1, 6)))
    match best:
        case (a, 1):
            print("one", a)
        case _:
            print("other")

if __name__ == "__main__":
    main()
