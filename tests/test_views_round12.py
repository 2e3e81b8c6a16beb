"""Views as PyTorch keeps them (round 12), compared with PyTorch's output: views made in
no_grad or inference mode (PyTorch's CreationMeta: their requires_grad is their base's,
they have no grad_fn and no gradient; an in-place change of one, or of a view of one, with
grad mode on is PyTorch's error, and after their storage changed their grad_fn is the
"its base ... has been modified" error and their repr shows grad_fn=<Invalid>; a view of
a normal tensor made in inference mode is no inference tensor, an inference tensor's
views are no views), _is_view(), and diagonal as a view (writes through it reach its
base, recorded as CopySlices; the version counter it shares)."""

from __future__ import annotations

import io

import pytest
from pyrun import gd_output, masked, torch_output

from gradcli.app import AppOptions, run
from gradcli.source import Source


def _torch(text: str) -> str:
    # gd prints a node without its address (deterministic output), PyTorch with it
    return masked(torch_output(text))


_TRY = """
def tr(f):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
"""

PROGRAMS = {
    # A view of a tensor that requires grad, made in no_grad, requires grad (its repr says
    # so) and is a leaf without a gradient of its own; a view of a detached alias does not.
    "no-grad-view-requires-grad": """
x = torch.ones(2, 3, requires_grad=True)
with torch.no_grad():
    print(x[0])
    v = x[0]
    print(v * 2)
    print(x.t())
    print(x.reshape(6))
    print(x.detach()[0])
print(v, v._is_view(), v._base is x, v.is_leaf, v.grad_fn)
y = v * 2
print(y, y.is_leaf, y.grad_fn.next_functions)
y.sum().backward()
print(v.grad, x.grad)
""",
    # Changing such a view in place with grad mode on is PyTorch's error, for the view and
    # for a view of it made later (named by its node), whatever else requires grad.
    "no-grad-view-inplace-refused": _TRY + """
torch.manual_seed(0)
x = torch.randn(3, 4, requires_grad=True)
with torch.no_grad():
    v = x[0]
    w = x.view(12)
tr(lambda: v.add_(1))
tr(lambda: w.mul_(2))
tr(lambda: v.copy_(torch.randn(4, requires_grad=True)))
tr(lambda: v[1:].add_(1))
tr(lambda: v.t().mul_(2))
tr(lambda: w.unbind()[1].mul_(2))
with torch.no_grad():
    u = x.unbind()[1]
tr(lambda: u.mul_(2))
a = torch.zeros(3)
b = torch.zeros(3, requires_grad=True)
with torch.no_grad():
    av = a[:2]
av.add_(1)
print(a, av._is_view(), av.requires_grad)
tr(lambda: av.add_(b[:2]))
with torch.no_grad():
    q = torch.zeros(4)[:2]
q.requires_grad_()
tr(lambda: q.add_(1))
z = x * 2
with torch.no_grad():
    zv = z[1:]
    zv.add_(1)
print(z.grad_fn, zv.requires_grad)
tr(lambda: zv.is_leaf)
""",
    # Once such a view's storage changed in place (an optimizer step, say), its grad_fn is
    # the "its base ... has been modified" error, its repr shows grad_fn=<Invalid>, and
    # using it where autograd records fails; detach() and no_grad still work.
    "no-grad-view-after-base-changed": _TRY + """
x = torch.ones(3, requires_grad=True)
with torch.no_grad():
    v = x[:2]
    x.add_(1)
    print(v)
tr(lambda: v)
tr(lambda: v.grad_fn)
tr(lambda: v.is_leaf)
tr(lambda: v.requires_grad)
tr(lambda: (v * 2).sum())
tr(lambda: v.detach())
with torch.no_grad():
    print(v * 2)
x2 = torch.ones(3, requires_grad=True)
with torch.no_grad():
    w = x2[:2]
v4 = w[1:]
print(v4)
with torch.no_grad():
    x2.mul_(2)
tr(lambda: v4)
tr(lambda: v4 * 2)
z = x2 * 2
with torch.no_grad():
    zv = z[:2]
z.add_(1)
tr(lambda: zv)
tr(lambda: zv * 2)
""",
    # inference_mode: a view of a normal tensor is a normal tensor (a view, requiring grad
    # as its base); an inference tensor's views are no views to autograd.
    "inference-mode-views": _TRY + """
torch.manual_seed(0)
x = torch.randn(3, 4, requires_grad=True)
with torch.inference_mode():
    v = x[0]
print(v._is_view(), v._base is x, v.is_leaf, v.requires_grad, v.is_inference())
tr(lambda: v.add_(1))
with torch.no_grad():
    x.mul_(2)
tr(lambda: v)
tr(lambda: v * 2)
with torch.inference_mode():
    i = torch.ones(3, 4)
    iv = i[0]
print(iv._is_view(), iv.is_inference(), iv._base is i)
tr(lambda: iv.add_(1))
a = torch.zeros(3, 4)
with torch.inference_mode():
    av = a[0]
    tr(lambda: av.add_(1))
print(a)
""",
    # diagonal is a view: writes through it reach the base (CopySlices when recorded),
    # it shares the version counter, and a change of its base after it was saved is the
    # saved-tensor error.
    "diagonal-is-a-view": _TRY + """
torch.manual_seed(0)
x = torch.zeros(3, 3)
x.diagonal().fill_(1)
x.diagonal().add_(2)
d = torch.diagonal(x)
print(x, d._is_view(), d._base is x, x._version, d._version)
x.diagonal(1).copy_(torch.tensor([7., 8.]))
print(x)
y = torch.arange(24.).reshape(2, 3, 4)
y.diagonal(0, 1, 2).mul_(-1)
print(y, y.diagonal(offset=-1, dim1=1, dim2=2))
print(y.diagonal(0, 1, 2).stride(), y.diagonal().is_contiguous())
a = torch.randn(3, 3, requires_grad=True)
b = a * 1
b.diagonal().mul_(2)
print(b.grad_fn, b.diagonal().grad_fn)
b.sum().backward()
print(a.grad)
z = (a * 2)
v, d, t = z[0], z.diagonal(), z.t()
z.mul_(2)
print(v.grad_fn, d.grad_fn, t.grad_fn, v)
w = torch.randn(4, 4, requires_grad=True)
e = w.exp()
t = (e.diagonal() ** 2).sum()
e.diagonal().zero_()
tr(lambda: t.backward())
tr(lambda: a.diagonal().fill_(0))
with torch.no_grad():
    a.diagonal().fill_(0)
print(a)
m2 = torch.eye(3)
dd = m2.diagonal()
dd += 5
print(m2, torch.diag_embed(torch.ones(2, 2))._is_view())
""",
    # A diagonal changed in place in a graph: the base's gradient passes around the
    # diagonal, the diagonal's through the in-place op (forward mode too).
    # A view whose base changed in place takes its base's new history, regenerated as
    # PyTorch's AsStridedBackward0 (read as grad_fn, in its repr, when recorded, in the
    # saved-tensor error), also when the base had no history before.
    "view-regenerated-as-strided": _TRY + """
torch.manual_seed(0)
y = torch.randn(3, requires_grad=True)
z = torch.ones(2, 3)
v = z[0]
w = z[1:][0]
print(v.requires_grad, v.grad_fn)
z.mul_(y)
print(v.requires_grad, v.grad_fn, v.is_leaf)
print(w)
(v * 3 + w).sum().backward()
print(y.grad)
a = torch.randn(4, requires_grad=True)
b = a * 1
c = b[:2]
d = b.view(2, 2)
b.add_(1)
print(c, d)
print(d.grad_fn.next_functions)
(c.sum() + d.sum()).backward()
print(a.grad)
e = a.exp()
p = e[:2].exp()
e[2:].zero_()
tr(lambda: p.sum().backward())
""",
    # A view changed in place in no_grad takes its base's history again when read (it was
    # not recorded); retain_grad() follows a view to its regenerated node.
    "view-changed-in-no-grad-and-retained": """
torch.manual_seed(0)
w = torch.randn(3, 4, requires_grad=True)
h = w * 1
v = h[0]
t = h.t()
with torch.no_grad():
    v.mul_(2)
print(v.grad_fn, t.grad_fn, h.grad_fn, v)
(v.sum() + t.sum()).backward()
print(w.grad)
h = w * 1
row = h[0]
row.retain_grad()
h[1] = 0
print(row.retains_grad, row.grad_fn)
(row ** 2).sum().backward()
print(row.grad)
h = w * 1
row = h[0]
row.retain_grad()
h[1] = 0
(h ** 2).sum().backward()
print(row.grad)
""",
    "diagonal-inplace-gradients": """
torch.manual_seed(0)
a = torch.randn(3, 3, requires_grad=True)
c = torch.randn(3, requires_grad=True)
b = a.clone()
b.diagonal().mul_(c)
(b ** 2).sum().backward()
print(a.grad, c.grad)
import torch.autograd.forward_ad as fwAD
with fwAD.dual_level():
    p = fwAD.make_dual(torch.randn(3, 3), torch.ones(3, 3))
    q = p * 2
    q.diagonal().mul_(3)
    print(fwAD.unpack_dual(q).tangent)
""",
}


