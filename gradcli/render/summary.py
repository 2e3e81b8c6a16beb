"""Long tapes stay readable: the text views of graph, explain and check summarise a long
listing unless --full asks for every row.

1. Repetition: a run of rows whose (op, source position) sequence repeats block after block
   (a loop body recorded once per iteration) keeps its first and last block; a note says
   which rows were the same block repeated, how many times, and what the block is.
   Rows are compared by op and source position only, so iterations that take another
   branch of an `if` (other ops or lines) are not the same block and stay apart.
2. What is still long keeps its first HEAD and last TAIL rows; a note counts the rest by op
   and source line.
3. `check` lists failing node checks first.

The listings are read row by row (a lazy sequence from the app builds only the rows kept);
repetition is found on small integer codes of the rows' keys, in linear time.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from gradcli.results import CheckResult, ExplainResult, GraphNode, GraphResult

HEAD = 40  # rows shown from the start of a long listing
TAIL = 20  # and from its end
SHOWN_GROUPS = 4  # (op, line) groups named in a note
MIN_REPEATS = 3  # a block repeated fewer times is left as it is
MAX_PERIOD = 4096  # the longest block (rows per iteration) recognised
CANDIDATES = 4  # block lengths tried at a row: distances to its next few equal rows
SHOWN_OPS = 6  # ops of a repeated block named in its note
MAX_NOTES = 12  # notes of repeated runs (the first and last halves) in one summary


def wrapped(note: str, width: int | None) -> str:
    """The notes (one a line) folded to the output's width."""
    return "\n".join(textwrap.fill(line, width=width or 100, break_on_hyphens=False)
                     for line in note.split("\n"))


def summarise(result: Any, full: bool) -> tuple[Any, str | None]:
    """The result with its long listings summarised, and the notes that say what was left
    out, one per line (None when nothing was)."""
    if full:
        return result, None
    if isinstance(result, GraphResult) and len(result.nodes) > HEAD + TAIL:
        kept, notes = _summary(result.nodes, "node", _graph_key(result.nodes))
        ids = {n.id for n in kept}
        edges = [(a, b) for a, b in result.edges if a in ids and b in ids]
        return replace(result, nodes=kept, edges=edges), notes
    if isinstance(result, ExplainResult) and len(result.steps) > HEAD + TAIL:
        kept, notes = _summary(result.steps, "step", _row_key(result.steps))
        return replace(result, steps=kept), notes
    if isinstance(result, CheckResult):
        sampled = _sampled_note(result)
        if len(result.nodes) <= HEAD + TAIL:
            return result, sampled
        ordered = sorted(result.nodes, key=lambda n: n.ok)  # failures first, stable
        shown, note = _cut(ordered, "node check", lambda n: (n.op, n.line, n.column))
        return replace(result, nodes=shown), "\n".join(filter(None, [sampled, note]))
    return result, None


def _sampled_note(result: CheckResult) -> str | None:
    if result.checkable is None or result.checkable <= len(result.nodes):
        return None
    return (f"rule checks: {len(result.nodes):,} of {result.checkable:,} nodes checked (nodes "
            "with the same op, source position and input shapes are checked on their first "
            "4, every power of two and the last)")


def _row_key(rows: Sequence[Any]) -> Callable[[int], Any]:
    """Row i's (op, line, column): from the app's cheap key if the rows carry one."""
    key = getattr(rows, "key", None)
    if key is not None:
        return key  # type: ignore[no-any-return]
    return lambda i: (rows[i].op, rows[i].line, rows[i].column)


def _graph_key(rows: Sequence[GraphNode]) -> Callable[[int], Any]:
    key = getattr(rows, "key", None)
    if key is not None:
        return key  # type: ignore[no-any-return]

    def of(i: int) -> Any:
        n = rows[i]
        return ("leaf", None, None) if n.is_leaf else (n.op, n.line, n.column)

    return of


@dataclass
class _Repeat:
    start: int  # first row of the run
    period: int  # rows per block
    count: int  # blocks


def _summary(rows: Sequence[Any], noun: str, key: Callable[[int], Any]) -> tuple[list[Any],
                                                                                 str | None]:
    n = len(rows)
    keys = [key(i) for i in range(n)]
    notes: list[str] = []
    shown = _collapse(_codes(keys), 0, n, rows, keys, noun, notes)
    if len(notes) > MAX_NOTES:
        half = MAX_NOTES // 2
        notes[half:-half] = [f"… and {len(notes) - 2 * half:,} more repeated runs collapsed"]
    if len(shown) > HEAD + TAIL:
        shown, note = _cut(shown, noun, keys.__getitem__)
        notes.append(note)
    return [rows[i] for i in shown], "\n".join(notes) if notes else None


