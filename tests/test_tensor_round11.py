"""The tensor surface of round 11 against PyTorch 2.13's output: what the round's probes of
real tensor code found: resize_ of a view (storage order, from the storage offset), the
shift operators << >> (and <<= >>= &= |= ^= in place), cumulative_trapezoid, gradient, the
incomplete gamma functions, more of torch.special, as_strided, logsumexp of a slice of all
-inf and unique's NaNs.
The expected text is PyTorch's, as a literal; with torch installed the same program is also
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
    ('cumulative_trapezoid',
     ('y = torch.tensor([1.0, 5.0, 10.0, 3.0])\n'
      'xs = torch.tensor([1.0, 3.0, 6.0, 7.0])\n'
      'print(torch.cumulative_trapezoid(y), torch.cumulative_trapezoid(y, xs), torch.cumulative_trapezoid(y, dx=0.5))\n'
      'm = torch.arange(12.).reshape(3, 4)\n'
      'print(torch.cumulative_trapezoid(m, dim=0), torch.cumulative_trapezoid(m))\n'
      'print(torch.cumulative_trapezoid(torch.tensor([1, 2, 4])), torch.cumulative_trapezoid(torch.tensor([1, 2, 4]), torch.tensor([0, 1, 3])))\n'
      'print(torch.trapezoid(torch.tensor([1, 2, 4]), torch.tensor([0, 1, 3])))\n'
      'print(torch.cumulative_trapezoid(torch.ones(2, 3), torch.tensor([[0., 1., 3.]])), torch.cumulative_trapezoid(torch.ones(1)))\n'
      'r = y.clone().requires_grad_()\n'
      'out = torch.cumulative_trapezoid(r, xs)\n'
      'out.sum().backward()\n'
      'print(out, r.grad)\n'
      'print(torch.cumulative_trapezoid(r, dx=2))\n'
      'try:\n'
      '    torch.cumulative_trapezoid(y, torch.ones(3))\n'
      'except Exception as e:\n'
      '    print(type(e).__name__, e)'),
     ('tensor([ 3.0000, 10.5000, 17.0000]) tensor([ 6.0000, 28.5000, 35.0000]) tensor([1.5000, 5.2500, 8.5000])\n'
      'tensor([[ 2.,  3.,  4.,  5.],\n'
      '        [ 8., 10., 12., 14.]]) tensor([[ 0.5000,  2.0000,  4.5000],\n'
      '        [ 4.5000, 10.0000, 16.5000],\n'
      '        [ 8.5000, 18.0000, 28.5000]])\n'
      'tensor([1.5000, 4.5000]) tensor([1.5000, 7.5000])\n'
      'tensor(7.5000)\n'
      'tensor([[1., 3.],\n'
      '        [1., 3.]]) tensor([])\n'
      'tensor([ 6.0000, 28.5000, 35.0000], grad_fn=<DivBackward1>) tensor([3.0000, 6.0000, 3.5000, 0.5000])\n'
      'tensor([ 6., 21., 34.], grad_fn=<CumsumBackward0>)\n'
      'RuntimeError cumulative_trapezoid: There must be one `x` value for each sample point\n')),
    ('resize_storage',
     ('a = torch.arange(6.).reshape(2, 3)\n'
      'b = a.t()\n'
      'b.resize_(3, 2)\n'
      'print(b, b.is_contiguous())\n'
      'c = torch.arange(12).reshape(3, 4).t()\n'
      'c.resize_(2, 6)\n'
      'print(c)\n'
      'g = torch.arange(12).reshape(3, 4)[:, 1:3]\n'
      'g.resize_(3, 2)\n'
      'print(g)\n'
      'g.resize_(6)\n'
      'print(g, g.storage_offset())\n'
      'd = torch.arange(6)\n'
      'e = d.view(2, 3)\n'
      'd.resize_(2, 2)\n'
      'd[0, 0] = 100\n'
      'print(d, e)\n'
      'f = torch.arange(6.).reshape(2, 3)\n'
      'f.resize_as_(torch.zeros(3, 2))\n'
      'print(f)\n'
      'h = torch.arange(4.)\n'
      'h.resize_(0)\n'
      'print(h, h.shape)'),
     ('tensor([[0., 3.],\n'
      '        [1., 4.],\n'
      '        [2., 5.]]) False\n'
      'tensor([[ 0,  1,  2,  3,  4,  5],\n'
      '        [ 6,  7,  8,  9, 10, 11]])\n'
      'tensor([[ 1,  2],\n'
      '        [ 5,  6],\n'
      '        [ 9, 10]])\n'
      'tensor([1, 2, 3, 4, 5, 6]) 1\n'
      'tensor([[100,   1],\n'
      '        [  2,   3]]) tensor([[100,   1,   2],\n'
      '        [  3,   4,   5]])\n'
      'tensor([[0., 1.],\n'
      '        [2., 3.],\n'
      '        [4., 5.]])\n'
      'tensor([]) torch.Size([0])\n')),
    ('shift_operators',
     ('a = torch.tensor([1, 2, 3, -8])\n'
      'print(a << 2, a >> 1, a << torch.tensor([0, 1, 2, 3]), 1 << a.abs())\n'
      'print(torch.bitwise_left_shift(a, 3), torch.bitwise_right_shift(a, 1), a.bitwise_left_shift(1))\n'
      'c = torch.tensor([255, 7], dtype=torch.uint8)\n'
      'print(c << 1, c >> 2, torch.tensor([-100], dtype=torch.int8) >> 2)\n'
      'print(torch.tensor([1, -8, 3]) << 64, torch.tensor([1, -8, 3]) >> 64, torch.tensor([1, -8, 3]) >> -1)\n'
      'x = torch.tensor([1, 2], dtype=torch.int32)\n'
      'print(x << 30, torch.tensor([True, False]) << 1, torch.tensor([1], dtype=torch.uint8) << torch.tensor([9]))\n'
      'al = torch.tensor([12, 5])\n'
      'view = al[:]\n'
      'al >>= 1\n'
      'al &= torch.tensor([7, 1])\n'
      'al |= 8\n'
      'al ^= 1\n'
      'al <<= 2\n'
      'print(view, al, x.bitwise_right_shift_(1), x)\n'
      'n = 5\n'
      'n <<= 2\n'
      'n >>= 1\n'
      'print(n, -7 >> 1, 2 ** 3 << 1, 1 + 2 << 3, 1 << 2 + 3, 6 & 3 << 1, 5 | 1 << 3)\n'
      'for f in [lambda: torch.tensor([True]) >> torch.tensor([True]), lambda: 2.5 >> torch.tensor([1]),\n'
      '          lambda: torch.tensor([1]) << 1.5, lambda: torch.tensor([1.5]).bitwise_left_shift(1)]:\n'
      '    try:\n'
      '        print(f())\n'
      '    except Exception as e:\n'
      '        print(type(e).__name__, e)'),
     ('tensor([  4,   8,  12, -32]) tensor([ 0,  1,  1, -4]) tensor([  1,   4,  12, -64]) tensor([  2,   4,   8, 256])\n'
      'tensor([  8,  16,  24, -64]) tensor([ 0,  1,  1, -4]) tensor([  2,   4,   6, -16])\n'
      'tensor([254,  14], dtype=torch.uint8) tensor([63,  1], dtype=torch.uint8) tensor([-25], dtype=torch.int8)\n'
      'tensor([0, 0, 0]) tensor([ 0, -1,  0]) tensor([ 0, -1,  0])\n'
      'tensor([ 1073741824, -2147483648], dtype=torch.int32) tensor([2, 0]) tensor([512])\n'
      'tensor([60, 36]) tensor([60, 36]) tensor([0, 1], dtype=torch.int32) tensor([0, 1], dtype=torch.int32)\n'
      '10 -4 16 24 32 6 13\n'
      'NotImplementedError "rshift_cpu" not implemented for \'Bool\'\n'
      'NotImplementedError "rshift_cpu" not implemented for \'Float\'\n'
      'NotImplementedError "lshift_cpu" not implemented for \'Float\'\n'
      'NotImplementedError "lshift_cpu" not implemented for \'Float\'\n')),
    ('incomplete_gamma',
     ('a = torch.tensor([0.5, 1.0, 2.0, 3.5])\n'
      'x = torch.tensor([0.2, 1.0, 2.5, 1.0])\n'
      'print(torch.igamma(a, x), torch.igammac(a, x))\n'
      'print(torch.special.gammainc(a, x), torch.special.gammaincc(a, x), a.igamma(x), a.igammac(x))\n'
      "print(torch.igamma(torch.tensor([0., -1, 1, float('inf'), 1, 2, 0.]), torch.tensor([1., 1, 0, 1, float('inf'), float('nan'), 0])))\n"
      "print(torch.igammac(torch.tensor([0., -1, 1, float('inf'), 1, 2, 0.]), torch.tensor([1., 1, 0, 1, float('inf'), float('nan'), 0])))\n"
      'print(torch.igamma(torch.tensor([100., 1000., 1e5, 0.01, 30.]), torch.tensor([101., 990., 1e5 + 50, 0.001, 20.])))\n'
      'print(torch.igammac(torch.tensor([100., 1000., 1e5, 0.01, 30.], dtype=torch.float64), torch.tensor([101., 990., 1e5 + 50, 0.001, 10.], dtype=torch.float64)))\n'
      'print(torch.igamma(torch.tensor([1.], dtype=torch.float16), torch.tensor([2.], dtype=torch.float16)), torch.igamma(torch.tensor([1.]), torch.tensor([2.], dtype=torch.float64)))\n'
      'print(torch.special.gammainc(torch.tensor([2.5]), torch.tensor([[1.], [2.]])), torch.tensor([2.]).igamma_(torch.tensor([1.])))\n'
      'x2 = x.clone().requires_grad_()\n'
      'y = torch.igamma(a, x2)\n'
      'y.sum().backward()\n'
      'print(y, x2.grad)\n'
      'xx = torch.tensor([0.5, 2.0], dtype=torch.float64, requires_grad=True)\n'
      'aa = torch.tensor([1.5, 3.0], dtype=torch.float64)\n'
      'print(torch.autograd.gradcheck(lambda t: torch.igamma(aa, t), (xx,)), torch.autograd.gradgradcheck(lambda t: torch.igammac(aa, t), (xx,)))\n'
      'g, = torch.autograd.grad(torch.igammac(aa, xx).sum(), xx, create_graph=True)\n'
      'print(g, torch.autograd.grad(g.sum(), xx)[0])\n'
      'for f in [lambda: torch.igamma(a.clone().requires_grad_(), x).sum().backward(),\n'
      '          lambda: torch.igamma(torch.tensor([1]), torch.tensor([2])),\n'
      '          lambda: torch.igamma(torch.tensor([1.]), 2.0),\n'
      '          lambda: torch.special.gammaincc(torch.tensor([1.]), 1),\n'
      '          lambda: torch.func.jvp(lambda t: torch.igamma(aa, t), (xx.detach(),), (torch.ones(2, dtype=torch.float64),))]:\n'
      '    try:\n'
      '        print(f())\n'
      '    except Exception as e:\n'
      '        print(type(e).__name__, e)'),
     ('tensor([0.4729, 0.6321, 0.7127, 0.0402]) tensor([0.5271, 0.3679, 0.2873, 0.9598])\n'
      'tensor([0.4729, 0.6321, 0.7127, 0.0402]) tensor([0.5271, 0.3679, 0.2873, 0.9598]) tensor([0.4729, 0.6321, 0.7127, 0.0402]) tensor([0.5271, 0.3679, 0.2873, 0.9598])\n'
      'tensor([1., nan, 0., 0., 1., nan, nan])\n'
      'tensor([0., nan, 1., 1., 0., nan, nan])\n'
      'tensor([0.5529, 0.3795, 0.5632, 0.9386, 0.0218])\n'
      'tensor([0.4471, 0.6205, 0.4368, 0.0614, 1.0000], dtype=torch.float64)\n'
      'tensor([0.8647], dtype=torch.float16) tensor([0.8647], dtype=torch.float64)\n'
      'tensor([[0.1509],\n'
      '        [0.4506]]) tensor([0.2642])\n'
      'tensor([0.4729, 0.6321, 0.7127, 0.0402], grad_fn=<IgammaBackward0>) tensor([1.0329, 0.3679, 0.2052, 0.1107])\n'
      'True True\n'
      'tensor([-0.4839, -0.2707], dtype=torch.float64, grad_fn=<MulBackward0>) tensor([0., 0.], dtype=torch.float64)\n'
      "NotImplementedError the derivative for 'igamma: input' is not implemented.\n"
      'NotImplementedError "igamma_cpu" not implemented for \'Long\'\n'
      "TypeError igamma(): argument 'other' (position 2) must be Tensor, not float\n"
      "TypeError special_gammaincc(): argument 'other' (position 2) must be Tensor, not int\n"
      'NotImplementedError Trying to use forward AD with igamma that does not support it because it has not been implemented yet.\n'
      'Please file an issue to PyTorch at https://github.com/pytorch/pytorch/issues/new?template=feature-request.yml so that we can prioritize its implementation or submit a PR adding the implementation to derivatives.yaml\n')),
    ('gradient',
     ('x = torch.arange(12.).reshape(3, 4) ** 2\n'
      'print(torch.gradient(torch.tensor([1., 4., 9., 16.])))\n'
      'print(torch.gradient(x, dim=1), torch.gradient(x, dim=[0]), torch.gradient(x))\n'
      'print(torch.gradient(torch.tensor([1., 4., 9., 16.]), spacing=2.0))\n'
      'print(torch.gradient(torch.tensor([1., 4., 9., 16.]), spacing=(torch.tensor([0., 1., 3., 4.]),)))\n'
      'print(torch.gradient(torch.tensor([1., 4., 9., 16., 30.]), spacing=(torch.tensor([0., 1., 3., 4., 7.]),), edge_order=2))\n'
      'print(torch.gradient(x, edge_order=2), torch.gradient(x, spacing=[2.0, 0.5]), torch.gradient(x, spacing=(torch.tensor([0., 1., 3.]), torch.tensor([0., 2., 3., 5.]))))\n'
      'print(torch.gradient(torch.tensor([1, 4, 9, 16])), torch.gradient(torch.tensor([1, 4, 9, 16]), spacing=2))\n'
      't = torch.linspace(0, 3.14159, 7)\n'
      'print(torch.gradient(t ** 3, spacing=(t,)), torch.gradient(t ** 2, spacing=(t ** 2,), edge_order=2))\n'
      'r = torch.tensor([1., 4., 9., 16.], requires_grad=True)\n'
      'g, = torch.gradient(r)\n'
      'g.pow(2).sum().backward()\n'
      'print(g, r.grad)\n'
      'for f in [lambda: torch.gradient(torch.tensor([1., 2.]), edge_order=2), lambda: torch.gradient(x, spacing=[1.0]), lambda: torch.gradient(x, edge_order=3)]:\n'
      '    try:\n'
      '        print(f())\n'
      '    except Exception as e:\n'
      '        print(type(e).__name__, e)'),
     ('(tensor([3., 4., 6., 7.]),)\n'
      '(tensor([[ 1.,  2.,  4.,  5.],\n'
      '        [ 9., 10., 12., 13.],\n'
      '        [17., 18., 20., 21.]]),) (tensor([[16., 24., 32., 40.],\n'
      '        [32., 40., 48., 56.],\n'
      '        [48., 56., 64., 72.]]),) (tensor([[16., 24., 32., 40.],\n'
      '        [32., 40., 48., 56.],\n'
      '        [48., 56., 64., 72.]]), tensor([[ 1.,  2.,  4.,  5.],\n'
      '        [ 9., 10., 12., 13.],\n'
      '        [17., 18., 20., 21.]]))\n'
      '(tensor([1.5000, 2.0000, 3.0000, 3.5000]),)\n'
      '(tensor([3.0000, 2.8333, 5.5000, 7.0000]),)\n'
      '(tensor([3.1667, 2.8333, 5.5000, 6.4167, 2.9167]),)\n'
      '(tensor([[ 0.,  8., 16., 24.],\n'
      '        [32., 40., 48., 56.],\n'
      '        [64., 72., 80., 88.]]), tensor([[ 0.,  2.,  4.,  6.],\n'
      '        [ 8., 10., 12., 14.],\n'
      '        [16., 18., 20., 22.]])) (tensor([[ 8., 12., 16., 20.],\n'
      '        [16., 20., 24., 28.],\n'
      '        [24., 28., 32., 36.]]), tensor([[ 2.,  4.,  8., 10.],\n'
      '        [18., 20., 24., 26.],\n'
      '        [34., 36., 40., 42.]])) (tensor([[16.0000, 24.0000, 32.0000, 40.0000],\n'
      '        [18.6667, 25.3333, 32.0000, 38.6667],\n'
      '        [24.0000, 28.0000, 32.0000, 36.0000]]), tensor([[ 0.5000,  2.1667,  2.8333,  2.5000],\n'
      '        [ 4.5000,  8.8333,  9.5000,  6.5000],\n'
      '        [ 8.5000, 15.5000, 16.1667, 10.5000]]))\n'
      '(tensor([3., 4., 6., 7.]),) (tensor([1.5000, 2.0000, 3.0000, 3.5000]),)\n'
      '(tensor([ 0.2742,  1.0966,  3.5640,  7.6763, 13.4336, 20.8358, 24.9481]),) (tensor([1.0000, 1.0000, 1.0000, 1.0000, 1.0000, 1.0000, 1.0000]),)\n'
      'tensor([3., 4., 6., 7.], grad_fn=<CatBackward0>) tensor([-10.,   0., -10.,  20.])\n'
      'RuntimeError torch.gradient expected each dimension size to be at least edge_order+1\n'
      "RuntimeError torch.gradient expected spacing to be unspecified, a scalar, or a list of length equal to 'self.dim() = 2', since dim argument was not given, but got a list of length 1\n"
      'RuntimeError torch.gradient only supports edge_order=1 and edge_order=2.\n')),
    ('special_zeta_erfcx_ndtri',
     ('x = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)\n'
      'z = torch.special.zeta(x + 1, x)\n'
      'print(z, torch.special.zeta(2, x), torch.special.zeta(x + 1, 2.0))\n'
      'print(torch.special.zeta(torch.tensor([2., 3, 1, 0.5, -1]), torch.tensor([1., 2, 1, 1, 2])), torch.special.zeta(torch.tensor([2, 3]), torch.tensor([1, 2])), torch.special.zeta(torch.tensor(2.), 3))\n'
      'q = torch.tensor([1.5, 2.0], dtype=torch.float64, requires_grad=True)\n'
      's = torch.tensor([2.0, 3.5], dtype=torch.float64)\n'
      'print(torch.autograd.gradcheck(lambda t: torch.special.zeta(s, t), (q,)))\n'
      'g, = torch.autograd.grad(torch.special.zeta(s, q).sum(), q)\n'
      'print(g)\n'
      "print(torch.special.erfcx(torch.tensor([-30., -5, 0, 1, 2.5, 10, 1e5, float('inf'), -float('inf'), float('nan')])))\n"
      'print(torch.special.ndtri(torch.tensor([0., 0.01, 0.5, 0.975, 1., 1.5, -0.1, 1e-10, 0.3])))\n'
      'print(torch.special.erfcx(torch.tensor([0.3, 3.0], dtype=torch.float64)), torch.special.ndtri(torch.tensor([0.2, 0.999], dtype=torch.float64)))\n'
      'e = torch.special.erfcx(x)\n'
      'e.sum().backward()\n'
      'print(e, x.grad)\n'
      'x.grad = None\n'
      'n = torch.special.ndtri(x / 3)\n'
      'n.sum().backward()\n'
      'print(n, x.grad)\n'
      'print(torch.special.multigammaln(torch.tensor([2.5, 5.]), 3), torch.mvlgamma(torch.tensor([[3., 4.]]), 2), torch.tensor([3.]).mvlgamma(1), torch.special.multigammaln(torch.tensor([0.5, 1.]), 2), torch.special.multigammaln(torch.tensor([3, 4]), 2))\n'
      'x.grad = None\n'
      'm = torch.special.multigammaln(x + 2, 3)\n'
      'm.sum().backward()\n'
      'print(m, x.grad)\n'
      'xx = torch.tensor([1.5, 2.5], dtype=torch.float64, requires_grad=True)\n'
      'print(torch.autograd.gradgradcheck(lambda t: torch.special.multigammaln(t, 2), (xx,)), torch.autograd.gradgradcheck(torch.special.erfcx, (xx,)), torch.autograd.gradgradcheck(torch.special.ndtri, (xx / 3,)))\n'
      'for f in [lambda: torch.special.zeta(x + 1, x).sum().backward(), lambda: torch.mvlgamma(torch.tensor([3.]), 0), lambda: torch.special.zeta(2, 3),\n'
      '          lambda: torch.func.jvp(lambda t: torch.special.zeta(s, t), (q.detach(),), (torch.ones(2, dtype=torch.float64),)),\n'
      '          lambda: torch.func.jvp(torch.special.erfcx, (q.detach(),), (torch.ones(2, dtype=torch.float64),)),\n'
      '          lambda: torch.func.jvp(lambda t: torch.special.multigammaln(t, 2), (q.detach(),), (torch.ones(2, dtype=torch.float64),))]:\n'
      '    try:\n'
      '        print(f())\n'
      '    except Exception as e:\n'
      '        print(type(e).__name__, e)'),
     ('tensor([4.7765, 1.6449, 0.2021], grad_fn=<SpecialZetaBackward0>) tensor([4.9348, 1.6449, 0.6449], grad_fn=<SpecialZetaBackward1>) tensor([1.6124, 0.6449, 0.2021], grad_fn=<SpecialZetaBackward2>)\n'
      'tensor([1.6449, 0.2021,    inf,    nan,    nan]) tensor([1.6449, 0.2021]) tensor(0.3949)\n'
      'True\n'
      'tensor([-0.8288, -0.1915], dtype=torch.float64)\n'
      'tensor([       inf, 1.4401e+11, 1.0000e+00, 4.2758e-01, 2.1081e-01, 5.6141e-02,\n'
      '        5.6419e-06, 0.0000e+00,        inf,        nan])\n'
      'tensor([   -inf, -2.3263,  0.0000,  1.9600,     inf,     nan,     nan, -6.3613,\n'
      '        -0.5244])\n'
      'tensor([0.7346, 0.1790], dtype=torch.float64) tensor([-0.8416,  3.0902], dtype=torch.float64)\n'
      'tensor([0.6157, 0.4276, 0.2554], grad_fn=<SpecialErfcxBackward0>) tensor([-0.5127, -0.2732, -0.1068])\n'
      'tensor([-0.9674, -0.4307,  0.4307], grad_fn=<SpecialNdtriBackward0>) tensor([1.3341, 0.9168, 0.9168])\n'
      'tensor([1.8810, 9.1406]) tensor([[1.5502, 3.5651]]) tensor([0.6931]) tensor([   inf, 1.1447]) tensor([1.5502, 3.5651])\n'
      'tensor([1.8810, 2.6949, 5.4030], grad_fn=<MvlgammaBackward0>) tensor([1.1624, 2.0487, 3.2821])\n'
      'True True True\n'
      "NotImplementedError the derivative for 'zeta' is not implemented.\n"
      'RuntimeError p has to be greater than or equal to 1\n'
      'TypeError special_zeta() received an invalid combination of arguments - got (int, int), but expected one of:\n'
      ' * (Tensor input, Tensor other, *, Tensor out = None)\n'
      ' * (Number self, Tensor other, *, Tensor out = None)\n'
      ' * (Tensor input, Number other, *, Tensor out = None)\n'
      '\n'
      'NotImplementedError Trying to use forward AD with special_zeta that does not support it because it has not been implemented yet.\n'
      'Please file an issue to PyTorch at https://github.com/pytorch/pytorch/issues/new?template=feature-request.yml so that we can prioritize its implementation or submit a PR adding the implementation to derivatives.yaml\n'
      '(tensor([0.3216, 0.2554], dtype=torch.float64), tensor([-0.1636, -0.1068], dtype=torch.float64))\n'
      '(tensor([0.4516, 0.4516], dtype=torch.float64), tensor([-0.5407,  0.4593], dtype=torch.float64))\n')),
    ('xlog1py',
     ('a = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)\n'
      'x = torch.tensor([0.5, 1.0, -1.0], requires_grad=True)\n'
      'y = torch.special.xlog1py(a, x)\n'
      'print(y)\n'
      'y.sum().backward()\n'
      'print(a.grad, x.grad)\n'
      "print(torch.special.xlog1py(2, x), torch.special.xlog1py(a, 2), torch.special.xlog1py(torch.tensor([0., 1, 2]), torch.tensor([-1., float('nan'), -2])), torch.special.xlog1py(torch.tensor([1, 2]), torch.tensor([3, 4])))\n"
      'aa = torch.tensor([0.5, 2.0], dtype=torch.float64, requires_grad=True)\n'
      'xx = torch.tensor([0.3, 1.5], dtype=torch.float64, requires_grad=True)\n'
      'print(torch.autograd.gradcheck(torch.special.xlog1py, (aa, xx)), torch.autograd.gradgradcheck(torch.special.xlog1py, (aa, xx)))\n'
      'print(torch.func.jvp(torch.special.xlog1py, (aa.detach(), xx.detach()), (torch.ones(2, dtype=torch.float64), torch.ones(2, dtype=torch.float64))))'),
     ('tensor([0.0000, 0.6931,   -inf], grad_fn=<SpecialXlog1PyBackward0>)\n'
      'tensor([0.4055, 0.6931,   -inf]) tensor([0.0000, 0.5000,    inf])\n'
      'tensor([0.8109, 1.3863,   -inf], grad_fn=<SpecialXlog1PyBackward1>) tensor([0.0000, 1.0986, 2.1972], grad_fn=<SpecialXlog1PyBackward2>) tensor([0., nan, nan]) tensor([1.3863, 3.2189])\n'
      'True True\n'
      '(tensor([0.1312, 1.8326], dtype=torch.float64), tensor([0.6470, 1.7163], dtype=torch.float64))\n')),
    ('logsumexp_infinite',
     ("print(torch.logsumexp(torch.tensor([-float('inf'), -float('inf')]), 0), torch.logsumexp(torch.tensor([float('inf'), 1.]), 0), torch.logsumexp(torch.tensor([1000., 1000.]), 0))\n"
      "m = torch.tensor([[0., -float('inf')], [-float('inf'), -float('inf')], [float('inf'), -float('inf')]])\n"
      'print(torch.logsumexp(m, 1), torch.logsumexp(m, 0, keepdim=True), m.logsumexp(dim=(0, 1)))\n'
      "x = torch.tensor([[1., -float('inf')], [2., 3.]], requires_grad=True)\n"
      'y = torch.logsumexp(x, 1)\n'
      'y.sum().backward()\n'
      'print(y, x.grad)'),
     ('tensor(-inf) tensor(inf) tensor(1000.6932)\n'
      'tensor([0., -inf, inf]) tensor([[inf, -inf]]) tensor(inf)\n'
      'tensor([1.0000, 3.3133], grad_fn=<LogsumexpBackward0>) tensor([[1.0000, 0.0000],\n'
      '        [0.2689, 0.7311]])\n')),
    ('unique_nan',
     ("nan = float('nan')\n"
      'print(torch.unique(torch.tensor([nan, 1., nan, 1.])), torch.unique(torch.tensor([nan, 1., nan, 1.]), sorted=False), torch.unique(torch.tensor([nan, nan])))\n'
      'print(torch.unique(torch.tensor([2., nan, 1., nan]), return_counts=True), torch.unique(torch.tensor([2., nan, 1., nan]), return_inverse=True))\n'
      'print(torch.unique_consecutive(torch.tensor([nan, nan, 1., 1.]), return_counts=True))'),
     ('tensor([1., nan, nan]) tensor([1., nan, nan]) tensor([nan, nan])\n'
      '(tensor([1., 2., nan, nan]), tensor([1, 1, 1, 1])) (tensor([1., 2., nan, nan]), tensor([1, 2, 0, 3]))\n'
      '(tensor([nan, nan, 1.]), tensor([1, 1, 2]))\n')),
    ('as_strided',
     ('x = torch.arange(6.)\n'
      'print(torch.as_strided(torch.arange(9), (2, 2), (3, 1), 1), x.as_strided((3, 2), (1, 1)), torch.arange(9.).as_strided((3, 3), (1, 3)))\n'
      'v = x.as_strided((2, 2), (1, 1))\n'
      'x[1] = 100\n'
      'print(v)\n'
      'print(torch.arange(12.).reshape(3, 4).t().as_strided((2, 2), (1, 2)), torch.arange(10)[2:].as_strided((2, 3), (3, 1)))\n'
      'y = torch.arange(6.).requires_grad_()\n'
      'z = y.as_strided((4, 2), (1, 1), 1)\n'
      'print(z)\n'
      'z.pow(2).sum().backward()\n'
      'print(y.grad)\n'
      'sig = torch.arange(1., 9.)\n'
      'windows = sig.as_strided((6, 3), (1, 1))\n'
      'print(windows, windows.mean(1))\n'
      'try:\n'
      '    x.as_strided((3, 3), (2, 1))\n'
      'except Exception as e:\n'
      '    print(type(e).__name__, e)'),
     ('tensor([[1, 2],\n'
      '        [4, 5]]) tensor([[0., 1.],\n'
      '        [1., 2.],\n'
      '        [2., 3.]]) tensor([[0., 3., 6.],\n'
      '        [1., 4., 7.],\n'
      '        [2., 5., 8.]])\n'
      'tensor([[  0., 100.],\n'
      '        [100.,   2.]])\n'
      'tensor([[0., 2.],\n'
      '        [1., 3.]]) tensor([[2, 3, 4],\n'
      '        [5, 6, 7]])\n'
      'tensor([[1., 2.],\n'
      '        [2., 3.],\n'
      '        [3., 4.],\n'
      '        [4., 5.]], grad_fn=<AsStridedBackward0>)\n'
      'tensor([ 0.,  2.,  8., 12., 16., 10.])\n'
      'tensor([[1., 2., 3.],\n'
      '        [2., 3., 4.],\n'
      '        [3., 4., 5.],\n'
      '        [4., 5., 6.],\n'
      '        [5., 6., 7.],\n'
      '        [6., 7., 8.]]) tensor([2., 3., 4., 5., 6., 7.])\n'
      'RuntimeError setStorage: sizes [3, 3], strides [2, 1], storage offset 0, and itemsize 4 requiring a storage size of 28 are out of bounds for storage of size 24\n')),
]


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_prints_what_pytorch_prints(name: str, code: str, expected: str) -> None:
    assert gd_output(_program(code)) == expected


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expected_text_is_pytorchs(name: str, code: str, expected: str) -> None:
    assert torch_output(_program(code)) == expected