PROGRAMS.update({
    # Tensor.unfold and as_strided are views (writes through them reach their base,
    # recorded as CopySlices at the elements they took); unbind's and split's outputs
    # read after their base changed in place are PyTorch's multiple-views error;
    # x.view(dtype) shares x's version counter.
    "unfold-unbind-split-view-dtype": _TRY + """
torch.manual_seed(0)
x = torch.arange(12.).reshape(3, 4)
v = x.unfold(1, 2, 2)
print(v._is_view(), v._base is x, v.shape, v.stride(), v.is_contiguous())
v.mul_(-1)
print(x, x._version)
w = torch.randn(3, 4, requires_grad=True)
h = w * 1
u = h.unfold(1, 2, 1)
print(u.grad_fn)
u.mul_(2)
(h * h).sum().backward()
print(u.grad_fn, h.grad_fn, w.grad)
for f in [lambda t: t.unbind(1)[0], lambda t: t.split(2, dim=1)[1], lambda t: t.chunk(2, 0)[0]]:
    h = w.exp()
    p = f(h)
    h.add_(1)
    tr(lambda: p)
    tr(lambda: p.grad_fn)
    tr(lambda: p * p)
    with torch.no_grad():
        print(p * 2)
x = torch.arange(12.).reshape(3, 4)
a = x.as_strided((2, 2), (1, 2))
print(a._is_view(), a._base is x, a.stride())
a.mul_(-1)
print(x)
h = w * 1
a = h.as_strided((2, 2), (1, 2), 1)
print(a.grad_fn)
a.mul_(2)
(h * h).sum().backward()
print(a.grad_fn, h.grad_fn, w.grad)
y = torch.arange(4.)
z = y.view(torch.int32)
z.add_(1)
print(y, y._version, z._is_view())
""",
    # einsum records what ATen's einsum computes: each operand's diagonals, unsqueezes and
    # permute, then bmm between views and permutes (a sum for one operand): the chain of
    # nodes, the values (bmm's rounding) and their gradients are PyTorch's.
    "einsum-nodes": """
torch.manual_seed(0)
def chain(r):
    fn, names = r.grad_fn, []
    while fn is not None:
        names.append(fn.name())
        nf = [f for f, _ in fn.next_functions
              if f is not None and f.name() != 'torch::autograd::AccumulateGrad']
        fn = nf[0] if nf else None
    return names
a = torch.randn(2, 3, requires_grad=True)
b = torch.randn(3, 4, requires_grad=True)
A = torch.randn(2, 3, 4, requires_grad=True)
B = torch.randn(2, 4, 5, requires_grad=True)
u = torch.randn(3, requires_grad=True)
s = torch.randn(3, 3, requires_grad=True)
q = torch.randn(2, 2, 3, 4, requires_grad=True)
k = torch.randn(2, 2, 5, 4, requires_grad=True)
for eq, ops in [('ij,jk->ik', (a, b)), ('bij,bjk->bik', (A, B)), ('i,i->', (u, u)),
                ('ii->i', (s,)), ('ij->ji', (a,)), ('bhqd,bhkd->bhqk', (q, k)),
                ('...ij,...jk', (A, B)), ('ij->', (a,)), ('ii', (s,)), ('i,j->ij', (u, u)),
                ('ij,j->i', (b.t(), u)), ('ij,ij->ij', (a, a)), ('ij,jk,kl->il', (a, b, b.t()))]:
    r = torch.einsum(eq, *ops)
    print(eq, tuple(r.shape), chain(r), r.grad_fn.next_functions)
print(torch.einsum('ij->ji', a)._base is a)
""",
    # einsum's sublist form (einsum(x, [0, 1], y, [1, 2], [0, 2])), a repeated subscript
    # whose sizes differ, empty and integer operands, an identity equation (a view).
    "einsum-forms": _TRY + """
torch.manual_seed(0)
A = torch.randn(2, 3, 4)
B = torch.randn(2, 4, 5)
x = torch.randn(2, 3, requires_grad=True)
tr(lambda: torch.einsum(A, [..., 0, 1], B, [..., 1, 2], [..., 0, 2]))
tr(lambda: torch.einsum(x, [0, 1], [1, 0]))
tr(lambda: torch.einsum(A, [0, 1, 60]))
tr(lambda: torch.einsum('ii->i', torch.randn(3, 2)))
tr(lambda: torch.einsum('ij,jk->ik', torch.randn(0, 3), torch.randn(3, 2)))
tr(lambda: torch.einsum('ij,jk->ik', torch.randn(2, 0), torch.randn(0, 2)))
tr(lambda: torch.einsum('i,i', torch.arange(3), torch.arange(3)))
tr(lambda: (torch.einsum('ij->ij', x).grad_fn, torch.einsum('ij->ij', x)._is_view()))
tr(lambda: torch.einsum('i...->...', x))
tr(lambda: torch.einsum('ij,jk', [x, x.t()]))
tr(lambda: torch.einsum('a,b,c->abc', torch.ones(2), torch.ones(2), torch.ones(2)).shape)
""",
    # fill_diagonal_ fills an as_strided view of the diagonal (and its wrapped
    # continuation) as PyTorch does: CopySlices, the view-of-a-leaf error.
    "fill-diagonal": _TRY + """
torch.manual_seed(0)
w = torch.randn(3, 3, requires_grad=True)
h = w * 2
h.fill_diagonal_(0)
print(h, h.grad_fn)
h.sum().backward()
print(w.grad)
tr(lambda: w.fill_diagonal_(1))
tr(lambda: torch.randn(3, 4, requires_grad=True).t().fill_diagonal_(0))
for shape, wrap in [((7, 3), True), ((7, 3), False), ((3, 7), True), ((2, 2, 2), False),
                    ((5, 2), True), ((4, 3), True)]:
    a = torch.zeros(*shape)
    a.fill_diagonal_(2, wrap=wrap)
    print(a)
g = torch.zeros(4, 3).t()
g.fill_diagonal_(1, wrap=True)
c = torch.randn(3, 4, requires_grad=True)
d = c.t() * 1
d.fill_diagonal_(5)
d.sum().backward()
e = torch.arange(9).reshape(3, 3)
e.fill_diagonal_(-1)
print(g, d.grad_fn, c.grad, e, e._version)
""",
    # An in-place view op (squeeze_, unsqueeze_, t_) on a view leaves it a view of its
    # base: writes through it still reach the base's graph (CopySlices); on a view made in
    # no_grad it is the no_grad-view error.
    "inplace-view-ops-on-views": _TRY + """
torch.manual_seed(0)
x = torch.randn(2, 3)
v = x[0:1]
v.squeeze_(0)
print(v.shape, v._is_view(), v._base is x, x._version)
v.unsqueeze_(1)
v.t_()
print(v.shape, v._base is x)
v.mul_(0)
print(x)
w = torch.randn(2, 3, requires_grad=True)
h = w * 1
hv = h[1]
hv.unsqueeze_(0)
print(hv.grad_fn, hv._base is h)
hv.mul_(2)
print(h.grad_fn)
h.sum().backward()
print(w.grad)
with torch.no_grad():
    nv = w[0]
tr(lambda: nv.unsqueeze_(0))
print(nv.shape)
tr(lambda: w.t_())
""",
    "einsum-values-and-gradients": """
torch.manual_seed(0)
torch.set_printoptions(precision=8)
cases = [('ij,jk->ik', [(5, 7), (7, 3)]), ('bhqd,bhkd->bhqk', [(2, 3, 4, 8), (2, 3, 5, 8)]),
         ('...ij,...jk->...ik', [(3, 4), (2, 4, 5)]),
         ('bn,anm,bm->ba', [(2, 3), (4, 3, 5), (2, 5)]),
         ('iij->j', [(3, 3, 2)]), ('Ab,bC->AC', [(2, 3), (3, 4)]), ('bi,i->b', [(4, 1), (3,)]),
         ('ij,ik->jk', [(6, 3), (6, 4)]), ('n c h w, c -> n h w', [(2, 3, 2, 2), (3,)])]
for dt in (torch.float32, torch.float64):
    for eq, shapes in cases:
        xs = [torch.randn(*s, dtype=dt, requires_grad=True) for s in shapes]
        y = torch.einsum(eq, *xs)
        (y * torch.randn(y.shape, dtype=dt)).sum().backward()
        print(eq, y, [x.grad for x in xs])
a = torch.arange(6).reshape(2, 3)
print(torch.einsum('ij,kj->ik', a, a), torch.einsum('ij->j', a))
x = torch.randn(3, 3, requires_grad=True)
z = torch.autograd.grad(torch.einsum('ij,jk->ik', x, x).sum(), x, create_graph=True)[0]
print(z, torch.autograd.grad(z.sum(), x))
torch.set_printoptions(profile="default")
""",
})


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_prints_what_pytorch_prints(name: str) -> None:
    assert masked(gd_output(PROGRAMS[name])) == _torch(PROGRAMS[name])


