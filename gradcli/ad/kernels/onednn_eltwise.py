"""oneDNN's JIT eltwise kernels (jit_uni_eltwise_injector), where PyTorch runs float32
F.gelu(x) (at::native's mkldnn path: a contiguous input of more than one element).

oneDNN picks its ISA by the CPU, not by ATen's capability (ATEN_CPU_CAPABILITY leaves it
alone; ONEDNN_MAX_CPU_ISA caps it): onednn_conv.AVX512 says which.

- AVX2: its own exp (Cody-Waite with floor, a degree-5 polynomial, 2·2^(n-1)) and gelu_erf
  by Abramowitz-Stegun 7.1.26 (S + S·erf(s/√2), S = s/2).
- AVX-512 (avx512_core): gelu_erf forward by a piecewise minimax polynomial of |s| (25
  pieces by exponent and two mantissa bits, degree 5, Horner in FMAs), the sign put back,
  then (s · (1 + erf)) · 1/2 (measured exact on an Intel Xeon, round 20, 100,000 normals
  and the edges). Its backward is the Abramowitz-Stegun one on both ISAs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.kernels.fused import fma

ndarray = np.ndarray
_F32 = np.dtype(np.float32)


def _bits32(*hexes: int) -> tuple[Any, ...]:
    return tuple(np.array(h, np.uint32).view(_F32)[()] for h in hexes)


def _f32(*cs: float) -> tuple[Any, ...]:
    return tuple(np.float32(c) for c in cs)


(_DNNL_LOG2EF, _DNNL_LN_MAX, _DNNL_LN_MIN, _DNNL_LN2) = _bits32(
    0x3FB8AA3B, 0x42B17218, 0xC2AEAC50, 0x3F317218)
_DNNL_EXP_POLY = _bits32(0x3C07CFCE, 0x3D2B9D0D, 0x3E2AAD40, 0x3EFFFEE3, 0x3F7FFFFB)
_DNNL_AS_POLY = _f32(1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)
_DNNL_AS_P = np.float32(0.3275911)
_DNNL_1_SQRT2 = np.float32(1 / np.sqrt(2))
_DNNL_1_SQRTPI = np.float32(1 / np.sqrt(np.pi))


def _dnnl_exp(x: ndarray) -> ndarray:
    """oneDNN's exp_compute_vector_fwd (float32)."""
    f = np.float32
    with np.errstate(all="ignore"):
        low = x < _DNNL_LN_MIN
        s = np.maximum(np.minimum(x, _DNNL_LN_MAX), _DNNL_LN_MIN)
        fx = np.floor(s * _DNNL_LOG2EF + f(0.5))
        r = fma(-fx, _DNNL_LN2, s)
        n = (fx - f(1)).astype(np.int32)
        pow2 = np.where(low, f(0), ((n + 127) << 23).astype(np.int32).view(_F32))
        p = np.full(x.shape, _DNNL_EXP_POLY[0], _F32)
        for c in _DNNL_EXP_POLY[1:]:
            p = fma(p, r, c)
        p = fma(p, r, f(1))
        return p * pow2 * f(2)


def _dnnl_erf_parts(x: ndarray) -> tuple[ndarray, ndarray]:
    """(e^-x², erf(x)) as gelu_erf computes them from x = s/√2."""
    f = np.float32
    with np.errstate(all="ignore"):
        t = f(1) / fma(np.full(x.shape, _DNNL_AS_P), np.abs(x), f(1))
        q = _dnnl_exp(-(x * x))
        r = np.full(x.shape, _DNNL_AS_POLY[0], _F32)
        for c in _DNNL_AS_POLY[1:]:
            r = fma(r, t, c)
        erf = fma(-q * t, r, f(1))
        return q, np.where(np.signbit(x), -erf, erf)


