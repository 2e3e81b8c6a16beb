"""The reductions and statistics family against PyTorch: values, printing (named tuples
print as torch.return_types.*), grad_fn names, gradients at ties (where PyTorch's kernels
put them: amax/amin share, max(dim)/median/kthvalue/sort/topk/mode route to PyTorch's
index), zeros in prod/cumprod, var/std's forms and float32 digits, error messages. Each
expected text is what PyTorch 2.13 prints (checked below when torch is installed)."""

from __future__ import annotations

import numpy as np
import pytest
from test_fuzz_trust import run_gd, run_torch

from gradcli.ad.kernels import statistics as KS

T = "import torch\n"
PROGRAMS: list[tuple[str, str, str]] = [
    ('sort-topk-grad', T +
        'x = torch.tensor([[3., 1., 2.], [0.5, 4., 4.]], requires_grad=True)\n'
        's = x.sort(dim=1, descending=True)\n'
        'print(s)\n'
        'v, i = torch.topk(x, 2)\n'
        '(s.values[:, 0].sum() + 10 * v.sum()).backward()\n'
        'print(x.grad)\n'
        'print(x.argsort(dim=0), torch.msort(x))\n',
        'torch.return_types.sort(\n'
        'values=tensor([[3.0000, 2.0000, 1.0000],\n'
        '        [4.0000, 4.0000, 0.5000]], grad_fn=<SortBackward0>),\n'
        'indices=tensor([[0, 2, 1],\n'
        '        [1, 2, 0]]))\n'
        'tensor([[11.,  0., 10.],\n'
        '        [ 0., 11., 10.]])\n'
        'tensor([[1, 0, 0],\n'
        '        [0, 1, 1]]) tensor([[0.5000, 1.0000, 2.0000],\n'
        '        [3.0000, 4.0000, 4.0000]], grad_fn=<SortBackward0>)\n'),
    ('var-std-forms', T +
        'x = torch.tensor([[1., 3., 2., 3.], [0., 5., 5., 1.]], requires_grad=True)\n'
        'print(torch.std(x, 0), torch.std(x, True), torch.std(x, False))\n'
        'print(torch.std(x, 1, True), torch.std(x, 1, False, True))\n'
        'print(torch.var(x, unbiased=False), torch.var(x, 1, correction=0), x.var(dim=1, '
        'correction=2))\n'
        'print(torch.var_mean(x, 1), torch.std_mean(x, dim=0, keepdim=True))\n'
        'g, = torch.autograd.grad(x.std(1).sum(), x, create_graph=True)\n'
        'h, = torch.autograd.grad(g.pow(2).sum(), x)\n'
        'print(g, h)\n',
        'tensor([0.7071, 1.4142, 2.1213, 1.4142], grad_fn=<StdBackward0>) tensor(1.8516, '
        'grad_fn=<StdBackward0>) tensor(1.7321, grad_fn=<StdBackward0>)\n'
        'tensor([0.9574, 2.6300], grad_fn=<StdBackward0>) tensor([[0.8292],\n'
        '        [2.2776]], grad_fn=<StdBackward0>)\n'
        'tensor(3., grad_fn=<VarBackward0>) tensor([0.6875, 5.1875], grad_fn=<VarBackward'
        '0>) tensor([ 1.3750, 10.3750], grad_fn=<VarBackward0>)\n'
        '(tensor([0.9167, 6.9167], grad_fn=<VarMeanBackward0>), tensor([2.2500, 2.7500], '
        'grad_fn=<VarMeanBackward0>)) (tensor([[0.7071, 1.4142, 2.1213, 1.4142]], grad_fn'
        '=<StdMeanBackward0>), tensor([[0.5000, 4.0000, 3.5000, 2.0000]], grad_fn=<StdMea'
        'nBackward0>))\n'
        'tensor([[-0.4352,  0.2611, -0.0870,  0.2611],\n'
        '        [-0.3485,  0.2852,  0.2852, -0.2218]], grad_fn=<MulBackward0>) tensor([['
        ' 0.0000e+00, -1.4901e-08,  7.4506e-09, -1.4901e-08],\n'
        '        [ 7.4506e-09,  0.0000e+00,  0.0000e+00,  3.7253e-09]])\n'),
    ('selection-ties', T +
        'y = torch.tensor([3., 1., 3., 1., 2., 2.], requires_grad=True)\n'
        'print(y.median(), y.median(0), y.kthvalue(2), y.mode(0))\n'
        'z = torch.tensor([1., 2., 2., 1., 5., 5., 5., 0., 0., 0., 3., 3., 2., 2., 1., 1.'
        ', 4., 4., 0., 1.])\n'
        'print(z.sort(), z.sort(descending=True).indices, z.topk(5), z.kthvalue(7), z.mode())\n'
        '(y.median() + y.median(0).values * 10 + y.kthvalue(2).values * 100).backward()\n'
        'print(y.grad)\n',
        'tensor(2., grad_fn=<MedianBackward0>) torch.return_types.median(\n'
        'values=tensor(2., grad_fn=<MedianBackward1>),\n'
        'indices=tensor(4)) torch.return_types.kthvalue(\n'
        'values=tensor(1., grad_fn=<KthvalueBackward0>),\n'
        'indices=tensor(3)) torch.return_types.mode(\n'
        'values=tensor(1., grad_fn=<ModeBackward0>),\n'
        'indices=tensor(3))\n'
        'torch.return_types.sort(\n'
        'values=tensor([0., 0., 0., 0., 1., 1., 1., 1., 1., 2., 2., 2., 2., 3., 3., 4., 4., 5.,\n'
        '        5., 5.]),\n'
        'indices=tensor([18,  7,  8,  9,  0, 19,  3, 15, 14,  1, 13, 12,  2, 11, 10, 16, 17,  6,\n'
        '         5,  4])) tensor([ 4,  5,  6, 17, 16, 11, 10,  1, 13, 12,  2,  3, 14, 15'
        ',  0, 19,  9,  8,\n'
        '         7, 18]) torch.return_types.topk(\n'
        'values=tensor([5., 5., 5., 4., 4.]),\n'
        'indices=tensor([ 6,  5,  4, 17, 16])) torch.return_types.kthvalue(\n'
        'values=tensor(1.),\n'
        'indices=tensor(0)) torch.return_types.mode(\n'
        'values=tensor(1.),\n'
        'indices=tensor(14))\n'
        'tensor([  0.0000,   0.0000,   0.0000, 100.0000,  10.5000,   0.5000])\n'),
    ('extremes-ties', T +
        'x = torch.tensor([[1., 4., 4.], [2., 2., 0.]], requires_grad=True)\n'
        'print(x.amax(1), x.amin(dim=(0, 1)), torch.aminmax(x, dim=1), torch.max(x, 1))\n'
        '(x.amax(1).sum() + 10 * x.max(1).values.sum() + 100 * torch.aminmax(x).min).backward()\n'
        'print(x.grad)\n',
        'tensor([4., 2.], grad_fn=<AmaxBackward0>) tensor(0., grad_fn=<AminBackward0>) to'
        'rch.return_types.aminmax(\n'
        'min=tensor([1., 0.], grad_fn=<AminmaxBackward0>),\n'
        'max=tensor([4., 2.], grad_fn=<AminmaxBackward0>)) torch.return_types.max(\n'
        'values=tensor([4., 2.], grad_fn=<MaxBackward0>),\n'
        'indices=tensor([1, 0]))\n'
        'tensor([[  0.0000,  10.5000,   0.5000],\n'
        '        [ 10.5000,   0.5000, 100.0000]])\n'),
    ('prod-cumprod-zeros', T +
        'x = torch.tensor([[2., 0., 3.], [0., 0., 5.], [1., 2., 3.]], requires_grad=True)\n'
        'print(x.prod(1), x.cumprod(1))\n'
        'g, = torch.autograd.grad(x.prod(1).sum(), x, create_graph=True)\n'
        'c, = torch.autograd.grad(x.cumprod(1).sum(), x, create_graph=True)\n'
        'print(g, c.detach())\n'
        'print(torch.autograd.grad(c.sum(), x)[0])\n',
        'tensor([0., 0., 6.], grad_fn=<ProdBackward1>) tensor([[2., 0., 0.],\n'
        '        [0., 0., 0.],\n'
        '        [1., 2., 6.]], grad_fn=<CumprodBackward0>)\n'
        'tensor([[0., 6., 0.],\n'
        '        [0., 0., 0.],\n'
        '        [6., 3., 2.]], grad_fn=<MulBackward0>) tensor([[1., 8., 0.],\n'
        '        [1., 0., 0.],\n'
        '        [9., 4., 2.]])\n'
        'tensor([[4., 6., 2.],\n'
        '        [6., 6., 0.],\n'
        '        [6., 5., 3.]])\n'),
    ('scans', T +
        'x = torch.tensor([[0.5, -1., 2.], [3., 0., -2.]], requires_grad=True)\n'
        'print(x.cumsum(1), torch.cumsum(x, dim=0, dtype=torch.float64), x.logcumsumexp(1))\n'
        'print(x.cummax(1), torch.cummin(x, 0))\n'
        'w = torch.tensor([[1., -2., 3.], [-1., 0.5, 2.]])\n'
        '((x.logcumsumexp(1) * w).sum() + (x.cummax(1).values * w).sum() + (x.cumsum(0) *'
        ' w).sum()).backward()\n'
        'print(x.grad)\n'
        'y = x.detach().clone()\n'
        'y.cumsum_(1)\n'
        'print(y, torch.tensor([1, 2, 3]).cumsum(0), torch.tensor([True, False, True]).cu'
        'mprod(0))\n',
        'tensor([[ 0.5000, -0.5000,  1.5000],\n'
        '        [ 3.0000,  3.0000,  1.0000]], grad_fn=<CumsumBackward0>) tensor([[ 0.500'
        '0, -1.0000,  2.0000],\n'
        '        [ 3.5000, -1.0000,  0.0000]], dtype=torch.float64,\n'
        '       grad_fn=<CumsumBackward0>) tensor([[0.5000, 0.7014, 2.2413],\n'
        '        [3.0000, 3.0486, 3.0550]], grad_fn=<LogcumsumexpBackward0>)\n'
        'torch.return_types.cummax(\n'
        'values=tensor([[0.5000, 0.5000, 2.0000],\n'
        '        [3.0000, 3.0000, 3.0000]], grad_fn=<CummaxBackward0>),\n'
        'indices=tensor([[0, 0, 2],\n'
        '        [0, 0, 0]])) torch.return_types.cummin(\n'
        'values=tensor([[ 0.5000, -1.0000,  2.0000],\n'
        '        [ 0.5000, -1.0000, -2.0000]], grad_fn=<CumminBackward0>),\n'
        'indices=tensor([[0, 0, 0],\n'
        '        [0, 0, 1]]))\n'
        'tensor([[-1.1093, -1.7475, 10.3568],\n'
        '        [ 1.8693,  0.6180,  2.0128]])\n'
        'tensor([[ 0.5000, -0.5000,  1.5000],\n'
        '        [ 3.0000,  3.0000,  1.0000]]) tensor([1, 3, 6]) tensor([1, 0, 0])\n'),
    ('nan-aware-and-distances', T +
        "x = torch.tensor([[1., float('nan'), 3.], [4., 5., float('nan')]], requires_grad=True)\n"
        'print(x.nansum(), x.nansum(1), torch.nanmean(x, 1), x.nanmedian(), x.nanmedian(1))\n'
        'x.nanmean().backward()\n'
        'print(x.grad, torch.count_nonzero(torch.tensor([[0, 1], [2, 0]]), dim=0))\n'
        'a = torch.tensor([[0., 0.], [3., 4.]], requires_grad=True)\n'
        'b = torch.tensor([[0., 0.], [1., 1.], [6., 8.]])\n'
        'd = torch.cdist(a, b)\n'
        'print(d, a.dist(b[:2]), torch.dist(a, b[:2], p=1))\n'
        'd.sum().backward()\n'
        'print(a.grad)\n',
        'tensor(13., grad_fn=<NansumBackward0>) tensor([4., 9.], grad_fn=<NansumBackward0'
        '>) tensor([2.0000, 4.5000], grad_fn=<DivBackward0>) tensor(3., grad_fn=<Nanmedia'
        'nBackward0>) torch.return_types.nanmedian(\n'
        'values=tensor([1., 4.], grad_fn=<NanmedianBackward1>),\n'
        'indices=tensor([0, 0]))\n'
        'tensor([[0.2500, 0.0000, 0.2500],\n'
        '        [0.2500, 0.2500, 0.0000]]) tensor([1, 1])\n'
        'tensor([[ 0.0000,  1.4142, 10.0000],\n'
        '        [ 5.0000,  3.6056,  5.0000]], grad_fn=<CdistBackward0>) tensor(3.6056, g'
        'rad_fn=<DistBackward0>) tensor(5., grad_fn=<DistBackward0>)\n'
        'tensor([[-1.3071, -1.5071],\n'
        '        [ 0.5547,  0.8321]])\n'),
    ('sum-mean-dtype-and-keywords', T +
        'x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)\n'
        's = x.sum(dtype=torch.float64)\n'
        'm = torch.mean(input=x, dim=1, keepdim=True, dtype=torch.float64)\n'
        'print(s, m, torch.sum(input=x, dim=0), x.mean(dim=1, keepdim=True), x.logsumexp(dim=1))\n'
        '(s + m.sum()).backward()\n'
        'print(x.grad, x.grad.dtype)\n',
        'tensor(10., dtype=torch.float64, grad_fn=<SumBackward0>) tensor([[1.5000],\n'
        '        [3.5000]], dtype=torch.float64, grad_fn=<MeanBackward1>) tensor([4., 6.]'
        ', grad_fn=<SumBackward1>) tensor([[1.5000],\n'
        '        [3.5000]], grad_fn=<MeanBackward1>) tensor([2.3133, 4.3133], grad_fn=<Lo'
        'gsumexpBackward0>)\n'
        'tensor([[1.5000, 1.5000],\n'
        '        [1.5000, 1.5000]]) torch.float32\n'),
    ('float32-printing', T +
        'torch.manual_seed(0)\n'
        'x = torch.randn(7, 5)\n'
        'print(x.var(), x.std(0), x.var(1, keepdim=True), torch.var_mean(x, 0), x.norm(di'
        'm=1), x.norm())\n',
        'tensor(0.9734) tensor([0.8367, 0.8683, 1.2035, 0.5077, 1.2865]) tensor([[0.6683],\n'
        '        [1.3290],\n'
        '        [0.2621],\n'
        '        [0.9797],\n'
        '        [0.1139],\n'
        '        [1.2472],\n'
        '        [1.4522]]) (tensor([0.7001, 0.7540, 1.4485, 0.2578, 1.6551]), tensor([-0'
        '.3004, -0.4892, -0.2922,  0.3916,  0.2624])) tensor([1.8886, 2.5986, 1.7352, 2.2'
        '693, 0.9262, 2.5386, 2.7514]) tensor(5.7752)\n'),
    ('cdist-over-25-rows-is-euclidean-dist', T +
        'torch.manual_seed(0)\n'
        'a = torch.randn(30, 3, requires_grad=True)\n'
        'd = torch.cdist(a, torch.randn(4, 3))\n'
        'print(d[:4])\n'
        'd.sum().backward()\n'
        'print(a.grad[:4])\n',
        'tensor([[3.0917, 2.4080, 0.9609, 2.8362],\n'
        '        [2.8278, 1.8337, 1.6555, 1.0609],\n'
        '        [3.0772, 2.5139, 1.6901, 3.5210],\n'
        '        [3.2442, 2.3121, 1.0441, 1.7860]], grad_fn=<SliceBackward0>)\n'
        'tensor([[-2.2640, -2.2114, -0.8134],\n'
        '        [-1.7011,  1.2419,  1.7059],\n'
        '        [-0.8465, -3.3351,  0.4904],\n'
        '        [-2.8375,  0.6989,  0.4552]])\n'),
]

