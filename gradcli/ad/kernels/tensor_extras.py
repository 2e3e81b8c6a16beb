"""Kernels of round 9's tensor surface: angle of a real tensor, integer gcd/lcm, ldexp's
power of two, multivariate log-gamma, the window functions."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.kernels.elementwise import result_type
from gradcli.ad.kernels.messages import not_implemented

ndarray = np.ndarray


def angle(x: ndarray) -> Any:
    """The argument of a real number: π for negatives, 0 otherwise, NaN for NaN (integers
    give the default float dtype)."""
    if x.dtype.kind != "f":
        x = dtypes.as_default_float(x)
    pi = x.dtype.type(math.pi)
    return np.where(np.isnan(x), x, np.where(x < 0, pi, x.dtype.type(0)))


def copy_of(x: ndarray, name: str) -> Any:
    """A fresh copy (the *_copy ops: the view, materialised)."""
    return np.array(x, copy=True)


def _int_pair(a: ndarray, b: ndarray, kernel: str) -> tuple[ndarray, ndarray, np.dtype]:
    rt = result_type(a, b)
    if rt.kind not in "iu":
        raise not_implemented(kernel, rt)
    return a.astype(rt), b.astype(rt), rt


def gcd(a: ndarray, b: ndarray) -> Any:
    """Greatest common divisor of integers (non-negative)."""
    x, y, rt = _int_pair(a, b, "gcd_cpu")
    return np.asarray(np.gcd(x, y)).astype(rt)


def lcm(a: ndarray, b: ndarray) -> Any:
    """Least common multiple of integers (non-negative; 0 when either is 0)."""
    x, y, rt = _int_pair(a, b, "lcm_cpu")
    g = np.gcd(x, y)
    with np.errstate(all="ignore"):
        out = np.where(g == 0, 0, np.abs(x // np.where(g == 0, 1, g) * y))
    return out.astype(rt)


def mvlgamma(x: ndarray, p: int) -> Any:
    """log Γ_p(x) = Σ_{j<p} lgamma(x - j/2) + p(p-1)/4 · log π, as PyTorch's composite:
    the arguments x - (p-1)/2, ..., x - 1/2, x along a new last dim, their lgamma summed
    there (its sum's order), then the constant (p·(p-1)·log π·1/4, in double) added."""
    from gradcli.ad.kernels.reductions import torch_sum
    from gradcli.ad.kernels.special import lgamma

    if x.dtype.kind != "f":
        x = dtypes.as_default_float(x)
    # PyTorch 2.13 checks no domain: log |Γ| at every argument, inf at its poles.
    steps = np.arange(p, dtype=x.dtype)[::-1] * x.dtype.type(-0.5)
    total = torch_sum(lgamma(steps + x[..., None]), -1, False)
    return (total + x.dtype.type(p * (p - 1) * math.log(math.pi) * 0.25)).astype(x.dtype)


def _cos(x: ndarray) -> ndarray:
    return np.cos(x.astype(np.float64)).astype(x.dtype)


def window(kind: str, n: int, periodic: bool, dtype: np.dtype, beta: float = 12.0,
           alpha: float = 0.54, coef: float = 0.46) -> ndarray:
    """hann/hamming/blackman/bartlett/kaiser windows of length n, as PyTorch's
    TensorFactories compute them: in place on an arange of the dtype, step by step."""
    if n == 0:
        return np.zeros(0, dtype)
    if n == 1:
        return np.ones(1, dtype)
    m = n + 1 if periodic else n
    t = dtype.type
    k = np.arange(m, dtype=dtype)
    if kind in ("hamming", "hann"):
        if kind == "hann":
            alpha, coef = 0.5, 0.5
        w = _cos(k * t(math.pi * 2.0 / (m - 1))) * t(-coef) + t(alpha)
    elif kind == "blackman":
        k = k * t(math.pi / (m - 1))
        w = _cos(k * t(4)) * t(0.08) - _cos(k * t(2)) * t(0.5) + t(0.42)
    elif kind == "bartlett":
        w = k * t(2.0 / (m - 1))
        first = ((m - 1) >> 1) + 1
        w[first:] = w[first:] * t(-1) + t(2)
    else:  # kaiser, in float64 and rounded
        half = (m - 1) / 2.0
        r = (np.arange(m, dtype=np.float64) - half) / half
        w = np.i0(beta * np.sqrt(np.abs(1 - r * r))) / np.i0(beta)
    w = np.asarray(w, dtype)
    return w[:n].copy() if periodic else w


def compare_into(x: ndarray, *other: Any, op: str, value: Any = None) -> Any:
    """x <op> other (a tensor or `value`), as 0/1 in x's dtype: an in-place comparison."""
    from gradcli.ad.kernels import elementwise as KE

    res = getattr(KE, op)(x, other[0] if other else value)
    return np.asarray(res).astype(x.dtype)


def renorm(x: ndarray, p: float, dim: int, maxnorm: float) -> Any:
    """Each sub-tensor along dim scaled down to p-norm maxnorm where it is above (by
    maxnorm / (norm + 1e-7), as PyTorch's kernel)."""
    from gradcli.ad import kernels as K

    d = dim % x.ndim
    norms = K.norm(x, p, tuple(i for i in range(x.ndim) if i != d), True)
    factor = K.where(K.gt(norms, maxnorm), K.div(maxnorm, K.add(norms, 1e-7)),
                     np.ones((), x.dtype))
    return K.mul(x, factor)
