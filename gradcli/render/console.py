"""The one place a rich Console is built: to a string buffer, fixed width, colour on request.

Everything rich prints for gradcli goes through :func:`render_to_text` and comes back as
a string, so output is byte-identical between runs and never depends on the real
terminal (its size, ``FORCE_COLOR``, ``COLUMNS``, Jupyter, ...). The CLI decides the
width and whether to colour, and writes the string where it belongs.

It is also the one place tables are fitted to that width (:func:`fit_to_width`), by one
rule for every command: a table that fits is left exactly as rich lays it out; otherwise
its text wraps at spaces but no column gets narrower than its longest word or number,
so nothing is ever cut to ``…``; and when even that is too wide, whole columns are left
out, keeping the first (the row's index) and the verdict column (``result``, moved next
to it), with a note under the table naming what is not shown. Tensor grids do the same
with their own index columns (first and last kept, see ``table._grid_table``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import replace

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from gradcli.render.numbers import elision_note

DEFAULT_WIDTH = 100
VERDICT_HEADERS = ("result",)  # a table's verdict column: never left out, shown first
NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?|nan|-?inf")
NOTE_STYLE = "dim italic"


def make_console(width: int | None, color: bool) -> Console:
    """A Console that renders into an in-memory buffer at ``width`` (default 100) columns."""
    return Console(
        file=io.StringIO(),
        width=width or DEFAULT_WIDTH,
        # No colour system at all when colour is off: not even bold escapes get out.
        color_system="auto" if color else None,
        force_terminal=color,
        force_jupyter=False,
        force_interactive=False,
        no_color=not color,
        # Our renderables are built from Text objects: no markup parsing of user strings
        # (a variable named `[bold]`), no emoji codes, no guessing highlights.
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
        legacy_windows=False,
        # Without colour, ignore the environment entirely (FORCE_COLOR, TTY_* ...): the CLI
        # decides. With colour we are on a real terminal, whose TERM/COLORTERM pick the palette.
        _environ=None if color else {},
    )


def render_to_text(renderables: Iterable[RenderableType], width: int | None, color: bool) -> str:
    """Print renderables to a fresh console, tables fitted to the width; the text, trailing
    spaces and newline removed."""
    console = make_console(width, color)
    for r in renderables:
        console.print(fit_to_width(r, console), crop=False)
    buffer = console.file
    assert isinstance(buffer, io.StringIO)
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


# --------------------------------------------------------------------------- fitting tables


def fit_to_width(renderable: RenderableType, console: Console) -> RenderableType:
    """The renderable with every table in it (also inside groups) fitted to the console."""
    if isinstance(renderable, Group):
        return Group(*(fit_to_width(r, console) for r in renderable.renderables),
                     fit=renderable.fit)
    if isinstance(renderable, Table):
        return _fit_table(renderable, console)
    return renderable


def _plain(cell: object) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def _fit_table(table: Table, console: Console) -> RenderableType:
    columns = table.columns
    texts = [[_plain(c.header), *(_plain(x) for x in c.cells)] for c in columns]
    natural = [
        max([c.min_width or 0, *(cell_len(ln) for t in col for ln in t.split("\n"))])
        for c, col in zip(columns, texts, strict=True)
    ]
    # No column narrower than its longest word: numbers and names wrap whole or not at all.
    floor = [
        nat if c.no_wrap else min(nat, max([c.min_width or 0,
                                             *(cell_len(w) for t in col for w in t.split())]))
        for c, col, nat in zip(columns, texts, natural, strict=True)
    ]
    _, right, _, left = table.padding
    pad = left + right
    sep = 1 if table.box else 0
    outer = 2 if table.box and table.show_edge else 0
    # Each column costs its width, its padding and one rule (the first rule is the edge).
    room = console.width - outer + sep
    if sum(natural) + (pad + sep) * len(columns) <= room:
        return table
    first = [0, *(i for i, c in enumerate(texts) if i and c[0] in VERDICT_HEADERS)]
    if sum(floor) + (pad + sep) * len(columns) <= room:
        # rich's own layout (private API: the one rich renders with), kept if it cuts nothing.
        laid = table._calculate_column_widths(
            console, console.options.update_width(console.width - table._extra_width))
        if all(w - pad >= f for w, f in zip(laid, floor, strict=True)):
            return table
        order = list(range(len(columns)))
    else:
        order, used = [], 0
        for i in [*first, *(i for i in range(len(columns)) if i not in first)]:
            if len(order) > len(first) and used + floor[i] + pad + sep > room:
                break
            order.append(i)
            used += floor[i] + pad + sep
    widths = {i: floor[i] for i in order}
    spare = room - sum(widths.values()) - (pad + sep) * len(order)
    folded: set[int] = set()
    if spare < 0:
        # A table is never just its index: the one column beside it takes what is left and
        # folds its longest words (a path), if its numbers still fit whole; else it goes too.
        last = order[-1]
        numbers = [w for t in texts[last] for w in t.split() if NUMBER.fullmatch(w.strip("[](),"))]
        if widths[last] + spare >= max([4, *(cell_len(w) for w in numbers)]):
            widths[last] += spare
            folded.add(last)
        else:
            del widths[last]
            order.pop()
    while spare > 0 and any(widths[i] < natural[i] for i in order):
        for i in order:  # share what is left one cell at a time, left to right
            if spare > 0 and widths[i] < natural[i]:
                widths[i] += 1
                spare -= 1
    fitted = Table.__new__(Table)
    fitted.__dict__.update(table.__dict__)
    fitted.columns = [
        replace(columns[i], width=widths[i], _index=k,
                overflow="fold" if i in folded else columns[i].overflow)
        for k, i in enumerate(order)
    ]
    hidden = [i for i in range(len(columns)) if i not in widths]
    if not hidden:
        return fitted
    names = [" ".join(texts[i][0].split()) for i in hidden]
    return Group(fitted, Text(elision_note(names, len(columns)), style=NOTE_STYLE))
