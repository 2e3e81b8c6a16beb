"""Round 25, the lead's: collections.abc and numbers (the abstract classes utility code
tests values against), and typing's aliases of them in isinstance(), as Python answers."""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

ABC_TABLE = """
import collections
import collections.abc
import numbers
import numpy as np
import torch
import torch.nn as nn

class Bag:
    def __init__(self, items):
        self.items = items
    def __len__(self):
        return len(self.items)
    def __iter__(self):
        return iter(self.items)

class Walker:
    def __iter__(self):
        return self
    def __next__(self):
        raise StopIteration

class SameAsAll:
    def __eq__(self, other):
        return True

class Row(list):
    pass

def countdown(n):
    while n:
        yield n
        n -= 1

t = torch.arange(3.0)
lin = nn.Linear(3, 1)
values = [0, -1.5, False, 2j, 'text', b'raw', [], (), {}, set(), frozenset(), range(2), None,
          t, t[0], t.shape, nn.Parameter(t), np.zeros(2), np.float32(2), np.int16(7),
          np.float64(0.5), lin, nn.Sequential(lin), nn.ModuleList([lin]),
          nn.ModuleDict({'l': lin}), lin.state_dict(), countdown(2), zip([], []),
          map(str, []), iter(()), {'k': 1}.values(), {'k': 1}.items(), Bag([1]), Walker(),
          SameAsAll(), Row(), collections.OrderedDict(), collections.defaultdict(list),
          collections.Counter(), collections.deque(), print, abs, lambda: 0, Bag, torch.int64,
          torch.device('cpu')]
abcs = ['Hashable', 'Iterable', 'Iterator', 'Generator', 'Reversible', 'Sized', 'Container',
        'Collection', 'Callable', 'Sequence', 'MutableSequence', 'Mapping', 'MutableMapping',
        'Set', 'MutableSet', 'MappingView', 'KeysView', 'ItemsView', 'ValuesView']
nums = ['Number', 'Complex', 'Real', 'Rational', 'Integral']
for v in values:
    print(type(v).__name__.ljust(28),
          ' '.join(n for n in abcs if isinstance(v, getattr(collections.abc, n))), '|',
          ' '.join(n for n in nums if isinstance(v, getattr(numbers, n))))
"""


def test_every_value_kind_answers_as_python() -> None:
    out = gd_output(ABC_TABLE)
    assert "Tensor" in out and "Hashable Iterable Reversible Sized" in out
    assert out == torch_output(ABC_TABLE)


FORMS = """
import collections.abc as cabc
from collections.abc import Iterable, Mapping, Sequence
import numbers
import typing
from typing import Callable, Dict, List, Tuple
import torch

def flatten(x):
    # a utility of the kind real projects have: tensors and numbers through nested containers
    if isinstance(x, (torch.Tensor, numbers.Number)):
        return [x]
    if isinstance(x, Mapping):
        return [y for k in sorted(x) for y in flatten(x[k])]
    if isinstance(x, Sequence) and not isinstance(x, str):
        return [y for item in x for y in flatten(item)]
    raise TypeError('cannot flatten ' + type(x).__name__)

print(flatten({'b': [1, (2.5, torch.ones(2))], 'a': {'z': 3}}))
try:
    flatten({'s': {1, 2}})
except TypeError as e:
    print(e)
print(cabc.Iterable, numbers.Integral, type(cabc.Sized), cabc.Iterable.__name__)
print(issubclass(list, Sequence), issubclass(dict, cabc.MutableMapping), issubclass(bool,
      numbers.Integral), issubclass(float, numbers.Rational), issubclass(torch.Tensor, Iterable),
      issubclass(torch.Tensor, Sequence))
print(isinstance([1], typing.Sequence), isinstance({}, Dict), isinstance((), Tuple),
      isinstance([], List), isinstance(len, Callable), isinstance(torch.ones(1), typing.Iterable),
      isinstance({1}, typing.AbstractSet))
for bad in [lambda: isinstance([], List[int]), lambda: cabc.Sized(), lambda: cabc.Iterator()]:
    try:
        bad()
    except TypeError as e:
        print('TypeError:', e)
"""


def test_the_classes_typing_aliases_and_their_errors() -> None:
    out = gd_output(FORMS)
    assert out.startswith("[3, 1, 2.5, tensor([1., 1.])]\ncannot flatten set")
    assert out == torch_output(FORMS)


