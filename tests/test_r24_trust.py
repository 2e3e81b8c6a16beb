"""Round 24: places where gradcli printed other numbers (or printed where PyTorch fails),
found by the op fuzzer's fresh seeds (10-29) and its new families (views then in-place,
integers with floats, extreme values), pinned against PyTorch, one program per class.

- integer and bool inputs the kernels have no loop for: softmax/log_softmax of integers
  (cross_entropy of integer logits printed a loss), bool clamp to bool bounds, hardtanh,
  median/kthvalue/topk of bool; median of an empty integer tensor (NaN converted);
  uint8's any/all; integer division by zero of an empty output; nextafter's 0-d
  promotion; exponential_'s message;
- an empty dim list is every dim (`x.sum(())` printed x itself), a 0-d tensor's tuple
  dims (its sum over (0,) failed, and so did amax's backward);
- pow's exponent gradient with an integer base (the log in the result's dtype);
- the CopySlices of a diagonal view (-0.0 where the view is) and of an empty view (a view:
  the version counter, the grad_fn);
- mse/huber losses of non-contiguous inputs reduced in TensorIterator's memory order;
- complex abs (a correctly rounded hypot); masked_fill_ of an expanded tensor;
- Python ints into narrow integer tensors: arithmetic and bitwise ops wrap them (uint8's
  -2 is 254), fills (fill_, full, masked_fill, where, item assignment, torch.tensor) and
  alpha take c10's checked conversion (300 fails with PyTorch's message).
"""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output

_SHOW = """
def show(name, f):
    try:
        r = f()
        print(name, r, r.dtype if isinstance(r, torch.Tensor) else '')
    except Exception as e:
        print(name, '!ERR', type(e).__name__, (str(e).splitlines() or [''])[0])
"""

