"""Round 20's sweeps of the kernels whose last bits depend on the CPU, against PyTorch bit
for bit, under both of ATen's capabilities: this CPU's (AVX512 where it has AVX-512) and
ATEN_CPU_CAPABILITY=avx2, each in a process of its own (ATen and gradcli read the variable
once, at start). Sizes 1 to 70 and a few large ones, float32 and float64, forward values
and gradients through the tape (a random cotangent to every float input).

What they pin (README, "Last bits and your CPU"):

- ATen builds every kernel of native/cpu for AVX2 and AVX512 but registers the AVX512
  build only where a kernel says ALSO_REGISTER_AVX512_DISPATCH: softmax's and log_softmax's
  (forward and backward), the activations (softplus, silu, mish, elu, gelu's ATen path),
  sigmoid, logit, pow, atan2, hypot, ... The others (prod, sum, LayerNorm, GroupNorm,
  batch_norm, softshrink) run their AVX2 build, 8 float lanes, on an AVX-512 CPU too.
- numpy's float64 exp, log, log1p, asinh, ... are the C library's only in numpy's AVX2
  loops (with AVX-512 they are SVML's): gradcli/__init__.py turns numpy's AVX-512 loops
  off, and the C library's float functions, softmax's scalar tails, erfcx, ndtri and
  log_ndtr come out right.
- oneDNN picks its ISA by the CPU: float32 gelu of a contiguous tensor runs its AVX-512
  minimax polynomial there (kernels/onednn_eltwise.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

SIZES = [*range(1, 71), 128, 257, 1000]
DTYPES = [np.float32, np.float64]
Case = tuple[str, Callable[..., Any], list[np.ndarray]]


def _capabilities() -> list[str]:
    from gradcli.ad.kernels import vecmath

    avx512 = vecmath.cpu_has("avx512vl", "avx512bw", "avx512dq", "fma")
    return (["avx512"] if avx512 else []) + ["avx2"]


class _Torch:
    """PyTorch's functions under the names the cases call."""

    def __init__(self) -> None:
        import torch

        tf = torch.nn.functional
        self.tensor, self.grad = torch.tensor, torch.autograd.grad
        for name in ("softmax", "log_softmax", "layer_norm", "group_norm", "batch_norm",
                     "softplus", "silu", "mish", "elu", "gelu", "softshrink"):
            setattr(self, name, getattr(tf, name))
        for name in ("prod", "sigmoid", "asinh", "acosh", "digamma", "i0", "cdist"):
            setattr(self, name, getattr(torch, name))
        for name in ("i1", "log_ndtr", "erfcx", "ndtri"):
            setattr(self, name, getattr(torch.special, name))


class _Ours:
    """gradcli's."""

    def __init__(self) -> None:
        from gradcli.ad import ops
        from gradcli.ad.autograd import grad
        from gradcli.ad.ops import activations, math, nn, pointwise, solvers, special, statistics

        self.tensor, self.grad = ops.tensor, grad
        self.softmax, self.log_softmax, self.prod = ops.softmax, ops.log_softmax, ops.prod
        self.layer_norm, self.batch_norm = nn.layer_norm, nn.batch_norm
        self.group_norm = solvers.group_norm
        for name in ("softplus", "silu", "mish", "elu", "gelu", "sigmoid"):
            setattr(self, name, getattr(activations, name))
        self.cdist = statistics.cdist
        self.asinh, self.acosh = math.asinh, math.acosh
        for name in ("digamma", "i0", "i1", "log_ndtr", "erfcx", "ndtri"):
            setattr(self, name, getattr(special, name))
        self.softshrink = pointwise.softshrink


