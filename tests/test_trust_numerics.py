"""Issue "Trust": numerics that must be PyTorch's, bit for bit or word for word.

Integer arithmetic edge cases, printing under a float64 default dtype, range factories
(arange, linspace) element for element, PyTorch's error messages where numpy's would
surface, warnings on stderr, float32 reductions. Each test has literal expectations
(PyTorch 2.13's output, copied) and, where PyTorch is installed, a differential check.
"""

from __future__ import annotations

import contextlib
import io
import random
import warnings
from typing import Any

import numpy as np
import pytest

from gradcli.ad import ops
from gradcli.ad.session import Session
from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source

try:
    import torch
except ImportError:  # pragma: no cover - the optional `compare` extra
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch not installed")


def gd(text: str, **opts: Any) -> str:
    """What a program prints under gradcli (an error as 'ERR message')."""
    buf = io.StringIO()
    try:
        run(Source("p.gd", text), AppOptions(write=buf.write, **opts))
    except GdError as e:
        return buf.getvalue() + f"ERR {e.message}"
    return buf.getvalue()


def th(text: str) -> str:
    """What the same program prints under PyTorch (an error as 'ERR message')."""
    assert torch is not None
    buf = io.StringIO()
    prev = torch.get_default_dtype()
    try:
        with contextlib.redirect_stdout(buf), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (checked separately, on stderr)
            exec(compile(text, "p.gd", "exec"), {"torch": torch})
    except Exception as e:  # any PyTorch error is an expected outcome
        return buf.getvalue() + f"ERR {e}"
    finally:
        torch.set_default_dtype(prev)
    return buf.getvalue()


# -- 1. integer and bool arithmetic ------------------------------------------------------

