"""Round 25: places where gradcli printed other numbers (or printed where PyTorch fails),
found by the op fuzzer's fresh seeds (30-49) and round 24's known list, pinned against
PyTorch, one program per class (each fails on the round-24 tree):

- in-place writes into an expanded tensor: masked_fill_, index_fill_, index_put_, tril_,
  triu_ skip the overlap check and write every element sharing memory with a written
  one; recorded, the CopySlices of the expanded view fails in backward (fill_, zero_ and
  x[mask] = v gave plausible gradients); fill_diagonal_ of a non-contiguous tensor
  writes PyTorch's as_strided diagonal;
- x[tensor index] = a value tensor of another dtype is index_put_'s error (unless it is
  a masked_fill_); x[i] = t drops t's leading dims of size 1 (a view: its gradient too);
- var/std with keepdim over an empty reduction keep the other dims;
- negative and infinite vector norms over an empty dim: no identity, PyTorch's error;
- adaptive_avg_pool1d/2d: an empty channel dim fails in backward, size 1 of an empty
  length is the global mean;
- quantile's checks in PyTorch's order and words;
- sgn's zero gradient is PyTorch's zero tensor where the user meets it (tolist, numpy,
  in-place ops, a second backward into it);
- scatter_reduce's amin/amax keep the first of tied zeros (self, then src in order);
- argmax/argmin without a dim but with keepdim=True keep every dim (the round-25
  keyword-reductions family's find).
"""

from __future__ import annotations

import pytest
from pyrun import SHOW_PROGRAM as _SHOW
from pyrun import gd_output, masked, torch_output

