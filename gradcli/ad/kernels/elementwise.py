"""Elementwise kernels: PyTorch's dtype promotion, binary and unary kernels, comparisons
and logic."""

from __future__ import annotations

import math
import operator
import sys
from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.kernels import (
    powscalar,
    vecpow,  # registers VEC and LIBM atan2, hypot, pow
    vmltrig,
)
from gradcli.ad.kernels import vecmath as VM
from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.half import via_float32
from gradcli.ad.kernels.messages import TorchError, broadcast_message_all, not_implemented
from gradcli.ad.kernels.mkl_path import mkl_avx512
from gradcli.ad.kernels.vml_avx512 import vml_sqrt

ndarray = np.ndarray


def _array_out() -> Any:
    """`out=...` makes a ufunc return a 0-d array instead of a numpy scalar (numpy ≥ 2.3),
    saving the np.asarray that would wrap the scalar again; older numpy: out=None."""
    try:
        np.negative(np.zeros(()), out=...)  # type: ignore[call-overload]
    except TypeError:
        return None
    return ...


ARRAY_OUT = _array_out()


def result_type(a: Any, b: Any) -> np.dtype:
    """PyTorch's result dtype of a binary op on arrays and/or Python numbers."""
    ta = type(a) is ndarray
    tb = type(b) is ndarray
    if ta and tb:
        da = a.dtype
        db = b.dtype
        if da == db:
            return da
    elif ta:
        da = a.dtype
        if da.kind == "f" or (da.kind == "i" and type(b) is int) or type(b) is bool:
            return da
    elif tb:
        db = b.dtype
        if db.kind == "f" or (db.kind == "i" and type(a) is int) or type(a) is bool:
            return db
    dims: list[np.dtype] = []
    zero: list[np.dtype] = []
    scalars: list[object] = []
    for x in (a, b):
        if type(x) is ndarray:
            (dims if x.ndim else zero).append(dtypes.canonical(x.dtype))
        else:
            scalars.append(x)
    return dtypes.promote(dims, zero, scalars)


def _same_type(a: Any, b: Any) -> bool:
    """Whether result_type(a, b) is simply the array operand's dtype (the fast paths of
    result_type): two arrays of one dtype, or an array with a Python number that keeps it."""
    if type(a) is ndarray:
        if type(b) is ndarray:
            return b.dtype == a.dtype
        k = a.dtype.kind
        return k == "f" or (k == "i" and type(b) is int) or type(b) is bool
    if type(b) is ndarray:
        k = b.dtype.kind
        return k == "f" or (k == "i" and type(a) is int) or type(a) is bool
    return False


def _cast(x: Any, dtype: np.dtype) -> Any:
    if type(x) is ndarray:
        return x.astype(dtype) if x.dtype != dtype else x
    if type(x) is int and dtype.kind in "iu" and dtype.itemsize < 8:
        # a Python integer meets a small integer dtype as a C cast: wrapped (300 → 44 in
        # uint8), where numpy refuses it
        return np.asarray(x, dtype=np.int64).astype(dtype)
    return x


def _opmath(x: Any) -> Any:
    """A float16 operand (array or Python number) as float32, PyTorch's opmath type."""
    return x.astype(_F32) if type(x) is ndarray else np.float32(x)


#: The dtypes whose 0-d operands take numpy's scalar arithmetic (see _binary).
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)
_F16 = np.dtype(np.float16)
#: The Python numbers numpy meets as weak scalars (NEP 50: converted to the array's dtype),
#: the constants the scalar paths take; a numpy scalar (np.float64, say) is none: its dtype
#: takes part in numpy's promotion.
WEAK_NUMBERS = frozenset((float, int, bool))