ZERO_DIV = "ERR ZeroDivisionError"
BOOL_SUB1 = ("ERR Subtraction, the `-` operator, with a bool tensor is not supported. If you "
             "are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
BOOL_SUB2 = ("ERR Subtraction, the `-` operator, with two bool tensors is not supported. Use "
             "the `^` or `logical_xor()` operator instead.")
NEG_POW = "ERR Integers to negative integer powers are not allowed."

INTEGER_CASES = [
    ("print(torch.tensor(1) // 0)", ZERO_DIV),
    ("print(torch.tensor([1, 2]) % 0)", ZERO_DIV),
    ("print(torch.tensor([1, 2]) // torch.tensor([0, 1]))", ZERO_DIV),
    ("print(7 // torch.tensor([0]))", ZERO_DIV),
    ("x = torch.tensor([1, 2])\nx //= 0\nprint(x)", ZERO_DIV),
    ("x = torch.tensor([1, 2])\nx %= 0\nprint(x)", ZERO_DIV),
    ("print(torch.tensor([1, 2]) // torch.tensor([True, False]))", ZERO_DIV),
    ("print(torch.tensor([1.0, -1.0]) // 0)", "tensor([inf, -inf])\n"),
    ("print(torch.tensor([1.0, -1.0, 0.0]) % 0)", "tensor([nan, nan, nan])\n"),
    ("print(torch.tensor([-7, 7, -7, 7]) // torch.tensor([2, -2, -2, 2]))",
     "tensor([-4, -4,  3,  3])\n"),
    ("print(torch.tensor([-7, 7, -7, 7]) % torch.tensor([2, -2, -2, 2]))",
     "tensor([ 1, -1, -1,  1])\n"),
    ("print(-5 % torch.tensor([3]))", "tensor([1])\n"),
    ("print(torch.tensor(9223372036854775807) + 1)", "tensor(-9223372036854775808)\n"),
    ("print(torch.tensor([3]) ** 40)", "tensor([-6289078614652622815])\n"),
    ("print(torch.tensor(-9223372036854775808) // -1)", "tensor(-9223372036854775808)\n"),
    ("print(torch.tensor([2]) ** -1)", NEG_POW),
    ("print(torch.tensor([0]) ** -1)", NEG_POW),
    ("print(torch.tensor([True]) ** -1)", NEG_POW),
    ("print(torch.tensor([0, 1, -1, 2]) ** torch.tensor([-1]))", "tensor([ 0,  1, -1,  0])\n"),
    ("print(torch.tensor([-1, -1]) ** torch.tensor([-2, -3]))", "tensor([ 1, -1])\n"),
    ("print(2 ** torch.tensor([-1]))", "tensor([0])\n"),
    ("print(torch.tensor([2]) ** -1.0)", "tensor([0.5000])\n"),
    ("print(torch.tensor([1, 2]) / torch.tensor([2, 0]))", "tensor([0.5000,    inf])\n"),
    ("print(torch.tensor([True, True]) + torch.tensor([True, False]))",
     "tensor([True, True])\n"),
    ("print(torch.tensor([True, False]) ** 2)", "tensor([1, 0])\n"),
    ("print(torch.tensor([True, False]) % 2)", "tensor([1, 0])\n"),
    ("print(torch.tensor([True]) / torch.tensor([True]))", "tensor([1.])\n"),
    ("print(-torch.tensor([True]))",
     "ERR Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
     "to invert a mask, use the `~` or `logical_not()` operator instead."),
    ("print(torch.tensor([True]) - torch.tensor([True]))", BOOL_SUB2),
    ("print(torch.tensor([True]) - True)", BOOL_SUB2),
    ("print(torch.tensor([True]) - 1)", BOOL_SUB1),
    ("print(1 - torch.tensor([True]))", BOOL_SUB1),
    ("print(torch.tensor([1]) - torch.tensor([True]))", BOOL_SUB1),
    ("print(torch.tensor([True]) // torch.tensor([True]))",
     "ERR \"div_floor_cpu\" not implemented for 'Bool'"),
    ("print(torch.tensor([True]) % torch.tensor([True]))",
     "ERR \"remainder_cpu\" not implemented for 'Bool'"),
    ("print(torch.tensor([True]) ** torch.tensor([True]))",
     "ERR \"pow\" not implemented for 'Bool'"),
    ("print(torch.tensor([True]).abs())", "ERR \"abs_cpu\" not implemented for 'Bool'"),
    ("print(torch.tensor([True]).floor())", "ERR \"floor_vml_cpu\" not implemented for 'Bool'"),
    ("print(torch.tensor([True]).relu())", "ERR Boolean inputs not supported for relu"),
]


@pytest.mark.parametrize(("prog", "expected"), INTEGER_CASES)
def test_integer_and_bool_arithmetic(prog: str, expected: str) -> None:
    assert gd(prog) == expected
    if torch is not None:
        assert th(prog) == expected


# -- 2. the default dtype decides which dtype printing leaves out ---------------------------

F64_PROG = """torch.set_default_dtype(torch.float64)
print(torch.tensor([1.5, 2.0]))
print(torch.tensor([1.5]).float())
print(torch.get_default_dtype())
print(torch.zeros(0))
print(torch.zeros(0, dtype=torch.float32))
print(torch.ones(2, 0).long())
print(torch.tensor(1) / 2)
print(torch.tensor([1.0], requires_grad=True) * 2)
"""
F64_OUT = """tensor([1.5000, 2.0000])
tensor([1.5000], dtype=torch.float32)
torch.float64
tensor([])
tensor([], dtype=torch.float32)
tensor([], size=(2, 0), dtype=torch.int64)
tensor(0.5000)
tensor([2.], grad_fn=<MulBackward0>)
"""


def test_set_default_dtype_printing() -> None:
    assert gd(F64_PROG) == F64_OUT
    if torch is not None:
        assert th(F64_PROG) == F64_OUT
    # The program's setting ends with the command.
    assert gd("print(torch.tensor([1.5]).double())") == "tensor([1.5000], dtype=torch.float64)\n"


def test_dtype_flag_is_the_default_dtype() -> None:
    prog = "print(torch.tensor([1.5]))\nprint(torch.tensor([1.5]).float())\n"
    assert gd(prog, dtype="float64") == (
        "tensor([1.5000])\ntensor([1.5000], dtype=torch.float32)\n")


def test_set_default_dtype_refuses_integers() -> None:
    assert gd("torch.set_default_dtype(torch.int64)") == (
        "ERR only floating-point types are supported as the default type")


# -- 3. range factories, bit for bit -------------------------------------------------------

def _bits(a: np.ndarray) -> np.ndarray:
    return a.view(np.uint32 if a.dtype == np.float32 else np.uint64)


def test_arange_literal() -> None:
    x = ops.arange(-8.0, 8.0, 0.1)
    assert x.shape == (160,)
    assert float(x.array[80]) == float(np.float32(4.440892098500626e-16))
    assert gd("print(torch.arange(-8.0, 8.0, 0.1)[80])") == "tensor(4.4409e-16)\n"
    assert float(ops.arange(-8.0, 8.0, 0.1, dtype="float64").array[6]) == -7.3999999999999995


def _range_cases(seed: int, count: int) -> list[tuple[float, float, float]]:
    rng = random.Random(seed)
    out = [(-8.0, 8.0, 0.1), (0.0, 1.0, 0.1), (5.0, 0.0, -0.7), (-3.0, 3.0, 0.25)]
    while len(out) < count:
        start = round(rng.uniform(-10, 10), rng.randint(0, 3))
        step = round(rng.choice([-1, 1]) * rng.uniform(0.001, 2), rng.randint(1, 4))
        if step == 0:
            continue
        end = start + step * rng.randint(1, 3000) + (rng.random() - 0.5) * step
        out.append((start, end, step))
    return out


@needs_torch
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_arange_bits_vs_torch(dtype: str) -> None:
    for start, end, step in _range_cases(0, 300):
        ours = ops.arange(start, end, step, dtype=dtype).array
        theirs = torch.arange(start, end, step, dtype=getattr(torch, dtype)).numpy()
        assert ours.shape == theirs.shape, (start, end, step)
        assert (_bits(ours) == _bits(theirs)).all(), (start, end, step)


@needs_torch
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_linspace_bits_vs_torch(dtype: str) -> None:
    rng = random.Random(1)
    for _ in range(300):
        start = round(rng.uniform(-100, 100), rng.randint(0, 4))
        end = round(rng.uniform(-100, 100), rng.randint(0, 4))
        steps = rng.choice([0, 1, 2, 3, 5, 7, 10, 16, 17, 33, 100, 101, 257, rng.randint(2, 5000)])
        ours = ops.linspace(start, end, steps, dtype=dtype).array
        theirs = torch.linspace(start, end, steps, dtype=getattr(torch, dtype)).numpy()
        assert ours.shape == theirs.shape
        if dtype == "int64":
            assert (ours == theirs).all(), (start, end, steps)
        else:
            assert (_bits(ours) == _bits(theirs)).all(), (start, end, steps)


def test_linspace_literal() -> None:
    assert gd("print(torch.linspace(-3, 10, 7, dtype=torch.int64))") == (
        "tensor([-3,  0,  1,  3,  5,  7, 10])\n")
    a = ops.linspace(0.0, 1.0, 5).array
    assert a.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]


