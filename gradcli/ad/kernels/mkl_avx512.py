"""The summation orders of torch 2.13's MKL 2024.2 on its AVX-512 path (Intel processors
with AVX-512: kernels/mkl_path.mkl_avx512), emulated bit for bit with whole-array numpy.

Measured on round 20's Intel Xeon (Emerald Rapids) against torch with its default two
threads (/tmp probes: cancellation, H and -H among ones lose every term added while ±H
is in the running sum, then random factors; tests/test_r20_mkl.py keeps the sweeps).

sgemm (float32 matrix products): each output one fused multiply-add chain in k's order
from +0 (chain) for X @ W (both row-major: nn.Linear's input gradient g @ W) and Xᵀ @ W
(its weight gradient gᵀ @ x) with m, n ≥ 2, and for x @ Wᵀ (nn.Linear's forward) with
m ≥ 16; a smaller batch on one thread takes 16 lanes a output from k = 24·m on (lanes;
gemm_order says where). Past k = 384 the chain is split (split_sizes): when
m·n·k ≤ 192000 (one thread) into blocks of 384 while more than 768 are left, the rest
in two halves (the first the larger), the blocks' sums added one after another; past
it (two threads) k is halved (the first half the larger) until a part is ≤ 384 and the
parts' sums added as a tree, halves first. x @ Wᵀ with 2 columns (3 up to 10 rows) and
k < 64: 16 lanes folded by halves (halves; nn.Linear(k, 2) of a small batch).

sdot / ddot (torch.dot): 64-byte vectors (16 float32, 8 float64 lanes), element i in lane
i % W of one of 4 accumulators, fused multiply-adds: whole blocks of 4 vectors in turn
into accumulators 0-3, then pairs of vectors into 0, 1, then a vector and the last part
vector (masked) into 0; the accumulators added (a0 + a1) + (a2 + a3), the vector halved
to 4 lanes, then (l0 + l1) + (l2 + l3) (float64: (l0 + l2) + (l1 + l3)). From 32 KiB
a vector, two threads take a half each (dot).

Not modelled on this path (they keep the AVX2 models or numpy's BLAS, and miss): x @ Wᵀ
with more than 256 columns past k = 768 outside _wide_chains' rows and columns; x @ Wᵀ
with m < 16 and 2-3 columns for 64 ≤ k < 24·m (a four-accumulator kernel), k past 1536,
float64 x @ Wᵀ below 4 rows or past k = 384 on two threads, float64 addmm, bmm's batches
of fewer than 400 products (ATen's loop). Round 23 added x @ Wᵀ below 16 rows with 4-11
columns and k < 16 (halves / chains), 2-3 columns from k = 24·m (lanes) and 11-15 rows of
3 columns (chains), and float64 past one k block (chain_split, _nt64). gemv
(torch.mv and the one-column / one-row products): kernels/mkl_gemv512 (float32),
kernels/mkl_dgemv512 (float64).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.kernels import blas_chain
from gradcli.ad.kernels.fused import fma

ndarray = np.ndarray
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)

CHAIN_K = 384  # MKL's k block on this path
_ONE_THREAD = 192000  # m·n·k up to which sgemm stays on one thread (two past it)
_ONE_THREAD64 = 96000  # dgemm's (round 23: 8×12 by k = 1000 one thread, k = 1001 two)
_MIDPOINT_MASK = (1 << 29) - 1
_MIDPOINT = 1 << 28
_TINY32 = 2.0 ** -126


def _fma_step(acc: ndarray, x: ndarray, y: ndarray) -> ndarray:
    """acc + x·y rounded once (float32, broadcasting x against y): the product is exact in
    float64 and the float64 sum rounds to float32 as the fused operation does, except on a
    float32 midpoint or in the subnormal range, which go through kernels.fused.fma."""
    d = x.astype(np.float64) * y.astype(np.float64)
    d += acc
    if ((d.view(np.int64) & _MIDPOINT_MASK) == _MIDPOINT).any() or (
            (np.abs(d) < _TINY32) & (d != 0)).any():
        shape = d.shape
        return fma(np.broadcast_to(x, shape).copy(), np.broadcast_to(y, shape).copy(),
                   np.broadcast_to(acc, shape).astype(_F32))
    return d.astype(_F32)


def chain(a: ndarray, b: ndarray) -> ndarray:
    """a @ b (float32), each output one fused multiply-add chain in k's order from +0: by
    numpy's BLAS where it runs that chain itself (kernels/blas_chain), else emulated."""
    fast = blas_chain.product(a, b, _emulated_chain)
    if fast is None and _padded_worth(a, b):
        fast = blas_chain.padded(a, b, _emulated_chain)
    return fast if fast is not None else _emulated_chain(a, b)


