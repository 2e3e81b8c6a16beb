"""The sandbox through the language forms of issue 11: classes and instances, comprehension
scopes, generators and lazy iterators, dicts, sets and their views, *args/**kwargs,
type() and isinstance(). None of them may hand a gd program a host Python object or
attribute, and none may escape the step, size and depth limits (tests/test_hostile_sandbox.py
covers the other values and the isolated CLI runs)."""

from __future__ import annotations

import io
import re

import pytest

from gradcli.app import AppOptions, run
from gradcli.cli import exit_status
from gradcli.errors import GdError
from gradcli.limits import DEFAULT_LIMITS
from gradcli.records import replace
from gradcli.source import Source

SETUP = (
    "class C:\n"
    "    k = 1\n"
    "    def __init__(self):\n"
    "        self.v = 2\n"
    "    def f(self):\n"
    "        return 1\n"
    "    @property\n"
    "    def p(self):\n"
    "        return 3\n"
    "    def sup(self):\n"
    "        return super()\n"
    "c = C()\n"
    "g = (i for i in range(3))\n"
    "d = {'a': 1}\n"
    "s = {1}\n"
    "m = map(abs, [1])\n"
    "def gen():\n"
    "    yield 1\n"
    "gg = gen()\n"
    "class P:\n"
    "    def __add__(self, o):\n"
    "        return o\n"
    "    def __iter__(self):\n"
    "        yield self\n"
    "    def __getitem__(self, i):\n"
    "        return i\n"
    "    def __enter__(self):\n"
    "        return self\n"
    "    def __exit__(self, *a):\n"
    "        return False\n"
    "pp = P()\n"
    "import random\n"
    "class MI(C, P):\n"
    "    def f(self):\n"
    "        return super().f()\n"
    "mi = MI()\n"
    "rr = random.Random(0)\n"
)


def outcome(program: str) -> tuple[int, str, str]:
    """(exit code, error message, printed text) of a program run in this process."""
    buf = io.StringIO()
    try:
        run(Source("prog.gd", SETUP + program), AppOptions(write=buf.write))
    except GdError as e:
        return exit_status(e), e.message, buf.getvalue()
    return 0, "", buf.getvalue()


VALUES = ["c", "C", "c.f", "C.f", "g", "d", "s", "m", "d.keys()", "d.items()", "d.get",
          "s.add", "c.sup()", "type(c)", "type(None)", "type(1)", "type(torch.ones(1))",
          "object()", "iter([1])", "enumerate([1])", "zip([1])", "super(C, c)",
          "gg", "gen", "pp", "P", "iter(pp)", "next(iter(pp))", "NotImplemented", "random",
          "random.seed", "random.shuffle", "mi", "MI", "mi.f", "super(MI, mi)", "rr",
          "rr.random"]
HOST_NAMES = ["__class__", "__dict__", "__globals__", "__subclasses__", "__bases__",
              "__mro__", "__init__", "__code__", "__closure__", "__func__", "__self__",
              "__getattribute__", "__reduce_ex__", "__module__", "__builtins__", "__call__",
              "__qualname__", "__wrapped__", "gi_frame", "gi_code", "f_globals", "mro",
              "attrs", "cls", "fn", "obj", "it", "kind", "bases", "function_base",
              "mapping", "fget", "rt", "closure", "body", "invoke", "lookup", "get_attr"]


# A def's attributes Python programs read (pyfuncattrs): docstring, qualified name, module,
# what functools.wraps wrapped (a bound method forwards them to its function).
FUNCTIONS = ("c.f", "C.f", "gen", "mi.f", "npv.m")
FUNCTION_ATTRS = ("__qualname__", "__module__", "__wrapped__", "__doc__", "__defaults__",
                  "__kwdefaults__")


