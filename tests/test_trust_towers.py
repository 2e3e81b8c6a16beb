"""Trust: derivatives of any order are PyTorch's, with PyTorch's graph around them.

1. Towers: a derivative taken with create_graph=True keeps its graph exactly when
   PyTorch's does, its grad_fn is PyTorch's node (TanhBackwardBackward0, WhereBackward0,
   MaskedFillBackward0, SelectBackwardBackward0 ...; never an invented name), and the next
   order differentiates it like PyTorch (orders 1-4: values, requires_grad, names).
2. Contiguity: reshape/flatten/view after t/T/transpose/permute/stepped slices name their
   node as PyTorch does (ViewBackward0, ReshapeAliasBackward0, UnsafeViewBackward0 after a
   CloneBackward0), is_contiguous() agrees, and view() of an incompatible layout fails.
3. next_functions in PyTorch's order (2 * b is b.mul(2)); a number of a Scalar overload
   (2 - b is rsub: RsubBackward1, b ** 2: PowBackward0) is no edge.
4. torch.autograd.functional with create_graph=True: results stay in the graph, with
   PyTorch's values and names; wrong arguments get PyTorch's messages.
5. Engine and in-place messages word for word.

Each program runs in gd and (the differential tests) as Python under PyTorch, in one
subprocess for all of them; the literal tests pin PyTorch 2.13's text without torch.
"""

from __future__ import annotations

import ast
import io
import json
import math
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from pyrun import unaddressed

from gradcli.ad import ops
from gradcli.ad.check import check_rule
from gradcli.ad.rules import RULES
from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source

# --------------------------------------------------------------------------- running


def ours(src: str) -> str:
    """What `gradcli run` prints for src (an error as 'ERROR: message')."""
    buf = io.StringIO()
    try:
        run(Source("p.gd", "import torch\n" + src), AppOptions(write=buf.write))
    except GdError as e:
        buf.write(f"ERROR: {e.args[0] if e.args else e}\n")
    return unaddressed(buf.getvalue())


_TORCH_RUNNER = r'''
import contextlib, io, json, sys
import torch
torch.manual_seed(0)
results = []
for src in json.load(sys.stdin):
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            exec(src, {"torch": torch})
    except Exception as e:
        buf.write("ERROR: " + str(e).split("\n")[0] + "\n")
    results.append(buf.getvalue())
print(json.dumps(results))
'''

_ADDRESS = re.compile(r" object at 0x[0-9a-f]+")
_TORCH_HINT = re.compile(r" Hint: enable anomaly detection.*$", re.M)


def normalize(text: str) -> str:
    return _TORCH_HINT.sub("", _ADDRESS.sub(" object", text))


def same_output(a: str, b: str) -> bool:
    """Equal text, except lines holding a Python list of numbers: equal to float32 noise."""
    la, lb = normalize(a).splitlines(), normalize(b).splitlines()
    if len(la) != len(lb):
        return False
    for x, y in zip(la, lb, strict=True):
        if x == y:
            continue
        if not (x.startswith("[") and y.startswith("[")):
            return False
        xa, ya = np.array(ast.literal_eval(x), float), np.array(ast.literal_eval(y), float)
        if xa.shape != ya.shape or not np.allclose(xa, ya, rtol=1e-4, atol=2e-5):
            return False
    return True


# --------------------------------------------------------------------------- the programs

