"""Round 17: the Python of real PyTorch scripts. Built-ins print as PyTorch's and
Python's do (`print(torch.sin)`: `<built-in method sin of type object at 0x…>`); ...
Each program prints what Python with PyTorch prints; the expected text is CPython's, held
as a literal, and compared live under torch.
"""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pyrun import Case, gd_output, literal_table, masked, torch_output

from gradcli.interp import builtin_reprs
from gradcli.interp.attributes import TENSOR_METHODS, get_attribute
from gradcli.interp.builtins import registry
from gradcli.interp.values import Builtin

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
TABLE = Path(builtin_reprs.__file__).with_name("builtin_reprs.txt")
HEADER = ("# The reprs of gd's built-ins in PyTorch 2.13 / CPython 3.11 that are not their "
          "module's usual kind\n# (see builtin_reprs.py): `spelling KIND [TEXT]`. Generated "
          "by tests/test_r17_py.py\n# (GRADCLI_UPDATE_GOLDEN=1 rewrites it).\n")


def _reachable() -> dict[str, tuple[Builtin, str]]:
    """gd's dotted built-ins that print by Builtin's own repr, each with what the same
    spelling prints in Python with PyTorch (addresses written 0x…)."""
    pytest.importorskip("torch")
    reg = registry()
    reg.load_all()
    found: dict[str, tuple[Builtin, str]] = {}
    for mod, ns in sorted(reg.modules.items()):
        try:
            real = importlib.import_module(mod)
        except ImportError:
            continue
        for name, v in sorted(ns.members.items()):
            if not isinstance(v, Builtin) or type(v).__repr__ is not Builtin.__repr__ \
                    or "." not in v.name or not hasattr(real, name):
                continue
            shown = _ADDRESS.sub(" at 0x…", repr(getattr(real, name)))
            if v.name not in found or f"{mod}.{name}" == v.name:
                found[v.name] = (v, shown)
    torch = importlib.import_module("torch")
    for name in sorted(TENSOR_METHODS):
        real = getattr(torch.Tensor, name, None)
        if real is not None and callable(real):
            v = get_attribute(reg.torch.members["Tensor"], name)
            found[v.name] = (v, _ADDRESS.sub(" at 0x…", repr(real)))
    return found


def test_builtins_print_as_pytorchs() -> None:
    """Every dotted built-in's repr is what the same spelling prints under PyTorch; with
    GRADCLI_UPDATE_GOLDEN=1 the table is rewritten from the real objects first."""
    found = _reachable()
    if os.environ.get("GRADCLI_UPDATE_GOLDEN") == "1":
        lines = [builtin_reprs.encode(name, shown) for name, (_, shown) in sorted(found.items())]
        TABLE.write_text(HEADER + "".join(f"{x}\n" for x in lines if x), encoding="utf-8")
        builtin_reprs._table.cache_clear()
    wrong = [(name, _ADDRESS.sub(" at 0x…", repr(v)), shown)
             for name, (v, shown) in found.items()
             if _ADDRESS.sub(" at 0x…", repr(v)) != shown]
    assert not wrong, f"{len(wrong)} of {len(found)} differ: {wrong[:10]}"


def _type_name(t: type) -> str:
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"


def test_builtins_types_are_pytorchs() -> None:
    """type(F.relu) is function, type(torch.sin) builtin_function_or_method, ...: what
    the table's kind says is the real object's type (a class's metaclass and numpy's
    dispatchers aside)."""
    torch = pytest.importorskip("torch")
    wrong = []
    for name in _reachable():
        mod, _, attr = name.rpartition(".")
        if mod.startswith("numpy"):
            continue  # its functions print as functions but are dispatcher objects
        try:
            real = getattr(torch.Tensor if mod == "torch.Tensor" else
                           importlib.import_module(mod), attr)
        except (ImportError, AttributeError):
            continue
        shown = builtin_reprs.builtin_type(name)
        if shown in ("function", "builtin_function_or_method", "method_descriptor") \
                and shown != _type_name(type(real)):
            wrong.append((name, shown, _type_name(type(real))))
    assert not wrong, f"{len(wrong)} differ: {wrong[:10]}"


