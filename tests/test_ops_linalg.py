"""Linear algebra beyond the sweep: PyTorch's error messages, gauge-invariant checks of
eigh and the SVD on any matrix (LAPACK builds choose eigenvector signs differently),
repeated eigenvalues, singular inputs, the named tuples' printing, and gd programs through
the CLI against PyTorch."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gradcli.ad import autograd, ops
from gradcli.ad.ops import SURFACE
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError

ROOT = Path(__file__).resolve().parent.parent


def T(a: Any, grad: bool = False) -> Tensor:
    t = Tensor(np.asarray(a, dtype=np.float64) if not isinstance(a, np.ndarray) else a)
    return t.requires_grad_(True) if grad else t


def message(fn: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(GdRuntimeError) as info:
        fn(*args, **kwargs)
    return str(info.value.message if hasattr(info.value, "message") else info.value)


# -- error messages (PyTorch 2.13's text) --------------------------------------------------

SINGULAR = [[1.0, 2.0], [2.0, 4.0]]
NOT_PD = [[1.0, 2.0], [2.0, 1.0]]

ERRORS: list[tuple[str, Any, str]] = [
    ("torch.linalg.inv", lambda: (T(SINGULAR),),
     "linalg.inv: The diagonal element 2 is zero, the inversion could not be completed "
     "because the input matrix is singular."),
    ("torch.inverse", lambda: (T(np.zeros((2, 3, 3))),),
     "linalg.inv: (Batch element 0): The diagonal element 1 is zero, the inversion could not "
     "be completed because the input matrix is singular."),
    ("torch.linalg.inv", lambda: (T(np.zeros((2, 3))),),
     "linalg.inv: A must be batches of square matrices, but they are 2 by 3 matrices"),
    ("torch.linalg.inv", lambda: (Tensor(np.ones((2, 2), np.int64)),),
     "linalg.inv: Expected a floating point or complex tensor as input. Got Long"),
    ("torch.linalg.solve", lambda: (T(SINGULAR), T([1.0, 1.0])),
     "torch.linalg.solve: The solver failed because the input matrix is singular."),
    ("torch.linalg.solve", lambda: (T(np.eye(2)), T(np.ones(3))),
     "linalg.solve: Incompatible shapes of A and B for the equation AX = B (2x2 and 3x1)"),
    ("torch.linalg.solve", lambda: (T(np.eye(3)), T(np.ones((2, 2)))),
     "linalg.solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x2)"),
    ("torch.linalg.cholesky", lambda: (T(NOT_PD),),
     "linalg.cholesky: The factorization could not be completed because the input is not "
     "positive-definite (the leading minor of order 2 is not positive-definite)."),
    ("torch.linalg.cholesky", lambda: (T([[-1.0, 2.0], [2.0, 1.0]]),),
     "linalg.cholesky: The factorization could not be completed because the input is not "
     "positive-definite (the leading minor of order 1 is not positive-definite)."),
    ("torch.linalg.cholesky", lambda: (T(np.stack([np.eye(2), NOT_PD])),),
     "linalg.cholesky: (Batch element 1): The factorization could not be completed because "
     "the input is not positive-definite (the leading minor of order 2 is not "
     "positive-definite)."),
    ("torch.trace", lambda: (T(np.ones((2, 2, 2))),),
     "trace: expected a matrix, but got tensor with dim 3"),
    ("torch.trace", lambda: (T(np.ones(3)),),
     "trace: expected a matrix, but got tensor with dim 1"),
    ("torch.det", lambda: (T(np.ones((2, 3))),),
     "linalg.det: A must be batches of square matrices, but they are 2 by 3 matrices"),
    ("torch.det", lambda: (T(np.ones(3)),),
     "linalg.det: The input tensor A must have at least 2 dimensions."),
    ("torch.linalg.det", lambda: (Tensor(np.ones((2, 2), np.int64)),),
     "linalg.det: Expected a floating point or complex tensor as input. Got Long"),
    ("torch.bmm", lambda: (T(np.ones((2, 3))), T(np.ones((2, 3)))),
     "batch1 must be a 3D tensor"),
    ("torch.bmm", lambda: (T(np.ones((2, 3, 4))), T(np.ones((2, 3, 4)))),
     "Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [2, 3]."),
    ("torch.bmm", lambda: (T(np.ones((2, 3, 4))), T(np.ones((3, 4, 4)))),
     "Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [3, 4]."),
    ("torch.addmm", lambda: (T(np.ones(3)), T(np.ones((2, 3))), T(np.ones((2, 3)))),
     "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)"),
    ("torch.ger", lambda: (T(np.ones((2, 2))), T(np.ones(2))),
     "outer: Expected 1-D argument self, but got 2-D"),
    ("torch.linalg.eigh", lambda: (T(np.ones((2, 3))),),
     "linalg.eigh: A must be batches of square matrices, but they are 2 by 3 matrices"),
    ("torch.linalg.svd", lambda: (T(np.ones(3)),),
     "linalg.svd: The input tensor A must have at least 2 dimensions."),
    ("torch.linalg.qr", lambda: (T(np.ones(3)),),
     "linalg.qr: The input tensor A must have at least 2 dimensions."),
    ("torch.linalg.cross", lambda: (T(np.ones(2)), T(np.ones(2))),
     "linalg.cross: inputs dimension -1 must have length 3. Got 2 and 2"),
    ("torch.linalg.matrix_power", lambda: (T(np.ones((2, 3))), 2),
     "linalg.matrix_power: A must be batches of square matrices, but they are 2 by 3 "
     "matrices"),
    ("torch.tril", lambda: (T(np.ones(3)),), "tril: input tensor must have at least 2 dimensions"),
    ("torch.triu", lambda: (T(np.ones(3)),), "triu: input tensor must have at least 2 dimensions"),
    ("torch.diagonal", lambda: (T(np.ones(3)),),
     "Dimension out of range (expected to be in range of [-1, 0], but got 1)"),
    ("torch.einsum", lambda: ("ij,jk", T(np.ones((2, 3))), T(np.ones((2, 3)))),
     "einsum(): subscript j has size 2 for operand 1 which does not broadcast with previously "
     "seen size 3"),
]


@pytest.mark.parametrize(("spelling", "args", "expected"), ERRORS,
                         ids=[f"{s}-{i}" for i, (s, _, _) in enumerate(ERRORS)])
def test_error_message_is_pytorchs(spelling: str, args: Any, expected: str) -> None:
    assert message(SURFACE[spelling], *args()) == expected


def test_error_messages_match_torch() -> None:
    """The literals above are what torch says (checked when torch is installed)."""
    torch = pytest.importorskip("torch")
    for spelling, args, expected in ERRORS:
        fn = _torch_fn(torch, spelling)
        theirs = [torch.from_numpy(a.array) if isinstance(a, Tensor) else a for a in args()]
        with pytest.raises(Exception) as info:
            fn(*theirs)
        assert str(info.value) == expected, spelling


def _torch_fn(torch: Any, spelling: str) -> Any:
    obj = torch
    for part in spelling.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


# -- values: singular and special inputs ----------------------------------------------------

def test_singular_matrices_det_slogdet_logdet() -> None:
    a = T(SINGULAR, grad=True)
    d = ops.SURFACE["torch.det"](a)
    assert str(d) == "tensor(-0., dtype=torch.float64, grad_fn=<LinalgDetBackward0>)"
    (g,) = autograd.grad([d], [a])
    assert not g.array.any()  # PyTorch: det·(…) = zeros, no error, no nan
    sign, logabs = SURFACE["torch.slogdet"](T(SINGULAR))
    assert sign.item() == 0 and logabs.item() == -np.inf
    assert np.isnan(SURFACE["torch.logdet"](T([[0.0, 1.0], [1.0, 0.0]])).item())
    assert SURFACE["torch.logdet"](T(np.zeros((2, 2)))).item() == -np.inf


def test_repeated_eigenvalues_follow_pytorch() -> None:
    """eigenvalues stay differentiable at a repeated eigenvalue; eigenvectors do not (PyTorch's
    documented behaviour: the 1 / (λⱼ − λᵢ) terms are infinite, the gradient nan)."""
    e = T(np.eye(3), grad=True)
    vals, vecs = SURFACE["torch.linalg.eigh"](e)
    (g,) = autograd.grad([ops.sum(vals)], [e])
    assert np.array_equal(g.array, np.eye(3))
    vals, vecs = SURFACE["torch.linalg.eigh"](e)
    (g,) = autograd.grad([ops.sum(vecs * T(np.arange(9.0).reshape(3, 3)))], [e])
    assert np.isnan(g.array).all()


# -- gauge-invariant checks of eigh and svd against torch, on any matrix -------------------

def _gauge_invariant_eigh(lib: Any, a: Any, w: Any) -> Any:
    vals, vecs = lib.linalg.eigh(a)
    # V diag(w) Vᵀ and Σ w·V² do not depend on the eigenvectors' signs.
    return (vecs * w) @ vecs.transpose(-2, -1) + (vecs * vecs * w).sum() + vals.sum() * 0.5


def _gauge_invariant_svd(lib: Any, a: Any, w: Any, full: bool) -> Any:
    u, s, vh = lib.linalg.svd(a, full_matrices=full)
    k = s.shape[-1]
    return (u[..., :k] * w[..., :k]) @ vh[..., :k, :] + s.sum() + (u * u).sum()


@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (2, 4, 4)])
def test_eigh_gauge_invariants_match_torch(shape: tuple[int, ...]) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(sum(shape))
    x = rng.standard_normal(shape)
    a = x + np.swapaxes(x, -1, -2)
    w = rng.standard_normal(shape[-1])
    _compare_both(torch, lambda lib, t: _gauge_invariant_eigh(lib, t, _w(lib, w, t)), a)


@pytest.mark.parametrize(("shape", "full"), [((2, 3), False), ((2, 4), True), ((3, 2), True),
                                             ((2, 3, 3), True), ((2, 2, 3), False)])
def test_svd_gauge_invariants_match_torch(shape: tuple[int, ...], full: bool) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(sum(shape))
    a = rng.standard_normal(shape)
    w = rng.standard_normal(max(shape[-2:]))
    _compare_both(torch, lambda lib, t: _gauge_invariant_svd(lib, t, _w(lib, w, t), full), a)


def _w(lib: Any, w: np.ndarray, like: Any) -> Any:
    return lib.tensor(w, dtype=lib.float64) if lib is not _GD else Tensor(w)


class _GdLib:
    """The torch-like namespace of gd's functions (lib.linalg.eigh, lib.tensor, ...)."""

    float64 = "torch.float64"

    class linalg:
        eigh = staticmethod(SURFACE["torch.linalg.eigh"])
        svd = staticmethod(SURFACE["torch.linalg.svd"])


