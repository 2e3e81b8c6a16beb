"""Spatial layers, round 9: transposed convolutions, conv3d, fold / unfold, F.interpolate
and the Upsample modules, pixel / channel shuffles, the padding modules, more pools (with
indices, 3-d, adaptive max, unpool, LP), instance norm, local response norm and the
channel-wise dropouts.

Each case is a program valid under both gd and PyTorch: the expected output is PyTorch
2.13's, as a literal (so the test means something without torch); with torch installed the
same program runs under it too. Errors compare gd's message with PyTorch's exception text.
Then gradients (first and second order) against PyTorch, and the sandbox rows for the new
module kinds.
"""

from __future__ import annotations

import contextlib
import io
import warnings

import pytest

from gradcli.app import AppOptions, run
from gradcli.cli import exit_status
from gradcli.errors import GdError
from gradcli.source import Source

PRELUDE = ("import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
           "torch.manual_seed(0)\n")


def gd(program: str) -> tuple[int, str, str]:
    """(exit code, output, error message) of a gd program run in this process."""
    buf = io.StringIO()
    try:
        run(Source("prog.gd", PRELUDE + program), AppOptions(write=buf.write))
    except GdError as e:
        return exit_status(e), buf.getvalue(), e.message
    return 0, buf.getvalue(), ""


def under_torch(program: str) -> tuple[str, str]:
    """(output, exception text or '') of the program run by PyTorch."""
    pytest.importorskip("torch")
    buf = io.StringIO()
    err = ""
    with contextlib.redirect_stdout(buf), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(compile(PRELUDE + program, "p.py", "exec"), {"__name__": "__main__"})
        except Exception as e:
            err = str(e)
    return buf.getvalue(), err