@pytest.mark.parametrize("module", ["numbers", "collections.abc"])
def test_the_modules_import(module: str) -> None:
    program = f"import {module}\nprint('{module}')\n"
    assert gd_output(program) == f"{module}\n"


TYPES = """
import copy
import types
import torch
import torch.nn as nn
import torch.nn.functional as F

def gen():
    yield 1

class Net(nn.Module):
    def forward(self, x):
        return x

class Plain:
    def method(self):
        return 1

net = Net()
kinds = ['FunctionType', 'LambdaType', 'BuiltinFunctionType', 'MethodType', 'GeneratorType',
         'ModuleType']
for v in [gen, lambda: 0, print, len, Plain().method, Plain.method, gen(), types, torch, F,
          F.relu, torch.sin, torch.tensor, net.forward, net, torch.ones(1), 3, 'x',
          [].append, (i for i in [])]:
    print([k for k in kinds if isinstance(v, getattr(types, k))])
cfg = types.SimpleNamespace(lr=0.1, sizes=[2, 3])
cfg.epochs = 2
twin = copy.deepcopy(cfg)
twin.sizes.append(4)
print(cfg, twin, vars(cfg), cfg == types.SimpleNamespace(lr=0.1, sizes=[2, 3], epochs=2))
print(type(cfg), types.SimpleNamespace, isinstance(cfg, types.SimpleNamespace))
for bad in [lambda: cfg.missing, lambda: hash(cfg), lambda: types.SimpleNamespace(1)]:
    try:
        bad()
    except (AttributeError, TypeError) as e:
        print(type(e).__name__, e)
"""


def test_types_classes_and_simple_namespace() -> None:
    out = gd_output(TYPES)
    assert "namespace(lr=0.1, sizes=[2, 3], epochs=2)" in out
    assert out == torch_output(TYPES)


DTYPE_KIND = """
import numpy as np
import torch
for a in [np.zeros(2, dtype=np.float32), np.arange(3), torch.ones(2).numpy(), np.array([True]),
          np.zeros(1, dtype=np.uint8), np.zeros(1, dtype=np.complex64)]:
    print(a.dtype, a.dtype.kind, a.dtype.kind in 'fc', np.dtype(a.dtype).kind)
try:
    torch.float32.kind
except AttributeError as e:
    print(e)
"""


def test_numpy_dtype_kind_reads_and_torch_dtype_has_none() -> None:
    out = gd_output(DTYPE_KIND)
    assert out.startswith("float32 f True f\nint64 i False i\n")
    assert out == torch_output(DTYPE_KIND)


GC = """
import gc
import torch
x = torch.ones(3)
del x
found = gc.collect()
print(type(found).__name__, found >= 0, gc.isenabled())
gc.disable()
print(gc.isenabled())
gc.enable()
print(gc.isenabled())
for bad in [lambda: gc.collect(5), lambda: gc.collect('a')]:
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
"""


def test_gc_imports_and_answers_as_python() -> None:
    out = gd_output(GC)
    assert out.startswith("int True True\nFalse\nTrue\n")
    assert out == torch_output(GC)


UNIONS = """
import typing
from typing import Any, List, Optional, Union
import torch

class Point:
    pass

Number = int | float
print(Number, int | None, torch.Tensor | None, Optional[int], Union[int, str])
print(isinstance(3, Number), isinstance(True, Number), isinstance('3', Number),
      isinstance(None, Optional[int]), isinstance(2.5, Optional[int]),
      isinstance(torch.ones(1), Union[torch.Tensor, float]), isinstance(Point(), Point | None),
      isinstance(1, Union[int, List[int]]))
print({1} | {2}, {'a': 1} | {'b': 2}, 6 | 3, True | False)
for bad in [lambda: isinstance(1, Any), lambda: isinstance(1, typing.Literal[1]),
            lambda: isinstance('s', Union[int, List[int]]), lambda: None | None,
            lambda: 1 | 'a']:
    try:
        print(bad())
    except TypeError as e:
        print('TypeError', e)
"""


def test_unions_of_classes_in_isinstance() -> None:
    out = gd_output(UNIONS)
    assert out.startswith("int | float int | None torch.Tensor | None")
    assert out == torch_output(UNIONS)
