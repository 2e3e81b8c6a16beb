"""Language forms real code uses (issue 11): comprehensions and generator expressions, dict
and set displays and methods, *args/**kwargs, for/while-else, del, global/nonlocal and
Python's built-ins, each checked against what Python + PyTorch print for the same program.

Each program is valid Python: `same_as_python` runs it in gd and, when torch is installed,
under real Python with `import torch` in front, and compares the printed text byte for
byte. Expected text is also written out where it is short, so the test means something
without torch.
"""

from __future__ import annotations

import contextlib
import io

import pytest

from gradcli.app import AppOptions, run
from gradcli.cli import exit_status
from gradcli.errors import GdError
from gradcli.source import Source


def gd_output(program: str) -> str:
    buf = io.StringIO()
    run(Source("prog.gd", program), AppOptions(write=buf.write))
    return buf.getvalue()


def gd_error(program: str) -> tuple[int, str, tuple[int, int] | None]:
    """(exit code, message, (line, column)) of a program that fails."""
    try:
        gd_output(program)
    except GdError as e:
        where = (e.span.line, e.span.column) if e.span is not None else None
        return exit_status(e), e.message, where
    raise AssertionError("the program ran")


def python_output(program: str) -> str | None:
    """What real Python + PyTorch print for the program (None without torch)."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return None
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(compile("import torch\n" + program, "<prog>", "exec"), {"__name__": "__main__"})
    return buf.getvalue()


def same_as_python(program: str, expected: str | None = None) -> str:
    got = gd_output(program)
    if expected is not None:
        assert got == expected
    want = python_output(program)
    if want is not None:
        assert got == want
    return got


# ============================================================== comprehensions

def test_list_set_dict_comprehensions_and_generator_expressions() -> None:
    same_as_python(
        "xs = [1, 2, 3, 4]\n"
        "print([x * x for x in xs if x % 2 == 0])\n"
        "print([(a, b) for a in range(3) for b in range(a) if b % 2 == 0 if a > 1])\n"
        "print({x % 3 for x in xs}, {k: k * 10 for k in xs if k > 2})\n"
        "print(sum(x ** 2 for x in xs), max(x for x in xs), list(x for x in 'ab'))\n"
        "print([[i * j for j in range(3)] for i in range(2)])\n"
        "print([y for x in [[1, 2], [3]] for y in x])\n"
        "print([a + b for a, b in zip(xs, xs[1:])])\n"
        "print([x if x > 2 else -x for x in xs])\n",
        "[4, 16]\n[(2, 0)]\n{0, 1, 2} {3: 30, 4: 40}\n30 4 ['a', 'b']\n"
        "[[0, 0, 0], [0, 1, 2]]\n[1, 2, 3]\n[3, 5, 7]\n[-1, -2, 3, 4]\n")


def test_comprehension_variables_do_not_leak_and_closures_bind_late() -> None:
    same_as_python("x = 'outer'\ny = [x for x in range(3)]\nprint(x, y)\n"
                   "fs = [lambda: i for i in range(3)]\nprint([f() for f in fs])\n"
                   "gs = [lambda i=i: i for i in range(3)]\nprint([g() for g in gs])\n",
                   "outer [0, 1, 2]\n[2, 2, 2]\n[0, 1, 2]\n")
    code, message, where = gd_error("y = [k for k in range(3)]\nprint(k)\n")
    assert (code, message, where) == (4, "name 'k' is not defined", (2, 7))


def test_generator_is_lazy_and_iterates_once() -> None:
    same_as_python("g = (x * 2 for x in range(3))\nprint(type(g), next(g), list(g), list(g))\n"
                   "def noisy(v):\n    print('saw', v)\n    return v\n"
                   "h = (noisy(v) for v in [1, 2])\nprint('made')\nprint(sum(h))\n"
                   "print(any(noisy(v) > 0 for v in [1, 2]))\n",
                   "<class 'generator'> 0 [2, 4] []\nmade\nsaw 1\nsaw 2\n3\nsaw 1\nTrue\n")
    assert gd_output("print((x for x in []))\n") == \
        "<generator object <genexpr> at 0x7f0000000010>\n"


def test_comprehensions_over_tensors_keep_the_graph() -> None:
    out = same_as_python(
        "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
        "y = sum(t * t for t in x)\n"
        "rows = [r.exp() for r in x]\n"
        "print(y, rows[0])\n"
        "y.backward()\nprint(x.grad)\n"
        "d = {i: t for i, t in enumerate(x)}\nprint(d[1])\n")
    assert "grad_fn=<AddBackward0>" in out and "tensor([2., 4., 6.])" in out


def test_errors_inside_comprehensions_point_at_the_failing_part() -> None:
    code, message, where = gd_error("d = {'a': 1}\nv = [d[k] for k in ['a', 'b']]\n")
    assert (code, message, where) == (4, "'b'", (2, 6))
    code, message, where = gd_error("v = [x for x in 5]\n")
    assert (code, message, where) == (4, "'int' object is not iterable", (1, 17))
    code, message, where = gd_error("v = {[1]: 2}\n")
    assert (code, message, where) == (4, "unhashable type: 'list'", (1, 6))


def test_try_catches_errors_raised_inside_a_generator() -> None:
    same_as_python("try:\n    s = sum(10 // x for x in [1, 0])\nexcept ZeroDivisionError as e:\n"
                   "    print('caught', e)\n", "caught integer division or modulo by zero\n")


# ======================================================================= dicts

def test_dict_literals_methods_and_printing() -> None:
    same_as_python(
        "x = torch.tensor([1.0, 2.0])\n"
        "d = {'a': x, 'b': [1, 2], 3: None}\n"
        "print(d)\nprint(repr(d), len(d), 'a' in d, 'z' not in d)\n"
        "print(d.keys(), d.values())\nprint(d.items())\n"
        "d['c'] = 5\ndel d['a']\nprint(list(d), d.get('z'), d.get('z', 0), d.pop('c'))\n"
        "print(d.setdefault('n', []), d.setdefault('b', 0), d.pop('q', 'dflt'))\n"
        "d.update({'u': 1}, v=2)\nd.update([('w', 3)])\nprint(d)\n"
        "e = d.copy()\nd.clear()\nprint(d, e.popitem(), len(e))\n"
        "print({**e, 'z': 0}, dict(a=1, b=2), dict([(1, 2)]), dict({1: 2}, k=3), dict())\n"
        "for k, v in {'p': 1, 'q': 2}.items():\n    print(k, v)\n"
        "print({1: 'a'} == {1: 'a'}, {'a': 1} | {'b': 2})\n")


def test_dict_with_tensor_values_prints_as_pytorch() -> None:
    same_as_python(
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "print({'loss': (x * x).sum(), 'grad': None, 'w': x})\n",
        "{'loss': tensor(5., grad_fn=<SumBackward0>), 'grad': None, "
        "'w': tensor([1., 2.], requires_grad=True)}\n")


def test_missing_key_is_a_key_error() -> None:
    code, message, where = gd_error("d = {'a': 1}\nprint(d['b'])\n")
    assert (code, message, where) == (4, "'b'", (2, 7))
    same_as_python("d = {}\ntry:\n    d['b']\nexcept KeyError as e:\n    print('missing', e)\n"
                   "try:\n    del d['b']\nexcept LookupError as e:\n    print('del', e)\n",
                   "missing 'b'\ndel 'b'\n")


# ======================================================================== sets

def test_set_literals_methods_and_operators() -> None:
    same_as_python(
        "s = {3, 1, 2}\nprint(s, set(), set([1, 1, 2]), len(s), 2 in s)\n"
        "s.add(4)\ns.discard(1)\ns.discard(99)\ns.remove(2)\nprint(s)\n"
        "a, b = {1, 2, 3}, {2, 3, 4}\n"
        "print(a | b, a & b, a - b, a ^ b)\n"
        "print(a.union(b), a.intersection(b), a.difference(b), a.issubset(a | b))\n"
        "t = a\nt |= {9}\nprint(a, sorted(x for x in a))\n",
        "{1, 2, 3} set() {1, 2} 3 True\n{3, 4}\n{1, 2, 3, 4} {2, 3} {1} {1, 4}\n"
        "{1, 2, 3, 4} {2, 3} {1} True\n{1, 2, 3, 9} [1, 2, 3, 9]\n")
    code, message, _ = gd_error("s = {1}\ns.remove(2)\n")
    assert (code, message) == (4, "2")


def test_bitwise_operators_of_numbers_and_bool_tensors() -> None:
    same_as_python("print(5 & 3, 5 | 3, 5 ^ 3, True | False)\n"
                   "x = torch.tensor([1.0, 2.0, 3.0])\n"
                   "print((x > 1) & (x < 3), (x > 2) | (x < 2))\n",
                   "1 7 6 True\ntensor([False,  True, False]) tensor([ True, False,  True])\n")


# ============================================================ *args, **kwargs

def test_star_args_and_keyword_only_parameters() -> None:
    same_as_python(
        "def f(a, *args, k=1, **kw):\n    return a, args, k, kw\n"
        "print(f(1), f(1, 2, 3, k=4, z=5))\n"
        "print(f(*[1, 2], **{'k': 3, 'q': 4}), f(*range(2), *(7,)))\n"
        "def g(a, *, b, c=2):\n    return a + b + c\nprint(g(1, b=2), g(b=1, a=1, c=0))\n"
        "h = lambda *xs, **kw: (sum(xs), kw)\nprint(h(1, 2, 3, p=1))\n"
        "def outer(*args, **kwargs):\n    return f(*args, **kwargs)\n"
        "print(outer(9, 8, k=7))\n",
        "(1, (), 1, {}) (1, (2, 3), 4, {'z': 5})\n(1, (2,), 3, {'q': 4}) (0, (1, 7), 1, {})\n"
        "5 2\n(6, {'p': 1})\n(9, (8,), 7, {})\n")


def test_star_args_of_tensors_differentiate() -> None:
    same_as_python(
        "def f(*xs):\n    return sum(x * x for x in xs)\n"
        "a = torch.tensor(1.0, requires_grad=True)\nb = torch.tensor(2.0, requires_grad=True)\n"
        "primals = (a, b)\ny = f(*primals)\ny.backward()\nprint(y, a.grad, b.grad)\n"
        "J = torch.autograd.functional.jacobian(lambda *t: t[0] * t[1], primals)\nprint(J)\n",
        "tensor(5., grad_fn=<AddBackward0>) tensor(2.) tensor(4.)\n(tensor(2.), tensor(1.))\n")


@pytest.mark.parametrize(("program", "message"), [
    ("def f(a):\n    pass\nf(*5)\n",
     "__main__.f() argument after * must be an iterable, not int"),
    ("def f(a):\n    pass\nf(**5)\n",
     "__main__.f() argument after ** must be a mapping, not int"),
    ("def f(a, b):\n    pass\nf(1, **{'b': 2}, **{'b': 3})\n",
     "__main__.f() got multiple values for keyword argument 'b'"),
    ("def f(a):\n    pass\nf(**{1: 2})\n", "keywords must be strings"),
    ("def g(a, *, k):\n    pass\ng(1)\n", "g() missing 1 required keyword-only argument: 'k'"),
    ("def g(a, *, k):\n    pass\ng(1, 2)\n", "g() takes 1 positional argument but 2 were given"),
    ("def g(*a, k):\n    pass\ng(z=1, k=2)\n", "g() got an unexpected keyword argument 'z'"),
    ("def g(a, b, *c):\n    pass\ng()\n",
     "g() missing 2 required positional arguments: 'a' and 'b'"),
])
def test_argument_errors_are_pythons(program: str, message: str) -> None:
    code, got, where = gd_error(program)
    assert (code, got, where and where[0]) == (4, message, 3)
    try:
        python_output(program)
    except TypeError as e:
        assert str(e) == message
    except ImportError:
        pass


def test_parameter_defaulting_to_none_is_optional() -> None:
    same_as_python("def f(x=None, *, k=None):\n    return x, k\nprint(f())\n", "(None, None)\n")


# ========================================================= loops, del, scopes

def test_for_else_and_while_else() -> None:
    same_as_python(
        "for i in range(3):\n    pass\nelse:\n    print('for done', i)\n"
        "for i in range(3):\n    if i == 1:\n        break\nelse:\n    print('not here')\n"
        "n = 0\nwhile n < 2:\n    n += 1\nelse:\n    print('while done', n)\n"
        "while True:\n    break\nelse:\n    print('not here')\n"
        "def first_even(xs):\n    for x in xs:\n        if x % 2 == 0:\n            return x\n"
        "    else:\n        return None\nprint(first_even([1, 4]), first_even([1]))\n",
        "for done 2\nwhile done 2\n4 None\n")


def test_del_of_names_items_and_slices() -> None:
    same_as_python("a = 1\nb = [1, 2, 3, 4]\nd = {'k': 1, 'j': 2}\n"
                   "del a, b[0], d['k']\ndel b[1:]\nprint(b, d)\n"
                   "try:\n    print(a)\nexcept NameError as e:\n    print(e)\n",
                   "[2] {'j': 2}\nname 'a' is not defined\n")
    code, message, where = gd_error("x = torch.ones(3)\ndel x[0]\n")
    assert (code, message, where) == (4, "Tensor does not support deleting items", (2, 5))
    code, message, where = gd_error("del q\n")
    assert (code, message, where) == (4, "name 'q' is not defined", (1, 5))


def test_global_and_nonlocal() -> None:
    same_as_python(
        "count = 0\ndef bump():\n    global count\n    count += 1\n"
        "bump()\nbump()\nprint(count)\n"
        "def make():\n    n = 0\n    def inc():\n        nonlocal n\n        n += 1\n"
        "        return n\n    return inc\nc = make()\nc()\nprint(c(), c())\n"
        "def setg():\n    global fresh\n    fresh = 'made'\nsetg()\nprint(fresh)\n",
        "2\n2 3\nmade\n")
    code, message, _ = gd_error("nonlocal x\n")
    assert (code, message) == (3, "nonlocal declaration not allowed at module level")
    code, message, _ = gd_error("def f(x):\n    global x\n")
    assert (code, message) == (3, "name 'x' is parameter and global")


# ==================================================================== built-ins

def test_isinstance_and_type() -> None:
    same_as_python(
        "x = torch.ones(2)\n"
        "print(isinstance(x, torch.Tensor), isinstance(3, int), isinstance(True, int),"
        " isinstance(3.0, (int, float)), isinstance(x.shape, tuple), isinstance('a', list))\n"
        "print(type(x), type(3), type(2.5), type('s'), type(None), type([]), type({}),"
        " type(set()))\n"
        "print(type(x) == torch.Tensor, type(x) is torch.Tensor, type(3) is int,"
        " type(3) == float, type(x.shape), type(x.dtype))\n"
        "print(type(3)('7') + 1, type([1])((1, 2)), type(len), type(lambda: 0))\n"
        "print(isinstance({}, dict), isinstance({1}, set), isinstance(x, (int, torch.Tensor)))\n",
        "True True True True True False\n"
        "<class 'torch.Tensor'> <class 'int'> <class 'float'> <class 'str'> <class 'NoneType'> "
        "<class 'list'> <class 'dict'> <class 'set'>\n"
        "True True True False <class 'torch.Size'> <class 'torch.dtype'>\n"
        "8 [1, 2] <class 'builtin_function_or_method'> <class 'function'>\n"
        "True True True\n")
    code, message, _ = gd_error("isinstance(1, 2)\n")
    assert (code, message) == (4, "isinstance() arg 2 must be a type, a tuple of types, or a "
                                  "union")
    assert gd_output("print(int, torch.Tensor, type)\n") == \
        "<class 'int'> <class 'torch.Tensor'> <class 'type'>\n"
    same_as_python("x = torch.ones(1)\nprint(type(x).__name__, type(3).__name__, int.__name__,"
                   " type(None).__name__, type(x.shape).__name__)\n",
                   "Tensor int int NoneType Size\n")


def test_iterator_built_ins_are_lazy_as_in_python() -> None:
    same_as_python(
        "xs = [3, 1, 2]\n"
        "print(list(map(lambda v: v * 2, xs)), list(filter(lambda v: v > 1, xs)),"
        " list(filter(None, [0, 1, ''])))\n"
        "print(list(zip(xs, 'abc')), list(enumerate(xs, 1)), list(reversed(xs)))\n"
        "print(sorted(xs), sorted(xs, key=lambda v: -v), sorted(xs, reverse=True))\n"
        "print(min(xs, key=lambda v: -v), max(xs, key=lambda v: -v), min(3, 1, 2), max('ab'))\n"
        "print(any(v > 2 for v in xs), all(v > 2 for v in xs), divmod(7, 2), divmod(-7, 2.0))\n"
        "print(repr('a'), repr([1, 'b']), sum(map(abs, [-1, -2])), list(zip(*[[1, 2], [3, 4]])))\n"
        "it = iter(xs)\nprint(next(it), next(it), next(it), next(it, 'end'))\n"
        "m = map(abs, [-1])\nprint(list(m), list(m))\n"
        "print(dict(zip('ab', range(2))), set(map(abs, [-1, 1])), list(reversed({'a': 1})))\n",
        "[6, 2, 4] [3, 2] [1]\n[(3, 'a'), (1, 'b'), (2, 'c')] [(1, 3), (2, 1), (3, 2)] "
        "[2, 1, 3]\n[1, 2, 3] [3, 2, 1] [3, 2, 1]\n3 1 1 b\nTrue False (3, 1) (-4.0, 1.0)\n"
        "'a' [1, 'b'] 3 [(1, 3), (2, 4)]\n3 1 2 end\n[1] []\n{'a': 0, 'b': 1} {1} ['a']\n")
    assert gd_output("print(map(abs, [1]), zip(), enumerate([]))\n") == \
        "<map object at 0x7f0000000010> <zip object at 0x7f0000000020> <enumerate object at " \
        "0x7f0000000030>\n"
    code, message, _ = gd_error("print(max([], key=len))\n")
    assert (code, message) == (4, "max() arg is an empty sequence")


# ================================================= the CLI's other commands

def test_graph_and_grad_commands_run_programs_using_the_new_forms(tmp_path) -> None:
    from gradcli.cli import main

    prog = tmp_path / "p.gd"
    prog.write_text(
        "x = torch.tensor([1.0, 2.0])\n"
        "class Sq:\n    def __call__(self, t):\n        return t * t\n"
        "parts = {k: Sq()(v) for k, v in zip('ab', x)}\n"
        "y = sum(parts[k] for k in sorted(parts))\n")
    for args in (["grad", str(prog), "--wrt", "x"], ["graph", str(prog), "--wrt", "x"],
                 ["explain", str(prog), "--wrt", "x"], ["eval", str(prog)]):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            try:
                code = main(args)
            except SystemExit as e:
                code = e.code
        assert code in (0, None), (args, buf.getvalue())
        if args[0] == "grad":
            assert "2" in buf.getvalue() and "4" in buf.getvalue()


def test_built_ins_take_generators_dicts_and_tensors() -> None:
    same_as_python(
        'xs = [3, 1, 2]\n'
        'print(min(xs, default=0), min([], default=0), max((x for x in xs), key=lambda v:'
        ' v % 3))\n'
        "print(*(x * 2 for x in xs), sep=',')\n"
        "print(list(enumerate('ab', start=5)), list(zip('ab', [1, 2], strict=True)))\n"
        "print(any({}), all({}), any({0: 1}), sum({1: 'a', 2: 'b'}), sorted({'b': 1, 'a':"
        ' 2}))\n'
        "print(divmod(7, -2), divmod(7.5, 2), repr(1.0), repr({'a': [1, (2,)]}), repr(None))\n"
        't = torch.tensor([[1.0, 2.0], [3.0, 4.0]])\n'
        'print(sum(r for r in t), max(t[0]), sorted(t[:, 0]), list(zip(t, t))[0])\n'
        "print([i for i, r in enumerate(t)], dict(enumerate('xy')), list(map(lambda a, b:"
        ' a + b, [1, 2], [3, 4])))\n'
        "print(list(reversed(range(3))), list(reversed('ab')), list(reversed((1, 2))))\n"
        'g = (x for x in range(3))\n'
        'print(2 in g, list(g))\n'
        "print({k: v for k, v in [('a', 1), ('a', 2)]}, {**{'a': 1}, **{'a': 2}})\n"
        'a, b = (x for x in range(2))\n'
        'print(a, b, 0)\n'
        'try:\n'
        '    a, b = (x for x in range(3))\n'
        'except ValueError as e:\n'
        '    print(e)\n'
        'print(isinstance(t, object), isinstance(t, (list, tuple)))\n'
        "print(tuple(x for x in 'ab'), set('aab') == {'a', 'b'}, frozenset() if False else 1)\n"
        "print(next(iter({'k': 1})), next(iter({1, 2})), list(iter(range(2))))\n",
        '1 0 2\n'
        '6,2,4\n'
        "[(5, 'a'), (6, 'b')] [('a', 1), ('b', 2)]\n"
        "False True False 3 ['a', 'b']\n"
        "(-4, -1) (3.0, 1.5) 1.0 {'a': [1, (2,)]} None\n"
        'tensor([4., 6.]) tensor(2.) [tensor(1.), tensor(3.)] (tensor([1., 2.]), tensor(['
        '1., 2.]))\n'
        "[0, 1] {0: 'x', 1: 'y'} [4, 6]\n"
        "[2, 1, 0] ['b', 'a'] [2, 1]\n"
        'True []\n'
        "{'a': 2} {'a': 2}\n"
        '0 1 0\n'
        'too many values to unpack (expected 2)\n'
        'True False\n'
        "('a', 'b') True 1\n"
        'k 1 [0, 1]\n')


def test_starred_targets_and_displays() -> None:
    same_as_python(
        'xs = [1, 2, 3, 4]\n'
        'first, *rest = xs\n'
        '*init, last = xs\n'
        'a, *mid, b = xs\n'
        "p, *q = 'ab'\n"
        'print(first, rest, init, last, a, mid, b, p, q)\n'
        "print([*xs, 5], (*xs, 0), {*xs}, [*'ab', *range(2)], *xs)\n"
        't = *xs, 1\n'
        'print(t)\n'
        'for h, *tl in [(1, 2, 3), (4,)]:\n'
        '    print(h, tl)\n'
        'x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)\n'
        'r0, *others = x\n'
        'print(r0, others)\n'
        'try:\n'
        '    a, *b, c = [1]\n'
        'except ValueError as e:\n'
        '    print(e)\n'
        'try:\n'
        '    a, *b = 5\n'
        'except TypeError as e:\n'
        '    print(e)\n',
        "1 [2, 3, 4] [1, 2, 3] 4 1 [2, 3] 4 a ['b']\n"
        "[1, 2, 3, 4, 5] (1, 2, 3, 4, 0) {1, 2, 3, 4} ['a', 'b', 0, 1] 1 2 3 4\n"
        '(1, 2, 3, 4, 1)\n'
        '1 [2, 3]\n'
        '4 []\n'
        'tensor([1., 2.], grad_fn=<UnbindBackward0>) [tensor([3., 4.], grad_fn=<UnbindBac'
        'kward0>)]\n'
        'not enough values to unpack (expected at least 2, got 1)\n'
        'cannot unpack non-iterable int object\n')
