"""The C library's math, as PyTorch's scalar loops call it: for float32, the float
functions (expf, log1pf, powf, ...), whose results are not always the double ones rounded;
for float64, the double ones (Python's math module is the same C library). Loaded with
ctypes from the platform's libm; where a float function cannot be loaded, the double one
rounded to float stands in. Element by element, except logf and expf: glibc's algorithms
(Arm's optimized routines, glibc 2.28 on) written out on whole arrays, the same bits on
every float (tests/test_clib_vector.py sweeps them against the C library's); and the
double erf and erfc (kernels/libm_erf.py)."""

from __future__ import annotations

import ctypes
import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad.kernels import libm_erf

ndarray = np.ndarray
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)


@functools.cache
def _libm() -> Any:
    import ctypes.util  # here: it imports shutil, subprocess, tempfile, ... (~9 ms)

    try:
        return ctypes.CDLL(ctypes.util.find_library("m"))
    except (OSError, TypeError):
        return None


@functools.cache
def float_function(name: str, nargs: int = 1) -> Callable[..., float] | None:
    """The C library's float function `name` + "f" (expf for "exp"), or None."""
    return _c_function(name + "f", nargs, ctypes.c_float)


@functools.cache
def double_function(name: str, nargs: int = 1) -> Callable[..., float] | None:
    """The C library's double function `name`, or None. Python's math module calls the
    same one but raises where C returns a pole's infinity (pow(0, -3), log1p(-1))."""
    return _c_function(name, nargs, ctypes.c_double)


def _c_function(symbol: str, nargs: int, ctype: Any) -> Callable[..., float] | None:
    lib = _libm()
    fn = getattr(lib, symbol, None) if lib is not None else None
    if fn is None:
        return None
    fn.restype = ctype
    fn.argtypes = [ctype] * nargs
    return fn


def call(name: str, *arrays: Any, dtype: Any) -> ndarray:
    """The C function `name` elementwise over arrays broadcast together, in `dtype`
    (float32: the float function; float64: the double one). Overflow gives inf and a
    domain error nan, as C's functions do."""
    nargs = len(arrays)
    if nargs == 1 and np.dtype(dtype) == _F32 and (vec := _VECTOR.get(name)) is not None \
            and float_function(name) is not None and _glibc_routines():
        x = np.asarray(arrays[0])
        if x.size <= _SCALAR_MAX:  # the C call itself: ~20 numpy calls cost more
            return call_scalar(name, x, dtype=_F32)
        flat = np.ascontiguousarray(x, _F32).reshape(-1)
        out = vec(flat)
        odd = _exceptions(name, flat)
        if odd.any():
            out[odd] = call_scalar(name, flat[odd], dtype=_F32)
        return out.reshape(x.shape)
    if nargs == 1 and np.dtype(dtype) == _F64 and name in _VECTOR64:
        return getattr(libm_erf, name)(arrays[0])
    return call_scalar(name, *arrays, dtype=dtype)


#: The double functions written out on whole arrays (kernels/libm_erf.py).
_VECTOR64 = frozenset({"erf", "erfc"})


#: The math module's functions that are Python's own algorithms, not the C library's
#: (their last bits differ): float64 calls the C library's through ctypes.
_OWN_ALGORITHMS = frozenset({"hypot", "lgamma"})


def call_scalar(name: str, *arrays: Any, dtype: Any) -> ndarray:
    """call() element by element through the C library. For float64, Python's math
    functions (the same C library's, called faster than through ctypes) but for
    _OWN_ALGORITHMS, and except where they raise: C's own result there (a pole's
    infinity: pow(0, -3), log1p(-1); nan for a domain error)."""
    nargs = len(arrays)
    if np.dtype(dtype) == _F32:
        fn = float_function(name, nargs)
    else:
        fn = double_function(name, nargs) if name in _OWN_ALGORITHMS else None
    if fn is None:
        fn = getattr(math, name)
    parts = np.broadcast_arrays(*(np.asarray(a, np.float64) for a in arrays))
    out = np.empty(parts[0].size, np.float64)
    for i, args in enumerate(zip(*(p.reshape(-1).tolist() for p in parts), strict=True)):
        try:
            out[i] = fn(*args)
        except (OverflowError, ValueError) as e:
            c = double_function(name, nargs)
            out[i] = c(*args) if c is not None else (
                math.inf if isinstance(e, OverflowError) else math.nan)
    return out.astype(dtype).reshape(parts[0].shape)


# -- glibc's logf and expf on whole arrays --------------------------------------------------
#
# glibc (2.28 on) computes them in double from a table: logf from 16 subintervals of the
# mantissa (1/c and log c), log1p(z/c - 1) by a cubic; expf as 2^(k/32) · e^r with a table of
# 2^(i/32) and a cubic. Each step below is one IEEE double operation, as the C code's (its
# FMA build contracts none of them where it matters: a sweep of all 2^32 floats found its
# results equal but for the two expf arguments in _EXPF_FMA, which are left to the C call).

_LOGF_INVC = np.array([float.fromhex(h) for h in (
    "0x1.661ec79f8f3bep+0", "0x1.571ed4aaf883dp+0", "0x1.49539f0f010bp+0",
    "0x1.3c995b0b80385p+0", "0x1.30d190c8864a5p+0", "0x1.25e227b0b8eap+0",
    "0x1.1bb4a4a1a343fp+0", "0x1.12358f08ae5bap+0", "0x1.0953f419900a7p+0", "0x1p+0",
    "0x1.e608cfd9a47acp-1", "0x1.ca4b31f026aap-1", "0x1.b2036576afce6p-1",
    "0x1.9c2d163a1aa2dp-1", "0x1.886e6037841edp-1", "0x1.767dcf5534862p-1")])
