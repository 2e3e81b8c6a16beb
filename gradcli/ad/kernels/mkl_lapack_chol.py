"""MKL's Cholesky factorisation (potrf) of small matrices on its AVX-512 path (Intel
hosts), bit for bit: torch.linalg.cholesky, cholesky_ex, torch.cholesky for n = 2..16.

Read off PyTorch 2.13 (MKL 2024.2) on an Intel Xeon by fitting, element by element, which
rounding sequence gives PyTorch's bits (round 22, bench/lapack_sweep.py; every size and
dtype below matches 1000 of 1000 random SPD matrices where numpy's LAPACK matched 0-75%).
With L's entries l_ij = (a_ij - Σ_k l_ik·l_jk) · s_j and l_jj = sqrt(a_jj - Σ_k l_jk²),
the sum Σ is formed one of these ways (x_k·y_k the terms, k ascending):
- "seq": subtracted one term at a time, fma(-x_k, y_k, acc) (LAPACK's right-looking
  update);
- "dot": a dot product x_0·y_0, then fma(x_k, y_k, s), subtracted once; "d10" the same
  begun at k = 1, then k = 0, 2, 3, ...;
- "lane": a vector register's dot: lane l sums the terms k ≡ l (mod W) (W = 8 doubles or
  16 floats: a 512-bit register), then halved (lane l + lane l + W/2, ...) to one sum.
The scale s_j: float64 multiplies by 1 / l_jj ("r") or divides ("d"); float32 works from
y = VRSQRT14(d), d = l_jj², and one Newton step n = fma(-(d/2)·y, y, 1.5): "r" is
v·(y·n), "d" is (v·y)·n. The diagonal's sqrt is the correctly rounded one.
Lower (upper=False): n >= 6 is "seq" throughout with "r", the diagonal past column 5 a
"lane" dot; n = 2..5 have their own kernels (_LOWER). Upper (upper=True, LAPACK's 'U'
on the same data: other bits than the lower factor's transpose): n >= 6 is left-looking,
every entry past column 0 a "lane" dot (float32's diagonal "seq" up to column 4); for
float64 "l8": a lane dot over the first 8 terms subtracted, then one over the rest (round
23: 300 of 300 per entry, n = 10..16).
"""

from __future__ import annotations

import functools

import numpy as np

from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.mkl_path import mkl_avx512
from gradcli.ad.kernels.vml_avx512 import rsqrt14

ndarray = np.ndarray
MAX_N = 16
_F32 = np.dtype(np.float32)

# n = 2..5: the kernels' own entries, (i, j): (sum, scale); the rest "seq" with "r"
# (float32's 2×2 scales by "r").
_LOWER: dict[int, dict[tuple[int, int], tuple[str, str]]] = {
    2: {(1, 0): ("seq", "d")},
    3: {(2, 1): ("seq", "d"), (2, 2): ("d10", "")},
    4: {(2, 2): ("dot", ""), (3, 2): ("dot", "d"), (3, 3): ("dot", "")},
    5: {(2, 2): ("d10", ""), (3, 2): ("dot", "r"), (4, 2): ("dot", "r"),
        (3, 3): ("d10", ""), (4, 3): ("dot", "d"), (4, 4): ("dot", "")},
}
_UPPER: dict[int, dict[tuple[int, int], tuple[str, str]]] = {
    2: _LOWER[2], 3: _LOWER[3],
    4: {(2, 2): ("d10", ""), (3, 2): ("dot", "d"), (3, 3): ("dot", "")},
    5: {(2, 2): ("d10", ""), (3, 2): ("dot", "r"), (4, 2): ("dot", "r"),
        (3, 3): ("dot", ""), (4, 3): ("dot", "d"), (4, 4): ("dot", "")},
}


@functools.cache
def plan(n: int, single: bool, upper: bool) -> tuple[tuple[str, str], ...] | None:
    """Per entry of the lower factor (row by row, j <= i), its sum and scale; None where
    the kernel is not recovered."""
    if not 2 <= n <= MAX_N:
        return None
    lane = "lane" if single or not upper else "l8"
    small = (_UPPER if upper else _LOWER).get(n)
    out = []
    for i in range(n):
        for j in range(i + 1):
            if n == 2 and single and i > j:
                out.append(("seq", "r"))
            elif small is not None:
                out.append(small.get((i, j), ("seq", "" if i == j else "r")))
            elif not upper:
                out.append(("lane" if j >= 6 else "seq", "") if i == j else ("seq", "r"))
            elif j == 0:
                out.append(("seq", "" if i == j else "r"))
            elif i == j:
                out.append(("seq" if single and j < 5 else lane, ""))
            else:
                out.append((lane, "r"))
    return tuple(out)


