"""random, itertools, functools, collections and numpy in gd: Python's and numpy's own
values and printing (the expected texts are CPython 3.11's with numpy 2 and PyTorch 2.13),
each module's state reset per run, and the sandbox around them."""

from __future__ import annotations

import contextlib
import io

import pytest
from pyrun import gd_output, torch_output

from gradcli.app import AppOptions, run
from gradcli.cli import exit_status
from gradcli.errors import GdError
from gradcli.source import Source

CASES = [
    ("""\
import random
random.seed(42)
print(random.random(), random.randint(1, 10), random.choice([1, 2, 3]))
xs = list(range(10))
random.shuffle(xs)
print(xs)
print(random.sample(range(100), 5), random.uniform(0, 1), random.gauss(0, 1))
""",
     '0.6394267984578837 1 3\n'
     '[7, 6, 2, 9, 0, 5, 1, 8, 3, 4]\n'
     '[4, 3, 11, 27, 29] 0.5053552881033624 0.6566365067986689\n'),
    ("""\
import random
random.seed(0)
print(random.choices(['a', 'b', 'c'], weights=[1, 2, 3], k=5))
print(random.randrange(0, 100, 5))
print(random.getrandbits(8))
""",
     "['c', 'c', 'b', 'b', 'c']\n"
     '60\n'
     '235\n'),
    ("""\
import itertools
print(list(itertools.product([1, 2], 'ab')))
print(list(itertools.combinations(range(4), 2)))
print(list(itertools.permutations([1, 2, 3], 2)))
print(list(itertools.islice(itertools.count(5, 2), 4)))
print(list(itertools.accumulate([1, 2, 3, 4])))
print(list(itertools.chain([1], (2, 3))))
print(list(itertools.zip_longest([1, 2], [3], fillvalue=0)))
""",
     "[(1, 'a'), (1, 'b'), (2, 'a'), (2, 'b')]\n"
     '[(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]\n'
     '[(1, 2), (1, 3), (2, 1), (2, 3), (3, 1), (3, 2)]\n'
     '[5, 7, 9, 11]\n'
     '[1, 3, 6, 10]\n'
     '[1, 2, 3]\n'
     '[(1, 3), (2, 0)]\n'),
    ("""\
import itertools
for k, g in itertools.groupby('aabbbc'):
    print(k, list(g))
print(list(itertools.pairwise([1, 2, 3])), list(itertools.starmap(pow, [(2, 3), (3, 2)])))
print(list(itertools.takewhile(lambda x: x < 3, [1, 2, 3, 1])))
print(list(itertools.repeat('x', 3)))
""",
     "a ['a', 'a']\n"
     "b ['b', 'b', 'b']\n"
     "c ['c']\n"
     '[(1, 2), (2, 3)] [8, 9]\n'
     '[1, 2]\n'
     "['x', 'x', 'x']\n"),
    ("""\
import functools
print(functools.reduce(lambda a, b: a * b, [1, 2, 3, 4]))
print(functools.reduce(lambda a, b: a + b, [], 7))
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
fib = functools.lru_cache(maxsize=None)(fib)
print(fib(60))
p = functools.partial(pow, 2)
print(p(10), functools.partial(max, 3)(1, 2))
""",
     '24\n'
     '7\n'
     '1548008755920\n'
     '1024 3\n'),
    ("""\
from collections import OrderedDict, defaultdict, Counter, deque
import torch
d = OrderedDict()
d['b'] = 1
d['a'] = torch.tensor([1., 2.])
print(d)
d.move_to_end('b')
print(list(d.keys()), d.popitem(last=False))
dd = defaultdict(list)
dd['x'].append(1)
dd['y'].append(2)
dd['x'].append(3)
print(dd, dict(dd), len(dd))
""",
     "OrderedDict([('b', 1), ('a', tensor([1., 2.]))])\n"
     "['a', 'b'] ('a', tensor([1., 2.]))\n"
     "defaultdict(<class 'list'>, {'x': [1, 3], 'y': [2]}) {'x': [1, 3], 'y': [2]} 2\n"),
    ("""\
from collections import Counter, deque, OrderedDict
c = Counter('abracadabra')
print(c.most_common(2), c['a'], c['z'])
q = deque([1, 2, 3], maxlen=3)
q.append(4)
q.appendleft(0)
print(q, q[0], len(q), q.maxlen)
q.rotate(1)
print(q, q.popleft(), list(q))
print(OrderedDict([('x', 1), ('y', 2)]), OrderedDict(a=1).copy())
""",
     "[('a', 5), ('b', 2)] 5 0\n"
     'deque([0, 2, 3], maxlen=3) 0 3 3\n'
     'deque([0, 2], maxlen=3) 3 [0, 2]\n'
     "OrderedDict([('x', 1), ('y', 2)]) OrderedDict([('a', 1)])\n"),
    ("""\
import numpy as np
np.random.seed(0)
a = np.random.rand(3, 2)
print(a)
print(np.random.randn(4))
x = np.linspace(0, 1, 5)
print(x, x.dtype, np.mean(x), np.sum(x ** 2))
print(np.random.randint(0, 10, size=5), np.random.normal(0, 1, (2,)))
print(np.arange(6).reshape(2, 3), np.float32(1.5), np.exp(1.0))
""",
     '[[0.5488135  0.71518937]\n'
     ' [0.60276338 0.54488318]\n'
     ' [0.4236548  0.64589411]]\n'
     '[ 0.95008842 -0.15135721 -0.10321885  0.4105985 ]\n'
     '[0.   0.25 0.5  0.75 1.  ] float64 0.5 1.875\n'
     '[6 7 7 8 1] [0.48431215 0.57914048]\n'
     '[[0 1 2]\n'
     ' [3 4 5]] 1.5 2.718281828459045\n'),
    ("""\
import numpy as np
import torch
x = np.linspace(0, 1, 5)
t = torch.from_numpy(x)
print(t)
print(torch.tensor(np.array([[1, 2], [3, 4]]), dtype=torch.float32))
print(np.allclose(t.numpy(), x), np.pi, np.zeros((2, 2), dtype=np.float32))
np.random.seed(1)
w = torch.tensor(np.random.randn(3), requires_grad=True)
(w ** 2).sum().backward()
print(w.grad.numpy(), np.array_equal(w.grad.numpy(), 2 * w.detach().numpy()))
""",
     'tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000], dtype=torch.float64)\n'
     'tensor([[1., 2.],\n'
     '        [3., 4.]])\n'
     'True 3.141592653589793 [[0. 0.]\n'
     ' [0. 0.]]\n'
     '[ 3.24869073 -1.22351283 -1.0563435 ] True\n'),
    ("""\
import numpy as np
import torch
np.random.seed(0)
X = np.random.rand(100, 1).astype(np.float32) if False else np.random.rand(100, 1)
y = 2 * X + 1 + 0.1 * np.random.randn(100, 1)
Xt = torch.from_numpy(X).float()
yt = torch.from_numpy(y).float()
w = torch.zeros(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for _ in range(200):
    loss = ((Xt * w + b - yt) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.5 * w.grad
        b -= 0.5 * b.grad
        w.grad.zero_()
        b.grad.zero_()
print(w, b, round(loss.item(), 6))
""",
     'tensor([1.9937], requires_grad=True) tensor([1.0222], requires_grad=True) 0.0099'
     '24\n'),
    ("""\
import numpy as np
print(np.dot([1, 2], [3, 4]), np.linalg.norm([3.0, 4.0]), np.linalg.inv(np.eye(2) * 2))
print(np.concatenate([np.ones(2), np.zeros(2)]))
print(np.stack([np.arange(2), np.arange(2)]))
print(np.where(np.arange(4) > 1, 1, 0))
print(np.argmax([1, 5, 2]))
print(np.max(np.array([[1, 2], [3, 4]]), axis=0))
print(np.std([1.0, 2.0, 3.0]))
""",
     '11 5.0 [[0.5 0. ]\n'
     ' [0.  0.5]]\n'
     '[1. 1. 0. 0.]\n'
     '[[0 1]\n'
     ' [0 1]]\n'
     '[0 0 1 1]\n'
     '1\n'
     '[3 4]\n'
     '0.816496580927726\n'),
    ("""\
import numpy as np
import random
from collections import OrderedDict
import torch

np.random.seed(0)
x = np.linspace(0, 1, 5)
print(x, np.random.rand(2))
t = torch.from_numpy(x)
print(t)
random.seed(42)
xs = list(range(6))
random.shuffle(xs)
print(xs, OrderedDict(a=1))
""",  # the README's example
     '[0.   0.25 0.5  0.75 1.  ] [0.5488135  0.71518937]\n'
     'tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000], dtype=torch.float64)\n'
     "[3, 1, 2, 4, 0, 5] OrderedDict([('a', 1)])\n"),
    ("""\
import numpy as np
import torch
x = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)
print(x.astype(np.float64).dtype, x.shape, x.T, type(x))
print(isinstance(x, np.ndarray))
t = torch.tensor(x)
print(t, t.dtype)
y = t.numpy() * 2
print(y, y.mean(), y.sum(axis=0))
print(np.round(np.array([1.234, 2.345]), 2), np.float64(2.5) * 2)
a = np.zeros(3)
a[1] = 5
print(a, a.tolist(), list(a))
print(f"{np.pi:.3f}", "%.2f" % np.float32(1.5))
""",
     'float64 (2, 2) [[1. 3.]\n'
     " [2. 4.]] <class 'numpy.ndarray'>\n"
     'True\n'
     'tensor([[1., 2.],\n'
     '        [3., 4.]]) torch.float32\n'
     '[[2. 4.]\n'
     ' [6. 8.]] 5.0 [ 8. 12.]\n'
     '[1.23 2.35] 5.0\n'
     '[0. 5. 0.] [0.0, 5.0, 0.0] [np.float64(0.0), np.float64(5.0), np.float64(0.0)]\n'
     '3.142 1.50\n'),
]


