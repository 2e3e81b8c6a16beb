"""Round 26, the lead's: Python's own messages about a value's type name the type as
Python does (SumBackward0, Parameter, function or builtin_function_or_method, Namespace,
torch.Size, torch.storage.TypedStorage), never gd's implementation classes; iter()'s
iterator classes as Python's; storages iterate over their elements."""

from __future__ import annotations

from pyrun import gd_output, torch_output

# Each attempt prints its value's type or the error's class and message.
_ATTEMPT = """
def attempt(label, f):
    try:
        r = f()
        print(label, 'ok', type(r).__name__)
    except Exception as e:
        print(label, type(e).__name__, e)
"""

TYPE_NAMES = _ATTEMPT + """
import argparse
import collections
import torch
import torch.nn as nn
import torch.nn.functional as F

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * 2).sum()
values = {'grad_fn': y.grad_fn, 'size': x.shape, 'function': F.relu, 'builtin': torch.sin,
          'dtype': torch.float32, 'device': torch.device('cpu'), 'module': nn.Linear(2, 2),
          'param': nn.Linear(2, 2).weight, 'namespace': argparse.Namespace(a=1),
          'generator': torch.Generator(), 'normal': torch.distributions.Normal(0., 1.),
          'finfo': torch.finfo(torch.float32), 'lambda': lambda a: a, 'none': None,
          'typed': x.detach().storage(), 'untyped': x.detach().untyped_storage()}

for k, v in values.items():
    attempt(k + ' len', lambda: len(v))
    attempt(k + ' subscript', lambda: v[0])
    attempt(k + ' add', lambda: v + 'a')
    attempt(k + ' less', lambda: v < 'a')
    attempt(k + ' neg', lambda: -v)
    attempt(k + ' int', lambda: int(v))
    attempt(k + ' float', lambda: float(v))
    if k != 'module':  # (gd: float()'s words for complex(module))
        attempt(k + ' complex', lambda: complex(v))
    attempt(k + ' abs', lambda: abs(v))
    attempt(k + ' round', lambda: round(v))
    if k != 'device':  # (PyTorch: "comparison not implemented")
        attempt(k + ' sorted', lambda: sorted([v, v]))
    attempt(k + ' concat', lambda: [1] + v)
    print(k, type(v).__name__)
"""


def test_python_messages_name_types_as_python() -> None:
    assert gd_output(TYPE_NAMES) == torch_output(TYPE_NAMES)


ITERATORS = """
import collections
import torch

x = torch.arange(3.0)
values = [[1], (1,), {1: 2}, 'ab', 'é', range(2), {1}, frozenset([1]), b'a', bytearray(b'a'),
          x, x.shape, {1: 2}.items(), {1: 2}.keys(), {1: 2}.values(),
          collections.OrderedDict(a=1), collections.deque([1]), collections.Counter('ab'),
          zip([1], [2]), enumerate([1]), map(abs, [1]), filter(None, [1]), (i for i in [1])]
for v in values:
    print(type(iter(v)).__name__)
for v in ([1], range(3), (1, 2), 'ab'):
    print(type(reversed(v)).__name__)
print(list(x.storage()), list(x.untyped_storage())[:5], list(torch.tensor([True]).storage()))
print(sum(torch.tensor([1, 2, 3]).storage()), type(iter(x.storage())).__name__)
"""


def test_iterator_classes_and_storage_iteration() -> None:
    assert gd_output(ITERATORS) == torch_output(ITERATORS)


ATTRIBUTES_AND_OPERANDS = _ATTEMPT + """
import argparse
import collections
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * 2).sum()
values = {'grad_fn': y.grad_fn, 'size': x.shape, 'function': F.relu, 'builtin': torch.sin,
          'dtype': torch.float32, 'layout': torch.strided, 'device': torch.device('cpu'),
          'param': nn.Linear(2, 2).weight, 'namespace': argparse.Namespace(a=1),
          'generator': torch.Generator(), 'tensor': x, 'ordered': collections.OrderedDict(),
          'default': collections.defaultdict(int), 'deque': collections.deque(),
          'tensor_method': x.add, 'module_method': nn.Linear(2, 2).forward,
          'state': nn.Linear(1, 1).state_dict(), 'scalar': np.float32(1)}

for k, v in values.items():
    if k != 'module_method':  # (PyTorch: the function's name for a missing attribute)
        attempt(k + ' attribute', lambda: v.no_such_attribute)
    if k not in ('ordered', 'state', 'function'):  # (instances with a __dict__)
        attempt(k + ' set attribute', lambda: setattr(v, 'no_such_attribute', 1))
    attempt(k + ' times', lambda: v * v)
    attempt(k + ' matmul', lambda: v @ 2)
    attempt(k + ' in', lambda: 1 in v)
    attempt(k + ' next', lambda: next(v))
    if k != 'device':  # (PyTorch: "comparison not implemented")
        attempt(k + ' max', lambda: max(v, v))
    attempt(k + ' sum', lambda: sum([v, v]))
    if k != 'scalar':  # (numpy's __index__ refusal first)
        attempt(k + ' list index', lambda: [1, 2][v])
attempt('float index', lambda: [1, 2][torch.tensor(1.0)])
attempt('float index set', lambda: [1, 2].__setitem__(torch.tensor(1.0), 0))
"""


def test_attribute_and_operand_messages() -> None:
    assert gd_output(ATTRIBUTES_AND_OPERANDS) == torch_output(ATTRIBUTES_AND_OPERANDS)


TENSOR_CLASS_DUNDERS = """
import torch
a = torch.tensor([1.0, 2.0], requires_grad=True)
print(torch.Tensor.__add__(a, 2))
print(torch.Tensor.__rdiv__(a, 2))
print(torch.Tensor.__div__(a, 2), a.__rdiv__(1), a.__div__(4))
print(torch.Tensor.__getitem__(a, 0), torch.Tensor.__len__(a))
print(torch.Tensor.__rsub__(a, 1), torch.Tensor.__matmul__(a, a))
try:
    torch.Tensor.__add__(1, 2)
except TypeError as e:
    print(e)
b = a.detach().clone()
torch.Tensor.__idiv__(b, 2)
print(b)
mul = torch.Tensor.__mul__
y = mul(a, a).sum()
y.backward()
print(y.grad_fn.name(), a.grad)
"""


def test_tensor_class_protocol_methods() -> None:
    # torch.Tensor.__rdiv__(a, 2) as a forum reproduction spells a / 2's reflection
    assert gd_output(TENSOR_CLASS_DUNDERS) == torch_output(TENSOR_CLASS_DUNDERS)


RDIV_OF_A_TENSOR = """
import torch
a = torch.tensor((1, 2, 3))
b = torch.tensor(2.0, dtype=torch.double, requires_grad=True)
for r in (torch.Tensor.__rdiv__(a, b), a.__rtruediv__(b), a.__rdiv__(3), b / a):
    print(r, r.dtype, type(r.grad_fn).__name__)
"""


def test_rdiv_is_reciprocal_times_other() -> None:
    # PyTorch's Tensor.__rdiv__ is self.reciprocal() * other: a 0-d double does not
    # promote the reciprocal's float32 (b / a, promoted, is float64)
    assert gd_output(RDIV_OF_A_TENSOR) == torch_output(RDIV_OF_A_TENSOR)