def _binary(ufunc: np.ufunc, scalar_op: Any = None, opmath: bool | None = None):
    def kernel(a: Any, b: Any) -> Any:
        # Fast paths (the common cases of result_type, inlined): same-dtype arrays, and an
        # array with a Python number that does not change its dtype. Per-op overhead is
        # what scalar and small-tensor programs pay (bench W1, W2). A Python integer out of
        # a small integer dtype's range (numpy's OverflowError) takes the general path.
        try:
            if type(a) is ndarray:
                rt = a.dtype
                if type(b) is ndarray:
                    if (bt := b.dtype) is rt or bt == rt:  # (`is`: the usual case, cheaper)
                        if scalar_op is not None and not (a.ndim or b.ndim) and (
                                rt is _F64 or rt is _F32):
                            return scalar_op(a[()], b[()]).__array__()
                        out = ufunc(a, b, out=ARRAY_OUT)
                        return out if type(out) is ndarray and (
                            (ot := out.dtype) is rt or ot == rt) else _fix(out, rt)
                else:
                    k = rt.kind
                    if (k == "f" and (opmath is None or rt is not _F16)) or (
                            k == "i" and type(b) is int) or type(b) is bool:
                        if (scalar_op is not None and not a.ndim and (rt is _F64 or rt is _F32)
                                and type(b) in WEAK_NUMBERS):
                            return scalar_op(a[()], b).__array__()
                        if type(b) is float and (consts := _CONSTS.get(rt)) is not None:
                            b = consts.get(b) or _const(consts, b, rt)
                        out = ufunc(a, b, out=ARRAY_OUT)
                        return out if type(out) is ndarray and out.dtype == rt else _fix(out, rt)
            elif type(b) is ndarray:
                rt = b.dtype
                k = rt.kind
                if (k == "f" and (opmath is None or rt is not _F16)) or (
                        k == "i" and type(a) is int) or type(a) is bool:
                    if (scalar_op is not None and not b.ndim and (rt is _F64 or rt is _F32)
                            and type(a) in WEAK_NUMBERS):
                        return scalar_op(a, b[()]).__array__()
                    if type(a) is float and (consts := _CONSTS.get(rt)) is not None:
                        a = consts.get(a) or _const(consts, a, rt)
                    out = ufunc(a, b, out=ARRAY_OUT)
                    return out if type(out) is ndarray and out.dtype == rt else _fix(out, rt)
        except OverflowError:
            pass
        rt = result_type(a, b)
        if opmath is not None and rt is _F16 and (type(a) is not ndarray or
                                                  type(b) is not ndarray):
            # float16 with a Python number: PyTorch multiplies in float32 (its opmath
            # type, the number as a float32) and rounds once
            return ufunc(_opmath(a), _opmath(b)).astype(_F16)
        return _fix(ufunc(_cast(a, rt), _cast(b, rt)), rt)

    kernel.__name__ = ufunc.__name__
    return kernel


#: Python floats met as operands of float32 / float64 arrays, as 0-d arrays of that dtype:
#: numpy converts such a number to the array's dtype on every call (NEP 50), which costs
#: more than the multiply itself on a 0-d array (bench W1: `y * 0.9999` per step). The
#: same value in the same dtype, so the same bits out (tests/test_fastpath_core.py).
_CONSTS: dict[np.dtype, dict[float, ndarray]] = {np.dtype(np.float32): {},
                                                  np.dtype(np.float64): {}}
_CONSTS_MAX = 256


def _const(consts: dict[float, ndarray], x: float, rt: np.dtype) -> Any:
    """x as a cached 0-d array of rt; x itself where a cached array could differ: zeros
    (0.0 and -0.0 are one dict key), NaN, a value that overflows rt, or a full cache."""
    if x == 0.0 or x != x or len(consts) >= _CONSTS_MAX:
        return x
    with np.errstate(over="ignore"):
        c = np.asarray(x, dtype=rt)
    if not np.isfinite(c):
        return x
    c.flags.writeable = False
    consts[x] = c
    return c


def _fix(out: Any, rt: np.dtype) -> Any:
    if type(out) is ndarray:
        return out if out.dtype == rt else out.astype(rt)
    return np.asarray(out, dtype=rt)


# + - * on 0-d float32/float64 operands (arrays of the dtype, or a Python number) run as
# numpy scalar arithmetic: the same IEEE operation in the same dtype, the Python number
# converted as the ufunc converts it (NEP 50), so the same bits and warnings
# (tests/test_fastpath_scalar.py), at half the cost of a ufunc on 0-d arrays (bench W1).
add = _binary(np.add, operator.add)
_sub = _binary(np.subtract, operator.sub)
mul = _binary(np.multiply, operator.mul, opmath=True)


def spread(a: Any) -> bool:
    """Whether a is one value spread by a read-only broadcast view (every stride 0): the
    cotangent sum's and mean's VJPs hand on in a backward pass that records nothing
    (ops.expand there)."""
    return (type(a) is ndarray and a.size > 1 and not any(a.strides)
            and not a.flags.writeable)


