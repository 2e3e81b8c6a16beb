"""Round 16, the elementwise transcendental kernels bit for bit: the C library's erf and erfc
written out on whole arrays (kernels/libm_erf.py) against math's, element by element; and
programs whose printed bits showed a layout- or edge-dependent difference from PyTorch
(gelu, sigmoid and silu of non-contiguous tensors, logit of strided ones, SLEEF's erf past
2e21, sign of NaN, relu of -0.0, softshrink's signed zeros), run under gd and PyTorch."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyrun import gd_output, torch_output

from gradcli.ad.kernels import libm_erf, vmltrig
from gradcli.ad.kernels import math as KM
from gradcli.ad.kernels import vecmath as VM


def _sample() -> np.ndarray:
    """Doubles on every branch of fdlibm's erf/erfc, their thresholds' neighbours (the
    high word's bounds ± a few ulps), signed zeros, subnormals, infinities and NaN."""
    rng = np.random.default_rng(16)
    parts = [rng.uniform(-8, 8, 20000), rng.uniform(-30, 30, 4000), rng.normal(0, 1, 8000),
             rng.uniform(-1e-7, 1e-7, 2000),
             np.exp(rng.uniform(-745, 5, 4000)) * rng.choice([-1, 1], 4000),
             rng.standard_normal(4000).astype(np.float32).astype(np.float64),
             [0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, -5e-324, 1.7976931348623157e308]]
    for hi in (0x00800000, 0x3C700000, 0x3E300000, 0x3FD00000, 0x3FEB0000, 0x3FF40000,
               0x4006DB6D, 0x4006DB6E, 0x40180000, 0x403C0000):
        bits = np.array([(hi << 32) + d for d in range(-3, 4)], np.int64)
        v = bits.view(np.float64)
        parts += [v, -v]
    return np.concatenate([np.asarray(p, np.float64) for p in parts])


@pytest.mark.parametrize("name", ["erf", "erfc"])
def test_vector_erf_is_the_c_librarys(name: str) -> None:
    x = _sample()
    mine = getattr(libm_erf, "vector_" + name)(x)
    theirs = np.array([getattr(math, name)(v) for v in x.tolist()])
    same = (mine.view(np.uint64) == theirs.view(np.uint64)) | (np.isnan(mine) & np.isnan(theirs))
    assert same.all(), (x[~same][:5], mine[~same][:5], theirs[~same][:5])
    assert libm_erf.available()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [5, 4099, 70001])
def test_erf_kernels_fast_path_equals_the_element_loop(dtype: type, n: int) -> None:
    """torch.erf/erfc's kernels (whole arrays past libm_erf.SMALL, in blocks past BLOCK)
    give the bytes of the element-by-element reference (math's, rounded to the dtype)."""
    x = np.random.default_rng(n).normal(0, 3, n).astype(dtype)
    for kernel, ref in ((KM.erf, math.erf), (KM.erfc, math.erfc)):
        assert kernel(x).tobytes() == KM._map(ref, x).tobytes()
    assert VM.LIBM.erf(x.astype(np.float64)).tobytes() == \
        KM._map(math.erf, x.astype(np.float64)).tobytes()


def test_vector_log_special_values() -> None:
    """Vectorized<T>::log's (SLEEF's) edges: ±0 → -inf, negatives and NaN → NaN, inf,
    subnormals (scaled by 2^64 first) and 1 → 0; stored bits where torch is absent."""
    for dtype, bits in ((np.float32, ["ff800000", "ff800000", "ffffffff", "ffffffff",
                                      "7f800000", "c2ce8ed0", "00000000", "3f317218"]),
                        (np.float64, ["fff0000000000000", "fff0000000000000",
                                      "ffffffffffffffff", "ffffffffffffffff",
                                      "7ff0000000000000", "c0874385446d71c3",
                                      "0000000000000000", "3fe62e42fefa39ef"])):
        x = np.array([0.0, -0.0, -1.0, np.nan, np.inf, 5e-324 if dtype == np.float64
                      else 1e-45, 1.0, 2.0], dtype)
        got = VM.VEC.log(x)
        want = np.array([int(b, 16) for b in bits],
                        np.uint32 if dtype == np.float32 else np.uint64).view(dtype)
        same = (got == want) | (np.isnan(got) & np.isnan(want))
        assert same.all(), (got, want)


# float32 whose tan PyTorch (MKL's vsTan) gives otherwise than the double tan rounded
_TAN_X = (0x3F6A3E04, 0x3EEA09F9, 0xBF4BE56B, 0xBEA54435, 0xBFA8A6DA, 0xBF516B5C, 0x3F6B2C62,
          0x3F6595E5, 0x3CADB4E3, 0x3FA65BA4, 0xBECAEF68, 0xBF479379)
