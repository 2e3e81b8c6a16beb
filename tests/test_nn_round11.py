"""torch.nn and training programs, round 11: the shapes "Dive into Deep Learning", the
PyTorch tutorials and blog posts write (attention over bmm, BatchNorm from scratch,
parametrizations, checkpointing, ...).

Each case is a program valid under both gd and PyTorch; with torch installed the test
compares gd's output with PyTorch's, byte for byte (tests/pyrun.py).
"""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

PRELUDE = ("import math\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
           "torch.manual_seed(0)\n")

CASES = {
    # ModuleList's insert / pop / item assignment / del (keys renumbered as PyTorch's).
    "modulelist-edits": """
ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
ml.insert(1, nn.ReLU())
ml.extend([nn.Tanh()])
print(ml, len(ml), ml[1:3])
print(ml.pop(0), len(ml))
ml[0] = nn.Sigmoid()
del ml[1]
print(ml, [k for k, _ in ml.named_children()])
del ml[0:2]
ml.insert(0, nn.ELU())
print(ml, list(ml.state_dict().keys()))
""",
    # nn.AdaptiveLogSoftmaxWithLoss, as torch/nn/modules/adaptive.py composes it.
    "adaptive-log-softmax": """
asm = nn.AdaptiveLogSoftmaxWithLoss(4, 10, cutoffs=[4, 8], div_value=2.0, head_bias=True)
print(asm)
x = torch.randn(5, 4, requires_grad=True)
t = torch.tensor([0, 3, 5, 9, 7])
out = asm(x, t)
print(out)
print(out.output, out.loss, out[0].shape)
out.loss.backward()
print(asm.head.weight.grad, x.grad)
print(asm.log_prob(x).exp().sum(1), asm.predict(x))
print(asm(x[1], t[1]))
print(nn.AdaptiveLogSoftmaxWithLoss(8, 20, [5, 10, 15]))
for bad in [lambda: asm(x, torch.tensor([0, 1, 2, 3, 10])),
            lambda: nn.AdaptiveLogSoftmaxWithLoss(4, 10, cutoffs=[8, 4])]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
""",
    # nn.EmbeddingBag / F.embedding_bag (the text classification tutorial's model): bags
    # cut at offsets or one a row, sum / mean / max, padding_idx, per_sample_weights.
    "embedding-bag": """
for mode in ['sum', 'mean', 'max']:
    eb = nn.EmbeddingBag(10, 3, mode=mode)
    print(eb)
    out = eb(torch.tensor([1, 2, 4, 5, 4, 3, 2, 9]), torch.tensor([0, 4, 4]))
    print(out, out.grad_fn.name())
    if mode != 'mean':
        out.pow(2).sum().backward()
        print(eb.weight.grad)
    print(eb(torch.tensor([[1, 2, 4], [4, 3, 9]])))
eb = nn.EmbeddingBag(10, 3, mode='sum', padding_idx=2)
print(eb, eb.weight[2])
print(eb(torch.tensor([1, 2, 4, 2]), torch.tensor([0, 2]),
         per_sample_weights=torch.tensor([0.5, 1., 2., 3.])))
eb = nn.EmbeddingBag(10, 3, mode='mean', padding_idx=2, include_last_offset=True)
print(eb(torch.tensor([1, 2, 4, 2, 2]), torch.tensor([0, 2, 3, 5])))
w = torch.randn(5, 2, requires_grad=True)
for f in [lambda: F.embedding_bag(torch.tensor([0, 1]), w),
          lambda: F.embedding_bag(torch.tensor([[0, 1]]), w, torch.tensor([0])),
          lambda: F.embedding_bag(torch.tensor([0, 1]), w, torch.tensor([0]), mode='mean',
                                  per_sample_weights=torch.ones(2))]:
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
""",
    # torch.utils.checkpoint (activation checkpointing in training loops).
    "checkpoint": """
import torch.utils.checkpoint as cp
from torch.utils.checkpoint import checkpoint, checkpoint_sequential
lin = nn.Linear(3, 3)
x = torch.randn(2, 3, requires_grad=True)
for ur in [False, True]:
    y = checkpoint(lin, x, use_reentrant=ur)
    print(y.grad_fn.name(), y.requires_grad)
    y.sum().backward()
    print(x.grad, lin.weight.grad)
print(cp.checkpoint(lin, x).grad_fn.name())
z = checkpoint(lin, torch.randn(2, 3), use_reentrant=True)
print(z.requires_grad, z.grad_fn)
seq = nn.Sequential(nn.Linear(3, 4), nn.Dropout(0.5), nn.ReLU(), nn.Linear(4, 2))
for ur in [False, True]:
    z = checkpoint_sequential(seq, 2, x, use_reentrant=ur)
    print(z, z.grad_fn.name())
def f(a, b, scale=1.0):
    return (a * b).sum() * scale
print(checkpoint(f, x, x, scale=2.0, use_reentrant=False), torch.rand(2))
try:
    checkpoint(f, x, x, scale=2.0, use_reentrant=True)
except Exception as e:
    print(type(e).__name__, e)
""",
    # Module.__setattr__ of a Parameter over a name the class answers (a parametrized
    # tensor's property, a method) is register_parameter's KeyError; a KeyError's str is
    # the repr of its argument; ParameterDict looks a key up as an attribute.
    "keyerror-forms": """
import torch.nn.utils.parametrize as P
class Sym(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).T
m = nn.Linear(2, 2)
P.register_parametrization(m, "weight", Sym())
class Net(nn.Module):
    def forward(self, x):
        return x
n = Net()
for f in [lambda: setattr(m, "weight", nn.Parameter(torch.ones(2, 2))),
          lambda: setattr(m, "weight", torch.ones(2, 2)),
          lambda: setattr(n, "forward", nn.Parameter(torch.ones(1))),
          lambda: n.add_module("a.b", nn.ReLU()),
          lambda: n.register_buffer("a.b", None),
          lambda: nn.ModuleDict({"a": nn.ReLU()})["b"],
          lambda: nn.ParameterDict({"a": nn.Parameter(torch.ones(1))})["zz"]]:
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e, e.args)
print(m.weight, list(n.state_dict()))
""",
    # A sum over several dims (d2l's BatchNorm from scratch: X.mean(dim=(0, 2, 3))) in the
    # order PyTorch's TensorIterator walks them, where numpy's pairwise sum differed.
    "batchnorm-from-scratch-sums": """
torch.set_printoptions(precision=10)
X = torch.randn(2, 3, 4, 4)
mean = X.mean(dim=(0, 2, 3), keepdim=True)
var = ((X - mean) ** 2).mean(dim=(0, 2, 3), keepdim=True)
X_hat = (X - mean) / torch.sqrt(var + 1e-5)
print(mean.flatten(), var.flatten(), X_hat.sum(), X_hat.mean())
for shape, dims in [((5, 3, 7), (0, 2)), ((3, 1, 10, 2), (0, 2)), ((6, 5, 4, 3, 2), (1, 3)),
                    ((2, 17, 9), (0, 1)), ((3, 40, 12), (0, 2)), ((7, 2, 2, 20), (0, 1, 3))]:
    x = torch.randn(*shape)
    print(x.sum(dim=dims), x.double().sum(dim=dims, keepdim=True).flatten()[:4])
""",
    # nn.LayerNorm's statistics as RowwiseMoments computes them (Welford over 8-float
    # vectors in chunks, then the tail) and its affine step as one FMA.
    "layernorm-forward": """
torch.set_printoptions(precision=10)
for shape in [(2, 3, 4), (4, 12), (3, 37), (2, 100), (2, 5, 3)]:
    ln = nn.LayerNorm(shape[-1])
    nn.init.normal_(ln.weight)
    nn.init.normal_(ln.bias)
    x = torch.randn(*shape) * 3 + 1
    print(ln(x).flatten()[-6:], F.layer_norm(x, shape[-1:]).flatten()[:4])
    print(F.layer_norm(x.double(), shape[-1:], ln.weight.double()).flatten()[:3])
ln = nn.LayerNorm([3, 4])
print(ln(torch.randn(2, 3, 4))[1])
""",
    # bmm below 400 products a batch is ATen's own loop (in k's order): d2l's masked
    # attention printed 2., 3., ... where PyTorch prints 2.0000 (its sums are not exact).
    "bmm-attention-weights": """
torch.set_printoptions(precision=10)
s = torch.randn(2, 1, 10)
s[0, 0, 2:] = -1e6
s[1, 0, 6:] = -1e6
w = F.softmax(s, dim=-1)
values = torch.arange(40, dtype=torch.float32).reshape(1, 10, 4).repeat(2, 1, 1)
print(torch.bmm(w, values))
print(torch.bmm(torch.full((2, 1, 10), 0.1), values))
for sa, sb in [((3, 2, 5), (3, 5, 4)), ((2, 3, 4, 5), (2, 3, 5, 6)), ((4,), (2, 4, 3)),
               ((3, 4), (2, 4, 5)), ((2, 1, 3, 4), (3, 4, 2)), ((2, 3, 4), (4,)),
               ((3, 20, 20), (3, 20, 4)), ((3, 1, 400), (3, 400, 3))]:
    a, b = torch.randn(*sa), torch.randn(*sb)
    print(torch.matmul(a, b).flatten()[-3:].tolist())
    if len(sa) == 3 and len(sb) == 3:
        print(torch.bmm(a, b).flatten()[:3].tolist(), torch.bmm(a, b).is_contiguous())
x = torch.randn(2, 3, 4, requires_grad=True)
w = torch.randn(2, 4, 5, requires_grad=True)
torch.bmm(x, w).pow(2).sum().backward()
print(x.grad, w.grad)
""",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    # PyTorch's print options are global to the process: put them back after each case
    text = PRELUDE + CASES[name] + "torch.set_printoptions(profile='default')\n"
    assert gd_output(text) == torch_output(text)
