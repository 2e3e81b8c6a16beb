"""Autograd as tutorials teach and check it, compared with PyTorch's output (round 11): the
functional API's forward-mode strategies (jacobian's and hessian's strategy="forward-
mode": vectorize only, create_graph refused, the blocks recorded and nested in lists),
detach_() of any view refused, batched matmul recorded as PyTorch's _matmul_impl records
it (folded into mm/mv, or expanded, flattened and multiplied by bmm: the nodes
grad_fn.next_functions shows, and the size errors of the product reached),
tensordot/inner (a size-1 contracted dim summed first, a full contraction one dot),
take_along_dim's broadcast, multi_dot's cheapest order, kron's _unsafe_views, a tuple
index's select/slice/unsqueeze steps (a full slice skipped, none at all an alias),
gradcheck's passes (the analytical Jacobian twice, the grad_output and undefined-grad
checks: what a printing backward shows), and grad_fn._saved_* across some sixty more
nodes (tensors, indices, dims, sizes, reductions; readable after backward for the non-
tensor ones)."""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output


def _torch(text: str) -> str:
    # gd prints a node without its address (deterministic output), PyTorch with it
    return masked(torch_output(text))


PROGRAMS = {
    # grad() of a non-leaf runs only the nodes it needs (PyTorch's engine marks them): the
    # activation's own node and what lies behind it stay for a later backward (Grad-CAM,
    # saliency), and gradgradcheck of a non-leaf input works.
    "grad-of-activation-then-backward": """
torch.manual_seed(0)
w1 = torch.randn(4, 3, requires_grad=True)
w2 = torch.randn(2, 4, requires_grad=True)
x = torch.randn(5, 3)
act = torch.relu(x @ w1.T)
g, = torch.autograd.grad((act @ w2.T)[:, 1].sum(), act)
print(g)
(act @ w2.T).pow(2).mean().backward()
print(w1.grad, w2.grad)
a = x @ w1.T
ga, gw = torch.autograd.grad(a.tanh().sum(), [a, w1])
print(ga.sum(), gw)
y = w1 / 3
h, = torch.autograd.grad(torch.autograd.grad(y.sin().sum(), y, create_graph=True)[0].sum(), y)
print(h, torch.autograd.grad(y.cos().sum(), y)[0], torch.autograd.grad((y * 2).sum(), w1)[0])
xx = torch.tensor([1.5, 2.5], dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradgradcheck(torch.sin, (xx / 3,)))
print(torch.autograd.gradcheck(torch.tanh, (xx * 2,)))
""",
    "indexing-nodes": """
torch.manual_seed(0)
def chain(t):
    out = []
    fn = t.grad_fn
    while fn is not None and not hasattr(fn, "variable"):
        out.append(fn.name())
        fn = fn.next_functions[0][0]
    return out
x = torch.randn(3, 4, 5, requires_grad=True)
for name, f in [("0,0", lambda: x[0, 0]), ("1:,2", lambda: x[1:, 2]), ("0,1:", lambda: x[0, 1:]),
                (":,0", lambda: x[:, 0]), ("...,0", lambda: x[..., 0]), ("None", lambda: x[None]),
                ("0,None", lambda: x[0, None]), ("1:,None,2", lambda: x[1:, None, 2]),
                ("::2,1:3", lambda: x[::2, 1:3]), ("0,0,0", lambda: x[0, 0, 0]),
                ("0][1", lambda: x[0][1]), ("-1", lambda: x[-1]), (":,:,1:", lambda: x[:, :, 1:]),
                ("0,[0,1]", lambda: x[0, [0, 1]]), ("[0,1],0", lambda: x[[0, 1], 0]),
                ("1:,[0,2]", lambda: x[1:, [0, 2]]), ("mask", lambda: x[x > 0]),
                ("0,mask", lambda: x[0][x[0] > 0]), (":,None", lambda: x[:, None]),
                ("...,None", lambda: x[..., None]), ("1:2,...,3", lambda: x[1:2, ..., 3]),
                ("full", lambda: x[:]), ("fullfull", lambda: x[:, :]), ("0:9", lambda: x[0:9, 1]),
                ("tensor idx", lambda: x[torch.tensor(1)]), ("0,...", lambda: x[0, ...]),
                ("...", lambda: x[...]), ("1:,[[0],[2]],None", lambda: x[1:, [[0], [2]], None])]:
    y = f()
    print(name, chain(y), tuple(y.shape), y._base is x, y.grad_fn)
y = x[1:, 2]
y.sum().backward()
print(x.grad.sum(), x.grad[1, 2])
z = x * 1
v = z[0, 1:]
v.mul_(2)
print(v.grad_fn, z.grad_fn, v._base is z)
z.sum().backward()
print(x.grad[0])
""",
    "gradcheck-backward-calls": """
from torch.autograd import Function, gradcheck, gradgradcheck
calls = {"f": 0, "b": 0}
class Sq(Function):
    @staticmethod
    def forward(ctx, x):
        calls["f"] += 1
        ctx.save_for_backward(x)
        return x * x
    @staticmethod
    def backward(ctx, g):
        calls["b"] += 1
        x, = ctx.saved_tensors
        return 2 * x * g
torch.manual_seed(0)
x = torch.randn(4, dtype=torch.double, requires_grad=True)
print(gradcheck(Sq.apply, (x,)), calls)
calls["f"] = calls["b"] = 0
print(gradgradcheck(Sq.apply, (x,)), calls)
class Two(Function):
    @staticmethod
    def forward(ctx, x, y):
        calls["f"] += 1
        ctx.save_for_backward(x, y)
        return x * y, x + y
    @staticmethod
    def backward(ctx, g1, g2):
        calls["b"] += 1
        x, y = ctx.saved_tensors
        return g1 * y + g2, g1 * x + g2
calls["f"] = calls["b"] = 0
y = torch.randn(4, dtype=torch.double, requires_grad=True)
print(gradcheck(Two.apply, (x, y)), calls)
calls["f"] = calls["b"] = 0
print(gradcheck(Two.apply, (x, y), check_undefined_grad=False), calls)
class Loud(Function):
    @staticmethod
    def forward(ctx, x):
        print("forward")
        return x * 2
    @staticmethod
    def backward(ctx, g):
        print("backward", g)
        return g * 3
try:
    gradcheck(Loud.apply, (torch.ones(2, dtype=torch.double, requires_grad=True),))
except Exception as e:
    print(type(e).__name__, e)
class Unscaled(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return torch.ones_like(g) * 2
print(gradcheck(Unscaled.apply, (x,), raise_exception=False))
try:
    gradcheck(Unscaled.apply, (x,))
except Exception as e:
    print(type(e).__name__, e)
""",
    "tensordot-inner-take-along-nodes": """
torch.manual_seed(0)
def show(t):
    def rec(fn, d):
        if fn is None:
            print("  " * d + "None"); return
        if hasattr(fn, "variable"):
            print("  " * d + "AccumulateGrad", tuple(fn.variable.shape)); return
        print("  " * d + fn.name())
        for f, i in fn.next_functions:
            rec(f, d + 1)
    rec(t.grad_fn, 0)
    print(tuple(t.shape))
def leaf(*s):
    return torch.randn(*s, requires_grad=True)
for name, f in [
  ("td 1-1", lambda: torch.tensordot(leaf(4), leaf(4), dims=1)),
  ("td 1-1 list", lambda: torch.tensordot(leaf(4), leaf(4), dims=([0], [0]))),
  ("td 2-1", lambda: torch.tensordot(leaf(3, 4), leaf(4), dims=1)),
  ("td 1-2", lambda: torch.tensordot(leaf(4), leaf(4, 3), dims=1)),
  ("td 0", lambda: torch.tensordot(leaf(2), leaf(3), dims=0)),
  ("td 3-3", lambda: torch.tensordot(leaf(2, 3, 4), leaf(3, 4, 5), dims=2)),
  ("inner 1", lambda: torch.inner(leaf(4), leaf(4))),
  ("inner 2", lambda: torch.inner(leaf(3, 4), leaf(2, 4))),
  ("inner 2-1", lambda: torch.inner(leaf(3, 4), leaf(4))),
  ("inner 3-2", lambda: torch.inner(leaf(2, 3, 4), leaf(5, 4))),
  ("inner s", lambda: torch.inner(leaf(4), torch.tensor(2.0, requires_grad=True))),
  ("tad", lambda: torch.take_along_dim(leaf(2, 4), torch.tensor([[0, 1], [2, 0]]), dim=1)),
  ("tad b", lambda: torch.take_along_dim(leaf(2, 4), torch.tensor([[0], [2]]), dim=1)),
  ("tad bc", lambda: torch.take_along_dim(leaf(1, 4), torch.tensor([[0], [2]]), dim=1)),
  ("tad neg", lambda: torch.take_along_dim(leaf(3, 4), torch.tensor([[0, 1, 2, 0]]), dim=0)),
  ("tad 1d", lambda: torch.take_along_dim(leaf(4), torch.tensor([3, 0]), dim=0)),
]:
    print("---", name)
    show(f())
for name, f in [
  ("td full 2", lambda: torch.tensordot(leaf(3, 4), leaf(3, 4), dims=2)),
  ("td full T", lambda: torch.tensordot(leaf(3, 4), leaf(4, 3), dims=([0, 1], [1, 0]))),
  ("td bcast", lambda: torch.tensordot(leaf(3, 1), leaf(5, 2), dims=([1], [1]))),
  ("td bcast2", lambda: torch.tensordot(leaf(3, 4), leaf(1, 2), dims=([1], [0]))),
  ("inner 1x1", lambda: torch.inner(leaf(3, 1), leaf(2, 1))),
]:
    print("---", name)
    show(f())
for f in [lambda: torch.tensordot(leaf(3, 4), leaf(5, 2), dims=([1], [0])),
          lambda: torch.inner(leaf(3, 4), leaf(3)),
          lambda: torch.tensordot(leaf(3, 4), leaf(4, 2), dims=([1, 0], [0]))]:
    try:
        f()
    except RuntimeError as e:
        print(e)
a, b = leaf(3, 4), leaf(2, 4)
torch.inner(a, b).pow(2).sum().backward()
print(a.grad.sum().item(), b.grad.sum().item())
""",
    "multi-dot-order": """
torch.manual_seed(0)
def show(t):
    def rec(fn, d):
        if fn is None:
            print("  " * d + "None"); return
        if hasattr(fn, "variable"):
            print("  " * d + "AccumulateGrad", tuple(fn.variable.shape)); return
        print("  " * d + fn.name())
        for f, i in fn.next_functions:
            rec(f, d + 1)
    rec(t.grad_fn, 0)
    print(tuple(t.shape), round(t.sum().item(), 3))
def leaf(*s):
    return torch.randn(*s, requires_grad=True)
from torch.linalg import multi_dot
for shapes in [[(3, 4), (4, 5), (5, 2)], [(2, 4), (4, 5), (5, 3)], [(4,), (4, 5), (5, 2)],
               [(3, 4), (4, 5), (5,)], [(4,), (4,)], [(2, 3), (3, 6), (6, 1), (1, 7)],
               [(5, 1), (1, 5), (5, 1), (1, 5), (5, 2)], [(3, 3)] * 4,
               [(4,), (4, 2), (2, 6), (6, 3), (3,)]]:
    print("---", shapes)
    show(multi_dot([leaf(*s) for s in shapes]))
""",
    "kron-nodes": """
torch.manual_seed(0)
def show(t):
    def rec(fn, d):
        if fn is None:
            print("  " * d + "None"); return
        if hasattr(fn, "variable"):
            print("  " * d + "AccumulateGrad", tuple(fn.variable.shape)); return
        print("  " * d + fn.name())
        for f, i in fn.next_functions:
            rec(f, d + 1)
    rec(t.grad_fn, 0)
    print(t)
def leaf(*s):
    return torch.randn(*s, requires_grad=True)
for a, b in [((2, 2), (2, 3)), ((3,), (2,)), ((2,), (2, 2)), ((2, 1, 2), (3,))]:
    x, y = leaf(*a), leaf(*b)
    show(torch.kron(x, y))
    torch.kron(x, y).pow(2).sum().backward()
    print(x.grad, y.grad)
""",
    "batched-matmul-nodes": """
torch.manual_seed(0)
def show(t):
    def rec(fn, d):
        if fn is None:
            print("  " * d + "None")
            return
        if hasattr(fn, "variable"):
            print("  " * d + "AccumulateGrad", tuple(fn.variable.shape))
            return
        print("  " * d + fn.name())
        for f, i in fn.next_functions:
            rec(f, d + 1)
    rec(t.grad_fn, 0)
    print(tuple(t.shape), t._base is None)
def leaf(*s):
    return torch.randn(*s, requires_grad=True)
def plain(*s):
    return torch.randn(*s)
cases = [
    ("3@3", lambda: leaf(2, 3, 4) @ leaf(2, 4, 5)),
    ("3@3 bcast", lambda: leaf(2, 3, 4) @ leaf(1, 4, 5)),
    ("1x3@3 rg", lambda: leaf(1, 3, 4) @ leaf(2, 4, 5)),
    ("1x3 plain@3", lambda: plain(1, 3, 4) @ leaf(2, 4, 5)),
    ("4@4", lambda: leaf(2, 2, 3, 4) @ leaf(2, 2, 4, 5)),
    ("4@3 bcast", lambda: leaf(2, 2, 3, 4) @ leaf(2, 4, 5)),
    ("3@2 rg", lambda: leaf(2, 3, 4) @ leaf(4, 5)),
    ("3@2 plain w", lambda: leaf(2, 3, 4) @ plain(4, 5)),
    ("3T@2 plain w", lambda: leaf(2, 4, 3).transpose(1, 2) @ plain(4, 5)),
    ("perm@2 plain", lambda: leaf(3, 2, 4).permute(1, 0, 2) @ plain(4, 5)),
    ("3@1 rg", lambda: leaf(2, 3, 4) @ leaf(4)),
    ("3T@1 plain", lambda: leaf(2, 4, 3).transpose(1, 2) @ plain(4)),
    ("4perm@1", lambda: leaf(2, 3, 2, 4).permute(0, 2, 1, 3) @ plain(4)),
    ("1@3 rg", lambda: leaf(4) @ leaf(2, 4, 5)),
    ("1@3 plain", lambda: plain(4) @ leaf(2, 4, 5)),
    ("2@3 rg", lambda: leaf(3, 4) @ leaf(2, 4, 5)),
    ("2@3 plain", lambda: plain(3, 4) @ leaf(2, 4, 5)),
    ("attn", lambda: leaf(1, 2, 4, 3) @ leaf(1, 2, 4, 3).transpose(-2, -1) / 3 ** 0.5),
    ("torch.matmul", lambda: torch.matmul(leaf(5, 1, 3, 4), leaf(2, 4, 1))),
    ("linalg.matmul", lambda: torch.linalg.matmul(leaf(2, 4, 1), plain(1))),
    ("empty", lambda: leaf(0, 3, 4) @ leaf(4, 5)),
]
for name, f in cases:
    print("---", name)
    show(f())
a = torch.randn(2, 3, 4, dtype=torch.float64, requires_grad=True)
b = torch.randn(4, 5, dtype=torch.float64, requires_grad=True)
c = torch.randn(2, 4, 5, dtype=torch.float64, requires_grad=True)
v = torch.randn(4, dtype=torch.float64, requires_grad=True)
(a @ b).sum().backward()
(a @ c).pow(2).sum().backward()
(v @ c).sum().backward()
print(a.grad, b.grad, c.grad, v.grad)
g, = torch.autograd.grad((a @ c).pow(2).sum(), a, create_graph=True)
print(g.grad_fn.name(), g.grad_fn.next_functions[0][0].name())
for sa, sb in [((2, 3, 4), (2, 5, 5)), ((2, 3, 4), (3, 4, 5)), ((2, 3, 4), (5, 5)),
               ((2, 3, 4), (5,)), ((4,), (2, 5, 5)), ((3, 4), (2, 5, 5)),
               ((2, 2, 3, 4), (2, 5, 6)), ((2, 3, 4), (1, 5, 5)), ((1, 3, 4), (2, 5, 5))]:
    for first in (True, False):
        try:
            (leaf(*sa) if first else plain(*sa)) @ (plain(*sb) if first else leaf(*sb))
        except RuntimeError as e:
            print(sa, sb, first, e)
""",
    "saved-attributes": """
torch.manual_seed(0)
x = torch.randn(2, 3, requires_grad=True)
y = torch.randn(2, 3, requires_grad=True)
m = x.max(-1)
print(m.values.grad_fn._saved_indices,
      m.values.grad_fn._saved_dim,
      m.values.grad_fn._saved_keepdim)
m = x.max(0, keepdim=True)
print(m.values.grad_fn._saved_indices,
      m.values.grad_fn._saved_keepdim,
      m.values.grad_fn._saved_self_sym_sizes)
m = x.min(1)
print(m[0].grad_fn._saved_indices)
s = x.sort(1)
print(s[0].grad_fn._saved_indices)
t = x.topk(2)
print(t[0].grad_fn._saved_indices)
k = x.kthvalue(2, 1)
print(k[0].grad_fn._saved_indices)
print(x.sum(1).grad_fn._saved_dim,
      x.sum((0, 1), keepdim=True).grad_fn._saved_dim,
      x.mean(-1).grad_fn._saved_self_sym_numel)
print(x.softmax(-1).grad_fn._saved_result)
print(x.log_softmax(dim=1).grad_fn._saved_dim)
print(torch.where(x > 0, x, y).grad_fn._saved_condition)
print(x.norm(dim=1).grad_fn._saved_ord,
      x.norm(p=1).grad_fn._saved_ord,
      x.norm(dim=1).grad_fn._saved_dim,
      torch.linalg.vector_norm(x, ord=3).grad_fn._saved_ord)
print(x.clamp(-0.5, 0.5).grad_fn._saved_min, x.clamp(max=0.5).grad_fn._saved_max)
print(x.clamp(min=0).grad_fn.name())
l = torch.nn.functional.mse_loss(x, y, reduction="sum")
print(l.grad_fn._saved_reduction, l.grad_fn._saved_target is y)
l = torch.nn.functional.binary_cross_entropy(x.sigmoid(), torch.ones(2, 3))
print(l.grad_fn._saved_reduction, l.grad_fn._saved_weight)
print(torch.lerp(x, y, 0.25).grad_fn._saved_weight)
print((x + y).grad_fn._saved_alpha,
      torch.add(x, y, alpha=2).grad_fn._saved_alpha,
      (x - 3).grad_fn._saved_alpha)
print(x.gather(1, torch.tensor([[0], [2]])).grad_fn._saved_index)
print(x.index_select(1, torch.tensor([2, 0])).grad_fn._saved_index)
print(x.masked_fill(x > 0, 1.0).grad_fn._saved_mask)
print(torch.maximum(x, y).grad_fn._saved_other is y, torch.hypot(x, y).grad_fn._saved_result)
print(x.amax(1).grad_fn._saved_dim, x.amax().grad_fn._saved_dim)
a = torch.addmm(torch.zeros(2, 2), x, y.t(), beta=0.5, alpha=2)
print(a.grad_fn._saved_alpha,
      a.grad_fn._saved_beta,
      a.grad_fn._saved_mat1 is x,
      a.grad_fn._saved_mat2)
b = torch.addmm(torch.zeros(2, 2, requires_grad=True), x.detach(), y.t())
print(b.grad_fn._saved_mat1, b.grad_fn._saved_mat2)
c = torch.addcmul(x, x, y, value=2)
print(c.grad_fn._saved_value, c.grad_fn._saved_tensor2 is y)
print(torch.nn.functional.leaky_relu(x).grad_fn._saved_negative_slope,
      torch.nn.functional.hardtanh(x, -2, 2).grad_fn._saved_min_val)
print(torch.nn.functional.softplus(x, beta=2).grad_fn._saved_beta,
      torch.nn.functional.gelu(x, approximate="tanh").grad_fn._saved_approximate)
print(x.logsumexp(1).grad_fn._saved_dim,
      x.std(1).grad_fn._saved_dim,
      x.var().grad_fn._saved_dim)
print(x.expand(3, 2, 3).grad_fn._saved_self_sym_sizes,
      x.view(6).grad_fn._saved_self_sym_sizes,
      x.permute(1, 0).grad_fn._saved_dims)
print(torch.cat([x, y], 1).grad_fn._saved_dim, torch.stack([x, y]).grad_fn._saved_dim)
print(torch.dist(x, y, 3).grad_fn._saved_p, x.prod(1).grad_fn._saved_dim)
z = x.exp()
z.sum().backward()
try:
    print(z.grad_fn._saved_result)
except RuntimeError as e:
    print(str(e)[:50])
m = x.max(1)[0]
m.sum().backward()
print(m.grad_fn._saved_dim)
try:
    print(m.grad_fn._saved_indices)
except RuntimeError as e:
    print(str(e)[:50])
""",
    "saved-attributes-across-ops": """
torch.manual_seed(0)
x = torch.randn(3, requires_grad=True)
y = torch.randn(3, requires_grad=True)
cases = [
    ("mul", lambda: x * y),
    ("div", lambda: x / y),
    ("pow", lambda: x ** 2),
    ("powt", lambda: x.abs() ** y),
    ("exp", lambda: x.exp()),
    ("log", lambda: x.abs().log()),
    ("sin", lambda: x.sin()),
    ("tanh", lambda: x.tanh()),
    ("sigmoid", lambda: x.sigmoid()),
    ("relu", lambda: x.relu()),
    ("sqrt", lambda: x.abs().sqrt()),
    ("mm", lambda: x.view(3, 1).mm(y.view(1, 3))),
    ("sum", lambda: x.sum()),
    ("mean", lambda: x.mean()),
    ("max", lambda: x.max()),
    ("maxdim", lambda: x.max(0)[0]),
    ("softmax", lambda: x.softmax(0)),
    ("logsm", lambda: x.log_softmax(0)),
    ("clamp", lambda: x.clamp(min=0)),
    ("norm", lambda: x.norm()),
    ("cat", lambda: torch.cat([x, y])),
    ("where", lambda: torch.where(x > 0, x, y)),
    ("prod", lambda: x.prod()),
    ("expand", lambda: x.expand(2, 3)),
    ("sub", lambda: x - 2 * y),
    ("rsub", lambda: 1 - x),
    ("addcmul", lambda: torch.addcmul(x, x, y, value=0.5)),
    ("lerp", lambda: torch.lerp(x, y, 0.3)),
    ("atan2", lambda: torch.atan2(x, y)),
    ("hypot", lambda: torch.hypot(x, y)),
    ("maximum", lambda: torch.maximum(x, y)),
    ("logsumexp", lambda: x.logsumexp(0)),
    ("reciprocal", lambda: x.reciprocal()),
    ("rsqrt", lambda: x.abs().rsqrt()),
    ("erf", lambda: x.erf()),
    ("gelu", lambda: torch.nn.functional.gelu(x)),
    ("silu", lambda: torch.nn.functional.silu(x)),
    ("leaky", lambda: torch.nn.functional.leaky_relu(x, 0.2)),
    ("mse", lambda: torch.nn.functional.mse_loss(x, y)),
    ("bce", lambda: torch.nn.functional.binary_cross_entropy(x.sigmoid(), y.sigmoid())),
    ("dot", lambda: x.dot(y)),
    ("mvlgamma", lambda: x.abs().lgamma()),
    ("linear", lambda: torch.nn.functional.linear(x.view(1, 3), y.view(1, 3))),
    ("amax", lambda: x.amax()),
    ("min", lambda: x.min(0)[0]),
    ("median", lambda: x.median()),
    ("softplus", lambda: torch.nn.functional.softplus(x)),
    ("hardtanh", lambda: torch.nn.functional.hardtanh(x)),
    ("square", lambda: x.square()),
    ("abs", lambda: x.abs()),
    ("sign", lambda: x.sign()),
    ("neg", lambda: -x),
    ("trunc", lambda: x.trunc()),
    ("addmm", lambda: torch.addmm(x.view(1,3), x.view(3,1), y.view(1,3))),
    ("cosine", lambda: torch.nn.functional.cosine_similarity(x, y, dim=0)),
    ("normalize", lambda: torch.nn.functional.normalize(x, dim=0)),
    ("xlogy", lambda: torch.xlogy(x, y.abs())),
    ("fmod", lambda: torch.fmod(x, 0.7)),
    ("remainder", lambda: x.remainder(0.7)),
    ("logaddexp", lambda: torch.logaddexp(x, y)),
    ("dist", lambda: torch.dist(x, y)),
    ("masked_fill", lambda: x.masked_fill(x > 0, 0.0)),
]
ATTRS = ['_saved_alpha', '_saved_approximate', '_saved_beta', '_saved_condition',
         '_saved_correction', '_saved_dim', '_saved_dimension', '_saved_dims',
         '_saved_end', '_saved_exponent', '_saved_index', '_saved_indices',
         '_saved_input_scale', '_saved_keepdim', '_saved_mask', '_saved_mat1',
         '_saved_mat1_sym_sizes', '_saved_mat2', '_saved_mat2_sym_sizes', '_saved_max',
         '_saved_max_val', '_saved_min', '_saved_min_val', '_saved_negative_slope',
         '_saved_ord', '_saved_other', '_saved_p', '_saved_reduction', '_saved_repeats',
         '_saved_result', '_saved_scale', '_saved_self', '_saved_self_sym_numel',
         '_saved_self_sym_sizes', '_saved_shifts', '_saved_size', '_saved_sparse_grad',
         '_saved_start', '_saved_step', '_saved_target', '_saved_tensor',
         '_saved_tensor1', '_saved_tensor2', '_saved_threshold', '_saved_value',
         '_saved_weight']
for name, f in cases:
    out = f()
    fn = out.grad_fn
    attrs = [a for a in ATTRS if hasattr(fn, a)]
    vals = []
    for a in attrs:
        if a.startswith("_raw"):
            continue
        v = getattr(fn, a)
        if isinstance(v, torch.Tensor):
            v = "T" + str(tuple(v.shape)) + ("same-x" if v is x else "")
        vals.append(f"{a}={v}")
    print(name, fn.name(), vals)
""",
    "jacobian-forward-mode": """
from torch.autograd.functional import jacobian, hessian
torch.manual_seed(0)
a, b = torch.rand(2), torch.rand(2)
def f(x, y):
    return (x.pow(3) * y).sum()
print(hessian(f, (a, b), vectorize=True, outer_jacobian_strategy="forward-mode"))
print(hessian(lambda x: x.pow(3).sum(), a, vectorize=True, outer_jacobian_strategy="forward-mode"))
def g(x, y):
    return x * y, x + y
print(jacobian(g, (a, b), vectorize=True, strategy="forward-mode"))
print(jacobian(lambda x: (x.sin(), x.cos()), a, vectorize=True, strategy="forward-mode"))
print(jacobian(lambda x, y: 2 * x.exp() + 3 * y, (a, b), vectorize=True, strategy="forward-mode"))
x = torch.rand(2, 2, requires_grad=True)
print(jacobian(lambda x: x.sin().sum(0), x, vectorize=True, strategy="forward-mode"))
print(jacobian(lambda x, y: x.sin().sum(0) * y, (x, a), vectorize=True, strategy="forward-mode"))
print(hessian(lambda x: x.pow(3).sum(), x, vectorize=True, outer_jacobian_strategy="forward-mode"))
""",
    "jacobian-forward-mode-errors": """
from torch.autograd.functional import jacobian, hessian
a = torch.tensor([0.5, 1.5])
calls = [
    lambda: jacobian(lambda x: x.sin(), a, strategy="forward-mode"),
    lambda: hessian(lambda x: x.pow(3).sum(), a, outer_jacobian_strategy="forward-mode"),
    lambda: jacobian(lambda x: x.sin(), a, vectorize=True, strategy="forward-mode",
                     create_graph=True),
    lambda: jacobian(lambda x: x.sin(), a, strategy="fwd"),
    lambda: hessian(lambda x: x.sin().sum(), a, outer_jacobian_strategy="reverse"),
]
for call in calls:
    try:
        call()
    except Exception as e:
        print(type(e).__name__, e)
""",
    "detach-in-place-views": """
for make in [lambda: torch.ones(3), lambda: torch.ones(3, requires_grad=True),
             lambda: (torch.ones(3, requires_grad=True) * 2).detach()]:
    x = make()
    for f in [lambda: x[:2], lambda: x.view(3), lambda: x.detach(), lambda: x.reshape(3)]:
        v = f()
        try:
            v.detach_()
            print("ok", v._base is x, v.requires_grad)
        except RuntimeError as e:
            print(str(e)[:40])
y = torch.ones(3, requires_grad=True) * 2
y.detach_()
print(y.requires_grad, y.is_leaf, y.grad_fn)
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_prints_what_pytorch_prints(name: str) -> None:
    text = "import torch\n" + PROGRAMS[name].lstrip("\n")
    assert masked(gd_output(text)) == _torch(text)
