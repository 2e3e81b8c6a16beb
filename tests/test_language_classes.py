"""`class` statements in gd (issue 11): methods, attributes, @staticmethod, @classmethod,
@property, single inheritance, super(), the honoured dunders, and Python's errors; each
program checked against real Python + PyTorch where its output has no memory address."""

from __future__ import annotations

import pytest
from test_language_forms import gd_error, gd_output, same_as_python

from gradcli.interp import classes
from gradcli.interp.builtins import registry

COUNTER = (
    "class Counter:\n"
    "    total = 0\n"
    "    def __init__(self, start=0):\n"
    "        self.n = start\n"
    "        Counter.total += 1\n"
    "    def inc(self, by=1):\n"
    "        self.n += by\n"
    "        return self\n"
    "    def __len__(self):\n"
    "        return self.n\n"
    "    def __getitem__(self, i):\n"
    "        if i >= self.n:\n"
    "            raise IndexError('out')\n"
    "        return i * 10\n"
    "    def __str__(self):\n"
    "        return f'Counter({self.n})'\n"
    "    def __call__(self, x):\n"
    "        return x * self.n\n"
)


def test_methods_attributes_and_the_honoured_dunders() -> None:
    same_as_python(
        COUNTER + "c = Counter(2).inc().inc(2)\n"
        "print(c, len(c), c[1], list(c), c(3), Counter.total, bool(Counter()), Counter.total)\n"
        "print(str(c), f'{c}', 20 in c, [x for x in c][-1], bool(Counter(0)))\n",
        "Counter(5) 5 10 [0, 10, 20, 30, 40] 15 1 False 2\nCounter(5) Counter(5) True 40 "
        "False\n")


def test_class_and_instance_attributes() -> None:
    same_as_python(
        "class A:\n    k = 1\n    def get(self):\n        return self.k\n"
        "a, b = A(), A()\na.k = 5\nA.k = 2\nprint(a.get(), b.get(), A.k, A.__name__)\n"
        "a.extra = [1]\ndel a.k\nprint(a.get(), a.extra)\n"
        "try:\n    a.missing\nexcept AttributeError as e:\n    print(e)\n"
        "try:\n    A.missing\nexcept AttributeError as e:\n    print(e)\n",
        "5 2 2 A\n2 [1]\n'A' object has no attribute 'missing'\n"
        "type object 'A' has no attribute 'missing'\n")


def test_private_attributes_work_from_methods() -> None:
    same_as_python(
        "class W:\n    def __init__(self, w):\n        self._w = w\n        self.__h = 2\n"
        "    def _scale(self):\n        return self._w * self.__h\n"
        "    def value(self):\n        return self._scale()\n"
        "print(W(3).value(), W(4)._w)\n", "6 4\n")


def test_static_class_methods_and_properties() -> None:
    same_as_python(
        "class P:\n    unit = 'm'\n"
        "    def __init__(self, w):\n        self._w = w\n"
        "    @property\n    def w(self):\n        return self._w\n"
        "    @w.setter\n    def w(self, v):\n        self._w = v * 2\n"
        "    @staticmethod\n    def add(a, b):\n        return a + b\n"
        "    @classmethod\n    def make(cls, v):\n        return cls(v)\n"
        "    @classmethod\n    def units(cls):\n        return cls.unit\n"
        "p = P.make(1)\np.w = 5\n"
        "print(p.w, p._w, P.add(1, 2), p.add(3, 4), P.units(), p.units())\n",
        "10 10 3 7 m m\n")
    code, message, where = gd_error(
        "class A:\n    @property\n    def p(self):\n        return 1\nA().p = 2\n")
    assert (code, message, where) == (4, "property 'p' of 'A' object has no setter", (5, 1))


def test_inheritance_and_super() -> None:
    same_as_python(
        "class Base:\n    def __init__(self, a):\n        self.a = a\n"
        "    def f(self):\n        return 'base' + str(self.a)\n"
        "    def g(self):\n        return self.f() + '!'\n"
        "    @classmethod\n    def make(cls, v):\n        return cls(v)\n"
        "class Child(Base):\n    def __init__(self, a, b=0):\n        super().__init__(a)\n"
        "        self.b = b\n    def f(self):\n        return 'child/' + super().f()\n"
        "class Grand(Child):\n    pass\n"
        "ch = Child.make(3)\ng = Grand(7, 1)\n"
        "print(ch.f(), ch.g(), ch.a, ch.b, g.f(), g.b, super(Child, g).f())\n"
        "print(isinstance(ch, Base), isinstance(ch, Grand), isinstance(g, (int, Base)),"
        " type(ch) is Child, type(g) == Base)\n"
        "class O(object):\n    def __init__(self):\n        super().__init__()\n"
        "        self.ok = True\nprint(O().ok)\n",
        "child/base3 child/base3! 3 0 child/base7 1 base7\nTrue False True True False\nTrue\n")