CASES: list[Case] = [
    ('class_description',
     'import torch.nn as nn\n'
     'from abc import ABC\n'
     'class Base:\n'
     '    """A base."""\n'
     '    kind = "base"\n'
     'class Child(Base):\n'
     '    def describe(self):\n'
     '        return f"{self.__class__.__qualname__}/{type(self).__module__}"\n'
     'class Other(Base, ABC):\n'
     '    pass\n'
     'class Outer:\n'
     '    class Inner:\n'
     '        pass\n'
     'def make():\n'
     '    class Local:\n'
     '        pass\n'
     '    return Local\n'
     'class Net(nn.Module):\n'
     '    pass\n'
     'print(Child.__qualname__, Child.__module__, Base.__doc__, Child.__doc__, Child().describe()'
     ')\n'
     'print(Child.__bases__, Child.__base__, Other.__bases__)\n'
     'print(Child.__mro__, Other.__mro__)\n'
     'print(Base.__subclasses__(), Child.__subclasses__(), Net.__mro__)\n'
     'print(Outer.Inner, Outer.Inner.__qualname__, make(), make().__qualname__, Child().__doc__)\n'
     'print(repr(Outer.Inner()).split(" at ")[0], repr(make()()).split(" at ")[0])\n'
     'print([c.__name__ for c in Child.__mro__], Child.kind, Child().__module__)\n'
     ,
     'Child __main__ A base. None Child/__main__\n'
     "(<class '__main__.Base'>,) <class '__main__.Base'> (<class '__main__.Base'>, <class 'abc.AB"
     "C'>)\n"
     "(<class '__main__.Child'>, <class '__main__.Base'>, <class 'object'>) (<class '__main__.Oth"
     "er'>, <class '__main__.Base'>, <class 'abc.ABC'>, <class 'object'>)\n"
     "[<class '__main__.Child'>, <class '__main__.Other'>] [] (<class '__main__.Net'>, <class 'to"
     "rch.nn.modules.module.Module'>, <class 'object'>)\n"
     "<class '__main__.Outer.Inner'> Outer.Inner <class '__main__.make.<locals>.Local'> make.<loc"
     'als>.Local None\n'
     '<__main__.Outer.Inner object <__main__.make.<locals>.Local object\n'
     "['Child', 'Base', 'object'] base __main__\n"
     ),
    ('exception_classes',
     'class TrainingError(RuntimeError):\n'
     '    """Raised when training diverges."""\n'
     '    code = 3\n'
     'class Outer:\n'
     '    class Inner(ValueError):\n'
     '        pass\n'
     'e = TrainingError("nan loss")\n'
     'print(TrainingError, TrainingError.code, e.code, TrainingError.__qualname__, TrainingError.'
     '__module__)\n'
     'print(TrainingError.__mro__, TrainingError.__bases__, TrainingError.__doc__)\n'
     'print(ValueError.__mro__, ValueError.__module__, KeyError.__bases__, Exception.__base__)\n'
     'print(Outer.Inner, Outer.Inner("x"), repr(Outer.Inner("x")), type(e), e.__module__)\n'
     'try:\n'
     '    TrainingError.missing\n'
     'except AttributeError as err:\n'
     '    print(err)\n'
     ,
     "<class '__main__.TrainingError'> 3 3 TrainingError __main__\n"
     "(<class '__main__.TrainingError'>, <class 'RuntimeError'>, <class 'Exception'>, <class 'Bas"
     "eException'>, <class 'object'>) (<class 'RuntimeError'>,) Raised when training diverges.\n"
     "(<class 'ValueError'>, <class 'Exception'>, <class 'BaseException'>, <class 'object'>) buil"
     "tins (<class 'LookupError'>,) <class 'BaseException'>\n"
     "<class '__main__.Outer.Inner'> x Inner('x') <class '__main__.TrainingError'> __main__\n"
     "type object 'TrainingError' has no attribute 'missing'\n"
     ),
    ('index_dunder',
     'import operator\n'
     'class Idx:\n'
     '    def __init__(self, v):\n'
     '        self.v = v\n'
     '\n'
     '    def __index__(self):\n'
     '        return self.v\n'
     'class Bad:\n'
     '    def __index__(self):\n'
     '        return 1.5\n'
     'i = Idx(2)\n'
     'print([10, 20, 30][i], list(range(Idx(3))), "abc"[Idx(1)], (1, 2, 3)[Idx(0):Idx(2)])\n'
     'print(hex(Idx(255)), bin(Idx(2)), operator.index(Idx(7)), [1] * Idx(3), "ab" * Idx(2))\n'
     'for bad in (lambda: [1, 2][Bad()], lambda: [1][object()], lambda: operator.index(Bad())):\n'
     '    try:\n'
     '        bad()\n'
     '    except TypeError as e:\n'
     '        print(e)\n'
     ,
     '30 [0, 1, 2] b (1, 2)\n'
     '0xff 0b10 7 [1, 1, 1] abab\n'
     '__index__ returned non-int (type float)\n'
     'list indices must be integers or slices, not object\n'
     '__index__ returned non-int (type float)\n'
     ),
]
test_gd_prints_the_literal, test_the_literal_is_what_pytorch_prints = literal_table(CASES)

