"""The command line's entry: `gradcli …` and `python -m gradcli …`.

Python salts the hashes of strings per process, so a set of strings would iterate (and
print) in a different order each run. gd's output is the same bytes for the same input:
the process re-executes itself once with PYTHONHASHSEED=0 (before anything heavy is
imported), the order Python itself gives under that seed.
"""

from __future__ import annotations

import gc
import os
import sys

# No other import before the re-execution: the first process only sets the seed (a
# module imported here, contextlib with collections and functools, would be imported
# twice per command: 2% of a cold start's instructions).

#: How the re-executed process names the program in usage messages.
PROG_ENV = "GRADCLI_PROG"

#: The collector's first threshold while start-up imports (Python's default: 700).
STARTUP_GC_THRESHOLD = 1_000_000


def run() -> None:
    """Fix the hash seed, then run the command line."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.environ["PYTHONHASHSEED"] = "0"
        name = os.path.basename(sys.argv[0])
        os.environ.setdefault(PROG_ENV, "python -m gradcli" if name == "__main__.py" else name)
        try:  # noqa: SIM105 (contextlib is not imported before the re-execution)
            os.execv(sys.executable, [sys.executable, *_reexec_args(), *sys.argv[1:]])
        except OSError:
            pass  # if it cannot re-execute, it runs as it is
    # Start-up imports ~280 modules whose objects all stay alive: the collector's young
    # collections would keep scanning and promoting them (~30M of a cold start's ~750M
    # instructions, callgrind, round 21). A high first threshold until the program's
    # modules are in (cli.startup_done freezes them and restores the default); should a
    # command never get there, collections are only rarer.
    gc.set_threshold(STARTUP_GC_THRESHOLD, *gc.get_threshold()[1:])
    from gradcli import cli

    # Exiting, Python would free every object still alive and collect garbage over them:
    # after a long tape, millions (0.85 s of a 2.1 s `gradcli run` of bench W8; 0.6 s of
    # `explain --full` for the result alone). Nothing freed then would matter: the
    # commands keep their results (cli.keep), and the process ends at once, its output
    # flushed.
    cli.KEPT = []
    try:
        cli.entry()
        status = 0
    except SystemExit as e:
        status = _status(e.code)
    _flush_and_exit(status)


def _reexec_args() -> list[str]:
    """How the re-executed process starts gradcli: from the directory this gradcli was
    imported from, without the current directory on sys.path (-P). `python -m` would put
    the current directory first, and a user's random.py or types.py there would replace
    the standard library's module before gradcli started."""
    home = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return ["-P", "-c", f"import sys\nif {home!r} not in sys.path: sys.path.insert(0, {home!r})\n"
            "from gradcli.__main__ import run\nrun()"]


def _status(code: object) -> int:
    """The exit status Python gives SystemExit(code), the message printed as it does."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    try:  # noqa: SIM105 (no contextlib: see the imports)
        sys.stderr.write(f"{code}\n")
    except (OSError, ValueError):
        pass
    return 1


def _flush_and_exit(status: int) -> None:
    """End the process now: stdout and stderr flushed (a reader that went away, as in
    `gradcli explain … | head`, is no error of ours), no clean-up of the heap."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    except (OSError, ValueError):
        status = status or 1
    try:  # noqa: SIM105 (no contextlib: see the imports)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(status)


if __name__ == "__main__":
    run()