_LOGF_LOGC = np.array([float.fromhex(h) for h in (
    "-0x1.57bf7808caadep-2", "-0x1.2bef0a7c06ddbp-2", "-0x1.01eae7f513a67p-2",
    "-0x1.b31d8a68224e9p-3", "-0x1.6574f0ac07758p-3", "-0x1.1aa2bc79c81p-3",
    "-0x1.a4e76ce8c0e5ep-4", "-0x1.1973c5a611cccp-4", "-0x1.252f438e10c1ep-5", "0x0p+0",
    "0x1.aa5aa5df25984p-5", "0x1.c5e53aa362eb4p-4", "0x1.526e57720db08p-3",
    "0x1.bc2860d22477p-3", "0x1.1058bc8a07ee1p-2", "0x1.4043057b6ee09p-2")])
_LOGF_LN2 = float.fromhex("0x1.62e42fefa39efp-1")
_LOGF_A = tuple(float.fromhex(h) for h in (
    "-0x1.00ea348b88334p-2", "0x1.5575b0be00b6ap-2", "-0x1.ffffef20a4123p-2"))
_EXPF_TABLE = np.array([
    0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
    0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
    0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
    0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
    0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
    0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
    0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
    0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540],
    np.uint64)
_EXPF_INVLN2N = float.fromhex("0x1.71547652b82fep+0") * 32
_EXPF_SHIFT = float.fromhex("0x1.8p+52")
_EXPF_C = (float.fromhex("0x1.c6af84b912394p-5") / 32 ** 3,
           float.fromhex("0x1.ebfce50fac4f3p-3") / 32 ** 2,
           float.fromhex("0x1.62e42ff0c52d6p-1") / 32)
_EXPF_FMA = np.array([0x4202422F, 0xC27C65D9], np.uint32)  # FMA and plain builds differ
_SCALAR_MAX = 32  # float32 arrays up to this size call logf/expf element by element


def logf(x: ndarray) -> ndarray:
    """glibc's logf on a contiguous float32 array (special values too)."""
    with np.errstate(all="ignore"):
        ix = x.view(np.uint32)
        sub = ix < 0x00800000
        if sub.any():
            scaled = (x * np.float32(2.0 ** 23)).view(np.uint32) - np.uint32(23 << 23)
            ix = np.where(sub, scaled, ix)
        tmp = ix - np.uint32(0x3F330000)
        i = (tmp >> 19) & 15
        k = tmp.view(np.int32) >> 23
        z = (ix - (tmp & np.uint32(0xFF800000))).view(_F32).astype(np.float64)
        r = z * _LOGF_INVC[i] - 1.0
        y0 = _LOGF_LOGC[i] + k * _LOGF_LN2
        r2 = r * r
        y = _LOGF_A[1] * r + _LOGF_A[2]
        y = _LOGF_A[0] * r2 + y
        out = (y * r2 + (y0 + r)).astype(_F32)
        bits = x.view(np.uint32)
        bad = bits >= 0x7F800000  # inf, NaN and the negatives
        if bad.any():
            xb = x[bad]
            out[bad] = np.where(xb == np.inf, xb, (xb - xb) / (xb - xb))
        out[bits == 0x3F800000] = 0
        out[(bits & np.uint32(0x7FFFFFFF)) == 0] = -np.inf
    return out


def expf(x: ndarray) -> ndarray:
    """glibc's expf on a contiguous float32 array (special values too)."""
    with np.errstate(all="ignore"):
        z = _EXPF_INVLN2N * x.astype(np.float64)
        kd = z + _EXPF_SHIFT
        ki = kd.view(np.uint64)
        kd = kd - _EXPF_SHIFT
        r = z - kd
        s = (_EXPF_TABLE[ki & np.uint64(31)] + (ki << np.uint64(47))).view(np.float64)
        y = (_EXPF_C[0] * r + _EXPF_C[1]) * (r * r) + (_EXPF_C[2] * r + 1.0)
        out = (y * s).astype(_F32)
        out[x > np.float32(float.fromhex("0x1.62e42ep6"))] = np.inf
        out[x < np.float32(float.fromhex("-0x1.9fe368p6"))] = 0
        odd = ~np.isfinite(x)
        if odd.any():
            xo = x[odd]
            out[odd] = np.where(xo == -np.inf, np.float32(0), xo + xo)
    return out


_VECTOR = {"log": logf, "exp": expf}


def _exceptions(name: str, x: ndarray) -> ndarray:
    """Elements the array version leaves to the C call (two compares: np.isin costs
    ~15 numpy calls)."""
    if name == "exp":
        bits = x.view(np.uint32)
        return (bits == _EXPF_FMA[0]) | (bits == _EXPF_FMA[1])
    return np.zeros(x.shape, bool)


@functools.cache
def _glibc_routines() -> bool:
    """Whether this C library's logf and expf are glibc's table-driven ones: a probe of
    values whose bits tell them apart from other libraries' (and from a correctly
    rounded one)."""
    probe = np.array([0.1, 1.5, 3.0e-5, 7.7, 88.5, 1e-40, 123456.7, 0.999999, -87.0, 42.42],
                     _F32)
    probe = np.concatenate([probe, np.abs(probe)])
    for name, vec in _VECTOR.items():
        if not np.array_equal(vec(probe).view(np.uint32),
                              call_scalar(name, probe, dtype=_F32).view(np.uint32)):
            return False
    return True
