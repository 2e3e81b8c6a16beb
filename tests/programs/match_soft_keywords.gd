import torch
match = [1, 2]
case = 5
match[0] = 7
print(match, case)
match: int = 3
case = lambda: 0
print(match, case())
def f(match, case):
    return match + case
print(f(1, case=2))

def cmd(c):
    match c.split():  # comment
        case ["go", ("north" | "south") as d]: return f"go {d}"
        case ["go", _]: return "bad dir"
        case ["drop", *objs] if objs: return f"drop {objs}"
        case []:
            return "empty"
        case _:
            return "?"
for c in ["go north", "go west", "drop a b", "drop", ""]:
    print(cmd(c))

def pt(p):
    match p:
        case (0, 0):
            print("origin")
        case (x, 0) | (0, x):
            print("axis", x)
        case ((a, b), c):
            print("nested", a, b, c)
        case _:
            print("else")
pt((0, 0)); pt((3, 0)); pt((0, 4)); pt(((1, 2), 3)); pt([5, 6])

x = torch.tensor(2.0)
match x.item():
    case 2.0:
        print("two")
match 1, 2:
    case a, b:
        print(a + b)
def gen(items):
    for it in items:
        match it:
            case {"type": "a", "val": v}:
                yield v
            case {"type": "b"}:
                yield -1
print(list(gen([{"type": "a", "val": 3}, {"type": "b", "x": 1}, {"type": "c"}])))
class Shape:
    __match_args__ = ("kind", "size")
    def __init__(self, kind, size):
        self.kind, self.size = kind, size
for s in [Shape("sq", 2), Shape("ci", 3)]:
    match s:
        case Shape("sq", n):
            print("square", n)
        case Shape(kind=k, size=n) if n > 2:
            print("big", k, n)
match True:
    case 1:
        print("1 matches True")
match 1:
    case True:
        print("no")
    case other:
        print("other", other)
try:
    match 3:
        case Shape(1, 2, 3):
            pass
except TypeError as e:
    print("TypeError", e)
try:
    match 3:
        case int(1, 2):
            pass
except TypeError as e:
    print("TypeError", e)
match "abc":
    case [*x]:
        print("seq", x)
    case str(s):
        print("str", s)
match range(5):
    case [first, *_, last]:
        print(first, last)
