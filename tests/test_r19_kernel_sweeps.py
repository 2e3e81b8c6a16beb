"""Size sweeps of the softmax and normalisation kernels against PyTorch, bit for bit:
every size from 1 to 40 and a few large ones, float32 and float64, the reduced dim last
or not, forward and gradients through the tape (as a gd program reaches them). Each
case is a (size, dtype, layout) the kernels' vector loops split differently: whole
vectors, tails, thread chunks (softmax along a dim that is not the last splits its
positions between PyTorch's threads, and each thread's share has its own tail)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from gradcli.ad import ops  # noqa: E402
from gradcli.ad.autograd import grad as our_grad  # noqa: E402
from gradcli.ad.ops import nn as onn  # noqa: E402
from gradcli.ad.ops import solvers  # noqa: E402

TF = torch.nn.functional
SIZES = [*range(1, 41), 64, 100, 257]
DTYPES = [np.float32, np.float64]


class Ours:
    """gradcli's functions under torch.nn.functional's names."""

    softmax = staticmethod(ops.softmax)
    log_softmax = staticmethod(ops.log_softmax)
    layer_norm = staticmethod(onn.layer_norm)
    batch_norm = staticmethod(onn.batch_norm)
    group_norm = staticmethod(solvers.group_norm)


Case = tuple[str, Callable[..., Any], list[np.ndarray]]


def mismatches(cases: Iterator[Case]) -> list[str]:
    """The cases whose forward values or gradients (of a random cotangent, to every
    float input) differ from PyTorch's in any bit."""
    rng = np.random.default_rng(5)
    bad = []
    for name, f, arrays in cases:
        theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
        ours = [ops.tensor(a).requires_grad_(True) for a in arrays]
        y_t, y_o = f(TF, *theirs), f(Ours, *ours)
        g = rng.standard_normal(tuple(y_t.shape)).astype(arrays[0].dtype)
        pairs = [(y_o.array, y_t.detach().numpy())]
        got = our_grad(y_o, ours, ops.tensor(g))
        want = torch.autograd.grad(y_t, theirs, torch.tensor(g))
        pairs += [(a.array, b.numpy()) for a, b in zip(got, want, strict=True)]
        if not all(np.array_equal(a, b) for a, b in pairs):
            bad.append(name)
    return bad


def _softmax_cases(log: bool) -> Iterator[Case]:
    rng = np.random.default_rng(0)
    fn = "log_softmax" if log else "softmax"
    for dt in DTYPES:
        for n in SIZES:
            key = f"{fn} {np.dtype(dt).name} n={n}"
            x = (rng.standard_normal((3, n)) * 3).astype(dt)
            yield f"{key} last", lambda F, x: getattr(F, fn)(x, -1), [x]
            yield f"{key} dim 0", lambda F, x: getattr(F, fn)(x, 0), [x]
            x3 = (rng.standard_normal((4, 3, n)) * 3).astype(dt)
            yield f"{key} (4, 3, n) dim 1", lambda F, x: getattr(F, fn)(x, 1), [x3]
            x4 = (rng.standard_normal((n, 5, 3)) * 3).astype(dt)
            yield f"{key} (n, 5, 3) dim 1", lambda F, x: getattr(F, fn)(x, 1), [x4]


def test_softmax_along_every_dim_is_pytorchs() -> None:
    """softmax along a dim that is not the last: the positions each PyTorch thread takes
    in whole vectors get SLEEF's exp, the rest (each share's tail) the C library's expf."""
    assert mismatches(_softmax_cases(log=False)) == []


def test_log_softmax_along_every_dim_is_pytorchs() -> None:
    """log_softmax and its backward: the scalar tails take the C library's expf."""
    assert mismatches(_softmax_cases(log=True)) == []


def _norm_cases() -> Iterator[Case]:
    rng = np.random.default_rng(1)
    for dt in DTYPES:
        for n in SIZES:
            key = f"{np.dtype(dt).name} n={n}"
            x = (rng.standard_normal((3, n)) * 2 + 1).astype(dt)
            w, b = rng.standard_normal(n).astype(dt), rng.standard_normal(n).astype(dt)
            yield f"layer_norm {key}", lambda F, x, w, b: F.layer_norm(x, (x.shape[-1],), w, b), \
                [x, w, b]
            for c, groups in ((4, 2), (6, 3), (16, 4), (12, 1)):
                x = (rng.standard_normal((2, c, n)) * 2 + 1).astype(dt)
                w, b = rng.standard_normal(c).astype(dt), rng.standard_normal(c).astype(dt)
                yield (f"group_norm {key} C={c} G={groups}",
                       lambda F, x, w, b, groups=groups: F.group_norm(x, groups, w, b), [x, w, b])


def test_layer_norm_and_group_norm_are_pytorchs() -> None:
    """LayerNorm and GroupNorm, forward and backward, every plane size (GroupNorm's
    float64 Σ g·x fuses its tail's products into the sum, its float32 one does not; rows
    of 3, 5, 6 or 7 Welford chunks merge unequal counts)."""
    assert mismatches(_norm_cases()) == []


def _batch_norm_cases() -> Iterator[Case]:
    rng = np.random.default_rng(2)
    for dt in DTYPES:
        for n in SIZES[:40]:
            for shape in ((4, 3, n), (n + 1, 5), (2, n), (2, 16, n), (8, 4, n)):
                x = (rng.standard_normal(shape) * 2 + 1).astype(dt)
                w = rng.standard_normal(shape[1]).astype(dt)
                b = rng.standard_normal(shape[1]).astype(dt)
                yield (f"batch_norm {np.dtype(dt).name} {shape}",
                       lambda F, x, w, b: F.batch_norm(x, None, None, w, b, training=True),
                       [x, w, b])
            x = (rng.standard_normal((n, 3, 4)) * 2 + 1).astype(dt)
            w, b = rng.standard_normal(3).astype(dt), rng.standard_normal(3).astype(dt)
            yield (f"batch_norm {np.dtype(dt).name} ({n}, 3, 4) permuted",
                   lambda F, x, w, b: F.batch_norm(x.permute(2, 1, 0), None, None, w, b,
                                                   training=True), [x, w, b])


def test_batch_norm_is_pytorchs() -> None:
    """batch_norm in training, forward and backward, every plane size and batches of two:
    the float64 sum of squared deviations fuses an odd plane's last square into the sum;
    an (N, C) batch of no more rows than threads is summed by ATen's Method 1 or 2; a
    permuted input takes Normalization.cpp's generic loops (at::mean's sum, no FMAs)."""
    assert mismatches(_batch_norm_cases()) == []



def test_sums_of_permuted_views_are_pytorchs() -> None:
    """sum over any dims of a permuted view walks it by strides, as PyTorch's iterator."""
    import itertools

    rng = np.random.default_rng(3)
    bad = []
    for dt in DTYPES:
        for shape in [(5, 3, 4), (40, 3, 4), (7, 6, 33), (3, 16, 50), (2, 1, 40), (3, 4, 5, 6)]:
            x = rng.standard_normal(shape).astype(dt)
            for perm in itertools.permutations(range(len(shape))):
                for k in range(1, len(shape)):
                    for dims in itertools.combinations(range(len(shape)), k):
                        want = torch.tensor(x).permute(*perm).sum(dims).numpy()
                        got = ops.tensor(x).permute(*perm).sum(dims).array
                        if not np.array_equal(got, want):
                            bad.append((np.dtype(dt).name, shape, perm, dims))
    assert bad == []
