"""The round-6 breadth ops beyond the sweep (comparison functions, special functions,
shrink activations, losses, statistics): each program prints values, grad_fn names and
PyTorch's error messages, and must print what PyTorch 2.13 prints. Key messages are also
written out as literals, so the tests mean something without torch."""

from __future__ import annotations

import textwrap
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from gradcli.ad.session import Session
from gradcli.errors import GdError
from gradcli.interp.runtime import RunOptions, run_source

_PRELUDE = '''
def tr(f):
    try:
        r = f()
        print(r)
        if isinstance(r, torch.Tensor) and r.grad_fn is not None:
            print(r.grad_fn.name())
    except Exception as e:
        print(type(e).__name__, str(e))
'''


@pytest.fixture(autouse=True)
def _in_a_session() -> Iterator[None]:
    with Session():
        yield


def output(text: str) -> str:
    """What a gd program prints."""
    out: list[str] = []
    run_source(_PRELUDE + textwrap.dedent(text).strip("\n") + "\n", "prog.gd",
               RunOptions(write=out.append))
    return "".join(out)


def torch_output(text: str) -> str:
    """What the same program prints under PyTorch."""
    torch = pytest.importorskip("torch")
    lines: list[str] = []
    env: dict[str, Any] = {"torch": torch, "F": torch.nn.functional,
                           "print": lambda *a: lines.append(" ".join(map(str, a)) + "\n")}
    with warnings.catch_warnings():  # torch.cholesky's deprecation warning
        warnings.simplefilter("ignore")
        exec(_PRELUDE + textwrap.dedent(text).strip("\n") + "\n", env)
    return "".join(lines)


def error(text: str) -> str:
    """The message of the error a gd program raises."""
    with pytest.raises(GdError) as info:
        output(text)
    return info.value.message


