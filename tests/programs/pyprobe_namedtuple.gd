import random
from collections import namedtuple, deque
from typing import NamedTuple
import torch

Transition = namedtuple("Transition", ("state", "action", "next_state", "reward"))


class ReplayMemory:
    def __init__(self, capacity):
        self.memory = deque([], maxlen=capacity)

    def push(self, *args):
        self.memory.append(Transition(*args))

    def sample(self, batch_size):
        return random.sample(self.memory, batch_size)

    def __len__(self):
        return len(self.memory)


random.seed(0)
torch.manual_seed(0)
mem = ReplayMemory(4)
for i in range(6):
    mem.push(torch.tensor([[float(i)]]), torch.tensor([[i % 2]]), None if i == 5 else
             torch.tensor([[i + 1.0]]), torch.tensor([i * 0.5]))
print(len(mem), mem.memory[0])
batch = Transition(*zip(*mem.sample(3)))
print(torch.cat(batch.state), torch.cat(batch.reward))
mask = torch.tensor(tuple(map(lambda s: s is not None, batch.next_state)), dtype=torch.bool)
print(mask, batch._fields, type(batch).__name__, isinstance(batch, tuple))
t = Transition(1, 2, 3, 4)
print(t, t._asdict(), t._replace(reward=9), t == (1, 2, 3, 4), hash(t) == hash((1, 2, 3, 4)))
s, a, ns, r = t
print(s + a + ns + r, t[1:3], t.index(3), len(t), Transition._fields, Transition._make([5, 6, 7, 8]))
print(Transition, type(t) is Transition, isinstance(t, Transition))
try:
    Transition(1, 2)
except TypeError as e:
    print(e)
try:
    t.state = 3
except AttributeError as e:
    print("AttributeError")


class Config(NamedTuple):
    lr: float
    epochs: int = 10
    name: str = "run"


c = Config(0.1)
print(c, c.lr, c.epochs, c._replace(epochs=3), Config._fields, Config(0.5, name="x"))
Point = namedtuple("Point", "x y", defaults=[0])
print(Point(1), Point(x=2, y=3), Point._field_defaults, {Point(1, 2): "a"})
print(torch.tensor(Point(1.0, 2.0)), sorted([Point(2, 1), Point(1, 5)]), max(Point(3, 4)))
try:
    namedtuple("Bad", "x x")
except ValueError as e:
    print(e)
