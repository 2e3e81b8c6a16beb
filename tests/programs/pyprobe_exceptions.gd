def show(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, "|", str(e), "|", repr(e), "|", e.args)
show(lambda: {}["a"])
show(lambda: {}[("a", 1)])
show(lambda: {}[1])
def r1(): raise KeyError("a")
show(r1)
def r2(): raise KeyError("a", "b")
show(r2)
def r3(): raise ValueError("bad", 3)
show(r3)
def r4(): raise ValueError()
show(r4)
def r5(): raise RuntimeError
show(r5)
def r6(): raise KeyError(("x", 2))
show(r6)
def r7(): [1][5]
show(r7)
def r8(): int("x")
show(r8)
def r9(): raise TypeError(None)
show(r9)
class MyErr(Exception):
    pass
def r10(): raise MyErr("boom", 1)
show(r10)
def r11():
    try:
        1 / 0
    except ZeroDivisionError as e:
        raise ValueError("wrapped") from e
show(r11)
e = KeyError("k")
print(f"{e}", f"{e!r}", str(e), e)
print(repr(Exception("a", "b")), str(Exception("a", "b")), str(Exception()), repr(Exception()))
print(str(KeyError()), repr(KeyError()))
def r12(): raise StopIteration
show(r12)
def r13(): getattr(object(), "zz")
show(r13)
import torch
def r14(): torch.ones(2) + torch.ones(3)
show(r14)
