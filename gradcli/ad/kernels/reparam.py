"""The gradients of samplers by implicit reparameterization, as ATen computes them: a
sample's derivative with respect to its distribution's parameter (-(d cdf / d alpha) /
pdf at the sample), for torch._standard_gamma (Gamma, Chi2, StudentT rsample) and
torch._sample_dirichlet (Dirichlet and Beta rsample). ATen's approximations written out
branch by branch on whole arrays, in its precisions: double throughout for the Gamma's;
for the Dirichlet's, the tensor's own dtype where ATen computes in scalar_t (a float32
sample's series in float32 with the C library's float functions), double elsewhere."""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from gradcli.ad.kernels import clib as C

ndarray = np.ndarray


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
            pow_x_alpha = C.call('pow', xv, al, dtype=np.float64)
            pdf = C.call('pow', xv, al - 1, dtype=np.float64) * C.call('exp', -xv, dtype=np.float64)
            cdf = pow_x_alpha * s1
            cdf_alpha = (C.call('log', xv, dtype=np.float64) - digamma(al)) * cdf - pow_x_alpha * s2
            r = -cdf_alpha / pdf
            out[small] = np.where(np.isnan(r), 0.0, r)
        if large.any():
            al, xv = a[large], xs[large]
            near = (float(f32(0.9)) * al <= xv) & (xv <= float(f32(1.1)) * al)
            n1 = 1 + 24 * al * (1 + 12 * al)
            n2 = (1440 * (al * al) + 6 * xv * (53 - 120 * xv) - 65 * xv * xv / al
                  + al * (107 + 3600 * xv))
            saddle = n1 * n2 / (1244160 * (al * al) * (al * al))
            den = np.sqrt(8 * al)
            term2 = den / (al - xv)
            t3base = xv - al - al * C.call('log', xv / al, dtype=np.float64)
            term3 = C.call('pow', t3base, -1.5, dtype=np.float64)
            term23 = np.where(xv < al, term2 - term3, term2 + term3)
            term1 = (C.call('log', xv / al, dtype=np.float64) * term23
                     - np.sqrt(2 / al) * (al + xv) / ((al - xv) * (al - xv)))
            stirling = 1 + 1 / (12 * al) * (1 + 1 / (24 * al))
            far = -stirling * (xv * term1) / den
            out[large] = np.where(near, saddle, far)
        if rest.any():
            al, xv = a[rest], xs[rest]
            u = C.call('log', xv / al, dtype=np.float64)
            v = C.call('log', al, dtype=np.float64)
            c = [_GAMMA_UV[0][i] + u * (_GAMMA_UV[1][i] + u * _GAMMA_UV[2][i]) for i in range(8)]
            p = c[0] + v * (c[1] + v * (c[2] + v * c[3]))
            q = c[4] + v * (c[5] + v * (c[6] + v * c[7]))
            out[rest] = C.call('exp', p / q, dtype=np.float64)
    return out.astype(dt).reshape(np.broadcast_shapes(np.shape(alpha), np.shape(x)))


_GAMMA_UV = (
    (0.16009398, -0.094634809, 0.025146376, -0.0030648343,
     1, 0.32668115, 0.10406089, 0.0014179084),
    (0.53487893, 0.1298071, 0.065735949, -0.0015649758,
     0.16639465, 0.020070113, -0.0035938915, -0.00058392623),
    (0.040121004, -0.0065914022, -0.0026286047, -0.0013441777,
     0.017050642, -0.0021309326, 0.00085092367, -1.5247877e-07),
)


# Cephes' asymptotic digamma coefficients, as ATen's digamma_one has them.
_A = (8.33333333333333333333E-2, -2.10927960927960927961E-2, 7.57575757575757575758E-3,
      -4.16666666666666666667E-3, 3.96825396825396825397E-3, -8.33333333333333333333E-3,
      8.33333333333333333333E-2)
_PSI_10 = 2.25175258906672110764
_F64 = np.dtype(np.float64)


def _c(name: str, *args: Any, dtype: Any) -> ndarray:
    return C.call(name, *args, dtype=dtype)


