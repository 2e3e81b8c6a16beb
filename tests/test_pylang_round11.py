"""Round 11: more of the plain Python around real PyTorch scripts (multi-item `with`,
instance `__dict__`, exception chains, logging, files the program writes and reads back,
the enum functional API and flags, argparse groups, ...): each program prints what Python
with PyTorch prints. The expected text is CPython's, held as a literal; it is also compared
live under torch.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyrun import gd_output, torch_output

#: Cases whose program behaves differently exec'd inside pytest than run as a script.
IN_PROCESS_DIFFERS = {"logging"}

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
    ('counter_partial_cache',
     """\
from collections import Counter, defaultdict
import functools
c = Counter("abracadabra")
print(sorted(c.elements())[:6], list(Counter(a=2, b=1).elements()))
dd = defaultdict(list)
print(dd.default_factory, defaultdict(int).default_factory, defaultdict().default_factory)
def power(base, exp, scale=1):
    return scale * base ** exp
sq = functools.partial(power, exp=2)
print(sq(3), sq.func is power, sq.args, sq.keywords, functools.partial(power, 2, scale=3)(3))
@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(20), fib.cache_info())
print(fib.cache_info().hits, fib.cache_info().currsize)
fib.cache_clear()
print(fib.cache_info())
@functools.lru_cache
def sq2(x):
    return x * x
print(sq2(3), sq2(3), sq2.cache_info())
@functools.cache
def one(x):
    return x
print(one(1), one.cache_info())
""",
     """\
['a', 'a', 'a', 'a', 'a', 'b'] ['a', 'a', 'b']
<class 'list'> <class 'int'> None
9 True () {'exp': 2} 24
6765 CacheInfo(hits=18, misses=21, maxsize=None, currsize=21)
18 21
CacheInfo(hits=0, misses=0, maxsize=None, currsize=0)
9 9 CacheInfo(hits=1, misses=1, maxsize=128, currsize=1)
1 CacheInfo(hits=0, misses=1, maxsize=None, currsize=1)
"""),
    ('argparse_groups',
     """\
import argparse
p = argparse.ArgumentParser(description="train")
g = p.add_mutually_exclusive_group()
g.add_argument("--sgd", action="store_true")
g.add_argument("--lr-decay", type=float)
model = p.add_argument_group("model", "model options")
model.add_argument("--depth", type=int, default=3)
p.add_argument("--amp", action=argparse.BooleanOptionalAction, default=True)
print(p.parse_args([]))
print(p.parse_args(["--sgd", "--no-amp", "--depth", "5"]))
print(p.parse_args(["--lr-decay", "0.5", "--amp"]))
print(g.required, model.title)
""",
     """\
Namespace(sgd=False, lr_decay=None, depth=3, amp=True)
Namespace(sgd=True, lr_decay=None, depth=5, amp=False)
Namespace(sgd=False, lr_decay=0.5, depth=3, amp=True)
False model
"""),
    ('files_written_then_read',
     """\
import os, json, csv, pickle
os.makedirs("runs/exp1", exist_ok=True)
with open("runs/exp1/log.txt", "w") as f:
    for epoch, loss in enumerate([0.5, 0.25]):
        f.write(f"{epoch},{loss}\\n")
        print(f"epoch {epoch}", file=f)
with open("runs/exp1/log.txt") as f:
    print(f.readline().strip(), f.readlines())
with open("runs/exp1/log.txt", "a") as f:
    f.writelines(["2,0.125\\n"])
for line in open("runs/exp1/log.txt"):
    print(line.rstrip())
print(os.path.exists("runs/exp1/log.txt"), os.path.isfile("runs"), os.listdir("runs/exp1"))
with open("cfg.json", "w") as f:
    json.dump({"lr": 0.1, "layers": [2, 3]}, f, indent=2)
with open("cfg.json") as f:
    print(json.load(f))
