"""W5 memory: W1 with n = 100,000 iterations (400,000 recorded ops), float64, one fresh
process per measurement. Bytes per recorded op above the process baseline (RSS just
before the loop): "tape" = RSS at the end of the forward pass, "peak" = peak RSS of the
whole run including backward. The no_grad rows run the same loop without recording and
should stay flat (0 B/op).
"""

from __future__ import annotations

import gc

from bench.workloads.common import (
    Config,
    Metrics,
    System,
    clock,
    gd_program,
    peak_rss_bytes,
    rss_bytes,
    set_gradcli_dtype,
)
from bench.workloads.common import main as _main

TITLE = "memory, W1 × 100k"
METRICS = {"tape": "B/op", "peak": "B/op", "fwd": "s"}
OPS_PER_ITER = 4


def iterations(cfg: Config) -> int:
    """Loop iterations (100,000; 2,000 under --quick)."""
    return cfg.pick(100_000, 2_000)


class _Probe:
    """mark(): the time and the RSS at each call."""

    def __init__(self) -> None:
        self.points: list[tuple[float, int]] = []

    def __call__(self) -> None:
        self.points.append((clock(), rss_bytes()))


def _metrics(base: int, probe: _Probe, n: int) -> Metrics:
    ops = OPS_PER_ITER * n
    (t0, _), (t1, r1) = probe.points[0], probe.points[1]
    peak = peak_rss_bytes()
    return {"tape": [max(0, r1 - base) / ops], "peak": [max(0, peak - base) / ops],
            "fwd": [t1 - t0]}


def gradcli_w5(cfg: Config, record: bool) -> Metrics:
    """bench/gd/w1.gd (recording) or bench/gd/w5_nograd.gd."""
    set_gradcli_dtype("float64")
    n = iterations(cfg)
    probe = _Probe()
    program = gd_program("w1" if record else "w5_nograd", {"n": n}, probe)
    gd_program("w1" if record else "w5_nograd", {"n": 10}).run()  # warm-up
    gc.collect()
    base = rss_bytes()
    program.run()
    return _metrics(base, probe, n)


def torch_w5(cfg: Config, record: bool) -> Metrics:
    """PyTorch eager, float64."""
    import torch

    n = iterations(cfg)
    probe = _Probe()

    def run(n: int) -> None:
        x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
        y = x
        probe()
        with torch.set_grad_enabled(record):
            for _ in range(n):
                y = y * 0.9999 + torch.sin(x) * 0.0001
        probe()
        if record:
            y.backward()

    run(10)
    probe.points.clear()
    gc.collect()
    base = rss_bytes()
    run(n)
    return _metrics(base, probe, n)


def autograd_w5(cfg: Config, record: bool) -> Metrics:
    """HIPS autograd make_vjp (or the plain forward on numpy)."""
    import autograd.numpy as anp
    import numpy as np
    from autograd import make_vjp

    n = iterations(cfg)
    probe = _Probe()

    def f(x):
        y = x
        for _ in range(n):
            y = y * 0.9999 + anp.sin(x) * 0.0001
        probe()
        return y

    make_vjp(lambda x: x * 2.0)(0.5)
    gc.collect()
    base = rss_bytes()
    probe()
    if record:
        vjp, _ = make_vjp(f)(0.5)
        vjp(1.0)
    else:
        f(np.float64(0.5))
    return _metrics(base, probe, n)


def jax_w5(cfg: Config, record: bool) -> Metrics:
    """JAX jax.vjp without jit (or eager jnp without AD)."""
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    n = iterations(cfg)
    probe = _Probe()

    def f(x):
        y = x
        for _ in range(n):
            y = y * 0.9999 + jnp.sin(x) * 0.0001
        probe()
        return y

    x = jnp.asarray(0.5, dtype=jnp.float64)
    jax.vjp(lambda x: x * 2.0, x)
    gc.collect()
    base = rss_bytes()
    probe()
    if record:
        y, vjp = jax.vjp(f, x)
        vjp(jnp.ones_like(y))[0].block_until_ready()
    else:
        f(x).block_until_ready()
    return _metrics(base, probe, n)


SYSTEMS = [
    System("gradcli", lambda c: gradcli_w5(c, True), kind="gradcli", group="grad"),
    System("torch", lambda c: torch_w5(c, True), ("torch",), group="grad", note="float64"),
    System("autograd", lambda c: autograd_w5(c, True), ("autograd",), group="grad"),
    System("jax", lambda c: jax_w5(c, True), ("jax",), group="grad", slow=True,
           note="vjp, no jit"),
    System("gradcli no_grad", lambda c: gradcli_w5(c, False), kind="gradcli", group="no_grad"),
    System("torch no_grad", lambda c: torch_w5(c, False), ("torch",), group="no_grad"),
    System("autograd no AD", lambda c: autograd_w5(c, False), ("autograd",), group="no_grad"),
    System("jax no AD", lambda c: jax_w5(c, False), ("jax",), group="no_grad"),
]

if __name__ == "__main__":
    _main(SYSTEMS)
