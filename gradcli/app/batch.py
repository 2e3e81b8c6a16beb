"""`--batch FILE`: one evaluation per JSON line, each line an object of --set bindings.

The program is read once and parsed once (the interpreter keeps the tree); each line
is its own evaluation (its own session, limits and prints), so a bad line fails alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from gradcli.app.inputs import AppOptions
from gradcli.errors import UsageError
from gradcli.records import replace

MAX_BATCH_LINE = 1 << 20  # one line of --batch input, in characters


def line_sets(text: str) -> list[str]:
    """The --set items of one JSON line: {"x": 1.5, "w": [1, 2], "v": "randn(3)"} (a
    string is a --set VALUE as written on the command line)."""
    if len(text) > MAX_BATCH_LINE:
        raise UsageError(f"the line is longer than {MAX_BATCH_LINE:,} characters")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise UsageError(f"not JSON: {e.msg} at column {e.colno}") from None
    if not isinstance(obj, dict):
        raise UsageError('each line must be a JSON object of --set bindings, like '
                         '{"x": 1.5}')
    return [f"{name}={_value_text(v)}" for name, v in obj.items()]


def _value_text(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, bool) or v is None:
        return repr(v)
    return json.dumps(v)


def numbered_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line that is not blank."""
    for n, line in enumerate(lines, 1):
        if line.strip():
            yield n, line.strip()


def options_for(opts: AppOptions, sets: list[str]) -> AppOptions:
    """The command's options with one line's bindings after its own --set items."""
    return replace(opts, sets=[*opts.sets, *sets])