@pytest.mark.parametrize("value", VALUES)
def test_no_host_attribute_is_reachable(value: str) -> None:
    for name in HOST_NAMES:
        if name == "__init__" and "sup" in value:
            continue  # super().__init__ is object.__init__ (a gd built-in)
        if name in ("__class__", "__dict__") and value in INSTANCES:
            continue  # an instance's class is its gd class, its __dict__ vars() (below)
        if name == "__class__" or (name == "__qualname__" and value.startswith("type(")):
            name = f"{name}.__dict__"  # v.__class__ is type(v), a type's name a string (r20)
        if value in FUNCTIONS and name in FUNCTION_ATTRS:
            name = f"{name}.{name}"  # Python's function attributes, plain gd values (r15)
        if (value in CLASSES and name in CLASS_ATTRS) or (
                value in INSTANCES and name in ("__module__", "__doc__")):
            name = f"{name}.__dict__"  # a class's description, plain gd values (r17)
        code, message, _ = outcome(f"x = {value}.{name}\n")
        assert code == 4, f"{value}.{name} was not refused"
        assert "not accessible" in message or "has no attribute" in message, message


@pytest.mark.parametrize("value", VALUES)
def test_no_host_attribute_is_writable(value: str) -> None:
    for name in ("__class__", "__dict__", "__bases__", "__init__", "__getattr__"):
        code, message, _ = outcome(f"{value}.{name} = 1\n")
        assert code == 4, f"{value}.{name} = 1 was not refused"
        assert "not accessible" in message or "cannot set" in message, message


INSTANCES = ("c", "pp", "next(iter(pp))", "mi")

# A gd class's description (classdunders): its qualified name, module and docstring
# (strings), bases and method resolution order (tuples of gd classes and `object`), and
# __subclasses__ (a built-in listing the program's classes).
CLASSES = ("C", "P", "MI", "type(c)")
CLASS_ATTRS = ("__qualname__", "__module__", "__doc__", "__bases__", "__mro__",
               "__subclasses__")


def test_an_instances_class_is_its_gd_class() -> None:
    code, _, out = outcome("print(c.__class__ is C, pp.__class__.__name__, c.__class__)\n")
    assert (code, out) == (0, "True P <class '__main__.C'>\n")
    for program in ("c.__class__.__dict__", "c.__class__.__class__.__dict__", "c.__class__ = int",
                    "c.__class__.__mro__[-1].__subclasses__()", "C.__bases__[0].__dict__",
                    "MI.__mro__[1].__globals__", "C.__subclasses__.__self__",
                    "C.__mro__[-1].__init_subclass__", "C.__qualname__ = 'x'",
                    "C.__mro__ = ()", "C.__bases__ = (object,)"):
        code, message, _ = outcome(program + "\n")
        assert code == 4 and "not accessible" in message, program


def test_a_classes_description_is_plain_gd_values() -> None:
    code, _, out = outcome("print(MI.__mro__, MI.__bases__, C.__subclasses__(), "
                           "c.__class__.__qualname__, c.__module__, C.__doc__)\n")
    assert code == 0
    assert out == ("(<class '__main__.MI'>, <class '__main__.C'>, <class '__main__.P'>, "
                   "<class 'object'>) (<class '__main__.C'>, <class '__main__.P'>) "
                   "[<class '__main__.MI'>] C __main__ None\n")


def test_an_instances_dict_is_its_vars_and_leads_nowhere() -> None:
    # obj.__dict__ is vars(obj): a plain dict of the program's own values, live.
    code, _, out = outcome("d = c.__dict__\nd['w'] = 5\nc.__dict__.update(z=1)\n"
                           "print(d is vars(c), d, c.w, c.z, type(d).__name__)\n")
    assert (code, out) == (0, "True {'v': 2, 'w': 5, 'z': 1} 5 1 dict\n")
    for program in ("c.__dict__.__class__.__dict__", "c.__dict__.__class__.__bases__",
                    "c.__dict__ = {}", "C.__dict__", "c.__dict__.__dict__",
                    "torch.nn.Linear(1, 1).__dict__", "type(c).__dict__",
                    "RuntimeError('x').__dict__", "c.f.__dict__", "print.__dict__"):
        code, message, _ = outcome(program + "\n")
        assert code == 4 and ("not accessible" in message or "has no attribute" in message
                              or "not supported" in message), program


