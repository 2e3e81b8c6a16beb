"""torch.nn modules in gd print and differentiate as PyTorch's do.

Each case is a program valid under both: its expected output is PyTorch 2.13's, as a
literal (so the test means something without torch), and when torch is installed the
same program runs under it too (addresses dropped). Then gradients through a small MLP
and a training loop's losses against torch bit for bit, and the sandbox: module values
expose nothing of the host.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest
from pyrun import unaddressed

from gradcli.app import AppOptions, run
from gradcli.cli import exit_status
from gradcli.errors import GdError
from gradcli.source import Source

PRELUDE = "import torch\nimport torch.nn as nn\ntorch.manual_seed(0)\n"


def gd(program: str) -> tuple[int, str, str]:
    """(exit code, output, error message) of a gd program run in this process."""
    buf = io.StringIO()
    try:
        run(Source("prog.gd", PRELUDE + program), AppOptions(write=buf.write))
    except GdError as e:
        return exit_status(e), unaddressed(buf.getvalue()), e.message
    return 0, unaddressed(buf.getvalue()), ""


def under_torch(program: str) -> tuple[str, str]:
    """(output, 'Type: message' of an error or '') of the program run by PyTorch."""
    wrapper = ("import sys, io, contextlib\nsrc = sys.stdin.read()\nout = io.StringIO()\n"
               "err = ''\nwith contextlib.redirect_stdout(out):\n    try:\n"
               "        exec(compile(src, 'prog.py', 'exec'), {'__name__': '__main__'})\n"
               "    except Exception as e:\n        err = f'{type(e).__name__}: {e}'\n"
               "sys.stdout.write(out.getvalue() + '\\x00' + err)\n")
    r = subprocess.run([sys.executable, "-c", wrapper], input=PRELUDE + program,
                       capture_output=True, text=True, timeout=120, check=True)
    out, err = r.stdout.split("\x00")
    return unaddressed(out), err


CASES: list[tuple[str, str, str]] = [
    ("linear-init-bits",
     "print(nn.Linear(3, 2).weight)\n",
     "Parameter containing:\n" "tensor([[-0.0043,  0.3097, -0.4752],\n"
     "        [-0.4249, -0.2224,  0.1548]], requires_grad=True)\n"),
    ("linear-bias-bits",
     "l = nn.Linear(3, 2)\n" "print(l.bias.tolist())\n",
     "[-0.011439144611358643, 0.45777493715286255]\n"),
    ("linear-repr",
     "print(nn.Linear(3, 2), nn.Linear(4, 1, bias=False))\n",
     "Linear(in_features=3, out_features=2, bias=True) "
     "Linear(in_features=4, out_features=1, bias=False)\n"),
    ("linear-grad-fns",
     "l = nn.Linear(3, 2)\n" "n = nn.Linear(3, 2, bias=False)\n"
     "for x in (torch.ones(3), torch.ones(4, 3), torch.ones(2, 4, 3)):\n"
     "    print(l(x).grad_fn, n(x).grad_fn)\n",
     "<ViewBackward0 object> <SqueezeBackward4 object>\n"
     "<AddmmBackward0 object> <MmBackward0 object>\n"
     "<ViewBackward0 object> <UnsafeViewBackward0 object>\n"),
    ("subclass-repr",
     "class Net(nn.Module):\n" "    def __init__(self):\n" "        super().__init__()\n"
     "        self.fc1 = nn.Linear(3, 4)\n" "        self.act = nn.ReLU()\n"
     "        self.fc2 = nn.Linear(4, 1)\n" "    def forward(self, x):\n"
     "        return self.fc2(self.act(self.fc1(x)))\n" "m = Net()\n" "print(m)\n"
     "print([n for n, p in m.named_parameters()])\n" "print(type(m), type(m.fc1))\n"
     "print(m.parameters)\n",
     "Net(\n" "  (fc1): Linear(in_features=3, out_features=4, bias=True)\n"
     "  (act): ReLU()\n" "  (fc2): Linear(in_features=4, out_features=1, bias=True)\n" ")\n"
     "['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']\n"
     "<class '__main__.Net'> <class 'torch.nn.modules.linear.Linear'>\n"
     "<bound method Module.parameters of Net(\n"
     "  (fc1): Linear(in_features=3, out_features=4, bias=True)\n" "  (act): ReLU()\n"
     "  (fc2): Linear(in_features=4, out_features=1, bias=True)\n" ")>\n"),
    ("sequential",
     "m = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), "
     "nn.Softmax(dim=-1))\n" "print(m[0], m[-1], len(m))\n" "print(m[1:])\n"
     "print(m(torch.ones(2, 3)))\n"
     "print(nn.Sequential(nn.Tanh(), nn.Sequential(nn.Sigmoid())), nn.Sequential())\n",
     "Linear(in_features=3, out_features=4, bias=True) Softmax(dim=-1) 4\n" "Sequential(\n"
     "  (1): ReLU()\n" "  (2): Linear(in_features=4, out_features=2, bias=True)\n"
     "  (3): Softmax(dim=-1)\n" ")\n" "tensor([[0.4575, 0.5425],\n"
     "        [0.4575, 0.5425]], grad_fn=<SoftmaxBackward0>)\n" "Sequential(\n"
     "  (0): Tanh()\n" "  (1): Sequential(\n" "    (0): Sigmoid()\n" "  )\n"
     ") Sequential()\n"),
    ("modulelist-repeats",
     "ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])\n" "ml.append(nn.ReLU())\n"
     "print(ml)\n" "print(len(ml), ml[3], nn.ModuleList())\n",
     "ModuleList(\n" "  (0-2): 3 x Linear(in_features=2, out_features=2, bias=True)\n"
     "  (3): ReLU()\n" ")\n" "4 ReLU() ModuleList()\n"),
    ("layer-reprs",
     "print(nn.MSELoss(), nn.CrossEntropyLoss(), nn.LeakyReLU(), "
     "nn.Softmax(dim=1), nn.Dropout(), nn.GELU(), nn.ELU(), nn.Flatten(), "
     "nn.Identity(), nn.SiLU(), nn.Softplus(), nn.LogSoftmax(1), "
     "nn.HuberLoss(), nn.SmoothL1Loss(), nn.BCELoss(), "
     "nn.BCEWithLogitsLoss(), nn.NLLLoss(), nn.L1Loss())\n"
     "print(nn.Softmax(), nn.LeakyReLU(0.2), nn.ELU(alpha=0.5), "
     "nn.Softplus(beta=2, threshold=10), nn.GELU('tanh'), nn.Dropout(0.1, "
     "inplace=True), nn.Flatten(0, -1), nn.ReLU(inplace=True))\n",
     "MSELoss() CrossEntropyLoss() LeakyReLU(negative_slope=0.01) "
     "Softmax(dim=1) Dropout(p=0.5, inplace=False) GELU(approximate='none') "
     "ELU(alpha=1.0) Flatten(start_dim=1, end_dim=-1) Identity() SiLU() "
     "Softplus(beta=1.0, threshold=20.0) LogSoftmax(dim=1) HuberLoss() "
     "SmoothL1Loss() BCELoss() BCEWithLogitsLoss() NLLLoss() L1Loss()\n"
     "Softmax(dim=None) LeakyReLU(negative_slope=0.2) ELU(alpha=0.5) "
     "Softplus(beta=2, threshold=10) GELU(approximate='tanh') "
     "Dropout(p=0.1, inplace=True) Flatten(start_dim=0, end_dim=-1) ReLU(inplace=True)\n"),
    ("parameter",
     "p = nn.Parameter(torch.ones(2))\n" "print(p)\n" "print(p * 2)\n"
     "print(isinstance(p, nn.Parameter), isinstance(p, torch.Tensor), type(p))\n"
     "print(isinstance(p * 2, nn.Parameter), type(p.detach()), p.is_leaf)\n"
     "print([nn.Parameter(torch.tensor(3.0), requires_grad=False)])\n",
     "Parameter containing:\n" "tensor([1., 1.], requires_grad=True)\n"
     "tensor([2., 2.], grad_fn=<MulBackward0>)\n"
     "True True <class 'torch.nn.parameter.Parameter'>\n"
     "False <class 'torch.Tensor'> True\n" "[Parameter containing:\n" "tensor(3.)]\n"),
    ("train-eval-dropout",
     "d = nn.Dropout(0.5)\n" "x = torch.ones(8)\n" "print(d.training, d(x))\n" "d.eval()\n"
     "print(d.training, d(x))\n" "m = nn.Sequential(nn.Linear(1, 1), nn.Dropout())\n"
     "m.eval()\n" "print([c.training for c in m.modules()])\n" "m.train()\n"
     "print([c.training for c in m.children()])\n",
     "True tensor([0., 0., 2., 0., 0., 0., 2., 2.])\n"
     "False tensor([1., 1., 1., 1., 1., 1., 1., 1.])\n" "[False, False, False]\n"
     "[True, True]\n"),
    ("activations",
     "x = torch.linspace(-2, 2, 5, requires_grad=True)\n"
     "for a in [nn.ReLU(), nn.LeakyReLU(0.1), nn.Tanh(), nn.Sigmoid(), "
     "nn.GELU(), nn.ELU(), nn.SiLU(), nn.Softplus(), nn.Softmax(dim=0), "
     "nn.LogSoftmax(dim=0)]:\n" "    print(a(x).grad_fn)\n"
     "print(nn.Flatten()(torch.ones(2, 3, 4)).shape, nn.Identity()(x) is x)\n",
     "<ReluBackward0 object>\n" "<LeakyReluBackward0 object>\n" "<TanhBackward0 object>\n"
     "<SigmoidBackward0 object>\n" "<GeluBackward0 object>\n" "<EluBackward0 object>\n"
     "<SiluBackward0 object>\n" "<SoftplusBackward0 object>\n" "<SoftmaxBackward0 object>\n"
     "<LogSoftmaxBackward0 object>\n" "torch.Size([2, 12]) True\n"),
    ("losses",
     "a = torch.tensor([0.5, -1.0, 2.0, 0.0], requires_grad=True)\n"
     "b = torch.tensor([1.0, 0.0, 1.5, -0.5])\n"
     "for f in [nn.MSELoss(), nn.L1Loss(), nn.SmoothL1Loss(), "
     "nn.HuberLoss(delta=0.5), nn.MSELoss(reduction='sum'), "
     "nn.L1Loss(reduction='none')]:\n" "    print(f(a, b))\n"
     "t = torch.tensor([0., 1., 1., 0.])\n" "print(nn.BCELoss()(torch.sigmoid(a), t))\n"
     "print(nn.BCEWithLogitsLoss()(a, t))\n"
     "z = torch.tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 1.0]], requires_grad=True)\n"
     "c = torch.tensor([1, 2])\n" "print(nn.CrossEntropyLoss()(z, c))\n"
     "print(nn.CrossEntropyLoss(label_smoothing=0.1, reduction='none')(z, c))\n"
     "print(nn.NLLLoss()(torch.log_softmax(z, 1), c))\n",
     "tensor(0.4375, grad_fn=<MseLossBackward0>)\n"
     "tensor(0.6250, grad_fn=<MeanBackward0>)\n"
     "tensor(0.2188, grad_fn=<SmoothL1LossBackward0>)\n"
     "tensor(0.1875, grad_fn=<HuberLossBackward0>)\n"
     "tensor(1.7500, grad_fn=<MseLossBackward0>)\n"
     "tensor([0.5000, 1.0000, 0.5000, 0.5000], grad_fn=<AbsBackward0>)\n"
     "tensor(0.7769, grad_fn=<BinaryCrossEntropyBackward0>)\n"
     "tensor(0.7769, grad_fn=<BinaryCrossEntropyWithLogitsBackward0>)\n"
     "tensor(0.4360, grad_fn=<NllLossBackward0>)\n"
     "tensor([0.5477, 0.5076], grad_fn=<AddBackward0>)\n"
     "tensor(0.4360, grad_fn=<NllLossBackward0>)\n"),
    ("init",
     "w = torch.empty(3, 5)\n" "for f in (nn.init.xavier_uniform_, nn.init.xavier_normal_, "
     "nn.init.kaiming_uniform_, nn.init.kaiming_normal_):\n" "    f(w)\n"
     "    print(w[0])\n" "nn.init.kaiming_normal_(w, mode='fan_out', nonlinearity='relu')\n"
     "print(w[1])\n"
     "print(nn.init.normal_(w, std=0.02)[2], nn.init.uniform_(w, -0.1, 0.1)[0])\n"
     "l = nn.Linear(2, 1)\n" "nn.init.zeros_(l.weight)\n" "nn.init.constant_(l.bias, 0.5)\n"
     "print(l.weight, nn.init.ones_(torch.empty(2)))\n"
     "print(nn.init.calculate_gain('relu'), nn.init.calculate_gain('leaky_relu', 0.2))\n",
     "tensor([-0.0065,  0.4646, -0.7128, -0.6373, -0.3336])\n"
     "tensor([ 0.3018,  0.4055, -0.0225,  0.4398,  0.5241])\n"
     "tensor([ 0.6423, -0.4858, -0.0395,  0.7006,  1.0890])\n"
     "tensor([ 1.4841, -0.2848, -0.3055,  0.4160,  0.5937])\n"
     "tensor([-0.9506, -0.0196,  0.5291,  1.4158, -0.1091])\n"
     "tensor([-0.0193, -0.0196, -0.0897, -0.0863, -0.0156]) "
     "tensor([-0.0936, -0.0844, -0.0203,  0.0548,  0.0541])\n" "Parameter containing:\n"
     "tensor([[0., 0.]], requires_grad=True) tensor([1., 1.])\n"
     "1.4142135623730951 1.3867504905630728\n"),
    ("clip-grad-norm",
     "m = nn.Linear(3, 2)\n" "(m(torch.ones(4, 3)) ** 2).sum().backward()\n"
     "print(torch.nn.utils.clip_grad_norm_(m.parameters(), max_norm=1.0))\n"
     "print(m.weight.grad, m.bias.grad)\n"
     "torch.nn.utils.clip_grad_value_(m.parameters(), 0.1)\n" "print(m.bias.grad)\n",
     "tensor(2.9523)\n" "tensor([[-0.4911, -0.4911, -0.4911],\n"
     "        [-0.0939, -0.0939, -0.0939]]) tensor([-0.4911, -0.0939])\n"
     "tensor([-0.1000, -0.0939])\n"),
    ("from-imports",
     "from torch.nn import Linear, ReLU, Sequential, MSELoss\n"
     "from torch import nn as tnn\n"
     "net = Sequential(Linear(1, 2), ReLU(), tnn.Linear(2, 1))\n"
     "print(MSELoss()(net(torch.ones(2, 1)), torch.zeros(2, 1)))\n",
     "tensor(0.0002, grad_fn=<MseLossBackward0>)\n"),
    ("module-methods",
     "class M(nn.Module):\n" "    def __init__(self):\n" "        super().__init__()\n"
     "        self.a = nn.Parameter(torch.tensor(1.0))\n"
     "        self.seq = nn.Sequential(nn.Linear(1, 1))\n" "        self.k = 2\n"
     "    def forward(self, x):\n" "        return self.seq(x) * self.a * self.k\n"
     "m = M()\n"
     "print([n for n, _ in m.named_modules()], [n for n, _ in m.named_children()])\n"
     "m(torch.ones(1, 1)).sum().backward()\n" "print(m.a.grad)\n" "m.zero_grad()\n"
     "print(m.a.grad, m.requires_grad_(False).a.requires_grad, callable(m))\n"
     "m.double()\n"
     "print(m.a.dtype, m.to(torch.float32).seq[0].weight.dtype, m.to('cpu') is m)\n"
     "print(sum(p.numel() for p in m.parameters()), len(list(m.modules())))\n"
     "def init(mod):\n" "    if isinstance(mod, nn.Linear):\n"
     "        nn.init.ones_(mod.weight)\n" "m.apply(init)\n" "print(m.seq[0].weight)\n",
     "['', 'seq', 'seq.0'] ['seq']\n" "tensor(1.0579)\n" "None False True\n"
     "torch.float64 torch.float32 True\n" "3 3\n" "Parameter containing:\n"
     "tensor([[1.]])\n"),
    ("create-graph",
     "x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)\n" "lin = nn.Linear(3, 2)\n"
     "y = torch.tanh(lin(x)).sum()\n" "g, = torch.autograd.grad(y, x, create_graph=True)\n"
     "print(g)\n" "h, = torch.autograd.grad(g.sum(), x)\n" "print(h)\n",
     "tensor([-0.2459, -0.0447, -0.0388], grad_fn=<ViewBackward0>)\n"
     "tensor([-0.1566, -0.1064,  0.0943])\n"),
    ("old-style-init",
     "class Net(nn.Module):\n" "    def __init__(self):\n"
     "        nn.Module.__init__(self)\n" "        self.fc = nn.Linear(2, 1)\n"
     "    def forward(self, x):\n" "        return self.fc(x)\n" "print(Net())\n",
     "Net(\n" "  (fc): Linear(in_features=2, out_features=1, bias=True)\n" ")\n"),
    ("data-updates",
     "model = nn.Linear(2, 1)\n" "print(list(model.parameters()))\n"
     "print(model.weight.data)\n" "model.weight.data.normal_(0, 0.01)\n"
     "model.bias.data.zero_()\n" "print(model.weight, model.bias)\n"
     "x = torch.randn(5, 2)\n" "loss = ((model(x) - 1) ** 2).mean()\n" "loss.backward()\n"
     "for p in model.parameters():\n" "    p.data -= 0.1 * p.grad.data\n"
     "    p.grad.data.zero_()\n" "print(model.weight, model.weight.grad)\n",
     "[Parameter containing:\n"
     "tensor([[-0.0053,  0.3793]], requires_grad=True), Parameter containing:\n"
     "tensor([-0.5820], requires_grad=True)]\n" "tensor([[-0.0053,  0.3793]])\n"
     "Parameter containing:\n"
     "tensor([[0.0036, 0.0013]], requires_grad=True) Parameter containing:\n"
     "tensor([0.], requires_grad=True)\n" "Parameter containing:\n"
     "tensor([[0.0826, 0.1154]], requires_grad=True) tensor([[0., 0.]])\n"),
    ("two-layer-net-tutorial",
     "import torch.nn.functional as F\n" "class TwoLayerNet(torch.nn.Module):\n"
     "    def __init__(self, D_in, H, D_out):\n"
     "        super(TwoLayerNet, self).__init__()\n"
     "        self.linear1 = torch.nn.Linear(D_in, H)\n"
     "        self.linear2 = torch.nn.Linear(H, D_out)\n" "    def forward(self, x):\n"
     "        h_relu = self.linear1(x).clamp(min=0)\n"
     "        y_pred = self.linear2(h_relu)\n" "        return y_pred\n"
     "N, D_in, H, D_out = 8, 10, 6, 2\n" "x = torch.randn(N, D_in)\n"
     "y = torch.randn(N, D_out)\n" "model = TwoLayerNet(D_in, H, D_out)\n"
     "criterion = torch.nn.MSELoss(reduction='sum')\n" "for t in range(5):\n"
     "    y_pred = model(x)\n" "    loss = criterion(y_pred, y)\n"
     "    print(t, round(loss.item(), 3))\n" "    model.zero_grad()\n"
     "    loss.backward()\n" "    with torch.no_grad():\n"
     "        for param in model.parameters():\n" "            param -= 1e-2 * param.grad\n",
     "0 16.471\n" "1 13.7\n" "2 12.135\n" "3 11.098\n" "4 10.276\n"),
    ("zero-grad-set-to-none",
     "m = nn.Linear(3, 2)\n" "print(m.weight.grad is None)\n" "y = m(torch.ones(3)).sum()\n"
     "y.backward()\n" "print(m.weight.grad)\n" "m.zero_grad(set_to_none=False)\n"
     "print(m.weight.grad)\n" "print(m.weight.is_leaf, m.weight.grad_fn)\n",
     "True\n" "tensor([[1., 1., 1.],\n" "        [1., 1., 1.]])\n" "tensor([[0., 0., 0.],\n"
     "        [0., 0., 0.]])\n" "True None\n"),
    ("polynomial-tutorial",
     "class Poly(nn.Module):\n" "    def __init__(self):\n" "        super().__init__()\n"
     "        self.a = nn.Parameter(torch.randn(()))\n"
     "        self.b = nn.Parameter(torch.randn(()))\n"
     "        self.c = nn.Parameter(torch.randn(()))\n" "    def forward(self, x):\n"
     "        return self.a + self.b * x + self.c * x ** 2\n" "    def string(self):\n"
     "        return f'y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2'\n"
     "model = Poly()\n" "print(model.string())\n" "x = torch.linspace(-1, 1, 10)\n"
     "y = torch.sin(x)\n" "crit = nn.MSELoss(reduction='sum')\n" "for t in range(3):\n"
     "    loss = crit(model(x), y)\n" "    model.zero_grad()\n" "    loss.backward()\n"
     "    with torch.no_grad():\n" "        for p in model.parameters():\n"
     "            p -= 1e-3 * p.grad\n" "print(model.string())\n" "print(model)\n",
     "y = 1.5409960746765137 + -0.293428897857666 x + -2.1787893772125244 x^2\n"
     "y = 1.5025665760040283 + -0.26487061381340027 x + -2.1776156425476074 x^2\n"
     "Poly()\n"),
    ("add-module",
     "seq = nn.Sequential()\n" 'seq.add_module("lin", nn.Linear(2, 2))\n'
     'seq.add_module("act", nn.ReLU())\n' "print(seq)\n" "print(seq.lin, seq[1])\n",
     "Sequential(\n" "  (lin): Linear(in_features=2, out_features=2, bias=True)\n"
     "  (act): ReLU()\n" ")\n" "Linear(in_features=2, out_features=2, bias=True) ReLU()\n"),
    ("layernorm-embedding",
     "print(nn.LayerNorm(4), nn.LayerNorm([2,3], eps=1e-6, "
     "elementwise_affine=False), nn.LayerNorm(3, bias=False), "
     "nn.Embedding(10, 3), nn.Embedding(5, 2, padding_idx=0))\n"
     "e = nn.Embedding(5, 2, padding_idx=-1); print(e.padding_idx, e.weight)\n"
     "print(list(dict(nn.LayerNorm(3, bias=False).named_parameters())))\n"
     "ln = nn.LayerNorm(3)\n"
     "x = torch.tensor([[1.0, 2.0, 4.0], [0.5, -1.0, 2.0]], requires_grad=True)\n"
     "y = ln(x)\n" "print(y)\n" "y.sum().backward()\n"
     "print(ln.weight.grad, ln.bias.grad)\n" "emb = nn.Embedding(4, 3)\n"
     "out = emb(torch.tensor([[0, 2], [3, 3]]))\n" "print(out)\n" "out.sum().backward()\n"
     "print(emb.weight.grad)\n",
     "LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True) "
     "LayerNorm((2, 3), eps=1e-06, elementwise_affine=False, bias=False) "
     "LayerNorm((3,), eps=1e-05, elementwise_affine=True, bias=False) "
     "Embedding(10, 3) Embedding(5, 2, padding_idx=0)\n" "4 Parameter containing:\n"
     "tensor([[ 0.6577,  0.9387],\n" "        [ 1.1317, -0.6455],\n"
     "        [-1.7703,  0.2143],\n" "        [-0.5382,  0.5880],\n"
     "        [ 0.0000,  0.0000]], requires_grad=True)\n" "['weight']\n"
     "tensor([[-1.0690, -0.2673,  1.3363],\n"
     "        [ 0.0000, -1.2247,  1.2247]], grad_fn=<NativeLayerNormBackward0>)\n"
     "tensor([-1.0690, -1.4920,  2.5610]) tensor([2., 2., 2.])\n"
     "tensor([[[-0.6776,  1.0422, -1.9513],\n" "         [ 1.2345, -1.1642, -0.0240]],\n"
     "\n" "        [[ 0.6480,  1.7340, -0.1336],\n"
     "         [ 0.6480,  1.7340, -0.1336]]], grad_fn=<EmbeddingBackward0>)\n"
     "tensor([[1., 1., 1.],\n" "        [0., 0., 0.],\n" "        [1., 1., 1.],\n"
     "        [2., 2., 2.]])\n"),
]


@pytest.mark.parametrize(("program", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_prints_what_pytorch_prints(program: str, expected: str) -> None:
    code, out, err = gd(program)
    assert (code, err) == (0, "")
    assert out == expected


@pytest.mark.parametrize("program", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_pytorch_prints_the_same(program: str) -> None:
    pytest.importorskip("torch")
    out, err = under_torch(program)
    assert err == ""
    assert out == gd(program)[1]


ERRORS: list[tuple[str, str, str]] = [
    ("assign-module-before-init",
     "class Net(nn.Module):\n    def __init__(self):\n        self.fc = nn.Linear(1, 1)\n"
     "Net()\n", "AttributeError: cannot assign module before Module.__init__() call"),
    ("assign-param-before-init",
     "class Net(nn.Module):\n    def __init__(self):\n"
     "        self.w = nn.Parameter(torch.ones(1))\nNet()\n",
     "AttributeError: cannot assign parameters before Module.__init__() call"),
    ("no-forward",
     "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
     "Net()(torch.ones(1))\n",
     'NotImplementedError: Module [Net] is missing the required "forward" function'),
    ("tensor-as-parameter", "m = nn.Linear(2, 2)\nm.weight = torch.ones(2, 2)\n",
     "TypeError: cannot assign 'torch.FloatTensor' as parameter 'weight' "
     "(torch.nn.Parameter or None expected)"),
    ("no-attribute", "nn.Linear(2, 2).foo\n",
     "AttributeError: 'Linear' object has no attribute 'foo'"),
    ("shape-mismatch", "nn.Linear(2, 2)(torch.ones(3))\n",
     "RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x3 and 2x2)"),
    ("dropout-p", "nn.Dropout(1.5)\n",
     "ValueError: dropout probability has to be between 0 and 1, but got 1.5"),
    ("sequential-index", "nn.Sequential(nn.ReLU())[3]\n",
     "IndexError: index 3 is out of range"),
    ("linear-arity", "nn.Linear(3)\n",
     "TypeError: Linear.__init__() missing 1 required positional argument: 'out_features'"),
    ("train-mode", "nn.ReLU().train(1)\n",
     "ValueError: training mode is expected to be boolean"),
    ("fan-of-vector", "nn.init.xavier_uniform_(torch.ones(3))\n",
     "ValueError: Fan in and fan out can not be computed for tensor with fewer than 2 "
     "dimensions"),
]


@pytest.mark.parametrize(("program", "expected"), [c[1:] for c in ERRORS],
                         ids=[c[0] for c in ERRORS])
def test_errors_are_pytorchs(program: str, expected: str) -> None:
    code, _, err = gd(program)
    assert code == 4
    assert err == expected.split(": ", 1)[1]
    torch = pytest.importorskip("torch")
    assert torch is not None
    assert under_torch(program)[1] == expected


MLP = """
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 5)
        self.fc2 = nn.Linear(5, 2)
    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))
