"""The core's fast paths (bench W1) equal the general paths they short-cut.

- The interpreter applies the rule of `a + b`, `a - b`, `a * b`, `a / b` (a tensor with a
  tensor or a Python number, either side) directly: same values bit for bit, dtypes,
  grad_fn names, next_functions order and gradients as the ops functions it skips.
- A built-in called with positional arguments only skips rt.call: same results, same
  error messages.
- Backward adds a leaf's 0-d cotangents on numpy scalars: the same IEEE sums, in the same
  order, as the in-place ufunc (special values included).
- Backward checks saved versions only for nodes recorded before the last in-place change
  (State.changed_at): every change goes through graph.bump_version, and the check still
  fires exactly where it did.
- The scheduler runs a chain's next node without the heap: same order as the heap alone
  (hooks see it), same gradients on graphs with shared subexpressions.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gradcli.ad import ops as F
from gradcli.ad.autograd import grad
from gradcli.ad.graph import Node
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdError
from gradcli.interp import RunOptions, run_source

ROOT = Path(__file__).resolve().parent.parent


def run(text: str) -> tuple[Any, str]:
    """Run a gd program: its result value and what it printed."""
    out: list[str] = []
    res = run_source(textwrap.dedent(text).strip("\n") + "\n", "prog.gd",
                     RunOptions(write=out.append))
    return res.value, "".join(out)


# -- binary operators: the rule applied directly == the ops functions -------------------

OPERANDS = {
    "f32 grad": "tensor([1.5, -2.0, 0.0], requires_grad=True)",
    "f32": "tensor([0.25, 3.0, -0.0])",
    "f64 grad": "tensor([1.5, -2.0, 0.5], dtype=float64, requires_grad=True)",
    "f32 0-d grad": "tensor(0.75, requires_grad=True)",
    "i64": "tensor([3, -2, 7])",
    "bool": "tensor([True, False, True])",
    "int": "3",
    "float": "0.1",
}
GENERAL = {"+": F.add, "-": F.sub, "*": F.mul, "/": F.true_divide}


def _general(symbol: str, a: Any, b: Any) -> Any:
    """The general path: what `a op b` did before (Tensor's operators, Python's own)."""
    if type(a) is not Tensor and type(b) is Tensor:
        return {"+": lambda: F.add(b, a), "*": lambda: F.mul(b, a),
                "-": lambda: F.sub(a, b), "/": lambda: F.true_divide(a, b)}[symbol]()
    return GENERAL[symbol](a, b)


def _edges(t: Tensor) -> list[str]:
    fn = t.grad_fn
    return [] if fn is None else [type(p).__name__ if type(p) is not Node else p.name
                                  for p in fn.torch_parents()]


@pytest.mark.parametrize("symbol", ["+", "-", "*", "/"])
@pytest.mark.parametrize("left,right", [
    (a, b) for a, b in itertools.product(OPERANDS, OPERANDS)
    if "int" not in a or "int" not in b  # Python with Python is not a tensor op
    if not (a in ("int", "float") and b in ("int", "float"))
])
def test_binary_operator_equals_ops(symbol: str, left: str, right: str) -> None:
    prog = f"a = {OPERANDS[left]}\nb = {OPERANDS[right]}\nc = a {symbol} b\n(a, b, c)"
    try:
        (a, b, fast), _ = run(prog)
    except GdError as e:
        # The general path fails the same way (e.g. bool - bool).
        a, b = run(f"a = {OPERANDS[left]}\nb = {OPERANDS[right]}\n(a, b)")[0]
        with pytest.raises(GdError) as general_error:
            _general(symbol, a, b)
        assert str(general_error.value) == str(e)
        return
    slow = _general(symbol, a, b)
    assert fast.array.dtype == slow.array.dtype
    assert fast.array.shape == slow.array.shape
    assert fast.array.tobytes() == slow.array.tobytes()
    assert fast.requires_grad == slow.requires_grad
    assert (fast.grad_fn is None) == (slow.grad_fn is None)
    if fast.grad_fn is not None:
        assert fast.grad_fn.name == slow.grad_fn.name
        assert _edges(fast) == _edges(slow)
        ins = [t for t in (a, b) if type(t) is Tensor and t.requires_grad]
        grads = [grad(out.sum(), ins) for out in (fast, slow)]
        for gf, gs in zip(*grads, strict=True):
            assert gf.array.tobytes() == gs.array.tobytes()


def test_binary_operators_match_torch() -> None:
    torch = pytest.importorskip("torch")
    prog = """
    x = tensor([1.5, -2.0, 0.25], requires_grad=True)
    n = tensor([2, 3, 4])
    y = (x * 0.9999 + 2 * x - 3 / x - (1 - x)) / (x + n) + n * 2 - 1.5 * x
    y.sum().backward()
    print(y)
    print(y.grad_fn.next_functions)
    print(x.grad)
    print(2 - x, 2 * x, x / 4, 3 + n, n - 1.5)
    """
    gd = run(prog)[1]
    tx = textwrap.dedent(prog).replace("tensor(", "torch.tensor(")
    printed: list[str] = []
    exec(tx, {"torch": torch, "print": lambda *a: printed.append(" ".join(map(str, a)))})
    want = "\n".join(printed) + "\n"
    # next_functions print addresses: compare the names only.
    strip = lambda s: re.sub(r" at 0x[0-9a-f]+", "", s)  # noqa: E731
    assert strip(gd) == strip(want)


# -- built-ins called directly --------------------------------------------------------------

def test_builtin_direct_call_results_and_errors() -> None:
    value, _ = run("x = tensor([0.5, 1.0], requires_grad=True)\nsin(x).grad_fn.name()")
    assert value == "SinBackward0"
    with pytest.raises(GdError) as e:
        run("sin(1.0, 2.0)")
    assert "sin()" in str(e.value) and "positional argument" in str(e.value)
    value, _ = run("abs(-3) + max(1, 2) + len([1, 2, 3])")
    assert value == 8


# -- 0-d leaf sums on numpy scalars ----------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_zero_dim_leaf_sum_equals_ufunc(dtype: type) -> None:
    tiny = np.finfo(dtype).tiny
    big = 1e30 if dtype is np.float32 else 1e300
    coefficients = [0.1, -0.0, 1e-3, float(tiny) / 4, 3.0, -2.5, big, 0.7, -1e-7]
    name = "float32" if dtype is np.float32 else "float64"
    x = F.tensor(np.asarray(0.5, dtype=dtype))
    x.requires_grad_(True)
    xs = F.tensor(np.asarray([0.5], dtype=dtype))  # the same sums, 1-d: the ufunc path
    xs.requires_grad_(True)
    y = ys = None
    for c in coefficients:
        y = x * c if y is None else y + x * c
        ys = xs * c if ys is None else ys + xs * c
    y.backward()
    ys.sum().backward()
    assert x.grad.array.dtype == np.dtype(name)
    assert x.grad.array.tobytes() == xs.grad.array.tobytes()
    # And the order of the sums: the last op's cotangent arrives first.
    parts = [np.asarray(c, dtype) * np.ones((), dtype) for c in coefficients]
    want = parts[-1]
    for p in reversed(parts[:-1]):
        want = np.add(want, p)
    assert x.grad.array.tobytes() == want.tobytes()


def test_zero_dim_leaf_sum_special_values() -> None:
    for values, expect in (([np.inf, -np.inf], "nan"), ([np.inf, 1.0], "inf"),
                           ([-0.0, -0.0], "-0.0"), ([np.nan, 1.0], "nan")):
        x = F.tensor(np.asarray(1.0, np.float32))
        x.requires_grad_(True)
        y = x * float(values[0]) + x * float(values[1])
        y.backward()
        assert str(x.grad.array.item()) == expect


# -- version checks gated by State.changed_at ------------------------------------------------

# PyTorch 2.13 words it the same (capitalized: "One of the variables ... output 0 of Add").
VERSION_ERROR = ("one of the variables needed for gradient computation has been modified by "
                 "an inplace operation: [torch.FloatTensor [2]], which is output 0 of "
                 "Add, is at version 1; expected version 0 instead.")


def test_inplace_after_recording_still_fails() -> None:
    with pytest.raises(GdError) as e:
        run("""
        x = tensor([1.0, 2.0], requires_grad=True)
        a = exp(x)
        b = a * a
        c = x * 2.0
        a.add_(1.0)
        d = c * 3.0
        b.sum().backward()
        """)
    assert str(e.value).startswith(VERSION_ERROR)


def test_inplace_before_recording_is_fine() -> None:
    value, _ = run("""
    x = tensor([1.0, 2.0], requires_grad=True)
    a = x * 2.0
    a.add_(1.0)
    b = a * a
    b.sum().backward()
    x.grad
    """)
    assert value.array.tolist() == [12.0, 20.0]  # d/dx (2x + 1)² = 4(2x + 1)


def test_every_version_bump_goes_through_bump_version() -> None:
    """The backward version check relies on State.changed_at: no version counter may be
    changed anywhere but graph.bump_version."""
    offenders = []
    for path in (ROOT / "gradcli").rglob("*.py"):
        for i, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"_vc\[0\]\s*(\+|-)?=(?!=)", line) and \
                    not (path.name == "graph.py" and "t._vc[0] += 1" in line):
                offenders.append(f"{path.relative_to(ROOT)}:{i}: {line.strip()}")
    assert offenders == []


# -- scheduling: chain nodes skip the heap, order unchanged ----------------------------------

def test_hook_order_and_gradients_match_torch() -> None:
    torch = pytest.importorskip("torch")
    prog = """
    order = []
    x = tensor([0.5, -1.0], requires_grad=True)
    w = tensor([2.0, 3.0], requires_grad=True)
    a = x * w
    a.register_hook(lambda g: order.append("a"))
    b = sin(a) + a
    b.register_hook(lambda g: order.append("b"))
    c = b * x + exp(a)
    c.register_hook(lambda g: order.append("c"))
    d = c * b + a * 2.0
    d.register_hook(lambda g: order.append("d"))
    e = d + c
    e.sum().backward()
    print(order, x.grad, w.grad)
    """
    gd = run(prog)[1]
    tx = textwrap.dedent(prog).replace("tensor(", "torch.tensor(") \
        .replace("sin(", "torch.sin(").replace("exp(", "torch.exp(")
    printed: list[str] = []
    exec(tx, {"torch": torch, "print": lambda *a: printed.append(" ".join(map(str, a)))})
    assert gd == "\n".join(printed) + "\n"


# -- Python floats as cached 0-d arrays (kernels/elementwise.py _CONSTS) --------------------

_FLOATS = [0.9999, 1e-4, -2.5, 0.1, 1 / 3, 0.0, -0.0, float("nan"), float("inf"),
           float("-inf"), 1e300, -1e300, 1e-50, 5e-324, 3.4028235e38, 3.4028236e38, 1e-39]


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_cached_float_constants_give_the_bytes_numpy_gives(dtype: type) -> None:
    """Every binary kernel with a Python float operand, either side, 0-d and 1-d arrays,
    on a cache miss and on a hit: the same bytes and dtype as the uncached call, and the
    same warnings (the overflow of 1e300 in float32)."""
    import warnings

    from gradcli.ad.kernels import elementwise as KE

    kernels = [KE.add, KE.mul, KE.maximum, KE.minimum, KE.sub, KE._floordiv, KE._mod, KE.div]
    rng = np.random.default_rng(3)
    floats = _FLOATS + [float(v) for v in rng.standard_normal(20) * 10.0 ** rng.integers(
        -40, 40, 20)]
    arrays = [np.array(1.3, dtype=dtype), np.array([0.5, -0.0, 7.0], dtype=dtype)]
    saved = KE._CONSTS
    for k in kernels:
        for a in arrays:
            for v in floats:
                for args in ((a, v), (v, a)):
                    results = []
                    for cached in (False, True, True):  # uncached, miss, hit
                        KE._CONSTS = saved if cached else {}
                        try:
                            with warnings.catch_warnings(record=True) as w:
                                warnings.simplefilter("always")
                                r = k(*args)
                        finally:
                            KE._CONSTS = saved
                        results.append((r.dtype, r.shape, r.tobytes(), type(r),
                                        [str(x.message) for x in w]))
                    assert results[0] == results[1] == results[2], (k.__name__, args)
    for consts in saved.values():
        assert len(consts) <= KE._CONSTS_MAX
        assert all(c.dtype in saved and not c.flags.writeable for c in consts.values())
        assert 0.0 not in consts


def test_the_constant_cache_is_bounded() -> None:
    from gradcli.ad.kernels import elementwise as KE

    a = np.array([1.0], dtype=np.float64)  # (0-d operands take numpy scalars, no cache)
    for i in range(KE._CONSTS_MAX + 50):
        assert KE.mul(a, 1.0 + i / 4096).tobytes() == np.multiply(a, 1.0 + i / 4096).tobytes()
    assert len(KE._CONSTS[np.dtype(np.float64)]) == KE._CONSTS_MAX


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_scalar_chain_with_float_constants_matches_torch(dtype: str) -> None:
    """W1's step on 0-d tensors, values and gradient bit for bit against PyTorch."""
    torch = pytest.importorskip("torch")
    x = F.tensor(np.array(0.5, dtype=dtype)).requires_grad_(True)
    tx = torch.tensor(0.5, dtype=getattr(torch, dtype), requires_grad=True)
    y, ty = x, tx
    for _ in range(50):
        y = y * 0.9999 + F.sin(x) * 0.0001 - 0.25 / (y + 3.0)
        ty = ty * 0.9999 + torch.sin(tx) * 0.0001 - 0.25 / (ty + 3.0)
    y.backward()
    ty.backward()
    assert y.array.dtype == np.dtype(dtype)
    assert y.array.tobytes() == ty.detach().numpy().tobytes()
    assert x.grad is not None and x.grad.array.tobytes() == tx.grad.numpy().tobytes()


