"""Round 19 (real): what real PyTorch programs nobody here wrote showed, each compared
with what PyTorch prints: the protocol dunders of built-in values called by name
(`t.__add__(u)`, `x.__len__()`, `d.__getitem__(k)`), convolutions of no samples or no
channels (ATen's empty backend), and Tensor.split's argument dispatch."""

# ruff: noqa: E501  (the programs are written as their authors wrote them)
from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

DUNDERS = """\
import torch
t = torch.tensor([1.0, 2.0], requires_grad=True)
u = torch.tensor([3.0, 4.0])
print((5).__add__(2.5), (5).__radd__(2), (2.5).__add__(1), (2.5).__rsub__(1), (1).__add__(1j), (3).__mul__(t))
print((True).__and__(False), (7).__floordiv__(2), (7).__mod__(3), (2).__pow__(10), (7).__rshift__(1), (7).__rrshift__(1))
print((3).__eq__(3.0), (3).__lt__(4), (3.5).__int__(), (3).__float__(), (7).__index__(), (2.675).__round__(2), (-3).__abs__(), (5).__neg__(), (5).__invert__())
print(t.__mul__(u), t.__rmul__(2), t.__rtruediv__(1), t.__rpow__(2), t.__matmul__(u), t.__rsub__(u), t.__ge__(1.5), t.__ne__(u))
v = u.clone(); v.__iadd__(1); print(v, v.__isub__(t.detach()), v.__imul__(2))
d = {'a': 1, 'b': 2}
print(d.__len__(), d.__contains__('a'), d.__getitem__('b'), list(d.__iter__()), max(d, key=d.__getitem__))
d.__delitem__('a'); print(d)
l = [1, 2, 3]
l.__setitem__(0, 9); print(l, l.__len__(), l.__contains__(2), l.__add__([4]), l.__mul__(2), l.__eq__([9, 2, 3]), list(l.__reversed__()))
print("abc".__len__(), "abc".__getitem__(1), "ab".__add__("cd"), "ab".__mul__(2), "a".__lt__("b"), "x".__contains__("x"))
print((1, 2).__len__(), (1, 2).__getitem__(0), (1, 2) .__add__((3,)), range(5).__len__(), range(5).__getitem__(2), torch.Size([2, 3]).__getitem__(1))
print(t.__len__(), t.__getitem__(0), t.__repr__(), t.__format__('') if False else '', u.__bool__() if False else 0, torch.tensor(2.0).__float__(), torch.tensor(3).__int__(), torch.tensor(3).__index__())
print(float(t.__abs__().sum().detach()), t.__neg__(), t.__pos__() is t, u.__contains__(3.0), [x for x in u.__iter__()], torch.tensor(True).__bool__())
s = t.__mul__(u).sum(); s.backward(); print(t.grad, s.grad_fn.name())
print((3).__truediv__(2), (3).__rtruediv__(2), (3).__sub__(True), (1.5).__floordiv__(0.4), (2).__hash__(), "a".__hash__() == hash("a"))
"""