model = MLP()
x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [0.0, 1.0, 1.0], [-2.0, 0.5, 0.75]])
y = torch.tensor([1, 0, 1, 1])
"""


def _numbers(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", text)]


def test_mlp_gradients_are_pytorchs() -> None:
    """Gradients of every parameter after one backward through Linear-tanh-Linear and
    cross_entropy: PyTorch's to float32 rounding (MKL's gemm and exp round their last bit
    their own way)."""
    program = MLP + ("torch.nn.functional.cross_entropy(model(x), y).backward()\n"
                     "for n, p in model.named_parameters():\n    print(n, p.grad.tolist())\n")
    code, out, _ = gd(program)
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == [
        "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    pytest.importorskip("torch")
    want, err = under_torch(program)
    assert err == ""
    assert [line.split()[0] for line in want.splitlines()] == [
        line.split()[0] for line in out.splitlines()]
    assert _numbers(out) == pytest.approx(_numbers(want), rel=1e-5, abs=1e-7)


def test_a_training_loop_prints_pytorchs_losses_bit_for_bit() -> None:
    """Linear regression by hand-written SGD over model.parameters(): every loss (all 17
    digits) and the final weights are PyTorch's."""
    program = ("x = torch.linspace(-1, 1, 8).unsqueeze(1)\n"
               "y = 3 * x + 0.5 + 0.1 * torch.randn(8, 1)\n"
               "model = nn.Sequential(nn.Linear(1, 1))\nloss_fn = nn.MSELoss()\n"
               "for epoch in range(30):\n    loss = loss_fn(model(x), y)\n"
               "    model.zero_grad()\n    loss.backward()\n    with torch.no_grad():\n"
               "        for p in model.parameters():\n            p -= 0.1 * p.grad\n"
               "    print(epoch, loss.item())\nprint(model[0].weight.item(), "
               "model[0].bias.item())\n")
    code, out, _ = gd(program)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "0 2.9290049076080322"
    assert lines[-1] == "2.819993734359741 0.48009198904037476"
    losses = [float(line.split()[1]) for line in lines[:30]]
    assert losses == sorted(losses, reverse=True)  # it learns
    pytest.importorskip("torch")
    assert under_torch(program) == (out, "")