RANGE_CASES = [
    ("print(torch.arange(0.5, 5, dtype=torch.int64))", "tensor([0, 1, 2, 3, 4])\n"),
    ("print(torch.arange(-0.5, 5, 1.5, dtype=torch.int64))", "tensor([0, 1, 2, 3, 4])\n"),
    ("print(torch.arange(0, 5, 0.5, dtype=torch.int64))", "ERR step must be nonzero"),
    ("print(torch.arange(10, 0, -3))", "tensor([10,  7,  4,  1])\n"),
    ("print(torch.arange(10, 0, 3))",
     "ERR upper bound and lower bound inconsistent with step sign"),
    ("print(torch.arange(1, 1))", "tensor([], dtype=torch.int64)\n"),
    ("print(torch.arange(5, dtype=torch.bool))", "ERR \"arange_cpu\" not implemented for 'Bool'"),
    ("print(torch.arange(0, float('inf')))", "ERR unsupported range: 0 -> inf"),
    ("print(torch.linspace(0, 1, 0))", "tensor([])\n"),
    ("print(torch.linspace(0, 1, -1))", "ERR number of steps must be non-negative"),
    ("print(torch.linspace(2, 1, 1))", "tensor([2.])\n"),
    ("print(torch.linspace(0, 1, 5, dtype=torch.bool))",
     "ERR \"linspace_cpu\" not implemented for 'Bool'"),
    ("print(torch.full((2,), 1.5, dtype=torch.int64))", "tensor([1, 1])\n"),
    ("print(torch.full((2,), True))", "tensor([True, True])\n"),
    ("print(torch.eye(2, 3, dtype=torch.int64))", "tensor([[1, 0, 0],\n        [0, 1, 0]])\n"),
    # logspace: printed values as PyTorch's (its float32 bits may differ: Sleef's pow)
    ("print(torch.logspace(0, 2, 5))",
     "tensor([  1.0000,   3.1623,  10.0000,  31.6228, 100.0000])\n"),
    ("print(torch.logspace(-1.5, 1.5, 7, base=2))",
     "tensor([0.3536, 0.5000, 0.7071, 1.0000, 1.4142, 2.0000, 2.8284])\n"),
    ("print(torch.logspace(0, 3, 4, dtype=torch.int64))", "tensor([   1,   10,  100, 1000])\n"),
    ("print(torch.logspace(1, 1, 1), torch.logspace(0, 1, 0))", "tensor([10.]) tensor([])\n"),
]