def test_an_exceptions_chain_is_gd_exceptions_only() -> None:
    code, _, out = outcome(
        "try:\n    try:\n        {}['k']\n    except KeyError as e:\n"
        "        raise ValueError('v') from e\nexcept ValueError as e:\n"
        "    print(repr(e.__cause__), repr(e.__context__), e.__suppress_context__)\n")
    assert (code, out) == (0, "KeyError('k') KeyError('k') True\n")
    for program in ("RuntimeError('x').__cause__.__class__.__dict__", "RuntimeError().__globals__",
                    "RuntimeError().__traceback__.tb_frame", "RuntimeError().__dict__",
                    "RuntimeError().__cause__ = 1"):
        code, message, _ = outcome(program + "\n")
        assert code == 4, (program, message)


@pytest.mark.parametrize("program", [
    "f = open('x', 'w')\nwhile True:\n    f.write('x' * 1000000)\n",
    "f = open('x', 'w')\ntry:\n    while True:\n        f.write('x' * 1000000)\n"
    "except Exception:\n    print('swallowed')\n",
    "f = open('x', 'w')\nwith open('y', 'w') as g:\n    while True:\n"
    "        print('x' * 100000, file=g)\n",
    "import os\ni = 0\nwhile True:\n    open(f'f{i}', 'w').close()\n    i += 1\n",
])
def test_files_cannot_outgrow_the_limits(program: str) -> None:
    code, message, out = outcome(program)
    assert code == 4 and "swallowed" not in out, message
    assert "limit" in message, message


@pytest.mark.parametrize("program", [
    "open('x', 'w').buf", "open('x', 'w').__class__.__dict__", "open('x', 'w').__dict__",
    "open('x', 'w').key", "open('x', 'w').name.__class__.__dict__", "open('x', 'w').closed = True",
    "open('x', 'wb').read()", "open('x', 'wb').save", "open('x', 'w').__enter__",
    "import csv, io\ncsv.writer(io.StringIO()).w", "import csv\ncsv.reader([]).it",
    "import csv\ncsv.DictReader([]).r", "import pickle\npickle.loads('x')",
    "import os\nos.path.exists(print)", "open(print)", "open('x', 'r+')",
    "open('x', 'w', opener=print)", "import os\nos.walk('/')", "import os\nos.system('ls')",
])
def test_file_objects_lead_nowhere(program: str) -> None:
    code, message, _ = outcome(program + "\n")
    assert code == 4, (program, message)


@pytest.mark.parametrize("program", [
    "import logging\nlogging.getLogger().__class__.__dict__",
    "import logging\nlogging.getLogger().manager",
    "import logging\nlogging.getLogger().handlers.append(print)\nlogging.warning('x')",
    "import logging\nlogging.getLogger().parent.name", "import logging\nlogging.root",
    "import logging\nlogging.StreamHandler().stream.__class__.__dict__",
    "import logging\nlogging.StreamHandler().emit", "import logging\nlogging.Formatter().fmt",
    "import logging\nlogging.getLogger('a').name = 'b'",
    "import logging\nlogging.basicConfig(stream=print)\n"
    "logging.getLogger().handlers[0].stream.__self__",
    "import logging\nlogging.basicConfig(filename='/etc/passwd', filemode='r')",
    "import logging\nlogging.basicConfig(stream=open('x', 'w'))\nwhile True:\n"
    "    logging.warning('x' * 100000)",
])
def test_logging_objects_lead_nowhere(program: str) -> None:
    code, message, _ = outcome(program + "\n")
    assert code == 4, (program, message)


def test_instance_and_class_attributes_are_the_programs_own() -> None:
    code, _, out = outcome("c.attrs = 5\nC.fn = 6\nc._x = 1\nprint(c.attrs, C.fn, c._x, c.v, "
                           "c.k, c.p)\ndel c.attrs\nprint(c.attrs if False else 'gone')\n")
    assert (code, out) == (0, "5 6 1 2 1 3\ngone\n")


