"""Issue "Trust": Python's built-ins keep Python's meaning, x.numpy() gives a numpy
array, a tensor compares with None / strings / lists as PyTorch's does.

Every case is a gd program that is also PyTorch code (gd's bare torch names are bound,
as in tests/test_examples.py, to every torch function that shadows no Python built-in)
and the exact text PyTorch 2.13 + numpy print for it ("error: <message>" when it fails).
Each is checked three ways: gd prints the literal; PyTorch prints the literal (one
subprocess for all, skipped without torch); and so gd prints what PyTorch prints.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import numpy as np
import pytest
from pyrun import unaddressed

from gradcli.ad import ops
from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.interp.builtins import PYTHON_BUILTINS, registry
from gradcli.source import Source

CASES: list[tuple[str, str]] = [
    # -- sum: Python's, over dim 0, starting at 0
    ('M = tensor([[1., 2., 3.], [4., 5., 6.]])\n'
     'print(sum(M))\n'
     'print(sum(M, 10))\n'
     'print(sum(M, start=0.5))',
     'tensor([5., 7., 9.])\n'
     'tensor([15., 17., 19.])\n'
     'tensor([5.5000, 7.5000, 9.5000])\n'),
    ('t = tensor([1., 3., 2.], requires_grad=True)\n'
     's = sum(t)\n'
     'print(s)\n'
     's.backward()\n'
     'print(t.grad)',
     'tensor(6., grad_fn=<AddBackward0>)\n'
     'tensor([1., 1., 1.])\n'),
    ('M = tensor([[1., 2.], [3., 4.]], requires_grad=True)\n'
     'print(sum(M))\n'
     'print(sum(M[0]).grad_fn)',
     'tensor([4., 6.], grad_fn=<AddBackward0>)\n'
     '<AddBackward0 object>\n'),
    ('print(sum(tensor([1, 2])), sum(tensor([True, False])), sum(tensor([1, 2]), 0.5))',
     'tensor(3) tensor(1) tensor(3.5000)\n'),
    ('print(sum(zeros(0)), sum(zeros(0, 3)), sum(tensor([[1, 2]])))',
     '0 0 tensor([1, 2])\n'),
    ('print(sum(tensor([1., 2.]), tensor(1.)), sum(tensor([1., 2.], '
     'dtype=torch.float64)))',
     'tensor(4.) tensor(3., dtype=torch.float64)\n'),
    ('print(sum(tensor([100000000., 1., -100000000., 1.])))',
     'tensor(1.)\n'),
    ('print(sum(tensor([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, '
     '1.1], dtype=torch.float64)).item())',
     '6.6\n'),
    ('print(sum(tensor(2.5)))',
     'error: iteration over a 0-d tensor\n'),
    ('print(sum([tensor(1.), tensor(2.)]), sum([1, 2, 3]), sum(range(5), 10))',
     'tensor(3.) 6 20\n'),
    ('print(torch.sum(tensor([[1., 2.], [3., 4.]])), tensor([[1., 2.], [3., 4.]]).sum())',
     'tensor(10.) tensor(10.)\n'),
    # -- max / min: Python's, compare items with > / <
    ('v = tensor([1., 3., 2.])\n'
     'print(max(v), min(v), torch.max(v), v.max())',
     'tensor(3.) tensor(1.) tensor(3.) tensor(3.)\n'),
    ("print(max(tensor([1., float('nan'), 3.])), max(tensor([float('nan'), 1., 3.])))",
     'tensor(3.) tensor(nan)\n'),
    ('print(max(tensor([1., -3., 2.]), key=abs), min(tensor([[1, 2]])))',
     'tensor(-3.) tensor([1, 2])\n'),
    ('print(max(2.5, tensor(1.)), min(tensor(4.), tensor(2.)), max([3, 7, '
     '5]), max([], default=0))',
     '2.5 tensor(2.) 7 0\n'),
    ('print(max(tensor([[1., 2.], [0., 5.]])))',
     'error: Boolean value of Tensor with more than one value is ambiguous\n'),
    ('print(max(zeros(0)))',
     'error: max() arg is an empty sequence\n'),
    ('print(max(tensor(2.)))',
     'error: iteration over a 0-d tensor\n'),
    ('print(max(tensor([1., 2.]), 1.5))',
     'error: Boolean value of Tensor with more than one value is ambiguous\n'),
    # -- abs / pow / round / divmod
    ('t = tensor([-1., 3., -2.], requires_grad=True)\n'
     'print(abs(t), abs(tensor(-1)), abs(-2.5))',
     'tensor([1., 3., 2.], grad_fn=<AbsBackward0>) tensor(1) 2.5\n'),
    ('t = tensor([1., 3., 2.], requires_grad=True)\n'
     'print(pow(t, 2))\n'
     'print(pow(2, t))\n'
     'print(pow(2, 10), pow(2, 3, 5), pow(2.0, -1))',
     'tensor([1., 9., 4.], grad_fn=<PowBackward0>)\n'
     'tensor([2., 8., 4.], grad_fn=<PowBackward2>)\n'
     '1024 3 0.5\n'),
    ('print(round(tensor([2.5])))',
     "error: type Tensor doesn't define __round__ method\n"),
    ('print(round(tensor(2.567), 2))',
     "error: type Tensor doesn't define __round__ method\n"),
    ('print(round(2.567, 2), round(7.5), round(8.5), torch.round(tensor([1.5, 2.5])))',
     '2.57 8 8 tensor([2., 2.])\n'),
    ('print(divmod(7, 2), divmod(-7.5, 2))',
     '(3, 1) (-4.0, 0.5)\n'),
    ('print(divmod(tensor([7.]), 2))',
     "error: unsupported operand type(s) for divmod(): 'Tensor' and 'int'\n"),
    # -- len / float / int / bool
    ("print(len(tensor([[1., 2.], [3., 4.], [5., 6.]])), len([1, 2]), len('abc'))",
     '3 2 3\n'),
    ('print(len(tensor(1.)))',
     'error: len() of a 0-d tensor\n'),
    ('print(float(tensor(2.5)), float(tensor([[1.5]])), int(tensor([2.7])), '
     "int(tensor(-2.7)), int('12'), int('ff', 16))",
     '2.5 1.5 2 -2 12 255\n'),
    ('print(float(tensor([1., 2.])))',
     'error: only one element tensors can be converted to Python scalars\n'),
    ('print(int(zeros(0)))',
     'error: only one element tensors can be converted to Python scalars\n'),
    ('print(bool(tensor([0.])), bool(tensor(3)), bool([]), bool(0.0))',
     'False True False False\n'),
    ('print(bool(tensor([1., 2.])))',
     'error: Boolean value of Tensor with more than one value is ambiguous\n'),
    ('print(bool(tensor([])))',
     'error: Boolean value of Tensor with no values is ambiguous\n'),
    ('if tensor([]):\n'
     "    print('yes')",
     'error: Boolean value of Tensor with no values is ambiguous\n'),
    # -- iteration built-ins
    ('print(sorted(tensor([3, 1, 2])), sorted([3, 1, 2], reverse=True))',
     '[tensor(1), tensor(2), tensor(3)] [3, 2, 1]\n'),
    ('print(any(tensor([0., 1.])), all(tensor([0., 1.])), any([]), all([]))',
     'True False False True\n'),
    ('print(all(tensor([[1., 2.], [3., 4.]])))',
     'error: Boolean value of Tensor with more than one value is ambiguous\n'),
    ('print(list(map(abs, tensor([-1., 2.]))), list(filter(None, tensor([0., '
     '2., 0., 3.]))))',
     '[tensor(1.), tensor(2.)] [tensor(2.), tensor(3.)]\n'),
    ('print(list(enumerate(tensor([5, 6]))), list(zip(tensor([1, 2]), [3, '
     '4])), list(reversed([1, 2, 3])))',
     '[(0, tensor(5)), (1, tensor(6))] [(tensor(1), 3), (tensor(2), 4)] [3, 2, 1]\n'),
    ('print(list(tensor([[1, 2], [3, 4]])), tuple(tensor([1., 2.])))',
     '[tensor([1, 2]), tensor([3, 4])] (tensor(1.), tensor(2.))\n'),
    # -- comparisons with None, strings, lists
    ('x = tensor(1.0)\n'
     'print(x == None, x != None, x is None, x is not None, None == x, None != x)',
     'False True False True False True\n'),
    ('t = tensor([1., 3., 2.], requires_grad=True)\n'
     "print(t == None, t != None, t == 'a', t != 'a', t == [1., 3., 2.], t == "
     '(1,), t == True)',
     'False True False True False False tensor([ True, False, False])\n'),
    ('t = tensor([1., 3., 2.])\n'
     'print([t] == [None], t in [None, t], [None, t].index(t), [t, '
     "None].count(None), tensor(1.) in [None, 'x', 1.0])",
     'False True 1 1 True\n'),
    ('print(tensor(1.) < None)',
     "error: '<' not supported between instances of 'Tensor' and 'NoneType'\n"),
    ('print(None <= tensor(1.))',
     "error: '<=' not supported between instances of 'NoneType' and 'Tensor'\n"),
    ("print(tensor([1., 2.]) > 'a')",
     "error: '>' not supported between instances of 'Tensor' and 'str'\n"),
    ('print(tensor([1., 2.]) >= [1., 2.])',
     "error: '>=' not supported between instances of 'Tensor' and 'list'\n"),
    # -- numpy arrays
    ('x = tensor([1., 2.5])\n'
     'print(x.numpy())\n'
     'print(tensor([[1., 2.5], [3., 4.]]).numpy())\n'
     'print(tensor([1, 2]).numpy(), tensor([True, False]).numpy())',
     '[1.  2.5]\n'
     '[[1.  2.5]\n'
     ' [3.  4. ]]\n'
     '[1 2] [ True False]\n'),
    ('a = tensor([[1., 2.5], [3., 4.]]).numpy()\n'
     'print(a.sum(), a.mean(), a.max(), a.min(), a.prod(), a.std())\n'
     'print(a.sum(0), a.max(axis=1), a.argmax(), a.shape, a.ndim, a.size, a.dtype)',
     '10.5 2.625 4.0 1.0 30.0 1.0825318\n'
     '[4.  6.5] [2.5 4. ] 3 (2, 2) 2 4 float32\n'),
    ('a = tensor([[1., 2.5], [3., 4.]]).numpy()\n'
     'print(a[0], a[0, 1], a[:, 1], a[a > 2], a.T, a.tolist(), a[1, 0].item(), len(a))',
     '[1.  2.5] 2.5 [2.5 4. ] [2.5 3.  4. ] [[1.  3. ]\n'
     ' [2.5 4. ]] [[1.0, 2.5], [3.0, 4.0]] 3.0 2\n'),
    ('a = tensor([1., 3., 2.]).numpy()\n'
     'for v in a:\n'
     '    print(v)\n'
     'print(list(a), [a, a.sum(), a.dtype], (a.sum(),))',
     '1.0\n'
     '3.0\n'
     '2.0\n'
     '[np.float32(1.0), np.float32(3.0), np.float32(2.0)] [array([1., 3., '
     "2.], dtype=float32), np.float32(6.0), dtype('float32')] (np.float32(6.0),)\n"),
    ('a = tensor([1., 3., 2.]).numpy()\n'
     'print(a + 1, a * a, 2 ** a, a / 2, -a, abs(a), a @ a, a > 1, a == 3, a == None)',
     '[2. 4. 3.] [1. 9. 4.] [2. 8. 4.] [0.5 1.5 1. ] [-1. -3. -2.] [1. 3. 2.] '
     '14.0 [False  True  True] [False  True False] [False False False]\n'),
    ('a = tensor([1, 3, 2]).numpy()\n'
     'print(a / 2, a // 2, a.mean(), sum(a), max(a), float(a[0]), int(a[1]), '
     'a.sum() > 5)',
     '[0.5 1.5 1. ] [0 1 1] 2.0 6 3 1.0 3 True\n'),
    ('a = tensor([1., 3., 2.]).numpy()\n'
     "print(f'{a}', str(a), repr(a), str(a.sum()), repr(a.sum()), f'{a.sum():.3f}')",
     '[1. 3. 2.] [1. 3. 2.] array([1., 3., 2.], dtype=float32) 6.0 '
     'np.float32(6.0) 6.000\n'),
    ('x = tensor([1., 3., 2.])\n'
     'a = x.numpy()\n'
     'a[0] = 10.0\n'
     'print(x)\n'
     'x.add_(1)\n'
     'print(a)',
     'tensor([10.,  3.,  2.])\n'
     '[11.  4.  3.]\n'),
    ('a = tensor([1., 3., 2.]).numpy()\n'
     'print(torch.from_numpy(a), torch.tensor(a), torch.tensor(a * 0.5, '
     'requires_grad=True))\n'
     'print(torch.tensor(tensor([1, 2]).numpy()), torch.as_tensor(a))',
     'tensor([1., 3., 2.]) tensor([1., 3., 2.]) tensor([0.5000, 1.5000, '
     '1.0000], requires_grad=True)\n'
     'tensor([1, 2]) tensor([1., 3., 2.])\n'),
    ('x = tensor([1., 2.])\n'
     'a = x.numpy()\n'
     'print(x + a, x * a.sum(), x == a, 1.0 in a)',
     'tensor([2., 4.]) tensor([3., 6.]) tensor([True, True]) True\n'),
    ('x = tensor([1., 2.], requires_grad=True)\n'
     'print(x.detach().numpy())\n'
     'print(x.numpy())',
     '[1. 2.]\n'
     "error: Can't call numpy() on Tensor that requires grad. Use "
     'tensor.detach().numpy() instead.\n'),
    ('print(bool(tensor([1., 2.]).numpy()))',
     'error: The truth value of an array with more than one element is '
     'ambiguous. Use a.any() or a.all()\n'),
    ('print(float(tensor([1., 2.]).numpy()))',
     'error: only 0-dimensional arrays can be converted to Python scalars\n'),
    ('print(torch.from_numpy(tensor([1.])))',
     'error: expected np.ndarray (got Tensor)\n'),
    ('print(tensor([1., 2.]).numpy() * tensor([1., 2.]))',
     "error: unsupported operand type(s) for *: 'numpy.ndarray' and 'Tensor'\n"),
    ('print(tensor([1., 2.]).numpy()[5])',
     'error: index 5 is out of bounds for axis 0 with size 2\n'),
    ('import math\n'
     't = tensor([1., 2., 3.])\n'
     'a = t.numpy()\n'
     'i = tensor([0, 2]).numpy()\n'
     'print(torch.tensor([a.sum(), a.max()]), torch.tensor([[a.sum(), 1.0]]), '
     'a.sum() * t, t * a.sum(), a.sum() + 1, math.sqrt(a.sum()))\n'
     'print(torch.tensor([tensor([1., 2.], '
     'dtype=torch.float64).numpy().sum(), 1]), torch.tensor([a, a]))\n'
     'print(list(range(i[1])), a[i], a[1:], a[::-1], a.reshape(3, 1).shape)\n'
     'print(a.sum() == 6, a.sum() is None)\n'
     'print(a.mean(axis=0, keepdims=True), a.round(1), a.clip(1.5, 2.5), a.cumsum())\n'
     "print(t.numpy().dtype == 'float32', tensor([1., 2.], "
     'dtype=torch.float64).numpy())\n'
     'x = tensor([2.], requires_grad=True)\n'
     'print(x.detach().numpy() * 3, x.numpy(force=True))',
     'tensor([6., 3.]) tensor([[6., 1.]]) tensor([ 6., 12., 18.]) tensor([ '
     '6., 12., 18.]) 7.0 2.449489742783178\n'
     'tensor([3., 1.], dtype=torch.float64) tensor([[1., 2., 3.],\n'
     '        [1., 2., 3.]])\n'
     '[0, 1] [1. 3.] [2. 3.] [3. 2. 1.] (3, 1)\n'
     'True False\n'
     '[2.] [1. 2. 3.] [1.5 2.  2.5] [1. 3. 6.]\n'
     'True [1. 2.]\n'
     '[6.] [2.]\n'),
    ('print(tensor([1., 2., 3.])[tensor([0, 2]).numpy()])',
     'tensor([1., 3.])\n'),
    ('a = tensor([1., 2., 3.]).numpy()\n'
     'print(a.sum() > tensor([1., 9.]))',
     'tensor([ True, False])\n'),
    # -- math.X and other conversions of a tensor: Python's (float(), __index__)
    ('import math\n'
     'print(math.sqrt(tensor(4.)), math.exp(tensor([1.])), '
     'math.floor(tensor(2.5)), math.ceil(tensor([2.5])))\n'
     "print(math.factorial(tensor(3)), math.isnan(tensor(float('nan'))), "
     'math.floor(tensor(7)))',
     '2.0 2.718281828459045 2 3\n'
     '6 True 7\n'),
    ('import math\n'
     'print(math.trunc(tensor(-2.5)))',
     "error: type Tensor doesn't define __trunc__ method\n"),
    ('import math\n'
     'print(math.sqrt(tensor([4., 9.])))',
     'error: only one element tensors can be converted to Python scalars\n'),
    ('import math\n'
     'print(math.factorial(tensor(3.)))',
     'error: only integer tensors of a single element can be converted to an index\n'),
    ('import math\n'
     'print(math.isclose(tensor(1.), 1.0), math.pow(tensor(2.), 3), '
     'math.fabs(tensor(-2)))',
     'True 8.0 2.0\n'),
    ('import math\n'
     'print(math.sqrt(tensor(4.).numpy()), math.floor(tensor([2.5]).numpy()[0]))',
     '2.0 2\n'),
    ('print(int(tensor([1., 2.]).numpy()))',
     'error: only 0-dimensional arrays can be converted to Python scalars\n'),
    ('print(len(tensor([1., 2.]).numpy().sum()))',
     "error: object of type 'numpy.float32' has no len()\n"),
    ('print(list(range(tensor(3))), list(range(tensor([2]))))',
     '[0, 1, 2] [0, 1]\n'),
    ('x = tensor([1., 2.], requires_grad=True)\n'
     'print(x.tolist(), x.numpy(force=True), float(x[0]))',
     '[1.0, 2.0] [1. 2.] 1.0\n'),
    ('print(list(range(tensor(2.5))))',
     'error: only integer tensors of a single element can be converted to an index\n'),
    ('print(list(range(tensor([1, 2]))))',
     'error: only integer tensors of a single element can be converted to an index\n'),
    ('print(list(range(1, tensor(3))))',
     '[1, 2]\n'),
    ('print(list(range(tensor([1., 2.]).numpy()[0])))',
     "error: 'numpy.float32' object cannot be interpreted as an integer\n"),
    ('a = tensor([1., 2.]).numpy()\n'
     't = torch.as_tensor(a)\n'
     'u = torch.tensor(a)\n'
     'v = torch.from_numpy(a)\n'
     'a[0] = 7.\n'
     'print(t, u, v)',
     'tensor([7., 2.]) tensor([1., 2.]) tensor([7., 2.])\n'),
    ('a = tensor([1., 2.]).numpy()\n'
     't = torch.as_tensor(a, dtype=torch.float64)\n'
     'a[0] = 7.\n'
     'print(t)',
     'tensor([1., 2.], dtype=torch.float64)\n'),
    ('a = tensor([1., 2.]).numpy()\n'
     't = torch.from_numpy(a)\n'
     't.add_(1)\n'
     'print(a)',
     '[2. 3.]\n'),
    # -- sum through the functional API, grad mode, a tensor start that broadcasts
    ('from torch.autograd.functional import jacobian, jvp, hessian\n'
     'x = tensor([1., 2., 3.])\n'
     'print(jacobian(lambda v: sum(v * v), x))\n'
     'print(jvp(lambda v: sum(v * v), x, tensor([1., 0., 1.])))\n'
     'print(hessian(lambda v: sum(v ** 3), x))',
     'tensor([2., 4., 6.])\n'
     '(tensor(14.), tensor(8.))\n'
     'tensor([[ 6.,  0.,  0.],\n'
     '        [ 0., 12.,  0.],\n'
     '        [ 0.,  0., 18.]])\n'),
    ('M = tensor([[1., 2.], [3., 4.]], requires_grad=True)\n'
     'with torch.no_grad():\n'
     '    s = sum(M)\n'
     'print(s, s.requires_grad)\n'
     'g = torch.autograd.grad(sum(sum(M * M)), M)\n'
     'print(g)',
     'tensor([4., 6.]) False\n'
     '(tensor([[2., 4.],\n'
     '        [6., 8.]]),)\n'),
    ('x = tensor([1., 2.], requires_grad=True)\n'
     'y = sum(x, x)\n'
     'print(y)\n'
     'y.sum().backward()\n'
     'print(x.grad)',
     'tensor([4., 5.], grad_fn=<AddBackward0>)\n'
     'tensor([3., 3.])\n'),
    ('print(sum(tensor([True, True]), True), sum(tensor([1., 2.]), True))',
     'tensor(True) tensor(4.)\n'),
    ('print(sum(tensor([[1., 2.], [3., 4.]]), tensor([[10.], [20.]])))',
     'tensor([[14., 16.],\n'
     '        [24., 26.]])\n'),
    ('print(sum(tensor([1., 2.]), tensor([[10.], [20.]])))',
     'tensor([[13.],\n'
     '        [23.]])\n'),
    ('print(sum(tensor([1., 2.]), tensor([10, 20])), '
     'sum(tensor([1, 2]), tensor([1.5], dtype=torch.float64)))',
     'tensor([13., 23.]) tensor([4.5000], dtype=torch.float64)\n'),
    ('print(sum(tensor([[1, 2], [3, 4]]), tensor(0.5)))',
     'tensor([4.5000, 6.5000])\n'),
    # -- numpy() of 0-d tensors, views and transposes
    ('print([tensor(6.).numpy(), ones(3).sum().numpy(), (ones(2) * '
     '2)[0].numpy(), ones(2, 3).t().numpy()])',
     '[array(6., dtype=float32), array(3., dtype=float32), array(2., '
     'dtype=float32), array([[1., 1.],\n'
     '       [1., 1.],\n'
     '       [1., 1.]], dtype=float32)]\n'),
    ('a = ones(3).sum().numpy()\n'
     'print(a, a.shape, a.ndim, len([a]))\n'
     'print(float(a), a.item(), a + 1)',
     '3.0 () 0 1\n'
     '3.0 3.0 4.0\n'),
    ('print(ones(2, 3).t().numpy().tolist(), ones(2, 3)[:, 1].numpy())',
     '[[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]] [1. 1.]\n'),
    # a start that broadcasts every row to 300×300: added row by row, exactly
    ('s = sum(arange(300.) * 0.1, zeros(300, 300))\n'
     'print(s.shape, s[0, 0].item(), s[299, 299].item(), s.dtype)',
     'torch.Size([300, 300]) 4485.0 4485.0 torch.float32\n'),
]
IDS = [f"{i:02d}-" + re.sub(r"\W+", "_", p.splitlines()[-1])[:40] for i, (p, _) in
       enumerate(CASES)]


def gd(program: str) -> str:
    """What gd prints for a program, with "error: <message>" if it fails."""
    buf = io.StringIO()
    try:
        run(Source("prog.gd", program), AppOptions(write=buf.write))
    except GdError as e:
        buf.write(f"error: {e.message}\n")
    return unaddressed(buf.getvalue())


_TORCH_RUNNER = r"""
import builtins, contextlib, io, json, re, sys, warnings
import torch
import torch.nn.functional as F