def test_logspace_within_a_few_ulps_of_torch() -> None:
    if torch is None:
        pytest.skip("needs torch")
    rng = random.Random(5)
    for dt, tdt in (("float32", torch.float32), ("float64", torch.float64)):
        for _ in range(100):
            a, b = round(rng.uniform(-5, 5), 3), round(rng.uniform(-5, 5), 3)
            n, base = rng.randint(1, 60), rng.choice([10.0, 2.0, 3.0])
            ours = ops.logspace(a, b, n, base=base, dtype=dt).array
            theirs = torch.logspace(a, b, n, base=base, dtype=tdt).numpy()
            np.testing.assert_allclose(ours, theirs, rtol=4e-6 if dt == "float32" else 1e-14)


@pytest.mark.parametrize(("prog", "expected"), RANGE_CASES)
def test_range_factories(prog: str, expected: str) -> None:
    assert gd(prog) == expected
    if torch is not None:
        assert th(prog) == expected


def test_random_draws_unaffected() -> None:
    # torch.manual_seed(0); torch.rand(3) / torch.randn(2, dtype=torch.float64)
    with Session(seed=0):
        assert ops.rand(3).array.tolist() == [
            0.49625658988952637, 0.7682217955589294, 0.08847743272781372]
    with Session(seed=0, dtype="float64"):
        assert ops.randn(2).array.tolist() == [1.5409961082440433, -0.2934289057609464]


# -- 4. PyTorch's error messages, never numpy's; empty tensors; one-argument where --------

