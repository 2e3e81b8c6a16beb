import math, random, functools, itertools, collections
from collections import defaultdict, Counter, deque, namedtuple
from typing import List, Dict, Optional, Tuple, Callable, Any, Union
import torch
import torch.nn as nn

Point = namedtuple("Point", ["x", "y"])
p = Point(1, 2)
print(p, p.x, p._asdict() if hasattr(p, "_asdict") else "", p._replace(x=5))
Pair = namedtuple("Pair", "a b", defaults=[0])
print(Pair(1), Pair(1, 2)._fields)

def make_counter():
    count = 0
    def inc(k=1):
        nonlocal count
        count += k
        return count
    return inc
c = make_counter(); c(); print(c(5))

def stats(*args: float, **kwargs: Any) -> Dict[str, float]:
    return {"n": len(args), "mean": sum(args) / len(args), **kwargs}
print(stats(1, 2, 3, tag="x"))

history: Dict[str, List[float]] = defaultdict(list)
random.seed(1)
for epoch in range(3):
    history["loss"].append(round(random.random(), 4))
    history["acc"].append(round(random.uniform(0.5, 1), 4))
print(dict(history))
best = max(range(3), key=lambda i: history["acc"][i])
print(f"best epoch {best}: {history['acc'][best]:.3f}")
words = "the cat sat on the mat the end".split()
cnt = Counter(words)
print(cnt.most_common(2), cnt["the"], sorted(cnt.items(), key=lambda kv: (-kv[1], kv[0]))[:3])
dq = deque(maxlen=3)
for i in range(5): dq.append(i)
print(dq, list(dq), sum(dq) / len(dq))
print(list(itertools.accumulate([1, 2, 3, 4])), list(itertools.chain.from_iterable([[1], [2, 3]])))
print(functools.reduce(lambda a, b: a * b, [1, 2, 3, 4]), math.prod([1, 2, 3]))
@functools.lru_cache(maxsize=None)
def fib(n): return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(30))
print(math.isclose(0.1 + 0.2, 0.3), math.inf, -math.inf, math.nan, math.floor(-2.5), math.log(8, 2))
print(sorted([("b", 2), ("a", 2), ("c", 1)], key=lambda t: (t[1], t[0])))
print({k: v for k, v in zip("abc", range(3)) if v}, [x ** 2 for x in range(5) if x % 2 == 0])
gen = (i * i for i in range(4))
print(next(gen), list(gen))
print(list(zip(*[(1, 'a'), (2, 'b')])), list(enumerate("ab", start=1)))
print("{:>6}|{:<6}|{:^6}".format("a", "b", "c"), "x".join(["1", "2"]), "  s ".strip(), "a,b".split(","))
print(str(1/3), repr(0.1), 1e-7, 123456789.0, 1e22, 0.1 + 0.2, 2 ** 64, -7 // 2, -7 % 3, divmod(-7, 2))
print(int("42"), float("3.5"), bool(""), "abc"[::-1], "Hello".lower().title(), "x=%d y=%.2f" % (3, 2.5))
print(isinstance(p, tuple), type(p).__name__, len(p), p[0] + p[1])
opt: Optional[int] = None
print(opt or "default", all([]), any([]), min([3, 1, 2]), max("abc"))
