"""gradcli's benchmark runner: `python bench/run.py [--quick] [WORKLOAD…]`.

Runs each workload (W0–W9, bench/workloads/wN.py) for gradcli and for every peer that is
installed (torch, jax, HIPS autograd: the `compare` extra or `pip install torch==2.13.0
jax autograd`), each measurement in a fresh process, several rounds that alternate
gradcli and peer, and prints one table: workload, system, median, min–max, n, and the
ratio gradcli/peer from this run. A full run writes bench/RESULTS.md with the table, the
targets of issue 12, the machine and the date. Not part of the test suite
(tests/test_bench_smoke.py runs `--quick --gradcli-only` to keep it working).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.metadata
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.workloads.common import System, available, cpu_pressure  # noqa: E402

WORKLOADS = ["W0", "W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9"]

# Issue 12's targets: (label, workload, numerator (system, metric), denominator (system,
# metric) or None for an absolute bound, limit). A row is met when num/den (or num) <= limit.
# "stretch" rows are the stretch goals, reported beside the targets.
TARGETS: list[tuple[str, str, tuple[str, str], tuple[str, str] | None, float]] = [
    ("W0 ≤ 0.25 s", "W0", ("gradcli", "wall"), None, 0.25),
    ("W0 ≤ ¼ python+torch", "W0", ("gradcli", "wall"), ("python+torch", "wall"), 0.25),
    ("W1 per op ≤ 0.5 × torch eager (float32)", "W1", ("gradcli", "total"),
     ("torch", "total"), 0.5),
    ("W1 per op ≤ 0.5 × torch eager (float64)", "W1", ("gradcli f64", "total"),
     ("torch f64", "total"), 0.5),
    ("W2 per op ≤ torch eager (float32)", "W2", ("gradcli", "total"), ("torch", "total"), 1.0),
    ("W2 per op ≤ torch eager (float64)", "W2", ("gradcli f64", "total"),
     ("torch f64", "total"), 1.0),
    ("W2 stretch: ≤ 0.75 × torch eager (float32)", "W2", ("gradcli", "total"),
     ("torch", "total"), 0.75),
    ("W2 stretch: ≤ 0.75 × torch eager (float64)", "W2", ("gradcli f64", "total"),
     ("torch f64", "total"), 0.75),
    ("W3 ≤ 1.10 × numpy floor (float64)", "W3", ("gradcli", "total"),
     ("numpy floor", "total"), 1.10),
    ("W3 ≤ 1.10 × numpy floor (float32)", "W3", ("gradcli f32", "total"),
     ("numpy floor f32", "total"), 1.10),
    ("W4 hessian() ≤ torch.func.hessian", "W4", ("gradcli hessian()", "per call"),
     ("torch.func.hessian", "per call"), 1.0),
    ("W4 grad --order 2 ≤ torch.func.hessian", "W4", ("gradcli grad --order 2", "per call"),
     ("torch.func.hessian", "per call"), 1.0),
    ("W5 bytes/op ≤ torch", "W5", ("gradcli", "tape"), ("torch", "tape"), 1.0),
    ("W5 flat under no_grad (≤ 1 B/op)", "W5", ("gradcli no_grad", "tape"), None, 1.0),
    ("W6 jvp ≤ torch.autograd.functional.jvp", "W6", ("gradcli", "jvp"),
     ("torch functional", "jvp"), 1.0),
    ("W6 vjp ≤ torch.autograd.functional.vjp", "W6", ("gradcli", "vjp"),
     ("torch functional", "vjp"), 1.0),
    ("W7 ≤ 10 × CPython compile()", "W7", ("gradcli", "compile"),
     ("CPython compile()", "compile"), 10.0),
    ("W7 stretch: ≤ 5 × CPython compile()", "W7", ("gradcli", "compile"),
     ("CPython compile()", "compile"), 5.0),
    *[(f"W8 {view} ≤ 3 × run", "W8", (f"gradcli {view}", "÷run"), None, 3.0)
      for view in ("graph", "check", "explain", "jacobian", "graph --full", "check --full",
                   "explain --full")],
    ("W9 flat: per op at 10^6 ops ≤ 1.5 × at 10^3", "W9", ("gradcli W1", "growth"), None, 1.5),
]


@dataclass
class Workload:
    """A workload module and what the run collected for it."""

    key: str
    module: Any
    systems: list[System]
    samples: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    pressure: list[float] = field(default_factory=list)
    # Per peer: gradcli/peer of each adjacent pair of processes (reference, then peer).
    pairs: dict[str, list[dict[str, float]]] = field(default_factory=dict)
    seconds: float = 0.0  # wall time of all its processes in this run

    def summary(self) -> tuple[str, list[str], list[list[str]]] | None:
        """The workload's own summary table (title, header, rows), if it has one (W9's
        widths)."""
        fn = getattr(self.module, "summary", None)
        return fn(self) if fn is not None else None

    @property
    def metrics(self) -> dict[str, str]:
        """Metric name → unit, headline first."""
        return self.module.METRICS

    @property
    def headlines(self) -> list[str]:
        """Metrics that get a row of their own (the others go to the details column)."""
        return getattr(self.module, "HEADLINES", [next(iter(self.metrics))])

    def median(self, system: str, metric: str) -> float | None:
        """The median of a system's samples, or None if it did not run."""
        v = self.samples.get(system, {}).get(metric)
        return statistics.median(v) if v else None

    def ratio(self, num: str, den: str, metric: str) -> float | None:
        """num/den: the median of the paired ratios when num is den's reference (each
        pair ran back to back, so slow drifts of the machine cancel), else of the medians."""
        ref = self.reference(next(s for s in self.systems if s.name == den))
        paired = [r[metric] for r in self.pairs.get(den, []) if metric in r]
        if ref is not None and ref.name == num and paired:
            return statistics.median(paired)
        a, b = self.median(num, metric), self.median(den, metric)
        return None if a is None or not b else a / b

    def reference(self, system: System) -> System | None:
        """The gradcli system a row is compared with: same group, else the first."""
        gradclis = [s for s in self.systems if s.kind == "gradcli"]
        same = [s for s in gradclis if s.group == system.group]
        return (same or gradclis or [None])[0]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workloads", nargs="*", metavar="WORKLOAD",
                    help="W0 … W9 (default: all)")
    ap.add_argument("--quick", action="store_true",
                    help="tiny sizes, 1 round, 2 reps: checks that everything runs")
    ap.add_argument("--rounds", type=int, default=None,
                    help="rounds of fresh processes (default 3; 1 with --quick)")
    ap.add_argument("--reps", type=int, default=None,
                    help="measured repetitions per process (default: per workload)")
    ap.add_argument("--peers", default="all",
                    help="comma-separated peer names to run (torch, jax, autograd), "
                    "'all' (those installed) or 'none'")
    ap.add_argument("--gradcli-only", action="store_true",
                    help="gradcli's own rows only (no peers, no floors)")
    ap.add_argument("--quiet-wait", type=float, default=0.0, metavar="S",
                    help="before each process, wait up to S seconds for the machine to be "
                    "idle (CPU pressure < 0.10)")
    ap.add_argument("--timeout", type=float, default=None,
                    help="seconds allowed for one process (default 900, or the workload's "
                    "TIMEOUT if larger: W8's views take minutes)")
    ap.add_argument("--out", type=Path, default=None,
                    help="write the report here (default: bench/RESULTS.md for a full run)")
    ap.add_argument("--no-write", action="store_true", help="print only")
    a = ap.parse_args(argv)
    bad = [w for w in a.workloads if w.upper() not in WORKLOADS]
    if bad:
        ap.error(f"unknown workload(s) {', '.join(bad)}; choose from {' '.join(WORKLOADS)}")
    a.workloads = [w.upper() for w in a.workloads] or WORKLOADS
    if a.rounds is None:
        a.rounds = 1 if a.quick else 3
    return a