def mismatches(cases: Iterator[Case], grads: bool = True) -> list[str]:
    """The cases whose forward values (or, with `grads`, gradients) differ from PyTorch's."""
    theirs_ns, ours_ns = _Torch(), _Ours()
    rng = np.random.default_rng(20)
    bad = []
    for name, f, arrays in cases:
        floats = [a.dtype.kind == "f" for a in arrays]
        theirs = [theirs_ns.tensor(a, requires_grad=grads and fl)
                  for a, fl in zip(arrays, floats, strict=True)]
        ours = [ours_ns.tensor(a).requires_grad_(True) if grads and fl else ours_ns.tensor(a)
                for a, fl in zip(arrays, floats, strict=True)]
        y_t, y_o = f(theirs_ns, *theirs), f(ours_ns, *ours)
        pairs = [(y_o.array, y_t.detach().numpy())]
        if grads:
            g = rng.standard_normal(tuple(y_t.shape)).astype(arrays[0].dtype)
            wrt_o = [t for t, fl in zip(ours, floats, strict=True) if fl]
            wrt_t = [t for t, fl in zip(theirs, floats, strict=True) if fl]
            got = ours_ns.grad(y_o, wrt_o, ours_ns.tensor(g))
            want = theirs_ns.grad(y_t, wrt_t, theirs_ns.tensor(g))
            pairs += [(a.array, b.numpy()) for a, b in zip(got, want, strict=True)]
        if not all(np.array_equal(a, b, equal_nan=True) for a, b in pairs):
            bad.append(name)
    return bad


def _softmax_cases() -> Iterator[Case]:
    rng = np.random.default_rng(0)
    for fn in ("softmax", "log_softmax"):
        for dt in DTYPES:
            for n in SIZES:
                key = f"{fn} {np.dtype(dt).name} n={n}"
                for shape, dim in (((3, n), -1), ((3, n), 0), ((4, 3, n), 1), ((n, 5, 3), 1)):
                    if n > 70 and shape[0] == n:
                        continue
                    x = (rng.standard_normal(shape) * 3).astype(dt)
                    yield (f"{key} {shape} dim {dim}",
                           lambda F, x, fn=fn, dim=dim: getattr(F, fn)(x, dim), [x])


def _norm_cases() -> Iterator[Case]:
    rng = np.random.default_rng(1)
    for dt in DTYPES:
        for n in SIZES:
            key = f"{np.dtype(dt).name} n={n}"
            x = (rng.standard_normal((3, n)) * 2 + 1).astype(dt)
            w, b = rng.standard_normal(n).astype(dt), rng.standard_normal(n).astype(dt)
            yield (f"layer_norm {key}",
                   lambda F, x, w, b: F.layer_norm(x, (x.shape[-1],), w, b), [x, w, b])
            x = (rng.standard_normal((2, 6, n)) * 2 + 1).astype(dt)
            w, b = rng.standard_normal(6).astype(dt), rng.standard_normal(6).astype(dt)
            yield (f"group_norm {key}", lambda F, x, w, b: F.group_norm(x, 3, w, b), [x, w, b])
            for shape in ((4, 3, n), (n + 1, 5), (2, 16, n)):
                x = (rng.standard_normal(shape) * 2 + 1).astype(dt)
                w = rng.standard_normal(shape[1]).astype(dt)
                b = rng.standard_normal(shape[1]).astype(dt)
                yield (f"batch_norm {key} {shape}",
                       lambda F, x, w, b: F.batch_norm(x, None, None, w, b, training=True),
                       [x, w, b])


def _reduction_cases() -> Iterator[Case]:
    rng = np.random.default_rng(2)
    for dt in DTYPES:
        for n in SIZES:
            key = f"{np.dtype(dt).name} n={n}"
            x = (rng.random((3, n)) * 0.5 + 0.75).astype(dt)
            yield f"prod {key} all", lambda F, x: F.prod(x), [x]
            yield f"prod {key} dim 1", lambda F, x: F.prod(x, 1), [x]
            yield f"prod {key} dim 0", lambda F, x: F.prod(x, 0), [x]
            y = rng.standard_normal((n, 3, 4)).astype(dt)
            yield f"sum {key} permuted", lambda F, y: y.permute(2, 0, 1).sum((1, 2)), [y]


def _elementwise_cases() -> Iterator[Case]:
    """The activations and the elementwise kernels ATen registers for AVX-512 (their
    vector loops take whole pairs of 64-byte vectors there), and softshrink (AVX2's)."""
    rng = np.random.default_rng(3)
    for dt in DTYPES:
        for n in SIZES:
            key = f"{np.dtype(dt).name} n={n}"
            x = (rng.standard_normal(n) * 4).astype(dt)
            for fn in ("softplus", "silu", "mish", "elu", "sigmoid", "softshrink"):
                yield f"{fn} {key}", lambda F, x, fn=fn: getattr(F, fn)(x), [x]
            # a strided gelu runs ATen's kernel, all in its scalar loop (no FMA there)
            yield f"gelu {key} strided", lambda F, x: F.gelu(x[::2]), [x]


