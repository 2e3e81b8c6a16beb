"""Round 20: MKL's vector math (VML) on its AVX-512 path, the one it takes on Intel CPUs
with AVX-512 (kernels/mkl_path.py). sqrt is modelled there bit for bit (kernels/
vml_avx512.py: VRSQRT14 and FMA corrections), float32 and float64, so the optimisers
(Adam, RMSprop, Adagrad, NAdam, Adadelta…) give PyTorch's bits on both kinds of host; tan
takes the double tan rounded there. The sweeps compare with PyTorch on whatever host runs
them (the models of both paths must hold); the rest is host-independent."""

from __future__ import annotations

import numpy as np
import pytest

from gradcli.ad import ops as F
from gradcli.ad.kernels import mkl_path, vml_avx512, vmltrig


def _inputs(dtype: type) -> np.ndarray:
    """randn·4, every binade (both signs), subnormals, specials: 40,000+ values."""
    rng = np.random.default_rng(20)
    fi = np.finfo(dtype)
    lo, hi = np.log(float(fi.tiny)), np.log(float(fi.max))
    wide = np.exp(rng.uniform(lo, hi, 12000))
    sub = rng.uniform(0, 1, 4000) * float(fi.tiny)
    special = [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, 4.0, 0.25, -1.0, float(fi.max),
               float(fi.tiny), float(fi.smallest_subnormal)]
    x = np.concatenate([rng.standard_normal(20000) * 4, wide, -wide[:1000], sub, special,
                        rng.uniform(0, 4, 4000)])
    return x.astype(dtype)


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a == b) | (np.isnan(a) & np.isnan(b))


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_sqrt_is_pytorchs_on_every_kind_of_value(dtype: type) -> None:
    torch = pytest.importorskip("torch")
    x = _inputs(dtype)
    with np.errstate(invalid="ignore"):
        got = np.asarray(F.sqrt(F.tensor(x)).array)
    want = torch.from_numpy(x).sqrt().numpy()
    assert got.dtype == want.dtype
    assert _same(got, want).all(), x[~_same(got, want)][:5]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_sqrt_of_every_shape_is_pytorchs(dtype: type) -> None:
    """0-d (a scalar's root: LBFGS's line search), strided, 2-d and empty tensors."""
    torch = pytest.importorskip("torch")
    x = np.abs(_inputs(dtype))[:6000].reshape(60, 100)
    for part in (np.array(x[3, 7]), x, x.T, x[:, ::3], x[:0]):
        got = np.asarray(F.sqrt(F.tensor(part)).array)
        want = torch.from_numpy(part.copy()).sqrt().numpy()
        assert got.shape == want.shape and _same(got, want).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_power_one_half_is_pytorchs_sqrt(dtype: type) -> None:
    torch = pytest.importorskip("torch")
    x = np.abs(_inputs(dtype))
    got = np.asarray(F.pow(F.tensor(x), 0.5).array)
    assert _same(got, torch.from_numpy(x).pow(0.5).numpy()).all()


def test_float32_sqrt_of_every_significand_is_pytorchs() -> None:
    """Every float32 in [1, 4) but a stride (sqrt scales by powers of four exactly)."""
    torch = pytest.importorskip("torch")
    x = (np.arange(0, 1 << 24, 3, dtype=np.uint32) + 0x3F800000).view(np.float32)
    got = np.asarray(F.sqrt(F.tensor(x)).array)
    assert (got == torch.from_numpy(x).sqrt().numpy()).all()


@pytest.mark.parametrize("kind", ["Adam", "RMSprop", "Adagrad", "NAdam", "Adadelta"])
def test_float32_optimiser_steps_are_pytorchs(kind: str) -> None:
    """Ten steps of each optimiser whose update takes a float32 sqrt, on 2,000 weights."""
    pytest.importorskip("torch")
    from test_optim import gd, torch_outputs

    program = (f"torch.manual_seed(0)\nw = torch.randn(2000, requires_grad=True)\n"
               f"opt = torch.optim.{kind}([w], lr=0.01)\n"
               "for _ in range(10):\n    opt.zero_grad()\n"
               "    ((w * w).sum() + w.sin().sum()).backward()\n    opt.step()\n"
               "print(w.detach().view(-1).tolist())\n")
    assert gd(program) == torch_outputs([program])[0]