def test_a_class_holding_tensors_differentiates() -> None:
    same_as_python(
        "class Model:\n    def __init__(self):\n"
        "        self.w = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "    def __call__(self, x):\n        return (self.w * x).sum()\n"
        "    def __repr__(self):\n        return 'Model(w=' + repr(self.w) + ')'\n"
        "m = Model()\ny = m(torch.tensor([3.0, 4.0]))\ny.backward()\n"
        "print(m, y, m.w.grad)\nprint([m], {'m': m})\n",
        "Model(w=tensor([1., 2.], requires_grad=True)) tensor(11., grad_fn=<SumBackward0>) "
        "tensor([3., 4.])\n[Model(w=tensor([1., 2.], requires_grad=True))] "
        "{'m': Model(w=tensor([1., 2.], requires_grad=True))}\n")


def test_recursive_structures() -> None:
    same_as_python(
        "class Node:\n    def __init__(self, v, children=()):\n        self.v = v\n"
        "        self.children = list(children)\n"
        "    def total(self):\n        return self.v + sum(c.total() for c in self.children)\n"
        "print(Node(1, [Node(2), Node(3, [Node(4)])]).total())\n", "10\n")


def test_printing_has_the_runs_address() -> None:
    """Python prints <__main__.A object at 0x7f…>, an address that changes every run; gd
    the run's own (ad/identity), so a program prints the same bytes every run."""
    out = gd_output("class A:\n    def f(self):\n        pass\n"
                    "a = A()\nprint(a, A, type(a), [a], A.f, repr(a))\nprint(a.f)\n")
    a = "<__main__.A object at 0x7f0000000010>"
    assert out == (f"{a} <class '__main__.A'> <class '__main__.A'> [{a}] "
                   f"<function A.f at 0x7f0000000020> {a}\n<bound method A.f of {a}>\n")


@pytest.mark.parametrize(("program", "message", "where"), [
    ("class A:\n    def __getattribute__(self, o):\n        return 1\n",
     "defining '__getattribute__' is not supported in gd classes", (1, 1)),
    ("class A:\n    __new__ = 1\n", "defining '__new__' is not supported in gd classes",
     (1, 1)),
    ("class A:\n    pass\nclass B(A):\n    pass\nclass C(A, B):\n    pass\n",
     "Cannot create a consistent method resolution\norder (MRO) for bases A, B", (5, 1)),
    ("class A:\n    pass\nclass C(A, A):\n    pass\n", "duplicate base class A", (3, 1)),
    ("class A(int):\n    pass\n", "a gd class can inherit only from object, a gd class or "
     "torch.autograd.Function (or an exception class), not from int in gd", (1, 1)),
    ("class A:\n    pass\nA(1)\n", "A() takes no arguments", (3, 1)),
    ("class A:\n    def __init__(self):\n        return 3\nA()\n",
     "__init__() should return None, not 'int'", (4, 1)),
    ("class A:\n    def __repr__(self):\n        return 5\nprint(repr(A()))\n",
     "__repr__ returned non-string (type int)", (4, 7)),
    ("class A:\n    def __len__(self):\n        return 1.5\nlen(A())\n",
     "'float' object cannot be interpreted as an integer", (4, 1)),
    ("class A:\n    pass\nA()()\n", "'A' object is not callable", (3, 1)),
    ("class A:\n    pass\nA()[0]\n", "'A' object is not subscriptable", (3, 1)),
    ("class A:\n    pass\nlen(A())\n", "object of type 'A' has no len()", (3, 1)),
    ("class A:\n    pass\nfor x in A():\n    pass\n", "'A' object is not iterable", (3, 10)),
    ("print(super())\n", "super(): no arguments", (1, 7)),
    ("class A:\n    def f(self):\n        return 1\nA().f(2)\n",
     "A.f() takes 1 positional argument but 2 were given", (4, 1)),
])
def test_class_errors(program: str, message: str, where: tuple[int, int]) -> None:
    assert gd_error(program) == (4, message, where)