@pytest.mark.parametrize("program", [
    "x = type(c).__dict__", "x = type(1).__subclasses__()", "x = type(type(c)).__bases__",
    "x = type(None)()", "x = type('X', (), {})", "x = [k.__dict__ for k in type(c).__mro__]",
    "x = isinstance(c, c)", "x = isinstance(1, print)", "x = isinstance(1, ('str', int))",
])
def test_type_and_isinstance_lead_nowhere(program: str) -> None:
    code, message, _ = outcome(program + "\n")
    assert code == 4, message


def test_type_results_are_gd_values_not_host_types() -> None:
    res = run(Source("p.gd", SETUP + "ts = [type(v) for v in [c, C, 1, 'a', None, print, "
                     "g, d, s, m, torch.ones(1), RuntimeError('x'), RuntimeError, c.f]]\n"),
              AppOptions())
    for t in res.variables["ts"]:
        assert not isinstance(t, type), t


@pytest.mark.parametrize("program", [
    "x = [__builtins__ for _ in [1]]",
    "x = [i for i in range(2)]\nprint(i)",
    "x = {k: __import__ for k in [1]}",
    "x = list(input for _ in [1])",
])
def test_comprehension_scopes_add_no_names(program: str) -> None:
    code, message, _ = outcome(program + "\n")
    assert code == 4 and "is not defined" in message, message


@pytest.mark.parametrize(("program", "text"), [
    ("class H:\n    def __getitem__(self, i):\n        return [().__class__.__dict__][i]\n"
     "def f(*a):\n    return a\nf(*H())", "not accessible"),
    ("def f(**kw):\n    return kw\nf(**{'__class__': 1})['__class__'].__class__.__dict__",
     "not accessible"),
    ("print(*d.keys().__class__.__dict__)", "not accessible"),
    ("print(*range(10**9))", "exceeds the limit"),
    ("print(**{'file': 1})", "'int' object has no attribute 'write'"),
    ("x = '{0.__class__.__mro__.__class__.__dict__}'.format(c)", "is not accessible"),
    ("x = '{0.attrs}'.format(c)", "has no attribute 'attrs'"),
    ("x = '%s' % (c.f.__func__,)", "not accessible"),
    ("x = c.f.__self__", "not accessible"),
    ("x = c.sup().__init__.__globals__", "not accessible"),
    ("x = d.get.__self__", "not accessible"),
])
def test_unpacking_and_formatting_hostile_values(program: str, text: str) -> None:
    code, message, _ = outcome(program + "\n")
    assert code == 4 and text in message, message


@pytest.mark.parametrize("program", [
    "v = [0 for _ in range(10**12)]",
    "v = sum(x for x in range(10**12))",
    "v = {x: x for x in range(10**12)}",
    "v = {x for x in range(10**12) if x < 0}",
    "v = [y for x in range(10**6) for y in range(10**6)]",
    "v = list(filter(None, (x for x in range(10**12))))",
    "class A:\n    def __getitem__(self, i):\n        return i\nv = list(A())",
])
def test_comprehensions_and_generators_are_bounded_and_try_cannot_swallow_it(
        program: str) -> None:
    body = "\n".join("    " + line for line in program.split("\n"))
    for handler in ("except Exception:", "except BaseException:", "except:"):
        code, message, out = outcome(f"try:\n{body}\n{handler}\n    print('swallowed')\n")
        assert code == 4 and message.startswith("step limit reached"), message
        assert "swallowed" not in out


def test_recursion_through_methods_and_dunders_is_bounded() -> None:
    for program in ("class A:\n    def __repr__(self):\n        return repr(self)\nprint(A())",
                    "class A:\n    def __init__(self):\n        self.a = A()\nA()",
                    "class A:\n    def __len__(self):\n        return len(self)\nlen(A())"):
        code, message, _ = outcome(program + "\n")
        assert code == 4 and message.startswith("maximum recursion depth"), message