with open("m.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["epoch", "loss"])
    w.writerows([[1, 0.5], [2, torch.tensor(0.25).item()]])
with open("m.csv") as f:
    print(repr(f.read()))
with open("m.csv", newline="") as f:
    print(list(csv.reader(f)))
with open("m.csv") as f:
    print([dict(r) for r in csv.DictReader(f)])
with open("state.pkl", "wb") as f:
    pickle.dump({"step": 3, "w": [1.0]}, f)
with open("state.pkl", "rb") as f:
    print(pickle.load(f))
torch.save({"w": torch.ones(2)}, "runs/exp1/ckpt.pt")
print(torch.load("runs/exp1/ckpt.pt"), sorted(os.listdir("runs/exp1")))
f = open("late.txt", "w")
f.write("not yet")
print(repr(open("late.txt").read()), f.closed)
f.close()
print(repr(open("late.txt").read()), f.closed)
os.remove("late.txt")
for path, mode in (("late.txt", "r"), ("nodir/x.txt", "w"), ("runs", "r"),
                   ("cfg.json", "x")):
    try:
        open(path, mode)
    except OSError as e:
        print(type(e).__name__, e, e.errno)
try:
    f.write("closed")
except ValueError as e:
    print(e)
""",
     """\
0,0.5 ['epoch 0\\n', '1,0.25\\n', 'epoch 1\\n']
0,0.5
epoch 0
1,0.25
epoch 1
2,0.125
True False ['log.txt']
{'lr': 0.1, 'layers': [2, 3]}
'epoch,loss\\n1,0.5\\n2,0.25\\n'
[['epoch', 'loss'], ['1', '0.5'], ['2', '0.25']]
[{'epoch': '1', 'loss': '0.5'}, {'epoch': '2', 'loss': '0.25'}]
{'step': 3, 'w': [1.0]}
{'w': tensor([1., 1.])} ['ckpt.pt', 'log.txt']
'' False
'not yet' True
FileNotFoundError [Errno 2] No such file or directory: 'late.txt' 2
FileNotFoundError [Errno 2] No such file or directory: 'nodir/x.txt' 2
IsADirectoryError [Errno 21] Is a directory: 'runs' 21
FileExistsError [Errno 17] File exists: 'cfg.json' 17
I/O operation on closed file.
"""),
    ('logging',
     """\
import logging, sys, io
logging.basicConfig(level=logging.INFO, format="%(levelname)s - %(name)s - %(message)s",
                    stream=sys.stdout)
logger = logging.getLogger(__name__)
logger.info("epoch %d loss %.4f", 1, 0.5)
logger.debug("hidden")
logger.warning("watch out: %s", torch.tensor([1.0, 2.0]))
log = logging.getLogger("train.sub")
log.setLevel(logging.DEBUG)
log.debug("dbg %s", "x")
print(logger, log, logging.getLogger(), logger.getEffectiveLevel(),
      logger.isEnabledFor(logging.DEBUG))
logging.info("root info")
logging.error("err %d%%", 5)
buf = io.StringIO()
h = logging.StreamHandler(buf)
h.setFormatter(logging.Formatter("[{levelname}] {message}", style="{"))
h.setLevel(logging.WARNING)
lg = logging.getLogger("buffered")
lg.addHandler(h)
lg.propagate = False
lg.info("no")
lg.error("yes %s", 1)
print(repr(buf.getvalue()), lg.handlers, len(lg.handlers))
fh = logging.FileHandler("train.log", mode="w")
fh.setFormatter(logging.Formatter("%(name)s:%(levelname)s:%(message)s"))
lg.addHandler(fh)
lg.critical("to file")
print(open("train.log").read(), end="")
print(logging.getLevelName(logging.WARNING), logging.getLevelName(15), logging.getLevelName("INFO"))
logging.disable(logging.CRITICAL)
logger.critical("silenced")
logging.disable(logging.NOTSET)
logger.info("back %(a)s", {"a": 1})
logger.log(logging.WARNING, "via log")
""",
     """\
INFO - __main__ - epoch 1 loss 0.5000
WARNING - __main__ - watch out: tensor([1., 2.])
DEBUG - train.sub - dbg x
<Logger __main__ (INFO)> <Logger train.sub (DEBUG)> <RootLogger root (INFO)> 20 False
INFO - root - root info
ERROR - root - err 5%
'[ERROR] yes 1\\n' [<StreamHandler (WARNING)>] 1
buffered:CRITICAL:to file
WARNING Level 15 20
INFO - __main__ - back 1
WARNING - __main__ - via log
"""),
    ('pathlib',
     """\
from pathlib import Path
import os, json
import torch
out = Path("runs") / "exp1"
out.mkdir(parents=True, exist_ok=True)
print(out, repr(out), out.name, out.parent, out.parts, out.exists(), out.is_dir(), f"{out}/x")
ck = out / "model.best.pt"
print(ck.suffix, ck.suffixes, ck.stem, ck.with_suffix(".pth"), ck.with_name("other.pt"))
torch.save({"a": 1}, ck)
print(ck.exists(), ck.is_file(), torch.load(ck), os.path.exists(ck))
(out / "cfg.json").write_text(json.dumps({"lr": 0.1}))
print(json.loads((out / "cfg.json").read_text()), sorted(p.name for p in out.iterdir()))
print(sorted(str(p) for p in out.glob("*.json")), Path("a/./b//c/"), Path("/x") / "y",
      "z" / Path("w"))
with (out / "log.txt").open("w") as f:
    f.write("hi\\n")
print((out / "log.txt").read_text(), end="")
print(Path("a") == Path("a"), Path("a/b").joinpath("c", "d"), Path("."), Path(),
      Path("x.tar.gz").suffixes)
print(os.path.join(out, "z"), str(out / "q"), isinstance(out, Path))
(out / "log.txt").unlink()
print((out / "log.txt").exists())
""",
     """\
runs/exp1 PosixPath('runs/exp1') exp1 runs ('runs', 'exp1') True True runs/exp1/x
.pt ['.best', '.pt'] model.best runs/exp1/model.best.pth runs/exp1/other.pt
True True {'a': 1} True
{'lr': 0.1} ['cfg.json', 'model.best.pt']
['runs/exp1/cfg.json'] a/b/c /x/y z/w
hi
True a/b/c/d . . ['.tar', '.gz']
runs/exp1/z runs/exp1/q True
False
"""),
    ('exit_stack',
     """\
import contextlib
import torch
@contextlib.contextmanager
def tag(name):
    print(f"<{name}>")
    try:
        yield name.upper()
    finally:
        print(f"</{name}>")
with contextlib.ExitStack() as stack:
    a = stack.enter_context(tag("a"))
    stack.callback(print, "callback", 1)
    b = stack.enter_context(tag("b"))
    n = stack.enter_context(torch.no_grad())
    print(a, b, torch.is_grad_enabled())
print(torch.is_grad_enabled())
try:
    with contextlib.ExitStack() as stack:
        stack.enter_context(tag("x"))
        stack.enter_context(contextlib.suppress(KeyError))
        {}["k"]
    print("suppressed")
except KeyError:
    print("not suppressed")
""",
     """\
<a>
<b>
A B False
</b>
callback 1
</a>
True
<x>
</x>
suppressed
"""),
]


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_gd_prints_what_python_prints(name: str, program: str, expected: str) -> None:
    assert gd_output(program) == expected


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_literal_is_what_pytorch_prints(name: str, program: str, expected: str,
                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    if name in IN_PROCESS_DIFFERS:
        pytest.skip("pytest's own handlers on the root logger change basicConfig in process "
                    "(the literal is `python prog.py`'s output, checked by hand)")
    monkeypatch.chdir(tmp_path)  # Python writes the files a program writes: here
    assert torch_output(program) == expected
