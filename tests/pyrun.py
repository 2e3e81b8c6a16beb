"""A program's text run under gd (in process) and under PyTorch, what it prints captured:
the two sides of the table-driven comparisons with PyTorch's output."""

from __future__ import annotations

import contextlib
import io
import warnings

import pytest

from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source


def gd_output(text: str) -> str:
    """What `gradcli run` prints for the program (a gd error appended as its message)."""
    buf = io.StringIO()
    try:
        run(Source("p.gd", text), AppOptions(write=buf.write))
    except GdError as e:  # pragma: no cover - a failure shows the message
        return buf.getvalue() + f"GdError {e.message}"
    return buf.getvalue()


def torch_output(text: str) -> str:
    """What Python with PyTorch prints for the program (the test skips without torch)."""
    torch = pytest.importorskip("torch")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(text, "p.py", "exec"), {"torch": torch})
    return buf.getvalue()


def guarded_program(code: str, setup: str) -> str:
    """`setup`, then `code` inside a try that prints an exception's type and text: how the
    table-driven comparisons show an error as PyTorch raises it."""
    body = "".join(f"    {line}\n" for line in code.splitlines())
    return (setup + f"try:\n{body}except Exception as e:\n"
            "    print(type(e).__name__)\n    print(str(e))\n")