def test_printing_new_values_is_deterministic() -> None:
    program = ("print(c, C, c.f, C.f, g, m, d.keys(), s, type(c), object(), iter([1]), "
               "zip(), c.sup())\n")
    first = outcome(program)
    # only the run's own addresses (ad/identity), never the host's
    addresses = re.findall(r"0x[0-9a-f]+", first[2])
    assert first[0] == 0 and addresses, first
    assert all(0x7f0000000000 < int(a, 16) < 0x7f0000000100 for a in addresses), addresses
    assert outcome(program) == first


@pytest.mark.parametrize(("expr", "message"), [
    ("len(g)", "object of type 'generator' has no len()"),
    ("abs(c)", "bad operand type for abs(): 'C'"),
    ("sum([c, c])", "unsupported operand type(s) for +: 'int' and 'C'"),
    ("max([c, c])", "'>' not supported between instances of 'C' and 'C'"),
    ("abs(C)", "bad operand type for abs(): 'type'"),
    ("abs(c.f)", "bad operand type for abs(): 'method'"),
    ("abs(m)", "bad operand type for abs(): 'map'"),
    ("float(C.f)", "float() argument must be a string or a real number, not 'function'"),
])
def test_pythons_own_messages_name_types_as_python_does(expr: str, message: str) -> None:
    """No host class name (InstanceValue, ClassValue, ...) shows through Python's messages."""
    assert outcome(f"x = {expr}\n")[:2] == (4, message)


def test_printf_formatting_shows_gd_text_not_host_reprs() -> None:
    code, _, out = outcome("print('%s %r %s %s' % (c, c, C, g))\n")
    assert (code, out) == (0, "<__main__.C object at 0x7f0000000010> <__main__.C object at "
                              "0x7f0000000010> <class '__main__.C'> <generator object <genexpr> "
                              "at 0x7f0000000020>\n")


@pytest.mark.parametrize("expr", [
    "s.update(range(10**9))", "s.union([1], range(10**9))", "d.update(zip(range(10**9)))",
    "set(range(10**9))", "list(iter(range(10**9)))",
    "sorted(map(abs, range(10**9)))", "tuple(enumerate(range(10**9)))",
])
def test_container_methods_and_iterators_check_sizes_first(expr: str) -> None:
    code, message, _ = outcome(f"x = {expr}\n")
    assert code == 4 and "exceeds the limit of 10,000,000" in message, message