CONV_EMPTY = """\
import torch
import torch.nn.functional as F
def tr(f):
    try:
        r = f()
        print(r.shape, r.sum(), r.grad_fn is not None and r.grad_fn.name())
    except Exception as e:
        print(type(e).__name__, e)
for d, f, ft in [(1, F.conv1d, F.conv_transpose1d), (2, F.conv2d, F.conv_transpose2d), (3, F.conv3d, F.conv_transpose3d)]:
    w = torch.ones((2, 3) + (1,) * d, requires_grad=True)
    tr(lambda: ft(torch.ones((0, 2) + (1,) * d), w, padding=1))
    tr(lambda: ft(torch.ones((0, 2) + (1,) * d), w, padding=1, bias=torch.ones(3)))
    tr(lambda: ft(torch.ones((0, 2) + (3,) * d), w, stride=2))
    tr(lambda: ft(torch.ones((1, 2) + (0,) * d), w))
    tr(lambda: ft(torch.ones((1, 0) + (2,) * d), torch.ones((0, 3) + (1,) * d)))
    tr(lambda: ft(torch.ones((1, 0) + (2,) * d), torch.ones((0, 3) + (1,) * d), groups=0 or 1))
    w2 = torch.ones((3, 2) + (2,) * d, requires_grad=True)
    tr(lambda: f(torch.ones((0, 2) + (3,) * d), w2))
    tr(lambda: f(torch.ones((0, 2) + (1,) * d), w2))
    tr(lambda: f(torch.ones((1, 2) + (0,) * d), w2))
    tr(lambda: f(torch.ones((1, 0) + (3,) * d), torch.ones((3, 0) + (2,) * d)))
    tr(lambda: f(torch.ones((2, 3) + (3,) * d), torch.ones((0, 3) + (2,) * d)))
x = torch.ones(0, 2, 4, 4, 4, requires_grad=True)
y = torch.nn.ConvTranspose3d(2, 3, 3, stride=2)(x)
y.sum().backward(); print(y.shape, x.grad.shape)

print(F.conv1d(torch.ones(2,0,5), torch.ones(5,0,2)).shape, F.conv1d(torch.ones(2,0,5), torch.ones(4,0,2), bias=torch.ones(4)).shape, F.conv2d(torch.ones(2,0,5,5), torch.ones(4,0,2,2), stride=2).shape)
x=torch.ones(2,0,5, requires_grad=True); w=torch.ones(5,0,2, requires_grad=True); y=F.conv1d(x,w); print(y.grad_fn.name(), y.requires_grad); y.sum().backward(); print(x.grad.shape, w.grad.shape)
x=torch.ones(0,2,3, requires_grad=True); w=torch.ones(2,3,2, requires_grad=True); y=F.conv_transpose1d(x,w, padding=1); print(y.shape, y.grad_fn.name()); y.sum().backward(); print(x.grad.shape, w.grad)
x=torch.ones(2,3, requires_grad=True); print(F.conv_transpose1d(x[:, :0], w[:, :, :1]) if False else F.conv1d(torch.ones(0, 4), torch.ones(3, 0, 2)).shape)"""

SPLIT_ARGS = """\
import torch
import numpy as np
class I:
    def __index__(self):
        return 2
t = torch.arange(6.)
for arg in [I(), 2.0, True, torch.tensor(2), [2.0, 4], (2, 4), [torch.tensor(2), 4], [I(), 4], [True, 5], torch.tensor([2, 4]), None, "2"]:
    for f in [lambda: t.split(arg), lambda: torch.split(t, arg), lambda: t.split_with_sizes(arg) , lambda: t.chunk(arg)]:
        try:
            r = f()
            print([p.tolist() for p in r])
        except Exception as e:
            print(type(e).__name__, e)
"""

# default_collate: a column of strings stays what it was given (a tuple from tuple samples,
# a list from dict samples and at the top).
COLLATE_STRINGS = """\
import torch
from torch.utils.data import DataLoader, default_collate
print(list(DataLoader([(1, 'a'), (2, 'b')], batch_size=2)))
print(list(DataLoader([{'n': 'a', 'v': 1.5}, {'n': 'b', 'v': 2.5}], batch_size=2)))
print(list(DataLoader([[1, 'a'], [2, 'b']], batch_size=2)))
print(list(DataLoader(['x', 'y', 'z'], batch_size=2)))
print(list(DataLoader([(torch.ones(2), ('p', 3))] * 2, batch_size=2)))
print(default_collate([('a', 1), ('b', 2)]), default_collate(['a', 'b']), default_collate((('a', 1), ('b', 2))))
"""

# numpy's legacy generator as a program's own instance (numpy's numbers, bit for bit).
RANDOM_STATE = """\
import numpy as np
rs = np.random.RandomState(0)
print(rs.randn(3), rs.rand(2, 2), rs.randint(0, 10, size=4), rs.normal(1.0, 2.0, 3), rs.uniform(size=2))
print(rs.choice(5, 3, replace=False), rs.permutation(4))
x = np.arange(5); rs.shuffle(x); print(x)
rs.seed(1); print(rs.random_sample(2))
r2 = np.random.RandomState(seed=42)
print(r2.binomial(10, 0.5, size=3), r2.poisson(3.0, 2), r2.standard_normal((2,)), r2)
np.random.seed(0); print(np.random.randn(2))
"""