CASES: list[tuple[str, str, str]] = [
    ('convtranspose-module',
     'm = nn.ConvTranspose2d(2, 4, 3, stride=2, padding=1, output_padding=1, groups=2)\n'
     'print(m)\n'
     'print(m.weight.shape, m.bias)\n'
     'x = torch.randn(1, 2, 3, 3)\n'
     'y = m(x)\n'
     'print(y.shape, y.grad_fn.name())\n'
     'print(y[0, 1])\n'
     'print(m(x, output_size=[5, 5]).shape)\n',
     'ConvTranspose2d(2, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_'
     'padding=(1, 1), groups=2)\n'
     'torch.Size([2, 2, 3, 3]) Parameter containing:\n'
     'tensor([-0.1376,  0.2026,  0.1052,  0.1142], requires_grad=True)\n'
     'torch.Size([1, 4, 6, 6]) ConvolutionBackward0\n'
     'tensor([[ 0.2363,  0.3908,  0.3185,  0.4038,  0.2921,  0.2583],\n'
     '        [ 0.2221,  0.2284,  0.0911,  0.1612,  0.0394,  0.0501],\n'
     '        [ 0.2893,  0.1227,  0.1098, -0.2023, -0.0381,  0.0528],\n'
     '        [ 0.1147,  0.0689,  0.3001,  0.2920,  0.3868,  0.4471],\n'
     '        [ 0.1234,  0.2864,  0.2949,  0.3882,  0.2915,  0.2579],\n'
     '        [ 0.2499,  0.2692,  0.1475,  0.1141,  0.1496,  0.1221]],\n'
     '       grad_fn=<SelectBackward0>)\n'
     'torch.Size([1, 4, 5, 5])\n'),
    ('convtranspose1d-3d',
     'm = nn.ConvTranspose1d(3, 2, 4, stride=2, padding=1, bias=False, dilation=2)\n'
     'print(m)\n'
     'print(m(torch.randn(3, 5)))\n'
     'print(nn.ConvTranspose3d(2, 1, 2, stride=2))\n'
     'print(nn.ConvTranspose3d(2, 1, 2, stride=2)(torch.randn(1, 2, 1, 2, 2))[0, 0, 0])\n'
     'print(nn.Conv3d(1, 2, 2, padding=1, bias=False))\n',
     'ConvTranspose1d(3, 2, kernel_size=(4,), stride=(2,), padding=(1,), dilation=(2,)'
     ', bias=False)\n'
     'tensor([[ 0.0000,  0.2052,  0.0000,  0.3508,  0.0000, -0.4973,  0.0000,  0.1847,\n'
     '          0.0000, -0.2690,  0.0000,  0.0662,  0.0000],\n'
     '        [ 0.0000,  0.3582,  0.0000,  1.1042,  0.0000,  0.4079,  0.0000,  0.4307,\n'
     '          0.0000, -1.1897,  0.0000,  0.2592,  0.0000]],\n'
     '       grad_fn=<SqueezeBackward1>)\n'
     'ConvTranspose3d(2, 1, kernel_size=(2, 2, 2), stride=(2, 2, 2))\n'
     'tensor([[-0.1659, -0.2172, -0.3932, -0.4779],\n'
     '        [-0.7653, -0.2071, -1.2535, -0.2650],\n'
     '        [-0.4525, -0.3936,  0.7560,  0.8060],\n'
     '        [ 0.3318, -0.2570,  0.8352,  0.0227]], grad_fn=<SelectBackward0>)\n'
     'Conv3d(1, 2, kernel_size=(2, 2, 2), stride=(1, 1, 1), padding=(1, 1, 1), bias=False)\n'),
    ('fold-unfold',
     'x = torch.arange(24.).reshape(1, 2, 3, 4)\n'
     'u = F.unfold(x, 2, padding=1, stride=2)\n'
     'print(u)\n'
     'print(F.fold(u, (3, 4), 2, padding=1, stride=2))\n'
     'print(nn.Fold((4, 5), 2), nn.Unfold((2, 3), dilation=2))\n',
     'tensor([[[ 0.,  0.,  0.,  0.,  5.,  7.],\n'
     '         [ 0.,  0.,  0.,  4.,  6.,  0.],\n'
     '         [ 0.,  1.,  3.,  0.,  9., 11.],\n'
     '         [ 0.,  2.,  0.,  8., 10.,  0.],\n'
     '         [ 0.,  0.,  0.,  0., 17., 19.],\n'
     '         [ 0.,  0.,  0., 16., 18.,  0.],\n'
     '         [ 0., 13., 15.,  0., 21., 23.],\n'
     '         [12., 14.,  0., 20., 22.,  0.]]])\n'
     'tensor([[[[ 0.,  1.,  2.,  3.],\n'
     '          [ 4.,  5.,  6.,  7.],\n'
     '          [ 8.,  9., 10., 11.]],\n'
     '\n'
     '         [[12., 13., 14., 15.],\n'
     '          [16., 17., 18., 19.],\n'
     '          [20., 21., 22., 23.]]]])\n'
     'Fold(output_size=(4, 5), kernel_size=2, dilation=1, padding=0, stride=1) Unfold('
     'kernel_size=(2, 3), dilation=2, padding=0, stride=1)\n'),
    ('interpolate-modes',
     'x = torch.arange(12.).reshape(1, 1, 3, 4)\n'
     'print(F.interpolate(x, scale_factor=2))\n'
     "print(F.interpolate(x, size=(4, 5), mode='bilinear'))\n"
     "print(F.interpolate(x, size=(4, 5), mode='bilinear', align_corners=True))\n"
     "print(F.interpolate(x, size=(2, 3), mode='bicubic'))\n"
     "print(F.interpolate(x, size=(2, 2), mode='area'))\n"
     "print(F.interpolate(x[0], size=6, mode='linear'))\n"
     "print(F.interpolate(x, size=(5, 5), mode='nearest-exact'))\n",
     'tensor([[[[ 0.,  0.,  1.,  1.,  2.,  2.,  3.,  3.],\n'
     '          [ 0.,  0.,  1.,  1.,  2.,  2.,  3.,  3.],\n'
     '          [ 4.,  4.,  5.,  5.,  6.,  6.,  7.,  7.],\n'
     '          [ 4.,  4.,  5.,  5.,  6.,  6.,  7.,  7.],\n'
     '          [ 8.,  8.,  9.,  9., 10., 10., 11., 11.],\n'
     '          [ 8.,  8.,  9.,  9., 10., 10., 11., 11.]]]])\n'
     'tensor([[[[ 0.0000,  0.7000,  1.5000,  2.3000,  3.0000],\n'
     '          [ 2.5000,  3.2000,  4.0000,  4.8000,  5.5000],\n'
     '          [ 5.5000,  6.2000,  7.0000,  7.8000,  8.5000],\n'
     '          [ 8.0000,  8.7000,  9.5000, 10.3000, 11.0000]]]])\n'
     'tensor([[[[ 0.0000,  0.7500,  1.5000,  2.2500,  3.0000],\n'
     '          [ 2.6667,  3.4167,  4.1667,  4.9167,  5.6667],\n'
     '          [ 5.3333,  6.0833,  6.8333,  7.5833,  8.3333],\n'
     '          [ 8.0000,  8.7500,  9.5000, 10.2500, 11.0000]]]])\n'
     'tensor([[[[ 0.8918,  2.2656,  3.6395],\n'
     '          [ 7.3605,  8.7344, 10.1082]]]])\n'
     'tensor([[[[2.5000, 4.5000],\n'
     '          [6.5000, 8.5000]]]])\n'
     'tensor([[[ 0.0000,  0.5000,  1.1667,  1.8333,  2.5000,  3.0000],\n'
     '         [ 4.0000,  4.5000,  5.1667,  5.8333,  6.5000,  7.0000],\n'
     '         [ 8.0000,  8.5000,  9.1667,  9.8333, 10.5000, 11.0000]]])\n'
     'tensor([[[[ 0.,  1.,  2.,  2.,  3.],\n'
     '          [ 0.,  1.,  2.,  2.,  3.],\n'
     '          [ 4.,  5.,  6.,  6.,  7.],\n'
     '          [ 8.,  9., 10., 10., 11.],\n'
     '          [ 8.,  9., 10., 10., 11.]]]])\n'),
    ('upsample-modules',
     "print(nn.Upsample(scale_factor=2), nn.Upsample(size=(3, 4), mode='bilinear'))\n"
     'print(nn.UpsamplingNearest2d(scale_factor=2), nn.UpsamplingBilinear2d(size=3))\n'
     'x = torch.tensor([[[[1., 2.], [3., 4.]]]], requires_grad=True)\n'
     "y = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=False)(x)\n"
     'print(y)\n'
     'print(nn.UpsamplingBilinear2d(scale_factor=2)(x))\n'
     'u = nn.Upsample(scale_factor=(2, 3))\n'
     'print(u.scale_factor, u.size, u.mode, u.name)\n',
     "Upsample(scale_factor=2.0, mode='nearest') Upsample(size=(3, 4), mode='bilinear')\n"
     "UpsamplingNearest2d(scale_factor=2.0, mode='nearest') UpsamplingBilinear2d(size="
     "3, mode='bilinear')\n"
     'tensor([[[[1.0000, 1.2500, 1.7500, 2.0000],\n'
     '          [1.5000, 1.7500, 2.2500, 2.5000],\n'
     '          [2.5000, 2.7500, 3.2500, 3.5000],\n'
     '          [3.0000, 3.2500, 3.7500, 4.0000]]]],\n'
     '       grad_fn=<UpsampleBilinear2DBackward0>)\n'
     'tensor([[[[1.0000, 1.3333, 1.6667, 2.0000],\n'
     '          [1.6667, 2.0000, 2.3333, 2.6667],\n'
     '          [2.3333, 2.6667, 3.0000, 3.3333],\n'
     '          [3.0000, 3.3333, 3.6667, 4.0000]]]],\n'
     '       grad_fn=<UpsampleBilinear2DBackward0>)\n'
     '(2.0, 3.0) None nearest Upsample\n'),
    ('shuffles',
     'x = torch.arange(16.).reshape(1, 4, 2, 2)\n'
     'print(nn.PixelShuffle(2)(x))\n'
     'print(nn.PixelUnshuffle(2)(nn.PixelShuffle(2)(x)).equal(x))\n'
     'print(nn.ChannelShuffle(2)(x)[0, :, 0, 0], nn.PixelShuffle(2), nn.ChannelShuffle(2))\n',
     'tensor([[[[ 0.,  4.,  1.,  5.],\n'
     '          [ 8., 12.,  9., 13.],\n'
     '          [ 2.,  6.,  3.,  7.],\n'
     '          [10., 14., 11., 15.]]]])\n'
     'True\n'
     'tensor([ 0.,  8.,  4., 12.]) PixelShuffle(upscale_factor=2) ChannelShuffle(groups=2)\n'),
    ('pad-modules',
     'x = torch.arange(6.).reshape(1, 2, 3)\n'
     'for m in (nn.ZeroPad1d(1), nn.ConstantPad1d((1, 2), 3.5), nn.ReflectionPad1d(2),'
     ' nn.ReplicationPad1d((0, 2)), nn.CircularPad1d(1)):\n'
     '    print(m, m(x)[0, 0])\n'
     'print(nn.ZeroPad2d((1, 0, 0, 1))(x), nn.ReflectionPad2d(1), nn.ConstantPad3d(1, 0.5))\n',
     'ZeroPad1d((1, 1)) tensor([0., 0., 1., 2., 0.])\n'
     'ConstantPad1d(padding=(1, 2), value=3.5) tensor([3.5000, 0.0000, 1.0000, 2.0000,'
     ' 3.5000, 3.5000])\n'
     'ReflectionPad1d((2, 2)) tensor([2., 1., 0., 1., 2., 1., 0.])\n'
     'ReplicationPad1d((0, 2)) tensor([0., 1., 2., 2., 2.])\n'
     'CircularPad1d((1, 1)) tensor([2., 0., 1., 2., 0.])\n'
     'tensor([[[0., 0., 1., 2.],\n'
     '         [0., 3., 4., 5.],\n'
     '         [0., 0., 0., 0.]]]) ReflectionPad2d((1, 1, 1, 1)) ConstantPad3d(padding'
     '=(1, 1, 1, 1, 1, 1), value=0.5)\n'),
    ('pools-with-indices',
     'x = torch.tensor([[[1., 5., 2., 8., 3., 3.], [4., 0., 9., 1., 7., 6.]]])\n'
     'v, i = F.max_pool1d(x, 2, return_indices=True)\n'
     'print(v, i)\n'
     'print(F.max_unpool1d(v, i, 2))\n'
     'x2 = torch.arange(16.).reshape(1, 1, 4, 4).flip(-1)\n'
     'v, i = nn.MaxPool2d(2, return_indices=True)(x2)\n'
     'print(v, i)\n'
     'print(nn.MaxUnpool2d(2)(v, i))\n'
     'print(nn.AdaptiveMaxPool2d((2, 3), return_indices=True)(x2))\n'
     'print(nn.AdaptiveAvgPool1d(4)(x), nn.AdaptiveMaxPool1d(2))\n'
     'print(nn.LPPool1d(2, 2)(x), nn.LPPool2d(2, 2))\n',
     'tensor([[[5., 8., 3.],\n'
     '         [4., 9., 7.]]]) tensor([[[1, 3, 4],\n'
     '         [0, 2, 4]]])\n'
     'tensor([[[0., 5., 0., 8., 3., 0.],\n'
     '         [4., 0., 9., 0., 7., 0.]]])\n'
     'tensor([[[[ 7.,  5.],\n'
     '          [15., 13.]]]]) tensor([[[[ 4,  6],\n'
     '          [12, 14]]]])\n'
     'tensor([[[[ 0.,  0.,  0.,  0.],\n'
     '          [ 7.,  0.,  5.,  0.],\n'
     '          [ 0.,  0.,  0.,  0.],\n'
     '          [15.,  0., 13.,  0.]]]])\n'
     '(tensor([[[[ 7.,  6.,  5.],\n'
     '          [15., 14., 13.]]]]), tensor([[[[ 4,  5,  6],\n'
     '          [12, 13, 14]]]]))\n'
     'tensor([[[3.0000, 3.5000, 5.5000, 3.0000],\n'
     '         [2.0000, 4.5000, 4.0000, 6.5000]]]) AdaptiveMaxPool1d(output_size=2)\n'
     'tensor([[[5.0990, 8.2462, 4.2426],\n'
     '         [4.0000, 9.0554, 9.2195]]]) LPPool2d(norm_type=2, kernel_size=2, stride'
     '=None, ceil_mode=False)\n'),
    ('pools-3d',
     'x = torch.arange(27.).reshape(1, 1, 3, 3, 3)\n'
     'print(nn.MaxPool3d(2, stride=1)(x), nn.AvgPool3d(2, padding=1)(x)[0, 0, 0])\n'
     'print(nn.AdaptiveAvgPool3d((1, 2, 1))(x).flatten(), nn.AdaptiveAvgPool3d(1)(x).g'
     'rad_fn)\n'
     'print(nn.MaxPool3d(2), nn.AvgPool3d(2), nn.AdaptiveAvgPool3d((1, 2, 3)), nn.MaxU'
     'npool3d(2))\n',
     'tensor([[[[[13., 14.],\n'
     '           [16., 17.]],\n'
     '\n'
     '          [[22., 23.],\n'
     '           [25., 26.]]]]]) tensor([[0.0000, 0.3750],\n'
     '        [1.1250, 3.0000]])\n'
     'tensor([11.5000, 14.5000]) None\n'
     'MaxPool3d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False) AvgPo'
     'ol3d(kernel_size=2, stride=2, padding=0) AdaptiveAvgPool3d(output_size=(1, 2, 3)'
     ') MaxUnpool3d(kernel_size=(2, 2, 2), stride=(2, 2, 2), padding=(0, 0, 0))\n'),
    ('instance-norm',
     'm = nn.InstanceNorm1d(3, affine=True, track_running_stats=True)\n'
     'print(m, nn.InstanceNorm2d(4))\n'
     'x = torch.randn(2, 3, 5)\n'
     'y = m(x)\n'
     'print(y[0, 0], y.grad_fn.name())\n'
     'print(m.running_mean, m.running_var, m.num_batches_tracked)\n'
     'm.eval()\n'
     'print(m(x)[0, 1])\n'
     'print(list(m.state_dict()))\n'
     'print(F.instance_norm(torch.randn(1, 2, 2, 2))[0, 1])\n',
     'InstanceNorm1d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running'
     '_stats=True) InstanceNorm2d(4, eps=1e-05, momentum=0.1, affine=False, bias=False'
     ', track_running_stats=False)\n'
     'tensor([-0.9615, -0.9978,  0.2355, -0.0152,  1.7390],\n'
     '       grad_fn=<SelectBackward0>) ViewBackward0\n'
     'tensor([-0.0305, -0.0539,  0.0525]) tensor([0.9399, 1.0267, 0.9636]) tensor(0)\n'
     'tensor([ 0.7361, -0.2587, -2.0343,  0.3712, -1.1936],\n'
     '       grad_fn=<SelectBackward0>)\n'
     "['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']\n"
     'tensor([[-0.5308, -1.1969],\n'
     '        [ 0.2341,  1.4936]])\n'),
    ('lrn-and-dropouts',
     'x = torch.randn(1, 4, 2, 2)\n'
     'print(nn.LocalResponseNorm(3)(x)[0, :, 0, 0], nn.LocalResponseNorm(2))\n'
     'print(F.dropout2d(torch.ones(2, 3, 1, 1), 0.5).flatten())\n'
     'print(nn.Dropout1d(0.3)(torch.ones(2, 4, 1)).flatten())\n'
     'print(F.alpha_dropout(torch.ones(6), 0.5, True))\n'
     'print(F.feature_alpha_dropout(torch.ones(2, 3, 1), 0.5, True).flatten())\n'
     'print(nn.Dropout3d(), nn.AlphaDropout(0.2), nn.FeatureAlphaDropout(inplace=True))\n',
     'tensor([-1.1258,  0.8487,  0.3223,  0.1198]) LocalResponseNorm(2, alpha=0.0001, '
     'beta=0.75, k=1.0)\n'
     'tensor([0., 2., 2., 2., 2., 0.])\n'
     'tensor([1.4286, 1.4286, 1.4286, 1.4286, 1.4286, 0.0000, 1.4286, 1.4286])\n'
     'tensor([ 1.6656, -0.7792,  1.6656, -0.7792, -0.7792, -0.7792])\n'
     'tensor([-0.7792,  1.6656, -0.7792, -0.7792,  1.6656,  1.6656])\n'
     'Dropout3d(p=0.5, inplace=False) AlphaDropout(p=0.2, inplace=False) FeatureAlphaD'
     'ropout(p=0.5, inplace=True)\n'),
    ('conv-autoencoder-step',
     'net = nn.Sequential(nn.Conv2d(1, 4, 3, stride=2, padding=1), nn.ReLU(),\n'
     '                    nn.ConvTranspose2d(4, 1, 3, stride=2, padding=1, output_padd'
     'ing=1),\n'
     '                    nn.Upsample(scale_factor=1), nn.Sigmoid())\n'
     'opt = torch.optim.SGD(net.parameters(), lr=0.5)\n'
     'x = torch.rand(2, 1, 6, 6)\n'
     'for step in range(3):\n'
     '    opt.zero_grad()\n'
     '    loss = F.mse_loss(net(x), x)\n'
     '    loss.backward()\n'
     '    opt.step()\n'
     "    print(step, f'{loss.item():.5f}')\n"
     'print(net[2].weight.grad.flatten()[:4])\n',
     '0 0.08523\n'
     '1 0.08480\n'
     '2 0.08441\n'
     'tensor([0., 0., 0., 0.])\n'),
    ('spatial-transformer',
     'theta = torch.tensor([[[0.9, -0.2, 0.1], [0.3, 1.1, -0.2]]], requires_grad=True)\n'
     'grid = F.affine_grid(theta, [1, 1, 3, 4], align_corners=False)\n'
     'print(grid[0, 0], grid.grad_fn.name())\n'
     'x = torch.randn(1, 1, 4, 5)\n'
     'y = F.grid_sample(x, grid, align_corners=False)\n'
     'print(y)\n'
     'y.pow(2).sum().backward()\n'
     'print(theta.grad)\n'
     "print(F.grid_sample(x, grid, mode='nearest', padding_mode='border', align_corner"
     's=True))\n',
     'tensor([[-0.4417, -1.1583],\n'
     '        [ 0.0083, -1.0083],\n'
     '        [ 0.4583, -0.8583],\n'
     '        [ 0.9083, -0.7083]], grad_fn=<SelectBackward0>) AffineGridGeneratorBackward0\n'
     'tensor([[[[-0.2108, -0.1230, -0.2219,  0.3907],\n'
     '          [-0.9663,  1.0823,  0.9332,  0.4891],\n'
     '          [ 0.9859,  0.8238,  1.5789,  0.8123]]]],\n'
     '       grad_fn=<GridSampler2DBackward0>)\n'
     'tensor([[[-5.8141, -1.3958, -4.2710],\n'
     '         [ 2.6283, -4.9443,  5.0999]]])\n'
     'tensor([[[[-1.1524, -0.2506, -0.4339,  0.5988],\n'
     '          [-0.3414,  1.8530,  0.4681,  0.9463],\n'
     '          [ 0.2660,  0.2660,  1.3894,  2.0050]]]],\n'
     '       grad_fn=<GridSampler2DBackward0>)\n'),
]

