"""torch.special's orthogonal polynomials of degree n (chebyshev_polynomial_t/u/v/w,
hermite_polynomial_h/he, laguerre_polynomial_l, legendre_polynomial_p), as ATen's Math.h
writes them: the three-term recurrence in the input's float type, run for all elements at
once (each stops at its own n), with its special cases (|x| = 1, n < 0, and cos(n acos x)
for Chebyshev T inside (-1, 1) above degree 6, PyTorch's trigonometric forms for U, V, W
above degree 8). n is the common dtype's value truncated to an integer. Each step's first
product and subtraction is one fused multiply-add, as the compiler contracts ATen's C++."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy import ndarray

from gradcli.ad.kernels import clib
from gradcli.ad.kernels.fused import fma

Step = Callable[[ndarray, ndarray, ndarray, int], ndarray]


def _recur(x: ndarray, n: ndarray, q0: ndarray, step: Step, first: int,
           last: Callable[[int], ndarray]) -> ndarray:
    """q after the recurrence r = step(p, q, x, k) for k = first.. while last(k) holds per
    element (p, q start at 1, q0)."""
    p, q = np.ones_like(x), q0.astype(x.dtype)
    k = first
    while True:
        live = last(k) & ~np.isnan(q)
        if not live.any():
            return q
        r = step(p, q, x, k)
        p, q = np.where(live, q, p), np.where(live, r, q)
        k += 1


def _c(name: str, x: ndarray) -> ndarray:
    """The C library's function on x (its float function for float32), as std:: calls."""
    with np.errstate(all="ignore"):
        return clib.call(name, x, dtype=x.dtype)


def _apply(x: ndarray, n: ndarray, cases: list[tuple[ndarray, Any]], rest: ndarray) -> ndarray:
    """The first case whose mask holds, else rest: a case's value is an array, a number,
    or a function of (x, n) restricted to its mask (evaluated only there)."""
    out = np.array(rest, dtype=x.dtype)
    done = np.zeros(x.shape, bool)
    for mask, value in cases:
        m = np.broadcast_to(mask, x.shape) & ~done
        if callable(value):
            if m.any():
                out[m] = value(x[m], n[m])
        else:
            out[m] = np.broadcast_to(value, x.shape)[m]
        done |= m
    return out


def chebyshev_t(x: ndarray, n: ndarray) -> ndarray:
    t = x.dtype.type
    two_x = x + x
    with np.errstate(all="ignore"):
        rec = _recur(x, n, x, lambda p, q, x_, k: fma(two_x, q, -p), 2,
                     lambda k: k <= n)
    ax = np.abs(x)
    return _apply(x, n, [
        (n < 0, t(0)),
        (ax == 1, np.where((x > 0) | (n % 2 == 0), t(1), t(-1))),
        ((n > 6) & (ax < 1), lambda xs, ns: _c("cos", ns.astype(xs.dtype) * _c("acos", xs))),
        (n == 0, t(1)), (n == 1, x)], rec)


def _cheb_second(x: ndarray, n: ndarray, q0: ndarray, at_one: ndarray,
                 trig: Callable[[ndarray, ndarray], ndarray]) -> ndarray:
    t = x.dtype.type
    two_x = x + x
    with np.errstate(all="ignore"):
        rec = _recur(x, n, q0, lambda p, q, x_, k: fma(two_x, q, -p), 2,
                     lambda k: k <= n)
    return _apply(x, n, [(n < 0, t(0)), (np.abs(x) == 1, at_one),
                         ((n > 8) & (np.abs(x) < 1), trig), (n == 0, t(1)), (n == 1, q0)],
                  rec)


def _u_trig(x: ndarray, n: ndarray) -> ndarray:
    nf = (n + 1).astype(x.dtype)
    with np.errstate(all="ignore"):
        a = _c("acos", x)
        s = _c("sin", a)
        return np.where(s != 0, _c("sin", nf * a) / s, nf * _c("cos", nf * a) / x)


