"""Round 13: more of the Python around real PyTorch scripts (dataclass fields out of
__init__, functools.cached_property and total_ordering, itertools.tee, typing's
decorators and TypedDict, random.Random generators, ...): each program prints what Python
with PyTorch prints. The expected text is CPython's, held as a literal; it is also compared
live under torch.
"""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

CASES: list[tuple[str, str, str]] = [
    ('dataclass_init_false',
     'from dataclasses import dataclass, field, replace, fields\n'
     'import torch\n'
     '@dataclass\n'
     'class WithPost:\n'
     '    a: int\n'
     '    b: int = field(init=False)\n'
     '    c: list = field(default_factory=list, init=False)\n'
     '    d: float = field(default=0.5, init=False, repr=False)\n'
     '    e: str = "x"\n'
     '    def __post_init__(self):\n'
     '        self.b = self.a * 2\n'
     'w = WithPost(3, "y")\n'
     'print(w, w.c, w.d, [f.name for f in fields(w)])\n'
     'print(replace(w, a=5))\n'
     'try:\n'
     '    replace(w, b=1)\n'
     'except ValueError as ex:\n'
     '    print(ex)\n'
     'try:\n'
     '    WithPost(1, b=2)\n'
     'except TypeError as ex:\n'
     '    print(ex)\n'
     '@dataclass\n'
     'class State:\n'
     '    step: int = 0\n'
     '    hist: list = field(default_factory=list, repr=False)\n'
     '    best: float = field(init=False, default=float("inf"))\n'
     's = State(); s.hist.append(1.0); print(s, s.best, s == State())\n'
     '@dataclass\n'
     'class NoDef:\n'
     '    x: torch.Tensor\n'
     '    y: torch.Tensor = field(init=False)\n'
     'n = NoDef(torch.ones(1))\n'
     'try:\n'
     '    print(n)\n'
     'except AttributeError as ex:\n'
     '    print("AttributeError", ex)\n',
     "WithPost(a=3, b=6, c=[], e='y') [] 0.5 ['a', 'b', 'c', 'd', 'e']\n"
     "WithPost(a=5, b=10, c=[], e='y')\n"
     'field b is declared with init=False, it cannot be specified with replace()\n'
     "WithPost.__init__() got an unexpected keyword argument 'b'\n"
     'State(step=0, best=inf) inf False\n'
     "AttributeError 'NoDef' object has no attribute 'y'\n"),
    ('functools_more',
     'import functools\n'
     'from functools import cached_property, total_ordering\n'
     'import itertools\n'
     'import torch\n'
     'class C:\n'
     '    def __init__(self, n): self.n = n\n'
     '    @cached_property\n'
     '    def val(self):\n'
     '        print("computing")\n'
     '        return self.n * 2\n'
     '    @functools.cached_property\n'
     '    def t(self):\n'
     '        return torch.ones(self.n)\n'
     'c = C(3)\n'
     'print(c.val, c.val, c.t)\n'
     'c.val = 10; print(c.val)\n'
     'del c.val; print(c.val)\n'
     '@total_ordering\n'
     'class TO:\n'
     '    def __init__(self, v): self.v = v\n'
     '    def __eq__(self, o): return self.v == o.v\n'
     '    def __lt__(self, o): return self.v < o.v\n'
     '    def __repr__(self): return f"TO({self.v})"\n'
     'print(TO(1) <= TO(2), TO(3) > TO(2), TO(2) >= TO(2), TO(1) > TO(1))\n'
     'print(sorted([TO(3), TO(1)]), max(TO(1), TO(5)))\n'
     '@functools.total_ordering\n'
     'class V:\n'
     '    def __init__(self, v): self.v = v\n'
     '    def __eq__(self, o): return self.v == o.v\n'
     '    def __ge__(self, o): return self.v >= o.v\n'
     'print(V(1) < V(2), V(1) <= V(1), V(2) > V(1))\n'
     'a, b = itertools.tee(iter([1, 2, 3]))\n'
     'print(next(a), list(a), list(b))\n'
     'x, y, z = itertools.tee(range(2), 3)\n'
     'print(list(x), list(y), list(z))\n',
     'computing\n'
     '6 6 tensor([1., 1., 1.])\n'
     '10\n'
     'computing\n'
     '6\n'
     'True True True False\n'
     '[TO(1), TO(3)] TO(5)\n'
     'True True True\n'
     '1 [2, 3] [1, 2, 3]\n'
     '[0, 1] [0, 1] [0, 1]\n'),
    ('typing_more',
     'from typing import Optional, Protocol, TypedDict, overload, final, runtime_checkable\n'
     'from typing import NewType, Text, ParamSpec\n'
     'import torch\n'
     'class Cfg(TypedDict):\n'
     '    lr: float\n'
     '    n: int\n'
     'c: Cfg = {"lr": 0.1, "n": 2}\n'
     'print(c, Cfg(lr=1.0, n=3))\n'
     'UserId = NewType("UserId", int)\n'
     'print(UserId(5), Text, ParamSpec("P"))\n'
     '@overload\n'
     'def ov(x: int) -> int: ...\n'
     '@overload\n'
     'def ov(x: str) -> str: ...\n'
     'def ov(x):\n'
     '    return x\n'
     'print(ov(3), ov("s"))\n'
     '@final\n'
     'class Fin:\n'
     '    pass\n'
     '@runtime_checkable\n'
     'class HasForward(Protocol):\n'
     '    def forward(self, x: torch.Tensor) -> torch.Tensor: ...\n'
     'print(type(Fin()).__name__, Optional[Text])\n',
     "{'lr': 0.1, 'n': 2} {'lr': 1.0, 'n': 3}\n"
     "5 <class 'str'> ~P\n"
     '3 s\n'
     'Fin typing.Optional[str]\n'),
    ('random_generators',
     'import random\n'
     'random.seed(42)\n'
     'print(random.random(), random.randint(1, 10))\n'
     'rng = random.Random(0)\n'
     'print(rng.random(), rng.randint(0, 5), rng.choice("abc"), rng.sample(range(10), 3))\n'
     'l = list(range(6)); rng.shuffle(l); print(l)\n'
     'print(random.Random(7).gauss(0, 1))\n'
     'st = random.getstate(); a = random.random(); random.setstate(st); prin'
     't(a == random.random())\n'
     's2 = rng.getstate(); x = rng.uniform(0, 1); rng.setstate(s2); print(x '
     '== rng.uniform(0, 1))\n'
     'rng.seed(3); print(rng.randrange(100), rng.choices([1, 2, 3], k=5), rn'
     'g.getrandbits(5))\n'
     'print(random.lognormvariate(0, 1), random.gammavariate(2, 1))\n'
     'print(random.random())\n'
     'class Aug:\n'
     '    def __init__(self, seed):\n'
     '        self.rng = random.Random(seed)\n'
     '    def __call__(self, x):\n'
     '        return x * self.rng.uniform(0.9, 1.1)\n'
     'aug = Aug(1)\n'
     'print([round(aug(1.0), 6) for _ in range(3)])\n',
     '0.6394267984578837 1\n'
     '0.8444218515250481 3 a [4, 8, 7]\n'
     '[4, 0, 1, 5, 2, 3]\n'
     '-0.2558802884476004\n'
     'True\n'
     'True\n'
     '30 [2, 1, 3, 2, 2] 19\n'
     '0.601327007923184 0.5714438637999645\n'
     '0.5453665337483498\n'
     '[0.926873, 1.069487, 1.052755]\n'),
    ('re_module',
     'import re\n'
     's = "epoch 3: loss=0.1234, acc=98.5%"\n'
     'm = re.search(r"loss=([\\d.]+)", s)\n'
     'print(m.group(1), float(m.group(1)), m.span(), m.group(0))\n'
     'print(re.findall(r"\\d+\\.?\\d*", s))\n'
     'print(re.sub(r"\\s+", " ", "a   b \\t c"), re.split(r"[,:]\\s*", s))\n'
     'p = re.compile(r"(?P<key>\\w+)=(?P<val>[\\d.]+)")\n'
     'for mm in p.finditer(s):\n'
     '    print(mm.group("key"), mm["val"], mm.groupdict())\n'
     'print(bool(re.match(r"epoch", s)), re.fullmatch(r"\\d+", "123") is not '
     'None, re.escape("a.b"))\n'
     'print(re.sub(r"(\\w)(\\d)", r"\\2\\1", "a1 b2"), re.sub(r"\\d", lambda m: s'
     'tr(int(m.group()) * 2), "a1b2"))\n'
     'print(re.IGNORECASE, re.findall(r"LOSS", s, re.I), re.findall(r"(\\w)=('
     '\\d)", "a=1 b=2"))\n',
     '0.1234 0.1234 (9, 20) loss=0.1234\n'
     "['3', '0.1234', '98.5']\n"
     "a b c ['epoch 3', 'loss=0.1234', 'acc=98.5%']\n"
     "loss 0.1234 {'key': 'loss', 'val': '0.1234'}\n"
     "acc 98.5 {'key': 'acc', 'val': '98.5'}\n"
     'True True a\\.b\n'
     '1a 2b a2b4\n'
     "re.IGNORECASE ['loss'] [('a', '1'), ('b', '2')]\n"),
    ('re_tutorial_forms',
     'import re\n'
     'import unicodedata\n'
     'import torch\n'
     'def unicodeToAscii(s):\n'
     "    return ''.join(c for c in unicodedata.normalize('NFD', s) if unico"
     "dedata.category(c) != 'Mn')\n"
     'def normalizeString(s):\n'
     '    s = unicodeToAscii(s.lower().strip())\n'
     '    s = re.sub(r"([.!?])", r" \\1", s)\n'
     '    s = re.sub(r"[^a-zA-Z!?]+", r" ", s)\n'
     '    return s.strip()\n'
     'print(normalizeString("  Héllo, Wörld!  Ça va? "))\n'
     'm = re.match(r"(\\w+) (\\w+)", "Isaac Newton, physicist")\n'
     'print(m, m[0], m[1], m.group(1, 2), m.groups(), m.start(2), m.end(), m'
     '.lastindex, m.re.pattern)\n'
     'print(re.search("x", "abc"), bool(re.search("b", "abc")))\n'
     'p = re.compile(r"(\\d+)-(\\d+)", re.IGNORECASE | re.MULTILINE)\n'
     'print(p, p.pattern, p.groups, p.flags, p.findall("1-2 and 33-44"), p.s'
     'ub(r"\\2-\\1", "1-2 x 3-4"))\n'
     'print(re.split(r"(,)", "a,b,c"), re.split(r"\\W+", "Words, words, words'
     '.", maxsplit=1), re.subn(r"a", "b", "aaa"))\n'
     'print(re.I, re.M | re.S, re.compile("a", re.X).flags)\n'
     'try:\n'
     '    re.compile("(unclosed")\n'
     'except re.error as e:\n'
     '    print("re.error:", e)\n'
     'print(re.sub(r"(?P<w>\\w+)@", lambda m: m.group("w").upper() + "#", "jo'
     'e@ x bob@"), re.fullmatch(r"a+", "aab"))\n'
     'vocab = {}\n'
     'for tok in re.findall(r"\\w+|[^\\w\\s]", "Hello, world! Hello again."):\n'
     '    vocab[tok] = vocab.get(tok, 0) + 1\n'
     'print(vocab)\n'
     'line = "Epoch [3/10], Step [100/600], Loss: 0.2345"\n'
     'ep, tot, step, n, loss = re.search(r"Epoch \\[(\\d+)/(\\d+)\\], Step \\[(\\d'
     '+)/(\\d+)\\], Loss: ([\\d.]+)", line).groups()\n'
     'print(int(ep), float(loss), torch.tensor([float(loss)]))\n'
     'print(re.sub(r"\\s+", " ", "a \\n b"), re.escape("1.0+2"), [m.span() for'
     ' m in re.finditer(r"o", "foo boo")])\n'
     'print(re.findall(r"(a)(b)?", "ab a"), re.match(r"(?P<first>\\w)(?P<rest'
     '>\\w*)", "hello").groupdict())\n'
     'print(re.compile(r"\\d").search("ab12", 3), re.compile(r"\\d").match("a1", 1))\n'
     'try:\n'
     '    m.group(5)\n'
     'except IndexError as e:\n'
     '    print("IndexError", e)\n'
     'print(re.search(r"^b", "a\\nb", re.M), re.search(r"^b", "a\\nb", flags=r'
     'e.M).start())\n',
     'hello world ! ca va ?\n'
     "<re.Match object; span=(0, 12), match='Isaac Newton'> Isaac Newton Isa"
     "ac ('Isaac', 'Newton') ('Isaac', 'Newton') 6 12 2 (\\w+) (\\w+)\n"
     'None True\n'
     "re.compile('(\\\\d+)-(\\\\d+)', re.IGNORECASE|re.MULTILINE) (\\d+)-(\\d+) 2 "
     "42 [('1', '2'), ('33', '44')] 2-1 x 4-3\n"
     "['a', ',', 'b', ',', 'c'] ['Words', 'words, words.'] ('bbb', 3)\n"
     're.IGNORECASE re.MULTILINE|re.DOTALL 96\n'
     're.error: missing ), unterminated subpattern at position 0\n'
     'JOE# x BOB# None\n'
     "{'Hello': 2, ',': 1, 'world': 1, '!': 1, 'again': 1, '.': 1}\n"
     '3 0.2345 tensor([0.2345])\n'
     'a b 1\\.0\\+2 [(1, 2), (2, 3), (5, 6), (6, 7)]\n'
     "[('a', 'b'), ('a', '')] {'first': 'h', 'rest': 'ello'}\n"
     "<re.Match object; span=(3, 4), match='2'> <re.Match object; span=(1, 2), match='1'>\n"
     'IndexError no such group\n'
     "<re.Match object; span=(2, 3), match='b'> 2\n"),
    ('multiple_inheritance',
     'import torch\n'
     'import torch.nn as nn\n'
     'class A:\n'
     '    def __init__(self):\n'
     '        print("A init")\n'
     '        super().__init__()\n'
     '    def who(self): return "A"\n'
     'class B(A):\n'
     '    def __init__(self):\n'
     '        print("B init")\n'
     '        super().__init__()\n'
     '    def who(self): return "B" + super().who()\n'
     'class C(A):\n'
     '    def __init__(self):\n'
     '        print("C init")\n'
     '        super().__init__()\n'
     '    def who(self): return "C" + super().who()\n'
     'class D(B, C):\n'
     '    def __init__(self):\n'
     '        print("D init")\n'
     '        super().__init__()\n'
     '    def who(self): return "D" + super().who()\n'
     'd = D()\n'
     'print(d.who(), isinstance(d, C), issubclass(D, A), isinstance(d, B))\n'
     'class LogMixin:\n'
     '    def log(self, msg):\n'
     '        print(f"[{type(self).__name__}] {msg}")\n'
     'class SerializeMixin:\n'
     '    def describe(self):\n'
     '        return ", ".join(f"{k}={v}" for k, v in sorted(vars(self).items()))\n'
     'class Point(LogMixin, SerializeMixin):\n'
     '    def __init__(self, x, y):\n'
     '        self.x, self.y = x, y\n'
     'p = Point(1, 2)\n'
     'p.log(p.describe())\n'
     'class Net(nn.Module, LogMixin):\n'
     '    def __init__(self):\n'
     '        super().__init__()\n'
     '        self.fc = nn.Linear(2, 1)\n'
     '    def forward(self, x):\n'
     '        self.log(f"input {tuple(x.shape)}")\n'
     '        return self.fc(x)\n'
     'torch.manual_seed(0)\n'
     'n = Net()\n'
     'print(n(torch.ones(3, 2)))\n'
     'print(n, isinstance(n, nn.Module), isinstance(n, LogMixin))\n'
     'class Net2(LogMixin, nn.Module):\n'
     '    def __init__(self):\n'
     '        super().__init__()\n'
     '        self.w = nn.Parameter(torch.ones(2))\n'
     '    def forward(self, x):\n'
     '        return (self.w * x).sum()\n'
     'n2 = Net2()\n'
     'print(n2(torch.ones(2)), list(n2.parameters()), n2.training)\n'
     'n2.log("ok")\n'
     'class Ds(torch.utils.data.Dataset, LogMixin):\n'
     '    def __len__(self): return 2\n'
     '    def __getitem__(self, i): return i\n'
     'ds = Ds(); ds.log("ds"); print(len(ds), ds[1], list(torch.utils.data.D'
     'ataLoader(ds, batch_size=2)))\n'
     'try:\n'
     '    class X(A, B):\n'
     '        pass\n'
     'except TypeError as e:\n'
     '    print("TypeError", e)\n'
     'class Base1:\n'
     '    tag = "b1"\n'
     '    def f(self): return 1\n'
     'class Base2:\n'
     '    tag = "b2"\n'
     '    def f(self): return 2\n'
     '    def g(self): return "g2"\n'
     'class M(Base1, Base2): pass\n'
     'print(M.tag, M().f(), M().g())\n'
     'from abc import ABC, abstractmethod\n'
     'class Shape(ABC):\n'
     '    @abstractmethod\n'
     '    def area(self): ...\n'
     'class Named:\n'
     '    def name(self): return type(self).__name__\n'
     'class Sq(Named, Shape):\n'
     '    def area(self): return 4\n'
     'class Bad(Named, Shape): pass\n'
     'print(Sq().area(), Sq().name())\n'
     'try:\n'
     '    Bad()\n'
     'except TypeError as e:\n'
     '    print(e)\n'
     'class Kw:\n'
     '    def __init__(self, a=0, **kw):\n'
     '        super().__init__(**kw)\n'
     '        self.a = a\n'
     'class Kw2:\n'
     '    def __init__(self, b=0, **kw):\n'
     '        super().__init__(**kw)\n'
     '        self.b = b\n'
     'class Both(Kw, Kw2):\n'
     '    pass\n'
     'o = Both(a=1, b=2)\n'
     'print(o.a, o.b)\n',
     'D init\n'
     'B init\n'
     'C init\n'
     'A init\n'
     'DBCA True True True\n'
     '[Point] x=1, y=2\n'
     '[Net] input (3, 2)\n'
     'tensor([[-0.2080],\n'
     '        [-0.2080],\n'
     '        [-0.2080]], grad_fn=<AddmmBackward0>)\n'
     'Net(\n'
     '  (fc): Linear(in_features=2, out_features=1, bias=True)\n'
     ') True True\n'
     'tensor(2., grad_fn=<SumBackward0>) [Parameter containing:\n'
     'tensor([1., 1.], requires_grad=True)] True\n'
     '[Net2] ok\n'
     '[Ds] ds\n'
     '2 1 [tensor([0, 1])]\n'
     'TypeError Cannot create a consistent method resolution\n'
     'order (MRO) for bases A, B\n'
     'b1 1 g2\n'
     '4 Sq\n'
     "Can't instantiate abstract class Bad with abstract method area\n"
     '1 2\n'),
    ('mixins_with_torch',
     'import torch\n'
     'import torch.nn as nn\n'
     'from abc import ABC, abstractmethod\n'
     'from typing import Generic, TypeVar\n'
     'T = TypeVar("T")\n'
     'class Base(ABC):\n'
     '    @abstractmethod\n'
     '    def run(self): ...\n'
     'class Model(nn.Module, ABC):\n'
     '    def __init__(self):\n'
     '        super().__init__()\n'
     '        self.l = nn.Linear(1, 1)\n'
     '    @abstractmethod\n'
     '    def head(self): ...\n'
     'class M2(Model):\n'
     '    def head(self): return "h"\n'
     '    def forward(self, x): return self.l(x)\n'
     'torch.manual_seed(0)\n'
     'print(M2().head(), M2())\n'
     'class Store(Generic[T], Base):\n'
     '    def run(self): return "run"\n'
     'print(Store().run())\n'
     'class LogMixin:\n'
     '    def log(self, msg): print(f"[{type(self).__name__}] {msg}")\n'
     'class Trainer(LogMixin, Base):\n'
     '    def run(self): self.log("running")\n'
     'Trainer().run()\n'
     'class Ds(torch.utils.data.Dataset, LogMixin):\n'
     '    def __len__(self): return 2\n'
     '    def __getitem__(self, i): return i\n'
     'd = Ds(); d.log("ds"); print(len(d), d[1])\n',
     'h M2(\n'
     '  (l): Linear(in_features=1, out_features=1, bias=True)\n'
     ')\n'
     'run\n'
     '[Trainer] running\n'
     '[Ds] ds\n'
     '2 1\n'),
]


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_gd_prints_what_python_prints(name: str, program: str, expected: str) -> None:
    assert gd_output(program) == expected


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_literal_is_what_pytorch_prints(name: str, program: str, expected: str) -> None:
    assert torch_output(program) == expected


