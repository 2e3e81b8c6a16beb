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
