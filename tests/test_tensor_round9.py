"""The tensor surface of round 9 against PyTorch 2.13's output: the small dtypes (uint8,
int8, int16, float16: promotion, wrapping, printing, float16 computed in float32 as
PyTorch's CPU kernels do), the in-place function spellings, views and their copies,
scatters, integer math, histograms, window functions, the torch.linalg additions. The
expected text is PyTorch's, as a literal; with torch installed the same program is also
run under it.
"""

# ruff: noqa: E501  (programs and PyTorch's output, whole)

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

SETUP = "import torch\nimport torch.nn.functional as F\ntorch.manual_seed(0)\n"


def _program(code: str) -> str:
    body = "".join(f"    {line}\n" for line in code.splitlines())
    return (SETUP + f"try:\n{body}except Exception as e:\n"
            "    print(type(e).__name__)\n    print(str(e))\n")


# (name, program, PyTorch's output)
CASES = [
    ('uint8_wraps',
     ('x = torch.tensor([1, 2, 250], dtype=torch.uint8)\n'
      'print(x, x + 300, x + 10, x * 2, x - 3)\n'
      'print(-x, x / 2, x // 3)\n'
      'print(x.sum(), x.sum().dtype, x.prod(), x.cumsum(0), x.max())\n'
      'print(x.float() / 255)'),
     ('tensor([  1,   2, 250], dtype=torch.uint8) tensor([45, 46, 38], dtype=torch.uint8) tensor([11, 12,  4], dtype=torch.uint8) tensor([  2,   4, 244], dtype=torch.uint8) tensor([254, 255, 247], dtype=torch.uint8)\n'
      'tensor([255, 254,   6], dtype=torch.uint8) tensor([  0.5000,   1.0000, 125.0000]) tensor([ 0,  0, 83], dtype=torch.uint8)\n'
      'tensor(253) torch.int64 tensor(500) tensor([  1,   3, 253]) tensor(250, dtype=torch.uint8)\n'
      'tensor([0.0039, 0.0078, 0.9804])\n')),
    ('int8_wraps',
     ('y = torch.tensor([100, -100], dtype=torch.int8)\n'
      'print(y + 100, y * 3, y + 1000, abs(y), torch.tensor([-128], dtype=torch.int8).abs())'),
     ('tensor([-56,   0], dtype=torch.int8) tensor([ 44, -44], dtype=torch.int8) tensor([  76, -124], dtype=torch.int8) tensor([100, 100], dtype=torch.int8) tensor([-128], dtype=torch.int8)\n')),
    ('small_int_promotion',
     ('a = torch.tensor([1, 2], dtype=torch.int8)\n'
      'b = torch.tensor([1, 2], dtype=torch.uint8)\n'
      'print(a + b, (a + b).dtype, a * 1.5, a & 3, b | 4, ~b, ~a)\n'
      'print(torch.tensor(3, dtype=torch.uint8) + a, torch.ones(2, dtype=torch.int16) + b)\n'
      'print(torch.promote_types(torch.uint8, torch.int8), torch.promote_types(torch.int16, torch.float16))\n'
      'print(torch.result_type(b, -1), torch.result_type(a, 2.5))'),
     ('tensor([2, 4], dtype=torch.int16) torch.int16 tensor([1.5000, 3.0000]) tensor([1, 2], dtype=torch.int8) tensor([5, 6], dtype=torch.uint8) tensor([254, 253], dtype=torch.uint8) tensor([-2, -3], dtype=torch.int8)\n'
      'tensor([4, 5], dtype=torch.int8) tensor([2, 3], dtype=torch.int16)\n'
      'torch.int16 torch.float16\n'
      'torch.uint8 torch.float32\n')),
    ('half_arithmetic',
     ('h = torch.tensor([1., 2.5, 3.3], dtype=torch.half)\n'
      'print(h, h * h, h.exp(), h.sum(), h.mean())\n'
      'print(h + 1.0, h + torch.tensor([1., 2, 3]), h.dtype, h.double())\n'
      'print(h * 1.1, h / 3.7, h - 0.3, 3 / h)\n'
      'print(torch.tensor([60000.], dtype=torch.float16) * 2, torch.tensor([1e-8]).half())\n'
      'print(torch.tensor(65504., dtype=torch.half), torch.tensor([0.1, 0.2]).half().tolist())'),
     ('tensor([1.0000, 2.5000, 3.3008], dtype=torch.float16) tensor([ 1.0000,  6.2500, 10.8984], dtype=torch.float16) tensor([ 2.7188, 12.1797, 27.1406], dtype=torch.float16) tensor(6.8008, dtype=torch.float16) tensor(2.2676, dtype=torch.float16)\n'
      'tensor([2.0000, 3.5000, 4.3008], dtype=torch.float16) tensor([2.0000, 4.5000, 6.3008]) torch.float16 tensor([1.0000, 2.5000, 3.3008], dtype=torch.float64)\n'
      'tensor([1.0996, 2.7500, 3.6309], dtype=torch.float16) tensor([0.2703, 0.6758, 0.8921], dtype=torch.float16) tensor([0.7002, 2.1992, 3.0000], dtype=torch.float16) tensor([3.0000, 1.1992, 0.9092], dtype=torch.float16)\n'
      'tensor([inf], dtype=torch.float16) tensor([0.], dtype=torch.float16)\n'
      'tensor(65504., dtype=torch.float16) [0.0999755859375, 0.199951171875]\n')),
    ('conversions',
     ('x = torch.randn(3, 4)\n'
      'print(x.half())\n'
      'print((x * 10).byte(), (x * 10).char(), (x * 100).short())\n'
      'print(torch.tensor([1.5, 2.7, -3.2]).to(torch.uint8), torch.tensor([300, -1]).byte(), torch.tensor([70000]).short())\n'
      't = torch.tensor([3, 4], dtype=torch.uint8)\n'
      'print(t.type(), t.half().type(), t.char().type(), t.short().type(), t.element_size(), t.half().element_size())\n'
      'print(torch.uint8, torch.int8, torch.int16, torch.short, torch.float16, torch.half)'),
     ('tensor([[ 1.5410, -0.2935, -2.1797,  0.5684],\n'
      '        [-1.0850, -1.3984,  0.4033,  0.8379],\n'
      '        [-0.7192, -0.4033, -0.5967,  0.1820]], dtype=torch.float16)\n'
      'tensor([[ 15, 254, 235,   5],\n'
      '        [246, 243,   4,   8],\n'
      '        [249, 252, 251,   1]], dtype=torch.uint8) tensor([[ 15,  -2, -21,   5],\n'
      '        [-10, -13,   4,   8],\n'
      '        [ -7,  -4,  -5,   1]], dtype=torch.int8) tensor([[ 154,  -29, -217,   56],\n'
      '        [-108, -139,   40,   83],\n'
      '        [ -71,  -40,  -59,   18]], dtype=torch.int16)\n'
      'tensor([  1,   2, 253], dtype=torch.uint8) tensor([ 44, 255], dtype=torch.uint8) tensor([4464], dtype=torch.int16)\n'
      'torch.ByteTensor torch.HalfTensor torch.CharTensor torch.ShortTensor 1 2\n'
      'torch.uint8 torch.int8 torch.int16 torch.int16 torch.float16 torch.float16\n')),
    ('half_autograd',
     ('x = torch.randn(4, 3, requires_grad=True)\n'
      'y = x.half().sum()\n'
      'y.backward()\n'
      'print(y, x.grad)\n'
      'h = torch.randn(6).half().requires_grad_()\n'
      'z = (h.exp() * 2 + h.sin()).mean()\n'
      'z.backward()\n'
      'print(z, h.grad)'),
     ('tensor(-3.1426, dtype=torch.float16, grad_fn=<SumBackward0>) tensor([[1., 1., 1.],\n'
      '        [1., 1., 1.],\n'
      '        [1., 1., 1.],\n'
      '        [1., 1., 1.]])\n'
      'tensor(2.1758, dtype=torch.float16, grad_fn=<MeanBackward0>) tensor([0.2507, 1.0771, 0.1940, 0.5425, 0.3296, 0.6392], dtype=torch.float16)\n')),
    ('half_layers',
     ('lin = torch.nn.Linear(3, 2)\n'
      'x = torch.randn(4, 3)\n'
      'print(lin.half()(x.half()))\n'
      'h = torch.randn(4, 4).half()\n'
      'print(h @ h, torch.sigmoid(h), torch.relu(h))\n'
      'print(F.gelu(h), F.silu(h), F.softplus(h))'),
     ('tensor([[-0.6318,  1.2920],\n'
      '        [-0.0463,  0.1993],\n'
      '        [ 0.4543,  0.5381],\n'
      '        [-0.4065,  0.2474]], dtype=torch.float16, grad_fn=<AddmmBackward0>)\n'
      'tensor([[ 0.5708,  0.1658,  0.1004, -0.5586],\n'
      '        [-0.0553,  1.5498, -0.9780, -0.5078],\n'
      '        [ 0.4683, -0.0227,  0.5649,  0.2257],\n'
      '        [ 0.0119, -4.5430,  3.9727,  3.5879]], dtype=torch.float16) tensor([[0.3513, 0.5078, 0.3792, 0.5620],\n'
      '        [0.6084, 0.5283, 0.6548, 0.6084],\n'
      '        [0.4744, 0.6885, 0.4282, 0.5132],\n'
      '        [0.6279, 0.9092, 0.1871, 0.1698]], dtype=torch.float16) tensor([[0.0000, 0.0316, 0.0000, 0.2484],\n'
      '        [0.4397, 0.1124, 0.6406, 0.4412],\n'
      '        [0.0000, 0.7925, 0.0000, 0.0525],\n'
      '        [0.5229, 2.3027, 0.0000, 0.0000]], dtype=torch.float16)\n'
      'tensor([[-0.1655,  0.0162, -0.1533,  0.1486],\n'
      '        [ 0.2947,  0.0612,  0.4734,  0.2959],\n'
      '        [-0.0470,  0.6230, -0.1118,  0.0274],\n'
      '        [ 0.3657,  2.2773, -0.1042, -0.0893]], dtype=torch.float16) tensor([[-0.2156,  0.0160, -0.1869,  0.1395],\n'
      '        [ 0.2673,  0.0594,  0.4194,  0.2686],\n'
      '        [-0.0485,  0.5454, -0.1240,  0.0269],\n'
      '        [ 0.3284,  2.0938, -0.2749, -0.2695]], dtype=torch.float16) tensor([[0.4326, 0.7090, 0.4768, 0.8252],\n'
      '        [0.9370, 0.7510, 1.0635, 0.9380],\n'
      '        [0.6431, 1.1660, 0.5586, 0.7197],\n'
      '        [0.9883, 2.3984, 0.2072, 0.1862]], dtype=torch.float16)\n')),
    ('small_dtype_creation',
     ('print(torch.zeros(2, dtype=torch.half), torch.arange(5, dtype=torch.uint8), torch.full((2,), 7, dtype=torch.int8))\n'
      'print(torch.finfo(torch.float16), torch.iinfo(torch.uint8), torch.iinfo(torch.int8))\n'
      'img = torch.randint(0, 256, (2, 3, 3), dtype=torch.uint8)\n'
      'print(img, img.float().div(255).mean())\n'
      'print(torch.tensor([1, 2, 3], dtype=torch.uint8).mean())'),
     ('tensor([0., 0.], dtype=torch.float16) tensor([0, 1, 2, 3, 4], dtype=torch.uint8) tensor([7, 7], dtype=torch.int8)\n'
      'finfo(resolution=0.001, min=-65504, max=65504, eps=0.000976562, smallest_normal=6.10352e-05, tiny=6.10352e-05, dtype=float16) iinfo(min=0, max=255, dtype=uint8) iinfo(min=-128, max=127, dtype=int8)\n'
      'tensor([[[172,  47, 117],\n'
      '         [192,  67, 251],\n'
      '         [195, 103,   9]],\n'
      '\n'
      '        [[211,  21, 242],\n'
      '         [ 36,  87,  70],\n'
      '         [216,  88, 140]]], dtype=torch.uint8) tensor(0.4932)\n'
      'RuntimeError\n'
      'mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Byte\n')),
    ('uint8_indexing',
     ('x = torch.arange(10, dtype=torch.uint8).view(2, 5)\n'
      'print(x[0], x[:, 1], x.t(), torch.cat([x, x]), x.reshape(5, 2).sum(1))\n'
      'print(torch.where(x > 4, x, torch.zeros_like(x)), x.clamp(2, 6), x.max(1), x.argmax())\n'
      'print(x.sort(descending=True).values, x.to(torch.bool))'),
     ('tensor([0, 1, 2, 3, 4], dtype=torch.uint8) tensor([1, 6], dtype=torch.uint8) tensor([[0, 5],\n'
      '        [1, 6],\n'
      '        [2, 7],\n'
      '        [3, 8],\n'
      '        [4, 9]], dtype=torch.uint8) tensor([[0, 1, 2, 3, 4],\n'
      '        [5, 6, 7, 8, 9],\n'
      '        [0, 1, 2, 3, 4],\n'
      '        [5, 6, 7, 8, 9]], dtype=torch.uint8) tensor([ 1,  5,  9, 13, 17])\n'
      'tensor([[0, 0, 0, 0, 0],\n'
      '        [5, 6, 7, 8, 9]], dtype=torch.uint8) tensor([[2, 2, 2, 3, 4],\n'
      '        [5, 6, 6, 6, 6]], dtype=torch.uint8) torch.return_types.max(\n'
      'values=tensor([4, 9], dtype=torch.uint8),\n'
      'indices=tensor([4, 4])) tensor(9)\n'
      'tensor([[4, 3, 2, 1, 0],\n'
      '        [9, 8, 7, 6, 5]], dtype=torch.uint8) tensor([[False,  True,  True,  True,  True],\n'
      '        [ True,  True,  True,  True,  True]])\n')),

]


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_prints_what_pytorch_prints(name: str, code: str, expected: str) -> None:
    assert gd_output(_program(code)) == expected


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expected_text_is_pytorchs(name: str, code: str, expected: str) -> None:
    assert torch_output(_program(code)) == expected