# What a gd class's protocol methods are given by Python's machinery (the other operand,
# a format spec, the exception leaving a `with`), and what generators hand out: gd values
# only, with no host attribute.
@pytest.mark.parametrize("program", [
    "class X:\n    def __exit__(self, t, v, tb):\n        print(t, v, tb, type(v))\n"
    "        global seen\n        seen = (t, v)\n        return True\n"
    "    def __enter__(self):\n        return self\nwith X():\n    1 / 0\n"
    "seen[1].__traceback__.tb_frame\n",
    "class X:\n    def __exit__(self, t, v, tb):\n        global seen\n        seen = t\n"
    "        return True\n    def __enter__(self):\n        return self\n"
    "with X():\n    1 / 0\nseen.__subclasses__()\n",
    "class X:\n    def __format__(self, spec):\n        return spec.__class__\nf'{X():>3}'\n",
    "class X:\n    def __eq__(self, o):\n        return o.__class__.__dict__\n[X()] == [1]\n",
    "class X:\n    def __radd__(self, o):\n        return o.__dict__\ntorch.ones(1) + X()\n",
    "class X:\n    def __hash__(self):\n        return id.__self__\n{X()}\n",
    "class X:\n    def __iter__(self):\n        return self\n"
    "    def __next__(self):\n        raise StopIteration\niter(X()).gi_frame\n",
    "def g():\n    yield 1\ng().gi_code\n", "def g():\n    yield 1\ng().gi_running\n",
    "def g():\n    yield 1\ng().__next__.__self__\n", "def g():\n    yield 1\ng().it\n",
    "def g():\n    yield 1\nx = g()\nnext(x)\nx.gi_frame.f_globals\n",
    "def g():\n    r = yield\n    print(r.__class__.__dict__)\nlist(g())\n",
    "NotImplemented.__reduce__()\n", "random._inst\n", "random.Random(0).rng\n",
    "random.Random(0)._randbelow\n",
    "random.seed.__self__\n", "random.shuffle(range(3))\n", "random.seed(object())\n",
    "class X:\n    __getattribute__ = print\n",
    "class X:\n    __getattr__ = print\nX().y.__self__\n", "class X:\n    __class_getitem__ = 1\n",
    "class X:\n    def __new__(cls):\n        pass\n",
    "class X:\n    def __init_subclass__(cls):\n        cls.__dict__\nclass Y(X):\n    pass\n",
    "object.__setattr__(1, 'x', 2)\n", "object.__getattribute__\n",
    "class X:\n    def __setattr__(self, k, v):\n        self.__dict__[k] = v.__class__.__dict__\n"
    "X().a = 1\n",
    "from dataclasses import dataclass, field\n@dataclass\nclass D:\n    x: int = 1\n"
    "D.__dataclass_fields__\n",
    "from dataclasses import dataclass, field\n@dataclass\nclass D:\n    x: int = 1\n"
    "D().__init__.fn\n",
    "from dataclasses import dataclass, field\n@dataclass\nclass D:\n    x: int = 1\n"
    "D.__repr__.__globals__\n", "class X:\n    def __len__(self):\n        return 1\n"
    "X.__len__.__code__\n", "class X:\n    def __len__(self):\n        return 1\n"
    "X().__len__.__self__.__dict__.__class__\n", "class X:\n    pass\nX().__len__\n",
    "class X:\n    pass\nX.__init__\n", "class X:\n    pass\nX().__eq__\n",
    "from dataclasses import field\nfield(default=1).default\n",
    "from dataclasses import dataclass\ndataclass(print)\n",
    "import functools\nfunctools.partial(print).func.__self__\n",
    "import functools\nfunctools.cache(print).__wrapped__\n",
    "import itertools\nitertools.count().__reduce__()\n",
    "import re\nre.compile('a').p\n", "import re\nre.match('a', 'a').m\n",
    "import re\nre.sub('a', lambda m: m.m, 'a')\n", "import re\nre.compile(print)\n",
    "import re\nre.compile('a').pattern = 'b'\n", "import re\nre.I.__class__.__dict__\n",
    "import re\nre.search('a', 'a').string.__class__.__dict__\n",
])
def test_protocol_methods_and_generators_lead_nowhere(program: str) -> None:
    code, message, _ = outcome(program)
    assert code == 4, f"{program!r} ran"
    assert message and "Traceback" not in message


def test_protocol_arguments_are_gd_values() -> None:
    code, _, out = outcome(
        "class X:\n    def __enter__(self):\n        return self\n"
        "    def __exit__(self, t, v, tb):\n        print(t, repr(v), tb)\n        return True\n"
        "    def __format__(self, spec):\n        return type(spec).__name__ + spec\n"
        "    def __radd__(self, o):\n        return type(o)\n"
        "with X():\n    raise ValueError('v')\nprint(f'{X():>3}', 1 + X(), torch.ones(1) + X())\n")
    assert (code, out) == (0, "<class 'ValueError'> ValueError('v') None\n"
                              "str>3 <class 'int'> <class 'torch.Tensor'>\n")


# Round 10's new value kinds: enum classes and members, named tuples (classes and
# instances), io.BytesIO, scikit-learn's scalers, and match statements' class patterns.
NEW_KINDS = (
    "from enum import Enum\nfrom collections import namedtuple\nimport io\n"
    "from sklearn.preprocessing import StandardScaler\n"
    "class E(Enum):\n    A = 1\n"
    "T = namedtuple('T', 'x y')\nt = T(1, 2)\nb = io.BytesIO()\n"
    "sc = StandardScaler().fit([[1.0], [2.0]])\n")
NEW_VALUES = ["E", "E.A", "T", "t", "b", "sc", "sc.mean_", "E.A.name", "T._make"]
NEW_HOST_NAMES = ["__class__.__dict__", "__dict__", "__mro__[-1].__subclasses__",
                  "__bases__[0].__dict__", "__globals__",
                  "__init__", "__reduce_ex__", "members", "mixin", "host", "gd_class",
                  "gd_attribute", "fields", "defaults", "fn", "saved", "at_end", "attrs",
                  "cls", "value", "_obj", "_make_instance", "instance_type", "__getattribute__"]


