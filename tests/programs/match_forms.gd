from dataclasses import dataclass
match = 3
case = {1: 2}
print(match, case)
@dataclass
class Point:
    x: int
    y: int

def describe(obj):
    match obj:
        case 0 | 1:
            return "small"
        case -1:
            return "minus one"
        case "hi":
            return "greeting"
        case None:
            return "none"
        case [x, y, *rest] if x > 0:
            return f"seq {x} {y} {rest}"
        case (a, b):
            return f"pair {a} {b}"
        case {"k": v, **others}:
            return f"map {v} {others}"
        case Point(x=0, y=yy):
            return f"on y axis {yy}"
        case Point(px, py) as p:
            return f"point {px} {py} {p}"
        case int(n) | float(n):
            return f"number {n}"
        case str() as s:
            return f"str {s!r}"
        case _:
            return "other"

for o in [0, 1, -1, "hi", None, [1, 2, 3, 4], [0, 2], (5, 6), {"k": 1, "j": 2}, Point(0, 3), Point(1, 2), 7, 2.5, "yo", {1}]:
    print(describe(o))
