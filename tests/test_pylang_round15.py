"""Round 15: more of the Python around real PyTorch scripts (__slots__ refusing other
names, a function's __doc__/__wrapped__/__qualname__ and own attributes, ...): each
program prints what Python with PyTorch prints. The expected text is CPython's, held as a
literal; it is also compared live under torch.
"""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

CASES: list[tuple[str, str, str]] = [
    ('slots',
     'import torch\n'
     'class Vec:\n'
     '    __slots__ = ("x", "y")\n'
     '    def __init__(self, x, y):\n'
     '        self.x, self.y = x, y\n'
     'class Vec3(Vec):\n'
     '    __slots__ = "z"\n'
     'class Loose(Vec):\n'
     '    pass\n'
     'class Dyn:\n'
     '    __slots__ = ("a", "__dict__")\n'
     '    kind = "k"\n'
     'v = Vec(torch.tensor(1.0), 2)\n'
     'for obj, name in ((v, "z"), (Vec3(1, 2), "w")):\n'
     '    try:\n'
     '        setattr(obj, name, 1)\n'
     '    except AttributeError as e:\n'
     '        print(type(e).__name__, e)\n'
     'w = Vec3(1, 2); w.z = 3; print(w.x, w.y, w.z, v.x)\n'
     'l = Loose(1, 2); l.extra = 5; print(l.extra)\n'
     'd = Dyn(); d.b = 1; print(d.b)\n'
     'class Ro:\n'
     '    __slots__ = ("a",)\n'
     '    b = 2\n'
     'try:\n'
     '    Ro().b = 3\n'
     'except AttributeError as e:\n'
     '    print(e)\n',
     "AttributeError 'Vec' object has no attribute 'z'\n"
     "AttributeError 'Vec3' object has no attribute 'w'\n"
     '1 2 3 tensor(1.)\n'
     '5\n'
     '1\n'
     "'Ro' object attribute 'b' is read-only\n"),
    ('funcattrs',
     'import functools\n'
     'import torch\n'
     'def deco(fn):\n'
     '    @functools.wraps(fn)\n'
     '    def wrapper(*a, **k):\n'
     '        """wrapper doc"""\n'
     '        wrapper.calls += 1\n'
     '        return fn(*a, **k)\n'
     '    wrapper.calls = 0\n'
     '    return wrapper\n'
     '@deco\n'
     'def scale(x, factor=2.0, *, bias=0.0):\n'
     '    """Scale a tensor.\n'
     '\n'
     '    Returns x * factor + bias.\n'
     '    """\n'
     '    return x * factor + bias\n'
     'print(scale(torch.ones(2)), scale(torch.ones(1), 3.0))\n'
     'print(scale.__name__, repr(scale.__doc__), scale.__qualname__, scale.calls)\n'
     'print(scale.__wrapped__(torch.tensor(1.0)), scale.__wrapped__.__defaults__, scal'
     'e.__wrapped__.__kwdefaults__)\n'
     'print((lambda a, b=1: 0).__defaults__, (lambda: 0).__doc__, (lambda: 0).__name__'
     ', deco.__doc__)\n'
     'class Net(torch.nn.Module):\n'
     '    def forward(self, x):\n'
     '        "The forward pass."\n'
     '        return x\n'
     '    @staticmethod\n'
     '    def helper():\n'
     '        "static doc"\n'
     'print(Net.forward.__doc__, Net.forward.__qualname__, Net().forward.__doc__, Net.'
     'helper.__doc__, Net().forward.__name__)\n'
     'def timed(fn):\n'
     '    def inner(*a):\n'
     '        return fn(*a)\n'
     '    inner.__name__ = fn.__name__\n'
     '    inner.__doc__ = fn.__doc__\n'
     '    return inner\n'
     '@timed\n'
     'def work():\n'
     '    """Work hard."""\n'
     '    return 1\n'
     'print(work.__name__, work.__doc__, work())\n'
     'for expr in ("scale.missing", "Net().forward.missing"):\n'
     '    try:\n'
     '        eval_ = {"scale.missing": lambda: scale.missing, "Net().forward.missing"'
     ': lambda: Net().forward.missing}[expr]\n'
     '        eval_()\n'
     '    except AttributeError as e:\n'
     '        print(e)\n'
     'registry = {}\n'
     'def register(fn):\n'
     '    registry[fn.__name__] = fn.__doc__\n'
     '    return fn\n'
     '@register\n'
     'def relu_like(x):\n'
     '    "Clamp below zero."\n'
     '    return x.clamp(min=0)\n'
     'print(registry)\n',
     'tensor([2., 2.]) tensor([3.])\n'
     "scale 'Scale a tensor.\\n\\n    Returns x * factor + bias.\\n    ' scale 2\n"
     "tensor(2.) (2.0,) {'bias': 0.0}\n"
     '(1,) None <lambda> None\n'
     'The forward pass. Net.forward The forward pass. static doc forward\n'
     'work Work hard. 1\n'
     "'function' object has no attribute 'missing'\n"
     "'function' object has no attribute 'missing'\n"
     "{'relu_like': 'Clamp below zero.'}\n"),

    ('collections_subclass',
     'import copy\n'
     'import json\n'
     'from collections import Counter, OrderedDict, defaultdict\n'
     'import torch\n'
     'class AttrDict(OrderedDict):\n'
     '    def __getattr__(self, k):\n'
     '        try:\n'
     '            return self[k]\n'
     '        except KeyError:\n'
     '            raise AttributeError(k)\n'
     '    def __setattr__(self, k, v):\n'
     '        self[k] = v\n'
     'cfg = AttrDict(lr=0.1, layers=[2, 3])\n'
     'cfg.dropout = 0.5\n'
     'print(cfg, cfg.lr, cfg["dropout"], list(cfg), len(cfg), "lr" in cfg, isinstance('
     'cfg, OrderedDict), isinstance(cfg, dict))\n'
     'print(json.dumps(cfg), dict(cfg), {**cfg}, cfg.get("x", 7), type(cfg).__name__)\n'
     'try:\n'
     '    cfg.missing\n'
     'except AttributeError as e:\n'
     '    print("AttributeError", e)\n'
     'class LRU(OrderedDict):\n'
     '    def __init__(self, capacity):\n'
     '        super().__init__()\n'
     '        self.capacity = capacity\n'
     '    def get(self, key):\n'
     '        if key not in self:\n'
     '            return -1\n'
     '        self.move_to_end(key)\n'
     '        return self[key]\n'
     '    def put(self, key, value):\n'
     '        self[key] = value\n'
     '        self.move_to_end(key)\n'
     '        if len(self) > self.capacity:\n'
     '            self.popitem(last=False)\n'
     'cache = LRU(2)\n'
     'cache.put(1, torch.tensor(1.0)); cache.put(2, torch.tensor(2.0)); cache.get(1); '
     'cache.put(3, torch.tensor(3.0))\n'
     'print(cache, cache.get(2), list(cache.keys()), cache.capacity)\n'
     'class Vocab(defaultdict):\n'
     '    def __init__(self):\n'
     '        super().__init__(lambda: len(self))\n'
     'v = Vocab()\n'
     'ids = [v[w] for w in "the cat sat on the mat".split()]\n'
     'print(ids, dict(v), len(v), isinstance(v, defaultdict))\n'
     'class Tree(defaultdict):\n'
     '    def __missing__(self, key):\n'
     '        value = self[key] = type(self)(list)\n'
     '        return value\n'
     't = Tree(list)\n'
     't["a"]["b"]["c"] = 1\n'
     'print(t, t["a"]["b"], list(t), type(t["a"]).__name__)\n'
     'class Hist(Counter):\n'
     '    def top(self, n=1):\n'
     '        return [k for k, _ in self.most_common(n)]\n'
     'h = Hist("mississippi")\n'
     'h.update(["s"])\n'
     'print(h, h.top(2), h["z"], h.total(), isinstance(h, Counter), Hist(), sorted(h.e'
     'lements())[:4])\n'
     'h2 = copy.deepcopy(h); h2["m"] += 5\n'
     'print(h["m"], h2["m"], type(h2).__name__)\n'
     'dd = defaultdict(list)\n'
     'dd["x"].append(torch.ones(2))\n'
     'class Plain(dict):\n'
     '    pass\n'
     'print(dd, Plain(a=torch.zeros(1)), len(Vocab()))\n',
     "AttrDict([('lr', 0.1), ('layers', [2, 3]), ('dropout', 0.5)]) 0.1 0.5 ['lr', 'la"
     "yers', 'dropout'] 3 True True True\n"
     '{"lr": 0.1, "layers": [2, 3], "dropout": 0.5} {\'lr\': 0.1, \'layers\': [2, 3], \'dro'
     "pout': 0.5} {'lr': 0.1, 'layers': [2, 3], 'dropout': 0.5} 7 AttrDict\n"
     'AttributeError missing\n'
     'LRU([(1, tensor(1.)), (3, tensor(3.))]) -1 [1, 3] 2\n'
     "[0, 1, 2, 3, 0, 4] {'the': 0, 'cat': 1, 'sat': 2, 'on': 3, 'mat': 4} 5 True\n"
     "Tree(<class 'list'>, {'a': Tree(<class 'list'>, {'b': Tree(<class 'list'>, {'c':"
     " 1})})}) Tree(<class 'list'>, {'c': 1}) ['a'] Tree\n"
     "Hist({'s': 5, 'i': 4, 'p': 2, 'm': 1}) ['s', 'i'] 0 12 True Hist() ['i', 'i', 'i"
     "', 'i']\n"
     '1 6 Hist\n'
     "defaultdict(<class 'list'>, {'x': [tensor([1., 1.])]}) {'a': tensor([0.])} 0\n"),

    ('cmp_to_key_and_percent',
     'import functools\n'
     'import torch\n'
     'def by_loss(a, b):\n'
     '    return (a["loss"] > b["loss"]) - (a["loss"] < b["loss"])\n'
     'runs = [{"name": "a", "loss": 0.3}, {"name": "b", "loss": 0.1}, {"name": "c", "l'
     'oss": 0.2}]\n'
     'print([r["name"] for r in sorted(runs, key=functools.cmp_to_key(by_loss))])\n'
     'print(sorted(["bb", "a", "ccc"], key=functools.cmp_to_key(lambda x, y: len(y) - '
     'len(x))))\n'
     'ts = [torch.tensor(3.0), torch.tensor(1.0), torch.tensor(2.0)]\n'
     'print(sorted(ts, key=functools.cmp_to_key(lambda a, b: (a - b).item())))\n'
     'print(max([3, 1, 2], key=functools.cmp_to_key(lambda a, b: a - b)), min(ts, key='
     'functools.cmp_to_key(lambda a, b: (a - b).item())))\n'
     'nums = [5, 2, 9]\n'
     'nums.sort(key=functools.cmp_to_key(lambda a, b: a - b), reverse=True)\n'
     'K = functools.cmp_to_key(lambda a, b: a - b)\n'
     'print(nums, K(1) < K(2), K(2) == K(2), K(3) >= K(4))\n'
     'try:\n'
     '    K(1) < 2\n'
     'except TypeError as e:\n'
     '    print(e)\n'
     't = torch.tensor([1.5, 2.5])\n'
     'for fmt, arg in (("%.2f", t), ("%d", t), ("%s|%d", (t, t)), ("%.3f", torch.tenso'
     'r([0.25])), ("%d", torch.tensor(7))):\n'
     '    try:\n'
     '        print(fmt % arg)\n'
     '    except ValueError as e:\n'
     '        print("ValueError", e)\n',
     "['b', 'c', 'a']\n"
     "['ccc', 'bb', 'a']\n"
     '[tensor(1.), tensor(2.), tensor(3.)]\n'
     '3 tensor(1.)\n'
     '[9, 5, 2] True True False\n'
     'other argument must be K instance\n'
     'ValueError only one element tensors can be converted to Python scalars\n'
     'ValueError only one element tensors can be converted to Python scalars\n'
     'ValueError only one element tensors can be converted to Python scalars\n'
     '0.250\n'
     '7\n'),

    ('statistics_more',
     'import statistics\n'
     'import torch\n'
     'losses = [0.9, 0.7, 0.4, 0.35, 0.3, 0.28, 0.27, 0.25]\n'
     'print(statistics.quantiles(losses, n=4), statistics.quantiles(losses, n=10, meth'
     'od="inclusive"))\n'
     'print(statistics.multimode("aabbc"), statistics.multimode([1, 1, 2]), statistics'
     '.multimode([]))\n'
     'x = [1, 2, 3, 4, 5]\n'
     'y = [2.1, 3.9, 6.2, 7.8, 10.1]\n'
     'print(statistics.correlation(x, y), statistics.covariance(x, y))\n'
     'fit = statistics.linear_regression(x, y)\n'
     'print(fit, fit.slope, fit.intercept, round(fit.slope * 6 + fit.intercept, 4))\n'
     'print(statistics.linear_regression(x, y, proportional=True))\n'
     'print(statistics.mean([torch.tensor(1.0).item(), 2.0]), statistics.median(losses))\n'
     'for bad in (lambda: statistics.correlation([1, 2], [3]), lambda: statistics.quan'
     'tiles([1], n=4), lambda: statistics.quantiles(losses, n=0)):\n'
     '    try:\n'
     '        bad()\n'
     '    except ValueError as e:\n'
     '        print("ValueError", e)\n',
     '[0.2725, 0.32499999999999996, 0.6249999999999999] [0.264, 0.274, 0.2820000000000'
     '0003, 0.296, 0.325, 0.36, 0.395, 0.5799999999999998, 0.76]\n'
     "['a', 'b'] [1] []\n"
     '0.9986517555689657 4.975\n'
     'LinearRegression(slope=1.9899999999999998, intercept=0.0500000000000016) 1.98999'
     '99999999998 0.0500000000000016 11.99\n'
     'LinearRegression(slope=2.003636363636364, intercept=0.0)\n'
     '1.5 0.32499999999999996\n'
     'ValueError correlation requires that both inputs have same number of data points\n'
     'ValueError must have at least two data points\n'
     'ValueError n must be at least 1\n'),

    ('exception_context',
     'class Bad(ValueError):\n'
     '    pass\n'
     'try:\n'
     '    try:\n'
     '        {}["k"]\n'
     '    except KeyError as e:\n'
     '        raise Bad("wrapped") from e\n'
     'except Bad as e:\n'
     '    print(repr(e), repr(e.__cause__), e.__context__ is e.__cause__, e.__suppress'
     '_context__)\n'
     'try:\n'
     '    try:\n'
     '        1 / 0\n'
     '    except ZeroDivisionError as first:\n'
     '        kept = first\n'
     '        raise RuntimeError("during")\n'
     'except RuntimeError as e:\n'
     '    print(e, e.__context__ is kept, repr(e.__context__), e.__cause__)\n'
     'try:\n'
     '    try:\n'
     '        assert 1 > 2, "order"\n'
     '    except AssertionError as a:\n'
     '        raise TypeError("t") from None\n'
     'except TypeError as e:\n'
     '    print(e.__cause__, e.__suppress_context__, repr(e.__context__))\n',
     "Bad('wrapped') KeyError('k') True True\n"
     "during True ZeroDivisionError('division by zero') None\n"
     "None True AssertionError('order')\n"),

# CASES-END
]


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_gd_prints_what_python_prints(name: str, program: str, expected: str) -> None:
    assert gd_output(program) == expected


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_literal_is_what_pytorch_prints(name: str, program: str, expected: str) -> None:
    assert torch_output(program) == expected