def _collapse(codes: list[int], lo: int, hi: int, rows: Sequence[Any], keys: list[Any],
              noun: str, notes: list[str]) -> list[int]:
    """The rows of lo..hi still shown once each repeated run keeps its first and last
    block, those blocks collapsed in turn (a nested loop's inner runs); notes appended."""
    shown: list[int] = []
    at = lo
    for r in find_repeats(codes[lo:hi]):
        start = lo + r.start
        last = start + (r.count - 1) * r.period
        shown.extend(range(at, start))
        shown += _collapse(codes, start, start + r.period, rows, keys, noun, notes)
        notes.append(_repeat_note(rows, keys, _Repeat(start, r.period, r.count), noun))
        shown += _collapse(codes, last, last + r.period, rows, keys, noun, notes)
        at = last + r.period
    shown.extend(range(at, hi))
    return shown


def _repeat_note(rows: Sequence[Any], keys: list[Any], r: _Repeat, noun: str) -> str:
    first = rows[r.start + r.period]
    last = rows[r.start + (r.count - 1) * r.period - 1]
    groups: list[list[Any]] = []  # the block's ops, a run of one op at one place counted
    for k in range(r.start, r.start + r.period):
        if groups and groups[-1][0] == keys[k]:
            groups[-1][1] += 1
        else:
            groups.append([keys[k], 1])
    block = [(f"{m:,} × " if m > 1 else "") + _where(key) for key, m in groups[:SHOWN_OPS]]
    if len(groups) > SHOWN_OPS:
        block.append("…")
    hidden = r.count - 2
    nouns = f"{noun}{'s' if r.period != 1 else ''}"
    return (f"… #{first.id}–#{last.id} not shown: the same {r.period:,} {nouns} ("
            f"{', '.join(block)}) repeated {hidden:,} more time{'s' if hidden != 1 else ''} "
            f"between the first and the last repetition shown (a loop's body, once per "
            f"iteration; --full shows every {noun})")


def _where(key: Any) -> str:
    op, line, col = key
    return op + (f" {line}:{col}" if line is not None else "")


def _codes(keys: list[Any]) -> list[int]:
    table: dict[Any, int] = {}
    return [table.setdefault(k, len(table)) for k in keys]


def find_repeats(codes: Sequence[int]) -> list[_Repeat]:
    """Maximal runs of one block of codes repeated at least MIN_REPEATS times, left to
    right, never overlapping; the shortest block wins where several fit."""
    n = len(codes)
    following = [n] * n  # the next row with the same code
    last_seen: dict[int, int] = {}
    for i in range(n - 1, -1, -1):
        following[i] = last_seen.get(codes[i], n)
        last_seen[codes[i]] = i
    runs = []
    i = 0
    while i < n:
        best: _Repeat | None = None
        j = following[i]
        for _ in range(CANDIDATES):
            p = j - i
            if j >= n or p > MAX_PERIOD or i + MIN_REPEATS * p > n:
                break
            count = _blocks(codes, i, p)
            if count >= MIN_REPEATS:
                best = _Repeat(i, p, count)
                break
            j = following[j]
        if best is None:
            i += 1
            continue
        runs.append(best)
        i = best.start + best.period * best.count
    return runs


def _blocks(codes: Sequence[int], start: int, p: int) -> int:
    """How many times codes[start:start+p] repeats back to back from start."""
    n = len(codes)
    block = codes[start:start + p]
    count = 1
    at = start + p
    while at + p <= n and codes[at:at + p] == block:
        count += 1
        at += p
    return count


def _cut(items: list[Any], noun: str, key: Callable[[Any], Any]) -> tuple[list[Any], str]:
    """The first HEAD and last TAIL items, and a note counting the rest by key."""
    left = items[HEAD:len(items) - TAIL]
    groups = Counter(key(r) for r in left)
    parts = [f"{k:,} × {op}" + (f" at {line}:{col}" if line is not None else "")
             for (op, line, col), k in groups.most_common(SHOWN_GROUPS)]
    if len(groups) > SHOWN_GROUPS:
        parts.append(f"{len(groups) - SHOWN_GROUPS} more kinds")
    note = (f"… {len(left):,} {noun}s not shown between the first {HEAD} and the last "
            f"{TAIL}: {', '.join(parts)} (--full shows every {noun}; --format json has all)")
    return [*items[:HEAD], *items[len(items) - TAIL:]], note