PROGRAMS = {
    "expanded-inplace": _SHOW + """
ops = [('fill', lambda v: v.fill_(2.0)), ('zero', lambda v: v.zero_()),
       ('masked_fill', lambda v: v.masked_fill_(v > 0, 2.0)),
       ('index_fill', lambda v: v.index_fill_(1, torch.tensor([0, -1]), 3.0)),
       ('index_fill0', lambda v: v.index_fill_(0, torch.tensor([0]), 3.0)),
       ('index_put', lambda v: v.index_put_((torch.tensor([0]),), torch.tensor(9.0))),
       ('tril', lambda v: v.tril_()), ('triu', lambda v: v.triu_(1)),
       ('tril3', lambda v: v.unsqueeze(0).expand(2, 3, 4).tril_(-1)),
       ('set_mask', lambda v: v.__setitem__(v > 0, 5.0)),
       ('set_one', lambda v: v.__setitem__((0, 1), 5.0)),
       ('fill_diagonal', lambda v: v.fill_diagonal_(7.0, wrap=True)),
       ('clamp', lambda v: v.clamp_(0))]
for name, op in ops:
    for rg in (False, True):
        a = torch.tensor([-1.5, 2.0, 1.0, -1.0]).requires_grad_(rg)
        c = a.clone()
        v = c.unsqueeze(0).expand(3, 4)
        show(name, lambda: op(v) is None or c)
        if rg:
            show(name + ' grad', lambda: torch.autograd.grad(c.sum(), a)[0])
x = torch.arange(24.).reshape(6, 4)
show('fill_diagonal t', lambda: x.clone().t().fill_diagonal_(-7.0, wrap=True))
show('fill_diagonal slice', lambda: x.clone()[:, :1].expand(6, 3).fill_diagonal_(-7.0))
""",
    "index-put-dtype": _SHOW + """
m = torch.tensor([True, False, True])
for dt in (torch.int64, torch.float32):
    for val in (torch.tensor(9.5), torch.tensor([9.5]), torch.tensor(9, dtype=torch.int32),
                torch.tensor(9.5, dtype=torch.float64), 9.5):
        for idx in (torch.tensor([0]), m, 0, [0], (torch.tensor([0]),)):
            x = torch.zeros(3, dtype=dt)
            show('set', lambda: x.__setitem__(idx, val) or x)
    x = torch.zeros(3, dtype=dt)
    show('index_put_', lambda: x.index_put_((m,), torch.tensor([9.0, 8.0])))
    show('index_put_acc', lambda: x.index_put_((m,), torch.tensor(9.0), accumulate=True))
a = torch.zeros(2, 3, requires_grad=True)
v = torch.tensor([[2.0]], requires_grad=True)
y = a.clone()
y[0, 1] = v
y[1] = v * 3
show('leading ones', lambda: y)
show('leading ones grad', lambda: torch.autograd.grad((y * y).sum(), v)[0])
show('too many dims', lambda: torch.zeros(2, 3).__setitem__((0, 1), torch.tensor([1.0, 2.0])))
""",
    "empty-reductions": _SHOW + """
import torch.nn.functional as F
for shape in ((0, 2), (2, 0), (3, 0, 2)):
    for fn in ('std', 'var'):
        for dim in ((0,), 1, (0, 1)):
            show(fn, lambda: tuple(getattr(torch, fn)(torch.zeros(shape), dim, keepdim=True).shape))
    for p in (-1, -0.5, float('inf'), float('-inf'), 2):
        for dim in (None, 0, -1, (1, 0)):
            show('norm', lambda: torch.linalg.vector_norm(torch.zeros(shape), p, dim))
show('norm tuple', lambda: torch.norm(torch.zeros(2, 3), (0,)))
show('norm long', lambda: torch.linalg.vector_norm(torch.zeros(2, 0, dtype=torch.long), -1))
for shape in ((2, 0, 4), (2, 3, 0), (0, 2, 3), (3, 0)):
    for o in (1, 2):
        a = torch.zeros(shape).requires_grad_()
        show('pool', lambda: tuple(F.adaptive_avg_pool1d(a, o).shape))
        show('pool grad', lambda: torch.autograd.grad(F.adaptive_avg_pool1d(a, o).sum(), a)[0])
        b = a.unsqueeze(-1)
        show('pool2d grad', lambda: torch.autograd.grad(
            F.adaptive_avg_pool2d(b, (o, 1)).sum(), a)[0])
""",
    "quantile-checks": _SHOW + """
for x in (torch.zeros(2, 0, dtype=torch.bool), torch.zeros(0), torch.zeros(3, dtype=torch.int64),
          torch.zeros(3, dtype=torch.float64)):
    for q in (0.5, torch.tensor([[0.5]]), 1.5, torch.tensor([0.5], dtype=torch.float64),
              torch.tensor([1.5])):
        show('quantile', lambda: torch.quantile(x, q))
        show('nanquantile', lambda: torch.nanquantile(x, q))
""",
    "sgn-zero-gradient": _SHOW + """
x = torch.tensor([1.0, -2.0, 0.0], requires_grad=True)
x.sgn().sum().backward()
print(x.grad, x.grad.sum().item(), x.grad + 1)
show('again', lambda: x.sgn().sum().backward())
show('then', lambda: (x * 2).sum().backward())
fs = [('tolist', lambda g: g.tolist()), ('numpy', lambda g: g.numpy()),
      ('add_', lambda g: g.add_(1)), ('zero_', lambda g: g.zero_()),
      ('setitem', lambda g: g.__setitem__(0, 1.0)), ('copy_', lambda g: g.copy_(torch.ones(3))),
      ('force', lambda g: g.numpy(force=True).tolist()), ('clone', lambda g: g.clone()),
      ('detach', lambda g: g.detach().tolist()), ('item', lambda g: g.sum().item())]
for name, f in fs:
    g = torch.autograd.grad(x.sgn().sum(), x)[0]
    show(name, lambda: f(g))
e = torch.zeros(2, 0, requires_grad=True)
ge = torch.autograd.grad(e.sgn().sum(), e)[0]
show('empty tolist', lambda: ge.tolist())
show('empty numpy', lambda: ge.numpy())
y = torch.tensor([1.0, -2.0], requires_grad=True)
(y * 2).sum().backward()
y.sgn().sum().backward()
show('accumulated', lambda: y.grad)
""",
    "argmax-keepdim": _SHOW + """
x = torch.tensor([[0.5, 2.0, -1.0], [3.0, 0.0, 1.0]])
for t in (x, torch.tensor(1.0), x[0], x.unsqueeze(1).expand(2, 2, 3).transpose(0, 2)):
    show('argmax', lambda: torch.argmax(t, keepdim=True))
    show('argmin', lambda: t.argmin(dim=None, keepdim=True))
""",
    "scatter-reduce-tied-zeros": _SHOW + """
for red in ('amin', 'amax'):
    for inc in (True, False):
        for sv, srcv in ((0.0, [-0.0]), (-0.0, [0.0]), (1.0, [0.0, -0.0]), (1.0, [-0.0, 0.0]),
                         (-1.0, [0.0, -0.0]), (0.0, [-0.0, 0.0, -0.0]), (-0.0, [1.0, 0.0])):
            x = torch.tensor([sv, 5.0], dtype=torch.float64)
            src = torch.tensor(srcv, dtype=torch.float64)
            idx = torch.zeros(len(srcv), dtype=torch.int64)
            show(red, lambda: x.scatter_reduce(0, idx, src, red, include_self=inc))
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_prints_what_pytorch_prints(name: str) -> None:
    assert masked(gd_output(PROGRAMS[name])) == masked(torch_output(PROGRAMS[name]))
