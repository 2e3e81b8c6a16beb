from __future__ import annotations

import argparse
import collections
import functools
import itertools
import os.path
import random
import time
from abc import ABC, abstractmethod
from collections import Counter, OrderedDict, defaultdict, deque, namedtuple
from typing import Dict, List, Optional

import torch
import torch.nn as nn

Sample = namedtuple("Sample", ["x", "y"])


class Base(nn.Module, ABC):
    def __init__(self, width: int) -> None:
        super().__init__()
        self.width = width

    @abstractmethod
    def body(self, x: torch.Tensor) -> torch.Tensor: ...

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)

    def extra_repr(self) -> str:
        return f"width={self.width}"


class MLP(Base):
    count = 0

    def __init__(self, width: int, depth: int = 2) -> None:
        super().__init__(width)
        self.layers = nn.Sequential(*[nn.Linear(width, width) for _ in range(depth)])
        MLP.count += 1

    def body(self, x):
        return torch.relu(self.layers(x))

    @property
    def n_params(self) -> int:
        return sum(p.numel() for p in self.parameters())

    @classmethod
    def small(cls) -> "MLP":
        return cls(2, 1)

    @staticmethod
    def describe() -> str:
        return "multi-layer perceptron"


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description="toy")
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--name", default="run")
    args = parser.parse_args(argv or [])
    torch.manual_seed(0)
    random.seed(0)
    model = MLP.small()
    print(model)
    print(model.n_params, MLP.describe(), MLP.count)
    try:
        Base(3)
    except TypeError as e:
        print("abstract:", e)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr)
    data = [Sample(torch.randn(2), torch.randn(2)) for _ in range(4)]
    history: Dict[str, List[float]] = defaultdict(list)
    start = time.time()
    for epoch in range(args.epochs):
        total = 0.0
        for s in data:
            opt.zero_grad()
            loss = ((model(s.x) - s.y) ** 2).mean()
            loss.backward()
            opt.step()
            total += loss.item()
        history["loss"].append(total / len(data))
        print(f"epoch {epoch + 1}/{args.epochs} loss {total / len(data):.4f}")
    assert time.time() - start >= 0, "clock went back"
    print(dict(history).keys(), len(history["loss"]))
    c = Counter(round(v, 1) for v in history["loss"])
    print(sorted(c.items()) == sorted(c.items()))
    od = OrderedDict((n, p.shape) for n, p in model.named_parameters())
    print(od)
    dq = deque(maxlen=2)
    for v in data:
        dq.append(v.x.sum().item())
    print(len(dq), type(dq).__name__)
    pairs = list(itertools.product([1, 2], ["a"]))
    print(pairs, list(itertools.accumulate([1, 2, 3])), list(itertools.chain([1], (2,))))
    print(functools.reduce(lambda a, b: a + b, [torch.tensor(1.0), torch.tensor(2.0)]))
    scale = functools.partial(torch.mul, other=2.0)
    print(scale(torch.ones(2)))

    @functools.lru_cache(maxsize=None)
    def fib(n: int) -> int:
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    print(fib(20), fib.cache_info())
    print(os.path.join("runs", args.name, "ckpt.pt"), os.path.basename("a/b.pt"),
          os.path.splitext("model.pth"))
    xs = [torch.tensor(3.0), torch.tensor(1.0), torch.tensor(2.0)]
    print(sorted(xs), sorted(xs, key=lambda t: -t), max(xs), min(xs, key=float))
    print(list(map(torch.Tensor.item, xs)), list(filter(lambda t: t > 1, xs)))
    for i, (a, b) in enumerate(zip(xs, xs[1:]), start=1):
        print(i, a < b, (a + b).item())
    print(random.random() < 1.0, random.choice([1, 2, 3]) in (1, 2, 3))


if __name__ == "__main__":
    main()
