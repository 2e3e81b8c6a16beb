"""The tensor surface as tutorials and Q&A answers use it, against PyTorch 2.13's output
(round 8): `out=` on torch functions, the in-place views (t_, transpose_, unsqueeze_,
squeeze_, resize_), unfold, diagflat, unique_consecutive, is_nonzero, the random fills
geometric_/log_normal_/cauchy_ and torch.poisson (PyTorch's draws), and the values of
softmax, log_softmax, sigmoid and cross_entropy to the last bit (`.item()` prints them
whole). The expected text is PyTorch's, as a literal; with torch installed the same
program is also run under it, and random arrays are compared bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest
from pyrun import gd_output, guarded_program, torch_output

SETUP = "import torch\nimport torch.nn.functional as F\ntorch.manual_seed(0)\n"


def _program(code: str) -> str:
    return guarded_program(code, SETUP)


# (name, program, PyTorch's output)
CASES = [
    ('out_add_matmul',
     ('a = torch.ones(2)\n'
      'x = torch.zeros(2)\n'
      'y = torch.add(a, a, out=x)\n'
      'print(y is x, x)\n'
      'r = torch.empty(2)\n'
      'torch.matmul(torch.ones(2, 2), torch.ones(2), out=r)\n'
      'print(r)\n'
      'z = torch.zeros(4)\n'
      'torch.mul(a, 3, out=z[:2])\n'
      'print(z)\n'
      'print(torch.add(a, a, out=None))'),
     ('True tensor([2., 2.])\n'
      'tensor([2., 2.])\n'
      'tensor([3., 3., 0., 0.])\n'
      'tensor([2., 2.])\n')),
    ('out_casts_and_resizes',
     ('a = torch.ones(2)\n'
      'print(torch.add(a.long(), 1, out=torch.zeros(2)))\n'
      'print(torch.add(a, a, out=torch.zeros(0)))\n'
      'print(torch.add(a, a, out=torch.zeros(2, dtype=torch.float64)))\n'
      'print(torch.sum(torch.ones(2, 2), 0, out=torch.zeros(2)))\n'
      'print(torch.eq(torch.zeros(2), 0, out=torch.zeros(2)))'),
     ('tensor([2., 2.])\n'
      'tensor([2., 2.])\n'
      'tensor([2., 2.], dtype=torch.float64)\n'
      'tensor([2., 2.])\n'
      'tensor([1., 1.])\n')),
    ('out_tuple',
     ('print(torch.max(torch.tensor([[1., 3.], [4., 2.]]), 1, out=(torch.zeros(2), torch'
      '.zeros(2, dtype=torch.long))))'),
     ('torch.return_types.max_out(\n'
      'values=tensor([3., 4.]),\n'
      'indices=tensor([1, 0]))\n')),
    ('out_float_into_long',
     'torch.add(torch.ones(2), 1.5, out=torch.zeros(2, dtype=torch.long))',
     ('RuntimeError\n'
      "result type Float can't be cast to the desired output type Long\n")),
    ('out_float_into_bool',
     'torch.exp(torch.ones(2), out=torch.zeros(2, dtype=torch.bool))',
     ('RuntimeError\n'
      "result type Float can't be cast to the desired output type Bool\n")),
    ('out_with_grad',
     ('a = torch.ones(2, requires_grad=True)\n'
      'torch.add(a, a, out=torch.zeros(2))'),
     ('RuntimeError\n'
      "add(): functions with out=... arguments don't support automatic differentiation, "
      'but one of the arguments requires grad.\n')),
    ('out_no_grad_mode',
     ('a = torch.ones(2, requires_grad=True)\n'
      'with torch.no_grad():\n'
      '    print(torch.mul(a, 2, out=torch.zeros(2)))'),
     'tensor([2., 2.])\n'),
    ('out_not_taken',
     'torch.zeros_like(torch.ones(2), out=torch.zeros(2))',
     ('TypeError\n'
      "zeros_like() got an unexpected keyword argument 'out'\n")),
    ('inplace_views',
     ('x = torch.arange(6.).reshape(2, 3)\n'
      'print(x.t_())\n'
      'print(x.transpose_(0, 1))\n'
      'print(x.unsqueeze_(0).shape, x.squeeze_().shape, x.swapdims_(0, 1).shape)\n'
      'a = torch.ones(2, 3)\n'
      'b = a[0]\n'
      'a.t_()\n'
      'b[0] = 5\n'
      'print(a)'),
     ('tensor([[0., 3.],\n'
      '        [1., 4.],\n'
      '        [2., 5.]])\n'
      'tensor([[0., 1., 2.],\n'
      '        [3., 4., 5.]])\n'
      'torch.Size([1, 2, 3]) torch.Size([2, 3]) torch.Size([3, 2])\n'
      'tensor([[5., 1.],\n'
      '        [1., 1.],\n'
      '        [1., 1.]])\n')),
    ('inplace_views_grad',
     ('x = torch.ones(2, 1, 3, requires_grad=True)\n'
      'z = (x * 2).squeeze(1)\n'
      'z.t_()\n'
      'print(z.grad_fn.name(), z.shape)\n'
      '(z * torch.arange(6.).reshape(3, 2)).sum().backward()\n'
      'print(x.grad.flatten())\n'
      'w = x * 2\n'
      'w.unsqueeze_(0)\n'
      'print(w.grad_fn.name())'),
     ('TBackward1 torch.Size([3, 2])\n'
      'tensor([ 0.,  4.,  8.,  2.,  6., 10.])\n'
      'UnsqueezeBackward1\n')),
    ('inplace_view_leaf',
     ('x = torch.ones(2, 3, requires_grad=True)\n'
      'x.t_()'),
     ('RuntimeError\n'
      'a leaf Variable that requires grad is being used in an in-place operation.\n')),
    ('resize',
     ('x = torch.arange(6.)\n'
      'print(x.resize_(2, 3))\n'
      'print(x.resize_(4))\n'
      'print(torch.tensor([1., 2.]).resize_(3).shape)'),
     ('tensor([[0., 1., 2.],\n'
      '        [3., 4., 5.]])\n'
      'tensor([0., 1., 2., 3.])\n'
      'torch.Size([3])\n')),
    ('unfold',
     ('print(torch.arange(7.).unfold(0, 3, 2))\n'
      'print(torch.arange(12.).reshape(3, 4).unfold(1, 2, 1).shape)\n'
      'x = torch.arange(6., requires_grad=True)\n'
      'y = x.unfold(0, 3, 1)\n'
      'print(y.grad_fn.name())\n'
      'y.sum().backward()\n'
      'print(x.grad)'),
     ('tensor([[0., 1., 2.],\n'
      '        [2., 3., 4.],\n'
      '        [4., 5., 6.]])\n'
      'torch.Size([3, 3, 2])\n'
      'UnfoldBackward0\n'
      'tensor([1., 2., 3., 3., 2., 1.])\n')),
    ('unfold_too_big',
     'torch.arange(3).unfold(0, 4, 1)',
     ('RuntimeError\n'
      'maximum size for tensor at dimension 0 is 3 but size is 4\n')),
    ('diagflat_unique_consecutive',
     ('print(torch.diagflat(torch.tensor([[1, 2], [3, 4]]), 1))\n'
      'x = torch.tensor([[1, 1, 2], [1, 1, 2], [3, 3, 3]])\n'
      'print(x.unique_consecutive(dim=0, return_inverse=True, return_counts=True))\n'
      'print(torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 3, 1, 1]), return_counts=True))'),
     ('tensor([[0, 1, 0, 0, 0],\n'
      '        [0, 0, 2, 0, 0],\n'
      '        [0, 0, 0, 3, 0],\n'
      '        [0, 0, 0, 0, 4],\n'
      '        [0, 0, 0, 0, 0]])\n'
      '(tensor([[1, 1, 2],\n'
      '        [3, 3, 3]]), tensor([0, 0, 1]), tensor([2, 1]))\n'
      '(tensor([1, 2, 3, 1]), tensor([2, 2, 1, 2]))\n')),
    ('is_nonzero',
     ('print(torch.is_nonzero(torch.tensor(0.)), torch.tensor([3.]).is_nonzero())\n'
      'torch.is_nonzero(torch.tensor([1, 2]))'),
     ('False True\n'
      'RuntimeError\n'
      'Boolean value of Tensor with more than one value is ambiguous\n')),
    ('random_fills',
     ('torch.manual_seed(42)\n'
      'print(torch.empty(3).geometric_(0.5))\n'
      'print(torch.empty(3).log_normal_())\n'
      'print(torch.empty(3).cauchy_())\n'
      'print(torch.empty(20).log_normal_(0, 0.5))\n'
      'print(torch.empty(3, dtype=torch.float64).cauchy_(1, 2))\n'
      'print(torch.empty(3, dtype=torch.long).geometric_(0.2))'),
     ('tensor([5., 4., 4.])\n'
      'tensor([2.7447e+01, 6.0072e+00, 1.9602e-02])\n'
      'tensor([ 4.3928, -3.7222, -2.2593])\n'
      'tensor([1.1986, 1.3066, 1.4988, 1.7422, 0.4296, 0.6099, 1.6144, 1.9369, 1.5047,\n'
      '        0.6819, 0.6871, 1.9665, 1.4094, 0.8488, 1.4881, 1.1511, 1.0285, 1.2987,\n'
      '        0.8876, 0.9754])\n'
      'tensor([-0.9768, -1.2202, -1.3318], dtype=torch.float64)\n'
      'tensor([6, 3, 3])\n')),
    ('poisson',
     ('print(torch.poisson(torch.tensor([1.0, 5.0, 10.0])))\n'
      'print(torch.poisson(torch.tensor([0.0, 0.5, 30.0, 100.0, 12.5, 3.0])))\n'
      'print(torch.rand(2))'),
     ('tensor([2., 6., 9.])\n'
      'tensor([ 0.,  0., 32., 98.,  9.,  3.])\n'
      'tensor([0.8155, 0.7932])\n')),
    ('poisson_negative',
     'torch.poisson(torch.tensor([-1.]))',
     ('RuntimeError\n'
      'invalid Poisson rate, expected rate to be non-negative\n')),
    ('geometric_p',
     'torch.empty(3).geometric_(1.5)',
     ('RuntimeError\n'
      'geometric_ expects p to be in (0, 1), but got p=1.5\n')),
    ('cauchy_long',
     'torch.empty(3, dtype=torch.long).cauchy_()',
     ('RuntimeError\n'
      'Cauchy distribution is a continuous probability distribution. dtype must be a flo'
      'ating point but you specified long int\n')),
    ('tensor_of_range',
     'print(torch.tensor(range(5)), torch.tensor(range(3), dtype=torch.float32))',
     'tensor([0, 1, 2, 3, 4]) tensor([0., 1., 2.])\n'),
    ('ce_item',
     ('x = torch.linspace(-3, 4, 60).reshape(6, 10)\n'
      'y = torch.tensor([1, 0, 9, 3, 3, 7])\n'
      'print(F.cross_entropy(x, y).item())\n'
      'print(F.cross_entropy(x.double(), y).item())'),
     ('2.439073324203491\n'
      '2.439073385946569\n')),
    ('softmax_items',
     ('x = torch.linspace(-2, 3, 37)\n'
      'print(torch.softmax(x, 0).sum().item(), torch.softmax(x, 0)[5].item())\n'
      'print(F.log_softmax(x.double(), 0)[20].item())'),
     ('0.9999998807907104 0.0017600803403183818\n'
      '-4.259062691046523\n')),
    ('sigmoid_items',
     ('x = torch.linspace(-6, 6, 100)\n'
      'print(torch.sigmoid(x).sum().item(), torch.sigmoid(x)[40].item())\n'
      'print(torch.sigmoid(x.double())[97].item())'),
     ('50.0 0.24021248519420624\n'
      '0.9968511871480138\n')),
    ('nll_cascade',
     ('x = torch.linspace(-1, 1, 300).reshape(100, 3).log_softmax(1)\n'
      'y = torch.arange(100) % 3\n'
      "print(F.nll_loss(x, y).item(), F.nll_loss(x, y, reduction='sum').item())"),
     '1.0986939668655396 109.86940002441406\n'),
]


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_prints_what_pytorch_prints(name: str, code: str, expected: str) -> None:
    assert gd_output(_program(code)) == expected


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expected_text_is_pytorchs(name: str, code: str, expected: str) -> None:
    assert torch_output(_program(code)) == expected


# -- the kernels' bits against PyTorch's on random arrays ----------------------------------

def _gd(spelling: str, *args: object) -> np.ndarray:
    from gradcli.ad.graph import Tensor
    from gradcli.ad.ops.surface import SURFACE

    return SURFACE[spelling](*(Tensor(a.copy()) if isinstance(a, np.ndarray) else a
                               for a in args)).array


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_softmax_sigmoid_silu_cross_entropy_bits_are_pytorchs(dtype: str) -> None:
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(0)
    off = total = 0
    for _ in range(40):
        rows, n = int(rng.integers(1, 70)), int(rng.integers(1, 40))
        x = (rng.standard_normal((rows, n)) * 4).astype(dtype)
        target = rng.integers(0, n, rows)
        t = torch.from_numpy(x)
        # along the last dim (along another, PyTorch's loop is only close: not checked)
        assert np.array_equal(_gd("torch.softmax", x, -1), F.softmax(t, -1).numpy())
        # log_softmax: the log of the sum is the C library's, PyTorch's SLEEF's: a row in
        # a few hundred is one unit in the last place off
        ours, theirs = _gd("torch.log_softmax", x, 1), F.log_softmax(t, 1).numpy()
        assert np.all(np.abs(ours - theirs) <= np.spacing(np.abs(theirs)))
        off += int(np.sum(ours != theirs))
        total += ours.size
        assert np.array_equal(_gd("torch.sigmoid", x), torch.sigmoid(t).numpy())
        assert np.array_equal(_gd("torch.nn.functional.silu", x), F.silu(t).numpy())
        assert np.array_equal(_gd("torch.nn.functional.cross_entropy", x, target),
                              F.cross_entropy(t, torch.from_numpy(target)).numpy())
    assert off < 0.03 * total