@pytest.mark.parametrize("value", NEW_VALUES)
def test_new_value_kinds_lead_nowhere(value: str) -> None:
    for name in NEW_HOST_NAMES:
        if (value, name) in (("E.A", "value"),):
            continue  # an enum member's own value
        code, message, _ = outcome(NEW_KINDS + f"x = {value}.{name}\n")
        assert code == 4, f"{value}.{name} was not refused: {message}"


@pytest.mark.parametrize("program", [
    "match t:\n    case T(x=k):\n        y = k.__class__.__dict__\n",
    "match E.A:\n    case E(value=v, name=n):\n        y = n.__class__.__dict__\n",
    "match sc:\n    case object(mean_=m):\n        y = m.__array_interface__\n",
    "y = [v for v in E][0].__dict__\n",
    "y = type(t).__subclasses__()\n",
])
def test_new_forms_reach_no_host_internals(program: str) -> None:
    code, message, _ = outcome(NEW_KINDS + program)
    assert code == 4, message


def test_match_and_enum_iteration_are_bounded_and_try_cannot_swallow_it() -> None:
    for program in ("    for i in range(10**12):\n        match [i]:\n            case [x]:\n"
                    "                pass\n",
                    "    for i in range(10**12):\n        for m in E:\n            pass\n"):
        buf = io.StringIO()
        options = AppOptions(write=buf.write, limits=replace(DEFAULT_LIMITS, max_steps=20_000))
        with pytest.raises(GdError) as info:
            run(Source("p.gd", NEW_KINDS + f"try:\n{program}except Exception:\n"
                       "    print('swallowed')\n"), options)
        assert info.value.message.startswith("step limit"), info.value.message
        assert "swallowed" not in buf.getvalue()


# Round 14: gd classes deriving from dict, list, set and tuple (pysubclass): the instance
# is a host container too, but reaches nothing of it beyond its allow-listed methods.
CONTAINER_KINDS = (
    "class D(dict):\n    def __missing__(self, k):\n        return k\n"
    "    def sup(self):\n        return super()\n"
    "class AD(dict):\n    def __init__(self, **k):\n        super().__init__(**k)\n"
    "        self.__dict__ = self\n"
    "class L(list):\n    def sup(self):\n        return super()\n"
    "class S(set):\n    pass\n"
    "class T(tuple):\n    pass\n"
    "dd, ad, ll, ss, tt = D(a=1), AD(a=1), L([1]), S({1}), T((1,))\n"
    # and the other kinds of round 14: ChainMap (and its views), string.Template, a
    # NamedTuple class with methods, a typing.Generic class subscripted
    "import collections, string, typing\n"
    "cm = collections.ChainMap({'a': 1}, {})\n"
    "tp = string.Template('$a')\n"
    "class NP(typing.NamedTuple):\n    x: int\n    def m(self):\n        return self\n"
    "    @classmethod\n    def c(cls):\n        return cls\n"
    "T_ = typing.TypeVar('T_')\n"
    "class G(typing.Generic[T_]):\n    pass\n"
    "npv = NP(1)\n"
    "import warnings\ncw = warnings.catch_warnings()\n"
    "with warnings.catch_warnings(record=True) as wl:\n    warnings.simplefilter('always')\n"
    "    warnings.warn('x')\n"
    # round 15: classes deriving from collections' OrderedDict, defaultdict and Counter
    "class OD(collections.OrderedDict):\n    def sup(self):\n        return super()\n"
    "class DF(collections.defaultdict):\n    pass\n"
    "class CT(collections.Counter):\n    pass\n"
    "od, df, ct = OD(a=1), DF(list), CT('ab')\n")