# Each expected text is what PyTorch 2.13 prints (generated from it, then frozen here).
ERROR_CASES = [
    ('print(torch.ones(2, 3) + torch.ones(4))',
     'ERR The size of tensor a (3) must match the size of tensor b (4) at non-singleton '
     'dimension 1'),
    ('print(torch.ones(2) < torch.ones(3))',
     'ERR The size of tensor a (2) must match the size of tensor b (3) at non-singleton '
     'dimension 0'),
    ('print(torch.ones(2) == torch.ones(3))',
     'ERR The size of tensor a (2) must match the size of tensor b (3) at non-singleton '
     'dimension 0'),
    ('print(torch.where(torch.ones(2) > 0, torch.ones(3), torch.ones(2)))',
     'ERR The size of tensor a (2) must match the size of tensor b (3) at non-singleton '
     'dimension 0'),
    ('print(torch.ones(2, 3).masked_fill(torch.ones(4) > 0, 0.0))',
     'ERR The size of tensor a (4) must match the size of tensor b (3) at non-singleton '
     'dimension 1'),
    ('print(torch.ones(2, 3).clamp(min=torch.ones(4)))',
     'ERR The size of tensor a (3) must match the size of tensor b (4) at non-singleton '
     'dimension 1'),
    ('print(torch.isclose(torch.ones(2), torch.ones(3)))',
     'ERR The size of tensor a (2) must match the size of tensor b (3) at non-singleton '
     'dimension 0'),
    ('print(torch.nn.functional.mse_loss(torch.ones(2, 3), torch.ones(3)))',
     'tensor(0.)\n'),
    ('x = torch.ones(3)\nx += torch.ones(2)\nprint(x)',
     'ERR The size of tensor a (3) must match the size of tensor b (2) at non-singleton '
     'dimension 0'),
    ('x = torch.ones(3)\nx[0:2] = torch.ones(3)\nprint(x)',
     'ERR The expanded size of the tensor (2) must match the existing size (3) at '
     'non-singleton dimension 0.  Target sizes: [2].  Tensor sizes: [3]'),
    ('x = torch.ones(3, requires_grad=True)\ny = x * 1\ny[0:2] = torch.ones(3)\nprint(y)',
     'ERR The expanded size of the tensor (2) must match the existing size (3) at '
     'non-singleton dimension 0.  Target sizes: [2].  Tensor sizes: [3]'),
    ('x = torch.ones(2, 3)\nx[x > 0] = torch.ones(2)\nprint(x)',
     'ERR shape mismatch: value tensor of shape [2] cannot be broadcast to indexing result of '
     'shape [6]'),
    ('x = torch.ones(3)\nx[torch.tensor([0, 5])] = 2.0\nprint(x)',
     'ERR index 5 is out of bounds for dimension 0 with size 3'),
    ('x = torch.ones(3)\nprint(x[torch.tensor([0, 5])])',
     'ERR index 5 is out of bounds for dimension 0 with size 3'),
    ('print(torch.ones(3)[torch.tensor([-4])])',
     'ERR index -4 is out of bounds for dimension 0 with size 3'),
    ('print(torch.ones(2, 3)[None, None, None, 5])',
     'ERR index 5 is out of bounds for dimension 3 with size 2'),
    ('x = torch.ones(2, 3, 4)\nprint(x[:, torch.tensor([True, False])])',
     'ERR The shape of the mask [2] at index 0 does not match the shape of the indexed tensor '
     '[2, 3, 4] at index 1'),
    ('x = torch.ones(2, 3, 4)\nprint(x[0, torch.tensor([True, False])])',
     'ERR The shape of the mask [2] at index 0 does not match the shape of the indexed tensor '
     '[3, 4] at index 0'),
    ('x = torch.ones(2, 3, 4)\nprint(x[torch.tensor([[True, False]])])',
     'ERR The shape of the mask [1, 2] at index 0 does not match the shape of the indexed '
     'tensor [2, 3, 4] at index 0'),
    ('x = torch.ones(2, 3, 4)\nprint(x[torch.tensor([0, 1]), :, torch.tensor([0, 1, 2])])',
     'ERR shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]'),
    ('print(torch.tensor(3.0)[0])',
     'ERR invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` '
     'in C++ to convert a 0-dim tensor to a number'),
    ('print(torch.ones(3)[1:2:0])',
     'ERR slice step cannot be zero'),
    ('print(torch.cat([torch.ones(2, 3), torch.ones(3)]))',
     'ERR Tensors must have same number of dimensions: got 2 and 1'),
    ('print(torch.cat([torch.ones(2), torch.ones(())]))',
     'ERR zero-dimensional tensor (at position 1) cannot be concatenated'),
    ('print(torch.cat([torch.ones(2, 3), torch.ones(0)]))',
     'tensor([[1., 1., 1.],\n        [1., 1., 1.]])\n'),
    ('print(torch.stack([torch.ones(2), torch.ones(3)]))',
     'ERR stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1'),
    ('print(torch.ones(2, 3).squeeze(2))',
     'ERR Dimension out of range (expected to be in range of [-2, 1], but got 2)'),
    ('print(torch.ones(2, 3).permute(0, 0))',
     'ERR permute(): duplicate dims are not allowed.'),
    ('print(torch.ones(2, 3).expand(3, 3))',
     'ERR The expanded size of the tensor (3) must match the existing size (2) at '
     'non-singleton dimension 0.  Target sizes: [3, 3].  Tensor sizes: [2, 3]'),
    ('print(torch.ones(2, 3).sum(dim=(0, 0)))',
     'ERR dim 0 appears multiple times in the list of dims'),
    ('print(torch.ones(2, 3).mean(dim=(1, -1)))',
     'ERR dim 1 appears multiple times in the list of dims'),
    ('print(torch.ones(2, 3).unsqueeze(3))',
     'ERR Dimension out of range (expected to be in range of [-3, 2], but got 3)'),
    ('print(torch.ones(2, 3, 4) @ torch.ones(5, 4, 2))',
     'ERR The size of tensor a (2) must match the size of tensor b (5) at non-singleton '
     'dimension 0'),
    ('print(torch.ones(2, 3) @ torch.ones(3, dtype=torch.float64))',
     'ERR addmv input tensors must have the same dtype, but got Double, Float, and Double'),
    ('print(torch.ones(2, 3) @ torch.ones(3, 2, dtype=torch.int64))',
     'ERR expected m1 and m2 to have the same dtype, but got: float != long int'),
    ('print(torch.ones(2, 2, 3) @ torch.ones(2, 3, 2, dtype=torch.float64))',
     'ERR expected scalar type Float but found Double'),
    ('print(torch.ones(3) @ torch.ones(3, dtype=torch.int64))',
     'ERR dot : expected both vectors to have same dtype, but found Float and Long'),
    ('print(torch.outer(torch.ones(2), torch.ones(2, 2)))',
     'ERR outer: Expected 1-D argument vec2, but got 2-D'),
    ('print(torch.inner(torch.ones(2, 3), torch.ones(4, 2)))',
     'ERR inner() the last dimension must match on both input tensors but got shapes [2, 3] '
     'and [4, 2]'),
    ('print(torch.inner(torch.arange(6.0).reshape(2, 3), torch.arange(12.0).reshape(2, 2, 3)))',
     'tensor([[[  5.,  14.],\n         [ 23.,  32.]],\n\n        [[ 14.,  50.],\n         [ '
     '86., 122.]]])\n'),
    ('print(torch.zeros(0).max())',
     'ERR max(): Expected reduction dim to be specified for input.numel() == 0. Specify the '
     "reduction dim with the 'dim' argument."),
    ('print(torch.zeros(0).amax())',
     'ERR amax(): Expected reduction dim to be specified for input.numel() == 0. Specify the '
     "reduction dim with the 'dim' argument."),
    ('print(torch.zeros(0, 3).amin(0))',
     'ERR amin(): Expected reduction dim 0 to have non-zero size.'),
    ('print(torch.zeros(0, 3).max(0))',
     'ERR max(): Expected reduction dim 0 to have non-zero size.'),
    ('print(torch.zeros(0).argmax())',
     'ERR argmax(): Expected reduction dim to be specified for input.numel() == 0.'),
    ('print(torch.zeros(0, 3).argmin(0))',
     'ERR argmin(): Expected reduction dim 0 to have non-zero size.'),
    ('print(torch.zeros(0, 3).argmin(1))',
     'tensor([], dtype=torch.int64)\n'),
    ('print(torch.zeros(0).sum(), torch.zeros(0).prod(), torch.zeros(0).mean())',
     'tensor(0.) tensor(1.) tensor(nan)\n'),
    ('print(torch.zeros(0, 3).mean(0))',
     'tensor([nan, nan, nan])\n'),
    ('print(torch.softmax(torch.zeros(0), 0))',
     'tensor([])\n'),
    ('print(torch.log_softmax(torch.zeros(3, 0), 1))',
     'tensor([], size=(3, 0))\n'),
    ('print(torch.logsumexp(torch.zeros(3, 0), 1))',
     'tensor([-inf, -inf, -inf])\n'),
    ('print(torch.where(torch.tensor([1.0, 0.0, 2.0]) > 0))',
     '(tensor([0, 2]),)\n'),
    ('print(torch.where(torch.tensor([[1, 0], [0, 3]])))',
     '(tensor([0, 1]), tensor([0, 1]))\n'),
    ('print(torch.where(torch.tensor([1, 0]), 1.0, 0.0))',
     'ERR where expected condition to be a boolean tensor, but got a tensor with dtype Long'),
    ('print(torch.nonzero(torch.tensor([[1, 0], [0, 3]])))',
     'tensor([[0, 0],\n        [1, 1]])\n'),
    ('print(torch.nonzero(torch.tensor(5.0), as_tuple=True))',
     '(tensor([0]),)\n'),
]