ERRORS: list[tuple[str, str, str]] = [
    ('topk-k', T + 'torch.tensor([1., 2.]).topk(3)\n',
     'selected index k out of range'),
    ('kthvalue-k', T + 'torch.tensor([[1., 2.]]).kthvalue(3)\n',
     'kthvalue(): selected number k out of range for dimension 1'),
    ('cumsum-dim', T + 'torch.ones(2, 3).cumsum(2)\n',
     'Dimension out of range (expected to be in range of [-2, 1], but got 2)'),
    ('sort-dim', T + 'torch.ones(2, 3).sort(-3)\n',
     'Dimension out of range (expected to be in range of [-2, 1], but got -3)'),
    ('cdist-cols', T + 'torch.cdist(torch.ones(2, 4), torch.ones(3, 3))\n',
     'X1 and X2 must have the same number of columns. X1: 4 X2: 3'),
    ('cdist-1d', T + 'torch.cdist(torch.ones(3), torch.ones(2, 3))\n',
     'cdist only supports at least 2D tensors, X1 got: 1D'),
    ('var-int', T + 'torch.tensor([1, 2]).var()\n',
     'std and var only support floating point and complex dtypes'),
    ('logcumsumexp-int', T + 'torch.tensor([1, 2]).logcumsumexp(0)\n',
     '"logcumsumexp_out_cpu" not implemented for \'Long\''),
    ('nanmean-int', T + 'torch.tensor([1, 2]).nanmean()\n',
     'nanmean(): expected input to have floating point or complex dtype but got Long'),
    ('median-empty-dim', T + 'torch.ones(2, 0).median(1)\n',
     'median(): Expected reduction dim 1 to have non-zero size.'),
    ('aminmax-empty', T + 'torch.aminmax(torch.ones(0))\n',
     'aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity.'),
]



