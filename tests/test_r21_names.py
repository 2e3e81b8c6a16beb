"""Round 21: names and keywords real PyTorch code uses that gd lacked, found by
bench/api_coverage.py (and its simplest-call probe, bench/api_calls.py): each program
here prints the same under gd as under PyTorch (values, dtypes, gradients and a second
derivative where one exists), and the warnings PyTorch gives are gd's too.
"""

from __future__ import annotations

import io
import math

import pytest
from pyrun import gd_output, torch_output

from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source

torch = pytest.importorskip("torch")

PROLOGUE = "import torch\nimport torch.nn as nn\n"

SAME_AS_PYTORCH = {
    # torch.norm / Tensor.norm / linalg.norm / linalg.vector_norm take dtype=: one
    # LinalgVectorNormBackward0 node computing in dtype; its gradient is the input's dtype.
    "norm_dtype": """
x = torch.tensor([[1.0, -2.0], [3.0, 4.5]], requires_grad=True)
y = torch.norm(x, dtype=torch.float64)
print(y, y.dtype)
print(x.norm(p=1, dim=0, dtype=torch.float64))
print(torch.norm(x, p='fro', dim=(0, 1), dtype=torch.float64))
print(torch.norm(x, 3, 1, True, dtype=torch.float64))
print(torch.norm(x, p='nuc', dtype=torch.float64))
print(torch.linalg.vector_norm(x, ord=3, dtype=torch.float64))
print(torch.linalg.norm(x, dtype=torch.float64))
print(torch.linalg.norm(x, ord=1, dim=(0, 1), dtype=torch.float64))
print(y.grad_fn.next_functions[0][0].__class__.__name__)
g, = torch.autograd.grad(y, x, create_graph=True)
print(g, g.dtype)
print(torch.autograd.grad(g.sum(), x)[0])
y2 = torch.norm(x, p=3, dim=1, keepdim=True, dtype=torch.float64)
g2, = torch.autograd.grad(y2.sum(), x, create_graph=True)
print(g2)
print(torch.autograd.grad(g2.sum(), x)[0])
for bad in ((x.double(), torch.float32), (x, torch.int64), (torch.tensor([3, 4]), torch.float32)):
    try:
        torch.linalg.vector_norm(bad[0], dtype=bad[1])
    except RuntimeError as e:
        print(e)
""",
    "hardtanh_deprecated_keywords": """
m = nn.Hardtanh(min_value=-2.0, max_value=2.0)
print(m, m(torch.tensor([-3.0, 0.5, 3.0])))
print(nn.Hardtanh(-0.5, 0.5, True), nn.Hardtanh(max_val=3.0)(torch.tensor([-3.0, 3.5])))
try:
    nn.Hardtanh(1.0, 0.0)
except AssertionError as e:
    print("AssertionError", e)
""",
    "lazy_norm_bias": """
torch.manual_seed(0)
m = nn.LazyBatchNorm1d(bias=False)
print(m)
m(torch.randn(3, 4))
print(m, m.bias, m.weight)
print(list(dict(m.named_parameters()).keys()))
m = nn.LazyInstanceNorm1d(bias=False, affine=True)
print(m, m(torch.randn(2, 3, 4)).shape, m.bias)
m = nn.LazyBatchNorm2d()
m(torch.randn(2, 3, 4, 4))
print(m, m.bias)
""",
    "backward_grad_variables": """
x = torch.tensor([1.0, 2.0], requires_grad=True)
torch.autograd.backward([x * 3], grad_variables=[torch.ones(2)])
print(x.grad)
torch.autograd.backward(x * x, torch.ones(2), None, False, None, [x])
print(x.grad)
try:
    torch.autograd.backward(x * 2, grad_tensors=torch.ones(2), grad_variables=torch.ones(2))
except RuntimeError as e:
    print(e)
""",
    "exception_classes": """
try:
    raise BrokenPipeError("pipe")
except ConnectionError as e:
    print(type(e).__name__, e, isinstance(e, OSError))
try:
    raise TabError("tab")
except SyntaxError as e:
    print(repr(e))
for c in (SystemExit, SyntaxError, IndentationError, SystemError, ReferenceError,
          BufferError, StopAsyncIteration, BlockingIOError, ChildProcessError,
          InterruptedError, ProcessLookupError, ConnectionAbortedError,
          ConnectionRefusedError, ConnectionResetError, UnicodeTranslateError,
          SyntaxWarning, ImportWarning, UnicodeWarning, BytesWarning, ResourceWarning,
          EncodingWarning):
    print(c.__name__, issubclass(c, Exception), issubclass(c, OSError),
          issubclass(c, Warning))
""",
    "operator_functions": """
import operator
a = [1, 2]
b = operator.iadd(a, [3])
print(a, b is a)
print(operator.iadd(3, 4), operator.imul("ab", 2), operator.iconcat([1], (2,)))
s = {1, 2}
operator.ior(s, {5})
operator.isub(s, {1})
print(s)
t = torch.ones(2, requires_grad=True) * 1
u = operator.imul(t, 3)
print(t, u is t)
v = operator.ifloordiv(torch.tensor([7, 9]), 2)
print(v, operator.itruediv(7, 2), operator.ipow(2, 5), operator.imod(7, 3))
d = {"a": 1}
operator.setitem(d, "b", 2)
operator.delitem(d, "a")
print(d)
print(operator.lshift(1, 3), operator.rshift(16, 2), operator.indexOf([4, 5, 6], 5),
      operator.countOf([1, 2, 1], 1), operator.length_hint([1, 2, 3]),
      operator.call(max, 3, 7))
class V:
    def __init__(self, v):
        self.v = v
    def __iadd__(self, o):
        self.v += o
        return self
w = V(1)
print(operator.iadd(w, 5).v, w.v)
for bad in (lambda: operator.indexOf([1, 2], 9), lambda: operator.iconcat(3, [1])):
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
""",
    "torch_type_names": """
print(torch.dtype, torch.layout, torch.memory_format)
print(isinstance(torch.float64, torch.dtype), isinstance("float", torch.dtype))
print(type(torch.float32) is torch.dtype, type(torch.strided) == torch.layout)
print(isinstance(torch.channels_last, torch.memory_format))
""",
    "torch_random": """
import torch.random
from torch.random import fork_rng
torch.random.manual_seed(3)
a = torch.rand(2)
with torch.random.fork_rng():
    b = torch.rand(2)
c = torch.rand(2)
print(a, b, c, torch.equal(b, c))
with fork_rng(enabled=False):
    d = torch.rand(1)
print(d, torch.rand(1))
print(torch.random.initial_seed(), torch.random.get_rng_state().shape)
print(type(torch.random.fork_rng()))
""",
    "round_and_cross": """
x = torch.tensor([0.26, 1.5])
print(torch.round_(x), torch.round_(torch.tensor([0.26]), decimals=1))
a = torch.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
b = torch.tensor([[0.5, -1.0, 2.0]])
c = torch.cross(a, b)
print(c, a.cross(b), torch.cross(a, b, dim=1))
print(torch.autograd.grad(c.sum(), a)[0])
""",
    # PyTorch's cross kernel is contracted to fma(a1, b2, -(a2*b1)): x × x is not 0.
    "cross_fma": """
x = torch.tensor([[0.2, 0.5, 0.7], [0.9, 0.3, 0.4]])
print(torch.cross(x, x, dim=1), x.cross(x, dim=1))
a = torch.tensor([[0.1, 0.7, 0.3], [1.3, -0.2, 0.9]], dtype=torch.float64)
b = torch.tensor([[0.6, 0.2, -0.8], [0.3, 0.7, 0.11]], dtype=torch.float64)
print(torch.linalg.cross(a, b).tolist())
print(torch.linalg.cross(a.float(), b.float()).tolist())
print(torch.linalg.cross(a.t().float(), b.t().float(), dim=0).tolist())
print(torch.linalg.cross(a.float(), b[:1].float()).tolist())
print(torch.linalg.cross(torch.tensor([1, 2, 3]), torch.tensor([4, 5, 6])))
p = torch.tensor([[0.3, 0.8, 0.1]], requires_grad=True)
q = torch.tensor([[0.7, 0.2, 0.9]], requires_grad=True)
c = torch.linalg.cross(p, q)
print(torch.autograd.grad(c, (p, q), torch.tensor([[0.5, 0.25, 0.125]])))
""",
    # F.dropout3d adds a batch dim to anything but a 5-D input, as PyTorch's code does.
    "dropout3d_unbatched": """
import torch.nn.functional as F
for shape in ((2, 3), (3, 4, 2), (2, 3, 2, 2), (2, 3, 1, 1, 1)):
    torch.manual_seed(0)
    print(F.dropout3d(torch.ones(shape)).flatten().tolist())
torch.manual_seed(0)
print(F.dropout1d(torch.ones(2, 3)).tolist(), F.dropout1d(torch.ones(2, 3, 4)).sum())
""",
    "distributions_constraints": """
import torch.distributions as D
from torch.distributions import constraints
print(constraints.real, constraints.positive, constraints.nonnegative, constraints.unit_interval)
print(constraints.boolean, constraints.simplex, constraints.real_vector)
print(constraints.positive_integer, constraints.nonnegative_integer, constraints.one_hot)
print(constraints.lower_cholesky, constraints.positive_definite)
print(constraints.greater_than(2.0), constraints.greater_than_eq(1), constraints.less_than(3.5))
print(constraints.interval(0, 1), constraints.half_open_interval(0.0, 1.0),
      constraints.integer_interval(0, 3), constraints.independent(constraints.positive, 2))
x = torch.tensor([[1.0, -1.0], [0.5, 2.0]])
print(constraints.positive.check(x), constraints.interval(0.0, 1.0).check(x))
print(constraints.independent(constraints.positive, 1).check(x))
print(constraints.positive_integer.check(torch.tensor([0.0, 1.0, 2.5, 3.0])))
print(D.Normal(0.0, 1.0).support is constraints.real,
      D.Exponential(1.0).support is constraints.nonnegative,
      D.Beta(1.0, 2.0).support is constraints.unit_interval)
""",
    # PyTorch's other overload: linalg.pinv(A, rcond, hermitian) positionally.
    "pinv_rcond": """
A = torch.tensor([[2.0, 0.0], [0.0, 1e-3]], requires_grad=True)
print(torch.linalg.pinv(A, 0.01), torch.linalg.pinv(A, 1e-5))
print(torch.linalg.pinv(A, torch.tensor(0.01)), torch.linalg.pinv(A, 0.01, True))
g, = torch.autograd.grad(torch.linalg.pinv(A, 1e-5).sum(), A, create_graph=True)
print(g, torch.autograd.grad(g[0, 0], A)[0])
""",
    # F.softmax/log_softmax/softmin have `_stacklevel` third, dtype fourth.
    "softmax_signature": """
import torch.nn.functional as F
x = torch.tensor([[1., 2.], [3., 5.]], requires_grad=True)
print(F.softmax(x, 1, 5), F.log_softmax(x, 0, 3, torch.float64), F.softmin(x, 1, 2))
print(F.softmax(x, dim=0, dtype=torch.float64), F.log_softmax(input=x, dim=1))
print(torch.softmax(x, 1, torch.float64), F.softmax(x), F.log_softmax(x), F.softmin(x))
print(nn.Softmax()(x), nn.LogSoftmax()(x), nn.Softmin()(x))
""",
    # adaptive_avg_pool2d's 1x1 output is ATen's mean over the last two dims, before the
    # 3D/4D check; a tuple size meets F's own check first.
    "adaptive_avg_pool_global": """
import torch.nn.functional as F
x = torch.tensor([[0.2, 0.5, 0.7], [0.9, 0.3, 0.4]], requires_grad=True)
y = F.adaptive_avg_pool2d(x, 1)
print(y, torch.autograd.grad(y.sum(), x))
for bad in (lambda: F.adaptive_avg_pool2d(x, (1, 1)), lambda: F.adaptive_avg_pool2d(x, 2),
            lambda: F.adaptive_avg_pool2d(torch.ones(3), 1)):
    try:
        bad()
    except (ValueError, RuntimeError, IndexError) as e:
        print(type(e).__name__, e)
""",
}


