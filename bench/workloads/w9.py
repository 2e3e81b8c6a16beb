"""W9 scaling: does the cost per op stay flat as the tape grows and as tensors widen?

(a) W1's scalar tape (bench/gd/w1.gd, float32) at 10^3, 10^4, 10^5 and 10^6 recorded ops
(4 per iteration), gradcli only: µs per op (forward + backward) at each size, and
"growth", the per-op time at the largest size ÷ at the smallest (target: ≤ 1.5, flat).
(b) W2's tanh chain (bench/gd/w2.gd with its width m bound) at widths 1, 4, 16, 64, 256,
1024, 4096, gradcli and PyTorch eager (float32, same seed): µs per op at each width, and
gradcli/torch per width in the ratio column. Chains are shorter at large widths (the
backward of each step makes a width × width outer product), see STEPS.
Quick mode: 10^3 and 10^4 ops; widths 1 and 64, 20 steps.
"""

from __future__ import annotations

import gc
import statistics
from typing import Any

from bench.workloads.common import (
    Config,
    Marks,
    Metrics,
    System,
    check_close,
    gd_program,
    set_gradcli_dtype,
)
from bench.workloads.common import main as _main
from bench.workloads.w1 import OPS_PER_ITER, expected_grad
from bench.workloads.w2 import gradcli_w2, torch_w2

TITLE = "scaling: tape length, tensor width"
SIZES = [10**3, 10**4, 10**5, 10**6]
WIDTHS = [1, 4, 16, 64, 256, 1024, 4096]
# Chain length per width: W2's 1,000 steps up to 64, then shorter (about the same seconds).
STEPS = {1: 1000, 4: 1000, 16: 1000, 64: 1000, 256: 250, 1024: 40, 4096: 10}


def _ops_key(size: int) -> str:
    return f"1e{len(str(size)) - 1} ops"


def _width_key(width: int) -> str:
    return f"width {width}"


METRICS = {**{_ops_key(s): "µs/op" for s in SIZES}, "growth": "×",
           **{_width_key(w): "µs/op" for w in WIDTHS}}
HEADLINES = list(METRICS)


def sizes(cfg: Config) -> list[int]:
    """Recorded ops of (a): 10^3 … 10^6 (10^3 and 10^4 under --quick)."""
    return SIZES[:2] if cfg.quick else SIZES


def widths(cfg: Config) -> list[int]:
    """Widths of (b): 1 … 4096 (1 and 64 under --quick)."""
    return [1, 64] if cfg.quick else WIDTHS


def gradcli_w1_sizes(cfg: Config) -> Metrics:
    """w1.gd at each size: one warm-up run at the smallest, then `reps` runs per size."""
    set_gradcli_dtype("float32")
    marks = Marks()
    out: Metrics = {}
    gd_program("w1", {"n": sizes(cfg)[0] // OPS_PER_ITER}).run()  # warm-up
    for size in sizes(cfg):
        n = size // OPS_PER_ITER
        program = gd_program("w1", {"n": n}, marks)
        times = []
        # 10^6 ops take seconds per run: fewer repetitions there.
        for _ in range(cfg.nreps(5 if size < 10**6 else 2)):
            gc.collect()
            marks.reset()
            res = program.run()
            check_close("gradcli W9 W1", res.value.array, expected_grad(n), rtol=1e-3)
            f, b = marks.spans()
            times.append((f + b) * 1e6 / size)
            del res
        out[_ops_key(size)] = times
    first, last = out[_ops_key(sizes(cfg)[0])], out[_ops_key(sizes(cfg)[-1])]
    out["growth"] = [statistics.median(last) / statistics.median(first)]
    return out


def _steps(cfg: Config, width: int) -> int:
    return 20 if cfg.quick else STEPS[width]


def w2_widths(cfg: Config, system: str) -> Metrics:
    """W2's chain at each width (total µs per op), gradcli or torch."""
    fn = gradcli_w2 if system == "gradcli" else torch_w2
    out: Metrics = {}
    for width in widths(cfg):
        gc.collect()
        m = fn(cfg, "float32", size=width, n=_steps(cfg, width), reps=cfg.nreps(5))
        out[_width_key(width)] = m["total"]
    return out


def summary(w: Any) -> tuple[str, list[str], list[list[str]]] | None:
    """(b) as one table for RESULTS.md and the terminal: width, µs per op of gradcli and
    PyTorch, gradcli/torch (paired, as the main table's ratio) and which is faster.
    `w` is the runner's Workload (median, ratio)."""
    rows = []
    for width in WIDTHS:
        key = _width_key(width)
        ours, theirs = w.median("gradcli W2", key), w.median("torch W2", key)
        if ours is None:
            continue
        ratio = w.ratio("gradcli W2", "torch W2", key) if theirs is not None else None
        rows.append([f"{width:,}", _us(ours), _us(theirs),
                     "—" if ratio is None else f"{ratio:.2f}",
                     "—" if ratio is None else ("gradcli" if ratio < 1 else "torch")])
    if not rows:
        return None
    return ("W9 (b): W2's chain by width (float32)",
            ["width", "gradcli µs/op", "torch µs/op", "gradcli/torch", "faster"], rows)


def _us(v: float | None) -> str:
    return "—" if v is None else (f"{v:,.0f}" if v >= 100 else f"{v:.2f}")


SYSTEMS = [
    System("gradcli W1", gradcli_w1_sizes, kind="gradcli", group="ops",
           note="w1.gd, float32"),
    System("gradcli W2", lambda c: w2_widths(c, "gradcli"), kind="gradcli", group="width",
           note="w2.gd, float32"),
    System("torch W2", lambda c: w2_widths(c, "torch"), ("torch",), group="width",
           note="eager, float32"),
]

if __name__ == "__main__":
    _main(SYSTEMS)