def digamma_one(x: ndarray) -> ndarray:
    """ATen's digamma_one<scalar_t, double> on an array of scalar_t: the argument pushed
    past 10 and 1/x taken in scalar_t, the sums in double, log in scalar_t's C function."""
    dt = x.dtype
    t = dt.type
    with np.errstate(all="ignore"):
        neg = x < 0
        pole = (x == 0) | (neg & (x == np.floor(x)))
        pi = t(math.pi)
        add = np.where(neg, (-pi / _c("tan", pi * x, dtype=dt)).astype(_F64), 0.0)
        x = np.where(neg, t(1) - x, x).astype(dt)
        res = np.zeros(x.shape, _F64)
        while (small := x < 10).any():
            res = np.where(small, res - (t(1) / x).astype(_F64), res)
            x = np.where(small, x + t(1), x).astype(dt)
        z = 1.0 / (x * x).astype(_F64)
        poly = np.full(x.shape, _A[0])
        for coef in _A[1:]:
            poly = poly * z + coef
        y = np.where(x < t(1.0e17), z * poly, 0.0)
        val = (res + _c("log", x, dtype=dt).astype(_F64) - (t(0.5) / x).astype(_F64) - y
               + add)
        out = np.where(x == 10, res + _PSI_10 + add, val).astype(dt)
        return np.where(pole, t(np.inf), out)


def _beta_grad_alpha_small(x: ndarray, alpha: ndarray, beta: ndarray) -> ndarray:
    """d sample / d alpha of a Beta(alpha, beta) sample x near 0: a Taylor series, in
    scalar_t."""
    dt = x.dtype
    t = dt.type
    factor = (digamma_one(alpha) - digamma_one((alpha + beta).astype(dt))
              - _c("log", x, dtype=dt))
    numer = np.ones_like(x)
    series = numer / alpha * (factor + t(1) / alpha)
    for i in range(1, 11):
        ci = t(i)
        numer = numer * ((ci - beta) * x / ci)
        denom = alpha + ci
        series = series + numer / denom * (factor + t(1) / denom)
    result = x * _c("pow", t(1) - x, -beta, dtype=dt) * series
    return np.where(np.isnan(result), t(0), result)


def _beta_grad_beta_small(x: ndarray, alpha: ndarray, beta: ndarray) -> ndarray:
    """d sample / d beta of a Beta(alpha, beta) sample x near 0, in scalar_t."""
    dt = x.dtype
    t = dt.type
    factor = digamma_one((alpha + beta).astype(dt)) - digamma_one(beta)
    numer, betas, dbetas = np.ones_like(x), np.ones_like(x), np.zeros_like(x)
    series = factor / alpha
    for i in range(1, 9):
        ci = t(i)
        numer = numer * (-x / ci)
        dbetas = dbetas * (beta - ci) + betas
        betas = betas * (beta - ci)
        series = series + numer / (alpha + ci) * (dbetas + factor * betas)
    result = -_c("pow", t(1) - x, t(1) - beta, dtype=dt) * series
    return np.where(np.isnan(result), t(0), result)


def _beta_grad_alpha_mid(x: ndarray, alpha: ndarray, beta: ndarray) -> ndarray:
    """d sample / d alpha for alpha and beta both large: Rice's saddle point, in double."""
    log = functools.partial(_c, "log", dtype=_F64)
    total = alpha + beta
    mean = alpha / total
    std = np.sqrt(alpha * beta / (total + 1)) / total
    near = (mean - 0.1 * std <= x) & (x <= mean + 0.1 * std)
    bb = beta * beta
    poly = 47 * x * bb * bb + alpha * (
        (43 + 20 * (16 + 27 * beta) * x) * bb * beta + alpha * (
            3 * (59 + 180 * beta - 90 * x) * bb + alpha * (
                (453 + 1620 * beta * (1 - x) - 455 * x) * beta + alpha * (
                    8 * (1 - x) * (135 * beta - 11)))))
    pre_num = (1 + 12 * alpha) * (1 + 12 * beta) / (total * total)
    pre_den = 12960 * alpha * alpha * alpha * beta * beta * (1 + 12 * total)
    at_mean = pre_num / (1 - x) * poly / pre_den
    prefactor = -x / np.sqrt(2 * alpha * beta / total)
    stirling = ((1 + 1 / (12 * alpha) + 1 / (288 * alpha * alpha))
                * (1 + 1 / (12 * beta) + 1 / (288 * beta * beta))
                / (1 + 1 / (12 * total) + 1 / (288 * total * total)))
    axbx = alpha * (x - 1) + beta * x
    term1 = ((2 * (alpha * alpha) * (x - 1) + alpha * beta * (x - 1) - x * bb)
             / (np.sqrt(2 * alpha / beta) * _c("pow", total, 1.5, dtype=_F64) * axbx * axbx))
    term2 = 0.5 * log(alpha / (total * x))
    term3 = np.sqrt(8 * alpha * beta / total) / (beta * x + alpha * (x - 1))
    base4 = beta * log(beta / (total * (1 - x))) + alpha * log(alpha / (total * x))
    term4 = _c("pow", base4, -1.5, dtype=_F64)
    terms = term1 + term2 * (term3 + np.where(x < mean, term4, -term4))
    return np.where(near, at_mean, stirling * prefactor * terms)


