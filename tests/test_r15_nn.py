"""torch.nn programs, round 15: the forms real tutorial and Q&A code writes -- a module's
own dicts (`_modules`, `_parameters`, `_buffers`) read and written, the containers' list and
dict methods (Sequential.insert/pop/extend/del/+/*, ParameterDict's dict methods),
convolutions with padding='same' and a padding_mode.

Each case is a program valid under both gd and PyTorch; with torch installed the test
compares gd's output with PyTorch's, byte for byte (tests/pyrun.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from pyrun import gd_output, torch_output

from gradcli.ad.kernels import onednn_conv

PRELUDE = ("import math\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
           "torch.manual_seed(0)\n"
           "def tryit(f):\n    try:\n        print('ok', f())\n"
           "    except Exception as e:\n        print(type(e).__name__, e)\n")

CASES = {
    # padding='same' (and 'valid') with a padding_mode other than zeros: PyTorch's
    # _reversed_padding_repeated_twice, the odd element of d*(k-1) on the right.
    "conv-same-padding-mode": """
for mode in ['reflect', 'replicate', 'circular', 'zeros']:
    for k, d in [(3, 1), (4, 1), (3, 2), (2, 3)]:
        c = nn.Conv1d(2, 3, k, padding='same', dilation=d, padding_mode=mode)
        x = torch.randn(1, 2, 9, requires_grad=True)
        y = c(x)
        y.pow(2).sum().backward()
        print(mode, k, d, y.shape, f"{y.sum().item():.4f}", f"{x.grad.abs().sum().item():.4f}")
    c2 = nn.Conv2d(2, 2, (3, 4), padding='same', padding_mode=mode)
    print(c2, c2(torch.randn(1, 2, 5, 6)).sum().item() != 0)
    print(nn.Conv2d(2, 2, 3, padding='valid', padding_mode=mode)(torch.randn(1, 2, 5, 5)).shape)
""",
    # A module's own dicts, live: reading them as PyTorch's dicts and editing them (the
    # replace-a-layer idiom), and what a child set to None leaves.
    "module-private-dicts": """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.bn = nn.BatchNorm1d(4)
        self.fc2 = nn.Linear(4, 2)
        self.scale = nn.Parameter(torch.tensor(2.0))
        self.register_buffer('steps', torch.zeros(()), persistent=False)
    def forward(self, x):
        return self.fc2(torch.relu(self.bn(self.fc1(x)))) * self.scale
net = Net()
print(type(net._modules).__name__, list(net._modules.keys()))
print(list(net._parameters), list(net._buffers))
print(net.bn._buffers.keys(), net._non_persistent_buffers_set)
for name, m in net._modules.items():
    print(name, type(m).__name__, list(m._parameters))
print(net.fc1._parameters['weight'].shape, net._parameters['scale'])
net._modules['fc2'] = nn.Linear(4, 5)
print(net.fc2, net(torch.randn(3, 3)).shape)
del net._modules['bn']
print(net)
print(list(net.state_dict()))
net._parameters['scale'] = None
print(net.scale, [n for n, _ in net.named_parameters()])
seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
print(list(seq._modules.values())[-1])
seq._modules.pop('1')
print(seq)
class Bad(nn.Module):
    def __init__(self):
        pass
tryit(lambda: Bad()._modules)
tryit(lambda: Bad()._parameters)
""",
    # Sequential and ModuleList as lists, as container.py has them.
    "sequential-list-methods": """
seq = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
tryit(lambda: seq.insert(1, nn.Dropout(0.1)))
tryit(lambda: seq.insert(-1, nn.ReLU()))
tryit(lambda: seq.insert(9, nn.ReLU()))
tryit(lambda: seq.insert(0, 3))
tryit(lambda: seq.pop(1))
tryit(lambda: seq.pop(-1))
tryit(lambda: seq.extend([nn.ReLU(), nn.Sigmoid()]))
tryit(lambda: seq.extend([3]))
del seq[3]
print(seq)
del seq[1:3]
print(seq)
seq[0] = nn.Linear(2, 3, bias=False)
print(seq)
tryit(lambda: seq + nn.Sequential(nn.ReLU()))
tryit(lambda: seq + [nn.ReLU()])
tryit(lambda: nn.Sequential(nn.ReLU(), nn.Tanh()) * 2)
tryit(lambda: 2 * nn.Sequential(nn.ReLU()))
tryit(lambda: nn.Sequential(nn.ReLU()) * 0)
tryit(lambda: nn.Sequential(nn.ReLU()) * 'a')
s2 = nn.Sequential(nn.ReLU())
s2 += nn.Sequential(nn.Tanh())
s2 *= 2
print(s2, len(s2))
for bad in [10, -10, 'a', 1.0, torch.tensor(1.0), torch.tensor([0, 1]), torch.tensor(1)]:
    tryit(lambda: seq[bad])
    tryit(lambda: nn.ModuleList([nn.ReLU()])[bad])
    tryit(lambda: nn.ParameterList([torch.ones(1), torch.ones(2)])[bad])
