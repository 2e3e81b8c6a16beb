"""glibc's logf and expf written out on whole arrays (kernels/clib.logf, clib.expf) give
the C library's own bits: float32 xlogy, entr, digamma, i0, i1, ndtri's and log_ndtr's
logs take them instead of one ctypes call per element (~12x faster on 10^6 elements).
Measured on all 2^32 floats against this machine's glibc 2.36 (a C program with the same
double operations): equal everywhere but the two expf arguments its FMA build rounds
otherwise, which call() leaves to the C library. Here: a sweep of bit patterns over the
whole range, and the special values."""

from __future__ import annotations

import numpy as np
import pytest

from gradcli.ad.kernels import clib as C

pytestmark = pytest.mark.skipif(not C._glibc_routines(),
                                reason="the C library's logf/expf are not glibc's")


def _sweep(offset: int) -> np.ndarray:
    bits = np.arange(offset, 2 ** 32, 65521, dtype=np.uint64).astype(np.uint32)
    special = np.array([0, 0x80000000, 0x3F800000, 0x7F800000, 0xFF800000, 0x7FC00000,
                        0xFFC00000, 1, 0x007FFFFF, 0x00800000, 0x7F7FFFFF, 0x4202422F,
                        0xC27C65D9, 0x42B17218, 0xC2CFF1B5, 0xC2CFF1B4], np.uint32)
    return np.concatenate([bits, special]).view(np.float32)


@pytest.mark.parametrize("name", ["log", "exp"])
@pytest.mark.parametrize("offset", [0, 7, 30011])
def test_array_logf_expf_are_the_c_librarys_bit_for_bit(name: str, offset: int) -> None:
    x = _sweep(offset)
    ours = C.call(name, x, dtype=np.float32)
    theirs = C.call_scalar(name, x, dtype=np.float32)
    assert ours.view(np.uint32).tolist() == theirs.view(np.uint32).tolist()


def test_shapes_and_broadcast_scalars_keep_their_shape() -> None:
    x = np.linspace(0.1, 5, 12, dtype=np.float32).reshape(3, 4)
    assert C.call("log", x, dtype=np.float32).shape == (3, 4)
    assert C.call("exp", np.float32(1.5), dtype=np.float32).shape == ()
    assert C.call("log", x.T, dtype=np.float32).tobytes() == \
        C.call_scalar("log", x.T, dtype=np.float32).tobytes()


def test_larger_shapes_take_the_array_version_and_keep_their_layout() -> None:
    """Past _SCALAR_MAX elements (the array version): shapes, transposes, 0-d."""
    x = np.linspace(0.1, 5, 60, dtype=np.float32).reshape(6, 10)
    assert x.size > C._SCALAR_MAX
    for name in ("log", "exp"):
        for part in (x, x.T, x[:, ::2]):
            got = C.call(name, part, dtype=np.float32)
            assert got.shape == part.shape and got.dtype == np.float32
            assert got.tobytes() == C.call_scalar(name, part, dtype=np.float32).tobytes()


@pytest.mark.parametrize("name", ["log", "exp"])
def test_small_arrays_by_the_c_call_are_the_array_versions_bits(name: str) -> None:
    """Up to _SCALAR_MAX elements call() takes the C function element by element (fewer
    numpy calls): the same bits as the array version, specials and the two FMA cases."""
    x = _sweep(13)
    whole = (C.logf if name == "log" else C.expf)(np.ascontiguousarray(x))
    odd = C._exceptions(name, x)
    whole[odd] = C.call_scalar(name, x[odd], dtype=np.float32)
    k = C._SCALAR_MAX
    for i in range(0, 4000, k):
        got = C.call(name, x[i:i + k], dtype=np.float32)
        assert got.view(np.uint32).tolist() == whole[i:i + k].view(np.uint32).tolist()
    tail = x[-16:]  # the special values
    assert C.call(name, tail, dtype=np.float32).view(np.uint32).tolist() == \
        whole[-16:].view(np.uint32).tolist()
