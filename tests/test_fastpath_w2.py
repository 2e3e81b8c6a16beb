"""The interpreter's and kernels' shortcuts for W2's step `h = tanh(W @ h + b)` equal the
general paths they skip.

- `a @ b` of a matrix and a vector applies mv's rule directly (what ops.matmul does for
  them); every other operand pair still goes through ops.matmul: same values bit for bit,
  dtypes, grad_fn names, next_functions, gradients and error messages.
- A unary elementwise op called on a tensor (`tanh(x)`, `torch.sin(x)`) applies its rule
  directly (what the op does with a tensor): the same for every such op, with grad and
  without, under no_grad, with hooks; a user's own function of that name is still called.
- k_tanh_backward on arrays of one float dtype skips its no-op conversions: the same
  bytes as the general line on special values.
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pytest

from gradcli.ad import ops as F
from gradcli.ad.autograd import grad
from gradcli.ad.graph import Node
from gradcli.ad.kernels.fused import fma
from gradcli.ad.ops import backward as B
from gradcli.ad.ops.elementwise import UNARY_OPS
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdError
from gradcli.interp import RunOptions, run_source


def run(text: str) -> tuple[Any, str]:
    """Run a gd program: its result value and what it printed."""
    out: list[str] = []
    res = run_source(textwrap.dedent(text).strip("\n") + "\n", "prog.gd",
                     RunOptions(write=out.append))
    return res.value, "".join(out)


def _edges(t: Tensor) -> list[str]:
    fn = t.grad_fn
    return [] if fn is None else [type(p).__name__ if type(p) is not Node else p.name
                                  for p in fn.torch_parents()]


def _same(fast: Any, slow: Any, inputs: list[Any]) -> None:
    """Same value bytes, dtype, shape, grad_fn name, edges and gradients."""
    assert type(fast) is Tensor and type(slow) is Tensor
    assert fast.array.dtype == slow.array.dtype
    assert fast.array.shape == slow.array.shape
    assert fast.array.tobytes() == slow.array.tobytes()
    assert fast.requires_grad == slow.requires_grad
    assert (fast.grad_fn is None) == (slow.grad_fn is None)
    if fast.grad_fn is None:
        return
    assert fast.grad_fn.name == slow.grad_fn.name
    assert _edges(fast) == _edges(slow)
    ins = [t for t in inputs if type(t) is Tensor and t.requires_grad]
    gf = grad(fast.sum(), ins, create_graph=True)
    gs = grad(slow.sum(), ins, create_graph=True)
    for a, b in zip(gf, gs, strict=True):
        assert a.array.tobytes() == b.array.tobytes()
        assert (a.grad_fn is None) == (b.grad_fn is None)
        if a.grad_fn is not None:
            assert a.grad_fn.name == b.grad_fn.name
            assert _edges(a) == _edges(b)


# -- `@`: mv's rule directly for a matrix and a vector --------------------------------------

MATMUL_OPERANDS = {
    "scalar": "tensor(2.0)",
    "vec3": "tensor([1.0, -2.0, 0.5], requires_grad=True)",
    "vec3 f64": "tensor([1.0, -2.0, 0.5], dtype=float64)",
    "vec2": "tensor([0.25, -0.0])",
    "vec3 int": "tensor([1, 2, 3])",
    "mat23": "tensor([[1.0, 2.0, 3.0], [-4.0, 0.5, 0.0]], requires_grad=True)",
    "mat23 f64": "tensor([[1.0, 2.0, 3.0], [-4.0, 0.5, 0.0]], dtype=float64, "
                 "requires_grad=True)",
    "mat32": "tensor([[1.0, 2.0], [3.0, -4.0], [0.5, 0.0]])",
    "mat23 int": "tensor([[1, 2, 3], [4, 5, 6]])",
    "mat23 t": "tensor([[1.0, 3.0], [2.0, 4.0], [5.0, 6.0]], requires_grad=True).t()",
    "batch": "ones(2, 2, 3)",
    "int": "3",
    "float": "1.5",
}


@pytest.mark.parametrize("left", MATMUL_OPERANDS)
@pytest.mark.parametrize("right", MATMUL_OPERANDS)
def test_matmul_operator_equals_ops_matmul(left: str, right: str) -> None:
    if left in ("int", "float") and right in ("int", "float"):
        return  # Python with Python: not a tensor op
    setup = f"a = {MATMUL_OPERANDS[left]}\nb = {MATMUL_OPERANDS[right]}\n"
    try:
        a, b, fast = run(setup + "(a, b, a @ b)")[0]
    except GdError as e:
        a, b = run(setup + "(a, b)")[0]
        if left in ("int", "float") or right in ("int", "float"):
            # PyTorch's @ gives way to a Python number and Python refuses the pair.
            names = ["Tensor" if k not in ("int", "float") else k for k in (left, right)]
            assert e.message == f"unsupported operand type(s) for @: '{names[0]}' and " \
                                f"'{names[1]}'"
            assert e.py_type == "TypeError"
            return
        # The general path (ops.matmul, in operand order).
        with pytest.raises(GdError) as general:
            F.matmul(a, b)
        assert str(general.value) == str(e)
        return
    _same(fast, F.matmul(a, b), [a, b])


def test_matmul_messages_are_pytorchs() -> None:
    cases = {
        "ones(2, 3) @ ones(2)": "size mismatch, got input (2), mat (2x3), vec (2)",
        "ones(2, 3) @ ones(3, dtype=float64)":
            "addmv input tensors must have the same dtype, but got Double, Float, and Double",
        "ones(2, 3) @ tensor(1.0)":
            "both arguments to matmul need to be at least 1D, but they are 2D and 0D",
    }
    torch = pytest.importorskip("torch")
    for prog, message in cases.items():
        with pytest.raises(GdError) as e:
            run(prog)
        assert message in str(e.value), (prog, str(e.value))
        with pytest.raises(RuntimeError) as te:
            eval(prog.replace("ones(", "torch.ones(").replace("float64", "torch.float64")
                 .replace("tensor(", "torch.tensor("), {"torch": torch})
        assert message in str(te.value)


def test_w2_step_through_the_interpreter_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    prog = """
    manual_seed(0)
    h = ones(8)
    W = 0.3 * randn(8, 8)
    W.requires_grad_(True)
    b = zeros(8, requires_grad=True)
    seen = []
    for i in range(5):
        h = tanh(W @ h + b)
        if i == 2:
            h.register_hook(lambda g: seen.append(g.sum()))
    h.sum().backward()
    print(h)
    print(h.grad_fn, h.grad_fn.next_functions[0][0].name(),
          h.grad_fn.next_functions[0][0].next_functions[0][0].name())
    print(W.grad.sum(), b.grad)
    print(seen)
    with no_grad():
        z = tanh(W @ h + b)
    print(z.requires_grad, z.grad_fn)
    """
    gd = run(prog)[1]
    tprog = textwrap.dedent(prog)
    for name in ("manual_seed", "ones", "randn", "zeros", "tanh", "no_grad"):
        tprog = tprog.replace(f"{name}(", f"torch.{name}(")
    printed: list[str] = []
    exec(tprog, {"torch": torch, "print": lambda *a: printed.append(" ".join(map(str, a)))})
    strip = lambda s: __import__("re").sub(r" at 0x[0-9a-f]+", "", s)  # noqa: E731
    assert strip(gd) == strip("\n".join(printed) + "\n")


def test_matmul_operator_in_place_check_still_fires() -> None:
    with pytest.raises(GdError) as e:
        run("""
        W = ones(3, 3, requires_grad=True)
        h = ones(3, requires_grad=True)
        y = W @ h
        with no_grad():
            W.mul_(2)
        y.sum().backward()
        """)
    assert "modified by an inplace operation" in str(e.value)


# -- unary ops called on a tensor: the rule directly ---------------------------------------

UNARY_ARGS = {
    "f32 grad": "tensor([0.5, -0.25, 0.0, 2.0], requires_grad=True)",
    "f64 grad": "tensor([0.5, -0.25, 0.75], dtype=float64, requires_grad=True)",
    "f32 0-d grad": "tensor(0.3, requires_grad=True)",
    "f32": "tensor([-0.0, 1.0, 0.125])",
    "i64": "tensor([0, 1, 2])",
    "bool": "tensor([True, False])",
    "view": "tensor([[0.5, 0.25], [0.125, 0.75]], requires_grad=True).t()",
}


@pytest.mark.parametrize("name", sorted(set(UNARY_OPS.values())))
@pytest.mark.parametrize("arg", UNARY_ARGS)
def test_unary_call_equals_the_op(name: str, arg: str) -> None:
    op = next(fn for fn, n in UNARY_OPS.items() if n == name)
    setup = f"x = {UNARY_ARGS[arg]}\n"
    spellings = [s for s in (name, f"torch.{name}") if _callable(s)]
    if not spellings:
        pytest.skip(f"{name} has no bare or torch. spelling")
    for spelling in spellings:
        try:
            x, fast = run(setup + f"(x, {spelling}(x))")[0]
        except GdError as e:
            x = run(setup + "x")[0]
            with pytest.raises(GdError) as general:
                op(x)
            assert str(general.value) == str(e)
            continue
        _same(fast, op(x), [x])


def test_unary_shortcut_is_wired_for_every_spelling() -> None:
    """The interpreter applies the rule only where a torch builtin carries it: every
    spelling of every unary op must (an argument-check wrapper once hid the op from the
    lookup, and the shortcut silently stopped being taken)."""
    from gradcli.ad.registry import RULES
    from gradcli.interp.builtins import TorchBuiltin, registry

    reg = registry()
    seen = 0
    for ns in (reg.torch, reg.nn_functional, reg.special, reg.linalg):
        for v in ns.members.values():
            if type(v) is TorchBuiltin and v.name.rsplit(".", 1)[-1] in UNARY_OPS.values():
                wrapped = getattr(v.fn, "unchecked", v.fn)
                if wrapped in UNARY_OPS:
                    assert v.rule is RULES[UNARY_OPS[wrapped]], v.name
                    seen += 1
    assert reg.bare["tanh"].rule is RULES["tanh"] and reg.bare["sin"].rule is RULES["sin"]
    assert seen > 30


def _callable(spelling: str) -> bool:
    try:
        run(f"{spelling}")
    except GdError:
        return False
    return True


def test_unary_call_under_no_grad_and_with_a_users_function() -> None:
    value, _ = run("""
    x = tensor([0.5, 1.0], requires_grad=True)
    with no_grad():
        a = tanh(x)
    def tanh(v):
        return v * 2
    (a.requires_grad, a.grad_fn is None, tanh(x).grad_fn.name())
    """)
    assert value == (False, True, "MulBackward0")
    with pytest.raises(GdError) as e:
        run("tanh(tensor([1.0]), 2)")
    assert "tanh() takes 1 positional argument but 2 were given" in str(e.value)
    with pytest.raises(GdError) as e:  # PyTorch: a number is not a Tensor
        run("tanh(0.5)")
    assert "tanh(): argument 'input' (position 1) must be Tensor, not float" in str(e.value)


# -- k_tanh_backward's shortcut ------------------------------------------------------------

def _one_minus_square(out: np.ndarray) -> np.ndarray:
    """1 - out², fused (rounded once) in float32 as PyTorch's tanh_backward kernel."""
    if out.dtype == np.float32:
        o = out.astype(np.float64)
        with np.errstate(over="ignore"):
            return (1.0 - o * o).astype(np.float32)
    if out.dtype == np.float64:  # fused as PyTorch's kernel (an FMA)
        return fma(-out, out, 1.0)
    return 1 - out * out