#: Towers: each expression of x, differentiated to order 4 (or until PyTorch's derivative
#: leaves the graph), printing at each level the node, requires_grad and the values.
TOWER_EXPRS = [
    "x ** 2", "x ** 3", "x ** 1", "x ** 0", "x ** 2.5", "x ** -1", "torch.square(x)",
    "x.square()", "torch.pow(x, 3)", "x.pow(2)", "x ** torch.tensor(2.)", "2 ** x",
    "x ** x", "torch.relu(x) * x", "torch.relu(x) ** 2", "torch.clamp(x, -1, 5) ** 2",
    "torch.clamp(x, min=0) ** 2", "torch.clamp(x, max=1) ** 2",
    "torch.maximum(x, torch.tensor(0.)) ** 2", "torch.minimum(x, torch.tensor(5.)) ** 2",
    "torch.where(x > 0, x, 0.) ** 2", "torch.tanh(x)", "torch.tanh(x) ** 2",
    "torch.sigmoid(x)", "torch.sigmoid(x) * x", "torch.exp(x)", "torch.sin(x)",
    "torch.cos(x)", "torch.log(x)", "torch.log1p(x)", "torch.sqrt(x)", "torch.sqrt(x) * x",
    "torch.reciprocal(x)", "1 / x", "x / 3", "2 / x", "torch.abs(x) ** 3", "x * x", "-x",
    "1 - x", "(x ** 2).mean()", "(x ** 2).sum()", "x.mean() * x", "torch.sign(x) * x",
    "torch.floor(x) * x", "torch.prod(x)", "torch.norm(x) ** 2", "torch.max(x) ** 2",
    "torch.min(x) ** 2", "x.masked_fill(x > 1.0, 0.) ** 2",
    "x % 1.25", "torch.nn.functional.mse_loss(x, torch.ones_like(x))",
    "torch.nn.functional.mse_loss(x, torch.ones_like(x), reduction='sum')",
    "torch.nn.functional.binary_cross_entropy_with_logits(x, torch.ones_like(x))",
]

TOWER_TEMPLATE = """\
x = {x}
y = {expr}
d = y
for k in range(4):
    g, = torch.autograd.grad(d.sum(), x, create_graph=True, allow_unused=True)
    if g is None:
        print(k, None)
        break
    print(k, g.grad_fn, g.requires_grad)
    print(g.detach().flatten().tolist())
    if not g.requires_grad:
        break
    d = g
"""

TOWER_INPUTS = ["torch.tensor(1.5, requires_grad=True)",
                "torch.tensor([1.5, 0.5, 2.0], requires_grad=True)"]

#: Matrix ops: names of the derivatives at orders 1-3 (broadcasting, indexing, shape).
MATRIX_EXPRS = [
    "x * w", "w / x", "x ** 2 * w", "(x * x).sum(1)", "x.t() * x", "x.T @ x", "x @ x",
    "x[0] * x[1]", "x[:, 1] ** 2", "x[1:] ** 2", "x[::2] ** 2", "x[0, 1:] ** 2",
    "x[1:, 0] ** 2", "x[x > 0] ** 2", "x[[0, 1]] ** 2", "x[None] ** 2", "x[..., 0] ** 2",
    "x[0, 1] ** 2", "x[:, [1]] ** 2", "x.reshape(-1) ** 2", "x.view(4) ** 2",
    "x.unsqueeze(0) ** 2", "x.expand(3, 2, 2) ** 2", "x.permute(1, 0) ** 2",
    "x.transpose(0, 1) ** 2", "x.flatten() ** 2", "torch.cat([x, x * 2]) ** 2",
    "torch.stack([x, x]) ** 2", "x.sum() ** 2", "torch.max(x, 0)[0] ** 2",
    "torch.min(x, 1)[0] ** 2", "torch.softmax(x, 1)[:, 0]", "torch.log_softmax(x, 0)[1]",
    "torch.nn.functional.cross_entropy(x, torch.tensor([0, 1]))",
    "torch.nn.functional.nll_loss(torch.log_softmax(x, 1), torch.tensor([0, 1]))",
    "x.diag() ** 2", "torch.diag(x.diag()) ** 2", "x.squeeze() ** 2", "x.clone() ** 2",
    "x.double() ** 2", "torch.outer(x[0], x[1])", "torch.mv(x, x[0])",
    "x.sum(0, keepdim=True) * x", "x % w", "torch.amax(x, 0) ** 2", "torch.amin(x, 1) ** 2",
]

