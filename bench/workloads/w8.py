"""W8 views on long tapes: bench/gd/w8.gd (W1's loop body, 100,000 iterations, 400,000
recorded ops) through the CLI: `gradcli run` and each view of the same program, `graph`,
`check`, `explain`, `jacobian` (all `--wrt x`, full output to a file), each command a fresh
process started the way a user starts it (bytecode cached, as W0's "gradcli" row).

One system per command. A view's process runs `gradcli run` and then the view, back to
back, so its ratio to run ("÷run", the target: ≤ 3) compares two processes of the same
moment; "cpu ÷run" is the same ratio in CPU time (user + system, from os.wait4), which
other load on a shared machine disturbs less. Peak RSS of each command comes from
os.wait4 (the child's own ru_maxrss): the
views should stay flat in the number of nodes they print, so "extra B/node" (the view's
peak above run's, per recorded op) should be small. The command lines are in COMMANDS.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

from bench.workloads.common import GD, ROOT, Config, Metrics, System, check_close, clock
from bench.workloads.common import main as _main
from bench.workloads.w0 import PYCACHE
from bench.workloads.w1 import expected_grad

TITLE = "views on long tapes"
METRICS = {"wall": "s", "÷run": "×", "cpu ÷run": "×", "run s": "s", "RSS MB": "MB",
           "run RSS MB": "MB", "extra B/node": "B/op", "output MB": "MB"}
HEADLINES = ["wall"]
OPS_PER_ITER = 4
# A process may take minutes (check and explain walk every node): the runner's default
# --timeout for this workload; each command also stops itself after MAX_TIME seconds.
TIMEOUT = 3000.0
MAX_TIME = 1200

# The command lines measured, in one place.
# `PROG` stands for the program's path; every command also gets COMMON.
COMMANDS: dict[str, list[str]] = {
    "run": ["run", "PROG"],
    "graph": ["graph", "PROG", "--wrt", "x"],
    "check": ["check", "PROG", "--wrt", "x"],
    "explain": ["explain", "PROG", "--wrt", "x"],
    "jacobian": ["jacobian", "PROG", "--wrt", "x", "--format", "json"],
    # Issue 12 asks for the views' full output: every node, streamed (the default is a
    # summary of a few hundred lines since issue 13).
    "graph --full": ["graph", "PROG", "--wrt", "x", "--full"],
    "check --full": ["check", "PROG", "--wrt", "x", "--full"],
    "explain --full": ["explain", "PROG", "--wrt", "x", "--full"],
}
# --max-memory: under the default 2G cap `explain` stops with "out of memory" at 400,000
# nodes (measured 2026-12-04); the cap is raised so that its time and peak RSS are measured.
COMMON = ["--max-time", str(MAX_TIME), "--max-memory", "8G"]


def iterations(cfg: Config) -> int:
    """Loop iterations (100,000; 500 under --quick, so the smoke test stays fast)."""
    return cfg.pick(100_000, 500)


def command(view: str, n: int) -> list[str]:
    """The full command line of one view on w8.gd with n iterations."""
    prog = str((GD / "w8.gd").relative_to(ROOT))
    args = [prog if a == "PROG" else a for a in COMMANDS[view]]
    return [sys.executable, "-m", "gradcli", *args, "--set", f"n={n}", *COMMON]


def environment() -> dict[str, str]:
    """This tree's gradcli, bytecode cached (what a regular install gives), no colour."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["NO_COLOR"] = "1"
    return env


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str, int, float]:
    """Run one command: (wall s, its own peak RSS in bytes, stdout text, output bytes,
    CPU s)."""
    with tempfile.TemporaryFile(mode="w+b") as out, tempfile.TemporaryFile(mode="w+b") as err:
        t0 = clock()
        p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = clock() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        size = out.tell()
        if p.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace").strip().splitlines()[-3:]
            raise SystemExit(f"W8 {' '.join(cmd[3:5])}: exit {p.returncode}: {' | '.join(tail)}")
        out.seek(0)
        head = out.read(4096).decode(errors="replace")
    return wall, usage.ru_maxrss * 1024, head, size, usage.ru_utime + usage.ru_stime


def _check(view: str, head: str, size: int, n: int) -> None:
    """A fast wrong answer is not a result: check jacobian's value, that views printed."""
    if view == "jacobian":
        got = json.loads(head)["jacobian"]["x"]["value"]
        check_close("gradcli W8 jacobian", got, expected_grad(n), rtol=1e-3)
    elif view != "run" and size == 0:
        raise SystemExit(f"W8 {view}: printed nothing")


def gradcli_w8(cfg: Config, view: str) -> Metrics:
    """`gradcli run`, then (for a view) the view, `reps` times after a tiny warm-up."""
    n = iterations(cfg)
    env = environment()
    measure([sys.executable, "-m", "gradcli", "run", "-e", "1"], env)  # warm the caches
    m: Metrics = {k: [] for k in METRICS}
    for _ in range(cfg.nreps(1, 1)):
        run_wall, run_rss, head, size, run_cpu = measure(command("run", n), env)
        _check("run", head, size, n)
        m["run s"].append(run_wall)
        m["run RSS MB"].append(run_rss / 2**20)
        if view == "run":
            m["wall"].append(run_wall)
            m["RSS MB"].append(run_rss / 2**20)
            continue
        wall, rss, head, size, cpu = measure(command(view, n), env)
        _check(view, head, size, n)
        m["wall"].append(wall)
        m["÷run"].append(wall / run_wall)
        m["cpu ÷run"].append(cpu / run_cpu)
        m["RSS MB"].append(rss / 2**20)
        m["extra B/node"].append(max(0, rss - run_rss) / (OPS_PER_ITER * n))
        m["output MB"].append(size / 2**20)
    return {k: v for k, v in m.items() if v}


SYSTEMS = [
    System(f"gradcli {view}", lambda c, view=view: gradcli_w8(c, view), kind="gradcli",
           note=" ".join(COMMANDS[view]).replace("PROG", "w8.gd"))
    for view in COMMANDS
]

if __name__ == "__main__":
    _main(SYSTEMS)
