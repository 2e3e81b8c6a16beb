"""The summation orders of torch 2.13's MKL 2024.2 matrix-vector products (gemv) on its
AVX-512 path (Intel processors with AVX-512: kernels/mkl_path.mkl_avx512), emulated bit
for bit with whole-array numpy.

Measured on round 21's Intel Xeon (Emerald Rapids) against torch with its default two
threads (cancellation probes: H and -H among ones lose every term added while ±H is in
the running sum; then random factors, tests/test_r21_mkl.py).

Row-major matrix by vector (sgemv 'T': torch.mv(W, x), the one-column product X @ w of
nn.Linear(k, 1), the one-row product x @ Wᵀ of a batch of one): each output a dot
product of its row, in 16 lanes with fused multiply-adds. The first product, rounded,
starts lane 1; products 1..16·F (F whole blocks of 16 after the first) go in lane
j % 16, one block after another; the lanes are folded by halves (lane i + lane i+8,
then +4, +2, +1). The r = (k - 1) % 16 products left over go the same way into a fresh
vector whose lane 1 starts from that sum: lanes 1..r, then folded by halves. Rows go
in blocks of four; the rows left past the last block (1-3) take a one-row kernel:
products 1.. in lane (j - 1) % 16, pairs of whole blocks into two chains that are then
added (the second of two or three rows left: one chain), a whole block left and the
masked part block fused into that sum, the lanes folded by halves, the first product
(rounded) added last. Two threads split the rows, the first taking ⌈m/2⌉, from m·k =
8192 on for m > 100 (mv_threads: the boundary for fewer rows is higher and ragged).

Column-major matrix by vector (sgemv 'N': Xᵀ @ g of a row-major X, an mv backward's
Wᵀ @ g, the weight gradient gᵀ @ x of nn.Linear(k, 1)), fewer than 16 outputs: each
output one fused multiply-add chain from +0 over its k products up to k = 255; from
256 two chains over the halves (the first ⌈k/2⌉), added (mv_cols); so are 16 outputs and
more up to k = 7 (measured to 20,000 outputs). From 16 outputs (mv_cols_wide, round 22)
the rows go in blocks of 16, which take the columns in units of eight: the unit's first
four as (c0 ⊕ c2) + (c1 ⊕ c3), where ⊕ rounds the second product and fuses the first onto
it; then y0 = c4 fused onto (c6 fused onto the sum so far), y0 + (c5 ⊕ c7), plus the
first four's sum; the columns past the last unit fused one by one. The 1-15 rows past
the blocks of 16 take mv_cols' chains. From k = 256 two threads split k in halves (each
half so, added), except for 41-69 rows, which keep k whole (measured up to k = 500).
"""

from __future__ import annotations

import itertools

import numpy as np

from gradcli.ad.kernels import blas_chain, mkl_avx512
from gradcli.ad.kernels.mkl_avx512 import _MIDPOINT, _MIDPOINT_MASK, _TINY32, _fma_step

ndarray = np.ndarray
_F32 = np.dtype(np.float32)
_LANES = 16
_SCALAR_CHAINS = 4  # outputs up to which _chain runs in Python floats
_VELTKAMP = float(2**29 + 1)
_F32_MAX = float(np.finfo(np.float32).max)
_THREADED = 8192  # products (32 KiB of the matrix) from which two threads split the rows


def _folded(acc: ndarray) -> ndarray:
    """The lanes (last axis) added by halves: lane i + lane i+8, then +4, +2, +1."""
    while acc.shape[-1] > 1:
        h = acc.shape[-1] // 2
        acc = acc[..., :h] + acc[..., h:]
    return acc[..., 0]