def _peer_family(system: System) -> str:
    return system.needs[0] if system.needs else ""


def select(module: Any, args: argparse.Namespace) -> list[System]:
    """The systems of a workload that this run measures."""
    if args.peers == "all":
        wanted = None
    elif args.peers == "none":
        wanted = set()
    else:
        wanted = set(filter(None, args.peers.split(",")))
    chosen = []
    for s in module.SYSTEMS:
        if s.kind == "gradcli":
            chosen.append(s)
        elif args.gradcli_only:
            continue
        elif s.kind == "floor" or ((wanted is None or _peer_family(s) in wanted) and available(s)):
            chosen.append(s)
    return chosen


def schedule(w: Workload, rnd: int) -> list[System]:
    """One round: each peer right after its gradcli reference (A B A C …), peers rotated
    each round; slow peers only in the first round."""
    peers = [s for s in w.systems if s.kind != "gradcli" and (rnd == 0 or not s.slow)]
    if peers:
        k = rnd % len(peers)
        peers = peers[k:] + peers[:k]
    order: list[System] = []
    for p in peers:
        ref = w.reference(p)
        if ref is not None:
            order.append(ref)
        order.append(p)
    for g in w.systems:
        if g.kind == "gradcli" and g not in order:
            order.append(g)
    return order