_TAN_Y = (0x3FA65E4C, 0x3EFBD3EC, 0xBF82DDB7, 0xBEAB4185, 0xC07755D4, 0xBF88A485, 0x3FA7A059,
          0x3FA04022, 0x3CADBB8E, 0x40663DC0, 0xBED6467D, 0xBF7D0B9F)


def test_tan32_stored_bits() -> None:
    x = np.array(_TAN_X, np.uint32).view(np.float32)
    assert vmltrig.tan32_fit(x).view(np.uint32).tolist() == list(_TAN_Y)
    edge = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e30, -8192.5], np.float32)
    for tan32 in (vmltrig.tan32_fit, vmltrig.tan32):  # the fit, and this host's path
        got = tan32(edge)
        assert got[:2].tobytes() == edge[:2].tobytes() and np.isnan(got[2:5]).all()
        assert tan32(np.float32(0.7).reshape(())).shape == ()


def test_tan32_against_torch() -> None:
    """The fitted model of MKL's tan: at most 1 value in 2,000 differs (0.007% measured)
    on every range up to 8192; past it the double tan rounded (0.15% measured)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(16)
    for lo, hi, most in ((-1.5, 1.5, 10), (2, 100, 10), (100, 8192, 10), (8192, 1e6, 100)):
        x = rng.uniform(lo, hi, 20000).astype(np.float32)
        want = torch.tan(torch.from_numpy(x)).numpy()
        assert (vmltrig.tan32(x) != want).sum() <= most, (lo, hi)


PROGRAMS = {
    # F.gelu of a transposed or sliced float32 tensor: PyTorch's oneDNN path takes
    # contiguous inputs only; the rest run ATen's GeluKernel (SLEEF/erff), other bits.
    "gelu_noncontiguous": """
torch.manual_seed(0)
x = torch.randn(6, 40)
for t in (x, x.t(), x[:, ::2], x[:, 3]):
    y = torch.nn.functional.gelu(t)
    print(y.view(-1).tolist() if y.is_contiguous() else y.contiguous().view(-1).tolist())
x = torch.randn(8, 20, requires_grad=True)
torch.nn.functional.gelu(x.t()).pow(2).sum().backward()
print(x.grad.view(-1).tolist())
""",
    # float64 gelu of huge values: SLEEF's erf is 1 there (the polynomial overflowed)
    "gelu_double_huge": """
x = torch.tensor([1e30, -1e30, 1e300, -1e300, 5.0, -7.0] * 4, dtype=torch.float64)
print(torch.nn.functional.gelu(x).tolist())
""",
    # sigmoid, silu and expit of strided tensors (a column, every other element): the
    # scalar loop's exp (the C library's), not the vector one's
    "sigmoid_strided": """
torch.manual_seed(1)
for dt in (torch.float32, torch.float64):
    x = torch.randn(64, 8, dtype=dt) * 4
    for t in (x[:, 1], x[::2], x.view(-1)[::3]):
        print(torch.sigmoid(t).tolist())
        print(torch.nn.functional.silu(t).tolist())
        print(torch.special.expit(t).tolist())
""",
    # logit: dense tensors take MKL's log of x/(1 - x), strided ones SLEEF's log on
    # whole vectors and logf on the rest
    "logit_strided": """
torch.manual_seed(2)
for dt in (torch.float32, torch.float64):
    x = torch.rand(40, 48, dtype=dt)
    print(torch.logit(x[:, :37]).view(-1).tolist()[:200])
    print(torch.logit(x[:, 5]).tolist())
    print(torch.logit(x[::3, ::2], eps=0.1).view(-1).tolist()[:100])
""",
    # sign of NaN is 0 ((0 < x) - (x < 0)); relu, clamp of number bounds, hardtanh and
    # relu6 keep -0.0 (max(min, x) gives x where equal) and NaN;
    # softshrink's zeros are +0.0 in whole vectors, -0.0 (x · 0) elsewhere
    "signed_zeros": """
for dt in (torch.float32, torch.float64):
    x = torch.tensor([float('nan'), -0.0, 0.0, -1.5, 2.0, float('-inf')] * 7, dtype=dt)
    print(torch.sign(x).tolist(), torch.sgn(x).tolist())
    print(torch.relu(x).tolist(), torch.nn.functional.relu(x).tolist())
    print(torch.clamp(x, min=0).tolist(), x.clamp(max=0).tolist(), x.clamp(-1, 1).tolist())
    print(torch.clamp_min(x, 0.0).tolist(), torch.clamp_max(x, -0.0).tolist())
    print(torch.nn.functional.hardtanh(x).tolist(), torch.nn.functional.relu6(x).tolist())
    y = torch.linspace(-1, 1, 77, dtype=dt)
    print(torch.nn.functional.softshrink(y).tolist())
    print(torch.nn.functional.softshrink(y[::2]).tolist())
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_matches_torch(name: str) -> None:
    text = "import torch\n" + PROGRAMS[name].lstrip("\n")
    assert gd_output(text) == torch_output(text)
