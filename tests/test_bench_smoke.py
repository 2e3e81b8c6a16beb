"""The benchmark runner keeps working: `bench/run.py --quick` on tiny sizes, gradcli only.

No timing assertions (timing lives in bench/, measured on a quiet machine): the run must
finish, every workload must produce gradcli's rows (each checks its derivatives against a
closed form or a numpy reference), and the table must be printed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_quick_runs_and_prints_the_table() -> None:
    p = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--gradcli-only",
         "--no-write"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert p.returncode == 0, p.stderr[-3000:]
    lines = p.stdout.splitlines()
    assert lines[0].split()[:4] == ["workload", "system", "metric", "median"]
    rows = {line.split()[0] for line in lines[2:] if line.strip()}
    assert rows == {f"W{i}" for i in range(10)}, p.stdout
    assert "failed" not in p.stdout
