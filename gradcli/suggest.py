"""Did-you-mean hints for a misspelt name, worded once for every layer.

Layer-neutral: imports nothing from gradcli, so the interpreter (unknown names and
attributes), the app and the CLI (unknown variables) all suggest the same way.
"""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """The hint "did you mean 'x'?" for the closest candidate, or None if none is close."""
    import difflib  # (with heapq: ~1 ms of every start, for a hint only errors need)

    match = difflib.get_close_matches(name, list(candidates), n=1)
    return f"did you mean '{match[0]}'?" if match else None
