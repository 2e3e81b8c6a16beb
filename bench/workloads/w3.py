"""W3 BLAS-bound: A, B n×n (1000) requiring grad; loss = sum((A @ B)²); backward.

The floor is the same three matmuls and elementwise work in raw numpy:
C = A @ B, loss = sum(C·C), G = 2C, dA = G Bᵀ, dB = Aᵀ G. gradcli runs bench/gd/w3.gd.
Two groups: float64 and float32.
"""

from __future__ import annotations

from bench.workloads.common import Config, Marks, Metrics, System, check_close, clock, gd_program
from bench.workloads.common import main as _main

TITLE = "1000² matmul"
METRICS = {"total": "ms", "fwd": "ms", "bwd": "ms"}


def size(cfg: Config) -> int:
    """Matrix size (1000; 64 under --quick)."""
    return cfg.pick(1000, 64)


def _ms(fwd: list[float], bwd: list[float]) -> Metrics:
    return {"total": [(f + b) * 1e3 for f, b in zip(fwd, bwd, strict=True)],
            "fwd": [f * 1e3 for f in fwd], "bwd": [b * 1e3 for b in bwd]}


def _inputs(n: int, dtype: str):
    import numpy as np

    rs = np.random.RandomState(0)
    return rs.randn(n, n).astype(dtype), rs.randn(n, n).astype(dtype)


def _check(name: str, A, B, dA, dB, dtype: str) -> None:
    import numpy as np

    A64, B64 = np.asarray(A, np.float64), np.asarray(B, np.float64)
    G = 2 * (A64 @ B64)
    tol = {"rtol": 1e-3, "atol": 1e-2} if dtype == "float32" else {"rtol": 1e-9, "atol": 1e-8}
    check_close(name + " dA", dA, G @ B64.T, **tol)
    check_close(name + " dB", dB, A64.T @ G, **tol)


def gradcli_w3(cfg: Config, dtype: str) -> Metrics:
    """bench/gd/w3.gd (inputs from gradcli's PyTorch-identical generator, outside the timing)."""
    from gradcli.interp.builtins import registry

    n = size(cfg)
    marks = Marks()
    dt = registry().bare[dtype]
    program = gd_program("w3", {"n": n, "dtype": dt}, marks)
    fwd, bwd = [], []
    for rep in range(cfg.nreps(11, 3) + 1):
        marks.reset()
        res = program.run()
        if rep == 0:
            v = res.variables
            _check("gradcli W3", v["A"].array, v["B"].array, v["A"].grad.array,
                   v["B"].grad.array, dtype)
        else:
            f, b = marks.spans()
            fwd.append(f)
            bwd.append(b)
        del res
    return _ms(fwd, bwd)


def torch_w3(cfg: Config, dtype: str) -> Metrics:
    """PyTorch eager (MKL)."""
    import torch

    a0, b0 = _inputs(size(cfg), dtype)
    fwd, bwd = [], []
    for rep in range(cfg.nreps(11, 3) + 1):
        A = torch.from_numpy(a0).requires_grad_(True)
        B = torch.from_numpy(b0).requires_grad_(True)
        t0 = clock()
        C = A @ B
        loss = (C ** 2).sum()
        t1 = clock()
        loss.backward()
        t2 = clock()
        if rep == 0:
            _check("torch W3", a0, b0, A.grad.numpy(), B.grad.numpy(), dtype)
        else:
            fwd.append(t1 - t0)
            bwd.append(t2 - t1)
    return _ms(fwd, bwd)


def autograd_w3(cfg: Config, dtype: str) -> Metrics:
    """HIPS autograd make_vjp."""
    import autograd.numpy as anp
    from autograd import make_vjp

    a0, b0 = _inputs(size(cfg), dtype)

    def f(A, B):
        C = anp.dot(A, B)
        return anp.sum(C ** 2)

    fwd, bwd = [], []
    for rep in range(cfg.nreps(11, 3) + 1):
        t0 = clock()
        vjp, _ = make_vjp(lambda AB: f(*AB))((a0, b0))  # both inputs, as the other systems
        t1 = clock()
        dA, dB = vjp(1.0)
        t2 = clock()
        if rep == 0:
            _check("autograd W3", a0, b0, dA, dB, dtype)
        else:
            fwd.append(t1 - t0)
            bwd.append(t2 - t1)
    return _ms(fwd, bwd)


def jax_w3(cfg: Config, dtype: str) -> Metrics:
    """JAX jax.vjp without jit (XLA's CPU matmul)."""
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    a0, b0 = (jnp.asarray(a) for a in _inputs(size(cfg), dtype))

    def f(A, B):
        C = A @ B
        return jnp.sum(C ** 2)

    fwd, bwd = [], []
    for rep in range(cfg.nreps(11, 3) + 1):
        t0 = clock()
        loss, vjp = jax.vjp(f, a0, b0)
        loss.block_until_ready()
        t1 = clock()
        dA, dB = vjp(jnp.ones_like(loss))
        dB.block_until_ready()
        t2 = clock()
        if rep == 0:
            _check("jax W3", a0, b0, dA, dB, dtype)
        else:
            fwd.append(t1 - t0)
            bwd.append(t2 - t1)
    return _ms(fwd, bwd)


def numpy_w3(cfg: Config, dtype: str) -> Metrics:
    """The floor: C = A@B, sum(C·C), G = 2C, dA = G@Bᵀ, dB = Aᵀ@G in raw numpy."""
    A, B = _inputs(size(cfg), dtype)
    fwd, bwd = [], []
    for rep in range(cfg.nreps(11, 3) + 1):
        t0 = clock()
        C = A @ B
        loss = (C * C).sum()
        t1 = clock()
        G = 2 * C
        dA = G @ B.T
        dB = A.T @ G
        t2 = clock()
        del loss
        if rep == 0:
            _check("numpy W3", A, B, dA, dB, dtype)
        else:
            fwd.append(t1 - t0)
            bwd.append(t2 - t1)
    return _ms(fwd, bwd)


def _systems(dtype: str) -> list[System]:
    sfx = "" if dtype == "float64" else " f32"
    return [
        System("gradcli" + sfx, lambda c: gradcli_w3(c, dtype), kind="gradcli", group=dtype),
        System("numpy floor" + sfx, lambda c: numpy_w3(c, dtype), kind="floor", group=dtype,
               note="raw numpy, same matmuls"),
        System("torch" + sfx, lambda c: torch_w3(c, dtype), ("torch",), group=dtype,
               note="eager, MKL"),
        System("autograd" + sfx, lambda c: autograd_w3(c, dtype), ("autograd",), group=dtype,
               note="make_vjp"),
        System("jax" + sfx, lambda c: jax_w3(c, dtype), ("jax",), group=dtype,
               note="vjp, no jit"),
    ]


SYSTEMS = _systems("float64") + _systems("float32")

if __name__ == "__main__":
    _main(SYSTEMS)