MATRIX_TEMPLATE = """\
x = torch.tensor([[0.5, 1.5], [2.0, 0.7]], requires_grad=True)
w = torch.tensor([1.5, 2.5])
y = {expr}
print(y.grad_fn)
d = y
for k in range(3):
    g, = torch.autograd.grad(d.sum(), x, create_graph=True, allow_unused=True)
    if g is None:
        print(k, None)
        break
    print(k, g.grad_fn, g.requires_grad)
    print(g.detach().flatten().tolist())
    if not g.requires_grad:
        break
    d = g
"""

EDGE_EXPRS = [
    "2 * b", "b * 2", "2 + b", "b + 2", "2 - b", "b - 2", "2 / b", "b / 2", "2 ** b",
    "b ** 2", "b ** 2.5", "2.5 ** b", "b.mul(2)", "torch.mul(2, b)", "torch.add(2, b)",
    "b.add(2)", "b.sub(2)", "b.div(2)", "-b", "b % 2", "b % b", "torch.where(b > 1, b, 0.)",
    "torch.where(b > 1, 0., b)", "torch.where(b > 1, b, b * 2)", "b.pow(2)",
    "torch.pow(2, b)", "torch.tensor(2.) * b", "b * torch.tensor(2.)", "b.clamp(0, 1)",
    "torch.maximum(b, torch.tensor(1.))",
]

EDGE_TEMPLATE = """\
b = torch.tensor([1.5, 2.5], requires_grad=True)
y = {expr}
print(y.grad_fn)
print(y.grad_fn.next_functions)
"""

CONTIGUITY_EXPRS = [
    "x.permute(1, 0).flatten()", "x.T.reshape(-1)", "x.t().reshape(6)", "x.t().reshape(3, 2)",
    "x.transpose(0, 1).reshape(2, 3)", "x.T.contiguous().view(-1)", "x[:, ::2].reshape(-1)",
    "x[:, ::2].reshape(2, 2)", "x[::1].reshape(-1)", "x[:, 1:].reshape(-1)",
    "x[1:].reshape(-1)", "x.reshape(-1)", "x.view(3, 2)", "x.flatten()", "x[0].flatten()",
    "x.T.reshape_as(x)", "x.view_as(x.T)", "x.T.unsqueeze(0).reshape(1, 3, 2)", "x.T.clone()",
    "x.T * 2", "x.T.contiguous()", "x.sum(0).reshape(3, 1)", "x.T.flatten(0, 1)",
    "x.t().t().reshape(-1)", "x[:, [0, 2]].reshape(-1)", "x.T[0].reshape(-1)",
    "x.T[0].reshape(1, 2)", "torch.reshape(x.T, (-1,))", "torch.flatten(x.T)",
    "x.t().view(3, 2)", "x.t().flatten(1)",
]

CONTIGUITY_TEMPLATE = """\
x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
y = {expr}
print(y.grad_fn, y.is_contiguous())
print(y.grad_fn.next_functions if y.grad_fn is not None else None)
g, = torch.autograd.grad((y * y).sum(), x, create_graph=True)
print(g)
"""

VIEW_ERRORS = ["x.T.view(-1)", "x.permute(1, 0).view(6)", "x[:, 1:].view(4)",
               "x.t().view_as(x)"]

