"""Round 20 (real): what real PyTorch programs nobody here wrote showed, each compared
with what PyTorch prints: `x.__class__` of every value (teaching code prints
`y.grad_fn.__class__.__name__` and walks the graph by class name), a library class's
`__qualname__`, torch.nn.grad's convolution gradients, torch.nn.utils.prune and
parametrizations.orthogonal."""

# ruff: noqa: E501  (the programs are written as their authors wrote them)
from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

# x.__class__ is type(x) for every value (refused before round 20 except for instances
# of the program's own classes); __qualname__ of PyTorch's classes is the class's name.
CLASS_OF_VALUES = """\
import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * 3).exp().sum()
print(y.grad_fn.__class__.__name__, type(y.grad_fn).__name__, y.grad_fn.__class__)
def walk(fn, depth=0):
    if fn is None:
        return
    print("  " * depth + fn.__class__.__name__)
    for nxt, _ in fn.next_functions:
        walk(nxt, depth + 1)
walk(y.grad_fn)
print(x.__class__, (3).__class__, "s".__class__.__name__, [1].__class__, {}.__class__.__name__, 2.5.__class__)
print(x.__class__ is torch.Tensor, x.__class__ == type(x), x.dtype.__class__, torch.nn.Linear(1, 1).__class__)
print(torch.nn.Parameter(torch.ones(1)).__class__.__name__, x.shape.__class__, (1, 2).__class__.__name__)
print(None.__class__, True.__class__, x.grad_fn.__class__, torch.device('cpu').__class__, print.__class__)
print(type(x).__name__, x.__class__.__qualname__, torch.nn.Linear.__qualname__, torch.optim.SGD.__qualname__)
print(torch.nn.Linear(1, 1).__class__.__qualname__, torch.utils.data.DataLoader.__qualname__, torch.nn.Linear.__name__)
class A:
    class B:
        pass
def f():
    class C:
        pass
    return C
print(A.B.__qualname__, f().__qualname__, A().__class__.__qualname__, ValueError.__qualname__, A.__class__)
def describe(v):
    cls = v.__class__
    if cls is torch.Tensor:
        return f"Tensor{tuple(v.shape)}"
    if cls in (int, float):
        return f"{cls.__name__}:{v}"
    if cls is list:
        return "[" + ", ".join(describe(e) for e in v) + "]"
    return cls.__name__
print(describe([1, 2.5, torch.zeros(2, 3), "s", None, (1,), {'a': 1}]))
print([{int: lambda v: v * 2, str: lambda v: v.upper()}[x.__class__](x) for x in [3, "ab"]])
print((1.5).__class__(2), "x".__class__(5), [].__class__((1, 2)), "{0.__class__}".format(1), f"{x.__class__}")
m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU())
def init(mod):
    classname = mod.__class__.__name__
    if classname.find('Linear') != -1:
        print('init', classname)
m.apply(init)
s = x.sum()
print(s.grad_fn.next_functions[0][0].__class__.__name__, s.grad_fn.next_functions[0][0].__class__)
h = x.register_hook(lambda g: g)
h2 = m.register_forward_hook(lambda *a: None)
print(type(h), h.__class__.__name__, type(h2))
from torch.autograd.graph import register_multi_grad_hook
print(type(register_multi_grad_hook((x,), lambda g: None)))
"""

# torch.nn.grad's convolution gradients (stride, padding, dilation, groups; under no_grad;
# `import torch.nn.grad` and `from torch.nn.grad import ...`), refused before round 20.
NN_GRAD = """\
import torch
import torch.nn.grad
from torch.nn.grad import conv2d_input, conv3d_weight
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(2, 4, 7, dtype=torch.float64)
w = torch.randn(6, 2, 3, dtype=torch.float64)
go = torch.randn(2, 6, 4, dtype=torch.float64)
with torch.no_grad():
    print(torch.nn.grad.conv1d_input(x.shape, w, go, stride=2, padding=1, dilation=1, groups=2))
    print(torch.nn.grad.conv1d_weight(x, w.shape, go, 2, 1, 1, 2))
x2 = torch.randn(1, 2, 6, 5); w2 = torch.randn(3, 2, 3, 2); go2 = torch.randn(1, 3, 1, 2)
print(conv2d_input([1, 2, 6, 5], w2, go2, stride=(2, 3), padding=(0, 1), dilation=(2, 1)).sum(), torch.nn.grad.conv2d_weight(x2, (3, 2, 3, 2), go2, stride=(2, 3), padding=(0, 1), dilation=(2, 1)).shape)
x3 = torch.randn(1, 1, 3, 3, 3); go3 = torch.randn(1, 2, 2, 2, 2)
print(conv3d_weight(x3, (2, 1, 2, 2, 2), go3).shape, torch.nn.grad.conv3d_input((1, 1, 3, 3, 3), torch.ones(2, 1, 2, 2, 2), go3).shape)
"""

