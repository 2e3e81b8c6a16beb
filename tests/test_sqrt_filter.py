"""The float32 vsSqrt filter (kernels/vml_avx512.sqrt32_filtered): numpy's root where it is
the emulation's, the emulation (vectorised, or the scalar copy for a few elements) on the
rest; the optimizers' steps take it on every parameter. Equal to sqrt32 bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from gradcli.ad.kernels import vml_avx512 as V


def _bits(a: np.ndarray) -> list[int]:
    return np.asarray(a, np.float32).view(np.int32).ravel().tolist()


def test_filtered_is_sqrt32_on_every_kind_of_bits() -> None:
    """Random bit patterns (both signs, nan, inf, subnormals) and a run of [1, 4)."""
    rng = np.random.default_rng(24)
    x = rng.integers(-2**31, 2**31 - 1, 400_000, dtype=np.int64).astype(np.int32)
    run = np.arange(0x3F800000, 0x3F800000 + 300_000, dtype=np.int32)
    for part in (x.view(np.float32), run.view(np.float32)):
        assert _bits(V.sqrt32_filtered(part)) == _bits(V.sqrt32(part))


def test_the_filter_sends_every_differing_root_to_the_emulation() -> None:
    """Where numpy's root is not vsSqrt's, the element is flagged (a run of [1, 4) holds
    thousands of them; 0.15 half-ulp is the window, the farthest seen 0.1202)."""
    x = np.arange(0x40000000, 0x40000000 + (1 << 20), dtype=np.int32).view(np.float32)
    slow = V.sqrt32(x)
    differ = np.flatnonzero(slow != np.sqrt(x))
    assert differ.size > 1000
    d = np.sqrt(x.astype(np.float64)).view(np.int64)
    low = (d & ((1 << 29) - 1)) - (1 << 28)
    assert (np.abs(low[differ]) < V._NEAR).all()


def test_the_scalar_copy_is_sqrt32() -> None:
    """_sqrt32_one on roots near midpoints, tiny and subnormal values, the extremes."""
    x = np.arange(0x3F800000, 0x3F800000 + (1 << 19), dtype=np.int32).view(np.float32)
    near = x[V.sqrt32(x) != np.sqrt(x)][:3000]
    rng = np.random.default_rng(5)
    wide = rng.integers(1, 0x7F800000, 3000, dtype=np.int32).view(np.float32)
    fi = np.finfo(np.float32)
    edge = np.array([fi.smallest_subnormal, fi.tiny, fi.max, 2.0**-64, 2.0**-66, 1.0, 4.0],
                    np.float32)
    for part in (near, wide, edge):
        got = np.array([V._sqrt32_one(float(v)) for v in part], np.float32)
        assert _bits(got) == _bits(V.sqrt32(part))


@pytest.mark.parametrize("size", [1, 2, 7, 16, 40, 300])
def test_small_arrays_of_risky_roots_are_sqrt32(size: int) -> None:
    """Both ways of emulating (a few: one by one; more than _SCALAR_MAX: vectorised), on
    arrays made mostly of elements the filter flags, and their shapes."""
    x = np.arange(0x3F800000, 0x3F800000 + (1 << 18), dtype=np.int32).view(np.float32)
    d = np.sqrt(x.astype(np.float64)).view(np.int64)
    flagged = x[np.abs((d & ((1 << 29) - 1)) - (1 << 28)) < V._NEAR]
    part = np.concatenate([flagged[:size], x[:size]])[::2].copy()
    for p in (part, part[::3], part.reshape(1, -1), np.array(part[0])):
        got, want = V.sqrt32_filtered(p), V.sqrt32(p)
        assert type(got) is type(want) and got.shape == want.shape and got.dtype == want.dtype
        assert _bits(got) == _bits(want)


def test_small_float32_roots_are_pytorchs() -> None:
    """Through the op, on tensors of a few elements (the optimizers' parameter sizes)."""
    torch = pytest.importorskip("torch")
    from gradcli.ad import ops as F

    rng = np.random.default_rng(3)
    for n in (1, 3, 8, 16, 33):
        for _ in range(30):
            x = (rng.random(n) * 10.0 ** rng.integers(-8, 3)).astype(np.float32)
            got = np.asarray(F.sqrt(F.tensor(x)).array)
            assert _bits(got) == _bits(torch.from_numpy(x).sqrt().numpy())