def _quads(a: ndarray, v: ndarray) -> ndarray:
    """The rows of a block of four (the module's note)."""
    m, k = a.shape
    s = (a[:, 0].astype(np.float64) * np.float64(v[0])).astype(_F32)
    whole = (k - 1) // _LANES
    if whole:
        acc = np.zeros((m, _LANES), _F32)
        acc[:, 1] = s
        for b in range(whole):
            lo = 1 + _LANES * b
            # product j (from 1) in lane j % 16: the block's first 15 in lanes 1..15,
            # its last in lane 0
            acc[:, 1:] = _fma_step(acc[:, 1:], a[:, lo:lo + 15], v[lo:lo + 15])
            acc[:, 0] = _fma_step(acc[:, 0], a[:, lo + 15], v[lo + 15])
        s = _folded(acc)
    lo = 1 + _LANES * whole
    r = k - lo
    if r:  # lanes 1..r: the fold over the first power of two past r is the same (the
        # lanes past it hold +0; a zero's sign is +0 in the end anyway)
        acc = np.zeros((m, 1 << r.bit_length()), _F32)
        acc[:, 1] = s
        acc[:, 1:1 + r] = _fma_step(acc[:, 1:1 + r], a[:, lo:], v[lo:])
        s = _folded(acc)
    out = np.ascontiguousarray(s)
    out += 0.0
    return out


def _single(a: ndarray, v: ndarray, two: bool = True) -> ndarray:
    """The rows past the last block of four (the module's note): products 1.. in blocks
    of 16, pairs of whole blocks into two chains, added; a whole block left and the
    masked part block into that sum with fused multiply-adds; the lanes folded by halves;
    then the first product, rounded, added."""
    m, k = a.shape
    whole = (k - 1) // _LANES
    pairs = whole // 2 if two else 0
    s = np.zeros((m, _LANES if whole else 1 << (k - 2).bit_length()), _F32)  # as _quads
    if pairs:
        body = a[:, 1:1 + 2 * _LANES * pairs].reshape(m, pairs, 2, _LANES)
        vb = v[1:1 + 2 * _LANES * pairs].reshape(pairs, 2, _LANES)
        acc = np.zeros((m, 2, _LANES), _F32)
        for b in range(pairs):
            acc = _fma_step(acc, body[:, b], vb[b])
        s = acc[:, 0] + acc[:, 1]
    for lo in range(1 + 2 * _LANES * pairs, k, _LANES):
        r = min(_LANES, k - lo)
        s[:, :r] = _fma_step(s[:, :r], a[:, lo:lo + r], v[lo:lo + r])
    return _folded(s) + a[:, 0] * v[0]


