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
