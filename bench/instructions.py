"""W2's cost per step in CPU instructions, which do not depend on the machine's load.

    python bench/instructions.py [--dtype float32|float64] [--steps A B] [--tree DIR]

Runs bench/gd/w2.gd through the interpreter under valgrind's callgrind, once with A steps
and once with B (default 100 and 300), and prints (Ir(B) − Ir(A)) / (B − A): the
instructions one step of the loop and its backward costs, start-up and the program's
set-up cancelled. Inside each process the program runs once to warm up, then once more
inside `functools.reduce`, the only stretch callgrind counts (`--toggle-collect=
functools_reduce`). `--tree` measures another checkout (its gradcli is imported first).
Each measurement takes a minute or two; timing on a shared machine moves by ±10 % between
runs, this count by well under 1 %. Needs valgrind (`apt-get install valgrind`).
Round 18 used it to weigh a compiled core (bench/README.md, "W2").
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(dtype: str, steps: int) -> None:
    """The measured process: warm run, then one run inside functools.reduce."""
    from bench.workloads.common import Marks, gd_program, set_gradcli_dtype

    set_gradcli_dtype(dtype)
    gc.disable()
    program = gd_program("w2", {"n": steps, "m": 64}, Marks())
    program.run()
    functools.reduce(lambda _a, _b: program.run(), [0, 1])


def count(tree: Path, dtype: str, steps: int) -> int:
    """Instructions callgrind collected in one child run."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tree), str(ROOT)]))
        cmd = ["valgrind", "--tool=callgrind", "--collect-atstart=no",
               "--toggle-collect=functools_reduce", f"--callgrind-out-file={tmp}/out",
               sys.executable, str(Path(__file__).resolve()), "--child", dtype, str(steps)]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in callgrind's output:\n{done.stderr}")
    return int(found.group(1))


def main(argv: list[str]) -> None:
    """Parse the options, measure, print."""
    if argv[:1] == ["--child"]:  # (PYTHONPATH: the measured tree first, then this one)
        child(argv[1], int(argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    parser.add_argument("--steps", nargs=2, type=int, default=[100, 300], metavar=("A", "B"))
    parser.add_argument("--tree", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    a, b = args.steps
    ir_a, ir_b = count(args.tree, args.dtype, a), count(args.tree, args.dtype, b)
    print(f"W2 {args.dtype} ({args.tree}): {(ir_b - ir_a) / (b - a):,.0f} instructions a step")


if __name__ == "__main__":
    main(sys.argv[1:])
