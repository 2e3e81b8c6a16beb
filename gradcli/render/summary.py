"""Long tapes stay readable: the text views of graph, explain and check summarise a long
listing unless --full asks for every row.

1. Loops: where the interpreter marked each for/while iteration (the listing's `loops`),
   consecutive iterations of one loop that record the same (op, source position) rows
   collapse: the first and last are shown, and in the place of the others one line names
   the loop, the iterations and what each recorded ("… iterations 2–99 of for at line 3:
   the same 4 nodes each (…)"). Iterations that differ (another branch of an `if`) are
   not merged, iterations alternating in a pattern collapse by the pattern, and nested
   loops collapse at each level inside the iterations shown.
   Without marks, repetition is found on the rows themselves: a run of rows whose
   (op, source position) sequence repeats block after block keeps its first and last
   block.
2. What is still long keeps its first HEAD and last TAIL rows; a line counts the rest by op
   and source line.
3. `check` lists failing node checks first.

What a summary leaves out is a `Gap` in the listing, where the rows were; renderers print
it as a line there. The listings are read row by row (a lazy sequence from the app builds
only the rows kept); repetition is found on small integer codes of the rows' keys.
"""

from __future__ import annotations

import gc
import textwrap
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from gradcli.records import field, record, replace
from gradcli.results import CheckResult, ExplainResult, GraphNode, GraphResult

HEAD = 40  # rows shown from the start of a long listing
TAIL = 20  # and from its end
SHOWN_GROUPS = 4  # (op, line) groups named in a note
MIN_REPEATS = 3  # a block repeated fewer times is left as it is
MAX_PERIOD = 4096  # the longest block (rows per iteration) recognised
CANDIDATES = 4  # block lengths tried at a row: distances to its next few equal rows
SHOWN_OPS = 6  # ops of a repeated block named in its note
LEAF = ("leaf", None, None)  # a graph leaf's key


@record(frozen=True)
class Gap:
    """Rows a summary left out, in their place in a listing: what they were (`text`; `about`
    the same without the ids), the ids of the first and last of them in listing order,
    and their rows lo..hi."""

    text: str
    first: int
    last: int
    lo: int = field(default=0, compare=False)
    hi: int = field(default=0, compare=False)
    about: str = ""
    inputs: tuple[int, ...] = ()  # a graph's: nodes shown that the rows left out use

    def holds(self, node_id: int) -> bool:
        """Whether the node numbered node_id is one of the rows left out (a graph's ids are
        its rows)."""
        return min(self.first, self.last) <= node_id <= max(self.first, self.last)

    def lines(self, width: int | None, indent: str = "") -> list[str]:
        """The text folded to `width` (100 without one), continuation lines indented."""
        return textwrap.wrap(self.text, width=width or 100, initial_indent=indent,
                             subsequent_indent=indent + "  ", break_on_hyphens=False)


def wrapped(note: str, width: int | None) -> str:
    """The notes (one a line) folded to the output's width."""
    return "\n".join(textwrap.fill(line, width=width or 100, break_on_hyphens=False)
                     for line in note.split("\n"))


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector paused (then as it was): for reading a long listing, whose rows and
    keys are dropped as they go or kept to the end, while every collection would only
    rescan the tape behind the listing (seconds for 10⁶ objects)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def summarise(result: Any, full: bool) -> tuple[Any, str | None]:
    """The result with its long listings summarised (Gap items where rows were left out),
    and a note for the end of the output (None when there is none)."""
    if full:
        return result, None
    with collector_paused():
        return _summarise(result)


def _summarise(result: Any) -> tuple[Any, str | None]:
    if isinstance(result, GraphResult) and len(result.nodes) > HEAD + TAIL:
        kept = _summary(result.nodes, "node", _graph_key(result.nodes))
        return replace(result, nodes=_gap_inputs(kept, result.edges),
                       edges=[(a, b) for a, b in result.edges if b in _ids(kept)]), None
    if isinstance(result, ExplainResult) and len(result.steps) > HEAD + TAIL:
        return replace(result, steps=_summary(result.steps, "step", _row_key(result.steps))
                       ), None
    if isinstance(result, CheckResult):
        sampled = _sampled_note(result)
        if len(result.nodes) <= HEAD + TAIL:
            return result, sampled
        ordered = sorted(result.nodes, key=lambda n: n.ok)  # failures first, stable
        shown, note = _cut(ordered, "node check", lambda n: (n.op, n.line, n.column))
        return replace(result, nodes=shown), "\n".join(filter(None, [sampled, note]))
    return result, None


def _ids(kept: list[Any]) -> set[int]:
    return {n.id for n in kept if type(n) is not Gap}