HOSTILE = [
    "m.__dict__", "m._parameters.__class__.__dict__", "m._modules.__init__",
    "type(m).__mro__[-1].__subclasses__()", "m.forward.__globals__",
    "m.__class__.__dict__", "nn.Module.__subclasses__()", "m.parameters.__self__",
    "m.weight.__class__.__dict__", "nn.Parameter.__init__", "nn.Linear.__dict__", "m.forward.fn",
    "m.parameters().it", "getattr(m, '_parameters').__dict__", "setattr(m, '__class__', 1)",
    "m.__init__", "nn.init.__dict__", "nn.utils.os", "m.extra_repr.__func__",
    "type(m.weight).__mro__", "vars(m)", "nn.Module.mro()", "m.cls", "m.attrs", "m.params",
    "m.mods", "nn.Linear.forward.fn", "nn.Linear.attrs", "nn.Module.instance_type",
    "nn.Linear.forward = print", "del nn.Linear.forward", "nn.Module.x = 1",
    "m.parameters().method", "nn.Parameter.fn", "type(m.weight).fn", "nn.Module.__init__(3)",
    "nn.Linear.__init__(m.weight, 1, 1)", "nn.Module.__init__.fn",
]


@pytest.mark.parametrize("expr", HOSTILE)
def test_module_values_expose_nothing_of_the_host(expr: str) -> None:
    stmt = expr if "=" in expr or expr.startswith("del ") else f"print({expr})"
    code, out, err = gd(f"m = nn.Linear(2, 2)\n{stmt}\n")
    assert code == 4 and out == "" and err
    assert "0x" not in err and "gradcli." not in err and "Traceback" not in err


