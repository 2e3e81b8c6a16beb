"""A long listing built row by row when read (graph nodes, explain steps).

A 10⁵-iteration loop records 4·10⁵ nodes: the views hold the tape anyway, so a row object
per node is built only when a renderer reads it, and a summary that shows 60 rows builds
60. `Rows` is a read-only sequence: len, indexing, slicing (a list) and iteration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, overload

T = TypeVar("T")


class Rows(Sequence[T]):
    """`n` rows, row i being `make(i)` (built each time it is read, never kept); `key(i)`,
    if given, is row i's (op, line, column) without building it (summaries compare rows
    by it to recognise a loop's iterations)."""

    __slots__ = ("_make", "_n", "key")

    def __init__(self, n: int, make: Callable[[int], T],
                 key: Callable[[int], tuple[Any, ...]] | None = None) -> None:
        self._n = n
        self._make = make
        self.key = key

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
