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
from pyrun import gd_output, guarded_program, torch_output

SETUP = "import torch\nimport torch.nn.functional as F\ntorch.manual_seed(0)\n"


def _program(code: str) -> str:
    return guarded_program(code, SETUP)


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
    ('torch_inplace_functions',
     ('x = torch.tensor([-1., 2, -3])\n'
      'print(torch.abs_(x), x)\n'
      'y = torch.tensor([0.5, 2.0])\n'
      'torch.clamp_(y, 0, 1)\n'
      'torch.exp_(y)\n'
      'torch.sin_(y)\n'
      'print(y, torch.clip_(torch.tensor([-1., 2.]), 0, 1), torch.sigmoid_(torch.zeros(2)))\n'
      'w = torch.ones(2, requires_grad=True) * 2\n'
      'print(torch.tanh_(w), torch.zero_(torch.ones(2)))'),
     ('tensor([1., 2., 3.]) tensor([1., 2., 3.])\n'
      'tensor([0.9970, 0.4108]) tensor([0., 1.]) tensor([0.5000, 0.5000])\n'
      'tensor([0.9640, 0.9640], grad_fn=<TanhBackward0>) tensor([0., 0.])\n')),
    ('tensor_inplace_aliases',
     ('a = torch.tensor([1., 2, 3])\n'
      'print(a.eq_(2), a)\n'
      'b = torch.tensor([1, 0, 1], dtype=torch.bool)\n'
      'print(b.logical_and_(torch.tensor([True, True, False])), b.logical_not_(), b)\n'
      'c = torch.tensor([5, 6])\n'
      'print(c.bitwise_and_(3), c.bitwise_or_(8), c.bitwise_xor_(1), c.bitwise_not_())\n'
      'print(torch.tensor([1., 2]).divide_(2), torch.tensor([1., 2]).multiply_(3), torch.tensor([1., 2]).subtract_(1, alpha=2))\n'
      'print(torch.tensor([1., -2]).negative_(), torch.tensor([1., -2]).absolute_(), torch.absolute(torch.tensor([-3])))\n'
      'print(torch.tensor([1., 2]).gt_(1), torch.tensor([1., 2]).less_equal_(1), torch.tensor([1., 2]).not_equal_(1))\n'
      'y = torch.tensor([1., 3], requires_grad=True)\n'
      'z = (y * 1).lt_(2)\n'
      'print(z, torch.tensor([1., 2]).ge_(y))\n'
      'z.sum().backward()\n'
      'print(y.grad)'),
     ('tensor([0., 1., 0.]) tensor([0., 1., 0.])\n'
      'tensor([False,  True,  True]) tensor([False,  True,  True]) tensor([False,  True,  True])\n'
      'tensor([ -9, -12]) tensor([ -9, -12]) tensor([ -9, -12]) tensor([ -9, -12])\n'
      'tensor([0.5000, 1.0000]) tensor([3., 6.]) tensor([-1.,  0.])\n'
      'tensor([-1.,  2.]) tensor([1., 2.]) tensor([3])\n'
      'tensor([0., 1.]) tensor([1., 0.]) tensor([0., 1.])\n'
      'tensor([1., 0.], grad_fn=<LtBackward0>) tensor([1., 0.], grad_fn=<GeBackward1>)\n'
      'tensor([0., 0.])\n')),
    ('real_tensor_complex_views',
     ('z = torch.randn(3, requires_grad=True) * 2\n'
      'print(z.real is z, z.conj() is z, torch.conj(z) is z, z.resolve_conj() is z, z.resolve_neg() is z, torch.conj_physical(z) is z)\n'
      'print(z.is_conj(), z.is_neg(), torch.is_conj(z), torch.isreal(z), torch.real(z))\n'
      'print(z.angle(), torch.angle(torch.tensor([-1., 0, 2, float("nan")])), torch.angle(torch.tensor([-1, 2])))\n'
      'print(z.imag)'),
     ('True True True True True True\n'
      'False False False tensor([True, True, True]) tensor([ 3.0820, -0.5869, -4.3576], grad_fn=<MulBackward0>)\n'
      'tensor([0.0000, 3.1416, 3.1416], grad_fn=<AngleBackward0>) tensor([3.1416, 0.0000, 0.0000,    nan]) tensor([3.1416, 0.0000])\n'
      'RuntimeError\n'
      'imag is not implemented for tensors with non-complex dtypes.\n')),
    ('sum_to_size_split_with_sizes',
     ('a = torch.randn(2, 3, requires_grad=True)\n'
      'print(a.sum_to_size(1, 3), a.sum_to_size(3), a.sum_to_size(2, 3) is a, a.sum_to_size([2, 1]))\n'
      'print(a.split_with_sizes([1, 2], 1), torch.split_with_sizes(a, [1, 1]))\n'
      'print(a.sum_to_size(3, 1))'),
     ('tensor([[ 2.1094, -1.3780, -3.5774]], grad_fn=<SumBackward1>) tensor([ 2.1094, -1.3780, -3.5774], grad_fn=<ViewBackward0>) True tensor([[-0.9312],\n'
      '        [-1.9147]], grad_fn=<SumBackward1>)\n'
      '(tensor([[1.5410],\n'
      '        [0.5684]], grad_fn=<SplitWithSizesBackward0>), tensor([[-0.2934, -2.1788],\n'
      '        [-1.0845, -1.3986]], grad_fn=<SplitWithSizesBackward0>)) (tensor([[ 1.5410, -0.2934, -2.1788]], grad_fn=<SplitWithSizesBackward0>), tensor([[ 0.5684, -1.0845, -1.3986]], grad_fn=<SplitWithSizesBackward0>))\n'
      'RuntimeError\n'
      'size {[3, 1]} is not expandable to size {[2, 3]}.\n')),
    ('view_copies',
     ('a = torch.randn(2, 3, requires_grad=True)\n'
      'print(torch.permute_copy(a, (1, 0)), torch.t_copy(a), torch.view_copy(a, (3, 2)), torch.unsqueeze_copy(a, 0).shape)\n'
      'print(torch.select_copy(a, 0, 1), torch.diagonal_copy(a), torch.expand_copy(a[:1], (2, 3)))\n'
      'print(torch.unbind_copy(a), torch.split_copy(a, 1), torch.narrow_copy(a, 1, 0, 2), a.narrow_copy(0, 1, 1))\n'
      'c = torch.t_copy(a)\n'
      'c.mul_(0)\n'
      'print(a.sum() != 0, c)'),
     ('tensor([[ 1.5410,  0.5684],\n'
      '        [-0.2934, -1.0845],\n'
      '        [-2.1788, -1.3986]], grad_fn=<PermuteBackward0_copy>) tensor([[ 1.5410,  0.5684],\n'
      '        [-0.2934, -1.0845],\n'
      '        [-2.1788, -1.3986]], grad_fn=<TBackward0_copy>) tensor([[ 1.5410, -0.2934],\n'
      '        [-2.1788,  0.5684],\n'
      '        [-1.0845, -1.3986]], grad_fn=<ViewBackward0_copy>) torch.Size([1, 2, 3])\n'
      'tensor([ 0.5684, -1.0845, -1.3986], grad_fn=<SelectBackward0_copy>) tensor([ 1.5410, -1.0845], grad_fn=<DiagonalBackward0_copy>) tensor([[ 1.5410, -0.2934, -2.1788],\n'
      '        [ 1.5410, -0.2934, -2.1788]], grad_fn=<ExpandBackward0_copy>)\n'
      '(tensor([ 1.5410, -0.2934, -2.1788], grad_fn=<UnbindBackward0_copy>), tensor([ 0.5684, -1.0845, -1.3986], grad_fn=<UnbindBackward0_copy>)) (tensor([[ 1.5410, -0.2934, -2.1788]], grad_fn=<SplitBackward0_copy>), tensor([[ 0.5684, -1.0845, -1.3986]], grad_fn=<SplitBackward0_copy>)) tensor([[ 1.5410, -0.2934],\n'
      '        [ 0.5684, -1.0845]], grad_fn=<NarrowCopyBackward0>) tensor([[ 0.5684, -1.0845, -1.3986]], grad_fn=<NarrowCopyBackward0>)\n'
      'tensor(True) tensor([[0., 0.],\n'
      '        [-0., -0.],\n'
      '        [-0., -0.]], grad_fn=<MulBackward0>)\n')),
    ('tensor_new_and_predicates',
     ('a = torch.randn(2, 3)\n'
      'print(a.new([1, 2]), a.new([1, 2]).dtype, a.new().shape, a.new(2, 3).shape, a.new(torch.Size([2])).shape, a.new((2,)))\n'
      'print(a.long().new([1.5]), a.new(torch.tensor([1., 2])))\n'
      'print(a.is_sparse, a.is_quantized, a.is_meta, a.is_pinned(), a.is_nested, a.output_nr, a.is_mkldnn, a.is_xpu, a.is_mps)\n'
      'print(a.new(torch.tensor([1, 2])))'),
     ('tensor([1., 2.]) torch.float32 torch.Size([0]) torch.Size([2, 3]) torch.Size([2]) tensor([2.])\n'
      'tensor([1]) tensor([1., 2.])\n'
      'False False False False False 0 False False False\n'
      'TypeError\n'
      'expected TensorOptions(dtype=float, device=cpu, layout=Strided, requires_grad=false (default), pinned_memory=false (default), memory_format=(nullopt)) (got TensorOptions(dtype=long int, device=cpu, layout=Strided, requires_grad=false (default), pinned_memory=false (default), memory_format=(nullopt)))\n')),
    ('settings_and_rng_state',
     ('print(torch.get_num_threads() > 0, torch.set_num_threads(2), torch.get_num_threads(), torch.get_float32_matmul_precision())\n'
      'torch.set_float32_matmul_precision("high")\n'
      'print(torch.get_float32_matmul_precision(), torch.are_deterministic_algorithms_enabled(), torch.set_flush_denormal(True), torch.set_warn_always(False), torch.is_warn_always_enabled())\n'
      'print(torch.typename(torch.ones(2)), torch.typename(torch.tensor([1])), torch.typename(3), torch.is_same_size(torch.ones(2), torch.ones(3)))\n'
      'print(torch.is_signed(torch.ones(2)), torch.is_signed(torch.ones(2).byte()), torch.newaxis, torch.ones(3)[None, torch.newaxis].shape)\n'
      's = torch.get_rng_state()\n'
      'print(s.dtype, s.shape, s[:12])\n'
      'a = torch.rand(3)\n'
      'torch.set_rng_state(s)\n'
      'print(torch.equal(a, torch.rand(3)), torch.randn(2))\n'
      'torch.set_rng_state([1, 2])'),
     ('True None 2 highest\n'
      'high False True None False\n'
      'torch.FloatTensor torch.LongTensor int False\n'
      'True False None torch.Size([1, 1, 3])\n'
      'torch.uint8 torch.Size([5056]) tensor([0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0], dtype=torch.uint8)\n'
      'True tensor([0.3643, 0.1344])\n'
      'TypeError\n'
      'expected a torch.ByteTensor, but got list\n')),
    ('integer_math',
     ('print(torch.gcd(torch.tensor([12, 18, -4]), torch.tensor([8, 27, 6])), torch.lcm(torch.tensor([12, 18, -4, 0]), torch.tensor([8, 27, 6, 3])))\n'
      'x = torch.tensor([4, 6])\n'
      'x.gcd_(torch.tensor([6, 9]))\n'
      'print(x, torch.tensor([4, 6], dtype=torch.uint8).lcm(torch.tensor([6, 9], dtype=torch.uint8)))\n'
      'm = torch.mvlgamma(torch.tensor([2.5, 3.0], requires_grad=True), 2)\n'
      'm.sum().backward()\n'
      'print(m)\n'
      'print(torch.gcd(torch.tensor([1.]), torch.tensor([2.])))'),
     ('tensor([4, 9, 2]) tensor([24, 54, 12,  0])\n'
      'tensor([2, 3]) tensor([12, 18], dtype=torch.uint8)\n'
      'tensor([0.8570, 1.5502], grad_fn=<MvlgammaBackward0>)\n'
      'NotImplementedError\n'
      '"gcd_cpu" not implemented for \'Float\'\n')),
    ('composites',
     ('a = torch.randn(3, 3, requires_grad=True)\n'
      'v = torch.randn(3, requires_grad=True)\n'
      'b = torch.randn(2, 3, 3, requires_grad=True)\n'
      'print(torch.rsub(a, 1.0), torch.rsub(a, a * 2), torch.rsub(a, 2, alpha=3))\n'
      'print(torch.scalar_tensor(3), torch.scalar_tensor(3, dtype=torch.int64), torch.vdot(v, v))\n'
      'print(torch.addr(a, v, v, beta=2, alpha=0.5), torch.addbmm(a, b, b), a.addr(v, v))\n'
      'print(torch.chain_matmul(a, a, a))\n'
      'print(torch.vdot(torch.ones(2, 2), torch.ones(2, 2)))'),
     ('tensor([[-0.5410,  1.2934,  3.1788],\n'
      '        [ 0.4316,  2.0845,  2.3986],\n'
      '        [ 0.5967,  0.1620,  1.7193]], grad_fn=<RsubBackward1>) tensor([[ 1.5410, -0.2934, -2.1788],\n'
      '        [ 0.5684, -1.0845, -1.3986],\n'
      '        [ 0.4033,  0.8380, -0.7193]], grad_fn=<RsubBackward0>) tensor([[-2.6230,  2.8803,  8.5364],\n'
      '        [ 0.2947,  5.2536,  6.1958],\n'
      '        [ 0.7900, -0.5141,  4.1578]], grad_fn=<RsubBackward1>)\n'
      'tensor(3.) tensor(3) tensor(0.5518, grad_fn=<VdotBackward0>)\n'
      'tensor([[ 3.1633, -0.4665, -4.3943],\n'
      '        [ 1.2572, -1.9911, -2.8515],\n'
      '        [ 0.7700,  1.6217, -1.4219]], grad_fn=<AddrBackward0>) tensor([[ 3.6226, -0.7420, -0.2974],\n'
      '        [-2.9835, -0.0057, -1.3665],\n'
      '        [ 3.3285, -1.9674,  1.1808]], grad_fn=<AddbmmBackward0>) tensor([[ 1.7037, -0.0528, -2.2522],\n'
      '        [ 0.8091, -0.7285, -1.5072],\n'
      '        [ 0.3299,  0.7294, -0.6861]], grad_fn=<AddrBackward0>)\n'
      'tensor([[ 0.3774,  0.5790,  0.8378],\n'
      '        [-0.0439,  1.3421, -0.0325],\n'
      '        [-0.3002,  0.2456,  1.6226]], grad_fn=<ViewBackward0>)\n'
      'RuntimeError\n'
      '1D tensors expected, but got 2D and 2D tensors\n')),
    ('scatters_renorm',
     ('a = torch.randn(3, 3, requires_grad=True)\n'
      'v = torch.randn(3, requires_grad=True)\n'
      'print(torch.select_scatter(a, v, 0, 1), torch.slice_scatter(a, a[:1] * 2, 0, 0, 1), torch.diagonal_scatter(a, v), torch.renorm(a, 2, 0, 1.0))\n'
      'print(torch.zeros(5, 3).fill_diagonal_(1, wrap=True), torch.zeros(2, 2, 2).fill_diagonal_(3))\n'
      'b = torch.randn(3, 4)\n'
      'print(torch.diagonal_scatter(b, torch.ones(3), 1), torch.diagonal_scatter(b, torch.ones(2), -1))\n'
      'print(torch.select_scatter(a, torch.ones(2), 0, 0))'),
     ('tensor([[ 1.5410, -0.2934, -2.1788],\n'
      '        [-0.4033, -0.5966,  0.1820],\n'
      '        [ 0.4033,  0.8380, -0.7193]], grad_fn=<SelectScatterBackward0>) tensor([[ 3.0820, -0.5869, -4.3576],\n'
      '        [ 0.5684, -1.0845, -1.3986],\n'
      '        [ 0.4033,  0.8380, -0.7193]], grad_fn=<SliceScatterBackward0>) tensor([[-0.4033, -0.2934, -2.1788],\n'
      '        [ 0.5684, -0.5966, -1.3986],\n'
      '        [ 0.4033,  0.8380,  0.1820]], grad_fn=<DiagonalScatterBackward0>) tensor([[ 0.5740, -0.1093, -0.8115],\n'
      '        [ 0.3058, -0.5834, -0.7524],\n'
      '        [ 0.3431,  0.7128, -0.6118]], grad_fn=<RenormBackward0>)\n'
      'tensor([[1., 0., 0.],\n'
      '        [0., 1., 0.],\n'
      '        [0., 0., 1.],\n'
      '        [0., 0., 0.],\n'
      '        [1., 0., 0.]]) tensor([[[3., 0.],\n'
      '         [0., 0.]],\n'
      '\n'
      '        [[0., 0.],\n'
      '         [0., 3.]]])\n'
      'tensor([[-0.8567,  1.0000, -1.0712,  0.1227],\n'
      '        [-0.5663,  0.3731,  1.0000, -1.5091],\n'
      '        [ 0.3704,  1.4565,  0.9398,  1.0000]]) tensor([[-0.8567,  1.1006, -1.0712,  0.1227],\n'
      '        [ 1.0000,  0.3731, -0.8920, -1.5091],\n'
      '        [ 0.3704,  1.0000,  0.9398,  0.7748]])\n'
      'RuntimeError\n'
      'expected src to have a size equal to the slice of self. src size = [2], slice size = [3]\n')),
    ('windows',
     ('print(torch.hann_window(5), torch.hamming_window(5, periodic=False), torch.blackman_window(6), torch.bartlett_window(7), torch.kaiser_window(6))\n'
      'print(torch.hann_window(8, dtype=torch.float64), torch.hann_window(1), torch.hann_window(0), torch.hamming_window(10), torch.blackman_window(9, periodic=False))\n'
      'print(torch.hann_window(-1))'),
     ('tensor([0.0000, 0.3455, 0.9045, 0.9045, 0.3455]) tensor([0.0800, 0.5400, 1.0000, 0.5400, 0.0800]) tensor([-2.9802e-08,  1.3000e-01,  6.3000e-01,  1.0000e+00,  6.3000e-01,\n'
      '         1.3000e-01]) tensor([0.0000, 0.2857, 0.5714, 0.8571, 0.8571, 0.5714, 0.2857]) tensor([5.2773e-05, 5.4759e-02, 5.1884e-01, 1.0000e+00, 5.1884e-01, 5.4759e-02])\n'
      'tensor([0.0000, 0.1464, 0.5000, 0.8536, 1.0000, 0.8536, 0.5000, 0.1464],\n'
      '       dtype=torch.float64) tensor([1.]) tensor([]) tensor([0.0800, 0.1679, 0.3979, 0.6821, 0.9121, 1.0000, 0.9121, 0.6821, 0.3979,\n'
      '        0.1679]) tensor([-2.9802e-08,  6.6447e-02,  3.4000e-01,  7.7355e-01,  1.0000e+00,\n'
      '         7.7355e-01,  3.4000e-01,  6.6447e-02, -2.9802e-08])\n'
      'RuntimeError\n'
      'hann_window requires non-negative window_length, got window_length=-1\n')),
    ('isin_unravel_histogram',
     ('print(torch.isin(torch.tensor([1, 2, 3, 4]), torch.tensor([2, 4])), torch.isin(torch.tensor([1, 2]), 2), torch.isin(torch.tensor([1., 2]), torch.tensor([2.]), invert=True))\n'
      'print(torch.unravel_index(torch.tensor([4, 7]), (3, 3)), torch.unravel_index(torch.tensor(5), (2, 3)))\n'
      'print(torch.histogram(torch.tensor([1., 2, 1, 4]), bins=4), torch.histogram(torch.tensor([1., 2, 1]), bins=4, range=(0., 3.), density=True))\n'
      'print(torch.histogram(torch.tensor([0.3], dtype=torch.float64), 4), torch.histogram(torch.tensor([1., 2, 1]), torch.tensor([0., 1.5, 3])))\n'
      'print(torch.histogramdd(torch.tensor([[0., 1.], [1., 0.], [2., 0.], [2., 2.]]), bins=[3, 3]))\n'
      'x = torch.randn(100)\n'
      'h = torch.histogram(x, bins=5)\n'
      'print(h.hist, h.bin_edges, x.histogram(3).hist)'),
     ('tensor([False,  True, False,  True]) tensor([False,  True]) tensor([ True, False])\n'
      '(tensor([1, 2]), tensor([1, 1])) (tensor(1), tensor(2))\n'
      'torch.return_types.histogram(\n'
      'hist=tensor([2., 1., 0., 1.]),\n'
      'bin_edges=tensor([1.0000, 1.7500, 2.5000, 3.2500, 4.0000])) torch.return_types.histogram(\n'
      'hist=tensor([0.0000, 0.8889, 0.4444, 0.0000]),\n'
      'bin_edges=tensor([0.0000, 0.7500, 1.5000, 2.2500, 3.0000]))\n'
      'torch.return_types.histogram(\n'
      'hist=tensor([0., 1., 0., 0.], dtype=torch.float64),\n'
      'bin_edges=tensor([-0.2000,  0.0500,  0.3000,  0.5500,  0.8000], dtype=torch.float64)) torch.return_types.histogram(\n'
      'hist=tensor([2., 1.]),\n'
      'bin_edges=tensor([0.0000, 1.5000, 3.0000]))\n'
      'torch.return_types.histogramdd(\n'
      'hist=tensor([[0., 1., 0.],\n'
      '        [1., 0., 0.],\n'
      '        [1., 0., 1.]]),\n'
      'bin_edges=(tensor([0.0000, 0.6667, 1.3333, 2.0000]), tensor([0.0000, 0.6667, 1.3333, 2.0000])))\n'
      'tensor([10., 33., 42., 12.,  3.]) tensor([-2.6133, -1.4086, -0.2038,  1.0010,  2.2057,  3.4105]) tensor([22., 71.,  7.])\n')),
    ('solve_triangular_family',
     ('A = torch.randn(3, 3)\n'
      'A = A @ A.T + torch.eye(3)\n'
      'A.requires_grad_()\n'
      'L = torch.linalg.cholesky(A)\n'
      'B = torch.randn(3, 2, requires_grad=True)\n'
      'print(torch.cholesky_solve(B, L), torch.cholesky_inverse(L), torch.cholesky_solve(B, L.mT, upper=True))\n'
      'print(torch.linalg.solve_triangular(L, B, upper=False), torch.linalg.solve_triangular(L.mT, B, upper=True, unitriangular=True))\n'
      'print(torch.linalg.solve_triangular(L, B.mT, upper=False, left=False))\n'
      'x = torch.linalg.solve_triangular(L, B, upper=False)\n'
      'x.sum().backward()\n'
      'print(A.grad, B.grad)\n'
      'Lt = torch.tensor([[2., 0], [1, 3]])\n'
      'print(torch.triangular_solve(torch.ones(2, 1), Lt, upper=False))'),
     ('tensor([[-0.4371,  0.3015],\n'
      '        [ 0.4010, -0.4327],\n'
      '        [ 0.7635, -0.6362]], grad_fn=<CholeskySolveBackward0>) tensor([[ 0.3289, -0.2964, -0.2276],\n'
      '        [-0.2964,  0.4939,  0.1741],\n'
      '        [-0.2276,  0.1741,  0.5815]], grad_fn=<CholeskyInverseBackward0>) tensor([[-0.4371,  0.3015],\n'
      '        [ 0.4010, -0.4327],\n'
      '        [ 0.7635, -0.6362]], grad_fn=<CholeskySolveBackward0>)\n'
      'tensor([[-0.1408, -0.2083],\n'
      '        [ 0.2595, -0.3645],\n'
      '        [ 1.0012, -0.8343]], grad_fn=<LinalgSolveTriangularBackward0>) tensor([[-2.1530,  2.1122],\n'
      '        [ 0.6777, -1.3391],\n'
      '        [ 1.1006, -1.0712]], grad_fn=<LinalgSolveTriangularBackward0>)\n'
      'tensor([[-0.5318,  0.3722,  0.8393],\n'
      '        [ 0.4057, -0.8139, -0.8169]], grad_fn=<LinalgSolveTriangularBackward0>)\n'
      'tensor([[-0.0474,  0.0336,  0.0517],\n'
      '        [ 0.0336,  0.0348,  0.0121],\n'
      '        [ 0.0517,  0.0121, -0.0485]]) tensor([[-0.2929, -0.2929],\n'
      '        [ 0.8929,  0.8929],\n'
      '        [ 0.7626,  0.7626]])\n'
      'torch.return_types.triangular_solve(\n'
      'solution=tensor([[0.5000],\n'
      '        [0.1667]]),\n'
      'cloned_coefficient=tensor([[2., 0.],\n'
      '        [1., 3.]]))\n')),
    ('linalg_ex_cond_tensorinv',
     ('A = torch.randn(3, 3)\n'
      'A = A @ A.T + torch.eye(3)\n'
      'A.requires_grad_()\n'
      'B = torch.randn(3, 2)\n'
      'print(torch.linalg.cholesky_ex(A), torch.linalg.inv_ex(A), torch.linalg.solve_ex(A, B))\n'
      'print(torch.linalg.cond(A), torch.linalg.cond(A, "fro"), torch.linalg.cond(A, 1))\n'
      'print(torch.linalg.tensorinv(torch.eye(4).reshape(4, 2, 2), ind=1))\n'
      'a = torch.eye(6).reshape(2, 3, 6)\n'
      'print(torch.linalg.tensorsolve(a, torch.randn(2, 3)))'),
     ('torch.return_types.linalg_cholesky_ex(\n'
      'L=tensor([[ 2.8649,  0.0000,  0.0000],\n'
      '        [ 1.4805,  1.5045,  0.0000],\n'
      '        [ 0.6781, -0.4503,  1.3114]], grad_fn=<LinalgCholeskyExBackward0>),\n'
      'info=tensor(0, dtype=torch.int32)) torch.return_types.linalg_inv_ex(\n'
      'inverse=tensor([[ 0.3289, -0.2964, -0.2276],\n'
      '        [-0.2964,  0.4939,  0.1741],\n'
      '        [-0.2276,  0.1741,  0.5815]], grad_fn=<LinalgInvExBackward0>),\n'
      'info=tensor(0, dtype=torch.int32)) torch.return_types.linalg_solve_ex(\n'
      'result=tensor([[-0.4371,  0.3015],\n'
      '        [ 0.4010, -0.4327],\n'
      '        [ 0.7635, -0.6362]], grad_fn=<LinalgSolveExBackward0>),\n'
      'info=tensor(0, dtype=torch.int32))\n'
      'tensor(10.6293, grad_fn=<SqueezeBackward1>) tensor(11.8639, grad_fn=<NanToNumBackward0>) tensor(14.1497, grad_fn=<NanToNumBackward0>)\n'
      'tensor([[[1., 0., 0., 0.],\n'
      '         [0., 1., 0., 0.]],\n'
      '\n'
      '        [[0., 0., 1., 0.],\n'
      '         [0., 0., 0., 1.]]])\n'
      'tensor([ 0.1227, -0.5663,  0.3731, -0.8920, -1.5091,  0.3704])\n')),
    ('removed_solve',
     ('torch.solve(torch.eye(2), torch.eye(2))'),
     ('RuntimeError\n'
      'This function was deprecated since version 1.9 and is now removed. `torch.solve` is deprecated in favor of `torch.linalg.solve`. `torch.linalg.solve` has its arguments reversed and does not return the LU factorization.\n'
      '\n'
      'To get the LU factorization see `torch.lu`, which can be used with `torch.lu_solve` or `torch.lu_unpack`.\n'
      'X = torch.solve(B, A).solution should be replaced with:\n'
      'X = torch.linalg.solve(A, B)\n')),
    ('removed_symeig',
     ('torch.symeig(torch.eye(2))'),
     ('RuntimeError\n'
      'This function was deprecated since version 1.9 and is now removed. The default behavior has changed from using the upper triangular portion of the matrix by default to using the lower triangular portion.\n'
      '\n'
      'L, _ = torch.symeig(A, upper=upper) should be replaced with:\n'
      "L = torch.linalg.eigvalsh(A, UPLO='U' if upper else 'L')\n"
      '\n'
      'and\n'
      '\n'
      'L, V = torch.symeig(A, eigenvectors=True) should be replaced with:\n'
      "L, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L')\n")),
    ('removed_eig',
     ('torch.eig(torch.eye(2))'),
     ('RuntimeError\n'
      'This function was deprecated since version 1.9 and is now removed. `torch.linalg.eig` returns complex tensors of dtype `cfloat` or `cdouble` rather than real tensors mimicking complex tensors.\n'
      '\n'
      'L, _ = torch.eig(A) should be replaced with:\n'
      'L_complex = torch.linalg.eigvals(A)\n'
      '\n'
      'and\n'
      '\n'
      'L, V = torch.eig(A, eigenvectors=True) should be replaced with:\n'
      'L_complex, V_complex = torch.linalg.eig(A)\n')),
    ('removed_lstsq',
     ('torch.lstsq(torch.eye(2), torch.eye(2))'),
     ('RuntimeError\n'
      'This function was deprecated since version 1.9 and is now removed. `torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`.\n'
      '`torch.linalg.lstsq` has reversed arguments and does not return the QR decomposition in the returned tuple (although it returns other information about the problem).\n'
      '\n'
      'To get the QR decomposition consider using `torch.linalg.qr`.\n'
      '\n'
      "The returned solution in `torch.lstsq` stored the residuals of the solution in the last m - n columns of the returned value whenever m > n. In torch.linalg.lstsq, the residuals are in the field 'residuals' of the returned named tuple.\n"
      '\n'
      'The unpacking of the solution, as in\n'
      'X, _ = torch.lstsq(B, A).solution[:A.size(1)]\n'
      'should be replaced with:\n'
      'X = torch.linalg.lstsq(A, B).solution\n')),
    ('removed_matrix_rank',
     ('torch.matrix_rank(torch.eye(2))'),
     ('RuntimeError\n'
      'This function was deprecated since version 1.9 and is now removed.\n'
      "Please use the `torch.linalg.matrix_rank` function instead. The parameter 'symmetric' was renamed in `torch.linalg.matrix_rank()` to 'hermitian'.\n")),
    ('torch_namespace_losses',
     ('x = torch.randn(3, 4, requires_grad=True)\n'
      'y = torch.rand(3, 4)\n'
      'print(torch.kl_div(x, y), torch.kl_div(x, y, 2), torch.kl_div(x, y, reduction=1))\n'
      'print(torch.binary_cross_entropy_with_logits(x, y), torch.binary_cross_entropy_with_logits(x, y, None, None, 2))\n'
      'a = torch.randn(3, requires_grad=True)\n'
      'b = torch.randn(3)\n'
      't = torch.tensor([1., -1, 1])\n'
      'print(torch.margin_ranking_loss(a, b, t, 0.0, 1), torch.hinge_embedding_loss(a, t, 1.0, 1), torch.poisson_nll_loss(a, b.abs(), True, False, 1e-8, 1))\n'
      'print(torch.triplet_margin_loss(x, x + 1, x - 1, 1.0, 2.0, 1e-6, False, 1), torch.margin_ranking_loss(a, b, t), torch.hinge_embedding_loss(a, t))\n'
      'torch.kl_div(torch.ones(2), torch.ones(2), reduction="mean")'),
     ('tensor([[-1.0107, -0.1654,  2.0297, -0.1406],\n'
      '        [-0.1114,  0.1544, -0.4853, -0.8467],\n'
      '        [-0.1792, -0.2446, -0.1953, -0.1152]], grad_fn=<SubBackward0>) tensor(-1.3103, grad_fn=<SumBackward0>) tensor(-0.1092, grad_fn=<MeanBackward0>)\n'
      'tensor([[1.0887, 0.7194, 2.1830, 0.9967],\n'
      '        [0.4921, 0.7430, 0.7920, 0.4165],\n'
      '        [0.5234, 0.6205, 0.5286, 0.7825]],\n'
      '       grad_fn=<BinaryCrossEntropyWithLogitsBackward0>) tensor(9.8863, grad_fn=<BinaryCrossEntropyWithLogitsBackward0>)\n'
      'tensor(0.9177, grad_fn=<MeanBackward0>) tensor(0.6625, grad_fn=<MeanBackward0>) tensor(1.5032, grad_fn=<MeanBackward0>)\n'
      'tensor(1.0000, grad_fn=<MeanBackward0>) tensor([2.3485, 0.0000, 0.4045], grad_fn=<ClampMinBackward0>) tensor([-0.8920,  2.5091,  0.3704], grad_fn=<AddBackward0>)\n'
      'TypeError\n'
      "kl_div(): argument 'reduction' must be int, not str\n")),
    ('broadcast_shapes',
     ('print(torch.broadcast_shapes((2, 1), (1, 3)), torch.broadcast_shapes((3,),), torch.broadcast_shapes(2, (3, 1)), torch.broadcast_shapes())\n'
      'print(torch.broadcast_shapes(torch.Size([4, 1, 2]), (5, 1)), torch.broadcast_shapes((1, 0), (3, 1)))\n'
      'torch.broadcast_shapes((2,), (3,))'),
     ('torch.Size([2, 3]) torch.Size([3]) torch.Size([3, 2]) torch.Size([])\n'
      'torch.Size([4, 5, 2]) torch.Size([3, 0])\n'
      'RuntimeError\n'
      'Attempting to broadcast a dimension of length 3 at -1! Mismatching argument at index 1 had (3,); but expected shape should be broadcastable to [2]\n')),

]


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_prints_what_pytorch_prints(name: str, code: str, expected: str) -> None:
    assert gd_output(_program(code)) == expected


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expected_text_is_pytorchs(name: str, code: str, expected: str) -> None:
    assert torch_output(_program(code)) == expected


# the new values hold no host attributes (the sandbox)
HOSTILE = ["h._asdict", "h.__class__.__dict__", "torch.set_num_threads.__globals__",
           "torch.get_rng_state.__code__", "torch.ones(2).new.__self__",
           "torch.broadcast_shapes((1,), (2,)).__class__.__dict__",
           "torch.histogramdd(torch.ones(3, 1), [2]).bin_edges.__class__.__dict__",
           "torch.linalg.solve_triangular.__wrapped__", "torch.ones(2).is_sparse.__doc__"]


@pytest.mark.parametrize("expr", HOSTILE)
def test_new_values_expose_no_host_attributes(expr: str) -> None:
    out = gd_output(f"import torch\nh = torch.histogram(torch.ones(3), 2)\nprint({expr})\n")
    assert out.startswith("GdError attribute '_") and "is not accessible in gd" in out, out
