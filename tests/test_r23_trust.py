"""Round 23: places where gradcli printed other numbers (or failed) where PyTorch does not,
found by the op fuzzer's fresh seeds and probes of each class, pinned against PyTorch.

- empty tensors through the kernels' internal reshapes (`reshape(-1, 0)` is ambiguous):
  topk(0), sort/median rows, searchsorted, multinomial, layer/group/instance norm, pools,
  unfold/fold, chunk of an empty dim (PyTorch's `chunks` empty pieces);
- a Tensor method whose only positional parameter is a size takes its elements as
  varargs (`x.squeeze(0, 2)`, `x.tile(2, 1)`, `x.count_nonzero(1, 2)`): the function
  got them as separate arguments (squeeze read the second as an internal flag);
- nextafter's gradient: zero where self == other;
- clamp of an integer tensor with number bounds: both bounds take part in the promotion;
- torch.div(..., rounding_mode=None): PyTorch's div.Tensor_mode overload, DivBackward2.
"""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output

PROGRAMS = {
    "empty-tensors": """
import torch.nn.functional as F
def show(name, f, *leaves):
    try:
        r = f()
        rs = r if isinstance(r, (tuple, list)) else (r,)
        print(name, [(tuple(t.shape), t.dtype, None if t.grad_fn is None else t.grad_fn.name())
                     for t in rs if isinstance(t, torch.Tensor)])
        if leaves:
            s = sum(t.sum() for t in rs
                    if isinstance(t, torch.Tensor) and t.dtype.is_floating_point)
            gs = torch.autograd.grad(s, list(leaves), allow_unused=True)
            print('  grad', [None if g is None else tuple(g.shape) for g in gs])
    except Exception as e:
        print(name, '!ERR', type(e).__name__, (str(e).splitlines() or [''])[0])
def L(*shape):
    return torch.zeros(*shape, requires_grad=True)
x = L(3, 0, 2); y = L(2, 3, 0); b = L(0, 2, 4); b2 = L(0, 2, 4, 4)
show('topk0', lambda: x.topk(0, dim=1), x)
show('topk0last', lambda: y.topk(0, largest=False))
show('sort', lambda: y.sort(-1), y)
show('median', lambda: x.median(0), x)
show('searchsorted', lambda: torch.searchsorted(torch.zeros(2, 0), torch.zeros(2, 3)))
show('searchsorted2', lambda: torch.searchsorted(torch.zeros(2, 3), torch.zeros(2, 0)))
show('multinomial', lambda: torch.multinomial(torch.ones(0, 3), 2))
show('layer_norm', lambda: F.layer_norm(b, (4,)), b)
show('layer_norm2', lambda: F.layer_norm(torch.zeros(0, 3), (3,)))
show('group_norm', lambda: F.group_norm(b, 2), b)
show('instance_norm', lambda: F.instance_norm(b), b)
show('avgpool1', lambda: F.avg_pool1d(b, 2), b)
show('maxpool1', lambda: F.max_pool1d(b, 2, return_indices=True), b)
show('maxpool2', lambda: F.max_pool2d(b2, 2), b2)
show('avgpool2', lambda: F.avg_pool2d(b2, 2), b2)
show('lppool', lambda: F.lp_pool1d(b, 2, 2), b)
show('amp2', lambda: F.adaptive_max_pool2d(b2, 3), b2)
show('aap1', lambda: F.adaptive_avg_pool1d(b, 3), b)
show('aap2', lambda: F.adaptive_avg_pool2d(b2, 3), b2)
show('unpool', lambda: F.max_unpool1d(*F.max_pool1d(b, 2, return_indices=True), 2), b)
show('unfold', lambda: F.unfold(b2, 2), b2)
show('fold', lambda: F.fold(torch.zeros(0, 8, 9, requires_grad=True), (4, 4), 2))
show('chunk', lambda: y.chunk(2, -1), y)
show('chunk3', lambda: torch.zeros(0, 2).chunk(3))
""",
    "size-varargs": """
x = torch.arange(6.).reshape(1, 2, 3, 1)
print(x.squeeze(0, 3).shape, x.unsqueeze(0).squeeze(0, 1).shape, x.squeeze(0, 1).shape)
print(x.tile(2, 1).shape, x.tile(2).shape, x.count_nonzero(1, 2))
print(x.permute(3, 2, 1, 0).shape, x.flip(0, 2).tolist(), x.view(3, 2).shape)
print(x.new_zeros(2, 1).shape, x.repeat(1, 2, 1, 1).shape, x[:, :1].expand(2, 2, 3, 1).shape)
""",
    "nextafter-grad": """
b = torch.tensor([1., 2., float('nan'), 3., 0., -float('inf')], requires_grad=True)
o = torch.tensor([1., 3., 1., float('nan'), -0., 0.], requires_grad=True)
r = torch.nextafter(b, o)
print(torch.autograd.grad((r * torch.arange(1, 7.) * -1).sum(), [b, o]))
a = torch.tensor([-float('inf'), -0.0, -0.25, 0.0, -5.5], requires_grad=True)
r = torch.nextafter(a, torch.tensor([0, -1])[::2])
print(r.dtype, torch.autograd.grad(r.sum(), [a]))
""",
    "clamp-int-promotion": """
a = torch.tensor([[0, 1, -3], [2, 3, -1]])
for r in [torch.clamp(a, 0, 0.5), a.clamp(min=0.5), a.clamp(max=1.5), a.clamp(0, 1),
          a.clip(-0.5, 2), torch.clamp(a.bool(), 0, 0.5), torch.clamp(a, True, 2),
          torch.clamp(a.to(torch.uint8), -1, 2.5), torch.clamp(a.double(), 0.5, 2.5)]:
    print(r.dtype, r.tolist())
""",
    "div-rounding-mode-none": """
a = torch.tensor([1., 2.], requires_grad=True)
b = torch.tensor([3., 4.], requires_grad=True)
for y in [torch.div(a, b, rounding_mode=None), torch.div(a, 2., rounding_mode=None),
          a.divide(b, rounding_mode=None), a.clone().div_(b, rounding_mode=None),
          torch.div(a, b), a / 2, torch.div(a, b, rounding_mode='floor')]:
    print(y.grad_fn.name())
x = torch.tensor([1., 3.], dtype=torch.float64, requires_grad=True)
y = torch.div(x, 0.1, rounding_mode=None)
print(y.tolist(), y.grad_fn.name(), torch.autograd.grad(y.sum(), x))
""",
}