_GD = _GdLib()


def _compare_both(torch: Any, f: Any, a: np.ndarray) -> None:
    """f's value, gradient, second derivative (a Hessian-vector product) and JVP agree."""
    rng = np.random.default_rng(7)
    v = rng.standard_normal(a.shape)
    t = rng.standard_normal(a.shape)
    ours = T(a, grad=True)
    y = f(_GD, ours)
    u = rng.standard_normal(y.shape)
    (g,) = autograd.grad([y], [ours], grad_outputs=[Tensor(u)], create_graph=True)
    (h,) = autograd.grad([ops.sum(g * Tensor(v))], [ours])
    theirs = torch.tensor(a, requires_grad=True)
    yt = f(torch, theirs)
    (gt,) = torch.autograd.grad(yt, theirs, torch.tensor(u), create_graph=True)
    (ht,) = torch.autograd.grad((gt * torch.tensor(v)).sum(), theirs)
    np.testing.assert_allclose(y.array, yt.detach().numpy(), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(g.array, gt.detach().numpy(), rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(h.array, ht.numpy(), rtol=1e-6, atol=1e-7)
    from gradcli.ad import forward
    with forward.dual_level():
        jo = forward.unpack_dual(f(_GD, forward.make_dual(T(a), Tensor(t))))[1]
    fwd = torch.autograd.forward_ad
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # torch's first forward AD use
        with fwd.dual_level():
            jt = fwd.unpack_dual(f(torch, fwd.make_dual(torch.tensor(a),
                                                        torch.tensor(t)))).tangent
    np.testing.assert_allclose(jo.array, jt.numpy(), rtol=1e-7, atol=1e-8)


# -- gd programs through the CLI, against PyTorch ------------------------------------------

PROGRAM = """
import torch
A = torch.tensor([[4.0, 1.0], [1.0, 3.0]], requires_grad=True)
print(torch.trace(A), A.det(), torch.logdet(A))
r = torch.linalg.slogdet(A)
print(r)
print(r.sign, r.logabsdet)
s, l = torch.slogdet(A)
print(torch.slogdet(A))
e = torch.linalg.eigh(A)
print(e.eigenvalues, e[0])
print(torch.linalg.qr(A))
print(torch.svd(A).S)
print(torch.einsum("ij,jk->ik", A, A), torch.einsum("ii", A))
x = torch.linalg.solve(A, torch.tensor([1.0, 2.0]))
x.sum().backward()
print(A.grad)
print(torch.linalg.cholesky(A))
print(torch.linalg.matrix_norm(A, "nuc"), torch.linalg.norm(A, 2), torch.norm(A, "nuc"))
print(torch.linalg.norm(A, -2), torch.linalg.norm(A, "fro"), torch.linalg.matrix_norm(A, 1))
B = torch.arange(8.0).reshape(2, 2, 2).requires_grad_()
print(torch.bmm(B, B), torch.baddbmm(B, B, B, beta=0.5, alpha=2))
print(torch.addmm(A, A, A, alpha=2), torch.addmv(A[0], A, A[1]))
print(A.tril(), A.triu(1), torch.diagonal(B, 0, 1, 2), torch.diag_embed(A))
print(torch.kron(A, A), torch.tensordot(B, A, dims=1))
print(torch.linalg.matrix_power(A, 3), torch.matrix_power(A, -1))
print(torch.linalg.multi_dot([A, A, A]), torch.outer(A[0], A[1]), torch.ger(A[0], A[1]))
C = torch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], requires_grad=True)
print(torch.linalg.cross(C, C.flip(0)), torch.cross(C, C * 2, dim=1))
print(torch.linalg.pinv(torch.tensor([[1.0, 2.0], [2.0, 4.0]])))
print(torch.linalg.svdvals(A), torch.linalg.eigvalsh(A))
"""


def _run_gd(program: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "gradcli", "run", "-"], input=program,
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return proc.stdout


def test_program_prints_what_pytorch_prints() -> None:
    pytest.importorskip("torch")
    ours = _run_gd(PROGRAM)
    theirs = subprocess.run([sys.executable, "-c", textwrap.dedent(PROGRAM)],
                            capture_output=True, text=True, check=True).stdout
    assert ours == theirs


def test_named_tuples_print_as_torch_return_types() -> None:
    out = _run_gd("import torch\nprint(torch.linalg.eigh(torch.eye(2)))\n"
                  "print(torch.linalg.svd(torch.eye(2)))\nprint(torch.slogdet(torch.eye(2)))\n")
    assert out == (
        "torch.return_types.linalg_eigh(\neigenvalues=tensor([1., 1.]),\n"
        "eigenvectors=tensor([[1., 0.],\n        [0., 1.]]))\n"
        "torch.return_types.linalg_svd(\nU=tensor([[1., 0.],\n        [0., 1.]]),\n"
        "S=tensor([1., 1.]),\nVh=tensor([[1., 0.],\n        [0., 1.]]))\n"
        "torch.return_types.slogdet(\nsign=tensor(1.),\nlogabsdet=tensor(0.))\n")


def test_singular_inverse_is_a_runtime_error_in_a_program() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "gradcli", "run", "-e", "import torch",
         "-e", "torch.linalg.inv(torch.tensor([[1.0, 2.0], [2.0, 4.0]]))"],
        capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode != 0
    assert ("linalg.inv: The diagonal element 2 is zero, the inversion could not be completed "
            "because the input matrix is singular.") in proc.stderr + proc.stdout


def test_shape_mismatch_messages_match_torch() -> None:
    torch = pytest.importorskip("torch")
    cases = [("torch.linalg.solve", [(2, 2, 2), (3, 2, 1)], {}),
             ("torch.tensordot", [(2, 3), (2, 3)], {"dims": 1}),
             ("torch.addmm", [(3,), (2, 2), (2, 2)], {}),
             ("torch.addmm", [(3, 2), (2, 2), (2, 2)], {}),
             ("torch.baddbmm", [(3,), (2, 2, 2), (2, 2, 2)], {}),
             ("torch.addmv", [(2, 2), (2, 3), (3,)], {}),
             ("torch.addmv", [(3,), (2, 3), (3,)], {}),
             ("torch.einsum", ["ij,jk->ik", (2, 2)], {}),
             ("torch.einsum", ["ij", (2, 2, 2)], {}),
             ("torch.linalg.multi_dot", [[(2,)]], {}),
             ("torch.diagonal", [(2, 2), 0, 0, 0], {})]

    def build(arg: Any, lib: str) -> Any:
        if isinstance(arg, list):
            return [build(a, lib) for a in arg]
        if isinstance(arg, tuple):
            return T(np.ones(arg)) if lib == "gd" else torch.ones(arg, dtype=torch.float64)
        return arg

    for spelling, args, kwargs in cases:
        ours = message(SURFACE[spelling], *[build(a, "gd") for a in args], **kwargs)
        with pytest.raises(RuntimeError) as info:
            _torch_fn(torch, spelling)(*[build(a, "torch") for a in args], **kwargs)
        assert ours == str(info.value), spelling


def test_repeated_singular_values_follow_torch() -> None:
    """svdvals stays differentiable at repeated singular values; U and Vh give torch's
    inf/nan (the 1 / (σⱼ² − σᵢ²) terms)."""
    torch = pytest.importorskip("torch")
    a = np.diag([2.0, 2.0, 1.0])
    w = np.arange(9.0).reshape(3, 3)
    for part in range(3):
        ours = T(a, grad=True)
        out = SURFACE["torch.linalg.svd"](ours)[part]
        (g,) = autograd.grad([ops.sum(out * Tensor(w[: out.shape[0]] if part == 1 else w))],
                           [ours])
        theirs = torch.tensor(a, requires_grad=True)
        tout = torch.linalg.svd(theirs)[part]
        (gt,) = torch.autograd.grad((tout * torch.tensor(w[: tout.shape[0]] if part == 1
                                                        else w)).sum(), theirs)
        np.testing.assert_array_equal(np.isnan(g.array), np.isnan(gt.numpy()))
        np.testing.assert_allclose(g.array, gt.numpy(), rtol=1e-12, atol=1e-12)