def _gap_inputs(kept: list[Any], edges: Sequence[tuple[int, int]]) -> list[Any]:
    """A graph's summary with each Gap's inputs: the nodes shown that its nodes use (an
    edge into a node shown stays as it is, even from a node left out: the tree says where
    that input went)."""
    ids = _ids(kept)
    gaps = [(k, g) for k, g in enumerate(kept) if type(g) is Gap]
    starts = [g.lo for _, g in gaps]
    inputs: list[dict[int, None]] = [{} for _ in gaps]
    for a, b in edges:
        if b not in ids and a in ids:
            k = bisect_right(starts, b) - 1
            if k >= 0 and b < gaps[k][1].hi:
                inputs[k][a] = None
    kept = list(kept)
    for (k, g), used in zip(gaps, inputs, strict=True):
        kept[k] = replace(g, inputs=tuple(used))
    return kept


def counts(items: Sequence[Any]) -> tuple[int, int]:
    """A listing's rows in all and rows shown (a summary's list holds Gaps)."""
    if not isinstance(items, list):
        return len(items), len(items)
    gaps = [g for g in items if type(g) is Gap]
    return len(items) - len(gaps) + sum(g.hi - g.lo for g in gaps), len(items) - len(gaps)


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


@record
class _Repeat:
    start: int  # first row of the run
    period: int  # rows per block
    count: int  # blocks


Item = Any  # a row's index (int) or a Gap


def _summary(rows: Sequence[Any], noun: str, key: Callable[[int], Any]) -> list[Any]:
    n = len(rows)
    keys = [key(i) for i in range(n)]
    codes = _codes(keys)
    loops = getattr(rows, "loops", None)
    items: list[Item] = []
    if loops is not None:
        _Loops(rows, keys, codes, noun).show(0, n, _nest(loops), items)
    else:
        _collapse(codes, 0, n, rows, keys, noun, items)
    if len(items) > HEAD + TAIL:
        items = _cut_items(items, rows, keys, noun)
    return [rows[i] if type(i) is int else i for i in items]


def _gap(rows: Sequence[Any], lo: int, hi: int, text: str, about: str = "") -> Gap:
    return Gap(text, rows[lo].id, rows[hi - 1].id, lo, hi, about)


def _collapse(codes: list[int], lo: int, hi: int, rows: Sequence[Any], keys: list[Any],
              noun: str, items: list[Item]) -> None:
    """Items for rows lo..hi (no loop marks): each repeated run keeps its first and last
    block, those blocks collapsed in turn (a nested loop's inner runs)."""
    at = lo
    for r in find_repeats(codes[lo:hi]):
        start = lo + r.start
        last = start + (r.count - 1) * r.period
        items.extend(range(at, start))
        _collapse(codes, start, start + r.period, rows, keys, noun, items)
        hidden = r.count - 2
        block = _block(keys, range(start, start + r.period))
        items.append(_gap(rows, start + r.period, last, (
            f"… #{rows[start + r.period].id}–#{rows[last - 1].id} not shown: the same "
            f"{_count(r.period, noun)} ({block}) repeated {hidden:,} more "
            f"time{'s' if hidden != 1 else ''} (a loop's body, once per iteration)")))
        _collapse(codes, last, last + r.period, rows, keys, noun, items)
        at = last + r.period
    items.extend(range(at, hi))


@record
class _Run:
    """A loop run with the runs nested in it, by the iteration they ran in."""

    name: str
    iterations: list[tuple[int, int, int]]  # (n, first row, end row)
    lo: int
    hi: int
    inner: dict[int, list[_Run]] = field(default_factory=dict)  # iteration index -> runs


def _nest(loops: Sequence[Any]) -> list[_Run]:
    """The loop runs as a forest: each inside the iteration of the run that holds it."""
    runs = []
    for lr in loops:
        spans = [(a, b) for _, a, b in lr.iterations if a < b]
        runs.append(_Run(lr.name, lr.iterations, min(a for a, _ in spans),
                         max(b for _, b in spans)))
    runs.sort(key=lambda r: (r.lo, -r.hi))
    top: list[_Run] = []
    stack: list[_Run] = []
    for r in runs:
        while stack and stack[-1].hi <= r.lo:
            stack.pop()
        if stack:
            outer = stack[-1]
            k = next((i for i, (_, a, b) in enumerate(outer.iterations) if a <= r.lo < b), 0)
            outer.inner.setdefault(k, []).append(r)
        else:
            top.append(r)
        stack.append(r)
    return top


