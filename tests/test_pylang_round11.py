"""Round 11: more of the plain Python around real PyTorch scripts (multi-item `with`,
instance `__dict__`, exception chains, logging, files the program writes and reads back,
the enum functional API and flags, argparse groups, ...): each program prints what Python
with PyTorch prints. The expected text is CPython's, held as a literal; it is also compared
live under torch.
"""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

CASES: list[tuple[str, str, str]] = [
    ('with_several_items',
     """\
import contextlib
@contextlib.contextmanager
def tag(name):
    print(f"<{name}>")
    try:
        yield name.upper()
    finally:
        print(f"</{name}>")
with tag("a") as a, tag("b"), tag("c") as c:
    print(a, c)
try:
    with tag("x"), tag("y") as y:
        raise ValueError(y)
except ValueError as e:
    print("caught", e)
""",
     """\
<a>
<b>
<c>
A C
</c>
</b>
</a>
<x>
<y>
</y>
</x>
caught Y
"""),
    ('instance_dict',
     """\
class AverageMeter:
    \"\"\"Computes and stores the average and current value (PyTorch's ImageNet example).\"\"\"
    def __init__(self, name, fmt=":f"):
        self.name = name
        self.fmt = fmt
        self.reset()
    def reset(self):
        self.val = 0
        self.avg = 0
        self.sum = 0
        self.count = 0
    def update(self, val, n=1):
        self.val = val
        self.sum += val * n
        self.count += n
        self.avg = self.sum / self.count
    def __str__(self):
        fmtstr = "{name} {val" + self.fmt + "} ({avg" + self.fmt + "})"
        return fmtstr.format(**self.__dict__)
m = AverageMeter("Loss", ":.4e")
m.update(torch.tensor(0.5).item(), 4)
m.update(0.25)
print(m)
class Config:
    def __init__(self, **kw):
        self.__dict__.update(kw)
    def __setattr__(self, k, v):
        self.__dict__[k] = v * 2
c = Config(lr=0.1, epochs=3)
c.extra = 1
print(c.lr, c.epochs, c.extra, sorted(c.__dict__), vars(c) is c.__dict__)
""",
     """\
Loss 2.5000e-01 (4.5000e-01)
0.1 3 2 ['epochs', 'extra', 'lr'] True
"""),
    ('exception_chain',
     """\
class TrainError(Exception):
    pass
def load(d, k):
    try:
        return d[k]
    except KeyError as e:
        raise TrainError(f"missing {k}") from e
try:
    load({}, "lr")
except TrainError as e:
    print(repr(e), repr(e.__cause__), repr(e.__context__), e.__suppress_context__)
try:
    try:
        raise ValueError("first")
    except ValueError:
        raise RuntimeError("second")
except RuntimeError as e:
    print(e.__cause__, repr(e.__context__), e.__suppress_context__)
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("quiet") from None
except ValueError as e:
    print(e.__cause__, type(e.__context__).__name__, e.__suppress_context__)
e = RuntimeError("fresh")
print(e.__cause__, e.__context__, e.__suppress_context__)
""",
     """\
TrainError('missing lr') KeyError('lr') KeyError('lr') True
None ValueError('first') False
None ZeroDivisionError True
None None False
"""),
]


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_gd_prints_what_python_prints(name: str, program: str, expected: str) -> None:
    assert gd_output(program) == expected


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_literal_is_what_pytorch_prints(name: str, program: str, expected: str) -> None:
    assert torch_output(program) == expected