def _gelu_cases() -> Iterator[Case]:
    """F.gelu of a contiguous tensor (float32: oneDNN's; its gradient is another story)."""
    rng = np.random.default_rng(4)
    for dt in DTYPES:
        for n in SIZES:
            x = (rng.standard_normal(n) * 4).astype(dt)
            yield f"gelu {np.dtype(dt).name} n={n}", lambda F, x: F.gelu(x), [x]


def _c_library_cases() -> Iterator[Case]:
    """The C library's functions (and ATen's on them) whose float64 numpy stood in."""
    rng = np.random.default_rng(5)
    for dt in DTYPES:
        for n in (*range(1, 71, 3), 1000):
            key = f"{np.dtype(dt).name} n={n}"
            x = (rng.standard_normal(n) * 6).astype(dt)
            for fn in ("asinh", "digamma", "i0", "i1", "log_ndtr", "erfcx"):
                yield f"{fn} {key}", lambda F, x, fn=fn: getattr(F, fn)(x), [x]
            yield f"acosh {key}", lambda F, x: F.acosh(x), [np.abs(x) + dt(1)]
            yield f"ndtri {key}", lambda F, x: F.ndtri(x), [rng.random(n).astype(dt)]
            if n <= 25:  # more rows take the matrix product form (MKL's: not here)
                a = rng.standard_normal((n, 5)).astype(dt)
                b = rng.standard_normal((7, 5)).astype(dt)
                yield f"cdist {key}", lambda F, a, b: F.cdist(a, b), [a, b]


FAMILIES: dict[str, tuple[Callable[[], Iterator[Case]], bool]] = {
    "softmax": (_softmax_cases, True),
    "norms": (_norm_cases, True),
    "reductions": (_reduction_cases, True),
    "elementwise": (_elementwise_cases, True),
    "gelu": (_gelu_cases, False),
    "c_library": (_c_library_cases, False),
}


def run_families() -> dict[str, list[str]]:
    """Every family's mismatches in this process (the worker's entry)."""
    return {name: mismatches(cases(), grads) for name, (cases, grads) in FAMILIES.items()}


def _in_a_process(capability: str) -> dict[str, list[str]]:
    tests = Path(__file__).parent
    env = dict(os.environ, ATEN_CPU_CAPABILITY=capability)
    env["PYTHONPATH"] = os.pathsep.join([str(tests.parent), env.get("PYTHONPATH", "")])
    code = ("import gradcli, json, sys\n"  # gradcli first: numpy's loops
            f"sys.path.insert(0, {str(tests)!r})\n"
            "import test_r20_avx512 as t\n"
            "print(json.dumps(t.run_families()))\n")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("capability", _capabilities())
def test_kernels_are_pytorchs_under_each_capability(capability: str) -> None:
    """Every family's cases (softmax, norms, reductions, elementwise, gelu, c_library)
    against PyTorch's, in one process for the capability: the mismatches' names."""
    pytest.importorskip("torch")
    assert _in_a_process(capability) == {name: [] for name in FAMILIES}


def test_numpy_runs_the_c_librarys_loops() -> None:
    """gradcli imported before numpy: numpy's float64 exp is the C library's (and with it
    log, log1p, expm1, asinh: numpy's AVX-512 loops are SVML's)."""
    import math

    from gradcli.ad.kernels import vecmath

    assert vecmath.numpy_is_libm()
    x = np.random.default_rng(6).standard_normal(20000) * 5
    for ours, c in ((np.exp, math.exp), (np.log1p, math.log1p), (np.arcsinh, math.asinh)):
        y = np.abs(x) if ours is np.log1p else x
        assert np.array_equal(ours(y), np.array([c(v) for v in y]))


def test_only_the_registered_kernels_take_avx512_lanes() -> None:
    from gradcli.ad.kernels import vecmath

    f32 = np.dtype(np.float32)
    assert vecmath.lanes(f32) == 8
    assert vecmath.lanes(f32, avx512=True) in (8, 16)
    if os.environ.get("ATEN_CPU_CAPABILITY") == "avx2":
        assert vecmath.lanes(f32, avx512=True) == 8