def mv_rows(a: ndarray, v: ndarray, threads: int | None = None) -> ndarray:
    """a @ v for a float32 matrix (m×k, k ≥ 1, any layout) and a float32 vector, in
    sgemv's order on this path (the module's note)."""
    m, k = a.shape
    out = np.empty(m, _F32)
    if threads is None:
        threads = mv_threads(m, k) or 1
    cuts = [0, (m + 1) // 2, m] if threads == 2 else [0, m]
    for lo, hi in itertools.pairwise(cuts):
        q = lo + (hi - lo) // 4 * 4
        if q > lo:
            out[lo:q] = _quads(a[lo:q], v)
        if hi > q:  # the second of two or three rows left: one chain
            out[q:hi] = _single(a[q:hi], v)
            if hi - q >= 2:
                out[q + 1] = _single(a[q + 1:q + 2], v, False)[0]
    out += 0.0
    return out


_COLS_MAX = 16  # outputs below which mv_cols is the kernel's order
_COLS_SPLIT = 256  # products from which the chain is split in halves
_WIDE_WINDOW_K = 500  # k up to which 41-69 rows keep k whole (measured)


def mv_threads(m: int, k: int) -> int | None:
    """How many threads sgemv 'T' splits m rows of k over (None: not measured). Where
    ⌈m/2⌉ is a multiple of four the split changes no row's kernel: one is given."""
    if m * k < _THREADED or ((m + 1) // 2) % 4 == 0:
        return 1
    if m > 100:
        return 2
    if m * k < 12544:  # measured: 98×128 one thread, 98×200 two, 30×1000 one, 14×3000 two
        return 1
    return 2 if m * k >= 46000 else None


def _chain(p: ndarray) -> ndarray | None:
    """Fused multiply-add chains from +0 down p's first axis (exact float64 products,
    (k, outputs)): each running sum rounded to float32 once a step (the float64 sum of
    the float32 sum so far and the product, rounded). None where a step's float64 sum
    could round otherwise than the fused operation (a float32 midpoint, a subnormal)."""
    k, n = p.shape
    if n <= _SCALAR_CHAINS:
        return _scalar_chains(p)
    d = np.empty_like(p)
    acc = np.zeros((k + 1, n), _F32)
    rows, sums, runs = list(p), list(d), list(acc)  # row views made once (~1 µs a step)
    add = np.add
    for j in range(k):
        add(rows[j], runs[j], out=sums[j])
        runs[j + 1][...] = sums[j]  # rounded to float32
    if _rounds_otherwise(d):
        return None
    return acc[k]


def _rounds_otherwise(d: ndarray) -> bool:
    """Whether some float64 sum d may round to float32 otherwise than the fused step: on a
    midpoint of two floats, or in float32's subnormal range."""
    return bool(((d.view(np.int64) & _MIDPOINT_MASK) == _MIDPOINT).any() or (
        (np.abs(d) < _TINY32) & (d != 0)).any())


def _scalar_chains(p: ndarray) -> ndarray | None:
    """_chain for a few outputs (nn.Linear(k, 1)'s weight gradient over a batch of
    thousands) in Python floats, ~0.2 against ~1 µs a step: each float64 sum rounded to
    24 bits by Veltkamp's split (c = t·(2²⁹+1), c − (c − t)), which is the nearest float32
    except on a midpoint or outside float32's normal range: those (and non-finite sums)
    are _chain's None, as the numpy loop's checks."""
    outs, sums = [], []
    for col in p.T.tolist():
        s = 0.0
        seen: list[float] = []
        note = seen.append
        for x in col:
            t = s + x
            note(t)
            c = t * _VELTKAMP
            s = c - (c - t)
        outs.append(s)
        sums.append(seen)
    d = np.array(sums)
    if _rounds_otherwise(d) or not (np.abs(d) < _F32_MAX).all():
        return None
    return np.array(outs, _F32)


def mv_cols(a: ndarray, v: ndarray, split: bool | None = None) -> ndarray:
    """a @ v for a float32 matrix of fewer than 16 rows (sgemv 'N': a column-major
    matrix; the module's note) and a float32 vector: the halves' chains side by side
    (split: whether k is halved; by default from k = 256)."""
    m, k = a.shape
    if split is None:
        split = k >= _COLS_SPLIT
    h = (k + 1) // 2 if split else k
    if (first := _blas_chains(a[:, :h], v[:h])) is not None and \
            (h == k or (second := _blas_chains(a[:, h:], v[h:])) is not None):
        out = first if h == k else first + second
        out += 0.0
        return out
    p = np.zeros((h, 2 * m) if h < k else (k, m), np.float64)
    p[:, :m] = a[:, :h].T
    p[:, :m] *= v[:h, None]
    if h < k:
        p[:k - h, m:] = a[:, h:].T
        p[:k - h, m:] *= v[h:, None]
    out = _chain(p)
    if out is None:
        from gradcli.ad.kernels.fused import fma

        out = np.zeros(p.shape[1], _F32)
        cols = np.zeros(p.shape, _F32)  # the factors as p's products
        vec = np.zeros(p.shape, _F32)
        cols[:, :m] = a[:, :h].T
        vec[:, :m] = v[:h, None]
        if h < k:
            cols[:k - h, m:] = a[:, h:].T
            vec[:k - h, m:] = v[h:, None]
        for j in range(p.shape[0]):
            out = fma(cols[j], vec[j], out)
    if h < k:  # the second half's zero products past its end leave its chain as it was
        out = out[:m] + out[m:]
    out = np.array(out, _F32)
    out += 0.0
    return out


def _blas_chains(a: ndarray, v: ndarray) -> ndarray | None:
    """a @ v (float32) as one fused multiply-add chain an output from +0 over a's columns
    in order, by numpy's BLAS on padded copies (blas_chain.padded: where its probe found
    it runs exactly those chains, and a process has done enough small ones to pay for the
    probe: mkl_avx512._padded_worth); None where not."""
    col = v[:, None]
    if a.shape[1] > blas_chain.MAX_K or not mkl_avx512._padded_worth(a, col):
        return None
    out = blas_chain.padded(a, col, mkl_avx512._emulated_chain)
    return None if out is None else out[:, 0]


def _units_as_chains(b: ndarray, w: ndarray, a: ndarray, v: ndarray) -> ndarray | None:
    """_units' chains as one fused chain an output by numpy's BLAS: a unit's steps are
    c6 fused onto the sum, c4 fused onto that, then + (c5 ⊕ c7) and + the first four's
    sum, each a fused multiply-add too (x + y rounded is fma(y, 1, x)): the chain's
    factors per unit are (c6, w6), (c4, w4), (odd, 1), (firsts, 1), then the columns past
    the units with their v. None where _blas_chains is."""
    m, units = b.shape[0], b.shape[1]
    whole = 8 * units
    rest = a.shape[1] - whole
    cols = np.empty((m, 4 * units + rest), _F32)
    vec = np.ones(4 * units + rest, _F32)
    cols[:, 0:4 * units:4] = b[:, :, 6]
    cols[:, 1:4 * units:4] = b[:, :, 4]
    cols[:, 2:4 * units:4] = _pairs(b, w, 5, 7)
    cols[:, 3:4 * units:4] = _pairs(b, w, 0, 2) + _pairs(b, w, 1, 3)
    vec[0:4 * units:4] = w[:, 6]
    vec[1:4 * units:4] = w[:, 4]
    if rest:
        cols[:, 4 * units:] = a[:, whole:]
        vec[4 * units:] = v[whole:]
    return _blas_chains(cols, vec)


def _pairs(b: ndarray, w: ndarray, i: int, j: int) -> ndarray:
    """Each unit's column j products rounded, then its column i's fused onto them (b: the
    units (rows, units, 8), w: the vector's (units, 8))."""
    return _fma_step(b[:, :, j] * w[:, j], b[:, :, i], w[:, i])


def _units(a: ndarray, v: ndarray) -> ndarray:
    """a @ v for rows in blocks of 16 of a column-major float32 matrix (the module's note:
    units of eight columns, then the columns left in a fused chain). The parts of a unit
    that do not take the running sum are computed for all units at once; the two fused
    steps onto it run in float64 (exact products, one rounding a step), checked for
    midpoints and subnormals at the end as _chain's (else the exact steps again)."""
    m, k = a.shape
    whole = k - k % 8
    acc = np.zeros(m, _F32)
    if whole:
        units = whole // 8
        b = a[:, :whole].reshape(m, units, 8)
        w = v[:whole].reshape(units, 8)
        if (fast := _units_as_chains(b, w, a, v)) is not None:
            return fast
        firsts = _pairs(b, w, 0, 2) + _pairs(b, w, 1, 3)
        odd = _pairs(b, w, 5, 7)
        p6 = b[:, :, 6].astype(np.float64) * w[:, 6].astype(np.float64)
        p4 = b[:, :, 4].astype(np.float64) * w[:, 4].astype(np.float64)
        sums = np.empty((2, m, units))
        for u in range(units):
            d = sums[0, :, u]
            np.add(p6[:, u], acc, out=d)
            e = sums[1, :, u]
            np.add(p4[:, u], d.astype(_F32), out=e)
            acc = (e.astype(_F32) + odd[:, u]) + firsts[:, u]
        if _rounds_otherwise(sums):
            acc = np.zeros(m, _F32)
            for u in range(units):
                y0 = _fma_step(_fma_step(acc, b[:, u, 6], w[u, 6]), b[:, u, 4], w[u, 4])
                acc = (y0 + odd[:, u]) + firsts[:, u]
    for j in range(whole, k):
        acc = _fma_step(acc, a[:, j], v[j])
    return acc


def mv_cols_wide(a: ndarray, v: ndarray) -> ndarray | None:
    """a @ v for a float32 matrix of 16 rows or more read column-major (sgemv 'N': Xᵀ @ g
    with 16 outputs or more, nn.Linear(k, 1)'s weight gradient of 16 inputs or more) and a
    float32 vector, in the order of the module's note; None where not measured (41-69
    rows past k = 500)."""
    m, k = a.shape
    window = 41 <= m <= 69  # rows the threads split (measured: k whole up to 500)
    if window and k > _WIDE_WINDOW_K:
        return None
    split = k >= _COLS_SPLIT and not window
    q = m - m % _LANES
    out = np.empty(m, _F32)
    if split:
        h = (k + 1) // 2
        out[:q] = _units(a[:q, :h], v[:h]) + _units(a[:q, h:], v[h:])
    else:
        out[:q] = _units(a[:q], v)
    if m > q:
        out[q:] = mv_cols(a[q:], v, split)
    out += 0.0
    return out
