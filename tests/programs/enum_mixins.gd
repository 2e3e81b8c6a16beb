from enum import Enum, IntEnum, auto
class Mode(str, Enum):
    TRAIN = "train"
    EVAL = "eval"
class Level(IntEnum):
    LOW = 1
    HIGH = 2
class C(Enum):
    A = auto()
    B = "x"
    C = auto()  # after "x": the last int value + 1
    D = 1
print(str(Mode.TRAIN), f"{Mode.TRAIN}", repr(Mode.TRAIN), Mode.TRAIN == "train", Mode("eval"))
print(str(Level.HIGH), f"{Level.HIGH}", repr(Level.HIGH), Level.HIGH == 2, [0,1,2][Level.HIGH], Level(1))
print(list(C), C.D is C.A, len(C))
print(f"{C.A!s:>10}|{C.A!r}", format(C.A), f"{C.A:>12}")
print(Level.HIGH * 3, Level.LOW + Level.HIGH, -Level.HIGH, Level.HIGH / 2, sorted([Level.HIGH, Level.LOW]))
print(type(Level.HIGH), C, C.__members__ if False else "", C.A.__class__)
print(Mode.TRAIN.upper(), hash(Level.HIGH) == hash(2))
class S(Enum):
    X = 1
    def describe(self):
        return f"{self.name}={self.value}"
    @property
    def double(self):
        return self.value * 2
    @classmethod
    def first(cls):
        return list(cls)[0]
print(S.X.describe(), S.X.double, S.first())
try:
    C["Z"]
except KeyError as e:
    print("KeyError", e)
try:
    S.X.value = 3
except AttributeError as e:
    print("AttributeError", e)
print({C.A: 1, C.B: 2}, C.A < C.B if False else "", bool(C.A))
