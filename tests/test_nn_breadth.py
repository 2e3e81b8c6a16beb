"""torch.nn breadth, round 8: state dicts, buffers, BatchNorm, the containers, RNN / LSTM /
GRU and their cells, more activations and losses, copy.deepcopy.

Each case is a program valid under both gd and PyTorch: the expected output is PyTorch
2.13's, as a literal (so the test means something without torch); with torch installed the
same program runs under it too. Errors compare gd's message with PyTorch's exception text.
Then the sandbox: the new values (state dicts, load results, RNN modules, the copy module)
expose nothing of the host.
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

PRELUDE = "import torch\nimport torch.nn as nn\ntorch.manual_seed(0)\n"


#: Float32 LSTMs, which PyTorch runs through oneDNN by default: gd computes ATen's own LSTM
#: (with torch.backends.mkldnn.flags(enabled=False) PyTorch prints gd's text). These cases
#: matched oneDNN's last digits by chance until round 16's MKL order for k = 1 products.
ONEDNN_LSTM = pytest.mark.xfail(reason="float32 LSTM: PyTorch's oneDNN path", strict=False)


def _case(name: str, *values: str) -> object:
    return pytest.param(*values, id=name, marks=[ONEDNN_LSTM] if name == "lstm-training" else [])


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
        except KeyError as e:
            err = e.args[0] if str(e.args[0]).startswith(("buffer", "attr")) else str(e)
        except Exception as e:
            err = str(e)
    return buf.getvalue(), err


CASES: list[tuple[str, str, str]] = [
    ('state-dict-print',
     'm = nn.Linear(2, 3)\n' 'print(m.state_dict())\n' 'print(m.state_dict().keys())\n'
     'print(type(m.state_dict()), isinstance(m.state_dict(), dict))\n',
     "OrderedDict([('weight', tensor([[-0.0053,  0.3793],\n"
     '        [-0.5820, -0.5204],\n'
     "        [-0.2723,  0.1896]])), ('bias', tensor([-0.0140,  0."
     '5607, -0.0628]))])\n' "odict_keys(['weight', 'bias'])\n"
     "<class 'collections.OrderedDict'> True\n"),
    ('state-dict-nested-keys',
     'm = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))\n'
     'sd = m.state_dict()\n' "print(list(sd), len(sd), '0.weight' in sd)\n"
     'for k, v in sd.items():\n' '    print(k, v.shape, v.requires_grad)\n',
     "['0.weight', '0.bias', '2.weight', '2.bias'] 4 True\n"
     '0.weight torch.Size([3, 2]) False\n' '0.bias torch.Size([3]) False\n'
     '2.weight torch.Size([1, 3]) False\n' '2.bias torch.Size([1]) False\n'),
    ('state-dict-shares-storage',
     'm = nn.Linear(3, 1)\n' 'sd = m.state_dict()\n' 'with torch.no_grad():\n'
     '    m.weight.mul_(0)\n' "print(sd['weight'])\n"
     "print(m.state_dict(keep_vars=True)['weight'])\n",
     'tensor([[-0., 0., -0.]])\n' 'Parameter containing:\n'
     'tensor([[-0., 0., -0.]], requires_grad=True)\n'),
    ('load-state-dict-copies',
     'm = nn.Linear(2, 3)\n' 'm2 = nn.Linear(2, 3)\n'
     'print(m2.load_state_dict(m.state_dict()))\n'
     'print(torch.equal(m.weight, m2.weight), m.weight is m2.weight)\n'
     'best = {k: v.clone() for k, v in m.state_dict().items()}\n'
     'with torch.no_grad():\n' '    m.weight.add_(1)\n' 'm.load_state_dict(best)\n'
     'print(m.weight)\n',
     '<All keys matched successfully>\n' 'True False\n' 'Parameter containing:\n'
     'tensor([[-0.0053,  0.3793],\n' '        [-0.5820, -0.5204],\n'
     '        [-0.2723,  0.1896]], requires_grad=True)\n'),
    ('load-state-dict-non-strict',
     'm = nn.Linear(2, 3)\n'
     "r = m.load_state_dict({'weight': torch.zeros(3, 2), 'x': tor"
     'ch.ones(1)}, strict=False)\n' 'print(r)\n' 'missing, unexpected = r\n'
     'print(missing, unexpected, r.missing_keys)\n' 'print(m.weight)\n',
     "_IncompatibleKeys(missing_keys=['bias'], unexpected_keys=['x'])\n"
     "['bias'] ['x'] ['bias']\n" 'Parameter containing:\n' 'tensor([[0., 0.],\n'
     '        [0., 0.],\n' '        [0., 0.]], requires_grad=True)\n'),
    ('load-state-dict-item-assign',
     'm = nn.Linear(2, 1)\n' 'sd = m.state_dict()\n'
     "sd['weight'] = torch.tensor([[1., 2.]])\n" 'm.load_state_dict(sd)\n'
     'print(m.weight, m(torch.tensor([1., 1.])))\n',
     'Parameter containing:\n'
     'tensor([[1., 2.]], requires_grad=True) tensor([2.4180], grad'
     '_fn=<ViewBackward0>)\n'),
    ('buffers',
     'class M(nn.Module):\n' '    def __init__(self):\n' '        super().__init__()\n'
     "        self.register_buffer('mask', torch.ones(3))\n"
     "        self.register_buffer('tmp', torch.zeros(1), persistent=False)\n"
     '        self.w = nn.Parameter(torch.randn(3))\n' '    def forward(self, x):\n'
     '        return x * self.w * self.mask\n' 'm = M()\n' 'print(m.state_dict())\n'
     'print(list(m.named_buffers()))\n' 'm.mask = torch.full((3,), 2.0)\n'
     "print(m(torch.ones(3)), m.get_buffer('mask'))\n" 'm.double()\n'
     'print(m.mask.dtype, m.w.dtype)\n',
     "OrderedDict([('w', tensor([ 1.5410, -0.2934, -2.1788])), ('m"
     "ask', tensor([1., 1., 1.]))])\n"
     "[('mask', tensor([1., 1., 1.])), ('tmp', tensor([0.]))]\n"
     'tensor([ 3.0820, -0.5869, -4.3576], grad_fn=<MulBackward0>) '
     'tensor([2., 2., 2.])\n' 'torch.float64 torch.float64\n'),
    ('batchnorm1d',
     'bn = nn.BatchNorm1d(3)\n' 'print(bn)\n' 'x = torch.randn(4, 3)\n' 'print(bn(x))\n'
     'print(bn.running_mean, bn.running_var, bn.num_batches_tracked)\n' 'bn.eval()\n'
     'print(bn(x))\n' 'print(bn.state_dict())\n',
     'BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, bias=Tr'
     'ue, track_running_stats=True)\n' 'tensor([[ 1.4666, -0.0131, -1.3234],\n'
     '        [ 0.0594, -1.1326, -0.4257],\n' '        [-0.1794,  1.5879,  0.3560],\n'
     '        [-1.3466, -0.4422,  1.3931]], grad_fn=<NativeBatchNo' 'rmBackward0>)\n'
     'tensor([ 0.0527, -0.0284, -0.1029]) tensor([0.9637, 0.9666, '
     '1.0007]) tensor(1)\n' 'tensor([[ 1.5160, -0.2696, -2.0752],\n'
     '        [ 0.5253, -1.0742, -1.2953],\n' '        [ 0.3572,  0.8813, -0.6162],\n'
     '        [-0.4646, -0.5780,  0.2848]], grad_fn=<NativeBatchNo' 'rmBackward0>)\n'
     "OrderedDict([('weight', tensor([1., 1., 1.])), ('bias', tens"
     "or([0., 0., 0.])), ('running_mean', tensor([ 0.0527, -0.0284"
     ", -0.1029])), ('running_var', tensor([0.9637, 0.9666, 1.0007"
     "])), ('num_batches_tracked', tensor(1))])\n"),
    ('batchnorm-options',
     'bn = nn.BatchNorm1d(3, momentum=None)\n' 'for i in range(3):\n'
     '    bn(torch.randn(4, 3))\n' 'print(bn.running_mean, bn.num_batches_tracked)\n'
     'bn2 = nn.BatchNorm1d(3, affine=False, track_running_stats=False)\n'
     'print(bn2, list(bn2.parameters()))\n' 'x = torch.randn(5, 3)\n' 'bn2.eval()\n'
     'print(bn2(x))\n' 'print(nn.BatchNorm2d(2)(torch.randn(2, 2, 3, 3)).shape)\n',
     'tensor([ 0.2002, -0.2883, -0.4354]) tensor(3)\n'
     'BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=False, bias=F'
     'alse, track_running_stats=False) []\n' 'tensor([[-0.8950, -0.6060,  0.8038],\n'
     '        [-0.7948,  0.5543,  0.8327],\n' '        [ 0.0227, -1.6488, -1.8659],\n'
     '        [-0.2098,  1.1336, -0.1614],\n' '        [ 1.8769,  0.5669,  0.3909]])\n'
     'torch.Size([2, 2, 3, 3])\n'),
    ('batchnorm-mlp-training',
     'model = nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn'
     '.ReLU(), nn.Linear(4, 1))\n' 'opt = torch.optim.SGD(model.parameters(), lr=0.1)\n'
     'x = torch.randn(16, 2)\n' 'y = (x[:, :1] * 2 - x[:, 1:]).detach()\n'
     'for step in range(5):\n' '    opt.zero_grad()\n'
     '    loss = nn.functional.mse_loss(model(x), y)\n' '    loss.backward()\n'
     '    opt.step()\n' '    print(step, loss.item())\n' 'model.eval()\n'
     'with torch.no_grad():\n' '    print(model(x[:3]))\n'
     "print(model[1].running_mean, model.get_submodule('1'))\n",
     '0 5.429046154022217\n' '1 4.143517017364502\n' '2 3.4764771461486816\n'
     '3 3.057795763015747\n' '4 2.778646469116211\n' 'tensor([[-2.4251],\n'
     '        [ 0.6534],\n' '        [-1.8561]])\n'
     'tensor([-0.0030, -0.0111, -0.0817,  0.0083]) BatchNorm1d(4, '
     'eps=1e-05, momentum=0.1, affine=True, bias=True, track_runni' 'ng_stats=True)\n'),
    ('module-dict',
     "d = nn.ModuleDict({'a': nn.Linear(2, 2)})\n" "d['b'] = nn.ReLU()\n"
     "print(d, len(d), 'a' in d, d.keys())\n" 'for k, v in d.items():\n'
     '    print(k, v)\n',
     'ModuleDict(\n' '  (a): Linear(in_features=2, out_features=2, bias=True)\n'
     '  (b): ReLU()\n' ") 2 True dict_keys(['a', 'b'])\n"
     'a Linear(in_features=2, out_features=2, bias=True)\n' 'b ReLU()\n'),
    ('parameter-containers',
     'class M(nn.Module):\n' '    def __init__(self):\n' '        super().__init__()\n'
     '        self.ws = nn.ParameterList([nn.Parameter(torch.randn'
     '(2)) for _ in range(2)])\n'
     "        self.pd = nn.ParameterDict({'a': nn.Parameter(torch.ones(1))})\n"
     '    def forward(self, x):\n'
     "        return sum(w.sum() for w in self.ws) * x + self.pd['a']\n" 'm = M()\n'
     'print(m)\n' 'print([n for n, _ in m.named_parameters()])\n'
     'print(m(torch.ones(1)))\n',
     'M(\n' '  (ws): ParameterList(\n'
     '      (0): Parameter containing: [torch.float32 of size 2]\n'
     '      (1): Parameter containing: [torch.float32 of size 2]\n' '  )\n'
     '  (pd): ParameterDict(  (a): Parameter containing: [torch.Fl'
     'oatTensor of size 1])\n' ')\n' "['ws.0', 'ws.1', 'pd.a']\n"
     'tensor([0.6372], grad_fn=<AddBackward0>)\n'),
    ('rnn-batch-first',
     'rnn = nn.RNN(3, 4, batch_first=True)\n' 'out, h = rnn(torch.randn(2, 5, 3))\n'
     'print(out.shape, h.shape)\n' 'print(h)\n',
     'torch.Size([2, 5, 4]) torch.Size([1, 2, 4])\n'
     'tensor([[[-0.5804, -0.6055, -0.5339, -0.6030],\n'
     '         [-0.2279, -0.5628, -0.6083,  0.2911]]], grad_fn=<St' 'ackBackward0>)\n'),
    ('lstm-two-layers',
     'lstm = nn.LSTM(input_size=3, hidden_size=4, num_layers=2)\n' 'print(lstm)\n'
     'out, (h, c) = lstm(torch.randn(5, 2, 3))\n' 'print(out[-1])\n' 'print(c)\n',
     'LSTM(3, 4, num_layers=2)\n' 'tensor([[ 0.0646, -0.3149, -0.0372,  0.1123],\n'
     '        [ 0.0679, -0.2622, -0.0416,  0.1628]], grad_fn=<Sele' 'ctBackward0>)\n'
     'tensor([[[-0.4162, -0.0971, -0.2279,  0.7432],\n'
     '         [-0.1043,  0.4301,  0.3635,  0.3772]],\n' '\n'
     '        [[ 0.1461, -0.5566, -0.0890,  0.1986],\n'
     '         [ 0.1697, -0.4619, -0.1058,  0.2827]]], grad_fn=<St' 'ackBackward0>)\n'),
    ('gru-and-cells',
     'gru = nn.GRU(3, 4)\n' 'out, h = gru(torch.randn(5, 2, 3))\n' 'print(h)\n'
     'cell = nn.LSTMCell(3, 4)\n' 'h, c = cell(torch.randn(2, 3))\n' 'print(h, c)\n'
     'print(nn.GRUCell(3, 4)(torch.randn(2, 3)))\n'
     'print(nn.RNNCell(3, 4)(torch.randn(3)))\n'
     "print(nn.RNNCell(3, 4, nonlinearity='relu'), cell)\n",
     'tensor([[[ 0.3031, -0.3658, -0.6166, -0.5311],\n'
     '         [ 0.0713,  0.2546, -0.4719, -0.1700]]], grad_fn=<St' 'ackBackward0>)\n'
     'tensor([[-0.0635, -0.0307,  0.0643,  0.0670],\n'
     '        [-0.0783, -0.2261,  0.2030, -0.0498]], grad_fn=<MulB'
     'ackward0>) tensor([[-0.2256, -0.0813,  0.1346,  0.1510],\n'
     '        [-0.1884, -0.4033,  0.3004, -0.1992]], grad_fn=<AddBackward0>)\n'
     'tensor([[ 0.0639,  0.2298,  0.1837, -0.1089],\n'
     '        [-0.6166,  0.1676,  0.0489,  0.4626]], grad_fn=<AddBackward0>)\n'
     'tensor([ 0.2834, -0.3423, -0.2501,  0.8692], grad_fn=<SqueezeBackward1>)\n'
     'RNNCell(3, 4, nonlinearity=relu) LSTMCell(3, 4)\n'),
    ('rnn-bidirectional',
     'r = nn.RNN(3, 4, num_layers=2, bidirectional=True)\n' 'print(r)\n'
     'o, h = r(torch.randn(5, 2, 3))\n' 'print(o.shape, h.shape)\n' 'print(h)\n'
     'print([n for n, p in r.named_parameters()])\n',
     'RNN(3, 4, num_layers=2, bidirectional=True)\n'
     'torch.Size([5, 2, 8]) torch.Size([4, 2, 4])\n'
     'tensor([[[-0.8204, -0.0415, -0.8296, -0.2577],\n'
     '         [-0.6689, -0.0208, -0.0652, -0.3299]],\n' '\n'
     '        [[-0.4100,  0.5045,  0.1672, -0.5766],\n'
     '         [ 0.3478,  0.3379,  0.0368,  0.1927]],\n' '\n'
     '        [[-0.4869,  0.1649, -0.5459,  0.5344],\n'
     '         [-0.4106,  0.4990, -0.1450,  0.5079]],\n' '\n'
     '        [[ 0.5301, -0.5627,  0.8899, -0.8961],\n'
     '         [ 0.1807, -0.3587,  0.8437, -0.9001]]], grad_fn=<St' 'ackBackward0>)\n'
     "['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0',"
     " 'weight_ih_l0_reverse', 'weight_hh_l0_reverse', 'bias_ih_l0"
     "_reverse', 'bias_hh_l0_reverse', 'weight_ih_l1', 'weight_hh_"
     "l1', 'bias_ih_l1', 'bias_hh_l1', 'weight_ih_l1_reverse', 'we"
     "ight_hh_l1_reverse', 'bias_ih_l1_reverse', 'bias_hh_l1_reverse']\n"),
    ('lstm-unbatched-proj',
     'l = nn.LSTM(3, 4)\n' 'o, (h, c) = l(torch.randn(5, 3))\n' 'print(o)\n'
     'l = nn.LSTM(3, 5, proj_size=2)\n' 'print(l)\n'
     'o, (h, c) = l(torch.randn(4, 2, 3))\n' 'print(o, h.shape, c.shape)\n',
     'tensor([[ 0.1580,  0.0529,  0.0606,  0.0402],\n'
     '        [ 0.1168, -0.0085, -0.0055,  0.0615],\n'
     '        [ 0.0992,  0.0566, -0.0119,  0.1366],\n'
     '        [ 0.0490, -0.0645, -0.1709,  0.1154],\n'
     '        [-0.0214,  0.0499,  0.0996,  0.1925]], grad_fn=<Sque' 'ezeBackward1>)\n'
     'LSTM(3, 5, proj_size=2)\n' 'tensor([[[ 0.0289, -0.0368],\n'
     '         [-0.0023, -0.0833]],\n' '\n' '        [[-0.0006, -0.0792],\n'
     '         [-0.0499, -0.1431]],\n' '\n' '        [[-0.0397, -0.1979],\n'
     '         [-0.0217, -0.1477]],\n' '\n' '        [[-0.0105, -0.1515],\n'
     '         [ 0.0157, -0.1167]]], grad_fn=<StackBackward0>) tor'
     'ch.Size([1, 2, 2]) torch.Size([1, 2, 5])\n'),
    ('lstm-training',
     'class Model(nn.Module):\n' '    def __init__(self):\n'
     '        super().__init__()\n'
     '        self.lstm = nn.LSTM(1, 8, batch_first=True)\n'
     '        self.fc = nn.Linear(8, 1)\n' '    def forward(self, x):\n'
     '        out, _ = self.lstm(x)\n' '        return self.fc(out[:, -1, :])\n'
     'model = Model()\n' 'x = torch.linspace(0, 1, 20).reshape(4, 5, 1)\n'
     'y = torch.sin(x[:, -1, :] * 3)\n'
     'opt = torch.optim.Adam(model.parameters(), lr=0.01)\n' 'for epoch in range(5):\n'
     '    opt.zero_grad()\n' '    loss = nn.MSELoss()(model(x), y)\n'
     '    loss.backward()\n' '    opt.step()\n' '    print(epoch, loss.item())\n',
     '0 0.7954320907592773\n' '1 0.7361600399017334\n' '2 0.6774024963378906\n'
     '3 0.6180844902992249\n' '4 0.5570968389511108\n'),
    ('more-activations',
     'acts = [nn.Hardtanh(-2, 2), nn.ReLU6(), nn.SELU(), nn.CELU(0'
     '.5), nn.Mish(), nn.Hardswish(), nn.Hardsigmoid(), nn.Softsig'
     'n(), nn.Tanhshrink(), nn.LogSigmoid(), nn.PReLU(), nn.Softmi'
     'n(dim=1), nn.Threshold(0.1, 20), nn.Hardshrink(), nn.Softshr'
     'ink(0.3), nn.GLU()]\n' 'x = torch.linspace(-2, 2, 6).reshape(1, 6)\n'
     'for a in acts:\n' '    print(a, a(x))\n',
     'Hardtanh(min_val=-2, max_val=2) tensor([[-2.0000, -1.2000, -'
     '0.4000,  0.4000,  1.2000,  2.0000]])\n'
     'ReLU6() tensor([[0.0000, 0.0000, 0.0000, 0.4000, 1.2000, 2.0000]])\n'
     'SELU() tensor([[-1.5202, -1.2286, -0.5796,  0.4203,  1.2608,  2.1014]])\n'
     'CELU(alpha=0.5) tensor([[-0.4908, -0.4546, -0.2753,  0.4000,'
     '  1.2000,  2.0000]])\n'
     'Mish() tensor([[-0.2525, -0.3088, -0.1889,  0.2890,  1.0779,  1.9440]])\n'
     'Hardswish() tensor([[-0.3333, -0.3600, -0.1733,  0.2267,  0.' '8400,  1.6667]])\n'
     'Hardsigmoid() tensor([[0.1667, 0.3000, 0.4333, 0.5667, 0.7000, 0.8333]])\n'
     'Softsign() tensor([[-0.6667, -0.5455, -0.2857,  0.2857,  0.5' '455,  0.6667]])\n'
     'Tanhshrink() tensor([[-1.0360, -0.3663, -0.0201,  0.0201,  0'
     '.3663,  1.0360]])\n'
     'LogSigmoid() tensor([[-2.1269, -1.4633, -0.9130, -0.5130, -0'
     '.2633, -0.1269]])\n'
     'PReLU(num_parameters=1) tensor([[-0.5000, -0.3000, -0.1000, '
     ' 0.4000,  1.2000,  2.0000]],\n' '       grad_fn=<PreluKernelBackward0>)\n'
     'Softmin(dim=1) tensor([[0.5552, 0.2495, 0.1121, 0.0504, 0.02' '26, 0.0102]])\n'
     'Threshold(threshold=0.1, value=20) tensor([[20.0000, 20.0000'
     ', 20.0000,  0.4000,  1.2000,  2.0000]])\n'
     'Hardshrink(0.5) tensor([[-2.0000, -1.2000,  0.0000,  0.0000,'
     '  1.2000,  2.0000]])\n'
     'Softshrink(0.3) tensor([[-1.7000, -0.9000, -0.1000,  0.1000,'
     '  0.9000,  1.7000]])\n' 'GLU(dim=-1) tensor([[-1.1974, -0.9222, -0.3523]])\n'),
    ('more-losses-and-layers',
     'x = torch.randn(4, 3)\n' 'y = torch.softmax(torch.randn(4, 3), 1)\n'
     "print(nn.KLDivLoss(reduction='batchmean')(torch.log_softmax(x, 1), y))\n"
     'print(nn.MarginRankingLoss(0.5)(x[0], x[1], torch.tensor([1.' ', -1., 1.])))\n'
     'print(nn.TripletMarginLoss()(x[:2], x[1:3], x[2:]))\n'
     'b = nn.Bilinear(2, 3, 4)\n' 'print(b, b(torch.ones(1, 2), torch.ones(1, 3)))\n'
     'print(nn.Unflatten(1, (2, 3))(torch.arange(6.).reshape(1, 6)))\n'
     'print(nn.CosineSimilarity()(x, y), nn.PairwiseDistance()(x, y))\n'
     'g = nn.GroupNorm(2, 4)\n' 'print(g, g(torch.randn(2, 4, 3)).shape)\n',
     'tensor(0.7268)\n' 'tensor(0.8571)\n' 'tensor(0.7174)\n'
     'Bilinear(in1_features=2, in2_features=3, out_features=4, bia'
     's=True) tensor([[ 1.4701, -0.6282,  1.3133,  1.1283]], grad_'
     'fn=<AddBackward0>)\n' 'tensor([[[0., 1., 2.],\n' '         [3., 4., 5.]]])\n'
     'tensor([-0.1188, -0.5598, -0.3864, -0.7075]) tensor([2.8948,'
     ' 2.2586, 1.6070, 1.2455])\n'
     'GroupNorm(2, 4, eps=1e-05, affine=True, bias=True) torch.Size([2, 4, 3])\n'),
    ('deepcopy',
     'import copy\n' 'm = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))\n'
     'm2 = copy.deepcopy(m)\n' 'with torch.no_grad():\n' '    m2[0].weight.fill_(0)\n'
     'print(m[0].weight)\n' 'print(m2)\n'
     'print(m2[0].weight, m2.state_dict().keys())\n'
     'sd = copy.deepcopy(m.state_dict())\n'
     "print(type(sd), sd['1.num_batches_tracked'])\n",
     'Parameter containing:\n' 'tensor([[-0.0053,  0.3793],\n'
     '        [-0.5820, -0.5204]], requires_grad=True)\n' 'Sequential(\n'
     '  (0): Linear(in_features=2, out_features=2, bias=True)\n'
     '  (1): BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, '
     'bias=True, track_running_stats=True)\n' ')\n' 'Parameter containing:\n'
     'tensor([[0., 0.],\n'
     "        [0., 0.]], requires_grad=True) odict_keys(['0.weight"
     "', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.runn"
     "ing_var', '1.num_batches_tracked'])\n"
     "<class 'collections.OrderedDict'> tensor(0)\n"),
    ('cnn-training',
     'import torch.nn.functional as F\n' 'class CNN(nn.Module):\n'
     '    def __init__(self):\n' '        super().__init__()\n'
     '        self.conv1 = nn.Conv2d(1, 4, kernel_size=3, padding=1)\n'
     '        self.pool = nn.MaxPool2d(2, 2)\n'
     '        self.conv2 = nn.Conv2d(4, 8, 3)\n'
     '        self.gap = nn.AdaptiveAvgPool2d((1, 1))\n'
     '        self.fc = nn.Linear(8, 3)\n' '    def forward(self, x):\n'
     '        x = self.pool(F.relu(self.conv1(x)))\n'
     '        x = F.relu(self.conv2(x))\n'
     '        return self.fc(self.gap(x).flatten(1))\n' 'net = CNN()\n' 'print(net)\n'
     'x = torch.randn(4, 1, 8, 8)\n' 'y = torch.tensor([0, 2, 1, 0])\n'
     'opt = torch.optim.SGD(net.parameters(), lr=0.1)\n' 'for i in range(4):\n'
     '    opt.zero_grad()\n' '    loss = F.cross_entropy(net(x), y)\n'
     '    loss.backward()\n' '    opt.step()\n' '    print(i, round(loss.item(), 4))\n'
     'print(net.conv1(x[:1])[0, 0])\n',
     'CNN(\n' '  (conv1): Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), p'
     'adding=(1, 1))\n' '  (pool): MaxPool2d(kernel_size=2, stride=2, padding=0, dila'
     'tion=1, ceil_mode=False)\n'
     '  (conv2): Conv2d(4, 8, kernel_size=(3, 3), stride=(1, 1))\n'
     '  (gap): AdaptiveAvgPool2d(output_size=(1, 1))\n'
     '  (fc): Linear(in_features=8, out_features=3, bias=True)\n' ')\n' '0 1.0739\n'
     '1 1.0608\n' '2 1.0492\n' '3 1.0391\n'
     'tensor([[-0.7463, -0.4558,  0.3172, -0.4194, -0.6091, -0.267'
     '8, -0.5199, -0.5825],\n'
     '        [ 0.2394,  0.2406, -1.3611, -0.7942, -0.9208, -0.373'
     '2,  0.1008,  0.3703],\n'
     '        [-1.6003, -0.1254,  0.1157, -0.4276,  0.9175,  0.531'
     '2,  0.7390, -0.3959],\n'
     '        [ 1.1364, -0.4450, -0.0703,  0.5490, -0.1119, -0.827'
     '0, -1.1242, -1.1080],\n'
     '        [-1.4397, -0.3550,  0.0548, -0.8636, -1.1397, -0.844'
     '0,  0.0274,  0.0646],\n'
     '        [ 0.5522, -0.7297,  0.3010, -0.9289,  0.5961, -0.417'
     '2, -0.1032, -0.2447],\n'
     '        [-0.1193, -0.8173,  0.7498,  0.1193, -0.9528,  0.308'
     '3, -0.8036,  0.0143],\n'
     '        [ 0.5940, -0.5411,  0.0152, -0.6313, -0.1365, -0.101'
     '3,  0.5243, -0.5577]],\n' '       grad_fn=<SelectBackward0>)\n'),
    ('conv-pool-reprs',
     'print(nn.Conv1d(3, 6, 5, stride=2, padding=1, bias=False))\n'
     'print(nn.Conv2d(3, 6, (3, 5), groups=3, dilation=2, padding_' "mode='reflect'))\n"
     "print(nn.Conv2d(2, 2, 3, padding='same'))\n"
     'print(nn.MaxPool2d(3, stride=1, padding=1), nn.AvgPool2d(2),'
     ' nn.AvgPool1d(3), nn.MaxPool1d(2))\n'
     "c = nn.Conv2d(2, 3, 3, padding=1, padding_mode='circular')\n"
     'print(c(torch.randn(1, 2, 4, 4))[0, 0])\n'
     'print(nn.Conv1d(2, 3, 3)(torch.randn(2, 5)))\n' 'x = torch.randn(2, 3, 7, 7)\n'
     'print(nn.functional.avg_pool2d(x, 3, stride=2, padding=1, co'
     'unt_include_pad=False)[0, 0])\n'
     'print(nn.functional.max_pool2d(x, 2, ceil_mode=True)[1, 2])\n',
     'Conv1d(3, 6, kernel_size=(5,), stride=(2,), padding=(1,), bias=False)\n'
     'Conv2d(3, 6, kernel_size=(3, 5), stride=(1, 1), dilation=(2,'
     ' 2), groups=3, padding_mode=reflect)\n'
     'Conv2d(2, 2, kernel_size=(3, 3), stride=(1, 1), padding=same)\n'
     'MaxPool2d(kernel_size=3, stride=1, padding=1, dilation=1, ce'
     'il_mode=False) AvgPool2d(kernel_size=2, stride=2, padding=0)'
     ' AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,)) MaxP'
     'ool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n'
     'tensor([[-0.5190, -0.1724,  0.4700, -0.7104],\n'
     '        [ 0.3321,  0.1087, -0.6655, -0.1041],\n'
     '        [-0.6268,  0.8889,  0.5278,  0.2336],\n'
     '        [-0.4164,  0.1181, -0.7672, -0.0794]], grad_fn=<Sele' 'ctBackward0>)\n'
     'tensor([[-0.7913, -0.7844, -0.3453],\n' '        [-0.1280, -0.1438,  0.3798],\n'
     '        [ 0.4929,  0.7564,  0.2904]], grad_fn=<SqueezeBackward1>)\n'
     'tensor([[ 0.7510,  0.3160,  0.3072,  0.4357],\n'
     '        [ 0.1282,  0.1574, -0.2290, -0.0113],\n'
     '        [-0.3499, -0.0213,  0.1110,  0.2354],\n'
     '        [-0.3374,  0.4203, -0.1179, -0.1113]])\n'
     'tensor([[ 2.4426,  1.3279,  0.9785,  2.5440],\n'
     '        [ 2.2149,  2.3306,  1.3025, -0.1984],\n'
     '        [-0.0949,  1.3105,  0.6092,  0.9472],\n'
     '        [ 1.7152,  1.5929,  0.3667,  0.5204]])\n'),
    ('rnn-grad-fn-names',
     'for kw in [dict(), dict(num_layers=2), dict(batch_first=True'
     '), dict(bidirectional=True)]:\n' '    l = nn.LSTM(3, 4, **kw)\n'
     '    o, (h, c) = l(torch.randn(5, 2, 3))\n'
     '    print(kw, type(o.grad_fn).__name__, type(h.grad_fn).__name__)\n'
     '    print(o[0])\n' 'for cls in [nn.GRU, nn.RNN]:\n'
     '    g = cls(3, 4, batch_first=True)\n' '    o, h = g(torch.randn(2, 5, 3))\n'
     '    print(type(o.grad_fn).__name__, type(h.grad_fn).__name__)\n'
     '    o.sum().backward()\n' '    print(g.weight_hh_l0.grad)\n',
     '{} MkldnnRnnLayerBackward0 StackBackward0\n'
     'tensor([[ 0.0663,  0.0100, -0.0370,  0.0812],\n'
     '        [ 0.0500, -0.1315, -0.1101,  0.0008]], grad_fn=<Sele' 'ctBackward0>)\n'
     "{'num_layers': 2} MkldnnRnnLayerBackward0 StackBackward0\n"
     'tensor([[ 0.1001,  0.1060,  0.0642, -0.0329],\n'
     '        [ 0.1172,  0.1132,  0.0580, -0.0589]], grad_fn=<Sele' 'ctBackward0>)\n'
     "{'batch_first': True} TransposeBackward0 StackBackward0\n"
     'tensor([[ 0.1001,  0.0756,  0.1204, -0.1815],\n'
     '        [ 0.1169,  0.1485,  0.1130, -0.1693]], grad_fn=<Sele' 'ctBackward0>)\n'
     "{'bidirectional': True} CatBackward0 StackBackward0\n"
     'tensor([[ 0.0412,  0.0851, -0.0021,  0.0375,  0.1095, -0.058'
     '7,  0.1966, -0.1840],\n'
     '        [ 0.1700,  0.0778,  0.0859,  0.1556,  0.0302, -0.001'
     '6,  0.1882, -0.1223]],\n' '       grad_fn=<SelectBackward0>)\n'
     'TransposeBackward1 StackBackward0\n'
     'tensor([[ 0.0962, -0.0207,  0.0321, -0.0576],\n'
     '        [ 0.2478, -0.1159,  0.0862, -0.1030],\n'
     '        [ 0.0466, -0.0203,  0.0148, -0.0317],\n'
     '        [-0.0346,  0.0101, -0.0122,  0.0171],\n'
     '        [ 0.0910,  0.1282,  0.0395,  0.0102],\n'
     '        [-0.0974,  0.1571, -0.0450, -0.0764],\n'
     '        [-0.0542,  0.1714, -0.0064,  0.1337],\n'
     '        [ 0.0138,  0.0427,  0.0160,  0.1043],\n'
     '        [-0.8456,  0.4150, -0.2816,  0.4558],\n'
     '        [-1.1933,  0.6281, -0.4229,  0.3818],\n'
     '        [-0.9092,  0.5530, -0.3066,  0.4222],\n'
     '        [-1.0596,  0.5446, -0.3720,  0.4223]])\n'
     'TransposeBackward1 StackBackward0\n'
     'tensor([[ 0.7825,  2.8953,  3.2665, -2.3599],\n'
     '        [ 0.5208,  2.0494,  1.5628, -2.5095],\n'
     '        [-0.2222,  1.1814,  1.3295, -1.2665],\n'
     '        [ 0.6777,  1.0750,  0.7901, -1.1196]])\n'),
    ('embedding-from-pretrained',
     "w = torch.tensor([[1., 2.], [3., 4.], [5., 6.]])\n"
     "e2 = nn.Embedding.from_pretrained(w)\n"
     "print(e2, e2.weight.requires_grad, e2(torch.tensor([2, 0])))\n"
     "e3 = nn.Embedding.from_pretrained(w, freeze=False, padding_idx=0)\n"
     "print(e3, e3.weight)\n",
     "Embedding(3, 2) False tensor([[5., 6.],\n" "        [1., 2.]])\n"
     "Embedding(3, 2, padding_idx=0) Parameter containing:\n" "tensor([[1., 2.],\n"
     "        [3., 4.],\n" "        [5., 6.]], requires_grad=True)\n"),
    ('sequential-of-ordered-dict',
     "from collections import OrderedDict\n"
     "model = nn.Sequential(OrderedDict([('fc1', nn.Linear(4, 8)), ('relu1', nn.ReLU()),\n"
     "                                   ('fc2', nn.Linear(8, 2))]))\n"
     "print(model)\nprint(model.fc1, model(torch.ones(1, 4)))\n"
     "d = OrderedDict(a=1)\nd['b'] = 2\nprint(d, list(d.items()), type(d), OrderedDict())\n",
     "Sequential(\n" "  (fc1): Linear(in_features=4, out_features=8, bias=True)\n"
     "  (relu1): ReLU()\n" "  (fc2): Linear(in_features=8, out_features=2, bias=True)\n"
     ")\n" "Linear(in_features=4, out_features=8, bias=True) "
     "tensor([[-0.1394, -0.1776]], grad_fn=<AddmmBackward0>)\n"
     "OrderedDict([('a', 1), ('b', 2)]) [('a', 1), ('b', 2)] "
     "<class 'collections.OrderedDict'> OrderedDict()\n"),
    ('parameters-to-vector',
     'from torch.nn.utils import parameters_to_vector, vector_to_parameters\n'
     'm = nn.Linear(2, 2)\n'
     'v = parameters_to_vector(m.parameters())\n'
     'print(v)\n'
     'vector_to_parameters(torch.arange(6.), m.parameters())\n'
     'print(m.weight, m.bias)\n'
     'print(torch.nn.utils.parameters_to_vector(m.parameters()).shape)\n',
     'tensor([-0.0053,  0.3793, -0.5820, -0.5204, -0.2723,  0.1896],\n'
     '       grad_fn=<CatBackward0>)\n'
     'Parameter containing:\n'
     'tensor([[0., 1.],\n'
     '        [2., 3.]], requires_grad=True) Parameter containing:\n'
     'tensor([4., 5.], requires_grad=True)\n'
     'torch.Size([6])\n'),
]

ERRORS: list[tuple[str, str, str]] = [
    ('missing-key',
     "nn.Linear(2, 3).load_state_dict({'weight': torch.zeros(3, 2)})\n",
     'Error(s) in loading state_dict for Linear:\n'
     '\tMissing key(s) in state_dict: "bias". '),
    ('unexpected-and-size',
     "nn.Linear(2, 3).load_state_dict({'weight': torch.zeros(3, 3)"
     ", 'bias': torch.zeros(3), 'extra': torch.zeros(1)})\n",
     'Error(s) in loading state_dict for Linear:\n'
     '\tUnexpected key(s) in state_dict: "extra". \n'
     '\tsize mismatch for weight: copying a param with shape torch.'
     'Size([3, 3]) from checkpoint, the shape in current model is '
     'torch.Size([3, 2]).'),
    ('not-a-tensor',
     "nn.Linear(2, 2).load_state_dict({'weight': 1, 'bias': torch.zeros(2)})\n",
     'Error(s) in loading state_dict for Linear:\n'
     '\tWhile copying the parameter named "weight", expected torch.'
     "Tensor or Tensor-like object from checkpoint but received <class 'int'>"),
    ('not-dict-like',
     'nn.Linear(2, 2).load_state_dict([1, 2])\n',
     "Expected state_dict to be dict-like, got <class 'list'>."),
    ('buffer-dot',
     "nn.Linear(2, 2).register_buffer('a.b', torch.ones(1))\n",
     'buffer name can\'t contain "."'),
    ('buffer-exists',
     "nn.Linear(2, 2).register_buffer('weight', torch.ones(1))\n",
     "attribute 'weight' already exists"),
    ('buffer-not-tensor',
     "nn.Linear(2, 2).register_buffer('z', 3)\n",
     "cannot assign 'int' object to buffer 'z' (torch Tensor or None required)"),
    ('buffer-assign',
     'm = nn.Linear(2, 2)\n' "m.register_buffer('z', torch.zeros(2))\n" 'm.z = 3\n',
     "cannot assign 'int' as buffer 'z' (torch.nn.Buffer, torch.Te"
     'nsor or None expected)'),
    ('bn-one-value',
     'nn.BatchNorm1d(3)(torch.randn(1, 3))\n',
     'Expected more than 1 value per channel when training, got in'
     'put size torch.Size([1, 3])'),
    ('bn-dims',
     'nn.BatchNorm2d(3)(torch.randn(4, 3))\n',
     'expected 4D input (got 2D input)'),
    ('rnn-input-size',
     'nn.RNN(3, 4)(torch.randn(5, 2, 4))\n',
     'input.size(-1) must be equal to input_size. Expected 3, got 4'),
    ('rnn-hidden-size',
     'nn.RNN(3, 4)(torch.randn(5, 2, 3), torch.zeros(1, 3, 4))\n',
     'Expected hidden size (1, 2, 4), got [1, 3, 4]'),
    ('lstm-dims',
     'nn.LSTM(3, 4)(torch.randn(2, 5, 2, 3))\n',
     'LSTM: Expected input to be 2D or 3D, got 4D instead'),
    ('gru-bias-type',
     'nn.GRU(3, 4, bias=1)\n',
     'bias should be of type bool, got: int'),
    ('submodule',
     "nn.Sequential(nn.Linear(1, 1)).get_submodule('0.weight')\n",
     '`weight` is not an nn.Module'),
    ('deepcopy-non-leaf',
     'import copy\n' 'copy.deepcopy(torch.ones(2, requires_grad=True) * 2)\n',
     'Only Tensors created explicitly by the user (graph leaves) s'
     'upport the deepcopy protocol at the moment.  If you were att'
     'empting to deepcopy a module, this may be because of a torch'
     '.nn.utils.weight_norm usage, see https://github.com/pytorch/'
     'pytorch/pull/103001'),
    ('moduledict-key',
     "nn.ModuleDict({'a': nn.ReLU()})['b']\n",
     "'b'"),
    ('conv-channels',
     'nn.functional.conv2d(torch.randn(1, 3, 5, 5), torch.randn(2, 1, 3, 3))\n',
     'Given groups=1, weight of size [2, 1, 3, 3], expected input['
     '1, 3, 5, 5] to have 1 channels, but got 3 channels instead'),
    ('conv-dims',
     'nn.functional.conv2d(torch.randn(2, 3), torch.randn(1, 1, 1, 1))\n',
     'Expected 3D (unbatched) or 4D (batched) input to conv2d, but'
     ' got input of size: [2, 3]'),
    ('pool-pad',
     'nn.functional.max_pool2d(torch.randn(1, 1, 4, 4), 3, padding=2)\n',
     'pad should be at most half of effective kernel size, but got'
     ' pad=2, kernel_size=3 and dilation=1'),
]


@pytest.mark.parametrize(("program", "expected"), [_case(c[0], *c[1:]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_prints_what_pytorch_prints(program: str, expected: str) -> None:
    assert gd(program) == (0, expected, "")


@pytest.mark.parametrize("program", [_case(c[0], c[1]) for c in CASES])
def test_pytorch_prints_the_same(program: str) -> None:
    assert under_torch(program) == (gd(program)[1], "")


@pytest.mark.parametrize(("program", "expected"), [c[1:] for c in ERRORS],
                         ids=[c[0] for c in ERRORS])
def test_errors_are_pytorchs(program: str, expected: str) -> None:
    code, out, err = gd(program)
    assert (code, out, err) == (4, "", expected)


@pytest.mark.parametrize("program", [c[1] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_pytorch_raises_the_same(program: str) -> None:
    assert under_torch(program) == ("", gd(program)[2])


def test_lstm_gradients_match_pytorch() -> None:
    torch = pytest.importorskip("torch")
    program = ("lstm = nn.LSTM(3, 4, num_layers=2)\nout, (h, c) = lstm(torch.randn(5, 2, 3))\n"
               "(out.sum() + c.sum()).backward()\n"
               "print([p.grad.tolist() for p in lstm.parameters()])\n")
    out = gd(program)[1]
    expected, _ = under_torch(program)
    got, want = eval(out), eval(expected)  # nested lists of floats
    for g, w in zip(got, want, strict=True):
        assert torch.allclose(torch.tensor(g), torch.tensor(w), rtol=1e-5, atol=1e-6)


HOSTILE = [
    "m.state_dict().__class__.__dict__", "m.state_dict()._metadata", "m.state_dict().__dict__",
    "m.load_state_dict(m.state_dict()).__class__.__dict__",
    "m.load_state_dict(m.state_dict())._asdict",
    "m.load_state_dict(m.state_dict())._fields", "m.state_dict().keys().__class__.__dict__",
    "nn.LSTM(1, 1)._flat_weights.__class__.__dict__", "nn.LSTM(1, 1).__dict__",
    "nn.LSTM(1, 1).forward.__self__", "nn.LSTM(1, 1).__class__.all_weights.fget",
    "nn.LSTM(1, 1).check_input.__func__",
    "nn.BatchNorm1d(2)._buffers.__class__.__dict__", "nn.BatchNorm1d(2).__class__.__dict__",
    "nn.ModuleDict()._modules.__init__", "nn.ParameterDict()._keys.__class__.__dict__",
    "nn.ParameterDict().__getitem__", "copy.__dict__", "copy.deepcopy.__wrapped__",
    "copy.deepcopy(m).__class__.__dict__", "copy.deepcopy(m)._parameters.__dict__",
    "copy.deepcopy(m.state_dict()).__class__.__dict__",
    "m.load_state_dict(m.state_dict()).missing_keys.__class__.__dict__",
    "nn.Conv2d(1, 1, 1).__dict__", "nn.Conv2d(1, 1, 1)._conv_forward",
    "nn.MaxPool2d(2).forward.__globals__", "nn.functional.conv2d.__module__",
    "collections.__dict__", "collections.OrderedDict.__init__", "collections.OrderedDict.fn",
    "collections.ChainMap.__dict__", "nn.Embedding.from_pretrained.__self__",
    "nn.ModuleDict({'a': nn.ReLU()}).keys().mapping", "m.state_dict().keys().mapping",
    "nn.LSTM(1, 1).flatten_parameters.__func__",
]


@pytest.mark.parametrize("expr", HOSTILE)
def test_new_nn_values_expose_nothing_of_the_host(expr: str) -> None:
    code, out, err = gd(f"import copy\nimport collections\nm = nn.Linear(2, 2)\n"
                        f"print({expr})\n")
    assert code == 4 and out == "" and err
    assert "0x" not in err and "gradcli." not in err and "Traceback" not in err


def test_deepcopy_refuses_what_it_cannot_copy_cleanly() -> None:
    code, out, err = gd("import copy\nopt = torch.optim.SGD(nn.Linear(1, 1).parameters(), "
                        "lr=0.1)\ncopy.deepcopy(opt)\n")
    assert (code, out, err) == (4, "", "copy.deepcopy of a 'SGD' is not supported by gradcli")
    code, _, err = gd("import copy\na = []\nfor i in range(2000):\n    a = [a]\n"
                      "copy.deepcopy(a)\n")
    assert (code, err) == (4, "maximum recursion depth exceeded while calling a Python "
                              "object")


def test_state_dict_methods_are_ordered_dicts() -> None:
    code, out, _ = gd("sd = nn.Linear(1, 1).state_dict()\nprint(sd.copy().keys(), "
                      "sd.get('bias'), sd.pop('weight').shape, list(sd))\n")
    assert (code, out) == (0, "odict_keys(['weight', 'bias']) tensor([0.5364]) "
                              "torch.Size([1, 1]) ['bias']\n")
