"""The tensor surface of round 10 against PyTorch 2.13's output: the LU family (linalg.lu,
lu_factor(_ex), lu_solve, lu_unpack, the deprecated torch.lu/lu_solve/qr) with gradients
of every order and both modes, index_reduce, x.apply_/map_/map2_, random draws in float16, and what the round's probes found: remainder's zero
sign, torch.range, masked_fill's dtype and messages, return-type names, einsum's
messages, error classes. The expected text is PyTorch's, as a literal; with torch
installed the same program is also run under it.
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
    ('lu_square',
     ('A = torch.randn(3, 3, requires_grad=True)\n'
      'LU, piv = torch.linalg.lu_factor(A)\n'
      'print(LU, piv)\n'
      'P, L, U = torch.linalg.lu(A)\n'
      'print(P, L, U)\n'
      'print(torch.lu_unpack(LU, piv))\n'
      '(L.sin().sum() + (U * U).sum()).backward()\n'
      'print(A.grad)\n'
      'B = torch.randn(3, 2)\n'
      'X = torch.linalg.lu_solve(LU, piv, B)\n'
      'print(X, torch.dist(A @ X, B) < 1e-5)'),
     ('tensor([[ 1.5410, -0.2934, -2.1788],\n'
      '        [ 0.3689, -0.9763, -0.5949],\n'
      '        [ 0.2617, -0.9371, -0.7064]], grad_fn=<LinalgLuFactorExBackward0>) tensor([1, 2, 3], dtype=torch.int32)\n'
      'tensor([[1., 0., 0.],\n'
      '        [0., 1., 0.],\n'
      '        [0., 0., 1.]]) tensor([[ 1.0000,  0.0000,  0.0000],\n'
      '        [ 0.3689,  1.0000,  0.0000],\n'
      '        [ 0.2617, -0.9371,  1.0000]], grad_fn=<LinalgLuBackward0>) tensor([[ 1.5410, -0.2934, -2.1788],\n'
      '        [ 0.0000, -0.9763, -0.5949],\n'
      '        [ 0.0000,  0.0000, -0.7064]], grad_fn=<LinalgLuBackward0>)\n'
      'torch.return_types.lu_unpack(\n'
      'P=tensor([[1., 0., 0.],\n'
      '        [0., 1., 0.],\n'
      '        [0., 0., 1.]]),\n'
      'L=tensor([[ 1.0000,  0.0000,  0.0000],\n'
      '        [ 0.3689,  1.0000,  0.0000],\n'
      '        [ 0.2617, -0.9371,  1.0000]], grad_fn=<LuUnpackBackward0>),\n'
      'U=tensor([[ 1.5410, -0.2934, -2.1788],\n'
      '        [ 0.0000, -0.9763, -0.5949],\n'
      '        [ 0.0000,  0.0000, -0.7064]], grad_fn=<LuUnpackBackward0>))\n'
      'tensor([[ 4.6362, -0.0211, -3.0605],\n'
      '        [-3.2752, -1.7142, -2.5137],\n'
      '        [-1.3223,  0.2544, -1.4128]])\n'
      'tensor([[-3.1118,  2.5140],\n'
      '        [ 0.9690, -0.6518],\n'
      '        [-2.1463,  2.1397]], grad_fn=<LinalgLuSolveBackward0>) tensor(True)\n')),
    ('lu_shapes_grads',
     ('for shape in [(2, 4), (4, 2), (2, 3, 3)]:\n'
      '    A = torch.randn(*shape, dtype=torch.float64, requires_grad=True)\n'
      '    P, L, U = torch.linalg.lu(A)\n'
      '    print(P, L, U)\n'
      '    (L.sin().sum() + (U * U).sum()).backward()\n'
      '    print(A.grad)\n'
      '    A.grad = None\n'
      '    LU, piv = torch.linalg.lu_factor(A)\n'
      '    (LU.cos() * 2).sum().backward()\n'
      '    print(A.grad, piv)\n'
      '    print(torch.autograd.gradcheck(lambda a: torch.linalg.lu(a)[1:], (A.detach().requires_grad_(),)))\n'
      '    print(torch.autograd.gradgradcheck(lambda a: torch.linalg.lu_factor(a)[0], (A.detach().requires_grad_(),)))\n'
      '    T = torch.randn(*shape, dtype=torch.float64)\n'
      '    print(torch.func.jvp(lambda a: torch.linalg.lu(a)[1:], (A.detach(),), (T,))[1])\n'
      '    print(torch.func.jvp(lambda a: torch.linalg.lu_factor(a)[0], (A.detach(),), (T,))[1])'),
     ('tensor([[1., 0.],\n'
      '        [0., 1.]], dtype=torch.float64) tensor([[ 1.0000,  0.0000],\n'
      '        [-0.7038,  1.0000]], dtype=torch.float64, grad_fn=<LinalgLuBackward0>) tensor([[ 1.5410, -0.2934, -2.1788,  0.5684],\n'
      '        [ 0.0000, -1.6051, -1.1300,  1.2381]], dtype=torch.float64,\n'
      '       grad_fn=<LinalgLuBackward0>)\n'
      'tensor([[ 0.1082, -2.8461, -5.9482,  2.8795],\n'
      '        [-4.2254, -3.2102, -2.2601,  2.4762]], dtype=torch.float64)\n'
      'tensor([[ 1.1505,  1.9852,  2.9146, -2.4070],\n'
      '        [ 4.4753,  1.9988,  1.8089, -1.8903]], dtype=torch.float64) tensor([1, 2], dtype=torch.int32)\n'
      'True\n'
      'True\n'
      '(tensor([[ 0.0000,  0.0000],\n'
      '        [-0.0183,  0.0000]], dtype=torch.float64), tensor([[-0.5663,  0.3731, -0.8920, -1.5091],\n'
      '        [ 0.0000,  1.7137,  0.2722, -0.2768]], dtype=torch.float64))\n'
      'tensor([[-0.5663,  0.3731, -0.8920, -1.5091],\n'
      '        [-0.0183,  1.7137,  0.2722, -0.2768]], dtype=torch.float64)\n'
      'tensor([[0., 0., 0., 1.],\n'
      '        [1., 0., 0., 0.],\n'
      '        [0., 0., 1., 0.],\n'
      '        [0., 1., 0., 0.]], dtype=torch.float64) tensor([[ 1.0000,  0.0000],\n'
      '        [-0.4019,  1.0000],\n'
      '        [ 0.0162,  0.4328],\n'
      '        [-0.1487, -0.7030]], dtype=torch.float64, grad_fn=<LinalgLuBackward0>) tensor([[-1.2904, -0.7911],\n'
      '        [ 0.0000, -1.6305]], dtype=torch.float64, grad_fn=<LinalgLuBackward0>)\n'
      'tensor([[-0.4795, -0.4679],\n'
      '        [-2.1067, -2.9887],\n'
      '        [-0.4335, -0.5568],\n'
      '        [ 1.3399, -3.3489]], dtype=torch.float64)\n'
      'tensor([[ 0.2566, -0.7930],\n'
      '        [ 1.4214,  1.7849],\n'
      '        [-0.2903,  0.5145],\n'
      '        [-1.3519,  1.2163]], dtype=torch.float64) tensor([2, 4], dtype=torch.int32)\n'
      'True\n'
      'True\n'
      '(tensor([[ 0.0000,  0.0000],\n'
      '        [-0.1444,  0.0000],\n'
      '        [ 0.8435, -0.4409],\n'
      '        [ 0.0322,  0.1932]], dtype=torch.float64), tensor([[-0.0075, -0.9145],\n'
      '        [ 0.0000, -0.7008]], dtype=torch.float64))\n'
      'tensor([[-0.0075, -0.9145],\n'
      '        [-0.1444, -0.7008],\n'
      '        [ 0.8435, -0.4409],\n'
      '        [ 0.0322,  0.1932]], dtype=torch.float64)\n'
      'tensor([[[1., 0., 0.],\n'
      '         [0., 0., 1.],\n'
      '         [0., 1., 0.]],\n'
      '\n'
      '        [[0., 0., 1.],\n'
      '         [0., 1., 0.],\n'
      '         [1., 0., 0.]]], dtype=torch.float64) tensor([[[ 1.0000,  0.0000,  0.0000],\n'
      '         [ 0.5606,  1.0000,  0.0000],\n'
      '         [ 0.0263,  0.1727,  1.0000]],\n'
      '\n'
      '        [[ 1.0000,  0.0000,  0.0000],\n'
      '         [ 0.3051,  1.0000,  0.0000],\n'
      '         [-0.9206,  0.8096,  1.0000]]], dtype=torch.float64,\n'
      '       grad_fn=<LinalgLuBackward0>) tensor([[[-3.1453, -0.1137,  0.9983],\n'
      '         [ 0.0000,  1.0745, -0.4286],\n'
      '         [ 0.0000,  0.0000,  0.9987]],\n'
      '\n'
      '        [[ 1.4744,  1.0134,  0.8542],\n'
      '         [ 0.0000,  1.2439, -0.2066],\n'
      '         [ 0.0000,  0.0000,  2.9473]]], dtype=torch.float64,\n'
      '       grad_fn=<LinalgLuBackward0>)\n'
      'tensor([[[-5.8949, -1.3113,  2.6181],\n'
      '         [ 0.2542,  1.7136,  1.9974],\n'
      '         [-0.7179,  1.8531, -1.2021]],\n'
      '\n'
      '        [[-4.0585,  1.5337,  5.8946],\n'
      '         [ 2.7947,  1.2462, -5.1858],\n'
      '         [-1.6400,  3.0585,  8.7170]]], dtype=torch.float64)\n'
      'tensor([[[-0.4160,  1.1430, -2.2657],\n'
      '         [-0.4812, -0.9906, -1.6815],\n'
      '         [ 0.7515, -1.5877,  1.1216]],\n'
      '\n'
      '        [[ 2.1476, -1.2282, -0.3861],\n'
      '         [-0.2080, -0.8997,  0.7230],\n'
      '         [ 0.0497, -2.5535, -2.0842]]], dtype=torch.float64) tensor([[1, 3, 3],\n'
      '        [3, 2, 3]], dtype=torch.int32)\n'
      'True\n'
      'True\n'
      '(tensor([[[ 0.0000,  0.0000,  0.0000],\n'
      '         [ 0.1119,  0.0000,  0.0000],\n'
      '         [ 0.1949,  0.5899,  0.0000]],\n'
      '\n'
      '        [[ 0.0000,  0.0000,  0.0000],\n'
      '         [-0.1638,  0.0000,  0.0000],\n'
      '         [ 1.9507, -0.7540,  0.0000]]], dtype=torch.float64), tensor([[[ 0.4188,  0.3434, -0.6302],\n'
      '         [ 0.0000,  1.3733, -0.0793],\n'
      '         [ 0.0000,  0.0000,  1.4769]],\n'
      '\n'
      '        [[ 1.4275,  0.1023, -1.4267],\n'
      '         [ 0.0000,  0.8861,  0.2458],\n'
      '         [ 0.0000,  0.0000, -3.9381]]], dtype=torch.float64))\n'
      'tensor([[[ 0.4188,  0.3434, -0.6302],\n'
      '         [ 0.1119,  1.3733, -0.0793],\n'
      '         [ 0.1949,  0.5899,  1.4769]],\n'
      '\n'
      '        [[ 1.4275,  0.1023, -1.4267],\n'
      '         [-0.1638,  0.8861,  0.2458],\n'
      '         [ 1.9507, -0.7540, -3.9381]]], dtype=torch.float64)\n')),
    ('lu_solve_forms',
     ('A = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)\n'
      'B = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)\n'
      'LU, piv = torch.linalg.lu_factor(A)\n'
      'for left in (True, False):\n'
      '    for adj in (False, True):\n'
      '        b = B if left else B.T\n'
      '        X = torch.linalg.lu_solve(LU, piv, b, left=left, adjoint=adj)\n'
      '        print(X)\n'
      '        print(torch.autograd.grad(X.pow(2).sum(), (A, B), retain_graph=True))\n'
      'print(torch.lu_solve(B, LU, piv))\n'
      'print(A.lu_solve(LU, piv) if False else B.lu_solve(LU, piv))'),
     ('tensor([[-3.1118,  2.5140],\n'
      '        [ 0.9690, -0.6518],\n'
      '        [-2.1463,  2.1397]], dtype=torch.float64,\n'
      '       grad_fn=<LinalgLuSolveBackward0>)\n'
      '(tensor([[-80.8859,  23.4692, -61.1059],\n'
      '        [ 91.3239, -26.4671,  69.0868],\n'
      '        [100.9709, -29.2891,  76.3037]], dtype=torch.float64), tensor([[-15.4054,  13.1054],\n'
      '        [ 17.2035, -15.0317],\n'
      '        [ 19.1822, -16.4199]], dtype=torch.float64))\n'
      'tensor([[ 0.1789, -1.8918],\n'
      '        [-0.7262,  2.7495],\n'
      '        [-0.6599,  1.8735]], dtype=torch.float64,\n'
      '       grad_fn=<LinalgLuSolveBackward0>)\n'
      '(tensor([[-47.1574,   5.0701, -30.7214],\n'
      '        [ 71.2725,  -7.7777,  46.5627],\n'
      '        [ 49.5351,  -5.4447,  32.4062]], dtype=torch.float64), tensor([[  5.8656, -24.3731],\n'
      '        [ -0.8771,   2.5972],\n'
      '        [  4.1025, -15.8516]], dtype=torch.float64))\n'
      'tensor([[ 0.1789, -0.7262, -0.6599],\n'
      '        [-1.8918,  2.7495,  1.8735]], dtype=torch.float64,\n'
      '       grad_fn=<LinalgLuSolveBackward0>)\n'
      '(tensor([[-47.1574,   5.0701, -30.7214],\n'
      '        [ 71.2725,  -7.7777,  46.5627],\n'
      '        [ 49.5351,  -5.4447,  32.4062]], dtype=torch.float64), tensor([[  5.8656, -24.3731],\n'
      '        [ -0.8771,   2.5972],\n'
      '        [  4.1025, -15.8516]], dtype=torch.float64))\n'
      'tensor([[-3.1118,  0.9690, -2.1463],\n'
      '        [ 2.5140, -0.6518,  2.1397]], dtype=torch.float64,\n'
      '       grad_fn=<LinalgLuSolveBackward0>)\n'
      '(tensor([[-80.8859,  23.4692, -61.1059],\n'
      '        [ 91.3239, -26.4671,  69.0868],\n'
      '        [100.9709, -29.2891,  76.3037]], dtype=torch.float64), tensor([[-15.4054,  13.1054],\n'
      '        [ 17.2035, -15.0317],\n'
      '        [ 19.1822, -16.4199]], dtype=torch.float64))\n'
      'tensor([[-3.1118,  2.5140],\n'
      '        [ 0.9690, -0.6518],\n'
      '        [-2.1463,  2.1397]], dtype=torch.float64,\n'
      '       grad_fn=<LinalgLuSolveBackward0>)\n'
      'tensor([[-3.1118,  2.5140],\n'
      '        [ 0.9690, -0.6518],\n'
      '        [-2.1463,  2.1397]], dtype=torch.float64,\n'
      '       grad_fn=<LinalgLuSolveBackward0>)\n')),
    ('lu_legacy',
     ('A = torch.tensor([[2., 1], [4, 3]])\n'
      'print(torch.lu(A))\n'
      'print(torch.lu(A, get_infos=True))\n'
      'print(A.lu())\n'
      'print(torch.qr(A))\n'
      'print(A.qr(some=False))\n'
      'print(torch.linalg.lu_factor_ex(torch.ones(3, 3)))\n'
      'print(torch.lu_unpack(*torch.linalg.lu_factor(A), unpack_data=False))\n'
      'print(torch.linalg.lu_factor(torch.zeros(0, 0)))'),
     ('(tensor([[ 4.0000,  3.0000],\n'
      '        [ 0.5000, -0.5000]]), tensor([2, 2], dtype=torch.int32))\n'
      'torch.return_types._lu_with_info(\n'
      'LU=tensor([[ 4.0000,  3.0000],\n'
      '        [ 0.5000, -0.5000]]),\n'
      'pivots=tensor([2, 2], dtype=torch.int32),\n'
      'info=tensor(0, dtype=torch.int32))\n'
      '(tensor([[ 4.0000,  3.0000],\n'
      '        [ 0.5000, -0.5000]]), tensor([2, 2], dtype=torch.int32))\n'
      'torch.return_types.qr(\n'
      'Q=tensor([[-0.4472, -0.8944],\n'
      '        [-0.8944,  0.4472]]),\n'
      'R=tensor([[-4.4721, -3.1305],\n'
      '        [ 0.0000,  0.4472]]))\n'
      'torch.return_types.qr(\n'
      'Q=tensor([[-0.4472, -0.8944],\n'
      '        [-0.8944,  0.4472]]),\n'
      'R=tensor([[-4.4721, -3.1305],\n'
      '        [ 0.0000,  0.4472]]))\n'
      'torch.return_types.linalg_lu_factor_ex(\n'
      'LU=tensor([[1., 1., 1.],\n'
      '        [1., 0., 0.],\n'
      '        [1., 0., 0.]]),\n'
      'pivots=tensor([1, 2, 3], dtype=torch.int32),\n'
      'info=tensor(2, dtype=torch.int32))\n'
      'torch.return_types.lu_unpack(\n'
      'P=tensor([[0., 1.],\n'
      '        [1., 0.]]),\n'
      'L=tensor([]),\n'
      'U=tensor([]))\n'
      'torch.return_types.linalg_lu_factor(\n'
      'LU=tensor([], size=(0, 0)),\n'
      'pivots=tensor([], dtype=torch.int32))\n')),
    ('lu_singular',
     ('torch.linalg.lu_factor(torch.ones(3, 3))'),
     ('RuntimeError\n'
      'torch.linalg.lu_factor: U[2,2] is zero and using it on lu_solve would result in a division by zero. If you still want to perform the factorization, consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)\n')),
    ('lu_singular_lu',
     ('print(torch.linalg.lu(torch.ones(3, 3)))'),
     ('torch.return_types.linalg_lu(\n'
      'P=tensor([[1., 0., 0.],\n'
      '        [0., 1., 0.],\n'
      '        [0., 0., 1.]]),\n'
      'L=tensor([[1., 0., 0.],\n'
      '        [1., 1., 0.],\n'
      '        [1., 0., 1.]]),\n'
      'U=tensor([[1., 1., 1.],\n'
      '        [0., 0., 0.],\n'
      '        [0., 0., 0.]]))\n')),
    ('lu_long',
     ('torch.linalg.lu_factor(torch.ones(3, 3, dtype=torch.long))'),
     ('NotImplementedError\n'
      '"lu_cpu" not implemented for \'Long\'\n')),
    ('lu_1d',
     ('torch.linalg.lu(torch.ones(3))'),
     ('RuntimeError\n'
      'linalg.lu: Expected tensor with 2 or more dimensions. Got size: [3] instead\n')),
    ('lu_nopivot',
     ('torch.linalg.lu_factor(torch.eye(3), pivot=False)'),
     ('RuntimeError\n'
      'linalg.lu_factor: LU without pivoting is not implemented on the CPU\n')),
    ('lu_solve_shape',
     ('torch.linalg.lu_solve(*torch.linalg.lu_factor(torch.eye(3)), torch.ones(2, 2))'),
     ('RuntimeError\n'
      'linalg.lu_solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x2)\n')),
    ('lu_solve_1d',
     ('torch.linalg.lu_solve(*torch.linalg.lu_factor(torch.eye(3)), torch.ones(3))'),
     ('RuntimeError\n'
      'linalg.lu_solve: The input tensor B must have at least 2 dimensions.\n')),
    ('lu_solve_right',
     ('torch.linalg.lu_solve(*torch.linalg.lu_factor(torch.eye(3)), torch.ones(3, 1), left=False)'),
     ('RuntimeError\n'
      'linalg.lu_solve: Incompatible shapes of A and B for the equation XA = B (3x3 and 3x1)\n')),
    ('index_reduce',
     ('x = torch.arange(1., 13).reshape(4, 3)\n'
      'src = torch.tensor([[2., 3, 4], [5, 6, 7], [1, 1, 1], [9, 0, -1]])\n'
      'idx = torch.tensor([0, 2, 0, 1])\n'
      'for r in ["prod", "mean", "amax", "amin"]:\n'
      '    for inc in (True, False):\n'
      '        print(r, inc, x.index_reduce(0, idx, src, r, include_self=inc))\n'
      'y = x.clone()\n'
      'y.index_reduce_(0, idx, src, "prod")\n'
      'print(y)\n'
      'xs = x.clone().requires_grad_()\n'
      'ss = src.clone().requires_grad_()\n'
      'out = torch.index_reduce(xs, 0, idx, ss, "amax")\n'
      'print(out)\n'
      'out.sum().backward()\n'
      'print(xs.grad, ss.grad)\n'
      'xi = torch.tensor([[1, 2], [3, 4]])\n'
      'print(xi.index_reduce(0, torch.tensor([1, 1]), torch.tensor([[5, 6], [7, 8]]), "mean"))\n'
      'print(xi.index_reduce(0, torch.tensor([1, 1]), torch.tensor([[5, 6], [7, 8]]), "mean", include_self=False))\n'
      'a = torch.rand(3, 2, dtype=torch.float64, requires_grad=True)\n'
      'b = torch.rand(3, 2, dtype=torch.float64, requires_grad=True)\n'
      'for r in ["prod", "mean", "amax", "amin"]:\n'
      '    print(torch.autograd.gradcheck(lambda p, q: p.index_reduce(0, torch.tensor([2, 0, 2]), q, r), (a, b)))'),
     ('prod True tensor([[ 2.,  6., 12.],\n'
      '        [36.,  0., -6.],\n'
      '        [35., 48., 63.],\n'
      '        [10., 11., 12.]])\n'
      'prod False tensor([[ 2.,  3.,  4.],\n'
      '        [ 9.,  0., -1.],\n'
      '        [ 5.,  6.,  7.],\n'
      '        [10., 11., 12.]])\n'
      'mean True tensor([[ 1.3333,  2.0000,  2.6667],\n'
      '        [ 6.5000,  2.5000,  2.5000],\n'
      '        [ 6.0000,  7.0000,  8.0000],\n'
      '        [10.0000, 11.0000, 12.0000]])\n'
      'mean False tensor([[ 1.5000,  2.0000,  2.5000],\n'
      '        [ 9.0000,  0.0000, -1.0000],\n'
      '        [ 5.0000,  6.0000,  7.0000],\n'
      '        [10.0000, 11.0000, 12.0000]])\n'
      'amax True tensor([[ 2.,  3.,  4.],\n'
      '        [ 9.,  5.,  6.],\n'
      '        [ 7.,  8.,  9.],\n'
      '        [10., 11., 12.]])\n'
      'amax False tensor([[ 2.,  3.,  4.],\n'
      '        [ 9.,  0., -1.],\n'
      '        [ 5.,  6.,  7.],\n'
      '        [10., 11., 12.]])\n'
      'amin True tensor([[ 1.,  1.,  1.],\n'
      '        [ 4.,  0., -1.],\n'
      '        [ 5.,  6.,  7.],\n'
      '        [10., 11., 12.]])\n'
      'amin False tensor([[ 1.,  1.,  1.],\n'
      '        [ 9.,  0., -1.],\n'
      '        [ 5.,  6.,  7.],\n'
      '        [10., 11., 12.]])\n'
      'tensor([[ 2.,  6., 12.],\n'
      '        [36.,  0., -6.],\n'
      '        [35., 48., 63.],\n'
      '        [10., 11., 12.]])\n'
      'tensor([[ 2.,  3.,  4.],\n'
      '        [ 9.,  5.,  6.],\n'
      '        [ 7.,  8.,  9.],\n'
      '        [10., 11., 12.]], grad_fn=<IndexReduceBackward0>)\n'
      'tensor([[0., 0., 0.],\n'
      '        [0., 1., 1.],\n'
      '        [1., 1., 1.],\n'
      '        [1., 1., 1.]]) tensor([[1., 1., 1.],\n'
      '        [0., 0., 0.],\n'
      '        [0., 0., 0.],\n'
      '        [1., 0., 0.]])\n'
      'tensor([[1, 2],\n'
      '        [5, 6]])\n'
      'tensor([[1, 2],\n'
      '        [6, 7]])\n'
      'True\n'
      'True\n'
      'True\n'
      'True\n')),
    ('index_reduce_sum',
     ('torch.ones(3).index_reduce(0, torch.tensor([0]), torch.ones(1), "sum")'),
     ('RuntimeError\n'
      'index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got sum.\n')),
    ('index_reduce_count',
     ('torch.ones(3, 2).index_reduce(0, torch.tensor([0, 1]), torch.ones(3, 2), "amax")'),
     ('RuntimeError\n'
      'index_reduce_(): Number of indices (2) should be equal to source.size(dim): (3), for dim: 0\n')),
    ('index_reduce_float_index',
     ('torch.ones(3).index_reduce(0, torch.tensor([0.]), torch.ones(1), "amax")'),
     ('RuntimeError\n'
      'index_reduce_(): Expected dtype int32/int64 for index but got: Float\n')),
    ('index_reduce_range',
     ('torch.ones(3).index_reduce(0, torch.tensor([3]), torch.ones(1), "amax")'),
     ('IndexError\n'
      'index out of range in self\n')),
    ('apply_map',
     ('x = torch.tensor([[1., 2.], [3., 4.]])\n'
      'print(x.apply_(lambda v: v * 2 + 1), x)\n'
      'def sq(v):\n'
      '    return v ** 2\n'
      'print(torch.arange(5).apply_(sq), torch.arange(3).apply_(lambda v: v / 2))\n'
      'print(torch.arange(3.).apply_(lambda v: True), torch.tensor([True, False]).apply_(lambda v: not v))\n'
      'print(torch.ones(2).half().apply_(lambda v: v / 3), torch.tensor(5.).apply_(lambda v: v + 1))\n'
      'y = torch.tensor([1., 2., 3.])\n'
      'print(y.map_(torch.tensor([10., 20., 30.]), lambda a, b: a * b))\n'
      'print(y.map_(torch.tensor(2.), lambda a, b: a - b))\n'
      'print(y.map2_(torch.ones(3), torch.ones(3), lambda a, b, c: a + b + c))\n'
      'z = torch.zeros(4)\n'
      'z[1:3].apply_(lambda a: 7)\n'
      'print(z)'),
     ('tensor([[3., 5.],\n'
      '        [7., 9.]]) tensor([[3., 5.],\n'
      '        [7., 9.]])\n'
      'tensor([ 0,  1,  4,  9, 16]) tensor([0, 0, 1])\n'
      'tensor([1., 1., 1.]) tensor([False,  True])\n'
      'tensor([0.3333, 0.3333], dtype=torch.float16) tensor(6.)\n'
      'tensor([10., 40., 90.])\n'
      'tensor([ 8., 38., 88.])\n'
      'tensor([10., 40., 90.])\n'
      'tensor([0., 7., 7., 0.])\n')),
    ('apply_str',
     ('torch.arange(3.).apply_(lambda v: "a")'),
     ('TypeError\n'
      'must be real number, not str\n')),
    ('apply_none',
     ('torch.arange(3.).apply_(lambda v: None)'),
     ('TypeError\n'
      'must be real number, not NoneType\n')),
    ('apply_requires_grad',
     ('torch.ones(2, requires_grad=True).apply_(lambda v: v)'),
     ('RuntimeError\n'
      "Can't call apply_() on Variable that requires grad. Use var.detach().apply_() instead.\n")),
    ('map_requires_grad',
     ('torch.ones(2, requires_grad=True).map_(torch.ones(2), lambda a, b: a)'),
     ('RuntimeError\n'
      "Can't call map_() on Variable that requires grad. Use var.detach().map_() instead.\n")),
    ('map_shape',
     ('torch.ones(3).map_(torch.ones(2), lambda a, b: a)'),
     ('RuntimeError\n'
      'The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0.  Target sizes: [3].  Tensor sizes: [2]\n')),
    ('map_dtype',
     ('torch.ones(3).map_(torch.ones(3, dtype=torch.long), lambda a, b: a + b)'),
     ('TypeError\n'
      "map_: expected torch.FloatTensor for 'other' (got torch.LongTensor)\n")),
    ('apply_raises',
     ('def bad(v):\n'
      '    raise ValueError("boom")\n'
      'torch.ones(2).apply_(bad)'),
     ('ValueError\n'
      'boom\n')),
    ('half_draws',
     ('for n in (3, 16, 17, 40, 100):\n'
      '    torch.manual_seed(0)\n'
      '    print(torch.randn(n, dtype=torch.half)[-5:], torch.rand(n, dtype=torch.half)[-3:])\n'
      'torch.manual_seed(0)\n'
      'print(torch.randn(2, 3, dtype=torch.float16), torch.rand(4, dtype=torch.half))\n'
      'print(torch.empty(20, dtype=torch.half).uniform_(-1, 1))\n'
      'print(torch.empty(20, dtype=torch.half).normal_(2, 3))\n'
      'print(torch.empty(5, dtype=torch.half).normal_(2, 3))\n'
      'print(torch.empty(20, dtype=torch.half).exponential_())\n'
      'print(torch.empty(5, dtype=torch.half).random_())\n'
      'print(torch.randint(0, 10, (5,), dtype=torch.half))\n'
      'print(torch.randn_like(torch.ones(3, dtype=torch.half)), torch.rand_like(torch.ones(18, dtype=torch.half)))\n'
      'print(torch.normal(0., 1., size=(4,), dtype=torch.half))\n'
      'print(torch.randperm(5, dtype=torch.half))\n'
      'print(torch.bernoulli(torch.full((5,), 0.5, dtype=torch.half)))\n'
      'print(torch.nn.functional.dropout(torch.ones(6, dtype=torch.half), 0.5))\n'
      'x = torch.ones(4, dtype=torch.half); torch.nn.init.normal_(x); print(x)\n'
      'x = torch.ones(4, 3, dtype=torch.half); torch.nn.init.kaiming_uniform_(x); print(x)\n'
      'print(torch.nn.Linear(3, 2).half().weight)\n'
      'print(torch.empty(3, dtype=torch.half).cauchy_(), torch.empty(3, dtype=torch.half).log_normal_())\n'
      'print(torch.empty(3, dtype=torch.half).geometric_(0.3))\n'
      'print(torch.multinomial(torch.tensor([0.2, 0.3, 0.5], dtype=torch.half), 4, replacement=True))\n'),
     ('tensor([ 1.5410, -0.2935, -2.1797], dtype=torch.float16) tensor([0.4556, 0.6323, 0.3489], dtype=torch.float16)\n'
      'tensor([ 0.3081,  0.1198,  1.2373,  1.1172, -0.2473], dtype=torch.float16) tensor([0.3735, 0.3052, 0.9321], dtype=torch.float16)\n'
      'tensor([ 0.1835,  1.3896,  1.5859,  0.9463, -0.8438], dtype=torch.float16) tensor([0.8154, 0.7930, 0.2783], dtype=torch.float16)\n'
      'tensor([ 0.0525,  0.5229,  2.3027, -1.4688, -1.5869], dtype=torch.float16) tensor([0.4158, 0.4177, 0.2712], dtype=torch.float16)\n'
      'tensor([ 0.4543,  0.4570, -0.8652,  0.7812, -0.9268], dtype=torch.float16) tensor([0.5635, 0.4963, 0.4011], dtype=torch.float16)\n'
      'tensor([[ 1.5410, -0.2935, -2.1797],\n'
      '        [ 0.5684, -1.0850, -1.3984]], dtype=torch.float16) tensor([0.0223, 0.1688, 0.2939, 0.5186], dtype=torch.float16)\n'
      'tensor([ 0.3953,  0.6001, -0.6777, -0.4355,  0.3633,  0.8306, -0.2058,  0.7485,\n'
      '        -0.1611,  0.1058,  0.9053, -0.9277, -0.6294, -0.2532, -0.3899,  0.8638,\n'
      '        -0.6479, -0.4604, -0.6987, -0.9365], dtype=torch.float16)\n'
      'tensor([ 3.3184,  2.3379,  3.9219,  3.3242,  1.3086,  0.8247,  3.6309,  0.8145,\n'
      '         2.6172,  0.6489,  0.2808,  0.3340, -2.5938, -1.7021,  7.4609,  0.3455,\n'
      '        -1.9756,  2.5664,  1.7930,  0.5151], dtype=torch.float16)\n'
      'tensor([-4.6562,  2.7773, -1.0889,  0.4978,  2.8203], dtype=torch.float16)\n'
      'tensor([3.1763e-01, 4.2328e-02, 1.3809e+00, 4.1821e-01, 7.7246e-01, 6.2793e-01,\n'
      '        1.9912e+00, 4.1931e-02, 5.8984e+00, 2.1172e+00, 1.4395e+00, 2.9565e-01,\n'
      '        2.1021e-01, 4.4023e+00, 1.5127e+00, 4.4922e-01, 8.3447e-01, 1.3516e+00,\n'
      '        4.4746e-03, 8.7598e-01], dtype=torch.float16)\n'
      'tensor([1395.,  820.,  973., 1174.,  334.], dtype=torch.float16)\n'
      'tensor([0., 9., 9., 3., 1.], dtype=torch.float16)\n'
      'tensor([-0.9180,  0.5928,  0.8066], dtype=torch.float16) tensor([0.8579, 0.4485, 0.5137, 0.4568, 0.6011, 0.8179, 0.9736, 0.8174, 0.9746,\n'
      '        0.4639, 0.0508, 0.2629, 0.8403, 0.4968, 0.2515, 0.1168, 0.0321, 0.0780],\n'
      '       dtype=torch.float16)\n'
      'tensor([ 0.2240,  0.5518, -0.5786,  0.0177], dtype=torch.float16)\n'
      'tensor([0., 3., 4., 1., 2.], dtype=torch.float16)\n'
      'tensor([1., 0., 1., 0., 1.], dtype=torch.float16)\n'
      'tensor([0., 2., 2., 0., 2., 0.], dtype=torch.float16)\n'
      'tensor([ 0.2600,  0.4246, -0.5015,  0.3069], dtype=torch.float16)\n'
      'tensor([[ 0.7661,  1.1230,  0.9678],\n'
      '        [-0.9976,  0.0630, -0.9971],\n'
      '        [-0.7783, -0.8242,  0.4834],\n'
      '        [-0.8428, -0.0309,  0.0595]], dtype=torch.float16)\n'
      'Parameter containing:\n'
      'tensor([[ 0.3721, -0.4365, -0.3962],\n'
      '        [-0.3352,  0.4041, -0.2075]], dtype=torch.float16, requires_grad=True)\n'
      'tensor([ 0.0204, -1.2949, -3.5840], dtype=torch.float16) tensor([0.0363, 2.0508, 3.0645], dtype=torch.float16)\n'
      'tensor([7., 1., 1.], dtype=torch.float16)\n'
      'tensor([1, 1, 2, 1])\n')),
    ('half_draws_seeded',
     ('torch.manual_seed(0); print(torch.bernoulli(torch.full((5,), 0.5, dtype=torch.half)))\n'
      'torch.manual_seed(0); print(torch.bernoulli(torch.full((5,), 0.5, dtype=torch.float)))\n'
      'torch.manual_seed(0); print(torch.bernoulli(torch.full((5,), 0.5, dtype=torch.double)))\n'
      'torch.manual_seed(0); print(torch.nn.functional.dropout(torch.ones(6, dtype=torch.half), 0.5))\n'
      'torch.manual_seed(0); print(torch.nn.functional.dropout(torch.ones(6), 0.5))\n'
      'torch.manual_seed(0); x = torch.ones(4, dtype=torch.half); torch.nn.init.normal_(x); print(x)\n'
      'torch.manual_seed(0); x = torch.ones(4, 3, dtype=torch.half); torch.nn.init.kaiming_uniform_(x); print(x)\n'
      'torch.manual_seed(0); print(torch.nn.Linear(3, 2).half().weight)\n'
      'torch.manual_seed(0); print(torch.empty(3, dtype=torch.half).cauchy_())\n'
      'torch.manual_seed(0); print(torch.empty(3, dtype=torch.half).log_normal_())\n'
      'torch.manual_seed(0); print(torch.empty(3, dtype=torch.half).geometric_(0.3))\n'
      'torch.manual_seed(0); print(torch.multinomial(torch.tensor([0.2, 0.3, 0.5], dtype=torch.half), 4, replacement=True))\n'),
     ('tensor([1., 0., 1., 1., 1.], dtype=torch.float16)\n'
      'tensor([1., 0., 1., 1., 1.])\n'
      'tensor([0., 0., 1., 0., 0.], dtype=torch.float64)\n'
      'tensor([0., 0., 2., 0., 0., 0.], dtype=torch.float16)\n'
      'tensor([0., 0., 2., 0., 0., 0.])\n'
      'tensor([ 1.5410, -0.2935, -2.1797,  0.5684], dtype=torch.float16)\n'
      'tensor([[-0.0106,  0.7588, -1.1641],\n'
      '        [-1.0410, -0.5449,  0.3792],\n'
      '        [-0.0280,  1.1211, -0.1255],\n'
      '        [ 0.3743, -0.4275, -0.2781]], dtype=torch.float16)\n'
      'Parameter containing:\n'
      'tensor([[-0.0043,  0.3098, -0.4751],\n'
      '        [-0.4248, -0.2224,  0.1548]], dtype=torch.float16, requires_grad=True)\n'
      'tensor([10.6016,  0.7646, -0.1283], dtype=torch.float16)\n'
      'tensor([5.9250e+01, 1.5117e+00, 3.4821e-02], dtype=torch.float16)\n'
      'tensor([1., 1., 3.], dtype=torch.float16)\n'
      'tensor([2, 2, 1, 2])\n')),
    ('remainder_zero_sign',
     ('a = torch.tensor([5., -5., 0., -0., 7.5, -7.5, 3.])\n'
      "for b in (2.5, -2.5, 1.0, -1.0, float('inf'), -float('inf')):\n"
      '    print(b, a % b, torch.remainder(a, b), a.remainder(torch.tensor(b)), torch.tensor(b) % a if b != 0 else 0)\n'
      'print(torch.tensor(5.) % -2.5, torch.tensor(-5.) % 2.5, torch.tensor(5., dtype=torch.float64) % -2.5)\n'
      'print(torch.remainder(-5., torch.tensor([2.5, -2.5])), 5 % torch.tensor([-2.5, 2.5]))\n'
      'x = torch.tensor([4., -4.], requires_grad=True)\n'
      'y = x % -2\n'
      'y.sum().backward()\n'
      'print(y, x.grad)\n'
      'print(torch.tensor([5, -5]) % 5, torch.tensor([5., -5.]).half() % -2.5)\n'
      'print(torch.tensor([5., -6.]).fmod(2.5), torch.tensor([-6.]) // 3, torch.tensor([6.]) // -3, torch.tensor([0.]) // -3)\n'),
     ('2.5 tensor([0.0000, -0.0000, 0.0000, -0.0000, 0.0000, -0.0000, 0.5000]) tensor([0.0000, -0.0000, 0.0000, -0.0000, 0.0000, -0.0000, 0.5000]) tensor([0.0000, -0.0000, 0.0000, -0.0000, 0.0000, -0.0000, 0.5000]) tensor([ 2.5000, -2.5000,     nan,     nan,  2.5000, -5.0000,  2.5000])\n'
      '-2.5 tensor([ 0., -0.,  0., -0.,  0., -0., -2.]) tensor([ 0., -0.,  0., -0.,  0., -0., -2.]) tensor([ 0., -0.,  0., -0.,  0., -0., -2.]) tensor([ 2.5000, -2.5000,     nan,     nan,  5.0000, -2.5000,  0.5000])\n'
      '1.0 tensor([0.0000, -0.0000, 0.0000, -0.0000, 0.5000, 0.5000, 0.0000]) tensor([0.0000, -0.0000, 0.0000, -0.0000, 0.5000, 0.5000, 0.0000]) tensor([0.0000, -0.0000, 0.0000, -0.0000, 0.5000, 0.5000, 0.0000]) tensor([ 1.0000, -4.0000,     nan,     nan,  1.0000, -6.5000,  1.0000])\n'
      '-1.0 tensor([ 0.0000, -0.0000,  0.0000, -0.0000, -0.5000, -0.5000,  0.0000]) tensor([ 0.0000, -0.0000,  0.0000, -0.0000, -0.5000, -0.5000,  0.0000]) tensor([ 0.0000, -0.0000,  0.0000, -0.0000, -0.5000, -0.5000,  0.0000]) tensor([ 4.0000, -1.0000,     nan,     nan,  6.5000, -1.0000,  2.0000])\n'
      'inf tensor([5.0000,    inf, 0.0000, -0.0000, 7.5000,    inf, 3.0000]) tensor([5.0000,    inf, 0.0000, -0.0000, 7.5000,    inf, 3.0000]) tensor([5.0000,    inf, 0.0000, -0.0000, 7.5000,    inf, 3.0000]) tensor([nan, nan, nan, nan, nan, nan, nan])\n'
      '-inf tensor([   -inf, -5.0000,  0.0000, -0.0000,    -inf, -7.5000,    -inf]) tensor([   -inf, -5.0000,  0.0000, -0.0000,    -inf, -7.5000,    -inf]) tensor([   -inf, -5.0000,  0.0000, -0.0000,    -inf, -7.5000,    -inf]) tensor([nan, nan, nan, nan, nan, nan, nan])\n'
      'tensor(0.) tensor(-0.) tensor(0., dtype=torch.float64)\n'
      'tensor([-0., -0.]) tensor([0., 0.])\n'
      'tensor([0., -0.], grad_fn=<RemainderBackward0>) tensor([1., 1.])\n'
      'tensor([0, 0]) tensor([0., -0.], dtype=torch.float16)\n'
      'tensor([ 0., -1.]) tensor([-2.]) tensor([-2.]) tensor([-0.])\n')),
    ('range_deprecated',
     ('print(torch.range(0, 3), torch.range(1, 2, 0.25), torch.range(0, 1, 0.1), torch.range(5, 1, -2), torch.range(0, 4, dtype=torch.long))\n'
      'print(torch.range(0, 3).dtype, torch.range(1, 4, 1.5))\n'
      'def t(f):\n'
      '    try: print(f())\n'
      '    except Exception as e: print(type(e).__name__, e)\n'
      't(lambda: torch.range(0, 3, 0))\n'
      't(lambda: torch.range(3, 0))\n'
      'print(torch.range(0, 3, requires_grad=True))\n'),
     ('tensor([0., 1., 2., 3.]) tensor([1.0000, 1.2500, 1.5000, 1.7500, 2.0000]) tensor([0.0000, 0.1000, 0.2000, 0.3000, 0.4000, 0.5000, 0.6000, 0.7000, 0.8000,\n'
      '        0.9000, 1.0000]) tensor([5., 3., 1.]) tensor([0, 1, 2, 3, 4])\n'
      'torch.float32 tensor([1.0000, 2.5000, 4.0000])\n'
      'RuntimeError step must be nonzero\n'
      'RuntimeError upper bound and lower bound inconsistent with step sign\n'
      'tensor([0., 1., 2., 3.], requires_grad=True)\n')),
    ('masked_fill_int_and_messages',
     ('def t(f):\n'
      '    try: print(f())\n'
      '    except Exception as e: print(type(e).__name__, e)\n'
      'm = torch.tensor([[1, 2], [3, 4]])\n'
      'for dt in (torch.long, torch.int32, torch.float, torch.uint8, torch.float64, torch.int8, torch.int16, torch.half):\n'
      '    t(lambda: m.masked_fill(m.to(dt), 1))\n'
      '    t(lambda: m.masked_scatter(m.to(dt), m))\n'
      '    t(lambda: m.masked_select(m.to(dt)))\n'
      'print(m.masked_fill(m > 2, 0.5), m.masked_fill(m > 2, -1.7), torch.tensor([True, False]).masked_fill(torch.tensor([False, True]), 5))\n'
      'print(m.int().masked_fill(m > 2, 2.9).dtype, m.masked_fill(m > 2, torch.tensor(2.9)), m.float().masked_fill(m > 1, 3))\n'
      't(lambda: torch.tensor([1, 2], dtype=torch.uint8).masked_fill(torch.tensor([True, False]), 300))\n'
      't(lambda: torch.tensor([1, 2], dtype=torch.uint8).masked_fill(torch.tensor([True, False]), -1))\n'
      "t(lambda: m.masked_fill(m > 2, float('nan')))\n"
      'y = m.clone(); y.masked_fill_(m > 2, 9.9); print(y)\n'
      'y = m.clone(); y[m > 2] = 9.9; print(y)\n'
      'y = m.clone(); y[0] = 7.7; print(y)\n'
      'y = m.clone(); y.fill_(3.6); print(y)\n'
      'y = m.clone(); y += 2.5 if False else 0; print(y)\n'
      'print(torch.full((2,), 3.7, dtype=torch.long), torch.zeros(2, dtype=torch.int).fill_(-2.5), torch.tensor([1, 2]).index_fill(0, torch.tensor([0]), 3.9))\n'
      'print(torch.tensor([1, 2]).clamp(min=1.5), torch.tensor([1, 2]).clamp(0.5, 1.5), torch.tensor([1, 5]).clamp(max=torch.tensor(2.5)))\n'),
     ('RuntimeError masked_fill_ only supports boolean masks, but got mask with dtype long int\n'
      'RuntimeError masked_scatter_ only supports boolean masks, but got mask with dtype Long\n'
      'RuntimeError masked_select: expected BoolTensor for mask\n'
      'RuntimeError masked_fill_ only supports boolean masks, but got mask with dtype int\n'
      'RuntimeError masked_scatter_ only supports boolean masks, but got mask with dtype Int\n'
      'RuntimeError masked_select: expected BoolTensor for mask\n'
      'RuntimeError masked_fill_ only supports boolean masks, but got mask with dtype float\n'
      'RuntimeError masked_scatter_ only supports boolean masks, but got mask with dtype Float\n'
      'RuntimeError masked_select: expected BoolTensor for mask\n'
      'RuntimeError masked_fill_ only supports boolean masks, but got mask with dtype unsigned char\n'
      'RuntimeError masked_scatter_ only supports boolean masks, but got mask with dtype Byte\n'
      'RuntimeError masked_select: expected BoolTensor for mask\n'
      'RuntimeError masked_fill_ only supports boolean masks, but got mask with dtype double\n'
      'RuntimeError masked_scatter_ only supports boolean masks, but got mask with dtype Double\n'
      'RuntimeError masked_select: expected BoolTensor for mask\n'
      'RuntimeError masked_fill_ only supports boolean masks, but got mask with dtype signed char\n'
      'RuntimeError masked_scatter_ only supports boolean masks, but got mask with dtype Char\n'
      'RuntimeError masked_select: expected BoolTensor for mask\n'
      'RuntimeError masked_fill_ only supports boolean masks, but got mask with dtype short int\n'
      'RuntimeError masked_scatter_ only supports boolean masks, but got mask with dtype Short\n'
      'RuntimeError masked_select: expected BoolTensor for mask\n'
      'RuntimeError masked_fill_ only supports boolean masks, but got mask with dtype c10::Half\n'
      'RuntimeError masked_scatter_ only supports boolean masks, but got mask with dtype Half\n'
      'RuntimeError masked_select: expected BoolTensor for mask\n'
      'tensor([[1, 2],\n'
      '        [0, 0]]) tensor([[ 1,  2],\n'
      '        [-1, -1]]) tensor([True, True])\n'
      'torch.int32 tensor([[1, 2],\n'
      '        [2, 2]]) tensor([[1., 3.],\n'
      '        [3., 3.]])\n'
      'RuntimeError value cannot be converted to type uint8_t without overflow\n'
      'tensor([255,   2], dtype=torch.uint8)\n'
      'RuntimeError value cannot be converted to type int64_t without overflow\n'
      'tensor([[1, 2],\n'
      '        [9, 9]])\n'
      'tensor([[1, 2],\n'
      '        [9, 9]])\n'
      'tensor([[7, 7],\n'
      '        [3, 4]])\n'
      'tensor([[3, 3],\n'
      '        [3, 3]])\n'
      'tensor([[1, 2],\n'
      '        [3, 4]])\n'
      'tensor([3, 3]) tensor([-2, -2], dtype=torch.int32) tensor([3, 2])\n'
      'tensor([1.5000, 2.0000]) tensor([1.0000, 1.5000]) tensor([1.0000, 2.5000])\n')),
    ('return_type_names',
     ('x = torch.ones(2, 3)\n'
      'r = x.max(1)\n'
      'print(type(r), type(r).__name__, type(x.sort()), type(torch.linalg.qr(x)), isinstance(r, tuple))\n'
      'v, i = r\n'
      'print(r[0], len(r))\n'
      'try:\n'
      '    r.foo\n'
      'except Exception as e:\n'
      '    print(type(e).__name__, e)\n'
      'try:\n'
      '    r[0] = 1\n'
      'except Exception as e:\n'
      '    print(type(e).__name__, e)\n'),
     ("<class 'torch.return_types.max'> max <class 'torch.return_types.sort'> <class 'torch.return_types.linalg_qr'> True\n"
      'tensor([1., 1.]) 2\n'
      "AttributeError 'torch.return_types.max' object has no attribute 'foo'\n"
      "TypeError 'torch.return_types.max' object does not support item assignment\n")),
    ('einsum_messages',
     ('def t(f):\n'
      '    try: print(f())\n'
      '    except Exception as e: print(type(e).__name__, e)\n'
      'x = torch.ones(2, 3)\n'
      "t(lambda: torch.einsum('ij->k', x))\n"
      "t(lambda: torch.einsum('ij,jk->ik', x, x))\n"
      "t(lambda: torch.einsum('ijk->i', x))\n"
      "t(lambda: torch.einsum('ij->ii', x))\n"
      "t(lambda: torch.einsum('ij,jk', x))\n"
      "t(lambda: torch.einsum('ij', x, x))\n"
      "t(lambda: torch.einsum('i1->i', x))\n"
      "t(lambda: torch.einsum('ij->ji', x))\n"
      "t(lambda: torch.einsum('ij,kj->ik', x, torch.ones(4, 3)))\n"
      "t(lambda: torch.einsum('bi,bi->b', x, torch.ones(1, 3)))\n"),
     ('RuntimeError einsum(): output subscript k does not appear in the equation for any input operand\n'
      'RuntimeError einsum(): subscript j has size 2 for operand 1 which does not broadcast with previously seen size 3\n'
      'RuntimeError einsum(): the number of subscripts in the equation (3) does not match the number of dimensions (2) for operand 0 and no ellipsis was given\n'
      'RuntimeError einsum(): output subscript i appears more than once in the output\n'
      'RuntimeError einsum(): fewer operands were provided than specified in the equation\n'
      'RuntimeError einsum(): more operands were provided than specified in the equation\n'
      'RuntimeError einsum(): invalid subscript given at index 1 in the equation string, subscripts must be in [a-zA-Z]\n'
      'tensor([[1., 1.],\n'
      '        [1., 1.],\n'
      '        [1., 1.]])\n'
      'tensor([[3., 3., 3., 3.],\n'
      '        [3., 3., 3., 3.]])\n'
      'tensor([3., 3.])\n')),
    ('topk_range',
     ('torch.ones(2, 3).topk(4)'),
     ('RuntimeError\n'
      'selected index k out of range\n')),
    ('kthvalue_range',
     ('torch.ones(2, 3).kthvalue(4, 1)'),
     ('RuntimeError\n'
      'kthvalue(): selected number k out of range for dimension 1\n')),
    ('tensor_overflow',
     ('torch.tensor(2**70)'),
     ('ValueError\n'
      'Overflow when unpacking long long\n')),
    ('index_broadcast',
     ('torch.ones(2, 3)[[0, 1], [0, 1, 2]]'),
     ('IndexError\n'
      'shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]\n')),
    ('sum_dtype_new_size',
     ('x = torch.arange(6.).reshape(2, 3)\n'
      'print(x.sum(dtype=torch.int32), torch.sum(x, dtype=torch.int32), x.sum(0, dtype=torch.int32), x.sum(dtype=torch.float64), x.mean(dtype=torch.float64), torch.tensor([1,2]).sum(dtype=torch.float32), torch.tensor([True]).sum(dtype=torch.bool), torch.tensor([1,2],dtype=torch.int8).sum(dtype=torch.int16).dtype)\n'
      'print(x.new_zeros(size=(2,)), x.new_ones(size=[1, 2]), x.new_empty(size=(2,)).shape, x.new_zeros((2,), dtype=torch.long))\n'),
     ('tensor(15, dtype=torch.int32) tensor(15, dtype=torch.int32) tensor([3, 5, 7], dtype=torch.int32) tensor(15., dtype=torch.float64) tensor(2.5000, dtype=torch.float64) tensor(3.) tensor(True) torch.int16\n'
      'tensor([0., 0.]) tensor([[1., 1.]]) torch.Size([2]) tensor([0, 0])\n')),
    ('numpy_of_requires_grad',
     ('import numpy as np\n'
      'print(np.array(torch.ones(2, requires_grad=True)))'),
     ('RuntimeError\n'
      "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.\n")),
    ('other_spellings',
     ('def t(f):\n'
      '    try: print(f())\n'
      '    except Exception as e: print(type(e).__name__, e)\n'
      'x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)\n'
      'print(torch.concatenate([x, x], axis=0), torch.concatenate((x, x), 1))\n'
      'print(torch.adjoint(x), x.adjoint(), x.mH)\n'
      't(lambda: torch.adjoint(torch.ones(3)))\n'
      'y = x * 2\n'
      'y.detach_()\n'
      'print(y, y.requires_grad, y.grad_fn)\n'
      'def f():\n'
      '    v = (x * 2)[:1]\n'
      '    v.detach_()\n'
      't(f)\n'
      'z = torch.ones(2, requires_grad=True)\n'
      'z.detach_()\n'
      'print(z.requires_grad, z)\n'
      'print(x.get_device(), torch.get_device(x), torch.asarray([1, 2]), torch.asarray(x).requires_grad, torch.asarray([1.5], dtype=torch.float64), torch.asarray(x, requires_grad=False).requires_grad)\n'
      'a = torch.ones(2); b = torch.asarray(a); b[0] = 5; print(a, torch.asarray(a, dtype=torch.float64), torch.asarray(a, copy=True) is a)\n'
      'w = torch.ones(2) * 3\n'
      'print(torch.detach_(w), torch.adjoint(torch.ones(2, 3)).shape)\n'),
     ('tensor([[1., 2.],\n'
      '        [3., 4.],\n'
      '        [1., 2.],\n'
      '        [3., 4.]], grad_fn=<CatBackward0>) tensor([[1., 2., 1., 2.],\n'
      '        [3., 4., 3., 4.]], grad_fn=<CatBackward0>)\n'
      'tensor([[1., 3.],\n'
      '        [2., 4.]], grad_fn=<TransposeBackward0>) tensor([[1., 3.],\n'
      '        [2., 4.]], grad_fn=<TransposeBackward0>) tensor([[1., 3.],\n'
      '        [2., 4.]], grad_fn=<TransposeBackward0>)\n'
      'RuntimeError tensor.adjoint() is only supported on matrices or batches of matrices. Got 1-D tensor.\n'
      'tensor([[2., 4.],\n'
      '        [6., 8.]]) False None\n'
      "RuntimeError Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence detach_() cannot be called on these gradients. To fix this error, please refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.\n"
      'False tensor([1., 1.])\n'
      '-1 -1 tensor([1, 2]) True tensor([1.5000], dtype=torch.float64) False\n'
      'tensor([5., 1.]) tensor([5., 1.], dtype=torch.float64) False\n'
      'tensor([3., 3.]) torch.Size([3, 2])\n')),
]


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_prints_what_pytorch_prints(name: str, code: str, expected: str) -> None:
    assert gd_output(_program(code)) == expected


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expected_text_is_pytorchs(name: str, code: str, expected: str) -> None:
    assert torch_output(_program(code)) == expected
