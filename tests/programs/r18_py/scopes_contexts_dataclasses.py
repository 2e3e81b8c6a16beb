import contextlib
import dataclasses
from dataclasses import dataclass, field
import torch
import torch.nn as nn

counter = 0


def bump():
    global counter
    counter += 1
    return counter


def make_acc():
    total = torch.zeros(())

    def add(v):
        nonlocal total
        total = total + v
        return total

    return add


@contextlib.contextmanager
def timer(name):
    print(f"enter {name}")
    try:
        yield name.upper()
    finally:
        print(f"exit {name}")


class Eval:
    def __init__(self, model):
        self.model = model

    def __enter__(self):
        self.prev = self.model.training
        self.model.eval()
        return self.model

    def __exit__(self, exc_type, exc, tb):
        self.model.train(self.prev)
        print("restored", self.model.training, exc_type)
        return False


def batches(x, size):
    for i in range(0, len(x), size):
        yield x[i:i + size]


def squares():
    n = 0
    while True:
        n += 1
        got = yield n * n
        if got:
            n = 0


@torch.no_grad()
def evaluate(model, x):
    return model(x).sum()


@dataclass
class TrainConfig:
    lr: float = 1e-3
    layers: list = field(default_factory=lambda: [4, 4])
    device: str = "cpu"
    weight: torch.Tensor = field(default_factory=lambda: torch.ones(2))

    def __post_init__(self):
        assert self.lr > 0, f"bad lr {self.lr}"


@dataclass(frozen=True, order=True)
class Point:
    x: float
    y: float = 0.0


class Vec:
    def __init__(self, *xs):
        self.t = torch.tensor(xs, dtype=torch.float32)

    def __repr__(self):
        return f"Vec({', '.join(f'{v:.1f}' for v in self.t.tolist())})"

    def __str__(self):
        return f"<{self.t.norm():.3f}>"

    def __len__(self):
        return len(self.t)

    def __getitem__(self, i):
        return self.t[i]

    def __add__(self, other):
        return Vec(*(self.t + other.t).tolist())

    def __eq__(self, other):
        return isinstance(other, Vec) and bool((self.t == other.t).all())


print(bump(), bump(), counter)
acc = make_acc()
acc(torch.tensor(1.5))
print(acc(torch.tensor(2.0)))
with timer("fit") as tag:
    print("inside", tag)
try:
    with timer("fail"):
        raise ValueError("boom")
except ValueError as e:
    print("caught", e)
net = nn.Linear(2, 1)
with Eval(net) as m:
    print(m.training)
print([b.tolist() for b in batches(torch.arange(5), 2)])
g = squares()
print(next(g), next(g), g.send(True), next(g))
torch.manual_seed(0)
y = evaluate(net, torch.randn(3, 2))
print(y.requires_grad, y.grad_fn)
cfg = TrainConfig()
print(cfg)
print(dataclasses.asdict(TrainConfig(lr=0.5, weight=torch.zeros(1))))
try:
    TrainConfig(lr=-1)
except AssertionError as e:
    print("assert:", e)
p = Point(1.0)
try:
    p.x = 2.0
except dataclasses.FrozenInstanceError as e:
    print(type(e).__name__, e)
print(sorted([Point(2, 1), Point(1, 5), Point(1, 2)]), p == Point(1.0, 0.0), hash(p) == hash(Point(1.0)))
print(dataclasses.replace(p, y=3.0), dataclasses.astuple(p), [f.name for f in dataclasses.fields(Point)])
v = Vec(1, 2) + Vec(3, 4)
print(v, repr(v), [v], len(v), v[1], v == Vec(4, 6), str(v))
print(f"{v!r} {v!s} {v}")
with torch.no_grad():
    w = net.weight * 2
print(w.requires_grad, torch.is_grad_enabled())
with torch.enable_grad():
    print(torch.is_grad_enabled())