print(seq[0] in seq, nn.Linear(2, 2) in seq)
ml = nn.ModuleList([nn.ReLU(), nn.Tanh()])
ml += [nn.Sigmoid()]
print(ml + nn.ModuleList([nn.ELU()]), ml.pop(0), len(ml))
print(ml[-1], ml[::2])
""",
    # ModuleDict's and ParameterDict's dict methods; ParameterDict takes a plain dict's
    # items sorted, an OrderedDict's in order.
    "module-and-parameter-dicts": """
from collections import OrderedDict
md = nn.ModuleDict({'a': nn.ReLU(), 'b': nn.Tanh()})
print('a' in md, 'z' in md)
del md['a']
print(md, len(md), md.keys(), md.values(), md.items())
tryit(lambda: md['zz'])
pd = nn.ParameterDict({'w': nn.Parameter(torch.ones(2)), 'b': torch.zeros(1), 'n': 3})
print(pd, list(pd))
print('w' in pd, pd.get('w'), pd.get('zz', 5), pd['n'])
print(pd.keys(), list(pd.values()), list(pd.items()))
print(pd.setdefault('c', nn.Parameter(torch.ones(1))), pd.setdefault('c', 7))
print(pd.popitem())
pd2 = pd.copy()
print(pd2)
del pd['w']
print(pd, len(pd), list(reversed(pd2)))
print(pd2 | nn.ParameterDict({'q': torch.ones(1)}))
pd2 |= nn.ParameterDict(OrderedDict([('z', torch.ones(1)), ('a', torch.ones(1))]))
print(list(pd2), [n for n, _ in pd2.named_parameters()])
tryit(lambda: pd['missing'])
tryit(lambda: pd[3])
tryit(lambda: pd.pop('missing'))
print(pd.fromkeys(['x', 'y']))
pd.clear()
print(pd, len(pd))
tryit(lambda: pd.popitem())
tryit(lambda: pd(1))
pl = nn.ParameterList([nn.Parameter(torch.ones(2)), torch.zeros(3), 'str'])
pl += [nn.Parameter(torch.zeros(1))]
pl.append(torch.ones(4))
print(pl, len(pl), pl[1:3], [n for n, _ in pl.named_parameters()])
pl[0] = torch.full((2,), 5.0)
print(pl[0], list(pl)[2])
tryit(lambda: pl(1))
""",
    # torch.utils.checkpoint runs the function again where PyTorch does: the reentrant
    # variant in its node's backward (after a no_grad forward), the non-reentrant one at
    # the first read of a saved tensor in each backward pass, stopping once it saved what
    # the forward saved (early_stop); both with the forward's RNG state (dropout's mask),
    # so a BatchNorm inside updates its statistics twice, hooks and prints run twice.
    "checkpoint-reruns": """
from torch.utils.checkpoint import checkpoint, checkpoint_sequential
torch.manual_seed(0)
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.bn = nn.BatchNorm1d(4)
        self.drop = nn.Dropout(0.3)
    def forward(self, x):
        print('  block', x.requires_grad, torch.is_grad_enabled())
        return self.drop(torch.relu(self.bn(self.fc(x))))
for ur in [False, True]:
    torch.manual_seed(1)
    b = Block()
    b.register_forward_hook(lambda m, i, o: print('  hook', o.shape))
    x = torch.randn(5, 4, requires_grad=True)
    y = checkpoint(b, x, use_reentrant=ur)
    print(ur, y.grad_fn.name(), b.bn.num_batches_tracked.item())
    (y ** 2).sum().backward()
    print(b.bn.running_mean, b.bn.num_batches_tracked)
    print(x.grad[0], b.fc.weight.grad[0])
    print(torch.rand(2))
def two(a, b):
    print('  two')
    return a * b, (a + b).exp()
