"""Same input, same bytes: the command line fixes Python's string-hash seed, so sets of
strings print in one order, Python's own under PYTHONHASHSEED=0."""

from __future__ import annotations

import os
import subprocess
import sys

PROGRAM = ('print({"apple", "banana", "cherry", "d"})\nx = "q"\nprint({x, "apple", "banana"})\n'
           'print(set(["apple", "banana", "cherry", "d"]))\n'
           'print({w: len(w) for w in {"pear", "fig", "kiwi"}})\n')


def _gradcli(seed: str | None) -> bytes:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONHASHSEED", "GRADCLI_PROG")}
    if seed is not None:
        env["PYTHONHASHSEED"] = seed
    return subprocess.run([sys.executable, "-m", "gradcli", "run", "-e", PROGRAM], env=env,
                          capture_output=True, check=True).stdout


def test_string_sets_print_the_same_every_run() -> None:
    runs = {_gradcli(None), _gradcli(None), _gradcli("1"), _gradcli("12345")}
    assert len(runs) == 1


def test_the_order_is_pythons_under_a_zero_seed() -> None:
    python = subprocess.run([sys.executable, "-c", PROGRAM],
                            env={**os.environ, "PYTHONHASHSEED": "0"},
                            capture_output=True, check=True).stdout
    assert _gradcli(None) == python


def test_usage_names_the_program_as_it_was_called() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("GRADCLI_PROG", "PYTHONHASHSEED")}
    out = subprocess.run([sys.executable, "-m", "gradcli", "--help"], capture_output=True,
                         env=env, check=True).stdout
    assert out.startswith(b"Usage: python -m gradcli [OPTIONS] COMMAND [ARGS]...")


def test_files_in_the_current_directory_do_not_replace_pythons_modules(tmp_path) -> None:
    """`gradcli` started from a directory holding a random.py or types.py (a learner's
    script names) runs: the re-executed process does not put the current directory on
    sys.path, as `python -m` would."""
    for name in ("random", "types", "numpy", "click", "enum", "copy"):
        (tmp_path / f"{name}.py").write_text("raise SystemExit('shadowed')\n")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    # What the console script does: its own directory (not the current one) on sys.path.
    entry = f"import sys; sys.path.insert(0, {root!r}); from gradcli.__main__ import run; run()"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONHASHSEED", "GRADCLI_PROG")}
    proc = subprocess.run([sys.executable, "-P", "-c", entry, "run", "-e",
                           "import random\nprint(sorted({'b', 'a'}), random.random() < 1)"],
                          cwd=tmp_path, env=env, capture_output=True)
    assert proc.stderr == b""
    assert proc.stdout == b"['a', 'b'] True\n"
    assert proc.returncode == 0
