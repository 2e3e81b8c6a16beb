"""The plain-Python side of real PyTorch scripts (pymodules: time, sys, os, json, pprint,
string, textwrap, statistics, io, operator, heapq, bisect, argparse, contextlib, abc;
generators' send/throw/close; vars()): each program prints what Python with PyTorch prints.
The expected text is CPython's, held as a literal; it is also compared live under torch.
"""

from __future__ import annotations

import io

import pytest
from pyrun import literal_table

from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source

CASES: list[tuple[str, str, str]] = [
    ('time_clock',
     """\
import time
t0 = time.time()
start = time.perf_counter()
x = torch.ones(3).sum()
el = time.perf_counter() - start
print(type(t0).__name__, el >= 0, el < 60, time.time() > t0)
time.sleep(0.01)
print(time.monotonic() >= 0, type(time.perf_counter_ns()).__name__)
""",
     """\
float True True True
True int
"""),
    ('sys_basics',
     """\
import sys
print(sys.version_info >= (3, 8), sys.version_info.major, sys.maxsize)
sys.stdout.write("hello\\n")
sys.stdout.flush()
print("err", file=sys.stderr)
print("out", file=sys.stdout, flush=True)
print(sys.float_info.epsilon, sys.float_info.max)
""",
     """\
True 3 9223372036854775807
hello
out
2.220446049250313e-16 1.7976931348623157e+308
"""),
    ('os_path',
     """\
import os
print(os.path.join("data", "train", "x.pt"), os.path.join("/a", "b/", "c"))
print(os.environ.get("GD_NOT_SET_ANYWHERE", "default"), os.getenv("GD_NOT_SET_ANYWHERE"))
print(os.path.basename("/a/b/c.txt"), os.path.dirname("/a/b/c.txt"))
print(os.path.splitext("model.pth"), os.path.split("/x/y.z"), os.path.isabs("rel/p"))
print(os.path.exists("/gd/surely/not/here.pt"), os.sep)
""",
     """\
data/train/x.pt /a/b/c
default None
c.txt /a/b
('model', '.pth') ('/x', 'y.z') False
False /
"""),
    ('json_dumps',
     """\
import json
d = {"b": 1, "a": [1, 2.5, "x", None, True], "t": (1, 2)}
print(json.dumps(d))
print(json.dumps(d, indent=2, sort_keys=True))
print(json.dumps({"k": float("nan")}), json.dumps("\\u00e9"), json.dumps(3), json.dumps([]))
print(json.dumps({"a": 1, "b": 2}, separators=(",", ":")))
""",
     """\
{"b": 1, "a": [1, 2.5, "x", null, true], "t": [1, 2]}
{
  "a": [
    1,
    2.5,
    "x",
    null,
    true
  ],
  "b": 1,
  "t": [
    1,
    2
  ]
}
{"k": NaN} "\\u00e9" 3 []
{"a":1,"b":2}
"""),
    ('json_loads',
     """\
import json
cfg = json.loads('{"lr": 0.01, "layers": [32, 64], "name": "net", "ok": false, "n": null}')
print(cfg, cfg["layers"][1], type(cfg["lr"]).__name__)
try:
    json.loads("{bad")
except ValueError as e:
    print("bad:", e)
""",
     """\
{'lr': 0.01, 'layers': [32, 64], 'name': 'net', 'ok': False, 'n': None} 64 float
bad: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)
"""),
    ('json_default',
     """\
import json
try:
    json.dumps({"x": torch.ones(2)})
except TypeError as e:
    print(e)
print(json.dumps({"x": torch.ones(2)}, default=lambda t: t.tolist()))
print(json.dumps({"w": torch.tensor(0.5).item()}))
""",
     """\
Object of type Tensor is not JSON serializable
{"x": [1.0, 1.0]}
{"w": 0.5}
"""),
    ('pprint',
     """\
from pprint import pprint, pformat
pprint({"b": 1, "a": [1, 2, 3], "c": {"d": 4}})
pprint(list(range(30)))
pprint({"weights": [0.123456789] * 8, "name": "a long model name here", "cfg": {"lr": 0.1}})
print(pformat((1, "a")))
""",
     """\
{'a': [1, 2, 3], 'b': 1, 'c': {'d': 4}}
[0,
 1,
 2,
 3,
 4,
 5,
 6,
 7,
 8,
 9,
 10,
 11,
 12,
 13,
 14,
 15,
 16,
 17,
 18,
 19,
 20,
 21,
 22,
 23,
 24,
 25,
 26,
 27,
 28,
 29]
{'cfg': {'lr': 0.1},
 'name': 'a long model name here',
 'weights': [0.123456789,
             0.123456789,
             0.123456789,
             0.123456789,
             0.123456789,
             0.123456789,
             0.123456789,
             0.123456789]}
(1, 'a')
"""),
    ('pprint_tensor',
     """\
import pprint
pprint.pprint({"t": torch.ones(2), "z": 1})
pprint.pp({"z": 1, "a": 2})
""",
     """\
{'t': tensor([1., 1.]), 'z': 1}
{'z': 1, 'a': 2}
"""),
    ('string_textwrap',
     """\
import string, textwrap
print(string.ascii_lowercase, string.digits, string.punctuation)
print(string.capwords("hi there"))
print(textwrap.dedent("\\n    hello\\n      world\\n"))
print(textwrap.fill("word " * 12, width=22))
print(textwrap.indent("a\\nb", "> "), textwrap.wrap("the quick brown fox", 10))
print(textwrap.shorten("Hello world, this is long", width=15))
""",
     """\
abcdefghijklmnopqrstuvwxyz 0123456789 !"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~
Hi There

hello
  world

word word word word
word word word word
word word word word
> a
> b ['the quick', 'brown fox']
Hello [...]
"""),
    ('statistics',
     """\
import statistics
print(statistics.mean([1, 2, 3, 4]), statistics.median([3, 1, 2]), statistics.stdev([1, 2, 3, 4]))
print(statistics.mean([0.1, 0.2]), statistics.pstdev([1.5, 2.5]), statistics.variance([1, 2, 4]))
print(statistics.mode([1, 1, 2]), statistics.fmean([1, 2]), statistics.median([1, 2, 3, 4]))
try:
    statistics.mean([])
except ValueError as e:
    print(e)
""",
     """\
2.5 2 1.2909944487358056
0.15000000000000002 0.5 2.3333333333333335
1 1.5 2.5
mean requires at least one data point
"""),
    ('stringio',
     """\
import io
buf = io.StringIO()
buf.write("abc\\n")
print("x", 1, file=buf)
print(buf.getvalue(), end="")
s = io.StringIO("l1\\nl2\\n")
print(repr(s.readline()), repr(s.read()), s.tell())
""",
     """\
abc
x 1
'l1\\n' 'l2\\n' 6
"""),
    ('math_more',
     """\
import math
print(math.prod([1, 2, 3, 4]), math.isclose(1.0, 1.0 + 1e-10), math.comb(5, 2), math.perm(5, 2))
print(math.gcd(12, 18), math.lcm(4, 6), math.lcm(), math.dist((0, 0), (3, 4)), math.hypot(3, 4, 12))
print(math.fsum([0.1] * 10), math.log2(8), math.tau, math.ulp(1.0), math.nextafter(1.0, 2.0))
print(math.copysign(1, -0.0), math.frexp(8.0), math.ldexp(0.5, 4), math.modf(2.5))
""",
     """\
24 True 10 20
6 12 1 5.0 13.0
1.0 3.0 6.283185307179586 2.220446049250313e-16 1.0000000000000002
-1.0 (0.5, 4) 8.0 (0.5, 2.0)
"""),
    ('operator',
     """\
import operator
from operator import itemgetter, attrgetter, methodcaller
from functools import reduce
pairs = [(1, "b"), (0, "a"), (2, "c")]
print(sorted(pairs, key=itemgetter(0)), itemgetter(1, 0)(pairs[0]), itemgetter(1))
print(operator.add(2, 3), operator.mul(2, 3), operator.neg(4), operator.not_(0))
print(operator.truediv(1, 4), reduce(operator.mul, [1, 2, 3, 4]))
print(operator.getitem([1, 2, 3], 1), operator.contains([1, 2], 2))
print(attrgetter("shape")(torch.ones(2, 3)), methodcaller("upper")("ab"))
print(methodcaller("split", ",")("a,b"))
""",
     """\
[(0, 'a'), (1, 'b'), (2, 'c')] ('b', 1) operator.itemgetter(1)
5 6 -4 True
0.25 24
2 True
torch.Size([2, 3]) AB
['a', 'b']
"""),
    ('operator_tensor',
     """\
import operator
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = operator.mul(x, x)
print(y)
operator.add(y, 1).sum().backward()
print(x.grad)
""",
     """\
tensor([1., 4.], grad_fn=<MulBackward0>)
tensor([2., 4.])
"""),
    ('attrgetter_class',
     """\
from operator import attrgetter
class P:
    def __init__(self, n, a):
        self.name = n
        self.age = a
ps = [P("b", 3), P("a", 1)]
print([p.name for p in sorted(ps, key=attrgetter("age"))], attrgetter("name", "age")(ps[0]))
""",
     """\
['a', 'b'] ('b', 3)
"""),
    ('heapq_bisect',
     """\
import heapq, bisect
h = [5, 1, 3]
heapq.heapify(h)
heapq.heappush(h, 0)
print(heapq.heappop(h), heapq.nsmallest(2, [4, 1, 7]), heapq.nlargest(2, [4, 1, 7]), h)
pq = []
heapq.heappush(pq, (0.5, "a"))
heapq.heappush(pq, (0.1, "b"))
print(heapq.heappop(pq), heapq.nlargest(1, [{"s": 1}, {"s": 3}], key=lambda d: d["s"]))
a = [1, 3, 5]
print(bisect.bisect_left(a, 3), bisect.bisect_right(a, 3), bisect.bisect(a, 4))
bisect.insort(a, 4)
print(a)
""",
     """\
0 [1, 4] [7, 4] [1, 5, 3]
(0.1, 'b') [{'s': 3}]
1 2 2
[1, 3, 4, 5]
"""),
    ('argparse_defaults',
     """\
import argparse
parser = argparse.ArgumentParser(description="train")
parser.add_argument("--lr", type=float, default=0.01, help="learning rate")
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--verbose", action="store_true")
parser.add_argument("--opt", choices=["sgd", "adam"], default="sgd")
args = parser.parse_args([])
print(args.lr, args.epochs, args.verbose, args.opt)
print(args)
for k, v in vars(args).items():
    print(f"{k}: {v}")
""",
     """\
0.01 3 False sgd
Namespace(lr=0.01, epochs=3, verbose=False, opt='sgd')
lr: 0.01
epochs: 3
verbose: False
opt: sgd
"""),
    ('argparse_list',
     """\
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=0.01)
parser.add_argument("--batch-size", type=int, default=4)
parser.add_argument("-n", "--num-layers", dest="layers", type=int, default="2")
parser.add_argument("--dims", nargs="+", type=int, default=[1])
parser.add_argument("-v", action="count", default=0)
args = parser.parse_args(["--lr", "0.1", "--batch-size", "8", "--dims", "3", "4", "-v", "-v"])
print(args.lr, args.batch_size, args.layers, args.dims, args.v)
print(args)
p = argparse.ArgumentParser()
p.add_argument("data")
p.add_argument("--k", type=int, default=1)
print(p.parse_args(["x.csv", "--k=5"]))
a, rest = p.parse_known_args(["y", "--zzz"])
print(a, rest)
ns = argparse.Namespace(a=1, b="x")
ns.c = [1]
print(ns, ns.a)
""",
     """\
0.1 8 2 [3, 4] 2
Namespace(lr=0.1, batch_size=8, layers=2, dims=[3, 4], v=2)
Namespace(data='x.csv', k=5)
Namespace(data='y', k=1) ['--zzz']
Namespace(a=1, b='x', c=[1]) 1
"""),
    ('vars_instance',
     """\
class A:
    def __init__(self):
        self.x = 1
a = A()
print(vars(a))
setattr(a, "y", 2)
delattr(a, "x")
vars(a)["z"] = 3
print(vars(a), a.z)
""",
     """\
{'x': 1}
{'y': 2, 'z': 3} 3
"""),
    ('generator_send',
     """\
def averager():
    total, n, avg = 0.0, 0, None
    while True:
        term = yield avg
        total += term
        n += 1
        avg = total / n
a = averager()
next(a)
print(a.send(10), a.send(30), a.send(5))
def g():
    yield 1
it = g()
print(it.send(None))
try:
    it.send(2)
except StopIteration:
    print("stop")
try:
    g().send(5)
except TypeError as e:
    print(e)
""",
     """\
10.0 20.0 15.0
1
stop
can't send non-None value to a just-started generator
"""),
    ('generator_throw_close',
     """\
def g():
    try:
        while True:
            try:
                yield 1
            except ValueError:
                print("caught")
                yield 99
    finally:
        print("cleanup")
it = g()
next(it)
print(it.throw(ValueError))
next(it)
it.close()
print("after")
def h():
    yield 1
try:
    h().throw(KeyError("k"))
except KeyError as e:
    print("KE", e, repr(e))
""",
     """\
caught
99
cleanup
after
KE 'k' KeyError('k')
"""),
    ('generator_yield_from_send',
     """\
def inner():
    x = yield 1
    print("inner got", x)
    return "r"
def outer():
    r = yield from inner()
    print("outer got", r)
    yield 2
o = outer()
print(next(o))
print(o.send("hi"))
""",
     """\
1
inner got hi
outer got r
2
"""),
    ('contextmanager',
     """\
from contextlib import contextmanager
import contextlib
@contextmanager
def timer(name):
    print("start", name)
    yield 5
    print("end", name)
with timer("x") as v:
    print(v)
@contextlib.contextmanager
def guard():
    try:
        yield
    except ValueError as e:
        print("handled", e)
    finally:
        print("finally")
with guard():
    raise ValueError("boom")
print("after")
try:
    with timer("y"):
        raise KeyError("k")
except KeyError as e:
    print("propagated", e)
""",
     """\
start x
5
end x
handled boom
finally
after
start y
propagated 'k'
"""),
    ('nullcontext_suppress',
     """\
from contextlib import nullcontext, suppress
with nullcontext():
    print(1)
with nullcontext(7) as z:
    print(z)
with suppress(ZeroDivisionError, KeyError):
    1 / 0
print(2)
def run(train):
    cm = nullcontext() if train else torch.no_grad()
    with cm:
        y = torch.ones(2, requires_grad=True) * 2
    return y.requires_grad
print(run(True), run(False))
""",
     """\
1
7
2
True False
"""),
    ('abc',
     """\
from abc import ABC, abstractmethod
class Base(ABC):
    @abstractmethod
    def f(self):
        pass
    def g(self):
        return self.f() + 1
class D(Base):
    def f(self):
        return 1
print(D().f(), D().g(), isinstance(D(), Base))
""",
     """\
1 2 True
"""),
    ('exception_methods',
     """\
class TrainError(Exception):
    def __init__(self, msg, step):
        super().__init__(msg)
        self.step = step
    def __str__(self):
        return f"step {self.step}: {self.args[0]}"
try:
    raise TrainError("nan loss", 7)
except TrainError as e:
    print(e, e.step, repr(e.args))
class ConfigError(ValueError):
    def __init__(self, key):
        self.key = key
        self._hidden = 1
        super().__init__(f"bad key {key!r}")
    def describe(self):
        return "config: " + str(self)
try:
    raise ConfigError("lr")
except ValueError as e:
    print(e, e.key, e._hidden, e.describe(), e.args)
""",
     """\
step 7: nan loss 7 ('nan loss',)
bad key 'lr' lr 1 config: bad key 'lr' ("bad key 'lr'",)
"""),
    ('exception_class_attrs',
     """\
class E(Exception):
    code = 3
try:
    raise E("x", 1)
except E as e:
    print(e, e.args, e.code)
class NoInit(RuntimeError):
    def __str__(self):
        return "custom: " + super().__str__()
try:
    raise NoInit("a")
except RuntimeError as e:
    print(e)
try:
    raise KeyError("k")
except KeyError as e:
    print(e, repr(e))
""",
     """\
('x', 1) ('x', 1) 3
custom: a
'k' KeyError('k')
"""),
    ('getattr_fallback',
     """\
class Cfg:
    def __init__(self, **kw):
        self._d = dict(kw)
        self.name = "cfg"
    def __getattr__(self, k):
        if k in self._d:
            return self._d[k]
        raise AttributeError(k)
c = Cfg(lr=0.1, epochs=3)
print(c.lr, c.epochs, c.name, getattr(c, "x", None), hasattr(c, "lr"), hasattr(c, "zz"))
try:
    c.missing
except AttributeError as e:
    print("AttributeError", e)
class Wrapper:
    def __init__(self, inner):
        self.inner = inner
    def __getattr__(self, name):
        return getattr(self.inner, name)
w = Wrapper(torch.nn.Linear(2, 3))
print(w.in_features, w.weight.shape)
""",
     """\
0.1 3 cfg None True False
AttributeError missing
2 torch.Size([3, 2])
"""),
]