def test_T_of_a_tensor_not_2d_warns_once_as_pytorch() -> None:
    warnings: list[str] = []
    buf = io.StringIO()
    run(Source("prog.gd", "import torch\nx = torch.ones(2, 3, 4)\na = x.T\nb = x.T\n"
                          "print(a.shape, torch.ones(2, 2).T.shape, torch.tensor(1.).T)\n"),
        AppOptions(write=buf.write, warn=warnings.append))
    assert buf.getvalue() == "torch.Size([4, 3, 2]) torch.Size([2, 2]) tensor(1.)\n"
    assert warnings == [
        "prog.gd:3: UserWarning: The use of `x.T` on tensors of dimension other than 2 to "
        "reverse their shape is deprecated and it will throw an error in a future release. "
        "Consider `x.mT` to transpose batches of matrices or `x.permute(*torch.arange(x.ndim - "
        "1, -1, -1))` to reverse the dimensions of a tensor.\n  a = x.T\n",
        # PyTorch 2.13 warns of a 0-D tensor's T too (round 21)
        "prog.gd:5: UserWarning: Tensor.T is deprecated on 0-D tensors. This function is the "
        "identity in these cases.\n  print(a.shape, torch.ones(2, 2).T.shape, "
        "torch.tensor(1.).T)\n"]