def _nan_canonical(x: np.ndarray) -> bytes:
    """x's bytes with every NaN made one NaN (its sign and payload print as nan either way:
    BLAS's FMA and the split disagree on them)."""
    return np.where(np.isnan(x), np.array(np.nan, x.dtype), x).tobytes()


def _exact_fma(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """fma element by element, by a path that owes nothing to BLAS: float64 through
    _fma_double (exact integers / fsum), float32 summed to odd on every element."""
    from gradcli.ad.kernels.fused import _fma32_reference
    from gradcli.ad.kernels.reductions import _fma_double

    a, b, c = np.broadcast_arrays(a, b, c)
    if a.dtype == np.float32:
        return _fma32_reference(a, b.astype(np.float32), c.astype(np.float32))
    return np.array([_fma_double(p, q, r) for p, q, r in
                     zip(a.ravel().tolist(), b.ravel().tolist(), c.ravel().tolist(),
                         strict=True)]).reshape(a.shape)


@pytest.mark.parametrize("way", ["vecdot", "gemm", "split"])
def test_one_minus_square_is_fma_at_every_length(way: str, monkeypatch) -> None:
    """fused.one_minus_square (tanh_backward's 1 - y² in float64) is fma(-y, y, 1) bit for
    bit, through numpy's vecdot and BLAS's gemm (short vectors, where their probes
    passed) and the split."""
    from gradcli.ad.kernels import fused

    if way == "vecdot":
        assert fused._check_vecdot(), "this machine's vecdot is expected to pass the probe"
    else:
        monkeypatch.setattr(fused, "_vecdot_ok", False)
        if way == "gemm":
            assert fused._check_gemm(), "this machine's gemm is expected to pass the probe"
        else:
            monkeypatch.setattr(fused, "_gemm_ok", False)
    rng = np.random.default_rng(12)
    special = np.array([0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1e-300, 5e-324, np.nan,
                        0.9999999999999999, -0.9999999999999999, 2.0 ** -27])
    for n in [*range(1, 70), 127, 128, 129, 300]:
        for scale in (0.01, 0.5, 2.0, 40.0):
            y = np.tanh(rng.standard_normal(n) * scale)
            y[: min(n, 3)] = rng.choice(special, min(n, 3))
            got = fused.one_minus_square(y)
            assert got.dtype == np.float64 and got.shape == y.shape
            assert _nan_canonical(got) == _nan_canonical(_exact_fma(-y, y, np.ones(n))), n
    matrix = np.tanh(rng.standard_normal((8, 8)))  # not a vector: the split
    assert fused.one_minus_square(matrix).tobytes() == fma(-matrix, matrix, 1.0).tobytes()


def test_a_vecdot_that_rounds_twice_fails_the_probe(monkeypatch) -> None:
    """A BLAS whose two-element dot product rounds each multiply-add (no FMA) is never
    used for 1 - y²: the probe compares it with the split and one_minus_square stays exact."""
    from gradcli.ad.kernels import fused

    monkeypatch.setattr(np, "vecdot", lambda a, b: (a * b).sum(axis=-1), raising=False)
    monkeypatch.setattr(fused, "_vecdot_ok", None)
    assert not fused._check_vecdot() and fused._vecdot_ok is False
    y = np.tanh(np.random.default_rng(3).standard_normal(64) * 3)
    assert not np.array_equal(1.0 - y * y, fused._one_minus_square_split(y))
    assert fused.one_minus_square(y).tobytes() == fused._one_minus_square_split(y).tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("gemm", [True, False])
def test_fma_by_gemm_and_by_splits_is_the_exact_fma(dtype: type, gemm: bool,
                                                     monkeypatch) -> None:
    """fused.fma through BLAS's gemm (2..GEMM_MAX elements) and through the splits gives
    every element's a·b + c rounded once: shapes, 0-d operands, Python floats, cancelling
    sums, signed zeros (a zero result leaves gemm for the splits), inf and NaN."""
    from gradcli.ad.kernels import fused

    if gemm:
        assert fused._check_gemm(), "this machine's gemm is expected to pass the probe"
    else:
        monkeypatch.setattr(fused, "_gemm_ok", False)
    rng = np.random.default_rng(6)
    special = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 1e-30, -3e-39],
                       dtype)
    for shape in [(2,), (3,), (7,), (64,), (128,), (129,), (4, 4), (2, 3, 5), (8, 16)]:
        for trial in range(6):
            a = (rng.standard_normal(shape) * 10.0 ** rng.integers(-8, 8, shape)).astype(dtype)
            b = rng.standard_normal(shape).astype(dtype)
            c = (-(a.astype(np.float64) * b)).astype(dtype) if trial % 2 else \
                rng.standard_normal(shape).astype(dtype)
            if trial == 2:
                a.flat[: special.size] = special[: a.size]
                c.flat[: special.size] = special[::-1][: c.size]
            if trial == 3:
                a.flat[0], b.flat[0], c.flat[0] = -0.0, 1.0, -0.0  # -0 + -0 is -0
            for x, y, z in [(a, b, c), (a, dtype(0.5), c), (a, b, dtype(-2.0)),
                            (dtype(3.0), b, c), (a, b, 0.25)]:
                got = fused.fma(x, y, z)
                want = _exact_fma(np.asarray(x, dtype), np.asarray(y), np.asarray(z))
                assert got.dtype == dtype and got.shape == want.shape, (shape, trial)
                assert _nan_canonical(got) == _nan_canonical(want.astype(dtype)), (shape, trial)
                assert got.flags.writeable and got.flags.c_contiguous  # as the other paths


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_tanh_backward_kernel_shortcut_equals_the_general_line(dtype: type) -> None:
    special = np.array([0.0, -0.0, 1.0, -1.0, 0.5, np.inf, -np.inf, np.nan, 1e-30, 1e-45,
                        np.finfo(dtype).tiny, np.finfo(dtype).max, 0.9999999], dtype)
    rng = np.random.default_rng(3)
    rand = rng.standard_normal(64).astype(dtype)
    for g in (special, rand[:special.size], -special):
        for out in (special, np.tanh(rand[:special.size]), special[::-1].copy()):
            general = (np.asarray(g) * _one_minus_square(out)).astype(g.dtype, copy=False)
            fast = B.k_tanh_backward(g, out)
            assert type(fast) is np.ndarray and fast.dtype == general.dtype
            assert _nan_canonical(fast) == _nan_canonical(general)
    g0, o0 = np.array(0.25, dtype), np.array(0.5, dtype)
    assert B.k_tanh_backward(g0, o0) == (g0 * _one_minus_square(o0)).astype(dtype)
    # Mixed dtypes and Python numbers still take the general line.
    mixed = B.k_tanh_backward(np.ones(2, np.float32), np.full(2, 0.5))
    assert mixed.dtype == np.float32