FUNCTIONAL_PROGRAMS = [
    """\
def f(x):
    return (x ** 3).sum()
h = torch.autograd.functional.hessian(f, x, create_graph=True)
print(h)
g, = torch.autograd.grad(h.sum(), x)
print(g)
""",
    """\
def f(x):
    return x ** 3
j = torch.autograd.functional.jacobian(f, x, create_graph=True)
print(j)
g, = torch.autograd.grad(j.sum(), x)
print(g)
""",
    """\
def f(x):
    return x ** 3
o, v = torch.autograd.functional.vjp(f, x, torch.ones(2), create_graph=True)
print(o, v)
g, = torch.autograd.grad(v.sum(), x)
print(g)
""",
    """\
def f(x):
    return x ** 3
o, v = torch.autograd.functional.jvp(f, x, torch.ones(2), create_graph=True)
print(o, v)
g, = torch.autograd.grad(v.sum(), x)
print(g)
""",
    """\
def f(x):
    return (x ** 3).sum()
o, v = torch.autograd.functional.hvp(f, x, torch.ones(2), create_graph=True)
print(o, v)
g, = torch.autograd.grad(v.sum(), x)
print(g)
""",
    """\
def f(x):
    return (x ** 3).sum()
o, v = torch.autograd.functional.vhp(f, x, torch.ones(2), create_graph=True)
print(o, v)
g, = torch.autograd.grad(v.sum(), x)
print(g)
""",
    """\
x = x.detach()
def f(x):
    return (x ** 3).sum()
print(torch.autograd.functional.vhp(f, x, torch.ones(2), create_graph=True))
print(torch.autograd.functional.hessian(f, x, create_graph=True))
print(torch.autograd.functional.jacobian(f, x, create_graph=True))
print(torch.autograd.functional.jvp(f, x, torch.ones(2), create_graph=True))
print(torch.autograd.functional.vjp(f, x, torch.tensor(1.), create_graph=True))
print(torch.autograd.functional.hvp(f, x, torch.ones(2), create_graph=True))
""",
    """\
def f(x, y):
    return x * y
print(torch.autograd.functional.jacobian(f, (x, x * 2), create_graph=True))
""",
]

FUNCTIONAL_ERRORS = [
    "torch.autograd.functional.hessian(lambda x: x ** 3, x)",
    "torch.autograd.functional.hessian(lambda x: 3.0, x)",
    "torch.autograd.functional.hessian(lambda x: (x.sum(), x.sum()), x)",
    "torch.autograd.functional.hvp(lambda x: x ** 3, x, torch.ones(2))",
    "torch.autograd.functional.vhp(lambda x: x ** 3, x, torch.ones(2))",
    "torch.autograd.functional.jacobian(lambda x: x ** 3, 3.0)",
    "torch.autograd.functional.jacobian(lambda x: 2.0, x)",
    "torch.autograd.functional.jacobian(lambda x: [x], x)",
    "torch.autograd.functional.jacobian(lambda x, y: x * y, (x, 2.0))",
    "torch.autograd.functional.vjp(lambda x: x ** 3, x, torch.ones(3))",
    "torch.autograd.functional.vjp(lambda x: x ** 3, x)",
    "torch.autograd.functional.vjp(lambda x: x * 2, x, (torch.ones(2), torch.ones(2)))",
    "torch.autograd.functional.vjp(lambda x: (x, x), x, (torch.ones(2),))",
    "torch.autograd.functional.vjp(lambda x: (x, x), x, (torch.ones(2), torch.ones(3)))",
    "torch.autograd.functional.jvp(lambda x: x ** 3, x)",
    "torch.autograd.functional.jvp(lambda x: x ** 3, x, torch.ones(3))",
    "torch.autograd.functional.hvp(lambda x: (x ** 3).sum(), x, torch.ones(3))",
    "torch.autograd.functional.vhp(lambda x: (x ** 3).sum(), x)",
]

