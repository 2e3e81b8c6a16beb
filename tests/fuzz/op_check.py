"""Compare what a class-(p) program prints under Python + PyTorch and under gradcli.

A block that fails prints `!ERR Class first-line`: those lines must agree on the class,
and on the message where gradcli's message starts with PyTorch's first 16 characters
(gradcli mimics that message: it must be all of it); other lines must agree byte for byte.
"""

from __future__ import annotations

from fuzz.print_check import run_gd, run_torch

_CLAIM = 16  # a message sharing this many leading characters claims to be PyTorch's


def _same_error(theirs: str, ours: str) -> bool:
    t, g = theirs.split(" ", 2), ours.split(" ", 2)
    if len(t) < 2 or len(g) < 2 or t[1] != g[1]:
        return False
    tm, gm = (t[2] if len(t) > 2 else ""), (g[2] if len(g) > 2 else "")
    return tm == gm or tm[:_CLAIM] != gm[:_CLAIM]


def disagreement(text: str) -> str | None:
    """Why the two runs differ (printed text, error classes, a misquoted message), or None."""
    (theirs, t_err), (ours, g_err) = run_torch(text), run_gd(text)
    if (t_err is None) != (g_err is None):
        return (f"only one side failed: torch={t_err!r} "
                f"gradcli={g_err.message if g_err is not None else 'ok'}")
    a, b = theirs.splitlines(), ours.splitlines()
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x == y or (x.startswith("!ERR ") and y.startswith("!ERR ") and _same_error(x, y)):
            continue
        return f"line {i + 1}:\n torch   {x!r}\n gradcli {y!r}"
    if len(a) != len(b):
        return f"torch printed {len(a)} lines, gradcli {len(b)}:\n torch   " \
               f"{theirs[-300:]!r}\n gradcli {ours[-300:]!r}"
    return None