# -- outer_vectors: outer_k1 of two vectors without the reshapes -----------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("m,n", [(1, 1), (3, 5), (31, 33), (32, 32), (64, 64), (1, 1024),
                                 (128, 255), (128, 256), (256, 128), (300, 200)])
def test_outer_vectors_is_outer_k1_of_the_reshaped_vectors(dtype: type, m: int, n: int) -> None:
    from gradcli.ad.kernels import linalg as KL

    rng = np.random.default_rng(m * 1000 + n)
    special = np.array([0.0, -0.0, 1e-30, -1e-30, 1e-160, -1e-160, np.inf, -np.inf, np.nan,
                        5e-324, -1.5], np.float64).astype(dtype)
    for a, b in [(rng.standard_normal(m).astype(dtype), rng.standard_normal(n).astype(dtype)),
                 (np.resize(special, m), np.resize(special[::-1], n)),
                 (np.full(m, 1e-30, dtype), np.full(n, -1e-30, dtype)),
                 (rng.standard_normal(m).astype(dtype), np.ones(n, np.float64))]:
        fast = KL.outer_vectors(a, b)
        general = KL.outer_k1(a.reshape(-1, 1), b.reshape(1, -1))
        assert fast.dtype == general.dtype and fast.shape == general.shape == (m, n)
        assert fast.flags.c_contiguous == general.flags.c_contiguous
        assert fast.tobytes() == general.tobytes()