CONTAINER_VALUES = ["dd", "ad", "ll", "ss", "tt", "ll.append", "dd.get", "dd.sup()",
                    "ll.sup()", "dd.sup().__init__", "dd.sup().__getitem__",
                    "ll.sup().__setitem__", "dd['zz']", "ll[0:]", "D", "L",
                    "cm", "cm.items()", "cm.keys", "cm.maps", "cm.parents", "cm.new_child()",
                    "tp", "tp.substitute", "npv", "npv.m", "NP.c", "npv.m()", "NP", "G[int]",
                    "G[int]()", "cw", "wl[0]", "wl[0].message", "wl[0].category",
                    "od", "df", "ct", "od.sup()", "od.sup().__setitem__", "od.move_to_end",
                    "df.default_factory", "df['k']", "ct.most_common", "OD", "od.items()"]


@pytest.mark.parametrize("value", CONTAINER_VALUES)
def test_container_subclasses_lead_nowhere(value: str) -> None:
    for name in [*NEW_HOST_NAMES, "__class__.__mro__[-1].__subclasses__",
                 "__class__.__bases__[0].__dict__", "host",
                 "host_attribute", "super_attribute", "host_repr", "__missing__", "__new__",
                 "__self__", "__func__", "__objclass__", "hash_id", "_dunder"]:
        if name == "__init__" and value in ("dd.sup()", "ll.sup()", "od.sup()"):
            continue  # super().__init__ is the container's (a gd built-in, below)
        if name == "__dict__" and value in ("dd", "ad", "ll", "ss", "tt", "G[int]()", "od",
                                            "df", "ct"):
            continue  # an instance's __dict__ is vars() (test_an_instances_dict_is_...)
        if value in FUNCTIONS and name in FUNCTION_ATTRS:
            name = f"{name}.{name}"  # Python's function attributes, plain gd values (r15)
        code, message, _ = outcome(CONTAINER_KINDS + f"x = {value}.{name}\n")
        assert code == 4, f"{value}.{name} was not refused: {message}"


def test_container_subclass_attribute_dict_is_itself() -> None:
    # self.__dict__ = self makes the attributes the dict's own items (nothing else can be
    # put in __dict__'s place), and type() of an instance is its gd class.
    code, message, out = outcome(CONTAINER_KINDS + "ad.b = 2\nprint(ad, ad.a, type(ad), "
                                 "type(ll).__name__, isinstance(tt, tuple))\n")
    assert (code, out) == (0, "{'a': 1, 'b': 2} 1 <class '__main__.AD'> L True\n"), message
    for program in ("ll.__dict__ = ll", "dd.__dict__ = {}", "ll.__dict__ = 1",
                    "dd.sup().__init__.__self__", "type(dd).__dict__"):
        code, message, _ = outcome(CONTAINER_KINDS + program + "\n")
        assert code == 4, program


def test_container_subclasses_keep_the_size_caps() -> None:
    # The container's own + and * (and +=, *=) on a subclass's instance are capped as
    # gd's own list operators are; a lazy iterator added is run step by step.
    for program in ("x = ll * 10**12\n", "x = 10**12 * ll\n", "ll *= 10**12\n",
                    "x = tt * 10**12\n", "def g():\n    while True:\n        yield 1\nll += g()\n"):
        code, message, _ = outcome(CONTAINER_KINDS + program)
        assert code == 4 and ("exceeds the limit" in message or "step limit" in message), \
            (program, message)


DEVICE_NAMES = [*NEW_HOST_NAMES, "previous", "device_type.__class__.__subclasses__",
                "__enter__", "__exit__", "gd_context", "__slots__"]


@pytest.mark.parametrize("value", ["torch.device('meta')", "torch.get_default_device()",
                                   "torch.set_default_device"])
def test_the_device_context_leads_nowhere(value: str) -> None:
    """Round 22's `with torch.device('meta') as d:` hands the program a device that is a
    context manager: its bookkeeping and protocol stay the host's."""
    for name in DEVICE_NAMES:
        code, message, _ = outcome(f"import torch\nwith torch.device('meta') as d:\n"
                                   f"    x = {value}.{name}\n")
        assert code == 4, f"{value}.{name} was not refused: {message}"
