import copy
import torch
from dataclasses import dataclass, field
from enum import Enum, IntEnum, auto, unique

class Planet(Enum):
    MERCURY = (3.303e+23, 2.4397e6)
    EARTH = (5.976e+24, 6.37814e6)
    def __init__(self, mass, radius):
        self.mass = mass
        self.radius = radius
    @property
    def surface_gravity(self):
        return 6.673e-11 * self.mass / (self.radius * self.radius)
print(Planet.EARTH.value, f"{Planet.EARTH.surface_gravity:.3f}", Planet.MERCURY)

class Act(Enum):
    RELU = "relu"
    TANH = "tanh"
    def fn(self):
        return {"relu": torch.relu, "tanh": torch.tanh}[self.value]

x = torch.tensor([-1.0, 0.5])
for a in Act:
    print(a, a.fn()(x))
print(Act("tanh"), Act["RELU"], Act.RELU.value)

@dataclass
class Cfg:
    act: Act = Act.RELU
    layers: list = field(default_factory=lambda: [2, 3])
c = Cfg()
print(c, copy.deepcopy(c).act is Act.RELU)
print(sorted(Act, key=lambda a: a.value, reverse=True))
print([m.name for m in Act], {a.name: a.value for a in Act})

class Stage(IntEnum):
    A = auto()
    B = auto()
lr = [0.1, 0.01, 0.001]
print(lr[Stage.B], Stage.B * 10, Stage.A < Stage.B, max(Stage), f"{Stage.B:03d}")
print(isinstance(Act.RELU, Enum), isinstance(Stage.A, Enum), isinstance(3, Enum))
match Act.TANH:
    case Act.RELU:
        print("relu")
    case Act.TANH:
        print("tanh")
try:
    @unique
    class Dup(Enum):
        A = 1
        B = 1
except ValueError as e:
    print("ValueError", e)
class Dup2(Enum):
    A = 1
    B = 1
print(list(Dup2), Dup2.B, Dup2.B is Dup2.A)
try:
    Act.RELU = 3
except AttributeError as e:
    print("AttributeError", e)
print(Act.RELU == "relu", Act.RELU != Act.TANH, hash(Act.RELU) == hash(Act.RELU))
print(type(Act.RELU).__name__, Act.RELU.__class__ is Act, Act)
print(str(Stage.A), repr(Stage.A), Stage(2), int(Stage.B), float(Stage.A))