@pytest.mark.parametrize("name", sorted(SAME_AS_PYTORCH))
def test_prints_as_pytorch(name: str) -> None:
    text = PROLOGUE + SAME_AS_PYTORCH[name].lstrip("\n")
    assert gd_output(text) == torch_output(text)


def _warnings(text: str) -> list[str]:
    got: list[str] = []
    run(Source("prog.gd", text), AppOptions(write=io.StringIO().write, warn=got.append))
    return got


def test_deprecation_warnings_are_pytorch_s() -> None:
    got = _warnings(PROLOGUE + "m = nn.Hardtanh(min_value=-2.0)\n"
                    "x = torch.ones(2, requires_grad=True)\n"
                    "torch.autograd.backward(x * 2, grad_variables=torch.ones(2))\n"
                    "a = torch.ones(1, 3)\nc = torch.cross(a, a)\nc = torch.cross(a, a)\n")
    assert len(got) == 3  # cross warns once per run, as PyTorch's TORCH_WARN_ONCE
    assert "FutureWarning: keyword argument `min_value` is deprecated and renamed to " \
           "`min_val`" in got[0]
    assert "FutureWarning: `grad_variables` is deprecated. Use `grad_tensors` instead." \
           in got[1]
    assert "UserWarning: Using torch.cross without specifying the dim arg is deprecated." \
           in got[2]