def mul_temporary(g: Any, t: Any) -> Any:
    """mul(g, t) where t is an array the caller just computed and hands over (an array
    VJP's local derivative, as in g · cos(x)). Where g is one value spread to t's shape
    (`spread`) and both are float32 or float64, no new array: t is scaled in place (the
    same products, g's value still the left operand), or left as it is when that value
    is 1 (x · 1 is x, bit for bit: -0., infinities and NaNs included). A guard besides
    the callers' word: t is taken only if nothing else refers to it (CPython's
    reference count: this parameter and getrefcount's argument); else mul."""
    if (type(t) is ndarray and spread(g) and (dt := t.dtype) is g.dtype
            and (dt is _F64 or dt is _F32) and g.shape == t.shape and t.base is None
            and t.flags.writeable and sys.getrefcount(t) <= 2):
        if g.flat[0] != 1:
            np.multiply(g, t, out=t)
        return t
    return mul(g, t)


_maximum = _binary(np.maximum)
_minimum = _binary(np.minimum)


def _zero_ties(out: Any, a: Any, b: Any) -> Any:
    """ATen's maximum and minimum (and clamp to a tensor bound) on two zeros of opposite
    signs: the vector loop (AVX2's _mm256_max_ps / _mm256_min_ps, whose second operand wins
    a tie) gives b's, the scalar loop (std::max / std::min, whose first wins) a's; numpy
    gives b's everywhere. The elements the scalar loop takes (VM._vector_mask: the tail of
    each row past its whole pairs of 8-float or 4-double vectors, or all of a strided or
    small operand) get a's zero back."""
    if not (type(out) is ndarray and out.dtype.kind == "f" and out.size
            and type(a) is ndarray and type(b) is ndarray):
        return out
    with np.errstate(invalid="ignore"):
        ties = (a == 0) & (b == 0) & (np.signbit(a) != np.signbit(b))
    if not ties.any():
        return out
    x = a if a.dtype == out.dtype else a.astype(out.dtype)
    y = b if b.dtype == out.dtype else b.astype(out.dtype)
    vector = VM._vector_mask(x, (y,), out.shape, avx512=False)
    scalar = np.broadcast_to(ties, out.shape) & ~np.asarray(vector, dtype=bool)
    if scalar.any():
        out = np.array(out)
        out[scalar] = np.broadcast_to(x, out.shape)[scalar]
    return out


def maximum(a: Any, b: Any) -> Any:
    """torch.maximum: the larger value (NaN if either is), zeros' signs as ATen's loops."""
    return _zero_ties(_maximum(a, b), a, b)


def minimum(a: Any, b: Any) -> Any:
    """torch.minimum: the smaller value (NaN if either is), zeros' signs as ATen's loops."""
    return _zero_ties(_minimum(a, b), a, b)


_floordiv = _binary(np.floor_divide)
_mod = _binary(np.remainder)

_BOOL = np.dtype(np.bool_)


def _is_bool(x: Any) -> bool:
    return type(x) is bool or (type(x) is ndarray and x.dtype == _BOOL)


def sub(a: Any, b: Any) -> Any:
    """a - b; PyTorch refuses bool operands, a Python bool too (numpy's words would
    differ)."""
    if (type(a) is ndarray and a.dtype == _BOOL) or (type(b) is ndarray and b.dtype == _BOOL) \
            or type(a) is bool or type(b) is bool:
        if _is_bool(a) and _is_bool(b):
            raise TorchError("Subtraction, the `-` operator, with two bool tensors is not "
                             "supported. Use the `^` or `logical_xor()` operator instead.")
        raise TorchError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                         "If you are trying to invert a mask, use the `~` or `logical_not()` "
                         "operator instead.")
    return _sub(a, b)


def _integer_division(kernel: Any, cpu_name: str):
    def checked(a: Any, b: Any) -> Any:
        # Integer division by zero is an error in PyTorch (floats give inf/nan); bools
        # have no floor-division or remainder kernel.
        if _same_type(a, b):
            rt = a.dtype if type(a) is ndarray else b.dtype
        else:
            rt = result_type(a, b)
        if rt.kind != "f":
            if rt == _BOOL:
                raise not_implemented(cpu_name, rt)
            if divides_by_zero(a, b):
                raise TorchError("ZeroDivisionError")
        return kernel(a, b)

    checked.__name__ = kernel.__name__
    return checked