# Dims out of range, tensor() data PyTorch refuses, negative sizes, repeated ellipses.
MORE_CASES = [
    ('print(torch.ones(2, 3).sum(2))',
     'ERR Dimension out of range (expected to be in range of [-2, 1], but got 2)'),
    ('print(torch.ones(2, 3).mean(-3))',
     'ERR Dimension out of range (expected to be in range of [-2, 1], but got -3)'),
    ('print(torch.ones(2, 3).sum(dim=(0, 5)))',
     'ERR Dimension out of range (expected to be in range of [-2, 1], but got 5)'),
    ('print(torch.tensor("abc"))',
     "ERR new(): invalid data type 'str'"),
    ('print(torch.tensor([1, "a"]))',
     "ERR new(): invalid data type 'str'"),
    ('print(torch.tensor(["a"]))',
     "ERR too many dimensions 'str'"),
    ('print(torch.tensor([[1, 2], 3]))',
     'ERR not a sequence'),
    ('print(torch.tensor([1, [2, 3]]))',
     "ERR 'list' object cannot be interpreted as an integer"),
    ('print(torch.tensor([1.0, [2.0]]))',
     'ERR must be real number, not list'),
    ('print(torch.tensor(10**30))',
     'ERR Overflow when unpacking long long'),
    ('print(torch.tensor([1.0, 10**30]))',
     'tensor([1.0000e+00, 1.0000e+30])\n'),
    ('print(torch.tensor(float("nan"), dtype=torch.int64))',
     'ERR value cannot be converted to type int64 without overflow'),
    ('print(torch.full((2,), float("inf"), dtype=torch.int64))',
     'ERR value cannot be converted to type int64_t without overflow'),
    ('print(torch.zeros(2, -1))',
     'ERR zeros: Dimension size must be non-negative.'),
    ('print(torch.ones(2, -3))',
     'ERR Trying to create tensor with negative dimension -3: [2, -3]'),
    ('print(torch.empty(-1))',
     'ERR Trying to create tensor with negative dimension -1: [-1]'),
    ('print(torch.rand(-1))',
     'ERR Trying to create tensor with negative dimension -1: [-1]'),
    ('print(torch.eye(-1))',
     'ERR n must be greater or equal to 0, got -1'),
    ('print(torch.eye(2, -1))',
     'ERR m must be greater or equal to 0, got -1'),
    ('print(torch.ones(2, 3)[..., 0, ...])',
     'tensor([1., 1.])\n'),
    ('print(torch.ones(2, 3, 4)[0, ..., 1, ...].shape)',
     'torch.Size([3])\n'),
]