ENGINE_ERRORS = [
    """\
w = torch.tensor([1., 2.], requires_grad=True)
g = torch.autograd.grad((x * 2).sum(), [x, w])
""",
    """\
w = torch.tensor([1., 2.], requires_grad=True)
g = torch.autograd.grad((x * 2).sum(), [w, x])
""",
    "g = torch.autograd.grad((x * 2).sum(), x * 1)",
    "x[0] = 3.0",
    "x[0:1] = 3.0",
    "x[None] = 3.0",
    "x[..., 0] = 3.0",
    "x[:] = 3.0",
    "x[...] = 3.0",
    "x[0:2] = 3.0",
    "x[[0]] = 3.0",
    "x[x > 1] = 3.0",
    "x.add_(1)",
    "x[0].add_(1)",
    "x += 1",
    "y = x * 2\ny.requires_grad = False",
    "(x * 2).backward(torch.ones(3))",
    "torch.autograd.grad(x * 2, x, torch.ones(3))",
    "torch.tensor([1, 2]).requires_grad_()",
    "y = (x * 2).sum()\ntorch.autograd.grad(y, x)\ntorch.autograd.grad(y, x)",
    "y = (x * 2).sum()\ntorch.autograd.grad([y, y], x, [torch.tensor(1.)])",
    "torch.autograd.grad((x * 2).sum(), [])",
    "(x * 2).sum().backward(inputs=[])",
    "y = torch.exp(x)\ny.add_(1)\ny.sum().backward()",
    "(x * 2).backward()",
    "x.detach().backward()",
    "torch.autograd.grad(2 % x, x, torch.ones(2))",
]


def _towers() -> list[str]:
    return [TOWER_TEMPLATE.format(x=x, expr=e) for e in TOWER_EXPRS for x in TOWER_INPUTS]


def _programs() -> dict[str, list[str]]:
    x2 = "x = torch.tensor([1.5, 0.5], requires_grad=True)\n"
    return {
        "tower": _towers(),
        "matrix": [MATRIX_TEMPLATE.format(expr=e) for e in MATRIX_EXPRS],
        "edges": [EDGE_TEMPLATE.format(expr=e) for e in EDGE_EXPRS],
        "contiguity": [CONTIGUITY_TEMPLATE.format(expr=e) for e in CONTIGUITY_EXPRS]
        + [CONTIGUITY_TEMPLATE.split("\ny = ")[0] + f"\ny = {e}\n" for e in VIEW_ERRORS],
        "functional": [x2 + p for p in FUNCTIONAL_PROGRAMS]
        + [x2 + f"r = {e}\n" for e in FUNCTIONAL_ERRORS],
        "engine": [x2 + textwrap.dedent(p) for p in ENGINE_ERRORS],
    }


PROGRAMS = _programs()
CASES = [(kind, i) for kind, progs in PROGRAMS.items() for i in range(len(progs))]


@pytest.fixture(scope="module")
def torch_trust() -> dict[str, list[str]]:
    """Every program above run as Python under PyTorch (one subprocess)."""
    pytest.importorskip("torch")
    flat = [p for progs in PROGRAMS.values() for p in progs]
    proc = subprocess.run([sys.executable, "-c", _TORCH_RUNNER], input=json.dumps(flat),
                          capture_output=True, text=True, timeout=600, check=True)
    results = json.loads(proc.stdout)
    out: dict[str, list[str]] = {}
    k = 0
    for kind, progs in PROGRAMS.items():
        out[kind] = results[k:k + len(progs)]
        k += len(progs)
    return out


@pytest.mark.parametrize(("kind", "i"), CASES, ids=[f"{k}-{i}" for k, i in CASES])
def test_same_as_pytorch(torch_trust: dict[str, list[str]], kind: str, i: int) -> None:
    """Values, requires_grad, grad_fn names, next_functions, contiguity and messages."""
    src = PROGRAMS[kind][i]
    expected = torch_trust[kind][i]
    got = ours(src)
    assert expected.strip(), f"PyTorch printed nothing for\n{src}"
    assert same_output(got, expected), f"{src}\n--- gd\n{got}--- torch\n{expected}"


# --------------------------------------------------------------------------- literal: towers