def _remainder(a: Any, b: Any) -> Any:
    """a % b with the divisor's sign; a zero result keeps fmod's sign (a's), as PyTorch's
    kernel (`fmod`, then `+ b` when the signs differ) gives it, where numpy and Python give
    the divisor's: 5. % -2.5 is 0., not -0."""
    out = _mod(a, b)
    if type(out) is ndarray and out.dtype.kind == "f":
        zero = out == 0
        if zero.any():
            out = np.where(zero, np.copysign(0.0, a).astype(out.dtype, copy=False), out)
    elif isinstance(out, (float, np.floating)) and out == 0:
        out = type(out)(np.copysign(0.0, a))
    return out


floordiv = _integer_division(_floordiv, "div_floor_cpu")
mod = _integer_division(_remainder, "remainder_cpu")


def div(a: Any, b: Any) -> Any:
    """True division; integers divide to the default float dtype."""
    # Fast paths (result_type's common cases, as in _binary): a float array with an array
    # of its dtype or with a Python number, either side.
    if type(a) is ndarray:
        rt = a.dtype
        if rt.kind == "f" and rt is not _F16:
            tb = type(b)
            if tb is float or tb is int or (tb is ndarray and b.dtype == rt):
                if not a.ndim and (rt is _F64 or rt is _F32):  # numpy scalars (see mul)
                    if tb is not ndarray:
                        return (a[()] / b).__array__()
                    if not b.ndim:
                        return (a[()] / b[()]).__array__()
                if tb is float and (consts := _CONSTS.get(rt)) is not None:
                    b = consts.get(b) or _const(consts, b, rt)
                out = np.true_divide(a, b, out=ARRAY_OUT)
                return out if type(out) is ndarray and out.dtype == rt else np.asarray(
                    out, dtype=rt)
    elif type(b) is ndarray:
        rt = b.dtype
        ta = type(a)
        if rt.kind == "f" and rt is not _F16 and (ta is float or ta is int):
            if not b.ndim and (rt is _F64 or rt is _F32):
                return (a / b[()]).__array__()
            if ta is float and (consts := _CONSTS.get(rt)) is not None:
                a = consts.get(a) or _const(consts, a, rt)
            out = np.true_divide(a, b, out=ARRAY_OUT)
            return out if type(out) is ndarray and out.dtype == rt else np.asarray(
                out, dtype=rt)
    rt = result_type(a, b)
    if rt.kind not in "fc":
        rt = dtypes.default_dtype()
    elif rt is _F16:  # in float32, PyTorch's opmath type, rounded once
        return np.asarray(np.true_divide(_opmath(_cast(a, rt)), _opmath(_cast(b, rt))),
                          dtype=rt)
    return np.asarray(np.true_divide(_cast(a, rt), _cast(b, rt)), dtype=rt)


def pow(a: Any, b: Any) -> Any:
    """Power with PyTorch's promotion. An integer tensor to a negative Python integer is
    an error; to a negative integer *tensor* exponent PyTorch computes 1/b^|e| in integers
    (1 for base 1, ±1 for base -1, 0 otherwise), where numpy would raise."""
    rt = result_type(a, b)
    if rt.kind in "iub":
        if rt == _BOOL:
            raise not_implemented("pow", rt)
        if type(b) is not ndarray:
            if b < 0:
                raise TorchError("Integers to negative integer powers are not allowed.")
        elif (b < 0).any():
            base = np.asarray(_cast(a, rt))
            e = _cast(b, rt)
            neg = e < 0
            out = np.power(base, np.where(neg, 0, e))
            odd = (e % 2) != 0
            inv = np.where(base == 1, 1, np.where(base == -1, np.where(odd, -1, 1), 0))
            return np.asarray(np.where(neg, inv, out), dtype=rt)
        return np.asarray(np.power(_cast(a, rt), _cast(b, rt)), dtype=rt)
    if type(b) is not ndarray and (rt is _F32 or rt is _F64):
        return np.asarray(_pow_scalar(np.asarray(_cast(a, rt)), b), dtype=rt)
    if rt is _F32 or rt is _F64:
        # cpu_kernel_vec: SLEEF's pow on whole pairs of vectors, std::pow on the tail
        out = VM.kernel_loop(lambda M, x, y: M.pow(x, y), np.asarray(_cast(a, rt), rt),
                             np.asarray(_cast(b, rt), rt))
        # pow(Scalar, Tensor) allocates its output contiguous, not in the walk's order
        # (np.ascontiguousarray would make a 0-d result 1-d: a 0-d one is contiguous)
        return out if type(a) is ndarray or out.flags.c_contiguous else \
            np.ascontiguousarray(out)
    return np.asarray(np.power(_cast(a, rt), _cast(b, rt)), dtype=rt)


