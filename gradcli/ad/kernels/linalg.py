"""Linear algebra (mm, mv, dot, matmul) and loss kernels."""

from __future__ import annotations

from typing import Any

import numpy as np

try:  # numpy's count_nonzero without its Python wrapper (W2's backward counts twice a step)
    from numpy._core.multiarray import count_nonzero as _nonzero
except ImportError:  # pragma: no cover - numpy < 2
    _nonzero = np.count_nonzero

from gradcli.ad.kernels import blas_threads, mkl_avx512, mkl_gemm, mkl_gemv
from gradcli.ad.kernels.half import via_float32
from gradcli.ad.kernels.messages import (
    TorchError,
    _Shape,
    broadcast_message,
    c_type_name,
    expand_message,
    scalar_name,
)
from gradcli.ad.kernels.mkl_dgemv512 import gemv512 as _gemv512
from gradcli.ad.kernels.mkl_path import mkl_avx512 as _mkl_avx512

ndarray = np.ndarray
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)


# -- linear algebra -------------------------------------------------------------------



def _check_mm_dtypes(a: ndarray, b: ndarray) -> None:
    if a.dtype != b.dtype:
        raise TorchError(
            "expected m1 and m2 to have the same dtype, but got: "
            f"{c_type_name(a.dtype)} != {c_type_name(b.dtype)}")


def _check_mv_dtypes(a: ndarray, v: ndarray) -> None:
    if a.dtype != v.dtype:
        raise TorchError(
            "addmv input tensors must have the same dtype, but got "
            f"{scalar_name(v.dtype)}, {scalar_name(a.dtype)}, and {scalar_name(v.dtype)}")


def _check_dot_dtypes(a: ndarray, b: ndarray) -> None:
    if a.dtype != b.dtype:
        raise TorchError("dot : expected both vectors to have same dtype, but found "
                         f"{scalar_name(a.dtype)} and {scalar_name(b.dtype)}")


def _check_matmul_dtypes(a: ndarray, b: ndarray) -> None:
    """PyTorch's message for mixed dtypes names the kernel matmul folds the shapes into."""
    if a.dtype == b.dtype:
        return
    if a.ndim == 1 and b.ndim == 1:
        _check_dot_dtypes(a, b)
    if b.ndim == 1:
        _check_mv_dtypes(a, b)
    if b.ndim == 2:
        _check_mm_dtypes(a, b)
    raise TorchError(f"expected scalar type {scalar_name(a.dtype)} but found "
                     f"{scalar_name(b.dtype)}")


_IN_ORDER_MAX = 1 << 16  # matrix products (an mv: _MV_IN_ORDER_MAX)
_MV_IN_ORDER_MAX = 2048
_PEELED_MAX = 1 << 21  # products: ~0.8 ns each in order (256×784 @ 784×10 in ~1.6 ms)


def _sums_in_order(m: int, n: int, k: int, a_t: bool, b_t: bool, dt: Any) -> bool:
    """Whether PyTorch's CPU matrix product (torch 2.13's MKL build) sums each output's k
    products one after another, each product rounded, no fused multiply-add, for an
    m×k by k×n product whose factors are row-major (a_t/b_t: a transposed view instead).
    Measured against torch for m, n up to 100 and k up to 300 (tests/test_kernel_bits.py
    keeps the table); elsewhere numpy's BLAS gives PyTorch's bits or the closer ones.
    Only up to _IN_ORDER_MAX products: summing in order costs ~1 ns a product against
    BLAS's ~0.1 ns."""
    if m * n * k > _IN_ORDER_MAX:
        return False
    if dt is _F64:
        if b_t or k <= 1:
            return False
        if n in (2, 4, 8):
            return True
        return k <= (4 if n == 1 else 5) if n in (1, 3, 5) else False
    if dt is not _F32 or k <= 1:
        return False
    if not a_t and not b_t:
        if m == 1 or n in (2, 3, 4, 8):
            return True
        if n == 1:
            return k <= 4 or (m <= 3 and k <= 8)
        return k <= 7 if n <= 11 else m <= 3
    if a_t and not b_t:
        if m == 1 or n in (1, 2, 3, 4, 8):
            return True
        return k <= 7 if n <= 11 else m <= 3
    if not a_t:  # b a transposed view
        if n >= 12 and m >= 4:
            return False
        return k <= (8 if m == 1 else 7) if n <= 3 else k <= (4 if m == 1 else 3)
    return k <= 4 if m == 1 else (n <= 9 or m <= 3)


def _mv_in_order(m: int, k: int, a_t: bool, dt: Any) -> bool:
    """Whether PyTorch's matrix-vector product (gemv) sums each output's k products one
    after another: a transposed matrix's (every mv backward's Wᵀ @ g), float32 and
    float64 (measured up to 40×200); a row-major one's for k ≤ 4 (measured as
    _sums_in_order). Up to _MV_IN_ORDER_MAX products: past that, PyTorch's forward mv
    (k > 4) is not in order anyway, so a backward in order would not make a chain match
    (bench W2's 64×64 keeps BLAS)."""
    if m * k > _MV_IN_ORDER_MAX or k <= 1 or (dt is not _F32 and dt is not _F64):
        return False
    return a_t or k <= 4


