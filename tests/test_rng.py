"""gradcli.ad.rng reproduces PyTorch's CPU generator bit for bit.

The first part checks values captured from torch 2.13 (x86-64, AVX-512) and
always runs; the second compares against the installed torch directly.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from gradcli.ad.rng import DEFAULT_SEED, Generator
from gradcli.errors import GdRuntimeError


def bits32(a: np.ndarray) -> list[int]:
    """The float32 bit patterns of `a`, flattened."""
    assert a.dtype == np.float32
    return a.reshape(-1).view(np.uint32).tolist()


def bits64(a: np.ndarray) -> list[int]:
    """The float64 bit patterns of `a`, flattened."""
    assert a.dtype == np.float64
    return a.reshape(-1).view(np.uint64).tolist()


# ------------------------------------------------------- captured from torch


def test_randn_seed7_5x3() -> None:
    g = Generator()
    g.manual_seed(7)
    w = g.randn((5, 3))
    assert w.shape == (5, 3)
    assert bits32(w) == [
        0xBE165174, 0x3F49408E, 0x3F7262E7, 0xBF8EA2D3, 0x3FD86BD0,
        0xBF651371, 0xBEB6147C, 0x3F9DBED1, 0x3E0D7D22, 0xBFD75248,
        0x3EA2A6BB, 0x3E07FE8D, 0x3E0C9EB0, 0x3E7651B9, 0x3FB29E22,
    ]  # fmt: skip
    assert float(w[0, 0]) == pytest.approx(-0.1468, abs=1e-4)


def test_randn_seed0_small_uses_cached_sample() -> None:
    g = Generator(0)
    assert bits32(g.randn((3,))) == [0x3FC53F5C, 0xBE963C50, 0xC00B7149]
    g.manual_seed(0)
    assert bits64(g.randn((2,), "float64")) == [0x3FF8A7EB8902BE3A, 0xBFD2C78A087C6FEA]
    z = g.randn(())
    assert z.shape == () and bits32(z) == [0xC00B7149]


def test_rand_seed0() -> None:
    g = Generator(0)
    assert bits32(g.rand((4,))) == [0x3EFE1558, 0x3F44AA2F, 0x3DB533A8, 0x3E073300]
    g.manual_seed(0)
    assert bits64(g.rand((2,), "float64")) == [0x3FEF0AAC97C4AA2F, 0x3FE6A675D821CCC0]


def test_randn_float64_fill_path() -> None:
    g = Generator(0)
    assert bits64(g.randn((20,), "float64")) == [
        0xC0027BB92E9262DC, 0xBFD7E35794939460, 0xBFF0F91AE8D685B6, 0x3FEFFBFB0ADA994B,
        0xBF9471A3C0E2F22A, 0x3FCAEB1B572B6A04, 0x3FC6AE2402B7B62B, 0xBFEA9389D082941D,
        0x3FCE8E503666016D, 0x3FE779107C3069D9, 0xBFF5266D8F957969, 0x3FF50977A45EE462,
        0xBFE5FBEF2BC4BE3B, 0x3FF7CF270386CA66, 0xBFDCB2D8340FB171, 0xBFEC8318CC163DE5,
        0x3FE5986ED8E63E98, 0x3FF0BFF5E8D733A2, 0x3FC3BFF1C51BD9A4, 0xBFE7FF1C81C48B11,
    ]  # fmt: skip


def test_normal_mean_std_tutorial() -> None:
    g = Generator(0)
    x = g.normal(2, 3, (1, 1))
    assert x.shape == (1, 1) and bits32(x) == [0x40D3EF85]


def test_randint_and_randperm() -> None:
    g = Generator(0)
    r = g.randint(0, 10, (6,))
    assert r.dtype == np.int64 and r.tolist() == [4, 9, 3, 0, 3, 9]
    assert g.randint(-3, 2**40, (2,)).tolist() == [841130116354, 41311568100]
    g.manual_seed(0)
    assert g.randperm(6).tolist() == [2, 5, 3, 0, 1, 4]


def test_uniform_like_nn_linear_init() -> None:
    g = Generator(0)
    gain = math.sqrt(2.0 / (1 + math.sqrt(5) ** 2))
    bound = math.sqrt(3.0) * (gain / math.sqrt(3))
    assert bits32(g.uniform(-bound, bound, (2, 3))) == [
        0xBB8DA3E8, 0x3E9E9313, 0xBEF34B7E, 0xBED98BC9, 0xBE63B4B1, 0x3E1E8953,
    ]  # fmt: skip
    b = 1 / math.sqrt(3)
    assert bits32(g.uniform(-b, b, (2,))) == [0xBC3B6B40, 0x3EEA617A]


def test_default_seed_and_seeding() -> None:
    assert DEFAULT_SEED == 67280421310721
    g = Generator()
    assert g.initial_seed() == DEFAULT_SEED
    assert bits32(g.rand((3,))) == [0x3E88DAEC, 0x3F5F5E04, 0x3EABAAFA]
    g.manual_seed(-1)
    assert g.initial_seed() == 2**64 - 1
    with pytest.raises(GdRuntimeError):
        g.manual_seed(2**64)


def test_state_round_trip_and_shapes() -> None:
    g = Generator(3)
    g.randn((5,))  # leaves a cached normal
    state = g.get_state()
    assert state.dtype == np.uint8 and state.shape == (5056,)
    a = [g.randn((7,)), g.rand((33,), "float64"), g.randn((40,))]
    g.set_state(state)
    b = [g.randn((7,)), g.rand((33,), "float64"), g.randn((40,))]
    for x, y in zip(a, b, strict=True):
        assert x.tobytes() == y.tobytes()
    assert g.randn((0,)).shape == (0,)
    assert g.rand((2, 0, 3)).shape == (2, 0, 3)
    assert g.randn((2, 3, 4), "float64").dtype == np.float64


def test_errors() -> None:
    g = Generator()
    with pytest.raises(GdRuntimeError, match=r"std >= 0\.0"):
        g.normal(0.0, -1.0, (2,))
    with pytest.raises(GdRuntimeError, match="less than 'to'"):
        g.randint(5, 5, (2,))
    with pytest.raises(GdRuntimeError, match="negative dimension"):
        g.rand((-1,))
    with pytest.raises(TypeError):
        g.rand((2,), "int64")


def test_one_million_normals_are_standard_normal() -> None:
    # Speed is measured in bench/, never asserted here.
    g = Generator(0)
    z = g.randn((1_000_000,))
    assert abs(float(z.mean())) < 0.01 and abs(float(z.std()) - 1) < 0.01


# ------------------------------------------------------- against torch itself


def _torch_call(torch, op: str, args: tuple, shape: tuple[int, ...], dtype: str):  # type: ignore[no-untyped-def]
    """Run one call on torch's default generator."""
    dt = {"float32": torch.float32, "float64": torch.float64}[dtype]
    if op == "rand":
        return torch.rand(shape, dtype=dt)
    if op == "randn":
        return torch.randn(shape, dtype=dt)
    if op == "normal":
        return torch.normal(args[0], args[1], size=shape, dtype=dt)
    if op == "uniform":
        return torch.empty(shape, dtype=dt).uniform_(args[0], args[1])
    if op == "randint":
        return torch.randint(args[0], args[1], shape)
    if op == "randperm":
        return torch.randperm(args[0])
    raise AssertionError(op)


