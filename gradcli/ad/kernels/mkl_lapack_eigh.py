"""MKL's symmetric eigensolver (syevd) on 2×2 matrices on its AVX-512 path (Intel hosts),
bit for bit: linalg.eigh, eigvalsh and what builds on them (a Newton step's
2×2 Hessian: round 20's realcode probe printed float32 eigvalsh 0.39936078 for PyTorch's
0.39936829, numpy's ssyevd rounding otherwise).

Read off PyTorch 2.13 (MKL 2024.2) on an Intel Xeon (round 22: 5000 of 5000 random
symmetric 2×2 matrices, float32 and float64, eigenvalues and eigenvectors; numpy's
LAPACK matched 1832 of the float32 eigenvalues): the tridiagonal form of a 2×2 is itself
(d = diagonal, e = the read triangle's off-diagonal entry), and LAPACK's reference steqr
takes the 2×2 block to dlaev2 in the matrix's dtype: sm = a + c, df = a - c,
rt = |df|·sqrt(1 + (|2b|/|df|)²) (or with the roles swapped, or |2b|·sqrt(2)), rt1 =
(sm ± rt)/2 by sm's sign, rt2 = (acmx/rt1)·acmn - (b/rt1)·b; the rotation (c, s) from
cs = df ± rt, the vectors (c, s) and (-s, c); the pair sorted ascending (a tie kept).
An off-diagonal |b| <= sqrt|a|·sqrt|c|·eps splits the matrix (steqr's test): the diagonal
and the identity's columns, sorted. Outside LAPACK's
safe range (max |entry| below sqrt(safmin)/eps² or above sqrt(safmax)/3, where steqr
scales the matrix first) numpy's LAPACK stays, as on other hosts (the algorithm is the
reference one, so MKL's AVX2 path likely agrees: not measured).
"""

from __future__ import annotations

import numpy as np

from gradcli.ad.kernels.mkl_path import mkl_avx512

ndarray = np.ndarray


def _safe_range(dtype: np.dtype) -> tuple[float, float]:
    """LAPACK's steqr thresholds ssfmin, ssfmax (eps: half of numpy's, LAPACK's 'E')."""
    info = np.finfo(dtype)
    eps = float(info.eps) / 2
    return (float(np.sqrt(info.tiny)) / (eps * eps),
            float(np.sqrt(info.max)) / 3)


def applies(a: ndarray) -> bool:
    """Whether the model stands in for syevd: (a batch of) 2×2 float32/float64 matrices,
    finite and inside steqr's unscaled range, on MKL's AVX-512 path (other hosts: not
    measured)."""
    if a.shape[-2:] != (2, 2) or a.dtype.kind != "f" or a.dtype.itemsize not in (4, 8) \
            or a.size == 0 or not mkl_avx512() or not np.isfinite(a).all():
        return False
    lo, hi = _safe_range(a.dtype)
    top = np.abs(a).max(axis=(-1, -2))
    return bool(((top >= lo) & (top <= hi)).all())


def eigh2(a: ndarray, upper: bool, part: str) -> ndarray:
    """Eigenvalues (ascending) or eigenvectors (columns) of (a batch of) symmetric 2×2
    matrices, from the lower (or upper) triangle."""
    f = a.dtype.type
    x, c = a[..., 0, 0], a[..., 1, 1]
    b = a[..., 0, 1] if upper else a[..., 1, 0]
    with np.errstate(all="ignore"):
        sm, df = x + c, x - c
        adf, tb = np.abs(df), b + b
        ab = np.abs(tb)
        big = np.abs(x) > np.abs(c)
        acmx, acmn = np.where(big, x, c), np.where(big, c, x)
        rt = np.where(adf > ab, adf * np.sqrt(f(1) + (ab / adf) * (ab / adf)),
                      np.where(adf < ab, ab * np.sqrt(f(1) + (adf / ab) * (adf / ab)),
                               ab * np.sqrt(f(2))))
        rt1 = np.where(sm < 0, f(0.5) * (sm - rt),
                       np.where(sm > 0, f(0.5) * (sm + rt), f(0.5) * rt))
        rt2 = np.where(sm != 0, (acmx / rt1) * acmn - (b / rt1) * b, f(-0.5) * rt)
        # steqr's split test: an off-diagonal entry this small leaves a diagonal matrix
        eps = f(np.finfo(a.dtype).eps / 2)
        split = np.abs(b) <= (np.sqrt(np.abs(x)) * np.sqrt(np.abs(c))) * eps
        rt1, rt2 = np.where(split, x, rt1), np.where(split, c, rt2)
        swap = rt2 < rt1
        if part == "eigenvalues":
            return np.stack([np.where(swap, rt2, rt1), np.where(swap, rt1, rt2)], -1)
        cs = np.where(df >= 0, df + rt, df - rt)
        ct = -tb / cs
        sn_a = f(1) / np.sqrt(f(1) + ct * ct)
        tn = -cs / tb
        cs_b = f(1) / np.sqrt(f(1) + tn * tn)
        steep = np.abs(cs) > ab
        cs1 = np.where(steep, ct * sn_a, np.where(ab == 0, f(1), cs_b))
        sn1 = np.where(steep, sn_a, np.where(ab == 0, f(0), tn * cs_b))
        flip = (sm < 0) == (df < 0)  # sgn1 == sgn2
        cs1, sn1 = np.where(flip, -sn1, cs1), np.where(flip, cs1, sn1)
    # columns: (c, s) for rt1 and (-s, c) for rt2, swapped where rt2 < rt1
    zero, one = np.zeros_like(cs1), np.ones_like(cs1)
    sp = split[..., None]
    first = np.where(sp, np.stack([one, zero], -1), np.stack([cs1, sn1], -1))
    second = np.where(sp, np.stack([zero, one], -1), np.stack([-sn1, cs1], -1))
    s = swap[..., None]
    cols = np.stack([np.where(s, second, first), np.where(s, first, second)], -1)
    return cols.astype(a.dtype, copy=False)
