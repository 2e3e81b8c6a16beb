"""Kernels of addcmul/addcdiv and the shrink family (hardshrink, softshrink, threshold,
prelu, glu), with PyTorch's dtypes, checks and evaluation order."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.kernels import vecmath as VM
from gradcli.ad.kernels.messages import TorchError, broadcast_message_all, not_implemented
from gradcli.ad.kernels.reductions import _fma

ndarray = np.ndarray

_ADDCDIV_INT = (
    "Integer division with addcdiv is no longer supported, and in a future  release addcdiv "
    "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can "
    "be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
    "integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future "
    "addcdiv behavior is just the latter implementation: (input + value * tensor1 / "
    "tensor2), for all dtypes.")


def _common(x: ndarray, t1: ndarray, t2: ndarray) -> tuple[np.dtype, Any]:
    message = broadcast_message_all([x, t1, t2])
    if message is not None:
        raise TorchError(message)
    dt = np.result_type(x.dtype, t1.dtype, t2.dtype)
    return dt, (lambda v: v.astype(dt, copy=False))


def addcmul(x: ndarray, t1: ndarray, t2: ndarray, value: Any = 1) -> ndarray:
    """x + value·t1·t2, evaluated as PyTorch's CPU kernel: fma(value·t1, t2, x), one
    rounding for the product and the sum (integers: value truncated, as PyTorch does)."""
    dt, cast = _common(x, t1, t2)
    if dt.kind != "f":
        return np.asarray(cast(x) + int(value) * cast(t1) * cast(t2), dtype=dt)
    shape = np.broadcast_shapes(x.shape, t1.shape, t2.shape)
    flat = [np.broadcast_to(cast(a), shape).ravel() for a in (t1, t2, x)]
    return _fma(dt.type(value) * flat[0], flat[1], flat[2]).reshape(shape)


def add_alpha(a: Any, b: Any, alpha: Any) -> ndarray:
    """a + alpha·b as PyTorch's CPU add kernel computes it: fma(b, alpha, a) for floats,
    the product and the sum rounded once (numpy's a + alpha*b rounds twice); exact for
    integers. The dtype is add's (the same promotion as a + b); sub(a, b, alpha) is
    add_alpha(a, b, -alpha), as PyTorch's sub."""
    from gradcli.ad.kernels import add
    from gradcli.ad.kernels.fused import fma

    dt = add(_probe(a), _probe(b)).dtype  # add's promotion, on no elements
    if dt.kind in "biu" and isinstance(alpha, float):
        raise TorchError("For integral input tensors, argument alpha must not be a floating "
                         "point number.")
    if dt.kind in "iu" and dt.itemsize < 8:
        # a Python int operand wraps to the dtype (a C cast); alpha is checked_convert'ed
        # (uint8's -2 wraps to 254, 300 fails)
        from gradcli.ad.kernels.elementwise import checked_int

        a, b = (np.asarray(v, np.int64).astype(dt) if type(v) is int else v for v in (a, b))
        if type(alpha) is int:
            alpha = checked_int(alpha, dt)
    aa = np.asarray(a, dtype=dt)
    bb = np.asarray(b, dtype=dt)
    if dt.kind != "f":
        return np.asarray(aa + dt.type(alpha) * bb, dtype=dt)
    if dt == np.float32 or dt == np.float64:
        return fma(bb, np.asarray(alpha, dtype=dt), aa)
    # narrower floats: in float64 (the product exact), rounded to the dtype
    return (aa.astype(np.float64) + float(alpha) * bb.astype(np.float64)).astype(dt)


def _probe(v: Any) -> Any:
    """v with no elements, of its dtype (a Python number as it is: a weak scalar)."""
    return v.reshape(-1)[:0] if type(v) is ndarray else v


def addcdiv(x: ndarray, t1: ndarray, t2: ndarray, value: Any = 1) -> ndarray:
    """x + value·t1/t2, evaluated as PyTorch's kernel: x + ((value·t1)/t2)."""
    if t1.dtype.kind in "biu" and t2.dtype.kind in "biu":
        raise TorchError(_ADDCDIV_INT)
    dt, cast = _common(x, t1, t2)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = cast(x) + (dt.type(value) * cast(t1)) / cast(t2)
    return np.asarray(out, dtype=dt)


def _floating(x: ndarray, kernel: str) -> ndarray:
    if x.dtype.kind != "f":
        raise not_implemented(kernel, x.dtype)
    return x


def hardshrink(x: ndarray, lambd: float = 0.5) -> ndarray:
    """x where |x| > lambd, else 0."""
    x = _floating(x, "hardshrink_cpu")
    return np.asarray(np.where((x >= -lambd) & (x <= lambd), 0, x), dtype=x.dtype)


def hardshrink_backward(g: ndarray, x: ndarray, lambd: float = 0.5) -> ndarray:
    return np.asarray(np.where((x >= -lambd) & (x <= lambd), 0, g), dtype=g.dtype)


def _check_lambd(dtype: np.dtype, lambd: float) -> None:
    """softshrink's range check on lambd (PyTorch's message, the dtype's largest value)."""
    top = "3.40282e+38" if dtype == np.float32 else "1.79769e+308"
    name = "Float" if dtype == np.float32 else "Double"
    if not 0 <= lambd <= float(np.finfo(dtype).max):
        raise TorchError(f"lambda must be in range [0, {top}] for input dtype {name}, but "
                         f"found {lambd:g}")


def softshrink(x: ndarray, lambd: float = 0.5) -> ndarray:
    """x - lambd where x > lambd, x + lambd where x < -lambd, else 0."""
    x = _floating(x, "softshrink_cpu")
    _check_lambd(x.dtype, lambd)
    lam = x.dtype.type(lambd)

    def f(M: Any, a: ndarray) -> ndarray:
        # the vector loop's blend gives +0.0, the scalar loop's x · 0 -0.0 for a negative
        # x (both keep NaN)
        out = np.where(a > lam, a - lam, np.where(a < -lam, a + lam, a * 0))
        if M is VM.VEC:
            out[out == 0] = 0.0
        return out

    if x.dtype in (np.float32, np.float64):
        return VM.kernel_loop(f, x, avx512=False)  # REGISTER_DISPATCH: the AVX2 build
    # other dtypes: 64 bytes at a time with vectors, the rest one by one
    out = np.asarray(f(None, x), dtype=x.dtype)
    flat = out.reshape(-1)
    head = flat.size - flat.size % (64 // x.dtype.itemsize)
    flat[:head][flat[:head] == 0] = 0.0
    return flat.reshape(out.shape)


def softshrink_backward(g: ndarray, x: ndarray, lambd: float = 0.5) -> ndarray:
    return np.asarray(np.where((x >= -lambd) & (x <= lambd), 0, g), dtype=g.dtype)


def threshold(x: ndarray, threshold: float, value: float) -> ndarray:
    """x where x > threshold, else value."""
    if x.dtype.kind == "b":
        raise not_implemented("threshold_cpu", x.dtype)
    t, v = (threshold, value) if x.dtype.kind == "f" else (int(threshold), int(value))
    return np.asarray(np.where(x <= t, v, x), dtype=x.dtype)


def prelu(x: ndarray, w: ndarray) -> ndarray:
    """x where x > 0, else w·x (w broadcast)."""
    x = _floating(x, "prelu_cpu")
    return np.asarray(np.where(x > 0, x, w * x), dtype=x.dtype)


def glu(x: ndarray, dim: int) -> ndarray:
    """a·σ(b), a and b the halves of x along dim."""
    x = _floating(x, "glu_cpu")
    a, b = np.split(x, 2, axis=dim)
    if x.dtype.kind == "f" and x.dtype.itemsize >= 4 and a.size:
        # glu_kernel: cpu_kernel_vec over the halves (views), SLEEF's exp on whole pairs
        # of vectors of the rows they walk, the C library's exp on the rest
        one = x.dtype.type(1)
        return VM.kernel_loop(lambda M, p, q: p * (one / (one + M.exp(-q))), a, b)
    return np.asarray(a * (1 / (1 + np.exp(-b))), dtype=x.dtype)
