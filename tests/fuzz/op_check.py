"""Compare what a class-(p) program prints under Python + PyTorch and under gradcli.

A block that fails prints `!ERR Class first-line`: those lines must agree on the class,
and on the message where gradcli's message starts with PyTorch's first 16 characters
(gradcli mimics that message: it must be all of it); other lines must agree byte for byte.
"""

from __future__ import annotations

import ast
import math
import re

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


_NUMBER = re.compile(r"-?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)")


def known_class(why: str) -> str | None:
    """The open class a disagreement belongs to, when its differing line differs only in
    numbers: "zero-sign" (only the sign of zeros: gradients through in-place ops on views,
    where PyTorch's CopySlices copies what gradcli sums; multi_margin_loss's backward,
    whose zeros PyTorch multiplies by the incoming gradient; which of tied -0.0 and 0.0
    median() picks), "last-bits" (each number within 2e-6 relative: a kernel's rounding
    not yet matched), else None."""
    lines = [ln for ln in why.splitlines() if ln.startswith((" torch   ", " gradcli "))]
    if len(lines) != 2:
        return None
    a, b = (ast.literal_eval(ln[9:]) if ln[9:].startswith(("'", '"')) else ln[9:]
            for ln in lines)
    if _NUMBER.sub("#", a) != _NUMBER.sub("#", b):
        return None
    pairs = [(x, y) for x, y in zip(_NUMBER.findall(a), _NUMBER.findall(b), strict=True)
             if x != y]
    if not pairs:
        return None
    if all(float(x) == float(y) == 0 for x, y in pairs):
        return "zero-sign"
    if all(math.isfinite(float(x)) and abs(float(x) - float(y)) <= 2e-6 * abs(float(x))
           for x, y in pairs):
        return "last-bits"
    return None