# torch.nn.utils.prune (refused before round 20): the masks PyTorch computes (its random
# draws, topk of |w|, n-norms of slices), iterative and global pruning, remove(), the
# pre-hook's class, the messages (the hook ids and addresses are left out: PyTorch's count
# across the test process).
PRUNE = """\
# nn.utils.prune (the pruning tutorial's calls)
import torch
import torch.nn as nn
import torch.nn.utils.prune as prune
torch.manual_seed(10)
lin = nn.Linear(5, 3)
prune.random_unstructured(lin, name="weight", amount=0.3)
print([n for n, _ in lin.named_parameters()], [n for n, _ in lin.named_buffers()])
print(lin.weight_mask)
prune.l1_unstructured(lin, name="bias", amount=1)
print(lin.bias, lin.bias_mask)
prune.remove(lin, 'weight')
print([n for n, _ in lin.named_parameters()])
conv = nn.Conv2d(1, 4, 3)
prune.ln_structured(conv, name="weight", amount=0.5, n=2, dim=0)
print(conv.weight_mask.sum((1, 2, 3)))
print(prune.is_pruned(conv), prune.is_pruned(nn.Linear(1, 1)))
m = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
prune.global_unstructured([(m[0], 'weight'), (m[2], 'weight')], pruning_method=prune.L1Unstructured, amount=0.5)
print(float(m[0].weight.eq(0).sum() + m[2].weight.eq(0).sum()), m[0].weight_mask.sum())
prune.l1_unstructured(m[0], 'weight', amount=2)
print(m[0].weight_mask.sum(), [type(h).__name__ for h in m[0]._forward_pre_hooks.values()])
x = torch.randn(2, 4)
y = m(x).sum()
y.backward()
print(m[0].weight_orig.grad, m[0].weight.grad_fn.name())
print(list(m.state_dict().keys()))
with torch.no_grad():
    m[0].weight_orig.mul_(2)
m(x)
print(m[0].weight)
prune.remove(m[0], 'weight')
print(m[0].weight, [n for n, _ in m[0].named_buffers()])
try:
    prune.remove(m[0], 'weight')
except ValueError as e:
    print(e)
try:
    prune.l1_unstructured(nn.Linear(2, 2), 'weight', amount=5)
except ValueError as e:
    print(e)
try:
    prune.l1_unstructured(nn.Linear(2, 2), 'weight', amount=1.5)
except ValueError as e:
    print(e)
"""

PRUNE_TUTORIAL = """\
# the PyTorch pruning tutorial's calls on a LeNet: iterative pruning, structured after unstructured, global pruning, sparsity report
import torch
from torch import nn
import torch.nn.utils.prune as prune
import torch.nn.functional as F
torch.manual_seed(42)
class LeNet(nn.Module):
    def __init__(self):
        super(LeNet, self).__init__()
        self.conv1 = nn.Conv2d(1, 6, 3)
        self.conv2 = nn.Conv2d(6, 16, 3)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(-1, int(x.nelement() / x.shape[0]))
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)
model = LeNet()
module = model.conv1
print(list(module.named_parameters())[1])
print(list(module.named_buffers()))
prune.random_unstructured(module, name="weight", amount=0.3)
print([n for n, _ in module.named_parameters()])
print(list(module.named_buffers())[0][1][0])
print(module.weight[0])
print([type(h).__name__ for h in module._forward_pre_hooks.values()])
prune.l1_unstructured(module, name="bias", amount=3)
print(module.bias)
print([type(h).__name__ for h in module._forward_pre_hooks.values()])
prune.ln_structured(module, name="weight", amount=0.5, n=2, dim=0)
print(module.weight[:, 0, 0])
print(module.weight_mask.sum((1, 2, 3)))
print(model.state_dict().keys())
prune.remove(module, 'weight')
print(list(module.named_parameters())[1][0], [n for n, _ in module.named_buffers()])
new_model = LeNet()
for name, module in new_model.named_modules():
    if isinstance(module, torch.nn.Conv2d):
        prune.l1_unstructured(module, name='weight', amount=0.2)
    elif isinstance(module, torch.nn.Linear):
        prune.l1_unstructured(module, name='weight', amount=0.4)
print(dict(new_model.named_buffers()).keys())
model = LeNet()
parameters_to_prune = ((model.conv1, 'weight'), (model.conv2, 'weight'), (model.fc1, 'weight'), (model.fc2, 'weight'), (model.fc3, 'weight'))
prune.global_unstructured(parameters_to_prune, pruning_method=prune.L1Unstructured, amount=0.2)
for n in ['conv1', 'conv2', 'fc1', 'fc2', 'fc3']:
    w = getattr(model, n).weight
    print("Sparsity in {}.weight: {:.2f}%".format(n, 100. * float(torch.sum(w == 0)) / float(w.nelement())))
total = sum(float(torch.sum(getattr(model, n).weight == 0)) for n in ['conv1', 'conv2', 'fc1', 'fc2', 'fc3'])
print("Global sparsity: {:.2f}%".format(100. * total / sum(getattr(model, n).weight.nelement() for n in ['conv1', 'conv2', 'fc1', 'fc2', 'fc3'])))
out = model(torch.randn(1, 1, 32, 32) if False else torch.randn(2, 1, 26, 26))
print(out.shape, prune.is_pruned(model))
"""

