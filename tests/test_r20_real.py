"""Round 20 (real): what real PyTorch programs nobody here wrote showed, each compared
with what PyTorch prints: `x.__class__` of every value (teaching code prints
`y.grad_fn.__class__.__name__` and walks the graph by class name), a library class's
`__qualname__`, and torch.nn.grad's convolution gradients."""

# ruff: noqa: E501  (the programs are written as their authors wrote them)
from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

# x.__class__ is type(x) for every value (refused before round 20 except for instances
# of the program's own classes); __qualname__ of PyTorch's classes is the class's name.
CLASS_OF_VALUES = """\
import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * 3).exp().sum()
print(y.grad_fn.__class__.__name__, type(y.grad_fn).__name__, y.grad_fn.__class__)
def walk(fn, depth=0):
    if fn is None:
        return
    print("  " * depth + fn.__class__.__name__)
    for nxt, _ in fn.next_functions:
        walk(nxt, depth + 1)
walk(y.grad_fn)
print(x.__class__, (3).__class__, "s".__class__.__name__, [1].__class__, {}.__class__.__name__, 2.5.__class__)
print(x.__class__ is torch.Tensor, x.__class__ == type(x), x.dtype.__class__, torch.nn.Linear(1, 1).__class__)
print(torch.nn.Parameter(torch.ones(1)).__class__.__name__, x.shape.__class__, (1, 2).__class__.__name__)
print(None.__class__, True.__class__, x.grad_fn.__class__, torch.device('cpu').__class__, print.__class__)
print(type(x).__name__, x.__class__.__qualname__, torch.nn.Linear.__qualname__, torch.optim.SGD.__qualname__)
print(torch.nn.Linear(1, 1).__class__.__qualname__, torch.utils.data.DataLoader.__qualname__, torch.nn.Linear.__name__)
class A:
    class B:
        pass
def f():
    class C:
        pass
    return C
print(A.B.__qualname__, f().__qualname__, A().__class__.__qualname__, ValueError.__qualname__, A.__class__)
def describe(v):
    cls = v.__class__
    if cls is torch.Tensor:
        return f"Tensor{tuple(v.shape)}"
    if cls in (int, float):
        return f"{cls.__name__}:{v}"
    if cls is list:
        return "[" + ", ".join(describe(e) for e in v) + "]"
    return cls.__name__
print(describe([1, 2.5, torch.zeros(2, 3), "s", None, (1,), {'a': 1}]))
print([{int: lambda v: v * 2, str: lambda v: v.upper()}[x.__class__](x) for x in [3, "ab"]])
print((1.5).__class__(2), "x".__class__(5), [].__class__((1, 2)), "{0.__class__}".format(1), f"{x.__class__}")
m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU())
def init(mod):
    classname = mod.__class__.__name__
    if classname.find('Linear') != -1:
        print('init', classname)
m.apply(init)
s = x.sum()
print(s.grad_fn.next_functions[0][0].__class__.__name__, s.grad_fn.next_functions[0][0].__class__)
"""

# torch.nn.grad's convolution gradients (stride, padding, dilation, groups; under no_grad;
# `import torch.nn.grad` and `from torch.nn.grad import ...`), refused before round 20.
NN_GRAD = """\
import torch
import torch.nn.grad
from torch.nn.grad import conv2d_input, conv3d_weight
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(2, 4, 7, dtype=torch.float64)
w = torch.randn(6, 2, 3, dtype=torch.float64)
go = torch.randn(2, 6, 4, dtype=torch.float64)
with torch.no_grad():
    print(torch.nn.grad.conv1d_input(x.shape, w, go, stride=2, padding=1, dilation=1, groups=2))
    print(torch.nn.grad.conv1d_weight(x, w.shape, go, 2, 1, 1, 2))
x2 = torch.randn(1, 2, 6, 5); w2 = torch.randn(3, 2, 3, 2); go2 = torch.randn(1, 3, 1, 2)
print(conv2d_input([1, 2, 6, 5], w2, go2, stride=(2, 3), padding=(0, 1), dilation=(2, 1)).sum(), torch.nn.grad.conv2d_weight(x2, (3, 2, 3, 2), go2, stride=(2, 3), padding=(0, 1), dilation=(2, 1)).shape)
x3 = torch.randn(1, 1, 3, 3, 3); go3 = torch.randn(1, 2, 2, 2, 2)
print(conv3d_weight(x3, (2, 1, 2, 2, 2), go3).shape, torch.nn.grad.conv3d_input((1, 1, 3, 3, 3), torch.ones(2, 1, 2, 2, 2), go3).shape)
"""


@pytest.mark.parametrize("program", [CLASS_OF_VALUES, NN_GRAD], ids=["class_of_values", "nn_grad"])
def test_prints_what_pytorch_prints(program: str) -> None:
    assert gd_output(program) == torch_output(program)


# The class reached through __class__ leads exactly where type(v) leads: nowhere of the host.
@pytest.mark.parametrize("program", [
    "x.__class__.__bases__", "x.__class__.__mro__", "x.__class__.__subclasses__()",
    "(1).__class__.__bases__", "''.__class__.__mro__[1].__subclasses__()",
    "x.__class__.__init__.__globals__", "(1).__class__.__dict__", "y.grad_fn.__class__.__dict__",
    "y.grad_fn.__class__.__call__", "y.grad_fn.__class__.__class__.__subclasses__()",
    "None.__class__.__init__", "(lambda: 0).__class__.__code__", "print.__class__.__call__",
    "torch.__class__.__dict__", "x.__class__.__getattribute__", "x.__class__.__reduce_ex__",
    "x.__class__.__new__", "y.grad_fn.next_functions[0][0].__class__.__bases__",
    "torch.nn.Linear(1, 1).__class__.__init__.__globals__", "torch.nn.Linear(1, 1).__class__.__dict__",
    "torch.optim.SGD([x], lr=1).__class__.__init__", "x.__class__.__init_subclass__",
    "'{0.__class__.__init__}'.format(x)", "y.grad_fn.__class__()",
])
def test_class_leads_nowhere(program: str) -> None:
    text = ("import torch\nx = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\n"
            f"v = {program}\n")
    out = gd_output(text)
    assert out.startswith("GdError ") and "0x" not in out, out
    assert ("not accessible in gd" in out or "has no attribute" in out
            or "is not callable" in out), out
