"""Round 18, autograd: the order PyTorch's engine runs leaves made ready together (its
ready queue is a std::priority_queue, and every AccumulateGrad has the same, largest,
sequence number: ties leave in libstdc++'s heap order), vmap's errors for .item() and
data-dependent control flow on batched tensors, and torch.autograd.graph's names."""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output

PROGRAMS = {
    # Five leaves of one stack node: PyTorch pops a, c, e, b, d (the heap's order).
    "leaves_of_one_node": """
ts = [torch.tensor(float(i), requires_grad=True) for i in range(7)]
for i, t in enumerate(ts):
    t.register_hook(lambda g, i=i: print("hook", i, g))
    t.register_post_accumulate_grad_hook(lambda p, i=i: print("post", i, p.grad))
for n in (2, 3, 4, 5, 7):
    (torch.stack(ts[:n]) * torch.arange(float(n))).sum().backward()
    print("--")
z = torch.cat([t.reshape(1) for t in ts[:4]])
z.grad_fn.register_hook(lambda gi, go: print("node", len(gi)))
z.grad_fn.register_prehook(lambda go: print("pre", go))
z.sum().backward()
""",
    # Hooked and unhooked leaves together (every AccumulateGrad is in the queue), leaves
    # of different nodes, a leaf reached twice, grad() with inputs.
    "mixed_leaves": """
ws = [torch.tensor(float(i + 1), requires_grad=True) for i in range(6)]
for i in (0, 2, 3, 5):
    ws[i].register_hook(lambda g, i=i: print("leaf", i, g))
y = torch.stack([ws[0], ws[1], ws[2], ws[3] * ws[4], ws[5]]).prod() + ws[0] * ws[3]
y.backward()
tot = ws[0] * ws[1] + ws[2] * ws[3]
(tot * ws[1] + ws[3]).backward()
print(torch.autograd.grad(torch.stack(ws).sum(), [ws[5], ws[0], ws[2]]))
m = torch.stack(ws).sum(0, keepdim=True) * 2
m.register_hook(lambda g: print("m", g))
print(torch.autograd.grad(m.sum(), ws))
""",
    # Reading a batched tensor's values inside vmap: PyTorch's errors (RuntimeError); an
    # unbatched tensor reads as usual, and a batched one outside vmap too.
    "vmap_item_and_control_flow": """
from torch.func import vmap
x = torch.arange(6.0).reshape(2, 3)
xi = torch.arange(6).reshape(2, 3)
def tryit(f, a=x):
    try:
        print(vmap(f)(a))
    except RuntimeError as e:
        print(type(e).__name__, e)
tryit(lambda t: t.sum().item())
tryit(lambda t: float(t.sum()))
tryit(lambda t: int(t[0]))
tryit(lambda t: bool(t.sum() > 0))
tryit(lambda t: t * 2 if t.sum() > 0 else t)
tryit(lambda t: t * 2 if (t > 100).any() else t)
tryit(lambda t: t.max(0).values.item())
tryit(lambda t: t * [1, 2, 3][t[0]], xi)
tryit(lambda t: torch.tensor(t.tolist()))
tryit(lambda t: t.numpy())
tryit(lambda t: t.nonzero())
tryit(lambda t: t * torch.tensor(2.0).item())
tryit(lambda t: t * 2 if torch.tensor(1.0) > 0 else t)
tryit(lambda t: t.detach().sum().item())
tryit(lambda t: vmap(lambda u: u * t.sum().item())(t))
""",
    # A custom Function's vmap staticmethod runs (once, on the whole batch, when mapped
    # directly); generate_vmap_rule=True maps forward; neither: PyTorch's error.
    "custom_function_vmap_rule": """
from torch.func import vmap
x = torch.arange(6.0).reshape(2, 3)
class G(torch.autograd.Function):
    @staticmethod
    def forward(x, k):
        return x * k
    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.k = inputs[1]
    @staticmethod
    def backward(ctx, g):
        return g * ctx.k, None
    @staticmethod
    def vmap(info, in_dims, x, k):
        print("rule", info.batch_size, info.randomness, in_dims, tuple(x.shape))
        return x * k + 1, in_dims[0]
print(vmap(G.apply, in_dims=(0, None))(x, 3.0))
print(vmap(G.apply, in_dims=(1, None), randomness="same")(x, 2.0))
print(vmap(lambda t: G.apply(t, 2.0).sum())(x))
class F(torch.autograd.Function):
    generate_vmap_rule = True
    @staticmethod
    def forward(x):
        return x * 2
    @staticmethod
    def setup_context(ctx, inputs, output):
        pass
    @staticmethod
    def backward(ctx, g):
        return g * 2
print(vmap(F.apply)(x))
class H(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return x * 2
    @staticmethod
    def setup_context(ctx, inputs, output):
        pass
    @staticmethod
    def backward(ctx, g):
        return g * 2
try:
    vmap(H.apply)(x)
except RuntimeError as e:
    print(e)
""",
    # torch.autograd.graph's GradientEdge, get_gradient_edge (grad() takes edges as
    # inputs), increment_version, disable_saved_tensors_hooks; the multithreading switch.
    "graph_names": """
from torch.autograd.graph import GradientEdge, get_gradient_edge, increment_version
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
z = y.sin()
e = get_gradient_edge(y)
print(type(e).__name__, e.node.name(), e.output_nr)
print(e)
print(isinstance(e, tuple), e[1])
el = get_gradient_edge(x)
print(el.node, el.output_nr)
print(torch.autograd.grad(z.sum(), e, retain_graph=True))
print(torch.autograd.grad(z.sum(), [e, x], retain_graph=True))
z2 = (y * y).sum()
g, = torch.autograd.grad(z2, (e,), retain_graph=True)
print(g)
a, b = torch.randn(3, generator=torch.Generator().manual_seed(0), requires_grad=True).split(2)
print(get_gradient_edge(a).output_nr, get_gradient_edge(b).output_nr)
try:
    get_gradient_edge(torch.ones(2))
except RuntimeError as err:
    print(err)
t = torch.ones(3)
print(t._version)
increment_version(t)
print(t._version)
increment_version([t, t])
print(t._version)
w = torch.ones(2, requires_grad=True)
q = w * 1
s = q.sin()
increment_version(q)
try:
    s.sum().backward()
except RuntimeError as err:
    print(str(err)[:120])
ge = GradientEdge(y.grad_fn, 0)
print(ge.node is y.grad_fn, ge.output_nr)
print(torch.autograd.grad(z.sum(), ge, retain_graph=True))
out = torch.autograd.grad(y, e, grad_outputs=torch.ones(2))
print(out)
print(torch.autograd.is_multithreading_enabled())
with torch.autograd.set_multithreading_enabled(False):
    print(torch.autograd.is_multithreading_enabled())
with torch.autograd.graph.disable_saved_tensors_hooks("no hooks here"):
    try:
        with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
            pass
    except RuntimeError as e:
        print(e)
""",
    # SparseAdam: PyTorch's checks; gd's gradients are dense, which its step refuses.
    "sparse_adam": """
w = torch.nn.Parameter(torch.ones(3))
opt = torch.optim.SparseAdam([w], lr=0.1)
print(type(opt), opt.defaults)
print(opt)
(w * 2).sum().backward()
try:
    opt.step()
except RuntimeError as e:
    print(e)
for kw in ({"lr": 0.0}, {"eps": -1.0}, {"betas": (1.0, 0.9)}, {"betas": (0.9, -0.1)}):
    try:
        torch.optim.SparseAdam([w], **kw)
    except ValueError as e:
        print(e)
opt.zero_grad()
opt.step()
print(opt.state_dict())
""",
    # The layout TensorIterator gives the output of two or three operands (a sum, a
    # comparison, where, broadcasts): one shape and all contiguous (sizes of 1 aside) or
    # all one dense layout: that; else the dims ordered by the first operand that tells
    # them apart (x.t() + y is transposed, y + x.t() not).
    "binary_op_strides": """
import itertools
perms3 = list(itertools.permutations(range(3)))
def make(kind, shape):
    n = len(shape)
    if kind == "c":
        return torch.ones(shape)
    if kind.startswith("p"):
        p = perms3[int(kind[1])] if n == 3 else (1, 0)
        return torch.ones([shape[d] for d in p]).permute(*[p.index(i) for i in range(n)])
    if kind == "s":
        return torch.ones(shape[:-1] + (shape[-1] * 2,))[..., ::2]
    if kind == "b0":
        return torch.ones((1,) + shape[1:]).expand(shape)
    if kind == "bl":
        return torch.ones(shape[:-1] + (1,)).expand(shape)
kinds = ["c", "p0", "p1", "p2", "p3", "p4", "p5", "s", "b0", "bl"]
for shape in [(2, 3, 4), (3, 1, 4), (1, 3, 2), (4, 3)]:
    ks = kinds if len(shape) == 3 else ["c", "p1", "s", "b0", "bl"]
    for a in ks:
        for b in ks:
            x, y = make(a, shape), make(b, shape)
            assert x.shape == y.shape == shape, (a, b, x.shape)
            print(shape, a, b, (x + y).stride(), (x < y).stride(),
                  torch.where(x > 0, y, x).stride(), (x * y[0]).stride(),
                  (y[..., :1] - x).stride())
""",
    # In-place draws into a non-contiguous tensor land in memory order (TensorIterator's
    # walk), a non-contiguous normal_ takes the serial kernel; rand_like/randn_like keep
    # the input's layout and fill it likewise.
    "random_fills_in_memory_order": """
torch.manual_seed(0)
x = torch.zeros(4, 3)
x.t().normal_()
print(x)
y = torch.zeros(2, 6)
y[:, ::2].uniform_()
print(y)
z = torch.zeros(3, 4)
z.t().bernoulli_(0.5)
print(z)
w = torch.zeros(3, 4).t()
w.exponential_()
print(w, w.stride())
print(torch.rand_like(torch.zeros(4, 3).t()))
print(torch.randn_like(torch.zeros(4, 3).t()).stride())
a = torch.zeros(2, 3, 4).permute(2, 0, 1)
a.random_(0, 10)
print(a)
b = torch.empty(4, 3).t()
torch.nn.init.uniform_(b)
print(b)
torch.manual_seed(1)
print(torch.randn_like(torch.zeros(6, 5).t()))
print(torch.rand_like(torch.zeros(2, 3, 4).permute(1, 2, 0)).stride())
big = torch.zeros(5, 6)
big.t().normal_(1.0, 2.0)
print(big)
d = torch.zeros(5, 6, dtype=torch.float64).t()
d.normal_()
print(d)
e = torch.zeros(4, 8)[:, ::2]
e.normal_()
print(e, torch.randn_like(e).stride())
f = torch.zeros(6, 4).t()
f.cauchy_(); print(f)
f.log_normal_(); print(f)
f.geometric_(0.3); print(f)
f.random_(); print(f)
f.bernoulli_(torch.full((4, 6), 0.3)); print(f)
""",
    # Output layouts of one-input ops on transposed, permuted, sliced and expanded
    # inputs: reductions, scans, cat/stack, softmax, masked_fill, roll, tril, topk are
    # contiguous (sizes of 1 included: sum(1, keepdim=True) of x.t() is (1, 1)); flip,
    # sort (values and indices), dtype casts and the elementwise ops keep the input's.
    "one_input_op_strides": """
torch.manual_seed(0)
ins = {"t": torch.randn(4, 3).t(), "p": torch.randn(5, 4, 3).permute(2, 0, 1),
       "row": torch.randn(1, 4).expand(3, 4), "sl": torch.randn(3, 8)[:, ::2],
       "col": torch.randn(3, 1).expand(3, 4)}
fs = {
    "sum1": lambda a: a.sum(1),
    "sum1k": lambda a: a.sum(1, keepdim=True),
    "sum0k": lambda a: a.sum(0, keepdim=True),
    "mean1": lambda a: a.mean(1), "meank": lambda a: a.mean(-1, keepdim=True),
    "amax": lambda a: a.amax(1),
    "amaxk": lambda a: a.amax(0, keepdim=True),
    "prod": lambda a: a.prod(1),
    "std": lambda a: a.std(1),
    "var": lambda a: a.var(0, keepdim=True),
    "norm": lambda a: a.norm(dim=1),
    "lse": lambda a: a.logsumexp(1), "nansum": lambda a: a.nansum(1),
    "max": lambda a: a.max(1).values, "maxk": lambda a: a.max(1, keepdim=True).values,
    "cumsum": lambda a: a.cumsum(1),
    "cumprod": lambda a: a.cumprod(0),
    "lcse": lambda a: a.logcumsumexp(1),
    "cummax": lambda a: a.cummax(1).values, "masked": lambda a: a.masked_fill(a > 0, 0.0),
    "flip": lambda a: a.flip(0), "flip1": lambda a: a.flip(-1), "roll": lambda a: a.roll(1, 0),
    "cat": lambda a: torch.cat([a, a]), "stack": lambda a: torch.stack([a, a]),
    "sort": lambda a: a.sort(1).values, "sorti": lambda a: a.sort(1).indices,
    "double": lambda a: a.double(),
    "long": lambda a: a.long(),
    "to": lambda a: a.to(torch.float64),
    "rand_like": lambda a: torch.rand_like(a), "randn_like": lambda a: torch.randn_like(a),
    "full_like": lambda a: torch.full_like(a, 2.0), "ones_like": lambda a: torch.ones_like(a),
    "empty_like": lambda a: torch.empty_like(a), "clone": lambda a: a.clone(),
    "softmax": lambda a: a.softmax(1), "lsm": lambda a: a.log_softmax(0),
    "argmax": lambda a: a.argmax(1), "topk": lambda a: a.topk(2, 1).values,
    "clampt": lambda a: a.clamp(min=torch.zeros_like(a)),
    "addcmul": lambda a: torch.addcmul(a, a, a),
    "lerp": lambda a: torch.lerp(a, a, a), "tril": lambda a: a.tril(),
    "nan_to_num": lambda a: a.nan_to_num(),
    "round": lambda a: a.round(),
    "sign": lambda a: a.sign(),
    "fill_": lambda a: a.clone().fill_(1), "zero_": lambda a: a.clone().zero_(),
    "square": lambda a: a.square(), "isnan": lambda a: a.isnan(), "relu": lambda a: a.relu(),
    "gelu": lambda a: torch.nn.functional.gelu(a), "silu": lambda a: torch.nn.functional.silu(a),
    "dropout": lambda a: torch.nn.functional.dropout(a, 0.5),
    "leaky": lambda a: torch.nn.functional.leaky_relu(a),
}
for n, a in ins.items():
    for fn, f in fs.items():
        try:
            r = f(a)
            print(n, fn, tuple(r.shape), r.stride())
        except Exception as e:
            print(n, fn, type(e).__name__)
""",
    # split/chunk/unbind make one node in PyTorch, run after every consumer, its outputs'
    # hooks in the order they were registered: gd's one node per output runs in output
    # order (hooks registered in another order, or node pre-hooks, still differ).
    "multi_output_pieces": """
print("--- split")
w = torch.arange(6.0, requires_grad=True)
p, q, r = w.split(2)
for n, t in zip("pqr", (p, q, r)):
    t.register_hook(lambda g, n=n: print("hook", n, g))
    t.retain_grad()
u = p * 1 + q * 2
v = r.exp()
u.register_hook(lambda g: print("u", g))
v.register_hook(lambda g: print("v", g))
(u.sum() + v.sum()).backward()
print(p.grad, q.grad, r.grad)
print("--- unbind")
w2 = torch.randn(4, 3, generator=torch.Generator().manual_seed(0)).requires_grad_()
parts = w2.unbind(0)
for i, t in enumerate(parts):
    t.register_hook(lambda g, i=i: print("ub", i))
m = [t.sin() for t in parts]
for i, t in enumerate(m):
    t.register_hook(lambda g, i=i: print("m", i))
sum(t.sum() for t in reversed(m)).backward()
print("--- chunk")
a1, a2, a3 = torch.arange(9.0, requires_grad=True).chunk(3)
ys = [a3 * 3, a1 * 1, a2 * 2]
for i, t in enumerate(ys):
    t.register_hook(lambda g, i=i: print("ys", i))
    t.grad_fn.register_prehook(lambda g, i=i: print("pre", i))
torch.stack(ys).sum().backward()
print("--- leaves of mul chains")
ls = [torch.tensor(float(i), requires_grad=True) for i in range(4)]
for i, t in enumerate(ls):
    t.register_hook(lambda g, i=i: print("leaf", i))
tot = ls[0] * ls[1] + ls[2] * ls[3]
tot2 = tot * ls[1] + ls[3]
tot2.backward()
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    text = "import torch\n" + PROGRAMS[name]
    assert masked(gd_output(text)) == masked(torch_output(text))
