"""Derivative formulas written as PyTorch writes them (derivatives.yaml), seen at order 2
and 3: reductions' backward nodes (sum/mean expand even at equal shapes, mean divides by
a number, amax/amin's scale_grad_by_count, max/min(x, dim) of a 0-dim input), and abs's
grad * self.sgn() whose derivative is PyTorch's efficient zero tensor (signed zeros).
Each program's expected text is what PyTorch 2.13 prints (checked below when torch is
installed)."""

from __future__ import annotations

import pytest
from test_fuzz_trust import run_gd, run_torch

T = "import torch\n"
CASES: list[tuple[str, str, str]] = [
    ('sum-0d-expands', T +
        'x = torch.tensor(4.75, dtype=torch.float64, requires_grad=True)\n'
        'g, = torch.autograd.grad(torch.sin(x.sum()), x, create_graph=True)\n'
        'h, = torch.autograd.grad(torch.sin(x.sum(0, keepdim=True)), x, create_graph=True)\n'
        'print(g, h)\n',
        'tensor(0.0376, dtype=torch.float64, grad_fn=<ExpandBackward0>) tensor(0.0376, dt'
        'ype=torch.float64, grad_fn=<ExpandBackward0>)\n'),
    ('sum-size1-dim-expands', T +
        'x = torch.tensor([[1.5, 2.0]], dtype=torch.float64, requires_grad=True)\n'
        'g, = torch.autograd.grad(torch.sin(x.sum(0, keepdim=True)).sum(), x, create_graph=True)\n'
        'print(g)\n',
        'tensor([[ 0.0707, -0.4161]], dtype=torch.float64, grad_fn=<ExpandBackward0>)\n'),
    ('mean-divides-by-number', T +
        'x = torch.tensor([[1.0], [2.0]], dtype=torch.float64, requires_grad=True)\n'
        'g, = torch.autograd.grad(torch.sin(x.mean(1)).sum(), x, create_graph=True)\n'
        'h, = torch.autograd.grad(torch.sin(x.mean()), x, create_graph=True)\n'
        'print(g, h)\n',
        'tensor([[ 0.5403],\n        [-0.4161]], dtype=torch.float64, grad_fn=<DivBackward'
        '1>) tensor([[0.0354],\n        [0.0354]], dtype=torch.float64, grad_fn=<DivBackwa'
        'rd1>)\n'),
    ('amax-is-amax-backward', T +
        'x = torch.tensor([[1.5, -2.0, 0.5]], dtype=torch.float64, requires_grad=True)\n'
        'print(x.amax(), x.amin(), x.max(), torch.min(x))\n'
        'g, = torch.autograd.grad(torch.sin(x.amax()), x, create_graph=True)\n'
        'print(g)\n',
        'tensor(1.5000, dtype=torch.float64, grad_fn=<AmaxBackward0>) tensor(-2., dtype=t'
        'orch.float64, grad_fn=<AminBackward0>) tensor(1.5000, dtype=torch.float64, grad_'
        'fn=<MaxBackward1>) tensor(-2., dtype=torch.float64, grad_fn=<MinBackward1>)\ntens'
        'or([[0.0707, 0.0000, 0.0000]], dtype=torch.float64, grad_fn=<MulBackward0>)\n'),
    ('amax-negative-grad-zeros', T +
        'x = torch.tensor([[0.25], [3.0]], dtype=torch.float64, requires_grad=True)\n'
        'g, = torch.autograd.grad(torch.sin(x.amax()), x, create_graph=True)\n'
        'print(g)\n',
        'tensor([[-0.0000],\n        [-0.9900]], dtype=torch.float64, grad_fn=<MulBackward'
        '0>)\n'),
    ('max-dim-of-0d', T +
        'x = torch.tensor(2.5, dtype=torch.float64, requires_grad=True)\n'
        'print(x.max(0), x.min(-1))\n'
        'g, = torch.autograd.grad(torch.sin(x.max(0)[0]), x, create_graph=True)\n'
        'print(g)\n',
        'torch.return_types.max(\nvalues=tensor(2.5000, dtype=torch.float64, grad_fn=<MaxB'
        'ackward0>),\nindices=tensor(0)) torch.return_types.min(\nvalues=tensor(2.5000, dty'
        'pe=torch.float64, grad_fn=<MinBackward0>),\nindices=tensor(0))\ntensor(-0.8011, dt'
        'ype=torch.float64, grad_fn=<ScatterBackward0>)\n'),
    ('abs-sgn-zero-tensor', T +
        'x = torch.tensor([-2.25, 0.0, 0.5], dtype=torch.float64, requires_grad=True)\n'
        'g1, = torch.autograd.grad(torch.abs(-x).sum(), x, create_graph=True)\n'
        'g2, = torch.autograd.grad(g1.sum(), x, create_graph=True)\n'
        'print(g1, g2)\n'
        'h1, = torch.autograd.grad(torch.abs(torch.abs(x)).sum(), x, create_graph=True)\n'
        'h2, = torch.autograd.grad(h1.sum(), x, create_graph=True)\n'
        'h3, = torch.autograd.grad(h2.sum(), x)\n'
        'print(h1.grad_fn.next_functions[1][0].name(), h2, h3)\n',
        'tensor([-1., -0.,  1.], dtype=torch.float64, grad_fn=<NegBackward0>) tensor([-0.'
        ', -0., -0.], dtype=torch.float64)\nSgnBackward0 tensor([0., 0., 0.], dtype=torch.'
        'float64, grad_fn=<AddBackward0>) tensor([0., 0., 0.], dtype=torch.float64)\n'),
    ('norm1-sgn', T +
        'x = torch.tensor([-2.25, 0.0, 0.5], dtype=torch.float64, requires_grad=True)\n'
        'g1, = torch.autograd.grad(torch.norm(torch.abs(x), 1), x, create_graph=True)\n'
        'g2, = torch.autograd.grad(g1.sum(), x, create_graph=True)\n'
        'print(g1, g2)\n',
        'tensor([-1.,  0.,  1.], dtype=torch.float64, grad_fn=<MulBackward0>) tensor([0.,'
        ' 0., 0.], dtype=torch.float64, grad_fn=<AddBackward0>)\n'),
    ('norm-backward-per-p', T +
        'x = torch.tensor([[0.0, 0.0], [1.0, -3.0]], dtype=torch.float64, requires_grad=True)\n'
        "for p in [2, 3, 1.5, 0.5, float('inf')]:\n"
        '    y = torch.norm(x, p, dim=-1).sin().sum()\n'
        '    g1, = torch.autograd.grad(y, x, create_graph=True)\n'
        '    g2, = torch.autograd.grad(g1.sum(), x)\n'
        '    print(g1, g2)\n',
        'tensor([[ 0.0000,  0.0000],\n        [-0.3162,  0.9485]], dtype=torch.float64, gr'
        'ad_fn=<MulBackward0>) tensor([[    nan,     nan],\n        [-0.3835, -0.1141]], d'
        'type=torch.float64)\ntensor([[ 0.0000,  0.0000],\n        [-0.1079,  0.9707]], dty'
        'pe=torch.float64, grad_fn=<MulBackward0>) tensor([[ 0.0000,  0.0000],\n        [-'
        '0.2675, -0.1812]], dtype=torch.float64)\ntensor([[ 0.0000,  0.0000],\n        [-0.'
        '5299,  0.9178]], dtype=torch.float64, grad_fn=<MulBackward0>) tensor([[    nan, '
        '    nan],\n        [-0.3461, -0.0124]], dtype=torch.float64)\ntensor([[ 0.0000,  0'
        '.0000],\n        [ 1.0384, -0.5995]], dtype=torch.float64, grad_fn=<MulBackward0>'
        ') tensor([[    nan,     nan],\n        [-3.3568,  1.5384]], dtype=torch.float64)\n'
        'tensor([[0.0000, 0.0000],\n        [-0.0000, 0.9900]], dtype=torch.float64, grad_'
        'fn=<MulBackward0>) tensor([[-0.0000, -0.0000],\n        [ 0.0000, -0.1411]], dtyp'
        'e=torch.float64)\n'),
]


@pytest.mark.parametrize("text,expected", [pytest.param(t, e, id=k) for k, t, e in CASES])
def test_prints_what_pytorch_prints(text: str, expected: str) -> None:
    out, err = run_gd(text)
    assert err is None, err.message
    assert out == expected


@pytest.mark.parametrize("text,expected", [pytest.param(t, e, id=k) for k, t, e in CASES])
def test_expected_is_pytorch(text: str, expected: str) -> None:
    pytest.importorskip("torch")
    out, err = run_torch(text)
    assert err is None and out == expected