def _pow_scalar(a: ndarray, e: Any) -> Any:
    """a ** e for a float tensor and a Python number, as PyTorch's CPU kernel: 0 and 1 as
    fill and copy, 2, 3 and -2 as products (a·a, a·a·a, 1/(a·a)), 0.5, -0.5 and -1 as
    sqrt, 1/sqrt and 1/a, other powers float32: SLEEF's pow with the exponent float32(e)
    on the vector loop's elements and std::pow(float, double) on the tail
    (kernels/powscalar.py); float64: std::pow."""
    one = a.dtype.type(1)
    if e == 0:
        return np.ones_like(a)
    if e == 1:
        return a.copy()
    if e == 2:
        return np.multiply(a, a)
    if e == 3:
        return np.multiply(np.multiply(a, a), a)
    if e == -2:
        return np.divide(one, np.multiply(a, a))
    if e == 0.5:
        return sqrt(a)
    if e == -0.5:  # rsqrt: 1 / the hardware's (correctly rounded) sqrt
        return np.divide(one, np.sqrt(a))
    if e == -1:
        return np.divide(one, a)
    if a.dtype is _F32:
        out = VM.kernel_loop(_pow_float32_loop(float(e)), a)
        if a.ndim > 1 and not a.flags.c_contiguous:
            # the input's memory order, as a ufunc's output (and PyTorch's) has it:
            # later reductions walk it
            laid = np.empty_like(a)
            laid[...] = out
            return laid
        return out
    return np.power(a, e)


def _pow_float32_loop(e: float) -> Any:
    """The f(M, x) of kernel_loop for float32 x ** e (e not one of the special cases)."""
    def f(M: Any, x: ndarray) -> ndarray:
        if M is VM.VEC:
            return powscalar.powf(x, np.float32(e), vecpow.vpow)
        with np.errstate(all="ignore"):
            return np.power(x.astype(_F64), e).astype(_F32)

    return f


def wide(f: Any, x: ndarray) -> Any:
    """The ufunc f of a float32 array as PyTorch's CPU kernels give it: computed in float64
    and rounded once. PyTorch's float32 exp, log, sin, tanh, … (MKL's vector math in its
    high-accuracy mode, SLEEF's u10 functions, glibc) are the correctly rounded value for
    all but 0.1–8% of inputs; numpy's own float32 loops, faster, miss it for 11–40%
    (tests/test_kernel_bits.py measures both). Other dtypes: f itself."""
    if x.dtype is _F32:
        return f(x.astype(_F64), out=ARRAY_OUT).astype(_F32)
    return f(x, out=ARRAY_OUT)


def _float_unary(f: Any, exact: bool = False, float32: Any = None):
    """The kernel of a unary float function: integer and bool inputs become the default
    dtype; float32 goes through `float32` when given (PyTorch's own float32 algorithm),
    else through `wide` unless the function is exact in float32 (sqrt, reciprocal: IEEE
    operations)."""
    def kernel(x: ndarray) -> Any:
        if (dt := x.dtype) is _F32:
            if float32 is not None:
                return float32(x)
            if exact:
                return f(x, out=ARRAY_OUT)
            return f(x.astype(_F64), out=ARRAY_OUT).astype(_F32)
        if dt is not _F64 and dt.kind != "f":
            if dt.kind == "c":  # complex: numpy's own complex function
                return f(x)
            return wide(f, dtypes.as_default_float(x))
        return f(x, out=ARRAY_OUT)

    kernel.__name__ = getattr(f, "__name__", "kernel")
    return kernel


exp = _float_unary(np.exp)
log = _float_unary(np.log)
def _vector_unary(name: str, f: Any, whole: bool = True):
    """The kernel of a unary float function PyTorch computes with Vectorized<T>'s SLEEF
    function (kernels/vecmath.py), float32 and float64 as there, other dtypes as
    _float_unary(f): on every element where `whole` (vec::map loads the last partial
    vector too: expm1, log1p), else as cpu_kernel_vec (the C library on the tail)."""
    other = _float_unary(f)
    vec = getattr(VM.VEC, name)

    def kernel(x: ndarray) -> Any:
        if x.dtype is _F32 or x.dtype is _F64:
            return vec(x) if whole else VM.kernel_loop(lambda M, a: getattr(M, name)(a), x)
        return other(x)

    kernel.__name__ = name
    return kernel