NUMPY_WORDS = ("could not broadcast", "operands could not be broadcast", "zero-size array",
               "axis", "array", "numpy", "ndarray")


@pytest.mark.parametrize(("prog", "expected"), ERROR_CASES + MORE_CASES)
def test_messages_as_pytorch(prog: str, expected: str) -> None:
    out = gd(prog)
    assert out == expected
    assert not any(w in out for w in NUMPY_WORDS)
    if torch is not None:
        assert th(prog) == expected


# -- 5. PyTorch's user warnings: stderr, Python's format, once per site ------------------

WARN_PROG = """x = torch.ones(2, requires_grad=True)
y = x * 2
print(y.grad)
print(y.grad)
for i in range(2):
    z = torch.tensor(x)
(x * x).sum().backward(create_graph=True)
torch.autograd.backward((x * x).sum(), create_graph=True)
l = torch.nn.functional.mse_loss(torch.ones(2, 3), torch.ones(3))
y.retain_grad()
print(y.grad)
w = torch.as_tensor(x)
v = torch.Tensor(x)
"""
NONLEAF = ("UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being "
           "accessed. Its .grad attribute won't be populated during autograd.backward(). If you "
           "indeed want the .grad field to be populated for a non-leaf Tensor, use "
           ".retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by "
           "mistake, make sure you access the leaf Tensor instead. See "
           "github.com/pytorch/pytorch/pull/30531 for more information.")
WARN_ERR = (
    f"p.gd:3: {NONLEAF}\n  print(y.grad)\n"
    f"p.gd:4: {NONLEAF}\n  print(y.grad)\n"
    "p.gd:6: UserWarning: To copy construct from a tensor, it is recommended to use "
    "sourceTensor.detach().clone() or sourceTensor.detach().clone().requires_grad_(True), "
    "rather than torch.tensor(sourceTensor).\n  z = torch.tensor(x)\n"
    "p.gd:7: UserWarning: Using backward() with create_graph=True will create a reference "
    "cycle between the parameter and its gradient which can cause a memory leak. We recommend "
    "using autograd.grad when creating the graph to avoid this. If you have to use this "
    "function, make sure to reset the .grad fields of your parameters to None after use to "
    "break the cycle and avoid the leak.\n  (x * x).sum().backward(create_graph=True)\n"
    "p.gd:9: UserWarning: Using a target size (torch.Size([3])) that is different to the "
    "input size (torch.Size([2, 3])). This will likely lead to incorrect results due to "
    "broadcasting. Please ensure they have the same size.\n"
    "  l = torch.nn.functional.mse_loss(torch.ones(2, 3), torch.ones(3))\n")