#: Products from which a chain takes numpy's BLAS on padded copies (blas_chain.padded:
#: ~10-15 µs of copies and calls, its probe ~35 ms once; the emulation ~10 µs a k step,
#: ~10 ns a product in float32, ~120 in float64: 32×64×32 1.3 and 7.2 ms against 15 µs)
_PADDED_MIN = 1 << 7
#: Smaller chains (k >= 2) take it too once a process has emulated this many: a training
#: loop's tiny products (a 4×10 layer's weight gradient: 4 k steps, ~50-120 µs emulated
#: against ~10-20 padded) repeat thousands of times, a one-off product never pays the probe.
_SMALL_EMULATED = 16
_small_chains = [0]


def _padded_worth(a: ndarray, b: ndarray) -> bool:
    """Whether a chain of a @ b should try blas_chain.padded before the emulation."""
    m, k = a.shape
    if m * k * b.shape[1] >= _PADDED_MIN:
        return True
    if k < 2 or not m or not b.shape[1]:
        return False
    if _small_chains[0] < _SMALL_EMULATED:
        _small_chains[0] += 1
        return False
    return True


def _emulated_chain(a: ndarray, b: ndarray) -> ndarray:
    """chain(), one _fma_step a k."""
    m, k = a.shape
    acc = np.zeros((m, b.shape[1]), _F32)
    for i in range(k):
        acc = _fma_step(acc, a[:, i, None], b[i])
    return acc


