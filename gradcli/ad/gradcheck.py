"""torch.autograd.gradcheck and gradgradcheck, as PyTorch's slow mode runs them.

Each input that requires grad is perturbed element by element (its `.data`, in its dtype)
by ±eps; the central difference of the outputs is the numerical Jacobian (in the output's
dtype), one backward pass per output element gives the analytical one (in the input's
dtype); they must agree within `atol + rtol·|numerical|` (torch.allclose), else PyTorch's
GradcheckError words ("Jacobian mismatch for output 0 with respect to input 0, ...").
gradgradcheck runs gradcheck on the function that returns the gradients (made with
create_graph=True) for random grad_outputs drawn as PyTorch's make_tensor draws them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad import autograd
from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.ops.random import uniform_
from gradcli.ad.state import enable_grad, warn
from gradcli.errors import GdRuntimeError

Func = Callable[..., Any]


def _error(message: str, py_type: str = "RuntimeError") -> GdRuntimeError:
    return GdRuntimeError(message, py_type=py_type)


def _as_tuple(v: Any) -> tuple[Any, ...]:
    return tuple(v) if isinstance(v, (tuple, list)) else (v,)


def _differentiable(inputs: tuple[Any, ...]) -> list[int]:
    return [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]


def _check_inputs(inputs: tuple[Any, ...]) -> None:
    """PyTorch's _check_inputs: the double-precision warning; some input needs grad."""
    any_grad = False
    for i, x in enumerate(inputs):
        if isinstance(x, Tensor) and x.requires_grad:
            if x.array.dtype != np.float64:
                warn(f"Input #{i} requires gradient and is not a double precision floating "
                     "point or complex. This check will likely fail if all the inputs are "
                     "not of double precision floating point or complex. ")
            any_grad = True
    if not any_grad:
        raise _error("gradcheck expects at least one input tensor to require gradient, but "
                     "none of them have requires_grad=True.", "ValueError")


def _outputs(func: Func, inputs: tuple[Any, ...]) -> tuple[Tensor, ...]:
    return tuple(o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor))


def _numerical(func: Func, inputs: tuple[Any, ...], idx: list[int], n_out: list[int],
               eps: float) -> list[list[np.ndarray]]:
    """[input][output] → (input numel, output numel) central differences."""
    per_input = []
    for i in idx:
        a = inputs[i].array
        cols: list[list[np.ndarray]] = [[] for _ in n_out]
        for flat in range(a.size):
            where = np.unravel_index(flat, a.shape)
            orig = a[where].copy()
            a[where] = orig - a.dtype.type(eps)
            lo = [o.array.copy() for o in _outputs(func, inputs)]
            a[where] = orig + a.dtype.type(eps)
            hi = [o.array.copy() for o in _outputs(func, inputs)]
            a[where] = orig
            for k, (x, y) in enumerate(zip(lo, hi, strict=False)):
                d = (y - x) / y.dtype.type(2 * eps) if y.dtype.kind == "f" else (y - x) * 0.0
                cols[k].append(np.asarray(d).reshape(-1))
        per_input.append([np.stack(c) if c else np.zeros((0, m)) for c, m in zip(cols, n_out,
                                                                                 strict=True)])
    return per_input


def _analytical(out: Tensor, inputs: tuple[Any, ...], idx: list[int]) -> list[np.ndarray]:
    """[input] → (input numel, output numel) from one backward pass per output element."""
    xs = [inputs[i] for i in idx]
    jac = [np.zeros((x.array.size, out.array.size), x.array.dtype) for x in xs]
    for k in range(out.array.size):
        e = np.zeros(out.array.size, out.array.dtype)
        e[k] = 1
        gs = autograd.grad(out, xs, tensor_from_array(e.reshape(out.shape)), retain_graph=True,
                         allow_unused=True)
        for j, g in enumerate(gs):
            if g is not None:
                jac[j][:, k] = g.array.reshape(-1)
    return jac


def _text(a: np.ndarray) -> str:
    return repr(tensor_from_array(a))