# The rational correction's coefficients c[p or q][power of u][power of a][power of b].
_RATIONAL = np.array([
    [[[1.003668233, -0.01061107488, -0.0657888334, 0.01201642863],
      [0.6336835991, -0.3557432599, 0.05486251648, -0.001465281033],
      [-0.03276231906, 0.004474107445, 0.002429354597, -0.0001557569013]],
     [[0.221950385, -0.3187676331, 0.01799915743, 0.01074823814],
      [-0.2951249643, 0.06219954479, 0.01535556598, 0.001550077057],
      [0.02155310298, 0.004170831599, 0.001292462449, 6.976601077e-05]],
     [[-0.05980841433, 0.008441916499, 0.01085618172, 0.002319392565],
      [0.02911413504, 0.01400243777, -0.002721828457, 0.000751041181],
      [0.005900514878, -0.001936558688, -9.495446725e-06, 5.385558597e-05]]],
    [[[1, -0.02924021934, -0.04438342661, 0.007285809825],
      [0.6357567472, -0.3473456711, 0.05454656494, -0.002407477521],
      [-0.03301322327, 0.004845219414, 0.00231480583, -0.0002307248149]],
     [[0.5925320577, -0.1757678135, 0.01505928619, 0.000564515273],
      [0.1014815858, -0.06589186703, 0.01272886114, -0.0007316646956],
      [-0.007258481865, 0.001096195486, 0.0003934994223, -4.12701925e-05]],
     [[0.06469649321, -0.0236701437, 0.002902096474, -5.896963079e-05],
      [0.001925008108, -0.002869809258, 0.0008000589141, -6.063713228e-05],
      [-0.0003477407336, 6.959756487e-05, 1.097287507e-05, -1.650964693e-06]]]])


def _beta_grad_rational(x: ndarray, alpha: ndarray, total: ndarray, dt: Any) -> ndarray:
    """A rational correction to an analytic approximation, in double (the digammas in
    scalar_t, as ATen calls them)."""
    beta = total - alpha
    u = _c("log", x, dtype=_F64)
    a = _c("log", alpha, dtype=_F64) - u
    b = _c("log", total, dtype=_F64) - a
    p = np.zeros_like(u)
    q = np.zeros_like(u)
    for i, pu in enumerate((1.0, u, u * u)):
        for j, pa in enumerate((1.0, a, a * a)):
            ua = pu * pa
            cp, cq = _RATIONAL[0, i, j], _RATIONAL[1, i, j]
            p = p + ua * (cp[0] + b * (cp[1] + b * (cp[2] + b * cp[3])))
            q = q + ua * (cq[0] + b * (cq[1] + b * (cq[2] + b * cq[3])))
    diff = digamma_one(total.astype(dt)) - digamma_one(alpha.astype(dt))  # in scalar_t
    return (p / q * (x * diff.astype(_F64) / beta)).astype(dt)


def dirichlet_grad(x: ndarray, alpha: ndarray, total: ndarray) -> Any:
    """torch._dirichlet_grad(x, alpha, total): ATen's dirichlet_grad_one elementwise, the
    scaled d x / d alpha of a Beta(alpha, total - alpha) sample x."""
    x, alpha, total = np.broadcast_arrays(x, alpha, total)
    dt = x.dtype
    t = dt.type
    shape = x.shape
    x, alpha, total = (a.reshape(-1) for a in (x, alpha, total))
    out = np.empty(x.shape, dt)
    with np.errstate(all="ignore"):
        beta = (total - alpha).astype(dt)
        boundary = (total * x * (t(1) - x)).astype(dt)
        near0 = (x <= t(0.5)) & (boundary < t(2.5))
        near1 = ~near0 & (x >= t(0.5)) & (boundary < t(0.75))
        large = ~near0 & ~near1 & (alpha > 6) & (beta > 6)
        rest = ~(near0 | near1 | large)
        x64, a64, t64 = (a.astype(_F64) for a in (x, alpha, total))
        if near0.any():
            out[near0] = _beta_grad_alpha_small(x[near0], alpha[near0], beta[near0])
        if near1.any():
            out[near1] = -_beta_grad_beta_small((t(1) - x[near1]).astype(dt), beta[near1],
                                                alpha[near1])
        if large.any():
            out[large] = _beta_grad_alpha_mid(x64[large], a64[large],
                                              (t64 - a64)[large]).astype(dt)
        if rest.any():
            out[rest] = _beta_grad_rational(x64[rest], a64[rest], t64[rest], dt)
    return out.reshape(shape)