def _run(program: str, **limits: object) -> tuple[int, str, str]:
    import io

    from gradcli.app import AppOptions, run
    from gradcli.cli import exit_status
    from gradcli.errors import GdError
    from gradcli.limits import DEFAULT_LIMITS
    from gradcli.records import replace
    from gradcli.source import Source

    buf = io.StringIO()
    try:
        run(Source("p.gd", program), AppOptions(write=buf.write,
                                                limits=replace(DEFAULT_LIMITS, **limits)))
    except GdError as e:
        return exit_status(e), e.message, buf.getvalue()
    return 0, "", buf.getvalue()


def test_a_regular_expression_that_backtracks_without_end_meets_the_time_limit() -> None:
    # (a+)+$ on 40 a's and a b takes 2**40 steps in Python's engine: one call that no
    # step check sees. Its timer ends it at the command's time limit, try cannot keep it.
    code, message, out = _run(
        "import re\nprint('start')\ntry:\n    re.match(r'(a+)+$', 'a' * 40 + 'b')\n"
        "except Exception as e:\n    print('caught', e)\nprint('after')\n", max_time=1.0)
    assert code == 4 and message.startswith("time limit reached"), message
    assert out == "start\n"
    # the same through sub with a gd function as the replacement, and through findall
    for call in ("re.sub(r'(a+)+$', lambda m: 'x', 'a' * 40 + 'b')",
                 "re.findall(r'(a|aa)+$', 'a' * 60 + 'b')"):
        code, message, _ = _run(f"import re\n{call}\n", max_time=1.0)
        assert code == 4 and message.startswith("time limit reached"), (call, message)


def test_what_a_regular_expression_builds_is_within_the_caps() -> None:
    for call in ("re.sub('', 'x' * 100_000, 'a' * 1_000)",
                 "re.sub('', lambda m: 'x' * 100_000, 'a' * 1_000)",
                 "re.findall('(?=(.*))', 'a' * 10_000)",
                 r"re.sub('(?=(.*))', r'\1', 'a' * 10_000)"):
        code, message, _ = _run(f"import re\n{call}\n")
        assert code == 4 and "exceeds the limit" in message, (call, message)