log1p = _vector_unary("log1p", np.log1p)
def _vml_sqrt(x: ndarray, out: Any = None) -> Any:
    """float32 sqrt as PyTorch's CPU kernel (MKL's vsSqrt, kernels/vml_avx512.vml_sqrt);
    float64: numpy's (correctly rounded), but on MKL's AVX-512 path (vdSqrt there)."""
    if x.dtype is _F32 or (x.dtype is _F64 and mkl_avx512()):
        return vml_sqrt(x)
    return np.sqrt(x, out=out)


sqrt = _float_unary(_vml_sqrt, exact=True)
sin = _float_unary(np.sin, float32=vmltrig.sin32)
cos = _float_unary(np.cos, float32=vmltrig.cos32)
tan = _float_unary(np.tan, float32=vmltrig.tan32)
# tanh as PyTorch's (MKL's vdTanh/vsTanh, closed): float32 the correctly rounded value,
# float64 numpy's (kernels/vecmath.vtanh copies SLEEF's tanh, closer to MKL's bits, 0.7%
# of elements differ against numpy's 21%, but its exact FMAs cost ~1000x numpy's tanh on
# small arrays: too slow for every tanh of a program).
tanh = _float_unary(np.tanh)


reciprocal = _float_unary(np.reciprocal, exact=True)


@via_float32
def sigmoid(x: ndarray) -> Any:
    """Logistic function as PyTorch's CPU kernel computes it, 1 / (1 + exp(-x)) in the
    dtype (exp(-x) overflowing to inf gives 0, as there)."""
    if x.dtype.kind != "f":
        x = dtypes.as_default_float(x)
    one = x.dtype.type(1)
    e = vec_exp(x, negate=True)
    return np.divide(one, np.add(one, e, out=ARRAY_OUT), out=ARRAY_OUT)


def vec_exp(x: ndarray, negate: bool = False) -> Any:
    """exp(x) (exp(-x) if negate) as a PyTorch elementwise kernel of Vectorized<T>::exp
    gives it (sigmoid, silu): SLEEF's exp on the elements in whole pairs of vectors, the C
    library's on the rest (vecmath.kernel_loop), which of them by x's layout (a strided x
    takes the scalar loop: negate here, not before, which would make a contiguous copy)."""
    if x.dtype.kind != "f" or x.dtype.itemsize < 4:
        return exp(np.negative(x, out=ARRAY_OUT) if negate else x)
    if negate:
        return VM.kernel_loop(lambda m, a: m.exp(np.negative(a, out=ARRAY_OUT)), x)
    return VM.kernel_loop(lambda m, a: m.exp(a), x)


def neg(x: ndarray) -> Any:
    """-x. Complex: Vectorized<complex>::neg is 0 - x (a zero part comes out +0) on the
    elements the vector loop takes, the scalar loop's -x flips every sign."""
    if x.dtype == dtypes.boolean:
        raise TorchError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
            "to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    if x.dtype.kind == "c" and x.size:
        return VM.kernel_loop(lambda m, a: np.negative(a) if m is VM.LIBM
                              else np.subtract(x.dtype.type(0), a), x)
    return np.negative(x)


def relu(x: ndarray) -> Any:
    """max(x, 0), keeping the dtype: ATen's clamp_min(x, 0), which keeps -0.0 (std::max
    and the vector max return x where x == 0) and NaN."""
    if x.dtype == _BOOL:
        raise TorchError("Boolean inputs not supported for relu")
    return np.maximum(np.zeros((), x.dtype), x)  # (numpy's gives the second of equals)


def abs(x: ndarray) -> Any:
    """|x|."""
    if x.dtype == _BOOL:
        raise not_implemented("abs_cpu", x.dtype)
    if x.dtype.kind == "c" and x.size:
        # std::abs of a complex: a correctly rounded hypot (this glibc's; complex64's in
        # double, then rounded), as Python's math.hypot; numpy's is an ulp off in ~1/3
        hyp = np.frompyfunc(math.hypot, 2, 1)
        return np.asarray(hyp(x.real.astype(np.float64), x.imag.astype(np.float64)),
                          np.float64).astype(x.real.dtype, copy=False)
    return np.abs(x)


def sign(x: ndarray) -> Any:
    """Sign of x (bool stays bool)."""
    if x.dtype.kind != "f":
        return x.copy() if x.dtype == dtypes.boolean else np.sign(x)
    # ATen's (0 < x) - (x < 0): 0 for NaN (numpy's sign keeps the NaN)
    return np.subtract(x > 0, x < 0, dtype=x.dtype)