def test_class_errors_a_program_can_catch_are_pythons_classes() -> None:
    same_as_python("class A:\n    pass\n"
                   "for bad in ['A(1)', 'A()()', 'len(A())', 'A().x']:\n    pass\n"
                   "try:\n    A(1)\nexcept TypeError as e:\n    print('T', e)\n"
                   "try:\n    A().x\nexcept AttributeError as e:\n    print('A', e)\n",
                   "T A() takes no arguments\nA 'A' object has no attribute 'x'\n")


def test_runaway_dunders_hit_the_limits() -> None:
    code, message, _ = gd_error("class A:\n    def __repr__(self):\n        return repr(self)\n"
                                "print(A())\n")
    assert code == 4 and message.startswith("maximum recursion depth (200) exceeded")
    code, message, _ = gd_error("class A:\n    def __getitem__(self, i):\n        return i\n"
                                "print(list(A()))\n")
    assert code == 4 and message.startswith("step limit reached")


# ------------------------------------------------- the interface custom_function uses

def test_class_value_interface_for_autograd_function() -> None:
    """ClassValue offers .name, .bases and .lookup (a @staticmethod unwrapped) for the
    torch.autograd.Function machinery; without it, `.apply` is not offered."""
    from gradcli.app import AppOptions, run
    from gradcli.source import Source

    res = run(Source("p.gd", "class Base:\n    pass\n"
                     "class Sq(Base):\n    scale = 2\n"
                     "    @staticmethod\n    def forward(ctx, x):\n        return x * x\n"
                     "    @classmethod\n    def c(cls):\n        return 1\n"), AppOptions())
    sq = res.variables["Sq"]
    assert isinstance(sq, classes.ClassValue)
    assert sq.name == "Sq" and len(sq.bases) == 1 and sq.bases[0].name == "Base"
    assert sq.lookup("scale") == 2 and sq.lookup("missing") is None
    forward = sq.lookup("forward")
    assert forward.name == "Sq.forward" and forward(None, 3) == 9
    assert type(sq.lookup("c")) is classes.ClassMethod
    assert not sq.function_base
    assert registry().bare["object"].name == "object"


def test_exception_classes_of_the_program() -> None:
    same_as_python(
        "class SolverError(RuntimeError):\n    '''Raised when it fails.'''\n"
        "class Diverged(SolverError):\n    pass\n"
        "for exc in [Diverged('nan'), SolverError('x'), ValueError('v')]:\n"
        "    try:\n        raise exc\n"
        "    except SolverError as e:\n        print('solver', type(e).__name__ if False else"
        " isinstance(e, Diverged), e)\n"
        "    except Exception as e:\n        print('other', e)\n",
        "solver True nan\nsolver False x\nother v\n")
    code, message, where = gd_error("class E(Exception):\n    pass\nraise E('boom')\n")
    assert (code, message, where) == (4, "E: boom", (3, 1))
    code, message, _ = gd_error("class E(Exception):\n    @property\n    def f(self):\n"
                                "        pass\n")
    assert (code, message) == (4, "@staticmethod, @classmethod and @property on exception "
                                  "classes are not supported in gd")


def test_super_inside_a_comprehension_of_a_method() -> None:
    # As Python 3.12 (comprehensions inlined); Python 3.11 refuses it.
    assert gd_output("class A:\n    def f(self, i):\n        return i\n"
                     "class B(A):\n    def f(self, i):\n        return 10 * i\n"
                     "    def all(self):\n        return [super().f(i) for i in range(3)]\n"
                     "print(B().all())\n") == "[0, 1, 2]\n"


def test_decorated_methods_and_properties_added_later() -> None:
    same_as_python(
        "class M:\n    def __init__(self):\n"
        "        self.w = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "    @torch.no_grad()\n    def step(self, lr):\n"
        "        self.w -= lr * self.w.grad\n        return self.w.requires_grad\n"
        "    def loss(self):\n        return (self.w ** 2).sum()\n"
        "m = M()\nm.loss().backward()\nprint(m.step(0.5), m.w, m.loss())\n"
        "class P:\n    pass\np = P()\np.q = 1\nP.q = property(lambda self: 42)\nprint(p.q)\n",
        "True tensor([0., 0.], requires_grad=True) tensor(0., grad_fn=<SumBackward0>)\n42\n")
