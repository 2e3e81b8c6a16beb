"""The tensor surface as real PyTorch code uses it, against PyTorch 2.13's output.

Each case is a small program as tutorials and Q&A answers write them: torch functions
refusing Python numbers where their schema takes a Tensor (PyTorch's parser words, and
the AttributeError of PyTorch's Python-written functions), strides and storage offsets of
views, gradcheck/gradgradcheck, lstsq/matrix_rank, ldexp/frexp/nextafter, group_norm,
torch.Size arithmetic. The expected text is PyTorch's, as a literal; with torch
installed the same program is also run under it.
"""

from __future__ import annotations

import pytest
from pyrun import gd_output, guarded_program, torch_output

SETUP = ("import torch\nimport torch.nn.functional as F\ntorch.manual_seed(0)\n"
         "x = torch.arange(6.0).reshape(2, 3)\n")


def _program(code: str) -> str:
    return guarded_program(code, SETUP)


def gd(code: str) -> str:
    return gd_output(_program(code))


def th(code: str) -> str:
    return torch_output(_program(code))


# (name, program, PyTorch's output)
CASES = [
    ('unary_number',
     'print(torch.exp(2.0))',
     ('TypeError\n'
      "exp(): argument 'input' (position 1) must be Tensor, not float\n")),
    ('reduction_int',
     'print(torch.sum(3))',
     ('TypeError\n'
      "sum(): argument 'input' (position 1) must be Tensor, not int\n")),
    ('reduction_list',
     'print(torch.mean([1.0, 2.0]))',
     ('TypeError\n'
      "mean(): argument 'input' (position 1) must be Tensor, not list\n")),
    ('binary_other_number',
     'print(torch.maximum(x, 2.0))',
     ('TypeError\n'
      "maximum(): argument 'other' (position 2) must be Tensor, not float\n")),
    ('special_number',
     'print(torch.special.erf(1.0))',
     ('TypeError\n'
      "special_erf(): argument 'input' (position 1) must be Tensor, not float\n")),
    ('linalg_number',
     'print(torch.linalg.det(1.0))',
     ('TypeError\n'
      "linalg_det(): argument 'A' (position 1) must be Tensor, not float\n")),
    ('nn_builtin_number',
     'print(F.gelu(1.0))',
     ('TypeError\n'
      "gelu(): argument 'input' (position 1) must be Tensor, not float\n")),
    ('nn_python_number',
     'print(F.relu(2.0))',
     ('TypeError\n'
      "relu(): argument 'input' (position 1) must be Tensor, not float\n")),
    ('nn_python_attribute',
     'print(F.mse_loss(2.0, x))',
     ('AttributeError\n'
      "'float' object has no attribute 'size'\n")),
    ('nn_python_missing',
     'print(F.mse_loss(2.0))',
     ('TypeError\n'
      "mse_loss() missing 1 required positional argument: 'target'\n")),
    ('softmax_number',
     'print(F.softmax(2.0, 0))',
     ('AttributeError\n'
      "'float' object has no attribute 'softmax'\n")),
    ('varargs_number',
     'print(torch.meshgrid(x[0], 1.0))',
     ('TypeError\n'
      'expected Tensor as element 1 in argument 0, but got float\n')),
    ('atleast_number',
     'print(torch.atleast_1d(2.0))',
     ('TypeError\n'
      'atleast_1d() received an invalid combination of arguments - got ('
      'float), but expected one of:\n'
      ' * (Tensor input)\n'
      "      didn't match because some of the arguments have invalid types: (!float!)\n"
      ' * (tuple of Tensors tensors)\n'
      "      didn't match because some of the arguments have invalid types: (!float!)\n"
      '\n')),
    ('numbers_allowed',
     'print(torch.add(1, x), torch.mul(2, 3), x.clone().copy_(1))',
     ('tensor([[1., 2., 3.],\n'
      '        [4., 5., 6.]]) tensor(6) tensor([[1., 1., 1.],\n'
      '        [1., 1., 1.]])\n')),
    ('noargs_method',
     'print(x.exp(1))',
     ('TypeError\n'
      'TensorBase.exp() takes no arguments (1 given)\n')),
    ('noargs_method_kw',
     'print(x.exp(a=1))',
     ('TypeError\n'
      'TensorBase.exp() takes no keyword arguments\n')),
    ('chunk_float',
     'print(x.chunk(2.0))',
     ('TypeError\n'
      "chunk(): argument 'chunks' (position 1) must be int, not float\n")),
    ('movedim_float',
     'print(x.movedim(0.5, 1))',
     ('TypeError\n'
      'movedim() received an invalid combination of arguments - got (flo'
      'at, int), but expected one of:\n'
      ' * (int source, int destination)\n'
      "      didn't match because some of the arguments have invalid typ"
      'es: (!float!, int)\n'
      ' * (tuple of ints source, tuple of ints destination)\n'
      "      didn't match because some of the arguments have invalid typ"
      'es: (!float!, !int!)\n'
      '\n')),
    ('index_select_list',
     'print(x.index_select(0, [0]))',
     ('TypeError\n'
      "index_select(): argument 'index' (position 2) must be Tensor, not list\n")),
    ('expand_as_int',
     'print(x.expand_as(2))',
     ('TypeError\n'
      "expand_as(): argument 'other' (position 1) must be Tensor, not int\n")),
    ('split_qualname',
     'print(torch.ones(2).unflatten())',
     ('TypeError\n'
      "Tensor.unflatten() missing 2 required positional arguments: 'dim' and 'sizes'\n")),
    ('methods_ok',
     ('print(x.chunk(2), x.index_select(1, torch.tensor([0, 2])), x.move'
      'dim(0, 1).shape, x.where(x > 2, 0.0), x.broadcast_to(2, 2, 3).shape)'),
     ('(tensor([[0., 1., 2.]]), tensor([[3., 4., 5.]])) tensor([[0., 2.],\n'
      '        [3., 5.]]) torch.Size([3, 2]) tensor([[0., 0., 0.],\n'
      '        [3., 4., 5.]]) torch.Size([2, 2, 3])\n')),
    ('strides',
     ('y = torch.arange(12.).reshape(3, 4)\n'
      'print(y.stride(), y.t().stride(), y.t().is_contiguous(), y[1:, ::2].stride())\n'
      'print(y[1:, ::2].storage_offset(), torch.ones(3, 1).expand(3, 5).stride())\n'
      'print(y[:, None].stride(), y.unsqueeze(2).stride(), y.stride(-1))'),
     ('(4, 1) (1, 4) False (4, 2)\n'
      '4 (1, 0)\n'
      '(4, 4, 1) (4, 1, 1) 1\n')),
    ('stride_dim_out_of_range',
     'print(torch.tensor(3.).stride(0))',
     ('IndexError\n'
      'Dimension specified as 0 but tensor has no dimensions\n')),
    ('sizes_in_bytes',
     ('print(x.element_size(), x.nbytes, x.itemsize, x.double().nbytes, '
      'x.long().element_size(), x.nelement(), x.ndimension())'),
     '4 24 4 48 8 6 2\n'),
    ('size_arithmetic',
     ('s = x.shape\n'
      'print(s + (4,), (1,) + s, s[1:], s * 2, x.layout, x.layout == torch.strided)'),
     ('torch.Size([2, 3, 4]) torch.Size([1, 2, 3]) torch.Size([3]) torch'
      '.Size([2, 3, 2, 3]) torch.strided True\n')),
    ('gradcheck_true',
     ('a = torch.randn(3, dtype=torch.double, requires_grad=True)\n'
      'print(torch.autograd.gradcheck(torch.sin, (a,)), torch.autograd.g'
      'radgradcheck(torch.tanh, a))'),
     'True True\n'),
    ('gradcheck_mismatch',
     ('class Bad(torch.autograd.Function):\n'
      '    @staticmethod\n'
      '    def forward(ctx, i):\n'
      '        return i * i\n'
      '    @staticmethod\n'
      '    def backward(ctx, g):\n'
      '        return g\n'
      'a = torch.tensor([1.0, 2.0], dtype=torch.double, requires_grad=True)\n'
      'print(torch.autograd.gradcheck(Bad.apply, (a,), raise_exception=False))\n'
      'torch.autograd.gradcheck(Bad.apply, (a,), eps=1e-6, atol=1e-4)'),
     ('False\n'
      'GradcheckError\n'
      'Jacobian mismatch for output 0 with respect to input 0,\n'
      'numerical:tensor([[2.0000, 0.0000],\n'
      '        [0.0000, 4.0000]], dtype=torch.float64)\n'
      'analytical:tensor([[1., 0.],\n'
      '        [0., 1.]], dtype=torch.float64)\n'
      '\n')),
    ('gradcheck_no_grad',
     'torch.autograd.gradcheck(torch.sin, (torch.ones(2),))',
     ('ValueError\n'
      'gradcheck expects at least one input tensor to require gradient, '
      'but none of them have requires_grad=True.\n')),
    ('lstsq',
     ('A = torch.tensor([[1., 2.], [3., 4.], [5., 7.]])\n'
      'B = torch.tensor([[1.], [2.], [4.]])\n'
      'print(torch.linalg.lstsq(A, B))\n'
      "print(torch.linalg.lstsq(A, B, driver='gelsd').residuals)\n"
      'print(torch.linalg.matrix_rank(A), torch.linalg.matrix_rank(torch.ones(3, 3)))'),
     ('torch.return_types.linalg_lstsq(\n'
      'solution=tensor([[0.0714],\n'
      '        [0.5000]]),\n'
      'residuals=tensor([]),\n'
      'rank=tensor(2),\n'
      'singular_values=tensor([]))\n'
      'tensor([0.0714])\n'
      'tensor(2) tensor(1)\n')),
    ('float_bits',
     ('print(torch.ldexp(torch.tensor([1., 2.]), torch.tensor([3, 4])))\n'
      'print(torch.frexp(torch.tensor([8., 0.3, -5.])))\n'
      'print(torch.nextafter(torch.tensor([1.]), torch.tensor([2.])) > 1)'),
     ('tensor([ 8., 32.])\n'
      'torch.return_types.frexp(\n'
      'mantissa=tensor([ 0.5000,  0.6000, -0.6250]),\n'
      'exponent=tensor([ 4, -1,  3], dtype=torch.int32))\n'
      'tensor([True])\n')),
    ('group_norm',
     ('y = torch.arange(12.).reshape(1, 4, 3).requires_grad_()\n'
      'w = torch.tensor([1., 2., 3., 4.], requires_grad=True)\n'
      'out = F.group_norm(y, 2, w)\n'
      'print(out)\n'
      '(out ** 2).sum().backward()\n'
      'print(w.grad)'),
     ('tensor([[[-1.4638, -0.8783, -0.2928],\n'
      '         [ 0.5855,  1.7566,  2.9277],\n'
      '         [-4.3915, -2.6349, -0.8783],\n'
      '         [ 1.1711,  3.5132,  5.8554]]], grad_fn=<NativeGroupNormBackward0>)\n'
      'tensor([ 6.0000, 12.0000, 17.9999, 23.9999])\n')),
    ('view_dtype',
     ('y = torch.zeros(2)\nz = y.view(torch.int32)\nz[0] = 1065353216\n'
      'print(y, z, torch.tensor([1.0, -2.0]).double().view(torch.int64))\n'
      'print(torch.ones(3, 2, requires_grad=True).view(torch.float32).requires_grad)\n'
      'torch.tensor([1.0, -2.0, 3.0]).view(torch.float64)'),
     ('tensor([1., 0.]) tensor([1065353216,          0], dtype=torch.int32) '
      'tensor([ 4607182418800017408, -4611686018427387904])\nFalse\nRuntimeError\n'
      'self.size(-1) must be divisible by 2 to view Float as Double (different element '
      'sizes), but got 3\n')),
]


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_prints_what_pytorch_prints(name: str, code: str, expected: str) -> None:
    assert gd(code) == expected


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expected_text_is_pytorchs(name: str, code: str, expected: str) -> None:
    assert th(code) == expected


# -- the class: every exposed torch function given a Python number or a list -------------

def _function_calls() -> list[str]:
    from gradcli.ad.ops.surface import SURFACE

    prefix = {"torch.nn.functional": "F"}
    calls = []
    for spelling in sorted(SURFACE):
        module, _, name = spelling.rpartition(".")
        if module == "Tensor" or spelling in NUMBER_SWEEP_OUT:
            continue
        fn = f"{prefix.get(module, module)}.{name}"
        calls += [f"print({fn}(2.0))", f"print({fn}([1.0, 2.0]))"]
    return calls


# Not PyTorch's words yet (their first argument is not a tensor in PyTorch either).
NUMBER_SWEEP_OUT = frozenset((
    "torch.set_default_dtype", "torch.Tensor", "torch.einsum", "torch.nn.functional.threshold"))


@pytest.mark.parametrize("code", _function_calls())
def test_torch_functions_given_numbers_fail_as_pytorchs(code: str) -> None:
    assert gd(code) == th(code)
