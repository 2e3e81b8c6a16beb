"""MKL's Householder QR (geqrf, then orgqr for Q) of small float32 and float64 matrices on
its AVX-512 path (Intel hosts), bit for bit: torch.linalg.qr (Q and R, every mode) and
torch.qr.

Read off PyTorch 2.13 (MKL 2024.2) on an Intel Xeon (round 23, bench/lapack_sweep.py's qr
ops; element by element with torch.geqrf and torch.linalg.householder_product): LAPACK's
unblocked dgeqr2 and dorg2r with these roundings:
- dlarfg: ‖x‖ of the column below the diagonal is the old reference dnrm2 (scale and
  sum of squares: ssq = fma(ssq, (scale/|x|)², 1) on a new largest entry, else
  ssq = fma(|x|/scale, |x|/scale, ssq)), β = -sign(α)·dlapy2(α, ‖x‖) with
  dlapy2 = w·sqrt(fma(z/w, z/w, 1)); τ = (β - α)/β; v = x·(1/(α - β)).
- dlarf (H applied from the left): w = Cᵀv, then C_kj = fma(v_k, -τ·w_j, C_kj). geqrf's
  w_j: a 512-bit register's dot: whole blocks of 8 rows fused lane by lane, the rows
  left over their own lanes, each folded (lanes halved) and the two added; square 3×3
  to 5×5 have their own kernel (3 rows or fewer: one fma chain; 5 rows: the first 4
  folded, the fifth fused in), and 2×2 divides v by α - β. orgqr's w_j: MKL's dgemv
  'T' (kernels/mkl_dgemv512.py: blocks of 4 into two accumulators in turn).
- dorg2r: columns past k start as the identity's; step i (from the last) applies H(i)
  to the columns right of i, scales v by -τ_i and puts 1 - τ_i on the diagonal.
float32's geqrf is the reference code without fused steps (snrm2: 1 + (ssq·r)·r and
ssq + r·r; dlapy2 w·sqrt(1 + t·t); v = x/(α - β); w_j summed in order; c + v·(-τ·w_j));
its orgqr MKL's sgemv (kernels/mkl_gemv512) and the fused update.
Measured: every m, n in 1..16, both dtypes, 100 of 100 random matrices each for geqrf's
packed result and τ, reduced and complete Q and R.
"""

from __future__ import annotations

import numpy as np

from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.mkl_lapack_chol import _lanes
from gradcli.ad.kernels.mkl_path import mkl_avx512

ndarray = np.ndarray
MAX_N = 16
_F64 = np.dtype(np.float64)


def applies(a: ndarray) -> bool:
    """Whether the model stands in for geqrf/orgqr: (a batch of) float32/float64 finite
    matrices of at most 16 rows and columns on MKL's AVX-512 path."""
    m, n = a.shape[-2:] if a.ndim >= 2 else (0, 0)
    return (a.ndim >= 2 and a.dtype.kind == "f" and a.dtype.itemsize in (4, 8)
            and 1 <= m <= MAX_N and 1 <= n <= MAX_N
            and a.size > 0 and mkl_avx512()
            and bool(np.isfinite(a).all()))


def _nrm2(xs: list[ndarray]) -> ndarray:
    """The reference dnrm2's scaled sum of squares, with MKL's fused steps (float64) or
    none (float32's snrm2: 1 + (ssq·r)·r and ssq + r·r)."""
    one = np.ones((), xs[0].dtype)
    single = xs[0].dtype == np.float32
    scale = np.zeros_like(xs[0])
    ssq = np.ones_like(xs[0])
    for x in xs:
        ax = np.abs(x)
        nz = ax != 0
        big = nz & (ax > scale)
        r1 = scale / ax
        r2 = ax / scale
        if single:
            grow, add = one + (ssq * r1) * r1, ssq + r2 * r2
        else:
            grow, add = fma(ssq, r1 * r1, one), fma(r2, r2, ssq)
        ssq = np.where(big, grow, np.where(nz, add, ssq))
        scale = np.where(big, ax, scale)
    return scale * np.sqrt(ssq)


def _fold(lanes: list[ndarray]) -> ndarray:
    while len(lanes) > 1:
        half = len(lanes) // 2
        lanes = [lanes[q] + lanes[q + half] for q in range(half)]
    return lanes[0]


