"""A long listing built row by row when read (graph nodes, explain steps).

A 10⁵-iteration loop records 4·10⁵ nodes: the views hold the tape anyway, so a row object
per node is built only when a renderer reads it, and a summary that shows 60 rows builds
60. `Rows` is a read-only sequence: len, indexing, slicing (a list) and iteration.
`loops` are where the interpreter saw each for/while iteration start (`loop_runs`), in
rows: summaries collapse a loop's repeated iterations by them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, overload

from gradcli.records import record

T = TypeVar("T")


class Rows(Sequence[T]):
    """`n` rows, row i being `make(i)` (built each time it is read, never kept); `key(i)`,
    if given, is row i's (op, line, column) without building it (summaries compare rows
    by it to recognise a loop's iterations); `loops`, if known, the loops run (LoopRun),
    or a function finding them, called when they are first read (a --full listing never
    reads them);
    `block(lo, hi)`, if given, rows lo..hi in the columns a streaming renderer reads
    (results.StepBlock for explain's steps); `fields(i)`, if given, row i's
    fields as a plain tuple (a graph node's GraphNode fields, in order) without building
    it."""

    __slots__ = ("_loops", "_make", "_n", "block", "fields", "key")

    def __init__(self, n: int, make: Callable[[int], T],
                 key: Callable[[int], tuple[Any, ...]] | None = None,
                 loops: list[LoopRun] | Callable[[], list[LoopRun] | None] | None = None,
                 block: Callable[[int, int], Any] | None = None,
                 fields: Callable[[int], tuple[Any, ...]] | None = None) -> None:
        self._n = n
        self.fields = fields
        self._make = make
        self.key = key
        self._loops = loops
        self.block = block

    @property
    def loops(self) -> list[LoopRun] | None:
        """The loops run (found now if they were given as a function)."""
        if callable(self._loops):
            self._loops = self._loops()
        return self._loops

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> list[T]: ...

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._make(k) for k in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        return self._make(i)

    def __iter__(self) -> Iterator[T]:
        make = self._make
        for k in range(self._n):
            yield make(k)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rows({self._n})"


@record
class LoopRun:
    """One run of a for/while statement in a listing: its name ("for at line 3") and its
    iterations as (iteration number, first row, end row), in listing order."""

    name: str
    iterations: list[tuple[int, int, int]]


def loop_runs(marks: Sequence[int], names: Sequence[str], seqs: Sequence[int],
              newest_first: bool = False) -> list[LoopRun] | None:
    """The loops run, from the interpreter's marks (flat triples: loop index into `names`,
    iteration n (0: the loop ended), node number where it starts) and each row's node
    number `seqs` (non-decreasing; non-increasing if `newest_first`). None when the rows
    are not in node order (nothing to place the iterations by)."""
    n = len(seqs)
    step = -1 if newest_first else 1
    if any(seqs[k] * step > seqs[k + 1] * step for k in range(n - 1)):
        return None
    ordered = [-s for s in seqs] if newest_first else seqs

    def rows(a: int, b: int) -> tuple[int, int]:  # rows of node numbers a ≤ seq < b
        if newest_first:
            return bisect_right(ordered, -b), bisect_right(ordered, -a)
        return bisect_left(ordered, a), bisect_left(ordered, b)

    open_runs: dict[int, list[list[int]]] = {}  # loop -> its unfinished runs' start seqs
    runs = []
    for k in range(0, len(marks) - 2, 3):
        loop, it, seq = marks[k], marks[k + 1], marks[k + 2]
        stack = open_runs.setdefault(loop, [])
        if it == 1:
            stack.append([seq])
        elif stack:
            stack[-1].append(seq)
            if it == 0:
                starts = stack.pop()
                its = [(i + 1, *rows(starts[i], starts[i + 1])) for i in range(len(starts) - 1)]
                if any(lo < hi for _, lo, hi in its):
                    if newest_first:
                        its.reverse()
                    runs.append(LoopRun(names[loop], its))
    return runs