def test_square_tower_keeps_its_graph() -> None:
    """The issue's case, in PyTorch 2.13's words: the 2nd derivative stays in the graph."""
    got = ours("""\
z = torch.tensor(3., requires_grad=True)
g1, = torch.autograd.grad(z ** 2, z, create_graph=True)
print(g1)
g2, = torch.autograd.grad(g1, z, create_graph=True)
print(g2)
g3, = torch.autograd.grad(g2, z)
print(g3)
""")
    assert got == ("tensor(6., grad_fn=<MulBackward0>)\n"
                   "tensor(2., grad_fn=<MulBackward0>)\n"
                   "tensor(0.)\n")


def test_cube_tower_to_order_four() -> None:
    got = ours("""\
z = torch.tensor(2., requires_grad=True)
d = z ** 3
for k in range(3):
    d, = torch.autograd.grad(d, z, create_graph=True)
    print(d)
print(torch.autograd.grad(d, z))
""")
    assert got == ("tensor(12., grad_fn=<MulBackward0>)\n"
                   "tensor(12., grad_fn=<MulBackward0>)\n"
                   "tensor(6., grad_fn=<MulBackward0>)\n"
                   "(tensor(0.),)\n")


@pytest.mark.parametrize(("expr", "names"), [
    ("torch.tanh(x)", ["TanhBackwardBackward0"] * 3),
    ("torch.sigmoid(x)", ["SigmoidBackwardBackward0"] * 3),
    ("torch.relu(x)", ["ThresholdBackwardBackward0"] * 3),
    ("torch.clamp(x, -1, 5) ** 2", ["WhereBackward0", "WhereBackward0", None]),
    ("torch.maximum(x, torch.tensor(0.)) ** 2", ["MaskedFillBackward0", "MaskedFillBackward0",
                                                None]),
    ("torch.log(x)", ["DivBackward0", "MulBackward0", "AddBackward0"]),
    ("torch.sqrt(x)", ["DivBackward0"] * 3),
    ("x ** torch.tensor(2.)", ["WhereBackward0"] * 3),
    ("torch.max(x) ** 2", ["MaskedFillBackward1", "MaskedFillBackward1", None]),
    ("torch.nn.functional.mse_loss(x, torch.zeros(2))", ["MseLossBackwardBackward0", None]),
])
def test_tower_names_are_pytorchs(expr: str, names: list[str | None]) -> None:
    """The grad_fn of each order's derivative, as PyTorch 2.13 prints it (None: it left
    the graph, as PyTorch's does)."""
    got = ours(f"""\
x = torch.tensor([1.5, 0.5], requires_grad=True)
d = {expr}
for k in range({len(names)}):
    d, = torch.autograd.grad(d.sum(), x, create_graph=True)
    print(d.grad_fn.name() if d.grad_fn is not None else None)
""")
    assert got.split() == [str(n) for n in names]


def test_no_invented_names_in_the_table() -> None:
    """Every name the table can give is one PyTorch uses (the old SumToBackward,
    IndexAddBackward are gone)."""
    for rule in RULES.values():
        if isinstance(rule.torch_name, str):
            assert rule.torch_name not in ("SumToBackward", "IndexAddBackward"), rule.name


@pytest.mark.parametrize(("src", "expected"), [
    ("x * w", "ViewBackward0"),          # sum_to with a leading dim: sum then view
    ("x * v", "SumBackward1"),           # sum_to over a size-1 dim, keepdim
    ("x * s", "SumBackward0"),           # sum_to a 0-dim tensor
])
def test_unbroadcast_names(src: str, expected: str) -> None:
    got = ours(f"""\
x = torch.tensor([[0.5, 1.5], [2.0, 0.7]])
w = torch.tensor([1.5, 2.5], requires_grad=True)
v = torch.tensor([[1.5], [2.5]], requires_grad=True)
s = torch.tensor(2., requires_grad=True)
y = ({src}) ** 2
g, = torch.autograd.grad(y.sum(), {src.split()[-1]}, create_graph=True)
print(g.grad_fn.name())
""")
    assert got.strip() == expected


# --------------------------------------------------------------------------- literal: the rest


