"""Shared plumbing for the workload modules: the child-process protocol and small timers.

Every workload module defines `SYSTEMS`, a list of `System`s (gradcli and its peers). The
runner starts one fresh process per (system, round): `python -m bench.workloads.wN SYSTEM
[--quick] [--reps R]`, which calls the system's function and prints one JSON line
`{"metrics": {name: [seconds or bytes, ...]}, "info": {...}}` on stdout. Peers are
imported inside their functions only, so listing the systems never imports torch or jax.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GD = ROOT / "bench" / "gd"

Metrics = dict[str, list[float]]


@dataclass
class Config:
    """What one child process is asked to do."""

    quick: bool = False
    reps: int | None = None

    def pick(self, full: int, quick: int) -> int:
        """A size: the full one, or the tiny one under --quick."""
        return quick if self.quick else full

    def nreps(self, full: int, quick: int = 2) -> int:
        """Measured repetitions (after one warm-up), unless --reps overrides."""
        if self.reps is not None:
            return self.reps
        return quick if self.quick else full


@dataclass
class System:
    """One way of running a workload: gradcli, a peer, or a floor."""

    name: str
    fn: Callable[[Config], Metrics]
    needs: tuple[str, ...] = ()  # modules that must be importable (peers are optional)
    kind: str = "peer"  # "gradcli" | "peer" | "floor"
    group: str = ""  # rows compare with the gradcli system of the same group
    slow: bool = False  # run in the first round only (minutes per process)
    note: str = ""
    info: dict[str, Any] = field(default_factory=dict)


def available(system: System) -> bool:
    """Whether every module the system needs is installed (without importing it)."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in system.needs)


# -- timing helpers -------------------------------------------------------------------

def clock() -> float:
    """The timer every workload uses."""
    return time.perf_counter()


class Marks:
    """A `mark()` callable bound into gd programs: each call records the time."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def __call__(self) -> None:
        self.times.append(time.perf_counter())

    def spans(self) -> list[float]:
        """Durations between consecutive marks."""
        t = self.times
        return [b - a for a, b in itertools.pairwise(t)]

    def reset(self) -> None:
        """Forget the marks of a previous run."""
        self.times.clear()


def gd_program(name: str, overrides: dict[str, Any], marks: Marks | None = None) -> Any:
    """Compile bench/gd/NAME.gd with some first assignments overridden (and mark bound)."""
    from gradcli.interp import Program, RunOptions
    from gradcli.interp.values import Builtin
    from gradcli.source import Source

    ov = dict(overrides)
    if marks is not None:
        ov["mark"] = Builtin("mark", marks, "record the time")
    path = GD / f"{name}.gd"
    return Program.compile(Source(str(path.relative_to(ROOT)), path.read_text()),
                           RunOptions(overrides=ov, write=lambda s: None))


def set_gradcli_dtype(name: str) -> None:
    """gradcli's default float dtype (the CLI's --dtype)."""
    from gradcli.ad import dtypes

    dtypes.set_default_dtype(name)


def rss_bytes() -> int:
    """Current resident set size of this process."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def peak_rss_bytes() -> int:
    """Peak resident set size of this process so far."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def cpu_pressure() -> float | None:
    """/proc/pressure/cpu "some avg10" (share of time runnable tasks waited for a CPU)."""
    try:
        with open("/proc/pressure/cpu") as f:
            first = f.readline().split()
        return float(first[1].split("=")[1]) / 100
    except (OSError, IndexError, ValueError):
        return None


def check_close(name: str, got: Any, want: Any, rtol: float = 1e-4, atol: float = 1e-6) -> None:
    """Fail loudly when a system computes a wrong derivative (a benchmark of a bug is void)."""
    import numpy as np

    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape or not np.allclose(got, want, rtol=rtol, atol=atol):
        err = np.max(np.abs(got - want)) if got.shape == want.shape else "shape"
        raise SystemExit(f"{name}: wrong result (max error {err}, shapes {got.shape} "
                         f"vs {want.shape})")


# -- the child-process entry point -----------------------------------------------------

def main(systems: list[System], argv: list[str] | None = None) -> None:
    """Run one system of a workload module and print its JSON line."""
    ap = argparse.ArgumentParser()
    ap.add_argument("system", choices=[s.name for s in systems])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--reps", type=int, default=None)
    a = ap.parse_args(argv)
    system = next(s for s in systems if s.name == a.system)
    cfg = Config(quick=a.quick, reps=a.reps)
    p0 = cpu_pressure()
    c0 = time.process_time()
    w0 = time.perf_counter()
    metrics = system.fn(cfg)
    wall = time.perf_counter() - w0
    cpu = time.process_time() - c0
    gc.collect()
    out = {"metrics": metrics,
           "info": {"pressure_before": p0, "pressure_after": cpu_pressure(),
                    "process_wall": wall, "process_cpu": cpu, **system.info}}
    sys.stdout.write(json.dumps(out) + "\n")