def floor(x: ndarray) -> Any:
    """Round down."""
    if x.dtype == _BOOL:
        raise not_implemented("floor_vml_cpu", x.dtype)
    return np.floor(x) if x.dtype.kind == "f" else x.copy()


def ceil(x: ndarray) -> Any:
    """Round up."""
    if x.dtype == _BOOL:
        raise not_implemented("ceil_vml_cpu", x.dtype)
    return np.ceil(x) if x.dtype.kind == "f" else x.copy()


def round(x: ndarray, decimals: int = 0) -> Any:
    """Round half to even, as PyTorch does."""
    if x.dtype == _BOOL:
        raise not_implemented("round_vml_cpu", x.dtype)
    return np.round(x, decimals) if x.dtype.kind == "f" else x.copy()


def clamp(x: ndarray, min: Any = None, max: Any = None) -> Any:
    """Clip into [min, max]; either bound may be None."""
    if min is None and max is None:
        raise TorchError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if x.dtype == _BOOL:
        _bool_clamp_check(x, min, max)
    final = None  # the result's dtype, when the bounds are made the dtype's numbers here
    if x.dtype.kind in "biu" and type(min) is not ndarray and type(max) is not ndarray:
        # ATen's clamp meta: both number bounds take part in the promotion (an int tensor
        # clamped to (0, 0.5) is float32), x is cast to it before the bounds apply
        rt = dtypes.promote([x.dtype] if x.ndim else [], [] if x.ndim else [x.dtype],
                            [v for v in (min, max) if v is not None])
        if rt != x.dtype:
            x = x.astype(rt)
        if rt.kind in "iu" and (type(min) is int or type(max) is int):
            min, max = (_int_bound(v, rt) for v in (min, max))
            final = rt
    out = x
    try:  # a number bound keeps x where they are equal (-0.0 and 0.0: ATen's max(min, x),
        # as numpy's, which gives the second of equals); a tensor's the bound (its vector
        # loop's maximum(x, min))
        if min is not None:
            out = _zero_ties(np.asarray(np.maximum(out, min)), out, min) if type(min) is ndarray \
                else np.maximum(min, out)
        if max is not None:
            out = _zero_ties(np.asarray(np.minimum(out, max)), out, max) if type(max) is ndarray \
                else np.minimum(max, out)
    except ValueError:
        bounds = [b for b in (min, max) if b is not None]
        raise TorchError(broadcast_message_all([x, *bounds]) or "clamp: bad shapes") from None
    if out is x:
        out = x.copy()
    if final is not None:
        return out.astype(final, copy=False)
    return out.astype(result_type(x, min if min is not None else max), copy=False)


def divides_by_zero(a: Any, b: Any) -> bool:
    """Whether an integer division's kernel meets a zero divisor: some element of b is
    zero and the broadcast output has elements (an empty one runs no loop)."""
    return not np.all(b) and np.broadcast(a, b).size > 0


def _bool_clamp_check(x: ndarray, lo: Any, hi: Any) -> None:
    """ATen has no bool clamp kernels: a bool tensor clamped to bounds that keep the
    result bool fails (number bounds: clamp_scalar/clamp_min_scalar/clamp_max_scalar;
    two tensor bounds: clamp; one tensor bound is maximum/minimum, which has one)."""
    tensors = [v for v in (lo, hi) if type(v) is ndarray]
    if tensors and len(tensors) < 2:
        return
    # the result stays bool only when every bound is a bool (any other category promotes)
    if not all(v.dtype == _BOOL if type(v) is ndarray else type(v) is bool
               for v in (lo, hi) if v is not None):
        return
    name = "clamp_cpu" if tensors else "clamp_scalar_cpu" if lo is not None and hi is not None \
        else "clamp_min_scalar_cpu" if lo is not None else "clamp_max_scalar_cpu"
    raise not_implemented(name, x.dtype)


_C_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
            "int64": "int64_t"}


def _int_bound(v: Any, dt: np.dtype) -> Any:
    """A Python int bound as c10::checked_convert gives it to an integer kernel: within
    the dtype's range, or for an unsigned one down to -max (wrapped: uint8's -1 is 255);
    else PyTorch's overflow error."""
    if type(v) is not int:
        return v
    info = np.iinfo(dt)
    if v > info.max or v < (-int(info.max) if info.min == 0 else info.min):
        raise TorchError(f"value cannot be converted to type {_C_NAMES.get(dt.name, dt.name)} "
                         "without overflow")
    return dt.type(v % (int(info.max) + 1)) if v < 0 and info.min == 0 else dt.type(v)


