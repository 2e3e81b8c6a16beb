"""torch.nn programs, round 16: the forms real tutorial and Q&A code writes -- LayerNorm's
forward statistics and backward as PyTorch's CPU kernels round them (transformers' d_model
of 256 and more, the gradients of every LayerNorm), batch_first RNN/GRU outputs as the
strided views PyTorch returns (their sums' order), a module's hook dicts (`_forward_hooks`...).

Each case is a program valid under both gd and PyTorch; with torch installed the test
compares gd's output with PyTorch's, byte for byte (tests/pyrun.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from pyrun import gd_output, torch_output

from gradcli.ad.kernels import normalization as KNorm

PRELUDE = ("import math\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
           "torch.manual_seed(0)\n"
           "def tryit(f):\n    try:\n        print('ok', f())\n"
           "    except Exception as e:\n        print(type(e).__name__, e)\n")

CASES = {
    # LayerNorm's backward as layer_norm_backward_frame rounds it (dx, dw, db; the
    # gradient of a sum of squares is all rounding), with create_graph too, and the
    # statistics of a row of 300 (three Welford chunks merged).
    "layernorm-backward-bits": """
x = torch.randn(4, 10, 32, requires_grad=True)
ln = nn.LayerNorm(32)
(ln(x) ** 2).sum().backward()
print(x.grad.sum().item(), x.grad[1, 2, :5].tolist())
print(ln.weight.grad[:5].tolist(), ln.bias.grad[:3].tolist())
ln = nn.LayerNorm(6)
x = torch.randn(3, 6, requires_grad=True)
g, = torch.autograd.grad((ln(x) * torch.randn(3, 6)).sum(), x, create_graph=True)
print(g.grad_fn.name(), g.tolist()[0])
x2 = torch.randn(2, 5, 300, requires_grad=True)
ln2 = nn.LayerNorm(300)
out = ln2(x2)
print(out.sum().item(), out[1, 4, :3].tolist())
(out * torch.randn_like(out)).sum().backward()
print(x2.grad[1, 2, :4].tolist(), ln2.weight.grad[:4].tolist())
xd = torch.randn(3, 7, dtype=torch.float64, requires_grad=True)
F.layer_norm(xd, (7,), torch.randn(7, dtype=torch.float64)).pow(3).sum().backward()
print(xd.grad.tolist()[2])
""",
    # batch_first RNN and GRU outputs are the transposed (non-contiguous) view ATen's
    # transpose_ leaves: strides and the order of a sum over them.
    # A UNet block's GroupNorm: forward and float32 gradients as PyTorch's kernels round
    # them; under create_graph PyTorch's composite formula (its last node a view).
    "groupnorm-bits": """
gn = nn.GroupNorm(4, 8)
with torch.no_grad():
    gn.weight.normal_()
x = torch.randn(4, 8, 6, 6, requires_grad=True)
y = gn(x)
print(y.sum().item(), y[1, 3, 2].tolist())
y.backward(torch.randn_like(y))
print(x.grad[2, 5, 1].tolist(), gn.weight.grad.tolist(), gn.bias.grad.tolist())
x.grad = None
g, = torch.autograd.grad(gn(x).pow(2).sum(), x, create_graph=True)
print(g.grad_fn.name())
print(nn.GroupNorm(3, 6, affine=False)(torch.randn(2, 6, 5).double()).sum().item())
""",
    # The import forms and base classes real code uses: torch.nn.parameter's Parameter,
    # isinstance(m, nn.RNNBase / nn.RNNCellBase) to pick the recurrent weights to init, an
    # LSTM given a 1-tuple hx (PyTorch reads hx[1]).
    "rnn-bases-and-imports": """
from torch.nn.parameter import Parameter
from torch.nn import Module, Linear
class M(Module):
    def __init__(self):
        super().__init__()
        self.w = Parameter(torch.randn(3))
        self.fc = Linear(3, 1)
    def forward(self, x):
        return self.fc(x * self.w)
m = M()
print(isinstance(m.w, nn.Parameter), [n for n, _ in m.named_parameters()])
print(isinstance(nn.LSTM(2, 3), nn.RNNBase), isinstance(nn.GRUCell(2, 3), nn.RNNCellBase))
print(isinstance(nn.Linear(1, 1), nn.RNNBase), issubclass(nn.GRU, nn.RNNBase))
print(nn.RNNBase('GRU', 2, 3), nn.RNNBase('LSTM', 2, 3, batch_first=True))
for mod in [nn.LSTM(2, 3), nn.GRUCell(2, 3), nn.Linear(2, 2)]:
    if isinstance(mod, (nn.RNNBase, nn.RNNCellBase)):
        for n, p in mod.named_parameters():
            if 'weight_hh' in n:
                nn.init.orthogonal_(p)
        w = mod.weight_hh_l0 if hasattr(mod, 'weight_hh_l0') else mod.weight_hh
        print(type(mod).__name__, w[0])