def test_warnings_text_and_sites() -> None:
    err = io.StringIO()
    assert gd(WARN_PROG, warn=err.write) == "None\nNone\nNone\n"
    assert err.getvalue() == WARN_ERR


@needs_torch
def test_warnings_as_pytorch_gives_them() -> None:
    assert torch is not None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        exec(compile(WARN_PROG, "p.gd", "exec"), {"torch": torch})
    # Same messages (PyTorch appends "(Triggered internally at <its C++ file>)", which we
    # leave out, and gives create_graph's from inside its library, which we place at the
    # program's line).
    ours = [line.split(": ", 2)[2] for line in WARN_ERR.splitlines() if "UserWarning" in line]
    theirs = [str(w.message).split(" (Triggered internally")[0] for w in caught]
    assert sorted(set(theirs)) == sorted(set(ours))


def test_warnings_go_to_stderr_never_stdout(tmp_path: Any, monkeypatch: Any) -> None:
    from click.testing import CliRunner

    from gradcli.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.gd").write_text(WARN_PROG)
    for args in (["run", "p.gd"], ["run", "--format", "json", "p.gd"]):
        res = CliRunner().invoke(main, args, catch_exceptions=False)
        assert res.exit_code == 0
        assert "UserWarning" not in res.stdout
        assert res.stderr == WARN_ERR


def test_no_warning_sink_drops_warnings() -> None:
    with Session():
        x = ops.tensor([1.0])
        assert ops.tensor(x).array.tolist() == [1.0]  # no sink: nothing written anywhere


# -- 6. float32 summation in PyTorch's order -------------------------------------------------

def test_sum_order_literal() -> None:
    # Order-sensitive float32 sums, values from torch 2.13: PyTorch adds the 1-element tail
    # before the lanes of the 8-wide vector, numpy's pairwise sum gives -1.499000072479248.
    a = [1e8, 1.0, -1e8, 1.0, 0.5, 3.0, 1e-3, -7.0, 2.0]
    assert ops.tensor(a).sum().item() == -2.499000072479248
    assert gd("print(torch.full((10,), 0.1).sum().item())") == "1.0000001192092896\n"
    assert gd("print(torch.full((10,), 0.1).sum())") == "tensor(1.0000)\n"


@needs_torch
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sum_and_mean_bits_vs_torch(dtype: str) -> None:
    g = torch.Generator().manual_seed(0)
    tdt = getattr(torch, dtype)
    for n in [1, 3, 7, 10, 31, 100, 1000, 4097, 40000, 100000]:
        for _ in range(3):
            x = torch.randn(n, generator=g, dtype=tdt)
            a = x.numpy()
            assert _bits(np.asarray(ops.tensor(a).sum().array)) == _bits(x.sum().numpy())
            assert _bits(np.asarray(ops.tensor(a).mean().array)) == _bits(x.mean().numpy())
    for shape, dim in [((3, 1000), -1), ((100, 5), 1), ((1, 5000), 1), ((30, 40), 0),
                       ((4, 30, 40), 1), ((30, 7), 0), ((200, 100), 0), ((2, 3, 50), None)]:
        x = torch.randn(*shape, generator=g, dtype=tdt)
        t = ops.tensor(x.numpy())
        ours = t.sum() if dim is None else t.sum(dim)
        theirs = x.sum() if dim is None else x.sum(dim)
        assert (_bits(np.asarray(ours.array)) == _bits(theirs.numpy())).all(), (shape, dim)
        ours = t.mean() if dim is None else t.mean(dim)
        theirs = x.mean() if dim is None else x.mean(dim)
        assert (_bits(np.asarray(ours.array)) == _bits(theirs.numpy())).all(), (shape, dim)