def wait_quiet(limit: float) -> None:
    """Wait (up to `limit` seconds) for CPU pressure below 0.10."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        p = cpu_pressure()
        if p is None or p < 0.10:
            return
        time.sleep(2)


def run_one(w: Workload, system: System, args: argparse.Namespace) -> dict[str, float] | None:
    """One fresh process for one system; its samples are added to the workload's.
    Returns the process's median per metric (None if it failed)."""
    cmd = [sys.executable, "-m", f"bench.workloads.{w.key.lower()}", system.name]
    if args.quick:
        cmd.append("--quick")
    if args.reps is not None:
        cmd += ["--reps", str(args.reps)]
    if args.quiet_wait:
        wait_quiet(args.quiet_wait)
    timeout = args.timeout
    if timeout is None:
        timeout = max(900.0, getattr(w.module, "TIMEOUT", 0.0))
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        w.seconds += time.perf_counter() - t0
        w.failures[system.name] = f"timed out after {timeout:.0f} s"
        _log(f"  {w.key} {system.name}: timed out")
        return None
    w.seconds += time.perf_counter() - t0
    lines = p.stdout.strip().splitlines()
    if p.returncode != 0 or not lines:
        w.failures[system.name] = (p.stderr.strip().splitlines() or ["failed"])[-1][:200]
        _log(f"  {w.key} {system.name}: FAILED ({w.failures[system.name]})")
        return None
    data = json.loads(lines[-1])
    into = w.samples.setdefault(system.name, {})
    for metric, values in data["metrics"].items():
        into.setdefault(metric, []).extend(values)
    info = data.get("info", {})
    for key in ("pressure_before", "pressure_after"):
        if info.get(key) is not None:
            w.pressure.append(info[key])
    head = next((h for h in w.headlines if data["metrics"].get(h)), w.headlines[0])
    v = data["metrics"].get(head) or [float("nan")]
    _log(f"  {w.key} {system.name:<28} {head} {statistics.median(v):.4g} "
         f"{w.metrics.get(head, '')}  ({time.perf_counter() - t0:.1f} s)")
    return {m: statistics.median(v) for m, v in data["metrics"].items() if v}


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- reporting --------------------------------------------------------------------------

def _fmt(v: float | None) -> str:
    if v is None:
        return "—"
    a = abs(v)
    if a == 0:
        return "0"
    if a >= 100:
        return f"{v:,.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 1:
        return f"{v:.2f}"
    if a >= 0.01:
        return f"{v:.3f}"
    return f"{v:.2g}"