tryit(lambda: nn.LSTM(3, 4)(torch.randn(5, 2, 3), (torch.zeros(1, 2, 4),)))
""",
    "rnn-batch-first-layout": """
for cls in [nn.RNN, nn.GRU, nn.LSTM]:
    for bi in [False, True]:
        m = cls(3, 4, batch_first=True, bidirectional=bi, num_layers=2)
        o, h = m(torch.randn(2, 5, 3))
        print(cls.__name__, bi, o.stride(), o.is_contiguous(), o.grad_fn.name())
rnn = nn.RNN(3, 4, nonlinearity='relu', batch_first=True)
o, h = rnn(torch.randn(2, 5, 3))
print(o.sum().item(), o.mean().item())
o.sum().backward()
print(rnn.weight_hh_l0.grad.tolist()[0])
with torch.no_grad():
    o, h = nn.GRU(3, 4, batch_first=True)(torch.randn(2, 5, 3))
print(o.stride(), o.sum().item())
""",
    # A module's hook dicts (PyTorch's OrderedDicts keyed by the handle's id, the ids counted
    # with tensors' hooks): read, cleared, replaced, copied by deepcopy; the hooks that run.
    "module-hook-dicts": """
import copy
from collections import OrderedDict
net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
x = torch.randn(2, 3, requires_grad=True)
base = x.register_hook(lambda g: g * 2).id  # torch's ids count the process's handles
def fwd(m, i, o):
    print('fwd', type(m).__name__, o.shape)
def fwd2(m, i, o):
    print('fwd2', type(m).__name__)
def pre_kw(m, args, kwargs):
    print('pre_kw', len(args), kwargs)
h1 = net[0].register_forward_hook(fwd)
h2 = net[0].register_forward_hook(fwd2, prepend=True)
h3 = net[2].register_forward_pre_hook(pre_kw, with_kwargs=True)
h4 = net[2].register_forward_hook(fwd, always_call=True)
print([h.id - base for h in (h1, h2, h3, h4)], net[0]._forward_hooks[h1.id] is fwd)
print([k - base for k in net[0]._forward_hooks],
      list(net[2]._forward_pre_hooks_with_kwargs.values()),
      [k - base for k in net[2]._forward_hooks_always_called])
print(net[0]._forward_hooks_with_kwargs, net[1]._forward_hooks, net[1]._backward_pre_hooks,
      net._is_full_backward_hook)
net(x).sum().backward()
net2 = copy.deepcopy(net)
print(len(net2[0]._forward_hooks), net2[0]._forward_hooks is net[0]._forward_hooks)
h1.remove()
print(len(net[0]._forward_hooks), len(net2[0]._forward_hooks))
net[0]._forward_hooks = OrderedDict()
net(x)
for m in net.modules():
    m._forward_hooks.clear()
    m._forward_pre_hooks.clear()
net(x)
bh = net[2].register_full_backward_hook(lambda m, gi, go: print('bwd', go[0].shape))
print(net[2]._is_full_backward_hook, [k - base for k in net[2]._backward_hooks])
net(x).sum().backward()
net[2]._backward_hooks.clear()
net(x).sum().backward()
nn.utils.weight_norm(net[0])
print(len(net[0]._forward_pre_hooks), bh.id - base)
nn.utils.remove_weight_norm(net[0])
print(len(net[0]._forward_pre_hooks), len(net2[2]._forward_hooks))
""",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    text = PRELUDE + CASES[name]
    assert gd_output(text) == torch_output(text)


def test_layer_norm_backward_bits() -> None:
    """layer_norm_backward gives torch's dx, dw and db bits (float32 and float64, with and
    without an affine weight, rows with and without a vector tail, several thread chunks)."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(3)
    for m, n, dtype, affine in [(8, 16, torch.float32, True), (4, 13, torch.float32, False),
                                (1, 20, torch.float32, True), (9, 100, torch.float32, True),
                                (3, 7, torch.float64, True), (6, 33, torch.float64, False),
                                (64, 128, torch.float64, True), (5, 3, torch.float32, True),
                                (17, 260, torch.float32, True), (2, 1, torch.float32, True)]:
        x = torch.randn(m, n, dtype=dtype, requires_grad=True)
        w = torch.randn(n, dtype=dtype, requires_grad=True) if affine else None
        b = torch.randn(n, dtype=dtype, requires_grad=True) if affine else None
        y = torch.nn.functional.layer_norm(x, (n,), w, b)
        g = torch.randn_like(y)
        y.backward(g)
        got = KNorm.layer_norm_backward(g.numpy(), x.detach().numpy(),
                                        None if w is None else w.detach().numpy(), (1,), 1e-5)
        assert got is not None
        assert np.array_equal(got[0], x.grad.numpy()), (m, n, dtype)
        if affine:
            assert w is not None and b is not None
            assert np.array_equal(got[1], w.grad.numpy()), (m, n, dtype)
            assert np.array_equal(got[2], b.grad.numpy()), (m, n, dtype)


