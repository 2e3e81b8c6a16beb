"""W6 jvp / vjp of the seeds' control-flow function
    b = 2a; while norm(b) < 1000: b = 2b; if sum(b) > 0: c = b else: c = 100b
at a = [1.764, 0.400, 0.979] (numpy RandomState(0).randn(3)) with v = [0.1, 1.0, 0.0001],
float64. a takes 9 doublings and the first branch: J = 512·I, jvp = vjp = 512·v.
Microseconds per call (the mean of `calls` calls; one warm-up batch first).
"""

from __future__ import annotations

from bench.workloads.common import Config, Marks, Metrics, System, check_close, clock, gd_program
from bench.workloads.common import main as _main

TITLE = "control-flow fn jvp/vjp"
METRICS = {"jvp": "µs/call", "vjp": "µs/call"}
HEADLINES = ["jvp", "vjp"]
A = [1.764052345967664, 0.4001572083672233, 0.9787379841057392]
V = [0.1, 1.0, 0.0001]
WANT = [512 * v for v in V]


def calls(cfg: Config, full: int = 2000) -> int:
    """Calls per measured batch (2,000; 20 under --quick)."""
    return cfg.pick(full, 20)


def gradcli_w6(cfg: Config) -> Metrics:
    """`jvp(f, a, v)` and `vjp(f, a, v)` (torch.autograd.functional's) in bench/gd/w6.gd."""
    k = calls(cfg)
    marks = Marks()
    program = gd_program("w6", {"calls": k}, marks)
    out: Metrics = {"jvp": [], "vjp": []}
    for rep in range(cfg.nreps(5) + 1):
        marks.reset()
        res = program.run()
        if rep == 0:
            v = res.variables
            check_close("gradcli W6 vjp", v["vj"][1].array, WANT, rtol=1e-12)
            check_close("gradcli W6 jvp", v["jv"][1].array, WANT, rtol=1e-12)
        else:
            j, b = marks.spans()
            out["jvp"].append(j / k * 1e6)
            out["vjp"].append(b / k * 1e6)
    return out


def _batches(cfg: Config, k: int, fns: dict, check) -> Metrics:
    out: Metrics = {name: [] for name in fns}
    for rep in range(cfg.nreps(5) + 1):
        for name, fn in fns.items():
            t0 = clock()
            for _ in range(k):
                r = fn()
            t = clock() - t0
            if rep == 0:
                check(name, r)
            else:
                out[name].append(t / k * 1e6)
    return out


def _torch_f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


def torch_functional(cfg: Config) -> Metrics:
    """torch.autograd.functional.jvp (double-backward trick) and .vjp."""
    import torch
    from torch.autograd.functional import jvp, vjp

    a = torch.tensor(A, dtype=torch.float64)
    v = torch.tensor(V, dtype=torch.float64)
    return _batches(cfg, calls(cfg), {"jvp": lambda: jvp(_torch_f, a, v)[1],
                                      "vjp": lambda: vjp(_torch_f, a, v)[1]},
                    lambda name, r: check_close(f"torch W6 {name}", r.numpy(), WANT))


def torch_func(cfg: Config) -> Metrics:
    """torch.func.jvp (forward AD through decompositions) and torch.func.vjp + vjp_fn."""
    import torch
    import torch.func

    a = torch.tensor(A, dtype=torch.float64)
    v = torch.tensor(V, dtype=torch.float64)

    def vjp():
        _, fn = torch.func.vjp(_torch_f, a)
        return fn(v)[0]

    return _batches(cfg, calls(cfg, 200), {"jvp": lambda: torch.func.jvp(_torch_f, (a,), (v,))[1],
                                          "vjp": vjp},
                    lambda name, r: check_close(f"torch.func W6 {name}", r.numpy(), WANT))


def jax_w6(cfg: Config) -> Metrics:
    """jax.jvp / jax.vjp without jit (a Python while on a traced value cannot be jitted)."""
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    def f(a):
        b = a * 2
        while jnp.linalg.norm(b) < 1000:
            b = b * 2
        if jnp.sum(b) > 0:
            c = b
        else:
            c = 100 * b
        return c

    a = jnp.asarray(A, dtype=jnp.float64)
    v = jnp.asarray(V, dtype=jnp.float64)

    def vjp():
        _, fn = jax.vjp(f, a)
        return fn(v)[0].block_until_ready()

    return _batches(cfg, calls(cfg, 200),
                    {"jvp": lambda: jax.jvp(f, (a,), (v,))[1].block_until_ready(), "vjp": vjp},
                    lambda name, r: check_close(f"jax W6 {name}", r, WANT))


def autograd_w6(cfg: Config) -> Metrics:
    """HIPS autograd make_jvp (forward mode) and make_vjp."""
    import autograd.numpy as anp
    import numpy as np
    from autograd import make_jvp, make_vjp

    def f(a):
        b = a * 2
        while anp.linalg.norm(b) < 1000:
            b = b * 2
        if anp.sum(b) > 0:
            c = b
        else:
            c = 100 * b
        return c

    a = np.array(A)
    v = np.array(V)
    return _batches(cfg, calls(cfg), {"jvp": lambda: make_jvp(f)(a)(v)[1],
                                      "vjp": lambda: make_vjp(f)(a)[0](v)},
                    lambda name, r: check_close(f"autograd W6 {name}", r, WANT))


SYSTEMS = [
    System("gradcli", gradcli_w6, kind="gradcli", note="jvp/vjp in a gd program"),
    System("torch functional", torch_functional, ("torch",),
           note="torch.autograd.functional.jvp / .vjp"),
    System("torch.func", torch_func, ("torch",), note="torch.func.jvp / .vjp"),
    System("jax", jax_w6, ("jax",), note="no jit"),
    System("autograd", autograd_w6, ("autograd",), note="make_jvp / make_vjp"),
]

if __name__ == "__main__":
    _main(SYSTEMS)