PROGRAMS.update({
    # binary_cross_entropy_target_backward: logit(x).neg_() times grad (times weight) / n
    "bce-target-grad": """
import torch.nn.functional as F
torch.manual_seed(0)
for dt in [torch.float64, torch.float32]:
    x = torch.rand(200, dtype=dt)
    x[0] = 0.5
    y = torch.rand(200, dtype=dt, requires_grad=True)
    w = torch.rand(200, dtype=dt)
    for red in ['mean', 'sum', 'none']:
        for wt in [None, w]:
            l = F.binary_cross_entropy(x, y, weight=wt, reduction=red)
            g, = torch.autograd.grad((l * -1.5).sum(), [y])
            print(dt, red, g[:3].tolist(), g.sum().item(),
                  (g * torch.arange(200.)).sum().item())
a0 = torch.tensor([[[-1.5, -0.0, 0.0]], [[1.5, -0.0, 0.25]]], dtype=torch.float64,
                  requires_grad=True)
a1 = torch.tensor([[[2.75, -0.25, 2.0]], [[0.0, -3.0, -0.0]]], dtype=torch.float64,
                  requires_grad=True)
r = F.binary_cross_entropy(torch.sigmoid(a0), torch.sigmoid(a1))
print([g.tolist() for g in torch.autograd.grad(r * 2, [a0, a1])])
""",
    # a 0-d tensor's dims 0 and -1 in a tuple reduce nothing
    "scalar-dim-tuples": """
a = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
for f in [lambda: torch.logsumexp(a, (-1,)), lambda: torch.logsumexp(a, (0,), keepdim=True),
          lambda: a.norm(dim=(-1,)), lambda: torch.linalg.vector_norm(a, 3, dim=(0,)),
          lambda: torch.logsumexp(a, (1,)), lambda: a.norm(dim=(0, 1))]:
    try:
        r = f()
        print(r, torch.autograd.grad(r * 2, a))
    except Exception as e:
        print('!ERR', type(e).__name__, str(e).splitlines()[0])
""",
    # amin/amax (and aminmax along a dim) keep the first of tied zeros; min()/max() and
    # aminmax() of all elements another one
    "zero-ties-amin-amax": """
x = torch.tensor([[0.0, -0.0, 1.0], [-0.0, 0.0, -1.0], [0.0, 0.0, -0.0], [-0.0, -0.0, 0.0]])
for d in [0, 1, (0, 1)]:
    print(x.amin(d).tolist(), x.amax(d).tolist(), x.amin(d, keepdim=True).tolist())
    if type(d) is int:
        r = torch.aminmax(x, dim=d)
        print(r.min.tolist(), r.max.tolist(), x.min(d).values.tolist(), x.max(d).values.tolist())
for y in [torch.tensor([0.0, -0.0] * 20), torch.tensor([-0.0, 0.0] * 20, dtype=torch.float64)]:
    r = torch.aminmax(y)
    print(r.min, r.max, y.amin(), y.amax(), y.min(), y.max())
z = torch.tensor([[0.0, -0.0], [-0.0, 0.0]]).t()
print(torch.aminmax(z, dim=1), torch.aminmax(z, dim=0), z.amin(1), z.amax(0))
""",
    # F.binary_cross_entropy_with_logits checks the target's size first
    "bce-logits-check-order": """
import torch.nn.functional as F
a = torch.zeros(3, 1, requires_grad=True)
for f in [lambda: F.binary_cross_entropy_with_logits(
              a, torch.tensor(0.5), pos_weight=torch.ones(1, requires_grad=True)),
          lambda: F.binary_cross_entropy_with_logits(
              a, torch.zeros(3, 1), pos_weight=torch.ones(1, requires_grad=True)),
          lambda: F.binary_cross_entropy_with_logits(a, torch.zeros(3))]:
    try:
        print(f())
    except Exception as e:
        print('!ERR', type(e).__name__, str(e).splitlines()[0])
""",
})