def chebyshev_u(x: ndarray, n: ndarray) -> ndarray:
    nf = (n + 1).astype(x.dtype)
    return _cheb_second(x, n, x + x, np.where((x > 0) | (n % 2 == 0), nf, -nf), _u_trig)


def _odd(n: ndarray, dtype: Any) -> ndarray:
    """±(2n + 1) by n's parity."""
    odd = (n + n + 1).astype(dtype)
    return np.where(n % 2 == 0, odd, -odd)


def _v_trig(x: ndarray, n: ndarray) -> ndarray:
    t = x.dtype.type
    with np.errstate(all="ignore"):
        a = _c("acos", x)
        half = a / t(2)
        return np.where(_c("sin", half) != 1,
                        _c("cos", (n.astype(x.dtype) + t(0.5)) * a) / _c("cos", half),
                        _odd(n, x.dtype))


def chebyshev_v(x: ndarray, n: ndarray) -> ndarray:
    t = x.dtype.type
    return _cheb_second(x, n, x + x - t(1), np.where(x > 0, t(1), _odd(n, x.dtype)), _v_trig)


def _w_at_one(x: ndarray, n: ndarray) -> ndarray:
    t = x.dtype.type
    return np.where(x > 0, (n + n + 1).astype(x.dtype), np.where(n % 2 == 0, t(1), t(-1)))


def _w_trig(x: ndarray, n: ndarray, fallback: Any = None) -> ndarray:
    t = x.dtype.type
    with np.errstate(all="ignore"):
        a = _c("acos", x)
        half = a / t(2)
        return np.where(_c("cos", half) != 1,
                        _c("sin", (n.astype(x.dtype) + t(0.5)) * a) / _c("sin", half),
                        _w_at_one(x, n) if fallback is None else fallback(n, x.dtype))


def chebyshev_w(x: ndarray, n: ndarray) -> ndarray:
    t = x.dtype.type
    return _cheb_second(x, n, x + x + t(1), _w_at_one(x, n), _w_trig)


def _sign(n: ndarray, dtype: Any) -> ndarray:
    """±1 by n's parity."""
    return np.where(n % 2 == 0, dtype.type(1), dtype.type(-1))


def _shifted(x: ndarray, n: ndarray, q0: ndarray, at_one: Any, at_zero: Any, above: int,
             trig: Callable[[ndarray, ndarray], ndarray]) -> ndarray:
    """A shifted Chebyshev polynomial: the unshifted recurrence in y = 2x - 1, with the
    special cases at x = 1 and x = 0, and the trigonometric form in y above `above`."""
    t = x.dtype.type
    y = x + x - t(1)
    two_y = y + y
    with np.errstate(all="ignore"):
        rec = _recur(y, n, q0, lambda p, q, y_, k: fma(two_y, q, -p), 2, lambda k: k <= n)
    return _apply(y, n, [(n < 0, t(0)), (x == 1, at_one), (x == 0, at_zero),
                         ((n > above) & (np.abs(y) < 1), trig), (n == 0, t(1)),
                         (n == 1, q0)], rec)


def shifted_t(x: ndarray, n: ndarray) -> ndarray:
    y = x + x - x.dtype.type(1)
    return _shifted(x, n, y, x.dtype.type(1), _sign(n, x.dtype), 6,
                    lambda ys, ns: _c("cos", ns.astype(ys.dtype) * _c("acos", ys)))


def shifted_u(x: ndarray, n: ndarray) -> ndarray:
    y = x + x - x.dtype.type(1)
    nf = (n + 1).astype(x.dtype)
    return _shifted(x, n, y + y, nf, _sign(n, x.dtype) * nf, 6, _u_trig)


def shifted_v(x: ndarray, n: ndarray) -> ndarray:
    t = x.dtype.type
    y = x + x - t(1)
    return _shifted(x, n, y + y - t(1), t(1), _odd(n, x.dtype), 6, _v_trig)


def shifted_w(x: ndarray, n: ndarray) -> ndarray:
    t = x.dtype.type
    y = x + x - t(1)
    return _shifted(x, n, y + y + t(1), (n + n + 1).astype(x.dtype), _sign(n, x.dtype), 4,
                    lambda ys, ns: _w_trig(ys, ns, _sign))