# A distribution prints its parameters as PyTorch's f-string does: a learned 0-d loc (a
# Parameter) as str() gives it, "Parameter containing:" and all (gd printed its item).
DIST_REPR_PARAMETER = """\
import torch
from torch.distributions import Normal, Bernoulli
p = torch.nn.Parameter(torch.tensor(3.0))
t = torch.tensor(2.5, requires_grad=True)
print(Normal(p, t), Normal(torch.nn.Parameter(torch.zeros(2)), 1.0), Normal(p * 1, p.exp()))
print(Bernoulli(logits=torch.nn.Parameter(torch.tensor(0.5))), Normal(torch.tensor(1), 2.0))
print(f"{p}", "{}".format(p), format(p, ""), f"{t}", f"{t:.2f}")
"""

# parametrizations.orthogonal (refused before round 20): matrix_exp, householder and
# cayley maps, with trivialization's base, trained a few steps, on an RNN's weight.
ORTHOGONAL = """\
import torch
import torch.nn as nn
from torch.nn.utils import parametrizations as P
torch.manual_seed(0)
lin = P.orthogonal(nn.Linear(3, 3))
print(lin)
print(lin.weight)
print(torch.dist(lin.weight.T @ lin.weight, torch.eye(3)) < 1e-5, [n for n, _ in lin.named_parameters()], list(lin.state_dict().keys()))
print(lin.parametrizations.weight.original)
rect = P.orthogonal(nn.Linear(5, 3))
W = rect.weight
print(W.shape, torch.allclose(W @ W.T, torch.eye(3), atol=1e-5))
tall = P.orthogonal(nn.Linear(2, 4), orthogonal_map="cayley")
print(torch.allclose(tall.weight.T @ tall.weight, torch.eye(2), atol=1e-5))
hh = P.orthogonal(nn.Linear(3, 4), orthogonal_map="householder")
print(torch.allclose(hh.weight.T @ hh.weight, torch.eye(3), atol=1e-5))
opt = torch.optim.SGD(lin.parameters(), lr=0.1)
x = torch.randn(4, 3)
for _ in range(3):
    loss = (lin(x) ** 2).sum() + lin(x)[:, 0].sum()
    opt.zero_grad(); loss.backward(); opt.step()
Q = lin.weight
print(round(loss.item(), 4), torch.allclose(Q.T @ Q, torch.eye(3), atol=1e-5))
print(lin.parametrizations.weight.original.grad is not None)
rnn = nn.RNN(3, 3)
P.orthogonal(rnn, "weight_hh_l0")
print(torch.allclose(rnn.weight_hh_l0 @ rnn.weight_hh_l0.T, torch.eye(3), atol=1e-5), type(rnn).__name__)
"""