# DataLoader(persistent_workers=True): the workers (dataset copies, random states) outlive
# the epoch, no new base seed is drawn, and each epoch starts again at worker 0
PROGRAMS["persistent-workers"] = """
import random
import numpy as np
from torch.utils.data import DataLoader, Dataset, get_worker_info
class D(Dataset):
    def __init__(self):
        self.calls = 0
    def __len__(self):
        return 6
    def __getitem__(self, i):
        self.calls += 1
        w = get_worker_info()
        return torch.tensor([float(i), torch.rand(()).item(), random.random(),
                             float(np.random.rand()), float(self.calls), float(w.id)])
torch.manual_seed(0)
for persistent in [True, False]:
    dl = DataLoader(D(), batch_size=2, shuffle=True, num_workers=2,
                    persistent_workers=persistent)
    print(dl.persistent_workers)
    for epoch in range(3):
        for b in dl:
            print(epoch, b.tolist())
        print(torch.rand(1).tolist())
try:
    DataLoader(D(), num_workers=0, persistent_workers=True)
except ValueError as e:
    print(e)
"""

# Only a batch dim may be 0 for pools, adaptive pools, interpolate; batch_norm of an empty
# input is clone * weight[0] + bias[0]; clamp's int bounds converted as c10 converts them
PROGRAMS["empty-non-batch-dims"] = """
import torch.nn.functional as F
fs = {
    'max_pool1d': lambda x: F.max_pool1d(x, 2), 'avg_pool1d': lambda x: F.avg_pool1d(x, 2),
    'lp_pool1d': lambda x: F.lp_pool1d(x, 2, 2), 'aap1': lambda x: F.adaptive_avg_pool1d(x, 2),
    'amp1': lambda x: F.adaptive_max_pool1d(x, 2), 'interp': lambda x: F.interpolate(x, size=3),
    'interp_lin': lambda x: F.interpolate(x, size=3, mode='linear'),
    'max_pool2d': lambda x: F.max_pool2d(x.unsqueeze(-1).expand(*x.shape, 2), (2, 1)),
    'avg_pool2d': lambda x: F.avg_pool2d(x.unsqueeze(-1).expand(*x.shape, 2), (2, 1)),
    'amp2': lambda x: F.adaptive_max_pool2d(x.unsqueeze(-1).expand(*x.shape, 2), 2),
    'max_pool3d': lambda x: F.max_pool3d(x[..., None, None].expand(*x.shape, 2, 2), 1),
    'avg_pool3d': lambda x: F.avg_pool3d(x[..., None, None].expand(*x.shape, 2, 2), 1),
    'group_norm': lambda x: F.group_norm(x, 1), 'instance_norm': lambda x: F.instance_norm(x),
    'batch_norm': lambda x: F.batch_norm(x, None, None, training=True),
}
for shape in [(2, 0, 4), (2, 3, 0), (0, 2, 4), (0, 0, 4), (0, 4)]:
    for name, f in fs.items():
        x = torch.zeros(shape, requires_grad=True)
        try:
            r = f(x)
            print(shape, name, tuple(r.shape), r.grad_fn.name())
        except Exception as e:
            print(shape, name, '!ERR', type(e).__name__, str(e).splitlines()[0])
rm, rv = torch.zeros(3), torch.ones(3)
y = F.batch_norm(torch.zeros(0, 3), rm, rv, torch.ones(3, requires_grad=True),
                 torch.zeros(3, requires_grad=True), training=True)
print(y, rm, rv)
a = torch.tensor([0, 1, 5, 200], dtype=torch.uint8)
b = torch.tensor([1, 2], dtype=torch.int8)
for f in [lambda: a.clamp(-1, 2), lambda: a.clamp(min=-1), lambda: a.clamp(-1, 300),
          lambda: a.clamp(-256), lambda: a.clamp_min(-255), lambda: b.clamp(-129),
          lambda: b.clamp_min(-128),
          lambda: torch.tensor([1, 2], dtype=torch.int32).clamp_min(2 ** 40)]:
    try:
        r = f()
        print(r.dtype, r.tolist())
    except Exception as e:
        print('!ERR', type(e).__name__, str(e).splitlines()[0])
"""