warnings.simplefilter("ignore")
bare = {k: getattr(torch, k) for k in dir(torch)
        if not k.startswith("_") and not hasattr(builtins, k)}
results = []
for program in json.load(sys.stdin):
    torch.set_grad_enabled(True)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            exec(compile(program, "prog.gd", "exec"), dict(bare, torch=torch, F=F))
        except Exception as e:
            print(f"error: {e}")
    results.append(re.sub(r" object at 0x[0-9a-fA-F]+>", " object>", out.getvalue()))
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def torch_printed() -> list[str]:
    pytest.importorskip("torch")
    proc = subprocess.run([sys.executable, "-c", _TORCH_RUNNER],
                          input=json.dumps([p for p, _ in CASES]), capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


@pytest.mark.parametrize(("program", "expected"), CASES, ids=IDS)
def test_gd_prints_what_pytorch_prints(program: str, expected: str) -> None:
    assert gd(program) == expected


@pytest.mark.slow
def test_pytorch_prints_the_expected_text(torch_printed: list[str]) -> None:
    """The literals above are PyTorch's own output (and so gd's equals PyTorch's)."""
    wrong = [(p, e, t) for (p, e), t in zip(CASES, torch_printed, strict=True) if e != t]
    assert not wrong, "\n".join(f"{p!r}:\n  expected {e!r}\n  PyTorch  {t!r}"
                                 for p, e, t in wrong)


# -- sum: Python's value, exactly, by a fused computation -------------------------------

@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
@pytest.mark.parametrize("shape", [(1,), (2,), (7,), (300,), (5, 3), (40, 2, 3)])
def test_sum_of_a_tensor_is_the_left_fold_of_its_rows(dtype: str, shape: tuple[int, ...]
                                                      ) -> None:
    """sum(t) == ((0 + t[0]) + t[1]) + …, each add rounded as PyTorch rounds it: the
    fused reduction must give exactly the sequential value (values chosen so that the
    order of float additions shows)."""
    rng = np.random.default_rng(len(shape) * 1000 + shape[0])
    a = rng.standard_normal(shape) * 10.0 ** rng.integers(-4, 8, shape)
    if dtype == "int64":
        a = rng.integers(-10**6, 10**6, shape)
    elif dtype == "bool":
        a = rng.random(shape) > 0.5
    a = a.astype(dtype)
    acc_dtype = np.int64 if dtype == "bool" else a.dtype  # 0 + a bool tensor is int64
    acc = a[0].astype(acc_dtype)  # 0 + t[0]
    for row in a[1:]:  # then one add per row, rounded as numpy (= PyTorch) rounds it
        acc = np.add(acc, row, dtype=acc_dtype)
    value = registry().bare["sum"](ops.tensor(a))
    assert value.array.dtype == acc.dtype
    np.testing.assert_array_equal(value.array, acc)


def test_the_fold_differs_from_a_plain_reduction_somewhere() -> None:
    """The test above has teeth: for such data a one-pass reduction rounds differently."""
    rng = np.random.default_rng(300 * 1000 + 300)
    a = (rng.standard_normal(300) * 10.0 ** rng.integers(-4, 8, 300)).astype("float32")
    fold = a[0]
    for x in a[1:]:
        fold = np.float32(fold + x)
    assert fold != np.add.reduce(a) or fold != ops.sum(ops.tensor(a)).item()


def test_sum_backward_gives_ones_for_every_row() -> None:
    out = gd("M = tensor([[1., 2.], [3., 4.], [5., 6.]], requires_grad=True)\n"
             "s = sum(M)\ns.backward(tensor([1., 10.]))\nprint(s.grad_fn.name(), M.grad)")
    assert out == ("AddBackward0 tensor([[ 1., 10.],\n        [ 1., 10.],\n"
                   "        [ 1., 10.]])\n")


# -- the table: which names are Python's ---------------------------------------------------

PYTHONS = ["sum", "max", "min", "abs", "pow", "round", "divmod", "len", "float", "int", "bool",
           "sorted", "any", "all", "map", "filter", "zip", "enumerate", "reversed", "list",
           "tuple", "range", "str", "repr", "dict", "set", "iter", "next", "isinstance", "type",
           "object", "super", "staticmethod", "classmethod", "property"]
# Python's reflective and text built-ins (tests/test_trust_pybuiltins.py); dir, vars,
# complex, bytes and bytearray are bare names that refuse with "not supported by gradcli".
MORE_PYTHONS = ["getattr", "hasattr", "setattr", "delattr", "callable", "issubclass", "hash",
                "frozenset", "slice", "format", "chr", "ord", "hex", "bin", "oct", "ascii",
                "dir", "vars", "complex", "bytes", "bytearray", "open", "id"]


def test_every_bare_python_builtin_name_is_pythons() -> None:
    import builtins

    from gradcli.interp.exceptions import CLASSES, ExceptionClass

    bare = registry().bare
    # __name__ is the string "__main__" (the builtins module has a __name__ too).
    shadowing = sorted(n for n in bare if hasattr(builtins, n)
                       and n not in ("print", "__name__", "NotImplemented", "Ellipsis")
                       and n not in CLASSES)
    assert shadowing == sorted(PYTHONS + MORE_PYTHONS)
    # Exception, RuntimeError, ...: gd's own classes for try/except/raise, not the host's
    assert all(type(bare[n]) is ExceptionClass and hasattr(builtins, n) for n in CLASSES)
    assert all(bare[n].fn is PYTHON_BUILTINS[n] for n in PYTHONS + MORE_PYTHONS)
    # torch's meaning stays under torch.X
    assert registry().torch.members["sum"].fn is not PYTHON_BUILTINS["sum"]


def test_the_readme_table_names_every_python_builtin() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    table = text[text.index("| bare name | is |"):]
    table = table[:table.index("\n\n")]
    for name in PYTHONS + MORE_PYTHONS:
        assert f"`{name}" in table, name


# -- numpy values stay inside gd's caps ---------------------------------------------------

@pytest.mark.parametrize("program", [
    "a = zeros(20000000).numpy()\nv = list(a)",
    "a = zeros(20000000).numpy()\nv = a.tolist()",
    "a = zeros(20000000).numpy()\nv = sorted(a)",
])
def test_a_huge_array_does_not_become_a_huge_list(program: str) -> None:
    out = gd(program)
    assert out.startswith("error: ") and "exceeds the limit of 10,000,000" in out, out


def test_sum_over_a_tensor_with_millions_of_rows_is_one_reduction() -> None:
    """sum(t) of 10**7 elements is one reduction (Python's loop would make 10**7 tensors,
    more than gd allows)."""
    assert gd("print(sum(ones(10000000)))") == "tensor(10000000.)\n"