for ur in [False, True]:
    a = torch.randn(3, requires_grad=True)
    c = torch.randn(3, requires_grad=True)
    p, q = checkpoint(two, a, c, use_reentrant=ur)
    (p.sum() + q.sum()).backward()
    print(a.grad, c.grad)
m = nn.Linear(3, 3)
inp = torch.randn(2, 3)
o = checkpoint(m, inp, use_reentrant=True)
print(o.requires_grad)
o = checkpoint(m, inp, use_reentrant=False)
print(o.requires_grad, o.grad_fn.name())
o.sum().backward()
print(m.weight.grad)
seq = nn.Sequential(*[nn.Sequential(nn.Linear(3, 3), nn.Tanh()) for _ in range(4)])
for i, s in enumerate(seq):
    s.register_forward_pre_hook(lambda mod, args, i=i: print('  seg', i))
x = torch.randn(2, 3, requires_grad=True)
for ur in [False, True]:
    out = checkpoint_sequential(seq, 2, x, use_reentrant=ur)
    print('bwd')
    out.sum().backward()
print(x.grad)
def k(x, scale=1.0):
    print('  k', scale)
    return x.sin() * scale
x = torch.randn(3, requires_grad=True)
checkpoint(k, x, scale=3.0, use_reentrant=False).sum().backward()
print(x.grad)
y = checkpoint(k, x, use_reentrant=False, early_stop=False)
y.sum().backward()
g, = torch.autograd.grad(checkpoint(k, x, use_reentrant=False).sum(), x)
print(g)
""",
    "checkpoint-early-stop": """
from torch.utils.checkpoint import checkpoint
def f1(x):
    print('  f1 start')
    y = x.sin()
    print('  f1 end')
    return y
def f2(x):
    print('  f2 start')
    return x * 2 + 1
def f3(x):
    print('  f3 start')
    y = x.exp()
    z = y.sum()
    print('  f3 mid')
    w = z * x
    print('  f3 end')
    return w
for f in [f1, f2, f3]:
    x = torch.randn(3, requires_grad=True)
    y = checkpoint(f, x, use_reentrant=False)
    print('bwd')
    y.sum().backward()
    print('done')
    y = checkpoint(f, x, use_reentrant=True)
    print('bwd r')
    y.sum().backward()
    print('done r')
x = torch.randn(3, requires_grad=True)
y = checkpoint(f1, x, use_reentrant=False)
z = checkpoint(f3, y, use_reentrant=False)
z.sum().backward()
print('two done')
y = checkpoint(f1, x, use_reentrant=False)
y.sum().backward(retain_graph=True)
y.sum().backward()
print('twice')
""",
    # torch.compile(module): PyTorch's OptimizedModule around it (its repr, the _orig_mod.
    # prefix of state_dict keys and parameter names, loading the bare module's state_dict
    # refused, attributes and `training` the module's), outputs with CompiledFunctionBackward.
    # (aot_eager: PyTorch's wrapper and node without inductor's code generation.)
    "torch-compile-wrapper": """
torch.manual_seed(0)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)
        self.scale = 3
    def forward(self, x):
        return self.fc(x).relu()
m = Net()
cm = torch.compile(m, backend="aot_eager")
print(cm.fc, cm.scale, cm.training)
cm.eval()
print(m.training, cm.training)
print(type(cm), isinstance(cm, nn.Module), isinstance(cm, Net))
print(len(list(cm.parameters())), [n for n, _ in cm.named_modules()])
print(cm.state_dict().keys())
try:
    cm.load_state_dict(m.state_dict())
except Exception as e:
    print(type(e).__name__, e)
print(m.load_state_dict({k.replace('_orig_mod.', ''): v for k, v in cm.state_dict().items()}))
y = cm(torch.ones(1, 2))
print(y, y.grad_fn.name())
with torch.no_grad():
    print(cm(torch.ones(1, 2)))
cm.scale = 5
print(m.scale, cm.__class__.__name__ if False else '')
opt = torch.optim.SGD(cm.parameters(), lr=0.1)
print(opt.param_groups[0]['params'][0] is m.fc.weight)
print(torch.compile(nn.Linear(1, 1), backend="aot_eager"))
print(cm.dynamo_ctx if False else '', cm._orig_mod.fc)
@torch.compile(backend="aot_eager")
def f(x):
    return x.sin() + 1
