"""Kernels of the elementwise math family: inverse trigonometric and hyperbolic functions,
log2/log10/expm1/exp2, the error function and its inverse, sinc, logit, rounding parts,
and the binary atan2/hypot/logaddexp/fmod/copysign/xlogy/lerp, with PyTorch's dtypes
(integer and bool inputs of a float function compute in the default float dtype)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.kernels import clib as C
from gradcli.ad.kernels import elementwise as E
from gradcli.ad.kernels import libm_erf
from gradcli.ad.kernels import vecmath as VM
from gradcli.ad.kernels.elementwise import (
    _cast,
    _vector_unary,
    divides_by_zero,
    result_type,
    wide,
)
from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.messages import (
    TorchError,
    broadcast_message_all,
    not_implemented,
    scalar_name,
)

ndarray = np.ndarray


def _float(x: ndarray) -> ndarray:
    return x if x.dtype.kind == "f" else dtypes.as_default_float(x)


def _unary(f: Any):
    def kernel(x: ndarray) -> Any:
        return wide(f, _float(x))

    kernel.__name__ = f.__name__
    return kernel


atan = _unary(np.arctan)
asin = _unary(np.arcsin)
acos = _unary(np.arccos)
sinh = _vector_unary("sinh", np.sinh, whole=False)
cosh = _vector_unary("cosh", np.cosh, whole=False)
def _libm_unary(f: Any):
    """A function ATen computes with the C library's std:: function element by element
    (asinhf, acoshf for float32): numpy's loop in the input's float dtype calls the same
    C functions (widening float32 to double first would round differently)."""
    def kernel(x: ndarray) -> Any:
        x = _float(x)
        with np.errstate(all="ignore"):
            return np.asarray(f(x), dtype=x.dtype)

    kernel.__name__ = f.__name__
    return kernel


asinh = _libm_unary(np.arcsinh)
acosh = _libm_unary(np.arccosh)
atanh = _vector_unary("atanh", np.arctanh, whole=False)
log2 = _unary(np.log2)
log10 = _unary(np.log10)
expm1 = _vector_unary("expm1", np.expm1)
exp2 = _vector_unary("exp2", np.exp2, whole=False)


def rsqrt(x: ndarray) -> Any:
    """1 / sqrt(x)."""
    x = _float(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(1 / np.sqrt(x), dtype=x.dtype)


def sinc(x: ndarray) -> Any:
    """sin(πx) / (πx), 1 at 0, as ATen's scalar kernel: π rounded to x's dtype times x,
    the C library's sin of it (sinf for float32: numpy's own float32 sin differs in the
    last bit on ~1 element in 7) over the same product."""
    x = _float(x)
    if x.dtype != np.float32:
        return np.asarray(np.sinc(x), dtype=x.dtype)
    with np.errstate(all="ignore"):
        p = np.float32(math.pi) * x
        return np.where(x == 0, np.float32(1), C.call("sin", p, dtype=x.dtype) / p)


def _map(f: Any, x: ndarray) -> ndarray:
    """A Python float function elementwise, computed in double."""
    flat = [f(v) for v in x.astype(np.float64).ravel().tolist()]
    return np.asarray(flat, dtype=np.float64).reshape(x.shape).astype(x.dtype)


def _libm_double(name: str, x: ndarray) -> ndarray:
    """The C library's double function `name` (erf, erfc) of x in double, rounded to x's
    dtype (ATen's vsErf/vsErfc of float32 are closer to this than to erff's), on whole
    arrays (kernels/libm_erf.py)."""
    return getattr(libm_erf, name)(x).astype(x.dtype)


def erf(x: ndarray) -> Any:
    """The error function."""
    return _libm_double("erf", _float(x))


def erfc(x: ndarray) -> Any:
    """1 - erf(x), accurate in the tails."""
    return _libm_double("erfc", _float(x))


def _erfinv1(y: float) -> float:
    if y != y or y < -1 or y > 1:
        return math.nan
    if y in (-1.0, 1.0):
        return math.copysign(math.inf, y)
    # Giles' single-precision approximation, then Newton steps on erf in double.
    w = -math.log((1.0 - y) * (1.0 + y))
    if w < 5:
        w -= 2.5
        p = 2.81022636e-08
        for c in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                  -0.00125372503, -0.00417768164, 0.246640727, 1.50140941):
            p = c + p * w
    else:
        w = math.sqrt(w) - 3
        p = -0.000200214257
        for c in (0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                  -0.0076224613, 0.00943887047, 1.00167406, 2.83297682):
            p = c + p * w
    x = abs(p * y)
    # Newton steps in double: on erf near 0, on erfc in the tails (1 - |y| is exact
    # there, where erf(x) - y would lose every digit).
    a = abs(y)
    for _ in range(12):
        slope = 2 / math.sqrt(math.pi) * math.exp(-x * x)
        step = (math.erf(x) - a) / slope if a < 0.5 else ((1 - a) - math.erfc(x)) / slope
        if not math.isfinite(step):
            break
        x -= step
        if abs(step) <= 1e-16 * abs(x):
            break
    return math.copysign(x, y)


def erfinv(x: ndarray) -> Any:
    """The inverse error function (±inf at ±1, nan outside [-1, 1])."""
    return _map(_erfinv1, _float(x))


def logit(x: ndarray, eps: float | None = None) -> Any:
    """log(x / (1 - x)), x clamped into [eps, 1 - eps] when eps is given: ATen's
    logit_kernel. Dense inputs (TensorIterator's is_contiguous) take MKL's log of the
    quotients (as torch.log), others its cpu_kernel_vec loop (Vectorized<T>::log, SLEEF's,
    on whole vectors, the C library's log on the rest)."""
    x = _float(x)
    t_ = x.dtype.type

    def clamped(a: ndarray) -> ndarray:
        if eps is None:
            return a
        lo = t_(eps)  # x < lo ? lo : (x > hi ? hi : x), lo and hi in the dtype
        return np.where(a < lo, lo, np.where(a > t_(1) - lo, t_(1) - lo, a))  # NaN stays

    with np.errstate(divide="ignore", invalid="ignore"):
        if x.dtype not in (np.float32, np.float64) or _dense(x):
            c = clamped(x)
            return E.log(np.asarray(c / (t_(1) - c), dtype=x.dtype))
        return VM.kernel_loop(lambda M, a: M.log(clamped(a) / (t_(1) - clamped(a))), x)


def _dense(x: ndarray) -> bool:
    """Whether x's elements fill its memory in some order of its dims (no gaps, no
    overlap): TensorIterator's is_contiguous for a unary op."""
    if x.flags.c_contiguous or x.flags.f_contiguous:
        return True
    expected = x.itemsize
    for stride, size in sorted((s, n) for s, n in zip(x.strides, x.shape, strict=True)
                               if n > 1):
        if stride != expected:
            return False
        expected *= size
    return True


def frac(x: ndarray) -> Any:
    """x - trunc(x) (floating dtypes only)."""
    if x.dtype.kind != "f":
        raise not_implemented("frac_cpu", x.dtype)
    return np.asarray(x - np.trunc(x), dtype=x.dtype)


def trunc(x: ndarray) -> Any:
    """Round toward zero."""
    if x.dtype.kind == "b":
        raise not_implemented("trunc_vml_cpu", x.dtype)
    return np.trunc(x) if x.dtype.kind == "f" else x.copy()


def rad2deg(x: ndarray) -> Any:
    """Radians to degrees."""
    x = _float(x)
    return np.asarray(x * np.asarray(180 / math.pi, x.dtype), dtype=x.dtype)


def deg2rad(x: ndarray) -> Any:
    """Degrees to radians."""
    x = _float(x)
    return np.asarray(x * np.asarray(math.pi / 180, x.dtype), dtype=x.dtype)


def nan_to_num(x: ndarray, nan: float | None = None, posinf: float | None = None,
               neginf: float | None = None) -> Any:
    """NaN → nan (0), ±inf → posinf/neginf (the dtype's largest finite values)."""
    if x.dtype.kind != "f":
        return x.copy()
    info = np.finfo(x.dtype)
    return np.asarray(np.nan_to_num(
        x, nan=0.0 if nan is None else nan, posinf=info.max if posinf is None else posinf,
        neginf=info.min if neginf is None else neginf), dtype=x.dtype)


# -- binary -------------------------------------------------------------------------------

def _float_binary(f: Any, cpu_name: str | None = None):
    def kernel(a: Any, b: Any) -> Any:
        rt = result_type(a, b)
        if rt.kind != "f":
            if cpu_name is not None:
                raise not_implemented(cpu_name, rt)
            rt = dtypes.default_dtype()
        with np.errstate(all="ignore"):
            return np.asarray(f(_cast(a, rt), _cast(b, rt)), dtype=rt)

    kernel.__name__ = f.__name__
    return kernel


def _vec_binary(formula: Any, other: Any) -> Any:
    """A binary cpu_kernel_vec kernel: formula(M, a, b) written once on arrays with M's
    special functions (Vectorized<T>'s on whole pairs of vectors, the C library's on the
    tail: vecmath.kernel_loop) for float32/float64, `other` for half dtypes."""
    def f(a: Any, b: Any) -> Any:
        dt = a.dtype if isinstance(a, ndarray) else np.asarray(b).dtype
        if dt != np.float32 and dt != np.float64:
            return other(a, b)
        a, b = np.asarray(a, dt), np.asarray(b, dt)
        shape = np.broadcast_shapes(a.shape, b.shape)
        if not shape:
            return VM.kernel_loop(formula, a.reshape(1), b.reshape(1)).reshape(())
        return VM.kernel_loop(formula, np.broadcast_to(a, shape), b)

    f.__name__ = other.__name__
    return f


def _logaddexp(M: Any, a: ndarray, b: ndarray, base2: bool = False) -> ndarray:
    """ATen's logaddexp(2)_kernel: max(a, b) + log1p(exp(-|a - b|)), with exp2 and the
    log1p times 1/ln 2 contracted into one FMA (both in the vector loop and in GCC's
    scalar tail); a where a == b is infinite."""
    m = np.maximum(a, b)
    if base2:
        lp = M.log1p(M.exp2(-np.abs(a - b)))
        r = fma(lp, np.full_like(lp, a.dtype.type(1.0 / math.log(2.0))), m)
    else:
        r = m + M.log1p(M.exp(-np.abs(a - b)))
    return np.where((a == b) & (np.abs(a) == np.inf), a, r)


atan2 = _float_binary(_vec_binary(lambda M, a, b: M.atan2(a, b), np.arctan2))
hypot = _float_binary(_vec_binary(lambda M, a, b: M.hypot(a, b), np.hypot), "hypot_cpu")
logaddexp = _float_binary(_vec_binary(_logaddexp, np.logaddexp), "logaddexp_cpu")
logaddexp2 = _float_binary(
    _vec_binary(lambda M, a, b: _logaddexp(M, a, b, True), np.logaddexp2), "logaddexp2_cpu")
copysign = _float_binary(np.copysign)


def _xlogy(a: Any, b: Any) -> Any:
    # ATen's scalar kernel: x * std::log(y), logf for float32 (numpy's own float32 log
    # differs in the last bit on ~1 element in 5)
    f32 = np.float32 in (getattr(a, "dtype", None), getattr(b, "dtype", None))
    log = C.call("log", b, dtype=np.float32) if f32 else np.log(b)
    out = a * log
    return np.where((a == 0) & ~np.isnan(b), 0.0, out)


xlogy = _float_binary(_xlogy)


def _xlog1py(a: Any, b: Any) -> Any:
    out = a * np.log1p(b)
    return np.where((a == 0) & ~np.isnan(b), 0.0, out)


xlog1py = _float_binary(_xlog1py)


def fmod(a: Any, b: Any) -> Any:
    """C's fmod: the remainder with the sign of a; an integer division by zero fails."""
    rt = result_type(a, b)
    if rt.kind != "f":
        if rt.kind == "b":
            raise not_implemented("fmod_cpu", rt)
        if divides_by_zero(a, b):
            raise TorchError("ZeroDivisionError")
    with np.errstate(all="ignore"):
        return np.asarray(np.fmod(_cast(a, rt), _cast(b, rt)), dtype=rt)


def lerp(start: ndarray, end: ndarray, weight: Any) -> Any:
    """start + weight · (end - start), as PyTorch computes it: from the nearer end, with
    one rounding (fma(w, end - start, start) for |w| < 1/2, else fma(w - 1, end - start,
    end)), as its vectorised kernel and the contracted scalar one do."""
    if start.dtype != end.dtype:
        raise TorchError(f"expected dtype {_long_name(start.dtype)} for `end` but got dtype "
                         f"{_long_name(end.dtype)}")
    if type(weight) is ndarray and weight.ndim and weight.dtype != start.dtype:
        raise TorchError(f"expected dtype {_long_name(start.dtype)} for `weight` but got "
                         f"dtype {_long_name(weight.dtype)}")
    if start.dtype.kind != "f":
        raise not_implemented("lerp_kernel_scalar" if type(weight) is not ndarray
                              else "lerp_kernel_tensor", start.dtype)
    w = _cast(weight, start.dtype)
    one = start.dtype.type(1)
    diff = end - start
    if type(w) is not ndarray or not w.ndim:  # a scalar weight: one branch for all
        w = start.dtype.type(w)  # rounded to the dtype, as PyTorch passes it
        if abs(w) < 0.5:
            return fma(w, diff, start)
        return fma(w - one, diff, end)
    # ATen's lerp_vec: fmadd(small ? w : w - 1, end - start, small ? start : end)
    small = np.abs(w) < 0.5
    return fma(np.where(small, w, w - one), diff, np.where(small, start, end))


def _long_name(dtype: np.dtype) -> str:
    return {"Float": "float", "Double": "double", "Long": "long int", "Int": "int",
            "Bool": "bool"}.get(scalar_name(dtype), str(dtype))


def div_mode(a: Any, b: Any, rounding_mode: str) -> Any:
    """a / b rounded down ('floor', Python's //) or toward zero ('trunc')."""
    rt = result_type(a, b)
    if rt.kind != "f":
        if rt.kind == "b":
            raise not_implemented("div_floor_cpu" if rounding_mode == "floor"
                                  else "div_trunc_cpu", rt)
        if divides_by_zero(a, b):
            raise TorchError("ZeroDivisionError")
    a, b = _cast(a, rt), _cast(b, rt)
    with np.errstate(all="ignore"):
        if rounding_mode == "floor":
            return np.asarray(np.floor_divide(a, b), dtype=rt)
        if rt.kind == "f":
            return np.asarray(np.trunc(np.true_divide(a, b)), dtype=rt)
        q = np.floor_divide(a, b)
        return np.asarray(np.where((q < 0) & (q * b != a), q + 1, q), dtype=rt)


def copy_into(x: ndarray, src: Any) -> Any:
    """x.copy_(src)'s new value: src broadcast to x's shape, in x's dtype."""
    try:
        shape = np.broadcast_shapes(x.shape, np.shape(src))
    except ValueError:
        raise TorchError(broadcast_message_all([x, src]) or "copy_: bad shapes") from None
    if shape != x.shape:
        raise TorchError(f"output with shape {list(x.shape)} doesn't match the broadcast "
                         f"shape {list(shape)}")
    return np.broadcast_to(np.asarray(src), x.shape).astype(x.dtype)