def split_sizes(k: int, threaded: bool) -> list[Any]:
    """How sgemm splits k (the module's note): a flat list of block sizes (one thread,
    sums added in order) or a nested pair of halves (two threads, added as a tree)."""
    if threaded:
        if k <= CHAIN_K:
            return [k]
        half = (k + 1) // 2
        return [split_sizes(half, True), split_sizes(k - half, True)]
    sizes = []
    while k > 2 * CHAIN_K:
        sizes.append(CHAIN_K)
        k -= CHAIN_K
    if k > CHAIN_K:
        sizes += [(k + 1) // 2, k // 2]
    else:
        sizes.append(k)
    return sizes


def _block_chains(a: ndarray, b: ndarray, sizes: list[int]) -> list[ndarray]:
    """chain() of each of the consecutive k blocks of these sizes, in order. The blocks of
    one size run side by side (one fused multiply-add step over all of them), the same
    operations on each element as a chain of each: a split k of 1000 takes 250 steps."""
    m, n = a.shape[0], b.shape[1]
    starts = [sum(sizes[:j]) for j in range(len(sizes))]
    if a.dtype is _F64:  # dgemm's blocks: each chain64 (numpy's BLAS, padded)
        return [chain64(a[:, s:s + size], b[s:s + size]) for s, size in zip(starts, sizes,
                                                                               strict=True)]
    out: list[Any] = [None] * len(sizes)
    for size in dict.fromkeys(sizes):
        idx = [j for j, s in enumerate(sizes) if s == size]
        if len(idx) == 1 or (_padded_worth(a[:, :size], b[:size])
                             and blas_chain.padded_chains(_F32.type, _emulated_chain)):
            for j in idx:  # each block by numpy's BLAS (or one emulated)
                out[j] = chain(a[:, starts[j]:starts[j] + size], b[starts[j]:starts[j] + size])
            continue
        fast = [blas_chain.product(a[:, starts[j]:starts[j] + size],
                                   b[starts[j]:starts[j] + size], _emulated_chain)
                for j in idx] if m * n * size > blas_chain.SMALL_KERNELS else [None]
        if all(f is not None for f in fast):  # each block by numpy's BLAS
            for j, f in zip(idx, fast, strict=True):
                out[j] = f
            continue
        sa = np.stack([a[:, starts[j]:starts[j] + size] for j in idx])  # (p, m, size)
        sb = np.stack([b[starts[j]:starts[j] + size] for j in idx])  # (p, size, n)
        acc = np.zeros((len(idx), m, n), _F32)
        for i in range(size):
            acc = _fma_step(acc, sa[:, :, i, None], sb[:, i, None, :])
        for t, j in enumerate(idx):
            out[j] = acc[t]
    return out


def _flat(part: list[Any]) -> list[int]:
    return [s for p in part for s in ([p] if isinstance(p, int) else _flat(p))]


def _tree(part: list[Any], leaves: list[ndarray]) -> ndarray:
    """The sum of a nested pair of halves, its leaves' chains taken from `leaves` in
    order (the halves first)."""
    if len(part) == 1 and isinstance(part[0], int):
        return leaves.pop(0)
    left = _tree(part[0], leaves)
    right = _tree(part[1], leaves)
    return left + right


def chain_split(a: ndarray, b: ndarray, c: ndarray | None = None) -> ndarray:
    """a @ b (float32), or c + a @ b (addmm with beta = alpha = 1: c broadcast to the
    output, MKL's C), as sgemm's chains over its k blocks (the module's note): each
    block's chain from +0 is added to C in turn; with two threads the first thread adds
    its half's blocks to C so, the second sums its half apart (as a tree), then adds it."""
    m, k = a.shape
    n = b.shape[1]
    dt = a.dtype
    sizes = split_sizes(k, m * n * k > (_ONE_THREAD64 if dt is _F64 else _ONE_THREAD))
    leaves = _block_chains(a, b, _flat(sizes))
    if len(sizes) == 2 and not isinstance(sizes[0], int):
        n_left = len(_flat(sizes[0]))
        parts, right = leaves[:n_left], _tree(sizes[1], leaves[n_left:])
    else:
        parts, right = leaves, None
    out = parts[0] if c is None else c + parts[0]
    for part in parts[1:]:
        out = out + part
    if right is not None:
        out = out + right
    out = np.ascontiguousarray(out, dtype=dt)
    out += 0.0  # no -0 result
    return out


def lanes(a: ndarray, b: ndarray) -> ndarray:
    """a @ b (float32) as sgemm's small-batch kernel for x @ Wᵀ: each output in 16 lanes
    (product j in lane j % 16, the part block in lanes 0..), fused multiply-adds from +0,
    the lanes folded as four vectors of 4 added one after another, then
    (l0 + l1) + (l2 + l3)."""
    m, k = a.shape
    n = b.shape[1]
    acc = np.zeros((m, n, 16), _F32)
    bt = b.T
    for s in range(0, k, 16):
        r = min(16, k - s)
        acc[:, :, :r] = _fma_step(acc[:, :, :r], a[:, None, s:s + r], bt[None, :, s:s + r])
    v = acc.reshape(m, n, 4, 4)
    v = ((v[:, :, 0] + v[:, :, 1]) + v[:, :, 2]) + v[:, :, 3]
    out = (v[..., 0] + v[..., 1]) + (v[..., 2] + v[..., 3])
    out += 0.0
    return out


def halves(a: ndarray, b: ndarray) -> ndarray:
    """a @ b (float32) as sgemm's kernel for x @ Wᵀ with a few columns (n = 2, or 3 up to
    10 rows), k < 64 and k < 24·m: each output in 16 lanes (product j in lane j % 16, the
    part block in lanes 0..), fused multiply-adds from +0, except that the even rows (0,
    2, ...) add their second whole block's products rounded (unfused); the lanes folded
    by halves (lane i + lane i+8, then +4, +2, +1). nn.Linear(k, 2)'s forward of a small
    batch."""
    m, k = a.shape
    n = b.shape[1]
    acc = np.zeros((m, n, 16), _F32)
    bt = b.T
    for s in range(0, k, 16):
        r = min(16, k - s)
        x, y = a[:, None, s:s + r], bt[None, :, s:s + r]
        fused = _fma_step(acc[:, :, :r], x, y)
        if s == 16 and r == 16:
            fused[0::2] = acc[0::2, :, :r] + x[0::2] * y
        acc[:, :, :r] = fused
    while acc.shape[-1] > 1:
        h = acc.shape[-1] // 2
        acc = acc[..., :h] + acc[..., h:]
    out = np.ascontiguousarray(acc[..., 0])
    out += 0.0
    return out


_HALVES_K = 63  # k up to which halves is measured (from 64 four accumulators, not modelled)


def _wide_chains(m: int, n: int, k: int) -> bool:
    """Whether x @ Wᵀ with more than 256 columns past k = 384 (m ≥ 16) sums as chain_split
    (round 22, measured up to 256 rows and 1000 columns): up to k = 768 always; past it
    for 64-96 rows up to 512 columns and 16-63 rows up to 300 (else the threads split
    the columns or rows, each summing k in its own blocks: not modelled)."""
    if k <= 2 * CHAIN_K:
        return True
    return (64 <= m <= 96 and n <= 512) or (m < 64 and n <= 300)


def gemm_order(m: int, n: int, k: int, a_t: bool, b_t: bool) -> str | None:
    """Which order sgemm on this path sums the m×k by k×n product in (a_t / b_t: the
    factor is a transposed view): "chain" (chain_split), "lanes" (lanes), or None where
    it is not modelled. Measured for m, n up to 512 and k up to 1536 with two threads:
    X @ W and Xᵀ @ W chain for m, n ≥ 2, Xᵀ @ Wᵀ from 8 rows (or k > n); x @ Wᵀ chains from 16
    rows, and below on one thread (m·n·k ≤ 192000) takes lanes from k = 24·m on (n ≥ 4),
    the chains below (n ≥ 12, or k ≥ 16); past k = 384, more than 256 columns split k
    between the threads by other rules (not modelled) unless there are 16 rows or more and
    both factors are row-major."""
    if k < 2 or m < 2 or n < 2 or k > 4 * CHAIN_K:
        return None
    if k > CHAIN_K and n > 256 and (m < 16 or (b_t and (a_t or not _wide_chains(m, n, k)))):
        return None
    if a_t and b_t:  # Xᵀ @ Wᵀ: the chains from 12 rows (measured up to 64×64, k ≤ 500);
        # below, up to 64 columns, from 8 rows, or n ≤ m, or k > n (round 22, k ≤ 400)
        return "chain" if m >= 12 or (n <= 64 and (m >= 8 or n <= m or k > n)) else None
    if not b_t or m >= 16:
        return "chain"
    if m * n * k > _ONE_THREAD:
        return "chain"
    if n < 4 and k <= _HALVES_K and k < 24 * m and (n == 2 or m <= 10):
        return "halves"  # measured for 2-15 rows (n = 2), 2-10 rows (n = 3)
    if k >= 24 * m:  # 2-3 columns too (round 23: m 2-15, k up to 1536)
        return "lanes"
    if n == 3 and m >= 11:  # round 23: 11-15 rows of 3 columns chain (k 2-384)
        return "chain"
    if 4 <= n < 12 and k < 16:  # round 23 (m 2-15, n 4-11, k 2-15, every case): the
        # halves kernel below n rows and up to k = n, the chains else
        return "halves" if m < n and k <= n else "chain"
    return "chain" if n >= 12 or (n >= 4 and k >= 16) else None


_PRODUCT_MAX = 1 << 24  # products emulated: ~10 ns each (64×128 by 784 in ~60 ms), unless
# numpy's BLAS runs the chains (blas_chain): every k block of a chain past 2²⁴ products is
# past its small kernels (k ≤ 1536 leaves ≥ 10,923 outputs), so MNIST's 64 × 784 → 512
# is exact at BLAS speed (round 22: 85 of 114 MNIST-sized products exact, 71 with the cap,
# none exact before and not after); up to _BATCH_ROWS rows, where that was measured (W3's
# 1000 × 1000 chains would be slower than BLAS and not PyTorch's either: 9.5% exact)
_BATCH_ROWS = 128


_PRODUCT64_MAX = 1 << 24  # float64 chains: numpy's BLAS on padded copies (blas_chain.padded;
# emulated ~120 ns a product where its probe fails). Round 23: blas_sweep --n 150 --seed 1
# float64 880 -> 900 of 1050 exact with the cap raised from 2¹⁶ (none lost), and 44 of 44
# shapes up to 4096×16 by k = 100 and 1576×32 by 32 (every layout) against torch


def order(m: int, n: int, k: int, a_t: bool, b_t: bool, dt: Any) -> str | None:
    """gemm_order for a float32 product of at most _PRODUCT_MAX products; for float64
    (dgemm) "chain64" where measured (k ≤ 384, x @ Wᵀ: m ≥ 4 and k ≤ 192; up to
    _PRODUCT64_MAX products), else None."""
    if dt is _F64:
        if (k < 2 or m < 2 or n < 2 or (a_t and b_t) or m * n * k > _PRODUCT64_MAX
                or k > (2 * CHAIN_K if b_t else 4 * CHAIN_K) or (b_t and m < 4)):
            return None
        if b_t and not a_t and k > _CHAIN64_NT_K:
            return _nt64_order(m, n, k)
        return "chain64" if k <= CHAIN_K else "chain"  # past one k block: sgemm's split
        # (chain_split: blocks of 384, two threads past _ONE_THREAD64; round 23, X @ W and
        # Xᵀ @ W, k 385-1536)
    if dt is not _F32:
        return None
    how = gemm_order(m, n, k, a_t, b_t)
    if m * n * k > _PRODUCT_MAX and (how != "chain" or m > _BATCH_ROWS
                                     or not blas_chain.runs_chains(_emulated_chain)):
        return None
    return how


_CHAIN64_NT_K = 192  # dgemm's k block for x @ Wᵀ (384 for the other layouts, as sgemm's)


def _nt64_order(m: int, n: int, k: int) -> str | None:
    """dgemm's order for x @ Wᵀ past k = 192 (round 23, m 4-128, n 8-128, k 193-1536):
    from 57 rows and 57 columns one chain up to k = 384 (past it not measured); else
    "nt64" (_nt64) up to k = 768, past k = 384 on one thread only (two: not measured)."""
    if m >= 57 and n >= 57:
        return "chain64" if k <= CHAIN_K else None
    return "nt64" if k <= CHAIN_K or m * n * k <= _ONE_THREAD64 else None


def _nt64_blocks(k: int) -> list[int]:
    """One thread's k blocks for x @ Wᵀ in float64: 192 while more than 384 are left,
    the rest in two halves (the first the larger) past 192."""
    sizes = []
    while k > 2 * _CHAIN64_NT_K:
        sizes.append(_CHAIN64_NT_K)
        k -= _CHAIN64_NT_K
    return sizes + ([(k + 1) // 2, k // 2] if k > _CHAIN64_NT_K else [k])


def _nt64(a: ndarray, b: ndarray) -> ndarray:
    """x @ Wᵀ (float64) past k = 192, as dgemm sums it: on one thread (up to
    _ONE_THREAD64 multiply-adds) the chains of _nt64_blocks added in order; on two, k
    halved (the first half the larger), each half so, the halves' sums added."""
    m, k = a.shape
    n = b.shape[1]
    halves = [k] if m * n * k <= _ONE_THREAD64 else [(k + 1) // 2, k // 2]
    out, start = None, 0
    for h in halves:
        part = None
        for size in _nt64_blocks(h):
            p = chain64(a[:, start:start + size], b[start:start + size])
            part = p if part is None else part + p
            start += size
        out = part if out is None else out + part
    assert out is not None
    out += 0.0
    return out


def chain64(a: ndarray, b: ndarray) -> ndarray:
    """a @ b (float64), each output one fused multiply-add chain in k's order from +0
    (dgemm on this path for one k block: measured for m, n up to 256): by numpy's BLAS on
    padded copies where it computes that chain (blas_chain.padded), else emulated."""
    if _padded_worth(a, b):
        fast = blas_chain.padded(a, b, emulated_chain64)
        if fast is not None:
            return fast
    return emulated_chain64(a, b)


def emulated_chain64(a: ndarray, b: ndarray) -> ndarray:
    """chain64(), one fused.fma a k."""
    m, k = a.shape
    n = b.shape[1]
    acc = np.zeros((m, n), _F64)
    for i in range(k):
        acc = fma(np.broadcast_to(a[:, i, None], (m, n)), np.broadcast_to(b[i], (m, n)), acc)
    acc += 0.0
    return acc


def product(a: ndarray, b: ndarray, how: str) -> ndarray:
    """a @ b in the order `how` names (order's answer)."""
    if how == "chain64":
        return chain64(a, b)
    if how == "nt64":
        return _nt64(a, b)
    if how == "halves":
        return halves(a, b)
    return chain_split(a, b) if how == "chain" else lanes(a, b)


def addmm(c: Any, a: ndarray, b: ndarray, beta: Any, alpha: Any, a_t: bool,
          b_t: bool) -> ndarray | None:
    """beta·c + alpha·(a @ b) (PyTorch's addmm; nn.Linear's x @ wᵀ + bias) as sgemm on
    this path computes it, or None where that is not modelled: float32 matrices, a float32
    c that broadcasts to the output. The chains take beta·c as MKL's C (chain_split): on
    two threads with alpha packed into b (b·alpha rounded), on one (one k block only)
    beta·c + alpha·(a @ b), each step rounded; the lanes kernel adds c after (beta and
    alpha 1 only). With k = 1 each output is one fused multiply-add onto c."""
    if not (a.dtype is _F32 and b.dtype is _F32 and isinstance(c, np.ndarray)
            and c.dtype is _F32 and c.ndim <= 2 and a.shape[1] == b.shape[0]):
        return None
    m, k = a.shape
    n = b.shape[1]
    if any(d not in (1, e) for d, e in zip(c.shape[::-1], (n, m)[:c.ndim], strict=True)):
        return None
    if k == 1 and beta == 1 and alpha == 1 and m >= 2 and n >= 2:  # c + a·b, rounded once
        shape = (m, n)
        return fma(np.broadcast_to(a, shape).copy(), np.broadcast_to(b, shape).copy(),
                   np.broadcast_to(c, shape).copy())
    how = order(m, n, k, a_t, b_t, _F32)
    if how is None:
        return None
    base = np.zeros((m, n), _F32) if beta == 0 else c if beta == 1 else c * _F32.type(beta)
    if alpha == 1 and how == "chain":
        return chain_split(a, b, np.broadcast_to(base, (m, n)))
    if how == "chain" and m * n * k > _ONE_THREAD:  # two threads: alpha packed into b
        return chain_split(a, b * _F32.type(alpha), np.broadcast_to(base, (m, n)))
    if (beta != 1 or alpha != 1) if how in ("lanes", "halves") else k > CHAIN_K:
        return None  # not measured
    p = product(a, b, how)
    return (base + (p if alpha == 1 else p * _F32.type(alpha))).astype(_F32)


_DOT_THREADED = 1 << 15  # bytes a vector from which ?dot splits it between two threads


def dot(a: ndarray, b: ndarray) -> Any:
    """a · b for two float32 or float64 vectors of one dtype, in sdot's / ddot's order on
    this path (the module's note); from 32 KiB a vector (8192 float32, 4096 float64) two
    threads each take a half (the first the larger) and their sums are added."""
    k = a.shape[0]
    if k * a.dtype.itemsize >= _DOT_THREADED:
        h = (k + 1) // 2
        return _dot(a[:h], b[:h]) + _dot(a[h:], b[h:])
    return _dot(a, b)


def _dot(a: ndarray, b: ndarray) -> Any:
    """One thread's sdot / ddot."""
    dt = a.dtype
    k = a.shape[0]
    width = 64 // dt.itemsize
    acc = np.zeros((4, width), dt)
    whole = k // width
    quads = whole // 4
    if quads:
        x = a[:4 * width * quads].reshape(quads, 4, width)
        y = b[:4 * width * quads].reshape(quads, 4, width)
        for q in range(quads):
            acc = _dot_step(acc, x[q], y[q], dt)
    pos = 4 * width * quads
    rest = whole - 4 * quads
    if rest >= 2:
        acc[:2] = _dot_step(acc[:2], a[pos:pos + 2 * width].reshape(2, width),
                            b[pos:pos + 2 * width].reshape(2, width), dt)
        pos += 2 * width
    while pos < k:  # a whole vector, then the masked part vector, into accumulator 0
        r = min(width, k - pos)
        acc[0, :r] = _dot_step(acc[0, :r], a[pos:pos + r], b[pos:pos + r], dt)
        pos += r
    v = (acc[0] + acc[1]) + (acc[2] + acc[3])
    while v.shape[0] > 4:
        h = v.shape[0] // 2
        v = v[:h] + v[h:]
    out = (v[0] + v[1]) + (v[2] + v[3]) if dt == _F32 else (v[0] + v[2]) + (v[1] + v[3])
    return out + dt.type(0)


def _dot_step(acc: ndarray, x: ndarray, y: ndarray, dt: np.dtype) -> ndarray:
    if dt == _F32:
        return _fma_step(acc, x, y)
    return fma(x, y, acc)