def test_next_functions_literal() -> None:
    got = ours("""\
b = torch.tensor([1.5, 2.5], requires_grad=True)
print((2 * b).grad_fn.next_functions)
print((2 - b).grad_fn, (2 - b).grad_fn.next_functions)
print((b ** 2).grad_fn.next_functions)
print(torch.where(b > 2, b, 0.).grad_fn.next_functions)
""")
    assert got == ("((<AccumulateGrad object>, 0), (None, 0))\n"
                   "<RsubBackward1 object> ((<AccumulateGrad object>, 0),)\n"
                   "((<AccumulateGrad object>, 0),)\n"
                   "((<AccumulateGrad object>, 0), (None, 0))\n")


def test_contiguity_literal() -> None:
    got = ours("""\
x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
y = x.T.reshape(-1)
print(y.grad_fn, y.grad_fn.next_functions, y.is_contiguous())
y = x.t().reshape(3, 2)
print(y.grad_fn, y.is_contiguous(), x.t().is_contiguous(), x.t().contiguous().is_contiguous())
print(x.permute(1, 0).flatten().grad_fn, x.reshape(-1).grad_fn)
y = x.T.view(-1)
""")
    assert got == (
        "<UnsafeViewBackward0 object> ((<CloneBackward0 object>, 0),) True\n"
        "<ReshapeAliasBackward0 object> False False True\n"
        "<UnsafeViewBackward0 object> <ViewBackward0 object>\n"
        "ERROR: view size is not compatible with input tensor's size and stride (at least one "
        "dimension spans across two contiguous subspaces). Use .reshape(...) instead.\n")


@pytest.mark.parametrize(("src", "message"), [
    ("g = torch.autograd.grad((x * 2).sum(), [x, w])",
     "The differentiated Tensor at index 1 appears to not have been used in the graph. "
     "Set allow_unused=True if this is the desired behavior."),
    ("g = torch.autograd.grad((x * 2).sum(), [w, x])",
     "The differentiated Tensor at index 0 appears to not have been used in the graph. "
     "Set allow_unused=True if this is the desired behavior."),
    ("x[0] = 3.0",
     "a view of a leaf Variable that requires grad is being used in an in-place operation."),
    ("x[[0]] = 3.0",
     "a leaf Variable that requires grad is being used in an in-place operation."),
    ("torch.autograd.grad((x * 2).sum(), [])", "`inputs` argument to `grad()` cannot be empty."),
    ("(x * 2).sum().backward(inputs=[])", "`inputs` argument to `backward()` cannot be empty."),
    ("y = x.sum()\ntorch.autograd.grad([y, y], x, [torch.tensor(1.)])",
     "got 2 tensors and 1 gradients"),
    ("torch.autograd.functional.hessian(lambda x: x * 2, x)",
     "The Tensor returned by the function given to hessian should contain a single element"),
    ("torch.autograd.functional.hvp(lambda x: x * 2, x, torch.ones(2))",
     "The Tensor returned by the function given to hvp should contain a single element"),
    ("torch.autograd.functional.jacobian(lambda x: 2.0, x)",
     "The outputs of the user-provided function given to jacobian must be either a Tensor or "
     "a tuple of Tensors but the given outputs of the user-provided function has type "
     "<class 'float'>."),
    ("torch.autograd.functional.vjp(lambda x: x, x, torch.ones(3))",
     "v has invalid size: should be torch.Size([2]) but got torch.Size([3])."),
    ("torch.autograd.functional.jvp(lambda x: x, x, (torch.ones(2), torch.ones(2)))",
     "The given v should contain a single Tensor."),
    ("torch.autograd.grad(2 % x, x, torch.ones(2))",
     "derivative for aten::remainder is not implemented"),
])
def test_messages_literal(src: str, message: str) -> None:
    got = ours("x = torch.tensor([1., 2.], requires_grad=True)\n"
               "w = torch.tensor([1., 2.], requires_grad=True)\n" + src + "\n")
    assert got == f"ERROR: {message}\n"