def test_layer_norm_moments_bits() -> None:
    """rowwise_moments gives torch's mean and rstd for rows of 2 to 16 Welford chunks."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(1)
    for dtype in (torch.float32, torch.float64):
        for n in (64, 100, 200, 256, 512, 768, 1000, 2000):
            x = torch.randn(3, n, dtype=dtype) * 3 + 1
            _, mean, rstd = torch.native_layer_norm(x, (n,), None, None, 1e-5)
            m, v = KNorm.rowwise_moments(x.numpy())
            r = (1 / np.sqrt(v + np.asarray(1e-5, v.dtype))).astype(v.dtype)
            assert np.array_equal(m, mean.numpy().ravel()), (dtype, n)
            assert np.array_equal(r, rstd.numpy().ravel()), (dtype, n)


def test_layer_norm_fast_and_slow_vjp_agree() -> None:
    """The array VJP (a plain backward) and the differentiable one (create_graph) give the
    same bits."""
    prog = PRELUDE + """
x = torch.randn(5, 24, requires_grad=True)
ln = nn.LayerNorm(24)
w = torch.randn(5, 24)
a = torch.autograd.grad((ln(x) * w).sum(), [x, ln.weight, ln.bias])
b = torch.autograd.grad((ln(x) * w).sum(), [x, ln.weight, ln.bias], create_graph=True)
print([torch.equal(p, q) for p, q in zip(a, b)])
"""
    assert gd_output(prog) == "[True, True, True]\n"


def test_group_norm_bits() -> None:
    """group_norm's forward gives torch's bits (float32 and float64, affine or not) and
    group_norm_backward torch's dx, dw and db (float32 and float64; channels per group
    below, at and above a vector; one to many groups; planes with and without a vector
    tail)."""
    torch = pytest.importorskip("torch")
    from gradcli.ad.kernels import group_norm as KG

    torch.manual_seed(7)
    for shape, groups in [((2, 4, 3, 3), 2), ((4, 8, 6, 6), 4), ((3, 6, 5), 3),
                          ((2, 16, 8, 8), 8), ((1, 32, 4, 4), 32), ((2, 6, 10), 1),
                          ((3, 24, 5, 5), 2), ((2, 64, 3, 3), 4), ((5, 12), 3)]:
        for dtype in (torch.float32, torch.float64):
            for affine in (True, False):
                x = torch.randn(*shape, dtype=dtype, requires_grad=True)
                gn = torch.nn.GroupNorm(groups, shape[1], affine=affine).to(dtype)
                if affine:
                    with torch.no_grad():
                        gn.weight.normal_()
                        gn.bias.normal_()
                w = gn.weight.detach().numpy() if affine else None
                b = gn.bias.detach().numpy() if affine else None
                y = gn(x)
                assert np.array_equal(KG.group_norm(x.detach().numpy(), w, b, groups, 1e-5),
                                      y.detach().numpy()), (shape, dtype, affine)
                gy = torch.randn_like(y)
                y.backward(gy)
                got = KG.group_norm_backward(gy.numpy(), x.detach().numpy(), w, groups, 1e-5)
                assert got is not None
                assert np.array_equal(got[0], x.grad.numpy()), (shape, affine)
                if affine:
                    assert np.array_equal(got[1], gn.weight.grad.numpy()), shape
                    assert np.array_equal(got[2], gn.bias.grad.numpy()), shape


HOSTILE = ["nn.Linear(1, 1).register_forward_hook(f).hooks",
           "nn.Linear(1, 1).register_forward_hook(f).extra",
           "nn.Linear(1, 1).register_forward_hook(f).__class__.__dict__",
           "nn.Linear(1, 1)._forward_hooks.__class__.__mro__",
           "nn.Linear(1, 1).hooks", "nn.Linear(1, 1)._forward_hooks.__dict__"]


@pytest.mark.parametrize("expr", HOSTILE)
def test_hook_values_expose_nothing_of_the_host(expr: str) -> None:
    out = gd_output(f"import torch\nimport torch.nn as nn\ndef f(*a):\n    return None\n"
                    f"print({expr})\n")
    assert out.startswith("GdError ") and "0x" not in out and "gradcli." not in out