# type(v) and v.__class__.__name__ of the values training code holds: an optimizer's
# state, a GradScaler and saved_tensors_hooks were gd's own class names.
TYPES_OF_VALUES = """\
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader, random_split
x = torch.ones(3, requires_grad=True)
m = nn.Linear(2, 2)
opt = torch.optim.SGD(m.parameters(), lr=0.1)
ds = TensorDataset(torch.ones(4, 2))
vals = {
 "grad_fn": (x * 2).grad_fn, "acc": (x * 2).grad_fn.next_functions[0][0], "size": x.shape, "dtype": x.dtype,
 "device": x.device, "param": m.weight, "module": m, "seq": nn.Sequential(), "mlist": nn.ModuleList(),
 "opt": opt, "sched": torch.optim.lr_scheduler.StepLR(opt, 1), "pg": opt.param_groups, "state": opt.state,
 "sd": m.state_dict(), "ds": ds, "dl": DataLoader(ds), "it": iter(DataLoader(ds)), "split": random_split(ds, [2, 2])[0],
 "gen": torch.Generator(), "nograd": torch.no_grad(), "max": x.max(0), "sort": x.sort(), "finfo": torch.finfo(torch.float32),
 "iinfo": torch.iinfo(torch.int32), "normal": torch.distributions.Normal(0, 1), "named": m.named_parameters(),
 "params": m.parameters(), "children": m.children(), "func": F.relu, "sin": torch.sin, "method": x.sum,
 "lin_fwd": m.forward, "hooks": m._forward_hooks, "storage": x.untyped_storage(), "layout": x.layout,
 "memfmt": torch.contiguous_format, "qr": torch.linalg.qr(torch.eye(2)), "svd": torch.linalg.svd(torch.eye(2)),
 "slogdet": torch.linalg.slogdet(torch.eye(2)), "topk": x.topk(1), "unique": torch.unique(x, return_counts=True),
 "aminmax": torch.aminmax(x), "lstsq": torch.linalg.lstsq(torch.eye(2), torch.ones(2, 1)), "eig": torch.linalg.eigh(torch.eye(2)),
 "packed": nn.utils.rnn.pack_sequence([torch.ones(2, 1)]), "ctx": torch.enable_grad(),
 "dual": torch.autograd.forward_ad, "Fmod": F,
 "cat": torch.distributions.Categorical(torch.ones(2)),
 "transform": torch.distributions.transforms.ExpTransform(), "sampler": torch.utils.data.RandomSampler(ds),
 "batchsampler": torch.utils.data.BatchSampler(range(3), 2, False), "inference": torch.inference_mode(),
 "scaler": torch.amp.GradScaler('cpu', enabled=False), "savedhooks": torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t),
}
for k, v in vals.items():
    print(k, type(v), v.__class__.__name__)
"""


@pytest.mark.parametrize("program", [CLASS_OF_VALUES, NN_GRAD, PRUNE, PRUNE_TUTORIAL,
                                     DIST_REPR_PARAMETER, ORTHOGONAL, TYPES_OF_VALUES],
                         ids=["class_of_values", "nn_grad", "prune", "prune_tutorial",
                              "dist_repr_parameter", "orthogonal", "types_of_values"])
def test_prints_what_pytorch_prints(program: str) -> None:
    assert gd_output(program) == torch_output(program)


# The class reached through __class__ leads exactly where type(v) leads: nowhere of the host.
@pytest.mark.parametrize("program", [
    "x.__class__.__bases__", "x.__class__.__mro__", "x.__class__.__subclasses__()",
    "(1).__class__.__bases__", "''.__class__.__mro__[1].__subclasses__()",
    "x.__class__.__init__.__globals__", "(1).__class__.__dict__", "y.grad_fn.__class__.__dict__",
    "y.grad_fn.__class__.__call__", "y.grad_fn.__class__.__class__.__subclasses__()",
    "None.__class__.__init__", "(lambda: 0).__class__.__code__", "print.__class__.__call__",
    "torch.__class__.__dict__", "x.__class__.__getattribute__", "x.__class__.__reduce_ex__",
    "x.__class__.__new__", "y.grad_fn.next_functions[0][0].__class__.__bases__",
    "torch.nn.Linear(1, 1).__class__.__init__.__globals__", "torch.nn.Linear(1, 1).__class__.__dict__",
    "torch.optim.SGD([x], lr=1).__class__.__init__", "x.__class__.__init_subclass__",
    "'{0.__class__.__init__}'.format(x)", "y.grad_fn.__class__()",
])
def test_class_leads_nowhere(program: str) -> None:
    text = ("import torch\nx = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\n"
            f"v = {program}\n")
    out = gd_output(text)
    assert out.startswith("GdError ") and "0x" not in out, out
    assert ("not accessible in gd" in out or "has no attribute" in out
            or "is not callable" in out), out