PROGRAMS = {
    "integer-kernels": _SHOW + """
import torch.nn.functional as F
i = torch.tensor([[1, 2], [3, 4]])
b = torch.tensor([True, False, True])
show('softmax0', lambda: i.softmax(0))
show('log_softmax1', lambda: F.log_softmax(i, 1))
show('softmax_empty', lambda: torch.zeros(0, 2, dtype=torch.int64).softmax(0))
show('cross_entropy', lambda: F.cross_entropy(i, torch.tensor([0, 1])))
show('softmax_dtype', lambda: i.softmax(0, dtype=torch.float64))
show('clamp_bb', lambda: b.clamp(True, True))
show('clamp_b', lambda: b.clamp(min=True))
show('clamp_max_b', lambda: b.clamp_max(False))
show('clamp_bi', lambda: b.clamp(False, 1))
show('clamp_tt', lambda: b.clamp(torch.tensor(True), torch.tensor(True)))
show('clamp_t', lambda: b.clamp(torch.tensor(True)))
show('hardtanh', lambda: F.hardtanh(b))
show('median_b', lambda: b.median())
show('median_b_dim', lambda: b.median(0))
show('kthvalue_b', lambda: b.kthvalue(1))
show('topk_b', lambda: b.topk(1))
show('mode_b', lambda: b.mode())
for dt in [torch.int64, torch.int32, torch.int8, torch.bool, torch.float32]:
    show('median_empty', lambda: torch.zeros(0, dtype=dt).median())
    show('nanmedian_empty', lambda: torch.zeros(2, 0, dtype=dt).nanmedian())
u = torch.tensor([[1, 0], [2, 3]], dtype=torch.uint8)
show('all_u8', lambda: u.all())
show('any_u8', lambda: u.any(1))
show('mod_empty', lambda: torch.zeros(0, dtype=torch.int64) % torch.tensor(False))
show('floordiv_empty', lambda: torch.zeros(0, dtype=torch.int64) // 0)
show('mod_zero', lambda: torch.tensor([1, 2]) % 0)
show('nextafter', lambda: torch.nextafter(torch.zeros(2), torch.tensor(-7.0, dtype=torch.float64)))
show('nextafter_i', lambda: torch.nextafter(torch.tensor([1], dtype=torch.int32), torch.tensor(3)))
show('exponential_', lambda: torch.tensor([1, 2]).exponential_())
""",
    "empty-dim-list": _SHOW + """
x = torch.tensor([[1.0, -2.0, 3.0], [4.0, 5.0, -6.5]], requires_grad=True)
for name, f in [('sum', lambda: x.sum(())), ('sumk', lambda: x.sum([], keepdim=True)),
                ('mean', lambda: x.mean(())), ('nansum', lambda: x.nansum(())),
                ('nanmean', lambda: x.nanmean(())), ('amax', lambda: x.amax(())),
                ('amin', lambda: x.amin([])), ('norm', lambda: x.norm(dim=())),
                ('vnorm', lambda: torch.linalg.vector_norm(x, 3, ())),
                ('var', lambda: x.var(())), ('std_mean', lambda: torch.std_mean(x, ())[1])]:
    r = f()
    print(name, r, torch.autograd.grad(r.sum(), x)[0] if name not in ('var',) else '')
show('count_nonzero', lambda: x.count_nonzero(()))
show('sum_int', lambda: torch.tensor([[1, 2], [3, 4]]).sum(()))
show('logsumexp', lambda: x.logsumexp(()))
show('logsumexp_k', lambda: x.logsumexp((), keepdim=True))
show('linalg_norm', lambda: torch.linalg.norm(x, dim=()))
s = torch.tensor(-3.0, dtype=torch.float64, requires_grad=True)
for d in [0, (0,), (-1,), ()]:
    show('vnorm0d', lambda: torch.linalg.vector_norm(s, 0.5, dim=d).item())
    show('sum0d_int', lambda: torch.tensor(7).sum(d))
    show('nanmean0d', lambda: s.nanmean(d))
    r = s.amax(d, keepdim=True)
    print(torch.autograd.grad((r * r).mean(), s))
""",
    "pow-integer-base": """
b = torch.tensor([2.25, -0.5, 1.1], dtype=torch.float64, requires_grad=True)
for base in [torch.tensor([3, 4, 5]), torch.tensor([True, False, True]), torch.tensor(3),
             torch.tensor([3, 4, 5], dtype=torch.int32)]:
    r = base ** b
    print(r.tolist(), torch.autograd.grad(r.sum(), b)[0].tolist())
""",
    "copyslices-views": """
for op in ['abs_', 'neg_', 'zero_', 'pow_']:
    a = torch.tensor([[-2.6718, 1.2758, 2.592], [3.0, -1.0, 2.992288]], requires_grad=True)
    c = a.clone() * 1
    v = c.diagonal()
    getattr(v, op)(*([2] if op == 'pow_' else []))
    w = torch.arange(6.0).reshape(2, 3) * 0.25 - 1
    print(op, torch.autograd.grad((c * w).sum(), a)[0].tolist())
a = torch.tensor([[-0.0, -1.805, -0.3, 0.5], [-3.0, 1.0, -1.0, -1.5]], requires_grad=True)
c = a * 2
v = c.narrow(0, 1, 0).unsqueeze(2)
v.exp_()
print(c, c._version, v._version, v._is_view(), v._base is c)
print(torch.autograd.grad((c * 2).sum(), a)[0])
c = a.relu()
c[:, 2:2].mul_(3)
try:
    torch.autograd.grad(c.sum(), a)
except RuntimeError as e:
    print(str(e)[:60])
x = torch.zeros(0, 3) * 1
print(x.t()._base is x, x[1:1]._is_view(), x.view(3, 0)._is_view())
""",
    "losses-memory-order": """
import torch.nn.functional as F
a = torch.tensor([[-1.75, 3.0, 1.5], [-2.5704, -0.75, -1.0], [0.75, 2.0, -0.0],
                  [-0.75, -0.0, -1.269]], requires_grad=True)
t = torch.tensor([[2.0, 0.75, -2.75, -1.25], [0.0, 0.91, -3.0, -2.0],
                  [0.25, -0.0, -1.47716, 1.0]])
for f in [lambda x: F.mse_loss(x, t), lambda x: F.mse_loss(x, t, reduction='sum'),
          lambda x: F.huber_loss(x, t, delta=0.7), lambda x: F.smooth_l1_loss(x, t)]:
    o = f(a.t())
    print(o.item(), torch.autograd.grad((o * o).mean(), a)[0].tolist())
""",
    "complex-abs-masked-fill": """
import random
random.seed(3)
z = [complex(random.uniform(-5, 5), random.uniform(-5, 5)) for _ in range(64)]
z += [complex(float('inf'), -0.0), complex(float('nan'), 1.0), 3.5 - 0.25j, 0j]
for dt in [torch.complex128, torch.complex64]:
    print(torch.tensor(z, dtype=dt).abs().tolist())
for m in [torch.tensor([[True, False], [False, False]]), torch.tensor(True)]:
    base = torch.tensor([1.0, -2.0]) * 1
    v = base.unsqueeze(0).expand(2, 2)
    v.masked_fill_(m, 7.0)
    print(base.tolist(), base._version)
try:
    torch.tensor([1.0, -2.0]).unsqueeze(0).expand(2, 2).fill_(torch.tensor(2.0))
except RuntimeError as e:
    print(e)
""",
    "narrow-int-scalars": _SHOW + """
x = torch.tensor([1, 2, 200], dtype=torch.uint8)
y = torch.tensor([1, -2, 100], dtype=torch.int8)
show('and', lambda: x & -2)
show('or', lambda: y | -200)
show('where', lambda: torch.where(x > 1, x, 300))
show('where_neg', lambda: torch.where(x > 1, x, -2))
show('where_i8', lambda: torch.where(y > 1, y, 200))
show('masked_fill', lambda: x.masked_fill(x > 1, 300))
show('masked_fill_neg', lambda: x.masked_fill(x > 1, -2))
show('fill_neg', lambda: x.clone().fill_(-2))
show('fill_big', lambda: x.clone().fill_(300))
show('full', lambda: torch.full((2,), -2, dtype=torch.uint8))
show('full_big', lambda: torch.full((2,), 128, dtype=torch.int8))
show('tensor_neg', lambda: torch.tensor([-2, 3], dtype=torch.uint8))
show('tensor_big', lambda: torch.tensor([300], dtype=torch.uint8))
show('add_alpha', lambda: x.add(1, alpha=-2))
show('sub_alpha', lambda: x.sub(3, alpha=2))
show('sub_alpha_big', lambda: x.sub(3, alpha=300))
z = x.clone()
z[0] = -2
print(z)
try:
    z[1] = 300
except RuntimeError as e:
    print(e)
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_prints_what_pytorch_prints(name: str) -> None:
    assert masked(gd_output(PROGRAMS[name])) == masked(torch_output(PROGRAMS[name]))
