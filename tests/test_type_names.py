"""type(x) and isinstance for the values gd holds in host objects (torch's generators,
devices, finfo, grad-mode contexts, numpy scalars, collections' classes): the names Python
+ PyTorch print, never gd's own class names (GeneratorValue, Device, grad_mode...)."""

from __future__ import annotations

from pyrun import gd_output, torch_output

PROGRAM = """\
import torch
import numpy as np
import collections, functools
a = np.arange(4.0)
values = [torch.manual_seed(0), torch.Generator(), torch.device('cpu'),
          torch.finfo(torch.float32), torch.iinfo(torch.int32), torch.no_grad(),
          torch.enable_grad(), torch.set_grad_enabled(True), torch.inference_mode(),
          torch.autograd.Function, np.mean(a), a[1], np.sum(np.arange(3)),
          np.float32(0.5), a[0] > 0, a, collections.Counter(), collections.deque(),
          collections.defaultdict(list), functools.partial(abs, 1), Ellipsis, ...]
for v in values:
    print(type(v), type(v).__name__)
print(isinstance(np.mean(a), float), isinstance(np.float32(1), float),
      isinstance(np.sum(np.arange(3)), int), isinstance(a[0] > 0, bool))
try:
    torch.manual_seed(0) + 1
except TypeError as e:
    print(e)
try:
    len(torch.device('cpu'))
except TypeError as e:
    print(e)
"""

EXPECTED = """\
<class 'torch._C.Generator'> Generator
<class 'torch._C.Generator'> Generator
<class 'torch.device'> device
<class 'torch.finfo'> finfo
<class 'torch.iinfo'> iinfo
<class 'torch.autograd.grad_mode.no_grad'> no_grad
<class 'torch.autograd.grad_mode.enable_grad'> enable_grad
<class 'torch.autograd.grad_mode.set_grad_enabled'> set_grad_enabled
<class 'torch.autograd.grad_mode.inference_mode'> inference_mode
<class 'torch.autograd.function.FunctionMeta'> FunctionMeta
<class 'numpy.float64'> float64
<class 'numpy.float64'> float64
<class 'numpy.int64'> int64
<class 'numpy.float32'> float32
<class 'numpy.bool'> bool
<class 'numpy.ndarray'> ndarray
<class 'collections.Counter'> Counter
<class 'collections.deque'> deque
<class 'collections.defaultdict'> defaultdict
<class 'functools.partial'> partial
<class 'ellipsis'> ellipsis
<class 'ellipsis'> ellipsis
True False False False
unsupported operand type(s) for +: 'torch._C.Generator' and 'int'
object of type 'torch.device' has no len()
"""


# Everyday values, each printed as `type(v)` by gd and by Python + PyTorch (the probe that
# found the class: 20 of 120 of these printed gd's own class names).
EVERYDAY = [
    "torch.tensor(1.0)", "torch.float32", "torch.Size([2])", "torch.nn.Linear(2, 2)",
    "range(3)", "iter([1])", "zip([1], [2])", "map(abs, [1])", "filter(None, [1])",
    "enumerate([1])", "reversed([1, 2])", "(x for x in [1])", "{}.keys()", "{}.values()",
    "{}.items()", "slice(1, 2)", "NotImplemented", "print", "len", "torch.tensor([1.0]).sum",
    "lambda x: x", "type", "object()", "torch.nn.functional", "torch.randn(2).shape",
    "torch.tensor([1.0, 2.0]).max(dim=0)", "torch.nn.Parameter(torch.ones(1))",
    "torch.nn.ModuleList()", "torch.nn.Sequential()", "torch.distributions.Normal(0., 1.)",
    "frozenset()", "set()", "3.0", "True", "None", "iter(range(3))", "iter({})", "iter('')",
    "iter(())", "torch.nn.MSELoss()", "collections.OrderedDict()", "torch.nn.Linear(1, 1).forward",
    "(torch.tensor(1.0, requires_grad=True) * 2).grad_fn", "torch.tensor([1, 2]).tolist()",
    "torch.tensor([1.5]).item()", "torch.randn(2).numpy()", "torch.tensor(1.0).device",
    "np.linspace(0, 1, 3)[0]", "np.random.rand(2)", "divmod(7, 2)", "Exception('x')",
    "ValueError", "StopIteration()",
]
EVERYDAY_PROGRAM = "import torch\nimport numpy as np\nimport collections\n" + "".join(
    f"print(type({e}))\n" for e in EVERYDAY)


def test_everyday_values_print_pythons_types() -> None:
    assert gd_output(EVERYDAY_PROGRAM) == torch_output(EVERYDAY_PROGRAM)


def test_gd_prints_pythons_type_names() -> None:
    assert gd_output(PROGRAM) == EXPECTED


def test_python_and_torch_print_the_same() -> None:
    assert torch_output(PROGRAM) == EXPECTED