def gradcheck(func: Func, inputs: Any, *, eps: float = 1e-06, atol: float = 1e-05,
              rtol: float = 0.001, raise_exception: bool = True, nondet_tol: float = 0.0,
              check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
              check_batched_grad: bool = False, check_batched_forward_grad: bool = False,
              check_forward_ad: bool = False, check_backward_ad: bool = True,
              fast_mode: bool = False, masked: bool | None = None) -> bool:
    """torch.autograd.gradcheck: True when the analytical gradients of func at inputs
    match finite differences (GradcheckError, or False with raise_exception=False)."""
    xs = _as_tuple(inputs)
    _check_inputs(xs)
    with enable_grad():
        outs = _outputs(func, xs)
        idx = [i for i in _differentiable(xs) if xs[i].array.dtype.kind == "f"]
        numerical = _numerical(func, xs, idx, [o.array.size for o in outs], eps)
        for k, out in enumerate(outs):
            if not out.requires_grad:
                for j in range(len(idx)):
                    if np.any(numerical[j][k] != 0):
                        return _fail("Numerical gradient for function expected to be zero",
                                     raise_exception)
                continue
            analytical = _analytical(out, xs, idx) if check_backward_ad else []
            if analytical:  # computed twice, as PyTorch checks reentrancy
                again = _analytical(out, xs, idx)
                if any(np.max(np.abs(a - b), initial=0) > nondet_tol
                       for a, b in zip(analytical, again, strict=True)):
                    return _fail(_NOT_REENTRANT.format(nondet_tol), raise_exception)
            for j, a in enumerate(analytical):
                n = numerical[j][k]
                common = np.promote_types(a.dtype, n.dtype)
                if not np.allclose(a.astype(common), n.astype(common), rtol=rtol, atol=atol):
                    return _fail(f"Jacobian mismatch for output {k:d} with respect to input "
                                 f"{j:d},\nnumerical:{_text(n)}\nanalytical:{_text(a)}\n",
                                 raise_exception)
        if not check_backward_ad:
            return True
        diff = [o for o in outs if o.requires_grad]
        if not _zero_grads(diff, xs, idx):
            return _fail("backward not multiplied by grad_output", raise_exception)
        if check_undefined_grad:  # PyTorch's _test_undefined_backward_mode: func again
            checks = [[o for o in _outputs(func, xs) if o.requires_grad]]
            if len(checks[0]) > 1:
                checks += [[o for o in _outputs(func, xs) if o.requires_grad] for _ in diff]
            if not all(_zero_grads(c, xs, idx) for c in checks):
                return _fail("Expected all input grads to be undefined or zero when all output "
                             "grads are undefined or zero. Please look at \"Notes about "
                             "undefined output gradients\" in \"tools/autograd/derivatives."
                             "yaml\"", raise_exception)
    return True


def _zero_grads(outs: list[Tensor], inputs: tuple[Any, ...], idx: list[int]) -> bool:
    """Whether zero grad_outputs give zero (or no) input gradients: PyTorch's checks that
    backward multiplies by grad_output and handles undefined output grads."""
    if not outs:
        return True
    gs = autograd.grad(outs, [inputs[i] for i in idx],
                     [tensor_from_array(np.zeros(o.shape, o.array.dtype)) for o in outs],
                     allow_unused=True)
    return all(g is None or not np.any(g.array) for g in gs)


_NOT_REENTRANT = (
    "Backward is not reentrant, i.e., running backward with same input and grad_output "
    "multiple times gives different values, although analytical gradient matches numerical "
    "gradient.The tolerance for nondeterminism was {}.\n\nNOTE: If your op relies on "
    "non-deterministic operations i.e., it is listed here:\n"
    "https://pytorch.org/docs/stable/generated/torch.use_deterministic_algorithms.html\n"
    "this failure might be expected.\n\nIf you are adding a new operator, please file an "
    "issue and then use one of the\nworkarounds. The workaround depends on how your test "
    "invokes gradcheck/gradgradcheck.\nIf the test\n- manually invokes "
    "gradcheck/gradgradcheck, then call gradcheck/gradgradcheck\n  with `nondet_tol=<tol>` "
    "as a keyword argument.\n- is OpInfo-based (e.g., in test_ops_gradients.py), then "
    "modify the OpInfo for the test\n  to have `gradcheck_nondet_tol=<tol>`.\n- is a Module "
    "test (e.g., in common_nn.py), then modify the corresponding\n  module_test entry to "
    "have `gradcheck_nondet_tol=<tol>`\n")


def _fail(message: str, raise_exception: bool) -> bool:
    if raise_exception:
        raise _error(message, "GradcheckError")
    return False


def gradgradcheck(func: Func, inputs: Any, grad_outputs: Any = None, *, eps: float = 1e-06,
                  atol: float = 1e-05, rtol: float = 0.001,
                  gen_non_contig_grad_outputs: bool = False, raise_exception: bool = True,
                  nondet_tol: float = 0.0, check_undefined_grad: bool = True,
                  check_grad_dtypes: bool = False, check_batched_grad: bool = False,
                  check_fwd_over_rev: bool = False, check_rev_over_rev: bool = True,
                  fast_mode: bool = False, masked: bool = False) -> bool:
    """torch.autograd.gradgradcheck: gradcheck of the gradients of func (second order)."""
    xs = _as_tuple(inputs)
    if grad_outputs is None:
        with enable_grad():
            outs = [o for o in _outputs(func, xs) if o.requires_grad]
        gos = []
        for o in outs:  # torch.testing.make_tensor(low=-1, high=1, requires_grad=True)
            t = tensor_from_array(np.empty(o.shape, o.array.dtype))
            uniform_(t, -1.0, 1.0)
            t.requires_grad_(True)
            gos.append(t)
        grad_outputs = tuple(gos)
    gos_t = _as_tuple(grad_outputs)
    n = len(gos_t)

    def new_func(*args: Any) -> tuple[Tensor, ...]:
        ins, gs = (args[:-n], args[-n:]) if n else (args, ())
        outs = [o for o in _outputs(func, ins) if o.requires_grad]
        wrt = [x for x in ins if isinstance(x, Tensor) and x.requires_grad]
        grads = autograd.grad(outs, wrt, list(gs), create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(new_func, xs + gos_t, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)