def test_softmax_without_dim_warns_as_f_does() -> None:
    got = _warnings(PROLOGUE + "import torch.nn.functional as F\nx = torch.ones(2, 2)\n"
                    "a = F.softmax(x)\nb = F.log_softmax(x)\nc = F.softmin(x)\n"
                    "d = F.softmax(x, 1)\ne = torch.softmax(x, 1)\n")
    assert [w.split(": ", 2)[1:] for w in got] == [
        ["UserWarning", f"Implicit dimension choice for {name} has been deprecated. Change "
         "the call to include dim=X as an argument.\n  " + line]
        for name, line in (("softmax", "a = F.softmax(x)\n"),
                           ("log_softmax", "b = F.log_softmax(x)\n"),
                           ("softmin", "c = F.softmin(x)\n"))]


def test_lazy_modules_do_not_warn() -> None:
    # torch 2.13 dropped the "Lazy modules are a new feature" warning.
    assert _warnings(PROLOGUE + "m = nn.LazyLinear(3)\nn2 = nn.LazyBatchNorm1d()\n") == []


@pytest.mark.parametrize(("code", "message"), [
    ("raise SystemExit(main())", None),
    ("raise SystemExit(0)", None),
    ("raise SystemExit('bad things')", "bad things"),
    ("raise SystemExit(2)", "the program called sys.exit(2)"),
])
def test_raise_system_exit_ends_the_run_as_sys_exit(code: str, message: str | None) -> None:
    buf = io.StringIO()
    text = f"def main():\n    print('hi')\n    return 0\nprint(1)\n{code}\nprint('after')\n"
    try:
        run(Source("prog.gd", text), AppOptions(write=buf.write))
        error = None
    except GdError as e:
        error = e
    assert "after" not in buf.getvalue()
    assert (error is None) == (message is None)
    if error is not None:
        assert error.message == message
        assert error.span is not None and error.span.line == 5


def test_norm_dtype_gradient_matches_finite_differences() -> None:
    # d/dx ||x||_3 computed in float64, against central differences of the float64 norm.
    out = gd_output(PROLOGUE + "x = torch.tensor([0.3, -1.2, 2.0], dtype=torch.float32, "
                    "requires_grad=True)\n"
                    "y = torch.linalg.vector_norm(x, ord=3, dtype=torch.float64)\n"
                    "y.backward()\nprint(x.grad.tolist())\n")
    got = [float(v) for v in out.strip().strip("[]").split(",")]
    xs = [0.3, -1.2, 2.0]

    def f(v: list[float]) -> float:
        return sum(abs(a) ** 3 for a in v) ** (1 / 3)

    for i, g in enumerate(got):
        h = 1e-6
        up = [*xs[:i], xs[i] + h, *xs[i + 1:]]
        down = [*xs[:i], xs[i] - h, *xs[i + 1:]]
        assert math.isclose(g, (f(up) - f(down)) / (2 * h), rel_tol=1e-5)
