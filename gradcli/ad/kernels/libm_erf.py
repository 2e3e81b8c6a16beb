"""The C library's double erf and erfc (glibc up to 2.40: Sun's fdlibm algorithm) on whole
arrays: the same IEEE double operations in the same order, so the same bits as `math.erf`
and `math.erfc` (which call the C library's) on every double -- tests/test_r16_vml.py
sweeps them. The polynomials' coefficients are fdlibm's.

Four intervals of |x|: below 0.84375 x + x·P(x²)/Q(x²); below 1.25 a rational function
of |x| - 1 about erf(1); below 6 (erf) or 28 (erfc) e^(-z² - 0.5625)·e^((z - x)(z + x)
+ R(1/x²)/S(1/x²))/x with z = x's leading 32 bits (exact squares), R/S from one of two
fits (split at 1/0.35); beyond, the limits. The exponentials are numpy's double exp,
which is the C library's exp on this platform (the module checks it once and otherwise
leaves the arrays to the C library, element by element).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

ndarray = np.ndarray

_ERX = 8.45062911510467529297e-01
_EFX = 1.28379167095512586316e-01
_PP = (1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02,
       -5.77027029648944159157e-03, -2.37630166566501626084e-05)
_QQ = (1.0, 3.97917223959155352819e-01, 6.50222499887672944485e-02,
       5.08130628187576562776e-03, 1.32494738004321644526e-04, -3.96022827877536812320e-06)
_PA = (-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01,
       3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02,
       -2.16637559486879084300e-03)
_QA = (1.0, 1.06420880400844228286e-01, 5.40397917702171048937e-01,
       7.18286544141962662868e-02, 1.26171219808761642112e-01, 1.36370839120290507362e-02,
       1.19844998467991074170e-02)
_RA = (-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01,
       -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02,
       -8.12874355063065934246e+01, -9.81432934416914548592e+00)
_SA = (1.0, 1.96512716674392571292e+01, 1.37657754143519042600e+02,
       4.34565877475229228821e+02, 6.45387271733267880336e+02, 4.29008140027567833386e+02,
       1.08635005541779435134e+02, 6.57024977031928170135e+00, -6.04244152148580987438e-02)
_RB = (-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01,
       -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03,
       -4.83519191608651397019e+02)
_SB = (1.0, 3.03380607434824582924e+01, 3.25792512996573918826e+02,
       1.53672958608443695994e+03, 3.19985821950859553908e+03, 2.55305040643316442583e+03,
       4.74528541206955367215e+02, -2.24409524465858183362e+01)


def _even_sum(c: tuple[float, ...], s: ndarray) -> ndarray:
    """fdlibm's (glibc's) split evaluation of c0 + c1·s + c2·s² + ...: (c0 + c1·s)
    + s²·(c2 + c3·s) + s⁴·(c4 + c5·s) + s⁶·(...) + s⁸·c8, summed left to right."""
    s2 = s * s
    s4 = s2 * s2
    powers = (s2, s4, s4 * s2 if len(c) > 6 else None, s4 * s4 if len(c) > 8 else None)
    acc = s * c[1]
    acc += c[0]
    for k in range(2, len(c), 2):
        if k + 1 < len(c):
            term = s * c[k + 1]
            term += c[k]
            term *= powers[k // 2 - 1]
        else:
            term = powers[k // 2 - 1] * c[k]
        acc += term
    return acc


def _small(x: ndarray) -> ndarray:
    """y with erf(x) = x + x·y for |x| < 0.84375."""
    z = x * x
    return _even_sum(_PP, z) / _even_sum(_QQ, z)


def _middle(x: ndarray) -> ndarray:
    """P/Q with erf(|x|) = erx + P/Q for 0.84375 <= |x| < 1.25."""
    s = np.abs(x) - 1.0
    return _even_sum(_PA, s) / _even_sum(_QA, s)


def _tail(x: ndarray, split: int) -> ndarray:
    """r/|x| = erfc(|x|) for 1.25 <= |x| (below 28); the second fit from `split` on."""
    a = np.abs(x)
    s = 1.0 / (a * a)
    rq = np.empty(a.shape)
    near, far = _groups(_hi(a), (split,))
    for idx, r, q in ((near, _RA, _SA), (far, _RB, _SB)):
        _at(rq, idx, s, lambda v, r=r, q=q: _even_sum(r, v) / _even_sum(q, v))
    z = (a.view(np.uint64) & np.uint64(0xFFFFFFFF00000000)).view(np.float64)
    return np.exp(-z * z - 0.5625) * np.exp((z - a) * (z + a) + rq) / a


def _hi(x: ndarray) -> ndarray:
    """The high 32 bits of |x| (fdlibm's ix)."""
    return (x.view(np.uint64) >> np.uint64(32)).astype(np.int64) & 0x7FFFFFFF


def _groups(ix: ndarray, bounds: tuple[int, ...]) -> list[ndarray]:
    """The positions of ix below bounds[0], in [bounds[0], bounds[1]), ..., and from
    the last bound on: fdlibm's branches, as flat indices (taking and putting by index
    costs a tenth of boolean masks on mixed data)."""
    group = np.searchsorted(np.array(bounds, np.int64), ix.reshape(-1), side="right")
    group = group.astype(np.int8)
    return [np.flatnonzero(group == k) for k in range(len(bounds) + 1)]


def _at(out: ndarray, idx: ndarray, x: ndarray, f: Any) -> None:
    """out.flat[idx] = f(x.flat[idx]) (the whole array at once where idx is all of it)."""
    if idx.size == x.size:
        out[...] = f(x)
    elif idx.size:
        out.reshape(-1)[idx] = f(x.reshape(-1).take(idx))


def erf(x: ndarray) -> ndarray:
    """The C library's erf of an array, in double."""
    return _dispatch(vector_erf, math.erf, x)


def erfc(x: ndarray) -> ndarray:
    """The C library's erfc of an array, in double."""
    return _dispatch(vector_erfc, math.erfc, x)


#: Below this many elements math's function element by element costs less; above, blocks
#: of BLOCK elements keep the temporaries in cache (half the time of whole arrays).
SMALL, BLOCK = 4096, 65536


def _dispatch(vector: Any, scalar: Any, x: ndarray) -> ndarray:
    x = np.asarray(x, np.float64)
    if x.size < SMALL or not available():
        flat = [scalar(v) for v in x.reshape(-1).tolist()]
        return np.array(flat, np.float64).reshape(x.shape)
    flat = np.ascontiguousarray(x).reshape(-1)
    out = np.empty(flat.shape)
    for i in range(0, flat.size, BLOCK):
        out[i:i + BLOCK] = vector(flat[i:i + BLOCK])
    return out.reshape(x.shape)


def vector_erf(x: ndarray) -> ndarray:
    """glibc's erf of a float64 array, on the whole array."""
    x = np.ascontiguousarray(x, np.float64)
    out = np.empty(x.shape)
    tiny, small, x_, mid, far, one, odd = _groups(
        _hi(x), (0x00800000, 0x3E300000, 0x3FEB0000, 0x3FF40000, 0x40180000, 0x7FF00000))
    with np.errstate(all="ignore"):
        _at(out, tiny, x, lambda v: 0.0625 * (16.0 * v + (16.0 * _EFX) * v))
        _at(out, small, x, lambda v: v + _EFX * v)
        _at(out, x_, x, lambda v: v + v * _small(v))
        # the negative branches' -erx - P/Q and r/x - 1 are the positive ones negated
        _at(out, mid, x, lambda v: np.copysign(_ERX + _middle(v), v))
        _at(out, far, x, lambda v: np.copysign(1.0 - _tail(v, 0x4006DB6E), v))
        _at(out, one, x, lambda v: np.copysign(np.ones_like(v), v))
        _at(out, odd, x, lambda v: np.copysign(np.ones_like(v), v) + 1.0 / v)
    return out


def vector_erfc(x: ndarray) -> ndarray:
    """glibc's erfc of a float64 array, on the whole array."""
    x = np.ascontiguousarray(x, np.float64)
    out = np.empty(x.shape)
    tiny, quarter, x_, mid, far, limit, odd = _groups(
        _hi(x), (0x3C700000, 0x3FD00000, 0x3FEB0000, 0x3FF40000, 0x403C0000, 0x7FF00000))
    with np.errstate(all="ignore"):
        _at(out, tiny, x, lambda v: 1.0 - v)
        _at(out, quarter, x, lambda v: 1.0 - (v + v * _small(v)))
        # from 1/4 on: 1/2 - (x·y + (x - 1/2)), but 1 - erf(x) for the negative ones
        _at(out, x_, x, lambda v: _signed(v, _small(v), lambda y: 1.0 - (v + v * y),
                                          lambda y: 0.5 - (v * y + (v - 0.5))))
        _at(out, mid, x, lambda v: _signed(v, _middle(v), lambda m: 1.0 + (_ERX + m),
                                           lambda m: (1.0 - _ERX) - m))
        _at(out, far, x, lambda v: _signed(v, _tail(v, 0x4006DB6D),
                                           lambda t: np.where(v <= -6.0, 2.0, 2.0 - t),
                                           lambda t: t))
        _at(out, limit, x, lambda v: np.where(np.signbit(v), 2.0, 0.0))
        _at(out, odd, x, lambda v: np.where(np.signbit(v), 2.0, 0.0) + 1.0 / v)
    return out


def _signed(x: ndarray, part: ndarray, neg: Any, pos: Any) -> ndarray:
    """neg(part) where x is negative, else pos(part)."""
    return np.where(np.signbit(x), neg(part), pos(part))


@functools.cache
def available() -> bool:
    """Whether the arrays' results are the C library's here: numpy's double exp the C
    library's (a probe of values on which exp implementations differ) and erf/erfc of a
    probe the same bits as math's."""
    rng = np.random.default_rng(12)
    probe = np.concatenate([rng.uniform(-7, 7, 64), rng.uniform(-30, 30, 16),
                            [0.0, -0.0, 1e-300, 0.3, 0.9, 1.3, 2.9, -2.9, 5.99, 27.9]])
    mine = np.concatenate([vector_erf(probe), vector_erfc(probe)])
    theirs = np.array([math.erf(v) for v in probe] + [math.erfc(v) for v in probe])
    return bool(np.array_equal(mine.view(np.uint64), theirs.view(np.uint64)))