print(f(torch.ones(2, requires_grad=True)))
""",
    # A small CNN's training loop printing its loss to 6 digits: the float32 convolutions
    # PyTorch runs on oneDNN give its bits (kernels/onednn_conv.py).
    "cnn-loss-bits": """
torch.manual_seed(0)
# typical small CNN on MNIST-shaped data
class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.conv2 = nn.Conv2d(4, 8, 3, stride=2)
        self.pool = nn.MaxPool2d(2)
        self.dropout = nn.Dropout2d(0.25)
        self.fc = nn.Linear(8 * 3 * 3, 10)
    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = self.pool(x)
        x = F.relu(self.conv2(x))
        x = self.dropout(x)
        x = torch.flatten(x, 1)
        return F.log_softmax(self.fc(x), dim=1)
model = CNN()
print(model)
opt = torch.optim.Adadelta(model.parameters(), lr=1.0)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.7)
x = torch.randn(8, 1, 14, 14)
y = torch.randint(0, 10, (8,))
for epoch in range(3):
    model.train()
    opt.zero_grad()
    out = model(x)
    loss = F.nll_loss(out, y)
    loss.backward()
    opt.step()
    sched.step()
    model.eval()
    with torch.no_grad():
        pred = model(x).argmax(dim=1, keepdim=True)
        correct = pred.eq(y.view_as(pred)).sum().item()
    print(f"Epoch {epoch}: loss={loss.item():.6f} acc={100. * correct / len(y):.0f}%")
print(model.conv1.weight.grad.abs().sum())
print(sum(p.numel() for p in model.parameters()))
""",
    # nn.Module's class attributes and small methods real code reads.
    "module-class-attributes": """
m = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
print(m._version, m.dump_patches, m.call_super_init, nn.Module.dump_patches)
print(m._get_name(), m[0]._get_name(), m.share_memory() is m)
""",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    text = PRELUDE + CASES[name]
    assert gd_output(text) == torch_output(text)


HOSTILE = ["torch.compile(nn.Linear(1, 1)).__dict__", "torch.compile(nn.Linear(1, 1)).mods",
           "torch.compile(nn.Linear(1, 1))._orig_mod.__dict__", "torch.compile(f).wrapped",
           "torch.compile(f).fn", "torch.compile(f).__globals__", "torch.compile(f).__wrapped__",
           "torch.compile(nn.Linear(1, 1)).forward.__func__", "nn.Linear(1, 1)._modules.mods",
           "nn.ParameterDict()._keys.__class__.__dict__", "nn.Sequential().__add__"]


@pytest.mark.parametrize("expr", HOSTILE)
def test_new_values_expose_nothing_of_the_host(expr: str) -> None:
    out = gd_output(f"import torch\nimport torch.nn as nn\ndef f(x):\n    return x\n"
                    f"print({expr})\n")
    assert out.startswith("GdError ") and "0x" not in out and "gradcli." not in out


def test_onednn_convolution_bits() -> None:
    """conv_values gives torch's float32 conv1d/conv2d bits wherever ATen picks oneDNN and
    the order is the measured one (random shapes, strides, dilations, padding, biases)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    torch.manual_seed(0)
    checked = 0
    for trial in range(300):
        nd = int(rng.integers(1, 3))
        cg, og, n = int(rng.integers(1, 20)), int(rng.integers(1, 6)), int(rng.integers(1, 5))
        k, s, d = (tuple(int(v) for v in rng.integers(lo, hi, nd))
                   for lo, hi in ((1, 5), (1, 3), (1, 3)))
        p = tuple(int(v) for v in rng.integers(0, 2, nd))
        x = torch.randn(n, cg, *(int(v) for v in rng.integers(6, 12, nd)))
        w, b = torch.randn(og, cg, *k), torch.randn(og) if trial % 3 else None
        if (not onednn_conv.uses_onednn(tuple(x.shape), k, s, d, 1)
                or not onednn_conv.measured(k, 1, any(p))):
            continue
        try:
            t = (torch.nn.functional.conv1d if nd == 1 else torch.nn.functional.conv2d)(
                x, w, b, s, p, d).numpy()
        except RuntimeError:
            continue
        xp = np.pad(x.numpy(), [(0, 0), (0, 0)] + [(q, q) for q in p])
        got = onednn_conv.conv_values(xp, w.numpy(), None if b is None else b.numpy(), s, d,
                                      1, t.shape[2:])
        if got is not None:
            checked += 1
            assert np.array_equal(got, t), (x.shape, w.shape, s, d, p)
    assert checked > 50
