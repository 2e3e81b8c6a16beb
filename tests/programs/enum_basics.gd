from enum import Enum, IntEnum, auto

class Color(Enum):
    RED = 1
    GREEN = 2
    BLUE = 3

class Phase(Enum):
    TRAIN = auto()
    EVAL = auto()

class Level(IntEnum):
    LOW = 1
    HIGH = 2

print(Color.RED, repr(Color.RED), Color.RED.name, Color.RED.value)
print(list(Color))
print(Color(2), Color["BLUE"])
print(Phase.TRAIN.value, Phase.EVAL)
print(Level.HIGH > Level.LOW, Level.HIGH + 1, int(Level.LOW))
print(Color.RED == Color.RED, Color.RED is Color.RED, Color.RED == 1)
print(len(Color), Color.GREEN in Color)
for c in Color:
    print(c.name, c.value)
print(f"{Color.RED}", f"{Level.HIGH}", str(Level.HIGH))
d = {Color.RED: "r"}
print(d)
print(isinstance(Color.RED, Color), type(Color.RED))
try:
    Color(7)
except ValueError as e:
    print("ValueError", e)