@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=k) for k, t, e in PROGRAMS])
def test_prints_what_pytorch_prints(text: str, expected: str) -> None:
    out, err = run_gd(text)
    assert err is None, err.message
    assert out == expected


@pytest.mark.parametrize(("text", "message"), [pytest.param(t, m, id=k) for k, t, m in ERRORS])
def test_error_messages_are_pytorchs(text: str, message: str) -> None:
    _, err = run_gd(text)
    assert err is not None and err.message == message


def test_dof_warning_is_pytorchs() -> None:
    from gradcli.app import AppOptions, run
    from gradcli.source import Source

    warned: list[str] = []
    out: list[str] = []
    run(Source("prog.gd", "x = torch.tensor([1.0])\nprint(x.std(), x.var(0))\n"),
        AppOptions(write=out.append, warn=warned.append))
    assert "".join(out) == "tensor(nan) tensor(nan)\n"
    text = "".join(warned)
    assert "UserWarning: std(): degrees of freedom is <= 0. Correction should be strictly " \
        "less than the reduction factor (input numel divided by output numel)." in text
    assert "UserWarning: var(): degrees of freedom is <= 0." in text


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=k) for k, t, e in PROGRAMS])
def test_expected_is_pytorch(text: str, expected: str) -> None:
    pytest.importorskip("torch")
    out, err = run_torch(text)
    assert err is None and out == expected


