"""W4 Hessian: the n×n (100×100) Hessian of f(x) = sum(tanh(x)·x²), float64, at
x = linspace(-2, 2, n). Milliseconds per Hessian after a first call (reported apart).

gradcli two ways: `hessian(f, x)` inside bench/gd/w4.gd, and `gradcli grad --order 2`
(the app layer's nested reverse mode, in process) on bench/gd/w4_grad.gd.
"""

from __future__ import annotations

from bench.workloads.common import (
    GD,
    Config,
    Marks,
    Metrics,
    System,
    check_close,
    clock,
    gd_program,
)
from bench.workloads.common import main as _main

TITLE = "100×100 Hessian"
METRICS = {"per call": "ms", "first call": "ms"}


def size(cfg: Config) -> int:
    """Input length (100; 10 under --quick)."""
    return cfg.pick(100, 10)


def expected(n: int):
    """The closed form: diagonal 2·tanh x + 4x·sech² x − 2x²·sech² x·tanh x."""
    import numpy as np

    x = np.linspace(-2, 2, n)
    t = np.tanh(x)
    s2 = 1 - t * t
    return np.diag(2 * t + 4 * x * s2 - 2 * x * x * s2 * t)


def _result(first: float, times: list[float]) -> Metrics:
    return {"per call": [t * 1e3 for t in times], "first call": [first * 1e3]}


def gradcli_hessian(cfg: Config) -> Metrics:
    """`H = hessian(f, x)` in bench/gd/w4.gd, `reps` calls in one run."""
    n = size(cfg)
    reps = cfg.nreps(15, 3) + 1
    marks = Marks()
    res = gd_program("w4", {"n": n, "reps": reps}, marks).run()
    check_close("gradcli W4 hessian", res.value.array, expected(n), rtol=1e-9, atol=1e-12)
    spans = marks.spans()
    return _result(spans[0], spans[1:])


def gradcli_grad_order2(cfg: Config) -> Metrics:
    """`gradcli grad --order 2 --wrt x bench/gd/w4_grad.gd` through the app layer."""
    from gradcli.app import AppOptions, nth_grad
    from gradcli.source import Source

    n = size(cfg)
    path = GD / "w4_grad.gd"
    text = path.read_text().replace("n = 100", f"n = {n}", 1)
    source = Source(path.name, text)
    times = []
    for _ in range(cfg.nreps(15, 3) + 1):
        t0 = clock()
        r = nth_grad(source, AppOptions(wrt=["x"]), 2)
        times.append(clock() - t0)
    got = r.derivatives["x"].value
    check_close("gradcli W4 grad --order 2", got.reshape(n, n), expected(n), rtol=1e-9,
                atol=1e-12)
    return _result(times[0], times[1:])


def _torch_run(cfg: Config, hess) -> Metrics:
    import torch

    n = size(cfg)
    x = torch.linspace(-2, 2, n, dtype=torch.float64)
    times = []
    for _ in range(cfg.nreps(15, 3) + 1):
        t0 = clock()
        H = hess(x)
        times.append(clock() - t0)
    check_close("torch W4", H.numpy(), expected(n), rtol=1e-9, atol=1e-12)
    return _result(times[0], times[1:])


def _tf(x):
    import torch

    return (torch.tanh(x) * x ** 2).sum()


def torch_func_hessian(cfg: Config) -> Metrics:
    """torch.func.hessian (forward-over-reverse, vmapped)."""
    import torch.func

    return _torch_run(cfg, lambda x: torch.func.hessian(_tf)(x))


def torch_functional_hessian(cfg: Config, vectorize: bool) -> Metrics:
    """torch.autograd.functional.hessian (one double-backward per row, or vmapped)."""
    from torch.autograd.functional import hessian

    return _torch_run(cfg, lambda x: hessian(_tf, x, vectorize=vectorize))


def jax_hessian(cfg: Config) -> Metrics:
    """jax.hessian without jit."""
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    n = size(cfg)
    x = jnp.linspace(-2, 2, n, dtype=jnp.float64)
    h = jax.hessian(lambda x: jnp.sum(jnp.tanh(x) * x ** 2))
    times = []
    for _ in range(cfg.nreps(15, 3) + 1):
        t0 = clock()
        H = h(x).block_until_ready()
        times.append(clock() - t0)
    check_close("jax W4", H, expected(n), rtol=1e-9, atol=1e-12)
    return _result(times[0], times[1:])


def autograd_hessian(cfg: Config) -> Metrics:
    """HIPS autograd.hessian."""
    import autograd.numpy as anp
    import numpy as np
    from autograd import hessian

    n = size(cfg)
    x = np.linspace(-2, 2, n)
    h = hessian(lambda x: anp.sum(anp.tanh(x) * x ** 2))
    times = []
    for _ in range(cfg.nreps(15, 3) + 1):
        t0 = clock()
        H = h(x)
        times.append(clock() - t0)
    check_close("autograd W4", H, expected(n), rtol=1e-9, atol=1e-12)
    return _result(times[0], times[1:])


SYSTEMS = [
    System("gradcli hessian()", gradcli_hessian, kind="gradcli", note="in a gd program"),
    System("gradcli grad --order 2", gradcli_grad_order2, kind="gradcli",
           note="app layer, in process"),
    System("torch.func.hessian", torch_func_hessian, ("torch",)),
    System("torch functional.hessian", lambda c: torch_functional_hessian(c, False),
           ("torch",), note="vectorize=False"),
    System("torch functional.hessian vec", lambda c: torch_functional_hessian(c, True),
           ("torch",), note="vectorize=True"),
    System("jax.hessian", jax_hessian, ("jax",), note="no jit"),
    System("autograd.hessian", autograd_hessian, ("autograd",)),
]

if __name__ == "__main__":
    _main(SYSTEMS)