def checked_int(v: int, dt: np.dtype) -> Any:
    """A Python int given to an integer tensor's fill (fill_, full, masked_fill, where,
    index_fill): c10::checked_convert's range, an unsigned dtype's negatives wrapped."""
    return _int_bound(v, dt)


def where(cond: ndarray, a: Any, b: Any) -> Any:
    """Elementwise select."""
    if _same_type(a, b):
        rt = a.dtype if type(a) is ndarray else b.dtype
        if rt.kind in "iu" and (type(a) is int or type(b) is int):
            a, b = (_int_bound(v, rt) if type(v) is int else v for v in (a, b))
        return np.where(cond, a, b).astype(rt, copy=False)
    rt = result_type(a, b)
    if rt.kind in "iu":  # a number operand: checked_convert's range (uint8's 300 fails)
        a, b = (_int_bound(v, rt) if type(v) is int else v for v in (a, b))
    return np.where(cond, _cast(a, rt), _cast(b, rt)).astype(rt, copy=False)


def to_dtype(x: ndarray, dtype: np.dtype) -> Any:
    """Convert to another dtype (always a copy; complex to real keeps the real part, as
    PyTorch's, which warns; complex to bool is True where either part is nonzero)."""
    if x.dtype.kind == "c" and np.dtype(dtype).kind != "c":
        if np.dtype(dtype).kind == "b":
            return x != 0
        return x.real.astype(dtype)
    return x.astype(dtype)


def clone(x: ndarray) -> Any:
    """A copy."""
    return x.copy()


def fill(x: ndarray, value: Any) -> Any:
    """A tensor like x, full of value (a Python int range-checked as PyTorch's fill_)."""
    if type(value) is int and x.dtype.kind in "iu":
        value = _int_bound(value, x.dtype)
    return np.full_like(x, value)


# -- comparisons and logic (never differentiable) -------------------------------------

def _compare(ufunc: np.ufunc):
    def kernel(a: Any, b: Any) -> Any:
        if _same_type(a, b):  # result_type would change nothing: skip it and the casts
            out = ufunc(a, b, out=ARRAY_OUT)
            return out if type(out) is ndarray else np.asarray(out)
        rt = result_type(a, b)
        return np.asarray(ufunc(_cast(a, rt), _cast(b, rt)))

    kernel.__name__ = ufunc.__name__
    return kernel


lt = _compare(np.less)
le = _compare(np.less_equal)
gt = _compare(np.greater)
ge = _compare(np.greater_equal)
eq = _compare(np.equal)
ne = _compare(np.not_equal)


def logical_and(a: Any, b: Any) -> Any:
    """Elementwise and (on bools: &)."""
    return np.logical_and(a, b)


def logical_or(a: Any, b: Any) -> Any:
    """Elementwise or."""
    return np.logical_or(a, b)


def logical_not(a: Any) -> Any:
    """Elementwise not."""
    return np.logical_not(a)


def isnan(x: ndarray) -> Any:
    """Elementwise isnan."""
    return np.isnan(x)


def isfinite(x: ndarray) -> Any:
    """Elementwise isfinite."""
    return np.isfinite(x)


# -- numpy scalars: the kernels of the scalar VJPs (Rule.with_scalar_vjp) ------------------
# A ufunc called on a numpy scalar runs the inner loop it runs on a 0-d array (the same
# bits, tests/test_fastpath_scalar.py) and returns a scalar, at half the cost.

def scalar_sin(x: Any) -> Any:
    """sin of a numpy float32/float64 scalar, as `sin` gives it for a 0-d array."""
    if type(x) is np.float32:
        return vmltrig.scalar(float(x), 0.0, np.sin, x)
    return np.sin(x)


def scalar_tanh_backward(g: Any, o: Any) -> Any:
    """k_tanh_backward on numpy scalars: g · (1 - o²), 1 - o² fused."""
    if type(o) is np.float32:
        return g * np.float32(1.0 - np.float64(o) * np.float64(o))
    if type(o) is np.float64:
        return g * fma(-o, o, 1.0)[()]
    return g * (1 - o * o)


def scalar_cos(x: Any) -> Any:
    """cos of a numpy float32/float64 scalar, as `cos` gives it for a 0-d array."""
    if type(x) is np.float32:
        return vmltrig.scalar(float(x), 0.5, np.cos, x)
    return np.cos(x)
