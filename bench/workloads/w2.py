"""W2 small tensors: h = ones(64), W = 0.1·randn(64, 64) (seeded), b = zeros(64), W and b
requiring grad; n times h = tanh(W @ h + b); backward of sum(h) to W and b.

Per-op figures divide by 3 ops per step (matmul, add, tanh) plus the final sum. gradcli's
random generator reproduces PyTorch's, so gradcli and torch start from the same W.
"""

from __future__ import annotations

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

TITLE = "tanh chain, 64-vectors"
METRICS = {"total": "µs/op", "fwd": "µs/op", "bwd": "µs/op"}
SIZE = 64


def steps(cfg: Config) -> int:
    """Chain length (1,000; 20 under --quick)."""
    return cfg.pick(1000, 20)


def reference(W, n: int):
    """dsum(h)/dW and /db by a hand-written numpy reverse pass (float64)."""
    import numpy as np

    W = np.asarray(W, dtype=np.float64)
    size = W.shape[0]
    h = np.ones(size)
    hs = [h]
    for _ in range(n):
        h = np.tanh(W @ h)
        hs.append(h)
    g = np.ones(size)
    dW = np.zeros_like(W)
    db = np.zeros(size)
    for k in range(n, 0, -1):
        gz = g * (1 - hs[k] ** 2)
        dW += np.outer(gz, hs[k - 1])
        db += gz
        g = W.T @ gz
    return dW, db


def scale(size: int) -> float:
    """W's scale, 0.8/√size: 0.1 at W2's 64, as contracting at W9's other widths."""
    return 0.8 * size**-0.5


def seeded_w(dtype: str, size: int = SIZE):
    """scale·randn(size, size) from PyTorch's generator seeded with 0 (via gradcli's copy)."""
    from gradcli.ad import ops as F

    F.manual_seed(0)
    return scale(size) * F.randn(size, size, dtype=dtype).array


def _per_op(fwd: list[float], bwd: list[float], n: int) -> Metrics:
    k = 1e6 / (3 * n + 1)
    return {"total": [(f + b) * k for f, b in zip(fwd, bwd, strict=True)],
            "fwd": [f * k for f in fwd], "bwd": [b * k for b in bwd]}


def _tol(dtype: str) -> dict[str, float]:
    return {"rtol": 1e-3, "atol": 1e-4} if dtype == "float32" else {"rtol": 1e-8, "atol": 1e-10}


def gradcli_w2(cfg: Config, dtype: str, size: int = SIZE, n: int | None = None,
               reps: int | None = None) -> Metrics:
    """bench/gd/w2.gd (W9 passes other widths, chain lengths and repetitions)."""
    set_gradcli_dtype(dtype)
    n = steps(cfg) if n is None else n
    marks = Marks()
    program = gd_program("w2", {"n": n, "m": size}, marks)
    fwd, bwd = [], []
    for rep in range((cfg.nreps(15) if reps is None else reps) + 1):
        marks.reset()
        res = program.run()
        if rep == 0:
            dW, db = reference(seeded_w(dtype, size), n)
            check_close("gradcli W2 db", res.value.array, db, **_tol(dtype))
            check_close("gradcli W2 dW", res.variables["W"].grad.array, dW, **_tol(dtype))
        else:
            f, b = marks.spans()
            fwd.append(f)
            bwd.append(b)
    return _per_op(fwd, bwd, n)


def torch_w2(cfg: Config, dtype: str, size: int = SIZE, n: int | None = None,
             reps: int | None = None) -> Metrics:
    """PyTorch eager, same seed."""
    import torch

    dt = getattr(torch, dtype)
    n = steps(cfg) if n is None else n
    fwd, bwd = [], []
    for rep in range((cfg.nreps(15) if reps is None else reps) + 1):
        torch.manual_seed(0)
        h = torch.ones(size, dtype=dt)
        W = (scale(size) * torch.randn(size, size, dtype=dt)).requires_grad_(True)
        b = torch.zeros(size, dtype=dt, requires_grad=True)
        t0 = clock()
        for _ in range(n):
            h = torch.tanh(W @ h + b)
        loss = h.sum()
        t1 = clock()
        loss.backward()
        t2 = clock()
        if rep == 0:
            dW, db = reference(W.detach().numpy(), n)
            check_close("torch W2", b.grad.numpy(), db, **_tol(dtype))
            check_close("torch W2 dW", W.grad.numpy(), dW, **_tol(dtype))
        else:
            fwd.append(t1 - t0)
            bwd.append(t2 - t1)
    return _per_op(fwd, bwd, n)