ERRORS: list[tuple[str, str, str]] = [
    ('affine-grid-shape',
     'F.affine_grid(torch.randn(1, 3, 3), [1, 1, 2, 2], align_corners=False)\n',
     'Expected a batch of 2D affine matrices of shape Nx2x3 for size [1, 1, 2, 2]. Got'
     ' torch.Size([1, 3, 3]).'),
    ('grid-sample-mode',
     "F.grid_sample(torch.randn(1, 1, 2, 2), torch.randn(1, 2, 2, 2), mode='cubic')\n",
     "nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicub"
     "ic', but got: 'cubic'"),
    ('convt-channels',
     'F.conv_transpose2d(torch.randn(1, 4, 5, 5), torch.randn(3, 2, 3, 3))\n',
     'Given transposed=1, weight of size [3, 2, 3, 3], expected input[1, 4, 5, 5] to h'
     'ave 3 channels, but got 4 channels instead'),
    ('convt-output-padding',
     'F.conv_transpose2d(torch.randn(1, 4, 5, 5), torch.randn(4, 2, 3, 3), output_padding=1)\n',
     'output padding must be smaller than either stride or dilation, but got output_pa'
     'dding_height: 1 output_padding_width: 1 stride_height: 1 stride_width: 1 dilatio'
     'n_height: 1 dilation_width: 1'),
    ('convt-output-padding-1d',
     'F.conv_transpose1d(torch.randn(1, 4, 5), torch.randn(4, 2, 3), output_padding=1)\n',
     'output padding must be smaller than either stride or dilation, but got output_pa'
     'dding_height: 0 output_padding_width: 1 stride_height: 1 stride_width: 1 dilatio'
     'n_height: 1 dilation_width: 1'),
    ('convt-groups',
     'F.conv_transpose2d(torch.randn(1, 4, 5, 5), torch.randn(4, 2, 3, 3), groups=3)\n',
     'Given groups=3, expected weight to be divisible by 3 at dimension 0, but got wei'
     'ght of size [[4, 2, 3, 3]] instead'),
    ('convt-bias',
     'F.conv_transpose2d(torch.randn(1, 4, 5, 5), torch.randn(4, 2, 3, 3), bias=torch.'
     'randn(3))\n',
     'Given transposed=1, weight of size [4, 2, 3, 3], expected bias to be 1-dimension'
     'al with 2 elements, but got bias of size [3] instead'),
    ('convt-too-small',
     'F.conv_transpose2d(torch.randn(1, 4, 5, 5), torch.randn(4, 2, 3, 3), padding=5)\n',
     'Given input size per channel: (5 x 5). Calculated output size per channel: (-3 x'
     ' -3). Output size is too small'),
    ('convt-dims',
     'F.conv_transpose2d(torch.randn(5, 5), torch.randn(4, 2, 3, 3))\n',
     'Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input'
     ' of size: [5, 5]'),
    ('convt-output-size',
     'nn.ConvTranspose2d(4, 3, 3, stride=2, padding=1)(torch.randn(1, 4, 5, 5), output'
     '_size=[12, 10])\n',
     'requested an output size of [12, 10], but valid sizes range from [9, 9] to [10, '
     '10] (for an input of torch.Size([5, 5]))'),
    ('convt-padding-mode',
     "nn.ConvTranspose2d(4, 3, 3, padding_mode='reflect')\n",
     'Only "zeros" padding mode is supported for ConvTranspose2d'),
    ('conv-weight-dims',
     'F.conv2d(torch.randn(1, 2, 3, 3), torch.randn(3, 2, 2))\n',
     'expected stride to be a single integer value or a list of 1 values to match the '
     'convolution dimensions, but got stride=[1, 1]'),
    ('fold-blocks',
     'F.fold(torch.randn(1, 8, 9), (4, 5), 2)\n',
     'Given output_size=(4, 5), kernel_size=(2, 2), dilation=(1, 1), padding=(0, 0), s'
     "tride=(1, 1), expected size of input's dimension 2 to match the calculated numbe"
     'r of sliding blocks 3 * 4 = 12, but got input.size(2)=9.'),
    ('unfold-too-big',
     'F.unfold(torch.randn(1, 1, 4, 5), 6)\n',
     'Given input with spatial size (4, 5), kernel_size=(6, 6), dilation=(1, 1), paddi'
     'ng=(0, 0), calculated shape of the array of sliding blocks as (-1, 0), but its c'
     'omponents must be at least one.'),
    ('interp-both',
     'F.interpolate(torch.randn(1, 1, 2, 2), size=3, scale_factor=2)\n',
     'only one of size or scale_factor should be defined'),
    ('interp-align',
     'F.interpolate(torch.randn(1, 1, 2, 2), size=3, align_corners=True)\n',
     'align_corners option can only be set with the interpolating modes: linear | bili'
     'near | bicubic | trilinear'),
    ('interp-mode-dims',
     "F.interpolate(torch.randn(1, 1, 2), size=3, mode='bilinear')\n",
     'Got 3D input, but bilinear mode needs 4D input'),
    ('interp-size-len',
     'F.interpolate(torch.randn(1, 1, 2, 2), size=(3, 3, 3))\n',
     'Input and output must have the same number of spatial dimensions, but got input '
     'with spatial dimensions of [2, 2] and output size of (3, 3, 3). Please provide i'
     'nput tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.'),
    ('interp-bad-mode',
     "F.interpolate(torch.randn(1, 1, 2, 2), size=3, mode='foo')\n",
     'Input Error: Only 3D, 4D and 5D input Tensors supported (got 4D) for the modes: '
     'nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exa'
     'ct (got foo)'),
    ('pixel-shuffle',
     'F.pixel_shuffle(torch.randn(1, 6, 2, 3), 2)\n',
     "pixel_shuffle expects its input's 'channel' dimension to be divisible by the squ"
     'are of upscale_factor, but input.size(-3)=6 is not divisible by 4'),
    ('reflect-too-big',
     'nn.ReflectionPad1d(3)(torch.randn(1, 2, 3))\n',
     'Argument #4: Padding size should be less than the corresponding input dimension,'
     ' but got: padding (3, 3) at dimension 2 of input [1, 2, 3]'),
    ('circular-dims',
     'nn.CircularPad1d(1)(torch.randn(1, 2, 3, 4))\n',
     'expected 2D or 3D input (got 4D input)'),
    ('unpool-size',
     'v, i = F.max_pool2d(torch.randn(1, 1, 4, 4), 2, return_indices=True)\n'
     'F.max_unpool2d(v, i, 2, output_size=(9, 9))\n',
     'invalid output_size "(9, 9)" (dim 0 must be between 2 and 6)'),
    ('adaptive-dims',
     'F.adaptive_max_pool2d(torch.randn(3), 1)\n',
     'adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: [3]'),
    ('instance-spatial',
     'F.instance_norm(torch.randn(2, 3, 1))\n',
     'Expected more than 1 spatial element when training, got input size torch.Size([2, 3, 1])'),
    ('instance-affine',
     'nn.InstanceNorm1d(4, affine=True)(torch.randn(2, 3, 5))\n',
     "expected input's size at dim=1 to match num_features (4), but got: 3."),
    ('lrn-dims',
     'F.local_response_norm(torch.randn(2, 4), 3)\n',
     'Expected 3D or higher dimensionality                          input (got 2 dimensions)'),
    ('dropout1d-dims',
     'F.dropout1d(torch.randn(2, 3, 4, 5))\n',
     'dropout1d: Expected 2D or 3D input, but received a 4D input. Note that dropout1d'
     ' exists to provide channel-wise dropout on inputs with 1 spatial dimension, a ch'
     'annel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).'),
    ('dropout-p',
     'nn.Dropout2d(1.5)\n',
     'dropout probability has to be between 0 and 1, but got 1.5'),
]


