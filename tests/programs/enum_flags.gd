import enum
from enum import Enum, IntEnum, Flag, IntFlag, auto
Color = Enum("Color", "RED GREEN BLUE")
print(Color.RED, repr(Color.GREEN), list(Color), Color(3), Color["BLUE"].value, len(Color))
Mode = Enum("Mode", ["TRAIN", "EVAL"])
print(Mode.TRAIN.value, Mode.EVAL.name)
Sh = Enum("Sh", {"A": 10, "B": 20})
print(Sh.B, Sh(10))
Pairs = IntEnum("Pairs", [("X", 5), ("Y", 6)])
print(Pairs.X + 1, repr(Pairs.Y))
class Perm(Flag):
    R = auto()
    W = auto()
    X = auto()
rw = Perm.R | Perm.W
print(rw, repr(rw), Perm.R in rw, Perm.X in rw, bool(Perm.R & Perm.X), rw.value, list(Perm))
print(Perm(3), Perm(0), ~Perm.R)
class P2(IntFlag):
    A = 1
    B = 2
    C = 4
print(P2.A | P2.B, int(P2.A | P2.C), P2.A | 8, repr(P2.B), P2.A == 1)
print(Color.__members__ if False else Color.RED.name)
print(list(Color.__members__))
class Stage(Enum):
    TRAIN = "train"
    VAL = "val"
    def __str__(self):
        return self.value
print(f"{Stage.TRAIN}", Stage("val"), Stage.TRAIN == Stage.TRAIN, Stage.TRAIN is Stage("train"))
print(isinstance(Stage.TRAIN, Stage), type(Stage.VAL).__name__)
class Perm(Flag):
    R = 4
    W = 2
    X = 1
    RWX = 7
print(Perm.R | Perm.W, Perm.RWX, Perm.R | Perm.W | Perm.X, list(Perm.R | Perm.X), len(Perm.R | Perm.X))
print((Perm.R | Perm.W).name, Perm(0).name, bool(Perm(0)), Perm(6) is (Perm.W | Perm.R), ~Perm.RWX)
print(Perm.R ^ Perm.RWX, Perm.RWX & Perm.W, repr(Perm.RWX & ~Perm.R))
class Color(IntFlag):
    RED = auto()
    GREEN = auto()
    BLUE = auto()
c = Color.RED | Color.BLUE
print(c, repr(c), c + 1, c == 5, isinstance(c, int), Color.RED in c, f"{c:03d}", ~Color.RED, repr(~Color.RED))
Animal = Enum("Animal", "ANT BEE CAT", start=10)
print(list(Animal), Animal.BEE.value, Animal.__members__.keys() if False else list(Animal.__members__))
Lvl = IntEnum("Lvl", ["LOW", "HIGH"])
print(Lvl.HIGH > Lvl.LOW, Lvl.HIGH + 0, repr(Lvl(1)))
F = Flag("F", "A B C")
print(F.A | F.C, [m.value for m in F])
try:
    Perm(8)
except ValueError as e:
    print("ValueError", e)
print(Animal, Perm, Color)