def _div_general(a: Any, b: Any) -> Any:
    """kernels.div without its fast paths (the code before them)."""
    from gradcli.ad import dtypes
    from gradcli.ad.kernels import elementwise as KE

    rt = KE.result_type(a, b)
    if rt.kind != "f":
        rt = dtypes.default_dtype()
    elif rt == np.float16:  # PyTorch divides float16 in float32 (a number too) and rounds
        return np.asarray(np.true_divide(KE._opmath(KE._cast(a, rt)),
                                         KE._opmath(KE._cast(b, rt))), dtype=rt)
    return np.asarray(np.true_divide(KE._cast(a, rt), KE._cast(b, rt)), dtype=rt)


def test_div_fast_paths_equal_the_general_path() -> None:
    """Float arrays with arrays of their dtype or Python numbers, either side (the fast
    paths), and every other mix (the general path): same bytes, dtype, shape, warnings."""
    import warnings

    from gradcli.ad.kernels import elementwise as KE

    arrays = [np.array(v, dtype=d) for d in (np.float16, np.float32, np.float64, np.int64,
                                             np.int32, np.bool_) for v in (3, 0)]
    arrays += [np.array([0.5, -0.0, 7.0, 0.0], dtype=d)
               for d in (np.float16, np.float32, np.float64)]
    numbers: list[Any] = [0.1, -2.5, 0.0, -0.0, float("nan"), float("inf"), 1e300, 1e-50,
                          3, 0, -7, 100000, True, False]
    for a in arrays:
        for other in arrays + numbers:
            for args in ((a, other), (other, a)):
                got = []
                for f in (KE.div, _div_general, KE.div):
                    with warnings.catch_warnings(record=True) as w:
                        warnings.simplefilter("always")
                        try:
                            r = f(*args)
                        except Exception as e:  # the same failure either way
                            got.append((type(e), str(e)))
                            continue
                    got.append((type(r), r.dtype, r.shape, r.tobytes(),
                                sorted(str(x.message) for x in w)))
                assert got[0] == got[1] == got[2], args