def spherical_bessel_j0(x: ndarray) -> ndarray:
    """sin(x)/x, by its Taylor polynomial (Horner, fused) where |x| < 1/2; 0 at ±inf."""
    t = x.dtype.type
    xx = x * x
    acc = t(t(1) / t(6227020800.0))
    for c in (-39916800.0, 362880.0, -5040.0, 120.0, -6.0):
        acc = fma(xx, acc, t(t(np.sign(c)) / t(abs(c))))
    taylor = fma(xx, acc, t(1))
    with np.errstate(all="ignore"):
        return _apply(x, np.zeros(x.shape, np.int64), [
            (np.isinf(x), t(0)), (np.abs(x) < t(0.5), taylor)],
            _c("sin", x) / x)


def _hermite_limit(x: ndarray) -> int:
    return 128 if x.dtype == np.float32 else 512


def hermite_h(x: ndarray, n: ndarray) -> ndarray:
    t = x.dtype.type
    two_x = x + x
    steps = np.where(n > 1, n - 1, 0)  # k = 2, 4, ..., 2n - 2
    with np.errstate(all="ignore"):
        rec = _recur(x, n, two_x, lambda p, q, x_, k: fma(two_x, q, -(t(2 * (k - 1)) * p)), 2,
                     lambda k: k - 1 <= steps)
    return _apply(x, n, [(n < 0, t(0)), (n == 0, t(1)), (n == 1, two_x),
                         (n > _hermite_limit(x), t(np.nan))], rec)


def hermite_he(x: ndarray, n: ndarray) -> ndarray:
    t = x.dtype.type
    with np.errstate(all="ignore"):
        rec = _recur(x, n, x, lambda p, q, x_, k: fma(x, q, -(t(k) * p)), 1,
                     lambda k: k < n)
    return _apply(x, n, [(n < 0, t(0)), (n == 0, t(1)), (n == 1, x),
                         (n > _hermite_limit(x), t(np.nan))], rec)


def laguerre_l(x: ndarray, n: ndarray) -> ndarray:
    t = x.dtype.type
    one_minus = t(1) - x
    with np.errstate(all="ignore"):
        rec = _recur(x, n, one_minus,
                     lambda p, q, x_, k: fma(t(k + k) + one_minus, q, -(t(k) * p)) / t(k + 1),
                     1,
                     lambda k: k < n)
    return _apply(x, n, [(n < 0, t(0)), (np.abs(x) == 0, t(1)), (n == 0, t(1)),
                         (n == 1, one_minus)], rec)


def legendre_p(x: ndarray, n: ndarray) -> ndarray:
    t = x.dtype.type
    with np.errstate(all="ignore"):
        rec = _recur(x, n, x,
                     lambda p, q, x_, k: fma(t(k + k + 1) * x, q, -(t(k) * p)) / t(k + 1), 1,
                     lambda k: k < n)
    return _apply(x, n, [(n < 0, t(0)),
                         (np.abs(x) == 1, np.where((x > 0) | (n % 2 == 0), t(1), t(-1))),
                         (n == 0, t(1)), (n == 1, x)], rec)


POLYNOMIALS: dict[str, Callable[[ndarray, ndarray], ndarray]] = {
    "chebyshev_polynomial_t": chebyshev_t, "chebyshev_polynomial_u": chebyshev_u,
    "chebyshev_polynomial_v": chebyshev_v, "chebyshev_polynomial_w": chebyshev_w,
    "hermite_polynomial_h": hermite_h, "hermite_polynomial_he": hermite_he,
    "laguerre_polynomial_l": laguerre_l, "legendre_polynomial_p": legendre_p,
    "shifted_chebyshev_polynomial_t": shifted_t, "shifted_chebyshev_polynomial_u": shifted_u,
    "shifted_chebyshev_polynomial_v": shifted_v, "shifted_chebyshev_polynomial_w": shifted_w,
}