def _in_order(a: ndarray, b: ndarray) -> Any:
    """a @ b (2-D, one float dtype, at most _IN_ORDER_MAX products) with each output's
    products added one after another in k's order: a running sum over k (numpy's add
    reduction would sum a contiguous run pairwise). PyTorch's sums start from +0, so no
    output is -0."""
    return mkl_gemm.in_order(a, b)


def _transposed(x: ndarray) -> bool:
    """Whether PyTorch's BLAS call reads the matrix as column-major (a transposed view):
    its first stride is one element and its second spans a column, as ATen tests it (a
    1×k view of a k×1 column is; a row-major 1×k row is not)."""
    size = x.itemsize
    return x.strides[0] == size and x.strides[1] >= max(1, x.shape[0]) * size


def _in_lanes(m: int, n: int, k: int, a_t: bool, b_t: bool, dt: Any) -> int:
    """How many lanes PyTorch's CPU matrix product (MKL's small kernel) sums each output's
    k products in, for a row-major a by a transposed view b (a @ W.t(): nn.Linear's
    forward, every mm backward's grad @ bᵀ), m ≥ 2: float32 in 4 lanes when n is a
    multiple of 4 with n ≤ 8 or m ≤ 3 and k is a multiple of 4, in 8 when n is 2 or 3 and
    k a multiple of 8; float64 in 2 when n is a multiple of 4 with n ≤ 8 or m ≤ 3 and k
    is even; 0 where that is not the kernel (measured against torch 2.13 for m, n up to
    100, k up to 256; tests/test_r15_autograd.py keeps the table). Only up to
    _IN_ORDER_MAX products."""
    if not b_t or a_t or m < 2 or m * n * k > _IN_ORDER_MAX:
        return 0
    quad = n % 4 == 0 and (n <= 8 or m <= 3)
    if dt is _F32:
        if quad:
            return 4 if k % 4 == 0 and k >= 4 else 0
        return 8 if n in (2, 3) and k % 8 == 0 and k >= 8 else 0
    if dt is _F64 and quad:
        return 2 if k % 2 == 0 and k >= 2 else 0
    return 0