# gelu_erf_minimax_pol: the coefficients of degree 0..5 (rows) of the 25 pieces (columns;
# piece 0 is never taken: the index is clamped to 1..24).
_MINIMAX = np.array([
    [0xA6F2CB94, 0x32827792, 0x3381CC0C, 0x34523D4A, 0x351AC44D, 0x35F36D88, 0x36EE8229,
     0x37B8A3BB, 0x3867A213, 0x3940033B, 0x3A2A5A1D, 0x3AE35863, 0x3B7828F2, 0x3C08B14B,
     0x3C515ED3, 0xBB503236, 0xBD8D8E5E, 0xBE8ABCD9, 0xBF0C19A2, 0xBECCB328, 0x3E176CED,
     0x3F470D99, 0x3F7ABB28, 0x3F800000, 0x00000000],
    [0x3F4C422A, 0x3F4C421F, 0x3F4C4207, 0x3F4C41CB, 0x3F4C413B, 0x3F4C3FAD, 0x3F4C3A2F,
     0x3F4C2D40, 0x3F4C146A, 0x3F4BC341, 0x3F4AD08C, 0x3F48F8CF, 0x3F45FAC7, 0x3F404E07,
     0x3F3B980F, 0x3F48DFF3, 0x3F78B21B, 0x3FBB0704, 0x40019C32, 0x3FE536D6, 0x3F81331E,
     0x3E6C8684, 0x3C98F936, 0x00000000, 0x3F800000],
    [0xB62173F4, 0x3735E4CF, 0x37F2FF89, 0x388C23BE, 0x3917535C, 0x39AB2AB0, 0x3A60FADB,
     0x3AF9B960, 0x3B6E5491, 0x3C0A4EC5, 0x3CA5AA8C, 0x3D2138D9, 0x3D8737D4, 0x3DDFB660,
     0x3E0F27AB, 0x3D94004B, 0xBE0EFDEB, 0xBF1D96C3, 0xBF89DB58, 0xBF6D9897, 0xBEF69FB8,
     0xBDC4F8A8, 0xBBDE6422, 0x00000000, 0x00000000],
    [0xBE081A19, 0xBE084570, 0xBE08639B, 0xBE089837, 0xBE08F409, 0xBE09AB95, 0xBE0B66D0,
     0xBE0E400A, 0xBE124DF8, 0xBE1BDE02, 0xBE2F19C9, 0xBE4931BF, 0xBE685FBC, 0xBE89C95F,
     0xBE96CBCA, 0xBE8044AA, 0xBE0550F2, 0x3DCFD6A1, 0x3E94C826, 0x3E79345F, 0x3DECEC91,
     0x3CA46568, 0x3AA1E00A, 0x00000000, 0x00000000],
    [0xBA3D61DB, 0x39F097A3, 0x3A5845DC, 0x3AB1FA35, 0x3B0CEFB8, 0x3B653AB6, 0x3BCAE527,
     0x3C221712, 0x3C6C5840, 0x3CC0A703, 0x3D1DCC19, 0x3D63656D, 0x3D955907, 0x3DBF9910,
     0x3DD53F69, 0x3DB7DCEF, 0x3D639EBE, 0xBA6EDE48, 0xBD22BE69, 0xBD041CF1, 0xBC64F5AB,
     0xBB097A32, 0xB8EBF380, 0x00000000, 0x00000000],
    [0x3CB7D80C, 0x3C9B6050, 0x3C978D11, 0x3C92E850, 0x3C8D058B, 0x3C848454, 0x3C6CD623,
     0x3C4C824B, 0x3C2A7935, 0x3BE0B390, 0x3B0651AC, 0xBB232F53, 0xBBD42FA0, 0xBC2C5366,
     0xBC492C9E, 0xBC2A7AA6, 0xBBD55D04, 0xBA823A76, 0x3B102AA8, 0x3AE25A7E, 0x3A31F792,
     0x38B84375, 0x3689BB5A, 0x00000000, 0x00000000],
], np.uint32).view(_F32)
_MINIMAX_IDX_BIAS = 0xC21FFFFF  # added to |s|'s bits (32-bit wrap), then >> 21
_MINIMAX_RBOUND = _bits32(0x40B15CEE)[0]  # past it erf is ±1 (piece 23)


def _minimax_erf(s: ndarray) -> ndarray:
    """erf(s/√2) as oneDNN's AVX-512 gelu_erf evaluates it from s (float32)."""
    bits = s.view(np.uint32) & np.uint32(0x7FFFFFFF)
    a = bits.view(_F32)
    index = ((bits.astype(np.int64) + _MINIMAX_IDX_BIAS) & 0xFFFFFFFF).astype(np.uint32)
    index = np.clip(index.view(np.int32) >> 21, 1, 24)
    with np.errstate(invalid="ignore"):
        index = np.where(a > _MINIMAX_RBOUND, 23, index)
    pol = _MINIMAX[5][index]
    for degree in range(4, -1, -1):
        pol = fma(pol, a, _MINIMAX[degree][index])
    return np.where(np.signbit(s), -pol, pol)


def dnnl_gelu_erf(s: ndarray, avx512: bool = False) -> ndarray:
    """oneDNN's gelu_erf forward: AVX2's S + S·erf(s/√2), S = s/2, or (`avx512`) the
    minimax polynomial's (s · (1 + erf)) · 1/2."""
    with np.errstate(all="ignore"):
        if avx512:
            return (s * (_minimax_erf(s) + np.float32(1))) * np.float32(0.5)
        _, erf = _dnnl_erf_parts(s * _DNNL_1_SQRT2)
        half = s * np.float32(0.5)
        return fma(erf, half, half)


def dnnl_gelu_erf_backward(g: ndarray, s: ndarray) -> ndarray:
    """oneDNN's gelu_erf backward (AVX2): grad · (x/√π · e^-x² + 1/2 + erf(x)/2)."""
    x = s * _DNNL_1_SQRT2
    q, erf = _dnnl_erf_parts(x)
    with np.errstate(all="ignore"):
        d = fma(erf, np.float32(0.5), x * _DNNL_1_SQRTPI * q + np.float32(0.5))
        return g * d
