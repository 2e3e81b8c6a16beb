"""W1 scalar tape: x = 0.5 requiring grad; y = x; n times y = y*0.9999 + sin(x)*0.0001;
backward. Microseconds per recorded op (4 per iteration: mul, sin, mul, add).

gradcli runs bench/gd/w1.gd (its `mark()` calls split forward from backward). Rows come in
two dtype groups: float32 (PyTorch's and gradcli's default dtype) and float64.
"""

from __future__ import annotations

import math

from bench.workloads.common import (
    Config,
    Marks,
    Metrics,
    System,
    check_close,
    clock,
    gd_program,
    set_gradcli_dtype,
)
from bench.workloads.common import main as _main

TITLE = "scalar tape"
METRICS = {"total": "µs/op", "fwd": "µs/op", "bwd": "µs/op"}
OPS_PER_ITER = 4


def iterations(cfg: Config) -> int:
    """Loop iterations (10,000; 200 under --quick)."""
    return cfg.pick(10_000, 200)


def expected_grad(n: int, x: float = 0.5) -> float:
    """dy/dx in closed form: y_k = c·y_{k-1} + s·sin x ⇒ y' = cⁿ + cos x·(1 − cⁿ)."""
    c = 0.9999 ** n
    return c + math.cos(x) * (1 - c)


def _per_op(fwd: list[float], bwd: list[float], n: int) -> Metrics:
    k = 1e6 / (OPS_PER_ITER * n)
    return {"total": [(f + b) * k for f, b in zip(fwd, bwd, strict=True)],
            "fwd": [f * k for f in fwd], "bwd": [b * k for b in bwd]}


def gradcli_w1(cfg: Config, dtype: str) -> Metrics:
    """The gd program, run once to warm up, then `reps` times."""
    set_gradcli_dtype(dtype)
    n = iterations(cfg)
    marks = Marks()
    program = gd_program("w1", {"n": n}, marks)
    fwd, bwd = [], []
    for rep in range(cfg.nreps(7) + 1):
        marks.reset()
        res = program.run()
        check_close("gradcli W1", res.value.array, expected_grad(n), rtol=1e-3)
        if rep:
            f, b = marks.spans()
            fwd.append(f)
            bwd.append(b)
    return _per_op(fwd, bwd, n)


def torch_w1(cfg: Config, dtype: str) -> Metrics:
    """PyTorch eager."""
    import torch

    dt = getattr(torch, dtype)
    n = iterations(cfg)
    fwd, bwd = [], []
    for rep in range(cfg.nreps(7) + 1):
        x = torch.tensor(0.5, dtype=dt, requires_grad=True)
        t0 = clock()
        y = x
        for _ in range(n):
            y = y * 0.9999 + torch.sin(x) * 0.0001
        t1 = clock()
        y.backward()
        t2 = clock()
        check_close("torch W1", x.grad.item(), expected_grad(n), rtol=1e-3)
        if rep:
            fwd.append(t1 - t0)
            bwd.append(t2 - t1)
    return _per_op(fwd, bwd, n)


def autograd_w1(cfg: Config) -> Metrics:
    """HIPS autograd: make_vjp records the forward, the vjp runs the backward."""
    import autograd.numpy as anp
    from autograd import make_vjp

    n = iterations(cfg)

    def f(x):
        y = x
        for _ in range(n):
            y = y * 0.9999 + anp.sin(x) * 0.0001
        return y

    fwd, bwd = [], []
    for rep in range(cfg.nreps(7) + 1):
        t0 = clock()
        vjp, _ = make_vjp(f)(0.5)
        t1 = clock()
        g = vjp(1.0)
        t2 = clock()
        check_close("autograd W1", g, expected_grad(n), rtol=1e-6)
        if rep:
            fwd.append(t1 - t0)
            bwd.append(t2 - t1)
    return _per_op(fwd, bwd, n)


def jax_w1(cfg: Config) -> Metrics:
    """JAX jax.vjp without jit (jit would unroll the loop: 16 s to compile 40k ops)."""
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    n = iterations(cfg)

    def f(x):
        y = x
        for _ in range(n):
            y = y * 0.9999 + jnp.sin(x) * 0.0001
        return y

    fwd, bwd = [], []
    for rep in range(cfg.nreps(2, 1) + 1):
        x = jnp.asarray(0.5, dtype=jnp.float64)
        t0 = clock()
        y, vjp = jax.vjp(f, x)
        y.block_until_ready()
        t1 = clock()
        (g,) = vjp(jnp.ones_like(y))
        g.block_until_ready()
        t2 = clock()
        check_close("jax W1", g, expected_grad(n), rtol=1e-6)
        if rep:
            fwd.append(t1 - t0)
            bwd.append(t2 - t1)
    return _per_op(fwd, bwd, n)


def numpy_w1(cfg: Config) -> Metrics:
    """The floor: the same arithmetic on numpy float64 scalars, a hand-written reverse pass."""
    import numpy as np

    n = iterations(cfg)
    fwd, bwd = [], []
    for rep in range(cfg.nreps(7) + 1):
        x = np.float64(0.5)
        t0 = clock()
        y = x
        for _ in range(n):
            y = y * 0.9999 + np.sin(x) * 0.0001
        t1 = clock()
        g, dx = np.float64(1.0), np.float64(0.0)
        for _ in range(n):
            dx += g * 0.0001 * np.cos(x)
            g = g * 0.9999
        dx += g
        t2 = clock()
        check_close("numpy W1", dx, expected_grad(n), rtol=1e-6)
        if rep:
            fwd.append(t1 - t0)
            bwd.append(t2 - t1)
    return _per_op(fwd, bwd, n)


SYSTEMS = [
    System("gradcli", lambda c: gradcli_w1(c, "float32"), kind="gradcli", group="float32"),
    System("torch", lambda c: torch_w1(c, "float32"), ("torch",), group="float32",
           note="eager"),
    System("gradcli f64", lambda c: gradcli_w1(c, "float64"), kind="gradcli", group="float64"),
    System("torch f64", lambda c: torch_w1(c, "float64"), ("torch",), group="float64",
           note="eager"),
    System("autograd", autograd_w1, ("autograd",), group="float64", note="make_vjp"),
    System("jax", jax_w1, ("jax",), group="float64", slow=True, note="vjp, no jit"),
    System("numpy", numpy_w1, kind="floor", group="float64",
           note="no tape, hand reverse pass"),
]

if __name__ == "__main__":
    _main(SYSTEMS)