def test_functional_create_graph_literal() -> None:
    got = ours("""\
x = torch.tensor([1.5, 0.5])
def f(x):
    return (x ** 3).sum()
o, v = torch.autograd.functional.jvp(f, x, torch.ones(2), create_graph=True)
print(o, v)
h = torch.autograd.functional.hessian(f, x, create_graph=True)
print(h)
""")
    assert got == ("tensor(3.5000, grad_fn=<SumBackward0>) tensor(7.5000, grad_fn=<SumBackward0>)\n"
                   "tensor([[9., 0.],\n        [0., 3.]], grad_fn=<ViewBackward0>)\n")


# --------------------------------------------------------------------------- new primitives


def _t(a: object) -> object:
    return ops.tensor(np.asarray(a, np.float64))


@pytest.mark.parametrize(("name", "inputs", "params"), [
    ("threshold_backward", ([0.3, -1.2, 2.0], [0.5, -0.4, 1.5]), {"threshold": 0}),
    ("tanh_backward", ([0.3, -1.2, 2.0], [0.5, -0.4, 0.9]), {}),
    ("sigmoid_backward", ([0.3, -1.2, 2.0], [0.5, 0.2, 0.9]), {}),
    ("softmax_backward_data", ([[0.3, -1.2], [2.0, 0.1]], [[0.4, 0.6], [0.7, 0.3]]),
     {"dim": 1}),
    ("log_softmax_backward_data", ([[0.3, -1.2], [2.0, 0.1]],
                                   [[math.log(0.4), math.log(0.6)],
                                    [math.log(0.7), math.log(0.3)]]), {"dim": 0}),
    ("mse_loss_backward", (1.5, [0.3, -1.2], [2.0, 0.1]), {"reduction": "mean"}),
    ("mse_loss_backward", ([1.5, -0.5], [0.3, -1.2], [2.0, 0.1]), {"reduction": "none"}),
    ("masked_fill", ([0.3, -1.2, 2.0],), {"mask": np.array([True, False, True]),
                                         "value": 0.5}),
    ("masked_fill_value", ([0.3, -1.2, 2.0], 0.7), {"mask": np.array([True, False, True])}),
    ("mul_scalar", ([0.3, -1.2, 2.0], 2.5), {}),
    ("div_scalar", ([0.3, -1.2, 2.0], -4.0), {}),
    ("mod", ([0.3, -1.2, 2.7], [0.7, 1.1, -1.3]), {}),
])
def test_new_primitives_match_finite_differences(name: str, inputs: tuple[object, ...],
                                                 params: dict[str, object]) -> None:
    """PyTorch's backward primitives mirrored in the table: VJP and JVP to order 2 agree
    with central differences (the rule sweep in test_ad_rules.py covers them randomly)."""
    args = tuple(_t(a) if not isinstance(a, float) or name not in ("mul_scalar", "div_scalar")
                 else a for a in inputs)
    if name == "masked_fill_value":
        args = (_t(inputs[0]), _t(inputs[1]))
    report = check_rule(RULES[name], args, params, order=2)
    assert report.comparisons
    assert report.ok, [(c.what, c.analytic, c.numeric) for c in report.failures()]


def test_tanh_backward_values_by_hand() -> None:
    """tanh'' = -2 tanh · (1 - tanh²): the second derivative through TanhBackwardBackward0."""
    got = ours("""\
x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
g, = torch.autograd.grad(torch.tanh(x), x, create_graph=True)
h, = torch.autograd.grad(g, x)
print(g.item(), h.item())
""")
    t = math.tanh(0.5)
    g, h = (float(v) for v in got.split())
    assert g == pytest.approx(1 - t * t, rel=1e-12)
    assert h == pytest.approx(-2 * t * (1 - t * t), rel=1e-12)