@pytest.mark.parametrize(("program", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_prints_what_pytorch_prints(program: str, expected: str) -> None:
    assert gd(program) == (0, expected, "")


@pytest.mark.parametrize("program", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_pytorch_prints_the_same(program: str) -> None:
    assert under_torch(program) == (gd(program)[1], "")


@pytest.mark.parametrize(("program", "expected"), [c[1:] for c in ERRORS],
                         ids=[c[0] for c in ERRORS])
def test_errors_are_pytorchs(program: str, expected: str) -> None:
    assert gd(program) == (4, "", expected)


@pytest.mark.parametrize("program", [c[1] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_pytorch_raises_the_same(program: str) -> None:
    assert under_torch(program) == ("", gd(program)[2])


GRADIENTS = [
    ("y = F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1, groups=2, "
     "dilation=(1, 2))", (1, 4, 3, 3), (4, 3, 3, 2), (6,)),
    ("y = F.conv_transpose1d(x, w, b, stride=3, padding=1)", (2, 2, 4), (2, 3, 3), (3,)),
    ("y = F.conv3d(x, w, b, padding=1, stride=(1, 2, 1))", (1, 2, 3, 3, 3), (2, 2, 2, 2, 2),
     (2,)),
    ("y = F.fold(F.unfold(x, 2, padding=1) * w.reshape(1, -1, 1), (3, 4), 2, padding=1) + b",
     (1, 2, 3, 4), (8,), (1,)),
    ("y = F.interpolate(x * w.reshape(1, -1, 1, 1), size=(5, 7), mode='bilinear') + b",
     (1, 2, 3, 4), (2,), (1,)),
    ("y = F.interpolate(x * w.reshape(1, -1, 1, 1), scale_factor=1.5, mode='bicubic', "
     "align_corners=True) + b", (1, 2, 3, 4), (2,), (1,)),
    ("y = F.instance_norm(x, weight=w, bias=b)", (2, 3, 5), (3,), (3,)),
    ("y = F.local_response_norm(x * w.reshape(1, -1, 1), 3) + b", (2, 4, 3), (4,), (1,)),
    ("y = F.adaptive_max_pool2d(x, (2, 3)) * w.reshape(1, -1, 1, 1) + b", (1, 2, 5, 7),
     (2,), (1,)),
    ("y = F.lp_pool2d(x.abs() + 0.5, 2, 2) * w.reshape(1, -1, 1, 1) + b", (1, 2, 4, 4),
     (2,), (1,)),
    ("y = F.grid_sample(x, F.affine_grid(w.reshape(1, 2, 3) * 0.3, [1, 2, 3, 3], "
     "align_corners=False), align_corners=False) + b", (1, 2, 4, 5), (6,), (1,)),
]


@pytest.mark.parametrize(("line", "xs", "ws", "bs"), GRADIENTS,
                         ids=[g[0][4:30] for g in GRADIENTS])
def test_gradients_match_pytorch_to_second_order(line: str, xs: tuple[int, ...],
                                                 ws: tuple[int, ...],
                                                 bs: tuple[int, ...]) -> None:
    torch = pytest.importorskip("torch")
    program = (f"x = torch.randn({xs}, dtype=torch.float64, requires_grad=True)\n"
               f"w = torch.randn({ws}, dtype=torch.float64, requires_grad=True)\n"
               f"b = torch.randn({bs}, dtype=torch.float64, requires_grad=True)\n"
               f"{line}\n"
               "gx, gw, gb = torch.autograd.grad((y * y.detach().sin()).sum(), (x, w, b), "
               "create_graph=True)\n"
               "hx, hw = torch.autograd.grad((gx.pow(2).sum() + gw.sin().sum() "
               "+ gb.sum() * gx.sum()), (x, w))\n"
               "print([t.flatten().tolist() for t in (y, gx, gw, gb, hx, hw)])\n")
    code, out, err = gd(program)
    assert code == 0, err
    expected, terr = under_torch(program)
    assert not terr
    for g, w in zip(eval(out), eval(expected), strict=True):
        assert torch.allclose(torch.tensor(g), torch.tensor(w), rtol=1e-9, atol=1e-10)


HOSTILE = [
    "nn.ConvTranspose2d(1, 1, 1).__dict__", "nn.ConvTranspose2d(1, 1, 1)._output_padding",
    "nn.Upsample(scale_factor=2).forward.__globals__", "nn.Upsample(size=2).__class__.__dict__",
    "nn.ZeroPad2d(1)._parameters.__class__.__dict__", "nn.InstanceNorm1d(2)._buffers.__init__",
    "nn.PixelShuffle(2).forward.__closure__", "nn.MaxUnpool2d(2).__init__.__code__",
    "nn.Fold(2, 2).extra_repr.__func__", "nn.AlphaDropout().__dict__",
    "F.interpolate.__module__", "F.conv_transpose2d.__wrapped__", "F.fold.__globals__",
    "nn.LPPool2d(2, 2)._get_name.__func__", "nn.AdaptiveMaxPool2d(2).__reduce__",
]


@pytest.mark.parametrize("expr", HOSTILE)
def test_new_spatial_values_expose_nothing_of_the_host(expr: str) -> None:
    code, out, err = gd(f"print({expr})\n")
    assert code == 4 and out == "" and err
    assert "0x" not in err and "gradcli." not in err and "Traceback" not in err


@pytest.mark.parametrize("name", ["upsample", "upsample_nearest", "upsample_bilinear"])
def test_deprecated_upsample_spellings_are_interpolate(name: str) -> None:
    program = (f"x = torch.arange(4.).reshape(1, 1, 2, 2)\n"
               f"print(F.{name}(x, scale_factor=2))\n")
    code, out, _ = gd(program)
    assert code == 0
    assert out == under_torch(program)[0]
    same = gd("x = torch.arange(4.).reshape(1, 1, 2, 2)\nprint(F.interpolate(x, "
              "scale_factor=2, " + ("mode='bilinear', align_corners=True" if
                                    name == "upsample_bilinear" else "") + "))\n")[1]
    assert out == same
