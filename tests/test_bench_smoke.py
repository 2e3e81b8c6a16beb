"""The benchmark runner keeps working: `bench/run.py --quick` on tiny sizes, gradcli only.

No timing assertions (timing lives in bench/, measured on a quiet machine): the run must
finish, every workload W0–W9 must produce gradcli's rows (each checks its derivatives
against a closed form or a numpy reference), and the tables must be printed: the main
one, W9's width table and the run time of each workload.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKLOADS = {f"W{i}" for i in range(10)}


def test_bench_quick_runs_every_workload_and_prints_the_tables() -> None:
    p = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--gradcli-only",
         "--no-write"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert p.returncode == 0, p.stderr[-3000:]
    main, *others = p.stdout.split("\n\n")
    lines = main.splitlines()
    assert lines[0].split()[:4] == ["workload", "system", "metric", "median"]
    assert {line.split()[0] for line in lines[2:]} == WORKLOADS, p.stdout
    assert "failed" not in p.stdout
    widths = next(t for t in others if t.startswith("W9 (b): W2's chain by width"))
    assert widths.splitlines()[1].split() == ["width", "gradcli", "µs/op", "torch", "µs/op",
                                              "gradcli/torch", "faster"]
    assert [r.split()[0] for r in widths.splitlines()[3:]] == ["1", "64"]  # --quick's widths
    times = next(t for t in others if t.startswith("workload (1 round)"))
    assert {r.split()[0] for r in times.splitlines()[2:]} == WORKLOADS
