"""Round 18: the Python around real PyTorch code. Each program in tests/programs/r18_py/
is a small script in the style of tutorials and utilities (function attributes and
annotations, iterator protocol methods, dataclasses, objects with __index__ as indices
and sizes, formatting, collections, tracebacks ...). gd must print what CPython 3.11 with
PyTorch 2.13 prints: the expected text is held beside each program (NAME.out, written by
CPython) and compared live under torch as well.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pyrun import gd_output

HERE = Path(__file__).resolve().parent / "programs" / "r18_py"
PROGRAMS = sorted(p.stem for p in HERE.glob("*.py"))


def _python(name: str) -> str:
    """What CPython with PyTorch prints running the program as a file."""
    pytest.importorskip("torch")
    done = subprocess.run([sys.executable, f"{name}.py"], cwd=HERE, capture_output=True,
                          text=True, check=False, env={**os.environ, "PYTHONHASHSEED": "0"})
    return (done.stdout + done.stderr).replace(f'File "{HERE}/', 'File "')


def test_the_programs_are_there() -> None:
    assert len(PROGRAMS) >= 4
    assert all((HERE / f"{name}.out").exists() for name in PROGRAMS)


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_prints_what_python_prints(name: str) -> None:
    program = (HERE / f"{name}.py").read_text(encoding="utf-8")
    expected = (HERE / f"{name}.out").read_text(encoding="utf-8")
    assert expected.count("\n") >= 4
    got = gd_output(program).replace('File "p.gd"', f'File "{name}.py"')
    assert got == expected


@pytest.mark.parametrize("name", PROGRAMS)
def test_expected_text_is_what_python_prints(name: str) -> None:
    if os.environ.get("GRADCLI_UPDATE_GOLDEN") == "1":
        (HERE / f"{name}.out").write_text(_python(name), encoding="utf-8")
    assert _python(name) == (HERE / f"{name}.out").read_text(encoding="utf-8")
