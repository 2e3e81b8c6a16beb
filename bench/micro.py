"""Micro-benchmarks of gradcli's per-op overhead, for profiling work on the autograd core.

    python bench/micro.py [ops] [w1] [w2] [parse]      (default: all four)

`ops`: one operator call on 0-d float64 tensors (recording, and with grad off); `w1`, `w2`:
the W1 / W2 loops written against the library (no interpreter), forward and backward
µs/op; `parse`: the slowest shapes of program to parse (a long list, an f-string of many
fields, many statements) at two sizes, µs per item: per-item cost that grows with size
is a super-linear step (an f-string's positions found quadratically once took 152 s for
a megabyte). The cyclic GC is disabled (as Program.run does) and each figure is the minimum
over several repetitions, which is the steadiest statistic on a shared machine. Compare
two versions of the code by running this script in each checkout, alternately.
"""

from __future__ import annotations

import gc
import sys
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def ops() -> None:
    """µs per operator call."""
    import numpy as np

    from gradcli.ad import ops as F
    from gradcli.ad.tensor import State

    x = F.tensor(np.float64(0.5))
    x.requires_grad_(True)
    c = F.tensor(np.float64(0.25))

    def t(f) -> float:
        return min(timeit.repeat(f, number=20_000, repeat=7)) / 20_000 * 1e6

    rows = [("x * 0.9999 (recording)", lambda: x * 0.9999),
            ("x + c (recording)", lambda: x + c),
            ("sin(x) (recording)", lambda: F.sin(x)),
            ("c * 0.9999 (nothing to record)", lambda: c * 0.9999)]
    for name, f in rows:
        print(f"{name:34s} {t(f):6.3f} µs")
    State.grad_enabled = False
    print(f"{'x * 0.9999 (grad off)':34s} {t(lambda: x * 0.9999):6.3f} µs")
    State.grad_enabled = True


def w1(n: int = 10_000, reps: int = 7) -> None:
    """W1 against the library, float32 and float64: µs per recorded op, forward and
    backward (the 0-d ops take numpy scalar paths: see tests/test_fastpath_scalar.py)."""
    import numpy as np

    from gradcli.ad import ops as F

    for dtype in (np.float32, np.float64):
        best_f = best_b = float("inf")
        for _ in range(reps):
            x = F.tensor(dtype(0.5))
            x.requires_grad_(True)
            t0 = time.perf_counter()
            y = x
            for _ in range(n):
                y = y * 0.9999 + F.sin(x) * 0.0001
            t1 = time.perf_counter()
            y.backward()
            t2 = time.perf_counter()
            best_f, best_b = min(best_f, t1 - t0), min(best_b, t2 - t1)
        k = 1e6 / (4 * n)
        print(f"W1 library {dtype.__name__}: fwd {best_f * k:.3f}  bwd {best_b * k:.3f}  "
              f"total {(best_f + best_b) * k:.3f} µs/op")


def w2(n: int = 1000, reps: int = 7) -> None:
    """W2 against the library: µs per recorded op, forward and backward."""
    import numpy as np

    from gradcli.ad import ops as F

    F.manual_seed(0)
    w0 = 0.1 * F.randn(64, 64, dtype="float64").array
    best_f = best_b = float("inf")
    for _ in range(reps):
        W = F.tensor(w0)
        W.requires_grad_(True)
        b = F.tensor(np.zeros(64))
        b.requires_grad_(True)
        h = F.tensor(np.ones(64))
        t0 = time.perf_counter()
        for _ in range(n):
            h = F.tanh(W @ h + b)
        y = h.sum()
        t1 = time.perf_counter()
        y.backward()
        t2 = time.perf_counter()
        best_f, best_b = min(best_f, t1 - t0), min(best_b, t2 - t1)
    k = 1e6 / (3 * n + 1)
    print(f"W2 library float64: fwd {best_f * k:.3f}  bwd {best_b * k:.3f}  "
          f"total {(best_f + best_b) * k:.3f} µs/op")


def parse(reps: int = 3) -> None:
    """µs per item to parse the worst shapes, at two sizes (flat = linear)."""
    from gradcli.source import Source
    from gradcli.syntax.parser import parse as parse_source

    shapes = {"list": lambda n: "x = [" + ",".join(["1"] * n) + "]",
              "fstring": lambda n: "x = f'" + "{1}" * n + "'",
              "statements": lambda n: "x = 1\n" * n}
    for name, make in shapes.items():
        row = []
        for n in (20_000, 160_000):
            source = Source("<bench>", make(n))
            best = min(timeit.repeat(lambda s=source: parse_source(s, max_bytes=10**7),
                                     number=1, repeat=reps))
            row.append(f"{n:,} items {best / n * 1e6:.2f}")
        print(f"parse {name}: " + ", ".join(row) + " µs/item")


def main(argv: list[str]) -> None:
    """Run the chosen micro-benchmarks."""
    gc.disable()
    chosen = argv or ["ops", "w1", "w2", "parse"]
    for name in chosen:
        {"ops": ops, "w1": w1, "w2": w2, "parse": parse}[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
