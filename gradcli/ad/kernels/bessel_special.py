"""torch.special's modified Bessel functions as ATen's Math.h writes them for the
special_ namespace (modified_bessel_i0/i1/k0/k1, scaled_modified_bessel_k0/k1): Cephes'
Chebyshev expansions in the input's float type (Clenshaw's step fused, as the compiler
contracts it), exp/log/sqrt from the C library. These differ from torch.i0's calc_i0
in the order of their last operations, so they have their own kernels."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy import ndarray

from gradcli.ad.kernels import clib
from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.special import _I0E_A, _I0E_B, _I1E_A, _I1E_B

_K0_A = (1.37446543561352307156e-16, 4.25981614279661018399e-14, 1.03496952576338420167e-11,
         1.90451637722020886025e-09, 2.53479107902614945675e-07, 2.28621210311945178607e-05,
         1.26461541144692592338e-03, 3.59799365153615016266e-02, 3.44289899924628486886e-01,
         -5.35327393233902768720e-01)
_K0_B = (5.30043377268626276149e-18, -1.64758043015242134646e-17, 5.21039150503902756861e-17,
         -1.67823109680541210385e-16, 5.51205597852431940784e-16, -1.84859337734377901440e-15,
         6.34007647740507060557e-15, -2.22751332699166985548e-14, 8.03289077536357521100e-14,
         -2.98009692317273043925e-13, 1.14034058820847496303e-12, -4.51459788337394416547e-12,
         1.85594911495471785253e-11, -7.95748924447710747776e-11, 3.57739728140030116597e-10,
         -1.69753450938905987466e-09, 8.57403401741422608519e-09, -4.66048989768794782956e-08,
         2.76681363944501510342e-07, -1.83175552271911948767e-06, 1.39498137188764993662e-05,
         -1.28495495816278026384e-04, 1.56988388573005337491e-03, -3.14481013119645005427e-02,
         2.44030308206595545468e+00)
_K1_A = (-7.02386347938628759343e-18, -2.42744985051936593393e-15, -6.66690169419932900609e-13,
         -1.41148839263352776110e-10, -2.21338763073472585583e-08, -2.43340614156596823496e-06,
         -1.73028895751305206302e-04, -6.97572385963986435018e-03, -1.22611180822657148235e-01,
         -3.53155960776544875667e-01, 1.52530022733894777053e+00)
_K1_B = (-5.75674448366501715755e-18, 1.79405087314755922667e-17, -5.68946255844285935196e-17,
         1.83809354436663880070e-16, -6.05704724837331885336e-16, 2.03870316562433424052e-15,
         -7.01983709041831346144e-15, 2.47715442448130437068e-14, -8.97670518232499435011e-14,
         3.34841966607842919884e-13, -1.28917396095102890680e-12, 5.13963967348173025100e-12,
         -2.12996783842756842877e-11, 9.21831518760500529508e-11, -4.19035475934189648750e-10,
         2.01504975519703286596e-09, -1.03457624656780970260e-08, 5.74108412545004946722e-08,
         -3.50196060308781257119e-07, 2.40648494783721712015e-06, -1.93619797416608296024e-05,
         1.95215518471351631108e-04, -2.85781685962277938680e-03, 1.03923736576817238437e-01,
         2.72062619048444266945e+00)


def _c(name: str, x: ndarray) -> ndarray:
    with np.errstate(all="ignore"):
        return clib.call(name, x, dtype=x.dtype)


def _clenshaw(y: ndarray, coefficients: tuple[float, ...]) -> tuple[ndarray, ndarray]:
    """Math.h's loop a = y·q - p + A[i] (y·q - p fused): (a, p) after it."""
    t = y.dtype.type
    p, q, a = np.zeros_like(y), np.zeros_like(y), np.full_like(y, t(coefficients[0]))
    for c in coefficients[1:]:
        p, q = q, a
        a = fma(y, q, -p) + t(c)
    return a, p


def _half_diff(y: ndarray, coefficients: tuple[float, ...]) -> ndarray:
    a, p = _clenshaw(y, coefficients)
    return y.dtype.type(0.5) * (a - p)


def i0(x: ndarray) -> ndarray:
    t = x.dtype.type
    ax = np.abs(x)
    with np.errstate(all="ignore"):
        e = _c("exp", ax)
        near = e * _half_diff(ax / t(2) - t(2), _I0E_A)
        far = e * _half_diff(t(32) / ax - t(2), _I0E_B) / _c("sqrt", ax)
    return np.where(ax <= 8, near, far).astype(x.dtype)


def i1(x: ndarray) -> ndarray:
    t = x.dtype.type
    ax = np.abs(x)
    with np.errstate(all="ignore"):
        e = _c("exp", ax)
        near = _half_diff(ax / t(2) - t(2), _I1E_A) * ax * e
        far = e * _half_diff(t(32) / ax - t(2), _I1E_B) / _c("sqrt", ax)
        out = np.where(ax <= 8, near, far)
    return np.where(x < 0, -out, out).astype(x.dtype)


def _k(x: ndarray, near: Callable[[ndarray], ndarray], b: tuple[float, ...],
       scaled: bool) -> ndarray:
    t = x.dtype.type
    with np.errstate(all="ignore"):
        far = _half_diff(t(8) / x - t(2), b)
        far = far / _c("sqrt", x) if scaled else _c("exp", -x) * far / _c("sqrt", x)
        out = np.where(x <= 2, near(x), far)
    out = np.where(x < 0, t(np.nan), out)
    return np.where(x == 0, t(np.inf), out).astype(x.dtype)


def _x2_minus_2(x: ndarray) -> ndarray:
    """x·x - 2, fused (the compiler contracts it)."""
    return fma(x, x, np.full_like(x, -2))


def _k0_near(x: ndarray, scaled: bool) -> ndarray:
    t = x.dtype.type
    with np.errstate(all="ignore"):
        a, p = _clenshaw(_x2_minus_2(x), _K0_A)
        if scaled:
            v = fma(-_c("log", t(0.5) * x), i0(x), t(0.5) * (a - p))
            return v * _c("exp", x)
        # std::log(0.5 * x): a double 0.5, so the log and its product are double's
        d = x.astype(np.float64)
        first = (t(0.5) * (a - p)).astype(np.float64)
        return fma(-clib.call("log", 0.5 * d, dtype=np.float64), i0(x).astype(np.float64),
                   first).astype(x.dtype)


def _k1_near(x: ndarray, scaled: bool) -> ndarray:
    t = x.dtype.type
    with np.errstate(all="ignore"):
        a, p = _clenshaw(_x2_minus_2(x), _K1_A)
        v = fma(_c("log", t(0.5) * x), i1(x), t(0.5) * (a - p) / x)
        return v * _c("exp", x) if scaled else v


def k0(x: ndarray) -> ndarray:
    return _k(x, lambda v: _k0_near(v, False), _K0_B, False)


def k1(x: ndarray) -> ndarray:
    return _k(x, lambda v: _k1_near(v, False), _K1_B, False)


def k0e(x: ndarray) -> ndarray:
    return _k(x, lambda v: _k0_near(v, True), _K0_B, True)


def k1e(x: ndarray) -> ndarray:
    return _k(x, lambda v: _k1_near(v, True), _K1_B, True)


BESSEL: dict[str, Callable[[ndarray], ndarray]] = {
    "modified_bessel_i0": i0, "modified_bessel_i1": i1, "modified_bessel_k0": k0,
    "modified_bessel_k1": k1, "scaled_modified_bessel_k0": k0e,
    "scaled_modified_bessel_k1": k1e,
}