def _dot_geqrf(v: list[ndarray], col: list[ndarray], square: int) -> ndarray:
    """geqrf's w_j = v·C_j (module docstring); square: the matrix's order if square."""
    m = len(v)
    if square in (3, 4, 5) and m <= 3:
        s = v[0] * col[0]
        for q in range(1, m):
            s = fma(v[q], col[q], s)
        return s
    if square == 5 and m == 5:
        return fma(v[4], col[4], _lanes(v[:4], col[:4], 4))
    full = (m // 8) * 8 or m
    s = _lanes(v[:full], col[:full], 8)
    return s if full == m else s + _lanes(v[full:], col[full:], 8)


def _dot_gemv(v: list[ndarray], col: list[ndarray]) -> ndarray:
    """MKL's dgemv 'T' order for one dot of at most 31 terms (kernels/mkl_dgemv512)."""
    m = len(v)
    zero = np.zeros_like(v[0])
    acc = [[zero] * 4, [zero] * 4]
    pos = 0
    if m >= 16:  # the first four blocks into A, B, A, B, unfused
        for blk in range(4):
            for q in range(4):
                p = v[4 * blk + q] * col[4 * blk + q]
                acc[blk % 2][q] = p if blk < 2 else acc[blk % 2][q] + p
        pos = 16
    turn = 0
    while pos < m:
        for q in range(min(4, m - pos)):
            acc[turn][q] = fma(v[pos + q], col[pos + q], acc[turn][q])
        pos += 4
        turn ^= 1
    return _fold(acc[0]) + _fold(acc[1])


def _apply(c: ndarray, i: int, tau: ndarray, geqrf_square: int | None) -> None:
    """H(i) = I - τ v vᵀ (v = (1, c[i+1:, i])) applied in place to c[i:, i+1:] (geqrf's
    dlarf, or orgqr's: geqrf_square None). float32's geqrf is the reference code without
    fused steps (w_j summed in order, c + v·(-τ·w_j)); its orgqr MKL's sgemv
    (kernels/mkl_gemv512) and the fused update."""
    from gradcli.ad.kernels import mkl_gemv512

    m, n = c.shape[-2:]
    if i >= n - 1:
        return
    single = c.dtype == np.float32
    plain = single and geqrf_square is not None
    block = c[:, i:, i + 1:]  # every column at once: (batch, rows, columns)
    vs = np.concatenate([np.ones_like(tau)[:, None], c[:, i + 1:, i]], 1)
    v = [vs[:, q, None] for q in range(m - i)]
    col = [block[:, q, :] for q in range(m - i)]
    if plain:
        w = v[0] * col[0]
        for q in range(1, len(v)):
            w = w + v[q] * col[q]
    elif single:
        w = np.stack([mkl_gemv512.mv_rows(np.ascontiguousarray(block[b].T), vs[b])
                      for b in range(c.shape[0])])
    elif geqrf_square is None:
        w = _dot_gemv(v, col)
    else:
        w = _dot_geqrf(v, col, geqrf_square)
    temp = (-tau[:, None] * w)[:, None, :]
    c[:, i:, i + 1:] = block + vs[:, :, None] * temp if plain else \
        fma(vs[:, :, None], temp, block)


def geqrf(a: ndarray) -> tuple[ndarray, ndarray]:
    """(the packed R and reflectors, τ) of (a batch of) m×n matrices, as geqrf leaves them."""
    m, n = a.shape[-2:]
    c = np.array(a, copy=True).reshape((-1, m, n))
    k = min(m, n)
    tau = np.zeros((c.shape[0], k), a.dtype)
    one = np.ones((), a.dtype)
    lapy_fma = a.dtype == _F64
    square = m if m == n else 0
    with np.errstate(all="ignore"):
        for i in range(k):
            if i == m - 1:  # dlarfg of one entry: H = I
                continue
            alpha = c[:, i, i].copy()
            xn = _nrm2([c[:, r, i] for r in range(i + 1, m)])
            w = np.maximum(np.abs(alpha), xn)
            z = np.minimum(np.abs(alpha), xn)
            t = z / w
            beta = -np.copysign(w * np.sqrt(fma(t, t, one) if lapy_fma else one + t * t),
                                alpha)
            keep = xn == 0
            ti = np.where(keep, 0, (beta - alpha) / beta).astype(a.dtype)
            scale = one / (alpha - beta)
            below = (c[:, i + 1:, i] / (alpha - beta)[:, None] if square == 2 or not lapy_fma
                     else c[:, i + 1:, i] * scale[:, None])  # 2×2 and float32: divided
            c[:, i + 1:, i] = np.where(keep[:, None], c[:, i + 1:, i], below)
            c[:, i, i] = np.where(keep, alpha, beta)
            tau[:, i] = ti
            if i < n - 1:
                _apply(c, i, ti, square)
    return c.reshape(a.shape), tau.reshape((*a.shape[:-2], k))


def orgqr(packed: ndarray, tau: ndarray, ncols: int) -> ndarray:
    """Q's first ncols columns (k = τ's length <= ncols <= m) from geqrf's packed result."""
    m = packed.shape[-2]
    k = tau.shape[-1]
    batch = packed.shape[:-2]
    q = np.zeros((int(np.prod(batch, dtype=np.int64)), m, ncols), packed.dtype)
    q[:, :, :k] = packed.reshape((-1, m, packed.shape[-1]))[:, :, :k]
    t = tau.reshape((-1, k))
    one = np.ones((), packed.dtype)
    for j in range(k, ncols):
        q[:, j, j] = 1.0
    with np.errstate(all="ignore"):
        for i in range(k - 1, -1, -1):
            if i < ncols - 1:
                _apply(q, i, t[:, i], None)
            q[:, i + 1:, i] = q[:, i + 1:, i] * (-t[:, i])[:, None]
            q[:, i, i] = one - t[:, i]
            q[:, :i, i] = 0.0
    return q.reshape((*batch, m, ncols))


def qr(a: ndarray, mode: str, part: str) -> ndarray:
    """torch.linalg.qr's Q or R ("reduced", "complete"; "r" asks for R only)."""
    m, n = a.shape[-2:]
    k = min(m, n)
    packed, tau = geqrf(a)
    if part == "R":
        out = np.triu(packed[..., :m if mode == "complete" else k, :])
    else:
        out = orgqr(packed, tau, m if mode == "complete" else k)
    # column-major, as LAPACK leaves them and PyTorch returns them
    return np.swapaxes(np.ascontiguousarray(np.swapaxes(out, -1, -2)), -1, -2)
