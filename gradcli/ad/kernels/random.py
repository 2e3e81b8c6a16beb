"""Kernels of the random ops: the values are drawn by the op (gradcli.ad.rng) and handed
to the kernel as a parameter, so recording, replay and in-place writes see one array."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def drawn(x: np.ndarray, values: np.ndarray, torch_name: str) -> Any:
    """The drawn values, in x's dtype (x.uniform_(), torch.bernoulli(p), ...)."""
    return np.asarray(values).astype(x.dtype, copy=False)


def drawn_values(x: np.ndarray, values: np.ndarray) -> Any:
    """A sampler's draws, in x's dtype (torch._standard_gamma(x))."""
    return np.asarray(values).astype(x.dtype, copy=False)


def _libm(fn: Any, x: np.ndarray) -> np.ndarray:
    """A C library function elementwise (numpy's own SIMD loops may round differently)."""
    return np.frompyfunc(fn, 1, 1)(x).astype(np.float64)


def _pow(x: np.ndarray, y: Any) -> np.ndarray:
    return np.frompyfunc(math.pow, 2, 1)(x, y).astype(np.float64)


def standard_gamma_grad(alpha: np.ndarray, x: np.ndarray) -> Any:
    """d sample / d alpha of a Gamma(alpha, 1) sample x, as ATen's standard_gamma_grad_one
    computes it in double (the gradient of torch._standard_gamma): a Taylor series for
    x < 0.8, Rice's saddle-point expansion for alpha > 8, else a bivariate rational
    approximation (Jankowiak and Obermeyer, 2018). Elementwise on whole arrays."""
    from gradcli.ad.kernels.special import digamma

    dt = np.result_type(alpha, x)
    a, xs = np.broadcast_arrays(np.asarray(alpha, np.float64), np.asarray(x, np.float64))
    a = a.reshape(-1)
    xs = xs.reshape(-1)
    out = np.empty(a.shape, np.float64)
    f32 = np.float32
    with np.errstate(all="ignore"):
        small = xs < float(f32(0.8))
        large = ~small & (a > 8.0)
        rest = ~small & ~large
        if small.any():
            al, xv = a[small], xs[small]
            numer = np.ones_like(al)
            denom = al.copy()
            s1 = numer / denom
            s2 = numer / (denom * denom)
            for i in range(1, 6):
                numer = numer * (-xv / float(i))
                denom = denom + 1
                s1 = s1 + numer / denom
                s2 = s2 + numer / (denom * denom)
            pow_x_alpha = _pow(xv, al)
            pdf = _pow(xv, al - 1) * _libm(math.exp, -xv)
            cdf = pow_x_alpha * s1
            cdf_alpha = (_libm(math.log, xv) - digamma(al)) * cdf - pow_x_alpha * s2
            r = -cdf_alpha / pdf
            out[small] = np.where(np.isnan(r), 0.0, r)
        if large.any():
            al, xv = a[large], xs[large]
            near = (float(f32(0.9)) * al <= xv) & (xv <= float(f32(1.1)) * al)
            n1 = 1 + 24 * al * (1 + 12 * al)
            n2 = (1440 * (al * al) + 6 * xv * (53 - 120 * xv) - 65 * xv * xv / al
                  + al * (107 + 3600 * xv))
            saddle = n1 * n2 / (1244160 * (al * al) * (al * al))
            den = _libm(math.sqrt, 8 * al)
            term2 = den / (al - xv)
            t3base = xv - al - al * _libm(math.log, xv / al)
            term3 = _pow(t3base, -1.5)
            term23 = np.where(xv < al, term2 - term3, term2 + term3)
            term1 = (_libm(math.log, xv / al) * term23
                     - _libm(math.sqrt, 2 / al) * (al + xv) / ((al - xv) * (al - xv)))
            stirling = 1 + 1 / (12 * al) * (1 + 1 / (24 * al))
            far = -stirling * (xv * term1) / den
            out[large] = np.where(near, saddle, far)
        if rest.any():
            al, xv = a[rest], xs[rest]
            u = _libm(math.log, xv / al)
            v = _libm(math.log, al)
            c = [_GAMMA_UV[0][i] + u * (_GAMMA_UV[1][i] + u * _GAMMA_UV[2][i]) for i in range(8)]
            p = c[0] + v * (c[1] + v * (c[2] + v * c[3]))
            q = c[4] + v * (c[5] + v * (c[6] + v * c[7]))
            out[rest] = _libm(math.exp, p / q)
    return out.astype(dt).reshape(np.broadcast_shapes(np.shape(alpha), np.shape(x)))


_GAMMA_UV = (
    (0.16009398, -0.094634809, 0.025146376, -0.0030648343,
     1, 0.32668115, 0.10406089, 0.0014179084),
    (0.53487893, 0.1298071, 0.065735949, -0.0015649758,
     0.16639465, 0.020070113, -0.0035938915, -0.00058392623),
    (0.040121004, -0.0065914022, -0.0026286047, -0.0013441777,
     0.017050642, -0.0021309326, 0.00085092367, -1.5247877e-07),
)