PROGRAMS = {
    "comparisons": """
        x = torch.tensor([1.0, 0.0, -2.0, float('nan'), float('inf')], requires_grad=True)
        y = torch.tensor([1.0, 0.5, 2.0, 3.0, -1.0], requires_grad=True)
        tr(lambda: torch.eq(2, x))
        tr(lambda: torch.greater(2, x))
        tr(lambda: torch.eq(x, [1, 2, 3]))
        tr(lambda: torch.ge(input=x, other=y))
        tr(lambda: x.not_equal(y))
        tr(lambda: torch.isinf(2))
        tr(lambda: torch.isinf(x))
        tr(lambda: torch.isposinf(x))
        tr(lambda: torch.isneginf(-x))
        tr(lambda: torch.signbit(torch.tensor([-0.0, 0.0, -1.0])))
        tr(lambda: torch.logical_xor(x, 1))
        tr(lambda: torch.logical_xor(x, y))
        tr(lambda: torch.heaviside(x, 0.5))
        tr(lambda: torch.heaviside(x, torch.tensor([1])))
        tr(lambda: torch.heaviside(x, torch.tensor([0.5])))
        tr(lambda: torch.heaviside(x, torch.tensor([0.5])).sum().backward())
        tr(lambda: torch.fmax(x, 2))
        tr(lambda: torch.fmax(x, y))
        tr(lambda: torch.fmin(x, torch.tensor(float('nan'))))
        tr(lambda: torch.fmax(torch.tensor([1, 2]), torch.tensor([1.5, 0.0])))
    """,
    "ravel_diff": """
        t = torch.arange(6.0).reshape(2, 3).requires_grad_()
        tr(lambda: torch.ravel(t))
        tr(lambda: t.t().ravel())
        tr(lambda: torch.ravel(torch.tensor(3.0)))
        tr(lambda: torch.diff(t))
        tr(lambda: t.diff(n=2, dim=0))
        tr(lambda: torch.diff(t, n=0))
        tr(lambda: torch.diff(t, n=5))
        tr(lambda: torch.diff(t, prepend=torch.ones(2, 1), append=torch.zeros(2, 2)))
        tr(lambda: torch.diff(torch.tensor([True, False, False])))
        tr(lambda: torch.diff(torch.tensor([1, 3, 6]), prepend=torch.tensor([1.5])))
        tr(lambda: torch.diff(torch.tensor(1.0)))
        tr(lambda: torch.diff(t, n=-1))
        tr(lambda: torch.diff(t, dim=2))
        tr(lambda: torch.diff(t, prepend=torch.ones(2)))
        tr(lambda: torch.diff(t, dim=0, prepend=torch.ones(2, 2)))
        tr(lambda: torch.diff(t, prepend=torch.tensor(5.0)))
    """,
    "pointwise": """
        x = torch.tensor([1.0, -0.3, 2.5], requires_grad=True)
        a = torch.tensor([0.5, 2.0, -1.0], requires_grad=True)
        b = torch.tensor([1.5, -2.0, 3.0], requires_grad=True)
        tr(lambda: torch.addcmul(x, a, b))
        tr(lambda: torch.addcmul(x, a, b, value=0.5))
        tr(lambda: torch.addcdiv(x, a, b, value=2))
        tr(lambda: x.addcmul(a, b, value=-1))
        tr(lambda: torch.addcdiv(torch.tensor([1, 2]), torch.tensor([1, 2]), torch.tensor([3, 4])))
        i = torch.tensor([1, 2])
        tr(lambda: torch.addcmul(i, i, torch.tensor([3, 4]), value=2))
        tr(lambda: torch.addcmul(i, i, torch.tensor([3, 4]), value=0.5))
        tr(lambda: torch.addcmul(x, a, 2.0))
        tr(lambda: (x * 1).addcdiv_(a, b))
        tr(lambda: torch.addcmul(x, a, torch.ones(2)))
        tr(lambda: torch.addcmul(torch.ones(3, dtype=torch.float64), a, b))
        tr(lambda: torch.addcmul(torch.ones(1), a, b))
        tr(lambda: torch.addcmul(torch.ones(1), a, b).shape)
        tr(lambda: F.hardshrink(x, 0.4))
        tr(lambda: torch.hardshrink(x, lambd=0.4))
        tr(lambda: x.hardshrink())
        tr(lambda: F.softshrink(x, 0.4))
        tr(lambda: F.softshrink(x, -1))
        tr(lambda: F.threshold(x, 0.5, -7.0))
        tr(lambda: torch.threshold(x, 0.5, 20))
        tr(lambda: F.threshold(x, 0.5, -7.0, inplace=True))
        tr(lambda: F.threshold_(x*1, 0.5, -7.0))
        tr(lambda: torch.threshold_(x*1, 0.5, -7.0))
        w = torch.tensor([0.25], requires_grad=True)
        m = torch.tensor([[1.0, -2.0, 3.0], [-1.0, 0.5, -0.5]], requires_grad=True)
        tr(lambda: F.prelu(m, w))
        tr(lambda: torch.prelu(m, torch.tensor([0.1, 0.2, 0.3], requires_grad=True)))
        tr(lambda: F.prelu(m, torch.tensor([0.1, 0.2])))
        tr(lambda: F.prelu(x, torch.tensor([0.1, 0.2, 0.3])))
        tr(lambda: F.prelu(torch.tensor(-1.0), torch.tensor([0.1])))
        tr(lambda: F.prelu(m, 0.25))
        tr(lambda: F.glu(torch.arange(8.0).reshape(2, 4).requires_grad_()))
        tr(lambda: F.glu(m, dim=0))
        tr(lambda: F.glu(m))
        tr(lambda: F.glu(torch.tensor(1.0)))
        tr(lambda: F.hardshrink(torch.tensor([1, 2])))
    """,
    "special": """
        x = torch.tensor([0.5, 1.5, 3.0, -2.5], requires_grad=True)
        p = torch.tensor([0.5, 1.5, 3.0, 7.25], requires_grad=True)
        tr(lambda: torch.lgamma(x))
        tr(lambda: torch.special.gammaln(x))
        tr(lambda: torch.digamma(x))
        tr(lambda: torch.special.psi(x))
        tr(lambda: torch.polygamma(1, x))
        tr(lambda: torch.special.polygamma(2, p))
        tr(lambda: p.polygamma(3))
        tr(lambda: torch.polygamma(-1, x))
        tr(lambda: torch.polygamma(1.5, x))
        tr(lambda: torch.special.entr(torch.tensor([0.0, -1.0, 2.0, 0.5])))
        tr(lambda: torch.special.entr(p))
        tr(lambda: torch.special.ndtr(x))
        tr(lambda: torch.special.ndtr(x).grad_fn.next_functions[0][0].name())
        tr(lambda: torch.special.ndtr(torch.tensor([1, 2])))
        tr(lambda: torch.special.log_ndtr(x))
        tails = torch.tensor([-40.0, -30.0, -10.0, -1.0, 0.0, 3.0, 10.0], dtype=torch.float64)
        tr(lambda: torch.special.log_ndtr(tails))
        tr(lambda: torch.i0(x))
        tr(lambda: torch.special.i0e(x))
        tr(lambda: torch.special.i1(x))
        tr(lambda: torch.special.i1e(x))
        tr(lambda: torch.lgamma(2.0))
        tr(lambda: torch.tensor([1, 2]).lgamma_())
        inf, nan = float('inf'), float('nan')
        tr(lambda: torch.lgamma(torch.tensor([0.0, -1.0, -2.5, inf, -inf, nan])))
        tr(lambda: torch.digamma(torch.tensor([0.0, -0.0, -1.0, -2.5, inf, -inf, nan])))
        tr(lambda: torch.digamma(torch.tensor([1, 2])))
        tr(lambda: torch.i0(torch.tensor([1, 2])))
        g, = torch.autograd.grad(torch.lgamma(p).sum(), p, create_graph=True)
        print(g)
        g2, = torch.autograd.grad(g.sum(), p, create_graph=True)
        print(g2, g2.grad_fn.name())
        g3, = torch.autograd.grad(g2.sum(), p)
        print(g3)
        g, = torch.autograd.grad(torch.special.i1(x).sum(), x, create_graph=True)
        print(g)
        g2, = torch.autograd.grad(g.sum(), x)
        print(g2)
    """,
    "losses": """
        a = torch.tensor([0.5, -1.2, 2.0, 0.3], requires_grad=True)
        b = torch.tensor([1.0, -0.7, 0.1, 0.3], requires_grad=True)
        y = torch.tensor([1.0, -1.0, 1.0, -1.0])
        tr(lambda: F.margin_ranking_loss(a, b, y))
        tr(lambda: F.margin_ranking_loss(a, b, y, margin=0.5, reduction='none'))
        tr(lambda: F.margin_ranking_loss(a, b, y, reduction='sum'))
        tr(lambda: F.margin_ranking_loss(a, b, y[None]))
        tr(lambda: F.margin_ranking_loss(a, b, y, reduction='max'))
        tr(lambda: F.hinge_embedding_loss(a, y))
        tr(lambda: F.hinge_embedding_loss(a, y, margin=2.0, reduction='none'))
        tr(lambda: F.hinge_embedding_loss(a, torch.tensor([1.0, 0.0, -1.0, 2.0]), reduction='sum'))
        lam = torch.tensor([0.2, 1.5, 3.0, 0.7], requires_grad=True)
        k = torch.tensor([0.0, 2.0, 5.0, 1.0])
        tr(lambda: F.poisson_nll_loss(a, k))
        tr(lambda: F.poisson_nll_loss(lam, k, log_input=False))
        tr(lambda: F.poisson_nll_loss(lam, k, log_input=False, full=True, reduction='none'))
        tr(lambda: F.poisson_nll_loss(a, k, full=True, reduction='sum'))
        tr(lambda: F.poisson_nll_loss(a, k, reduction='bad'))
        v = torch.tensor([0.5, 1e-8, 2.0, 1.0], requires_grad=True)
        tr(lambda: F.gaussian_nll_loss(a, b, v))
        tr(lambda: F.gaussian_nll_loss(a, b, v, full=True, reduction='none'))
        tr(lambda: F.gaussian_nll_loss(a, b, 0.5))
        tr(lambda: F.gaussian_nll_loss(a, b, -0.5))
        tr(lambda: F.gaussian_nll_loss(a, b, -v))
        tr(lambda: F.gaussian_nll_loss(a, b, torch.ones(3)))
        tr(lambda: F.gaussian_nll_loss(a[None], b[None], torch.ones(1)))
        tr(lambda: F.gaussian_nll_loss(a, b, v, reduction='max'))
        tr(lambda: torch.autograd.grad(F.gaussian_nll_loss(a, b, v), v))
        m = torch.tensor([[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]], requires_grad=True)
        pp = torch.tensor([[0.4, -0.8, 1.0], [0.0, 0.2, -0.5]], requires_grad=True)
        nn = torch.tensor([[1.5, 1.0, 2.0], [1.0, 0.5, 0.5]], requires_grad=True)
        tr(lambda: F.triplet_margin_loss(m, pp, nn))
        tr(lambda: F.triplet_margin_loss(m, pp, nn, margin=2.0, p=1, swap=True, reduction='none'))
        tr(lambda: F.triplet_margin_loss(m, pp, nn, margin=0.0))
        tr(lambda: F.triplet_margin_loss(m, pp[0], nn))
    """,
    "combine": """
        x = torch.tensor([[1.0, 2.0, 4.0], [0.5, -1.0, 3.0]], requires_grad=True)
        v = torch.tensor([1.0, 2.5, -1.0], requires_grad=True)
        w = torch.tensor([0.5, 4.0], requires_grad=True)
        tr(lambda: torch.block_diag(x, w, v))
        tr(lambda: torch.block_diag(x, torch.tensor(2.0)))
        tr(lambda: torch.block_diag())
        tr(lambda: torch.block_diag(torch.ones(2,2,2)))
        tr(lambda: torch.block_diag(torch.tensor([[1, 2]]), x))
        tr(lambda: torch.cartesian_prod(v, w))
        tr(lambda: torch.cartesian_prod(v))
        tr(lambda: torch.cartesian_prod(v, x))
        tr(lambda: torch.combinations(v))
        tr(lambda: torch.combinations(v, r=3))
        tr(lambda: torch.combinations(v, 2, with_replacement=True))
        tr(lambda: torch.combinations(v, r=0))
        tr(lambda: torch.combinations(v, r=4))
        tr(lambda: torch.combinations(x))
        tr(lambda: torch.trapezoid(v))
        tr(lambda: torch.trapezoid(x, dx=0.5))
        tr(lambda: torch.trapezoid(x, torch.tensor([0.0, 1.0, 3.0])))
        tr(lambda: torch.trapz(x, dim=0))
        tr(lambda: torch.trapezoid(x, torch.tensor([0.0, 1.0, 3.0]), dim=0))
        tr(lambda: torch.vander(v))
        tr(lambda: torch.vander(v, N=2, increasing=True))
        tr(lambda: torch.linalg.vander(v))
        tr(lambda: torch.vander(torch.tensor([1, 2, 3])))
        tr(lambda: torch.cov(x))
        tr(lambda: torch.cov(x, correction=0))
        tr(lambda: torch.cov(v))
        fw, aw = torch.tensor([1, 2, 1]), torch.tensor([0.5, 1.0, 2.0])
        tr(lambda: torch.cov(x, fweights=fw, aweights=aw))
        tr(lambda: torch.corrcoef(x))
        tr(lambda: x.cov())
        tr(lambda: torch.corrcoef(v))
        tr(lambda: torch.vander(v).sum().backward())
    """,
    "counting": """
        i = torch.tensor([0, 1, 1, 3])
        tr(lambda: torch.bincount(i))
        tr(lambda: torch.bincount(i, weights=torch.tensor([0.5, 1.0, 2.0, 1.0])))
        tr(lambda: torch.bincount(i, torch.tensor([0.5, 1.0, 2.0, 1.0], dtype=torch.float64), 6))
        tr(lambda: i.bincount(minlength=2))
        tr(lambda: torch.bincount(torch.tensor([0, 1]), weights=torch.tensor([1, 2])))
        tr(lambda: torch.bincount(torch.tensor([], dtype=torch.int64), minlength=3))
        tr(lambda: torch.bincount(torch.tensor([-1, 1])))
        tr(lambda: torch.bincount(torch.tensor([[1]])))
        tr(lambda: torch.bincount(torch.tensor([1.0])))
        tr(lambda: torch.bincount(torch.tensor([1]), minlength=-1))
        tr(lambda: torch.bincount(torch.tensor([1, 2]), weights=torch.ones(3)))
        x = torch.tensor([1.0, 2.0, 1.0, 4.0, 0.3, 2.9999], requires_grad=True)
        tr(lambda: torch.histc(x, bins=4, min=0, max=4))
        tr(lambda: torch.histc(x, bins=3))
        tr(lambda: x.histc(5, 1, 3))
        tr(lambda: torch.histc(torch.tensor([1.0, 2.0, 1.0]), bins=3))
        tr(lambda: torch.histc(torch.tensor([1, 2])))
        tr(lambda: torch.histc(torch.tensor([1.0, 2.0]), bins=0))
        tr(lambda: torch.histc(torch.tensor([1.0, 2.0]), min=3, max=1))
        tr(lambda: torch.histc(torch.tensor([1.0, 1.0]), bins=4))
        tr(lambda: torch.histc(torch.tensor([]), bins=3))
        torch.manual_seed(0)
        r = torch.rand(1000, dtype=torch.float64)
        tr(lambda: torch.histc(r, bins=7))
        tr(lambda: torch.histc(r.float(), bins=13, min=0.1, max=0.9))
        b = torch.tensor([1, 3, 5, 7])
        tr(lambda: torch.bucketize(torch.tensor([1, 5, 9]), b))
        tr(lambda: torch.bucketize(torch.tensor([1.0, 5.0, 9.0]), b, right=True, out_int32=True))
        tr(lambda: torch.bucketize(2.5, torch.tensor([1.0, 2.0, 3.0])))
        tr(lambda: torch.bucketize(torch.tensor([1.0]), torch.ones(2, 2)))
        tr(lambda: torch.searchsorted(b, torch.tensor([[3, 6, 9], [3, 6, 1]])))
        s2 = torch.tensor([[1, 3, 5], [2, 4, 6]])
        tr(lambda: torch.searchsorted(s2, torch.tensor([[3, 6], [3, 1]]), side='right'))
        tr(lambda: torch.searchsorted(torch.tensor([1.0, 3.0]), 2.0))
        tr(lambda: torch.searchsorted(torch.ones(2, 3), torch.ones(3, 2)))
        h = torch.tensor([1.5])
        tr(lambda: torch.searchsorted(torch.tensor([1.0, 2.0]), h, side='left', right=True))
        s3 = torch.tensor([3.0, 1.0, 2.0])
        tr(lambda: torch.searchsorted(s3, torch.tensor([1.5, 2.5]), sorter=torch.tensor([1, 2, 0])))
        tr(lambda: torch.searchsorted(torch.tensor([1.0, 2.0]), torch.tensor([1.5]), side='middle'))
    """,
    "dtypes": """
        tr(lambda: torch.result_type(torch.ones(2), 1.0))
        tr(lambda: torch.result_type(torch.tensor([1]), 1.0))
        tr(lambda: torch.result_type(torch.tensor([1]), torch.tensor(1.0)))
        tr(lambda: torch.result_type(torch.tensor([1.0]), torch.tensor(1.0, dtype=torch.float64)))
        tr(lambda: torch.result_type(torch.tensor([True]), 2))
        i32 = torch.tensor([1], dtype=torch.int32)
        tr(lambda: torch.result_type(tensor=i32, other=torch.tensor([1])))
        tr(lambda: torch.promote_types(torch.int64, torch.float32))
        tr(lambda: torch.promote_types(torch.bool, torch.int32))
        tr(lambda: torch.promote_types(torch.float64, torch.float32))
        tr(lambda: torch.promote_types(torch.int64, 3))
        tr(lambda: torch.can_cast(torch.float64, torch.int32))
        tr(lambda: torch.can_cast(torch.int32, torch.float64))
        tr(lambda: torch.can_cast(torch.int64, torch.bool))
        tr(lambda: torch.can_cast(torch.bool, torch.int64))
        tr(lambda: torch.can_cast(torch.float32, torch.float64))
        tr(lambda: torch.can_cast(from_=torch.float64, to=torch.float32))
    """,
    "linalg_extra": """
        a = torch.tensor([[4.0, 1.0], [1.0, 3.0]], requires_grad=True)
        tr(lambda: torch.cholesky(a))
        tr(lambda: torch.cholesky(a, upper=True))
        tr(lambda: a.cholesky())
        tr(lambda: torch.cholesky(torch.ones(3)))
        m = torch.tensor([[0.5, 1.0], [-0.3, 0.2]], requires_grad=True)
        tr(lambda: torch.matrix_exp(m))
        tr(lambda: torch.linalg.matrix_exp(m * 8))
        tr(lambda: m.matrix_exp())
        tr(lambda: torch.matrix_exp(torch.ones(2, 3)))
        tr(lambda: torch.matrix_exp(torch.ones(3)))
        tr(lambda: torch.matrix_exp(torch.tensor([[1, 2], [3, 4]])))
        g, = torch.autograd.grad(torch.matrix_exp(m).sum(), m, create_graph=True)
        print(g)
        g2, = torch.autograd.grad(g.sum(), m)
        print(g2)
    """,
    "quantile": """
        x = torch.tensor([[1.0, 5.0, 2.0, 8.0], [0.5, -1.0, 3.0, 4.0]], requires_grad=True)
        tr(lambda: torch.quantile(x, 0.3))
        tr(lambda: torch.quantile(x, 0.3, dim=1))
        qs = torch.tensor([0.25, 0.5, 1.0])
        tr(lambda: torch.quantile(x, qs, dim=1, keepdim=True))
        tr(lambda: torch.quantile(x, torch.tensor([0.25, 0.5]), dim=0))
        for m in ('lower', 'higher', 'nearest', 'midpoint'):
            tr(lambda: torch.quantile(x, 0.4, dim=1, interpolation=m))
        tr(lambda: x.quantile(0.5))
        tr(lambda: torch.quantile(x, 1.5))
        tr(lambda: torch.quantile(x, 0.5, interpolation='bad'))
        tr(lambda: torch.quantile(x.int(), 0.5))
        tr(lambda: torch.quantile(x, torch.tensor([[0.5]])))
        n = torch.tensor([1.0, float('nan'), 3.0, 2.0], requires_grad=True)
        tr(lambda: torch.quantile(n, 0.5))
        tr(lambda: torch.nanquantile(n, 0.5))
        tr(lambda: n.nanquantile(torch.tensor([0.1, 0.9])))
        tr(lambda: torch.nanquantile(torch.tensor([float('nan')]), 0.5))
        g, = torch.autograd.grad(torch.quantile(x, 0.3, dim=1).sum(), x)
        print(g)
    """,
}