def table_rows(workloads: list[Workload]) -> list[list[str]]:
    """workload, system, metric (unit), median, min–max, n, gradcli/peer, details."""
    rows = []
    for w in workloads:
        for headline in w.headlines:
            unit = w.metrics[headline]
            label = headline
            for s in w.systems:
                name = s.name + (f" ({s.note})" if s.note else "")
                if s.name in w.failures:
                    rows.append([w.key, name, f"{label} {unit}".strip(), "failed", "", "", "",
                                 w.failures[s.name]])
                    continue
                v = w.samples.get(s.name, {}).get(headline)
                if not v:
                    continue
                ratio = ""
                ref = w.reference(s)
                if s.kind != "gradcli" and ref is not None:
                    r = w.ratio(ref.name, s.name, headline)
                    ratio = "" if r is None else f"{r:.2f}"
                details = ", ".join(
                    f"{m} {_fmt(w.median(s.name, m))}"
                    for m in w.metrics if m not in w.headlines and w.median(s.name, m) is not None)
                rows.append([w.key, name, f"{label} {unit}".strip(), _fmt(statistics.median(v)),
                             f"{_fmt(min(v))}–{_fmt(max(v))}", str(len(v)), ratio, details])
    return rows


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub-flavoured table."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def plain_table(header: list[str], rows: list[list[str]]) -> str:
    """Aligned columns for the terminal."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(wd) for c, wd in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * wd for wd in widths))
    lines += ["  ".join(c.ljust(wd) for c, wd in zip(r, widths, strict=True)).rstrip()
              for r in rows]
    return "\n".join(lines)


HEADER = ["workload", "system", "metric", "median", "min–max", "n", "gradcli/peer", "details"]


def target_rows(workloads: list[Workload]) -> list[list[str]]:
    """Each target of issue 12: the measured value or ratio, and met / missed / not run."""
    by_key = {w.key: w for w in workloads}
    rows = []
    for label, key, (ns, nm), den, limit in TARGETS:
        w = by_key.get(key)
        if w is None:
            continue
        if den is None:
            value = w.median(ns, nm)
        else:
            value = w.ratio(ns, den[0], den[1]) if w.median(*den) is not None else None
        if value is None:
            failed = ns in w.failures or (den is not None and den[0] in w.failures)
            rows.append([label, "—", "failed" if failed else "not run (peer missing?)"])
            continue
        what = f"{_fmt(value)} {w.metrics[nm]}" if den is None else f"{value:.2f}×"
        rows.append([label, what, "met" if value <= limit else "missed"])
    return rows


def machine() -> list[tuple[str, str]]:
    """Facts about the machine and the software measured."""
    facts: list[tuple[str, str]] = []
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    facts.append(("CPU", f"{os.cpu_count()} logical cores; {model or platform.processor()}"))
    try:
        kb = int(next(ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines()
                      if ln.startswith("MemTotal")))
        facts.append(("memory", f"{kb / 2**20:.1f} GiB"))
    except (OSError, StopIteration, ValueError):
        pass
    facts.append(("OS", f"{platform.system()} {platform.release()}"))
    facts.append(("Python", f"{platform.python_implementation()} {platform.python_version()}"))
    facts.append(("numpy BLAS", _blas()))
    for dist in ("numpy", "torch", "jax", "jaxlib", "autograd", "lark", "click"):
        try:
            facts.append((dist, importlib.metadata.version(dist)))
        except importlib.metadata.PackageNotFoundError:
            facts.append((dist, "not installed"))
    env = {k: os.environ[k] for k in ("PYTHONDONTWRITEBYTECODE", "OMP_NUM_THREADS",
                                      "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                      "OPENBLAS_CORETYPE") if k in os.environ}
    facts.append(("environment", ", ".join(f"{k}={v}" for k, v in env.items()) or "—"))
    return facts


def _blas() -> str:
    code = ("import json, numpy\n"
            "try:\n"
            "    from threadpoolctl import threadpool_info\n"
            "    info = [{k: d.get(k) for k in ('internal_api', 'version', 'architecture',"
            " 'threading_layer', 'num_threads')} for d in threadpool_info()]\n"
            "    print(json.dumps(['threadpoolctl', info]))\n"
            "except ImportError:\n"
            "    cfg = numpy.show_config(mode='dicts')['Build Dependencies']['blas']\n"
            "    print(json.dumps(['numpy.show_config', cfg]))\n")
    try:
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           timeout=60)
        source, info = json.loads(p.stdout)
    except (subprocess.SubprocessError, ValueError, OSError):
        return "unknown"
    if source == "threadpoolctl":
        return "; ".join(f"{d['internal_api']} {d['version']} ({d['architecture']}, "
                         f"{d['threading_layer']}, {d['num_threads']} threads)" for d in info)
    return f"{info.get('name')} {info.get('version', '')} (numpy.show_config)"


def report(workloads: list[Workload], args: argparse.Namespace, started: dt.datetime,
           seconds: float, argv: list[str]) -> str:
    """bench/RESULTS.md."""
    pressure = [p for w in workloads for p in w.pressure]
    lines = [
        "# gradcli benchmark results",
        "",
        "Generated by `python bench/run.py` (see bench/README.md for the workloads and the "
        "method); do not edit by hand.",
        "",
        f"- date: {started:%Y-%m-%d %H:%M} UTC; {seconds / 60:.1f} min",
        f"- command: `python bench/run.py {shlex.join(argv)}`".rstrip(),
        f"- rounds: {args.rounds}; each (system, round) a fresh process; medians over all "
        "measured repetitions of all rounds; min–max is the spread, n the sample count",
        "- gradcli/peer (< 1: gradcli is faster or smaller): each peer process runs right "
        "after a gradcli process of its group (dtype, or grad vs no_grad); the column is "
        "the median over those back-to-back pairs of gradcli's median / the peer's median, "
        "so that load changes between pairs cancel. Targets use the same paired ratios "
        "(a second gradcli system, W4's grad --order 2, is compared by medians)",
    ]
    if pressure:
        lines.append(f"- CPU pressure (/proc/pressure/cpu some avg10) around the processes: "
                     f"median {statistics.median(pressure):.2f}, max {max(pressure):.2f} "
                     "(0 = idle; the machine's 2 cores are shared)")
    lines += ["", "## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in machine()]
    lines += ["", "## Results", "", markdown_table(HEADER, table_rows(workloads)), ""]
    for title, header, rows in summaries(workloads):
        lines += [f"### {title}", "", markdown_table(header, rows), ""]
    lines += ["## Targets (issue 12)", "",
              markdown_table(["target", "measured", "status"], target_rows(workloads)), "",
              "## Run time", "", markdown_table(*run_times(workloads, args)), ""]
    return "\n".join(lines)


def summaries(workloads: list[Workload]) -> list[tuple[str, list[str], list[list[str]]]]:
    """The workloads' own summary tables (W9's widths)."""
    return [t for w in workloads if (t := w.summary()) is not None]


def run_times(workloads: list[Workload], args: argparse.Namespace
              ) -> tuple[list[str], list[list[str]]]:
    """Minutes each workload took in this run (all its processes), for planning a rerun."""
    rows = [[w.key, f"{w.seconds / 60:.1f}", str(len(w.systems))] for w in workloads]
    return [f"workload ({args.rounds} round{'s' if args.rounds != 1 else ''})", "minutes",
            "systems"], rows


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the table; write the report."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    workloads = []
    for key in args.workloads:
        module = importlib.import_module(f"bench.workloads.{key.lower()}")
        workloads.append(Workload(key, module, select(module, args)))
    for rnd in range(args.rounds):
        _log(f"round {rnd + 1}/{args.rounds}")
        for w in workloads:
            last: dict[str, dict[str, float] | None] = {}
            for system in schedule(w, rnd):
                if system.name in w.failures:
                    continue
                res = run_one(w, system, args)
                if system.kind == "gradcli":
                    last[system.name] = res
                    continue
                ref = w.reference(system)
                before = last.get(ref.name) if ref is not None else None
                if res and before:  # the reference ran just before this process
                    w.pairs.setdefault(system.name, []).append(
                        {m: before[m] / v for m, v in res.items() if m in before and v})
    seconds = time.perf_counter() - t0
    print(plain_table(HEADER, table_rows(workloads)))
    for title, header, rows in summaries(workloads):
        print(f"\n{title}")
        print(plain_table(header, rows))
    print()
    print(plain_table(*run_times(workloads, args)))
    targets = target_rows(workloads)
    if targets and not args.gradcli_only:
        print()
        print(plain_table(["target", "measured", "status"], targets))
    out = args.out
    if out is None and not args.quick and not args.no_write and not args.gradcli_only:
        out = ROOT / "bench" / "RESULTS.md"
    if out is not None and not args.no_write:
        out.write_text(report(workloads, args, started, seconds, argv))
        _log(f"wrote {out}")
    return 1 if any(w.failures for w in workloads) else 0


if __name__ == "__main__":
    sys.exit(main())
