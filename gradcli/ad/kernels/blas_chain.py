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
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

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
