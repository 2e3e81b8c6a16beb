"""Long listings written as they are produced: `graph` and `explain` on a long tape.

A 10⁵-iteration loop records 4·10⁵ nodes. Their JSON (always complete) and their plain
text under --full are written row by row through `write`, so memory stays flat in the
number of rows printed: the bytes are exactly those of the non-streaming renderers.
Short listings, summaries and the other formats go through `render` as before.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any

from gradcli.render.summary import HEAD, TAIL
from gradcli.results import ExplainResult, GraphResult

_string = encode_basestring_ascii
_INF = float("inf")

__all__ = ["stream_result", "write_json"]


def _listing(result: object) -> int:
    """The rows of a graph's or explain's listing (0 for other results)."""
    if isinstance(result, GraphResult):
        return len(result.nodes)
    if isinstance(result, ExplainResult):
        return len(result.steps)
    return 0


def stream_result(result: object, fmt: str, write: Callable[[str], Any], *,
                  precision: int = 4, width: int | None = None, color: bool = False,
                  full: bool = False) -> bool:
    """Write a long graph or explain listing in `fmt` ("json"; with `full`, "plain", and
    a graph's uncoloured "tree" when the program printed nothing) through `write`, ending
    in a newline, and say so; False (nothing written) for anything else."""
    if _listing(result) <= HEAD + TAIL:
        return False
    if (fmt in ("tree", "table") and full and not color and isinstance(result, GraphResult)
            and not result.output):
        from gradcli.render.console import DEFAULT_WIDTH
        from gradcli.render.table import graph_lines

        lines = _Lines(write)
        graph_lines(result, precision, width or DEFAULT_WIDTH, lines)
        lines.flush()
        write("\n")
        return True
    if fmt == "json":
        from gradcli.render.json_out import to_json

        write_json(to_json(result, lazy=True), write)
        write("\n")
        return True
    if fmt == "plain" and full:
        from gradcli.render.plain import plain_blocks

        for k, block in enumerate(plain_blocks(result, precision, width)):
            if k:
                write("\n\n")
            _write_lines(block, write)
        write("\n")
        return True
    return False


class _Lines:
    """Where the tree's lines go as they are laid out: written, uncoloured, one a line."""

    def __init__(self, write: Callable[[str], Any]) -> None:
        self.write = write
        self.first = True
        self.chunk: list[str] = []

    def append(self, line: Any) -> None:
        self.chunk.append(line.plain.rstrip())
        if len(self.chunk) == 512:
            self.flush()

    def flush(self) -> None:
        if self.chunk:
            self.write(("" if self.first else "\n") + "\n".join(self.chunk))
            self.chunk.clear()
            self.first = False


def _write_lines(lines: Iterable[str], write: Callable[[str], Any]) -> None:
    """The lines joined by newlines, written a few hundred at a time."""
    chunk: list[str] = []
    first = True
    for line in lines:
        chunk.append(line)
        if len(chunk) == 512:
            write(("" if first else "\n") + "\n".join(chunk))
            chunk.clear()
            first = False
    if chunk:
        write(("" if first else "\n") + "\n".join(chunk))


def _dumps(value: Any, indent: str) -> str:
    """json.dumps(value, allow_nan=False, indent=2) nested at `indent`: the same text,
    without the pure-Python encoder's per-item generators (json's C encoder does no
    indenting)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        if value != value or value in (_INF, -_INF):
            raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
        return float.__repr__(value)
    inner = indent + "  "
    if kind is dict:
        if not value:
            return "{}"
        return ("{\n" + ",\n".join(f"{inner}{_string(k)}: {_dumps(v, inner)}"
                                    for k, v in value.items()) + f"\n{indent}}}")
    if kind is list:
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + _dumps(v, inner) for v in value) + f"\n{indent}]"
    return json.dumps(value, allow_nan=False, indent=2).replace("\n", "\n" + indent)


def write_json(obj: dict[str, Any], write: Callable[[str], Any]) -> None:
    """`obj` as `render.json_out.dumps` would write it (indent 2, ASCII, no NaN), where a
    value that is an iterator is written item by item as a list."""
    write("{")
    for k, (key, value) in enumerate(obj.items()):
        write(("," if k else "") + "\n  " + json.dumps(key) + ": ")
        if isinstance(value, Iterator):
            _write_list(value, write)
        else:
            write(_dumps(value, "  "))
    write("\n}" if obj else "}")


def _write_list(items: Iterator[Any], write: Callable[[str], Any]) -> None:
    empty = True
    for item in items:
        write(("[" if empty else ",") + "\n    " + _dumps(item, "    "))
        empty = False
    write("[]" if empty else "\n  ]")