test_gd_prints_what_python_prints, test_the_literal_is_what_pytorch_prints = \
    literal_table(CASES)


def _run(text: str) -> tuple[str, GdError | None]:
    buf = io.StringIO()
    try:
        run(Source("p.gd", text), AppOptions(write=buf.write))
    except GdError as e:
        return buf.getvalue(), e
    return buf.getvalue(), None


def test_the_virtual_clock_prints_the_same_every_run() -> None:
    program = ("import time\nt0 = time.time()\ns = time.perf_counter()\ntime.sleep(0.5)\n"
               "print(t0, time.perf_counter() - s, time.strftime('%Y-%m-%d %H:%M:%S'))\n")
    first = _run(program)
    assert first == _run(program)
    assert first[0] == "1700000000.001 0.501 2023-11-14 22:13:20\n"


@pytest.mark.parametrize(("program", "printed", "code", "message"), [
    ("import sys\nprint('a')\nsys.exit(0)\nprint('b')", "a\n", None, None),
    ("import sys\ndef main():\n    print('m')\n    sys.exit()\n"
     "if __name__ == '__main__':\n    main()\nprint('never')", "m\n", None, None),
    ("import sys\nprint('a')\nsys.exit(3)", "a\n", 1, "the program called sys.exit(3)"),
    ("import sys\nsys.exit('bad config')", "", 1, "bad config"),
    # SystemExit is no Exception: `except Exception` does not stop it
    ("import sys\ntry:\n    sys.exit(2)\nexcept Exception:\n    print('caught')",
     "", 1, "the program called sys.exit(2)"),
    ("import argparse\np = argparse.ArgumentParser()\n"
     "p.add_argument('--opt', choices=['sgd', 'adam'])\np.parse_args(['--opt', 'rms'])", "",
     1, "argument --opt: invalid choice: 'rms' (choose from 'sgd', 'adam')"),
    ("import argparse\np = argparse.ArgumentParser()\np.add_argument('data')\n"
     "p.parse_args()", "", 1, "the following arguments are required: data"),
    ("import argparse\np = argparse.ArgumentParser()\np.add_argument('--k', type=int)\n"
     "p.parse_args(['--k', 'x'])", "", 1, "argument --k: invalid int value: 'x'"),
])
def test_sys_exit_and_argparse_errors_end_the_run(program: str, printed: str,
                                                  code: int | None,
                                                  message: str | None) -> None:
    out, err = _run(program)
    assert out == printed
    if code is None:
        assert err is None
    else:
        assert err is not None and err.exit_code == code and err.message == message


def test_parse_args_without_a_list_gives_the_defaults() -> None:
    out, err = _run("import argparse\np = argparse.ArgumentParser()\n"
                    "p.add_argument('--lr', type=float, default='0.5')\n"
                    "p.add_argument('--flag', action='store_true')\nprint(p.parse_args())")
    assert err is None and out == "Namespace(lr=0.5, flag=False)\n"


def test_a_dropped_generator_runs_no_gd_code() -> None:
    # Python would print "cleanup" when the generator is collected; gd runs finally blocks
    # only for close(), so no gd code runs outside the program's own order.
    out, err = _run("def g():\n    try:\n        yield 1\n    finally:\n"
                    "        print('cleanup')\nit = g()\nnext(it)\nit = None\nprint('end')")
    assert err is None and out == "end\n"


def test_the_modules_load_on_first_import_only() -> None:
    import subprocess
    import sys

    code = ("import sys\nfrom gradcli.interp.builtins import registry\nregistry()\n"
            "print(sorted(m for m in ('gradcli.interp.pytextmods', 'gradcli.interp.pyargparse',"
            " 'gradcli.interp.pyoperator', 'gradcli.interp.pyclassmods') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out == "[]\n"