#: PyTorch's own backward through torch.vander fails on its in-place cumprod filling;
#: gd's refusal names its own versions and view.
VANDER_BACKWARD = ("RuntimeError one of the variables needed for gradient computation has "
                   "been modified by an inplace operation")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_prints_what_torch_prints(name: str) -> None:
    ours, theirs = output(PROGRAMS[name]), torch_output(PROGRAMS[name])
    if name == "combine":
        ours_last, theirs_last = ours.splitlines()[-1], theirs.splitlines()[-1]
        assert ours_last.startswith(VANDER_BACKWARD)
        assert theirs_last.lower().startswith(VANDER_BACKWARD.lower())
        ours, theirs = ours.rsplit("\n", 2)[0], theirs.rsplit("\n", 2)[0]
    assert ours == theirs


@pytest.mark.parametrize(("program", "message"), [
    ("torch.eq(2, torch.ones(2))",
     "eq() received an invalid combination of arguments - got (int, Tensor), but expected "
     "one of:\n * (Tensor input, Tensor other, *, Tensor out = None)\n"
     " * (Tensor input, Number other, *, Tensor out = None)\n"),
    ("torch.fmax(torch.ones(2), 2)",
     "fmax(): argument 'other' (position 2) must be Tensor, not int"),
    ("torch.heaviside(torch.ones(2), torch.tensor([1]))",
     "heaviside is not yet implemented for tensors with different dtypes."),
    ("torch.heaviside(torch.ones(2, requires_grad=True), torch.ones(1)).sum().backward()",
     "derivative for aten::heaviside is not implemented"),
    ("torch.addcdiv(torch.ones(2), torch.tensor([1, 2]), torch.tensor([3, 4]))",
     "Integer division with addcdiv is no longer supported, and in a future  release addcdiv "
     "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can "
     "be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
     "integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future "
     "addcdiv behavior is just the latter implementation: (input + value * tensor1 / "
     "tensor2), for all dtypes."),
    ("F.softshrink(torch.ones(2), -1)",
     "lambda must be in range [0, 3.40282e+38] for input dtype Float, but found -1"),
    ("F.prelu(torch.ones(2, 3), torch.ones(2))",
     "Mismatch of parameter numbers and input channel size. Found parameter numbers = 2 and "
     "channel size = 3."),
    ("F.glu(torch.ones(2, 3))", "Halving dimension must be even, but dimension 1 is size 3"),
    ("torch.cholesky(torch.tensor([[1.0, 2.0], [2.0, 1.0]]))",
     "cholesky: The factorization could not be completed because the input is not "
     "positive-definite (the leading minor of order 2 is not positive-definite)."),
    ("torch.bincount(torch.tensor([0, 1]), torch.ones(2, requires_grad=True)).sum().backward()",
     "derivative for aten::bincount is not implemented"),
    ("torch.diff(torch.ones(2, 3), dim=0, prepend=torch.ones(2, 2))",
     "diff expects the shape of tensor to prepend or append to match that of input except "
     "along the differencing dimension; input.size(1) = 3, but got tensor.size(1) = 2"),
])
def test_messages(program: str, message: str) -> None:
    assert error(program) == message