def _our_call(g: Generator, op: str, args: tuple, shape: tuple[int, ...], dtype: str) -> np.ndarray:
    """The same call on our generator."""
    if op == "rand":
        return g.rand(shape, dtype)
    if op == "randn":
        return g.randn(shape, dtype)
    if op == "normal":
        return g.normal(args[0], args[1], shape, dtype)
    if op == "uniform":
        return g.uniform(args[0], args[1], shape, dtype)
    if op == "randint":
        return g.randint(args[0], args[1], shape)
    if op == "randperm":
        return g.randperm(args[0])
    raise AssertionError(op)


def _random_shape(r: np.random.Generator) -> tuple[int, ...]:
    """0-d, 1..40 elements, a few big ones, several ranks."""
    kind = r.integers(0, 10)
    if kind == 0:
        return ()
    if kind == 1:
        return (int(r.choice([0, 1000, 1024, 4097])),)
    if kind <= 6:
        return (int(r.integers(1, 41)),)
    dims = r.integers(1, 6, size=int(r.integers(2, 4)))
    return tuple(int(d) for d in dims)


def _random_call(r: np.random.Generator) -> tuple[str, tuple, tuple[int, ...], str]:
    """One random (op, args, shape, dtype)."""
    op = str(r.choice(["rand", "randn", "randn", "normal", "uniform", "randint", "randperm"]))
    dtype = str(r.choice(["float32", "float64"]))
    shape = _random_shape(r)
    args: tuple = ()
    if op == "normal":
        args = (float(r.normal() * 3), float(r.uniform(0, 4)))
    elif op == "uniform":
        lo = float(r.normal())
        args = (lo, lo + float(r.uniform(0, 5)))
    elif op == "randint":
        lo = int(r.integers(-100, 100))
        span = int(r.choice([1, 2, 7, 1000, 2**28 - 1, 2**28, 2**31, 2**32, 2**40]))
        args = (lo, lo + span)
    elif op == "randperm":
        args = (int(r.integers(0, 60)),)
    return op, args, shape, dtype


def test_random_sweep_against_torch() -> None:
    torch = pytest.importorskip("torch")
    r = np.random.default_rng(20240607)
    g = Generator()
    cases = 0
    for _ in range(40):
        seed = int(r.choice([0, 7, 42, int(r.integers(0, 2**63)), -int(r.integers(1, 2**40))]))
        torch.manual_seed(seed)
        g.manual_seed(seed)
        for _ in range(int(r.integers(1, 9))):
            op, args, shape, dtype = _random_call(r)
            want = _torch_call(torch, op, args, shape, dtype).numpy()
            got = _our_call(g, op, args, shape, dtype)
            where = (seed, op, args, shape, dtype)
            assert got.shape == want.shape and got.dtype == want.dtype, where
            assert got.tobytes() == want.tobytes(), where
            cases += 1
        assert g.get_state().tobytes() == torch.get_rng_state().numpy().tobytes()
    assert cases >= 150


def test_big_float32_fill_against_torch() -> None:
    """The AVX2 polynomial log/sincos over many uniforms, tail block included."""
    torch = pytest.importorskip("torch")
    g = Generator()
    for seed, n, mean, std in [(1, 200_003, 0.0, 1.0), (2, 100_000, -0.5, 2.25)]:
        torch.manual_seed(seed)
        g.manual_seed(seed)
        want = torch.normal(mean, std, size=(n,)).numpy()
        assert g.normal(mean, std, (n,)).tobytes() == want.tobytes()


def test_state_interop_with_torch() -> None:
    torch = pytest.importorskip("torch")
    torch.manual_seed(11)
    torch.randn(3)
    g = Generator()
    g.set_state(torch.get_rng_state().numpy())
    assert g.initial_seed() == 11
    want = torch.randn(5).numpy()
    assert g.randn((5,)).tobytes() == want.tobytes()
    torch.set_rng_state(torch.from_numpy(g.get_state()))
    assert g.rand((9,)).tobytes() == torch.rand(9).numpy().tobytes()