@pytest.mark.parametrize(("program", "expected"), CASES)
def test_output_is_pythons(program: str, expected: str) -> None:
    assert gd_output(program) == expected


@pytest.mark.parametrize(("program", "expected"), CASES)
def test_expected_text_is_what_python_prints(program: str, expected: str) -> None:
    assert torch_output(program) == expected


def test_random_state_starts_over_every_run() -> None:
    program = ("import random\nimport numpy as np\n"
               "print(random.random(), np.random.rand())\n")
    first = gd_output(program)
    assert gd_output(program) == first
    assert gd_output("import random\nrandom.seed(0)\nprint(random.random())\n") == \
        "0.8444218515250481\n"


def outcome(program: str) -> tuple[int, str, str]:
    """(exit code, error message, printed text) of a program run in this process."""
    buf = io.StringIO()
    try:
        run(Source("prog.gd", program), AppOptions(write=buf.write))
    except GdError as e:
        return exit_status(e), e.message, buf.getvalue()
    return 0, "", buf.getvalue()


HOSTILE = [
    ("import numpy as np\nnp.load('x.npy')", "module 'numpy' has no attribute 'load'"),
    ("import numpy as np\nnp.vectorize(print)", "module 'numpy' has no attribute 'vectorize'"),
    ("import numpy as np\nnp.set_printoptions(formatter={'float': print})",
     "formatter (a function numpy calls back) is not supported in gd"),
    ("import numpy as np\nnp.set_printoptions(override_repr=print)",
     "override_repr (a function numpy calls back) is not supported in gd"),
    ("import numpy as np\nnp.array([print])",
     "a numpy array cannot take a 'builtin_function_or_method' value"),
    ("import numpy as np\nnp.array('abc')", "numpy arrays of dtype <U3 are not supported in gd"),
    ("import numpy as np\nnp.array([1], dtype='O')",
     "numpy arrays of dtype object are not supported in gd"),
    ("import numpy as np\nnp.zeros(10**12)", "exceeds the limit"),
    ("import numpy as np\nnp.arange(10**12)", "exceeds the limit"),
    ("import numpy as np\nnp.random.rand(10**6, 10**6)", "exceeds the limit"),
    ("import numpy as np\nnp.random.__dict__", "names starting with '_' are private"),
    ("import numpy as np\nnp.float32.__class__.__dict__", "names starting with '_' are private"),
    ("import numpy as np\nnp.random.seed.fn", "'function' object has no attribute 'fn'"),
    ("import numpy as np\nnp.float32.type_", "'function' object has no attribute 'type_'"),
    ("import numpy as np\nnp.ones(3).ctypes", "'numpy.ndarray' object has no attribute"),
    ("import functools\nfunctools.partial(print, 1).target", "has no attribute 'target'"),
    ("import functools\nfunctools.cache(abs).results", "has no attribute 'results'"),
    ("import random\nrandom.Random(0).rng", "'Random' object has no attribute 'rng'"),
    ("import random\nrandom.setstate([1])", "state vector must be a tuple"),
    ("import random\nrandom.setstate((1, 2))", "state with version 1 passed"),
    ("import random\nrandom._inst", "names starting with '_' are private"),
    ("import random\nrandom.seed(print)", "The only supported seed types are"),
    ("import random\nrandom.shuffle(5)", "random.shuffle of a 'int' value is not supported"),
    ("import collections\ncollections.defaultdict(list).default_factory.__class__.__dict__",
     "names starting with '_'"),
    ("import collections\ncollections.defaultdict(list).factory", "has no attribute"),
    ("import functools\nfunctools.cache(abs).wrapped", "has no attribute 'wrapped'"),
    ("import functools\nfunctools.cache(abs).cache_info().__class__.__dict__",
     "has no attribute"),
    ("import functools\nfunctools.partial(print, 1).func.__self__", "names starting with"),
    ("import functools\nfunctools.partial(print, 1).call", "has no attribute 'call'"),
    ("import functools\nfunctools.partial(print, 1).args = ()", "readonly attribute"),
    ("import collections\ncollections.OrderedDict.__init__", "names starting with '_'"),
    ("import collections\ncollections.deque(range(10**9))", "exceeds the limit of"),
    ("import collections\ncollections.Counter(range(10**9))", "exceeds the limit of"),
    ("import itertools\nitertools.count().it", "has no attribute 'it'"),
    # astype reaches only bool, integer and float arrays (it is not on the escape list)
    ("import numpy as np\nnp.ones(2).astype('O')", "cannot take a 'str' value"),
    ("import numpy as np\nnp.ones(2).astype('U3')", "cannot take a 'str' value"),
    ("import numpy as np\nnp.ones(2).astype(print)",
     "cannot take a 'builtin_function_or_method' value"),
]


