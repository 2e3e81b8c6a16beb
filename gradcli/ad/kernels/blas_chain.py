"""numpy's own BLAS as the engine of a float32 fused multiply-add chain, where it runs one.

mkl_avx512's chains (each output one fused multiply-add chain in k's order from +0, the
order MKL's sgemm takes within a k block) are emulated exactly with whole-array numpy:
each step an exact float64 product and sum rounded to float32, with its midpoint check,
~10 ns a product. A training loop pays that at every step: the two-layer net of
PyTorch's "learning with examples" tutorial (x 64×1000, hidden 100, 500 steps) took
32 s of CPU, past the default time limit, where PyTorch takes 0.3 s.

The BLAS numpy ships (OpenBLAS) computes such a chain itself in its regular sgemm kernel
(not its small-matrix kernels, which it takes up to m·n·k = 100³ and which add in other
orders): each output accumulates in a register from +0 by fused multiply-adds in k's
order within one k panel, and the panel is at least MKL's block of 384 here. Round 22
measured it bit for bit against the emulation on 74 random shapes past 100³ products with
k ≤ 384 (every layout, strided slices, factors of wide exponents, zeros and small
integers). Whether the BLAS numpy loaded does so is checked once per process by a probe
(the same comparison on products just past the small kernels' bound and at k = 384);
only then does a chain take it, C-contiguous (one kernel: the one the probe checked).

Below that bound (padded): OpenBLAS's small-matrix kernels and its regular kernel's edge
cases (an odd last column, fewer than 8 rows) add in other orders, but rows and columns
of zeros change no other output: padded to multiples of 16 rows and columns, every
product up to k = 384 is again one chain an output, float32 (sgemm) and float64 (dgemm,
whose chains the float64 model emulates at ~120 ns a product), on one thread (numpy's
threads split the columns in blocks of their own). Round 23 measured it bit for bit on
100 random shapes a dtype (m, n 2-140, k 2-384) and checks it by a probe per dtype.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from gradcli.ad.kernels import blas_threads

ndarray = np.ndarray
_F32 = np.dtype(np.float32)

#: m·n·k up to which OpenBLAS takes its small-matrix kernels (other orders).
SMALL_KERNELS = 1_000_000
#: k up to which one chain is measured (MKL's k block; OpenBLAS's panel is no shorter).
MAX_K = 384
#: The probe's shapes: just past the small kernels' bound, k = 384, odd sizes.
_PROBES = ((64, 157, 100), (64, 384, 48), (33, 384, 97), (81, 200, 70))


def product(a: ndarray, b: ndarray, emulated: Callable[[ndarray, ndarray], ndarray]
            ) -> ndarray | None:
    """a @ b (float32, 2-D) as one fused multiply-add chain an output from +0, by numpy's
    BLAS where it computes exactly that (`emulated`: the exact chain, for the probe);
    None where it may not."""
    m, k = a.shape
    n = b.shape[1]
    if m * n * k <= SMALL_KERNELS or k > MAX_K or a.dtype != _F32 or b.dtype != _F32:
        return None
    if not runs_chains(emulated):
        return None
    return np.matmul(np.ascontiguousarray(a), np.ascontiguousarray(b))


@functools.cache
def runs_chains(emulated: Callable[[ndarray, ndarray], ndarray]) -> bool:
    """Whether numpy's BLAS computes every output of the probes' products as the exact
    chain does, bit for bit (factors of wide exponents: any other order or rounding shows)."""
    rng = np.random.default_rng(20261207)
    for m, k, n in _PROBES:
        a = (rng.standard_normal((m, k)) * np.exp2(rng.integers(-24, 24, (m, k)))).astype(_F32)
        b = (rng.standard_normal((k, n)) * np.exp2(rng.integers(-24, 24, (k, n)))).astype(_F32)
        got = np.matmul(a, b)
        if not np.array_equal(got.view(np.int32), emulated(a, b).view(np.int32)):
            return False
    return True


#: Rows and columns a padded product is rounded up to (OpenBLAS's kernels' widths).
PAD = 16
#: The padded probe's shapes (m, k, n): odd, tiny, past the small kernels, k = 384.
_PADDED_PROBES = ((3, 2, 5), (2, 384, 17), (17, 100, 2), (5, 7, 3), (40, 200, 33),
                  (150, 300, 40), (33, 384, 97), (200, 100, 200))


def padded(a: ndarray, b: ndarray, emulated: Callable[[ndarray, ndarray], ndarray]
           ) -> ndarray | None:
    """a @ b (2-D, both float32 or both float64, k <= MAX_K) as one fused multiply-add
    chain an output from +0 (`emulated`: the exact chain, for the probe), by numpy's BLAS
    on zero-padded copies where the probe found it computes exactly that; else None."""
    dt = a.dtype
    if a.shape[1] > MAX_K or b.dtype != dt or not padded_chains(dt.type, emulated):
        return None
    return _padded(a, b)


def _padded(a: ndarray, b: ndarray) -> ndarray:
    m, k = a.shape
    n = b.shape[1]
    rows, cols = -(-m // PAD) * PAD, -(-n // PAD) * PAD
    if rows != m:
        big = np.zeros((rows, k), a.dtype)
        big[:m] = a
        a = big
    if cols != n:
        big = np.zeros((k, cols), b.dtype)
        big[:, :n] = b
        b = big
    with blas_threads.single():
        out = np.matmul(np.ascontiguousarray(a), np.ascontiguousarray(b))
    out = np.ascontiguousarray(out[:m, :n]) if rows != m or cols != n else out
    out += 0.0  # the chains start from +0: no -0 output, whichever zero BLAS starts from
    return out


@functools.cache
def padded_chains(scalar: type, emulated: Callable[[ndarray, ndarray], ndarray]) -> bool:
    """Whether numpy's BLAS computes the padded probes' products as the exact chains do,
    bit for bit (factors of wide exponents and some zeros). A probe's rows repeat 5
    distinct rows and its columns 7 distinct columns (every kernel lane and edge sees
    varied data): only a 5×7 block of chains is emulated (float64's ~120 ns a product
    would make the 200×100×200 probe half a second)."""
    dt = np.dtype(scalar)
    spread = 20 if dt == np.float32 else 60
    rng = np.random.default_rng(20261208)
    for m, k, n in _PADDED_PROBES:
        pair = []
        for shape in ((min(m, 5), k), (k, min(n, 7))):
            x = rng.standard_normal(shape) * np.exp2(rng.integers(-spread, spread, shape))
            x[rng.random(shape) < 0.05] = 0
            pair.append(x.astype(dt))
        rows, cols = np.arange(m) % pair[0].shape[0], np.arange(n) % pair[1].shape[1]
        want = np.ascontiguousarray((emulated(*pair) + dt.type(0))[rows][:, cols])
        got = _padded(pair[0][rows], pair[1][:, cols])
        if not np.array_equal(got.view(np.uint8), want.view(np.uint8)):
            return False
    return True