# Built-ins of every kind printed by a program (addresses masked on both sides: PyTorch's
# change every run).
BUILTIN_REPRS = (
    'import math\n'
    'import random\n'
    'import torch\n'
    'import torch.nn.functional as F\n'
    '\n'
    'x = torch.ones(2)\n'
    'print(torch.sin, torch.matmul, torch.tensor, F.relu, F.softmax, F.linear, torch.relu)\n'
    'print(torch.linalg.norm, torch.special.expit, torch.fft.fft, torch.autograd.grad)\n'
    'print(math.sqrt, random.random, print, len, torch.no_grad, torch.manual_seed)\n'
    'print(torch.Tensor.add, torch.Tensor.backward, str.upper, dict.fromkeys, x.add)\n'
    'print(type(torch.sin).__name__, type(F.relu).__name__, type(math.sqrt).__name__)\n'
    'print(torch.Tensor.add(x, 1), list(map(torch.Tensor.item, x)), torch.sin is torch.sin)\n'
    'try:\n'
    '    torch.Tensor.add(1, 2)\n'
    'except TypeError as e:\n'
    '    print(e)\n'
)


def test_a_program_prints_builtins_as_pytorch() -> None:
    assert masked(gd_output(BUILTIN_REPRS)) == masked(torch_output(BUILTIN_REPRS))


# traceback in an `except` block: the chain of causes and contexts, the raised line with
# Python 3.11's carets, the last line (errors raised at the top level: gd keeps no frames).
TRACEBACK = (
    'import sys\n'
    'import traceback\n'
    'class TrainingError(Exception):\n'
    '    pass\n'
    'try:\n'
    '    loss = 1 / 0\n'
    'except ZeroDivisionError as e:\n'
    '    text = traceback.format_exc()\n'
    '    print(text.splitlines()[0], "|", text.splitlines()[-1])\n'
    '    print(traceback.format_exception_only(type(e), e), traceback.format_exception_only(e))\n'
    '    print(e.__traceback__.tb_lineno, type(e.__traceback__).__name__)\n'
    'try:\n'
    '    try:\n'
    '        {}["k"]\n'
    '    except KeyError as e:\n'
    '        raise TrainingError("wrapped") from e\n'
    'except TrainingError as e:\n'
    '    traceback.print_exception(type(e), e, e.__traceback__, file=sys.stdout)\n'
    '    print(traceback.format_exception(e)[-1], end="")\n'
    'try:\n'
    '    try:\n'
    '        [1, 2][5]\n'
    '    except IndexError:\n'
    '        raise ValueError("while handling")\n'
    'except ValueError:\n'
    '    traceback.print_exc(file=sys.stdout)\n'
    'print(repr(traceback.format_exc()), traceback.format_exception(ValueError()))\n'
    'print(traceback.format_exception_only(TrainingError("x")), ValueError("v").__traceback__)\n'
)
TRACEBACK_OUTPUT = (
    'Traceback (most recent call last): | ZeroDivisionError: division by zero\n'
    "['ZeroDivisionError: division by zero\\n'] ['ZeroDivisionError: division by zero\\n']\n"
    '6 traceback\n'
    'Traceback (most recent call last):\n'
    '  File "p", line 14, in <module>\n'
    '    {}["k"]\n'
    '    ~~^^^^^\n'
    "KeyError: 'k'\n"
    '\n'
    'The above exception was the direct cause of the following exception:\n'
    '\n'
    'Traceback (most recent call last):\n'
    '  File "p", line 16, in <module>\n'
    '    raise TrainingError("wrapped") from e\n'
    'TrainingError: wrapped\n'
    'TrainingError: wrapped\n'
    'Traceback (most recent call last):\n'
    '  File "p", line 22, in <module>\n'
    '    [1, 2][5]\n'
    '    ~~~~~~^^^\n'
    'IndexError: list index out of range\n'
    '\n'
    'During handling of the above exception, another exception occurred:\n'
    '\n'
    'Traceback (most recent call last):\n'
    '  File "p", line 24, in <module>\n'
    '    raise ValueError("while handling")\n'
    'ValueError: while handling\n'
    "'NoneType: None\\n' ['ValueError\\n']\n"
    "['TrainingError: x\\n'] None\n"
)


def _file_named_p(text: str) -> str:
    return re.sub(r'File "p\.(gd|py)"', 'File "p"', text)


def test_traceback_prints_as_python() -> None:
    assert _file_named_p(gd_output(TRACEBACK)) == TRACEBACK_OUTPUT


def test_traceback_literal_is_what_python_prints(tmp_path: Path) -> None:
    """Run as a file (a traceback shows the lines of a file it can read)."""
    (tmp_path / "p.py").write_text(TRACEBACK, encoding="utf-8")
    done = subprocess.run([sys.executable, "p.py"], cwd=tmp_path, capture_output=True,
                          text=True, check=True)
    assert done.stdout.replace(f'File "{tmp_path / "p.py"}"', 'File "p"') == TRACEBACK_OUTPUT
