"""kernel_loop's prefix path (vecmath.kernel_loop): C-contiguous operands in one task
take their vector function on the whole pairs of vectors at the front and the C library's
on the tail, by slices; the same bits as the boolean mask of _vector_mask."""

from __future__ import annotations

import numpy as np
import pytest

from gradcli.ad.kernels import vecmath as VM


def _by_mask(f, x: np.ndarray, *others) -> np.ndarray:
    mask = VM._vector_mask(x, others, x.shape)
    if mask is True or mask is False:
        return VM.kernel_loop(f, x, *others)
    out = np.empty(x.shape, x.dtype)
    wide = [isinstance(o, np.ndarray) and o.ndim > 0 for o in others]
    for m, M in ((mask, VM.VEC), (~mask, VM.LIBM)):
        out[m] = f(M, x[m], *(o[m] if w else o for o, w in zip(others, wide, strict=True)))
    return out


@pytest.mark.parametrize("dt", [np.float32, np.float64], ids=["float32", "float64"])
def test_prefix_path_is_the_masked_one(dt: type) -> None:
    rng = np.random.default_rng(24)
    kernels = [lambda M, a: M.exp(-a), lambda M, a: M.tanh(M.log1p(M.exp(a))),
               lambda M, a, b: M.exp(a) * b, lambda M, a, c: M.expm1(a) + c]
    for n in [*range(1, 80), 95, 96, 97, 129, 300, 1001]:
        for shape in ((n,), (1, n), (n, 1)):
            x = (rng.standard_normal(shape) * 4).astype(dt)
            y = rng.standard_normal(shape).astype(dt)
            for f in kernels:
                args = (y,) if f.__code__.co_argcount == 3 else ()
                if f.__code__.co_varnames[2:3] == ("c",):
                    args = (dt(0.5),)
                got = VM.kernel_loop(f, x, *args)
                want = _by_mask(f, x, *args)
                assert got.shape == want.shape and got.dtype == want.dtype
                assert got.tobytes() == want.tobytes(), (n, shape)


def test_sigmoid_of_odd_sizes_is_pytorchs() -> None:
    torch = pytest.importorskip("torch")
    from gradcli.ad.kernels import elementwise as E

    rng = np.random.default_rng(3)
    for n in (33, 40, 47, 70, 100, 129):
        x = (rng.standard_normal((n // 10 + 1, n)) * 5).astype(np.float32)
        got = np.asarray(E.sigmoid(x))
        assert got.tobytes() == torch.sigmoid(torch.from_numpy(x)).numpy().tobytes(), n