def _np_inputs():
    import numpy as np

    return 0.1 * np.random.RandomState(0).randn(SIZE, SIZE)


def autograd_w2(cfg: Config) -> Metrics:
    """HIPS autograd make_vjp, float64."""
    import autograd.numpy as anp
    import numpy as np
    from autograd import make_vjp

    n = steps(cfg)
    W0 = _np_inputs()
    b0 = np.zeros(SIZE)

    def f(W, b):
        h = anp.ones(SIZE)
        for _ in range(n):
            h = anp.tanh(anp.dot(W, h) + b)
        return anp.sum(h)

    fwd, bwd = [], []
    for rep in range(cfg.nreps(15) + 1):
        t0 = clock()
        vjp, _ = make_vjp(f, argnum=0)(W0, b0)
        t1 = clock()
        dW = vjp(1.0)
        t2 = clock()
        if rep == 0:
            check_close("autograd W2", dW, reference(W0, n)[0], **_tol("float64"))
        else:
            fwd.append(t1 - t0)
            bwd.append(t2 - t1)
    return _per_op(fwd, bwd, n)


def jax_w2(cfg: Config) -> Metrics:
    """JAX jax.vjp without jit, float64."""
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    n = steps(cfg)
    W0 = jnp.asarray(_np_inputs())
    b0 = jnp.zeros(SIZE)

    def f(W, b):
        h = jnp.ones(SIZE)
        for _ in range(n):
            h = jnp.tanh(W @ h + b)
        return jnp.sum(h)

    fwd, bwd = [], []
    for rep in range(cfg.nreps(3, 1) + 1):
        t0 = clock()
        y, vjp = jax.vjp(f, W0, b0)
        y.block_until_ready()
        t1 = clock()
        dW, db = vjp(jnp.ones_like(y))
        db.block_until_ready()
        t2 = clock()
        if rep == 0:
            check_close("jax W2", dW, reference(_np_inputs(), n)[0], **_tol("float64"))
        else:
            fwd.append(t1 - t0)
            bwd.append(t2 - t1)
    return _per_op(fwd, bwd, n)


def numpy_w2(cfg: Config) -> Metrics:
    """The floor: numpy forward keeping the activations, hand-written reverse pass."""
    import numpy as np

    n = steps(cfg)
    W = _np_inputs()
    b = np.zeros(SIZE)
    fwd, bwd = [], []
    for rep in range(cfg.nreps(15) + 1):
        t0 = clock()
        h = np.ones(SIZE)
        hs = [h]
        for _ in range(n):
            h = np.tanh(W @ h + b)
            hs.append(h)
        loss = h.sum()
        t1 = clock()
        g = np.ones(SIZE)
        dW = np.zeros_like(W)
        db = np.zeros(SIZE)
        for k in range(n, 0, -1):
            gz = g * (1 - hs[k] * hs[k])
            dW += np.outer(gz, hs[k - 1])
            db += gz
            g = W.T @ gz
        t2 = clock()
        del loss
        if rep == 0:
            check_close("numpy W2", dW, reference(W, n)[0], **_tol("float64"))
        else:
            fwd.append(t1 - t0)
            bwd.append(t2 - t1)
    return _per_op(fwd, bwd, n)


SYSTEMS = [
    System("gradcli", lambda c: gradcli_w2(c, "float32"), kind="gradcli", group="float32"),
    System("torch", lambda c: torch_w2(c, "float32"), ("torch",), group="float32",
           note="eager"),
    System("gradcli f64", lambda c: gradcli_w2(c, "float64"), kind="gradcli", group="float64"),
    System("torch f64", lambda c: torch_w2(c, "float64"), ("torch",), group="float64",
           note="eager"),
    System("autograd", autograd_w2, ("autograd",), group="float64", note="make_vjp"),
    System("jax", jax_w2, ("jax",), group="float64", note="vjp, no jit"),
    System("numpy", numpy_w2, kind="floor", group="float64", note="hand reverse pass"),
]

if __name__ == "__main__":
    _main(SYSTEMS)