def test_a_program_cannot_change_a_built_in_class_for_the_next_run() -> None:
    code, _, err = gd("nn.Linear.forward = print\n")
    assert code == 4
    assert err == ("cannot set attribute 'forward' of the built-in class "
                   "'torch.nn.modules.linear.Linear' in gd")
    assert gd("print(nn.Linear(1, 1)(torch.ones(1)).grad_fn)\n")[1] == "<ViewBackward0 object>\n"


def test_a_parameter_formats_as_pytorchs() -> None:
    """Tensor.__format__ formats a 0-d plain tensor's item, a Parameter as str()."""
    code, out, _ = gd("p = nn.Parameter(torch.tensor(2.5))\nx = torch.tensor(1.5)\n"
                      "print(f'{x} {x:.2f} {p}')\nprint('%s' % p)\n")
    assert (code, out) == (0, "1.5 1.50 Parameter containing:\ntensor(2.5000, requires_grad=True)"
                              "\nParameter containing:\ntensor(2.5000, requires_grad=True)\n")
    code, _, err = gd("print(f'{nn.Parameter(torch.tensor(2.5)):.2f}')\n")
    assert (code, err) == (4, "unsupported format string passed to Parameter.__format__")


def test_unsupported_module_methods_say_so() -> None:
    code, _, err = gd("nn.Linear(1, 1).register_load_state_dict_post_hook(print)\n")
    assert (code, err) == (
        4, "'Module.register_load_state_dict_post_hook' is not supported by gradcli")
    code, _, err = gd("nn.utils.prune.PruningContainer\n")
    assert (code, err) == (
        4, "'torch.nn.utils.prune.PruningContainer' is not supported by gradcli")