@pytest.mark.parametrize(("program", "message"), HOSTILE)
def test_hostile_uses_are_clean_errors(program: str, message: str) -> None:
    code, text, _ = outcome(program)
    assert code in (1, 4) and message in text, text


@pytest.mark.parametrize("program", [
    "list(itertools.count())", "list(itertools.repeat(1))",
    "list(itertools.product(range(10**6), repeat=3))", "list(itertools.cycle([1, 2]))",
    "sum(1 for _ in itertools.count())",
])
def test_endless_iterators_stop_at_a_limit_no_try_swallows(program: str) -> None:
    for handler in ("except Exception:", "except:"):
        code, text, out = outcome(f"import itertools\ntry:\n    v = {program}\n{handler}\n"
                                  "    print('swallowed')\n")
        assert code == 4 and any(m in text for m in ("exceeds the limit", "step limit",
                                                     "more than the limit")), text
        assert "swallowed" not in out


def test_warnings_warn_and_ignore() -> None:
    shown: list[str] = []
    program = ("import warnings\nimport torch\nwarnings.warn('hello')\n"
               "y = torch.ones(2, requires_grad=True) * 2\nprint(y.grad)\n"
               "warnings.filterwarnings('ignore')\nwarnings.warn('hidden')\nprint(y.grad)\n")
    buf = io.StringIO()
    run(Source("p.gd", program), AppOptions(write=buf.write, warn=shown.append))
    assert buf.getvalue() == "None\nNone\n"
    assert len(shown) == 2 and "UserWarning: hello" in shown[0]
    assert "not a leaf Tensor" in shown[1]
    again: list[str] = []  # the next run shows warnings again
    run(Source("p.gd", "import warnings\nwarnings.warn('x')\n"), AppOptions(warn=again.append))
    assert len(again) == 1