# torch.default_generator: the run's default generator, its methods, as a generator= argument.
DEFAULT_GENERATOR = """\
import torch
torch.manual_seed(3)
print(torch.rand(1), torch.default_generator.initial_seed(), type(torch.default_generator))
g = torch.manual_seed(5)
print(g.initial_seed(), torch.rand(2, generator=torch.default_generator), torch.randn(2, generator=g))
s = torch.default_generator.get_state()
a = torch.rand(2); torch.default_generator.set_state(s); print(torch.equal(a, torch.rand(2)))
torch.default_generator.manual_seed(7); print(torch.rand(1), torch.initial_seed(), torch.default_generator.device)
print(torch.randperm(4, generator=torch.default_generator), torch.empty(2).normal_(generator=torch.default_generator))
from torch.utils.data import DataLoader
print(list(DataLoader(list(range(6)), batch_size=3, shuffle=True, generator=torch.default_generator)))
"""

# torch.func.jvp over pytrees (the NTK tutorial's jvp of a dict of parameters), with
# PyTorch's messages (TreeSpec structures, non-tensor leaves, mismatched sizes).
FUNC_JVP_PYTREES = """\
import torch
from torch.func import jvp
x = torch.tensor([1.0, 2.0]); v = torch.ones(2)
def tr(f):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, str(e)[:300])
tr(lambda: jvp(lambda a, k: a * k, (x, 2), (v, 1)))
tr(lambda: jvp(lambda d: d['a'] * d['b'], ({'a': x, 'b': x},), ({'a': v, 'b': v},)))
tr(lambda: jvp(lambda d: d['a'] * d['b'], ({'a': x, 'b': x},), ({'a': v, 'c': v},)))
tr(lambda: jvp(lambda d: [d[0].sin(), {'k': d[1] ** 2}], ([x, x],), ([v, v * 2],)))
tr(lambda: jvp(lambda a: (a.exp(), a.sum()), (x,), (v,)))
tr(lambda: jvp(lambda a: a, (x,), (torch.ones(3),)))
tr(lambda: jvp(lambda a: a, (x, x), (v,)))
tr(lambda: jvp(lambda a: a, x, v))
tr(lambda: jvp(lambda a: a * 2, [x], [v]))
tr(lambda: jvp(lambda a: (a * 2, 3), (x,), (v,)))
tr(lambda: jvp(lambda: 1, (), ()))
"""

# `del ctx.result` in a custom function's jvp (the forward-mode AD tutorial).
CTX_DEL = """\
import torch
import torch.autograd.forward_ad as fwAD
class Fn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, foo):
        result = torch.exp(foo)
        ctx.result = result
        ctx.other = 1
        return result
    @staticmethod
    def jvp(ctx, gI):
        gO = gI * ctx.result
        del ctx.result
        print(hasattr(ctx, "result"), ctx.other)
        return gO
x = torch.tensor([0.0, 1.0], dtype=torch.double)
with fwAD.dual_level():
    out = Fn.apply(fwAD.make_dual(x, torch.ones(2, dtype=torch.double)))
    print(fwAD.unpack_dual(out).tangent)
class G(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.k = 2
        del ctx.k
        try:
            del ctx.k
        except AttributeError as e:
            print("AttributeError", e)
        return a * 2
    @staticmethod
    def backward(ctx, g):
        return g * 2
print(G.apply(torch.ones(1, requires_grad=True)))
"""