def test_tan_on_the_avx512_path_is_the_double_tan_rounded() -> None:
    torch = pytest.importorskip("torch")
    if not mkl_path.mkl_avx512():
        pytest.skip("MKL takes its AVX2 path here (tests/test_r16_vml.py checks its tan)")
    x = np.random.default_rng(21).uniform(-20, 20, 40000).astype(np.float32)
    want = torch.from_numpy(x).tan().numpy()
    assert (vmltrig.tan32(x) != want).mean() < 0.01  # 0.5% measured (the fit: 18%)


# -- host-independent: VRSQRT14, the sqrt models' algebra, the path detection ----------

def test_rsqrt14_is_intels_reference() -> None:
    """Values of VRSQRT14PS read on an Intel Xeon (round 20), and its documented bound."""
    x = np.array([1.0, 1.5, 2.0, 2.5, 3.0, 3.999], np.float32)
    bits = [0x3F800000, 0x3F510480, 0x3F350280, 0x3F21E780, 0x3F13CC80, 0x3F000400]
    assert vml_avx512.rsqrt14(x).view(np.uint32).tolist() == bits
    # scaled by 4^n exactly, float64 as float32, subnormals normalised
    assert vml_avx512.rsqrt14(x * np.float32(4.0**-40)).tolist() == (
        vml_avx512.rsqrt14(x) * np.float32(2.0**40)).tolist()
    assert vml_avx512.rsqrt14(x.astype(np.float64)).tolist() == vml_avx512.rsqrt14(x).tolist()
    m = (np.arange(0, 1 << 24, 5, dtype=np.uint32) + 0x3F800000).view(np.float32)
    err = vml_avx512.rsqrt14(m).astype(np.float64) * np.sqrt(m.astype(np.float64)) - 1
    assert np.abs(err).max() < 2.0**-14


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_avx512_sqrt_is_faithful_and_exact_where_it_must_be(dtype: type) -> None:
    x = np.abs(_inputs(dtype))
    got = (vml_avx512.sqrt32 if dtype is np.float32 else vml_avx512.sqrt64)(x)
    exact = np.sqrt(x)
    assert got.dtype == x.dtype
    assert _same(got, exact).mean() > 0.98  # correctly rounded but near ties
    finite = np.isfinite(exact) & (exact > 0)
    ulps = np.abs(got[finite].view(np.int64 if dtype is np.float64 else np.int32).astype(
        np.int64) - exact[finite].view(got[finite].dtype.str.replace("f", "i")).astype(np.int64))
    assert ulps.max() <= 1
    squares = np.arange(1, 2000, dtype=dtype) ** 2  # exact roots stay exact
    assert (vml_avx512.sqrt32 if dtype is np.float32 else vml_avx512.sqrt64)(squares).tolist() \
        == np.arange(1, 2000, dtype=dtype).tolist()


def test_mkl_path_follows_the_processor_and_the_override(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path) -> None:
    skx = frozenset(["fpu", "sse2", "avx2", "avx512f", "avx512cd", "avx512bw", "avx512dq",
                     "avx512vl"])
    assert mkl_path.runs_avx512("GenuineIntel", skx)
    assert not mkl_path.runs_avx512("AuthenticAMD", skx)  # MKL's AVX2 code on AMD
    assert not mkl_path.runs_avx512("GenuineIntel", frozenset({"avx2", "avx512f"}))
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: " + " ".join(skx)
                    + "\n\nprocessor\t: 1\nvendor_id\t: Other\n")
    assert mkl_path.cpuinfo(str(info)) == ("GenuineIntel", skx)
    assert mkl_path.cpuinfo(str(tmp_path / "absent")) == ("", frozenset())
    for wanted, expected in (("avx512", True), ("AVX2", False)):
        monkeypatch.setenv(mkl_path.ENV, wanted)
        mkl_path.mkl_avx512.cache_clear()
        assert mkl_path.mkl_avx512() is expected
    monkeypatch.delenv(mkl_path.ENV)
    mkl_path.mkl_avx512.cache_clear()
    assert mkl_path.mkl_avx512() is mkl_path.runs_avx512(*mkl_path.cpuinfo())