# An unbatched input is ATen's own case for the pools with indices, adaptive max pools and
# max_unpool: their node is the result's grad_fn (gd's squeeze came last)
PROGRAMS["unbatched-pool-nodes"] = """
import torch.nn.functional as F
x = torch.rand(2, 4, 4, requires_grad=True)
x3 = torch.rand(2, 4, 4, 4, requires_grad=True)
x1 = torch.rand(2, 6, requires_grad=True)
for r in [F.max_pool3d(x3, 2), F.adaptive_max_pool3d(x3, 2), F.adaptive_max_pool2d(x, 2),
          F.max_pool2d(x, 2, return_indices=True)[0], F.max_pool1d(x1, 2, return_indices=True)[0],
          F.max_unpool2d(*F.max_pool2d(x, 2, return_indices=True), 2), F.max_pool2d(x, 1),
          F.adaptive_max_pool2d(x, 2, return_indices=True)[0], F.adaptive_max_pool1d(x1, 2)]:
    print(tuple(r.shape), r.grad_fn.name())
"""

# t() and transpose(0, -1) of a 0-d tensor are TBackward0 / TransposeBackward0 (a view)
PROGRAMS["scalar-transposes"] = """
a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor([1.0, 2.0], requires_grad=True)
for r in [a.t(), b.t(), torch.t(a), a.transpose(0, -1), b.transpose(0, 0), a.permute(())]:
    print(r.grad_fn.name())
y = a.t() * 3
print(y, torch.autograd.grad(y, a), a.t()._base is a)
z = a.clone()
z.t().mul_(2)
print(z, z.grad_fn.name())
g, = torch.autograd.grad(a.transpose(0, -1) ** 2, a, create_graph=True)
print(g, torch.autograd.grad(g, a))
"""

# round(decimals=) has no integer kernel; an integer dtype= of a reduction of a tensor that
# requires grad is refused (grad mode on)
PROGRAMS["integer-kernels"] = """
x = torch.tensor([[1.5, 2.0]], requires_grad=True)
for f in [lambda: torch.zeros(3, 0, 2, dtype=torch.int64).round(decimals=1),
          lambda: torch.tensor([1, 2], dtype=torch.int32).round(decimals=0),
          lambda: torch.tensor([True]).round(decimals=-1), lambda: torch.tensor([1, 2]).round(),
          lambda: x.prod(dim=0, dtype=torch.int64), lambda: x.sum(dtype=torch.int64),
          lambda: x.cumsum(0, dtype=torch.int64), lambda: x.prod(dtype=torch.int64),
          lambda: x.cumprod(1, dtype=torch.int32), lambda: x.sum(0, dtype=torch.int32),
          lambda: x.nansum(dtype=torch.int64), lambda: x.sum(dtype=torch.float64),
          lambda: x.detach().sum(dtype=torch.int64)]:
    try:
        r = f()
        print(r.dtype, tuple(r.shape), r.requires_grad)
    except Exception as e:
        print('!ERR', type(e).__name__, str(e).splitlines()[0])
with torch.no_grad():
    print(x.sum(dtype=torch.int64), x.cumsum(1, dtype=torch.int64))
"""

@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_prints_what_pytorch_prints(name: str) -> None:
    assert masked(gd_output(PROGRAMS[name])) == masked(torch_output(PROGRAMS[name]))