# numpy scalars where PyTorch takes an int, a size, a number or a tensor (np.prod(shape),
# np.int64 indices): PyTorch's parser takes them as the Python numbers they are; gd
# refused every one ("must be tuple of ints, not numpy.int64").
NUMPY_SCALAR_ARGS = """\
import numpy as np
import torch
def tr(f):
    try:
        r = f()
        print(r if not isinstance(r, torch.Tensor) else (r.shape, r.dtype, r.flatten()[:4]))
    except Exception as e:
        print(type(e).__name__, str(e).splitlines()[0])
n = np.int64(3)
k = np.prod([2, 3])
t = torch.arange(12.)
torch.manual_seed(0)
tr(lambda: torch.zeros(n))
tr(lambda: torch.zeros(n, 2))
tr(lambda: torch.zeros((n, 2)))
tr(lambda: t.view(n, -1))
tr(lambda: t.reshape(k, 2))
tr(lambda: t[n])
tr(lambda: t[np.int32(2):n + 5])
tr(lambda: t.chunk(n))
tr(lambda: t.split(np.int64(4)))
tr(lambda: t.repeat(n))
tr(lambda: t.narrow(0, n, 2))
tr(lambda: t.unsqueeze(np.int64(0)))
tr(lambda: t.sum(np.int64(0)))
tr(lambda: t.topk(n))
tr(lambda: torch.randint(0, np.int64(5), (n,)))
tr(lambda: torch.randn(n))
tr(lambda: torch.arange(n))
tr(lambda: torch.linspace(0, 1, np.int64(3)))
tr(lambda: torch.nn.Linear(np.int64(3), np.int64(2)).weight.shape)
tr(lambda: torch.nn.functional.one_hot(torch.tensor([0, 1]), num_classes=np.int64(3)))
tr(lambda: t.tensor_split(n))
tr(lambda: torch.full((n,), np.float32(1.5)))
tr(lambda: t * np.float64(2.0))
tr(lambda: t[np.array([1, 2])])
tr(lambda: torch.tensor(np.int64(5)) + 1)
tr(lambda: t.roll(np.int64(1)))
tr(lambda: t.flip(np.int64(0)) if False else 0)
tr(lambda: torch.eye(n))
tr(lambda: list(range(n)))
tr(lambda: t.new_zeros(n))
tr(lambda: t.expand(n, 12) if False else t.unsqueeze(0).expand(n, 12))
tr(lambda: torch.multinomial(torch.ones(4), np.int64(2)))
tr(lambda: torch.nn.Embedding(np.int64(10), 3)(torch.tensor([1])).shape)
tr(lambda: t.index_select(0, torch.tensor([n.item()])))
tr(lambda: torch.cat([t, t], dim=np.int64(0)))
tr(lambda: t.clamp(max=np.float64(3.0)))
tr(lambda: torch.nn.functional.pad(t, (n, 1)))
tr(lambda: (torch.tensor(np.float64(2.5)).dtype, torch.tensor([np.float32(1), 2]).dtype, torch.full((n,), np.float64(1.5)).dtype, torch.tensor(np.int32(3)).dtype))
tr(lambda: (torch.add(t, np.float64(2.0)).dtype, torch.mul(t, np.int64(2)).dtype, t.pow(np.float64(2.0)).dtype, torch.where(t > 5, t, np.float64(0.0)).dtype))
tr(lambda: (torch.zeros(np.float64(2.0))))
tr(lambda: (t.view(np.float32(3), 4)))
tr(lambda: torch.ones(2, 3).sum(dim=(np.int64(0), 1)))
tr(lambda: torch.ones(2, 3).permute(np.int64(1), 0).shape)
tr(lambda: torch.ones(2, 3).transpose(np.int64(0), np.int64(1)).shape)
tr(lambda: torch.ones(2, 3)[np.int64(1), np.int64(2)])
tr(lambda: torch.ones(5)[np.arange(2)])

t = torch.arange(12.)
for f in [lambda: torch.add(t, np.float64(2.0)).dtype, lambda: torch.mul(t, np.int64(2)).dtype, lambda: t.pow(np.float64(2.0)).dtype, lambda: torch.where(t > 5, t, np.float64(0.0)).dtype, lambda: torch.where(t > 5, np.float64(1.0), 0.0).dtype, lambda: torch.ones(2, 3).sum(dim=(np.int64(0), 1))]:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)"""

# tensor_split's tensor of indices: a long tensor of at most one dimension (a float one
# was taken as indices).
TENSOR_SPLIT_TENSOR = """\
import torch
t = torch.arange(6.)
for arg in [torch.tensor(2.5), torch.tensor([1, 3]), torch.tensor(3), torch.tensor([[1]]), torch.tensor([1, 3], dtype=torch.int32), torch.tensor(True), torch.tensor([2.0, 4.0], dtype=torch.float64)]:
    try:
        print([p.tolist() for p in t.tensor_split(arg)])
    except Exception as e:
        print(type(e).__name__, e)
"""


@pytest.mark.parametrize("program", [DUNDERS, CONV_EMPTY, SPLIT_ARGS, COLLATE_STRINGS,
                                     RANDOM_STATE, DEFAULT_GENERATOR, FUNC_JVP_PYTREES,
                                     CTX_DEL, NUMPY_SCALAR_ARGS, TENSOR_SPLIT_TENSOR],
                         ids=["dunders", "conv_empty", "split_args", "collate_strings",
                              "random_state", "default_generator", "func_jvp_pytrees",
                              "ctx_del", "numpy_scalar_args", "tensor_split_tensor"])
def test_program_prints_what_pytorch_prints(program: str) -> None:
    assert gd_output(program) == torch_output(program)
