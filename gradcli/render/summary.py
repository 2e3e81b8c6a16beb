"""Long tapes stay readable: the text views of graph, explain and check show the first and
last rows of a long listing and say what the rest was (how many nodes of which op at
which source line), unless --full asks for every row. JSON always has everything.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TypeVar

from gradcli.results import CheckResult, ExplainResult, GraphResult

T = TypeVar("T")

HEAD = 40  # rows shown from the start of a long listing
TAIL = 20  # and from its end
SHOWN_GROUPS = 4  # (op, line) groups named in the note


def wrapped(note: str, width: int | None) -> str:
    """The note folded to the output's width."""
    return textwrap.fill(note, width=width or 100, break_on_hyphens=False)


def summarise(result: Any, full: bool) -> tuple[Any, str | None]:
    """The result with its long listings cut to their first and last rows, and the note
    that says what was left out (None when nothing was)."""
    if full:
        return result, None
    if isinstance(result, GraphResult) and len(result.nodes) > HEAD + TAIL:
        kept, note = _cut(result.nodes, "node",
                          lambda n: (n.op, n.line, n.column) if not n.is_leaf else ("leaf",
                                                                                    None, None))
        ids = {n.id for n in kept}
        edges = [(a, b) for a, b in result.edges if a in ids and b in ids]
        return replace(result, nodes=kept, edges=edges), note
    if isinstance(result, ExplainResult) and len(result.steps) > HEAD + TAIL:
        kept, note = _cut(result.steps, "step", lambda s: (s.op, s.line, s.column))
        return replace(result, steps=kept), note
    if isinstance(result, CheckResult) and len(result.nodes) > HEAD + TAIL:
        ordered = sorted(result.nodes, key=lambda n: n.ok)  # failures first, stable
        kept, note = _cut(ordered, "node check", lambda n: (n.op, n.line, n.column))
        return replace(result, nodes=kept), note
    return result, None


def _cut(rows: Sequence[T], noun: str, key: Any) -> tuple[list[T], str]:
    left = rows[HEAD:len(rows) - TAIL]
    groups = Counter(key(r) for r in left)
    parts = [f"{n:,} × {op}" + (f" at {line}:{col}" if line is not None else "")
             for (op, line, col), n in groups.most_common(SHOWN_GROUPS)]
    if len(groups) > SHOWN_GROUPS:
        parts.append(f"{len(groups) - SHOWN_GROUPS} more kinds")
    note = (f"… {len(left):,} {noun}s not shown between the first {HEAD} and the last "
            f"{TAIL}: {', '.join(parts)} (--full shows every {noun}; --format json has all)")
    return [*rows[:HEAD], *rows[len(rows) - TAIL:]], note