def applies(a: ndarray, upper: bool = False) -> bool:
    """Whether the model stands in for LAPACK: (a batch of) 2..16 square float32/float64
    finite matrices on MKL's AVX-512 path, a kernel recovered for the size."""
    n = a.shape[-1]
    return (a.ndim >= 2 and a.shape[-2] == n and a.dtype.kind == "f"
            and a.dtype.itemsize in (4, 8) and plan(n, a.dtype == _F32, upper) is not None
            and mkl_avx512() and a.size > 0 and bool(np.isfinite(a).all()))


def _lanes(xs: list[ndarray], ys: list[ndarray], width: int) -> ndarray:
    """Σ x_k·y_k as a vector register sums it: width lanes, each an FMA chain, halved."""
    acc: list[ndarray | None] = [None] * width
    for k, (x, y) in enumerate(zip(xs, ys, strict=True)):
        lane = acc[k % width]
        acc[k % width] = x * y if lane is None else fma(x, y, lane)
    zero = np.zeros_like(next(p for p in acc if p is not None))
    full = [zero if p is None else p for p in acc]
    while len(full) > 1:
        half = len(full) // 2
        full = [full[q] + full[q + half] for q in range(half)]
    return full[0]


def _reduce(kind: str, t: ndarray, xs: list[ndarray], ys: list[ndarray],
            width: int) -> ndarray:
    """t - Σ x_k·y_k, the sum formed as `kind` says (module docstring)."""
    if not xs:
        return t
    if kind == "seq":
        for x, y in zip(xs, ys, strict=True):
            t = fma(-x, y, t)
        return t
    if kind == "l8":  # two register dots: the first 8 terms, then the rest
        t = t - _lanes(xs[:8], ys[:8], width)
        return t if len(xs) <= 8 else t - _lanes(xs[8:], ys[8:], width)
    if kind == "d10" and len(xs) > 1:
        xs, ys = [xs[1], xs[0], *xs[2:]], [ys[1], ys[0], *ys[2:]]
    return t - _lanes(xs, ys, 1 if kind in ("dot", "d10") else width)


def _newton(d: ndarray) -> tuple[ndarray, ndarray]:
    """float32: VRSQRT14(d) and its Newton factor fma(-(d/2)·y, y, 1.5)."""
    y = rsqrt14(d)
    return y, fma(-(np.float32(0.5) * d) * y, y, np.full_like(d, 1.5))


def potrf(a: ndarray, upper: bool = False) -> ndarray | None:
    """The lower Cholesky factor of a's lower triangle (upper=False) or, for upper=True,
    the upper factor of a's upper triangle; None where a pivot is not positive (LAPACK's
    error path is the caller's)."""
    n = a.shape[-1]
    single = a.dtype == _F32
    steps = plan(n, single, upper)
    assert steps is not None
    src = np.swapaxes(a, -1, -2) if upper else a  # the triangle read, as a lower one
    width = 16 if single else 8
    low = np.zeros(a.shape, a.dtype)
    kinds = dict(zip(((i, j) for i in range(n) for j in range(i + 1)), steps, strict=True))
    one = np.ones((), a.dtype)
    with np.errstate(all="ignore"):
        for j in range(n):
            xs = [low[..., j, k] for k in range(j)]
            d = _reduce(kinds[(j, j)][0], src[..., j, j], xs, xs, width)
            if not (d > 0).all():
                return None
            ljj = np.sqrt(d)
            low[..., j, j] = ljj
            if j == n - 1:
                break
            if single:
                y, nr = _newton(d)
                recip = y * nr
            else:
                recip = one / ljj
            for kind, scale in sorted({kinds[(i, j)] for i in range(j + 1, n)}):
                rows = [i for i in range(j + 1, n) if kinds[(i, j)] == (kind, scale)]
                sel = np.array(rows)
                v = _reduce(kind, src[..., sel, j], [low[..., sel, k] for k in range(j)],
                            [low[..., j, k, None] for k in range(j)], width)
                if scale == "r":
                    v = v * recip[..., None]
                elif single:
                    v = (v * y[..., None]) * nr[..., None]
                else:
                    v = v / ljj[..., None]
                low[..., sel, j] = v
    # column-major, as LAPACK leaves it and PyTorch returns it (strides (1, n))
    out = np.swapaxes(low, -1, -2) if upper else low
    return np.swapaxes(np.ascontiguousarray(np.swapaxes(out, -1, -2)), -1, -2)