def _lane_sums(a: ndarray, b: ndarray, lanes: int) -> Any:
    """a @ b with each output's products summed in `lanes` running sums (product j in
    lane j % lanes, each product rounded, no fused multiply-add), then the lanes added as
    a vector's horizontal sum does it, halving: (l0 + l2) + (l1 + l3) for 4."""
    m, k = a.shape
    n = b.shape[1]
    products = np.multiply(a[:, None, :], b.T[None, :, :])  # (m, n, k)
    s = np.add.accumulate(products.reshape(m, n, k // lanes, lanes), axis=2)[:, :, -1]
    while lanes > 1:
        lanes //= 2
        s = s[:, :, :lanes] + s[:, :, lanes:]
    out = np.ascontiguousarray(s[:, :, 0])
    out += 0.0  # the sums start from +0: no output is -0
    return out


_FMA_CHAIN_MAX = 1 << 18  # products: ~1.3 ms for 64×64×64 against BLAS's ~11 µs
_FMA_CHAIN_K = 192  # past it MKL sums blocks of k apart
_MIDPOINT_MASK = (1 << 29) - 1
_MIDPOINT = 1 << 28
_TINY32 = 2.0 ** -126


def _fma_chains(m: int, n: int, k: int, dt: Any) -> bool:
    """Whether PyTorch's CPU matrix product (MKL's sgemm) sums each output's products in
    fused multiply-add chains in k's order, from +0 (one chain up to k = 192, then
    _chain_blocks): float32 with n ≥ 12 and m 4, 8 or ≥ 12, whatever the layouts
    (measured against torch 2.13 for m up to 512, n up to 512, k up to 1000; an MLP's h @ W
    and g @ W of 16 to 64 units). Up to _FMA_CHAIN_MAX products."""
    return (dt is _F32 and n >= 12 and (m in (4, 8) or m >= 12) and k >= 2
            and m * n * k <= _FMA_CHAIN_MAX)


def _chain_blocks(k: int) -> list[int]:
    """How MKL's sgemm splits k past 192: up to 384 in two halves (an odd k's last
    product a third block), past it blocks of 192; each block one chain from 0, the
    blocks' sums added in order."""
    if k <= _FMA_CHAIN_K:
        return [k]
    if k <= 2 * _FMA_CHAIN_K:
        return [k // 2, k // 2] + ([1] if k % 2 else [])
    return [_FMA_CHAIN_K] * (k // _FMA_CHAIN_K) + ([k % _FMA_CHAIN_K] if k % _FMA_CHAIN_K else [])


def _fma_chain(a: ndarray, b: ndarray) -> Any:
    """a @ b (float32) as one fused multiply-add chain per output: each step's product is
    exact in float64 and the float64 sum rounds to float32 as the fused operation does,
    except where the double rounding could differ (a float32 midpoint, the subnormal
    range): those steps go through kernels.fused.fma."""
    from gradcli.ad.kernels.fused import fma

    m, k = a.shape
    if k > _FMA_CHAIN_K:
        out, start = None, 0
        for size in _chain_blocks(k):
            part = _fma_chain(a[:, start:start + size], b[start:start + size])
            out = part if out is None else out + part
            start += size
        return out
    a64 = a.astype(np.float64)
    b64 = b.astype(np.float64)
    acc = np.zeros((m, b.shape[1]), _F32)
    d = np.empty(acc.shape, np.float64)
    for i in range(k):
        np.multiply(a64[:, i, None], b64[i], out=d)
        d += acc
        if ((d.view(np.int64) & _MIDPOINT_MASK) == _MIDPOINT).any() or (
                (np.abs(d) < _TINY32) & (d != 0)).any():
            acc = fma(np.ascontiguousarray(a[:, i, None]), np.ascontiguousarray(b[i, None]),
                      acc)
        else:
            acc = d.astype(_F32)
    return acc


_GEMV_MAX = 1 << 15  # products: mkl_gemv's order costs ~3 ns a product against BLAS's ~0.3


#: products of the one-column and one-row matrix products that take mkl_gemv's order
#: (nn.Linear(k, 1) of a batch, nn.Linear(k, n) of one sample): one call a layer, not
#: mv's chains, so up to 784×256 (~1 ms, measured exact past it: /tmp/probes-a gemv_t).
_GEMV_PRODUCT_MAX = 1 << 18


def _gemv_rows(a: ndarray, m: int, k: int, dt: Any, limit: int = _GEMV_MAX) -> bool:
    """Whether MKL's gemv computes a @ v for this matrix as mkl_gemv.mv_rows does: a
    row-major float32/float64 matrix (torch.mv, matmul by a vector, and a one-column mm
    or addmm: nn.Linear(k, 1)), up to `limit` products (_GEMV_MAX)."""
    return ((dt is _F32 or dt is _F64) and 0 < m * k <= limit and a.flags.c_contiguous
            and not _transposed(a))


def _mv_gemv(a: ndarray, v: ndarray, m: int, k: int, dt: Any) -> bool:
    """Whether mv takes mkl_gemv's order: _gemv_rows, a contiguous vector, and only up to
    _MV_IN_ORDER_MAX products (a chain of mv's, bench W2's 64×64, keeps BLAS's ~1 µs)."""
    return m * k <= _MV_IN_ORDER_MAX and _gemv_rows(a, m, k, dt) and v.flags.c_contiguous


def product(a: ndarray, b: ndarray) -> Any:
    """a @ b for matrices of one dtype, in PyTorch's summation order where it is known."""
    m, k = a.shape
    n = b.shape[1]
    a_t, b_t, dt = _transposed(a), _transposed(b), a.dtype
    if _mkl_avx512():
        if order := mkl_avx512.order(m, n, k, a_t, b_t, dt):
            return mkl_avx512.product(a, b, order)
        if (dt is _F32 or dt is _F64) and k and (n == 1 or m == 1) \
                and m * n * k <= (_GEMV_PRODUCT_MAX if dt is _F32 else _MV_IN_ORDER_MAX):
            # MKL's gemm of one column or row is its gemv (a row by a column: gemv on the
            # column, 'N' or 'T' by its layout)
            col = n == 1 and m > 1
            out = _gemv512(a, b[:, 0]) if col else _gemv512(b.T, a[0])
            if out is not None:
                return out[:, None] if col else out[None, :]
    if n == 1 and (m > 1 or b_t) and _gemv_rows(a, m, k, dt, _GEMV_PRODUCT_MAX):
        # MKL's gemm of one column is its gemv (a (1×k)·(k×1) column: neither, measured)
        return mkl_gemv.mv_rows(a, b[:, 0])[:, None]
    if m == 1 and n > 1 and b_t and not a_t and _gemv_rows(b.T, n, k, dt, _GEMV_PRODUCT_MAX):
        return mkl_gemv.mv_rows(b.T, a[0])[None, :]  # x @ Wᵀ of one row: gemv on W
    if dt is _F32 and b_t and not a_t and m >= 2 and n >= 2 and (n < 12 or m <= 3) \
            and m * n * k <= _PEELED_MAX:
        # nn.Linear(k, n < 12)'s forward, up to the backward's cap (peeled_columns below):
        # a batch of 32-256 MNIST rows by 784 is ~1.4 ns a product
        return mkl_gemm.lane_columns(a, b)
    if dt is _F32 and n >= 12 and m >= 5 and m % 4 and k >= 2 \
            and m * n * k <= _FMA_CHAIN_MAX and not (a_t and b_t):
        return mkl_gemm.chain_then_leftover(a, b, b_t, _fma_chain)
    if (dt is _F32 or dt is _F64) and not b_t and k >= 2 and m * n * k <= _PEELED_MAX and (
            (n >= 2 and (n < 12 or m <= 3)) or (n == 1 and (a_t or m == 1))):
        # X @ W, xᵀ @ g of nn.Linear(k, n < 12); Xᵀ @ g of a column, a row by a column:
        # in order
        return mkl_gemm.peeled_columns(a, b)
    if _sums_in_order(m, n, k, a_t, b_t, dt):
        return _in_order(a, b)
    if lanes := _in_lanes(m, n, k, a_t, b_t, dt):
        return _lane_sums(a, b, lanes)
    if _fma_chains(m, n, k, dt):
        return _fma_chain(a, b)
    if m * n * k >= blas_threads.WIDE_PRODUCTS:
        with blas_threads.wide(m * n * k):
            return a @ b
    return a @ b


_BMM_LOOP_MAX = 400  # ATen's bmm: its own loop below this many products a batch


def batched_product(a: ndarray, b: ndarray) -> Any:
    """a @ b for stacks of matrices of one float dtype and one batch shape, as PyTorch's
    bmm computes them: below _BMM_LOOP_MAX products a batch ATen's baddbmm_cpu_kernel
    adds each output's k products one after another from 0, each product rounded; past it
    one gemm a batch (product's order; MKL's AVX-512 path: measured up to 16×784 @ 784×10
    batches)."""
    m, k = a.shape[-2:]
    n = b.shape[-1]
    dt = a.dtype
    if k == 0 or (dt is not _F32 and dt is not _F64) or b.dtype != dt:
        return np.matmul(a, b)
    if m * k * n < _BMM_LOOP_MAX:
        products = np.multiply(a[..., :, :, None], b[..., None, :, :])  # (..., m, k, n)
        out = np.ascontiguousarray(np.add.accumulate(products, axis=-2)[..., -1, :])
        out += 0.0
        return out
    if a.size == 0 or b.size == 0 or not (
            _sums_in_order(m, n, k, False, False, dt) or (_mkl_avx512() and mkl_avx512.order(
                m, n, k, _transposed(a[(0,) * (a.ndim - 2)]), _transposed(b[(0,) * (b.ndim - 2)]),
                dt))):
        return np.matmul(a, b)
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    out = np.empty((*batch, m, n), dt)
    a, b = np.broadcast_to(a, (*batch, m, k)), np.broadcast_to(b, (*batch, k, n))
    for idx in np.ndindex(out.shape[:-2]):
        out[idx] = product(a[idx], b[idx])
    return out


def _foldable(a: ndarray) -> bool:
    """Whether PyTorch's matmul folds a (≥3-D, against a matrix or vector) into one matrix
    of rows: its leading dims are laid out as one run (ATen's should_fold)."""
    st, sh = a.strides, a.shape
    return a.size == 0 or all(st[i] == st[i + 1] * sh[i + 1] for i in range(a.ndim - 2))


def mm(a: ndarray, b: ndarray) -> Any:
    """Matrix product of two matrices."""
    if a.ndim != 2 or b.ndim != 2:
        raise TorchError("self must be a matrix" if a.ndim != 2 else "mat2 must be a matrix")
    _check_mm_dtypes(a, b)
    if a.shape[1] != b.shape[0]:
        raise TorchError(
            f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
            f"{b.shape[0]}x{b.shape[1]})"
        )
    if a.shape[1] == 1:
        return _mm_k1(a, b)  # an outer product (mv's and dot's VJPs make these)
    return product(a, b)


def column_major(x: ndarray) -> bool:
    """Whether ATen's mm backward takes a saved factor as column-major (strides (1, rows)
    in elements, as mm_mat1_backward and mm_mat2_backward test them): its gradient is
    then the transpose of the other product (a transposed weight's, nn.Linear's wᵀ)."""
    return (x.ndim == 2 and x.strides[0] == x.itemsize
            and x.strides[1] == x.shape[0] * x.itemsize)


def mm_mat1_grad(g: ndarray, a: ndarray, b: ndarray) -> Any:
    """a's gradient in a @ b as ATen's mm_mat1_backward computes it: (b @ gᵀ)ᵀ for a
    column-major a, else g @ bᵀ (the two sum each output's products in other orders)."""
    if column_major(a):
        return mm(b, g.swapaxes(0, 1)).swapaxes(0, 1)
    return mm(g, b.swapaxes(0, 1))


def mm_mat2_grad(g: ndarray, a: ndarray, b: ndarray) -> Any:
    """b's gradient in a @ b as ATen's mm_mat2_backward computes it: (gᵀ @ a)ᵀ for a
    column-major b (nn.Linear's weight gradient is gᵀ @ x), else aᵀ @ g."""
    if column_major(b):
        return mm(g.swapaxes(0, 1), a).swapaxes(0, 1)
    return mm(a.swapaxes(0, 1), g)


class Vmap:
    """How deep torch.func.vmap calls are (ad.func sets it): vmap runs a product of two
    per-sample matrices as one bmm, whose sums start from +0."""

    depth = 0


def _mm_k1(a: ndarray, b: ndarray) -> Any:
    """mm of a (m×1) by b (1×n), as MKL gives it: a row or a column (m or n of 1) is a
    gemv, whose sums start from +0 (a zero factor's -0. is lost), as is bmm's (vmap's);
    a matrix is the broadcast multiply's (outer_k1), signed zeros kept."""
    r = outer_k1(a, b)
    if r.shape[0] == 1 or r.shape[1] == 1 or Vmap.depth:
        r += 0.0
    return r


def mv(a: ndarray, v: ndarray) -> Any:
    """Matrix-vector product.

    np.dot where it is the same BLAS gemv as `@` (a C- or F-contiguous float32/float64
    matrix of at least 2×2, a contiguous vector: the same bits, ~0.3 µs less a call); `@`
    otherwise (np.dot multiplies by a one-element operand instead, keeping a product's
    -0. that gemv's +0. start loses; other layouts go different ways and may round
    differently)."""
    if a.ndim != 2 or v.ndim != 1:
        raise TorchError("vector + matrix @ vector expected, got "
                         f"{v.ndim}, {a.ndim}, {v.ndim}")
    dt = a.dtype
    if (vt := v.dtype) is not dt and vt != dt:
        _check_mv_dtypes(a, v)
    m, k = a.shape
    if k != v.shape[0]:
        raise TorchError(f"size mismatch, got input ({m}), mat ({m}x{k}), vec ({v.shape[0]})")
    if m * k <= _MV_IN_ORDER_MAX:  # W2: no call past it
        if not _mkl_avx512():  # MKL's AVX2 gemv orders
            if _mv_gemv(a, v, m, k, dt):
                return mkl_gemv.mv_rows(a, v)
            if _mv_in_order(m, k, _transposed(a), dt):
                return _in_order(a, v[:, None])[:, 0]
        elif (dt is _F32 or dt is _F64) and m and k and (out := _gemv512(a, v)) is not None:
            return out
    if m > 1 and k > 1 and (dt is _F32 or dt is _F64) and a.flags.forc and v.flags.forc:
        return a.dot(v)  # np.dot's own gemv, without its dispatcher's Python call
    return a @ v


def mv_t_checked(a: ndarray, g: ndarray) -> Any:
    """aᵀ @ g (mv's VJP for the vector) for a matrix and a vector mv's checks passed: the
    same bits as mv(transpose(a), g) (np.dot(g, a) is np.dot(a.T, g)'s gemv)."""
    dt = a.dtype
    m, k = a.shape
    if m * k <= _MV_IN_ORDER_MAX:  # as mv
        at = a.swapaxes(0, 1)  # (not made past it: W2's 64×64 takes g.dot(a) below)
        if not _mkl_avx512():
            if _mv_gemv(at, g, k, m, dt):
                return mkl_gemv.mv_rows(at, g)
            if _mv_in_order(k, m, _transposed(at), dt):
                return _in_order(at, g[:, None])[:, 0]
        elif (dt is _F32 or dt is _F64) and m and k and (out := _gemv512(at, g)) is not None:
            return out
    if m > 1 and k > 1 and (dt is _F32 or dt is _F64) and a.flags.forc and g.flags.forc:
        return g.dot(a)
    return a.swapaxes(0, 1) @ g


def outer_k1(a: ndarray, b: ndarray) -> Any:
    """a (m×1) times b (1×n) of one dtype: each product a_i·b_j rounded once, as the
    broadcast multiply PyTorch's outer product is.

    numpy's broadcast multiply runs its inner loop once per row (~50 ns a row at 64×64) and
    is slow even on long rows. BLAS's k=1 gemm (np.dot) and einsum's outer loop are faster
    and give the same products except where one rounds to zero: both start from +0,
    losing a zero factor's signed zero and an underflowing product's sign (OpenBLAS
    0.3.31's dgemm and sgemm both lose it; an FMA kernel may not). So, where no product
    can round to zero (_no_zero_product, two checks of the vectors, ~1.9 µs):
    - float64 from 2,048 products (48×48) to 128×128: gemm. At 64×64, 3.6 against the
      multiply's 5.7 µs; 32×32 and less, the multiply (round 21, `thread_time` minima,
      numpy's AVX-512 loops off as gradcli runs it; W2's backward, one process
      alternating, 7.31 → 6.96 µs/op at best). Past it up to 2048×2048, einsum.
    - float32 from 256×128 to 256×256: gemm (past it, it spreads over threads and
      loses), then einsum up to 2048×2048. Below 256×128 the check costs about what the
      gemm saves (64×64: 3.3 against 3.5 µs), and W2's float32 chain underflows to zeros
      that fail it, so the multiply (round 21: 6.02 → 6.91 µs/op with the gemm there).
    - otherwise the broadcast multiply.
    NaN payloads may differ (a NaN prints as nan whatever its payload)."""
    m = a.shape[0]
    n = b.shape[1]
    size = m * n
    dt = a.dtype
    if b.dtype is not dt or size < _K1_DOT_MIN:
        pass
    elif dt is _F64:
        if size <= _K1_EINSUM_MAX and _no_zero_product(a, b, _F64_ROOT):
            if size <= _K1_F64_MAX and a.flags.forc and b.flags.forc:
                return np.dot(a, b)
            return np.einsum("ik,kj->ij", a, b)
    elif dt is _F32 and _K1_F32_MIN <= size <= _K1_EINSUM_MAX and _no_zero_product(
            a, b, _F32_ROOT):
        if size <= _K1_GEMM_MAX and a.flags.forc and b.flags.forc:
            return np.dot(a, b)
        return np.einsum("ik,kj->ij", a, b)
    return np.multiply(a, b)


def outer_vectors(a: ndarray, b: ndarray) -> Any:
    """outer_k1(a.reshape(-1, 1), b.reshape(1, -1)) for two vectors: the same array, without
    the reshapes (~0.3 µs each) where outer_k1 would take the broadcast multiply anyway
    (mv's VJP for the matrix: W2's hot loop runs this once a step)."""
    m = a.shape[0]
    n = b.shape[0]
    size = m * n
    if size < _K1_DOT_MIN or ((dt := a.dtype) is _F32 and size < _K1_F32_MIN):
        return np.multiply(a[:, None], b)
    if dt is _F64 and b.dtype is dt and size <= _K1_F64_MAX and a.flags.forc and b.flags.forc:
        # outer_k1's gemm case, its calls and reshapes inlined (W2's 64×64 float64). Where
        # no product rounds to zero, every layout of the k=1 gemm gives the products.
        if _nonzero(a * _F64_ROOT) == m and _nonzero(b * _F64_ROOT) == n:
            return np.dot(a[:, None], b[None, :])
        return np.multiply(a[:, None], b)
    return outer_k1(a.reshape(-1, 1), b.reshape(1, -1))


def _no_zero_product(a: ndarray, b: ndarray, root: Any) -> bool:
    """Whether every a_i·b_j rounds to a nonzero number (or NaN): each factor times `root`
    is nonzero, so |factor| > h/root where h is half the smallest subnormal (what rounds
    to zero), and root² ≤ h makes every |product| > h. root: 2⁻⁷⁵ (float32, h = 2⁻¹⁵⁰),
    2⁻⁵³⁸ (float64, h = 2⁻¹⁰⁷⁵)."""
    return (_nonzero(a * root) == a.shape[0]
            and _nonzero(b * root) == b.shape[1])


_F32_ROOT = np.float32(2.0**-75)
_F64_ROOT = np.float64(2.0**-538)
_K1_DOT_MIN = 2048  # below, the broadcast multiply
_K1_F64_MAX = 128 * 128  # float64 up to here: gemm; past it einsum
_K1_F32_MIN = 256 * 128  # float32 from here: gemm, then einsum
_K1_GEMM_MAX = 256 * 256
_K1_EINSUM_MAX = 2048 * 2048


def dot(a: ndarray, b: ndarray) -> Any:
    """Inner product of two vectors."""
    if a.ndim != 1 or b.ndim != 1:
        raise TorchError(
            f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors"
        )
    _check_dot_dtypes(a, b)
    if a.shape[0] != b.shape[0]:
        raise TorchError(
            f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
            f"to have the same number of elements, but got {a.shape[0]} and {b.shape[0]} "
            "elements respectively"
        )
    if ((a.dtype is _F32 or a.dtype is _F64) and a.shape[0] <= _GEMV_MAX
            and a.flags.c_contiguous and b.flags.c_contiguous):
        if _mkl_avx512():
            return mkl_avx512.dot(a, b)  # sdot/ddot on MKL's AVX-512 path
        return mkl_gemv.dot(a, b)  # MKL's sdot/ddot order
    return np.dot(a, b)


def matmul(a: ndarray, b: ndarray) -> Any:
    """Batched matrix product with broadcasting of batch dims."""
    _check_matmul_dtypes(a, b)
    if a.shape[-1] != b.shape[-2 if b.ndim > 1 else -1]:
        raise TorchError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{a.shape[0] if a.ndim > 2 else 1}, {a.shape[-1]}] but got: "
            f"[{b.shape[0] if b.ndim > 2 else 1}, {b.shape[-2] if b.ndim > 1 else b.shape[-1]}]."
        )
    if a.ndim > 2 or b.ndim > 2:
        msg = broadcast_message(_Shape(a.shape[:-2]), _Shape(b.shape[:-2] if b.ndim > 1 else ()))
        if msg is not None:
            raise TorchError(msg)
    if a.dtype.kind != "f" or a.dtype != b.dtype:
        return np.matmul(a, b)
    k = a.shape[-1]
    if a.ndim >= 3 and b.ndim <= 2 and _foldable(a):  # folded: one mm (or mv)
        rows = a.reshape(-1, k)
        if b.ndim == 1:
            return mv(rows, b).reshape(a.shape[:-1])
        return (_mm_k1(rows, b) if k == 1 else product(rows, b)).reshape(
            *a.shape[:-1], b.shape[-1])
    if b.ndim == 1:
        return batched_product(a, b[:, None])[..., 0]
    return batched_product(a[None, :] if a.ndim == 1 else a, b).reshape(
        np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        + ((a.shape[-2],) if a.ndim > 1 else ()) + (b.shape[-1],))


# -- structured products and matrix parts ---------------------------------------------

def trace(a: ndarray) -> Any:
    """Sum of the main diagonal of a matrix."""
    if a.ndim != 2:
        raise TorchError(f"trace: expected a matrix, but got tensor with dim {a.ndim}")
    out = np.trace(a)
    return out.astype(np.int64) if a.dtype.kind in "biu" else out.astype(a.dtype)


def bmm(a: ndarray, b: ndarray) -> Any:
    """Batched matrix product of two 3-D tensors."""
    if a.ndim != 3:
        raise TorchError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise TorchError("batch2 must be a 3D tensor")
    if b.shape[0] != a.shape[0] or b.shape[1] != a.shape[2]:
        raise TorchError("Expected size for first two dimensions of batch2 tensor to be: "
                         f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    if a.dtype != b.dtype:
        raise TorchError(f"expected scalar type {scalar_name(a.dtype)} but found "
                         f"{scalar_name(b.dtype)}")
    return batched_product(a, b)


def _scaled(x: Any, s: Any) -> Any:
    return x if s == 1 else x * s


def _check_base(c: ndarray, shape: tuple[int, ...]) -> None:
    if c.ndim > len(shape):
        raise TorchError(f"expand: the number of sizes provided ({len(shape)}) must be greater "
                         f"or equal to the number of dimensions in the tensor ({c.ndim})")
    msg = expand_message(c.shape, shape)
    if msg is not None:
        raise TorchError(msg)


def _add_scaled(c: ndarray, prod: ndarray, beta: Any, alpha: Any) -> Any:
    _check_base(c, prod.shape)
    base = np.zeros_like(prod) if beta == 0 else _scaled(c, beta)
    return (base + _scaled(prod, alpha)).astype(prod.dtype, copy=False)


def _accumulated(c: ndarray, products: ndarray, beta: Any, axis: int) -> ndarray:
    """beta·c (0 where beta is 0: c's NaNs ignored), then the products along `axis` added
    to it one after another, each sum rounded (MKL's gemm/gemv kernels that start from
    the scaled output)."""
    shape = np.delete(products.shape, axis)
    base = np.zeros(shape, products.dtype) if beta == 0 else \
        np.broadcast_to(_scaled(c, products.dtype.type(beta)), shape)
    run = np.concatenate([np.expand_dims(base, axis), products], axis=axis)
    return np.ascontiguousarray(np.add.accumulate(run, axis=axis).take(-1, axis=axis))


def _addmm_small(m: int, n: int, k: int) -> bool:
    """The shapes measured (m ≤ 9, n ≤ 16, k ≤ 40) where addmm's in-order sum from beta·c
    is never further from PyTorch's bits than the product then the scaled sum (larger
    ones, e.g. 16×16×16, are not so)."""
    return m <= 9 and n <= 16 and k <= 40


@via_float32
def addmm(c: ndarray, a: ndarray, b: ndarray, beta: Any = 1, alpha: Any = 1) -> Any:
    """beta·c + alpha·(a @ b). With b row-major, where PyTorch's (MKL's) product sums in
    order (_sums_in_order) or the matrices are small (_addmm_small), MKL's gemm starts each
    output from beta·c and adds the products (alpha·a_ik)·b_kj one after another (measured
    against torch: never further from its bits than a @ b then the scaled sum, and equal
    to them for every shape of the table and most small ones)."""
    if _mkl_avx512() and a.ndim == 2 and b.ndim == 2:
        out = mkl_avx512.addmm(c, a, b, beta, alpha, _transposed(a), _transposed(b))
        if out is not None:
            return out
    if (a.ndim == 2 and b.ndim == 2 and a.dtype == b.dtype and a.shape[1] == b.shape[0] > 1
            and (a.dtype is _F32 or a.dtype is _F64) and not _transposed(b)
            and (_addmm_small(a.shape[0], b.shape[1], a.shape[1])
                 or _sums_in_order(a.shape[0], b.shape[1], a.shape[1], _transposed(a),
                                   False, a.dtype))):
        _check_base(c, (a.shape[0], b.shape[1]))
        scaled = _scaled(a, a.dtype.type(alpha))
        return _accumulated(c, np.multiply(scaled.T[:, :, None], b[:, None, :]), beta, 0)
    return _add_scaled(c, mm(a, b), beta, alpha)


def addr(c: ndarray, a: ndarray, b: ndarray, beta: Any = 1, alpha: Any = 1) -> Any:
    """beta·c + alpha·outer(a, b) (each product a_i·b_j rounded once, as outer's)."""
    return _add_scaled(c, np.multiply(a.reshape(-1, 1), b), beta, alpha)


def addbmm(c: ndarray, b1: ndarray, b2: ndarray, beta: Any = 1, alpha: Any = 1) -> Any:
    """beta·c + alpha·Σ_b b1[b] @ b2[b], summed as PyTorch's CPU kernel: one addmm after
    another."""
    shape = (b1.shape[1], b2.shape[2])
    out = c if c.shape == shape else np.broadcast_to(c, shape)
    if b1.shape[0] == 0:
        return (out * beta).astype(out.dtype, copy=False)
    for i in range(b1.shape[0]):
        out = addmm(out, b1[i], b2[i], beta if i == 0 else 1, alpha)
    return out


def addmv(c: ndarray, a: ndarray, v: ndarray, beta: Any = 1, alpha: Any = 1) -> Any:
    """beta·c + alpha·(a @ v)."""
    if c.ndim > 1 or a.ndim != 2 or v.ndim != 1:
        raise TorchError(f"vector + matrix @ vector expected, got {c.ndim}, {a.ndim}, {v.ndim}")
    if c.ndim == 1 and (c.shape[0] not in (1, a.shape[0]) or a.shape[1] != v.shape[0]):
        raise TorchError(f"size mismatch, got input ({c.shape[0]}), mat "
                         f"({a.shape[0]}x{a.shape[1]}), vec ({v.shape[0]})")
    if (a.dtype is _F32 or a.dtype is _F64) and v.dtype == a.dtype and _transposed(a) \
            and a.shape[0] > 1 and a.shape[1] > 1 and a.size <= _ADDMV_IN_ORDER_MAX:
        # a column-major matrix: MKL's gemv ('N') starts from beta·c and adds the columns
        # times alpha·v_k one after another (measured against torch up to 512×512). Not
        # for one row or column: a size-1 dim's stride (what picks 'N' or 'T' in ATen)
        # need not be PyTorch's here.
        _check_base(c, (a.shape[0],))
        return _accumulated(c, a * (v * a.dtype.type(alpha)), beta, 1)
    return _add_scaled(c, mv(a, v), beta, alpha)


_ADDMV_IN_ORDER_MAX = 1 << 20


def baddbmm(c: ndarray, a: ndarray, b: ndarray, beta: Any = 1, alpha: Any = 1) -> Any:
    """beta·c + alpha·bmm(a, b)."""
    return _add_scaled(c, bmm(a, b), beta, alpha)


def tril(a: ndarray, diagonal: int = 0, upper: bool = False) -> Any:
    """The lower (or upper) triangle of (a batch of) matrices, the rest zero."""
    if a.ndim < 2:
        raise TorchError(f"{'triu' if upper else 'tril'}: input tensor must have at least 2 "
                         "dimensions")
    return np.triu(a, diagonal) if upper else np.tril(a, diagonal)


def _dim_ok(d: int, ndim: int) -> int:
    if not -ndim <= d < ndim:
        lo, hi = (-ndim, ndim - 1) if ndim else (-1, 0)
        raise TorchError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], "
                         f"but got {d})")
    return d % ndim


def diagonal(a: ndarray, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Any:
    """A diagonal of the (dim1, dim2) planes, as the last dim."""
    d1, d2 = _dim_ok(dim1, a.ndim), _dim_ok(dim2, a.ndim)
    if d1 == d2:
        raise TorchError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    out = np.diagonal(a, offset, d1, d2)
    if a.flags.writeable:
        out.flags.writeable = True  # a view, as PyTorch's (x.diagonal().fill_(0) writes x)
    return out


def diagonal_backward(g: ndarray, shape: tuple[int, ...], offset: int = 0, dim1: int = 0,
                      dim2: int = 1) -> Any:
    """zeros(shape) with g written on the diagonal `diagonal(…, offset, dim1, dim2)` reads."""
    out = np.zeros(shape, dtype=g.dtype)
    view = np.diagonal(out, offset, dim1 % len(shape), dim2 % len(shape))
    view.flags.writeable = True
    view[...] = g
    return out


def diag_embed(a: ndarray, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Any:
    """Matrices with the last dim of a on a diagonal of the (dim1, dim2) planes."""
    ndim = a.ndim + 1
    d1, d2 = _dim_ok(dim1, ndim), _dim_ok(dim2, ndim)
    if d1 == d2:
        raise TorchError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    n = a.shape[-1] + abs(offset)
    rest = list(a.shape[:-1])
    shape = []
    for d in range(ndim):
        shape.append(n if d in (d1, d2) else rest.pop(0))
    return diagonal_backward(a, tuple(shape), offset, d1, d2)


def cross(a: ndarray, b: ndarray, dim: int = -1) -> Any:
    """Cross product of 3-vectors along dim (batch dims broadcast)."""
    ndim = max(a.ndim, b.ndim)
    d = _dim_ok(dim, ndim)
    if a.ndim != b.ndim:
        raise TorchError("linalg.cross: inputs must have the same number of dimensions.")
    if a.shape[d] != 3 or b.shape[d] != 3:
        raise TorchError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                         f"{a.shape[d]} and {b.shape[d]}")
    msg = broadcast_message(a, b)
    if msg is not None:
        raise TorchError(msg)
    if a.dtype == b.dtype and a.dtype in (np.float32, np.float64):
        return _cross_fma(a, b, d)
    return np.cross(a, b, axis=d)


def _cross_fma(a: ndarray, b: ndarray, d: int) -> ndarray:
    """PyTorch's CPU cross kernel, as its compiler contracts it: each component
    fma(a1, b2, -(a2·b1)), the second product rounded, the first fused (a × a is then the
    rounding error of a product, not 0)."""
    from gradcli.ad.kernels.fused import fma

    a, b = np.broadcast_arrays(np.moveaxis(a, d, -1), np.moveaxis(b, d, -1))
    parts = [fma(a[..., i], b[..., j], -(a[..., j] * b[..., i]))
             for i, j in ((1, 2), (2, 0), (0, 1))]
    return np.moveaxis(np.stack(parts, axis=-1), -1, d)
