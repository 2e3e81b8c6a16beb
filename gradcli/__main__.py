"""The command line's entry: `gradcli …` and `python -m gradcli …`.

Python salts the hashes of strings per process, so a set of strings would iterate (and
print) in a different order each run. gd's output is the same bytes for the same input:
the process re-executes itself once with PYTHONHASHSEED=0 (before anything heavy is
imported), the order Python itself gives under that seed.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys

#: How the re-executed process names the program in usage messages.
PROG_ENV = "GRADCLI_PROG"


def run() -> None:
    """Fix the hash seed, then run the command line."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.environ["PYTHONHASHSEED"] = "0"
        name = os.path.basename(sys.argv[0])
        os.environ.setdefault(PROG_ENV, "python -m gradcli" if name == "__main__.py" else name)
        with contextlib.suppress(OSError):  # if it cannot re-execute, it runs as it is
            os.execv(sys.executable, [sys.executable, "-m", "gradcli", *sys.argv[1:]])
    from gradcli.cli import entry

    try:
        entry()
    finally:
        # Exiting, Python collects garbage over every object still alive: after a long
        # tape, millions of them, 0.85 s of a 2.1 s `gradcli run` of bench W8. Nothing
        # found then would matter; frozen objects are skipped.
        gc.freeze()


if __name__ == "__main__":
    run()