class _Loops:
    """Collapses loop runs by their iterations (the interpreter's marks)."""

    def __init__(self, rows: Sequence[Any], keys: list[Any], codes: list[int], noun: str
                 ) -> None:
        self.rows, self.keys, self.codes, self.noun = rows, keys, codes, noun
        self.leaf = codes[keys.index(LEAF)] if LEAF in keys else -1

    def show(self, lo: int, hi: int, runs: list[_Run], items: list[Item]) -> None:
        """Items for rows lo..hi holding the (top-level) runs given."""
        at = lo
        for r in runs:
            items.extend(range(at, r.lo))
            self.collapse(r, items)
            at = r.hi
        items.extend(range(at, hi))

    def collapse(self, r: _Run, items: list[Item]) -> None:
        its = r.iterations
        codes, leaf = self.codes, self.leaf
        # Iterations compared by their rows' (op, position) codes; a leaf is placed in the
        # iteration that first used it, which does not make that iteration different.
        table: dict[tuple[int, ...], int] = {}
        kinds = [table.setdefault(tuple(c for c in codes[a:b] if c != leaf), len(table))
                 for _, a, b in its]
        at = 0
        for rep in find_repeats(kinds):
            end_first = rep.start + rep.period
            last = rep.start + (rep.count - 1) * rep.period
            for i in range(at, end_first):
                self.iteration(r, i, items)
            lo, hi = its[end_first][1], its[last - 1][2]
            if lo < hi:
                about = self.note(r, end_first, last, rep.period)
                shown = f"#{self.rows[lo].id}–#{self.rows[hi - 1].id} not shown"
                items.append(_gap(self.rows, lo, hi, f"… {about}, {shown}", about))
            at = last
        for i in range(at, len(its)):
            self.iteration(r, i, items)

    def iteration(self, r: _Run, i: int, items: list[Item]) -> None:
        _, a, b = r.iterations[i]
        self.show(a, b, r.inner.get(i, []), items)

    def note(self, r: _Run, i0: int, i1: int, period: int) -> str:
        its = r.iterations
        ns = sorted((its[i0][0], its[i1 - 1][0]))
        which = (f"iterations {ns[0]:,}–{ns[1]:,}" if ns[0] != ns[1]
                 else f"iteration {ns[0]:,}")
        rows = [k for _, a, b in its[i0:i0 + period] for k in range(a, b)
                if self.codes[k] != self.leaf]
        block = _block(self.keys, rows)
        if period == 1:
            each = f"the same {_count(len(rows), self.noun)} each"
        else:
            each = (f"the same {period} iterations in turn, {_count(len(rows), self.noun)} "
                    f"every {period}")
        return f"{which} of {r.name}: {each}" + (f" ({block})" if rows else "")


def _count(k: int, noun: str) -> str:
    return f"{k:,} {noun}{'s' if k != 1 else ''}"


def _block(keys: list[Any], rows: Sequence[int]) -> str:
    """The ops of a block of rows, a run of one op at one place counted."""
    groups: list[list[Any]] = []
    for k in rows:
        if groups and groups[-1][0] == keys[k]:
            groups[-1][1] += 1
        else:
            groups.append([keys[k], 1])
    block = [(f"{m:,} × " if m > 1 else "") + _where(key) for key, m in groups[:SHOWN_OPS]]
    if len(groups) > SHOWN_OPS:
        block.append("…")
    return ", ".join(block)


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


def _groups(keys: Any) -> str:
    groups = Counter(keys)
    parts = [f"{k:,} × {op}" + (f" at {line}:{col}" if line is not None else "")
             for (op, line, col), k in groups.most_common(SHOWN_GROUPS)]
    if len(groups) > SHOWN_GROUPS:
        parts.append(f"{len(groups) - SHOWN_GROUPS} more kinds")
    return ", ".join(parts)


def _cut_items(items: list[Item], rows: Sequence[Any], keys: list[Any], noun: str
               ) -> list[Item]:
    """The first HEAD and last TAIL items, a Gap counting the rows between by key."""
    middle = items[HEAD:len(items) - TAIL]
    lo = middle[0] if type(middle[0]) is int else middle[0].lo
    hi = middle[-1] + 1 if type(middle[-1]) is int else middle[-1].hi
    text = (f"… {hi - lo:,} {noun}s not shown between the first {HEAD} and the last {TAIL} "
            f"lines: {_groups(keys[lo:hi])} (--full shows every {noun}; --format json has "
            "all)")
    return [*items[:HEAD], _gap(rows, lo, hi, text), *items[len(items) - TAIL:]]


def _cut(items: list[Any], noun: str, key: Callable[[Any], Any]) -> tuple[list[Any], str]:
    """The first HEAD and last TAIL items, and a note counting the rest by key."""
    left = items[HEAD:len(items) - TAIL]
    note = (f"… {len(left):,} {noun}s not shown between the first {HEAD} and the last "
            f"{TAIL}: {_groups(key(r) for r in left)} (--full shows every {noun}; "
            "--format json has all)")
    return [*items[:HEAD], *items[len(items) - TAIL:]], note