_DEFAULT_RNG = """\
import numpy as np
rng = np.random.default_rng(42)
print(rng.random(3), rng.normal(size=(2, 2)), rng.standard_normal(4))
print(rng.integers(0, 10, size=5), rng.uniform(-1, 1, 3), rng.integers(5))
print(rng.choice(10, 3, replace=False), rng.permutation(5))
a = np.arange(6)
rng.shuffle(a)
rows = [1, 2, 3, 4, 5]
rng.shuffle(rows)
print(a, rows)
rng2 = np.random.default_rng(seed=0)
print(rng2.integers(low=0, high=100, size=(2, 3)), rng2.random(), rng2.normal(0.5, 2.0))
print(rng2.choice([0.1, 0.2, 0.3], size=4, p=[0.2, 0.3, 0.5]))
print(rng2.permuted(np.arange(6).reshape(2, 3), axis=1))
print(rng2.multivariate_normal([0, 0], [[1, 0], [0, 1]], size=2))
print(rng2.exponential(2.0, 3), rng2.poisson(3.0, 3), rng2.binomial(10, 0.3, 3))
print(rng2.permutation(10)[:3].dtype, rng2.uniform(size=2).tolist())
"""


def test_default_rng_draws_numpys_numbers() -> None:
    # numpy's own Generator (PCG64, ziggurat normals): the same numbers bit for bit.
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(compile(_DEFAULT_RNG, "p.py", "exec"), {})
    assert gd_output(_DEFAULT_RNG) == buf.getvalue()


def test_default_rng_exposes_drawing_methods_only() -> None:
    for attr in ("bit_generator", "spawn", "gen", "bytes"):
        out = gd_output(f"import numpy as np\nprint(np.random.default_rng(0).{attr})")
        assert out == f"GdError 'Generator' object has no attribute '{attr}'"
    assert gd_output("import numpy as np\nprint(np.random.default_rng(1))") == \
        "Generator(PCG64)\n"