@pytest.mark.parametrize(("text", "message"), [pytest.param(t, m, id=k) for k, t, m in ERRORS])
def test_expected_message_is_pytorch(text: str, message: str) -> None:
    pytest.importorskip("torch")
    _, err = run_torch(text)
    assert err is not None and str(err).splitlines()[0] == message


def test_tie_indices_match_pytorch_kernels() -> None:
    """Rows with repeated values and NaN, short (insertion sort) and long (introsort,
    nth_element, partial_sort): every index PyTorch's CPU kernels report."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    for n in (5, 16, 17, 40, 130):
        for trial in range(4):
            a = rng.integers(0, 4, (3, n)).astype(np.float64)
            if trial % 2:
                a[0, rng.integers(0, n)] = np.nan
            x = torch.from_numpy(a)
            for desc in (False, True):
                assert np.array_equal(KS.sort(a, 1, desc)[1], x.sort(1, desc).indices)
                assert np.array_equal(KS.sort(a, 1, desc, True)[1],
                                      x.sort(dim=1, descending=desc, stable=True).indices)
            for k in (1, 3):
                for largest in (True, False):
                    for srt in (True, False):
                        assert np.array_equal(KS.topk(a, k, 1, largest, srt)[1],
                                              x.topk(k, 1, largest, srt).indices)
                assert np.array_equal(KS.kthvalue(a, k, 1)[1], x.kthvalue(k, 1).indices)
            assert np.array_equal(KS.mode(a, 1)[1], x.mode(1).indices)
            assert np.array_equal(KS.median(a, 1)[1], x.median(1).indices)
            assert np.array_equal(KS.median(a, 1, ignore_nan=True)[1], x.nanmedian(1).indices)
            assert np.array_equal(KS.cumextreme(a, 1, True)[1], x.cummax(1).indices)
            assert np.array_equal(KS.cumextreme(a, 1, False)[1], x.cummin(1).indices)


def test_float_digits_match_pytorch() -> None:
    """var/std/var_mean and the 2-norm bit for bit (float32 and float64)."""
    torch = pytest.importorskip("torch")
    from gradcli.ad import ops
    from gradcli.ad.ops import statistics as S
    from gradcli.ad.tensor import Tensor

    rng = np.random.default_rng(1)
    for trial in range(20):
        shape = tuple(int(s) for s in rng.integers(2, 30, rng.integers(1, 4)))
        for dt in (np.float32, np.float64):
            a = (rng.standard_normal(shape) * 10 + 3).astype(dt)
            x, t = Tensor(a), torch.from_numpy(a)
            d = int(rng.integers(0, a.ndim))
            pairs = [(S.var(x), t.var()), (S.std(x, d), t.std(d)),
                     (S.var_mean(x, d)[1], torch.var_mean(t, d)[1]),
                     (ops.norm(x), t.norm()), (ops.norm(x, 2, -1), t.norm(dim=-1))]
            for ours, theirs in pairs:
                assert np.array_equal(ours.array, theirs.numpy()), (trial, dt)
