"""Run a program under Python + PyTorch and under gradcli and compare what each printed.

Like test_fuzz_trust's `disagreement`, for programs that change global printing state:
PyTorch's print options and default dtype, and numpy's print options, are put back
after each PyTorch run (gradcli starts every run from the defaults itself).
"""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np

from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source


def run_torch(text: str) -> tuple[str, Exception | None]:
    """What the program prints under Python + PyTorch, and the exception it ends with."""
    import torch

    out = io.StringIO()
    saved = np.get_printoptions()
    try:
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(text, "prog.gd", "exec"), {"torch": torch})
    except Exception as e:
        return out.getvalue(), e
    finally:
        torch.set_printoptions(profile="default")
        torch.set_default_dtype(torch.float32)
        np.set_printoptions(**saved)
    return out.getvalue(), None


def run_gd(text: str) -> tuple[str, GdError | None]:
    """What the program prints under gradcli, and the error it ends with."""
    out: list[str] = []
    try:
        run(Source("prog.gd", text), AppOptions(write=out.append))
    except GdError as e:
        return "".join(out), e
    return "".join(out), None


def _first_difference(theirs: str, ours: str) -> str:
    a, b = theirs.splitlines(), ours.splitlines()
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return f"line {i + 1}:\n torch   {x!r}\n gradcli {y!r}"
    return f"torch printed {len(a)} lines, gradcli {len(b)}:\n torch   {theirs[-300:]!r}\n" \
           f" gradcli {ours[-300:]!r}"


def disagreement(text: str) -> str | None:
    """Why the two runs print differently (or fail differently), or None."""
    (theirs, t_err), (ours, g_err) = run_torch(text), run_gd(text)
    if (t_err is None) != (g_err is None):
        return (f"only one side failed: torch={t_err!r} "
                f"gradcli={g_err.message if g_err is not None else 'ok'}")
    if theirs != ours:
        return "printed text differs, " + _first_difference(theirs, ours)
    return None
