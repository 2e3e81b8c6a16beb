"""Real PyTorch programs, run as written under PyTorch and under `gradcli run`.

Each bench/realcode/t*.py is a program in the shape tutorials and Q&A answers write it
(the PyTorch tutorials' polynomial fits, the autograd tutorial, small training loops with
nn, optim and DataLoader), seeded so that PyTorch's own output is reproducible. This
prints, per program, SAME when gradcli's stdout is PyTorch's byte for byte once object
addresses are masked (` at 0x7f…`: PyTorch's change every run), or the first lines that
differ, then the count. Needs torch (`pip install .[compare]`).

    python bench/realcode/compare.py [PROGRAM ...]
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
ROOT = HERE.parent.parent


def run(cmd: list[str]) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONHASHSEED="0")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd="/", timeout=600)
    return ADDRESS.sub(" at 0x…", proc.stdout + (proc.stderr if proc.returncode else ""))


def main(argv: list[str]) -> int:
    programs = [Path(p) for p in argv] or sorted(HERE.glob("t*.py"))
    same = 0
    for path in programs:
        torch_out = run([sys.executable, str(path)])
        gd_out = run([sys.executable, "-m", "gradcli", "run", str(path)])
        if torch_out == gd_out:
            same += 1
            print(f"SAME  {path.name}")
            continue
        diff = list(difflib.unified_diff(torch_out.splitlines(), gd_out.splitlines(),
                                         "torch", "gradcli", n=0, lineterm=""))
        print(f"DIFF  {path.name}: " + " | ".join(diff[3:6]))
    print(f"{same} of {len(programs)} print what PyTorch prints")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
